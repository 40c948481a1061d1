"""User task listeners (Camunda 8.7 docs, components/concepts/user-task-listeners): "User task
listeners operate in a blocking manner, meaning the user task lifecycle transition is paused
until the task listener completes"; they "can dynamically correct user task data" and "can deny
state transitions, rolling back the task to its previous state". Each listener is a job of kind
TASK_LISTENER ("Once triggered, the workflow engine creates a job that you can process using a
job worker")."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

LINT_REASON = (
    "zeebe:taskListeners: the repository lints with camunda-compat's 8.7 profile, which reports "
    "them as 8.8-only; the same models lint clean with the 8.8 profile "
    "(tests/zeebe/model/test_bpmnlint_task_listeners.py)"
)
pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

UT = ValueType.USER_TASK


def listeners(*pairs: tuple[str, str]) -> str:
    """A `zeebe:taskListeners` block of (eventType, type) listeners."""
    inner = "".join(f'<zeebe:taskListener eventType="{e}" type="{t}" />' for e, t in pairs)
    return f"<zeebe:taskListeners>{inner}</zeebe:taskListeners>"


def started(*pairs: tuple[str, str], extensions: str = "") -> tuple[Driver, int, int]:
    """start -> approve (Camunda user task with the listeners) -> end; returns the driver,
    process instance key and user task key (-1 while `creating` listeners run)."""
    task = (
        '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask />'
        f"{extensions}{listeners(*pairs)}</bpmn:extensionElements></bpmn:userTask>"
    )
    body = '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>'
    driver = Driver()
    deployed = driver.deploy(bpmn("approval", body + chain("s", "approve", "e")))
    assert deployed.rejection is None, deployed.rejection
    pi = driver.create("approval", {"amount": 5})
    created = driver.events(UT, "CREATED")
    return driver, pi, created[0].key if created else -1


def command(driver: Driver, intent: str, key: int, **value: Any) -> CommandResult:
    """A USER_TASK command."""
    return driver.send(UT, intent, value, key=key)


def finish(driver: Driver, job_key: int, result: dict[str, Any] | None = None) -> CommandResult:
    """Complete a job with a job result (Zeebe's JobResult: denied, corrections ...)."""
    value: dict[str, Any] = {"variables": {}}
    if result is not None:
        value["result"] = result
    return driver.send(ValueType.JOB, "COMPLETE", value, key=job_key)


def intents(driver: Driver) -> list[str]:
    return [r.intent for r in driver.events(UT)]


def corrections(**values: Any) -> dict[str, Any]:
    return {"correctedAttributes": list(values), "corrections": values}


def test_completing_creates_a_task_listener_job_and_waits() -> None:
    """ "Completing: Triggered when completing a user task"; the task stays COMPLETING and the
    element active until the listener job is done."""
    driver, pi, key = started(("completing", "audit"))
    assert command(driver, "COMPLETE", key, variables={"ok": True}).rejection is None
    assert intents(driver)[-1] == "COMPLETING"
    (created,) = driver.events(ValueType.JOB, "CREATED")
    assert created.value["type"] == "audit"
    assert created.value["retries"] == 3
    assert created.value["jobKind"] == "TASK_LISTENER"
    assert created.value["jobListenerEventType"] == "COMPLETING"
    assert driver.engine.state.user_tasks[key].state == "COMPLETING"
    assert driver.active(pi) == [("approve", "ELEMENT_ACTIVATED")]


def test_the_listener_job_carries_task_data_in_headers_and_the_variables() -> None:
    """ "User task-specific data ... is accessible through the job headers": reserved names
    io.camunda.zeebe:userTaskKey, action, assignee, ... priority; job variables are the task's
    visible variables, as for every job (spec 2.2)."""
    assignment = '<zeebe:assignmentDefinition candidateGroups="sales, ops" />'
    driver, _, key = started(("completing", "audit"), extensions=assignment)
    command(driver, "COMPLETE", key)
    job = driver.job("audit")
    assert job["jobKind"] == "TASK_LISTENER"
    assert job["jobListenerEventType"] == "COMPLETING"
    assert job["variables"] == {"amount": 5}
    assert job["customHeaders"] == {
        "io.camunda.zeebe:userTaskKey": str(key),
        "io.camunda.zeebe:action": "complete",
        "io.camunda.zeebe:candidateGroups": '["sales","ops"]',
        "io.camunda.zeebe:priority": "50",
    }


def test_after_the_last_listener_the_task_completes_with_its_variables() -> None:
    """The paused transition finishes: COMPLETED, the element completes, and the completion
    variables are merged as without listeners (spec 2.4)."""
    driver, pi, key = started(("completing", "audit"))
    command(driver, "COMPLETE", key, variables={"ok": True})
    assert finish(driver, driver.job("audit")["key"]).rejection is None
    assert intents(driver)[-2:] == ["COMPLETING", "COMPLETED"]
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["ok"] is True


def test_listeners_of_one_event_run_one_after_the_other_in_model_order() -> None:
    """ "they are executed sequentially, one after the other, in the order they are defined in
    the BPMN model": the second job exists only after the first completed."""
    driver, pi, key = started(("completing", "first"), ("completing", "second"))
    command(driver, "COMPLETE", key)
    assert driver.activate("second") == []
    finish(driver, driver.job("first")["key"])
    assert not driver.is_completed(pi)
    finish(driver, driver.job("second")["key"])
    assert driver.is_completed(pi)
    created = [r.value["type"] for r in driver.events(ValueType.JOB, "CREATED")]
    assert created == ["first", "second"]


def test_listeners_of_other_events_do_not_run() -> None:
    """Only listeners of the transition's event run: completing ignores `assigning` ones."""
    driver, pi, key = started(("assigning", "on-assign"))
    command(driver, "COMPLETE", key)
    assert driver.events(ValueType.JOB) == []
    assert driver.is_completed(pi)


def test_a_denial_rolls_the_completion_back() -> None:
    """ "When a lifecycle transition is denied ... The user task retains its state and data as
    if the lifecycle event never occurred": COMPLETION_DENIED with the reason, task CREATED."""
    driver, pi, key = started(("completing", "check"))
    command(driver, "COMPLETE", key, variables={"ok": False})
    denied = {"denied": True, "deniedReason": "four eyes"}
    assert finish(driver, driver.job("check")["key"], denied).rejection is None
    (event,) = driver.events(UT, "COMPLETION_DENIED")
    assert event.value["deniedReason"] == "four eyes"
    assert driver.engine.state.user_tasks[key].state == "CREATED"
    assert driver.active(pi) == [("approve", "ELEMENT_ACTIVATED")]
    assert "ok" not in driver.written_variables(pi)


def test_a_denied_task_can_be_completed_again() -> None:
    """After a denial the listeners run again for the next completion."""
    driver, pi, key = started(("completing", "check"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("check")["key"], {"denied": True})
    assert command(driver, "COMPLETE", key).rejection is None
    finish(driver, driver.job("check")["key"])
    assert driver.is_completed(pi)


def test_corrections_are_applied_and_seen_by_later_listeners() -> None:
    """ "These corrections are immediately available to any subsequent task listeners and are
    applied to the user task when the lifecycle transition is finalized": CORRECTED names the
    changed attributes; COMPLETED carries the corrected values."""
    driver, _, key = started(("completing", "fix"), ("completing", "audit"))
    command(driver, "COMPLETE", key)
    fixes = corrections(assignee="john", priority=80, candidateUsersList=["alice"])
    assert finish(driver, driver.job("fix")["key"], fixes).rejection is None
    (corrected,) = driver.events(UT, "CORRECTED")
    assert corrected.value["changedAttributes"] == ["assignee", "priority", "candidateUsersList"]
    audit = driver.job("audit")
    headers = audit["customHeaders"]
    assert headers["io.camunda.zeebe:assignee"] == "john"
    assert headers["io.camunda.zeebe:priority"] == "80"
    assert headers["io.camunda.zeebe:candidateUsers"] == '["alice"]'
    changed = '["assignee","candidateUsersList","priority"]'
    assert headers["io.camunda.zeebe:changedAttributes"] == changed
    finish(driver, audit["key"])
    completed = driver.events(UT, "COMPLETED")[0].value
    assert (completed["assignee"], completed["priority"]) == ("john", 80)


def test_corrections_that_change_nothing_write_no_corrected_event() -> None:
    """Zeebe writes CORRECTED only when a corrected value differs from the current one."""
    driver, pi, key = started(("completing", "fix"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("fix")["key"], corrections(priority=50))
    assert driver.events(UT, "CORRECTED") == []
    assert driver.is_completed(pi)


def test_a_denial_discards_earlier_corrections() -> None:
    """ "Corrections discarded: Any corrections made by preceding listeners within the same
    lifecycle transition are discarded"."""
    driver, _, key = started(("completing", "fix"), ("completing", "check"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("fix")["key"], corrections(assignee="john"))
    finish(driver, driver.job("check")["key"], {"denied": True})
    assert driver.engine.state.user_tasks[key].value["assignee"] == ""
    assert driver.events(UT, "COMPLETION_DENIED")[0].value["assignee"] == ""


@pytest.mark.parametrize(
    ("value", "reason_start"),
    [
        (
            {"variables": {"x": 1}},
            "Task Listener job completion with variables payload provided is not yet supported",
        ),
        (
            {"result": {"denied": True} | corrections(assignee="x")},
            "Expected to complete task listener job with corrections, but the job result is "
            "denied.",
        ),
        (
            {"result": corrections(name="x")},
            "Expected to complete task listener job with a corrections result, but property "
            "'name' cannot be corrected. Only the following properties can be corrected: "
            "[assignee, candidateGroups, candidateUsers, dueDate, followUpDate, priority].",
        ),
    ],
)
def test_invalid_listener_job_completions_are_rejected(
    value: dict[str, Any], reason_start: str
) -> None:
    """Zeebe's JobCompleteProcessor checks for listener jobs (INVALID_ARGUMENT): no variables
    ("No variable handling" in the docs' limitations), no corrections with a denial, only
    correctable properties."""
    driver, _, key = started(("completing", "audit"))
    command(driver, "COMPLETE", key)
    job_key = driver.job("audit")["key"]
    result = driver.send(ValueType.JOB, "COMPLETE", {"variables": {}} | value, key=job_key)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason.startswith(reason_start)
    assert job_key in driver.engine.state.jobs


def test_a_listener_job_cannot_throw_a_bpmn_error() -> None:
    """ "No BPMN error throwing" (docs); Zeebe's JobThrowErrorProcessor: "Cannot throw BPMN error
    from TASK_LISTENER job with key ..." (INVALID_STATE)."""
    driver, _, key = started(("completing", "audit"))
    command(driver, "COMPLETE", key)
    job_key = driver.job("audit")["key"]
    result = driver.throw(job_key, "E")
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason.startswith(
        f"Cannot throw BPMN error from TASK_LISTENER job with key '{job_key}', type 'audit'"
    )


def test_a_failed_listener_job_without_retries_raises_a_task_listener_incident() -> None:
    """ "If all retries are exhausted and the job still fails, an incident is raised" (error
    type TASK_LISTENER_NO_RETRIES, spec 2.5); "Once resolved, only the failed listener job is
    retried, allowing the lifecycle transition to resume"."""
    driver, pi, key = started(("completing", "first"), ("completing", "second"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("first")["key"])
    job_key = driver.job("second")["key"]
    driver.fail(job_key, 0, "listener down")
    (incident,) = driver.incidents()
    assert (incident["errorType"], incident["errorMessage"]) == (
        "TASK_LISTENER_NO_RETRIES",
        "listener down",
    )
    assert incident["jobKey"] == job_key
    driver.send(ValueType.JOB, "UPDATE_RETRIES", {"retries": 1}, key=job_key)
    assert driver.resolve(incident["key"]).rejection is None
    finish(driver, driver.job("second")["key"])
    created = [r.value["type"] for r in driver.events(ValueType.JOB, "CREATED")]
    assert created == ["first", "second"]
    assert driver.is_completed(pi)


def test_a_failing_listener_expression_raises_an_incident() -> None:
    """ "User task listener properties, such as job type or retries, are evaluated right before
    the job creation"; "Expression evaluation failure: Raised when a listener property
    expression fails to evaluate"."""
    driver, pi, key = started(("completing", "=listenerType"))
    command(driver, "COMPLETE", key)
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert "listenerType" in incident["errorMessage"]
    assert driver.events(ValueType.JOB) == []
    assert not driver.is_completed(pi)


def test_resolving_a_listener_expression_incident_reruns_every_listener() -> None:
    """ "After the incident is resolved, the entire lifecycle transition is retried, re-executing
    all listeners configured for the transition, including those that previously completed
    successfully"."""
    driver, pi, key = started(("completing", "first"), ("completing", "=secondType"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("first")["key"])
    (incident,) = driver.incidents()
    driver.set_variables(pi, {"secondType": "second"})
    assert driver.resolve(incident["key"]).rejection is None
    finish(driver, driver.job("first")["key"])
    finish(driver, driver.job("second")["key"])
    created = [r.value["type"] for r in driver.events(ValueType.JOB, "CREATED")]
    assert created == ["first", "first", "second"]
    assert driver.is_completed(pi)


def test_canceling_the_instance_cancels_the_listener_job() -> None:
    """Terminating the user task cancels its job (spec 2.1), a listener job as well."""
    driver, pi, key = started(("completing", "audit"))
    command(driver, "COMPLETE", key)
    job_key = driver.job("audit")["key"]
    assert driver.cancel(pi).rejection is None
    assert [r.key for r in driver.events(ValueType.JOB, "CANCELED")] == [job_key]
    assert driver.engine.state.jobs == {}
    assert finish(driver, job_key).rejection is not None


def test_assigning_listeners_run_on_assign_and_can_deny() -> None:
    """ "Assigning: Triggered when assigning a user task"; a denial writes ASSIGNMENT_DENIED and
    keeps the previous assignee."""
    driver, _, key = started(("assigning", "check"))
    command(driver, "ASSIGN", key, assignee="mary")
    job = driver.job("check")
    assert job["jobListenerEventType"] == "ASSIGNING"
    assert job["customHeaders"]["io.camunda.zeebe:assignee"] == "mary"
    # 8.8: the header names what the transition changes
    assert job["customHeaders"]["io.camunda.zeebe:changedAttributes"] == '["assignee"]'
    finish(driver, job["key"], {"denied": True, "deniedReason": "on leave"})
    assert intents(driver)[-2:] == ["ASSIGNING", "ASSIGNMENT_DENIED"]
    task = driver.engine.state.user_tasks[key]
    assert (task.state, task.value["assignee"]) == ("CREATED", "")


def test_an_accepted_assignment_finishes_with_the_corrected_assignee() -> None:
    """A listener may correct the assignee; ASSIGNED carries the correction."""
    driver, _, key = started(("assigning", "route"))
    command(driver, "CLAIM", key, assignee="mary")
    finish(driver, driver.job("route")["key"], corrections(assignee="john"))
    assert intents(driver)[-3:] == ["ASSIGNING", "CORRECTED", "ASSIGNED"]
    assert driver.engine.state.user_tasks[key].value["assignee"] == "john"


def test_the_modelled_assignee_runs_assigning_listeners_at_creation() -> None:
    """The assignment that follows creation is a transition like any other."""
    assignment = '<zeebe:assignmentDefinition assignee="mary" />'
    driver, _, key = started(("assigning", "route"), extensions=assignment)
    assert intents(driver) == ["CREATING", "CREATED", "ASSIGNING"]
    finish(driver, driver.job("route")["key"])
    assert intents(driver)[-1] == "ASSIGNED"
    assert driver.engine.state.user_tasks[key].value["assignee"] == "mary"


def test_updating_listeners_run_on_update() -> None:
    """Zeebe 8.8 `updating` listeners pause UPDATE the same way; denial writes UPDATE_DENIED."""
    driver, _, key = started(("updating", "check"))
    command(driver, "UPDATE", key, changedAttributes=["priority"], priority=90)
    job = driver.job("check")
    assert job["jobListenerEventType"] == "UPDATING"
    assert job["customHeaders"]["io.camunda.zeebe:priority"] == "90"
    finish(driver, job["key"], {"denied": True})
    assert intents(driver)[-1] == "UPDATE_DENIED"
    assert driver.engine.state.user_tasks[key].value["priority"] == 50


def test_replay_rebuilds_the_listener_state() -> None:
    """State changes only in appliers (CONVENTIONS 2): replaying the log mid-transition gives
    the same user tasks and jobs."""
    driver, _, key = started(("completing", "fix"), ("completing", "audit"))
    command(driver, "COMPLETE", key)
    finish(driver, driver.job("fix")["key"], corrections(assignee="john"))
    engine = replayed(driver.records, driver)
    expected = driver.engine.state.snapshot()
    actual = engine.state.snapshot()
    assert actual["user_tasks"] == expected["user_tasks"]
    assert actual["jobs"] == expected["jobs"]


def test_creating_listeners_run_before_the_task_is_created() -> None:
    """8.8 `creating`: "When a process instance reaches a user task"; the element is active,
    the task waits in CREATING, then CREATED and the modelled assignee's assignment follow."""
    assignment = '<zeebe:assignmentDefinition assignee="mary" />'
    driver, pi, _ = started(("creating", "prepare"), extensions=assignment)
    assert intents(driver) == ["CREATING"]
    assert driver.active(pi) == [("approve", "ELEMENT_ACTIVATED")]
    job = driver.job("prepare")
    assert job["jobListenerEventType"] == "CREATING"
    finish(driver, job["key"], corrections(priority=70))
    assert intents(driver) == ["CREATING", "CORRECTED", "CREATED", "ASSIGNING", "ASSIGNED"]
    task = driver.events(UT, "ASSIGNED")[0].value
    assert (task["assignee"], task["priority"]) == ("mary", 70)


def test_a_creating_listener_may_set_an_assignee_the_model_leaves_open() -> None:
    """Zeebe 8.8: "Use the 'CREATING' event to set an assignee only if it was not defined"."""
    driver, _, _ = started(("creating", "route"))
    key = driver.events(UT, "CREATING")[0].key
    finish(driver, driver.job("route")["key"], corrections(assignee="john"))
    assert intents(driver)[-2:] == ["ASSIGNING", "ASSIGNED"]
    assert driver.engine.state.user_tasks[key].value["assignee"] == "john"


@pytest.mark.parametrize(
    ("result", "reason_start"),
    [
        (
            {"denied": True},
            "Denying result is not supported for 'CREATING' task listener jobs",
        ),
        (
            corrections(assignee="john"),
            "Expected to complete task listener job, but correcting the assignee on 'CREATING' "
            "event is not supported when the user task has an assignee defined in the model",
        ),
    ],
)
def test_creating_listener_results_zeebe_refuses(result: dict[str, Any], reason_start: str) -> None:
    """Zeebe 8.8 JobCompleteProcessor: only assigning/updating/completing listeners may deny,
    and a creating listener may not override a modelled assignee (INVALID_ARGUMENT)."""
    assignment = '<zeebe:assignmentDefinition assignee="mary" />'
    driver, _, _ = started(("creating", "prepare"), extensions=assignment)
    rejected = finish(driver, driver.job("prepare")["key"], result)
    assert rejected.rejection is not None
    assert rejected.rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejected.rejection.reason.startswith(reason_start)


def test_listener_jobs_carry_the_user_tasks_own_headers() -> None:
    """Zeebe 8.8 builds a listener's job properties from the user task's (`zeebe:taskHeaders`
    included); the reserved io.camunda.zeebe:* names are added on top."""
    headers = '<zeebe:taskHeaders><zeebe:header key="team" value="sales" /></zeebe:taskHeaders>'
    driver, _, key = started(("completing", "audit"), extensions=headers)
    command(driver, "COMPLETE", key)
    job_headers = driver.job("audit")["customHeaders"]
    assert job_headers["team"] == "sales"
    assert job_headers["io.camunda.zeebe:userTaskKey"] == str(key)
