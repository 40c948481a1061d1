"""Behaviour every cart backend must show (run on fakes and on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

ITEMS = [{"sku": "sku-1", "quantity": 2, "unit_price": 1250}]


def new_cart(client: FlaskClient) -> str:
    """Create an open cart and return its id."""
    response = client.post("/v1/carts", json={"customer_id": "cust-1", "items": ITEMS})
    assert response.status_code == 201
    return str(response.get_json()["id"])


def reserve(client: FlaskClient, key: str, cart_id: str, checkout: str = "co-1") -> Any:
    """Forward `reserve`."""
    return client.post(
        "/v1/reservations",
        json={"cart_id": cart_id, "checkout_id": checkout},
        headers={"Idempotency-Key": key},
    )


def consume(client: FlaskClient, key: str, reservation_key: str) -> Any:
    """Forward `consume`."""
    return client.post(
        "/v1/consumptions",
        json={"reservation_key": reservation_key},
        headers={"Idempotency-Key": key},
    )


def status(client: FlaskClient, cart_id: str) -> str:
    """Cart status."""
    return str(client.get(f"/v1/carts/{cart_id}").get_json()["status"])


class CartContract:
    """Subclasses provide a `client` fixture."""

    def test_created_cart_is_readable_and_open(self, client: FlaskClient) -> None:
        """CONTRACT.md 4: POST /v1/carts -> 201, GET returns it open."""
        cart_id = new_cart(client)
        cart = client.get(f"/v1/carts/{cart_id}").get_json()
        assert cart == {
            "id": cart_id,
            "customer_id": "cust-1",
            "items": ITEMS,
            "currency": "EUR",
            "status": "open",
        }

    def test_unknown_cart_is_404(self, client: FlaskClient) -> None:
        """CONTRACT.md 2: unknown resources -> 404 problem."""
        assert client.get("/v1/carts/nope").get_json()["code"] == "NOT_FOUND"

    def test_reserve_returns_the_reservation_with_items(self, client: FlaskClient) -> None:
        """CONTRACT.md 4: reserve answers the active reservation with the cart's items."""
        cart_id = new_cart(client)
        body = reserve(client, "pi:reserve", cart_id).get_json()
        assert body == {
            "reservation_key": "pi:reserve",
            "cart_id": cart_id,
            "checkout_id": "co-1",
            "status": "active",
            "items": ITEMS,
            "currency": "EUR",
        }

    def test_reserve_replay_returns_same_response(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: a repeat with the same key returns the same response."""
        cart_id = new_cart(client)
        first = reserve(client, "k", cart_id)
        second = reserve(client, "k", cart_id)
        assert (first.status_code, first.get_json()) == (second.status_code, second.get_json())

    def test_only_one_active_reservation_per_cart(self, client: FlaskClient) -> None:
        """Brief: only one active reservation per cart -> 422 CART_ALREADY_RESERVED."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        response = reserve(client, "k2", cart_id)
        assert (response.status_code, response.get_json()["code"]) == (
            422,
            "CART_ALREADY_RESERVED",
        )

    def test_reserve_unknown_cart_is_business_error(self, client: FlaskClient) -> None:
        """CONTRACT.md 3: CART_NOT_FOUND."""
        response = reserve(client, "k1", "missing")
        assert (response.status_code, response.get_json()["code"]) == (422, "CART_NOT_FOUND")

    def test_release_frees_the_cart_for_a_new_reservation(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: compensation undoes the effect once."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        released = client.post("/v1/reservations/k1/compensation")
        assert released.get_json() == {"status": "compensated", "key": "k1"}
        assert reserve(client, "k2", cart_id).status_code == 200

    def test_late_reserve_after_release_is_409(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: late forward call after compensation is refused."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        client.post("/v1/reservations/k1/compensation")
        response = reserve(client, "k1", cart_id)
        assert (response.status_code, response.get_json()["code"]) == (409, "COMPENSATED")

    def test_release_before_reserve_tombstones(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: compensation of a never-happened forward records a tombstone."""
        cart_id = new_cart(client)
        response = client.post("/v1/reservations/k1/compensation")
        assert response.get_json() == {"status": "tombstoned", "key": "k1"}
        assert reserve(client, "k1", cart_id).status_code == 409
        assert reserve(client, "k2", cart_id).status_code == 200

    def test_consume_checks_the_cart_out(self, client: FlaskClient) -> None:
        """CONTRACT.md 4: consume -> reservation consumed, cart checked_out, not reservable."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        response = consume(client, "c1", "k1")
        assert response.get_json() == {
            "reservation_key": "k1",
            "cart_id": cart_id,
            "status": "consumed",
        }
        assert status(client, cart_id) == "checked_out"
        assert reserve(client, "k2", cart_id).get_json()["code"] == "CART_NOT_OPEN"

    def test_consume_of_released_reservation_is_refused(self, client: FlaskClient) -> None:
        """CONTRACT.md 3: RESERVATION_NOT_ACTIVE."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        client.post("/v1/reservations/k1/compensation")
        response = consume(client, "c1", "k1")
        assert (response.status_code, response.get_json()["code"]) == (
            422,
            "RESERVATION_NOT_ACTIVE",
        )

    def test_consume_compensation_reopens_the_cart(self, client: FlaskClient) -> None:
        """CONTRACT.md 4: consume compensation re-activates the reservation, re-opens the cart."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        consume(client, "c1", "k1")
        assert client.post("/v1/consumptions/c1/compensation").get_json()["status"] == "compensated"
        assert status(client, cart_id) == "open"
        assert client.post("/v1/reservations/k1/compensation").get_json()["status"] == "compensated"
        assert reserve(client, "k2", cart_id).status_code == 200

    def test_compensations_in_either_order_release_the_cart(self, client: FlaskClient) -> None:
        """zeebe-spec: handlers of one throw run together, so release may precede unconsume."""
        cart_id = new_cart(client)
        reserve(client, "k1", cart_id)
        consume(client, "c1", "k1")
        assert client.post("/v1/reservations/k1/compensation").status_code == 200
        assert client.post("/v1/consumptions/c1/compensation").status_code == 200
        assert status(client, cart_id) == "open"
        assert reserve(client, "k2", cart_id).status_code == 200
