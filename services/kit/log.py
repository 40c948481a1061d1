"""structlog set up once per process: JSON lines by default, readable console output on a TTY.

Standard-library loggers (Flask, werkzeug, kafka-python) are routed through the same renderer,
and every event carries the service name.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

_HANDLER_NAME = "services.kit"
_current: LoggingSetup | None = None


@dataclass(frozen=True)
class LoggingSetup:
    """The effective logging settings (returned so callers and tests can see what was chosen)."""

    service: str
    level: str
    renderer: str
    stream: TextIO


def _bind_service(service: str) -> Processor:
    def add_service(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
        event.setdefault("service", service)
        return event

    return add_service


def _choose_renderer(log_format: str, stream: TextIO) -> str:
    if log_format != "auto":
        return log_format
    isatty = getattr(stream, "isatty", None)
    return "console" if isatty is not None and isatty() else "json"


def _renderer(name: str) -> Processor:
    if name == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer()


def configure_logging(
    service: str,
    *,
    level: str = "INFO",
    log_format: str = "auto",
    stream: TextIO | None = None,
) -> LoggingSetup:
    """Configure structlog and stdlib logging for `service`; calling again with the same
    arguments changes nothing, different arguments replace the previous setup."""
    global _current  # noqa: PLW0603  # one logging setup per process, by design
    output = stream if stream is not None else sys.stderr
    setup = LoggingSetup(service, level.upper(), _choose_renderer(log_format, output), output)
    if setup == _current:
        return setup
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _bind_service(service),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*shared, _renderer(setup.renderer)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(setup.level)),
        logger_factory=structlog.PrintLoggerFactory(file=output),
        cache_logger_on_first_use=False,
    )
    _route_stdlib(shared, setup)
    _current = setup
    return setup


def _route_stdlib(shared: list[Processor], setup: LoggingSetup) -> None:
    """One handler on the root logger, replaced (never duplicated) on reconfiguration."""
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _renderer(setup.renderer),
        ],
    )
    handler = logging.StreamHandler(setup.stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(setup.level)


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    """A structlog logger (configure_logging should have run in the composition root)."""
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
