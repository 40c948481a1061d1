"""Inventory service layer: use cases run inside a unit of work."""

from __future__ import annotations

from typing import Any, Protocol

from services.common.operations import StoredOperation
from services.common.problems import BusinessError, ProblemError, not_found_problem
from services.common.uow import UnitOfWork
from services.inventory.domain import Allocation, Line
from services.inventory.repository import StockRepository


class InventoryUoW(UnitOfWork, Protocol):
    """A unit of work with the stock repository."""

    stock: StockRepository


def allocate(uow: InventoryUoW, *, key: str, checkout_id: str, lines: tuple[Line, ...]) -> Any:
    """All or nothing: take every line or raise OUT_OF_STOCK naming the short skus."""
    short = [line.sku for line in lines if not uow.stock.take(line.sku, line.quantity)]
    if short:
        # Raising rolls back the takes that did succeed.
        raise BusinessError("OUT_OF_STOCK", f"not enough stock for: {', '.join(short)}", skus=short)
    allocation = Allocation(key=key, checkout_id=checkout_id, lines=lines)
    uow.stock.add_allocation(allocation)
    uow.outbox.add("allocation", key, "inventory.allocated", allocation.to_json())
    return allocation.to_json()


def release(uow: InventoryUoW, stored: StoredOperation) -> None:
    """Compensation: put the allocated units back, once."""
    allocation = uow.stock.get_allocation(stored.key)
    if allocation is None:
        raise RuntimeError(f"done allocation {stored.key} has no allocation row")
    released = allocation.release()
    for line in released.lines:
        uow.stock.put_back(line.sku, line.quantity)
    uow.stock.save_status(released)
    uow.outbox.add("allocation", released.key, "inventory.released", released.to_json())


def set_stock(uow: InventoryUoW, *, sku: str, on_hand: int) -> dict[str, Any]:
    """Admin: set the stock level of a sku."""
    with uow:
        uow.stock.set_on_hand(sku, on_hand)
        uow.outbox.add("stock", sku, "inventory.stock_set", {"sku": sku, "on_hand": on_hand})
        uow.commit()
    return {"sku": sku, "on_hand": on_hand}


def get_stock(uow: InventoryUoW, *, sku: str) -> dict[str, Any]:
    """Read the stock level or 404."""
    with uow:
        on_hand = uow.stock.get_on_hand(sku)
    if on_hand is None:
        raise ProblemError(not_found_problem(f"unknown sku {sku!r}"))
    return {"sku": sku, "on_hand": on_hand}
