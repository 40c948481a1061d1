"""Shared library rules that need no server: problems, fingerprints, validation, messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.common.idempotency import fingerprint
from services.common.outbox import trace_headers
from services.common.outbox_relay import event_id, to_message
from services.common.problems import BusinessError, ProblemError, compensated_problem
from services.common.serve import serve_config
from services.common.validation import require_idempotency_key

pytestmark = pytest.mark.unit


def test_business_error_is_a_422_problem_with_machine_code() -> None:
    """CONTRACT.md 2: business failures are 422 problems with `code` and extensions."""
    problem = BusinessError("OUT_OF_STOCK", "not enough", skus=["a"]).problem
    assert problem.to_json("/v1/allocations") == {
        "type": "https://checkout-saga.example/problems/out-of-stock",
        "title": "Out of stock",
        "status": 422,
        "detail": "not enough",
        "instance": "/v1/allocations",
        "code": "OUT_OF_STOCK",
        "skus": ["a"],
    }


def test_compensated_problem_type() -> None:
    """CONTRACT.md 1: the late-forward refusal is 409 with type .../problems/compensated."""
    body = compensated_problem("k").to_json("/v1/x")
    assert (body["status"], body["type"]) == (
        409,
        "https://checkout-saga.example/problems/compensated",
    )


def test_fingerprint_ignores_key_order_but_not_values() -> None:
    """CONTRACT.md 1: the fingerprint is the SHA-256 of the canonical JSON body."""
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


@pytest.mark.parametrize("key", ["", "has space", "x" * 201, "semi;colon", None])
def test_bad_idempotency_keys_are_refused(key: str | None) -> None:
    """CONTRACT.md 1: keys are 1-200 characters of [A-Za-z0-9._:-]."""
    with pytest.raises(ProblemError) as caught:
        require_idempotency_key(key)
    assert caught.value.problem.extensions["field"] == "Idempotency-Key"


def test_process_instance_key_and_element_id_make_a_valid_key() -> None:
    """CONTRACT.md 1: workers send `<process-instance-key>:<element-id>`."""
    assert require_idempotency_key("2251799813685249:reserve_cart") == (
        "2251799813685249:reserve_cart"
    )


def test_trace_headers_keep_only_w3c_trace_context() -> None:
    """CONTRACT.md 6: outbox headers carry traceparent/tracestate, nothing else."""
    headers = {"Traceparent": "00-abc-def-01", "Authorization": "secret", "tracestate": "x=1"}
    assert trace_headers(headers) == {"traceparent": "00-abc-def-01", "tracestate": "x=1"}


def test_outbox_row_becomes_a_keyed_kafka_record_with_event_id() -> None:
    """CONTRACT.md 6: topic <service>.events, key = aggregate id, event_id = service:id."""
    row = {
        "id": 42,
        "aggregate_type": "allocation",
        "aggregate_id": "k1",
        "event_type": "inventory.allocated",
        "payload": {"a": 1},
        "headers": {"traceparent": "00-t-s-01"},
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    message = to_message("inventory", row)
    assert (message.topic, message.key) == ("inventory.events", "k1")
    assert message.value == {
        "event_id": "inventory:42",
        "event_type": "inventory.allocated",
        "aggregate_type": "allocation",
        "aggregate_id": "k1",
        "occurred_at": "2026-01-02T03:04:05+00:00",
        "payload": {"a": 1},
    }
    assert message.headers == {
        "traceparent": "00-t-s-01",
        "event_id": event_id("inventory", 42),
        "event_type": "inventory.allocated",
    }


def test_serve_config_reads_env_with_clear_errors() -> None:
    """Services read <SERVICE>_PORT/_HOST/_DATABASE_URL; a bad port names the variable."""
    config = serve_config("cart", 8001, {"CART_DATABASE_URL": "postgresql://x/cart"})
    assert (config.host, config.port, config.database_url) == (
        "127.0.0.1",
        8001,
        "postgresql://x/cart",
    )
    with pytest.raises(SystemExit, match="CART_PORT must be an integer, got 'abc'"):
        serve_config("cart", 8001, {"CART_PORT": "abc"})
    with pytest.raises(SystemExit, match="CART_LOG_LEVEL must be one of"):
        serve_config("cart", 8001, {"CART_LOG_LEVEL": "loud"})


def test_serve_config_default_port_applies_to_services_without_a_kit_default() -> None:
    """A service unknown to services.kit DEFAULT_PORTS still gets the port it asks for."""
    assert serve_config("fraud", 8007, {}).port == 8007
    assert serve_config("fraud", 8007, {"FRAUD_PORT": "9001"}).port == 9001
