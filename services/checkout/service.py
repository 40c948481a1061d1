"""Checkout service layer: submit a checkout (one saga per idempotency key) and report it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from services.checkout import domain
from services.checkout.engine_view import EngineInstance, EngineView
from services.checkout.projection import SagaStatus, fold
from services.checkout.store import Checkout, CheckoutStore, Started
from services.common.idempotency import fingerprint
from services.common.problems import (
    ProblemError,
    http_problem,
    key_reused_problem,
    not_found_problem,
)
from services.kit import tracing

log = structlog.get_logger("services.checkout")


class EngineUnavailableError(Exception):
    """The engine could not start the saga (unreachable, or it refused the command)."""


class SagaStarter(Protocol):
    """Port: start the checkout process of one deployed version."""

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        """Create an instance of the definition deployed from BPMN file `version`."""
        ...


@dataclass(frozen=True)
class Settings:
    """Feature flag and saga parameters."""

    fraud_check_percent: int = 0
    confirmation_timeout: str | None = None


def submit(
    store: CheckoutStore,
    starter: SagaStarter,
    request: domain.CheckoutRequest,
    *,
    idempotency_key: str | None,
    settings: Settings,
) -> tuple[Checkout, bool]:
    """Store the checkout and start its saga; a repeated key returns the first checkout.

    Runs in a `checkout.start` span whose W3C context becomes the saga's `traceparent`
    variable, so every job span of the instance is its child (a replay keeps the stored one).
    """
    with tracing.start_span("checkout.start") as span:
        stored, created = _submit(
            store, starter, request, idempotency_key=idempotency_key, settings=settings
        )
        span.set_attribute("checkout.id", stored.id)
        span.set_attribute("checkout.replayed", not created)
        span.set_attribute("zeebe.process_instance.key", stored.process_instance_key)
        return stored, created


def _submit(
    store: CheckoutStore,
    starter: SagaStarter,
    request: domain.CheckoutRequest,
    *,
    idempotency_key: str | None,
    settings: Settings,
) -> tuple[Checkout, bool]:
    checkout = _new_checkout(request, idempotency_key, settings)
    checkout_id = checkout.id

    def start(new: Checkout) -> Started:
        variables = domain.start_variables(
            new.id,
            request,
            traceparent=new.traceparent,
            confirmation_timeout=settings.confirmation_timeout,
        )
        return starter.start(new.version, variables)

    try:
        stored, created = store.create(checkout, start)
    except EngineUnavailableError as error:
        log.warning("checkout.engine_unavailable", checkout_id=checkout_id, error=str(error))
        raise ProblemError(
            http_problem(503, "Service Unavailable", "the process engine is unavailable")
        ) from error
    if not created and stored.fingerprint != checkout.fingerprint:
        raise ProblemError(key_reused_problem(str(idempotency_key)))
    log.info(
        "checkout.submitted" if created else "checkout.replayed",
        checkout_id=stored.id,
        process_instance_key=stored.process_instance_key,
        version=stored.version,
        traceparent=stored.traceparent,
    )
    return stored, created


def _new_checkout(
    request: domain.CheckoutRequest, idempotency_key: str | None, settings: Settings
) -> Checkout:
    """A fresh id, its version by the feature flag and the current trace context."""
    checkout_id = domain.new_checkout_id()
    body = request.to_json()
    return Checkout(
        id=checkout_id,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint(body),
        request=body,
        version=domain.choose_version(checkout_id, settings.fraud_check_percent),
        traceparent=_current_traceparent(),
    )


def _current_traceparent() -> str:
    """The current span's W3C context; a fresh random one when no SDK records spans and no
    caller sent one (`OTEL_SDK_DISABLED`), because the column and the variable are required."""
    return tracing.inject().get("traceparent") or domain.new_traceparent()


def accepted_body(checkout: Checkout) -> dict[str, Any]:
    """The 202 body of `POST /checkouts`."""
    return {
        "checkoutId": checkout.id,
        "processInstanceKey": str(checkout.process_instance_key),
        "status": domain.PENDING,
    }


def merge(saga: SagaStatus, engine: EngineInstance | None) -> dict[str, Any]:
    """Combine the events' view with the engine's (authoritative for lifecycle and reason).

    A finished instance with a `failureReason` ended in "Checkout failed"; a running one is
    pending (possibly compensating, or waiting on an incident); without the engine the events
    decide alone.
    """
    if engine is None:
        return {
            "status": saga.status,
            "reason": saga.reason,
            "failedStep": saga.failed_step,
            "compensations": list(saga.compensations),
            "incident": None,
            "engineState": None,
        }
    finished = {"COMPLETED": domain.COMPLETED, "TERMINATED": domain.FAILED}
    state = finished.get(engine.state, domain.PENDING)
    if state == domain.COMPLETED and engine.failure_reason:
        state = domain.FAILED
    reason = engine.failure_reason or ("CANCELED" if engine.state == "TERMINATED" else None)
    incident = engine.incident
    return {
        "status": state,
        "reason": reason,
        "failedStep": engine.failed_step or saga.failed_step,
        "compensations": sorted(set(saga.compensations) | set(engine.compensations)),
        "incident": None
        if incident is None
        else {
            "errorType": incident.error_type,
            "errorMessage": incident.error_message,
            "elementId": incident.element_id,
        },
        "engineState": engine.state,
    }


def status(
    store: CheckoutStore, checkout_id: str, engine: EngineView | None = None
) -> dict[str, Any]:
    """`GET /checkouts/<id>`: the stored checkout, its saga events and the engine's view."""
    found = store.get_with_events(checkout_id)
    if found is None:
        raise ProblemError(not_found_problem(f"no checkout {checkout_id!r}"))
    checkout, events = found
    saga = fold(events)
    seen = engine.instance(checkout.process_instance_key) if engine is not None else None
    if seen is not None and seen.checkout_id not in (None, checkout.id):
        # Instance keys are unique per engine cluster only: after an engine reset this key may
        # name another saga's instance. Its state says nothing about this checkout.
        seen = None
    return {
        "checkoutId": checkout.id,
        # Keys are int64: strings, as Camunda's REST API does, so JavaScript keeps every digit.
        "processInstanceKey": str(checkout.process_instance_key),
        "processDefinitionKey": str(checkout.process_definition_key),
        "version": checkout.version,
        **merge(saga, seen),
        "traceparent": checkout.traceparent,
    }
