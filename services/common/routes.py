"""HTTP entrypoints of one idempotent operation: forward, compensation, read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import structlog
from flask import Blueprint, Response, jsonify, request

from services.common.idempotency import Effect, Undo, compensate, forward, read_operation
from services.common.metrics import OPERATION_METRICS, OperationMetrics
from services.common.outbox import trace_headers
from services.common.problems import ProblemError, not_found_problem
from services.common.uow import UnitOfWork
from services.common.validation import require_idempotency_key, require_object
from services.common.web import app_extension

UOW_FACTORY = "uow_factory"
log = structlog.get_logger("services.common.routes")
UowFactory = Callable[[Mapping[str, str]], UnitOfWork]
EffectBuilder = Callable[[Mapping[str, Any], str], Effect[Any]]


def request_json() -> Mapping[str, Any]:
    """The request body as a JSON object, or a 400 problem."""
    return require_object(request.get_json(silent=True))


def new_uow() -> UnitOfWork:
    """A unit of work from the app's factory, carrying the request's trace headers."""
    factory: UowFactory = app_extension(UOW_FACTORY)
    return factory(trace_headers(dict(request.headers)))


def register_operation(
    blueprint: Blueprint,
    *,
    service: str,
    operation: str,
    effect_for: EffectBuilder,
    undo: Undo[Any],
) -> None:
    """Add `POST /v1/<op>`, `POST /v1/<op>/<key>/compensation` and `GET /v1/<op>/<key>`.

    `effect_for(body, key)` validates the body (raising 400 problems) before any transaction.
    """
    path = f"/v1/{operation}"
    blueprint.add_url_rule(
        path, f"{operation}_forward", _forward_view(operation, effect_for), methods=["POST"]
    )
    blueprint.add_url_rule(
        f"{path}/<key>/compensation",
        f"{operation}_compensation",
        _compensation_view(service, operation, undo),
        methods=["POST"],
    )
    blueprint.add_url_rule(
        f"{path}/<key>", f"{operation}_read", _read_view(operation), methods=["GET"]
    )


def _forward_view(operation: str, effect_for: EffectBuilder) -> Callable[[], Response]:
    def forward_view() -> Response:
        metrics: OperationMetrics = app_extension(OPERATION_METRICS)
        try:
            key = require_idempotency_key(request.headers.get("Idempotency-Key"))
            body = request_json()
            effect = effect_for(body, key)
            result = forward(new_uow(), operation=operation, key=key, body=body, effect=effect)
        except ProblemError as error:
            _forward_done(metrics, operation, error.problem.code.lower())
            raise
        _forward_done(metrics, operation, "replayed" if result.replayed else "performed")
        return _json(result.body, result.status)

    return forward_view


def _forward_done(metrics: OperationMetrics, operation: str, outcome: str) -> None:
    metrics.forward_outcome(operation, outcome)
    log.info("forward", operation=operation, outcome=outcome)


def _compensation_view(service: str, operation: str, undo: Undo[Any]) -> Callable[[str], Response]:
    def compensation_view(key: str) -> Response:
        require_idempotency_key(key)
        body = request.get_json(silent=True)
        reason = body.get("reason") if isinstance(body, Mapping) else None
        result = compensate(
            new_uow(),
            service=service,
            operation=operation,
            key=key,
            undo=undo,
            trace=trace_headers(dict(request.headers)),
            reason=str(reason) if reason is not None else None,
        )
        metrics: OperationMetrics = app_extension(OPERATION_METRICS)
        metrics.compensation_outcome(operation, str(result.body["status"]))
        return _json(result.body, result.status)

    return compensation_view


def _read_view(operation: str) -> Callable[[str], Response]:
    def read_view(key: str) -> Response:
        stored = read_operation(new_uow(), operation=operation, key=key)
        if stored is None:
            raise ProblemError(not_found_problem(f"no {operation} operation with key {key!r}"))
        return _json(stored.to_json(), 200)

    return read_view


def _json(body: Mapping[str, Any], status: int) -> Response:
    response = jsonify(dict(body))
    response.status_code = status
    return response
