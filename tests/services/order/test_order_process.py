"""The order service and its in-document outbox relay as real processes, on FerretDB and Kafka."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pymongo import MongoClient

from services.common.testing import kafka_bootstrap

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(module: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=15)


@pytest.fixture(scope="session")
def kafka_servers(request: pytest.FixtureRequest) -> str:
    servers = kafka_bootstrap(request)
    if servers is None:
        pytest.skip("no Kafka: load the stack plugin or set TEST_KAFKA_BOOTSTRAP")
    return servers


@pytest.fixture
def order_url(
    mongo_client: MongoClient[dict[str, Any]],
    mongo_database: str,
    kafka_servers: str,
    tmp_path: Path,
) -> Iterator[str]:
    """`python -m services.order` and `python -m services.order.relay` on a fresh database."""
    url = mongo_client.address
    assert url is not None
    port = free_port()
    env = {
        "ORDER_PORT": str(port),
        "ORDER_MONGO_URL": f"mongodb://{url[0]}:{url[1]}/",
        "ORDER_DATABASE": mongo_database,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_servers,
    }
    processes = [
        start("services.order", env, tmp_path / "order.log"),
        start("services.order.relay", env, tmp_path / "relay.log"),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # slow imports on a loaded 2-core box
        while True:
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "order service did not become healthy"
            time.sleep(0.1)
        yield base
    finally:
        for process in processes:
            stop(process)


def test_created_order_event_reaches_kafka_keyed_by_order_id(
    order_url: str, kafka_servers: str, tmp_path: Path
) -> None:
    """Brief: the relay publishes unsent in-document events to `order.events`, key = order id."""
    from kafka import KafkaConsumer

    body = {
        "checkout_id": "chk",
        "customer_id": "c",
        "items": [{"sku": "s", "quantity": 1, "unit_price": 100}],
    }
    key = f"pi-{uuid.uuid4().hex[:8]}:order"
    created = requests.post(
        f"{order_url}/v1/orders", json=body, headers={"Idempotency-Key": key}, timeout=10
    )
    order_id = created.json()["order_id"]
    consumer = KafkaConsumer(
        "order.events",
        bootstrap_servers=kafka_servers,
        group_id=f"order-test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    try:
        deadline, found = time.monotonic() + 60, None
        while found is None and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                found = next((r for r in records if r.key == order_id.encode()), found)
        relay_log = (tmp_path / "relay.log").read_text(errors="replace")[-3000:]
        assert found is not None, f"order.created never reached Kafka; relay log:\n{relay_log}"
        assert json.loads(found.value)["event_type"] == "order.created"
        assert dict(found.headers)["event_type"] == b"order.created"
    finally:
        consumer.close()
