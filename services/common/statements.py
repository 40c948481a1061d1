"""Hot-path SQL statements built once per table, executed with parameter dicts.

Why: SQLAlchemy memoizes a statement object's cache key, so a statement built once with
`bindparam()` placeholders reaches its compiled form through a dict lookup, while one built per
call (`insert(t).values(key=key)...`) pays ~40-100 us of client CPU for construction and its cache
key on every execute (benchmarks/bench_sql_statements.py). See SQLAlchemy's "SQL Compilation
Caching".

Conventions of the stores using this:
- INSERT values and UPDATE SET values bind under the column's own name (`status`, `response`), so
  bound values keep their column type (JSON columns still serialise);
- WHERE parameters of UPDATE (and the SELECTs that share their parameter dict) are named `b_<col>`:
  SQLAlchemy reserves column names for the SET clause of an UPDATE;
- multi-row inserts run as executemany (`conn.execute(stmt, [row, ...])`): a multi-row
  `.values([...])` statement is never cached.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Executable, Table, bindparam

K = TypeVar("K", bound=Hashable)
S = TypeVar("S")

# Tables live as long as their app; tests create a few hundred, so keep the cache bounded.
_TABLE_SETS_KEPT = 256


def built_once(factory: Callable[[K], S]) -> Callable[[K], S]:
    """Memoise a statement factory per table (or frozen set of tables): one build per table."""
    return functools.lru_cache(maxsize=_TABLE_SETS_KEPT)(factory)


def bound_values(*columns: str) -> dict[str, BindParameter[Any]]:
    """`.values()` argument binding each column under its own name."""
    return {name: bindparam(name) for name in columns}


def bound_insert(table: Table, *columns: str) -> Executable:
    """INSERT INTO table (columns) VALUES (:column, ...): one bind parameter per column."""
    return table.insert().values(bound_values(*columns))
