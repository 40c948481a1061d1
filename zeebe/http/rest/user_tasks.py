"""Camunda user task endpoints (REST API v2, 8.6+): completion, assignment, unassignment,
update (PATCH changeset), get, search, and the search of the variables a task sees.

Commands go to the engine as USER_TASK commands (rejections: NOT_FOUND -> 404, INVALID_STATE ->
409); get and search read the `userTasks` table of the read model. As in Camunda's gateway, an
assignment with `allowOverride: false` is a CLAIM (rejected while someone else is assigned),
otherwise an ASSIGN; unassigning is an ASSIGN with an empty assignee and action "unassign".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import execute, read_model
from zeebe.http.rest.problems import ProblemError, bad_request
from zeebe.http.rest.queries import not_found, run_search
from zeebe.records import ValueType


def _command(intent: str, key: str, value: dict[str, Any]) -> Response:
    execute(Command(ValueType.USER_TASK, intent, value, key=parse_key(key, "userTaskKey")))
    return Response(status=204)


def complete(key: str) -> Response:
    """POST /v2/user-tasks/{key}/completion {variables, action} -> 204."""
    body = Body.read(optional=True)
    value = {"variables": body.document("variables"), "action": body.string("action")}
    return _command("COMPLETE", key, value)


def assign(key: str) -> Response:
    """POST /v2/user-tasks/{key}/assignment {assignee*, allowOverride, action} -> 204."""
    body = Body.read()
    assignee = body.string("assignee")
    if not assignee.strip():
        # UserTaskRequestValidator builds this problem itself: no trailing period
        raise ProblemError(400, "INVALID_ARGUMENT", "No assignee provided")
    intent = "ASSIGN" if body.boolean("allowOverride", default=True) else "CLAIM"
    value = {"assignee": assignee, "action": body.string("action", default="assign")}
    return _command(intent, key, value)


def unassign(key: str) -> Response:
    """DELETE /v2/user-tasks/{key}/assignee -> 204."""
    return _command("ASSIGN", key, {"assignee": "", "action": "unassign"})


# RequestValidator.validateDate names the attribute in words
_DATE_WORDS = {"dueDate": "due date", "followUpDate": "follow-up date"}
EMPTY_UPDATE = (
    'No update data provided. Provide at least an "action" or a non-null value for a '
    'supported attribute in the "changeset"'
)


# OffsetDateTime.parse (ISO_OFFSET_DATE_TIME): date, time, optional fraction, Z or +HH:MM
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2}(:\d{2})?)$"
)


def _date_violation(changeset: Body, name: str) -> str | None:
    """RequestValidator.validateDate: a non-empty value must parse ("" clears the date)."""
    text = changeset.string(name)
    if not text or (_RFC3339.match(text) and _parses(text)):
        return None
    return (
        f"The provided {_DATE_WORDS[name]} '{text}' cannot be parsed as a date "
        "according to RFC 3339, section 5.6"
    )


def _parses(text: str) -> bool:
    try:
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _priority_violation(changeset: Body, name: str) -> str | None:
    if changeset.data.get(name) is None:
        return None
    priority = changeset.integer(name)
    if 0 <= priority <= 100:
        return None
    return f"The value for priority is '{priority}' but must be within the [0,100] range"


# changeset field -> record attribute and reader (checked by CHECKS first)
CHANGESET: dict[str, tuple[str, Callable[[Body, str], Any]]] = {
    "dueDate": ("dueDate", Body.string),
    "followUpDate": ("followUpDate", Body.string),
    "candidateGroups": ("candidateGroupsList", Body.strings),
    "candidateUsers": ("candidateUsersList", Body.strings),
    "priority": ("priority", Body.integer),
}
CHECKS: tuple[tuple[str, Callable[[Body, str], str | None]], ...] = (
    ("dueDate", _date_violation),
    ("followUpDate", _date_violation),
    ("priority", _priority_violation),
)


def _violations(body: Body, changeset: Body) -> list[str]:
    """UserTaskRequestValidator.validateUpdateRequest; unknown changeset fields are ignored."""
    given = [name for name in CHANGESET if changeset.data.get(name) is not None]
    if body.data.get("action") is None and not given:
        return [EMPTY_UPDATE]
    found = (check(changeset, name) for name, check in CHECKS)
    return [violation for violation in found if violation is not None]


def update(key: str) -> Response:
    """PATCH /v2/user-tasks/{key} {changeset, action} -> 204; only the given fields change."""
    body = Body.read(optional=True)
    changeset = Body(body.document("changeset"))
    violations = _violations(body, changeset)
    if violations:
        raise bad_request(". ".join(violations))
    value: dict[str, Any] = {"changedAttributes": [], "action": body.string("action")}
    for name, (attribute, read) in CHANGESET.items():
        if changeset.data.get(name) is not None:
            value[attribute] = read(changeset, name)
            value["changedAttributes"].append(attribute)
    return _command("UPDATE", key, value)


def get(key: str) -> Response:
    """GET /v2/user-tasks/{key}: the UserTaskResult, 404 when unknown."""
    parsed = parse_key(key, "userTaskKey")
    row = read_model().get("userTasks", parsed)
    if row is None:
        raise not_found("User task", parsed)
    return jsonify(row)


def search() -> Response:
    """POST /v2/user-tasks/search {filter, sort, page} (spec 8.3 grammar)."""
    return run_search("userTasks", Body.read(optional=True).data)


def variables_search(key: str) -> Response:
    """POST /v2/user-tasks/{key}/variables/search {filter: {name}, sort, page} (8.8): every
    variable visible from the task's element instance, that scope's and each parent scope's
    (a name set at two levels is two results); 404 when the task is unknown."""
    parsed = parse_key(key, "userTaskKey")
    task = read_model().get("userTasks", parsed)
    if task is None:
        raise not_found("User task", parsed)
    body = dict(Body.read(optional=True).data)
    filter_ = body.get("filter") or {}
    if not isinstance(filter_, dict):
        raise bad_request("Invalid search request, filter: expected an object")
    unknown = sorted(set(filter_) - {"name"})
    if unknown:
        raise bad_request(f"Invalid search request, filter.{unknown[0]}: unknown field")
    scopes = read_model().scope_chain(int(task["elementInstanceKey"]))
    body["filter"] = {
        **filter_,
        "processInstanceKey": task["processInstanceKey"],
        "scopeKey": {"$in": [str(scope) for scope in scopes]},
    }
    return run_search("variables", body)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    routes: tuple[tuple[str, Callable[..., Response], str], ...] = (
        ("/user-tasks/<key>/completion", complete, "POST"),
        ("/user-tasks/<key>/assignment", assign, "POST"),
        ("/user-tasks/<key>/assignee", unassign, "DELETE"),
        ("/user-tasks/<key>", update, "PATCH"),
        ("/user-tasks/<key>", get, "GET"),
        ("/user-tasks/search", search, "POST"),
        ("/user-tasks/<key>/variables/search", variables_search, "POST"),
    )
    for path, view, method in routes:
        # endpoint names are per blueprint: prefixed, as jobs.py has `complete` and `update` too
        endpoint = f"user_task_{view.__name__}"
        blueprint.add_url_rule(path, endpoint, view_func=view, methods=[method])
