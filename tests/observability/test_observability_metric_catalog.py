"""The metric catalog the rule and dashboard tests check against is the code's real one."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from tests.observability.observability_support import (
    declared_metric_names,
    exposed_metric_names,
    series_names,
)
from workers.observability import create_metrics
from zeebe.runtime.metrics import BrokerMetrics

pytestmark = pytest.mark.unit


def _registry_series(registry: CollectorRegistry) -> set[str]:
    names: set[str] = set()
    for family in registry.collect():
        names |= series_names(family.type.capitalize(), family.name)
    return names


def test_catalog_holds_every_worker_metric_a_live_registry_exposes() -> None:
    """DESIGN §5: workers expose step counters, latency histograms, compensation counters and
    breaker gauges; the source scan must find exactly what their registry serves."""
    live = _registry_series(create_metrics().registry)
    assert live
    assert live <= declared_metric_names()


def test_catalog_holds_every_engine_metric_a_live_registry_exposes() -> None:
    """DESIGN §5: engine metrics (commands, jobs, incidents, commit latency) are in the catalog."""
    live = _registry_series(BrokerMetrics().registry)
    assert "zeebe_commit_latency_seconds_bucket" in live
    assert live <= declared_metric_names()


def test_catalog_includes_the_flask_exporter_request_metrics() -> None:
    """Services use prometheus-flask-exporter (DESIGN §5); its request histogram is scraped."""
    assert "flask_http_request_duration_seconds_bucket" in exposed_metric_names()


def test_catalog_rejects_a_name_no_code_declares() -> None:
    """The catalog is a real filter: an invented metric is not in it."""
    assert "checkout_saga_invented_seconds_bucket" not in exposed_metric_names()
