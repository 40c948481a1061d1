"""In-memory charge book of the simulator, safe for the threaded Flask server."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import replace

from services.psp.domain import REFUNDABLE, Charge, ChargeStatus


class ChargeBook:
    """Charges by reference plus attempt counters; one lock serialises every change."""

    def __init__(self, new_id: Callable[[], str] | None = None) -> None:
        self._lock = threading.Lock()
        self._by_reference: dict[str, Charge] = {}
        self._attempts: dict[str, int] = {}
        self._new_id = new_id or (lambda: f"psp_{uuid.uuid4().hex}")
        self.refund_count = 0

    def next_attempt(self, reference: str) -> int:
        """Count one more attempt for `reference` and return its number (0-based)."""
        with self._lock:
            attempt = self._attempts.get(reference, 0)
            self._attempts[reference] = attempt + 1
            return attempt

    def get(self, reference: str) -> Charge | None:
        """The charge recorded under `reference`, if any."""
        with self._lock:
            return self._by_reference.get(reference)

    def find(self, payment_id: str) -> Charge | None:
        """The charge with this PSP payment id, if any."""
        with self._lock:
            return next(
                (c for c in self._by_reference.values() if c.payment_id == payment_id), None
            )

    def record(self, charge: Charge) -> tuple[Charge, bool]:
        """Record `charge` unless its reference exists; return (stored charge, created)."""
        with self._lock:
            existing = self._by_reference.get(charge.reference)
            if existing is not None:
                return existing, False
            stored = replace(charge, payment_id=self._new_id())
            self._by_reference[charge.reference] = stored
            return stored, True

    def confirm(self, reference: str) -> Charge | None:
        """Apply the scheduled confirmation of a pending charge; refunded charges stay refunded."""
        with self._lock:
            charge = self._by_reference.get(reference)
            if charge is None or charge.status is not ChargeStatus.PENDING:
                return charge
            confirmed = replace(charge, status=charge.confirmation or ChargeStatus.APPROVED)
            self._by_reference[reference] = confirmed
            return confirmed

    def refund(self, reference: str) -> tuple[Charge | None, bool]:
        """Refund the charge once; return (charge, refunded_now). Declined charges stay as is."""
        with self._lock:
            charge = self._by_reference.get(reference)
            if charge is None or charge.status not in REFUNDABLE:
                return charge, False
            # Voiding a pending charge moves no money back: nothing was captured yet.
            moved = charge.amount if charge.status is ChargeStatus.APPROVED else 0
            refunded = replace(charge, status=ChargeStatus.REFUNDED, refunded_amount=moved)
            self._by_reference[reference] = refunded
            self.refund_count += 1
            return refunded, True

    def snapshot(self) -> list[Charge]:
        """All charges, for inspection endpoints and tests."""
        with self._lock:
            return list(self._by_reference.values())
