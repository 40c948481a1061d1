"""`ReadModel`: an exporter that keeps queryable tables of everything the engine committed.

Export runs on the broker loop, queries come from HTTP threads: one lock guards the tables, and
queries copy the rows they return, so callers never see a row change under them. Memory is
bounded by count: beyond `max_finished_instances` finished root instances, the oldest finished
ones are evicted with everything they own (like Operate's archiver, but count based).
Searches that pin one process instance (or a table key) read the per-instance index the
eviction keeps anyway instead of scanning the table (`candidate_rows`): the saga's reads of one
instance cost the same with 100 or 100,000 rows of history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from zeebe.readmodel.filters import NO_EXTRAS, Extras, Row, SearchError, pinned_key, row_filter
from zeebe.readmodel.instance_filters import instance_extras
from zeebe.readmodel.projections import project
from zeebe.readmodel.schema import SCHEMAS, TableSchema, to_api
from zeebe.readmodel.search import paginate, parse_sort
from zeebe.readmodel.tables import OWNER_FIELDS, Tables
from zeebe.readmodel.user_tasks import EXTRA_FILTERS as USER_TASK_FILTERS
from zeebe.records import Record

DEFAULT_MAX_FINISHED_INSTANCES = 10_000


class ReadModel:
    """Committed records projected into tables; see the module docstring."""

    def __init__(self, max_finished_instances: int = DEFAULT_MAX_FINISHED_INSTANCES) -> None:
        self._tables = Tables()
        self._lock = threading.Lock()
        self._max_finished = max_finished_instances
        self.exported_position = 0

    def export(self, records: Sequence[Record]) -> None:
        """Project a committed batch (the `Exporter` protocol), then apply retention."""
        with self._lock:
            for record in records:
                project(self._tables, record)
                self.exported_position = max(self.exported_position, record.position)
            self._tables.enforce_retention(self._max_finished)

    def get(self, table: str, key: int) -> dict[str, Any] | None:
        """One row in API shape, or None when unknown (or evicted)."""
        schema = SCHEMAS[table]
        with self._lock:
            row = self._tables.rows[table].get(key)
            return to_api(schema, row) if row is not None else None

    def search(self, table: str, request: Any) -> dict[str, Any]:
        """Spec 8.3 search over a table: `{items, page}`; SearchError for bad requests."""
        schema = SCHEMAS[table]
        body = _request_object(request)
        sort = parse_sort(schema, body.get("sort"))
        with self._lock:
            # Filter and copy under the lock (cheap); sort and page outside it, so a large
            # search does not hold up the broker loop's next export.
            keep = row_filter(schema, body.get("filter"), self._extras(table))
            candidates = candidate_rows(self._tables, schema, body.get("filter"))
            matched = [dict(row) for row in candidates if keep(row)]
        sort.sort(matched)
        page = paginate(matched, sort, body.get("page"))
        items = [to_api(schema, row) for row in page.items]
        return {
            "items": items,
            "page": {
                "totalItems": page.total,
                "hasMoreTotalItems": False,  # counts are exact in memory
                "startCursor": page.start_cursor,
                "endCursor": page.end_cursor,
            },
        }

    def scope_chain(self, element_instance_key: int) -> list[int]:
        """The element instance and its flow scopes up to its process instance, innermost first
        (the scopes whose variables the element sees); empty when the element is unknown."""
        chain: list[int] = []
        with self._lock:
            rows = self._tables.rows["elementInstances"]
            key = element_instance_key
            while (row := rows.get(key)) is not None and key not in chain:
                chain.append(key)
                key = int(row.get("flowScopeKey", -1))
        return chain

    def definition_xml(self, key: int) -> str | None:
        """The BPMN XML of a deployed process definition (None when unknown)."""
        with self._lock:
            row = self._tables.rows["processDefinitions"].get(key)
            return str(row["bpmnXml"]) if row is not None else None

    def counts(self) -> dict[str, int]:
        """Rows per table (metrics, the dashboard, retention tests)."""
        with self._lock:
            return {name: len(rows) for name, rows in self._tables.rows.items()}

    def _extras(self, table: str) -> Extras:
        factory = EXTRAS.get(table)
        return factory(self._tables) if factory is not None else NO_EXTRAS


# Tables whose searches have fields beyond their schema, built over the live tables.
EXTRAS: dict[str, Callable[[Tables], Extras]] = {
    "processInstances": instance_extras,
    "userTasks": lambda _tables: USER_TASK_FILTERS,
}


def candidate_rows(tables: Tables, schema: TableSchema, filter_: Any) -> Iterable[Row]:
    """The rows a search must test: a superset of the matches, from an index when it can.

    A filter that pins the table key (plain value) is one lookup; one that pins the owner
    field (`processInstanceKey` of child tables, `parentProcessInstanceKey` of instances) reads
    the owner index instead of scanning; anything else scans. The caller still applies the
    whole filter to every candidate, and the sort (table key last) makes the order total, so
    the result does not depend on which rows were candidates or in which order.
    """
    rows = tables.rows[schema.name]
    key = pinned_key(schema, filter_, schema.key)
    if key is not None:
        row = rows.get(key)
        return () if row is None else (row,)
    owner_field = OWNER_FIELDS.get(schema.name)
    owner = pinned_key(schema, filter_, owner_field) if owner_field is not None else None
    if owner is not None:
        return tables.owned_rows(schema.name, owner)
    return rows.values()


def _request_object(request: Any) -> dict[str, Any]:
    if request is None:
        return {}
    if not isinstance(request, dict):
        raise SearchError("body", "expected a JSON object")
    return request


def table_schema(table: str) -> TableSchema:
    """The schema of a table by name (KeyError when unknown)."""
    return SCHEMAS[table]
