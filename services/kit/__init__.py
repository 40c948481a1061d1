"""What every service shares: logging set up once and settings read from the environment."""

from __future__ import annotations

from services.kit.config import DEFAULT_PORTS, ConfigError, ServiceConfig
from services.kit.log import LoggingSetup, configure_logging, get_logger

__all__ = [
    "DEFAULT_PORTS",
    "ConfigError",
    "LoggingSetup",
    "ServiceConfig",
    "configure_logging",
    "get_logger",
]
