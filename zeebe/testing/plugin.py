"""pytest plugin: `zeebe_engine`, `zeebe_client` and friends (load via pytest_plugins).

    pytest_plugins = ["zeebe.testing.plugin"]

`--zeebe=embedded` (default) starts an in-process engine per test on a free port with an
in-memory log and a manual clock; `--zeebe=host:port` points the same tests at a running engine
(record assertions and the clock are then unavailable and those tests are skipped).
Override the `zeebe_engine_factory` fixture to run the harness on another engine class.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pyzeebe import ZeebeClient, create_insecure_channel

from zeebe.runtime.node import EngineFactory, default_engine_factory
from zeebe.testing.harness import EmbeddedZeebe, ZeebeTestEngine, open_engine


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register --zeebe."""
    parser.addoption(
        "--zeebe",
        default="embedded",
        help="engine for zeebe_engine: 'embedded' (default) or host:port of a running engine",
    )


@pytest.fixture
def zeebe_engine_factory() -> EngineFactory:
    """The engine class the embedded harness runs (the real engine unless overridden)."""
    return default_engine_factory


@pytest.fixture
def zeebe_engine(
    request: pytest.FixtureRequest, zeebe_engine_factory: EngineFactory
) -> Iterator[ZeebeTestEngine]:
    """A Zeebe-compatible engine for one test; embedded unless --zeebe=host:port."""
    option = request.config.getoption("--zeebe", default="embedded")
    engine = open_engine(str(option), zeebe_engine_factory)
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture
def embedded_zeebe(zeebe_engine: ZeebeTestEngine) -> EmbeddedZeebe:
    """The embedded engine, for tests that need records or the clock (skipped when remote)."""
    if not isinstance(zeebe_engine, EmbeddedZeebe):
        pytest.skip("needs --zeebe=embedded (records and clock control)")
    return zeebe_engine


@pytest.fixture
async def zeebe_client(
    zeebe_engine: ZeebeTestEngine, anyio_backend: object
) -> AsyncIterator[ZeebeClient]:
    """A pyzeebe client on a grpc.aio channel to the engine (use in @pytest.mark.anyio tests)."""
    channel = create_insecure_channel(grpc_address=zeebe_engine.grpc_address)
    try:
        yield ZeebeClient(channel)
    finally:
        await channel.close()
