"""Behaviour every inventory backend must show (run on fakes and on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

COMPENSATED_TYPE = "https://checkout-saga.example/problems/compensated"


def set_stock(client: FlaskClient, sku: str, on_hand: int) -> None:
    """Admin helper."""
    assert client.put(f"/v1/stock/{sku}", json={"on_hand": on_hand}).status_code == 200


def on_hand(client: FlaskClient, sku: str) -> int:
    """Current stock."""
    return int(client.get(f"/v1/stock/{sku}").get_json()["on_hand"])


def allocate(
    client: FlaskClient, key: str, items: list[dict[str, Any]], checkout: str = "c-1"
) -> Any:
    """Forward call."""
    return client.post(
        "/v1/allocations",
        json={"checkout_id": checkout, "items": items},
        headers={"Idempotency-Key": key},
    )


class InventoryContract:
    """Subclasses provide a `client` fixture."""

    def test_allocate_takes_stock_and_answers_the_allocation(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: the first forward call performs the effect and answers 200."""
        set_stock(client, "sku-1", 5)
        response = allocate(client, "pi-1:allocate", [{"sku": "sku-1", "quantity": 2}])
        assert response.status_code == 200
        assert response.get_json() == {
            "allocation_key": "pi-1:allocate",
            "checkout_id": "c-1",
            "items": [{"sku": "sku-1", "quantity": 2}],
            "status": "allocated",
        }
        assert on_hand(client, "sku-1") == 3

    def test_replayed_forward_call_returns_same_response_without_second_effect(
        self, client: FlaskClient
    ) -> None:
        """CONTRACT.md 1: a repeat with the same key returns the same response, no second effect."""
        set_stock(client, "sku-1", 5)
        first = allocate(client, "k1", [{"sku": "sku-1", "quantity": 2}])
        second = allocate(client, "k1", [{"sku": "sku-1", "quantity": 2}])
        assert (second.status_code, second.get_json()) == (first.status_code, first.get_json())
        assert on_hand(client, "sku-1") == 3

    def test_same_key_with_different_body_is_422(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: same key, different body -> 422 IDEMPOTENCY_KEY_REUSED."""
        set_stock(client, "sku-1", 5)
        allocate(client, "k1", [{"sku": "sku-1", "quantity": 2}])
        response = allocate(client, "k1", [{"sku": "sku-1", "quantity": 3}])
        assert response.status_code == 422
        assert response.get_json()["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert on_hand(client, "sku-1") == 3

    def test_out_of_stock_is_all_or_nothing_and_names_the_skus(self, client: FlaskClient) -> None:
        """Brief: allocate is all or nothing; 422 OUT_OF_STOCK naming the skus."""
        set_stock(client, "a", 5)
        set_stock(client, "b", 1)
        items = [
            {"sku": "a", "quantity": 2},
            {"sku": "b", "quantity": 2},
            {"sku": "c", "quantity": 1},
        ]
        response = allocate(client, "k1", items)
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert (body["code"], body["skus"]) == ("OUT_OF_STOCK", ["b", "c"])
        assert (on_hand(client, "a"), on_hand(client, "b")) == (5, 1)

    def test_failed_forward_is_not_recorded_so_a_retry_is_evaluated_again(
        self, client: FlaskClient
    ) -> None:
        """CONTRACT.md 1: business failures are not recorded; a retry may succeed later."""
        set_stock(client, "a", 0)
        assert allocate(client, "k1", [{"sku": "a", "quantity": 1}]).status_code == 422
        set_stock(client, "a", 1)
        assert allocate(client, "k1", [{"sku": "a", "quantity": 1}]).status_code == 200
        assert on_hand(client, "a") == 0

    def test_compensation_releases_once(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: compensation undoes the effect once; a repeat returns the same body."""
        set_stock(client, "a", 5)
        allocate(client, "k1", [{"sku": "a", "quantity": 3}])
        first = client.post("/v1/allocations/k1/compensation")
        second = client.post("/v1/allocations/k1/compensation")
        assert first.status_code == second.status_code == 200
        assert first.get_json() == second.get_json() == {"status": "compensated", "key": "k1"}
        assert on_hand(client, "a") == 5

    def test_forward_after_compensation_is_refused_with_409(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: a late forward call after compensation is refused (409 compensated)."""
        set_stock(client, "a", 5)
        allocate(client, "k1", [{"sku": "a", "quantity": 3}])
        client.post("/v1/allocations/k1/compensation")
        response = allocate(client, "k1", [{"sku": "a", "quantity": 3}])
        assert response.status_code == 409
        assert response.get_json()["type"] == COMPENSATED_TYPE
        assert on_hand(client, "a") == 5

    def test_compensation_of_never_happened_forward_leaves_a_tombstone(
        self, client: FlaskClient
    ) -> None:
        """CONTRACT.md 1: compensation first -> tombstoned; the late forward gets 409."""
        set_stock(client, "a", 5)
        response = client.post("/v1/allocations/late/compensation")
        assert response.get_json() == {"status": "tombstoned", "key": "late"}
        assert client.get("/v1/allocations/late").get_json()["status"] == "tombstone"
        late = allocate(client, "late", [{"sku": "a", "quantity": 1}])
        assert late.status_code == 409
        assert on_hand(client, "a") == 5

    def test_operation_record_is_readable(self, client: FlaskClient) -> None:
        """CONTRACT.md 1: GET /v1/<operation>/<key> returns the record, or 404."""
        set_stock(client, "a", 5)
        allocate(client, "k1", [{"sku": "a", "quantity": 1}])
        record = client.get("/v1/allocations/k1").get_json()
        assert (record["status"], record["response"]["allocation_key"]) == ("done", "k1")
        assert client.get("/v1/allocations/nope").status_code == 404

    def test_unknown_sku_stock_is_404_problem(self, client: FlaskClient) -> None:
        """CONTRACT.md 2: unknown resources -> 404 problem+json."""
        response = client.get("/v1/stock/nope")
        assert response.status_code == 404
        assert response.get_json()["code"] == "NOT_FOUND"
