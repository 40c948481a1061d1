"""WorkerConfig.from_env: the environment variables the worker reads."""

from __future__ import annotations

import pytest

from workers.config import WorkerConfig
from workers.contract import SERVICES

pytestmark = pytest.mark.unit


def test_defaults_point_at_the_local_stack() -> None:
    """DESIGN §2: engine on 26500, services on 8001-8005, everything on 127.0.0.1."""
    config = WorkerConfig.from_env({})

    assert config.zeebe_address == "127.0.0.1:26500"
    assert config.service_urls["cart"] == "http://127.0.0.1:8001"
    assert config.service_urls["order"] == "http://127.0.0.1:8005"
    assert set(config.service_urls) == set(SERVICES)


def test_environment_overrides() -> None:
    """ZEEBE_ADDRESS is the only switch between the embedded engine and a real cluster."""
    config = WorkerConfig.from_env(
        {
            "ZEEBE_ADDRESS": "zeebe:26500",
            "PAYMENT_URL": "http://payment:80",
            "WORKERS_METRICS_PORT": "9999",
            "WORKERS_BREAKER_FAIL_MAX": "2",
            "WORKERS_HTTP_ATTEMPTS": "7",
        }
    )

    assert config.zeebe_address == "zeebe:26500"
    assert config.service_urls["payment"] == "http://payment:80"
    assert config.metrics_port == 9999
    assert config.breaker_fail_max == 2
    assert config.retry.attempts == 7


def test_job_failure_backoff_comes_from_the_environment() -> None:
    """Brief H18: the FailJob `retryBackOff` base and cap are configurable (tests shorten them)."""
    default = WorkerConfig.from_env({})
    config = WorkerConfig.from_env(
        {"WORKERS_JOB_BACKOFF_BASE_MS": "50", "WORKERS_JOB_BACKOFF_MAX_MS": "400"}
    )

    assert (default.job_backoff_base_ms, default.job_backoff_max_ms) == (1_000, 30_000)
    assert (config.job_backoff_base_ms, config.job_backoff_max_ms) == (50, 400)
