"""Flask app of the payment provider simulator (`create_app`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from prometheus_client import CollectorRegistry, Counter
from prometheus_flask_exporter import PrometheusMetrics

from services.psp.domain import (
    RECORDED_STATUS,
    Charge,
    ChargeStatus,
    Knobs,
    Outcome,
    decide,
    rng_for,
)
from services.psp.effects import Notifier, Scheduler, http_notifier, thread_scheduler
from services.psp.store import ChargeBook


@dataclass(frozen=True)
class PspConfig:
    """Settings of the simulator; `from_env` reads the PSP_ prefix."""

    host: str = "127.0.0.1"
    port: int = 8006
    default_callback_url: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> PspConfig:
        """Build the config from PSP_HOST, PSP_PORT and PSP_CALLBACK_URL."""
        env = dict(os.environ) if env is None else env
        return cls(
            host=env.get("PSP_HOST", cls.host),
            port=int(env.get("PSP_PORT", str(cls.port))),
            default_callback_url=env.get("PSP_CALLBACK_URL") or None,
        )


@dataclass
class PspRuntime:
    """Mutable runtime of one app: the charge book, current knobs and the effect ports."""

    config: PspConfig
    book: ChargeBook = field(default_factory=ChargeBook)
    knobs: Knobs = field(default_factory=Knobs)
    sleep: Callable[[float], None] = time.sleep
    schedule: Scheduler = thread_scheduler
    notify: Notifier = http_notifier


bp = Blueprint("psp", __name__)


def _runtime() -> PspRuntime:
    runtime: PspRuntime = current_app.extensions["psp"]
    return runtime


def _bad_request(detail: str) -> ResponseReturnValue:
    return jsonify({"error": "bad_request", "detail": detail}), 400


def _charge_request(body: Any) -> dict[str, Any] | str:
    """Validate a charge body; return it or a reason."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return "amount must be a positive integer (minor units)"
    for name in ("currency", "reference", "card_token"):
        if not isinstance(body.get(name), str) or not body[name]:
            return f"{name} is required"
    return body


@bp.post("/charges")
def create_charge() -> ResponseReturnValue:
    """Charge a card once per reference; see module `domain` for outcomes."""
    runtime = _runtime()
    body = _charge_request(request.get_json(silent=True))
    if isinstance(body, str):
        return _bad_request(body)
    reference: str = body["reference"]
    knobs = runtime.knobs
    runtime.sleep(knobs.latency_ms / 1000)
    existing = runtime.book.get(reference)
    if existing is not None:
        if existing.amount != body["amount"]:
            return jsonify({"error": "reference_reused", "detail": "different amount"}), 422
        return jsonify(existing.to_json()), 200
    decision = decide(
        knobs, body["card_token"], rng_for(knobs, reference, runtime.book.next_attempt(reference))
    )
    current_app.extensions["psp_outcomes"].labels(outcome=str(decision.outcome)).inc()
    if decision.outcome is Outcome.ERROR:
        return jsonify({"error": "psp_unavailable"}), 500
    charge, created = runtime.book.record(
        Charge(
            payment_id="",
            reference=reference,
            amount=body["amount"],
            currency=body["currency"],
            card_token=body["card_token"],
            status=RECORDED_STATUS[decision.outcome],
            callback_url=body.get("callback_url") or runtime.config.default_callback_url,
            confirmation=decision.confirmation,
        )
    )
    if created and charge.status is ChargeStatus.PENDING:
        _schedule_confirmation(runtime, charge)
    if decision.outcome is Outcome.TIMEOUT:
        # Recorded first, answered late: the client times out although the charge succeeded.
        runtime.sleep(knobs.timeout_sleep_ms / 1000)
    return jsonify(charge.to_json()), 201 if created else 200


def _schedule_confirmation(runtime: PspRuntime, charge: Charge) -> None:
    def confirm() -> None:
        confirmed = runtime.book.confirm(charge.reference)
        if confirmed is not None and charge.callback_url:
            runtime.notify(charge.callback_url, confirmed.to_json())

    runtime.schedule(runtime.knobs.callback_delay_ms / 1000, confirm)


@bp.post("/refunds")
def create_refund() -> ResponseReturnValue:
    """Refund the charge of a reference at most once; repeating returns the same refund."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("reference"), str):
        return _bad_request("reference is required")
    charge, _ = _runtime().book.refund(body["reference"])
    if charge is None:
        return jsonify({"error": "no_charge", "reference": body["reference"]}), 404
    return jsonify(charge.to_json()), 200


@bp.get("/charges/<reference>")
def get_charge(reference: str) -> ResponseReturnValue:
    """The charge recorded under a reference."""
    charge = _runtime().book.get(reference)
    if charge is None:
        return jsonify({"error": "no_charge", "reference": reference}), 404
    return jsonify(charge.to_json()), 200


@bp.get("/charges")
def list_charges() -> ResponseReturnValue:
    """Every recorded charge plus the refund count, for tests and demos."""
    book = _runtime().book
    charges = [c.to_json() for c in book.snapshot()]
    return jsonify({"charges": charges, "refunds": book.refund_count}), 200


@bp.get("/knobs")
def get_knobs() -> ResponseReturnValue:
    """Current knobs."""
    return jsonify(asdict(_runtime().knobs)), 200


@bp.put("/knobs")
def put_knobs() -> ResponseReturnValue:
    """Change some knobs at runtime; the others keep their values."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad_request("body must be a JSON object")
    runtime = _runtime()
    try:
        runtime.knobs = runtime.knobs.updated(body)
    except ValueError as error:
        return _bad_request(str(error))
    return jsonify(asdict(runtime.knobs)), 200


@bp.get("/health")
def health() -> ResponseReturnValue:
    """Liveness and readiness: the simulator has no dependencies."""
    return jsonify({"status": "ok", "service": "psp"}), 200


def create_app(config: PspConfig | None = None, runtime: PspRuntime | None = None) -> Flask:
    """Build the simulator app; tests pass a runtime with inline scheduler and fake notifier."""
    app = Flask(__name__)
    app.extensions["psp"] = runtime or PspRuntime(config=config or PspConfig.from_env())
    app.register_blueprint(bp)
    # A registry per app: several simulators in one test process must not collide.
    registry = CollectorRegistry()
    PrometheusMetrics(app, registry=registry)
    app.extensions["psp_outcomes"] = Counter(
        "psp_charge_attempts_total", "Charge attempts by outcome", ["outcome"], registry=registry
    )
    return app
