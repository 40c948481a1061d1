"""A randomized checkout workload on the running system: seed, submit concurrently, await outcomes.

Shared by the chaos acceptance test (tests/e2e/test_saga_invariants.py) and the benchmark
(benchmarks/bench_checkout.py). Everything random comes from one `random.Random(seed)`, so a
printed seed replays the same plan (the interleaving on the real processes still varies).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from demo.topology import Endpoints

TERMINAL = ("completed", "failed")
HTTP_TIMEOUT_S = 15.0
UNIT_PRICE = 1_250  # cents; one price for every sku keeps the expected totals easy to read


@dataclass(frozen=True)
class Catalog:
    """What was seeded for one run: sku -> initial stock, a valid and an unknown coupon."""

    stock: dict[str, int]
    coupon: str
    invalid_coupon: str


@dataclass(frozen=True)
class Planned:
    """One checkout to submit: its cart lines, coupon and PSP card token."""

    customer: str
    items: tuple[tuple[str, int], ...]
    coupon: str | None
    card: str


@dataclass(frozen=True)
class Submitted:
    """An accepted checkout (202)."""

    plan: Planned
    checkout_id: str
    pik: str
    accepted_at: float  # time.monotonic() right before the POST


@dataclass(frozen=True)
class Outcome:
    """The final (or last seen) status the checkout API reports for a submitted checkout."""

    submitted: Submitted
    status: dict[str, Any]
    seconds: float  # POST to first poll that saw the terminal status

    @property
    def final(self) -> bool:
        """True once the checkout is completed or failed."""
        return self.status.get("status") in TERMINAL


@dataclass(frozen=True)
class WorkloadMix:
    """Probabilities of the injected business failures of one run."""

    invalid_coupon: float = 0.08
    coupon: float = 0.5
    scarce_sku: float = 0.25
    scarce_stock: int = 6
    skus: int = 6
    stock: int = 100_000
    card_tokens: tuple[str, ...] = ("tok_card",)  # non-magic: the PSP knobs decide


@dataclass
class Session:
    """A requests session per thread (connection reuse without sharing across threads)."""

    sessions: dict[int, requests.Session] = field(default_factory=dict)

    def call(self, method: str, url: str, body: Any = None, **headers: str) -> requests.Response:
        """One HTTP call on this thread's session (no status check)."""
        import threading

        session = self.sessions.get(threading.get_ident())
        if session is None:
            # Loopback only: no proxy or .netrc lookups per call (the load generator's CPU is
            # taken from the system it measures).
            session = self.sessions[threading.get_ident()] = requests.Session()
            session.trust_env = False
        return session.request(method, url, json=body, headers=headers, timeout=HTTP_TIMEOUT_S)


HTTP = Session()


def _ok(response: requests.Response) -> requests.Response:
    if not response.ok:
        raise AssertionError(f"{response.request.method} {response.url}: {response.text}")
    return response


def seed_catalog(e: Endpoints, mix: WorkloadMix, tag: str) -> Catalog:
    """Prices, stock (one scarce sku) and a coupon with no practical usage limit."""
    stock = {f"sku-{tag}-{i}": mix.stock for i in range(mix.skus)}
    stock[f"sku-{tag}-scarce"] = mix.scarce_stock
    for sku, on_hand in stock.items():
        _ok(HTTP.call("PUT", f"{e.url('pricing')}/v1/prices/{sku}", {"unit_price": UNIT_PRICE}))
        _ok(HTTP.call("PUT", f"{e.url('inventory')}/v1/stock/{sku}", {"on_hand": on_hand}))
    coupon = f"LOAD{tag}".upper()
    body = {"kind": "percent", "value": 10, "usage_limit": 1_000_000}
    _ok(HTTP.call("PUT", f"{e.url('pricing')}/v1/coupons/{coupon}", body))
    return Catalog(stock, coupon, f"NOPE{tag}".upper())


