"""Rendered manifests are valid Kubernetes objects (kubernetes-validate, offline schemas)."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest

from tests.helm.helm_support import helm_binary, offline_chart, render

pytestmark = pytest.mark.integration

# The oldest Kubernetes Chart.yaml accepts (kubeVersion >=1.25) and the newest schema bundled.
KUBERNETES_VERSIONS = ("1.25.0", kubernetes_validate.latest_version())
VALUE_SETS = {
    "defaults": (),
    "everything-on": ("psp.enabled=true", "serviceMonitor.enabled=true"),
    "existing-secret": ("databases.existingSecret=shop-db",),
}
# CRDs have no bundled schema; test_helm_chart_render checks ServiceMonitor's shape instead.
CUSTOM_KINDS = {"ServiceMonitor"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The chart rendered once per value set."""
    helm = helm_binary()
    chart = offline_chart(tmp_path_factory.mktemp("chart"))
    return {name: render(helm, chart, *sets) for name, sets in VALUE_SETS.items()}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("value_set", sorted(VALUE_SETS))
def test_every_manifest_validates_strictly(
    rendered: dict[str, list[dict[str, Any]]], value_set: str, version: str
) -> None:
    """Strict validation also rejects unknown fields, e.g. a misplaced probe key."""
    manifests = [m for m in rendered[value_set] if m["kind"] not in CUSTOM_KINDS]
    assert manifests
    for manifest in manifests:
        kubernetes_validate.validate(manifest, version, strict=True)


def test_the_validator_rejects_an_ill_typed_field(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    """The check is not vacuous: `replicas: "two"` in a rendered Deployment is refused."""
    deployment = next(m for m in rendered["defaults"] if m["kind"] == "Deployment")
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_nothing_but_servicemonitors_needs_a_crd(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    """Every other kind is built in, so a plain cluster accepts the chart with monitoring off."""
    kinds = {m["kind"] for m in rendered["everything-on"]}
    assert kinds - CUSTOM_KINDS == {
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Secret",
        "Service",
    }
    assert "ServiceMonitor" not in {m["kind"] for m in rendered["defaults"]}
