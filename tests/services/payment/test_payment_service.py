"""Payment service against real PostgreSQL and the PSP simulator over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from payment_servers import Served
from sqlalchemy import select

pytestmark = pytest.mark.integration


def capture(payment: Served, key: str, token: str = "card", amount: int = 1500) -> Any:
    body = {"amount": amount, "currency": "EUR", "card_token": token, "checkout_id": "chk-1"}
    headers = {"Idempotency-Key": key}
    return requests.post(f"{payment.url}/v1/captures", json=body, headers=headers, timeout=10)


def refund(payment: Served, key: str) -> Any:
    return requests.post(f"{payment.url}/v1/captures/{key}/compensation", timeout=10)


def psp_charges(psp: Served) -> dict[str, Any]:
    body: dict[str, Any] = requests.get(f"{psp.url}/charges", timeout=5).json()
    return body


def ledger(payment: Served) -> dict[str, int]:
    body: dict[str, int] = requests.get(f"{payment.url}/v1/ledger/summary", timeout=5).json()
    return body


def outbox_events(payment: Served) -> list[tuple[str, dict[str, Any]]]:
    engine, tables = payment.app.extensions["payment_db"]
    outbox = tables.common.outbox
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_type, outbox.c.payload).order_by(outbox.c.id))
        return [(row.event_type, row.payload) for row in rows]


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_capture_books_the_charge_and_writes_an_outbox_event(payment: Served) -> None:
    """Brief: forward capture calls the PSP; ledger entry and outbox event in one transaction."""
    response = capture(payment, "pi-1:capture", amount=1500)
    assert response.status_code == 200
    assert response.json()["status"] == "captured"
    assert ledger(payment)["captured"] == 1500
    assert [event for event, _ in outbox_events(payment)] == ["payment.captured"]


def test_retried_capture_replays_and_psp_charges_once(payment: Served, psp: Served) -> None:
    """CONTRACT 1: a repeat with the same key answers the same body without a second effect."""
    first = capture(payment, "pi-2:capture")
    second = capture(payment, "pi-2:capture")
    assert (first.status_code, first.json()) == (second.status_code, second.json())
    assert len(psp_charges(psp)["charges"]) == 1
    assert ledger(payment)["captured"] == 1500


def test_concurrent_captures_with_one_key_charge_once(payment: Served, psp: Served) -> None:
    """CONTRACT 1: concurrent calls with the same key are serialised: exactly one effect."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: capture(payment, "pi-3:capture"), range(6)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["payment_id"] for r in responses}) == 1
    assert len(psp_charges(psp)["charges"]) == 1
    assert ledger(payment)["captured"] == 1500


