"""Client CPU per service call: the workers' transport against the alternatives it replaced.

    .venv/bin/python benchmarks/bench_http_client.py [--calls 3000]

One local keep-alive HTTP server answers a small JSON POST (the shape of a saga step call);
each client makes `--calls` calls from one thread, after a warm-up, and the CPU time of that
thread (`time.thread_time`, user + system) per call is printed. Only the client's cost is
measured: the server is the same for all.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from workers.transport import OriginTransport

BODY = {"cart_id": "cart-1", "checkout_id": "chk-1", "items": [["sku-1", 2], ["sku-2", 1]]}
HEADERS = {
    "Idempotency-Key": "chk-1:reserve-cart",
    "traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01",
}


class _Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        answer = b'{"status": "reserved", "reservation_key": "chk-1:reserve-cart"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


def _requests_client(trust_env: bool) -> Callable[[str], Any]:
    session = requests.Session()
    session.trust_env = trust_env

    def call(url: str) -> Any:
        return session.post(url, json=BODY, headers=HEADERS, timeout=5).json()

    return call


def _transport_client(origin: str) -> Callable[[str], Any]:
    transport = OriginTransport(origin, 4)

    def call(url: str) -> Any:
        return transport.post(url, json=BODY, headers=HEADERS, timeout=5).json()

    return call


def cpu_per_call(call: Callable[[str], Any], url: str, calls: int) -> float:
    """Microseconds of this thread's CPU per call, after 200 warm-up calls."""
    for _ in range(200):
        call(url)
    started = time.thread_time()
    for _ in range(calls):
        call(url)
    return 1e6 * (time.thread_time() - started) / calls


def main(argv: list[str] | None = None) -> int:
    """Start the server, measure each client twice (interleaved), print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    url = f"{origin}/v1/reservations"
    clients = {
        "requests.Session (default)": _requests_client(trust_env=True),
        "requests.Session, trust_env=False": _requests_client(trust_env=False),
        "workers.transport.OriginTransport": _transport_client(origin),
    }
    results: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(2):
        for name, client in clients.items():
            results[name].append(cpu_per_call(client, url, args.calls))
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    for name, runs in results.items():
        print(f"  {name:<36} {min(runs):6.0f} us client CPU per call (best of {len(runs)})")
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
