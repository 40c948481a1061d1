"""`canceling` user task listeners (Zeebe 8.8 docs, components/concepts/user-task-listeners):
`canceling` is triggered "When a canceling process instance terminates a user task" and "When a
catch event interrupts a user task"; listeners "operate in a blocking manner", so the element
stays ELEMENT_TERMINATING until the last listener job is completed (Zeebe's
`UserTaskProcessor.onTerminateInternal` returns AWAIT; `UserTaskCancelProcessor` writes CANCELED
and continues the termination). "it's not possible to deny the creation or cancelation of a
user task"; a failed listener job without retries is an incident."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, flow
from test_engine_replay import replayed
from test_engine_task_listeners import LINT_REASON, corrections, finish, listeners

from zeebe.records import RejectionType, ValueType

pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

UT = ValueType.USER_TASK
JOB = ValueType.JOB
MESSAGE = (
    '<bpmn:message id="m" name="withdrawn"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= orderId"/></bpmn:extensionElements></bpmn:message>'
)
BOUNDARIES = {
    "timer": "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
    "</bpmn:timerEventDefinition>",
    "message": '<bpmn:messageEventDefinition messageRef="m"/>',
}


def user_task(*pairs: tuple[str, str], extensions: str = "") -> str:
    """The Camunda user task `approve` with the listeners."""
    return (
        '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask />'
        f"{extensions}{listeners(*pairs)}</bpmn:extensionElements></bpmn:userTask>"
    )


def started(
    *pairs: tuple[str, str], boundary: str = "", extensions: str = ""
) -> tuple[Driver, int]:
    """start -> approve -> end, optionally with an interrupting boundary event `b` -> `be`;
    returns the driver and the process instance key (variables: orderId, amount)."""
    body = '<bpmn:startEvent id="s"/>' + user_task(*pairs, extensions=extensions)
    body += '<bpmn:endEvent id="e"/>' + chain("s", "approve", "e")
    if boundary:
        body += f'<bpmn:boundaryEvent id="b" attachedToRef="approve">{BOUNDARIES[boundary]}'
        body += '</bpmn:boundaryEvent><bpmn:endEvent id="be"/>' + flow("fb", "b", "be")
    driver = Driver()
    deployed = driver.deploy(bpmn("approval", body, extra=MESSAGE))
    assert deployed.rejection is None, deployed.rejection
    return driver, driver.create("approval", {"orderId": "o-1", "amount": 5})


def task_key(driver: Driver) -> int:
    return driver.events(UT, "CREATED")[0].key


def intents(driver: Driver) -> list[str]:
    return [r.intent for r in driver.events(UT)]


def terminated(driver: Driver, pi: int) -> bool:
    return (pi, "ELEMENT_TERMINATED") in [
        (r.key, r.intent) for r in driver.events(ValueType.PROCESS_INSTANCE)
    ]


def test_canceling_the_instance_creates_a_canceling_listener_job() -> None:
    """Canceling the instance writes USER_TASK CANCELING and a TASK_LISTENER job of event type
    CANCELING; the cancel command is answered at once (Zeebe answers it with
    ELEMENT_TERMINATING, not after the listeners)."""
    driver, pi = started(("canceling", "notify"))
    key = task_key(driver)
    answer = driver.cancel(pi)
    assert answer.rejection is None and answer.response is not None
    assert intents(driver) == ["CREATING", "CREATED", "CANCELING"]
    (created,) = driver.events(JOB, "CREATED")
    assert created.value["jobKind"] == "TASK_LISTENER"
    assert created.value["jobListenerEventType"] == "CANCELING"
    assert (
        created.value["elementInstanceKey"]
        == driver.events(UT, "CANCELING")[0].value["elementInstanceKey"]
    )
    assert driver.engine.state.user_tasks[key].state == "CANCELING"


def test_the_canceling_job_carries_the_user_tasks_data() -> None:
    """ "User task-specific data ... is accessible through the job headers" (userTaskKey,
    assignee, candidateGroups, priority ...) plus the task's own headers; the job's variables
    are the task's visible variables."""
    extensions = (
        '<zeebe:assignmentDefinition assignee="mary" candidateGroups="sales" />'
        '<zeebe:taskHeaders><zeebe:header key="team" value="ops" /></zeebe:taskHeaders>'
    )
    driver, pi = started(("canceling", "notify"), extensions=extensions)
    key = task_key(driver)
    driver.cancel(pi)
    job = driver.job("notify")
    headers = job["customHeaders"]
    assert headers["io.camunda.zeebe:userTaskKey"] == str(key)
    assert headers["io.camunda.zeebe:assignee"] == "mary"
    assert headers["io.camunda.zeebe:candidateGroups"] == '["sales"]'
    assert headers["io.camunda.zeebe:priority"] == "50"
    assert headers["team"] == "ops"
    assert job["variables"] == {"orderId": "o-1", "amount": 5}


