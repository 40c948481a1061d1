"""Process-instance filter fields answered from the instance's own child rows (spec 8.3, 8.8).

Like Camunda's list view, where these fields are `has_child` queries on the instance's flow
node instances (ProcessInstanceFilterTransformer):

* `variables [{name, value}]`: the instance has each variable with that JSON value;
* `errorMessage`, `incidentErrorHashCode`: an ACTIVE incident of the instance has a matching
  message / Java `String.hashCode()` of its message (Operate's `errorMessageHash`);
* `hasRetriesLeft`: a flow node instance whose last job event was a failure with retries left
  ("Whether the process has failed jobs with retries left"); `false` asks for a flow node
  instance without one, as the list view's term query on the flag does;
* `elementId`, `elementInstanceState`, `hasElementInstanceIncident`: one flow node instance
  (not the process itself) satisfies all of the given ones together;
* `tags`: the instance carries every given tag (instances here carry none);
* `batchOperationId` / `batchOperationKey`: not supported, this engine runs no batch operations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from zeebe.readmodel.filters import ExtraFactory, Extras, RowCheck, SearchError, value_predicate
from zeebe.readmodel.schema import Kind
from zeebe.readmodel.tables import Row, Tables

# filter field -> (column of the element instance row, kind of its values)
ELEMENT_FIELDS: dict[str, tuple[str, Kind]] = {
    "elementId": ("elementId", Kind.STRING),
    "elementInstanceState": ("state", Kind.ENUM),
    "hasElementInstanceIncident": ("hasIncident", Kind.BOOL),
}
_INT32 = 1 << 32


def java_string_hash(text: str) -> int:
    """Java's `String.hashCode()`: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 units, as int32."""
    data = text.encode("utf-16-be")
    value = 0
    for index in range(0, len(data), 2):
        value = (31 * value + int.from_bytes(data[index : index + 2], "big")) % _INT32
    return value - _INT32 if value >= _INT32 // 2 else value


def _owned(tables: Tables, table: str, instance: Row) -> Iterator[Row]:
    return tables.owned_rows(table, int(instance["processInstanceKey"]))


def _flow_nodes(tables: Tables, instance: Row) -> Iterator[Row]:
    """The instance's element instances except the process itself (Operate's activities)."""
    return (row for row in _owned(tables, "elementInstances", instance) if row["type"] != "PROCESS")


def _active_messages(tables: Tables, instance: Row) -> list[str]:
    return [
        str(row["errorMessage"])
        for row in _owned(tables, "incidents", instance)
        if row["state"] == "ACTIVE"
    ]


def error_message_filter(tables: Tables, condition: Any, where: str) -> RowCheck:
    """`errorMessage`: string conditions on the messages of the instance's ACTIVE incidents."""
    predicate = value_predicate(Kind.STRING, condition, where)
    return lambda row: any(predicate(message) for message in _active_messages(tables, row))


def error_hash_filter(tables: Tables, condition: Any, where: str) -> RowCheck:
    """`incidentErrorHashCode`: integer conditions on the hash of an ACTIVE incident message."""
    predicate = value_predicate(Kind.INT, condition, where)
    return lambda row: any(
        predicate(java_string_hash(message)) for message in _active_messages(tables, row)
    )


def retries_left_filter(tables: Tables, condition: Any, where: str) -> RowCheck:
    """`hasRetriesLeft`: a flow node instance whose job flag (failed, retries left) matches."""
    predicate = value_predicate(Kind.BOOL, condition, where)

    def matches(row: Row) -> bool:
        flagged = {
            job["elementInstanceKey"]
            for job in _owned(tables, "jobs", row)
            if job.get("jobFailedWithRetriesLeft")
        }
        return any(
            predicate(node["elementInstanceKey"] in flagged) for node in _flow_nodes(tables, row)
        )

    return matches


def element_filter(tables: Tables, conditions: dict[str, Any], path: str) -> RowCheck:
    """`elementId` / `elementInstanceState` / `hasElementInstanceIncident`: one flow node
    instance of the instance satisfies every one given."""
    checks = [
        (column, value_predicate(kind, conditions[name], f"{path}.{name}"))
        for name, (column, kind) in ELEMENT_FIELDS.items()
        if name in conditions
    ]
    return lambda row: any(
        all(predicate(node.get(column)) for column, predicate in checks)
        for node in _flow_nodes(tables, row)
    )


def tags_filter(condition: Any, where: str) -> RowCheck:
    """`tags: [tag]`: the instance carries every given tag."""
    if not isinstance(condition, list) or not all(isinstance(tag, str) for tag in condition):
        raise SearchError(where, "expected a list of tags (strings)")
    wanted = frozenset(condition)
    return lambda row: wanted <= set(row.get("tags") or ())


def unsupported(reason: str) -> ExtraFactory:
    """A field this engine cannot answer: a 400 naming it and why."""

    def make(condition: Any, where: str) -> RowCheck:
        raise SearchError(where, f"not supported: {reason}")

    return make


def variables_filter(tables: Tables, condition: Any, where: str) -> RowCheck:
    """`variables: [{name, value}]`: the instance has each variable with that JSON value."""
    if not isinstance(condition, list):
        raise SearchError(where, "expected a list of {name, value}")
    wanted: list[tuple[str, Any]] = []
    for index, entry in enumerate(condition):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise SearchError(f"{where}[{index}]", "expected {name, value}")
        wanted.append((entry["name"], json_or_text(entry.get("value"))))

    def matches(row: Row) -> bool:
        present = {
            (variable["name"], json_or_text(variable["value"]))
            for variable in _owned(tables, "variables", row)
        }
        return all(pair in present for pair in wanted)

    return matches


def json_or_text(value: Any) -> Any:
    """Variable values are JSON texts; compare them parsed so spacing does not matter."""
    if not isinstance(value, str):
        return json.dumps(value)
    try:
        return json.dumps(json.loads(value), sort_keys=True)
    except ValueError:
        return value


def instance_extras(tables: Tables) -> Extras:
    """The extra fields (and `$or`) of a process-instance search over `tables`."""
    no_batches = unsupported("this engine runs no batch operations")
    return Extras(
        fields={
            "variables": partial(variables_filter, tables),
            "errorMessage": partial(error_message_filter, tables),
            "incidentErrorHashCode": partial(error_hash_filter, tables),
            "hasRetriesLeft": partial(retries_left_filter, tables),
            "tags": tags_filter,
            "batchOperationId": no_batches,
            "batchOperationKey": no_batches,
        },
        groups={frozenset(ELEMENT_FIELDS): partial(element_filter, tables)},
        allow_or=True,
    )