def plan_checkouts(rng: random.Random, catalog: Catalog, mix: WorkloadMix, n: int) -> list[Planned]:
    """`n` checkouts, each for its own customer (so loyalty points are checkable per checkout)."""
    plentiful = sorted(sku for sku in catalog.stock if not sku.endswith("-scarce"))
    scarce = next(sku for sku in catalog.stock if sku.endswith("-scarce"))
    return [_plan_one(rng, catalog, mix, plentiful, scarce) for _ in range(n)]


def _plan_one(
    rng: random.Random, catalog: Catalog, mix: WorkloadMix, plentiful: list[str], scarce: str
) -> Planned:
    skus = rng.sample(plentiful, rng.randint(1, 2))
    if rng.random() < mix.scarce_sku:
        skus.append(scarce)
    items = tuple((sku, rng.randint(1, 3)) for sku in skus)
    draw = rng.random()
    coupon = (
        catalog.invalid_coupon
        if draw < mix.invalid_coupon
        else catalog.coupon
        if draw < mix.invalid_coupon + mix.coupon
        else None
    )
    customer = f"cust-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"
    return Planned(customer, items, coupon, rng.choice(mix.card_tokens))


def submit(e: Endpoints, plan: Planned) -> Submitted:
    """Create the cart and POST the checkout; raises unless the API accepted it (202)."""
    lines = [{"sku": s, "quantity": q, "unit_price": UNIT_PRICE} for s, q in plan.items]
    cart_body = {"customer_id": plan.customer, "items": lines}
    cart = _ok(HTTP.call("POST", f"{e.url('cart')}/v1/carts", cart_body)).json()
    body: dict[str, Any] = {
        "cartId": cart["id"],
        "customerId": plan.customer,
        "cardToken": plan.card,
    }
    if plan.coupon is not None:
        body["coupon"] = plan.coupon
    started = time.monotonic()
    accepted = _ok(HTTP.call("POST", f"{e.url('checkout')}/checkouts", body)).json()
    return Submitted(plan, accepted["checkoutId"], str(accepted["processInstanceKey"]), started)


def submit_all(e: Endpoints, plans: Sequence[Planned], threads: int = 16) -> list[Submitted]:
    """Submit every plan from a thread pool (all in flight together)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda plan: submit(e, plan), plans))


def status_of(e: Endpoints, checkout_id: str) -> dict[str, Any]:
    """GET /checkouts/<id>."""
    return dict(_ok(HTTP.call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}")).json())


def await_outcomes(
    e: Endpoints,
    submitted: Iterable[Submitted],
    *,
    timeout_s: float,
    every_s: float = 0.5,
    threads: int = 4,
) -> list[Outcome]:
    """Poll every pending checkout until all are final or `timeout_s` passed (last status kept)."""
    pending = {s.checkout_id: s for s in submitted}
    done: list[Outcome] = []
    last: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout_s
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while pending and time.monotonic() < deadline:
            for sub, status in pool.map(
                lambda s: (s, status_of(e, s.checkout_id)), pending.values()
            ):
                last[sub.checkout_id] = status
                if status.get("status") in TERMINAL:
                    done.append(Outcome(sub, status, time.monotonic() - sub.accepted_at))
                    del pending[sub.checkout_id]
            if pending:
                time.sleep(every_s)
    now = time.monotonic()
    return done + [Outcome(s, last.get(i, {}), now - s.accepted_at) for i, s in pending.items()]


def run_in_background(steps: Sequence[tuple[float, Callable[[], None]]]) -> Callable[[], None]:
    """Run `(delay_s, action)` steps in order on a thread; returns a join that re-raises."""
    import threading

    errors: list[BaseException] = []

    def body() -> None:
        for delay_s, action in steps:
            time.sleep(delay_s)
            try:
                action()
            except BaseException as error:  # reported by join(), not lost in the thread
                errors.append(error)

    thread = threading.Thread(target=body, name="chaos", daemon=True)
    thread.start()

    def join() -> None:
        thread.join()
        if errors:
            raise errors[0]

    return join
