"""Alert rules (DESIGN §5): expressions parse and name metrics the code exposes."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.observability.observability_support import OBSERVABILITY, exposed_metric_names
from tests.observability.test_observability_dashboards import metric_names

pytestmark = pytest.mark.unit

ALERTS = OBSERVABILITY / "prometheus" / "alerts.yml"


def _rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_the_design_alerts_are_defined() -> None:
    """DESIGN §5 names compensation rate, saga latency and consumer lag; the briefs add circuit
    breaker open, incidents rising and (H18) saga p99 on the saga histogram and outbox backlog."""
    assert {r["alert"] for r in _rules()} >= {
        "CheckoutCompensationRateHigh",
        "CheckoutSagaLatencyHigh",
        "CheckoutStepLatencyHigh",
        "LoyaltyConsumerLagHigh",
        "SagaConsumerLagHigh",
        "OutboxBacklogHigh",
        "WorkerCircuitBreakerOpen",
        "EngineIncidentsRising",
    }


def test_every_rule_names_only_exposed_metrics() -> None:
    """No invented metric names: each selector is declared in the code."""
    exposed = exposed_metric_names()
    for rule in _rules():
        names = metric_names(rule["expr"])
        assert names, rule["alert"]
        assert names <= exposed, f"{rule['alert']}: unknown {sorted(names - exposed)}"


def test_every_rule_has_a_severity_and_a_summary() -> None:
    """Alertmanager routes on severity; the summary is what a pager shows."""
    for rule in _rules():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]


def test_thresholds_match_the_design() -> None:
    """DESIGN §5 thresholds: compensation rate > 2 %, latency > 5 s, consumer lag > 5000."""
    by_name = {r["alert"]: " ".join(r["expr"].split()) for r in _rules()}
    assert by_name["CheckoutCompensationRateHigh"].endswith("> 0.02")
    assert by_name["CheckoutStepLatencyHigh"].endswith("> 5")
    assert by_name["LoyaltyConsumerLagHigh"].endswith("> 5000")
    assert by_name["CheckoutSagaLatencyHigh"].endswith("> 5")
    assert "checkout_saga_duration_seconds_bucket" in by_name["CheckoutSagaLatencyHigh"]
    assert by_name["SagaConsumerLagHigh"].count("> 5000") == 2


def test_every_alert_has_a_promtool_case() -> None:
    """Each alert is exercised by at least one alert_rule_test in alerts_test.yml."""
    tests = yaml.safe_load((ALERTS.parent / "alerts_test.yml").read_text(encoding="utf-8"))
    tested = {case["alertname"] for t in tests["tests"] for case in t["alert_rule_test"]}
    assert {r["alert"] for r in _rules()} == tested
