"""The `userTasks` table: USER_TASK events of the real engine projected into the REST
UserTaskResult shape (spec 8.1: keys as strings, ISO dates; state CREATED / COMPLETED /
CANCELED ...; search grammar spec 8.3)."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.engine.api import Command
from zeebe.engine.engine import Engine
from zeebe.readmodel import ReadModel, SearchError
from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.unit

NOW = 1_700_000_000_000
ASSIGNMENT = (
    '<zeebe:assignmentDefinition assignee="ann" candidateGroups="sales, ops"/>'
    '<zeebe:taskSchedule dueDate="2026-12-01T10:00:00Z"/>'
)
# Built (diagram, labels) so it passes the bpmnlint gate; the assignment and schedule are added
# beside the builder's `zeebe:userTask` marker.
XML = (
    ProcessBuilder("approval", name="Approval")
    .start("s", name="Order placed")
    .user_task("approve", name="Approve order")
    .end("e", name="Order approved")
    .to_xml()
    .replace(b"<zeebe:userTask />", b"<zeebe:userTask />" + ASSIGNMENT.encode())
)


class Exported:
    """An engine whose records are exported into a read model after every command."""

    def __init__(self) -> None:
        self.engine = Engine(lambda: NOW)
        self.model = ReadModel()
        resources = [{"resourceName": "a.bpmn", "resource": XML}]
        self.send(ValueType.DEPLOYMENT, "CREATE", {"resources": resources})

    def send(self, value_type: ValueType, intent: str, value: dict[str, Any], key: int = -1) -> Any:
        result = self.engine.process(Command(value_type, intent, value, key=key))
        self.model.export(result.records)
        return result

    def start(self) -> tuple[int, int]:
        """A new instance; returns (process instance key, user task key)."""
        value = {"bpmnProcessId": "approval", "version": -1, "variables": {}}
        result = self.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)
        pi = int(result.response["processInstanceKey"])
        found = self.model.search("userTasks", {"filter": {"processInstanceKey": str(pi)}})
        return pi, int(found["items"][0]["userTaskKey"])


def test_a_created_task_is_a_row_in_the_api_shape() -> None:
    """UserTaskResult: string keys, ISO dates, the element's and the process's names."""
    exported = Exported()
    pi, key = exported.start()
    row = exported.model.get("userTasks", key)
    assert row is not None
    assert row["userTaskKey"] == str(key) and row["processInstanceKey"] == str(pi)
    assert (row["state"], row["assignee"]) == ("CREATED", "ann")
    assert (row["name"], row["processName"], row["elementId"]) == (
        "Approve order",
        "Approval",
        "approve",
    )
    assert row["candidateGroups"] == ["sales", "ops"] and row["candidateUsers"] == []
    assert row["dueDate"] == "2026-12-01T10:00:00.000Z" and row["followUpDate"] is None
    assert row["creationDate"] == "2023-11-14T22:13:20.000Z" and row["completionDate"] is None
    assert (row["priority"], row["formKey"], row["processDefinitionId"]) == (50, None, "approval")


def test_completion_and_cancellation_are_final_states() -> None:
    """COMPLETED and CANCELED end the task and set its completion date."""
    exported = Exported()
    _, done = exported.start()
    other_pi, canceled = exported.start()
    exported.send(ValueType.USER_TASK, "COMPLETE", {"variables": {}}, key=done)
    exported.send(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=other_pi)
    completed = exported.model.get("userTasks", done)
    terminated = exported.model.get("userTasks", canceled)
    assert completed is not None and terminated is not None
    assert (completed["state"], terminated["state"]) == ("COMPLETED", "CANCELED")
    assert completed["completionDate"] == "2023-11-14T22:13:20.000Z"


def test_search_filters_by_state_assignee_and_candidate_group() -> None:
    """Filters on state, assignee and (list membership) candidateGroup."""
    exported = Exported()
    _, first = exported.start()
    _, second = exported.start()
    exported.send(ValueType.USER_TASK, "ASSIGN", {"assignee": "bob"}, key=second)

    def keys(filter_: dict[str, Any]) -> list[str]:
        items = exported.model.search("userTasks", {"filter": filter_})["items"]
        return [item["userTaskKey"] for item in items]

    assert keys({"assignee": "bob"}) == [str(second)]
    assert keys({"state": "CREATED", "candidateGroup": "ops"}) == [str(first), str(second)]
    assert keys({"candidateGroup": {"$in": ["hr"]}}) == []
    with pytest.raises(SearchError):
        keys({"candidateGroup": 5})


def test_tasks_are_evicted_with_their_finished_instance() -> None:
    """Retention: a task row belongs to its process instance and goes with it."""
    exported = Exported()
    exported.model = ReadModel(max_finished_instances=0)
    _, key = exported.start()
    exported.send(ValueType.USER_TASK, "COMPLETE", {"variables": {}}, key=key)
    assert exported.model.get("userTasks", key) is None
