"""The workers' HTTP transport (`workers.transport.OriginTransport`) against a real local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from stack.ports import free_port
from workers.transport import OriginTransport, TransportError

pytestmark = pytest.mark.unit


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the services answer
    disable_nagle_algorithm = True
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(
            {
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(body),
                "peer": self.client_address,
            }
        )
        status, answer = (
            (422, b'{"code": "NOPE"}') if self.path.endswith("/refuse") else (200, b'{"ok": true}')
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _origin(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def test_posts_json_with_the_given_headers_and_returns_status_and_body(
    server: ThreadingHTTPServer,
) -> None:
    """The service sees the path, a JSON body, its content type and the idempotency key."""
    transport = OriginTransport(_origin(server), 2)
    reply = transport.post(
        f"{_origin(server)}/v1/reservations",
        json={"cart_id": "c1"},
        headers={"Idempotency-Key": "chk-1:reserve"},
        timeout=5,
    )
    assert (reply.status_code, reply.json()) == (200, {"ok": True})
    seen = _Recorder.seen[0]
    assert seen["path"] == "/v1/reservations"
    assert seen["body"] == {"cart_id": "c1"}
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["Idempotency-Key"] == "chk-1:reserve"


def test_an_error_status_is_an_answer_not_a_transport_error(server: ThreadingHTTPServer) -> None:
    """4xx/5xx come back as replies: the client classifies them (business refusal, retry...)."""
    reply = OriginTransport(_origin(server), 1).post(
        f"{_origin(server)}/v1/refuse", json={}, headers={}, timeout=5
    )
    assert (reply.status_code, reply.json()) == (422, {"code": "NOPE"})


def test_calls_reuse_one_kept_alive_connection(server: ThreadingHTTPServer) -> None:
    """Sequential calls go over the same pooled connection (same client port)."""
    transport = OriginTransport(_origin(server), 1)
    for _ in range(3):
        transport.post(f"{_origin(server)}/v1/x", json={}, headers={}, timeout=5)
    assert len({seen["peer"] for seen in _Recorder.seen}) == 1


def test_a_refused_connection_is_a_transport_error() -> None:
    """Nothing listening: no answer, so a transient fault for the client's retry policy."""
    origin = f"http://127.0.0.1:{free_port('127.0.0.1')}"
    with pytest.raises(TransportError, match=r"MaxRetryError|NewConnectionError"):
        OriginTransport(origin, 1).post(f"{origin}/v1/x", json={}, headers={}, timeout=2)


def test_a_url_on_another_origin_is_refused() -> None:
    """One transport per service: a URL elsewhere is a programming error, not a request."""
    with pytest.raises(ValueError, match="is not on"):
        OriginTransport("http://127.0.0.1:1", 1).post(
            "http://example.com/v1/x", json={}, headers={}, timeout=1
        )
