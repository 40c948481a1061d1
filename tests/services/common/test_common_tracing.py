"""Service spans: a SERVER span per request continues the caller's `traceparent`, and outbox rows
store that span's context for the relay (DESIGN.md §5, CONTRACT.md 6, issue 5)."""

from __future__ import annotations

from typing import Any

import pytest
import structlog
from flask import Blueprint, Flask
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, format_span_id, format_trace_id

from services.common.outbox import trace_headers
from services.common.problems import ProblemError, http_problem
from services.common.web import build_app
from services.kit.span_capture import capture_spans

pytestmark = pytest.mark.unit

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN}-01"


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return capture_spans()


def _app(seen: dict[str, Any]) -> Flask:
    blueprint = Blueprint("probe", __name__)

    @blueprint.post("/v1/reservations/<key>/compensation")
    def compensate(key: str) -> Any:
        seen["outbox"] = trace_headers({"traceparent": "00-ignored-request-header-01"})
        seen["log"] = structlog.contextvars.get_contextvars()
        return {"key": key}

    @blueprint.post("/v1/refused")
    def refused() -> Any:
        raise ProblemError(http_problem(422, "Unprocessable Entity", "no"))

    @blueprint.get("/boom")
    def boom() -> Any:
        raise RuntimeError("bug")

    return build_app("cart", health_check=lambda: None, blueprints=[blueprint], config={})


def _server(spans: InMemorySpanExporter) -> ReadableSpan:
    (span,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    return span


def test_server_span_is_named_by_method_and_route_and_continues_the_caller(
    spans: InMemorySpanExporter,
) -> None:
    """W3C Trace Context: the incoming `traceparent` is the parent; HTTP semantic conventions:
    a SERVER span named `METHOD route` with the request method, route and response status."""
    _app({}).test_client().post(
        "/v1/reservations/co-1:cart-reserve/compensation", headers={"traceparent": TRACEPARENT}
    )

    span = _server(spans)
    assert span.name == "POST /v1/reservations/<key>/compensation"
    assert format_trace_id(span.context.trace_id) == TRACE_ID
    assert span.parent is not None and format_span_id(span.parent.span_id) == CALLER_SPAN
    attributes = dict(span.attributes or {})
    assert attributes["http.request.method"] == "POST"
    assert attributes["http.route"] == "/v1/reservations/<key>/compensation"
    assert attributes["http.response.status_code"] == 200
    assert span.status.status_code is StatusCode.UNSET


def test_request_without_traceparent_starts_a_new_trace(spans: InMemorySpanExporter) -> None:
    """A call from outside any trace (a shop client) is the root of a new trace."""
    _app({}).test_client().post("/v1/refused")

    span = _server(spans)
    assert (span.name, span.parent) == ("POST /v1/refused", None)


def test_health_probes_and_metric_scrapes_are_not_traced(spans: InMemorySpanExporter) -> None:
    """Kubernetes probes and Prometheus scrapes every few seconds are not saga work: no span."""
    client = _app({}).test_client()
    assert client.get("/health").status_code == 200
    assert client.get("/metrics").status_code == 200

    assert spans.get_finished_spans() == ()


def test_outbox_rows_store_the_server_span_context(spans: InMemorySpanExporter) -> None:
    """Issue 5: the outbox row stores the context of the current span (not the caller's header),
    so the relay's PRODUCER span is a child of the request that wrote the event."""
    seen: dict[str, Any] = {}
    _app(seen).test_client().post(
        "/v1/reservations/k/compensation", headers={"traceparent": TRACEPARENT}
    )

    span_id = format_span_id(_server(spans).context.span_id)
    assert seen["outbox"] == {"traceparent": f"00-{TRACE_ID}-{span_id}-01"}


def test_request_logs_carry_the_trace_id(spans: InMemorySpanExporter) -> None:
    """DESIGN.md 5: log lines of a request carry its trace id, the one the spans are filed under."""
    seen: dict[str, Any] = {}
    _app(seen).test_client().post(
        "/v1/reservations/k/compensation", headers={"traceparent": TRACEPARENT}
    )

    assert seen["log"]["trace_id"] == TRACE_ID


def test_a_business_refusal_is_not_a_server_error(spans: InMemorySpanExporter) -> None:
    """HTTP semantic conventions: a 4xx is the caller's fault; the SERVER span stays UNSET."""
    _app({}).test_client().post("/v1/refused")

    span = _server(spans)
    assert (span.attributes or {})["http.response.status_code"] == 422
    assert span.status.status_code is StatusCode.UNSET


def test_a_bug_ends_the_server_span_with_error_and_the_exception(
    spans: InMemorySpanExporter,
) -> None:
    """HTTP semantic conventions: a 5xx SERVER span has ERROR status; the exception is recorded."""
    _app({}).test_client().get("/boom")

    span = _server(spans)
    assert span.status.status_code is StatusCode.ERROR
    assert [event.name for event in span.events] == ["exception"]


def test_outside_a_span_outbox_headers_come_from_the_request(spans: InMemorySpanExporter) -> None:
    """CONTRACT.md 6: without a current span (SDK disabled upstream) the request's W3C headers
    are kept as they came, nothing else."""
    headers = {"Traceparent": TRACEPARENT, "Authorization": "secret", "tracestate": "x=1"}

    assert trace_headers(headers) == {"traceparent": TRACEPARENT, "tracestate": "x=1"}
