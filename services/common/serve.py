"""`python -m services.<name>`: read the environment, build the app, serve it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

from services.common.db import default_database_url
from services.kit import ConfigError, ServiceConfig, configure_logging


@dataclass(frozen=True)
class ServeConfig:
    """Where a service listens and which database it owns."""

    host: str
    port: int
    database_url: str
    log_level: str = "INFO"
    log_format: str = "auto"


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
    """`<SERVICE>_HOST` (127.0.0.1), `_PORT`, `_DATABASE_URL`, `_LOG_LEVEL`, `_LOG_FORMAT`.

    Parsed by `services.kit.ServiceConfig`; `default_port` applies when `_PORT` is unset.
    """
    prefix = service.upper()
    merged = dict(env)
    if not merged.get(f"{prefix}_PORT", "").strip():
        merged[f"{prefix}_PORT"] = str(default_port)
    try:
        settings = ServiceConfig.from_env(prefix, merged)
    except ConfigError as error:
        raise SystemExit(str(error)) from None
    return ServeConfig(
        host=settings.host,
        port=settings.port,
        database_url=settings.database_url or default_database_url(service),
        log_level=settings.log_level,
        log_format=settings.log_format,
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
    configure_logging(service, level=config.log_level, log_format=config.log_format)
    app = create_app({"DATABASE_URL": config.database_url, **(extra or {})})
    run_simple(config.host, config.port, app, threaded=True, use_reloader=False)
