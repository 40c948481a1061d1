"""Indexed searches: a filter that pins a key reads an index, and answers exactly as a scan.

Spec 8.3 defines a search by its filter, sort and page, not by how rows are found: a search
whose filter pins `processInstanceKey` (child tables), `parentProcessInstanceKey` (process
instances) or the table key must return the same items, order, totals and cursors as a scan of
the whole table, also after updates and after retention evicted instances.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from readmodel_records import element, incident, job, process_created, started_instance, variable

from zeebe.readmodel import ReadModel, store
from zeebe.readmodel.projections import project
from zeebe.readmodel.schema import SCHEMAS, TableSchema
from zeebe.readmodel.search import Row
from zeebe.readmodel.store import candidate_rows
from zeebe.readmodel.tables import Tables
from zeebe.records import Record

pytestmark = pytest.mark.unit

ROOTS = (1_000, 2_000, 3_000)
CHILD = 5_000  # called by ROOTS[0]


def instance_records(key: int, *, parent: int = -1, finished: bool = True) -> list[Record]:
    """An instance with a task, a job, three variables and an incident (resolved if finished)."""
    task = key + 10
    records = [
        started_instance(key, parent=parent),
        element("ELEMENT_ACTIVATING", task, "SERVICE_TASK", "pay", instance=key),
        variable("CREATED", key + 1, "orderId", f'"o-{key}"', instance=key),
        variable("CREATED", key + 2, "amount", str(key // 10), instance=key),
        variable("CREATED", key + 3, "ok", "false", instance=key),
        job("CREATED", key + 20, processInstanceKey=key, elementInstanceKey=task),
        incident("CREATED", key + 30, element_key=task, job_key=key + 20, instance=key),
    ]
    if finished:
        records += [
            incident("RESOLVED", key + 30, element_key=task, instance=key),
            job("COMPLETED", key + 20, processInstanceKey=key, elementInstanceKey=task),
            element("ELEMENT_COMPLETED", task, "SERVICE_TASK", "pay", instance=key),
            element("ELEMENT_COMPLETED", key, "PROCESS", "order", instance=key),
        ]
    return records


def history() -> list[Record]:
    """Two finished roots (the first with a finished called instance) and one active root."""
    return [
        process_created(),
        *instance_records(ROOTS[0]),
        *instance_records(CHILD, parent=ROOTS[0]),
        *instance_records(ROOTS[1]),
        *instance_records(ROOTS[2], finished=False),
    ]


def scan(tables: Tables, schema: TableSchema, filter_: Any) -> Iterable[Row]:
    """The search before indexes: every row of the table is a candidate."""
    return tables.rows[schema.name].values()


def indexed_and_scanned(
    model: ReadModel, table: str, request: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same search answered with the indexes, then with a full scan."""
    indexed = model.search(table, request)
    with monkeypatch.context() as patch:
        patch.setattr(store, "candidate_rows", scan)
        scanned = model.search(table, request)
    return indexed, scanned


@pytest.fixture
def model() -> ReadModel:
    """A read model holding `history()` with no eviction."""
    read_model = ReadModel()
    read_model.export(history())
    return read_model


PINNED = [
    ("variables", {"processInstanceKey": str(ROOTS[1])}),
    ("variables", {"processInstanceKey": ROOTS[1]}),
    ("variables", {"processInstanceKey": "999999"}),
    ("variables", {"processInstanceKey": str(ROOTS[0]), "name": {"$in": ["amount", "ok"]}}),
    ("variables", {"variableKey": str(ROOTS[2] + 2)}),
    ("variables", {"variableKey": ROOTS[2] + 2, "processInstanceKey": str(ROOTS[1])}),
    ("elementInstances", {"processInstanceKey": str(CHILD), "state": "COMPLETED"}),
    ("elementInstances", {"processInstanceKey": str(ROOTS[2]), "state": "completed"}),
    ("incidents", {"processInstanceKey": str(ROOTS[2]), "state": "ACTIVE"}),
    ("incidents", {"processInstanceKey": ROOTS[0]}),
    ("jobs", {"processInstanceKey": str(ROOTS[2]), "type": "payment.capture"}),
    ("processInstances", {"parentProcessInstanceKey": str(ROOTS[0])}),
    ("processInstances", {"parentProcessInstanceKey": "-1"}),
    ("processInstances", {"processInstanceKey": str(ROOTS[1]), "state": "COMPLETED"}),
    ("processInstances", {"processInstanceKey": "42"}),
]


