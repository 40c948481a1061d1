"""Composition root of the loyalty consumer: config, database, and a small HTTP face."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import Engine

from services.common.db import default_database_url, ensure_database, init_db, make_engine, ping
from services.common.web import app_extension, build_app
from services.loyalty.store import LoyaltyTables, loyalty_tables, points_of

SERVICE = "loyalty"


@dataclass(frozen=True)
class LoyaltyConfig:
    """Settings; `from_env` reads LOYALTY_HOST, LOYALTY_PORT, LOYALTY_DATABASE_URL and
    KAFKA_BOOTSTRAP_SERVERS."""

    host: str = "127.0.0.1"
    port: int = 8008  # DESIGN.md §2: 8007 is the fraud service
    database_url: str = default_database_url(SERVICE)
    kafka_bootstrap_servers: str = "127.0.0.1:19092"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LoyaltyConfig:
        """Read the environment."""
        env = os.environ if env is None else env
        return cls(
            host=env.get("LOYALTY_HOST", cls.host),
            port=int(env.get("LOYALTY_PORT", str(cls.port))),
            database_url=env.get("LOYALTY_DATABASE_URL", cls.database_url),
            kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", cls.kafka_bootstrap_servers),
        )


def open_database(config: LoyaltyConfig) -> tuple[Engine, LoyaltyTables]:
    """Create the database and tables if missing."""
    ensure_database(config.database_url)
    engine = make_engine(config.database_url)
    tables = loyalty_tables()
    init_db(engine, tables.metadata)
    return engine, tables


bp = Blueprint("loyalty", __name__)


@bp.get("/v1/accounts/<customer_id>")
def account(customer_id: str) -> Response:
    """A customer's points."""
    engine, tables = app_extension(SERVICE)
    with engine.connect() as conn:
        points = points_of(conn, tables, customer_id)
    return jsonify({"customer_id": customer_id, "points": points})


def create_app(config: LoyaltyConfig | None = None) -> Flask:
    """HTTP face of the consumer: health, metrics and account reads."""
    engine, tables = open_database(config or LoyaltyConfig.from_env())
    app = build_app(SERVICE, health_check=lambda: ping(engine), blueprints=[bp], config={})
    app.extensions[SERVICE] = (engine, tables)
    return app
