"""configure_logging: JSON by default, console on a TTY, idempotent, service name bound."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from services.kit import log as kit_log
from services.kit.log import configure_logging, get_logger

pytestmark = pytest.mark.unit


class TtyStream(io.StringIO):
    """A text stream that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Each test starts unconfigured and leaves no handler behind."""
    kit_log._current = None
    yield
    kit_log._current = None
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "services.kit"]:
        root.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line]


def test_json_lines_by_default_with_service_name() -> None:
    """A non-TTY stream gets one JSON object per event, carrying the service name and level."""
    stream = io.StringIO()
    setup = configure_logging("cart", stream=stream)
    get_logger().info("reservation created", cart_id="c-1")
    assert setup.renderer == "json"
    (line,) = _lines(stream)
    event = json.loads(line)
    assert event["event"] == "reservation created"
    assert event["cart_id"] == "c-1"
    assert event["service"] == "cart"
    assert event["level"] == "info"
    assert event["timestamp"].endswith("Z")


def test_console_renderer_on_a_tty() -> None:
    """On a terminal the output is human-readable text, not JSON."""
    stream = TtyStream()
    setup = configure_logging("cart", stream=stream)
    get_logger().info("hello", cart_id="c-1")
    (line,) = _lines(stream)
    assert setup.renderer == "console"
    assert "hello" in line and "cart_id=c-1" in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_explicit_format_overrides_tty_detection() -> None:
    """log_format='json' forces JSON even on a terminal (e.g. piping through a TTY in CI)."""
    stream = TtyStream()
    configure_logging("cart", log_format="json", stream=stream)
    get_logger().info("hello")
    assert json.loads(_lines(stream)[0])["event"] == "hello"


def test_configuring_twice_does_not_duplicate_output() -> None:
    """Idempotent: a second identical call neither adds a handler nor doubles each line."""
    stream = io.StringIO()
    configure_logging("cart", stream=stream)
    configure_logging("cart", stream=stream)
    logging.getLogger("kit_tests.werkzeug").warning("stdlib line")
    get_logger().info("structlog line")
    assert len(_lines(stream)) == 2
    named = [h for h in logging.getLogger().handlers if h.get_name() == "services.kit"]
    assert len(named) == 1


def test_stdlib_loggers_render_as_json_with_service() -> None:
    """Library logs (Flask, kafka-python) go through the same renderer and carry the service."""
    stream = io.StringIO()
    configure_logging("payment", stream=stream)
    # A name no other test configures: loggers like "kafka" may be tuned by other code.
    logging.getLogger("kit_tests.library").warning("broker unavailable")
    event = json.loads(_lines(stream)[0])
    assert event["event"] == "broker unavailable"
    assert event["service"] == "payment"
    assert event["level"] == "warning"


def test_level_filters_lower_events() -> None:
    """level='WARNING' drops info events from structlog and from stdlib loggers."""
    stream = io.StringIO()
    configure_logging("cart", level="warning", stream=stream)
    get_logger().info("dropped")
    logging.getLogger("kit_tests.other").info("dropped too")
    get_logger().warning("kept")
    assert [json.loads(line)["event"] for line in _lines(stream)] == ["kept"]


def test_bound_context_is_kept() -> None:
    """Values bound to a logger (correlation ids) appear on every event it logs."""
    stream = io.StringIO()
    configure_logging("order", stream=stream)
    get_logger().bind(process_instance_key=2251799813685249).info("order created")
    assert json.loads(_lines(stream)[0])["process_instance_key"] == 2251799813685249
