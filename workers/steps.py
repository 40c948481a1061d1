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
from opentelemetry.trace import Span, SpanKind
from pyzeebe import Job
from pyzeebe.errors import BusinessError

from services.kit import tracing
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
from workers.observability import WorkerMetrics
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


def _run_forward(call: _Call) -> JsonObject:
    """Forward step: business refusals and an open breaker become BPMN errors."""
    payload = PAYLOADS[call.spec.type]
    client = call.deps.clients[call.spec.service]
    try:
        response = client.forward(call.spec.operation, call.key, payload.request(call.variables))
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
        response = client.compensate(call.spec.operation, call.key, reason)
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
    spec: TaskSpec, job: Job, variables: Variables, span: Span
) -> structlog.typing.FilteringBoundLogger:
    """A logger bound to the correlation ids every line about this job must carry."""
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger("workers")
    return logger.bind(
        task_type=spec.type,
        checkout_id=variables.get("checkoutId"),
        process_instance_key=job.process_instance_key,
        job_key=job.key,
        element_id=job.element_id,
        trace_id=tracing.trace_id(span),
    )


def _parent(variables: Variables) -> dict[str, str]:
    """The instance's trace context: the ``traceparent`` (and ``tracestate``) variables."""
    return {
        name: variables[name]
        for name in tracing.TRACE_HEADERS
        if isinstance(variables.get(name), str)
    }


def _job_attributes(spec: TaskSpec, job: Job, variables: Variables) -> dict[str, str | int]:
    checkout_id = variables.get("checkoutId")
    return {
        "zeebe.job.key": job.key,
        "zeebe.job.type": spec.type,
        "zeebe.job.retries": job.retries,
        "zeebe.process_instance.key": job.process_instance_key,
        "zeebe.element.id": job.element_id,
        "checkout.id": checkout_id if isinstance(checkout_id, str) else "",
    }


def run_step(spec: TaskSpec, job: Job, variables: Variables, deps: StepDeps) -> JsonObject:
    """Handle one job of type ``spec.type``; return the variables to complete it with.

    The job runs in a CONSUMER span named after its task type, child of the instance's
    ``traceparent`` variable; a BPMN error or a failure ends it with ERROR status.
    Raises ``pyzeebe.errors.BusinessError`` for a BPMN error, anything else to fail the job.
    """
    attributes = _job_attributes(spec, job, variables)
    with tracing.start_span(
        spec.type, kind=SpanKind.CONSUMER, parent=_parent(variables), attributes=attributes
    ) as span:
        call = _Call(spec, variables, deps, _logger(spec, job, variables, span))
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
