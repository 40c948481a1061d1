"""8.8 search filter fields that are not columns of the read-model table they filter:

- process definitions `isLatestVersion: true`: only the latest version of each process id (per
  tenant), as the RDBMS search of 8.8 does (`version` equals the highest deployed version);
- element instances `elementInstanceScopeKey`: the immediate children of that process or
  element instance (the read model keeps each element's flow scope);
- user tasks `processInstanceVariables` and `localVariables` (`[{name, value}]`, value as JSON
  text or a string filter): every entry must match a variable of the task's process instance
  scope, or of the task's own element instance scope.

Both are answered in two steps: the other filter fields select the candidate keys, the extra
field narrows them, and the final search is the request's sort and page over `key $in [...]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from zeebe.http.rest.body import parse_key
from zeebe.http.rest.bridge import read_model
from zeebe.http.rest.problems import bad_request

Row = dict[str, Any]
# table -> {filter field: narrowing of the candidate rows}
Narrowing = Callable[[list[Row], Any], set[str]]
SCAN_LIMIT = 10_000


def all_rows(table: str, filter_: dict[str, Any]) -> Iterator[Row]:
    """Every row matching `filter_`, page by page (cursor based)."""
    page: dict[str, Any] = {"limit": SCAN_LIMIT}
    while True:
        result = read_model().search(table, {"filter": filter_, "page": page})
        yield from result["items"]
        if len(result["items"]) < SCAN_LIMIT:
            return
        page = {"limit": SCAN_LIMIT, "after": result["page"]["endCursor"]}


def _latest_versions(rows: list[Row], wanted: Any) -> set[str]:
    if not isinstance(wanted, bool):
        raise bad_request("Invalid search request, filter.isLatestVersion: expected a boolean")
    keys = {str(row["processDefinitionKey"]) for row in rows}
    if not wanted:
        return keys
    latest: dict[tuple[str, str], int] = {}
    for row in all_rows("processDefinitions", {}):
        scope = (str(row["processDefinitionId"]), str(row["tenantId"]))
        latest[scope] = max(latest.get(scope, 0), int(row["version"]))
    return {
        str(row["processDefinitionKey"])
        for row in rows
        if latest.get((str(row["processDefinitionId"]), str(row["tenantId"]))) == row["version"]
    }


def _variable_conditions(raw: Any, field: str) -> list[dict[str, Any]]:
    """`[{name, value}]`, checked."""
    if not isinstance(raw, list):
        raise bad_request(f"Invalid search request, filter.{field}: expected a list")
    conditions = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise bad_request(f"Invalid search request, filter.{field}[{index}].name: required")
        conditions.append({"name": item["name"], "value": item.get("value")})
    return conditions


def _scopes_with(conditions: list[dict[str, Any]]) -> set[str] | None:
    """The scope keys holding a variable for every condition (None: no condition)."""
    matched: set[str] | None = None
    for condition in conditions:
        filter_ = {k: v for k, v in condition.items() if v is not None}
        scopes = {str(row["scopeKey"]) for row in all_rows("variables", filter_)}
        matched = scopes if matched is None else matched & scopes
    return matched


def _task_variables(scope_field: str, field: str) -> Narrowing:
    def narrow(rows: list[Row], raw: Any) -> set[str]:
        scopes = _scopes_with(_variable_conditions(raw, field))
        return {
            str(row["userTaskKey"])
            for row in rows
            if scopes is None or str(row[scope_field]) in scopes
        }

    return narrow


def _children_of(rows: list[Row], raw: Any) -> set[str]:
    """Element instances whose flow scope is the given element (or process) instance."""
    scope = str(parse_key(raw, "elementInstanceScopeKey"))
    model = read_model()
    return {
        str(row["elementInstanceKey"])
        for row in rows
        if [str(key) for key in model.scope_chain(int(row["elementInstanceKey"]))[1:2]] == [scope]
    }


def _same_instance(raw: Any) -> dict[str, Any]:
    """Children share their scope's process instance: a cheaper candidate filter."""
    scope = read_model().get("elementInstances", parse_key(raw, "elementInstanceScopeKey"))
    return {"processInstanceKey": scope["processInstanceKey"]} if scope is not None else {}


# table -> (key column, {extra filter field: narrowing})
NARROWINGS: dict[str, tuple[str, dict[str, Narrowing]]] = {
    "processDefinitions": ("processDefinitionKey", {"isLatestVersion": _latest_versions}),
    "elementInstances": ("elementInstanceKey", {"elementInstanceScopeKey": _children_of}),
    "userTasks": (
        "userTaskKey",
        {
            "processInstanceVariables": _task_variables(
                "processInstanceKey", "processInstanceVariables"
            ),
            "localVariables": _task_variables("elementInstanceKey", "localVariables"),
        },
    ),
}


def narrowed_request(table: str, body: dict[str, Any]) -> dict[str, Any]:
    """The search request for `table` with its extra filter fields turned into a key set."""
    key_field, extras = NARROWINGS.get(table, ("", {}))
    filter_ = body.get("filter")
    if not isinstance(filter_, dict) or not extras.keys() & filter_.keys():
        return body
    plain = {k: v for k, v in filter_.items() if k not in extras}
    if table == "elementInstances" and "elementInstanceScopeKey" in filter_:
        plain = {**_same_instance(filter_["elementInstanceScopeKey"]), **plain}
    rows = list(all_rows(table, plain))
    keys = {str(row[key_field]) for row in rows}
    for name, narrow in extras.items():
        if name in filter_:
            keys &= narrow(rows, filter_[name])
    return {**body, "filter": {key_field: {"$in": sorted(keys)}}}
