"""Inventory domain: pure values and rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

ALLOCATED = "allocated"
RELEASED = "released"


@dataclass(frozen=True)
class Line:
    """A quantity of one sku."""

    sku: str
    quantity: int

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"sku": self.sku, "quantity": self.quantity}


def merge_lines(items: Iterable[tuple[str, int]]) -> tuple[Line, ...]:
    """Sum quantities per sku, sorted by sku so concurrent allocations lock rows in one order."""
    totals: dict[str, int] = {}
    for sku, quantity in items:
        totals[sku] = totals.get(sku, 0) + quantity
    return tuple(Line(sku, totals[sku]) for sku in sorted(totals))


@dataclass(frozen=True)
class Allocation:
    """Stock taken for one checkout, under one idempotency key."""

    key: str
    checkout_id: str
    lines: tuple[Line, ...]
    status: str = ALLOCATED

    def release(self) -> Allocation:
        """allocated -> released; releasing twice is a bug the idempotency layer prevents."""
        if self.status != ALLOCATED:
            raise ValueError(f"allocation {self.key} is {self.status}, cannot release")
        return replace(self, status=RELEASED)

    def to_json(self) -> dict[str, Any]:
        """Response and event payload."""
        return {
            "allocation_key": self.key,
            "checkout_id": self.checkout_id,
            "items": [line.to_json() for line in self.lines],
            "status": self.status,
        }


def lines_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[Line, ...]:
    """Rebuild lines from stored JSON."""
    return tuple(Line(str(item["sku"]), int(item["quantity"])) for item in items)
