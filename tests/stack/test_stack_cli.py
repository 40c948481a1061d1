"""`python -m stack` as a subprocess: up/down leave nothing behind; failures explain themselves."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack import process
from stack.config import REPO_ROOT
from stack.ports import free_ports, port_is_free

pytestmark = pytest.mark.integration

SERVICES = ("postgres", "kafka", "ferretdb")
PORT_VARIABLES = ("STACK_PG_PORT", "STACK_KAFKA_PORT", "STACK_KAFKA_CONTROLLER_PORT")
PORT_VARIABLES += ("STACK_MONGO_PORT",)


@pytest.fixture
def stack_env() -> Iterator[dict[str, str]]:
    """Environment for a private stack: free ports, own data dir (reachable by `postgres`)."""
    root = Path(tempfile.mkdtemp(prefix="stack-cli-test-"))
    root.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith("STACK_")}
    env["STACK_DIR"] = str(root)
    ports = free_ports("127.0.0.1", len(PORT_VARIABLES))
    env.update({name: str(port) for name, port in zip(PORT_VARIABLES, ports, strict=True)})
    yield env
    _stack(env, "down")  # whatever a failed test left running
    shutil.rmtree(root, ignore_errors=True)


def _stack(
    env: dict[str, str], *args: str, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stack", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _pids(env: dict[str, str]) -> dict[str, int]:
    root = Path(env["STACK_DIR"])
    records = {name: process.read_pidfile(root / name / f"{name}.pid") for name in SERVICES}
    return {name: record.pid for name, record in records.items() if record is not None}


def test_up_then_down_leaves_no_process_and_no_port(stack_env: dict[str, str]) -> None:
    """Every server `up` started is gone after `down`: its process group and its ports."""
    up = _stack(stack_env, "up")
    assert up.returncode == 0, up.stderr
    pids = _pids(stack_env)
    assert set(pids) == set(SERVICES)
    status = _stack(stack_env, "status")
    for name in SERVICES:
        assert f"{name:<10} running" in status.stdout
    assert status.stdout.count(" yes ") == 3
    ports = [int(stack_env[name]) for name in PORT_VARIABLES]
    assert not any(port_is_free("127.0.0.1", port) for port in ports)

    down = _stack(stack_env, "down")
    assert down.returncode == 0, down.stderr
    for name, pid in pids.items():
        assert not process.is_running(pid), name
        assert process.group_members(pid) == [], name
    assert all(port_is_free("127.0.0.1", port) for port in ports)
    assert _pids(stack_env) == {}


def test_port_already_in_use_is_reported_with_its_variable(stack_env: dict[str, str]) -> None:
    """A port taken by someone else stops `up` before starting anything, naming STACK_PG_PORT."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        stack_env["STACK_PG_PORT"] = str(port)
        result = _stack(stack_env, "up", "postgres")
    assert result.returncode == 1
    assert (
        f"stack: error: port {port} is already in use by another process; "
        "set STACK_PG_PORT=<free port>"
    ) in result.stderr
    assert _pids(stack_env) == {}


def test_missing_java_is_named_with_install_hint(stack_env: dict[str, str], tmp_path: Path) -> None:
    """Without java on PATH or JAVA_HOME, `up kafka` says java is missing and how to get it."""
    stack_env["PATH"] = str(tmp_path)  # an empty directory
    stack_env["JAVA_HOME"] = str(tmp_path / "no-jdk")
    result = _stack(stack_env, "up", "kafka")
    assert result.returncode == 1
    assert "stack: error: java not found" in result.stderr
    assert "make setup" in result.stderr
    assert _pids(stack_env) == {}


def test_server_exiting_at_start_shows_its_log(stack_env: dict[str, str]) -> None:
    """A corrupt postgresql.conf makes PostgreSQL exit; `up` reports it with the log tail."""
    assert _stack(stack_env, "up", "postgres").returncode == 0
    assert _stack(stack_env, "down", "postgres").returncode == 0
    conf = Path(stack_env["STACK_DIR"]) / "postgres" / "data" / "postgresql.conf"
    with conf.open("a") as handle:
        handle.write("this line is = not valid = config\n")
    result = _stack(stack_env, "up", "postgres")
    assert result.returncode == 1
    assert "stack: error: postgres exited at start with code 1; last lines of" in result.stderr
    assert "syntax error" in result.stderr  # PostgreSQL's own complaint, from the log
    assert _pids(stack_env) == {}


def test_stale_pid_file_is_reported_and_cleared(stack_env: dict[str, str]) -> None:
    """A pid file whose process is gone shows as stale in `status`; `down` removes it."""
    pidfile = Path(stack_env["STACK_DIR"]) / "ferretdb" / "ferretdb.pid"
    pidfile.parent.mkdir(parents=True)
    beyond_pid_max = 2**22 + 1  # larger than Linux's maximum pid: certainly not running
    pidfile.write_text(f"{beyond_pid_max}\n12345\n15\n")
    status = _stack(stack_env, "status")
    assert "ferretdb   stale pid file" in status.stdout
    down = _stack(stack_env, "down", "ferretdb")
    assert "stale pid file" in down.stdout
    assert not pidfile.exists()
