"""USER_TASK records and commands of Camunda user tasks (Zeebe 8.7 `UserTaskIntent`,
`UserTaskRecordValue`; spec 6: `zeebe:userTask`, `zeebe:assignmentDefinition`,
`zeebe:taskSchedule`, `zeebe:priorityDefinition`)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import Record, RejectionType, ValueType

pytestmark = pytest.mark.unit

UT = ValueType.USER_TASK


def process(extensions: str = "") -> bytes:
    """start -> approve (Camunda user task with the given extensions) -> end."""
    task = (
        '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask/>'
        f"{extensions}</bpmn:extensionElements></bpmn:userTask>"
    )
    body = '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>'
    return bpmn("approval", body + chain("s", "approve", "e"))


def started(extensions: str = "", variables: dict[str, Any] | None = None) -> tuple[Driver, int]:
    """A driver with one waiting instance; returns the driver and the process instance key."""
    driver = Driver()
    assert driver.deploy(process(extensions)).rejection is None
    return driver, driver.create("approval", variables or {})


def task_key(driver: Driver) -> int:
    """The user task key of the only user task created so far."""
    (created,) = driver.events(UT, "CREATED")
    return created.key


def send(driver: Driver, intent: str, key: int, **value: Any) -> CommandResult:
    return driver.send(UT, intent, value, key=key)


def intents(driver: Driver) -> list[str]:
    return [r.intent for r in driver.events(UT)]


def rejection(result: CommandResult) -> tuple[RejectionType, str]:
    assert result.rejection is not None
    return result.rejection.type, result.rejection.reason


def test_activation_creates_the_task_with_its_own_key() -> None:
    """CREATING and CREATED carry a new key (`userTaskKey`), not the element instance key, and
    are written before the element is ACTIVATED."""
    driver, pi = started()
    (element,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["elementId"] == "approve"
    ]
    created: Record = driver.events(UT, "CREATED")[0]
    assert intents(driver) == ["CREATING", "CREATED"]
    assert created.key != element.key and created.value["userTaskKey"] == created.key
    assert created.value["elementInstanceKey"] == element.key
    assert created.value["processInstanceKey"] == pi
    assert created.position < element.position


def test_record_value_has_the_exporter_fields() -> None:
    """`UserTaskRecordValue` fields, with the evaluated schedule, candidates and priority."""
    extensions = (
        '<zeebe:assignmentDefinition candidateGroups="sales, ops" candidateUsers="=[who]"/>'
        '<zeebe:taskSchedule dueDate="2026-12-01T10:00:00Z"/>'
        '<zeebe:priorityDefinition priority="=70"/>'
    )
    driver, _ = started(extensions, {"who": "ann"})
    value = driver.events(UT, "CREATED")[0].value
    assert value["candidateGroupsList"] == ["sales", "ops"]
    assert value["candidateUsersList"] == ["ann"]
    assert value["dueDate"] == "2026-12-01T10:00:00Z" and value["followUpDate"] == ""
    assert value["priority"] == 70
    assert value["creationTimestamp"] == driver.now
    expected = {
        "userTaskKey", "elementInstanceKey", "elementId", "bpmnProcessId", "processDefinitionKey",
        "processDefinitionVersion", "processInstanceKey", "assignee", "candidateGroupsList",
        "candidateUsersList", "dueDate", "followUpDate", "formKey", "externalFormReference",
        "customHeaders", "creationTimestamp", "variables", "changedAttributes", "action",
        "priority", "tenantId",
    }  # fmt: skip
    assert expected <= set(value)


def test_default_priority_is_50() -> None:
    """Zeebe: "If no priority is defined, the default priority of 50 is used"."""
    driver, _ = started()
    assert driver.events(UT, "CREATED")[0].value["priority"] == 50


def test_static_assignee_is_assigned_after_creation() -> None:
    """An assignee from `zeebe:assignmentDefinition` follows creation as ASSIGNING/ASSIGNED."""
    driver, _ = started('<zeebe:assignmentDefinition assignee="=boss"/>', {"boss": "kim"})
    assert intents(driver) == ["CREATING", "CREATED", "ASSIGNING", "ASSIGNED"]
    assert driver.events(UT, "CREATING")[0].value["assignee"] == "kim"
    assert driver.events(UT, "CREATED")[0].value["assignee"] == ""
    assigned = driver.events(UT, "ASSIGNED")[0].value
    assert assigned["assignee"] == "kim" and assigned["changedAttributes"] == ["assignee"]


def test_bad_attribute_expression_is_an_incident() -> None:
    """Expressions are evaluated at activation; a failure is an incident and no task exists."""
    driver, _ = started('<zeebe:assignmentDefinition assignee="=missing.name"/>')
    assert driver.events(UT) == []
    assert [i["errorType"] for i in driver.incidents()] == ["EXTRACT_VALUE_ERROR"]


def test_complete_writes_completing_completed_and_continues() -> None:
    """COMPLETE: COMPLETING, COMPLETED (with the variables), then the element completes and the
    variables propagate (spec 2.4)."""
    driver, pi = started()
    key = task_key(driver)
    assert send(driver, "COMPLETE", key, variables={"approved": True}).rejection is None
    assert intents(driver)[-2:] == ["COMPLETING", "COMPLETED"]
    completed = driver.events(UT, "COMPLETED")[0].value
    assert completed["variables"] == {"approved": True} and completed["action"] == "complete"
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["approved"] is True


def test_complete_unknown_key_is_not_found() -> None:
    """Zeebe: "Expected to complete user task with key '%d', but no such user task was
    found"."""
    driver, _ = started()
    kind, reason = rejection(send(driver, "COMPLETE", 4242))
    assert kind is RejectionType.NOT_FOUND
    assert (
        reason == "Expected to complete user task with key '4242', but no such user task was found"
    )


