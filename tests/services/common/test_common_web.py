"""Flask plumbing: problem+json for every error, health and metrics (CONTRACT.md 2, 5)."""

from __future__ import annotations

from typing import Any

import pytest
import structlog
from flask import Blueprint

from services.common.web import build_app

pytestmark = pytest.mark.unit


def _broken_blueprint() -> Blueprint:
    blueprint = Blueprint("broken", __name__)

    @blueprint.get("/boom")
    def boom() -> Any:
        raise RuntimeError("bug")

    return blueprint


def _unreachable() -> None:
    raise ConnectionError("connection refused")


def test_a_bug_is_a_500_problem_not_html() -> None:
    """CONTRACT.md 2: all errors are application/problem+json."""
    app = build_app("x", health_check=lambda: None, blueprints=[_broken_blueprint()], config={})
    response = app.test_client().get("/boom")
    assert (response.status_code, response.mimetype) == (500, "application/problem+json")
    assert response.get_json()["detail"] == "unexpected error"


def test_health_is_503_problem_when_the_database_is_unreachable() -> None:
    """CONTRACT.md 5: /health checks the database; failure -> 503 problem."""
    app = build_app("x", health_check=_unreachable, blueprints=[], config={})
    response = app.test_client().get("/health")
    assert (response.status_code, response.get_json()["code"]) == (503, "UNAVAILABLE")


def test_two_apps_in_one_process_have_separate_metrics() -> None:
    """Each app has its own Prometheus registry, so tests can build many apps."""
    first = build_app("x", health_check=lambda: None, blueprints=[], config={})
    second = build_app("x", health_check=lambda: None, blueprints=[], config={})
    first.test_client().get("/health")
    assert b'service_info{service="x"} 1.0' in second.test_client().get("/metrics").data


def test_request_logs_carry_the_idempotency_key_and_trace_context() -> None:
    """DESIGN.md 5: structlog logs with bound correlation ids."""
    seen: dict[str, Any] = {}
    blueprint = Blueprint("peek", __name__)

    @blueprint.post("/peek")
    def peek() -> Any:
        seen.update(structlog.contextvars.get_contextvars())
        return {}

    app = build_app("x", health_check=lambda: None, blueprints=[blueprint], config={})
    app.test_client().post(
        "/peek", headers={"Idempotency-Key": "pi:el", "traceparent": "00-t-s-01"}
    )
    assert (seen["idempotency_key"], seen["traceparent"], seen["path"]) == (
        "pi:el",
        "00-t-s-01",
        "/peek",
    )
    assert structlog.contextvars.get_contextvars() == {}
