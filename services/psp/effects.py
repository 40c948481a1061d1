"""Side effects of the simulator behind small ports, so unit tests can run them inline."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests
import structlog

log = structlog.get_logger(__name__)


class Scheduler(Protocol):
    """Runs a callable later."""

    def __call__(self, delay_s: float, action: Callable[[], None]) -> None: ...


class Notifier(Protocol):
    """Delivers one callback body to a URL."""

    def __call__(self, url: str, body: dict[str, Any]) -> None: ...


def thread_scheduler(delay_s: float, action: Callable[[], None]) -> None:
    """Run `action` on a daemon timer thread after `delay_s` seconds."""
    timer = threading.Timer(delay_s, action)
    timer.daemon = True
    timer.start()


def http_notifier(url: str, body: dict[str, Any], attempts: int = 5) -> None:
    """POST `body` to `url`, retrying with back-off like real PSP webhooks do."""
    for attempt in range(attempts):
        try:
            response = requests.post(url, json=body, timeout=5)
            if response.status_code < 500:
                log.info("psp.callback_delivered", url=url, status=response.status_code)
                return
        except requests.RequestException as error:
            log.warning("psp.callback_failed", url=url, error=str(error), attempt=attempt)
        time.sleep(0.2 * 2**attempt)
    log.error("psp.callback_gave_up", url=url, body=body)
