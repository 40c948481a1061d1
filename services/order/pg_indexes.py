"""GIN indexes that let FerretDB v1 (PostgreSQL backend) answer the order queries by index.

FerretDB v1 turns `{"field": value}` into `(_jsonb -> 'field') @> 'value'` but builds its own
indexes as btree on `(_jsonb -> 'field')`, which PostgreSQL cannot use for `@>`: every lookup is a
sequential scan of the collection (FerretDB issue #4646; fixed only in v2, which needs an
extension Debian does not ship). A GIN index on the same expression serves `@>`, so the order
service adds one per field it filters on, directly in FerretDB's backing database. FerretDB
keeps its own index list in its metadata table and never sees these; dropping the collection
drops them with the table.

Only used when `ORDER_FERRETDB_POSTGRES_URL` is set (the local stack); against a real MongoDB there
is nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import create_engine, text

log = structlog.get_logger("services.order.pg_indexes")

# The order store's filters: by id (transitions, marks), by idempotency key (reads, creates), by
# the outbox flag (the relay).
INDEXED_FIELDS = ("_id", "idempotency_key", "outbox_pending")


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def index_statement(schema: str, table: str, field: str, name: str) -> str:
    """`CREATE INDEX IF NOT EXISTS` of a GIN index on the field's jsonb expression."""
    literal = field.replace("'", "''")
    return (
        f"CREATE INDEX IF NOT EXISTS {_quoted(name)} ON {_quoted(schema)}.{_quoted(table)} "
        f"USING gin ((_jsonb -> '{literal}'))"
    )


def index_name(table: str, field: str) -> str:
    """A name within PostgreSQL's 63-byte limit, stable per table and field."""
    return f"{table}_{field.strip('_')}_gin"[:63]


def ensure_gin_indexes(
    postgres_url: str, database: str, collection: str, fields: Sequence[str] = INDEXED_FIELDS
) -> list[str]:
    """Create the missing GIN indexes of `database.collection`; return the index names.

    The collection must exist (the caller creates its Mongo indexes first). An advisory lock
    serialises the order service and its relay starting together.
    """
    engine = create_engine(postgres_url, future=True)
    try:
        with engine.begin() as conn:
            metadata = f"{_quoted(database)}._ferretdb_database_metadata"
            table = conn.execute(
                text(f"SELECT _jsonb ->> 'table' FROM {metadata} WHERE _jsonb ->> '_id' = :c"),
                {"c": collection},
            ).scalar_one_or_none()
            if table is None:
                raise LookupError(f"FerretDB has no collection {database}.{collection}")
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": table})
            names = [index_name(table, field) for field in fields]
            for field, name in zip(fields, names, strict=True):
                conn.execute(text(index_statement(database, table, field, name)))
    finally:
        engine.dispose()
    log.info("order.gin_indexes_ready", table=table, indexes=names)
    return names
