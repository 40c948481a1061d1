"""`python -m services.psp` as a real process: the timeout token outlives the client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def psp_url() -> Iterator[str]:
    """Start the simulator process on a free port; stop it by pid afterwards."""
    port = free_port()
    env = {**os.environ, "PSP_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "services.psp"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if requests.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("PSP simulator did not start")
            time.sleep(0.1)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_timeout_token_times_out_the_client_but_the_charge_succeeded(psp_url: str) -> None:
    """Brief: tok_timeout sleeps past the client timeout then succeeds."""
    requests.put(f"{psp_url}/knobs", json={"timeout_sleep_ms": 1500}, timeout=5)
    body = {"amount": 100, "currency": "EUR", "reference": "r-1", "card_token": "tok_timeout"}
    with pytest.raises(requests.Timeout):
        requests.post(f"{psp_url}/charges", json=body, timeout=0.5)
    charge = requests.get(f"{psp_url}/charges/r-1", timeout=5).json()
    assert charge["status"] == "approved"
