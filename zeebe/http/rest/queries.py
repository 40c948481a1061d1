"""Search and get endpoints, answered from the read model (spec 8.2, grammar 8.3).

Like Camunda's secondary storage these are eventually consistent; here the read model is fed
right after each group commit, before the command's response is released, so a search after a
command already sees its effects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import read_model
from zeebe.http.rest.narrowing import narrowed_request
from zeebe.http.rest.problems import ProblemError, bad_request
from zeebe.readmodel import SearchError

View = Callable[..., Response]
# the path parameter's name in the REST reference, per table (problems name it)
PATH_KEYS: dict[str, str] = {
    "processInstances": "processInstanceKey",
    "processDefinitions": "processDefinitionKey",
    "elementInstances": "elementInstanceKey",
    "incidents": "incidentKey",
    "jobs": "jobKey",
    "variables": "variableKey",
    "decisionDefinitions": "decisionDefinitionKey",
    "decisionRequirements": "decisionRequirementsKey",
}
VARIABLE_SIZE_THRESHOLD = 8191  # Camunda exporter's variableSizeThreshold

SEARCHES: dict[str, str] = {
    "/process-instances/search": "processInstances",
    "/process-definitions/search": "processDefinitions",
    "/element-instances/search": "elementInstances",
    "/incidents/search": "incidents",
    "/jobs/search": "jobs",
    "/variables/search": "variables",
}
GETS: dict[str, tuple[str, str]] = {
    "/process-instances/<key>": ("processInstances", "Process instance"),
    "/process-definitions/<key>": ("processDefinitions", "Process definition"),
    "/element-instances/<key>": ("elementInstances", "Element instance"),
    "/incidents/<key>": ("incidents", "Incident"),
    "/jobs/<key>": ("jobs", "Job"),
    "/variables/<key>": ("variables", "Variable"),
}


def run_search(table: str, request_body: Any) -> Response:
    """One search; a malformed request is a 400 naming the field."""
    try:
        if isinstance(request_body, dict):
            request_body = narrowed_request(table, request_body)
        result = read_model().search(table, request_body)
    except SearchError as error:
        raise search_problem(error) from error
    if table == "variables" and request.args.get("truncateValues", "true") != "false":
        result["items"] = [truncated(item) for item in result["items"]]
    return jsonify(result)


def truncated(variable: dict[str, Any]) -> dict[str, Any]:
    """A variable search item whose value is cut at the exporter's size threshold (8191
    characters, `isTruncated` true); GET /v2/variables/{key} answers the full value."""
    value = variable.get("value")
    if not isinstance(value, str) or len(value) <= VARIABLE_SIZE_THRESHOLD:
        return variable
    return {**variable, "value": value[:VARIABLE_SIZE_THRESHOLD], "isTruncated": True}


# SearchQueryRequestMapper's texts for the page conflicts the read model reports
PAGE_CONFLICTS: dict[frozenset[str], str] = {
    frozenset({"after", "before"}): "Both after and before cannot be set at the same time",
    frozenset({"from", "after"}): "Both after/before and from cannot be set at the same time",
    frozenset({"from", "before"}): "Both after/before and from cannot be set at the same time",
}


def search_problem(error: SearchError) -> ProblemError:
    """The 400 of a malformed search request (naming the field)."""
    if error.field == "page" and "use one of" in error.message:
        given = frozenset(error.message.rsplit("got ", 1)[-1].split(", "))
        text = PAGE_CONFLICTS.get(given, PAGE_CONFLICTS[frozenset({"from", "after"})])
        return bad_request(text)
    return bad_request(f"Invalid search request, {error.field}: {error.message}")


def _search_view(table: str) -> View:
    def view() -> Response:
        return run_search(table, Body.read(optional=True).data)

    view.__name__ = f"search_{table}"
    return view


def not_found(what: str, key: int) -> ProblemError:
    """The 404 problem of an unknown (or evicted) key."""
    return ProblemError(404, "NOT_FOUND", f"{what} with key '{key}' not found")


def _get_view(table: str, what: str) -> View:
    def view(key: str) -> Response:
        parsed = parse_key(key, PATH_KEYS.get(table, "key"))
        row = read_model().get(table, parsed)
        if row is None:
            raise not_found(what, parsed)
        return jsonify(row)

    view.__name__ = f"get_{table}"
    return view


def instance_incidents(key: str) -> Response:
    """POST /v2/process-instances/{key}/incidents/search: the instance's incidents."""
    body = dict(Body.read(optional=True).data)
    filter_ = body.get("filter") or {}
    if not isinstance(filter_, dict):
        raise bad_request("Invalid search request, filter: expected an object")
    instance = parse_key(key, "processInstanceKey")
    body["filter"] = {**filter_, "processInstanceKey": str(instance)}
    return run_search("incidents", body)


def definition_xml(key: str) -> Response:
    """GET /v2/process-definitions/{key}/xml: the deployed BPMN as text/xml."""
    parsed = parse_key(key, "processDefinitionKey")
    xml = read_model().definition_xml(parsed)
    if xml is None:
        raise not_found("Process definition", parsed)
    return Response(xml, content_type="text/xml; charset=utf-8")


def register_table_routes(
    blueprint: Blueprint, searches: dict[str, str], gets: dict[str, tuple[str, str]]
) -> None:
    """`POST <path>` searches and `GET <path>/<key>` gets of read-model tables: `searches`
    maps a path to its table, `gets` a path to (table, what a 404 names)."""
    for path, table in searches.items():
        blueprint.add_url_rule(path, view_func=_search_view(table), methods=["POST"])
    for path, (table, what) in gets.items():
        blueprint.add_url_rule(path, view_func=_get_view(table, what), methods=["GET"])


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    register_table_routes(blueprint, SEARCHES, GETS)
    blueprint.add_url_rule(
        "/process-instances/<key>/incidents/search", view_func=instance_incidents, methods=["POST"]
    )
    blueprint.add_url_rule(
        "/process-definitions/<key>/xml", view_func=definition_xml, methods=["GET"]
    )
