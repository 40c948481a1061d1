"""Flask plumbing shared by every service: problem handlers, /health, /metrics, server spans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import CollectorRegistry
from prometheus_flask_exporter import PrometheusMetrics
from werkzeug.exceptions import HTTPException

from services.common.metrics import OPERATION_METRICS, operation_metrics
from services.common.problems import PROBLEM_CONTENT_TYPE, Problem, ProblemError, http_problem
from services.kit import tracing

HealthCheck = Callable[[], None]
log = structlog.get_logger("services.common.web")


def problem_response(problem: Problem) -> Response:
    """Serialise a problem for the current request."""
    response = jsonify(problem.to_json(request.path))
    response.status_code = problem.status
    response.mimetype = PROBLEM_CONTENT_TYPE
    return response


def _on_problem(error: ProblemError) -> Response:
    return problem_response(error.problem)


def _on_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    return problem_response(http_problem(status, error.name, error.description or error.name))


def _on_unexpected(error: Exception) -> Response:
    # A bug, not bad input: log it with the traceback, answer with a problem, never HTML.
    log.exception("unhandled_error", path=request.path)
    trace.get_current_span().record_exception(error)
    return problem_response(http_problem(500, "Internal Server Error", "unexpected error"))


def health_blueprint(service: str, check: HealthCheck) -> Blueprint:
    """`GET /health`: 200 after a real dependency round trip, else 503 problem."""
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/health")
    def health() -> Any:
        try:
            check()
        except Exception as error:
            log.warning("health_check_failed", service=service, error=str(error))
            detail = f"{service} database unreachable"
            return problem_response(http_problem(503, "Service Unavailable", detail))
        return jsonify({"status": "ok", "service": service})

    return blueprint


def build_app(
    service: str, *, health_check: HealthCheck, blueprints: list[Blueprint], config: dict[str, Any]
) -> Flask:
    """Composition root helper: a Flask app with problem handlers, health and metrics."""
    app = Flask(f"services.{service}")
    app.config.update(config)
    app.config["SERVICE_NAME"] = service
    app.register_error_handler(ProblemError, _on_problem)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
    # The span first: the log binding below reads its trace id.
    app.before_request(_start_server_span)
    app.before_request(_bind_correlation_ids)
    app.after_request(_record_status)
    app.teardown_request(_unbind_correlation_ids)
    app.teardown_request(_end_server_span)
    app.register_blueprint(health_blueprint(service, health_check))
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    # A registry per app: several apps in one test process must not collide.
    registry = CollectorRegistry()
    metrics = PrometheusMetrics(app, registry=registry, default_labels={})
    metrics.info("service_info", "Service information", service=service)
    app.extensions["prometheus_metrics"] = metrics
    app.extensions[OPERATION_METRICS] = operation_metrics(registry)
    return app


def _bind_correlation_ids() -> None:
    """Every log line of a request carries its idempotency key and trace context."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(
        method=request.method,
        path=request.path,
        idempotency_key=request.headers.get("Idempotency-Key"),
        traceparent=request.headers.get("traceparent"),
        trace_id=tracing.trace_id(),
    )


def _unbind_correlation_ids(_error: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()


# Probes and scrapes every few seconds would bury the saga traces in one-span root traces.
UNTRACED_PATHS = frozenset({"/health", "/metrics"})


def _start_server_span() -> None:
    """A SERVER span per request, child of the caller's `traceparent`, current until teardown."""
    if request.path in UNTRACED_PATHS:
        return
    rule = request.url_rule.rule if request.url_rule is not None else None
    span = tracing.tracer().start_span(
        f"{request.method} {rule}" if rule else request.method,
        context=tracing.extract(dict(request.headers)),
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": request.method,
            "url.path": request.path,
            "http.route": rule or "",
        },
    )
    g.otel_span = span
    g.otel_token = otel_context.attach(trace.set_span_in_context(span))


def _record_status(response: Response) -> Response:
    """The answer's status on the span; a 5xx is an error of this server (a 4xx is the caller's)."""
    span = g.get("otel_span")
    if span is not None:
        span.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:
            span.set_status(Status(StatusCode.ERROR, f"HTTP {response.status_code}"))
    return response


def _end_server_span(error: BaseException | None) -> None:
    span = g.pop("otel_span", None)
    token = g.pop("otel_token", None)
    if span is None:
        return
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()
    if token is not None:
        otel_context.detach(token)


def app_extension(name: str) -> Any:
    """Read a composition-root object stored in `app.extensions`."""
    return current_app.extensions[name]
