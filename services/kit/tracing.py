"""OpenTelemetry tracing: one SDK TracerProvider per process and the few helpers every hop uses.

Services, workers, relays and consumers call `configure_tracing(name)` once at start-up; the
exporter follows the standard environment variables:

- `OTEL_TRACES_EXPORTER`: `otlp` (OTLP/HTTP protobuf, batched), `console`, `none`, or a comma
  list; unset means `otlp` when an OTLP endpoint is set, else `none` (spans are still created so
  the W3C context propagates, nothing is exported);
- `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT`
  (+ `/v1/traces`);
- `OTEL_SDK_DISABLED=true`: no SDK at all; the API's no-op tracer still forwards an incoming
  context unchanged, so a trace started upstream keeps flowing;
- `OTEL_SERVICE_NAME` overrides the process's own name; `OTEL_RESOURCE_ATTRIBUTES`,
  `OTEL_TRACES_SAMPLER` and `OTEL_PROPAGATORS` are read by the SDK itself.

Context crosses process boundaries only through the global propagator (W3C `traceparent` and
`tracestate`, plus baggage): never parsed or built by hand here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.trace import Span, SpanKind
from opentelemetry.util.types import Attributes

__all__ = [
    "EXPORTERS",
    "INSTRUMENTATION",
    "TRACE_HEADERS",
    "configure_tracing",
    "exporter_names",
    "extract",
    "inject",
    "otlp_traces_endpoint",
    "start_span",
    "trace_id",
    "tracer",
]

INSTRUMENTATION = "checkout_saga"
"""The instrumentation scope of every span this project creates."""

TRACE_HEADERS = ("traceparent", "tracestate")
"""The W3C trace-context carrier keys (HTTP headers, Kafka headers, outbox rows)."""

_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_DEFAULT_OTLP_ENDPOINT = "http://localhost:4318"


def otlp_traces_endpoint(env: Mapping[str, str]) -> str:
    """The OTLP/HTTP traces URL: the signal variable as is, else the base one + `/v1/traces`."""
    signal = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip()
    if signal:
        return signal
    base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip() or _DEFAULT_OTLP_ENDPOINT
    return f"{base.rstrip('/')}/v1/traces"


def _otlp(env: Mapping[str, str]) -> SpanProcessor:
    # Imported here: only processes that export need the exporter's protobuf code loaded.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_traces_endpoint(env)))


def _console(_env: Mapping[str, str]) -> SpanProcessor:
    return SimpleSpanProcessor(ConsoleSpanExporter())


EXPORTERS: dict[str, Callable[[Mapping[str, str]], SpanProcessor] | None] = {
    "otlp": _otlp,
    "console": _console,
    "none": None,
}
"""`OTEL_TRACES_EXPORTER` values and the span processor each one installs (`none`: nothing)."""


def exporter_names(env: Mapping[str, str]) -> tuple[str, ...]:
    """The exporters `OTEL_TRACES_EXPORTER` asks for; an unknown name stops the process."""
    raw = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if not raw:
        endpoint_set = any(env.get(name, "").strip() for name in _ENDPOINT_VARIABLES)
        return ("otlp",) if endpoint_set else ("none",)
    names = tuple(name.strip() for name in raw.split(",") if name.strip())
    unknown = [name for name in names if name not in EXPORTERS]
    if unknown:
        choices = ", ".join(EXPORTERS)
        raise SystemExit(f"OTEL_TRACES_EXPORTER: unknown exporter {unknown[0]!r} ({choices})")
    return names


def configure_tracing(
    service_name: str, env: Mapping[str, str] = os.environ
) -> TracerProvider | None:
    """Install the process's SDK TracerProvider (once; later calls return the first one).

    Returns None when `OTEL_SDK_DISABLED=true`. The provider flushes its exporters at exit
    (SIGTERM is turned into a normal exit by every entry point).
    """
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    name = env.get("OTEL_SERVICE_NAME", "").strip() or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    for exporter in exporter_names(env):
        factory = EXPORTERS[exporter]
        if factory is not None:
            provider.add_span_processor(factory(env))
    trace.set_tracer_provider(provider)
    return provider


@functools.cache
def tracer() -> trace.Tracer:
    """The project's tracer (a proxy until a provider is installed, then the SDK's)."""
    return trace.get_tracer(INSTRUMENTATION)


def extract(carrier: Mapping[str, str]) -> Context:
    """The remote parent carried by `carrier` (HTTP or Kafka headers, outbox row, variables);
    header names match case-insensitively, as HTTP says (the propagator's getter does not)."""
    return propagate.extract({name.lower(): value for name, value in carrier.items()})


def inject(context: Context | None = None) -> dict[str, str]:
    """The carrier headers of `context` (default: the current one); empty without a span."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=context)
    return carrier


def trace_id(span: Span | None = None) -> str | None:
    """The 32-hex trace id of `span` (default: the current span), None when it has none."""
    context = (span or trace.get_current_span()).get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else None


def start_span(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    parent: Mapping[str, str] | None = None,
    attributes: Attributes = None,
) -> AbstractContextManager[Span]:
    """A current span for a `with` block: child of `parent`'s remote context when one is given,
    else of the current span. An exception ends it with ERROR status and is re-raised."""
    context = extract(parent) if parent is not None else None
    # The SDK's own context manager, not a wrapper around it: one generator less per hop.
    return tracer().start_as_current_span(name, context=context, kind=kind, attributes=attributes)
