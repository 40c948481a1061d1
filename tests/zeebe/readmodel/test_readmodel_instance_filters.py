"""Process-instance search: `$or` and the 8.8 filter fields computed from child rows.

Spec 8.3 lists the 8.8 ProcessInstanceFilter fields; the docs of `$or` say: "Top-level fields
and the $or clause are combined using AND logic — meaning: (top-level filters) AND (any of the
$or filters) must match." The child-row fields follow Camunda's list view (`has_child` queries
on the instance's flow node instances, ProcessInstanceFilterTransformer).
"""

from __future__ import annotations

from typing import Any

import pytest
from readmodel_records import element, incident, job, process_created, started_instance

from zeebe.readmodel import ReadModel, SearchError
from zeebe.readmodel.filters import pinned_key
from zeebe.readmodel.instance_filters import java_string_hash
from zeebe.readmodel.schema import PROCESS_INSTANCES
from zeebe.records import Record

pytestmark = pytest.mark.unit

# 1000: "pay" active with an ACTIVE incident, its job failed with no retries left.
# 2000: "pay" active, its job failed with 2 retries left.
# 3000: completed; its job failed with retries left, then completed; incident resolved.
# 4000: "pay" completed (no job) and "ship" active.
# 5000: only started: no flow node instance yet.
FAILED_AT_PAY = "No more retries left."
ALL = [1000, 2000, 3000, 4000, 5000]


def _pay(instance: int) -> list[Record]:
    task = instance + 10
    return [
        started_instance(instance),
        element("ELEMENT_ACTIVATING", task, "SERVICE_TASK", "pay", instance=instance),
        job("CREATED", instance + 20, processInstanceKey=instance, elementInstanceKey=task),
    ]


def _failed(instance: int, retries: int) -> Record:
    fields = {"processInstanceKey": instance, "elementInstanceKey": instance + 10}
    return job("FAILED", instance + 20, retries=retries, **fields)


def history() -> list[Record]:
    """The five instances described above."""
    return [
        process_created(),
        *_pay(1000),
        _failed(1000, 0),
        incident("CREATED", 1030, element_key=1010, instance=1000, message=FAILED_AT_PAY),
        *_pay(2000),
        _failed(2000, 2),
        *_pay(3000),
        _failed(3000, 2),
        incident("CREATED", 3030, element_key=3010, instance=3000, message="gone"),
        incident("RESOLVED", 3030, element_key=3010, instance=3000, message="gone"),
        job("COMPLETED", 3020, processInstanceKey=3000, elementInstanceKey=3010),
        element("ELEMENT_COMPLETED", 3010, "SERVICE_TASK", "pay", instance=3000),
        element("ELEMENT_COMPLETED", 3000, "PROCESS", "order", instance=3000),
        started_instance(4000),
        element("ELEMENT_ACTIVATING", 4011, "SERVICE_TASK", "pay", instance=4000),
        element("ELEMENT_COMPLETED", 4011, "SERVICE_TASK", "pay", instance=4000),
        element("ELEMENT_ACTIVATING", 4010, "SERVICE_TASK", "ship", instance=4000),
        started_instance(5000),
    ]


@pytest.fixture(scope="module")
def model() -> ReadModel:
    """A read model holding `history()`."""
    read_model = ReadModel()
    read_model.export(history())
    return read_model


def keys(model: ReadModel, filter_: dict[str, Any]) -> list[int]:
    """The instance keys a process-instance search with `filter_` finds, in key order."""
    found = model.search("processInstances", {"filter": filter_})
    return [int(item["processInstanceKey"]) for item in found["items"]]


def error_of(model: ReadModel, filter_: Any, table: str = "processInstances") -> SearchError:
    """The SearchError a malformed filter raises."""
    with pytest.raises(SearchError) as raised:
        model.search(table, {"filter": filter_})
    return raised.value


def test_or_alone_matches_any_branch(model: ReadModel) -> None:
    """`$or`: "the filter matches if any one of them is satisfied"."""
    assert keys(model, {"$or": [{"hasIncident": True}, {"elementId": "ship"}]}) == [1000, 4000]


def test_or_is_and_combined_with_the_top_level_fields(model: ReadModel) -> None:
    """(top-level filters) AND (any of the $or filters) must match."""
    branches = [{"hasIncident": True}, {"state": "COMPLETED"}]
    assert keys(model, {"$or": branches}) == [1000, 3000]
    assert keys(model, {"state": "ACTIVE", "$or": branches}) == [1000]
    assert keys(model, {"processInstanceKey": {"$gt": "2000"}, "$or": branches}) == [3000]


def test_fields_within_one_or_branch_must_all_match(model: ReadModel) -> None:
    """Each `$or` entry is a filter object: its own fields are combined with AND."""
    branch = {"hasIncident": False, "elementId": "pay", "state": "ACTIVE"}
    assert keys(model, {"$or": [branch]}) == [2000, 4000]


def test_a_pinned_instance_key_with_or_still_applies_the_branches(model: ReadModel) -> None:
    """A top-level key pin reads the index; the `$or` is still applied to that row."""
    retrying = [{"hasIncident": True}, {"hasRetriesLeft": True}]
    assert keys(model, {"processInstanceKey": "2000", "$or": retrying}) == [2000]
    assert keys(model, {"processInstanceKey": "4000", "$or": retrying}) == []


def test_keys_inside_or_are_alternatives_not_a_pin(model: ReadModel) -> None:
    """A key inside `$or` must not narrow the candidates to one row (only top-level pins)."""
    filter_ = {"$or": [{"processInstanceKey": "1000"}, {"processInstanceKey": 4000}]}
    assert pinned_key(PROCESS_INSTANCES, filter_, "processInstanceKey") is None
    assert keys(model, filter_) == [1000, 4000]


