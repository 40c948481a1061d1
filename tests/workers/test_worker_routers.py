"""pyzeebe glue: BPMN errors vs job failures with back-off, and task registration."""

from __future__ import annotations

import asyncio

import pytest
from pyzeebe.errors import BusinessError
from pyzeebe.function_tools.parameter_tools import get_job_parameter_name
from worker_fakes import FakeJobController, FakeTransport, make_deps, make_job, ok

from workers.contract import TASKS_BY_TYPE
from workers.failures import TransientServiceError
from workers.routers import (
    JobBackoff,
    create_exception_handler,
    make_task_function,
    variables_to_fetch,
)

pytestmark = pytest.mark.unit


def _handle(error: Exception, *, task_type: str = "payment.capture", retries: int = 3):
    controller = FakeJobController()
    handler = create_exception_handler(TASKS_BY_TYPE, JobBackoff(base_ms=1_000, max_ms=30_000))
    job = make_job(task_type, TASKS_BY_TYPE[task_type].element_id, retries=retries)
    asyncio.run(handler(error, job, controller))
    return controller


def test_business_error_throws_bpmn_error_with_failure_reason_variables() -> None:
    """pyzeebe/habit 6: BusinessError -> ThrowError. The error variables carry `failureReason`
    to the catch-all error start event, whose output mapping keeps it, and `failedStep` so the
    failure path can undo the terminated step (bpmn/README.md)."""
    controller = _handle(BusinessError("PAYMENT_DECLINED", "PAYMENT_DECLINED: card declined"))

    assert controller.failures == []
    (thrown,) = controller.errors
    assert thrown["error_code"] == "PAYMENT_DECLINED"
    assert thrown["variables"] == {
        "failureReason": "PAYMENT_DECLINED",
        "failureMessage": "PAYMENT_DECLINED: card declined",
        "failedStep": "payment-capture",
    }


def test_technical_failure_fails_the_job_with_retry_backoff() -> None:
    """zeebe-spec §2.5: FailJob carries `retryBackOff`; the first failure waits the base delay."""
    controller = _handle(TransientServiceError("HTTP 503"), retries=3)

    assert controller.errors == []
    (failed,) = controller.failures
    assert failed["retry_back_off_ms"] == 1_000
    assert "HTTP 503" in failed["message"]


def test_job_backoff_doubles_per_used_retry_and_is_capped() -> None:
    """Back-off grows with the attempts already used out of the contract's retries."""
    backoff = JobBackoff(base_ms=1_000, max_ms=5_000)
    refund = TASKS_BY_TYPE["payment.refund"]  # 5 retries

    delays = [backoff.delay_ms(refund, left) for left in (4, 3, 2, 1, 0)]

    assert delays == [1_000, 2_000, 4_000, 5_000, 5_000]


def test_task_function_receives_the_job_despite_postponed_annotations() -> None:
    """pyzeebe injects the Job by matching the annotation to its class; our modules use
    `from __future__ import annotations`, so the factory sets real annotations."""
    deps = make_deps(FakeTransport([ok({"allocation_key": "a1"})]))
    function = make_task_function(TASKS_BY_TYPE["inventory.allocate"], deps)
    job = make_job("inventory.allocate", "inventory-allocate")

    assert get_job_parameter_name(function) == "job"
    assert function(job=job, checkoutId="co-1", items=[]) == {"allocationKey": "a1"}


def test_jobs_fetch_only_the_variables_the_step_reads() -> None:
    """Forward steps fetch their payload inputs; handlers only the failure reason; all fetch the
    correlation ids used in logs and the trace header."""
    assert variables_to_fetch(TASKS_BY_TYPE["cart.reserve"]) == [
        "checkoutId",
        "traceparent",
        "cartId",
    ]
    assert variables_to_fetch(TASKS_BY_TYPE["cart.release"]) == [
        "checkoutId",
        "traceparent",
        "failureReason",
    ]


def test_undo_failed_step_fetches_the_failed_element_id() -> None:
    """`saga.compensate` reads `failedStep` (and the reason it logs and forwards)."""
    assert variables_to_fetch(TASKS_BY_TYPE["saga.compensate"]) == [
        "checkoutId",
        "traceparent",
        "failedStep",
        "failureReason",
    ]
