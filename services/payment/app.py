"""Composition root of the payment service (`create_app`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, request

from services.common.db import default_database_url, ensure_database, init_db, make_engine, ping
from services.common.keyed_routes import json_response, register_keyed_operation
from services.common.web import app_extension, build_app
from services.payment.ports import sql_transactions
from services.payment.psp_client import HttpPsp, PspPort
from services.payment.service import PaymentService
from services.payment.tables import payment_tables

SERVICE = "payment"


@dataclass(frozen=True)
class PaymentConfig:
    """Settings of the payment service; `from_env` reads the PAYMENT_ prefix."""

    host: str = "127.0.0.1"
    port: int = 8003
    database_url: str = default_database_url(SERVICE)
    psp_url: str = "http://127.0.0.1:8006"
    psp_timeout_s: float = 2.0
    public_url: str = "http://127.0.0.1:8003"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PaymentConfig:
        """PAYMENT_HOST, PAYMENT_PORT, PAYMENT_DATABASE_URL, PAYMENT_PSP_URL,
        PAYMENT_PSP_TIMEOUT_S, PAYMENT_PUBLIC_URL (where the PSP posts confirmations)."""
        env = os.environ if env is None else env
        host = env.get("PAYMENT_HOST", cls.host)
        port = int(env.get("PAYMENT_PORT", str(cls.port)))
        return cls(
            host=host,
            port=port,
            database_url=env.get("PAYMENT_DATABASE_URL", cls.database_url),
            psp_url=env.get("PAYMENT_PSP_URL", cls.psp_url),
            psp_timeout_s=float(env.get("PAYMENT_PSP_TIMEOUT_S", str(cls.psp_timeout_s))),
            public_url=env.get("PAYMENT_PUBLIC_URL", f"http://{host}:{port}"),
        )


bp = Blueprint("payment", __name__)


# POST /v1/captures (forward), POST /v1/captures/<key>/compensation (refund once, or tombstone
# the key), GET /v1/captures/<key> (the operation record): contract section 1.
register_keyed_operation(
    bp,
    path="/v1/captures",
    extension=SERVICE,
    forward=PaymentService.capture,
    compensate=PaymentService.refund,
    read=PaymentService.operation,
)


def _service() -> PaymentService:
    service: PaymentService = app_extension(SERVICE)
    return service


@bp.post("/v1/payments/<payment_id>/confirmation")
def confirmation(payment_id: str) -> Response:
    """PSP callback confirming (or declining) a pending charge."""
    body = request.get_json(silent=True)
    return json_response(_service().confirm(payment_id, body if isinstance(body, dict) else {}))


@bp.get("/v1/ledger/summary")
def ledger_summary() -> Response:
    """Ledger totals for invariant checks."""
    return json_response(_service().ledger_summary())


def create_app(config: PaymentConfig | None = None, *, psp: PspPort | None = None) -> Flask:
    """Build the app: create the database and tables if missing, wire the PSP client."""
    config = config or PaymentConfig.from_env()
    ensure_database(config.database_url)
    engine = make_engine(config.database_url)
    tables = payment_tables()
    init_db(engine, tables.metadata)
    service = PaymentService(
        transaction=sql_transactions(engine, tables),
        psp=psp or HttpPsp(config.psp_url, timeout_s=config.psp_timeout_s),
        public_url=config.public_url.rstrip("/"),
    )
    app = build_app(SERVICE, health_check=lambda: ping(engine), blueprints=[bp], config={})
    app.extensions[SERVICE] = service
    app.extensions["payment_db"] = (engine, tables)
    return app
