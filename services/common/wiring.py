"""Composition-root helper: SQL wiring from config, or injected fakes for tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask
from sqlalchemy import Engine, MetaData

from services.common.db import default_database_url, ensure_database, init_db, make_engine, ping
from services.common.routes import UOW_FACTORY
from services.common.uow import UnitOfWork
from services.common.web import build_app

UowFactory = Callable[[Mapping[str, str]], UnitOfWork]
MakeUow = Callable[[Engine, Mapping[str, str]], UnitOfWork]


@dataclass(frozen=True)
class Wiring:
    """What an app needs from its persistence: units of work and a health check."""

    uow_factory: UowFactory
    health_check: Callable[[], None]
    engine: Engine | None = None


def resolve_wiring(
    service: str, config: Mapping[str, Any], *, metadata: MetaData, make_uow: MakeUow
) -> Wiring:
    """Use config["UOW_FACTORY"] (fakes) if given, else PostgreSQL at config["DATABASE_URL"].

    The SQL path creates the database if missing and the tables (init_db).
    """
    injected = config.get("UOW_FACTORY")
    if injected is not None:
        return Wiring(uow_factory=injected, health_check=config.get("HEALTH_CHECK", _healthy))
    url = str(config.get("DATABASE_URL") or default_database_url(service))
    if config.get("CREATE_DATABASE", True):
        ensure_database(url)
    engine = make_engine(url)
    init_db(engine, metadata)

    def uow_factory(headers: Mapping[str, str]) -> UnitOfWork:
        return make_uow(engine, headers)

    return Wiring(uow_factory=uow_factory, health_check=lambda: ping(engine), engine=engine)


def build_sql_app(
    service: str,
    settings: dict[str, Any],
    *,
    metadata: MetaData,
    make_uow: MakeUow,
    blueprint: Blueprint,
) -> Flask:
    """The app of a service on units of work: `resolve_wiring`, its blueprint, and the unit of
    work factory (`UOW_FACTORY`) and SQL engine (`sql_engine`, None with fakes) as extensions."""
    wiring = resolve_wiring(service, settings, metadata=metadata, make_uow=make_uow)
    app = build_app(
        service, health_check=wiring.health_check, blueprints=[blueprint], config=settings
    )
    app.extensions[UOW_FACTORY] = wiring.uow_factory
    app.extensions["sql_engine"] = wiring.engine
    return app


def _healthy() -> None:
    """Fakes are always reachable."""
