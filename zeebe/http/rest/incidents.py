"""Incident resolution (spec 2.5, 8.2)."""

from __future__ import annotations

from flask import Blueprint, Response

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import on_loop
from zeebe.http.rest.problems import ProblemError, rejection_problem
from zeebe.records import ValueType

NO_RETRIES = "has no retries left"


def resolve(key: str) -> Response:
    """POST /v2/incidents/{key}/resolution -> 204.

    The engine rejects resolving a job incident whose job has no retries with NOT_FOUND (as Zeebe
    8.6 does over gRPC); the REST API documents 409 for that case, so it is mapped here.
    """
    Body.read(optional=True)
    command = Command(ValueType.INCIDENT, "RESOLVE", {}, key=parse_key(key, "incidentKey"))
    result = on_loop(lambda broker: broker.execute(command))
    if result.rejection is None:
        return Response(status=204)
    if NO_RETRIES in result.rejection.reason:
        raise ProblemError(409, "INVALID_STATE", result.rejection.message())
    raise rejection_problem(result.rejection)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/incidents/<key>/resolution", view_func=resolve, methods=["POST"])
