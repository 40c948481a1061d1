"""Kafka from the stack fixture works with kafka-python 3.0: admin, idempotence, transactions."""

from __future__ import annotations

import uuid

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

from stack.config import KafkaServer

pytestmark = pytest.mark.integration


def _topic(kafka_server: KafkaServer, partitions: int = 1) -> str:
    name = f"it-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_server.bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()
    return name


def _read_all(kafka_server: KafkaServer, topic: str, **config: object) -> list[bytes]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka_server.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=5000,
        **config,
    )
    try:
        return [message.value for message in consumer]
    finally:
        consumer.close()


def test_admin_creates_a_topic(kafka_server: KafkaServer) -> None:
    """CreateTopics through the admin client makes the topic appear in the topic listing."""
    topic = _topic(kafka_server, partitions=3)
    admin = KafkaAdminClient(bootstrap_servers=kafka_server.bootstrap)
    try:
        assert topic in admin.list_topics()
    finally:
        admin.close()


def test_idempotent_producer_round_trip(kafka_server: KafkaServer) -> None:
    """An idempotent producer (acks=all) delivers each record once, in order, with its key."""
    topic = _topic(kafka_server)
    producer = KafkaProducer(
        bootstrap_servers=kafka_server.bootstrap, enable_idempotence=True, acks="all"
    )
    try:
        for index in range(3):
            producer.send(topic, key=b"order-1", value=f"event-{index}".encode()).get(timeout=30)
    finally:
        producer.close()
    assert _read_all(kafka_server, topic) == [b"event-0", b"event-1", b"event-2"]


def test_read_committed_consumer_sees_only_committed_transactions(
    kafka_server: KafkaServer,
) -> None:
    """With isolation_level='read_committed' a consumer skips records of aborted transactions.

    Kafka docs, consumer config `isolation.level`: read_committed returns only transactional
    messages which have been committed; a read_uncommitted consumer sees both.
    """
    topic = _topic(kafka_server)
    producer = KafkaProducer(
        bootstrap_servers=kafka_server.bootstrap, transactional_id=f"tx-{topic}"
    )
    try:
        producer.init_transactions()
        producer.begin_transaction()
        producer.send(topic, b"aborted")
        producer.flush()
        producer.abort_transaction()
        producer.begin_transaction()
        producer.send(topic, b"committed")
        producer.commit_transaction()
    finally:
        producer.close()
    assert _read_all(kafka_server, topic, isolation_level="read_committed") == [b"committed"]
    uncommitted = _read_all(kafka_server, topic, isolation_level="read_uncommitted")
    assert uncommitted == [b"aborted", b"committed"]
