"""The demo's scenarios: seed data over the services' admin APIs, submit, report outcomes.

Every outcome printed is what the checkout API reports; nothing is assumed. A checkout still
pending at the deadline is printed with the incident holding it, if the engine reports one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from demo.topology import Endpoints

TERMINAL = ("completed", "failed")
HTTP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Scenario:
    """One checkout to submit and what the demo sets up for it."""

    name: str
    card_token: str
    sku: str = "sku-book"
    quantity: int = 1
    coupon: str | None = None
    psp_knobs: Mapping[str, Any] = field(default_factory=dict)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("succeeds", "tok_approve", coupon="SAVE10"),
    Scenario(
        "succeeds after async confirmation", "tok_async", psp_knobs={"callback_delay_ms": 500}
    ),
    Scenario("payment declined", "tok_decline"),
    Scenario("out of stock", "tok_approve", sku="sku-sold-out"),
    # The PSP confirms after 60 s; the checkout gives up after CHECKOUT_CONFIRMATION_TIMEOUT.
    Scenario("confirmation times out", "tok_async", psp_knobs={"callback_delay_ms": 60_000}),
)


@dataclass(frozen=True)
class Outcome:
    """What the checkout API reported for one scenario."""

    scenario: str
    checkout_id: str
    status: str
    reason: str | None
    compensations: tuple[str, ...]
    seconds: float  # from the accepted POST to the terminal status


def _call(method: str, url: str, body: Any = None, **headers: str) -> Any:
    response = requests.request(method, url, json=body, headers=headers, timeout=HTTP_TIMEOUT_S)
    response.raise_for_status()
    return response.json()


def seed(e: Endpoints) -> None:
    """Catalog prices, a coupon and stock (idempotent PUTs)."""
    _call("PUT", f"{e.url('pricing')}/v1/prices/sku-book", {"unit_price": 2_500})
    _call("PUT", f"{e.url('pricing')}/v1/prices/sku-sold-out", {"unit_price": 1_000})
    _call(
        "PUT",
        f"{e.url('pricing')}/v1/coupons/SAVE10",
        {"kind": "percent", "value": 10, "usage_limit": 1000},
    )
    _call("PUT", f"{e.url('inventory')}/v1/stock/sku-book", {"on_hand": 1_000})
    _call("PUT", f"{e.url('inventory')}/v1/stock/sku-sold-out", {"on_hand": 0})


def submit(e: Endpoints, scenario: Scenario, customer_id: str) -> str:
    """Create a cart for the scenario and POST the checkout; returns the checkout id."""
    cart = _call(
        "POST",
        f"{e.url('cart')}/v1/carts",
        {
            "customer_id": customer_id,
            "items": [{"sku": scenario.sku, "quantity": scenario.quantity, "unit_price": 2_500}],
        },
    )
    body = {"cartId": cart["id"], "customerId": customer_id, "cardToken": scenario.card_token}
    if scenario.coupon:
        body["coupon"] = scenario.coupon
    accepted = _call(
        "POST",
        f"{e.url('checkout')}/checkouts",
        body,
        **{"Idempotency-Key": f"demo-{uuid.uuid4().hex}"},
    )
    return str(accepted["checkoutId"])


def wait_for(
    e: Endpoints, checkout_id: str, deadline_s: float, *, settle_s: float = 1.0
) -> tuple[Mapping[str, Any], float]:
    """Poll `GET /checkouts/<id>` until terminal; returns the status (read again after
    `settle_s`, so service events still in flight reach the list) and the seconds it took."""
    started = time.monotonic()
    status: Mapping[str, Any] = {}
    while time.monotonic() < started + deadline_s:
        status = _call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}")
        if status["status"] in TERMINAL:
            took = time.monotonic() - started
            time.sleep(settle_s)
            return _call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}"), took
        time.sleep(0.1)
    return status, time.monotonic() - started


def run(e: Endpoints, scenario: Scenario, *, deadline_s: float = 30.0) -> Outcome:
    """One scenario end to end."""
    if scenario.psp_knobs:
        _call("PUT", f"{e.url('psp')}/knobs", dict(scenario.psp_knobs))
    checkout_id = submit(e, scenario, customer_id=f"cust-{uuid.uuid4().hex[:8]}")
    status, seconds = wait_for(e, checkout_id, deadline_s)
    return Outcome(
        scenario=scenario.name,
        checkout_id=checkout_id,
        status=describe(status),
        reason=status.get("reason"),
        compensations=tuple(status.get("compensations") or ()),
        seconds=seconds,
    )


def describe(status: Mapping[str, Any]) -> str:
    """The status as reported; a pending one says whether an incident holds it."""
    state = str(status.get("status", "unknown"))
    if state in TERMINAL:
        return state
    incident = status.get("incident")
    if incident:
        return f"{state} (incident {incident['errorType']} at {incident['elementId']})"
    return f"{state} (still running at the deadline)"


def table(outcomes: list[Outcome]) -> str:
    """A fixed-width table of outcomes."""
    rows = [("scenario", "status", "reason", "compensations", "s")]
    rows += [
        (
            o.scenario,
            o.status,
            o.reason or "-",
            ", ".join(o.compensations) or "-",
            f"{o.seconds:.1f}",
        )
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def run_all(
    e: Endpoints,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
    *,
    report: Callable[[Outcome], None] = print,
) -> list[Outcome]:
    """Seed, then run each scenario in turn (PSP knobs are global, so not concurrently)."""
    seed(e)
    outcomes = []
    for scenario in scenarios:
        outcome = run(e, scenario)
        report(outcome)
        outcomes.append(outcome)
    return outcomes
