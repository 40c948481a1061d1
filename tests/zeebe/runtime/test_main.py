"""`python -m zeebe`: ready line, HTTP ops endpoints, clear error on a taken port, SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.ports import free_ports

pytestmark = pytest.mark.e2e
FAKE = "zeebe.testing.fake_engine:FakeEngine"


def start(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "zeebe", "--engine", FAKE, "--log-level", "warning", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    grpc_port, http_port = free_ports("127.0.0.1", 2)  # distinct: picked while all are held
    process = start(
        "--grpc-address", f"127.0.0.1:{grpc_port}", "--http-port", str(http_port),
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line == f"zeebe engine ready grpc=127.0.0.1:{grpc_port} http=127.0.0.1:{http_port}"
    yield process, grpc_port, http_port
    if process.poll() is None:
        process.kill()
        process.wait(10)


def get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.status, response.read().decode()


def test_health_and_ready_answer_json(engine: tuple[subprocess.Popen[str], int, int]) -> None:
    """/health (process up) and /ready (broker loop answers) return JSON status UP."""
    _, _, http_port = engine
    for path in ("/health", "/ready"):
        status, body = get(http_port, path)
        assert status == 200 and json.loads(body) == {"status": "UP"}


def test_metrics_expose_engine_counters(engine: tuple[subprocess.Popen[str], int, int]) -> None:
    """/metrics is Prometheus text with the engine's metric families (DESIGN 5)."""
    _, _, http_port = engine
    _, body = get(http_port, "/metrics")
    for family in (
        "zeebe_commit_latency_seconds",
        "zeebe_batch_size_commands",
        "zeebe_long_polls_open",
        "zeebe_records_written_total",
    ):
        assert family in body


def test_taken_grpc_port_is_a_clear_startup_error(
    engine: tuple[subprocess.Popen[str], int, int], tmp_path: Path
) -> None:
    """A second engine on the same port exits non-zero and says why."""
    _, grpc_port, _ = engine
    second = start("--grpc-address", f"127.0.0.1:{grpc_port}", "--http-port", "-1", "--in-memory")
    _, stderr = second.communicate(timeout=30)
    assert second.returncode == 2
    assert f"cannot listen on 127.0.0.1:{grpc_port}" in stderr


def test_sigterm_shuts_down_cleanly(engine: tuple[subprocess.Popen[str], int, int]) -> None:
    """SIGTERM: stop accepting, finish the batch, close the log, exit 0."""
    process, _, _ = engine
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
