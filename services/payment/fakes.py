"""In-memory fakes of the payment ports, for fast unit tests of the service layer.

`FakePsp` runs the simulator's own decision rules in-process; a `tok_timeout` charge is recorded
and then raises PspUnavailableError, exactly what the HTTP client sees when the PSP is too slow.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from services.common.outbox import OutboxEvent
from services.payment.domain import Payment
from services.payment.ports import Tx, TxFactory
from services.payment.psp_client import PspUnavailableError
from services.psp.domain import RECORDED_STATUS, Charge, Knobs, Outcome, decide, rng_for
from services.psp.store import ChargeBook


@dataclass
class FakePaymentDatabase:
    """Payments, ledger and outbox in memory; one transaction at a time (serialisable)."""

    payments: dict[str, Payment] = field(default_factory=dict)
    ledger: dict[tuple[str, str], int] = field(default_factory=dict)
    outbox: list[OutboxEvent] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)


class FakePaymentStore:
    """PaymentStore on a FakePaymentDatabase (the transaction lock stands in for row locks)."""

    def __init__(self, db: FakePaymentDatabase) -> None:
        self._db = db

    def claim(self, key: str, values: Mapping[str, Any]) -> Payment | None:
        """Insert unless the key exists."""
        if key in self._db.payments:
            return self._db.payments[key]
        defaults: dict[str, Any] = {"fingerprint": None, "amount": 0, "currency": "EUR"}
        row = {**defaults, "checkout_id": None, "psp_payment_id": None, "response": None, **values}
        self._db.payments[key] = Payment(key=key, payment_id=f"pay_{uuid.uuid4().hex}", **row)
        return None

    def claim_tombstone(self, key: str) -> Payment | None:
        """Insert a tombstone unless the key exists."""
        return self.claim(key, {"status": "tombstone"})

    def lock(self, key: str) -> Payment | None:
        """Read (the transaction already holds the lock)."""
        return self._db.payments.get(key)

    def lock_by_payment_id(self, payment_id: str) -> Payment | None:
        """Read by payment id."""
        return next((p for p in self._db.payments.values() if p.payment_id == payment_id), None)

    def get(self, key: str) -> Payment | None:
        """Read."""
        return self._db.payments.get(key)

    def update(self, key: str, **values: Any) -> None:
        """Replace fields of one payment."""
        self._db.payments[key] = replace(self._db.payments[key], **values)

    def add_ledger(self, payment_id: str, kind: str, amount: int) -> bool:
        """One entry per (payment, kind)."""
        if (payment_id, kind) in self._db.ledger:
            return False
        self._db.ledger[(payment_id, kind)] = amount
        return True

    def summary(self) -> dict[str, int]:
        """Same shape as the SQL summary."""
        captured = sum(a for (_, kind), a in self._db.ledger.items() if kind == "capture")
        refunded = sum(a for (_, kind), a in self._db.ledger.items() if kind == "refund")
        ids = {payment_id for payment_id, _ in self._db.ledger}
        negative = sum(
            1
            for i in ids
            if self._db.ledger.get((i, "capture"), 0) < self._db.ledger.get((i, "refund"), 0)
        )
        return {
            "captured": captured,
            "refunded": refunded,
            "net": captured - refunded,
            "negative_balances": negative,
        }


class FakeOutbox:
    """Outbox port appending to the fake database."""

    def __init__(self, db: FakePaymentDatabase, headers: Mapping[str, str]) -> None:
        self._db = db
        self._headers = dict(headers)

    def add(
        self, aggregate_type: str, aggregate_id: str, event_type: str, payload: Mapping[str, Any]
    ) -> None:
        """Append the event with the transaction's headers."""
        event = OutboxEvent(aggregate_type, aggregate_id, event_type, dict(payload), self._headers)
        self._db.outbox.append(event)


def fake_transactions(db: FakePaymentDatabase) -> TxFactory:
    """TxFactory with rollback: state is restored if the block raises."""

    @contextmanager
    def transaction(headers: Mapping[str, str]) -> Iterator[Tx]:
        with db.lock:
            saved = (dict(db.payments), dict(db.ledger), list(db.outbox))
            try:
                yield Tx(FakePaymentStore(db), FakeOutbox(db, headers))
            except BaseException:
                db.payments, db.ledger, db.outbox = saved
                raise

    return transaction


@dataclass
class FakePsp:
    """PspPort running the simulator's rules in-process."""

    knobs: Knobs = field(default_factory=Knobs)
    book: ChargeBook = field(default_factory=ChargeBook)
    unavailable: bool = False
    # Runs after the charge is recorded, before the answer: a compensation can land here.
    before_answer: Callable[[], None] | None = None
    callbacks: list[str] = field(default_factory=list)

    def charge(
        self, *, reference: str, amount: int, currency: str, card_token: str, callback_url: str
    ) -> dict[str, Any]:
        """Charge once per reference, as the simulator does."""
        if self.unavailable:
            raise PspUnavailableError("PSP down")
        existing = self.book.get(reference)
        if existing is not None:
            return existing.to_json()
        attempt = self.book.next_attempt(reference)
        decision = decide(self.knobs, card_token, rng_for(self.knobs, reference, attempt))
        if decision.outcome is Outcome.ERROR:
            raise PspUnavailableError("PSP answered 500")
        status = RECORDED_STATUS[decision.outcome]
        charge = Charge(
            "", reference, amount, currency, card_token, status, callback_url, decision.confirmation
        )
        stored, _ = self.book.record(charge)
        self.callbacks.append(callback_url)
        if self.before_answer is not None:
            self.before_answer()
        if decision.outcome is Outcome.TIMEOUT:
            raise PspUnavailableError("read timed out")
        return stored.to_json()

    def refund(self, reference: str) -> dict[str, Any] | None:
        """Refund once by reference; None without a charge."""
        if self.unavailable:
            raise PspUnavailableError("PSP down")
        charge, _ = self.book.refund(reference)
        return charge.to_json() if charge is not None else None
