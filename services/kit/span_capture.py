"""Test support: collect the process's finished spans in memory (OpenTelemetry SDK exporter).

The global TracerProvider can be set once per process, so every test module shares one
provider and one in-memory exporter; `capture_spans()` empties it for the calling test.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

__all__ = ["capture_spans"]

_EXPORTERS: list[InMemorySpanExporter] = []  # at most one: the provider is process-wide too


def capture_spans() -> InMemorySpanExporter:
    """The process-wide in-memory exporter, cleared; installs an SDK provider if none is set."""
    if not _EXPORTERS:
        provider = trace.get_tracer_provider()
        if not isinstance(provider, TracerProvider):
            provider = TracerProvider(resource=Resource.create({"service.name": "tests"}))
            trace.set_tracer_provider(provider)
        exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        _EXPORTERS.append(exporter)
    _EXPORTERS[0].clear()
    return _EXPORTERS[0]
