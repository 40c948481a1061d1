"""Pure rules of the payment provider simulator: knobs, magic card tokens and the charge decision.

The simulator stands in for an external PSP, so its behaviour must be reproducible: every random
draw comes from an RNG seeded by (knob seed, reference, attempt), never from global state, so the
same seed and the same requests give the same outcomes whatever the request interleaving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What the simulator does with one charge attempt."""

    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"  # answered now, confirmed later by a callback
    ERROR = "error"  # 500 before anything is recorded: a retry may succeed
    TIMEOUT = "timeout"  # recorded as approved, answered only after the client gave up


class ChargeStatus(StrEnum):
    """Lifecycle of a recorded charge."""

    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class Knobs:
    """Failure and latency knobs, settable at runtime with `PUT /knobs`."""

    decline_rate: float = 0.0
    latency_ms: int = 0
    timeout_rate: float = 0.0
    error_rate: float = 0.0
    async_rate: float = 0.0
    callback_delay_ms: int = 200
    timeout_sleep_ms: int = 5000
    async_decline_rate: float = 0.0
    seed: int = 0

    def updated(self, changes: dict[str, Any]) -> Knobs:
        """Return knobs with `changes` applied; unknown names or bad values raise ValueError."""
        types = {f.name: f.type for f in fields(self)}
        unknown = sorted(set(changes) - set(types))
        if unknown:
            raise ValueError(f"unknown knobs: {', '.join(unknown)}")
        coerced: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"knob {name} must be a number")
            coerced[name] = float(value) if types[name] == "float" else int(value)
            if coerced[name] < 0 or (types[name] == "float" and coerced[name] > 1):
                raise ValueError(f"knob {name} out of range")
        return replace(self, **coerced)


@dataclass(frozen=True)
class Decision:
    """The outcome of one charge attempt and, for pending charges, the later confirmation."""

    outcome: Outcome
    confirmation: ChargeStatus | None = None


# Magic card tokens force an outcome whatever the knobs say, so tests can script one request.
MAGIC_TOKENS: dict[str, Decision] = {
    "tok_approve": Decision(Outcome.APPROVED),
    "tok_decline": Decision(Outcome.DECLINED),
    "tok_async": Decision(Outcome.PENDING, ChargeStatus.APPROVED),
    "tok_async_decline": Decision(Outcome.PENDING, ChargeStatus.DECLINED),
    "tok_error": Decision(Outcome.ERROR),
    "tok_timeout": Decision(Outcome.TIMEOUT),
}


def rng_for(knobs: Knobs, reference: str, attempt: int) -> random.Random:
    """A private RNG per (seed, reference, attempt): reproducible and order independent."""
    return random.Random(f"{knobs.seed}:{reference}:{attempt}")


def decide(knobs: Knobs, card_token: str, rng: random.Random) -> Decision:
    """Decide one charge attempt: a magic token wins, otherwise the knob rates in a fixed order."""
    forced = MAGIC_TOKENS.get(card_token)
    if forced is not None:
        return forced
    draw = rng.random()
    for outcome, rate in (
        (Outcome.ERROR, knobs.error_rate),
        (Outcome.TIMEOUT, knobs.timeout_rate),
        (Outcome.DECLINED, knobs.decline_rate),
        (Outcome.PENDING, knobs.async_rate),
    ):
        if draw < rate:
            return Decision(outcome, _confirmation(outcome, knobs, rng))
        draw -= rate
    return Decision(Outcome.APPROVED)


def _confirmation(outcome: Outcome, knobs: Knobs, rng: random.Random) -> ChargeStatus | None:
    if outcome is not Outcome.PENDING:
        return None
    declined = rng.random() < knobs.async_decline_rate
    return ChargeStatus.DECLINED if declined else ChargeStatus.APPROVED


# A charge attempt with these outcomes is recorded under its reference (ERROR is not).
RECORDED_STATUS: dict[Outcome, ChargeStatus] = {
    Outcome.APPROVED: ChargeStatus.APPROVED,
    Outcome.TIMEOUT: ChargeStatus.APPROVED,
    Outcome.DECLINED: ChargeStatus.DECLINED,
    Outcome.PENDING: ChargeStatus.PENDING,
}


@dataclass(frozen=True)
class Charge:
    """A charge as the PSP records it, unique by the merchant's `reference`."""

    payment_id: str
    reference: str
    amount: int
    currency: str
    card_token: str
    status: ChargeStatus
    callback_url: str | None = None
    confirmation: ChargeStatus | None = None
    refunded_amount: int = 0

    def to_json(self) -> dict[str, Any]:
        """The public JSON view of the charge."""
        return {
            "payment_id": self.payment_id,
            "reference": self.reference,
            "amount": self.amount,
            "currency": self.currency,
            "status": str(self.status),
            "refunded_amount": self.refunded_amount,
        }


# A refund only undoes money that moved or may still move.
REFUNDABLE: frozenset[ChargeStatus] = frozenset({ChargeStatus.APPROVED, ChargeStatus.PENDING})
