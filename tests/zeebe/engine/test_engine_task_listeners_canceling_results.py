"""Results and failures of `canceling` user task listener jobs (Zeebe 8.8): "it's not possible
to deny the creation or cancelation of a user task" (docs "User task listeners"), corrections
are handled as for any transition (`UserTaskProcessor.processCompleteTaskListener`), and a
failing listener job or listener expression is an incident the termination waits for."""

from __future__ import annotations

import pytest
from test_engine_task_listeners import LINT_REASON, corrections, finish
from test_engine_task_listeners_canceling import JOB, UT, intents, started, terminated

from zeebe.records import RejectionType

pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]


def test_a_canceling_listener_cannot_deny() -> None:
    """Zeebe's JobCompleteProcessor: "Denying result is not supported for 'CANCELING' task
    listener jobs ... Only the following listener event types support denying: [ASSIGNING,
    COMPLETING, UPDATING]." (INVALID_ARGUMENT); the job stays open."""
    driver, pi = started(("canceling", "notify"))
    driver.cancel(pi)
    job = driver.job("notify")
    rejected = finish(driver, job["key"], {"denied": True, "deniedReason": "keep it"})
    assert rejected.rejection is not None
    assert rejected.rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejected.rejection.reason == (
        f"Denying result is not supported for 'CANCELING' task listener jobs (job key "
        f"'{job['key']}', type 'notify', processInstanceKey '{pi}'). Only the following "
        "listener event types support denying: [ASSIGNING, COMPLETING, UPDATING]."
    )
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    assert finish(driver, job["key"]).rejection is None
    assert terminated(driver, pi)


def test_corrections_of_a_canceling_listener_reach_the_canceled_record() -> None:
    """Zeebe 8.8 handles a canceling listener's completion like any other
    (`processCompleteTaskListener`): corrections write USER_TASK CORRECTED, the next listener
    sees them, and CANCELED carries them with their names in changedAttributes."""
    driver, pi = started(("canceling", "fix"), ("canceling", "notify"))
    driver.cancel(pi)
    finish(driver, driver.job("fix")["key"], corrections(assignee="john", priority=80))
    assert intents(driver)[-2:] == ["CANCELING", "CORRECTED"]
    headers = driver.job("notify")["customHeaders"]
    assert headers["io.camunda.zeebe:assignee"] == "john"
    assert headers["io.camunda.zeebe:changedAttributes"] == '["assignee","priority"]'
    finish(driver, driver.events(JOB, "CREATED")[-1].key)
    canceled = driver.events(UT, "CANCELED")[0].value
    assert (canceled["assignee"], canceled["priority"]) == ("john", 80)
    assert sorted(canceled["changedAttributes"]) == ["assignee", "priority"]


def test_a_failing_listener_job_without_retries_is_an_incident() -> None:
    """ "If all retries are exhausted and the job still fails, an incident is raised. Once
    resolved, only the failed listener job is retried": TASK_LISTENER_NO_RETRIES on the task,
    the termination waits; retries + resolve hand the same job out again."""
    driver, pi = started(("canceling", "notify"))
    driver.cancel(pi)
    job_key = driver.job("notify")["key"]
    driver.fail(job_key, retries=0, message="mail server down")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "TASK_LISTENER_NO_RETRIES"
    assert (incident["jobKey"], incident["elementId"]) == (job_key, "approve")
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    retries = driver.send(JOB, "UPDATE_RETRIES", {"retries": 1}, key=job_key)
    assert retries.rejection is None
    assert driver.resolve(incident["key"]).rejection is None
    assert driver.job("notify")["key"] == job_key
    finish(driver, job_key)
    assert intents(driver)[-1] == "CANCELED"
    assert terminated(driver, pi)


def test_a_listener_expression_incident_reruns_every_canceling_listener() -> None:
    """ "Expression evaluation failure ... After the incident is resolved, the entire lifecycle
    transition is retried, re-executing all listeners configured for the transition" (Zeebe:
    shouldRetryCancelingListenerJobAfterExtractValueErrorDuringUserTaskInterruption)."""
    driver, pi = started(("canceling", "first"), ("canceling", "=secondType"))
    driver.cancel(pi)
    finish(driver, driver.job("first")["key"])
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    driver.set_variables(pi, {"secondType": "second"})
    assert driver.resolve(incident["key"]).rejection is None
    finish(driver, driver.job("first")["key"])
    finish(driver, driver.job("second")["key"])
    created = [r.value["type"] for r in driver.events(JOB, "CREATED")]
    assert created == ["first", "first", "second"]
    assert terminated(driver, pi)
