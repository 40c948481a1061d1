"""Micro-benchmark of the services' SQL hot path: statements built per call vs built once.

    .venv/bin/python benchmarks/bench_sql_statements.py [--url URL] [--rounds 2000]

Without --url a throwaway PostgreSQL (fsync off) is started with the stack manager, as the tests
do, and stopped at the end. Prints client CPU microseconds (this process only, best of three
runs; the server's CPU is not counted), for:

1. statement objects alone (no database): build + `_generate_cache_key()` per call, vs the cache
   key of a statement built once (memoized by SQLAlchemy);
2. `conn.execute` of one claim / outbox-add / complete round, inside one transaction rolled back
   at the end, with statements built per call ("per call") vs built once with bind parameters
   ("prebuilt"), so both variants run against the same SQLAlchemy and database;
3. the same round through the services' code (`SqlUnitOfWork`: claim, outbox.add, complete,
   commit), whatever the checked-out code does: run it before and after a change to compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, bindparam, func, update
from sqlalchemy.dialects.postgresql import insert

from services.common.db import init_db, make_engine
from services.common.tables import CommonTables, add_common_tables
from services.common.testing import create_test_database, drop_test_database
from services.common.uow import SqlUnitOfWork
from stack.config import StackConfig
from stack.manager import Stack

Round = Callable[[Connection, str], None]
REPEATS = 3


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL of the stack manager on a free port; yields the `postgres` database URL."""
    root = Path(tempfile.mkdtemp(prefix="bench-sql-statements-"))
    root.chmod(0o755)  # PostgreSQL runs as `postgres`
    cfg = StackConfig(root=root, durable=False).with_ports(pg_port=0)
    stack = Stack(cfg, env=os.environ)
    try:
        stack.up(["postgres"])
        yield f"postgresql+psycopg2://postgres@{stack.cfg.host}:{stack.cfg.pg_port}/postgres"
    finally:
        stack.down()
        shutil.rmtree(root, ignore_errors=True)


def cpu_us_per_call(call: Callable[[int], None], rounds: int) -> float:
    """Client CPU microseconds per call of `call(i)`, after a short warm-up."""
    return timed(call, rounds)[0]


def timed(call: Callable[[int], None], rounds: int) -> tuple[float, float]:
    """(client CPU, wall) microseconds per call of `call(i)`, after a short warm-up.

    The best of REPEATS runs: other processes on the machine only ever add time.
    """
    for i in range(min(50, rounds)):
        call(-1 - i)
    best = (float("inf"), float("inf"))
    for repeat in range(REPEATS):
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(repeat * rounds, (repeat + 1) * rounds):
            call(i)
        spent = (time.process_time() - cpu) / rounds * 1e6
        best = min(best, (spent, (time.perf_counter() - wall) / rounds * 1e6))
    return best


def built_per_call(ops: Table, outbox: Table) -> Round:
    """The round as the services wrote it: new statement objects on every call."""

    def run(conn: Connection, key: str) -> None:
        conn.execute(
            insert(ops)
            .values(operation="op", key=key, status="pending", fingerprint="f")
            .on_conflict_do_nothing(index_elements=["operation", "key"])
            .returning(ops.c.key)
        ).first()
        conn.execute(
            outbox.insert().values(
                aggregate_type="t", aggregate_id=key, event_type="e", payload={"k": key}, headers={}
            )
        )
        done = update(ops).where(ops.c.operation == "op", ops.c.key == key)
        conn.execute(done.values(updated_at=func.now(), status="done", response={"ok": key}))

    return run


