"""Micro-benchmark (not a test): CPU per hop of the tracing added to the saga.

`.venv/bin/python tests/observability/bench_tracing.py [N]` times N (2000) iterations of each
hop's span work with an SDK provider, first without a span processor (`OTEL_TRACES_EXPORTER`
unset or `none`: spans are made, nothing is exported), then with a batch processor whose exporter
drops the spans (`otlp` minus the export thread), and last the export thread's OTLP protobuf
encoding per span:

- server: extract the caller's `traceparent`, start a SERVER span, make it current, end it;
- client: start a CLIENT span as a child of the current one and inject its `traceparent`;
- job: extract the job's `traceparent` variable and run an empty CONSUMER span;
- producer: the relay's PRODUCER span and Kafka headers for one message.

Prints microseconds per hop (best of 5 runs).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import SpanKind

from services.common.outbox_relay import OutgoingMessage, producer_span, record_headers
from services.kit import tracing

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
HEADERS = {"Traceparent": TRACEPARENT, "Content-Type": "application/json", "Host": "cart"}


class _Drop(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def _server() -> None:
    span = tracing.tracer().start_span(
        "POST /v1/reservations", context=tracing.extract(HEADERS), kind=SpanKind.SERVER
    )
    token = otel_context.attach(trace.set_span_in_context(span))
    span.set_attribute("http.response.status_code", 200)
    span.end()
    otel_context.detach(token)


def _client() -> None:
    with tracing.start_span("POST /v1/reservations", kind=SpanKind.CLIENT):
        tracing.inject()


def _job() -> None:
    with tracing.start_span(
        "cart.reserve", kind=SpanKind.CONSUMER, parent={"traceparent": TRACEPARENT}
    ):
        pass


MESSAGE = OutgoingMessage("cart.events", "agg", {}, {"traceparent": TRACEPARENT, "event_id": "c:1"})


def _producer() -> None:
    span = producer_span(MESSAGE)
    record_headers(MESSAGE, span)
    span.end()


def _per_call_us(hop: Callable[[], None], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(n):
            hop()
        best = min(best, time.perf_counter() - started)
    return best / n * 1e6


HOPS = {"server": _server, "client": _client, "job": _job, "producer": _producer}


class _Keep(SpanExporter):
    def __init__(self) -> None:
        self.spans: list[ReadableSpan] = []

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS


def _encoding_us(provider: TracerProvider, n: int) -> float:
    """OTLP protobuf encoding per span, as the export thread does it for a batch."""
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

    kept = _Keep()
    provider.add_span_processor(SimpleSpanProcessor(kept))
    for _ in range(n // 4):
        for hop in HOPS.values():
            hop()
    started = time.perf_counter()
    encode_spans(kept.spans).SerializeToString()
    return (time.perf_counter() - started) / len(kept.spans) * 1e6


def main(argv: Sequence[str]) -> None:
    """Install a recording provider and print µs per hop."""
    n = int(argv[0]) if argv else 2000
    provider = TracerProvider()
    trace.set_tracer_provider(provider)
    for name, hop in HOPS.items():
        print(f"none   {name:9s} {_per_call_us(hop, n):7.1f} us per hop (N={n})")
    provider.add_span_processor(BatchSpanProcessor(_Drop(), max_queue_size=1_000_000))
    for name, hop in HOPS.items():
        print(f"batch  {name:9s} {_per_call_us(hop, n):7.1f} us per hop (N={n})")
    print(f"otlp   encoding  {_encoding_us(provider, n):7.1f} us per span (export thread)")
    provider.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
