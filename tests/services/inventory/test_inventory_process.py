"""`python -m services.inventory` as a real process on a free port (CONTRACT.md 7)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30.0) -> None:
    """Poll /health until 200, failing early if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "service exited at start"
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} not healthy after {timeout_s}s")


def test_service_process_serves_the_contract_and_stops_on_sigterm(sql_url: str) -> None:
    """The entrypoint reads INVENTORY_PORT/INVENTORY_DATABASE_URL, serves, and stops cleanly."""
    port = free_port()
    env = {**os.environ, "INVENTORY_PORT": str(port), "INVENTORY_DATABASE_URL": sql_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "services.inventory"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/health", process)
        requests.put(f"{base}/v1/stock/a", json={"on_hand": 1}, timeout=5)
        headers = {"Idempotency-Key": "pi:alloc"}
        body = {"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]}
        first = requests.post(f"{base}/v1/allocations", json=body, headers=headers, timeout=5)
        again = requests.post(f"{base}/v1/allocations", json=body, headers=headers, timeout=5)
        assert (first.status_code, first.json()) == (again.status_code, again.json())
        assert requests.get(f"{base}/v1/stock/a", timeout=5).json()["on_hand"] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
    assert process.returncode is not None
