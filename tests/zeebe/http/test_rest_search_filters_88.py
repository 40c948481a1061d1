"""8.8 search filter fields that are not plain columns (Orchestration Cluster REST API 8.8:
ProcessDefinitionFilter.isLatestVersion, UserTaskFilter.processInstanceVariables /
localVariables)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.e2e


def approval(name: str) -> bytes:
    """A one-user-task process `approval` with the given process name."""
    builder = ProcessBuilder("approval", name=name).start().user_task("approve").end()
    return builder.to_xml()


def definitions(rest: Rest, filter_: dict[str, Any]) -> list[tuple[str, int]]:
    """(processDefinitionId, version) of a definition search, sorted by id then version."""
    sort = [{"field": "processDefinitionId"}, {"field": "version"}]
    found = rest.search("process-definitions", {"filter": filter_, "sort": sort})
    return [(item["processDefinitionId"], item["version"]) for item in found["items"]]


def test_is_latest_version_keeps_the_newest_version_of_each_process(rest: Rest) -> None:
    """isLatestVersion: "Whether to only return the latest version of each process
    definition"."""
    rest.deploy(("approval.bpmn", approval("v1")))
    rest.deploy(("approval.bpmn", approval("v2")), ("pay.bpmn", ONE_TASK))
    assert definitions(rest, {"isLatestVersion": True}) == [("approval", 2), ("pay-order", 1)]
    assert definitions(rest, {"isLatestVersion": False}) == [
        ("approval", 1),
        ("approval", 2),
        ("pay-order", 1),
    ]


def test_is_latest_version_combines_with_the_other_fields(rest: Rest) -> None:
    """The other filter fields still apply; an older version is never the latest."""
    rest.deploy(("approval.bpmn", approval("v1")))
    rest.deploy(("approval.bpmn", approval("v2")))
    assert definitions(rest, {"isLatestVersion": True, "processDefinitionId": "approval"}) == [
        ("approval", 2)
    ]
    assert definitions(rest, {"isLatestVersion": True, "version": 1}) == []


def tasks(rest: Rest, filter_: dict[str, Any]) -> set[str]:
    """The process instance keys of the user tasks a search finds."""
    found = rest.search("user-tasks", {"filter": filter_})
    assert found["page"]["totalItems"] == len(found["items"])
    return {item["processInstanceKey"] for item in found["items"]}


def started(rest: Rest, count: int) -> list[str]:
    """`count` approval instances with variables i = index and kind = "order"."""
    rest.deploy(("approval.bpmn", approval("Approval")))
    return [
        rest.create("approval", variables={"i": i, "kind": "order"})["processInstanceKey"]
        for i in range(count)
    ]


def test_process_instance_variables_must_all_match(rest: Rest) -> None:
    """processInstanceVariables [{name, value}]: tasks whose process instance holds every named
    variable with the value (JSON text)."""
    keys = started(rest, 3)
    assert tasks(rest, {"processInstanceVariables": [{"name": "i", "value": "1"}]}) == {keys[1]}
    both = [{"name": "i", "value": "1"}, {"name": "kind", "value": '"order"'}]
    assert tasks(rest, {"processInstanceVariables": both}) == {keys[1]}
    other = [{"name": "i", "value": "1"}, {"name": "kind", "value": '"refund"'}]
    assert tasks(rest, {"processInstanceVariables": other}) == set()


def test_process_instance_variables_take_string_operators(rest: Rest) -> None:
    """The value may be a string filter (`$in`) and combines with the other fields."""
    keys = started(rest, 3)
    filter_ = {"processInstanceVariables": [{"name": "i", "value": {"$in": ["0", "2"]}}]}
    assert tasks(rest, {**filter_, "state": "CREATED"}) == {keys[0], keys[2]}


def test_local_variables_are_the_tasks_own_scope(rest: Rest) -> None:
    """localVariables match variables of the task's element instance only, not the process
    instance's."""
    keys = started(rest, 2)
    task = rest.search("user-tasks", {"filter": {"processInstanceKey": keys[0]}})["items"][0]
    response = rest.session.put(
        f"{rest.base}/element-instances/{task['elementInstanceKey']}/variables",
        json={"variables": {"note": "urgent"}, "local": True},
        timeout=10,
    )
    assert response.status_code == 204
    assert tasks(rest, {"localVariables": [{"name": "note", "value": '"urgent"'}]}) == {keys[0]}
    assert tasks(rest, {"localVariables": [{"name": "i"}]}) == set()


def test_variable_search_truncates_long_values_and_get_answers_them_whole(rest: Rest) -> None:
    """VariableSearchResult.value "Can be truncated" (`isTruncated` true) at the exporter's
    8191 character threshold; GET /v2/variables/{key} returns the full value."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.create("pay-order", variables={"note": "x" * 9000, "short": "y"})
    items = rest.search("variables", {"sort": [{"field": "name"}]})["items"]
    long, short = items
    assert (long["name"], long["isTruncated"], len(long["value"])) == ("note", True, 8191)
    assert (short["isTruncated"], short["value"]) == (False, '"y"')
    whole = rest.get(f"/variables/{long['variableKey']}").json()
    assert whole["value"] == '"' + "x" * 9000 + '"'
    untruncated = rest.post("/variables/search?truncateValues=false", {"filter": {"name": "note"}})
    assert untruncated.json()["items"][0]["value"] == whole["value"]


def test_element_instance_scope_key_selects_immediate_children(rest: Rest) -> None:
    """elementInstanceScopeKey: with a process instance key the instance's immediate children,
    with an element instance key that element's immediate children."""
    nested = (
        ProcessBuilder("nested")
        .start()
        .sub_process("sub")
        .start("inner_start")
        .service_task("work", type="rest.work")
        .end("inner_end")
        .sub_process_end()
        .end()
        .to_xml()
    )
    rest.deploy(("nested.bpmn", nested))
    instance = rest.create("nested")["processInstanceKey"]

    def children(scope: str) -> list[str]:
        found = rest.search("element-instances", {"filter": {"elementInstanceScopeKey": scope}})
        return sorted(item["elementId"] for item in found["items"])

    assert children(instance) == ["start", "sub"]
    sub = rest.search("element-instances", {"filter": {"elementId": "sub"}})["items"][0]
    assert children(sub["elementInstanceKey"]) == ["inner_start", "work"]
