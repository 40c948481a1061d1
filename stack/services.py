"""The registry of servers the stack knows, in start order.

To add a server (the engine, services, workers), add a planner in `stack.plans`, a health check in
`stack.health` and an entry here; `up`, `down`, `status`, `logs`, `run` and the pytest fixtures
pick it up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from stack import health, plans, tools
from stack.config import StackConfig
from stack.plans import Launch


@dataclass(frozen=True)
class Service:
    """One server: how to plan its launch, how to check it, how to tell people where it is."""

    name: str
    title: str
    plan: Callable[[StackConfig, Mapping[str, str]], Launch]
    health: health.HealthCheck
    describe: Callable[[StackConfig], str]
    ports: tuple[str, ...]
    # Servers that must be healthy before this one is launched (started with it when not running).
    requires: tuple[str, ...] = ()
    # Runs once those are healthy, just before the launch (e.g. create a backing database).
    prepare: Callable[[StackConfig], None] = lambda _cfg: None


def _plan_postgres(cfg: StackConfig, env: Mapping[str, str]) -> Launch:
    # PostgreSQL refuses to run as root, so root runs it as the `postgres` user apt created.
    run_as = "postgres" if os.geteuid() == 0 else None
    return plans.plan_postgres(cfg, pg_bin=tools.find_pg_bin(env), run_as=run_as)


def _plan_kafka(cfg: StackConfig, env: Mapping[str, str]) -> Launch:
    return plans.plan_kafka(
        cfg,
        java=tools.find_java(env),
        libs=tools.find_kafka_libs(env),
        cluster_id=plans.new_kafka_cluster_id(),
    )


def _plan_ferretdb(cfg: StackConfig, env: Mapping[str, str]) -> Launch:
    return plans.plan_ferretdb(cfg, ferretdb=tools.find_ferretdb(env))


SERVICES: dict[str, Service] = {
    "postgres": Service(
        name="postgres",
        title="PostgreSQL",
        plan=_plan_postgres,
        health=health.postgres_ready,
        describe=lambda c: f"postgresql://postgres@{c.host}:{c.pg_port}/postgres",
        ports=("pg_port",),
    ),
    "kafka": Service(
        name="kafka",
        title="Kafka (KRaft)",
        plan=_plan_kafka,
        health=health.kafka_ready,
        describe=lambda c: f"{c.host}:{c.kafka_port} (controller port {c.kafka_controller_port})",
        ports=("kafka_port", "kafka_controller_port"),
    ),
    "ferretdb": Service(
        name="ferretdb",
        title="FerretDB (MongoDB wire)",
        plan=_plan_ferretdb,
        health=health.ferretdb_ready,
        describe=lambda c: f"mongodb://{c.host}:{c.mongo_port}/ (data in PostgreSQL)",
        ports=("mongo_port", "ferretdb_debug_port"),
        requires=("postgres",),
        prepare=lambda c: health.ensure_pg_database(c, plans.FERRETDB_DATABASE),
    ),
}
