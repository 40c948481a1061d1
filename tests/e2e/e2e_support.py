"""Helpers of the end-to-end tests: HTTP calls, polling, reading Kafka."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests


def call(method: str, url: str, body: Any = None, **headers: str) -> requests.Response:
    """One HTTP call (no status check)."""
    return requests.request(method, url, json=body, headers=headers, timeout=10)


def eventually(probe: Callable[[], Any], *, timeout_s: float = 30.0, every_s: float = 0.3) -> Any:
    """Poll until `probe()` is truthy; return its value (or the last one at the deadline)."""
    end = time.monotonic() + timeout_s
    value = probe()
    while not value and time.monotonic() < end:
        time.sleep(every_s)
        value = probe()
    return value


def kafka_events(
    bootstrap: str,
    topics: tuple[str, ...],
    predicate: Callable[[dict[str, Any]], bool],
    *,
    expect: int,
    timeout_s: float = 20.0,
) -> list[dict[str, Any]]:
    """Read `topics` from the start with a fresh group until `expect` matching events arrived.

    Each value gets its Kafka headers (decoded) under the key `_headers`.
    """
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=f"e2e-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    found: list[dict[str, Any]] = []
    end = time.monotonic() + timeout_s
    try:
        while len(found) < expect and time.monotonic() < end:
            for records in consumer.poll(timeout_ms=500).values():
                values = (_with_headers(record) for record in records)
                found.extend(value for value in values if predicate(value))
    finally:
        consumer.close()
    return found


def _with_headers(record: Any) -> dict[str, Any]:
    value = dict(json.loads(record.value))
    value["_headers"] = {name: raw.decode() for name, raw in record.headers or []}
    return value
