"""From a Flask request thread to the broker loop and back (as zeebe/http/ops.py does)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from flask import current_app

from zeebe.engine.api import Command, CommandResult
from zeebe.http.rest.problems import ProblemError, rejection_problem
from zeebe.readmodel import ReadModel
from zeebe.runtime.broker import Broker, BrokerStoppedError, EngineFailureError

T = TypeVar("T")
REQUEST_TIMEOUT_S = 15.0  # spec 1.1: gateway -> broker request timeout


def broker() -> Broker:
    """The broker of the running app."""
    found: Broker = current_app.extensions["zeebe_broker"]
    return found


def read_model() -> ReadModel:
    """The read model fed by the broker's exporters (503 when the app has none)."""
    model: ReadModel | None = current_app.extensions.get("zeebe_read_model")
    if model is None:
        raise ProblemError(503, "UNAVAILABLE", "This engine was started without a read model")
    return model


def on_loop(
    make: Callable[[Broker], Coroutine[Any, Any, T]], timeout_s: float = REQUEST_TIMEOUT_S
) -> T:
    """Run `make(broker)` on the broker loop and wait; failures become problems."""
    target = broker()
    if not target.running or target.loop is None:
        raise ProblemError(503, "UNAVAILABLE", "The broker is not accepting requests")
    future = asyncio.run_coroutine_threadsafe(make(target), target.loop)
    try:
        return future.result(timeout_s)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise ProblemError(
            504, "DEADLINE_EXCEEDED", f"Request timed out after {int(timeout_s * 1000)} ms"
        ) from None
    except BrokerStoppedError as error:
        raise ProblemError(503, "UNAVAILABLE", str(error)) from error
    except EngineFailureError as error:
        raise ProblemError(500, "INTERNAL", f"Unexpected error: {error}") from error


def execute(command: Command) -> CommandResult:
    """Process a command; a rejection becomes the matching problem (spec 8.1)."""
    result = on_loop(lambda target: target.execute(command))
    if result.rejection is not None:
        raise rejection_problem(result.rejection)
    return result
