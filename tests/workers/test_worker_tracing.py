"""Worker spans: a job continues the instance's trace, each service call is a CLIENT span whose
context is the `traceparent` header the service receives (DESIGN.md §5, issue 5)."""

from __future__ import annotations

from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, format_span_id, format_trace_id
from pyzeebe.errors import BusinessError
from worker_fakes import FakeResponse, FakeTransport, make_deps, make_job, ok, problem

from services.kit.span_capture import capture_spans
from workers.contract import TASKS_BY_TYPE
from workers.steps import run_step

pytestmark = pytest.mark.unit

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"
RESERVED = {"reservation_key": "r1", "items": [], "currency": "EUR", "status": "active"}


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return capture_spans()


def _reserve(transport: FakeTransport, variables: dict[str, Any]) -> dict[str, Any]:
    spec = TASKS_BY_TYPE["cart.reserve"]
    job = make_job(spec.type, spec.element_id, key=77, retries=2, variables=variables)
    return run_step(spec, job, variables, make_deps(transport))


def _by_kind(spans: InMemorySpanExporter, kind: SpanKind) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.kind is kind]


def test_job_span_is_a_child_of_the_traceparent_variable(spans: InMemorySpanExporter) -> None:
    """W3C Trace Context carried in the `traceparent` process variable: the job's CONSUMER span
    named after the task type continues that trace, its parent is the variable's span id."""
    _reserve(
        FakeTransport([ok(RESERVED)]),
        {"checkoutId": "co-1", "cartId": "c9", "traceparent": TRACEPARENT},
    )

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    assert job.name == "cart.reserve"
    assert format_trace_id(job.context.trace_id) == TRACE_ID
    assert job.parent is not None and format_span_id(job.parent.span_id) == PARENT_ID
    assert job.parent.is_remote


def test_job_span_carries_the_job_correlation_attributes(spans: InMemorySpanExporter) -> None:
    """Issue 5: job key, process instance key, checkout id, task type, element id, retries."""
    _reserve(
        FakeTransport([ok(RESERVED)]),
        {"checkoutId": "co-1", "cartId": "c9", "traceparent": TRACEPARENT},
    )

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    assert dict(job.attributes or {}) == {
        "zeebe.job.key": 77,
        "zeebe.job.type": "cart.reserve",
        "zeebe.job.retries": 2,
        "zeebe.process_instance.key": 2251799813685249,
        "zeebe.element.id": "cart-reserve",
        "checkout.id": "co-1",
    }


def test_service_call_is_a_client_span_whose_context_is_the_sent_header(
    spans: InMemorySpanExporter,
) -> None:
    """W3C Trace Context: the header sent names the CLIENT span as parent, so the service's
    SERVER span becomes its child; the CLIENT span is the job span's child."""
    transport = FakeTransport([ok(RESERVED)])
    _reserve(transport, {"checkoutId": "co-1", "cartId": "c9", "traceparent": TRACEPARENT})

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    (client,) = _by_kind(spans, SpanKind.CLIENT)
    assert client.name == "POST /v1/reservations"
    assert client.parent is not None and client.parent.span_id == job.context.span_id
    (sent,) = transport.sent
    span_id = format_span_id(client.context.span_id)
    assert sent.headers["traceparent"] == f"00-{TRACE_ID}-{span_id}-01"
    assert (client.attributes or {})["http.response.status_code"] == 200


def test_each_retried_attempt_is_its_own_client_span(spans: InMemorySpanExporter) -> None:
    """OpenTelemetry HTTP semantic conventions: every resend is a separate CLIENT span."""
    transport = FakeTransport([FakeResponse(503), ok(RESERVED)])
    _reserve(transport, {"checkoutId": "co-1", "cartId": "c9", "traceparent": TRACEPARENT})

    clients = _by_kind(spans, SpanKind.CLIENT)
    assert [span.status.status_code for span in clients] == [StatusCode.ERROR, StatusCode.UNSET]
    sent_parents = [sent.headers["traceparent"].split("-")[2] for sent in transport.sent]
    assert sent_parents == [format_span_id(span.context.span_id) for span in clients]


def test_bpmn_error_ends_the_job_span_with_error_status(spans: InMemorySpanExporter) -> None:
    """Issue 5: error status on failure or BPMN error (here a 422 business refusal)."""
    transport = FakeTransport([problem(422, "CART_EMPTY", "nothing to reserve")])
    with pytest.raises(BusinessError):
        _reserve(transport, {"checkoutId": "co-1", "cartId": "c9", "traceparent": TRACEPARENT})

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    assert job.status.status_code is StatusCode.ERROR
    assert any(event.name == "exception" for event in job.events)


def test_failed_job_ends_its_span_with_error_status(spans: InMemorySpanExporter) -> None:
    """A job that fails (no usable checkoutId: MalformedJobError) is an error span too."""
    with pytest.raises(Exception, match="checkoutId"):
        _reserve(FakeTransport([ok(RESERVED)]), {"cartId": "c9", "traceparent": TRACEPARENT})

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    assert job.status.status_code is StatusCode.ERROR


def test_job_without_trace_context_starts_a_new_trace(spans: InMemorySpanExporter) -> None:
    """No `traceparent` variable (an instance started elsewhere): a root span, still traced."""
    transport = FakeTransport([ok(RESERVED)])
    _reserve(transport, {"checkoutId": "co-1", "cartId": "c9"})

    (job,) = _by_kind(spans, SpanKind.CONSUMER)
    assert job.parent is None
    (sent,) = transport.sent
    assert sent.headers["traceparent"].split("-")[1] == format_trace_id(job.context.trace_id)
