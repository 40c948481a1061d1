"""Conformance suite: pyzeebe's generated stubs and client against the real embedded engine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conformance_support import Gateway
from pyzeebe import create_insecure_channel

from zeebe.testing.harness import EmbeddedZeebe


@pytest.fixture
async def gateway(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[Gateway]:
    """A raw gRPC gateway stub (pyzeebe's generated code) plus record helpers."""
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield Gateway(embedded_zeebe, channel)
    finally:
        await channel.close()
