"""POST /v2/process-instances/search over HTTP: `$or` and the 8.8 child-row filter fields.

Spec 8.3 (ProcessInstanceFilter, 8.8): "(top-level filters) AND (any of the $or filters) must
match"; errorMessage, hasRetriesLeft, elementId, elementInstanceState,
hasElementInstanceIncident, incidentErrorHashCode are answered from the instance's incidents,
jobs and element instances.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import ONE_TASK, Rest
from test_rest_problems import assert_problem

from zeebe.readmodel.instance_filters import java_string_hash

pytestmark = pytest.mark.e2e

NO_RETRIES = "No more retries left."


def found(rest: Rest, filter_: dict[str, Any]) -> list[str]:
    """The keys of the instances a search with `filter_` finds, sorted."""
    result = rest.search("process-instances", {"filter": filter_})
    return sorted(item["processInstanceKey"] for item in result["items"])


@pytest.fixture
def instances(rest: Rest) -> dict[str, str]:
    """Three instances of one task: 'stuck' (incident), 'retrying' (retries left), 'waiting'."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    keys = {name: rest.create("pay-order")["processInstanceKey"] for name in ("s", "r", "w")}
    jobs = {job["processInstanceKey"]: job["jobKey"] for job in rest.activate("rest.pay")}
    for name, retries in (("s", 0), ("r", 2)):
        response = rest.post(f"/jobs/{jobs[keys[name]]}/failure", {"retries": retries})
        assert response.status_code == 204, response.text
    return keys


def test_or_over_http_matches_any_branch_and_the_top_level(
    rest: Rest, instances: dict[str, str]
) -> None:
    """`$or` branches are alternatives, a top-level pin still applies to them."""
    branches = [{"hasIncident": True}, {"hasRetriesLeft": True}]
    assert found(rest, {"$or": branches}) == sorted([instances["s"], instances["r"]])
    assert found(rest, {"processInstanceKey": instances["r"], "$or": branches}) == [instances["r"]]
    assert found(rest, {"processInstanceKey": instances["w"], "$or": branches}) == []


def test_child_row_fields_over_http(rest: Rest, instances: dict[str, str]) -> None:
    """errorMessage / incidentErrorHashCode of the incident; the element instance fields."""
    assert found(rest, {"errorMessage": NO_RETRIES}) == [instances["s"]]
    assert found(rest, {"incidentErrorHashCode": java_string_hash(NO_RETRIES)}) == [instances["s"]]
    calm = {
        "elementId": "pay",
        "elementInstanceState": "ACTIVE",
        "hasElementInstanceIncident": False,
    }
    assert found(rest, calm) == sorted([instances["r"], instances["w"]])


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"$or": []}, "filter.$or"),
        ({"$or": [{"nope": 1}]}, "filter.$or[0].nope"),
        ({"$or": [{"$or": [{"state": "ACTIVE"}]}]}, "filter.$or[0].$or"),
        ({"batchOperationId": "b-1"}, "not supported"),
    ],
)
def test_malformed_or_and_unsupported_fields_are_400_problems(
    rest: Rest, filter_: dict[str, Any], field: str
) -> None:
    """A malformed `$or` or an unsupported field is a 400 problem naming it."""
    response = rest.post("/process-instances/search", {"filter": filter_})
    assert_problem(response, 400, mentions=field)
