"""Fraud rules (pure): a score from the amount, rejection above a limit or for blocked customers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.common.problems import BusinessError
from services.common.validation import optional_currency, optional_str, require_int, require_str

FRAUD_REJECTED = "FRAUD_REJECTED"


@dataclass(frozen=True)
class FraudRules:
    """The rule set: a hard amount limit (cents) and a block list of customer ids."""

    max_amount: int = 100_000
    blocked_customers: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CheckRequest:
    """`POST /v1/checks` body as the `fraud.check` worker sends it (workers/payloads.py)."""

    checkout_id: str
    customer_id: str | None
    amount: int
    currency: str


def parse_check(body: Mapping[str, Any]) -> CheckRequest:
    """Validate the body; 400 problems name the field."""
    return CheckRequest(
        checkout_id=require_str(body, "checkout_id"),
        customer_id=optional_str(body, "customer_id"),
        amount=require_int(body, "amount", minimum=0),
        currency=optional_currency(body),
    )


def score(request: CheckRequest, rules: FraudRules) -> int:
    """Risk 0-100: the amount's share of the limit (100 at or above it, 100 when blocked)."""
    if request.customer_id in rules.blocked_customers:
        return 100
    if rules.max_amount <= 0:
        return 100
    return min(100, request.amount * 100 // rules.max_amount)


def violations(request: CheckRequest, rules: FraudRules) -> tuple[str, ...]:
    """Names of the rules the request breaks (empty: approved)."""
    broken = {
        "blocked_customer": request.customer_id in rules.blocked_customers,
        "amount_limit": request.amount > rules.max_amount,
    }
    return tuple(name for name, hit in broken.items() if hit)


def assess(key: str, request: CheckRequest, rules: FraudRules) -> dict[str, Any]:
    """The approved check's response, or a 422 `FRAUD_REJECTED` naming the broken rules."""
    broken = violations(request, rules)
    if broken:
        raise BusinessError(
            FRAUD_REJECTED,
            f"checkout {request.checkout_id!r} rejected by fraud rules",
            rules=broken,
        )
    return {
        "check_key": key,
        "checkout_id": request.checkout_id,
        "customer_id": request.customer_id,
        "amount": request.amount,
        "currency": request.currency,
        "score": score(request, rules),
        "decision": "approved",
    }


def parse_rules(env: Mapping[str, str]) -> FraudRules:
    """FRAUD_MAX_AMOUNT (cents, default 100000) and FRAUD_BLOCKED_CUSTOMERS (comma separated)."""
    raw_limit = env.get("FRAUD_MAX_AMOUNT") or "100000"
    try:
        limit = int(raw_limit)
    except ValueError:
        raise ValueError(f"FRAUD_MAX_AMOUNT must be an integer, got {raw_limit!r}") from None
    blocked = env.get("FRAUD_BLOCKED_CUSTOMERS", "")
    names = frozenset(name.strip() for name in blocked.split(",") if name.strip())
    return FraudRules(max_amount=limit, blocked_customers=names)
