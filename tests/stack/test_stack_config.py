"""StackConfig.from_env: documented STACK_* variables, loopback-only, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stack.config import REPO_ROOT, KafkaServer, MongoServer, PostgresServer, StackConfig
from stack.errors import ConfigError

pytestmark = pytest.mark.unit


def test_defaults_match_the_documented_ports() -> None:
    """DESIGN.md section 2: PostgreSQL 55432, Kafka 19092/19093, FerretDB 27018, on 127.0.0.1."""
    cfg = StackConfig.from_env({})
    assert (cfg.host, cfg.pg_port, cfg.kafka_port, cfg.kafka_controller_port, cfg.mongo_port) == (
        "127.0.0.1",
        55432,
        19092,
        19093,
        27018,
    )
    assert cfg.root == REPO_ROOT / ".local" / "stack"
    assert cfg.durable is True


def test_every_variable_overrides_its_setting(tmp_path: Path) -> None:
    """Each STACK_* variable documented in stack/config.py changes exactly its field."""
    env = {
        "STACK_DIR": str(tmp_path),
        "STACK_PG_PORT": "1",
        "STACK_KAFKA_PORT": "2",
        "STACK_KAFKA_CONTROLLER_PORT": "3",
        "STACK_MONGO_PORT": "4",
        "STACK_FERRETDB_DEBUG_PORT": "5",
        "STACK_DURABLE": "off",
    }
    assert StackConfig.from_env(env) == StackConfig(
        root=tmp_path,
        pg_port=1,
        kafka_port=2,
        kafka_controller_port=3,
        mongo_port=4,
        ferretdb_debug_port=5,
        durable=False,
    )


def test_non_numeric_port_names_the_variable() -> None:
    """A typo in a port fails before anything starts, naming the variable and the value."""
    with pytest.raises(ConfigError, match=r"^STACK_PG_PORT must be an integer port, got 'x1'$"):
        StackConfig.from_env({"STACK_PG_PORT": "x1"})


def test_port_above_range_is_rejected() -> None:
    """Ports are 0-65535 (0 = pick a free one)."""
    with pytest.raises(ConfigError, match="STACK_MONGO_PORT must be between 0 and 65535"):
        StackConfig.from_env({"STACK_MONGO_PORT": "65536"})


def test_public_interface_is_refused() -> None:
    """The stack listens on loopback only; 0.0.0.0 would expose trust-auth PostgreSQL."""
    with pytest.raises(ConfigError, match="STACK_HOST must be a loopback address"):
        StackConfig.from_env({"STACK_HOST": "0.0.0.0"})


def test_bad_boolean_is_rejected() -> None:
    """STACK_DURABLE takes 1/0, true/false, yes/no, on/off."""
    with pytest.raises(ConfigError, match="STACK_DURABLE must be a boolean"):
        StackConfig.from_env({"STACK_DURABLE": "maybe"})


def test_pid_and_log_files_live_in_the_service_directory(tmp_path: Path) -> None:
    """`down` finds what `up` started through <STACK_DIR>/<service>/<service>.pid."""
    cfg = StackConfig(root=tmp_path)
    assert cfg.pidfile("kafka") == tmp_path / "kafka" / "kafka.pid"
    assert cfg.logfile("kafka") == tmp_path / "kafka" / "kafka.log"


def test_endpoints_render_client_addresses() -> None:
    """Fixtures hand tests ready-made DSN, bootstrap and URI strings."""
    pg = PostgresServer(host="127.0.0.1", port=5)
    assert pg.dsn == "postgresql://postgres@127.0.0.1:5/postgres"
    assert pg.dsn_for("cart") == "postgresql://postgres@127.0.0.1:5/cart"
    assert KafkaServer(host="127.0.0.1", port=6, controller_port=7).bootstrap == "127.0.0.1:6"
    assert MongoServer(host="127.0.0.1", port=8).uri == "mongodb://127.0.0.1:8/"
