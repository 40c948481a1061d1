"""Fraud service composition root: `create_app(config=None)`.

Config: `DATABASE_URL`, `RULES` (a FraudRules), or `UOW_FACTORY`/`HEALTH_CHECK` fakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask
from sqlalchemy import MetaData

from services.common.operations import StoredOperation
from services.common.routes import register_operation
from services.common.tables import add_common_tables
from services.common.uow import SqlUnitOfWork, UnitOfWork
from services.common.wiring import build_sql_app
from services.fraud.domain import FraudRules, assess, parse_check

SERVICE = "fraud"
OPERATION = "checks"


def _blueprint(rules: FraudRules) -> Blueprint:
    blueprint = Blueprint(SERVICE, __name__)

    def effect_for(body: Mapping[str, Any], key: str) -> Any:
        request = parse_check(body)

        def effect(uow: UnitOfWork) -> Mapping[str, Any]:
            response = assess(key, request, rules)
            uow.outbox.add("check", key, "fraud.checked", response)
            return response

        return effect

    def undo(uow: UnitOfWork, stored: StoredOperation) -> None:
        # A check changes nothing outside its own record: compensating it only marks the key,
        # so a late repeat of the check is refused (409) like any compensated forward call.
        uow.outbox.add("check", stored.key, "fraud.check_withdrawn", {"key": stored.key})

    register_operation(
        blueprint, service=SERVICE, operation=OPERATION, effect_for=effect_for, undo=undo
    )
    return blueprint


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the fraud app on PostgreSQL (DATABASE_URL) or on injected fakes."""
    settings = dict(config or {})
    metadata = MetaData()
    tables = add_common_tables(metadata)
    rules = settings.get("RULES") or FraudRules()
    return build_sql_app(
        SERVICE,
        settings,
        metadata=metadata,
        make_uow=lambda engine, headers: SqlUnitOfWork(engine, tables, dict(headers)),
        blueprint=_blueprint(rules),
    )
