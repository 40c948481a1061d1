"""The bridge publishes each confirmation once, on PostgreSQL's processed-message table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine

from services.common.db import init_db, make_engine
from services.common.testing import create_test_database, drop_test_database, postgres_base_url
from services.confirmations.bridge import ConfirmationBridge, bridge_tables
from services.confirmations.mapping import Message

pytestmark = pytest.mark.integration


@dataclass
class RecordingPublisher:
    """Records published messages; can fail on demand like an unreachable engine."""

    messages: list[Message] = field(default_factory=list)
    fail: bool = False

    def publish(self, message: Message) -> None:
        if self.fail:
            raise ConnectionError("engine unreachable")
        self.messages.append(message)


@dataclass
class Record:
    value: bytes


class NoSource:
    """The bridge is driven through `handle` here."""

    def poll(self, timeout_ms: int = 0) -> dict[Any, list[Any]]:
        return {}

    def commit(self) -> None:
        """Nothing to commit."""

    def assignment(self) -> set[Any]:
        return {"payment.events-0"}


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh bridge database."""
    base = postgres_base_url(request)
    if base is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    url = create_test_database(base, "confirmations")
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_test_database(url)


def _event(event_id: str, status: str = "captured") -> bytes:
    payload = {
        "payment_id": "pay_1",
        "key": "co_0123456789abcdef01234567:payment-capture",
        "status": status,
    }
    value = {"event_id": event_id, "event_type": "payment.confirmed", "payload": payload}
    return json.dumps(value).encode()


def _bridge(engine: Engine, publisher: RecordingPublisher) -> ConfirmationBridge:
    metadata, processed = bridge_tables()
    init_db(engine, metadata)
    return ConfirmationBridge(engine, processed, NoSource(), publisher)


def test_a_redelivered_confirmation_is_published_once(engine: Engine) -> None:
    """Consumers are idempotent (DESIGN §4): processed-message table by event id."""
    publisher = RecordingPublisher()
    bridge = _bridge(engine, publisher)

    published = bridge.handle([_event("payment:1"), _event("payment:1")])

    assert published == 1
    assert [(m.correlation_key, m.message_id) for m in publisher.messages] == [
        ("pay_1", "payment:1")
    ]


def test_a_failed_publish_is_retried_on_redelivery(engine: Engine) -> None:
    """The event id is recorded in the publish's transaction: a failure leaves it unrecorded."""
    publisher = RecordingPublisher(fail=True)
    bridge = _bridge(engine, publisher)

    with pytest.raises(ConnectionError):
        bridge.handle([_event("payment:2", "declined")])
    publisher.fail = False
    published = bridge.handle([_event("payment:2", "declined")])

    assert published == 1
    assert publisher.messages[0].variables == {"paymentStatus": "declined"}


def test_the_bridge_is_ready_once_it_owns_partitions(engine: Engine) -> None:
    """Readiness (its /health) waits for the group assignment, so none of the first
    confirmations wait for a group join."""
    bridge = _bridge(engine, RecordingPublisher())

    assert not bridge.ready
    bridge.poll_once()
    assert bridge.ready


def test_each_polled_batch_reports_the_consumer_lag(engine: Engine) -> None:
    """Brief H18: `confirmations_consumer_lag` is refreshed after every batch (DESIGN §5)."""
    from prometheus_client import CollectorRegistry, Gauge

    from services.common.consumer_loop import LagReporter

    registry = CollectorRegistry()
    lags = [12, 3]
    bridge = _bridge(engine, RecordingPublisher())
    gauge = Gauge("confirmations_consumer_lag", "lag", registry=registry)
    bridge.lag = LagReporter(gauge, lambda: lags.pop(0))

    bridge.poll_once()
    assert registry.get_sample_value("confirmations_consumer_lag") == 12
    bridge.poll_once()
    assert registry.get_sample_value("confirmations_consumer_lag") == 3


def test_each_confirmation_is_handled_in_a_consumer_span_under_the_producer(
    engine: Engine,
) -> None:
    """Issue 5 tracing: the bridge continues the trace the payment relay put in the Kafka headers
    (a CONSUMER span `payment.events process`, child of the PRODUCER span)."""
    from opentelemetry.trace import SpanKind, format_span_id, format_trace_id

    from services.common.consumer_loop import Delivery
    from services.kit.span_capture import capture_spans

    spans = capture_spans()
    trace_id, producer = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    headers = {"traceparent": f"00-{trace_id}-{producer}-01"}
    bridge = _bridge(engine, RecordingPublisher())

    assert bridge.handle([Delivery(_event("payment:9"), headers, "payment.events")]) == 1

    (span,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert span.name == "payment.events process"
    assert format_trace_id(span.context.trace_id) == trace_id
    assert span.parent is not None and format_span_id(span.parent.span_id) == producer
