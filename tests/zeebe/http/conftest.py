"""An engine node serving REST on a free port, and a /v2 client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_support import Rest

from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.node import EngineNode, NodeConfig


@pytest.fixture
def engine() -> Iterator[EngineNode]:
    """A real engine (in-memory log) with HTTP on a free loopback port."""
    config = NodeConfig(grpc_address="127.0.0.1:0", http_port=0, in_memory=True)
    node = EngineNode(config)
    background = BackgroundNode(node).start()
    yield node
    background.stop()


@pytest.fixture
def rest(engine: EngineNode) -> Rest:
    """A /v2 client for the engine fixture."""
    assert engine.http_port is not None
    return Rest(engine.http_port)
