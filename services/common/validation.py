"""Request-body parsing that fails with 400 problems naming the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from services.common.problems import ProblemError, validation_problem

INT32_MAX = 2_147_483_647
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{1,200}$")


def invalid(field_name: str, detail: str) -> ProblemError:
    """Build the 400 error for `field_name`."""
    return ProblemError(validation_problem(field_name, detail))


def require_object(body: Any) -> Mapping[str, Any]:
    """The JSON body must be an object."""
    if not isinstance(body, Mapping):
        raise invalid("body", "request body must be a JSON object")
    return body


def require_str(body: Mapping[str, Any], name: str, *, max_len: int = 200) -> str:
    """A non-empty string field."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise invalid(name, f"{name} must be a non-empty string of at most {max_len} characters")
    return value


def optional_str(body: Mapping[str, Any], name: str, default: str | None = None) -> str | None:
    """A string field that may be absent or null."""
    if body.get(name) is None:
        return default
    return require_str(body, name)


def require_int(
    body: Mapping[str, Any], name: str, *, minimum: int = 0, maximum: int = INT32_MAX
) -> int:
    """An integer field (booleans refused) within [minimum, maximum] (default: fits int4)."""
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise invalid(name, f"{name} must be an integer >= {minimum}")
    if value > maximum:
        raise invalid(name, f"{name} must be an integer <= {maximum}")
    return value


def require_path_value(value: str, name: str, *, max_len: int) -> str:
    """A path parameter that must fit its column (too long is bad input, not a 500)."""
    if not value.strip() or len(value) > max_len:
        raise invalid(name, f"{name} must be 1-{max_len} characters")
    return value


def require_items(
    body: Mapping[str, Any], *, with_price: bool = False
) -> tuple[tuple[str, int, int], ...]:
    """`items`: a non-empty list of {sku, quantity>0[, unit_price>=0]}; returns tuples."""
    raw = body.get("items")
    if not isinstance(raw, list) or not raw:
        raise invalid("items", "items must be a non-empty list")
    parsed: list[tuple[str, int, int]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise invalid(f"items[{index}]", "each item must be an object")
        sku = item.get("sku")
        if not isinstance(sku, str) or not sku.strip() or len(sku) > 100:
            raise invalid(f"items[{index}].sku", "sku must be a non-empty string")
        quantity = _item_int(item, index, "quantity", minimum=1)
        price = _item_int(item, index, "unit_price", minimum=0) if with_price else 0
        parsed.append((sku, quantity, price))
    return tuple(parsed)


def _item_int(item: Mapping[str, Any], index: int, name: str, *, minimum: int) -> int:
    try:
        return require_int(item, name, minimum=minimum)
    except ProblemError as error:
        raise invalid(f"items[{index}].{name}", error.problem.detail) from error


def optional_currency(body: Mapping[str, Any], default: str = "EUR") -> str:
    """`currency`: an ISO 4217 code (three upper-case letters), `default` when absent."""
    currency = optional_str(body, "currency", default) or default
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise invalid("currency", "currency must be an ISO 4217 code such as EUR")
    return currency


def require_idempotency_key(value: str | None) -> str:
    """Validate the Idempotency-Key header (or path key)."""
    if value is None or not IDEMPOTENCY_KEY_PATTERN.match(value):
        raise invalid(
            "Idempotency-Key",
            "Idempotency-Key header is required: 1-200 characters of [A-Za-z0-9._:-]",
        )
    return value
