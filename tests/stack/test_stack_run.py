"""`python -m stack run` (what `make run` calls): foreground until SIGTERM, then a clean stop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from stack import process
from stack.config import REPO_ROOT
from stack.ports import free_ports, port_is_free

pytestmark = pytest.mark.integration


def _wait_for_line(child: subprocess.Popen[str], needle: str, timeout: float) -> list[str]:
    assert child.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} not printed; output so far:\n{''.join(seen)}")


def test_run_prints_addresses_and_stops_on_sigterm() -> None:
    """`run` says where each server listens and how to stop; SIGTERM stops them and exits 0."""
    root = Path(tempfile.mkdtemp(prefix="stack-run-test-"))
    root.chmod(0o755)
    pg_port, mongo_port = free_ports("127.0.0.1", 2)
    env = {key: value for key, value in os.environ.items() if not key.startswith("STACK_")}
    env |= {"STACK_DIR": str(root), "STACK_PG_PORT": str(pg_port)}
    env |= {"STACK_MONGO_PORT": str(mongo_port)}
    child = subprocess.Popen(
        [sys.executable, "-m", "stack", "run", "postgres", "ferretdb"],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = "".join(_wait_for_line(child, "stop with Ctrl-C", timeout=120))
        assert f"postgresql://postgres@127.0.0.1:{pg_port}/postgres" in output
        assert f"mongodb://127.0.0.1:{mongo_port}/" in output
        pids = [
            process.read_pidfile(root / name / f"{name}.pid") for name in ("postgres", "ferretdb")
        ]
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
        shutil.rmtree(root, ignore_errors=True)
    for record in pids:
        assert record is not None
        assert process.group_members(record.pid) == []
    assert port_is_free("127.0.0.1", pg_port) and port_is_free("127.0.0.1", mongo_port)
