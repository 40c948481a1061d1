"""`python -m services.loyalty` as a real process: consumes Kafka, serves points and metrics."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from services.common.outbox_relay import KafkaPublisher
from services.common.testing import create_test_database, drop_test_database
from services.order import domain as order_domain
from services.order.relay import to_message

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if check():
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def loyalty_url(pg_base_url: str, kafka_servers: str, tmp_path: Path) -> Iterator[str]:
    """The consumer process on a fresh database; stopped by pid afterwards."""
    database_url = create_test_database(pg_base_url, "loyalty")
    port = free_port()
    env = {
        **os.environ,
        "LOYALTY_PORT": str(port),
        "LOYALTY_DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_servers,
    }
    with (tmp_path / "loyalty.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.loyalty"], env=env, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: requests.get(f"{url}/health", timeout=1).status_code == 200,
            90,
            "loyalty did not become healthy",
        )
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        drop_test_database(database_url)


def test_consumer_process_awards_points_from_kafka(loyalty_url: str, kafka_servers: str) -> None:
    """Brief: `python -m services.loyalty` consumes `order.events` and awards points."""
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    request = order_domain.OrderRequest.parse(
        {
            "checkout_id": "chk",
            "customer_id": customer,
            "items": [{"sku": "s", "quantity": 3, "unit_price": 1000}],
        }
    )
    document = order_domain.order_document("k", "fp", request, now="2026-01-01", headers={})
    publisher = KafkaPublisher(kafka_servers, timeout_s=20)
    try:
        publisher.publish([to_message(document, document["outbox"][0])])
    finally:
        publisher.close()
    account = f"{loyalty_url}/v1/accounts/{customer}"
    wait_until(
        lambda: requests.get(account, timeout=2).json()["points"] == 30,
        90,
        "points were not awarded",
    )
    metrics = requests.get(f"{loyalty_url}/metrics", timeout=5).text
    assert 'loyalty_events_total{outcome="applied"}' in metrics
