"""The supervisor starts children with health waits and pid files and stops them by pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from demo.supervisor import StartupError, Supervisor
from demo.topology import ProcessSpec
from stack.ports import free_port, free_ports

pytestmark = pytest.mark.integration

SERVER = (
    "import http.server, os, socketserver;"
    "socketserver.TCPServer.allow_reuse_address = True;"
    "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])),"
    " http.server.SimpleHTTPRequestHandler).serve_forever()"
)


def _server(name: str) -> ProcessSpec:
    port = free_port("127.0.0.1")
    return ProcessSpec(
        name, (sys.executable, "-c", SERVER), {"PORT": str(port)}, f"http://127.0.0.1:{port}/"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_child_is_up_when_healthy_and_has_a_pid_file(tmp_path: Path) -> None:
    """Health wait, then `<name>.pid` holds the child's pid; stop_all removes it."""
    supervisor = Supervisor(tmp_path)
    try:
        running = supervisor.start(_server("web"), timeout_s=20)
        pid = int((tmp_path / "web.pid").read_text())
        assert pid == running.process.pid and _alive(pid)
    finally:
        supervisor.stop_all()

    running.process.wait(timeout=5)
    assert not (tmp_path / "web.pid").exists()
    assert running.process.returncode is not None


def test_a_child_that_exits_fails_startup_with_its_log(tmp_path: Path) -> None:
    """A crash during startup is reported with the tail of the child's log."""
    spec = ProcessSpec(
        "boom", (sys.executable, "-c", "print('no database'); raise SystemExit(3)"), {}, None
    )

    with pytest.raises(StartupError, match=r"boom exited with 3.*no database"):
        Supervisor(tmp_path).start(spec, timeout_s=10)


def test_a_failed_start_stops_what_was_already_started(tmp_path: Path) -> None:
    """start_all is all or nothing: earlier children are stopped by pid."""
    supervisor = Supervisor(tmp_path)
    first = _server("first")
    broken = ProcessSpec("broken", (sys.executable, "-c", "raise SystemExit(1)"), {}, None)

    with pytest.raises(StartupError):
        supervisor.start_all([first, broken])

    assert supervisor.running == []
    assert not (tmp_path / "first.pid").exists()


def test_one_child_can_be_stopped_and_started_again(tmp_path: Path) -> None:
    """stop(name) stops only that child and returns its spec for a restart."""
    supervisor = Supervisor(tmp_path)
    try:
        supervisor.start_all([_server("a"), _server("b")])
        spec = supervisor.stop("a")
        assert [r.spec.name for r in supervisor.running] == ["b"]
        supervisor.start(spec, timeout_s=20)
        assert sorted(r.spec.name for r in supervisor.running) == ["a", "b"]
    finally:
        supervisor.stop_all()


MAIN_WITH_TOY_PLAN = """
import sys
import demo.supervisor as supervisor
from demo.topology import ProcessSpec

def toy_plan(endpoints):
    return [
        ProcessSpec(name, (sys.executable, "-c", {server!r}), {{"PORT": port}}, f"http://127.0.0.1:{{port}}/")
        for name, port in (("one", "{port_one}"), ("two", "{port_two}"))
    ]

supervisor.plan = toy_plan
raise SystemExit(supervisor.main([]))
"""


def test_sigterm_stops_every_child_by_pid_and_exits_cleanly(tmp_path: Path) -> None:
    """Brief item 4: the supervisor stops everything it started on SIGTERM (by pid)."""
    port_one, port_two = free_ports("127.0.0.1", 2)
    script = MAIN_WITH_TOY_PLAN.format(server=SERVER, port_one=port_one, port_two=port_two)
    env = {**os.environ, "DEMO_DIR": str(tmp_path)}
    main = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert main.stdout is not None
        lines = []
        for line in main.stdout:
            lines.append(line)
            if "all processes healthy" in line:
                break
        pids = [int((tmp_path / f"{name}.pid").read_text()) for name in ("one", "two")]
        assert all(_alive(pid) for pid in pids), lines

        main.send_signal(signal.SIGTERM)
        assert main.wait(timeout=30) == 0
    finally:
        if main.poll() is None:
            main.kill()

    assert not any(_alive(pid) for pid in pids)
    assert not list(tmp_path.glob("*.pid"))


SLOW_TO_STOP = (
    "import os, signal, time;"
    "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1.5), os._exit(0)));" + SERVER
)


def test_a_second_signal_while_stopping_does_not_abort_the_stop(tmp_path: Path) -> None:
    """People press Ctrl-C twice: the second signal, while children are still stopping, is
    ignored (with a message) instead of aborting the stop and leaving processes running."""
    port_one, port_two = free_ports("127.0.0.1", 2)
    script = MAIN_WITH_TOY_PLAN.format(server=SLOW_TO_STOP, port_one=port_one, port_two=port_two)
    env = {**os.environ, "DEMO_DIR": str(tmp_path)}
    main = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert main.stdout is not None
        for line in main.stdout:
            if "all processes healthy" in line:
                break
        pids = [int((tmp_path / f"{name}.pid").read_text()) for name in ("one", "two")]
        main.send_signal(signal.SIGINT)
        for line in main.stdout:
            if line.startswith("stopping"):
                break
        main.send_signal(signal.SIGINT)  # while the first child takes 1.5 s to stop
        rest = main.stdout.read()
        assert main.wait(timeout=30) == 0
    finally:
        if main.poll() is None:
            main.kill()

    assert "still stopping" in rest
    assert not any(_alive(pid) for pid in pids)
    assert not list(tmp_path.glob("*.pid"))
