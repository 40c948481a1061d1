"""Harness tests run on the fake engine unless they say otherwise."""

from __future__ import annotations

import pytest

from zeebe.runtime.node import EngineFactory, engine_factory
from zeebe.testing.plugin import embedded_zeebe, zeebe_client, zeebe_engine

__all__ = ["embedded_zeebe", "zeebe_client", "zeebe_engine"]


@pytest.fixture
def zeebe_engine_factory() -> EngineFactory:
    return engine_factory("zeebe.testing.fake_engine:FakeEngine")
