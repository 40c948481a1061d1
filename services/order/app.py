"""Composition root of the order service (`create_app`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask
from pymongo import MongoClient

from services.common.keyed_routes import register_keyed_operation
from services.common.web import build_app
from services.order.pg_indexes import ensure_gin_indexes
from services.order.service import OrderService
from services.order.store import COLLECTION, Document, MongoOrderStore, OrderStore

SERVICE = "order"


@dataclass(frozen=True)
class OrderConfig:
    """Settings of the order service; `from_env` reads the ORDER_ prefix."""

    host: str = "127.0.0.1"
    port: int = 8005
    mongo_url: str = "mongodb://127.0.0.1:27018/"
    database: str = "order"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # FerretDB's backing PostgreSQL database (local stack only): where the GIN indexes go.
    ferretdb_postgres_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OrderConfig:
        """ORDER_HOST, ORDER_PORT, ORDER_MONGO_URL, ORDER_DATABASE, KAFKA_BOOTSTRAP_SERVERS,
        ORDER_FERRETDB_POSTGRES_URL."""
        env = os.environ if env is None else env
        return cls(
            host=env.get("ORDER_HOST", cls.host),
            port=int(env.get("ORDER_PORT", str(cls.port))),
            mongo_url=env.get("ORDER_MONGO_URL", cls.mongo_url),
            database=env.get("ORDER_DATABASE", cls.database),
            kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", cls.kafka_bootstrap_servers),
            ferretdb_postgres_url=env.get("ORDER_FERRETDB_POSTGRES_URL", ""),
        )


def open_store(config: OrderConfig) -> tuple[MongoOrderStore, MongoClient[Document]]:
    """Connect to MongoDB/FerretDB and create the indexes (on FerretDB, also the GIN ones)."""
    client: MongoClient[Document] = MongoClient(config.mongo_url, serverSelectionTimeoutMS=5000)
    store = MongoOrderStore(client, config.database)
    store.init()
    if config.ferretdb_postgres_url:
        ensure_gin_indexes(config.ferretdb_postgres_url, config.database, COLLECTION)
    return store, client


bp = Blueprint("order", __name__)
# POST /v1/orders (forward), POST /v1/orders/<key>/compensation (cancel once, or tombstone the
# key), GET /v1/orders/<key> (the operation record): contract section 1.
register_keyed_operation(
    bp,
    path="/v1/orders",
    extension=SERVICE,
    forward=OrderService.create,
    compensate=OrderService.cancel,
    read=OrderService.operation,
)


def create_app(config: OrderConfig | None = None, *, store: OrderStore | None = None) -> Flask:
    """Build the app on MongoDB (or on the given store, e.g. a fake in unit tests)."""
    if store is None:
        store, _client = open_store(config or OrderConfig.from_env())
    app = build_app(SERVICE, health_check=store.ping, blueprints=[bp], config={})
    app.extensions[SERVICE] = OrderService(store)
    return app
