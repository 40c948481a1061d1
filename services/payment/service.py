"""Service layer of the payment service: capture, refund (compensation), PSP confirmation.

Calls to the PSP happen between short transactions, never inside one: a slow PSP must not hold
row locks. Correctness across that gap rests on the PSP being idempotent by reference (our key)
and on re-locking the payment row after the call, where a compensation that ran meanwhile wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import structlog

from services.common.idempotency import OperationResult, fingerprint
from services.common.problems import (
    BusinessError,
    Problem,
    ProblemError,
    compensated_problem,
    key_reused_problem,
    not_found_problem,
)
from services.payment import domain as d
from services.payment.ports import Tx, TxFactory
from services.payment.psp_client import PspPort, PspUnavailableError

log = structlog.get_logger("services.payment")
OPERATION = "captures"


def psp_unavailable(detail: str) -> ProblemError:
    """503: the PSP outcome is unknown; the caller retries with the same key."""
    return ProblemError(
        Problem(503, "PSP_UNAVAILABLE", "PSP unavailable", detail, "psp-unavailable")
    )


@dataclass(frozen=True)
class PaymentService:
    """Use cases of the payment service over a transactional store and a PSP port."""

    transaction: TxFactory
    psp: PspPort
    public_url: str

    def _tx(self, headers: Mapping[str, str]) -> AbstractContextManager[Tx]:
        return self.transaction(headers)

    def capture(self, key: str, body: Any, headers: Mapping[str, str]) -> OperationResult:
        """Forward call: charge the card once per key; 409 once the key was compensated."""
        request = d.CaptureRequest.parse(body)
        request_fingerprint = fingerprint(body)
        with self._tx(headers) as tx:
            payment = tx.payments.claim(key, _new_payment(request, request_fingerprint))
            if payment is None:
                payment = tx.payments.get(key)
        assert payment is not None  # inserted or locked just above
        self._check_retry(payment, request_fingerprint)
        if payment.status in d.SUCCEEDED_STATES:
            return OperationResult(200, dict(payment.response or {}))
        try:
            charge = self.psp.charge(
                reference=key,
                amount=request.amount,
                currency=request.currency,
                card_token=request.card_token,
                callback_url=f"{self.public_url}/v1/payments/{payment.payment_id}/confirmation",
            )
        except PspUnavailableError as error:
            # Unknown outcome: the row stays `initiated`; a retry or the refund settles it.
            log.warning("payment.psp_unavailable", key=key, error=str(error))
            raise psp_unavailable(str(error)) from error
        return self._apply_charge(key, charge, headers)

    def _check_retry(self, payment: d.Payment, request_fingerprint: str) -> None:
        if payment.status in d.COMPENSATED_STATES:
            self._refund_late_charge(payment.key)
            raise ProblemError(compensated_problem(payment.key))
        if payment.fingerprint != request_fingerprint:
            raise ProblemError(key_reused_problem(payment.key))
        if payment.status == d.DECLINED:
            raise _declined(payment.key)

    def _apply_charge(
        self, key: str, charge: Mapping[str, Any], headers: Mapping[str, str]
    ) -> OperationResult:
        state = (
            d.state_after_charge(str(charge["status"])) if charge["status"] != "refunded" else None
        )
        with self._tx(headers) as tx:
            payment = tx.payments.lock(key)
            assert payment is not None  # claimed before the PSP call, rows are never deleted
            if payment.status in d.COMPENSATED_STATES or state is None:
                late = True
            else:
                late = False
                if payment.status in d.SUCCEEDED_STATES:  # a concurrent retry got here first
                    return OperationResult(200, dict(payment.response or {}))
                response = d.capture_response(payment, state, str(charge["payment_id"]))
                self._record_charge(tx, payment, state, response)
        if late:
            # Compensated while we waited for the PSP: no charge without an order.
            self._refund_late_charge(key)
            raise ProblemError(compensated_problem(key))
        if state == d.DECLINED:
            raise _declined(key)
        return OperationResult(200, response)

    def _record_charge(
        self, tx: Tx, payment: d.Payment, state: str, response: dict[str, Any]
    ) -> None:
        tx.payments.update(
            payment.key, status=state, psp_payment_id=response["psp_payment_id"], response=response
        )
        if state == d.CAPTURED:
            tx.payments.add_ledger(payment.payment_id, "capture", payment.amount)
        tx.outbox.add("payment", payment.payment_id, f"payment.{state}", response)

    def _refund_late_charge(self, key: str) -> None:
        """Undo a charge the PSP made after (or despite) the compensation; idempotent."""
        try:
            refund = self.psp.refund(key)
        except PspUnavailableError as error:
            log.error("payment.late_refund_failed", key=key, error=str(error))
            return
        moves = d.moves_for_refund(refund)
        if moves.refunded:
            with self._tx({}) as tx:
                payment = tx.payments.lock(key)
                assert payment is not None
                if self._record_refund(tx, payment, moves):
                    tx.outbox.add(
                        "payment",
                        payment.payment_id,
                        "payment.late_capture_refunded",
                        _refund_event(payment, moves),
                    )
            log.warning("payment.late_capture_refunded", key=key, amount=moves.refunded)

    def _record_refund(self, tx: Tx, payment: d.Payment, moves: d.LedgerMoves) -> bool:
        """Book the money a refund moved; True if any ledger entry is new."""
        if not moves.refunded:
            return False  # nothing moved (no charge, or a voided pending one): no zero entries
        captured = tx.payments.add_ledger(payment.payment_id, "capture", moves.captured)
        refunded = tx.payments.add_ledger(payment.payment_id, "refund", moves.refunded)
        return captured or refunded

    def refund(self, key: str, headers: Mapping[str, str]) -> OperationResult:
        """Compensation: refund captured money exactly once, or tombstone the key."""
        with self._tx(headers) as tx:
            payment = tx.payments.claim_tombstone(key)
            outcome = self._start_refund(tx, key, payment)
        if outcome is None:
            outcome = self._finish_refund(key, headers)
        log.info(
            "compensation",
            service="payment",
            operation=OPERATION,
            key=key,
            outcome=outcome,
            checkout_id=payment.checkout_id if payment is not None else None,
            traceparent=headers.get("traceparent"),
        )
        return OperationResult(200, {"status": outcome, "key": key})

    def _start_refund(self, tx: Tx, key: str, payment: d.Payment | None) -> str | None:
        """Decide inside the first transaction; None means the PSP must be asked."""
        if payment is None:
            tx.outbox.add("operation", key, f"payment.{OPERATION}.tombstoned", {"key": key})
            return "tombstoned"
        if payment.status == d.TOMBSTONE:
            return "tombstoned"
        if payment.status == d.REFUNDED:
            return "compensated"
        if payment.status == d.DECLINED:
            # Nothing was charged: the key becomes a tombstone (contract: failed forward).
            tx.payments.update(key, status=d.TOMBSTONE)
            tx.outbox.add("operation", key, f"payment.{OPERATION}.tombstoned", {"key": key})
            return "tombstoned"
        tx.payments.update(key, status=d.REFUND_PENDING)
        return None

    def _finish_refund(self, key: str, headers: Mapping[str, str]) -> str:
        try:
            refund = self.psp.refund(key)
        except PspUnavailableError as error:
            # refund_pending stays: late captures are refused and a retry finishes the refund.
            raise psp_unavailable(str(error)) from error
        moves = d.moves_for_refund(refund)
        with self._tx(headers) as tx:
            payment = tx.payments.lock(key)
            assert payment is not None
            self._record_refund(tx, payment, moves)
            if payment.status != d.REFUNDED:
                # Emitted once per compensation, also when no money had moved.
                tx.payments.update(key, status=d.REFUNDED)
                event_type, event = _compensation_event(payment, moves)
                tx.outbox.add("payment", payment.payment_id, event_type, event)
        return "compensated"

    def confirm(self, payment_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """PSP callback for a pending charge: settle it and emit `payment.confirmed`."""
        psp_status = body.get("status")
        with self._tx({}) as tx:
            payment = tx.payments.lock_by_payment_id(payment_id)
            if payment is None:
                raise ProblemError(not_found_problem(f"no payment {payment_id!r}"))
            if payment.status == d.INITIATED:
                # The callback overtook our own record of the PSP answer: have the PSP retry.
                raise ProblemError(_not_ready(payment_id))
            state = d.CONFIRMATION_TO_STATE.get(str(psp_status))
            if payment.status == d.PENDING_CONFIRMATION and state is not None:
                self._settle(tx, payment, state)
                return {"payment_id": payment_id, "status": state}
        # Duplicate or moot callback (already settled or refunded): acknowledge, change nothing.
        return {"payment_id": payment_id, "status": payment.status}

    def _settle(self, tx: Tx, payment: d.Payment, state: str) -> None:
        tx.payments.update(payment.key, status=state)
        if state == d.CAPTURED:
            tx.payments.add_ledger(payment.payment_id, "capture", payment.amount)
        event = {
            "payment_id": payment.payment_id,
            "key": payment.key,
            "status": state,
            "checkout_id": payment.checkout_id,
        }
        tx.outbox.add("payment", payment.payment_id, "payment.confirmed", event)
        log.info("payment.confirmed", payment_id=payment.payment_id, status=state)

    def operation(self, key: str) -> dict[str, Any]:
        """The contract's operation record for `GET /v1/captures/<key>`."""
        with self._tx({}) as tx:
            payment = tx.payments.get(key)
        if payment is None:
            raise ProblemError(not_found_problem(f"no {OPERATION} operation with key {key!r}"))
        return {
            "key": key,
            "operation": OPERATION,
            "status": d.OPERATION_STATUS[payment.status],
            "payment_status": payment.status,
            "response": dict(payment.response) if payment.response is not None else None,
        }

    def ledger_summary(self) -> dict[str, int]:
        """Sums for the invariant captured - refunded >= 0 per payment."""
        with self._tx({}) as tx:
            return tx.payments.summary()