def test_complete_twice_is_not_found() -> None:
    """A completed task is gone: completing it again is NOT_FOUND."""
    driver, _ = started()
    key = task_key(driver)
    send(driver, "COMPLETE", key)
    assert rejection(send(driver, "COMPLETE", key))[0] is RejectionType.NOT_FOUND


def test_command_in_a_transitional_state_is_invalid_state() -> None:
    """Zeebe: "Expected to complete user task with key '%d', but it is in state '%s'" (any
    state but CREATED)."""
    driver, _ = started()
    key = task_key(driver)
    driver.engine.state.user_tasks[key].state = "ASSIGNING"  # as while a listener would run
    kind, reason = rejection(send(driver, "COMPLETE", key))
    assert kind is RejectionType.INVALID_STATE
    assert (
        reason == f"Expected to complete user task with key '{key}', but it is in state 'ASSIGNING'"
    )


def test_complete_element_stand_in_routes_to_complete() -> None:
    """PROCESS_INSTANCE COMPLETE_ELEMENT on the element instance writes the USER_TASK events."""
    driver, pi = started()
    element_key = int(driver.events(UT, "CREATED")[0].value["elementInstanceKey"])
    driver.send(ValueType.PROCESS_INSTANCE, "COMPLETE_ELEMENT", {"variables": {}}, key=element_key)
    assert intents(driver)[-1] == "COMPLETED" and driver.is_completed(pi)


def test_assign_overrides_and_unassign_clears() -> None:
    """ASSIGN: ASSIGNING/ASSIGNED with action "assign" by default; an empty assignee unassigns
    (the gateway sends action "unassign")."""
    driver, _ = started('<zeebe:assignmentDefinition assignee="first"/>')
    key = task_key(driver)
    assert send(driver, "ASSIGN", key, assignee="second").rejection is None
    assert driver.events(UT, "ASSIGNED")[-1].value["assignee"] == "second"
    assert driver.events(UT, "ASSIGNED")[-1].value["action"] == "assign"
    send(driver, "ASSIGN", key, assignee="", action="unassign")
    last = driver.events(UT, "ASSIGNED")[-1].value
    assert last["assignee"] == "" and last["action"] == "unassign"


def test_claim_of_a_task_assigned_to_someone_else_is_rejected() -> None:
    """CLAIM (REST assignment with allowOverride=false) is INVALID_STATE when assigned to
    another user: "Expected to claim user task with key '%d', but it has already been
    assigned"."""
    driver, _ = started('<zeebe:assignmentDefinition assignee="first"/>')
    key = task_key(driver)
    kind, reason = rejection(send(driver, "CLAIM", key, assignee="second"))
    assert kind is RejectionType.INVALID_STATE
    assert (
        reason == f"Expected to claim user task with key '{key}', but it has already been assigned"
    )


def test_claim_of_an_unassigned_task_assigns_it() -> None:
    """CLAIM of an unassigned task: ASSIGNING, ASSIGNED with action "claim"."""
    driver, _ = started()
    key = task_key(driver)
    assert send(driver, "CLAIM", key, assignee="ann").rejection is None
    assert intents(driver)[-2:] == ["ASSIGNING", "ASSIGNED"]
    assert driver.events(UT, "ASSIGNED")[-1].value["action"] == "claim"
    assert driver.engine.state.user_tasks[key].value["assignee"] == "ann"


