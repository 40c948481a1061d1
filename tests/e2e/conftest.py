"""The whole checkout system as real processes on the test session's stack.

`demo.supervisor` starts the engine, every service, the relays, the bridge, loyalty, the workers
and the checkout API as child processes on free ports, against the session's PostgreSQL, Kafka
and FerretDB (stack/pytest_plugin.py); everything is stopped by pid at the end of the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from demo.supervisor import Supervisor
from demo.topology import DEFAULT_PORTS, Endpoints, ProcessSpec, plan
from stack.config import KafkaServer, MongoServer, PostgresServer
from stack.ports import free_ports


# One system per session, not per module, like the services' databases and Kafka topics it uses
# (session-scoped servers). Idempotency keys are checkout id + element id, so sagas of a second,
# fresh engine would not collide with the stored operations of the first one's.
@pytest.fixture(scope="session")
def supervised(
    postgres_server: PostgresServer,
    kafka_server: KafkaServer,
    mongo_server: MongoServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Supervisor, Endpoints]]:
    """Every process of the demo topology, healthy, on free ports, and their supervisor."""
    run_dir = tmp_path_factory.mktemp("system")
    endpoints = Endpoints(
        pg_host_port=f"{postgres_server.host}:{postgres_server.port}",
        kafka_bootstrap=kafka_server.bootstrap,
        mongo_url=mongo_server.uri,
        ports=_distinct_free_ports((*DEFAULT_PORTS, "checkout_v2")),
        data_dir=run_dir,
        confirmation_timeout="PT3S",
        # A breaker that opens after 3 failures and half-opens after 3 s keeps the test short.
        worker_env={"WORKERS_BREAKER_FAIL_MAX": "3", "WORKERS_BREAKER_RESET_S": "3"},
    )
    supervisor = Supervisor(run_dir)
    _RUNNING.append(supervisor)
    specs = plan(endpoints)
    supervisor.start_all([*specs, _fraud_check_api(specs[-1], endpoints)])
    try:
        yield supervisor, endpoints
    finally:
        supervisor.stop_all()
        _keep_logs(run_dir)


def _distinct_free_ports(names: tuple[str, ...]) -> dict[str, int]:
    """One free port per process, all different (picked one by one, about 1 run in 100 gave
    two processes the same port and the system never came up)."""
    return dict(zip(names, free_ports("127.0.0.1", len(names)), strict=True))


def _fraud_check_api(checkout: ProcessSpec, endpoints: Endpoints) -> ProcessSpec:
    """A second checkout API (same database) whose flag sends every checkout to v2."""
    port = endpoints.ports["checkout_v2"]
    env = {**checkout.env, "CHECKOUT_PORT": str(port), "CHECKOUT_FRAUD_CHECK_PERCENT": "100"}
    health = f"http://127.0.0.1:{port}/health"
    return replace(checkout, name="checkout-v2", env=env, health_url=health)


_RUNNING: list[Supervisor] = []


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the system right after the last test of this directory, not at session end: later
    suites start consumers with the same Kafka group ids, which must not share its partitions."""
    here = Path(__file__).parent
    if nextitem is None or Path(nextitem.path).parent != here:
        for supervisor in _RUNNING:
            supervisor.stop_all()
        _RUNNING.clear()


@pytest.fixture(scope="session")
def system(supervised: tuple[Supervisor, Endpoints]) -> Endpoints:
    """Where the running system listens."""
    return supervised[1]


def _keep_logs(run_dir: Path) -> None:
    """Print the tail of each child's log into the test output (visible on failures)."""
    for log in sorted((run_dir / "logs").glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()[-5:]
        print(f"--- {log.name}\n" + "\n".join(lines))
