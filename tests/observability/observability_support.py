"""What the observability tests share: the metric names the code exposes, and promtool."""

from __future__ import annotations

import ast
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_flask_exporter import PrometheusMetrics

REPO = Path(__file__).resolve().parents[2]
OBSERVABILITY = REPO / "observability"
CODE_PACKAGES = ("services", "workers", "zeebe")

# The series names prometheus_client exposes for one family, by instrument kind.
_SERIES_SUFFIXES: dict[str, tuple[str, ...]] = {
    "Counter": ("_total", "_created"),
    "Gauge": ("",),
    "Histogram": ("_bucket", "_sum", "_count", "_created"),
    "Summary": ("", "_sum", "_count", "_created"),
}


def _declared_families(source: str) -> Iterator[tuple[str, str]]:
    """(kind, name) of every `Counter("name", ...)`-style call with a literal name."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        kind = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        name = node.args[0]
        if (
            kind in _SERIES_SUFFIXES
            and isinstance(name, ast.Constant)
            and isinstance(name.value, str)
        ):
            yield kind, name.value


def series_names(kind: str, name: str) -> set[str]:
    """Series a family of `kind` (Counter, Gauge, Histogram, Summary) named `name` exposes."""
    # prometheus_client strips a trailing _total from counter names and adds it back.
    base = name.removesuffix("_total") if kind == "Counter" else name
    return {base + suffix for suffix in _SERIES_SUFFIXES[kind]}


def declared_metric_names() -> set[str]:
    """Series names of every metric family declared in the project's own code."""
    names: set[str] = set()
    for package in CODE_PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            for kind, name in _declared_families(path.read_text(encoding="utf-8")):
                names |= series_names(kind, name)
    return names


def flask_exporter_metric_names() -> set[str]:
    """Series names prometheus-flask-exporter adds to every service, read from a live app."""
    app = Flask("probe")
    registry = CollectorRegistry()
    PrometheusMetrics(app, registry=registry, default_labels={})
    app.add_url_rule("/ping", "ping", lambda: "pong")
    app.test_client().get("/ping")
    text = generate_latest(registry).decode()
    return {s.name for f in text_string_to_metric_families(text) for s in f.samples}


def exposed_metric_names() -> set[str]:
    """Every series name a scrape of our processes can return."""
    return declared_metric_names() | flask_exporter_metric_names()


def required_tool(name: str, cached: Path) -> Path:
    """The tool from the .cache install or PATH; missing: fail under CI=true, else skip."""
    if cached.is_file() and os.access(cached, os.X_OK):
        return cached
    found = shutil.which(name)
    if found:
        return Path(found)
    message = f"{name} not found (run scripts/install-{name}.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI requires it")
    pytest.skip(message)
