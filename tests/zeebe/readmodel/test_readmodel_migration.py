"""Read model rows of a migrated instance (Camunda 8.7 docs, process instance migration: the
instance continues on the target definition, keeping its element instances, jobs, user tasks and
incidents): the MIGRATED events move each row to the target definition, keys and states kept."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.engine.api import Command, CommandResult
from zeebe.engine.engine import Engine
from zeebe.readmodel import ReadModel
from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.unit

NOW = 1_700_000_000_000
SOURCE = (
    ProcessBuilder("order", name="Order")
    .start()
    .user_task("approve", name="Approve")
    .service_task("pay", type="pay", name="Pay")
    .end()
    .to_xml()
)
TARGET = (
    ProcessBuilder("order", name="Order v2")
    .start()
    .user_task("approve2", name="Approve (v2)")
    .service_task("pay2", type="pay", name="Pay (v2)")
    .end()
    .to_xml()
)


class Exported:
    """Both versions deployed, one instance of the first; records exported to a read model."""

    def __init__(self) -> None:
        self.engine = Engine(lambda: NOW)
        self.model = ReadModel()
        self.source = self.deploy("v1.bpmn", SOURCE)
        self.target = self.deploy("v2.bpmn", TARGET)
        value = {"processDefinitionKey": self.source, "version": -1, "variables": {}}
        created = self.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)
        assert created.response is not None
        self.instance = int(created.response["processInstanceKey"])

    def send(
        self, value_type: ValueType, intent: str, value: dict[str, Any], key: int = -1
    ) -> CommandResult:
        result = self.engine.process(Command(value_type, intent, value, key=key))
        self.model.export(result.records)
        return result

    def deploy(self, name: str, xml: bytes) -> int:
        resources = [{"resourceName": name, "resource": xml}]
        response = self.send(ValueType.DEPLOYMENT, "CREATE", {"resources": resources}).response
        assert response is not None
        return int(response["deployments"][0]["processDefinitionKey"])

    def migrate(self, *mapping: tuple[str, str]) -> None:
        value = {
            "processInstanceKey": self.instance,
            "targetProcessDefinitionKey": self.target,
            "mappingInstructions": [
                {"sourceElementId": s, "targetElementId": t} for s, t in mapping
            ],
        }
        result = self.send(ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATE", value, self.instance)
        assert result.rejection is None, result.rejection

    def only(self, table: str) -> dict[str, Any]:
        """The one row of a table that belongs to the instance."""
        found = self.model.search(table, {"filter": {"processInstanceKey": str(self.instance)}})
        (row,) = [r for r in found["items"] if r.get("elementId") != "start"]
        return dict(row)


def test_instance_row_shows_the_target_definition() -> None:
    """processDefinitionKey, version and name of the instance row follow the migration."""
    exported = Exported()
    exported.migrate(("approve", "approve2"))
    row = exported.model.get("processInstances", exported.instance)
    assert row is not None
    assert row["processDefinitionKey"] == str(exported.target)
    assert (row["processDefinitionVersion"], row["processDefinitionName"]) == (2, "Order v2")
    assert row["state"] == "ACTIVE"


def test_user_task_row_moves_to_the_target_element() -> None:
    """The user task keeps its key and state; element id, names and version are the target's."""
    exported = Exported()
    before = exported.only("userTasks")
    exported.migrate(("approve", "approve2"))
    after = exported.only("userTasks")
    assert after["userTaskKey"] == before["userTaskKey"] and after["state"] == before["state"]
    assert (after["elementId"], after["name"], after["processName"]) == (
        "approve2",
        "Approve (v2)",
        "Order v2",
    )
    assert after["processDefinitionVersion"] == 2


def test_job_and_incident_rows_move_to_the_target_element() -> None:
    """A job in incident: both rows name the target element and definition, still ACTIVE."""
    exported = Exported()
    task = exported.only("userTasks")
    exported.send(ValueType.USER_TASK, "COMPLETE", {"variables": {}}, int(task["userTaskKey"]))
    jobs = activate_pay(exported)
    exported.send(ValueType.JOB, "FAIL", {"retries": 0, "errorMessage": "down"}, jobs[0])
    exported.migrate(("pay", "pay2"))
    job = exported.only("jobs")
    incident = exported.only("incidents")
    assert (job["elementId"], job["processDefinitionKey"]) == ("pay2", str(exported.target))
    assert (incident["elementId"], incident["state"]) == ("pay2", "ACTIVE")
    assert incident["processDefinitionKey"] == str(exported.target)


def activate_pay(exported: Exported) -> list[int]:
    """Activate the instance's pay jobs; their keys."""
    value = {"type": "pay", "worker": "w", "timeout": 60_000, "maxJobsToActivate": 5}
    response = exported.send(ValueType.JOB_BATCH, "ACTIVATE", value | {"variables": []}).response
    assert response is not None
    return [int(job["key"]) for job in response["jobs"]]
