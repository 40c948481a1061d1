"""What the supervisor runs: one ProcessSpec per process, built from ports and stack endpoints.

Pure data: no process is started here, so the plan is testable and printable.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# DESIGN.md §2 ports (loyalty 8008, its own default since 8007 belongs to the fraud service).
DEFAULT_PORTS: dict[str, int] = {
    "zeebe_grpc": 26500,
    "zeebe_http": 8080,
    "checkout": 8000,
    "cart": 8001,
    "pricing": 8002,
    "payment": 8003,
    "inventory": 8004,
    "order": 8005,
    "psp": 8006,
    "fraud": 8007,
    "loyalty": 8008,
    "confirmations": 8009,
    "workers_metrics": 9464,
}
SQL_SERVICES = (
    "cart",
    "pricing",
    "payment",
    "inventory",
    "fraud",
    "loyalty",
    "confirmations",
    "checkout",
)
RELAYS = ("cart", "pricing", "inventory", "payment", "fraud")


@dataclass(frozen=True)
class Endpoints:
    """Where the local stack listens (from `python -m stack`) and where our processes listen."""

    pg_host_port: str = "127.0.0.1:55432"
    kafka_bootstrap: str = "127.0.0.1:19092"
    mongo_url: str = "mongodb://127.0.0.1:27018/"
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    data_dir: Path = REPO_ROOT / ".local" / "demo"
    # Short confirmation timeout so the demo's timeout scenario ends in seconds, not 30 s.
    confirmation_timeout: str = "PT10S"
    fraud_check_percent: int = 0
    worker_env: dict[str, str] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """Base URL of one of our HTTP processes."""
        return f"http://127.0.0.1:{self.ports[name]}"

    def ferretdb_postgres_url(self) -> str:
        """FerretDB's backing database (the stack's `ferretdb` database): order GIN indexes."""
        return f"postgresql+psycopg2://postgres@{self.pg_host_port}/ferretdb"

    def database_url(self, service: str) -> str:
        """The service's own PostgreSQL database."""
        return f"postgresql+psycopg2://postgres@{self.pg_host_port}/{service}"


@dataclass(frozen=True)
class ProcessSpec:
    """One child process: command, environment additions, and how to know it is up."""

    name: str
    argv: tuple[str, ...]
    env: dict[str, str]
    health_url: str | None = None


def _py(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", *args)


def _service(name: str, e: Endpoints, **extra: str) -> ProcessSpec:
    prefix = name.upper()
    env = {f"{prefix}_PORT": str(e.ports[name]), f"{prefix}_HOST": "127.0.0.1", **extra}
    if name in SQL_SERVICES:
        env[f"{prefix}_DATABASE_URL"] = e.database_url(name)
    return ProcessSpec(name, _py(f"services.{name}"), env, f"{e.url(name)}/health")


def _relay(name: str, e: Endpoints) -> ProcessSpec:
    env = {f"{name.upper()}_DATABASE_URL": e.database_url(name)}
    return ProcessSpec(f"{name}-relay", _py("services.common.relay", "--service", name), env)


def engine_spec(e: Endpoints) -> ProcessSpec:
    """The embedded Zeebe engine with a durable log under the data dir."""
    argv = _py(
        "zeebe",
        "--grpc-address",
        f"127.0.0.1:{e.ports['zeebe_grpc']}",
        "--http-port",
        str(e.ports["zeebe_http"]),
        "--data-dir",
        str(e.data_dir / "zeebe"),
    )
    return ProcessSpec("zeebe", argv, {}, f"http://127.0.0.1:{e.ports['zeebe_http']}/ready")


def worker_spec(e: Endpoints) -> ProcessSpec:
    """`python -m workers` pointed at every service."""
    services = ("cart", "pricing", "payment", "inventory", "order", "fraud")
    env = {f"{name.upper()}_URL": e.url(name) for name in services}
    env |= {
        "ZEEBE_ADDRESS": f"127.0.0.1:{e.ports['zeebe_grpc']}",
        "WORKERS_METRICS_PORT": str(e.ports["workers_metrics"]),
        **e.worker_env,
    }
    return ProcessSpec(
        "workers", _py("workers"), env, f"http://127.0.0.1:{e.ports['workers_metrics']}/metrics"
    )


def plan(e: Endpoints) -> list[ProcessSpec]:
    """Every process in start order (dependencies first); the supervisor stops in reverse."""
    zeebe = f"127.0.0.1:{e.ports['zeebe_grpc']}"
    kafka = {"KAFKA_BOOTSTRAP_SERVERS": e.kafka_bootstrap}
    # The service creates the GIN indexes; its relay starts after it is healthy.
    order_db = {"ORDER_FERRETDB_POSTGRES_URL": e.ferretdb_postgres_url()}
    specs = [
        engine_spec(e),
        _service("psp", e),
        *(_service(name, e) for name in ("cart", "pricing", "inventory", "fraud")),
        _service("payment", e, PAYMENT_PSP_URL=e.url("psp")),
        _service("order", e, ORDER_MONGO_URL=e.mongo_url, **order_db, **kafka),
        *(_relay(name, e) for name in RELAYS),
        ProcessSpec("order-relay", _py("services.order.relay"), {"ORDER_MONGO_URL": e.mongo_url}),
        _service("loyalty", e, **kafka),
        _service("confirmations", e, ZEEBE_ADDRESS=zeebe, **kafka),
        worker_spec(e),
        _service(
            "checkout",
            e,
            ZEEBE_ADDRESS=zeebe,
            ZEEBE_REST_URL=e.url("zeebe_http"),
            CHECKOUT_CONFIRMATION_TIMEOUT=e.confirmation_timeout,
            CHECKOUT_FRAUD_CHECK_PERCENT=str(e.fraud_check_percent),
            **kafka,
        ),
    ]
    # Every process reaches Kafka the same way (relays read KAFKA_BOOTSTRAP_SERVERS).
    return [ProcessSpec(s.name, s.argv, {**kafka, **s.env}, s.health_url) for s in specs]
