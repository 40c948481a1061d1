"""Properties of the rendered chart: every process deployed, probed, bounded and non-root."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from tests.helm.helm_support import (
    RELEASE,
    container,
    env_of,
    helm_binary,
    of_kind,
    offline_chart,
    render,
)

pytestmark = pytest.mark.integration

Manifests = list[dict[str, Any]]
SERVICES = ("checkout", "cart", "pricing", "payment", "inventory", "order", "fraud")
CONSUMERS = ("confirmations", "loyalty")
RELAYS = ("cart-relay", "pricing-relay", "payment-relay", "inventory-relay", "fraud-relay")
HTTP_COMPONENTS = (*SERVICES, *CONSUMERS, "workers")
PROBED = (*HTTP_COMPONENTS, *RELAYS, "order-relay")


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(helm, offline chart copy)."""
    return helm_binary(), offline_chart(tmp_path_factory.mktemp("chart"))


@pytest.fixture(scope="module")
def defaults(chart: tuple[Path, Path]) -> Manifests:
    """The chart rendered with its default values."""
    return render(*chart)


def test_every_process_has_a_deployment(defaults: Manifests) -> None:
    """DESIGN §7: services, consumers, relays and workers run on Kubernetes; the PSP simulator
    is optional and off by default."""
    deployed = set(of_kind(defaults, "Deployment"))
    assert deployed == {*HTTP_COMPONENTS, *RELAYS, "order-relay"}


def test_every_command_names_a_module_of_this_repository(defaults: Manifests) -> None:
    """`python -m <module>` in each container resolves to code that exists."""
    for name, deployment in of_kind(defaults, "Deployment").items():
        command = container(deployment)["command"]
        assert command[:2] == ["python", "-m"], name
        assert importlib.util.find_spec(command[2]) is not None, command


@pytest.mark.parametrize("name", PROBED)
def test_every_process_has_liveness_and_readiness_probes(defaults: Manifests, name: str) -> None:
    """Probes hit /health on the port the process listens on, which the chart sets through
    <PREFIX>_PORT (brief H18: workers serve /health on their metrics port, relays on
    RELAY_PORT)."""
    deployment = of_kind(defaults, "Deployment")[name]
    spec = container(deployment)
    for probe in ("livenessProbe", "readinessProbe"):
        assert spec[probe]["httpGet"] == {"path": "/health", "port": "http"}, (name, probe)
    (port,) = spec["ports"]
    assert port["name"] == "http"
    ports = {k: v for k, v in env_of(deployment).items() if k.endswith("_PORT")}
    assert list(ports.values()) == [str(port["containerPort"])]


def test_relays_serve_health_on_relay_port(defaults: Manifests) -> None:
    """services/common/relay_health.py: the HTTP port is off unless RELAY_PORT is set, and
    bound to RELAY_HOST; the chart sets both so the probes and a ServiceMonitor reach it."""
    deployments = of_kind(defaults, "Deployment")
    for name in (*RELAYS, "order-relay"):
        env = env_of(deployments[name])
        assert (env["RELAY_HOST"], env["RELAY_PORT"]) == ("0.0.0.0", "9470"), name


def test_every_container_has_cpu_and_memory_requests_and_limits(defaults: Manifests) -> None:
    """Requests let the scheduler and the HPA work; limits bound a runaway process."""
    for name, deployment in of_kind(defaults, "Deployment").items():
        resources = container(deployment)["resources"]
        for bound in ("requests", "limits"):
            assert set(resources[bound]) == {"cpu", "memory"}, (name, bound)


def test_every_pod_runs_as_non_root_with_a_read_only_root(defaults: Manifests) -> None:
    """Non-root, read-only root filesystem, no privilege escalation, all capabilities dropped;
    /tmp is the only writable path."""
    for name, deployment in of_kind(defaults, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] != 0, name
        security = container(deployment)["securityContext"]
        assert security["readOnlyRootFilesystem"] is True, name
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["capabilities"]["drop"] == ["ALL"], name
        assert [m["mountPath"] for m in container(deployment)["volumeMounts"]] == ["/tmp"]


def test_api_and_workers_autoscale(defaults: Manifests) -> None:
    """DESIGN §7: workers scale horizontally (job activation is competitive), so does the API;
    the HPA owns their replica count."""
    hpas = of_kind(defaults, "HorizontalPodAutoscaler")
    deployments = of_kind(defaults, "Deployment")
    assert set(hpas) == {"checkout", "workers"}
    for name, hpa in hpas.items():
        assert hpa["spec"]["scaleTargetRef"]["name"] == deployments[name]["metadata"]["name"]
        assert "replicas" not in deployments[name]["spec"]


