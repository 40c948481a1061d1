"""Fixtures for payment tests: a PSP simulator and the payment service on real HTTP servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from payment_servers import Served, serve

from services.common.testing import (
    create_test_database,
    drop_test_database,
    kafka_bootstrap,
    postgres_base_url,
)
from services.payment import PaymentConfig, create_app
from services.psp import PspConfig
from services.psp import create_app as create_psp_app


@pytest.fixture(scope="session")
def pg_base_url(request: pytest.FixtureRequest) -> str:
    """The session's PostgreSQL server (stack fixture or $TEST_POSTGRES_URL)."""
    url = postgres_base_url(request)
    if url is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    return url


@pytest.fixture(scope="session")
def kafka_servers(request: pytest.FixtureRequest) -> str:
    """Bootstrap servers of the session's Kafka broker."""
    servers = kafka_bootstrap(request)
    if servers is None:
        pytest.skip("no Kafka: load the stack plugin or set TEST_KAFKA_BOOTSTRAP")
    return servers


@pytest.fixture
def psp() -> Iterator[Served]:
    """The PSP simulator with real sleeps, timers and callbacks."""
    served = serve(lambda url: create_psp_app(PspConfig()))
    yield served
    served.stop()


@pytest.fixture
def psp_timeout_s() -> float:
    """How long the payment service waits for the PSP (tests override it)."""
    return 1.0


@pytest.fixture
def payment(pg_base_url: str, psp: Served, psp_timeout_s: float) -> Iterator[Served]:
    """The payment service on a fresh database, talking to the simulator."""
    database_url = create_test_database(pg_base_url, "payment")

    def build(url: str) -> Any:
        config = PaymentConfig(
            database_url=database_url,
            psp_url=psp.url,
            psp_timeout_s=psp_timeout_s,
            public_url=url,
        )
        return create_app(config)

    served = serve(build)
    yield served
    served.stop()
    served.app.extensions["payment_db"][0].dispose()
    drop_test_database(database_url)


@pytest.fixture
def set_knobs(psp: Served) -> Callable[..., None]:
    """Change PSP knobs over HTTP."""

    def apply(**knobs: Any) -> None:
        requests.put(f"{psp.url}/knobs", json=knobs, timeout=5).raise_for_status()

    return apply