def test_claim_with_an_empty_assignee_is_rejected() -> None:
    """Zeebe: "Expected to claim user task with key '%d', but provided assignee is empty"."""
    driver, _ = started()
    key = task_key(driver)
    kind, reason = rejection(send(driver, "CLAIM", key, assignee=" "))
    assert kind is RejectionType.INVALID_STATE
    assert reason == f"Expected to claim user task with key '{key}', but provided assignee is empty"


def test_priority_out_of_range_is_an_incident() -> None:
    """Zeebe: "Expected priority to be in the range [0,100] but was '%s'."."""
    driver, _ = started('<zeebe:priorityDefinition priority="=p"/>', {"p": 101})
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == "Expected priority to be in the range [0,100] but was '101'."


def test_update_changes_only_the_named_attributes() -> None:
    """UPDATE: UPDATING/UPDATED with `changedAttributes` naming what changed."""
    driver, _ = started('<zeebe:taskSchedule followUpDate="2026-12-01T10:00:00Z"/>')
    key = task_key(driver)
    result = send(
        driver,
        "UPDATE",
        key,
        changedAttributes=["dueDate", "priority"],
        dueDate="2027-01-01T00:00:00Z",
        priority=90,
        followUpDate="ignored",
    )
    assert result.rejection is None
    assert intents(driver)[-2:] == ["UPDATING", "UPDATED"]
    value = driver.events(UT, "UPDATED")[0].value
    assert value["changedAttributes"] == ["dueDate", "priority"]
    assert (value["dueDate"], value["priority"]) == ("2027-01-01T00:00:00Z", 90)
    assert value["followUpDate"] == "2026-12-01T10:00:00Z"


def test_cancelling_the_instance_cancels_the_task() -> None:
    """Termination of the element: CANCELING, CANCELED (before the element's TERMINATED); the
    task can no longer be completed."""
    driver, pi = started()
    key = task_key(driver)
    driver.cancel(pi)
    assert intents(driver)[-2:] == ["CANCELING", "CANCELED"]
    (terminated,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED")
        if r.value["elementId"] == "approve"
    ]
    assert driver.events(UT, "CANCELED")[0].position < terminated.position
    assert rejection(send(driver, "COMPLETE", key))[0] is RejectionType.NOT_FOUND
    assert driver.engine.state.user_tasks == {}


def test_replay_rebuilds_user_task_state() -> None:
    """USER_TASK events are applied on replay: the same state as processing."""
    driver, _ = started('<zeebe:assignmentDefinition assignee="first"/>')
    key = task_key(driver)
    send(driver, "UPDATE", key, changedAttributes=["priority"], priority=10)
    snapshot = driver.engine.state.snapshot()
    assert snapshot["user_tasks"]
    assert replayed(driver.records, driver).state.snapshot() == snapshot


def test_interrupting_boundary_timer_cancels_the_task() -> None:
    """An interrupting boundary event terminates the user task element: CANCELING, CANCELED."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:userTask id="approve"><bpmn:extensionElements>'
        '<zeebe:userTask/></bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="e"/>'
        '<bpmn:boundaryEvent id="late" attachedToRef="approve"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:endEvent id="timedOut"/>'
        + chain("s", "approve", "e")
        + chain("late", "timedOut")
    )
    driver = Driver()
    assert driver.deploy(bpmn("approval", body)).rejection is None
    pi = driver.create("approval")
    driver.advance(3_600_000)
    assert intents(driver) == ["CREATING", "CREATED", "CANCELING", "CANCELED"]
    assert "timedOut" in driver.completed(pi)


FORM_LINK = '<zeebe:formDefinition formId="order-form"/>'
FORM = b'{"id": "order-form", "type": "default", "components": []}'


def test_a_linked_form_gives_the_form_key() -> None:
    """`zeebe:formDefinition formId` links the latest deployed form: its key is `formKey`."""
    driver = Driver()
    deployed = driver.deploy(process(FORM_LINK), FORM, names=("a.bpmn", "order.form"))
    assert deployed.rejection is None
    (form,) = driver.events(ValueType.DEPLOYMENT, "CREATED")[0].value["formMetadata"]
    driver.create("approval")
    assert driver.events(UT, "CREATED")[0].value["formKey"] == form["formKey"]


def test_a_missing_linked_form_is_an_incident() -> None:
    """Zeebe: FORM_NOT_FOUND "Expected to find a form with id '%s', but no form with this id is
    found, ..."."""
    driver, _ = started(FORM_LINK)
    (incident,) = driver.incidents()
    assert incident["errorType"] == "FORM_NOT_FOUND"
    assert incident["errorMessage"].startswith("Expected to find a form with id 'order-form'")
    assert driver.events(UT) == []