def _new_payment(request: d.CaptureRequest, request_fingerprint: str) -> dict[str, Any]:
    return {
        "status": d.INITIATED,
        "fingerprint": request_fingerprint,
        "amount": request.amount,
        "currency": request.currency,
        "checkout_id": request.checkout_id,
    }


def _refund_event(payment: d.Payment, moves: d.LedgerMoves) -> dict[str, Any]:
    return {
        "payment_id": payment.payment_id,
        "key": payment.key,
        "checkout_id": payment.checkout_id,
        "amount": moves.refunded,
    }


def _compensation_event(payment: d.Payment, moves: d.LedgerMoves) -> tuple[str, dict[str, Any]]:
    """`payment.voided` when the PSP voided a pending charge (no money moved; `amount` is the
    voided authorisation), else `payment.refunded` with the money moved (0 if nothing was
    charged)."""
    was_pending = (payment.response or {}).get("status") == d.PENDING_CONFIRMATION
    if was_pending and not moves.refunded:
        return "payment.voided", {**_refund_event(payment, moves), "amount": payment.amount}
    return "payment.refunded", _refund_event(payment, moves)


def _not_ready(payment_id: str) -> Problem:
    detail = f"payment {payment_id!r} has no recorded PSP answer yet; retry the callback"
    return Problem(503, "NOT_READY", "Payment not ready", detail, "not-ready")


def _declined(key: str) -> BusinessError:
    return BusinessError(
        "PAYMENT_DECLINED", f"the payment provider declined the charge for {key!r}"
    )
