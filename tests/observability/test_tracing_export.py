"""A process configured by `configure_tracing` really exports: OTLP/HTTP protobuf to a receiver,
or JSON to stdout, with its service name, and flushes what is still batched when it exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from otlp_receiver import otlp_receiver

from stack.ports import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = textwrap.dedent(
    """
    from opentelemetry.trace import SpanKind
    from services.kit.tracing import configure_tracing, start_span

    configure_tracing("cart")
    with start_span("parent", kind=SpanKind.SERVER):
        with start_span("child"):
            pass
    """
)


def _run(env: dict[str, str], script: str = SCRIPT) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_otlp_exporter_posts_the_spans_to_the_endpoint_before_exit() -> None:
    """OTLP/HTTP: `ExportTraceServiceRequest` posted to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; the
    BatchSpanProcessor is flushed at exit, so a short-lived process loses nothing."""
    with otlp_receiver(free_port("127.0.0.1")) as receiver:
        _run({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.url})
        spans = {span.name: span for span in receiver.spans()}

    assert set(spans) == {"parent", "child"}
    assert {span.service for span in spans.values()} == {"cart"}
    assert spans["parent"].kind == "SERVER"
    assert spans["child"].parent_span_id == spans["parent"].span_id
    assert spans["child"].trace_id == spans["parent"].trace_id


def test_otel_service_name_overrides_the_process_name() -> None:
    """SDK env spec: OTEL_SERVICE_NAME sets the `service.name` resource attribute."""
    with otlp_receiver(free_port("127.0.0.1")) as receiver:
        _run({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url.removesuffix("/v1/traces"),
              "OTEL_SERVICE_NAME": "cart-eu"})  # fmt: skip
        services = {span.service for span in receiver.spans()}

    assert services == {"cart-eu"}


def test_console_exporter_writes_each_span_to_stdout() -> None:
    """`OTEL_TRACES_EXPORTER=console`: the SDK's ConsoleSpanExporter (one JSON object a span)."""
    out = _run({"OTEL_TRACES_EXPORTER": "console"}).stdout
    decoder, names, index = json.JSONDecoder(), [], 0
    while index < len(out):
        if out[index].isspace():
            index += 1
            continue
        span, index = decoder.raw_decode(out, index)
        names.append((span["name"], span["resource"]["attributes"]["service.name"]))

    assert sorted(names) == [("child", "cart"), ("parent", "cart")]


def test_disabled_sdk_exports_nothing() -> None:
    """OTEL_SDK_DISABLED=true wins over an exporter setting."""
    with otlp_receiver(free_port("127.0.0.1")) as receiver:
        _run({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.url})
        assert receiver.spans() == []


def test_with_the_sdk_disabled_the_incoming_context_flows_on_unchanged() -> None:
    """OpenTelemetry API without an SDK: a span started under a remote parent is that parent
    (non-recording), so a job still sends its instance's `traceparent` to the service."""
    script = textwrap.dedent(
        """
        from services.kit.tracing import configure_tracing, inject, start_span

        configure_tracing("workers")
        parent = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
        with start_span("cart.reserve", parent=parent):
            with start_span("POST /v1/reservations"):
                print(inject()["traceparent"])
        """
    )
    out = _run({"OTEL_SDK_DISABLED": "true"}, script).stdout

    assert out.strip() == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
