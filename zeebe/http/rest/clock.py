"""`PUT /v2/clock` and `POST /v2/clock/reset` (8.6+, alpha in Camunda): pin the engine clock at
an epoch-ms `timestamp`, or let it follow real time again. Both answer 204. The gateway checks the
timestamp first ("No timestamp provided", not negative); the engine writes CLOCK PINNED /
RESETTED (zeebe/engine/processors/clock.py), so the pin survives a restart."""

from __future__ import annotations

from flask import Blueprint, Response

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body
from zeebe.http.rest.bridge import execute
from zeebe.http.rest.problems import bad_request
from zeebe.records import ValueType


def pin_clock() -> Response:
    """Pin the clock; later timers, deadlines and record timestamps read the pinned time."""
    timestamp = Body.read().integer("timestamp", required=True)
    if timestamp < 0:
        raise bad_request(f"The value for timestamp is '{timestamp}' but must be not negative.")
    execute(Command(ValueType.CLOCK, "PIN", {"time": timestamp}))
    return Response(status=204)


def reset_clock() -> Response:
    """Reset the clock to the system time."""
    Body.read(optional=True)
    execute(Command(ValueType.CLOCK, "RESET", {}))
    return Response(status=204)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/clock", view_func=pin_clock, methods=["PUT"])
    blueprint.add_url_rule("/clock/reset", view_func=reset_clock, methods=["POST"])
