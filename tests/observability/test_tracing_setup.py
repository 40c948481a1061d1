"""`configure_tracing`: the exporter chosen from the standard OTEL_* variables (OpenTelemetry SDK
environment variable specification), decided without touching the process's provider."""

from __future__ import annotations

import pytest

from services.kit.span_capture import capture_spans
from services.kit.tracing import configure_tracing, exporter_names, otlp_traces_endpoint

pytestmark = pytest.mark.unit


def test_without_exporter_or_endpoint_nothing_is_exported() -> None:
    """Issue 5: `none` is the default when no OTLP endpoint is set (spans still propagate)."""
    assert exporter_names({}) == ("none",)


@pytest.mark.parametrize(
    "variable", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
)
def test_an_otlp_endpoint_alone_selects_the_otlp_exporter(variable: str) -> None:
    """An endpoint without OTEL_TRACES_EXPORTER means OTLP (the SDK's own default exporter)."""
    assert exporter_names({variable: "http://collector:4318"}) == ("otlp",)


def test_exporters_are_a_comma_separated_list() -> None:
    """SDK env spec: OTEL_TRACES_EXPORTER is a comma-separated list; `none` exports nothing."""
    assert exporter_names({"OTEL_TRACES_EXPORTER": "Console, otlp"}) == ("console", "otlp")


def test_an_unknown_exporter_stops_the_process_naming_the_variable() -> None:
    """A typo must not silently drop every span."""
    with pytest.raises(SystemExit, match="OTEL_TRACES_EXPORTER: unknown exporter 'jaeger'"):
        exporter_names({"OTEL_TRACES_EXPORTER": "jaeger"})


def test_the_traces_endpoint_variable_is_used_as_is() -> None:
    """OTLP exporter spec: the per-signal URL is used as is."""
    env = {
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://tempo:4318/custom",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318",
    }
    assert otlp_traces_endpoint(env) == "http://tempo:4318/custom"


def test_the_base_endpoint_gets_the_traces_path() -> None:
    """OTLP exporter spec: the base URL gets `v1/traces` appended (one slash)."""
    assert otlp_traces_endpoint({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/"}) == (
        "http://c:4318/v1/traces"
    )
    assert otlp_traces_endpoint({}) == "http://localhost:4318/v1/traces"


def test_sdk_disabled_installs_nothing() -> None:
    """SDK env spec: OTEL_SDK_DISABLED=true disables the SDK (the API's no-op remains)."""
    assert configure_tracing("cart", {"OTEL_SDK_DISABLED": "true"}) is None


def test_a_second_configuration_keeps_the_first_provider() -> None:
    """Once per process: the global TracerProvider cannot be replaced, so later calls (the
    loyalty entry point, then `serve_wsgi`) return the installed one."""
    capture_spans()  # installs a provider if this process has none yet
    first = configure_tracing("loyalty", {})
    assert first is not None
    assert configure_tracing("other", {"OTEL_TRACES_EXPORTER": "console"}) is first
