"""Behaviour every pricing backend must show (run on fakes and on PostgreSQL); tax is 10 %."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


def setup_catalog(client: FlaskClient, *, limit: int = 1) -> None:
    """Two prices and a 10 % coupon with `limit` uses."""
    assert client.put("/v1/prices/a", json={"unit_price": 1000}).status_code == 200
    assert client.put("/v1/prices/b", json={"unit_price": 250}).status_code == 200
    coupon = {"kind": "percent", "value": 10, "usage_limit": limit}
    assert client.put("/v1/coupons/TEN", json=coupon).status_code == 200


def quote(client: FlaskClient, key: str, coupon: str | None = "TEN") -> Any:
    """Forward `quote` for 2 x a + 1 x b."""
    body: dict[str, Any] = {
        "checkout_id": "co-1",
        "items": [{"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 1}],
    }
    if coupon is not None:
        body["coupon"] = coupon
    return client.post("/v1/quotes", json=body, headers={"Idempotency-Key": key})


def used(client: FlaskClient) -> int:
    """Uses of coupon TEN."""
    return int(client.get("/v1/coupons/TEN").get_json()["used"])


class PricingContract:
    """Subclasses provide a `client` fixture."""

    def test_quote_computes_totals_in_cents(self, client: FlaskClient) -> None:
        """Brief: subtotal, discount, tax, total as integer cents."""
        setup_catalog(client)
        body = quote(client, "k1").get_json()
        assert (body["subtotal"], body["discount"], body["tax"], body["total"]) == (
            2250,
            225,
            203,
            2228,
        )
        assert body["lines"][0] == {"sku": "a", "quantity": 2, "unit_price": 1000, "amount": 2000}
        assert used(client) == 1

    def test_replayed_quote_consumes_the_coupon_once(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: same key -> same response, no second coupon use."""
        setup_catalog(client, limit=5)
        first = quote(client, "k1")
        second = quote(client, "k1")
        assert first.get_json() == second.get_json()
        assert used(client) == 1

    def test_exhausted_coupon_is_422(self, client: FlaskClient) -> None:
        """Brief: 422 COUPON_EXHAUSTED when the usage limit is reached."""
        setup_catalog(client, limit=1)
        quote(client, "k1")
        response = quote(client, "k2")
        assert (response.status_code, response.get_json()["code"]) == (422, "COUPON_EXHAUSTED")
        assert used(client) == 1

    def test_unknown_coupon_is_422_invalid(self, client: FlaskClient) -> None:
        """Brief: 422 COUPON_INVALID for an unknown code."""
        setup_catalog(client)
        response = quote(client, "k1", coupon="NOPE")
        assert (response.status_code, response.get_json()["code"]) == (422, "COUPON_INVALID")

    def test_unknown_sku_is_422(self, client: FlaskClient) -> None:
        """CONTRACT.md 3: UNKNOWN_SKU names the skus; the coupon use is not consumed."""
        setup_catalog(client)
        response = client.post(
            "/v1/quotes",
            json={"checkout_id": "c", "items": [{"sku": "zz", "quantity": 1}], "coupon": "TEN"},
            headers={"Idempotency-Key": "k"},
        )
        assert response.get_json()["skus"] == ["zz"]
        assert used(client) == 0

    def test_revert_gives_the_coupon_use_back_once(self, client: FlaskClient) -> None:
        """Brief: compensation `revert` gives the coupon use back (once)."""
        setup_catalog(client, limit=1)
        quote(client, "k1")
        assert client.post("/v1/quotes/k1/compensation").get_json()["status"] == "compensated"
        assert client.post("/v1/quotes/k1/compensation").get_json()["status"] == "compensated"
        assert used(client) == 0
        assert quote(client, "k2").status_code == 200

    def test_late_quote_after_revert_is_409(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: a late forward call after compensation is refused."""
        setup_catalog(client, limit=2)
        client.post("/v1/quotes/k1/compensation")
        assert quote(client, "k1").status_code == 409
        assert used(client) == 0

    def test_quote_without_coupon(self, client: FlaskClient) -> None:
        """Brief: the coupon is optional."""
        setup_catalog(client)
        body = quote(client, "k1", coupon=None).get_json()
        assert (body["discount"], body["total"], body["coupon"]) == (0, 2475, None)

    def test_redefining_a_coupon_keeps_its_used_count(self, client: FlaskClient) -> None:
        """CONTRACT.md 4: PUT /v1/coupons keeps `used`."""
        setup_catalog(client, limit=3)
        quote(client, "k1")
        client.put("/v1/coupons/TEN", json={"kind": "amount", "value": 100, "usage_limit": 3})
        assert client.get("/v1/coupons/TEN").get_json()["used"] == 1
