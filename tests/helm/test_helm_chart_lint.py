"""The chart lints cleanly and declares camunda-platform as an optional, pinned dependency."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helm.helm_support import CHART, KUBE_VERSION, helm_binary, offline_chart, run_helm

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def helm() -> Path:
    """The helm binary (scripts/install-helm.sh)."""
    return helm_binary()


def test_camunda_platform_is_an_optional_pinned_dependency() -> None:
    """DESIGN §7: production runs the official camunda-platform chart beside ours; it is off by
    default so the chart renders offline, and pinned to 12.x (Camunda 8.7, our gateway protocol)."""
    meta = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    (dependency,) = [d for d in meta["dependencies"] if d["name"] == "camunda-platform"]
    assert dependency["repository"] == "https://helm.camunda.io"
    assert dependency["condition"] == "camunda-platform.enabled"
    major, *_ = dependency["version"].split(".")
    assert major == "12" and dependency["version"].count(".") == 2
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    assert values["camunda-platform"]["enabled"] is False


def test_lint_strict_passes_with_the_dependency_disabled(helm: Path, tmp_path: Path) -> None:
    """`helm lint --strict` (warnings are errors) on the chart without the disabled dependency."""
    result = run_helm(helm, "lint", "--strict", str(offline_chart(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[WARNING]" not in result.stdout and "[ERROR]" not in result.stdout


def test_lint_of_the_committed_chart_only_notes_the_unfetched_dependency(helm: Path) -> None:
    """Offline, the only warning on the chart as committed is the camunda-platform archive that
    `helm dependency build` would download."""
    result = run_helm(helm, "lint", str(CHART))
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if "[WARNING]" in line]
    assert len(warnings) == 1 and "missing these dependencies: camunda-platform" in warnings[0]
    assert "[ERROR]" not in result.stdout


def test_template_needs_the_dependency_archive_or_the_offline_copy(
    helm: Path, tmp_path: Path
) -> None:
    """Why the tests render `offline_chart`: helm checks every declared dependency is in charts/
    before rendering, whatever its condition (helm pkg/action CheckDependencies)."""
    committed = run_helm(helm, "template", "x", str(CHART), "--kube-version", KUBE_VERSION)
    assert committed.returncode != 0
    assert "missing in charts/ directory: camunda-platform" in committed.stderr
    offline = run_helm(
        helm, "template", "x", str(offline_chart(tmp_path)), "--kube-version", KUBE_VERSION
    )
    assert offline.returncode == 0, offline.stderr


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ("components.workers.replicas=two", "got string, want integer"),
        ("components.workers.prot=9464", "additional properties 'prot' not allowed"),
        ("serviceMonitor.interval=soon", "serviceMonitor/interval"),
    ],
)
def test_values_schema_rejects_mistakes_before_rendering(
    helm: Path, tmp_path: Path, override: str, complaint: str
) -> None:
    """values.schema.json: an ill-typed or misspelt value fails `helm template` with its path,
    instead of rendering a manifest the cluster rejects or silently ignoring the key."""
    chart = offline_chart(tmp_path)
    result = run_helm(
        helm, "template", "x", str(chart), "--kube-version", KUBE_VERSION, "--set", override
    )
    assert result.returncode != 0
    assert complaint in result.stderr


def test_values_schema_passes_camunda_platform_values_through(helm: Path, tmp_path: Path) -> None:
    """Settings for the camunda-platform dependency belong to that chart; ours does not vet them."""
    chart = offline_chart(tmp_path)
    override = "camunda-platform.zeebe.clusterSize=3"
    result = run_helm(
        helm, "template", "x", str(chart), "--kube-version", KUBE_VERSION, "--set", override
    )
    assert result.returncode == 0, result.stderr
