"""Pure order rules: request validation and totals."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.problems import ProblemError
from services.order import domain as d

pytestmark = pytest.mark.unit

BODY: dict[str, Any] = {
    "checkout_id": "c",
    "customer_id": "u",
    "items": [
        {"sku": "a", "quantity": 3, "unit_price": 250},
        {"sku": "b", "quantity": 1, "unit_price": 99},
    ],
}


def test_totals_are_subtotal_minus_discount_plus_tax() -> None:
    """CONTRACT 4: money in integer cents; total = subtotal - discount + tax."""
    request = d.OrderRequest.parse({**BODY, "discount": 49, "tax": 60})
    assert (request.subtotal, request.total) == (849, 860)


def test_discount_above_subtotal_is_refused() -> None:
    """An order cannot have a negative total: 400 naming the field."""
    with pytest.raises(ProblemError) as error:
        d.OrderRequest.parse({**BODY, "discount": 10_000})
    assert error.value.problem.extensions["field"] == "discount"


def test_items_need_a_unit_price() -> None:
    """Orders record what was charged per line: unit_price is required."""
    with pytest.raises(ProblemError) as error:
        d.OrderRequest.parse({**BODY, "items": [{"sku": "a", "quantity": 1}]})
    assert error.value.problem.extensions["field"] == "items[0].unit_price"


def test_event_ids_are_unique_per_aggregate_and_type() -> None:
    """Consumers dedupe by event_id: it must be stable across relay re-publishes."""
    event = d.new_event("ord_1", "order.created", {}, now="t", headers={})
    assert event["event_id"] == "order:ord_1:order.created"
    assert event["sent"] is False


def test_tombstone_events_are_keyed_by_the_idempotency_key() -> None:
    """A tombstone has no order id: its aggregate is the operation key."""
    tombstone = d.tombstone_document("pi:1", now="t", headers={})
    assert d.aggregate_of(tombstone) == ("operation", "pi:1")


def test_null_discount_tax_and_currency_mean_none_and_eur() -> None:
    """Workers send unset variables as null (bpmn/README.md order.create inputs)."""
    request = d.OrderRequest.parse({**BODY, "discount": None, "tax": None, "currency": None})
    assert (request.discount, request.tax, request.currency) == (0, 0, "EUR")


def test_quote_lines_with_their_amount_are_accepted() -> None:
    """The order body takes the priced quote lines as they come (extra `amount` ignored)."""
    line = {"sku": "a", "quantity": 2, "unit_price": 250, "amount": 500}
    request = d.OrderRequest.parse({**BODY, "items": [line]})
    assert request.subtotal == 500
