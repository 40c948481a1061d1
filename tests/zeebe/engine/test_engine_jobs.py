"""Job lifecycle (spec 2.1-2.5): activation, completion, failure, retries, timeouts, back-off."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain, service_task

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def started(instances: int = 1, variables: dict[str, object] | None = None) -> Driver:
    driver = Driver()
    driver.deploy(ONE_TASK)
    for _ in range(instances):
        driver.create("one-task", variables)
    return driver


def test_activation_is_fifo_and_bounded_by_max_jobs() -> None:
    """Spec 2.2: up to maxJobsToActivate jobs, oldest first."""
    driver = started(3)
    created = [r.key for r in driver.events(ValueType.JOB, "CREATED")]
    first = driver.activate("work", max_jobs=2)
    assert [j["key"] for j in first] == created[:2]
    assert [j["key"] for j in driver.activate("work")] == created[2:]
    assert driver.activate("work") == []


def test_activation_sets_worker_deadline_and_variables() -> None:
    """Spec 2.2: activation sets worker and deadline = now + timeout; variables are visible ones."""
    driver = started(variables={"a": 1, "b": 2})
    (job,) = driver.activate("work", timeout=5_000)
    assert job["worker"] == "test-worker"
    assert job["deadline"] == driver.now + 5_000
    assert job["variables"] == {"a": 1, "b": 2}
    assert job["retries"] == 3
    assert job["elementId"] == "task"


def test_fetch_variables_filters_job_variables() -> None:
    """Spec 2.2: a non-empty fetchVariable list limits the variables sent."""
    driver = started(variables={"a": 1, "b": 2})
    (job,) = driver.activate("work", fetch=("b", "missing"))
    assert job["variables"] == {"b": 2}


def test_activated_job_is_not_activated_twice() -> None:
    """Spec 2.2: each job goes to only one worker while activated."""
    driver = started()
    assert len(driver.activate("work")) == 1
    assert driver.activate("work") == []


def test_creating_a_job_reports_its_type_as_activatable() -> None:
    """activatable_job_types names the types that gained jobs (the gateway wakes long polls)."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    result = driver.try_create("one-task")
    assert result.activatable_job_types == frozenset({"work"})
    assert driver.engine.activatable_job_types() == frozenset({"work"})
    driver.activate("work")
    assert driver.engine.activatable_job_types() == frozenset()


def test_complete_unknown_job_is_not_found() -> None:
    """Spec 1.1: NOT_FOUND with Zeebe's reason when no such job exists."""
    result = Driver().complete(99)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason == (
        "Expected to complete job with key '99', but no such job was found"
    )


def test_completing_twice_is_not_found() -> None:
    """Spec 2.3: jobs are removed once completed; a second complete is NOT_FOUND."""
    driver = started()
    key = driver.job("work")["key"]
    assert driver.complete(key).rejection is None
    second = driver.complete(key).rejection
    assert second is not None and second.type is RejectionType.NOT_FOUND


def test_timed_out_but_not_reactivated_job_can_be_completed() -> None:
    """Spec 2.4: complete is accepted while ACTIVATABLE or ACTIVATED."""
    driver = started()
    key = driver.job("work")["key"]
    driver.advance(30_001)
    assert driver.complete(key).rejection is None


def test_job_times_out_and_becomes_activatable_with_same_retries() -> None:
    """Spec 2.3: after the deadline the job is TIMED_OUT and activatable; retries unchanged."""
    driver = started()
    key = driver.job("work")["key"]
    assert driver.engine.next_due_time() == driver.now + 30_000
    results = driver.advance(30_000)
    assert [r.intent for res in results for r in res.records][-1] == "TIMED_OUT"
    assert results[0].activatable_job_types == frozenset({"work"})
    (again,) = driver.activate("work")
    assert again["key"] == key and again["retries"] == 3


def test_fail_with_retries_makes_job_activatable_again() -> None:
    """Spec 2.5: retries > 0 and no back-off -> immediately activatable; retries are absolute."""
    driver = started()
    key = driver.job("work")["key"]
    result = driver.fail(key, retries=2, message="boom")
    assert result.rejection is None
    assert result.activatable_job_types == frozenset({"work"})
    assert driver.job("work")["retries"] == 2