@pytest.mark.parametrize(
    ("or_value", "field"),
    [
        ({"state": "ACTIVE"}, "filter.$or"),
        ([], "filter.$or"),
        ([{"state": "ACTIVE"}, "ACTIVE"], "filter.$or[1]"),
        ([{"state": "ACTIVE"}, {"bogus": 1}], "filter.$or[1].bogus"),
        ([{"$or": [{"state": "ACTIVE"}]}], "filter.$or[0].$or"),
        ([{"state": {"$gt": "ACTIVE"}}], "filter.$or[0].state"),
        ([{"variables": "x"}], "filter.$or[0].variables"),
    ],
)
def test_a_malformed_or_is_a_search_error_naming_it(
    model: ReadModel, or_value: Any, field: str
) -> None:
    """`$or` is a non-empty list of filter objects with the same fields and no nested `$or`."""
    assert error_of(model, {"$or": or_value}).field == field


def test_or_is_not_accepted_by_searches_without_it(model: ReadModel) -> None:
    """Only the process-instance filter of 8.8 documents `$or`; elsewhere it is unknown."""
    error = error_of(model, {"$or": [{"state": "ACTIVE"}]}, table="incidents")
    assert (error.field, "unknown filter field") == ("filter.$or", error.message[:20])


def test_error_message_matches_active_incidents_only(model: ReadModel) -> None:
    """`errorMessage`: the message of an incident on the instance; resolved ones are gone."""
    assert keys(model, {"errorMessage": FAILED_AT_PAY}) == [1000]
    assert keys(model, {"errorMessage": {"$like": "*retries*"}}) == [1000]
    assert keys(model, {"errorMessage": "gone"}) == []


def test_java_string_hash_is_javas_string_hash_code() -> None:
    """Operate stores `errorMessage.hashCode()`: Java's 31-polynomial over UTF-16, as int32."""
    assert java_string_hash("hello") == 99162322
    assert java_string_hash("") == 0
    assert java_string_hash("\U0001f600") == 0xD83D * 31 + 0xDE00  # a surrogate pair
    assert java_string_hash("Aa") == java_string_hash("BB") == 2112  # the known collision
    assert java_string_hash("polygenelubricants") == -(2**31)  # wraps like a Java int


def test_incident_error_hash_code_matches_the_active_incident_message(model: ReadModel) -> None:
    """`incidentErrorHashCode`: an integer filter on the hash of an active incident message."""
    code = java_string_hash(FAILED_AT_PAY)
    assert keys(model, {"incidentErrorHashCode": code}) == [1000]
    assert keys(model, {"incidentErrorHashCode": {"$in": [code, 1]}}) == [1000]
    assert keys(model, {"incidentErrorHashCode": java_string_hash("gone")}) == []


def test_has_retries_left_finds_jobs_failed_with_retries_left(model: ReadModel) -> None:
    """`hasRetriesLeft`: "Whether the process has failed jobs with retries left"; the flag
    holds until the job's next event (3000's job completed afterwards)."""
    assert keys(model, {"hasRetriesLeft": True}) == [2000]


def test_has_retries_left_false_asks_for_a_flow_node_without_the_flag(model: ReadModel) -> None:
    """As the list view's term query on its flow node instances: false matches an instance
    with a flow node instance whose job did not fail with retries left (none: no match)."""
    assert keys(model, {"hasRetriesLeft": False}) == [1000, 3000, 4000]


def test_element_id_matches_any_flow_node_instance(model: ReadModel) -> None:
    """`elementId`: "The element id associated with the process instance"."""
    assert keys(model, {"elementId": "pay"}) == [1000, 2000, 3000, 4000]
    assert keys(model, {"elementId": "order"}) == []  # the process itself is no flow node


def test_element_instance_state_and_incident(model: ReadModel) -> None:
    """`elementInstanceState`, `hasElementInstanceIncident` on the instance's flow nodes."""
    assert keys(model, {"elementInstanceState": "COMPLETED"}) == [3000, 4000]
    assert keys(model, {"hasElementInstanceIncident": True}) == [1000]


def test_element_fields_must_hold_for_the_same_element_instance(model: ReadModel) -> None:
    """One has_child query: 4000's "pay" is COMPLETED and its ACTIVE node is "ship"."""
    assert keys(model, {"elementId": "pay", "elementInstanceState": "ACTIVE"}) == [1000, 2000]
    both = {
        "elementId": "pay",
        "elementInstanceState": "active",
        "hasElementInstanceIncident": True,
    }
    assert keys(model, both) == [1000]


def test_tags_match_instances_carrying_every_tag(model: ReadModel) -> None:
    """`tags`: instances here carry none, so any tag matches nothing and no tag matches all."""
    assert keys(model, {"tags": []}) == ALL
    assert keys(model, {"tags": ["vip"]}) == []
    assert error_of(model, {"tags": "vip"}).field == "filter.tags"


@pytest.mark.parametrize("field", ["batchOperationId", "batchOperationKey"])
def test_batch_operation_filters_are_not_supported(model: ReadModel, field: str) -> None:
    """No batch operations run here: a clear 'not supported' instead of a silent empty list."""
    error = error_of(model, {field: "b-1"})
    assert error.field == f"filter.{field}" and "not supported" in error.message


def test_the_list_view_flag_is_not_a_job_field(model: ReadModel) -> None:
    """The flag behind `hasRetriesLeft` is internal: not in JobSearchResult, not filterable."""
    row = model.get("jobs", 2020)
    assert row is not None and "jobFailedWithRetriesLeft" not in row
    assert row["hasFailedWithRetriesLeft"] is True
    assert error_of(model, {"jobFailedWithRetriesLeft": True}, table="jobs").field == (
        "filter.jobFailedWithRetriesLeft"
    )