def test_same_key_with_other_body_is_refused(payment: Served) -> None:
    """CONTRACT 1: same key, different body -> 422 IDEMPOTENCY_KEY_REUSED."""
    capture(payment, "pi-4:capture", amount=1500)
    response = capture(payment, "pi-4:capture", amount=1600)
    assert (response.status_code, response.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_missing_idempotency_key_is_400(payment: Served) -> None:
    """CONTRACT 1: the Idempotency-Key header is required."""
    response = requests.post(f"{payment.url}/v1/captures", json={}, timeout=5)
    assert (response.status_code, response.json()["field"]) == (400, "Idempotency-Key")


def test_decline_is_422_payment_declined_and_books_nothing(payment: Served, psp: Served) -> None:
    """CONTRACT 3: PSP declined -> 422 with code PAYMENT_DECLINED; a retry says the same."""
    first = capture(payment, "pi-5:capture", token="tok_decline")
    again = capture(payment, "pi-5:capture", token="tok_decline")
    assert first.headers["Content-Type"] == "application/problem+json"
    assert (first.status_code, first.json()["code"]) == (422, "PAYMENT_DECLINED")
    assert (again.status_code, again.json()["code"]) == (422, "PAYMENT_DECLINED")
    assert len(psp_charges(psp)["charges"]) == 1
    assert ledger(payment)["captured"] == 0


def test_refund_happens_exactly_once(payment: Served, psp: Served) -> None:
    """CONTRACT 1: the compensation undoes the effect once; a repeat returns the same body."""
    capture(payment, "pi-6:capture")
    first, second = refund(payment, "pi-6:capture"), refund(payment, "pi-6:capture")
    assert first.json() == second.json() == {"status": "compensated", "key": "pi-6:capture"}
    assert psp_charges(psp)["refunds"] == 1
    assert ledger(payment) == {"captured": 1500, "refunded": 1500, "net": 0, "negative_balances": 0}


def test_compensation_before_capture_tombstones_and_refuses_the_late_capture(
    payment: Served, psp: Served
) -> None:
    """CONTRACT 1: compensation of nothing records a tombstone; a later forward call gets 409."""
    assert refund(payment, "pi-7:capture").json()["status"] == "tombstoned"
    late = capture(payment, "pi-7:capture")
    assert (late.status_code, late.json()["code"]) == (409, "COMPENSATED")
    assert psp_charges(psp)["charges"] == []


def test_compensation_after_decline_tombstones(payment: Served) -> None:
    """CONTRACT 1: a compensation after a failed forward tombstones the key."""
    capture(payment, "pi-8:capture", token="tok_decline")
    assert refund(payment, "pi-8:capture").json()["status"] == "tombstoned"
    assert capture(payment, "pi-8:capture", token="tok_decline").status_code == 409


@pytest.mark.parametrize("psp_timeout_s", [0.3])
def test_timed_out_capture_that_succeeded_is_refunded_by_compensation(
    payment: Served, psp: Served, set_knobs: Callable[..., None]
) -> None:
    """DESIGN 4: the forward call times out but actually succeeded: compensation undoes it."""
    set_knobs(timeout_sleep_ms=800)
    timed_out = capture(payment, "pi-9:capture", token="tok_timeout")
    assert timed_out.status_code == 503
    assert refund(payment, "pi-9:capture").json()["status"] == "compensated"
    charge = requests.get(f"{psp.url}/charges/pi-9:capture", timeout=5).json()
    assert charge["status"] == "refunded"
    late = capture(payment, "pi-9:capture", token="tok_timeout")
    assert late.status_code == 409
    assert ledger(payment) == {"captured": 1500, "refunded": 1500, "net": 0, "negative_balances": 0}


@pytest.mark.parametrize("psp_timeout_s", [0.3])
def test_charge_made_after_the_refund_is_auto_refunded_on_late_capture(
    payment: Served, psp: Served, set_knobs: Callable[..., None]
) -> None:
    """Brief: late capture after refund is refused 409 and, if the PSP charged, auto-refunded."""
    set_knobs(latency_ms=700)
    assert capture(payment, "pi-10:capture").status_code == 503
    assert refund(payment, "pi-10:capture").json()["status"] == "compensated"
    wait_for(lambda: len(psp_charges(psp)["charges"]) == 1)  # the PSP charged anyway
    late = capture(payment, "pi-10:capture")
    assert (late.status_code, late.json()["code"]) == (409, "COMPENSATED")
    assert psp_charges(psp)["charges"][0]["status"] == "refunded"
    assert ledger(payment) == {"captured": 1500, "refunded": 1500, "net": 0, "negative_balances": 0}


@pytest.mark.parametrize("psp_timeout_s", [3.0])
def test_capture_answered_after_its_compensation_is_refused_and_refunded(
    payment: Served, psp: Served, set_knobs: Callable[..., None]
) -> None:
    """No charge without an order: the PSP answer arrives after the refund -> 409, money back."""
    set_knobs(timeout_sleep_ms=1000)
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(capture(payment, "pi-11:capture", token="tok_timeout"))
    )
    worker.start()
    wait_for(lambda: len(psp_charges(psp)["charges"]) == 1)
    assert refund(payment, "pi-11:capture").json()["status"] == "compensated"
    worker.join(timeout=10)
    assert (results[0].status_code, results[0].json()["code"]) == (409, "COMPENSATED")
    assert psp_charges(psp)["refunds"] == 1
    assert ledger(payment) == {"captured": 1500, "refunded": 1500, "net": 0, "negative_balances": 0}


def test_async_confirmation_callback_captures_and_emits_payment_confirmed(
    payment: Served, set_knobs: Callable[..., None]
) -> None:
    """Brief: pending_confirmation, then the PSP callback records it and emits payment.confirmed."""
    set_knobs(callback_delay_ms=100)
    response = capture(payment, "pi-12:capture", token="tok_async")
    assert response.json()["status"] == "pending_confirmation"
    assert ledger(payment)["captured"] == 0
    wait_for(lambda: ledger(payment)["captured"] == 1500)
    confirmed = [p for event, p in outbox_events(payment) if event == "payment.confirmed"]
    assert confirmed == [
        {
            "payment_id": response.json()["payment_id"],
            "key": "pi-12:capture",
            "status": "captured",
            "checkout_id": "chk-1",
        }
    ]


def test_duplicate_confirmation_changes_nothing(
    payment: Served, set_knobs: Callable[..., None]
) -> None:
    """PSP webhooks are at least once: a repeated callback is acknowledged and ignored."""
    set_knobs(callback_delay_ms=50)
    payment_id = capture(payment, "pi-13:capture", token="tok_async").json()["payment_id"]
    wait_for(lambda: ledger(payment)["captured"] == 1500)
    url = f"{payment.url}/v1/payments/{payment_id}/confirmation"
    again = requests.post(url, json={"status": "approved"}, timeout=5)
    assert again.json() == {"payment_id": payment_id, "status": "captured"}
    assert [e for e, _ in outbox_events(payment)].count("payment.confirmed") == 1
    assert ledger(payment)["captured"] == 1500


def test_operation_record_follows_the_contract(payment: Served) -> None:
    """CONTRACT 1: GET /v1/<operation>/{key} returns the operation record or 404."""
    capture(payment, "pi-14:capture")
    record = requests.get(f"{payment.url}/v1/captures/pi-14:capture", timeout=5).json()
    assert (record["operation"], record["status"]) == ("captures", "done")
    assert record["response"]["status"] == "captured"
    refund(payment, "pi-14:capture")
    record = requests.get(f"{payment.url}/v1/captures/pi-14:capture", timeout=5).json()
    assert record["status"] == "compensated"
    missing = requests.get(f"{payment.url}/v1/captures/nope", timeout=5)
    assert missing.status_code == 404


def test_health_reports_ok_after_a_database_round_trip(payment: Served) -> None:
    """CONTRACT 5: /health is 200 with the service name."""
    body = requests.get(f"{payment.url}/health", timeout=5).json()
    assert body == {"status": "ok", "service": "payment"}
