"""Spans at every hop of the saga outside the workers: the checkout API, the outbox relay's
Kafka publish and the two consumers (DESIGN.md §5, issue 5; OpenTelemetry messaging semantic
conventions: PRODUCER span per message, CONSUMER span child of it or linked to it)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, format_span_id, format_trace_id
from sqlalchemy import Connection, create_engine

from services.checkout.app import create_app
from services.checkout.consumer import StatusConsumer
from services.checkout.fake_store import FakeCheckoutStore
from services.checkout.store import Started
from services.common.consumer_loop import Delivery
from services.common.outbox_relay import KafkaPublisher, OutgoingMessage
from services.kit.span_capture import capture_spans
from services.loyalty.consumer import LoyaltyConsumer

pytestmark = pytest.mark.unit

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
ROW_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{ROW_SPAN}-01"
BODY = {"cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok_approve"}


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return capture_spans()


def _only(spans: InMemorySpanExporter, kind: SpanKind) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.kind is kind]


def _traceparent_of(span: ReadableSpan) -> str:
    trace_id = format_trace_id(span.context.trace_id)
    return f"00-{trace_id}-{format_span_id(span.context.span_id)}-01"


@dataclass
class _Starter:
    variables: list[dict[str, Any]] = field(default_factory=list)

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        self.variables.append(dict(variables))
        return Started(process_definition_key=1, process_instance_key=len(self.variables))


def _post_checkout(starter: _Starter, store: FakeCheckoutStore, key: str) -> Any:
    app = create_app({"STORE": store, "STARTER": starter})
    return app.test_client().post("/checkouts", json=BODY, headers={"Idempotency-Key": key})


def test_checkout_traceparent_variable_is_the_checkout_start_span(
    spans: InMemorySpanExporter,
) -> None:
    """Issue 5: the process variable `traceparent` (bpmn/README.md start variables) is the
    injected context of the `checkout.start` span, a child of the POST /checkouts SERVER span."""
    starter = _Starter()
    assert _post_checkout(starter, FakeCheckoutStore(), "k-1").status_code == 202

    (server,) = _only(spans, SpanKind.SERVER)
    (start,) = [span for span in spans.get_finished_spans() if span.name == "checkout.start"]
    assert server.name == "POST /checkouts"
    assert start.parent is not None and start.parent.span_id == server.context.span_id
    (variables,) = starter.variables
    assert variables["traceparent"].split("-")[:3] == _traceparent_of(start).split("-")[:3]


def test_idempotent_replay_keeps_the_stored_traceparent(spans: InMemorySpanExporter) -> None:
    """A repeated Idempotency-Key answers the first checkout: its stored trace context, no new
    saga (so the first trace stays the checkout's only trace)."""
    starter, store = _Starter(), FakeCheckoutStore()
    first = _post_checkout(starter, store, "k-2").get_json()["checkoutId"]
    _post_checkout(starter, store, "k-2")

    assert len(starter.variables) == 1
    assert store.get(first) is not None
    assert store.get(first).traceparent == starter.variables[0]["traceparent"]  # type: ignore[union-attr]


@dataclass
class _Future:
    error: Exception | None = None

    def get(self, timeout: float) -> None:
        if self.error is not None:
            raise self.error


@dataclass
class _Producer:
    sent: list[dict[str, bytes]] = field(default_factory=list)
    error: Exception | None = None

    def send(self, topic: str, *, key: bytes, value: bytes, headers: Any) -> _Future:
        self.sent.append(dict(headers))
        return _Future(self.error)

    def flush(self, timeout: float) -> None:
        return None


def _message() -> OutgoingMessage:
    headers = {"traceparent": TRACEPARENT, "event_id": "cart:7", "event_type": "cart.reserved"}
    return OutgoingMessage("cart.events", "agg-1", {"event_id": "cart:7"}, headers)


def test_relay_publish_is_a_producer_span_child_of_the_stored_context(
    spans: InMemorySpanExporter,
) -> None:
    """Messaging conventions: a PRODUCER span `<topic> publish` per message; its parent is the
    context stored with the outbox row, and the Kafka `traceparent` header is its own."""
    producer = _Producer()
    KafkaPublisher("unused:0", producer=producer).publish([_message()])

    (span,) = _only(spans, SpanKind.PRODUCER)
    assert span.name == "cart.events publish"
    assert span.parent is not None and format_span_id(span.parent.span_id) == ROW_SPAN
    assert (span.attributes or {})["messaging.message.id"] == "cart:7"
    (headers,) = producer.sent
    assert headers["traceparent"].decode() == _traceparent_of(span)
    assert headers["event_type"] == b"cart.reserved"


def test_unacknowledged_publish_ends_the_producer_span_with_error(
    spans: InMemorySpanExporter,
) -> None:
    """A message the broker did not acknowledge is a failed send: ERROR status, exception."""
    producer = _Producer(error=TimeoutError("no ack"))
    with pytest.raises(TimeoutError):
        KafkaPublisher("unused:0", producer=producer).publish([_message()])

    (span,) = _only(spans, SpanKind.PRODUCER)
    assert span.status.status_code is StatusCode.ERROR


def _order_event() -> bytes:
    body = {
        "event_id": "order:o1:order.created",
        "event_type": "order.created",
        "aggregate_type": "order",
        "aggregate_id": "o1",
        "occurred_at": "2026-01-01T00:00:00+00:00",
        "payload": {"order_id": "o1", "customer_id": "c1", "total": 2500},
    }
    return json.dumps(body).encode()


def test_loyalty_handles_each_record_in_a_consumer_span_child_of_the_producer(
    spans: InMemorySpanExporter,
) -> None:
    """Messaging conventions: the CONSUMER span `<topic> process` continues the context in the
    record's headers (the relay's PRODUCER span)."""

    def apply(conn: Connection, tables: Any, event: Any) -> bool:
        return True

    consumer = LoyaltyConsumer(create_engine("sqlite://"), None, None, apply=apply)  # type: ignore[arg-type]
    record = Delivery(_order_event(), {"traceparent": TRACEPARENT}, "order.events")
    assert consumer.handle([record]) == 1

    (span,) = _only(spans, SpanKind.CONSUMER)
    assert span.name == "order.events process"
    assert format_trace_id(span.context.trace_id) == TRACE_ID
    assert span.parent is not None and format_span_id(span.parent.span_id) == ROW_SPAN


def test_checkout_status_batch_span_links_every_record(spans: InMemorySpanExporter) -> None:
    """A batch stored in one transaction has many producers: one CONSUMER span linked to each
    record's context (messaging conventions, batch processing)."""
    other = f"00-{'1' * 32}-{'2' * 16}-01"
    records = [
        Delivery(b"{}", {"traceparent": TRACEPARENT}, "cart.events"),
        Delivery(b"{}", {"traceparent": other}, "payment.events"),
    ]
    StatusConsumer(FakeCheckoutStore(), None).handle(records)  # type: ignore[arg-type]

    (span,) = _only(spans, SpanKind.CONSUMER)
    linked = {format_trace_id(link.context.trace_id) for link in span.links}
    assert linked == {TRACE_ID, "1" * 32}
    assert span.parent is None
