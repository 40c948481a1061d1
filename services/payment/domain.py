"""Pure rules of the payment service: capture requests, payment states, PSP answers, ledger.

A payment is keyed by the saga's idempotency key, which is also the PSP `reference`, so every
retry of a capture hits the same PSP charge. States:

    initiated -> captured | pending_confirmation | declined     (forward, PSP answer)
    pending_confirmation -> captured | declined                 (PSP callback)
    any non-final -> refund_pending -> refunded                 (compensation)
    declined | no row -> tombstone                              (compensation of nothing)

`refund_pending`, `refunded` and `tombstone` refuse every later forward call (409): no charge
without an order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.common.validation import optional_str, require_int, require_object, require_str

INITIATED = "initiated"
CAPTURED = "captured"
PENDING_CONFIRMATION = "pending_confirmation"
DECLINED = "declined"
REFUND_PENDING = "refund_pending"
REFUNDED = "refunded"
TOMBSTONE = "tombstone"

# A forward call on these keys is late: the saga already compensated it.
COMPENSATED_STATES = frozenset({REFUND_PENDING, REFUNDED, TOMBSTONE})
# The forward call succeeded: a retry replays the stored response.
SUCCEEDED_STATES = frozenset({CAPTURED, PENDING_CONFIRMATION})

# What the PSP's charge status means for our payment.
CHARGE_TO_STATE: dict[str, str] = {
    "approved": CAPTURED,
    "pending": PENDING_CONFIRMATION,
    "declined": DECLINED,
}

# What a confirmation callback does to a pending payment.
CONFIRMATION_TO_STATE: dict[str, str] = {"approved": CAPTURED, "declined": DECLINED}

# The contract's operation view (`GET /v1/captures/<key>`) of each payment state.
OPERATION_STATUS: dict[str, str] = {
    INITIATED: "pending",
    CAPTURED: "done",
    PENDING_CONFIRMATION: "done",
    DECLINED: "failed",
    REFUND_PENDING: "compensated",
    REFUNDED: "compensated",
    TOMBSTONE: "tombstone",
}


@dataclass(frozen=True)
class CaptureRequest:
    """A validated `POST /v1/captures` body (money in integer cents)."""

    amount: int
    currency: str
    card_token: str
    checkout_id: str
    customer_id: str | None = None

    @classmethod
    def parse(cls, body: Any) -> CaptureRequest:
        """Validate the JSON body; invalid input raises a 400 problem naming the field."""
        data = require_object(body)
        return cls(
            amount=require_int(data, "amount", minimum=1),
            currency=optional_str(data, "currency", "EUR") or "EUR",
            card_token=require_str(data, "card_token"),
            checkout_id=require_str(data, "checkout_id"),
            customer_id=optional_str(data, "customer_id"),
        )


@dataclass(frozen=True)
class Payment:
    """One payment row as the service layer sees it."""

    key: str
    payment_id: str
    status: str
    fingerprint: str | None
    amount: int
    currency: str
    checkout_id: str | None
    psp_payment_id: str | None
    response: Mapping[str, Any] | None


def capture_response(payment: Payment, status: str, psp_payment_id: str | None) -> dict[str, Any]:
    """The forward call's 200 body, stored and replayed on retries."""
    return {
        "payment_id": payment.payment_id,
        "key": payment.key,
        "status": status,
        "amount": payment.amount,
        "currency": payment.currency,
        "checkout_id": payment.checkout_id,
        "psp_payment_id": psp_payment_id,
    }


def state_after_charge(charge_status: str) -> str:
    """Our state for a PSP charge answer; an unknown answer is a bug in the PSP contract."""
    try:
        return CHARGE_TO_STATE[charge_status]
    except KeyError as error:
        raise ValueError(f"unexpected PSP charge status {charge_status!r}") from error


@dataclass(frozen=True)
class LedgerMoves:
    """Ledger entries a PSP refund answer implies: the capture it reveals and the refund."""

    captured: int
    refunded: int


def moves_for_refund(refund: Mapping[str, Any] | None) -> LedgerMoves:
    """A refund that moved money proves a capture of that amount, even one we never saw answered.

    `None` means the PSP has no charge under the reference: nothing moved either way.
    """
    if refund is None:
        return LedgerMoves(0, 0)
    moved = int(refund.get("refunded_amount", 0))
    return LedgerMoves(captured=moved, refunded=moved)