def test_fail_with_backoff_recurs_after_backoff() -> None:
    """Spec 2.5: retries > 0 with back-off -> activatable once the back-off has passed."""
    driver = started()
    key = driver.job("work")["key"]
    driver.fail(key, retries=1, backoff=1_000)
    assert driver.activate("work") == []
    driver.advance(999)
    assert driver.activate("work") == []
    results = driver.advance(1)
    assert results[0].records[-1].intent == "RECURRED_AFTER_BACKOFF"
    assert driver.job("work")["key"] == key


def test_fail_without_retries_raises_incident_with_message() -> None:
    """Spec 2.5: retries <= 0 -> incident JOB_NO_RETRIES with the errorMessage and jobKey."""
    driver = started()
    job = driver.job("work")
    driver.fail(job["key"], retries=0, message="service down")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "JOB_NO_RETRIES"
    assert incident["errorMessage"] == "service down"
    assert incident["jobKey"] == job["key"]
    assert incident["elementInstanceKey"] == job["elementInstanceKey"]
    assert driver.activate("work") == []


def test_incident_message_defaults_to_no_more_retries() -> None:
    """Spec 2.5: empty errorMessage -> "No more retries left."."""
    driver = started()
    driver.fail(driver.job("work")["key"], retries=0)
    assert driver.incidents()[0]["errorMessage"] == "No more retries left."


def test_failed_job_cannot_be_completed() -> None:
    """Spec 2.4: a FAILED job rejects complete with INVALID_STATE (FAILED_PRECONDITION)."""
    driver = started()
    key = driver.job("work")["key"]
    driver.fail(key, retries=0)
    rejection = driver.complete(key).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_STATE
    assert (
        rejection.reason
        == f"Expected to complete job with key '{key}', but it is in state 'FAILED'"
    )


def test_resolving_job_incident_without_retries_is_rejected() -> None:
    """Spec 2.5: resolve while retries <= 0 is rejected with Zeebe's reason."""
    driver = started()
    key = driver.job("work")["key"]
    driver.fail(key, retries=0)
    incident_key = driver.incidents()[0]["key"]
    rejection = driver.resolve(incident_key).rejection
    assert rejection is not None
    assert rejection.reason == (
        f"Expected to resolve incident with key '{incident_key}', but job with key '{key}' has "
        "no retries left. Please update the job retries and retry resolving the incident"
    )


def test_update_retries_then_resolve_makes_job_activatable() -> None:
    """Spec 2.5: update retries, then resolve -> the job can be activated again."""
    driver = started()
    key = driver.job("work")["key"]
    driver.fail(key, retries=0)
    update = driver.send(ValueType.JOB, "UPDATE_RETRIES", {"retries": 2}, key=key)
    assert update.rejection is None
    assert driver.activate("work") == []
    resolved = driver.resolve(driver.incidents()[0]["key"])
    assert resolved.rejection is None
    assert resolved.activatable_job_types == frozenset({"work"})
    assert driver.job("work")["retries"] == 2


def test_update_retries_must_be_positive() -> None:
    """Spec 2.5: UpdateJobRetries requires retries > 0 (INVALID_ARGUMENT)."""
    driver = started()
    key = driver.job("work")["key"]
    rejection = driver.send(ValueType.JOB, "UPDATE_RETRIES", {"retries": 0}, key=key).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_ARGUMENT


