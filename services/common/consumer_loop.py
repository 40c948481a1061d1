"""The retry loop shared by the Kafka consumers: a failed batch is retried, never skipped.

kafka-python moves a consumer's position past every record `poll` returned, so polling again
after a failed batch would skip it and the next commit would make the loss permanent. The loop
therefore keeps the failed batch and hands it to the handler again after an exponential back-off;
consumers deduplicate by event id (processed-message table), so re-applying the records of a
partly applied batch is a no-op.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind
from prometheus_client import Gauge

from services.kit import tracing

log = structlog.get_logger("services.common.consumer_loop")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: `base_s` after the first failure, doubling, capped at `max_s`."""

    base_s: float = 0.5
    max_s: float = 30.0

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures (>= 1)."""
        exponent = min(max(failures - 1, 0), 32)  # bound the power: no float overflow
        return float(min(self.base_s * (2**exponent), self.max_s))


def run_batches(
    poll: Callable[[], list[Item]],
    process: Callable[[list[Item]], object],
    stop: threading.Event,
    *,
    backoff: Backoff = Backoff(),
    name: str = "consumer",
) -> None:
    """Poll and process batches until `stop` is set; retry a failed batch after a back-off.

    `process` must apply the batch and commit its offsets; it is called again with the same
    batch until it returns without raising, and only then is the next batch polled.
    """
    pending: list[Item] = []
    failures = 0
    while not stop.is_set():
        try:
            pending = pending or poll()
            process(pending)
        except Exception:
            failures += 1
            delay = backoff.delay(failures)
            log.exception(f"{name}.batch_failed", pending=len(pending), retry_in_s=delay)
            stop.wait(delay)
            continue
        pending, failures = [], 0


@dataclass(frozen=True)
class Delivery:
    """One consumed Kafka record: its value, its headers (decoded) and its topic."""

    value: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    topic: str = ""

    @classmethod
    def of(cls, item: bytes | Delivery) -> Delivery:
        """A bare value (tests, older callers) is a delivery without headers."""
        return item if isinstance(item, Delivery) else cls(item)


def deliveries(batches: Mapping[Any, Sequence[Any]]) -> list[Delivery]:
    """A `poll` answer flattened in partition order, headers kept for the trace context."""
    return [_delivery(record) for records in batches.values() for record in records]


def _delivery(record: Any) -> Delivery:
    # getattr: record stand-ins (fakes, replays) may carry only a value.
    headers = getattr(record, "headers", None) or []
    decoded = {name: raw.decode("utf-8", "replace") for name, raw in headers}
    return Delivery(record.value, decoded, str(getattr(record, "topic", "") or ""))


def _messaging_attributes(group: str, topic: str) -> dict[str, str]:
    return {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.consumer.group.name": group,
        "messaging.destination.name": topic,
    }


@contextmanager
def consumer_span(delivery: Delivery, group: str) -> Iterator[Span]:
    """A current CONSUMER span `<topic> process` for one record, child of the producer span
    whose context the record's headers carry (OpenTelemetry messaging conventions)."""
    with tracing.start_span(
        f"{delivery.topic or group} process",
        kind=SpanKind.CONSUMER,
        parent=delivery.headers,
        attributes=_messaging_attributes(group, delivery.topic),
    ) as span:
        yield span


@contextmanager
def batch_span(batch: Sequence[Delivery], group: str) -> Iterator[Span]:
    """A current CONSUMER span for a batch handled in one transaction: a root span linked to
    every record's producer span (a batch has many parents; the conventions use links)."""
    contexts = (trace.get_current_span(tracing.extract(d.headers)) for d in batch)
    links = [Link(span.get_span_context()) for span in contexts if span.get_span_context().is_valid]
    attributes: dict[str, str | int] = {
        **_messaging_attributes(group, ""),
        "messaging.batch.message_count": len(batch),
    }
    with tracing.tracer().start_as_current_span(
        f"{group} process",
        context=Context(),  # a root: the records' contexts are links, none is the parent
        kind=SpanKind.CONSUMER,
        links=links,
        attributes=attributes,
    ) as span:
        yield span


def commit_quietly(source: Any, name: str) -> None:
    """Commit the polled offsets; a refusal is logged, not raised.

    A commit refused during a group rebalance only means the batch is delivered again, which
    per-event dedupe turns into a no-op; raising would stall the loop instead.
    """
    try:
        source.commit()
    except Exception as error:
        log.warning(f"{name}.commit_failed", error=str(error))


def kafka_lag(consumer: Any) -> int | None:
    """Records behind: sum over a KafkaConsumer's assigned partitions of high watermark minus
    position; None while a watermark is unknown (nothing fetched yet)."""
    total = 0
    for partition in consumer.assignment():
        highwater = consumer.highwater(partition)
        if highwater is None:
            return None
        total += max(highwater - consumer.position(partition), 0)
    return total


@dataclass(frozen=True)
class LagReporter:
    """Sets a consumer-lag gauge after each batch (DESIGN.md §5 consumer lag)."""

    gauge: Gauge
    measure: Callable[[], int | None]

    def report(self) -> None:
        """Measure and set; a failed measurement keeps the last value (and is logged)."""
        try:
            lag = self.measure()
        except Exception as error:
            log.warning("consumer.lag_unknown", error=str(error))
            return
        if lag is not None:
            self.gauge.set(lag)
