"""Service settings from environment variables, validated once at startup.

Every variable is `<PREFIX>_<NAME>` (prefix = the service, e.g. CART):

| name                    | default                 | meaning                                  |
|-------------------------|-------------------------|------------------------------------------|
| <PREFIX>_HOST           | 127.0.0.1               | address the HTTP server binds            |
| <PREFIX>_PORT           | per service (below)     | HTTP port                                |
| <PREFIX>_LOG_LEVEL      | INFO                    | DEBUG, INFO, WARNING, ERROR, CRITICAL    |
| <PREFIX>_LOG_FORMAT     | auto                    | json, console, or auto (console on a TTY)|
| <PREFIX>_DATABASE_URL   | (none)                  | SQLAlchemy/libpq URL or mongodb:// URI   |
| <PREFIX>_KAFKA_BOOTSTRAP| 127.0.0.1:19092         | Kafka bootstrap servers for the outbox   |
| <PREFIX>_TIMEOUT_S      | 5.0                     | timeout for outgoing calls, seconds      |

Default ports (DESIGN.md section 2): CHECKOUT 8000, CART 8001, PRICING 8002, PAYMENT 8003,
INVENTORY 8004, ORDER 8005, PSP 8006; any other prefix must set <PREFIX>_PORT.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_PORTS: dict[str, int] = {
    "CHECKOUT": 8000,
    "CART": 8001,
    "PRICING": 8002,
    "PAYMENT": 8003,
    "INVENTORY": 8004,
    "ORDER": 8005,
    "PSP": 8006,
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("auto", "json", "console")
PREFIX_PATTERN = re.compile(r"[A-Z][A-Z0-9_]*")


class ConfigError(ValueError):
    """A missing or malformed setting; the message names the variable and the bad value."""


def _integer_port(name: str, raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"{name} must be between 1 and 65535, got {port}")
    return port


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not value > 0:
        raise ConfigError(f"{name} must be greater than 0, got {raw!r}")
    return value


def _choice(choices: tuple[str, ...], *, upper: bool) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.upper() if upper else raw.lower()
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return value

    return parse


def _text(_name: str, raw: str) -> str:
    return raw


# field -> (variable suffix, parser)
SETTINGS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "host": ("HOST", _text),
    "port": ("PORT", _integer_port),
    "log_level": ("LOG_LEVEL", _choice(LOG_LEVELS, upper=True)),
    "log_format": ("LOG_FORMAT", _choice(LOG_FORMATS, upper=False)),
    "database_url": ("DATABASE_URL", _text),
    "kafka_bootstrap": ("KAFKA_BOOTSTRAP", _text),
    "timeout_s": ("TIMEOUT_S", _positive_float),
}


@dataclass(frozen=True)
class ServiceConfig:
    """The settings every service reads; build it with `ServiceConfig.from_env`."""

    service: str
    port: int
    host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_format: str = "auto"
    database_url: str | None = None
    kafka_bootstrap: str = "127.0.0.1:19092"
    timeout_s: float = 5.0

    @classmethod
    def from_env(cls, prefix: str, env: Mapping[str, str] = os.environ) -> ServiceConfig:
        """Read `<PREFIX>_*` variables; blank values count as unset. Raises ConfigError."""
        if not PREFIX_PATTERN.fullmatch(prefix):
            raise ConfigError(f"prefix must be upper-case letters/digits/_, got {prefix!r}")
        values: dict[str, Any] = {}
        for field, (suffix, parse) in SETTINGS.items():
            name = f"{prefix}_{suffix}"
            raw = env.get(name, "").strip()
            if raw:
                values[field] = parse(name, raw)
        if "port" not in values:
            if prefix not in DEFAULT_PORTS:
                raise ConfigError(f"{prefix}_PORT is required (no default port for {prefix})")
            values["port"] = DEFAULT_PORTS[prefix]
        return cls(service=prefix.lower(), **values)
