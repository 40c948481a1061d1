"""BackgroundNode / EngineNode shutdown: nothing blocking on the engine loop, and a stop that
does not finish says where it waits (a bare timeout on CI left nothing to go on)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import cast

import pytest
import requests

from zeebe.http.server import HttpServer
from zeebe.runtime.background import BackgroundNode, LoopStuckError
from zeebe.runtime.node import EngineNode, NodeConfig
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration


async def current_thread() -> threading.Thread:
    """The thread this coroutine runs on."""
    return threading.current_thread()


def rest_node() -> EngineNode:
    """A real engine (in-memory log) with REST on a free loopback port."""
    return EngineNode(NodeConfig(grpc_address="127.0.0.1:0", http_port=0, in_memory=True))


def open_long_polls(node: EngineNode) -> float:
    """The broker's `zeebe_long_polls_open` gauge."""
    assert node.broker is not None
    value = node.broker.metrics.registry.get_sample_value("zeebe_long_polls_open")
    return value or 0.0


@pytest.fixture
def http_stop_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[threading.Thread]]:
    """The threads `HttpServer.stop` ran on (the real stop still runs)."""
    seen: list[threading.Thread] = []
    real_stop = HttpServer.stop

    def recording_stop(self: HttpServer) -> None:
        seen.append(threading.current_thread())
        real_stop(self)

    monkeypatch.setattr(HttpServer, "stop", recording_stop)
    yield seen


def test_the_http_shutdown_does_not_block_the_engine_loop(
    http_stop_threads: list[threading.Thread],
) -> None:
    """werkzeug's `shutdown()` waits for `serve_forever` and the thread join: run on the engine
    loop it froze gRPC, the broker and every REST request waiting for that loop meanwhile."""
    node = rest_node()
    background = BackgroundNode(node).start()
    loop_thread = background.call(current_thread())
    background.stop()
    assert len(http_stop_threads) == 1
    assert http_stop_threads[0] is not loop_thread


def test_a_long_poll_in_flight_over_rest_is_answered_when_the_node_stops() -> None:
    """Stopping releases parked long polls (Zeebe answers them empty on shutdown): a REST
    activation waiting for jobs gets its answer at once, not after its request timeout."""
    node = rest_node()
    background = BackgroundNode(node).start()
    answers: list[int] = []
    url = f"http://127.0.0.1:{node.http_port}/v2/jobs/activation"
    body = {"type": "never", "timeout": 1000, "maxJobsToActivate": 1, "requestTimeout": 20_000}
    poll = threading.Thread(
        target=lambda: answers.append(requests.post(url, json=body, timeout=30).status_code)
    )
    poll.start()
    deadline = time.monotonic() + 10
    while open_long_polls(node) < 1:
        assert time.monotonic() < deadline, "the activation never parked"
        time.sleep(0.01)
    started = time.monotonic()
    background.stop()
    poll.join(10)
    assert answers == [200]  # released empty, as at the end of its request timeout
    assert time.monotonic() - started < 10  # the request timeout is 20 s


ONE_TASK = ProcessBuilder("wait-here").start().service_task("task", type="never").end().to_xml()


def test_a_rest_create_awaiting_completion_is_answered_when_the_node_stops() -> None:
    """A POST /v2/process-instances with awaitCompletion waits for the instance result; when
    the node stops it is answered then (the broker fails parked result waiters), not held
    until its request timeout."""
    node = rest_node()
    background = BackgroundNode(node).start()
    base = f"http://127.0.0.1:{node.http_port}/v2"
    files = [("resources", ("wait.bpmn", ONE_TASK, "application/xml"))]
    assert requests.post(f"{base}/deployments", files=files, timeout=30).status_code == 200
    body = {"processDefinitionId": "wait-here", "awaitCompletion": True, "requestTimeout": 20_000}
    answers: list[int] = []
    create = threading.Thread(
        target=lambda: answers.append(
            requests.post(f"{base}/process-instances", json=body, timeout=30).status_code
        )
    )
    create.start()
    deadline = time.monotonic() + 10
    while not any(r.value_type.name == "JOB" for r in node.exporter.records()):
        assert time.monotonic() < deadline, "the instance never reached its task"
        time.sleep(0.01)
    started = time.monotonic()
    background.stop()
    create.join(15)
    assert answers == [503]  # UNAVAILABLE: the broker stopped
    assert time.monotonic() - started < 10  # the request timeout is 20 s


class StuckNode:
    """Stands in for EngineNode: starts at once, stops only when released."""

    def __init__(self) -> None:
        self.release = threading.Event()

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Wait for `release` (off the loop, so the loop itself stays free)."""
        await asyncio.to_thread(self.release.wait, 30)


def test_a_stop_that_does_not_finish_names_where_it_waits() -> None:
    """A stuck `node.stop()` raises LoopStuckError (a TimeoutError) carrying the stacks of the
    loop thread and its pending tasks, so a CI log shows what the engine waited for."""
    node = StuckNode()
    background = BackgroundNode(cast(EngineNode, node)).start()
    try:
        with pytest.raises(LoopStuckError) as caught:
            background.stop(timeout_s=0.5)
    finally:
        node.release.set()
    assert isinstance(caught.value, TimeoutError)
    message = str(caught.value)
    assert "no result within 0.5 s" in message
    assert "in stop" in message and "self.release.wait" in message
