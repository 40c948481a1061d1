"""`python -m workers`: serves metrics and stops gracefully on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scrape(port: int, deadline: float, process: subprocess.Popen[bytes], log: Path) -> str:
    """The worker's /metrics, once it serves; a worker that died or never served fails the test
    with its own log (the only clue on a CI machine)."""
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as reply:
                return reply.read().decode()
        except OSError as error:
            code = process.poll()
            if code is not None or time.monotonic() > deadline:
                state = f"exited with {code}" if code is not None else "still not serving"
                tail = log.read_text()[-3000:]
                raise AssertionError(f"worker {state} ({error}); its log:\n{tail}") from error
            time.sleep(0.1)


def test_worker_serves_metrics_and_drains_on_sigterm(tmp_path: Path) -> None:
    """DESIGN §5 metrics (and /health, brief H18) on WORKERS_METRICS_PORT; brief: graceful
    shutdown on SIGTERM via pyzeebe `worker.stop()`. No gateway is listening: the worker keeps
    polling meanwhile."""
    port = _free_port()
    env = {**os.environ, "ZEEBE_ADDRESS": f"127.0.0.1:{_free_port()}",
           "WORKERS_METRICS_PORT": str(port)}  # fmt: skip
    log_path = tmp_path / "worker.log"
    log = log_path.open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "workers"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        metrics = _scrape(port, time.monotonic() + 60, process, log_path)
        for service in ("cart", "pricing", "fraud", "payment", "inventory", "order"):
            assert f'checkout_worker_circuit_breaker_state{{service="{service}"}} 0.0' in metrics
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
            assert json.loads(reply.read()) == {"status": "ok", "service": "workers"}

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    log.seek(0)
    events = [json.loads(line)["event"] for line in log if line.startswith("{")]
    log.close()
    assert events[0] == "worker_started"
    assert events[-2:] == ["worker_stopping", "worker_stopped"]
