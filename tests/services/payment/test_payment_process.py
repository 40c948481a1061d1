"""The payment service, its PSP and its outbox relay as real processes, events on real Kafka."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from payment_servers import Process, start_module

from services.common.testing import create_test_database, drop_test_database
from stack.ports import free_ports

pytestmark = pytest.mark.integration


@pytest.fixture
def processes(pg_base_url: str, kafka_servers: str) -> Iterator[str]:
    """PSP, payment service and payment relay processes; yields the payment URL."""
    database_url = create_test_database(pg_base_url, "payment")
    psp_port, payment_port = free_ports("127.0.0.1", 2)
    psp_url, payment_url = f"http://127.0.0.1:{psp_port}", f"http://127.0.0.1:{payment_port}"
    started: list[Process] = []
    try:
        started.append(
            start_module("services.psp", {"PSP_PORT": str(psp_port)}, f"{psp_url}/health")
        )
        env = {
            "PAYMENT_PORT": str(payment_port),
            "PAYMENT_DATABASE_URL": database_url,
            "PAYMENT_PSP_URL": psp_url,
            "KAFKA_BOOTSTRAP_SERVERS": kafka_servers,
        }
        started.append(start_module("services.payment", env, f"{payment_url}/health"))
        started.append(start_module("services.payment.relay", env, None))
        yield payment_url
    finally:
        for process in reversed(started):
            process.stop()
        drop_test_database(database_url)


def test_captured_event_reaches_kafka_keyed_by_payment_id(
    processes: str, kafka_servers: str
) -> None:
    """DESIGN 4: business row and outbox row commit together; the relay publishes to
    `payment.events` with key = aggregate id (the payment id)."""
    from kafka import KafkaConsumer

    key = f"pi-{uuid.uuid4().hex[:8]}:capture"
    body = {"amount": 990, "card_token": "card", "checkout_id": "chk-p"}
    response = requests.post(
        f"{processes}/v1/captures", json=body, headers={"Idempotency-Key": key}, timeout=10
    )
    payment_id = response.json()["payment_id"]
    consumer = KafkaConsumer(
        "payment.events",
        bootstrap_servers=kafka_servers,
        group_id=f"payment-test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    try:
        deadline = time.monotonic() + 60
        found = None
        while found is None and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    if record.key == payment_id.encode():
                        found = record
        assert found is not None, "payment.captured never reached Kafka"
        value = json.loads(found.value)
        assert (value["event_type"], value["payload"]["key"]) == ("payment.captured", key)
    finally:
        consumer.close()
