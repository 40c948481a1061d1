"""A tiny OTLP/HTTP trace receiver for tests: decodes `ExportTraceServiceRequest` protobufs
posted to `/v1/traces` (the OTLP/HTTP binary encoding) and keeps the spans as plain values."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status as ProtoStatus

KINDS = {
    ProtoSpan.SPAN_KIND_INTERNAL: "INTERNAL",
    ProtoSpan.SPAN_KIND_SERVER: "SERVER",
    ProtoSpan.SPAN_KIND_CLIENT: "CLIENT",
    ProtoSpan.SPAN_KIND_PRODUCER: "PRODUCER",
    ProtoSpan.SPAN_KIND_CONSUMER: "CONSUMER",
}


@dataclass(frozen=True)
class ReceivedSpan:
    """One exported span, ids as lower-case hex (empty parent: a root span)."""

    service: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]
    error: bool


def _value(value: AnyValue) -> Any:
    field = value.WhichOneof("value")
    return getattr(value, field) if field else None


def decode(body: bytes) -> list[ReceivedSpan]:
    """The spans of one `ExportTraceServiceRequest`."""
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    found: list[ReceivedSpan] = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            found.extend(
                ReceivedSpan(
                    service=str(resource.get("service.name", "")),
                    name=span.name,
                    kind=KINDS.get(span.kind, "UNSPECIFIED"),
                    trace_id=span.trace_id.hex(),
                    span_id=span.span_id.hex(),
                    parent_span_id=span.parent_span_id.hex(),
                    attributes={a.key: _value(a.value) for a in span.attributes},
                    error=span.status.code == ProtoStatus.STATUS_CODE_ERROR,
                )
                for span in scope_spans.spans
            )
    return found


class OtlpReceiver:
    """Collects spans from every exporter that posts to it (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: list[ReceivedSpan] = []
        self.url = ""

    def add(self, spans: list[ReceivedSpan]) -> None:
        """Keep decoded spans."""
        with self._lock:
            self._spans.extend(spans)

    def spans(self, where: Callable[[ReceivedSpan], bool] = lambda _: True) -> list[ReceivedSpan]:
        """The spans received so far that match `where`."""
        with self._lock:
            return [span for span in self._spans if where(span)]


def _handler(receiver: OtlpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server dispatches to
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            receiver.add(decode(body))
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # the base class signature
            return None

    return Handler


@contextmanager
def otlp_receiver(port: int) -> Iterator[OtlpReceiver]:
    """Serve on 127.0.0.1:`port` for the block; `receiver.url` is the traces endpoint."""
    receiver = OtlpReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{port}/v1/traces"
    thread = threading.Thread(target=server.serve_forever, name="otlp-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
