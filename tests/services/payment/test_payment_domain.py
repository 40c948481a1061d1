"""Pure payment rules: request validation, PSP answers, ledger moves of a refund."""

from __future__ import annotations

import pytest

from services.common.problems import ProblemError
from services.payment import domain as d

pytestmark = pytest.mark.unit


def test_capture_request_requires_positive_integer_cents() -> None:
    """CONTRACT section 4: money is integer cents; bad input is a 400 naming the field."""
    with pytest.raises(ProblemError) as error:
        d.CaptureRequest.parse({"amount": 0, "card_token": "t", "checkout_id": "c"})
    assert error.value.problem.extensions["field"] == "amount"


def test_capture_request_defaults_currency_to_eur() -> None:
    """CONTRACT section 4: currency defaults to EUR."""
    request = d.CaptureRequest.parse({"amount": 5, "card_token": "t", "checkout_id": "c"})
    assert request.currency == "EUR"


@pytest.mark.parametrize(
    ("charge", "state"),
    [("approved", d.CAPTURED), ("pending", d.PENDING_CONFIRMATION), ("declined", d.DECLINED)],
)
def test_psp_charge_status_maps_to_payment_state(charge: str, state: str) -> None:
    """Brief: status captured | pending_confirmation; declined is a business failure."""
    assert d.state_after_charge(charge) == state


def test_unknown_psp_status_is_a_bug() -> None:
    """An answer outside the PSP contract is not silently mapped."""
    with pytest.raises(ValueError, match="unexpected PSP charge status"):
        d.state_after_charge("maybe")


def test_refund_that_moved_money_proves_the_capture() -> None:
    """A refund of a charge we never saw answered still books capture and refund: net zero."""
    assert d.moves_for_refund({"refunded_amount": 700}) == d.LedgerMoves(700, 700)


def test_refund_without_charge_moves_nothing() -> None:
    """PSP had no charge under the reference (404): the ledger is untouched."""
    assert d.moves_for_refund(None) == d.LedgerMoves(0, 0)


def test_compensated_states_refuse_forward_calls_and_success_replays() -> None:
    """CONTRACT section 1: compensated or tombstoned keys refuse late forward calls."""
    assert {d.REFUND_PENDING, d.REFUNDED, d.TOMBSTONE} == d.COMPENSATED_STATES
    assert d.COMPENSATED_STATES.isdisjoint(d.SUCCEEDED_STATES)
