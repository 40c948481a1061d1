"""`python -m services.<name>`: read the environment, build the app, serve it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

from services.common.db import default_database_url


@dataclass(frozen=True)
class ServeConfig:
    """Where a service listens and which database it owns."""

    host: str
    port: int
    database_url: str


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """An integer variable, with a message naming it when malformed."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


def serve_config(service: str, default_port: int, env: Mapping[str, str]) -> ServeConfig:
    """`<SERVICE>_HOST` (127.0.0.1), `<SERVICE>_PORT`, `<SERVICE>_DATABASE_URL`."""
    prefix = service.upper()
    return ServeConfig(
        host=env.get(f"{prefix}_HOST", "127.0.0.1"),
        port=env_int(env, f"{prefix}_PORT", default_port),
        database_url=env.get(f"{prefix}_DATABASE_URL") or default_database_url(service),
    )


def serve(
    service: str,
    create_app: Callable[[Mapping[str, Any]], Flask],
    *,
    default_port: int,
    extra: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
) -> None:
    """Run the app with werkzeug's threaded server (one thread per request)."""
    from werkzeug.serving import run_simple

    config = serve_config(service, default_port, env)
    app = create_app({"DATABASE_URL": config.database_url, **(extra or {})})
    run_simple(config.host, config.port, app, threaded=True, use_reloader=False)
