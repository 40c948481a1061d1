"""Read-only probes of the running system's stores, for the saga invariants.

Each probe reads one source of truth directly (a service's PostgreSQL database, the order
documents on FerretDB, Kafka, the engine's REST API) instead of trusting another service's view.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2  # type: ignore[import-untyped]  # no stubs in the pinned deps
import requests
from pymongo import MongoClient

from demo.topology import RELAYS, Endpoints

SAGA_TOPICS = tuple(f"{service}.events" for service in (*RELAYS, "order"))


@contextmanager
def database(e: Endpoints, name: str) -> Iterator[Any]:
    """A cursor on one service's own PostgreSQL database (autocommit, read only by use)."""
    host, port = e.pg_host_port.rsplit(":", 1)
    conn = psycopg2.connect(host=host, port=int(port), user="postgres", dbname=name)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _orders(e: Endpoints) -> Any:
    return MongoClient(e.mongo_url, serverSelectionTimeoutMS=5_000)["order"]["orders"]


def outbox_event_ids(e: Endpoints) -> set[str]:
    """Every event id ever written to an outbox: `<service>:<row id>` and the order events."""
    ids: set[str] = set()
    for service in RELAYS:
        with database(e, service) as cursor:
            cursor.execute("SELECT id FROM outbox")
            ids.update(f"{service}:{row[0]}" for row in cursor.fetchall())
    client_orders = _orders(e)
    for document in client_orders.find({}, {"outbox.event_id": 1}):
        ids.update(str(entry["event_id"]) for entry in document.get("outbox", []))
    return ids


def unsent_outbox_rows(e: Endpoints) -> int:
    """Outbox entries the relays have not marked sent yet (SQL rows and order entries)."""
    unsent = 0
    for service in RELAYS:
        with database(e, service) as cursor:
            cursor.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            unsent += int(cursor.fetchone()[0])
    for document in _orders(e).find({"outbox.sent": False}, {"outbox": 1}):
        unsent += sum(1 for entry in document["outbox"] if not entry["sent"])
    return unsent


def kafka_event_ids(
    bootstrap: str, wanted: Collection[str], *, timeout_s: float = 60.0
) -> Counter[str]:
    """How often each event id was seen on the saga topics (fresh group, from the start),
    reading until every wanted id arrived or `timeout_s` passed."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        *SAGA_TOPICS,
        bootstrap_servers=bootstrap,
        group_id=f"invariants-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    seen: Counter[str] = Counter()
    missing = set(wanted)
    deadline = time.monotonic() + timeout_s
    try:
        while missing and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500, max_records=5_000).values():
                for record in records:
                    event_id = _event_id(record)
                    seen[event_id] += 1
                    missing.discard(event_id)
    finally:
        consumer.close()
    return seen


def _event_id(record: Any) -> str:
    """The `event_id` header (every relay sets it), else the value's `event_id`."""
    headers = {name: raw for name, raw in record.headers or []}
    if "event_id" in headers:
        return str(headers["event_id"].decode())
    return str(json.loads(record.value).get("event_id", ""))


def ledger_summary(e: Endpoints) -> dict[str, int]:
    """The payment service's ledger summary (captured, refunded, net, negative_balances)."""
    response = requests.get(f"{e.url('payment')}/v1/ledger/summary", timeout=10)
    response.raise_for_status()
    return dict(response.json())


def on_hand(e: Endpoints, sku: str) -> int:
    """Current stock of a sku (inventory service)."""
    response = requests.get(f"{e.url('inventory')}/v1/stock/{sku}", timeout=10)
    response.raise_for_status()
    return int(response.json()["on_hand"])


def order_total(e: Endpoints, checkout_id: str) -> int:
    """Total (cents) of the saga's created order, from the order service's operation record
    (keyed `<checkoutId>:order-create`, bpmn/README.md)."""
    response = requests.get(f"{e.url('order')}/v1/orders/{checkout_id}:order-create", timeout=10)
    response.raise_for_status()
    record = response.json()
    return int((record.get("response") or record)["total"])


def active_reservations(e: Endpoints, checkout_ids: Collection[str]) -> list[str]:
    """Cart reservations of these checkouts still `active` (cart database)."""
    with database(e, "cart") as cursor:
        cursor.execute(
            "SELECT checkout_id FROM reservations"
            " WHERE status = 'active' AND checkout_id = ANY(%s)",
            (list(checkout_ids),),
        )
        return [str(row[0]) for row in cursor.fetchall()]


def loyalty_points(e: Endpoints, customers: Collection[str]) -> dict[str, int]:
    """Points per customer in the loyalty database (missing customers have none)."""
    with database(e, "loyalty") as cursor:
        cursor.execute(
            "SELECT customer_id, points FROM loyalty_accounts WHERE customer_id = ANY(%s)",
            (list(customers),),
        )
        return {str(c): int(p) for c, p in cursor.fetchall()}


def consumed_event_ids(e: Endpoints, service: str, consumer: str) -> set[str]:
    """Event ids a consumer recorded in its processed-message table."""
    with database(e, service) as cursor:
        cursor.execute("SELECT event_id FROM processed_messages WHERE consumer = %s", (consumer,))
        return {str(row[0]) for row in cursor.fetchall()}


def active_incidents(e: Endpoints) -> list[dict[str, Any]]:
    """Active incidents from the engine's REST API (`POST /v2/incidents/search`)."""
    body = {"filter": {"state": "ACTIVE"}, "page": {"limit": 1000}}
    response = requests.post(f"{e.url('zeebe_http')}/v2/incidents/search", json=body, timeout=10)
    response.raise_for_status()
    return [dict(item) for item in response.json()["items"]]
