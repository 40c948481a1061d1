"""pyzeebe glue: one ``ZeebeTaskRouter`` per owning service, built from the contract.

The task functions are generated from ``workers.contract.TASKS`` so a task type cannot exist in
the code without being in the contract (and, by test, in the BPMN).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from pyzeebe import ExceptionHandler, Job, JobController, ZeebeTaskRouter
from pyzeebe.errors import BusinessError

from workers.contract import OWNERS, TASKS, StepKind, TaskSpec
from workers.payloads import (
    COMMON_INPUTS,
    COMPENSATION_INPUTS,
    PAYLOADS,
    UNDO_FAILED_STEP_INPUTS,
)
from workers.steps import StepDeps, run_step

__all__ = [
    "JobBackoff",
    "create_exception_handler",
    "create_routers",
    "make_task_function",
    "variables_to_fetch",
]


@dataclass(frozen=True)
class JobBackoff:
    """Zeebe-side retry back-off (FailJob ``retryBackOff``), doubling per failed attempt."""

    base_ms: int = 1_000
    max_ms: int = 30_000

    def delay_ms(self, spec: TaskSpec, retries_left: int) -> int:
        """Back-off before the next attempt, from how many of ``spec.retries`` were used."""
        failed_attempts = max(1, spec.retries - retries_left)  # this failure included
        return int(min(self.max_ms, self.base_ms * 2 ** (failed_attempts - 1)))


_INPUTS_BY_KIND: dict[StepKind, tuple[str, ...]] = {
    StepKind.COMPENSATION: COMPENSATION_INPUTS,
    StepKind.UNDO_FAILED_STEP: UNDO_FAILED_STEP_INPUTS,
}


def variables_to_fetch(spec: TaskSpec) -> list[str]:
    """Only the variables the step reads: jobs stay small and the contract stays visible."""
    inputs = PAYLOADS[spec.type].inputs if spec.type in PAYLOADS else _INPUTS_BY_KIND[spec.kind]
    return list(dict.fromkeys((*COMMON_INPUTS, *inputs)))


def make_task_function(spec: TaskSpec, deps: StepDeps) -> Callable[..., dict[str, Any]]:
    """A synchronous pyzeebe task function (pyzeebe runs it in a thread: requests blocks)."""

    def task_function(job: Job, **variables: Any) -> dict[str, Any]:
        return run_step(spec, job, variables, deps)

    task_function.__name__ = spec.type.replace(".", "_")
    task_function.__qualname__ = task_function.__name__
    # pyzeebe finds the Job parameter by comparing annotations with the class; postponed
    # (string) annotations from `from __future__ import annotations` would not match.
    task_function.__annotations__ = {"job": Job, "variables": Any, "return": dict[str, Any]}
    return task_function


def create_exception_handler(specs: dict[str, TaskSpec], backoff: JobBackoff) -> ExceptionHandler:
    """BusinessError -> ThrowError carrying ``failureReason``; anything else -> FailJob."""

    async def handle(error: Exception, job: Job, controller: JobController) -> None:
        log = structlog.get_logger("workers").bind(
            task_type=job.type, process_instance_key=job.process_instance_key, job_key=job.key
        )
        if isinstance(error, BusinessError):
            message = str(error)
            # failedStep lets the failure path undo this (terminated, so not compensated) step.
            reason = {
                "failureReason": error.error_code,
                "failureMessage": message,
                "failedStep": job.element_id,
            }
            log.info("bpmn_error_thrown", error_code=error.error_code)
            await controller.set_error_status(message, error.error_code, reason)
            return
        delay = backoff.delay_ms(specs[job.type], job.retries - 1)
        log.warning("job_failed", error=repr(error), retries_left=job.retries - 1, backoff_ms=delay)
        await controller.set_failure_status(f"{type(error).__name__}: {error}", delay)

    return handle


def create_routers(
    deps: StepDeps, *, job_timeout_ms: int, backoff: JobBackoff
) -> dict[str, ZeebeTaskRouter]:
    """One router per owning service, each with every task type of that service."""
    handler = create_exception_handler({spec.type: spec for spec in TASKS}, backoff)
    routers = {service: ZeebeTaskRouter(exception_handler=handler) for service in OWNERS}
    for spec in TASKS:
        register = routers[spec.service].task(
            spec.type, variables_to_fetch=variables_to_fetch(spec), timeout_ms=job_timeout_ms
        )
        register(make_task_function(spec, deps))
    return routers
