"""SqlStockRepository's prebuilt statements on PostgreSQL: per-call values stay per call.

`take` binds its quantity once and uses it twice (the guard and the decrement); `put_back`
upserts with the proposed row's quantity (services/common/statements.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Connection, Engine, delete

from services.common.testing import initialised_engine
from services.inventory.domain import RELEASED, Allocation, Line
from services.inventory.repository import SqlStockRepository, inventory_tables

pytestmark = pytest.mark.integration

TABLES = inventory_tables()


@pytest.fixture
def engine(sql_url: str) -> Iterator[Engine]:
    """An engine on a fresh inventory database."""
    with initialised_engine(sql_url, TABLES.metadata) as engine:
        yield engine


def _repo(conn: Connection) -> SqlStockRepository:
    return SqlStockRepository(conn, TABLES)


def test_take_decrements_by_its_own_quantity_only_when_enough(engine: Engine) -> None:
    """Stock never goes negative: a take larger than on_hand changes nothing."""
    with engine.begin() as conn:
        repo = _repo(conn)
        repo.set_on_hand("a", 5)
        repo.set_on_hand("b", 1)
        taken = [repo.take("a", 3), repo.take("a", 3), repo.take("b", 1), repo.take("a", 2)]
        levels = [repo.get_on_hand("a"), repo.get_on_hand("b"), repo.get_on_hand("zz")]
    assert taken == [True, False, True, True]
    assert levels == [0, 0, None]


def test_put_back_adds_and_recreates_a_deleted_sku(engine: Engine) -> None:
    """Released units are never lost, even if the sku row was deleted meanwhile."""
    with engine.begin() as conn:
        repo = _repo(conn)
        repo.set_on_hand("a", 2)
        repo.put_back("a", 3)
        repo.set_on_hand("b", 9)
        conn.execute(delete(TABLES.stock).where(TABLES.stock.c.sku == "b"))
        repo.put_back("b", 4)
        levels = [repo.get_on_hand("a"), repo.get_on_hand("b")]
    assert levels == [5, 4]


def test_allocations_keep_their_own_lines_and_status(engine: Engine) -> None:
    """Each allocation row holds its JSON lines; a status change touches only its key."""
    first = Allocation(key="k1", checkout_id="c1", lines=(Line("a", 2),))
    second = Allocation(key="k2", checkout_id="c2", lines=(Line("b", 1), Line("c", 3)))
    with engine.begin() as conn:
        repo = _repo(conn)
        repo.add_allocation(first)
        repo.add_allocation(second)
        repo.save_status(replace(first, status=RELEASED))
        stored = [repo.get_allocation("k1"), repo.get_allocation("k2"), repo.get_allocation("k3")]
    assert stored == [
        replace(first, status=RELEASED),
        second,
        None,
    ]
