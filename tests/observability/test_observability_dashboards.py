"""Grafana dashboards: valid JSON, every PromQL expression parses and names real metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import promql_parser
import pytest

from tests.observability.observability_support import OBSERVABILITY, exposed_metric_names

pytestmark = pytest.mark.unit

DASHBOARDS = sorted((OBSERVABILITY / "grafana").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _expressions(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]


def metric_names(expr: str) -> set[str]:
    """Metric names of every selector in a PromQL expression (raises if it does not parse)."""
    names: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def test_the_three_dashboards_exist() -> None:
    """DESIGN §5 asks for Grafana dashboards: saga overview, workers, engine."""
    assert [p.stem for p in DASHBOARDS] == ["engine", "saga-overview", "workers"]


def test_dashboards_have_unique_uids_and_titles() -> None:
    """Grafana identifies dashboards by uid; two files with one uid overwrite each other."""
    dashboards = [_load(p) for p in DASHBOARDS]
    assert len({d["uid"] for d in dashboards}) == len(dashboards)
    assert all(d["title"] for d in dashboards)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_every_panel_queries_prometheus(path: Path) -> None:
    """A panel without a query shows nothing; every panel uses the templated datasource."""
    for panel in _load(path)["panels"]:
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_every_expression_parses_and_names_exposed_metrics(path: Path) -> None:
    """Each PromQL expression parses (promql-parser) and every metric it selects is declared
    in services/, workers/ or zeebe/ (or added by prometheus-flask-exporter)."""
    exposed = exposed_metric_names()
    for expr in _expressions(_load(path)):
        names = metric_names(expr)
        assert names, expr
        assert names <= exposed, f"{expr}: unknown {sorted(names - exposed)}"


def test_an_unknown_metric_in_an_expression_is_caught() -> None:
    """The check is not vacuous: a misspelt metric name is outside the catalog."""
    names = metric_names("sum(rate(checkout_worker_task_total[5m]))")
    assert names == {"checkout_worker_task_total"}
    assert not names <= exposed_metric_names()


def test_a_malformed_expression_does_not_parse() -> None:
    """promql-parser rejects what Prometheus would reject (a range vector where a vector goes)."""
    with pytest.raises(ValueError):
        metric_names("histogram_quantile(0.99, checkout_worker_task_duration_seconds_bucket[5m])")
