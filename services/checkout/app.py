"""Checkout API composition root: `create_app(config=None)`.

Config keys: `DATABASE_URL`, `ZEEBE_ADDRESS`, `BPMN_DIR`, `FRAUD_CHECK_PERCENT` (0-100),
`CONFIRMATION_TIMEOUT` (ISO 8601 duration or None), `ZEEBE_REST_URL` (the engine's REST API,
optional); tests inject `STORE`, `STARTER` and `ENGINE_VIEW` fakes.
Without a `STARTER` the app makes sure both BPMN versions are deployed at startup (v1, then the
fraud-check v2; a definition with byte-identical XML found over `ZEEBE_REST_URL` is reused
instead of deployed again, `deployments.py`) and starts instances by the processDefinitionKey
of the version the flag chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio
from flask import Blueprint, Flask, jsonify, request
from prometheus_client import Counter

from services.checkout import domain
from services.checkout.deployments import DefinitionSource, RestDefinitions, deploy_missing
from services.checkout.engine import PROCESS_ID, Deployed, ZeebeGateway
from services.checkout.engine_view import EngineView, RestEngineView
from services.checkout.saga_metrics import saga_duration_histogram
from services.checkout.service import (
    EngineUnavailableError,
    SagaStarter,
    Settings,
    accepted_body,
    status,
    submit,
)
from services.checkout.sql_store import SqlCheckoutStore
from services.checkout.store import CheckoutStore, Started
from services.common.db import default_database_url, ensure_database, init_db, make_engine, ping
from services.common.routes import request_json
from services.common.web import app_extension, build_app

SERVICE = "checkout"
BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
VERSIONS = (domain.V1, domain.V2_FRAUD_CHECK)


class DeployedStarter:
    """SagaStarter over the gateway, by the definition keys of this process's deployment."""

    def __init__(self, gateway: ZeebeGateway, deployed: Mapping[str, Deployed]) -> None:
        self._gateway = gateway
        self.deployed = dict(deployed)

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        """Create an instance of exactly the definition deployed from `version`."""
        key = self.deployed[version].process_definition_key
        try:
            return self._gateway.create_instance(key, variables)
        except grpc.RpcError as error:
            raise EngineUnavailableError(f"{error.code()}: {error.details()}") from error

    def close(self) -> None:
        """Close the gateway channel."""
        self._gateway.close()


def _blueprint() -> Blueprint:
    blueprint = Blueprint(SERVICE, __name__)

    @blueprint.post("/checkouts")
    def post_checkout() -> Any:
        key = domain.require_checkout_key(request.headers.get("Idempotency-Key"))
        parsed = domain.parse_request(request_json())
        checkout, created = submit(
            app_extension("checkout_store"),
            app_extension("saga_starter"),
            parsed,
            idempotency_key=key,
            settings=app_extension("checkout_settings"),
        )
        response = jsonify(accepted_body(checkout))
        response.status_code = 202
        response.headers["Location"] = f"/checkouts/{checkout.id}"
        response.headers["Idempotent-Replayed"] = "false" if created else "true"
        submitted: Counter = app_extension("checkout_submitted")
        submitted.labels(version=checkout.version, replayed=str(not created).lower()).inc()
        return response

    @blueprint.get("/checkouts/<checkout_id>")
    def get_checkout(checkout_id: str) -> Any:
        engine = app_extension("engine_view")
        return jsonify(status(app_extension("checkout_store"), checkout_id, engine))

    return blueprint


def _sql_store(settings: Mapping[str, Any]) -> tuple[CheckoutStore, Any]:
    url = str(settings.get("DATABASE_URL") or default_database_url(SERVICE))
    ensure_database(url)
    engine = make_engine(url)
    store = SqlCheckoutStore(engine)
    init_db(engine, store.metadata)
    return store, lambda: ping(engine)


def _deployed_starter(settings: Mapping[str, Any]) -> SagaStarter:
    gateway = ZeebeGateway(str(settings.get("ZEEBE_ADDRESS", "127.0.0.1:26500")))
    bpmn_dir = Path(settings.get("BPMN_DIR") or BPMN_DIR)
    rest_url = settings.get("ZEEBE_REST_URL")
    source: DefinitionSource | None = RestDefinitions(str(rest_url)) if rest_url else None
    files = [bpmn_dir / name for name in VERSIONS]
    return DeployedStarter(gateway, deploy_missing(gateway, source, files, process_id=PROCESS_ID))


def _engine_view(settings: Mapping[str, Any]) -> EngineView | None:
    """An injected ENGINE_VIEW, else REST at ZEEBE_REST_URL, else none (events only)."""
    if "ENGINE_VIEW" in settings:
        view: EngineView | None = settings["ENGINE_VIEW"]
        return view
    url = settings.get("ZEEBE_REST_URL")
    return RestEngineView(str(url)) if url else None


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the checkout API (fakes via `STORE`/`STARTER`, else PostgreSQL and Zeebe)."""
    settings = dict(config or {})
    store: CheckoutStore | None = settings.get("STORE")
    health = settings.get("HEALTH_CHECK", lambda: None)
    if store is None:
        store, health = _sql_store(settings)
    starter: SagaStarter = settings.get("STARTER") or _deployed_starter(settings)
    app = build_app(SERVICE, health_check=health, blueprints=[_blueprint()], config=settings)
    app.extensions["checkout_store"] = store
    app.extensions["saga_starter"] = starter
    app.extensions["engine_view"] = _engine_view(settings)
    app.extensions["checkout_submitted"] = Counter(
        "checkout_submitted",
        "Accepted POST /checkouts by process version and whether it was an idempotent replay",
        ["version", "replayed"],
        registry=app.extensions["prometheus_metrics"].registry,
    )
    app.extensions["saga_duration"] = saga_duration_histogram(
        app.extensions["prometheus_metrics"].registry
    )
    app.extensions["checkout_settings"] = Settings(
        fraud_check_percent=int(settings.get("FRAUD_CHECK_PERCENT", 0)),
        confirmation_timeout=settings.get("CONFIRMATION_TIMEOUT"),
    )
    return app
