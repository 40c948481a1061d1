"""Crash safety of the payment step: a retried job never charges twice.

The workers process is SIGKILLed while its `payment.capture` call is in flight (the PSP latency
knob holds the call open; the payment row already exists), so the service finishes the capture
but the job is never completed. After a restart the engine hands the timed-out job out again
(zeebe-spec: a job whose deadline passes is re-activatable), the worker repeats the call with
the same idempotency key `<checkoutId>:payment-capture` and the service replays its stored answer.

"A late forward call after its compensation is refused" is covered against the real payment
service and PSP by tests/services/payment/test_payment_service.py
(`test_compensation_before_capture_tombstones_and_refuses_the_late_capture`,
`test_capture_answered_after_its_compensation_is_refused_and_refunded`,
`test_charge_made_after_the_refund_is_auto_refunded_on_late_capture`), and the worker side
(409 -> BPMN error `COMPENSATED`) by tests/workers; it is not repeated here.
"""

from __future__ import annotations

import json
import os
import random
import signal
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
import saga_probes as probe
from e2e_support import call, eventually
from saga_load import WorkloadMix, plan_checkouts, seed_catalog, status_of, submit

from demo.supervisor import Running, Supervisor
from demo.topology import Endpoints

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(400)]

JOB_TIMEOUT_MS = 3_000  # the killed worker's job becomes activatable again after this
PSP_LATENCY_MS = 1_500  # below the payment service's 2 s PSP timeout: the call succeeds


def _workers(supervisor: Supervisor) -> Running:
    return next(r for r in supervisor.running if r.spec.name == "workers")


def _restart_workers_with_short_job_timeout(supervisor: Supervisor) -> None:
    spec = supervisor.stop("workers")
    env = {**spec.env, "WORKERS_JOB_TIMEOUT_MS": str(JOB_TIMEOUT_MS)}
    supervisor.start(replace(spec, env=env))


def _capture(e: Endpoints, checkout_id: str) -> requests.Response:
    return call("GET", f"{e.url('payment')}/v1/captures/{checkout_id}:payment-capture")


def _claimed(e: Endpoints, checkout_id: str) -> str | None:
    """The capture's operation status once the payment service has its row, else None."""
    response = _capture(e, checkout_id)
    return str(response.json()["status"]) if response.status_code == 200 else None


def _psp_attempts(e: Endpoints) -> float:
    """Sum of `psp_charge_attempts_total` (one per charge decision; a repeat is not one)."""
    text = call("GET", f"{e.url('psp')}/metrics").text
    prefix = "psp_charge_attempts_total{"
    return sum(
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)
    )


def _completed_captures(logfile: Path, pik: str, after: int) -> int:
    """`step_completed` lines of payment.capture for this instance, past byte offset `after`."""
    count = 0
    with logfile.open("rb") as log:
        log.seek(after)
        for raw in log:
            try:
                line: dict[str, Any] = json.loads(raw)
            except ValueError:
                continue
            if (
                line.get("event") == "step_completed"
                and line.get("task_type") == "payment.capture"
                and str(line.get("process_instance_key")) == pik
            ):
                count += 1
    return count


def test_a_worker_killed_after_the_capture_call_does_not_charge_twice(
    supervised: tuple[Supervisor, Endpoints],
) -> None:
    """DESIGN §4 "a retried job must hit the same key": SIGKILL the worker after the payment
    service took the call, restart it; the job times out and is retried, the saga completes,
    and the ledger holds exactly one capture of the order total and the PSP one charge."""
    supervisor, e = supervised
    _restart_workers_with_short_job_timeout(supervisor)
    mix = WorkloadMix(scarce_sku=0.0, coupon=0.0, invalid_coupon=0.0, card_tokens=("tok_approve",))
    catalog = seed_catalog(e, mix, tag=uuid.uuid4().hex[:8])
    plan = plan_checkouts(random.Random(7), catalog, mix, 1)[0]
    ledger_before, attempts_before = probe.ledger_summary(e), _psp_attempts(e)
    assert call("PUT", f"{e.url('psp')}/knobs", {"latency_ms": PSP_LATENCY_MS}).ok
    try:
        checkout = submit(e, plan)
        in_flight = eventually(lambda: _claimed(e, checkout.checkout_id), every_s=0.05)
        os.kill(_workers(supervisor).process.pid, signal.SIGKILL)  # job taken, not completed
        captured = eventually(lambda: _capture(e, checkout.checkout_id).json()["status"] == "done")
        spec = supervisor.stop("workers")  # reaps the killed process, keeps its spec
        restart_offset = _workers_log(supervisor, spec.name).stat().st_size
        supervisor.start(spec)
        final = eventually(
            lambda: status_of(e, checkout.checkout_id)["status"] != "pending", timeout_s=60
        )
    finally:
        call("PUT", f"{e.url('psp')}/knobs", {"latency_ms": 0})
    status = status_of(e, checkout.checkout_id)
    ledger = probe.ledger_summary(e)
    total = probe.order_total(e, checkout.checkout_id)

    assert (in_flight, captured, final) == ("pending", True, True)  # killed mid-call
    assert status["status"] == "completed"
    assert _completed_captures(_workers(supervisor).logfile, checkout.pik, restart_offset) == 1
    assert ledger["captured"] - ledger_before["captured"] == total
    assert ledger["refunded"] == ledger_before["refunded"]
    assert _psp_attempts(e) - attempts_before == 1
    charge = call("GET", f"{e.url('psp')}/charges/{checkout.checkout_id}:payment-capture").json()
    assert (charge["amount"], charge["status"]) == (total, "approved")


def _workers_log(supervisor: Supervisor, name: str) -> Path:
    return supervisor.run_dir / "logs" / f"{name}.log"
