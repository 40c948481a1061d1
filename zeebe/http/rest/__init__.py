"""The Orchestration Cluster REST API subset (`/v2`, spec 8) as one Flask blueprint."""

from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException

from zeebe.http.rest import (
    ad_hoc,
    clock,
    cluster,
    decision_queries,
    decisions,
    derived_reads,
    incidents,
    instances,
    jobs,
    messages,
    modification,
    queries,
    resources,
    user_tasks,
)
from zeebe.http.rest.problems import ProblemError, handle_http_error, handle_problem

ROUTE_MODULES = (
    cluster,
    clock,
    instances,
    modification,
    jobs,
    messages,
    incidents,
    decisions,
    resources,
    queries,
    user_tasks,
    decision_queries,
    ad_hoc,
    derived_reads,
)


def _bare_no_content(response: Response) -> Response:
    """A 204 has no body, so no Content-Type either (Flask would add text/html)."""
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    return response


def rest_blueprint() -> Blueprint:
    """`/v2` routes; errors (also unknown routes and wrong methods under /v2) are problem+json."""
    blueprint = Blueprint("rest_v2", __name__, url_prefix="/v2")
    for module in ROUTE_MODULES:
        module.register(blueprint)
    blueprint.after_request(_bare_no_content)
    blueprint.register_error_handler(ProblemError, handle_problem)
    blueprint.app_errorhandler(HTTPException)(handle_http_error)
    return blueprint


__all__ = ["rest_blueprint"]
