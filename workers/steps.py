"""Running one job: call the service, map the outcome, log and count it.

``run_step`` is plain synchronous code over a pyzeebe ``Job`` value and injected clients, so unit
tests drive it with a fake transport; ``workers.routers`` only registers it with pyzeebe.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from pyzeebe import Job
from pyzeebe.errors import BusinessError

from workers.client import ServiceClient
from workers.contract import (
    SERVICE_UNAVAILABLE,
    StepKind,
    TaskSpec,
    checkout_id_from,
    compensation_for,
    idempotency_key,
)
from workers.failures import PermanentServiceError, ServiceRefusedError, ServiceUnavailableError
from workers.observability import WorkerMetrics, trace_id_from
from workers.payloads import PAYLOADS

__all__ = ["StepDeps", "run_step"]

Variables = Mapping[str, Any]
JsonObject = dict[str, Any]


@dataclass(frozen=True)
class StepDeps:
    """What a step needs from the outside: one client per service, metrics and a clock."""

    clients: Mapping[str, ServiceClient]
    metrics: WorkerMetrics
    clock: Callable[[], float] = time.perf_counter


@dataclass(frozen=True)
class _Call:
    """One job's call, with its correlation ids bound to a logger."""

    spec: TaskSpec
    variables: Variables
    deps: StepDeps
    log: structlog.typing.FilteringBoundLogger

    @property
    def key(self) -> str:
        """The idempotency key sent to the service (the forward step's, for an undo).

        Raises ``MalformedJobError`` without a usable ``checkoutId``: the job fails, no call.
        """
        return idempotency_key(checkout_id_from(self.variables), self.spec)

    @property
    def traceparent(self) -> str | None:
        """The W3C trace context of the instance, if it carries one."""
        value = self.variables.get("traceparent")
        return value if isinstance(value, str) else None


def _run_forward(call: _Call) -> JsonObject:
    """Forward step: business refusals and an open breaker become BPMN errors."""
    payload = PAYLOADS[call.spec.type]
    client = call.deps.clients[call.spec.service]
    try:
        response = client.forward(
            call.spec.operation, call.key, payload.request(call.variables), call.traceparent
        )
    except ServiceRefusedError as failure:
        call.log.info("step_refused", code=failure.code, detail=failure.detail)
        raise BusinessError(failure.code, str(failure)) from failure
    except ServiceUnavailableError as failure:
        # Fail fast: the saga compensates now instead of waiting for job timeouts.
        call.log.warning("step_service_unavailable", service=failure.service)
        raise BusinessError(SERVICE_UNAVAILABLE, str(failure)) from failure
    call.log.info("step_completed")
    return payload.result(response)


def _run_compensation(call: _Call) -> JsonObject:
    """Undo a forward step; never a BPMN error, a failed undo must retry or raise an incident."""
    reason = call.variables.get("failureReason")
    client = call.deps.clients[call.spec.service]
    try:
        response = client.compensate(call.spec.operation, call.key, reason, call.traceparent)
    except ServiceRefusedError as failure:
        raise PermanentServiceError(f"compensation refused: {failure}") from failure
    call.deps.metrics.compensations.labels(task_type=call.spec.type).inc()
    call.log.info(
        "compensated",
        compensates=call.spec.compensates,
        forward_key=call.key,
        status=response.get("status"),
        reason=reason,
    )
    return {}


def _run_undo_failed_step(call: _Call) -> JsonObject:
    """Undo the step that threw the error, by its key: a no-op tombstone if it did nothing."""
    failed_step = call.variables.get("failedStep")
    handler = compensation_for(failed_step) if isinstance(failed_step, str) else None
    if handler is None:
        call.log.info("failed_step_needs_no_undo", failed_step=failed_step)
        return {}
    undo = dataclasses.replace(call, spec=handler, log=call.log.bind(undo_type=handler.type))
    return _run_compensation(undo)


_RUNNERS: dict[StepKind, Callable[[_Call], JsonObject]] = {
    StepKind.FORWARD: _run_forward,
    StepKind.COMPENSATION: _run_compensation,
    StepKind.UNDO_FAILED_STEP: _run_undo_failed_step,
}


def _logger(
    spec: TaskSpec, job: Job, variables: Variables
) -> structlog.typing.FilteringBoundLogger:
    """A logger bound to the correlation ids every line about this job must carry."""
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger("workers")
    return logger.bind(
        task_type=spec.type,
        checkout_id=variables.get("checkoutId"),
        process_instance_key=job.process_instance_key,
        job_key=job.key,
        element_id=job.element_id,
        trace_id=trace_id_from(variables.get("traceparent")),
    )


def run_step(spec: TaskSpec, job: Job, variables: Variables, deps: StepDeps) -> JsonObject:
    """Handle one job of type ``spec.type``; return the variables to complete it with.

    Raises ``pyzeebe.errors.BusinessError`` for a BPMN error, anything else to fail the job.
    """
    call = _Call(spec=spec, variables=variables, deps=deps, log=_logger(spec, job, variables))
    started = deps.clock()
    outcome = "failure"
    try:
        result = _RUNNERS[spec.kind](call)
        outcome = "success"
        return result
    except BusinessError:
        outcome = "business_error"
        raise
    finally:
        deps.metrics.tasks.labels(task_type=spec.type, outcome=outcome).inc()
        deps.metrics.latency.labels(task_type=spec.type).observe(deps.clock() - started)
