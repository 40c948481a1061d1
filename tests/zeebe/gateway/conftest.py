"""Gateway tests run the harness on the fake engine: they pin the gateway, not BPMN semantics."""

from __future__ import annotations

import pytest

from zeebe.runtime.node import EngineFactory, engine_factory


@pytest.fixture
def zeebe_engine_factory() -> EngineFactory:
    return engine_factory("zeebe.testing.fake_engine:FakeEngine")
