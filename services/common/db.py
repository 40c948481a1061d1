"""Database plumbing for SQL services: engines, database creation, table creation."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine, make_url, text


def default_database_url(service: str, port: int = 55432) -> str:
    """The local-stack DSN of a service's own database."""
    return f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{service}"


def make_engine(url: str) -> Engine:
    """An engine with pool pre-ping, sized for a threaded werkzeug server."""
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, future=True)


def ensure_database(url: str) -> None:
    """Create the URL's database if it does not exist (each service owns one database)."""
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError(f"database URL has no database name: {target!r}")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                # Identifiers cannot be bound parameters; quote it instead.
                quoted = conn.dialect.identifier_preparer.quote(name)
                conn.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()


def init_db(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables (no migrations tool yet)."""
    metadata.create_all(engine)


def ping(engine: Engine) -> None:
    """One real round trip; raises if the database is unreachable."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
