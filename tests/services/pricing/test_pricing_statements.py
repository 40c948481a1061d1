"""SqlPricingRepository's prebuilt statements on PostgreSQL: per-call values stay per call.

The repository executes statements built once per tables with bind parameters
(services/common/statements.py); the `IN` list is an expanding parameter whose length changes
from call to call.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from services.common.testing import initialised_engine
from services.pricing.domain import Coupon
from services.pricing.repository import SqlPricingRepository, pricing_tables

pytestmark = pytest.mark.integration

TABLES = pricing_tables()


@pytest.fixture
def engine(sql_url: str) -> Iterator[Engine]:
    """An engine on a fresh pricing database."""
    with initialised_engine(sql_url, TABLES.metadata) as engine:
        yield engine


def _repo(conn: Connection) -> SqlPricingRepository:
    return SqlPricingRepository(conn, TABLES)


def test_prices_answers_lists_of_any_length_with_known_skus_only(engine: Engine) -> None:
    """Unknown skus are absent from the answer (the quote turns them into a 422)."""
    with engine.begin() as conn:
        repo = _repo(conn)
        repo.set_price("a", 100)
        repo.set_price("b", 250)
        repo.set_price("a", 120)  # upsert: the last price wins
        answers = [repo.prices([]), repo.prices(["b"]), repo.prices(["a", "b", "zz"])]
    assert answers == [{}, {"b": 250}, {"a": 120, "b": 250}]


def test_coupon_counters_change_only_the_named_coupon(engine: Engine) -> None:
    """A use is consumed while below the limit and given back while above zero, per code."""
    with engine.begin() as conn:
        repo = _repo(conn)
        repo.set_coupon(Coupon(code="ONE", kind="percent", value=10, usage_limit=1, used=0))
        repo.set_coupon(Coupon(code="TWO", kind="amount", value=500, usage_limit=2, used=0))
        uses = [repo.use_coupon("ONE"), repo.use_coupon("ONE"), repo.use_coupon("TWO")]
        repo.return_coupon("TWO")
        repo.return_coupon("TWO")  # already at zero: stays there
        # Redefining keeps the used count (set_coupon's upsert leaves `used` alone).
        repo.set_coupon(Coupon(code="ONE", kind="percent", value=15, usage_limit=3, used=0))
        one, two = repo.get_coupon("ONE"), repo.get_coupon("TWO")
    assert uses == [True, False, True]
    assert one == Coupon(code="ONE", kind="percent", value=15, usage_limit=3, used=1)
    assert two is not None and two.used == 0