def test_update_timeout_sets_new_deadline_from_now() -> None:
    """Spec 2.3: the timeout is the new duration from now, not an extension."""
    driver = started()
    key = driver.job("work")["key"]
    driver.now += 10_000
    assert (
        driver.send(ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": 5_000}, key=key).rejection is None
    )
    assert driver.engine.next_due_time() == driver.now + 5_000


def test_update_timeout_of_unactivated_job_is_invalid_state() -> None:
    """Spec 2.3: no deadline (not ACTIVATED) -> INVALID_STATE."""
    driver = started()
    key = driver.events(ValueType.JOB, "CREATED")[0].key
    rejection = driver.send(ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": 5}, key=key).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_STATE


def test_fail_variables_are_local_to_the_task() -> None:
    """Spec 2.4: failing a job writes its variables into the task's local scope."""
    driver = started()
    job = driver.job("work")
    driver.fail(job["key"], retries=1, variables={"attempt": 1})
    assert driver.variables(job["elementInstanceKey"]) == {"attempt": 1}
    assert "attempt" not in driver.variables(job["processInstanceKey"])


def test_job_headers_and_retries_come_from_the_model() -> None:
    """Spec 2.1: custom headers (zeebe:taskHeaders) and retries from zeebe:taskDefinition."""
    headers = '<zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>'
    xml = bpmn(
        "headers",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "typed", headers, retries=5)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    driver.deploy(xml)
    driver.create("headers")
    job = driver.job("typed")
    assert job["customHeaders"] == {"k": "v"} and job["retries"] == 5


def test_job_type_expression_is_evaluated_on_activation() -> None:
    """Spec 9.3: the job type may be a FEEL expression evaluated when the task activates."""
    xml = bpmn(
        "dyn",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "= &quot;svc.&quot; + kind")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    driver.deploy(xml)
    driver.create("dyn", {"kind": "pay"})
    assert driver.job("svc.pay")["elementId"] == "t"


def test_job_type_expression_failure_raises_incident() -> None:
    """Spec 9.3: a job type that is not a string raises an incident on the task."""
    xml = bpmn(
        "dyn",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "= kind")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    driver.deploy(xml)
    pi = driver.create("dyn")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["errorMessage"] == (
        "Expected result of the expression 'kind' to be 'STRING', but was 'NULL'. "
        "The evaluation reported the following warnings:\n"
        "[NO_VARIABLE_FOUND] No variable found with name 'kind'"
    )
    assert driver.active(pi) == [("t", "ELEMENT_ACTIVATING")]
    driver.set_variables(pi, {"kind": "late"})
    driver.resolve(incident["key"])
    assert driver.job("late")["elementId"] == "t"


def test_user_task_without_zeebe_user_task_is_job_based() -> None:
    """Spec 4.2: the job-based user task uses type io.camunda.zeebe:userTask."""
    xml = bpmn(
        "user",
        '<bpmn:startEvent id="s"/><bpmn:userTask id="u"/><bpmn:endEvent id="e"/>'
        + chain("s", "u", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("user")
    assert driver.job("io.camunda.zeebe:userTask")["elementId"] == "u"


def test_send_task_and_message_end_event_are_job_based() -> None:
    """Spec 4.2: message throw/end events and send tasks "behave exactly like service tasks"."""
    definition = (
        '<bpmn:extensionElements><zeebe:taskDefinition type="{}"/></bpmn:extensionElements>'
    )
    xml = bpmn(
        "send",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:sendTask id="notify">{definition.format("notify")}</bpmn:sendTask>'
        f'<bpmn:endEvent id="e">{definition.format("publish")}'
        "<bpmn:messageEventDefinition/></bpmn:endEvent>" + chain("s", "notify", "e"),
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    pi = driver.create("send")
    driver.complete(driver.job("notify")["key"])
    end_job = driver.job("publish")
    assert end_job["elementId"] == "e"
    driver.complete(end_job["key"])
    assert driver.completed(pi) == ["s", "notify", "e", "send"]


def test_job_commands_on_unknown_job_name_the_action() -> None:
    """Spec 1.1: "Expected to <action> job with key '<k>', but no such job was found"."""
    driver = Driver()
    commands: list[tuple[str, dict[str, Any]]] = [
        ("FAIL", {"retries": 1}),
        ("THROW_ERROR", {"errorCode": "E"}),
        ("UPDATE_RETRIES", {"retries": 1}),
        ("UPDATE_TIMEOUT", {"timeout": 1}),
    ]
    reasons = {
        intent: driver.send(ValueType.JOB, intent, value, key=7).rejection
        for intent, value in commands
    }
    suffix = "job with key '7', but no such job was found"
    assert {k: r.reason if r else None for k, r in reasons.items()} == {
        "FAIL": f"Expected to fail {suffix}",
        "THROW_ERROR": f"Expected to throw an error for {suffix}",
        "UPDATE_RETRIES": f"Expected to update retries for {suffix}",
        "UPDATE_TIMEOUT": f"Expected to update the timeout of {suffix}",
    }
    assert all(r is not None and r.type is RejectionType.NOT_FOUND for r in reasons.values())
