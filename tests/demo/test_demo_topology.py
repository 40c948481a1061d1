"""The supervisor's plan: every process of the system, wired to the same endpoints."""

from __future__ import annotations

import pytest

from demo.topology import DEFAULT_PORTS, Endpoints, plan

pytestmark = pytest.mark.unit

ENDPOINTS = Endpoints(
    pg_host_port="127.0.0.1:6000",
    kafka_bootstrap="127.0.0.1:6001",
    mongo_url="mongodb://127.0.0.1:6002/",
    ports={name: 7000 + n for n, name in enumerate(DEFAULT_PORTS)},
    worker_env={"WORKERS_BREAKER_RESET_S": "3"},
)


def _by_name() -> dict[str, object]:
    return {spec.name: spec for spec in plan(ENDPOINTS)}


def test_the_plan_runs_engine_services_relays_bridge_loyalty_workers_and_api() -> None:
    """Brief item 4: the engine, all services, relays, bridge, loyalty, workers, checkout API."""
    names = [spec.name for spec in plan(ENDPOINTS)]

    assert names[0] == "zeebe"
    assert names[-1] == "checkout"  # it deploys the BPMN, so it starts after the engine
    assert set(names) >= {
        "psp", "cart", "pricing", "inventory", "fraud", "payment", "order", "loyalty",
        "confirmations", "workers", "cart-relay", "pricing-relay", "inventory-relay",
        "payment-relay", "fraud-relay", "order-relay",
    }  # fmt: skip


def test_every_sql_service_gets_its_own_database_on_the_stack() -> None:
    """Each service owns one database (DESIGN §1) on the configured PostgreSQL."""
    specs = plan(ENDPOINTS)
    urls = {
        spec.name: value
        for spec in specs
        for name, value in spec.env.items()
        if name.endswith("_DATABASE_URL") and not spec.name.endswith("-relay")
    }

    assert urls["cart"] == "postgresql+psycopg2://postgres@127.0.0.1:6000/cart"
    assert urls["checkout"].endswith("/checkout")
    assert len(set(urls.values())) == len(urls)


def test_every_process_uses_the_configured_kafka_and_no_default_port() -> None:
    """No child falls back to a default endpoint: all are explicit."""
    for spec in plan(ENDPOINTS):
        assert spec.env["KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:6001"
        assert all(":55432" not in value and ":19092" not in value for value in spec.env.values())


def test_workers_reach_each_service_and_the_engine() -> None:
    """Workers get `<SERVICE>_URL` for every service they call and ZEEBE_ADDRESS."""
    workers = next(spec for spec in plan(ENDPOINTS) if spec.name == "workers")

    assert workers.env["FRAUD_URL"] == f"http://127.0.0.1:{ENDPOINTS.ports['fraud']}"
    assert workers.env["ZEEBE_ADDRESS"] == f"127.0.0.1:{ENDPOINTS.ports['zeebe_grpc']}"
    assert workers.env["WORKERS_BREAKER_RESET_S"] == "3"


def test_health_urls_point_at_each_http_process() -> None:
    """The supervisor waits on these; relays have none (they only poll)."""
    specs = {spec.name: spec for spec in plan(ENDPOINTS)}

    assert specs["checkout"].health_url == f"http://127.0.0.1:{ENDPOINTS.ports['checkout']}/health"
    assert specs["zeebe"].health_url == f"http://127.0.0.1:{ENDPOINTS.ports['zeebe_http']}/ready"
    assert specs["cart-relay"].health_url is None


def test_the_loyalty_port_does_not_collide_with_fraud() -> None:
    """Loyalty's own default (8007) is the fraud port; the plan gives it 8008."""
    assert DEFAULT_PORTS["loyalty"] != DEFAULT_PORTS["fraud"]
    assert len(set(DEFAULT_PORTS.values())) == len(DEFAULT_PORTS)
