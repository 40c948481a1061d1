"""The engine's Flask app: ops endpoints talk to the broker loop across threads (no servers:
the broker runs on its own loop thread, Flask's test client makes the requests)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest

from zeebe.engine.api import Command
from zeebe.http import create_app
from zeebe.records import ValueType
from zeebe.runtime.broker import Broker
from zeebe.runtime.clock import ManualClock
from zeebe.runtime.log_store import InMemoryLogStore
from zeebe.testing.fake_engine import FakeEngine

pytestmark = pytest.mark.unit


class LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def running() -> Iterator[tuple[Broker, LoopThread]]:
    clock = ManualClock()
    broker = Broker(engine=FakeEngine(clock), log_store=InMemoryLogStore(), clock=clock)
    loop = LoopThread()
    loop.call(broker.start())
    yield broker, loop
    loop.call(broker.stop())
    loop.close()


def test_ready_is_up_while_the_broker_loop_answers(running: tuple[Broker, LoopThread]) -> None:
    """/ready round-trips through the broker loop (run_coroutine_threadsafe)."""
    broker, _ = running
    response = create_app(broker).test_client().get("/ready")
    assert response.status_code == 200 and response.get_json() == {"status": "UP"}


def test_ready_and_health_are_down_after_shutdown(running: tuple[Broker, LoopThread]) -> None:
    """A stopped broker is neither healthy nor ready (503), so probes restart or drain it."""
    broker, loop = running
    client = create_app(broker).test_client()
    loop.call(broker.stop())
    assert client.get("/ready").status_code == 503
    assert client.get("/health").get_json() == {"status": "DOWN"}


def test_metrics_count_processed_commands(running: tuple[Broker, LoopThread]) -> None:
    """Commands processed are counted by value type and intent once committed."""
    broker, loop = running
    loop.call(broker.execute(Command(ValueType.SIGNAL, "BROADCAST", {"signalName": "s"})))
    body = create_app(broker).test_client().get("/metrics").get_data(as_text=True)
    assert 'zeebe_commands_processed_total{intent="BROADCAST",value_type="SIGNAL"} 1.0' in body
