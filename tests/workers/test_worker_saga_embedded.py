"""The checkout BPMN and the real pyzeebe workers on the embedded engine (services faked).

The engine is `zeebe.testing.harness.EmbeddedZeebe` over gRPC; the services answer from a
scripted HTTP transport, so these tests check the BPMN <-> worker contract at run time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pyzeebe import ZeebeClient, create_insecure_channel
from worker_fakes import FakeResponse, make_deps

from workers.routers import JobBackoff, create_routers

pytestmark = pytest.mark.e2e

harness = pytest.importorskip("zeebe.testing.harness")

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
START = {"checkoutId": "co-1", "cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok"}
ANSWERS: dict[str, dict[str, Any]] = {
    "/v1/reservations": {
        "reservation_key": "r-1",
        "items": [{"sku": "sku-a", "quantity": 2, "unit_price": 500}],
        "currency": "EUR",
    },
    "/v1/quotes": {
        "quote_key": "q-1",
        "lines": [{"sku": "sku-a", "quantity": 2, "unit_price": 500, "amount": 1000}],
        "subtotal": 1000,
        "discount": 0,
        "tax": 80,
        "total": 1080,
        "currency": "EUR",
    },
    "/v1/checks": {"score": 7},
    "/v1/captures": {"payment_id": "pay_1", "status": "captured"},
    "/v1/allocations": {"allocation_key": "al-1"},
    "/v1/orders": {"order_id": "ord_1"},
    "/v1/consumptions": {"status": "consumed"},
}


class ScriptedServices:
    """Answers each forward path from ANSWERS (plus overrides) and records the calls."""

    def __init__(self, **overrides: dict[str, Any]) -> None:
        self.answers = {**ANSWERS, **{f"/v1/{k}": v for k, v in overrides.items()}}
        self.calls: list[tuple[str, str]] = []

    def post(self, url: str, *, json: Any, headers: Any, timeout: float) -> FakeResponse:
        path = url.split(".test", 1)[1]
        self.calls.append((path, headers.get("Idempotency-Key", "")))
        answer = self.answers.get(path, {"status": "compensated"})
        return FakeResponse(int(answer.get("status_code", 200)), answer)


async def _checkout(
    services: ScriptedServices,
    files: list[str],
    message: dict[str, Any] | None = None,
    timeout_ms: int = 15_000,
) -> Any:
    engine = harness.EmbeddedZeebe()
    try:
        client = ZeebeClient(create_insecure_channel(grpc_address=engine.grpc_address))
        for name in files:
            await client.deploy_resource(str(BPMN / name))
        routers = create_routers(
            make_deps(services),
            job_timeout_ms=10_000,
            backoff=JobBackoff(),  # type: ignore[arg-type]
        )
        engine.worker(*routers.values(), poll_retry_delay=0)
        run = asyncio.create_task(
            client.run_process_with_result("checkout", START, timeout=timeout_ms)
        )
        if message is not None:
            while not any(path == "/v1/captures" for path, _ in services.calls):
                await asyncio.sleep(0.05)
            await asyncio.sleep(
                0.3
            )  # let the receive task open its subscription (TTL buffers anyway)
            await client.publish_message(
                "payment-confirmed", "pay_1", message, time_to_live_in_milliseconds=10_000
            )
        return await run
    finally:
        engine.close()


def test_v1_happy_path_calls_every_service_in_order_with_stable_keys() -> None:
    """DESIGN §4 happy path: reserve -> price -> capture -> allocate -> order -> consume, each
    with the key `<checkoutId>:<element id>` (bpmn/README.md)."""
    services = ScriptedServices()

    result = asyncio.run(_checkout(services, ["checkout.bpmn"]))

    co = START["checkoutId"]
    assert services.calls == [
        ("/v1/reservations", f"{co}:cart-reserve"),
        ("/v1/quotes", f"{co}:pricing-quote"),
        ("/v1/captures", f"{co}:payment-capture"),
        ("/v1/allocations", f"{co}:inventory-allocate"),
        ("/v1/orders", f"{co}:order-create"),
        ("/v1/consumptions", f"{co}:cart-consume"),
    ]
    assert result.variables["orderId"] == "ord_1"
    assert result.variables["total"] == 1080


def test_v2_is_latest_checks_fraud_and_waits_for_payment_confirmation() -> None:
    """DESIGN §4 "Versioned": v2 deploys beside v1 and adds the fraud check; a pending capture
    waits for `payment-confirmed` correlated by `paymentId` (zeebe-spec §5.5)."""
    services = ScriptedServices(captures={"payment_id": "pay_1", "status": "pending_confirmation"})

    result = asyncio.run(
        _checkout(
            services,
            ["checkout.bpmn", "checkout-fraud-check.bpmn"],
            message={"paymentStatus": "captured"},
        )
    )

    assert result.version == 2
    assert [path for path, _ in services.calls] == [
        "/v1/reservations", "/v1/quotes", "/v1/checks", "/v1/captures",
        "/v1/allocations", "/v1/orders", "/v1/consumptions",
    ]  # fmt: skip
    assert result.variables["paymentStatus"] == "captured"
    assert result.variables["fraudScore"] == 7


def test_out_of_stock_undoes_completed_steps_and_fails_the_checkout() -> None:
    """DESIGN §4 "out of stock -> refund payment, release reservation, revert coupon";
    zeebe-spec §3.1: the throw invokes the handlers of completed steps only."""
    services = ScriptedServices(
        allocations={"status_code": 422, "code": "OUT_OF_STOCK", "detail": "sku-a"}
    )

    result = asyncio.run(_checkout(services, ["checkout.bpmn"], timeout_ms=5_000))

    co = START["checkoutId"]
    undo = {path for path, _ in services.calls if path.endswith("/compensation")}
    assert undo == {
        f"/v1/allocations/{co}:inventory-allocate/compensation",  # saga.compensate
        f"/v1/captures/{co}:payment-capture/compensation",
        f"/v1/quotes/{co}:pricing-quote/compensation",
        f"/v1/reservations/{co}:cart-reserve/compensation",
    }
    assert result.variables["failureReason"] == "OUT_OF_STOCK"
    assert "orderId" not in result.variables


def test_a_start_without_checkout_id_ends_in_an_incident_naming_the_variable() -> None:
    """Brief h25: keys are `<checkoutId>:<element id>`; a malformed start must not fall back to
    the process instance key (repeated after an engine reset). The first job fails on every
    attempt without calling its service, and the exhausted retries raise an incident
    (zeebe-spec: a job failed with no retries left creates an incident)."""
    services = ScriptedServices()
    start = {name: value for name, value in START.items() if name != "checkoutId"}

    async def run() -> tuple[harness.EmbeddedZeebe, int]:
        engine = harness.EmbeddedZeebe()
        client = ZeebeClient(create_insecure_channel(grpc_address=engine.grpc_address))
        await client.deploy_resource(str(BPMN / "checkout.bpmn"))
        no_delay = JobBackoff(base_ms=0, max_ms=0)
        routers = create_routers(make_deps(services), job_timeout_ms=10_000, backoff=no_delay)
        engine.worker(*routers.values(), poll_retry_delay=0)
        created = await client.run_process("checkout", start)
        return engine, created.process_instance_key

    engine, key = asyncio.run(run())
    try:
        engine.assert_that(key, timeout_s=10).has_incident("'checkoutId' is missing")
    finally:
        engine.close()
    assert services.calls == []
