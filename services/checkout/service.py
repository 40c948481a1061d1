"""Checkout service layer: submit a checkout (one saga per idempotency key) and report it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from services.checkout import domain
from services.checkout.projection import fold
from services.checkout.store import Checkout, CheckoutStore, Started
from services.common.idempotency import fingerprint
from services.common.problems import (
    ProblemError,
    http_problem,
    key_reused_problem,
    not_found_problem,
)

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
    """Store the checkout and start its saga; a repeated key returns the first checkout."""
    checkout_id = domain.new_checkout_id()
    body = request.to_json()
    checkout = Checkout(
        id=checkout_id,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint(body),
        request=body,
        version=domain.choose_version(checkout_id, settings.fraud_check_percent),
        traceparent=domain.new_traceparent(),
    )

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


def accepted_body(checkout: Checkout) -> dict[str, Any]:
    """The 202 body of `POST /checkouts`."""
    return {
        "checkoutId": checkout.id,
        "processInstanceKey": str(checkout.process_instance_key),
        "status": domain.PENDING,
    }


def status(store: CheckoutStore, checkout_id: str) -> dict[str, Any]:
    """`GET /checkouts/<id>`: the stored checkout plus its saga status folded from events."""
    checkout = store.get(checkout_id)
    if checkout is None:
        raise ProblemError(not_found_problem(f"no checkout {checkout_id!r}"))
    saga = fold(store.events(checkout.process_instance_key))
    return {
        "checkoutId": checkout.id,
        # Keys are int64: strings, as Camunda's REST API does, so JavaScript keeps every digit.
        "processInstanceKey": str(checkout.process_instance_key),
        "processDefinitionKey": str(checkout.process_definition_key),
        "version": checkout.version,
        "status": saga.status,
        "reason": saga.reason,
        "failedStep": saga.failed_step,
        "compensations": list(saga.compensations),
        "traceparent": checkout.traceparent,
    }