def test_replicated_processes_have_disruption_budgets(defaults: Manifests) -> None:
    """A PDB per replicated process, selecting that process's pods only."""
    pdbs = of_kind(defaults, "PodDisruptionBudget")
    deployments = of_kind(defaults, "Deployment")
    assert set(pdbs) == set(HTTP_COMPONENTS)
    for name, pdb in pdbs.items():
        pod_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()


def test_services_select_their_own_pods(defaults: Manifests) -> None:
    """Each Service routes its port to the pods of the Deployment of the same component."""
    deployments = of_kind(defaults, "Deployment")
    for name, service in of_kind(defaults, "Service").items():
        pod_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"] == pod_labels
        assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_zeebe_address_defaults_to_the_camunda_gateway_service(chart: tuple[Path, Path]) -> None:
    """DESIGN §1: moving to a real Zeebe cluster changes only ZEEBE_ADDRESS; by default it names
    the camunda-platform gateway of the same release, and it can point anywhere else."""
    (config,) = [m for m in render(*chart) if m["kind"] == "ConfigMap"]
    assert config["data"]["ZEEBE_ADDRESS"] == f"{RELEASE}-zeebe-gateway:26500"
    moved = render(*chart, "zeebe.address=zeebe.prod.svc:26500")
    (config,) = [m for m in moved if m["kind"] == "ConfigMap"]
    assert config["data"]["ZEEBE_ADDRESS"] == "zeebe.prod.svc:26500"


def test_psp_simulator_is_optional_and_payment_follows_it(chart: tuple[Path, Path]) -> None:
    """psp.enabled deploys the simulator and points payment at it; off, payment.pspUrl is used."""
    with_psp = render(*chart, "psp.enabled=true")
    assert "psp" in of_kind(with_psp, "Deployment")
    (config,) = [m for m in with_psp if m["kind"] == "ConfigMap"]
    psp_service = of_kind(with_psp, "Service")["psp"]["metadata"]["name"]
    assert config["data"]["PAYMENT_PSP_URL"] == f"http://{psp_service}:8006"
    without = render(*chart, "payment.pspUrl=https://psp.test")
    (config,) = [m for m in without if m["kind"] == "ConfigMap"]
    assert config["data"]["PAYMENT_PSP_URL"] == "https://psp.test"


def test_database_urls_come_from_a_secret(chart: tuple[Path, Path]) -> None:
    """Each database user reads its URL from a Secret key; existingSecret replaces the chart's."""
    manifests = render(*chart, "databases.existingSecret=shop-db")
    assert "Secret" not in {m["kind"] for m in manifests}
    deployments = of_kind(manifests, "Deployment")
    expected = {
        "checkout": "CHECKOUT_DATABASE_URL",
        "order": "ORDER_MONGO_URL",
        "order-relay": "ORDER_MONGO_URL",
        "cart-relay": "CART_DATABASE_URL",
        "loyalty": "LOYALTY_DATABASE_URL",
    }
    for name, variable in expected.items():
        reference = env_of(deployments[name])[variable]["secretKeyRef"]
        assert reference["name"] == "shop-db", name


def test_service_monitors_are_optional_and_scrape_metrics(chart: tuple[Path, Path]) -> None:
    """serviceMonitor.enabled adds one ServiceMonitor per Service, scraping /metrics on http."""
    manifests = render(*chart, "serviceMonitor.enabled=true")
    monitors = of_kind(manifests, "ServiceMonitor")
    services = of_kind(manifests, "Service")
    assert set(monitors) == set(services)
    for name, monitor in monitors.items():
        assert monitor["spec"]["endpoints"] == [
            {"port": "http", "path": "/metrics", "interval": "30s"}
        ]
        assert monitor["spec"]["selector"]["matchLabels"] == services[name]["spec"]["selector"]


def test_workers_reach_every_service_by_its_in_cluster_url(defaults: Manifests) -> None:
    """workers/config.py reads <SERVICE>_URL; each points at the matching Service and port."""
    (config,) = [m for m in defaults if m["kind"] == "ConfigMap"]
    services = of_kind(defaults, "Service")
    for name in ("cart", "pricing", "payment", "inventory", "order", "fraud"):
        service = services[name]
        url = f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}"
        assert config["data"][f"{name.upper()}_URL"] == url
