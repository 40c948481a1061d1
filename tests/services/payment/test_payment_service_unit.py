"""Payment service layer on in-memory fakes: the state machine without servers."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.problems import ProblemError
from services.payment.fakes import FakePaymentDatabase, FakePsp, fake_transactions
from services.payment.service import PaymentService

pytestmark = pytest.mark.unit

BODY: dict[str, Any] = {"amount": 1200, "card_token": "card", "checkout_id": "chk"}


@pytest.fixture
def db() -> FakePaymentDatabase:
    return FakePaymentDatabase()


@pytest.fixture
def psp() -> FakePsp:
    return FakePsp()


@pytest.fixture
def service(db: FakePaymentDatabase, psp: FakePsp) -> PaymentService:
    return PaymentService(transaction=fake_transactions(db), psp=psp, public_url="http://pay")


def capture(service: PaymentService, key: str, token: str = "card") -> Any:
    return service.capture(key, {**BODY, "card_token": token}, {})


def problem_code(error: pytest.ExceptionInfo[ProblemError]) -> tuple[int, str]:
    return error.value.problem.status, error.value.problem.code


def test_capture_books_capture_and_event(service: PaymentService, db: FakePaymentDatabase) -> None:
    """Brief: captured -> ledger capture entry and an outbox event in the same transaction."""
    result = capture(service, "k1")
    assert (result.status, result.body["status"]) == (200, "captured")
    assert service.ledger_summary()["captured"] == 1200
    assert [e.event_type for e in db.outbox] == ["payment.captured"]


def test_callback_url_names_our_payment(service: PaymentService, psp: FakePsp) -> None:
    """The PSP posts confirmations to /v1/payments/<payment_id>/confirmation."""
    payment_id = capture(service, "k1").body["payment_id"]
    assert psp.callbacks == [f"http://pay/v1/payments/{payment_id}/confirmation"]


def test_retry_replays_without_second_charge(service: PaymentService, psp: FakePsp) -> None:
    """CONTRACT 1: same key and body -> same answer, one effect."""
    assert capture(service, "k1").body == capture(service, "k1").body
    assert len(psp.book.snapshot()) == 1


def test_decline_is_business_error(service: PaymentService) -> None:
    """CONTRACT 3: PAYMENT_DECLINED as 422."""
    with pytest.raises(ProblemError) as error:
        capture(service, "k1", "tok_decline")
    assert problem_code(error) == (422, "PAYMENT_DECLINED")


def test_psp_down_is_503_and_leaves_the_payment_initiated(
    service: PaymentService, psp: FakePsp
) -> None:
    """Technical failure: unknown outcome, 503 so the worker retries with the same key."""
    psp.unavailable = True
    with pytest.raises(ProblemError) as error:
        capture(service, "k1")
    assert problem_code(error) == (503, "PSP_UNAVAILABLE")
    assert service.operation("k1")["payment_status"] == "initiated"
    psp.unavailable = False
    assert capture(service, "k1").body["status"] == "captured"


def test_refund_once_then_late_capture_refused(service: PaymentService, psp: FakePsp) -> None:
    """Refund exactly once; a forward call after it gets 409."""
    capture(service, "k1")
    assert service.refund("k1", {}).body["status"] == "compensated"
    assert service.refund("k1", {}).body["status"] == "compensated"
    assert psp.book.refund_count == 1
    with pytest.raises(ProblemError) as error:
        capture(service, "k1")
    assert problem_code(error) == (409, "COMPENSATED")
    assert service.ledger_summary()["net"] == 0


def test_timed_out_charge_is_refunded_by_compensation(
    service: PaymentService, psp: FakePsp
) -> None:
    """DESIGN 4: timed out but succeeded -> the compensation still undoes it."""
    with pytest.raises(ProblemError):
        capture(service, "k1", "tok_timeout")
    service.refund("k1", {})
    assert [c.status for c in psp.book.snapshot()] == ["refunded"]
    assert service.ledger_summary() == {
        "captured": 1200,
        "refunded": 1200,
        "net": 0,
        "negative_balances": 0,
    }


def test_answer_arriving_after_compensation_is_refused_and_refunded(
    service: PaymentService, psp: FakePsp
) -> None:
    """No charge without an order: the compensation lands while the PSP call is in flight."""

    def compensate_meanwhile() -> None:
        service.refund("k1", {})

    psp.before_answer = compensate_meanwhile
    with pytest.raises(ProblemError) as error:
        capture(service, "k1")
    assert problem_code(error) == (409, "COMPENSATED")
    assert psp.book.refund_count == 1
    assert service.ledger_summary()["net"] == 0


def test_refund_while_psp_down_stays_pending_and_blocks_captures(
    service: PaymentService, psp: FakePsp
) -> None:
    """A failed refund answers 503 and keeps refund_pending: late captures are still refused."""
    capture(service, "k1")
    psp.unavailable = True
    with pytest.raises(ProblemError):
        service.refund("k1", {})
    assert service.operation("k1")["payment_status"] == "refund_pending"
    with pytest.raises(ProblemError) as error:
        capture(service, "k1")
    assert problem_code(error)[0] == 409
    psp.unavailable = False
    assert service.refund("k1", {}).body["status"] == "compensated"
    assert service.ledger_summary()["net"] == 0


def test_failed_transaction_rolls_back(db: FakePaymentDatabase) -> None:
    """The fake keeps transactional semantics: a raising block leaves no trace."""
    transaction = fake_transactions(db)
    with pytest.raises(RuntimeError), transaction({}) as tx:
        tx.payments.claim("k1", {"status": "initiated"})
        raise RuntimeError("boom")
    assert db.payments == {}


def test_confirmation_settles_pending_payment_once(
    service: PaymentService, db: FakePaymentDatabase
) -> None:
    """Brief: the PSP callback records the confirmation and emits payment.confirmed once."""
    payment_id = capture(service, "k1", "tok_async").body["payment_id"]
    assert service.confirm(payment_id, {"status": "approved"})["status"] == "captured"
    assert service.confirm(payment_id, {"status": "approved"})["status"] == "captured"
    assert [e.event_type for e in db.outbox].count("payment.confirmed") == 1
    assert service.ledger_summary()["captured"] == 1200


def test_declined_confirmation_books_nothing(service: PaymentService) -> None:
    """An asynchronous decline settles the payment as declined, no capture entry."""
    payment_id = capture(service, "k1", "tok_async_decline").body["payment_id"]
    assert service.confirm(payment_id, {"status": "declined"})["status"] == "declined"
    assert service.ledger_summary()["captured"] == 0


def test_callback_overtaking_the_capture_answer_is_retried_later(
    service: PaymentService, psp: FakePsp, db: FakePaymentDatabase
) -> None:
    """A webhook that arrives before we recorded the PSP answer gets 503 (the PSP retries)
    instead of being acknowledged and lost."""
    early: list[int] = []

    def callback_now() -> None:
        payment = next(iter(db.payments.values()))
        with pytest.raises(ProblemError) as error:
            service.confirm(payment.payment_id, {"status": "approved"})
        early.append(error.value.problem.status)

    psp.before_answer = callback_now
    payment_id = capture(service, "k1", "tok_async").body["payment_id"]
    assert early == [503]
    assert service.confirm(payment_id, {"status": "approved"})["status"] == "captured"


def test_refund_emits_payment_refunded_once_even_when_no_money_moved(
    service: PaymentService, psp: FakePsp, db: FakePaymentDatabase
) -> None:
    """Every compensation is visible on Kafka: a refund of a never-charged attempt says 0."""
    psp.unavailable = True
    with pytest.raises(ProblemError):
        capture(service, "k1")
    psp.unavailable = False
    service.refund("k1", {})
    service.refund("k1", {})
    refunded = [e for e in db.outbox if e.event_type == "payment.refunded"]
    assert [(e.payload["key"], e.payload["amount"]) for e in refunded] == [("k1", 0)]


def test_late_charge_refund_emits_its_own_event(
    service: PaymentService, psp: FakePsp, db: FakePaymentDatabase
) -> None:
    """A charge the PSP made after the refund is booked and announced once."""
    with pytest.raises(ProblemError):
        capture(service, "k1", "tok_timeout")
    psp.unavailable = True
    with pytest.raises(ProblemError):
        service.refund("k1", {})  # refund_pending: the PSP is down
    psp.unavailable = False
    for _ in range(2):
        with pytest.raises(ProblemError):
            capture(service, "k1", "tok_timeout")  # late retries trigger the auto-refund
    types = [e.event_type for e in db.outbox]
    assert types.count("payment.late_capture_refunded") == 1
    assert service.ledger_summary()["net"] == 0


def test_voiding_a_pending_charge_emits_payment_voided_once(
    service: PaymentService, psp: FakePsp, db: FakePaymentDatabase
) -> None:
    """Brief H18: a pending charge voided by compensation is announced as `payment.voided`
    (the authorised amount, no money moved), once, and not as a refund."""
    capture(service, "k1", "tok_async")
    service.refund("k1", {})
    service.refund("k1", {})
    voided = [e for e in db.outbox if e.event_type == "payment.voided"]
    assert [(e.payload["key"], e.payload["amount"]) for e in voided] == [("k1", 1200)]
    assert "payment.refunded" not in [e.event_type for e in db.outbox]
    assert service.ledger_summary()["refunded"] == 0


def test_refunding_a_confirmed_charge_still_emits_payment_refunded(
    service: PaymentService, psp: FakePsp, db: FakePaymentDatabase
) -> None:
    """Once the PSP captured a pending charge, its compensation moves money: a refund."""
    payment_id = capture(service, "k1", "tok_async").body["payment_id"]
    psp.book.confirm("k1")  # the PSP approves, then calls back
    service.confirm(payment_id, {"status": "approved"})
    service.refund("k1", {})
    types = [e.event_type for e in db.outbox]
    assert (types.count("payment.refunded"), types.count("payment.voided")) == (1, 0)