def test_the_element_terminates_only_after_the_listener_job_completes() -> None:
    """Blocking: the user task stays ELEMENT_TERMINATING and the instance TERMINATING while the
    job is open; its completion writes CANCELED, then ELEMENT_TERMINATED of the task and of the
    process (Zeebe: ... COMPLETE_TASK_LISTENER, CANCELED, CONTINUE_TERMINATING_ELEMENT,
    ELEMENT_TERMINATED)."""
    driver, pi = started(("canceling", "notify"))
    driver.cancel(pi)
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    assert not terminated(driver, pi)
    job_key = driver.job("notify")["key"]
    before = len(driver.records)
    assert finish(driver, job_key).rejection is None
    tail = [
        (r.value_type.name, r.intent, r.value.get("elementId"))
        for r in driver.records[before:]
        if r.record_type.name == "EVENT"
    ]
    assert tail == [
        ("JOB", "COMPLETED", "approve"),
        ("USER_TASK", "CANCELED", "approve"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "approve"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "approval"),
    ]
    assert driver.engine.state.user_tasks == {}
    assert driver.engine.state.instances == {}


def test_canceling_listeners_run_one_after_the_other() -> None:
    """ "they are executed sequentially, one after the other, in the order they are defined";
    the task is CANCELED after the last one."""
    driver, pi = started(("canceling", "first"), ("canceling", "second"))
    driver.cancel(pi)
    assert [r.value["type"] for r in driver.events(JOB, "CREATED")] == ["first"]
    finish(driver, driver.job("first")["key"])
    assert [r.value["type"] for r in driver.events(JOB, "CREATED")] == ["first", "second"]
    assert intents(driver)[-1] == "CANCELING"
    second = driver.job("second")
    assert second["jobListenerEventType"] == "CANCELING"
    finish(driver, second["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert terminated(driver, pi)


def test_without_canceling_listeners_the_task_is_canceled_at_once() -> None:
    """Listeners of other events do not hold the termination: CANCELING, CANCELED at once."""
    driver, pi = started(("completing", "audit"))
    driver.cancel(pi)
    assert intents(driver)[-2:] == ["CANCELING", "CANCELED"]
    assert driver.events(JOB, "CREATED") == []
    assert terminated(driver, pi)


@pytest.mark.parametrize("kind", ["timer", "message"])
def test_an_interrupting_boundary_event_runs_the_canceling_listeners(kind: str) -> None:
    """ "When a catch event interrupts a user task": the boundary event is activated, and the
    flow goes on from it, only after the listener job completed."""
    driver, pi = started(("canceling", "notify"), boundary=kind)
    if kind == "timer":
        driver.advance(3_600_000)
    else:
        driver.publish("withdrawn", "o-1")
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    assert intents(driver)[-1] == "CANCELING"
    finish(driver, driver.job("notify")["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert driver.completed(pi) == ["s", "b", "be", "approval"]


def test_a_modification_terminating_the_task_runs_the_canceling_listeners() -> None:
    """A terminate instruction terminates the element like any termination; once the task is
    CANCELED the instance goes on as without listeners (no element left: it completes)."""
    driver, pi = started(("canceling", "notify"))
    element_key = driver.events(UT, "CREATED")[0].value["elementInstanceKey"]
    value: dict[str, Any] = {
        "activateInstructions": [],
        "terminateInstructions": [{"elementInstanceKey": element_key}],
    }
    modified = driver.send(ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFY", value, key=pi)
    assert modified.rejection is None, modified.rejection
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    finish(driver, driver.job("notify")["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert driver.is_completed(pi)


def test_canceling_during_another_transition_drops_it() -> None:
    """A task can be canceled from any state but CANCELING (Zeebe's CANCELABLE_LIFECYCLE_STATES):
    the pending completion's listener job is canceled, then the canceling listener runs."""
    driver, pi = started(("completing", "audit"), ("canceling", "notify"))
    key = task_key(driver)
    driver.send(UT, "COMPLETE", {}, key=key)
    audit = driver.job("audit")["key"]
    driver.cancel(pi)
    assert [r.key for r in driver.events(JOB, "CANCELED")] == [audit]
    assert intents(driver)[-2:] == ["COMPLETING", "CANCELING"]
    finish(driver, driver.job("notify")["key"])
    assert terminated(driver, pi)


def test_user_task_commands_on_a_canceling_task_are_rejected() -> None:
    """Zeebe's precondition: only a CREATED task takes commands (INVALID_STATE)."""
    driver, pi = started(("canceling", "notify"))
    key = task_key(driver)
    driver.cancel(pi)
    rejected = driver.send(UT, "COMPLETE", {}, key=key)
    assert rejected.rejection is not None
    assert rejected.rejection.type is RejectionType.INVALID_STATE
    assert rejected.rejection.reason == (
        f"Expected to complete user task with key '{key}', but it is in state 'CANCELING'"
    )


def test_replay_rebuilds_the_state_while_and_after_canceling() -> None:
    """State changes only in appliers (CONVENTIONS 2): replaying the log while the canceling
    listeners run, and after they are done, gives the same state."""
    driver, pi = started(("canceling", "fix"), ("canceling", "notify"))
    driver.cancel(pi)
    finish(driver, driver.job("fix")["key"], corrections(priority=10))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
    finish(driver, driver.job("notify")["key"])
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