def built_once(ops: Table, outbox: Table) -> Round:
    """The same round with three statements built once and executed with parameter dicts."""
    claim = (
        insert(ops)
        .values(operation=bindparam("operation"), key=bindparam("key"))
        .values(status=bindparam("status"), fingerprint=bindparam("fingerprint"))
        .on_conflict_do_nothing(index_elements=["operation", "key"])
        .returning(ops.c.key)
    )
    add = insert(outbox)
    complete = (
        update(ops)
        .where(ops.c.operation == bindparam("b_operation"), ops.c.key == bindparam("b_key"))
        .values(updated_at=func.now(), status="done", response=bindparam("response"))
    )

    def run(conn: Connection, key: str) -> None:
        conn.execute(
            claim, {"operation": "op", "key": key, "status": "pending", "fingerprint": "f"}
        ).first()
        row = {"aggregate_type": "t", "aggregate_id": key, "event_type": "e"}
        conn.execute(add, {**row, "payload": {"k": key}, "headers": {}})
        conn.execute(complete, {"b_operation": "op", "b_key": key, "response": {"ok": key}})

    return run


def statement_only(ops: Table, rounds: int) -> None:
    """Section 1: building a statement and its cache key, no database."""
    prebuilt = (
        insert(ops)
        .values(operation=bindparam("operation"), key=bindparam("key"))
        .on_conflict_do_nothing(index_elements=["operation", "key"])
        .returning(ops.c.key)
    )

    def per_call(i: int) -> None:
        statement = (
            insert(ops)
            .values(operation="op", key=str(i))
            .on_conflict_do_nothing(index_elements=["operation", "key"])
            .returning(ops.c.key)
        )
        statement._generate_cache_key()

    print("1. claim INSERT statement object + cache key, no database (client CPU us/statement)")
    print(f"   built per call: {cpu_us_per_call(per_call, rounds):8.1f}")
    once = cpu_us_per_call(lambda i: prebuilt._generate_cache_key() and None, rounds)
    print(f"   built once:     {once:8.1f}")


def raw_rounds(engine: Engine, tables: CommonTables, rounds: int) -> None:
    """Section 2: the three executes per variant, one transaction each, rolled back."""
    print("2. conn.execute of claim + outbox add + complete (client CPU us/round)")
    variants = {
        "built per call": built_per_call(tables.operations, tables.outbox),
        "prebuilt": built_once(tables.operations, tables.outbox),
    }
    for name, run in variants.items():
        with engine.connect() as conn, conn.begin() as txn:
            prefix = uuid.uuid4().hex[:8]
            spent = cpu_us_per_call(lambda i: run(conn, f"{prefix}-{i}"), rounds)  # noqa: B023
            txn.rollback()
        print(f"   {name:15} {spent:8.1f}")


def service_rounds(engine: Engine, tables: CommonTables, rounds: int) -> None:
    """Section 3: the round through the services' own unit of work, one commit per round."""
    prefix = uuid.uuid4().hex[:8]

    def round_trip(i: int) -> None:
        key = f"{prefix}-{i}"
        with SqlUnitOfWork(engine, tables) as uow:
            uow.operations.claim("op", key, "f")
            uow.outbox.add("t", key, "e", {"k": key})
            uow.operations.complete("op", key, {"ok": key})
            uow.commit()

    spent, wall = timed(round_trip, rounds)
    print("3. SqlUnitOfWork round: claim + outbox.add + complete + commit (checked-out code)")
    print(f"   client CPU us/round {spent:8.1f}   wall us/round {wall:8.1f}")


def run(base_url: str, rounds: int) -> None:
    """All three sections on a fresh database of the server at `base_url`."""
    tables = add_common_tables(MetaData())
    statement_only(tables.operations, rounds)
    url = create_test_database(base_url, "bench_sql")
    engine = make_engine(url)
    try:
        init_db(engine, tables.operations.metadata)
        raw_rounds(engine, tables, rounds)
        service_rounds(engine, tables, rounds)
    finally:
        engine.dispose()
        drop_test_database(url)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments; use --url's server or start a throwaway one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", help="SQLAlchemy URL of a PostgreSQL `postgres` database")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.url:
        run(args.url, args.rounds)
        return
    with throwaway_postgres() as url:
        run(url, args.rounds)


if __name__ == "__main__":
    main()
