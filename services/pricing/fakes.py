"""In-memory pricing repository and unit of work for unit tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from services.common.fakes import FakeDatabase, FakeUnitOfWork
from services.pricing.domain import Coupon, Quote
from services.pricing.repository import PricingRepository


class FakePricingRepository:
    """PricingRepository on FakeDatabase.tables."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    def _table(self, name: str) -> dict[str, Any]:
        return self._db.tables.setdefault(name, {})  # type: ignore[no-any-return]

    def set_price(self, sku: str, unit_price: int) -> None:
        """Upsert."""
        self._table("prices")[sku] = unit_price

    def prices(self, skus: Iterable[str]) -> dict[str, int]:
        """Known prices."""
        table = self._table("prices")
        return {sku: table[sku] for sku in skus if sku in table}

    def set_coupon(self, coupon: Coupon) -> None:
        """Upsert, keeping `used`."""
        existing = self.get_coupon(coupon.code)
        used = existing.used if existing else coupon.used
        self._table("coupons")[coupon.code] = replace(coupon, used=used)

    def get_coupon(self, code: str) -> Coupon | None:
        """Read."""
        value = self._table("coupons").get(code)
        return value if isinstance(value, Coupon) else None

    def use_coupon(self, code: str) -> bool:
        """Conditional increment."""
        coupon = self.get_coupon(code)
        if coupon is None or coupon.used >= coupon.usage_limit:
            return False
        self._table("coupons")[code] = replace(coupon, used=coupon.used + 1)
        return True

    def return_coupon(self, code: str) -> None:
        """Conditional decrement."""
        coupon = self.get_coupon(code)
        if coupon is not None and coupon.used > 0:
            self._table("coupons")[code] = replace(coupon, used=coupon.used - 1)

    def add_quote(self, quote: Quote) -> None:
        """Insert."""
        self._table("quotes")[quote.key] = (quote.coupon, quote.status)

    def get_quote(self, key: str) -> tuple[str | None, str] | None:
        """Read."""
        value = self._table("quotes").get(key)
        return value if isinstance(value, tuple) else None

    def set_quote_status(self, key: str, status: str) -> None:
        """Update."""
        coupon, _ = self._table("quotes")[key]
        self._table("quotes")[key] = (coupon, status)


class FakePricingUnitOfWork(FakeUnitOfWork):
    """Fake unit of work exposing `pricing`."""

    def __init__(self, db: FakeDatabase, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(db, headers)
        self.pricing: PricingRepository = FakePricingRepository(db)
