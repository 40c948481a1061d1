"""In-memory cart repository and unit of work for unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.cart.domain import ACTIVE, Cart, Reservation
from services.cart.repository import CartRepository
from services.common.fakes import FakeDatabase, FakeUnitOfWork


class FakeCartRepository:
    """CartRepository on FakeDatabase.tables['carts'] and ['reservations']."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    def _table(self, name: str) -> dict[str, Any]:
        return self._db.tables.setdefault(name, {})  # type: ignore[no-any-return]

    def add_cart(self, cart: Cart) -> None:
        """Insert."""
        self._table("carts")[cart.id] = cart

    def get_cart(self, cart_id: str, *, lock: bool = False) -> Cart | None:
        """Read (the fake unit of work is already serialised)."""
        value = self._table("carts").get(cart_id)
        return value if isinstance(value, Cart) else None

    def save_cart(self, cart: Cart) -> None:
        """Replace."""
        self._table("carts")[cart.id] = cart

    def add_reservation(self, reservation: Reservation) -> None:
        """Insert, enforcing one active reservation per cart like the SQL unique index."""
        if reservation.status == ACTIVE and self.active_reservation(reservation.cart_id):
            raise RuntimeError("unique violation: reservations_one_active_per_cart")
        self._table("reservations")[reservation.key] = reservation

    def get_reservation(self, key: str) -> Reservation | None:
        """Read."""
        value = self._table("reservations").get(key)
        return value if isinstance(value, Reservation) else None

    def active_reservation(self, cart_id: str) -> Reservation | None:
        """Scan."""
        for reservation in self._table("reservations").values():
            if reservation.cart_id == cart_id and reservation.status == ACTIVE:
                return reservation  # type: ignore[no-any-return]
        return None

    def save_reservation(self, reservation: Reservation) -> None:
        """Replace."""
        self._table("reservations")[reservation.key] = reservation


class FakeCartUnitOfWork(FakeUnitOfWork):
    """Fake unit of work exposing `carts`."""

    def __init__(self, db: FakeDatabase, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(db, headers)
        self.carts: CartRepository = FakeCartRepository(db)
