"""The demo prints what the checkout API reports, as a table."""

from __future__ import annotations

import pytest

from demo.scenarios import SCENARIOS, Outcome, describe, table

pytestmark = pytest.mark.unit


def test_the_table_has_one_row_per_outcome_with_reason_and_compensations() -> None:
    """Status, reason and compensations are printed as reported."""
    outcomes = [
        Outcome("succeeds", "co_1", "completed", None, (), 1.23),
        Outcome(
            "out of stock",
            "co_2",
            "failed",
            "inventory-allocate failed",
            ("cart.release", "payment.refund"),
            4.0,
        ),
    ]

    lines = table(outcomes).splitlines()

    assert lines[0].split() == ["scenario", "status", "reason", "compensations", "s"]
    assert "completed" in lines[2] and lines[2].rstrip().endswith("1.2")
    assert "cart.release, payment.refund" in lines[3]


def test_the_scenarios_cover_success_decline_stock_and_timeout() -> None:
    """Brief item 4: succeed, declined (tok_decline), out of stock, confirmation timeout."""
    names = {scenario.name for scenario in SCENARIOS}

    assert {"succeeds", "payment declined", "out of stock", "confirmation times out"} <= names
    assert {s.card_token for s in SCENARIOS} >= {"tok_approve", "tok_decline", "tok_async"}


def test_a_pending_checkout_names_the_incident_holding_it() -> None:
    """Failure outcomes are printed as they are, never guessed."""
    incident = {"errorType": "JOB_NO_RETRIES", "elementId": "saga-compensate"}

    assert describe({"status": "pending", "incident": incident}) == (
        "pending (incident JOB_NO_RETRIES at saga-compensate)"
    )
    assert (
        describe({"status": "pending", "incident": None})
        == "pending (still running at the deadline)"
    )
    assert describe({"status": "failed"}) == "failed"
