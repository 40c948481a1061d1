"""Launch plans: the exact command lines and config files, checked without starting anything."""

from __future__ import annotations

import base64
import signal
from pathlib import Path

import pytest

from stack.config import StackConfig
from stack.plans import (
    kafka_properties,
    new_kafka_cluster_id,
    plan_ferretdb,
    plan_kafka,
    plan_postgres,
)

pytestmark = pytest.mark.unit


def _cfg(tmp_path: Path, **changes: object) -> StackConfig:
    base = StackConfig(root=tmp_path, pg_port=1111, kafka_port=2222, kafka_controller_port=3333)
    return StackConfig(
        **{**base.__dict__, "mongo_port": 4444, "ferretdb_debug_port": 5555, **changes}
    )


def test_postgres_listens_on_tcp_loopback_only(tmp_path: Path) -> None:
    """infra.md: `listen_addresses=127.0.0.1`; the Unix socket is disabled (no shared /run path)."""
    launch = plan_postgres(_cfg(tmp_path), pg_bin=Path("/pg/bin"), run_as="postgres")
    argv = launch.argv
    assert argv[:5] == ("/pg/bin/postgres", "-D", str(tmp_path / "postgres" / "data"), "-p", "1111")
    assert "listen_addresses=127.0.0.1" in argv
    assert "unix_socket_directories=" in argv
    assert launch.run_as == "postgres"
    assert launch.ports == (("pg_port", 1111),)


def test_postgres_initdb_runs_once_with_trust_auth(tmp_path: Path) -> None:
    """initdb as in infra.md (-A trust -U postgres -E UTF8), skipped once PG_VERSION exists."""
    (step,) = plan_postgres(_cfg(tmp_path), pg_bin=Path("/pg/bin"), run_as=None).steps
    assert step.argv[0] == "/pg/bin/initdb"
    assert step.argv[3:5] == ("-A", "trust") and "UTF8" in step.argv
    assert step.done_when == tmp_path / "postgres" / "data" / "PG_VERSION"


def test_postgres_is_durable_unless_told_otherwise(tmp_path: Path) -> None:
    """`make run` keeps fsync on; test clusters (durable=False) turn it off for speed."""
    durable = plan_postgres(_cfg(tmp_path), pg_bin=Path("/b"), run_as=None).argv
    fast = plan_postgres(_cfg(tmp_path, durable=False), pg_bin=Path("/b"), run_as=None).argv
    assert "fsync=off" not in durable
    assert "fsync=off" in fast and "synchronous_commit=off" in fast


def test_postgres_stops_with_fast_shutdown(tmp_path: Path) -> None:
    """SIGINT is PostgreSQL's fast shutdown; SIGTERM (smart) would wait for clients to leave."""
    assert (
        plan_postgres(_cfg(tmp_path), pg_bin=Path("/b"), run_as=None).stop_signal == signal.SIGINT
    )


def test_kafka_properties_single_kraft_node_on_loopback(tmp_path: Path) -> None:
    """infra.md minimal single-node config: combined roles, loopback listeners, RF 1 internals."""
    props = dict(
        line.split("=", 1) for line in kafka_properties(_cfg(tmp_path), tmp_path).splitlines()
    )
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:2222,CONTROLLER://127.0.0.1:3333"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:3333"
    assert props["transaction.state.log.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["log.dirs"] == str(tmp_path)


def test_kafka_formats_storage_standalone_then_runs_broker(tmp_path: Path) -> None:
    """`StorageTool format --standalone` once (until meta.properties exists), then `kafka.Kafka`."""
    launch = plan_kafka(_cfg(tmp_path), java=Path("/j/java"), libs=Path("/libs"), cluster_id="abc")
    (fmt,) = launch.steps
    assert fmt.argv[-7:] == (
        *("kafka.tools.StorageTool", "format", "-t", "abc"),
        *("-c", str(tmp_path / "kafka" / "server.properties"), "--standalone"),
    )
    assert fmt.done_when == tmp_path / "kafka" / "data" / "meta.properties"
    assert launch.argv[-2:] == ("kafka.Kafka", str(tmp_path / "kafka" / "server.properties"))
    assert launch.argv[:3] == ("/j/java", "-Xms256m", "-Xmx512m")
    assert "/libs/*" in launch.argv
    assert any(arg.startswith("-Dlog4j2.configurationFile=") for arg in launch.argv)


def test_kafka_cluster_id_is_16_bytes_url_safe_base64() -> None:
    """Kafka cluster ids are UUIDs in URL-safe base64 without padding (22 characters)."""
    cluster_id = new_kafka_cluster_id()
    assert len(cluster_id) == 22 and not cluster_id.startswith("-")
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_ferretdb_postgresql_backend_telemetry_off(tmp_path: Path) -> None:
    """FerretDB v1 flags from infra.md: PostgreSQL handler on the stack's own server (database
    `ferretdb`), state dir, debug address, no telemetry."""
    launch = plan_ferretdb(_cfg(tmp_path), ferretdb=Path("/bin/ferretdb"))
    workdir = tmp_path / "ferretdb"
    pg_port = _cfg(tmp_path).pg_port
    assert launch.argv == (
        "/bin/ferretdb",
        "--listen-addr=127.0.0.1:4444",
        "--handler=postgresql",
        f"--postgresql-url=postgres://postgres@127.0.0.1:{pg_port}/ferretdb",
        f"--state-dir={workdir / 'state'}",
        "--debug-addr=127.0.0.1:5555",
        "--telemetry=disable",
    )
    assert launch.ports == (("mongo_port", 4444), ("ferretdb_debug_port", 5555))
