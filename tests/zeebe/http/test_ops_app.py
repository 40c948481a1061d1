"""The engine's Flask app: ops endpoints talk to the broker loop across threads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zeebe.http import create_app
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.node import EngineNode, NodeConfig, engine_factory

pytestmark = pytest.mark.unit


@pytest.fixture
def node() -> Iterator[BackgroundNode]:
    config = NodeConfig(grpc_address="127.0.0.1:0", http_port=None, in_memory=True)
    factory = engine_factory("zeebe.testing.fake_engine:FakeEngine")
    background = BackgroundNode(EngineNode(config, engine_factory=factory)).start()
    yield background
    background.stop()


def test_ready_is_up_while_the_broker_loop_answers(node: BackgroundNode) -> None:
    """/ready round-trips through the broker loop (run_coroutine_threadsafe)."""
    assert node.node.broker is not None
    client = create_app(node.node.broker).test_client()
    response = client.get("/ready")
    assert response.status_code == 200 and response.get_json() == {"status": "UP"}


def test_ready_and_health_are_down_after_shutdown(node: BackgroundNode) -> None:
    """A stopped broker is neither healthy nor ready (503), so probes restart or drain it."""
    broker = node.node.broker
    assert broker is not None
    client = create_app(broker).test_client()
    node.call(broker.stop())
    assert client.get("/ready").status_code == 503
    assert client.get("/health").get_json() == {"status": "DOWN"}


def test_metrics_count_processed_commands(node: BackgroundNode) -> None:
    """Commands processed are counted by value type and intent once committed."""
    from zeebe.engine.api import Command
    from zeebe.records import ValueType

    broker = node.node.broker
    assert broker is not None
    node.call(broker.execute(Command(ValueType.SIGNAL, "BROADCAST", {"signalName": "s"})))
    body = create_app(broker).test_client().get("/metrics").get_data(as_text=True)
    assert 'zeebe_commands_processed_total{intent="BROADCAST",value_type="SIGNAL"} 1.0' in body
