"""Pure checkout domain: request validation, version routing, trace context, start variables."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.common.validation import (
    IDEMPOTENCY_KEY_PATTERN,
    invalid,
    optional_currency,
    optional_str,
    require_str,
)

PENDING = "pending"
COMPLETED = "completed"
FAILED = "failed"

V1 = "checkout.bpmn"
V2_FRAUD_CHECK = "checkout-fraud-check.bpmn"


@dataclass(frozen=True)
class CheckoutRequest:
    """A validated `POST /checkouts` body."""

    cart_id: str
    customer_id: str
    card_token: str
    coupon: str | None = None
    currency: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Canonical body (the idempotency fingerprint and the stored request)."""
        return {
            "cartId": self.cart_id,
            "customerId": self.customer_id,
            "cardToken": self.card_token,
            "coupon": self.coupon,
            "currency": self.currency,
        }


def parse_request(body: Mapping[str, Any]) -> CheckoutRequest:
    """Validate the body; a 400 problem names the first offending field."""
    currency = optional_currency(body) if body.get("currency") is not None else None
    return CheckoutRequest(
        cart_id=require_str(body, "cartId"),
        customer_id=require_str(body, "customerId"),
        card_token=require_str(body, "cardToken"),
        coupon=optional_str(body, "coupon"),
        currency=currency,
    )


def parse_percent(raw: str | None) -> int:
    """`CHECKOUT_FRAUD_CHECK_PERCENT`: an integer 0..100 (empty means 0)."""
    if raw is None or raw.strip() == "":
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"CHECKOUT_FRAUD_CHECK_PERCENT must be 0-100, got {raw!r}") from None
    if not 0 <= value <= 100:
        raise ValueError(f"CHECKOUT_FRAUD_CHECK_PERCENT must be 0-100, got {raw!r}")
    return value


def bucket(checkout_id: str) -> int:
    """A stable bucket 0..99 for a checkout id (SHA-256, not Python's salted `hash`)."""
    digest = hashlib.sha256(checkout_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def choose_version(checkout_id: str, fraud_check_percent: int) -> str:
    """The BPMN file whose deployed version serves this checkout (feature flag routing)."""
    return V2_FRAUD_CHECK if bucket(checkout_id) < fraud_check_percent else V1


def new_checkout_id() -> str:
    """A random, URL-safe checkout id."""
    return f"co_{secrets.token_hex(12)}"


def new_traceparent() -> str:
    """A fresh W3C trace context: version 00, random trace and parent ids, sampled."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def start_variables(
    checkout_id: str,
    request: CheckoutRequest,
    *,
    traceparent: str,
    confirmation_timeout: str | None = None,
) -> dict[str, Any]:
    """Start variables per bpmn/README.md "Start variables"; absent optionals are omitted."""
    variables: dict[str, Any] = {
        "checkoutId": checkout_id,
        "cartId": request.cart_id,
        "customerId": request.customer_id,
        "cardToken": request.card_token,
        "traceparent": traceparent,
    }
    optional = {
        "coupon": request.coupon,
        "currency": request.currency,
        "paymentConfirmationTimeout": confirmation_timeout,
    }
    variables.update({name: value for name, value in optional.items() if value is not None})
    return variables


def require_checkout_key(value: str | None) -> str | None:
    """The optional `Idempotency-Key` header: absent, or 1-200 chars of [A-Za-z0-9._:-]."""
    if value is None:
        return None
    if not IDEMPOTENCY_KEY_PATTERN.match(value):
        raise invalid(
            "Idempotency-Key", "Idempotency-Key must be 1-200 characters of [A-Za-z0-9._:-]"
        )
    return value
