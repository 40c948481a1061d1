"""Stack.up with toy servers: a server that dies or never turns healthy is reported, cleaned up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stack import process
from stack.config import StackConfig
from stack.errors import ServerExitedError, StartTimeoutError
from stack.manager import Stack
from stack.plans import Launch
from stack.services import Service

pytestmark = pytest.mark.integration


def _toy(script: str, *, healthy: bool, timeout: float = 30.0) -> Service:
    def plan(cfg: StackConfig, _env: object) -> Launch:
        return Launch(
            service="toy",
            argv=("/bin/sh", "-c", script),
            workdir=cfg.service_dir("toy"),
            ports=(),
            start_timeout=timeout,
        )

    def health(_cfg: StackConfig) -> None:
        if not healthy:
            raise ConnectionRefusedError("nothing listens")

    return Service("toy", "Toy", plan, health, lambda _c: "toy", ())


def test_server_exiting_at_start_is_reported_with_log_tail(tmp_path: Path) -> None:
    """The error carries the exit code and the last log lines; no pid file is left."""
    service = _toy("echo 'FATAL: bad config line 3'; exit 3", healthy=False)
    stack = Stack(StackConfig(root=tmp_path), services={"toy": service})
    with pytest.raises(ServerExitedError) as raised:
        stack.up()
    message = str(raised.value)
    assert message.startswith("toy exited at start with code 3; last lines of")
    assert "FATAL: bad config line 3" in message
    assert not stack.cfg.pidfile("toy").exists()


def test_server_never_healthy_times_out_and_is_stopped(tmp_path: Path) -> None:
    """A server that runs but never passes its check is stopped, not left behind."""
    service = _toy("exec sleep 300", healthy=False, timeout=1.0)
    stack = Stack(StackConfig(root=tmp_path), services={"toy": service})
    with pytest.raises(StartTimeoutError, match=r"toy did not pass its health check within 1s"):
        stack.up()
    record = process.read_pidfile(stack.cfg.pidfile("toy"))
    assert record is None
    assert stack.running("toy") is None


def test_up_twice_keeps_the_running_server(tmp_path: Path) -> None:
    """`up` is idempotent: a healthy running service is reported, not started again."""
    messages: list[str] = []
    service = _toy("exec sleep 300", healthy=True)
    stack = Stack(StackConfig(root=tmp_path), services={"toy": service}, report=messages.append)
    stack.up()
    try:
        first = stack.running("toy")
        stack.up()
        assert stack.running("toy") == first
        assert f"toy: already running (pid {first})" in messages
    finally:
        stack.down()
    assert first is not None and process.group_members(first) == []


def _named(name: str, health: Callable[[StackConfig], None], **extra: Any) -> Service:
    def plan(cfg: StackConfig, _env: object) -> Launch:
        return Launch(
            service=name,
            argv=("/bin/sh", "-c", "exec sleep 300"),
            workdir=cfg.service_dir(name),
            ports=(),
        )

    return Service(name, name.title(), plan, health, lambda _c: name, (), **extra)


def test_a_server_is_prepared_and_launched_only_after_what_it_requires_is_healthy(
    tmp_path: Path,
) -> None:
    """FerretDB's database is created in PostgreSQL before FerretDB starts: `prepare` of a
    dependent runs once its requirement passed its health check, never before."""
    checks: list[str] = []

    def base_health(_cfg: StackConfig) -> None:
        checks.append("base")
        if len(checks) < 3:  # healthy on the third probe
            raise ConnectionRefusedError("starting")

    def prepare(_cfg: StackConfig) -> None:
        checks.append("prepare")

    services = {
        "base": _named("base", base_health),
        "dependent": _named("dependent", lambda _c: None, requires=("base",), prepare=prepare),
    }
    stack = Stack(StackConfig(root=tmp_path), services=services)
    stack.up(["dependent"])
    try:
        assert checks == ["base", "base", "base", "prepare"]
        assert stack.running("base") is not None and stack.running("dependent") is not None
    finally:
        stack.down()
