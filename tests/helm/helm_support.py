"""Rendering the chart offline with the helm binary from scripts/install-helm.sh."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "checkout-saga"
KUBE_VERSION = "1.30.0"
RELEASE = "shop"


def helm_binary() -> Path:
    """helm from .cache/bin or PATH; missing: fail under CI=true, else skip."""
    cached = REPO / ".cache" / "bin" / "helm"
    if cached.is_file() and os.access(cached, os.X_OK):
        return cached
    found = shutil.which("helm")
    if found:
        return Path(found)
    if os.environ.get("CI") == "true":
        pytest.fail("helm not found (run scripts/install-helm.sh); CI requires it")
    pytest.skip("helm not found (run scripts/install-helm.sh)")


def offline_chart(destination: Path) -> Path:
    """A copy of the chart without the camunda-platform dependency entry.

    Helm refuses to render a chart whose declared dependencies are missing from charts/, even
    when their condition is false, and fetching camunda-platform needs helm.camunda.io. With the
    dependency disabled it renders nothing, so dropping the entry renders the same manifests.
    """
    copy = destination / CHART.name
    shutil.copytree(CHART, copy)
    meta = yaml.safe_load((copy / "Chart.yaml").read_text(encoding="utf-8"))
    meta["dependencies"] = [d for d in meta["dependencies"] if d["name"] != "camunda-platform"]
    if not meta["dependencies"]:
        del meta["dependencies"]
    (copy / "Chart.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    return copy


def run_helm(helm: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run helm with no network-dependent flags; returns the completed process."""
    return subprocess.run(
        [str(helm), *args], capture_output=True, text=True, timeout=120, check=False
    )


def render(helm: Path, chart: Path, *set_args: str) -> list[dict[str, Any]]:
    """`helm template` with `--set` overrides; the manifests as dicts."""
    overrides = [arg for pair in set_args for arg in ("--set", pair)]
    result = run_helm(
        helm, "template", RELEASE, str(chart), "--kube-version", KUBE_VERSION, *overrides
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Manifests of one kind by component label."""
    return {
        m["metadata"]["labels"]["app.kubernetes.io/component"]: m
        for m in manifests
        if m["kind"] == kind
    }


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    """The single container of a Deployment."""
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env_of(deployment: dict[str, Any]) -> dict[str, Any]:
    """A container's `env` entries by name (value or valueFrom)."""
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(deployment)["env"]}
