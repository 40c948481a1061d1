"""Every service is served by `serve_wsgi`: a production WSGI server (waitress) with a pool of
request threads, stopped by SIGTERM the way Kubernetes and the supervisor stop it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from stack.ports import free_port

pytestmark = pytest.mark.integration

APP = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    from flask import Flask, jsonify
    from services.common.serve import serve_wsgi

    app = Flask("probe")
    inside = {"now": 0, "most": 0}
    lock = threading.Lock()

    @app.get("/slow")
    def slow():
        with lock:
            inside["now"] += 1
            inside["most"] = max(inside["most"], inside["now"])
        time.sleep(0.3)
        with lock:
            inside["now"] -= 1
        return jsonify(most=inside["most"])

    try:
        serve_wsgi(app, "127.0.0.1", int(sys.argv[1]), env={"WSGI_THREADS": "8"})
    finally:
        Path(sys.argv[2]).write_text("cleaned up")
    """
)


@pytest.fixture
def served(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port("127.0.0.1")
    marker = tmp_path / "finally"
    script = tmp_path / "probe.py"
    script.write_text(APP)
    child = subprocess.Popen(
        [sys.executable, str(script), str(port), str(marker)],
        cwd=Path(__file__).resolve().parents[3],
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/nothing", timeout=1)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "probe server did not start"
            time.sleep(0.1)
    yield child, base, marker
    if child.poll() is None:
        child.kill()
        child.wait()


def test_requests_are_served_concurrently_by_the_thread_pool(
    served: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    """Eight slow requests at once run side by side (WSGI_THREADS=8), not one after another."""
    _child, base, _marker = served
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: requests.get(f"{base}/slow", timeout=10), range(8)))
    assert all(reply.status_code == 200 for reply in replies)
    assert max(reply.json()["most"] for reply in replies) >= 4


def test_sigterm_stops_the_server_and_runs_the_callers_cleanup(
    served: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    """SIGTERM ends `serve_wsgi` normally: the process exits 0 after its `finally` ran (so a
    service's consumer thread is stopped and its offsets committed)."""
    child, _base, marker = served
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=10) == 0
    assert marker.read_text() == "cleaned up"
