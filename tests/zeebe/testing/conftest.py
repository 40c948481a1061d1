"""Harness tests run on the fake engine unless they say otherwise."""

from __future__ import annotations

import pytest

from zeebe.runtime.node import EngineFactory, engine_factory


@pytest.fixture
def zeebe_engine_factory() -> EngineFactory:
    return engine_factory("zeebe.testing.fake_engine:FakeEngine")
