"""Element statistics and the call hierarchy over the read model (zeebe/readmodel/statistics.py,
hierarchy.py): REST 8.8 `ProcessElementStatisticsResult` counts as Camunda's search aggregations
compute them, and `ProcessInstanceCallHierarchyEntry` chains as its tree-path walk does."""

from __future__ import annotations

import pytest
from readmodel_records import INSTANCE_KEY, element, incident, process_created, started_instance

from zeebe.readmodel import ReadModel, SearchError
from zeebe.readmodel import statistics as statistics_module
from zeebe.readmodel.hierarchy import call_hierarchy
from zeebe.readmodel.statistics import (
    all_items,
    definition_statistics,
    element_statistics,
    instance_statistics,
)
from zeebe.records import Record

pytestmark = pytest.mark.unit


def lifecycle(
    key: int, kind: str, element_id: str, *intents: str, instance: int = INSTANCE_KEY
) -> list[Record]:
    """ELEMENT_ACTIVATING then the given end intents of one element instance."""
    return [
        element(intent, key, kind, element_id, instance=instance)
        for intent in ("ELEMENT_ACTIVATING", *intents)
    ]


def model_with(*records: Record) -> ReadModel:
    model = ReadModel()
    model.export([process_created(), started_instance(), *records])
    return model


def stats(model: ReadModel) -> dict[str, dict[str, int]]:
    return {
        row["elementId"]: {k: v for k, v in row.items() if k != "elementId"}
        for row in instance_statistics(model, INSTANCE_KEY)
    }


def counts(
    active: int = 0, canceled: int = 0, incidents: int = 0, completed: int = 0
) -> dict[str, int]:
    return {"active": active, "canceled": canceled, "incidents": incidents, "completed": completed}


def test_instance_counts_per_element_state() -> None:
    """ACTIVE -> active, COMPLETED -> completed, TERMINATED -> canceled (flow nodes only: the
    process itself is not an element of the statistics)."""
    model = model_with(
        *lifecycle(301, "START_EVENT", "start", "ELEMENT_COMPLETED"),
        *lifecycle(302, "SERVICE_TASK", "pay"),
        *lifecycle(303, "SERVICE_TASK", "ship", "ELEMENT_TERMINATED"),
        *lifecycle(304, "SERVICE_TASK", "ship", "ELEMENT_COMPLETED"),
    )
    assert stats(model) == {
        "start": counts(completed=1),
        "pay": counts(active=1),
        "ship": counts(canceled=1, completed=1),
    }


def test_an_active_element_with_an_incident_counts_as_incident_not_active() -> None:
    """`active` is ACTIVE without incident; `incidents` is ACTIVE with one; resolving the
    incident makes the element active again."""
    model = model_with(
        *lifecycle(302, "SERVICE_TASK", "pay"), incident("CREATED", 500, element_key=302)
    )
    assert stats(model) == {"pay": counts(incidents=1)}
    model.export([incident("RESOLVED", 500, element_key=302)])
    assert stats(model) == {"pay": counts(active=1)}


def test_multi_instance_body_counts_only_with_an_incident() -> None:
    """Camunda excludes multi-instance bodies 'UNLESS they have incidents'."""
    model = model_with(
        *lifecycle(310, "MULTI_INSTANCE_BODY", "each"), *lifecycle(311, "SERVICE_TASK", "each")
    )
    assert stats(model) == {"each": counts(active=1)}
    model.export([incident("CREATED", 500, element_key=310)])
    assert stats(model) == {"each": counts(active=1, incidents=1)}


def test_unknown_instance_has_no_statistics() -> None:
    """No 404 is documented for this read: an unknown instance has no items."""
    assert instance_statistics(ReadModel(), 42) == []


def test_most_counted_elements_come_first() -> None:
    """Buckets in terms-aggregation order: highest count first, then by elementId."""
    rows = [
        {"elementId": e, "type": "TASK", "state": "ACTIVE", "hasIncident": False}
        for e in ("b", "a", "c", "c")
    ]
    assert [row["elementId"] for row in element_statistics(rows)] == ["c", "a", "b"]


def test_definition_counts_only_completed_end_events() -> None:
    """Per definition (the diagram badges) only completed END events count as completed; other
    completed elements are left out."""
    model = model_with(
        *lifecycle(301, "START_EVENT", "start", "ELEMENT_COMPLETED"),
        *lifecycle(302, "SERVICE_TASK", "pay", "ELEMENT_COMPLETED"),
        *lifecycle(303, "END_EVENT", "end", "ELEMENT_COMPLETED"),
        *lifecycle(304, "SERVICE_TASK", "ship"),
    )
    items = definition_statistics(model, 100, None)
    assert items == [
        {"elementId": "end", **counts(completed=1)},
        {"elementId": "ship", **counts(active=1)},
    ]


def test_definition_statistics_sum_over_the_filtered_instances() -> None:
    """The filter is a process-instance filter: counts cover only the instances it matches."""
    model = model_with(
        started_instance(instance=900),
        *lifecycle(302, "SERVICE_TASK", "pay"),
        *lifecycle(902, "SERVICE_TASK", "pay", instance=900),
    )
    assert definition_statistics(model, 100, {}) == [{"elementId": "pay", **counts(active=2)}]
    only = definition_statistics(model, 100, {"processInstanceKey": "900"})
    assert only == [{"elementId": "pay", **counts(active=1)}]
    assert definition_statistics(model, 100, {"state": "COMPLETED"}) == []
    assert definition_statistics(model, 7, {}) == []


def test_definition_statistics_reject_a_malformed_filter() -> None:
    """A filter that is not a process-instance filter object is a SearchError (REST 400)."""
    model = model_with()
    with pytest.raises(SearchError):
        definition_statistics(model, 100, ["no"])
    with pytest.raises(SearchError):
        definition_statistics(model, 100, {"unknownField": 1})


def test_all_items_pages_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads are never cut at the page limit: the cursor pages on until a short page."""
    monkeypatch.setattr(statistics_module, "MAX_LIMIT", 2)
    model = model_with(
        *(record for key in range(301, 306) for record in lifecycle(key, "TASK", f"t{key}"))
    )
    rows = list(all_items(model, "elementInstances", {"processInstanceKey": str(INSTANCE_KEY)}))
    assert len(rows) == 6  # the process and five tasks


def test_call_hierarchy_is_root_first_and_ends_with_the_instance() -> None:
    """Camunda's tree-path order: root ancestor first, the asked instance last."""
    model = model_with(
        started_instance(instance=900, parent=INSTANCE_KEY),
        started_instance(instance=950, parent=900),
    )
    chain = call_hierarchy(model, 950)
    assert chain is not None
    assert [entry["processInstanceKey"] for entry in chain] == [str(INSTANCE_KEY), "900", "950"]
    assert chain[0] == {
        "processInstanceKey": str(INSTANCE_KEY),
        "processDefinitionKey": "100",
        "processDefinitionName": "Order process",
    }


def test_call_hierarchy_of_a_root_instance_is_empty_and_unknown_is_none() -> None:
    """A root instance's tree path names only itself: Camunda answers an empty list."""
    model = model_with()
    assert call_hierarchy(model, INSTANCE_KEY) == []
    assert call_hierarchy(model, 42) is None
