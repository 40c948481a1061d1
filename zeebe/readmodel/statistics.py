"""Element statistics (REST 8.8 `ProcessElementStatisticsResult`: per `elementId` the counts
`active`, `canceled`, `incidents`, `completed`), computed from the read model's rows.

The counting rules are Camunda's search aggregations (`ProcessInstanceFlowNodeStatistics...`
and `ProcessDefinitionFlowNodeStatisticsAggregationTransformer`): flow node instances only (not
the process itself); `active` = ACTIVE without incident, `incidents` = ACTIVE with incident,
`canceled` = TERMINATED, `completed` = COMPLETED. Per instance, multi-instance bodies count only
when they have an incident. Per definition, only completed END events count as completed (the
diagram's end-event badges); other completed elements are left out.

Everything reads through the `ReadModel`'s public `search` and `get` (copies, under its lock),
paging with cursors so no result is cut at the page limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from zeebe.readmodel.filters import SearchError
from zeebe.readmodel.search import MAX_LIMIT

Row = dict[str, Any]
Counts = Counter[str]
COUNTERS = ("active", "canceled", "incidents", "completed")
MULTI_INSTANCE_BODY = "MULTI_INSTANCE_BODY"
END_EVENT = "END_EVENT"


class Readable(Protocol):
    """The part of `ReadModel` these reads use."""

    def get(self, table: str, key: int) -> dict[str, Any] | None:
        """One row in API shape, or None."""

    def search(self, table: str, request: Any) -> dict[str, Any]:
        """One page of a search."""


def all_items(model: Readable, table: str, filter_: dict[str, Any]) -> Iterator[Row]:
    """Every row of `table` matching `filter_` (API shape), one page of MAX_LIMIT at a time."""
    request: dict[str, Any] = {"filter": filter_, "page": {"limit": MAX_LIMIT}}
    while True:
        result = model.search(table, request)
        yield from result["items"]
        cursor = result["page"]["endCursor"]
        if len(result["items"]) < MAX_LIMIT or cursor is None:
            return
        request = {**request, "page": {"after": cursor, "limit": MAX_LIMIT}}


def _counter(row: Row, *, definition: bool) -> str | None:
    """Which count an element instance adds to (None: not counted)."""
    state = row["state"]
    if state == "ACTIVE":
        return "incidents" if row["hasIncident"] else "active"
    if state == "TERMINATED":
        return "canceled"
    if state == "COMPLETED" and (not definition or row["type"] == END_EVENT):
        return "completed"
    return None


def _counted(row: Row, *, definition: bool) -> bool:
    """Flow nodes only; per instance, a multi-instance body only with an incident."""
    if row["type"] == "PROCESS":
        return False
    if not definition and row["type"] == MULTI_INSTANCE_BODY:
        return bool(row["hasIncident"])
    return True


def element_statistics(rows: Iterable[Row], *, definition: bool = False) -> list[Row]:
    """Per elementId counts of element instance rows; the most counted elements first (as
    a terms aggregation orders its buckets), then by elementId."""
    counts: dict[str, Counts] = {}
    for row in rows:
        if not _counted(row, definition=definition):
            continue
        counter = _counter(row, definition=definition)
        if counter is None:
            continue
        counts.setdefault(str(row["elementId"]), Counter())[counter] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1].total(), item[0]))
    return [
        {"elementId": element_id, **{name: found[name] for name in COUNTERS}}
        for element_id, found in ordered
    ]


def instance_statistics(model: Readable, instance_key: int) -> list[Row]:
    """GET /process-instances/{key}/statistics/element-instances (empty when unknown)."""
    rows = all_items(model, "elementInstances", {"processInstanceKey": str(instance_key)})
    return element_statistics(rows)


def definition_statistics(model: Readable, definition_key: int, filter_: Any) -> list[Row]:
    """POST /process-definitions/{key}/statistics/element-instances: the element instances of
    the definition's process instances that match `filter_` (a process-instance filter; a
    SearchError names what is malformed)."""
    if filter_ is not None and not isinstance(filter_, dict):
        raise SearchError("filter", "expected an object")
    instance_filter = {**(filter_ or {}), "processDefinitionKey": str(definition_key)}
    matched = all_items(model, "processInstances", instance_filter)
    instances = [row["processInstanceKey"] for row in matched]
    rows = (
        row
        for key in instances
        for row in all_items(model, "elementInstances", {"processInstanceKey": key})
    )
    return element_statistics(rows, definition=True)