@pytest.mark.parametrize("sort", [None, [{"field": "processInstanceKey", "order": "DESC"}]])
@pytest.mark.parametrize(("table", "filter_"), PINNED)
def test_a_pinned_key_answers_as_a_scan(
    model: ReadModel,
    table: str,
    filter_: dict[str, Any],
    sort: list[dict[str, str]] | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Spec 8.3: the same filter gives the same items, order, totals and cursors either way."""
    request = {"filter": filter_, "sort": sort}
    indexed, scanned = indexed_and_scanned(model, table, request, monkeypatch)
    assert indexed == scanned


def test_a_string_and_an_integer_key_find_the_same_rows(model: ReadModel) -> None:
    """Spec 8.3: keys are strings in requests, numbers are accepted; both pin the instance."""
    as_string = model.search("variables", {"filter": {"processInstanceKey": str(ROOTS[1])}})
    as_integer = model.search("variables", {"filter": {"processInstanceKey": ROOTS[1]}})
    assert as_string == as_integer
    assert [item["name"] for item in as_string["items"]] == ["orderId", "amount", "ok"]


def test_cursor_pages_of_a_pinned_search_match_the_scan(
    model: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spec 8.3 cursor paging: each `after` page of an indexed search equals the scan's."""
    request: dict[str, Any] = {
        "filter": {"processInstanceKey": str(ROOTS[0])},
        "sort": [{"field": "name", "order": "DESC"}],
        "page": {"limit": 1},
    }
    seen: list[str] = []
    while True:
        indexed, scanned = indexed_and_scanned(model, "variables", request, monkeypatch)
        assert indexed == scanned
        if not indexed["items"]:
            break
        seen.append(indexed["items"][0]["name"])
        request["page"] = {"limit": 1, "after": indexed["page"]["endCursor"]}
    assert seen == ["orderId", "ok", "amount"]


def test_an_offset_page_of_a_pinned_search_keeps_the_total(
    model: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spec 8.3 offset paging: totalItems counts every match, not only the page."""
    request = {"filter": {"processInstanceKey": ROOTS[1]}, "page": {"from": 1, "limit": 1}}
    indexed, scanned = indexed_and_scanned(model, "variables", request, monkeypatch)
    assert indexed == scanned
    assert indexed["page"]["totalItems"] == 3 and len(indexed["items"]) == 1


def test_a_malformed_pinned_key_is_still_a_bad_request(model: ReadModel) -> None:
    """A key that is not numeric is a SearchError naming the field (a 400), index or not."""
    with pytest.raises(store.SearchError) as raised:
        model.search("variables", {"filter": {"processInstanceKey": "abc"}})
    assert raised.value.field == "filter.processInstanceKey"


def test_a_pinned_instance_reads_only_its_own_rows() -> None:
    """The point of the index: a plain processInstanceKey looks at that instance's rows only."""
    tables = Tables()
    for record in history():
        project(tables, record)
    schema = SCHEMAS["variables"]
    pinned = list(candidate_rows(tables, schema, {"processInstanceKey": str(ROOTS[1])}))
    assert sorted(row["variableKey"] for row in pinned) == [ROOTS[1] + k for k in (1, 2, 3)]
    operator = candidate_rows(tables, schema, {"processInstanceKey": {"$eq": str(ROOTS[1])}})
    assert len(list(operator)) == len(tables.rows["variables"])


def test_an_updated_row_is_found_with_its_new_value(
    model: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VARIABLE UPDATED replaces the row: the indexed search answers the new value."""
    model.export([variable("UPDATED", ROOTS[2] + 3, "ok", "true", instance=ROOTS[2])])
    request = {"filter": {"processInstanceKey": str(ROOTS[2]), "name": "ok"}}
    indexed, scanned = indexed_and_scanned(model, "variables", request, monkeypatch)
    assert indexed == scanned
    assert [item["value"] for item in indexed["items"]] == ["true"]


def test_a_state_change_is_seen_by_a_pinned_search(
    model: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An element that completes after the first search is COMPLETED in the next one."""
    done = element("ELEMENT_COMPLETED", ROOTS[2] + 10, "SERVICE_TASK", "pay", instance=ROOTS[2])
    model.export([done])
    request = {"filter": {"processInstanceKey": str(ROOTS[2]), "state": "COMPLETED"}}
    indexed, scanned = indexed_and_scanned(model, "elementInstances", request, monkeypatch)
    assert indexed == scanned
    assert [item["elementId"] for item in indexed["items"]] == ["pay"]


@pytest.mark.parametrize(
    ("table", "per_instance"),
    [("variables", 3), ("elementInstances", 2), ("incidents", 1), ("jobs", 1)],
)
def test_an_evicted_instance_is_gone_from_pinned_searches(
    table: str, per_instance: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retention evicts the oldest finished root with its rows: the index forgets them too."""
    model = ReadModel(max_finished_instances=1)
    model.export(history())
    for key in (ROOTS[0], CHILD, ROOTS[1]):
        request = {"filter": {"processInstanceKey": str(key)}}
        indexed, scanned = indexed_and_scanned(model, table, request, monkeypatch)
        assert indexed == scanned
        expected = 0 if key in (ROOTS[0], CHILD) else per_instance
        assert indexed["page"]["totalItems"] == expected


def test_eviction_drops_the_index_entries_of_the_instance_and_its_children() -> None:
    """The owner index is bounded like the tables: nothing of an evicted instance stays."""
    tables = Tables()
    for record in history():
        project(tables, record)
    tables.enforce_retention(1)
    assert ROOTS[0] not in tables.children and CHILD not in tables.children
    assert set(tables.children) == {ROOTS[1], ROOTS[2]}


def test_every_row_of_an_owned_table_is_in_its_owner_index() -> None:
    """The invariant the indexed search relies on: no row is missing from the index."""
    tables = Tables()
    for record in history():
        project(tables, record)
    for table, field in store.OWNER_FIELDS.items():
        for key, row in tables.rows[table].items():
            if row[field] is not None:
                assert key in tables.children[int(row[field])][table], (table, key)
