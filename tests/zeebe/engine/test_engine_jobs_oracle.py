"""Job commands, thrown errors and boundary events checked against Zeebe's own engine tests
(JobUpdateTimeoutTest, JobThrowErrorTest, FailJobTest, BoundaryEventTest; spec 2.3-2.6, 5.2)."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain, flow, service_task, started

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

ERROR = '<bpmn:error id="err" errorCode="ERROR"/>'
MESSAGE = (
    '<bpmn:message id="msg" name="message"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= key"/></bpmn:extensionElements></bpmn:message>'
)
TIMER = (
    "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration>"
    "</bpmn:timerEventDefinition>"
)


def with_boundary(definition: str, mapping: str = "", extra: str = "") -> bytes:
    """A service task `task` (type `type`) with an interrupting boundary event `b`."""
    outputs = (
        f"<bpmn:extensionElements><zeebe:ioMapping>{mapping}</zeebe:ioMapping>"
        "</bpmn:extensionElements>"
        if mapping
        else ""
    )
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + service_task("task", "type")
        + f'<bpmn:boundaryEvent id="b" attachedToRef="task">{outputs}{definition}'
        + '</bpmn:boundaryEvent><bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + chain("s", "task", "e")
        + flow("fb", "b", "e2"),
        extra=extra,
    )


def variables_named(driver: Driver, name: str) -> list[tuple[str, int]]:
    """(JSON value, scope key) of the VARIABLE events of one name, in log order."""
    return [
        (str(r.value["value"]), int(r.value["scopeKey"]))
        for r in driver.events(ValueType.VARIABLE)
        if r.value["name"] == name
    ]


def element_key(driver: Driver, element_id: str) -> int:
    """The key of the (only) instance of an element."""
    (key,) = [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["elementId"] == element_id
    ]
    return key


def test_update_timeout_of_a_job_that_is_not_activated_is_not_active() -> None:
    """JobUpdateTimeoutTest.shouldRejectUpdateTimoutIfDeadlineNotFound: INVALID_STATE "Expected
    to update the timeout of job with key '<k>', but it is not active" (spec 2.3)."""
    driver, _ = started(ONE_TASK, "one-task")
    job_key = driver.events(ValueType.JOB, "CREATED")[0].key
    result = driver.send(ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": 1_000}, key=job_key)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason == (
        f"Expected to update the timeout of job with key '{job_key}', but it is not active"
    )


def test_update_timeout_then_the_job_times_out_at_the_new_deadline() -> None:
    """JobUpdateTimeoutTest.shouldTimeOutAfterDecreasingTimeout: CREATED, TIMEOUT_UPDATED,
    TIME_OUT, TIMED_OUT."""
    driver, _ = started(ONE_TASK, "one-task")
    job = driver.activate("work", timeout=600_000)[0]
    driver.send(ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": 300_000}, key=job["key"])
    driver.advance(360_000)
    intents = [r.intent for r in driver.records if r.value_type is ValueType.JOB]
    assert intents[-4:] == ["UPDATE_TIMEOUT", "TIMEOUT_UPDATED", "TIME_OUT", "TIMED_OUT"]


@pytest.mark.parametrize("command", ["THROW_ERROR", "FAIL"])
def test_long_error_messages_are_cut_at_ten_thousand_characters(command: str) -> None:
    """JobThrowErrorTest.shouldTruncateErrorMessage (and FailJobTest): the message is limited to
    EngineConfiguration.DEFAULT_MAX_ERROR_MESSAGE_SIZE (10,000) characters plus '...', in the job
    record and in the incident."""
    driver, _ = started(ONE_TASK, "one-task")
    job = driver.job("work")
    value = {"errorCode": "", "errorMessage": "*" * 10_001, "retries": 0, "variables": {}}
    driver.send(ValueType.JOB, command, value, key=job["key"])
    expected = "*" * 10_000 + "..."
    (event,) = driver.events(
        ValueType.JOB, "ERROR_THROWN" if command == "THROW_ERROR" else "FAILED"
    )
    assert event.value["errorMessage"] == expected
    (incident,) = driver.incidents()
    assert expected in incident["errorMessage"]


def test_a_message_of_exactly_ten_thousand_characters_is_kept() -> None:
    """JobThrowErrorTest.shouldNotTruncateErrorMessage."""
    driver, _ = started(ONE_TASK, "one-task")
    driver.throw(driver.job("work")["key"], "", "*" * 10_000)
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Expected to throw an error event with the code '' with message '"
        + "*" * 10_000
        + "', but it was not caught. No error events are available in the scope."
    )


def test_error_variables_are_created_at_the_catch_event_only() -> None:
    """JobThrowErrorTest.shouldThrowErrorWithVariables: the only variable record is `foo` created
    at the error boundary event (spec 2.6 "local scope of the error catch event")."""
    driver, pi = started(
        with_boundary('<bpmn:errorEventDefinition errorRef="err"/>', extra=ERROR), "p"
    )
    driver.throw(driver.job("type")["key"], "ERROR", "error-message", {"foo": "bar"})
    assert [(r.value["name"], r.value["scopeKey"]) for r in driver.events(ValueType.VARIABLE)] == [
        ("foo", element_key(driver, "b"))
    ]
    assert driver.is_completed(pi)


def test_error_variables_reach_the_process_through_an_output_mapping() -> None:
    """JobThrowErrorTest.shouldThrowErrorWithVariablesAndOutputMapping: `foo` at the catch event,
    then `output` at the process instance."""
    definition = '<bpmn:errorEventDefinition errorRef="err"/>'
    mapping = '<zeebe:output source="= foo" target="output"/>'
    driver, pi = started(with_boundary(definition, mapping, extra=ERROR), "p")
    driver.throw(driver.job("type")["key"], "ERROR", "", {"foo": "bar"})
    assert variables_named(driver, "foo") == [('"bar"', element_key(driver, "b"))]
    assert variables_named(driver, "output") == [('"bar"', pi)]


def test_message_boundary_payload_is_local_then_propagated() -> None:
    """EventTriggerBehavior.activateTriggeredEvent: the payload becomes locals of the boundary
    event, then (no output mapping, not an error event) merges from the flow scope (spec 5.2
    engine detail)."""
    definition = '<bpmn:messageEventDefinition messageRef="msg"/>'
    driver, pi = started(with_boundary(definition, extra=MESSAGE), "p", {"key": "123"})
    driver.publish("message", "123", variables={"foo": 3})
    assert variables_named(driver, "foo") == [("3", element_key(driver, "b")), ("3", pi)]


def test_message_boundary_output_mapping_uses_the_payload() -> None:
    """BoundaryEventTest.shouldApplyOutputMappingOnTriggering: `foo` -> `bar` = 3."""
    definition = '<bpmn:messageEventDefinition messageRef="msg"/>'
    mapping = '<zeebe:output source="= foo" target="bar"/>'
    driver, pi = started(with_boundary(definition, mapping, MESSAGE), "p", {"key": "123"})
    driver.publish("message", "123", variables={"foo": 3})
    assert variables_named(driver, "bar") == [("3", pi)]
    assert driver.written_variables(pi) == {"key": "123", "bar": 3}


def test_triggered_boundary_event_records_the_process_event_before_activating() -> None:
    """BoundaryEventTest.shouldActivateBoundaryEventWhenEventTriggered /
    shouldTerminateSubProcessBeforeTriggeringBoundaryEvent: TIMER TRIGGERED, PROCESS_EVENT
    TRIGGERING, the task terminates (its job canceled), PROCESS_EVENT TRIGGERED, then the
    boundary event activates."""
    driver, _ = started(with_boundary(TIMER), "p")
    since = len(driver.records)
    driver.advance(60_000)
    trail = [
        (r.value_type.name, r.intent)
        for r in driver.records[since:]
        if r.record_type.name == "EVENT"
    ]
    assert trail[:7] == [
        ("TIMER", "TRIGGERED"),
        ("PROCESS_EVENT", "TRIGGERING"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATING"),
        ("JOB", "CANCELED"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATED"),
        ("PROCESS_EVENT", "TRIGGERED"),
        ("PROCESS_INSTANCE", "ELEMENT_ACTIVATING"),
    ]
    triggered = driver.events(ValueType.PROCESS_EVENT, "TRIGGERED")[0]
    assert triggered.value["targetElementId"] == "b"
    assert triggered.key == driver.events(ValueType.PROCESS_EVENT, "TRIGGERING")[0].key


def test_failed_record_keeps_the_worker_and_deadline_of_the_activation() -> None:
    """FailJobTest.shouldFail: FAILED has the new retries and still the activated job's worker
    and deadline."""
    driver, _ = started(ONE_TASK, "one-task")
    job = driver.job("work")
    driver.fail(job["key"], 23)
    (failed,) = driver.events(ValueType.JOB, "FAILED")
    assert failed.value["retries"] == 23
    assert failed.value["worker"] == job["worker"]
    assert failed.value["deadline"] == job["deadline"]
    assert len(driver.activate("work")) == 1


def test_a_caught_error_deletes_the_job_without_canceling_it() -> None:
    """ErrorEventTest.shouldNotCancelJob: the job records are CREATED, THROW_ERROR, ERROR_THROWN
    only; the task is terminated by the error boundary event (JobErrorThrownApplier deletes the
    job), so a second throw finds no job."""
    driver, pi = started(
        with_boundary('<bpmn:errorEventDefinition errorRef="err"/>', extra=ERROR), "p"
    )
    job = driver.job("type")
    driver.throw(job["key"], "ERROR")
    assert [r.intent for r in driver.records if r.value_type is ValueType.JOB] == [
        "CREATED",
        "THROW_ERROR",
        "ERROR_THROWN",
    ]
    assert driver.is_completed(pi)
    rejection = driver.throw(job["key"], "ERROR").rejection
    assert rejection is not None and rejection.type is RejectionType.NOT_FOUND


def test_an_uncaught_error_keeps_the_job_marked_until_the_incident_is_resolved() -> None:
    """JobThrowErrorProcessor.NO_CATCH_EVENT_FOUND: ERROR_THROWN of an uncaught error names the
    marker element id and the job stays; resolving the incident gives the job its task's id back
    (IncidentResolvedApplier.resetElementId) and a worker can activate it again (spec 2.6)."""
    driver, _ = started(ONE_TASK, "one-task")
    job = driver.job("work")
    driver.throw(job["key"], "NOPE")
    (thrown,) = driver.events(ValueType.JOB, "ERROR_THROWN")
    assert thrown.value["elementId"] == "NO_CATCH_EVENT_FOUND"
    (incident,) = driver.incidents()
    assert incident["elementId"] == "task"
    driver.resolve(incident["key"])
    (again,) = driver.activate("work")
    assert again["key"] == job["key"]
    assert again["elementId"] == "task"


def test_canceling_an_instance_with_an_uncaught_error_cancels_the_job() -> None:
    """BpmnJobBehavior.cancelJob: the job of an unhandled error is still the task's and is
    CANCELED with it; the incident is resolved (spec 2.1)."""
    driver, pi = started(ONE_TASK, "one-task")
    job = driver.job("work")
    driver.throw(job["key"], "NOPE")
    driver.cancel(pi)
    assert [r.key for r in driver.events(ValueType.JOB, "CANCELED")] == [job["key"]]
    assert driver.incidents() == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"maxJobsToActivate": 0},
            "Expected to activate job batch with max jobs to activate to be greater than zero, "
            "but it was '0'",
        ),
        (
            {"timeout": 0},
            "Expected to activate job batch with timeout to be greater than zero, but it was '0'",
        ),
        ({"type": ""}, "Expected to activate job batch with type to be present, but it was blank"),
    ],
)
def test_invalid_job_batch_activation_is_rejected(change: dict[str, object], reason: str) -> None:
    """ActivateJobsTest.shouldRejectInvalidAmount / shouldRejectInvalidTimeout (and a blank
    type): the engine itself rejects the command INVALID_ARGUMENT; a blank worker is allowed."""
    driver, _ = started(ONE_TASK, "one-task")
    value = {"type": "work", "worker": "w", "timeout": 1_000, "maxJobsToActivate": 1} | change
    rejection = driver.send(ValueType.JOB_BATCH, "ACTIVATE", value | {"variables": []}).rejection
    assert rejection is not None
    assert (rejection.type, rejection.reason) == (RejectionType.INVALID_ARGUMENT, reason)
    anonymous = value | {"maxJobsToActivate": 1, "timeout": 1_000, "type": "work", "worker": ""}
    assert driver.send(ValueType.JOB_BATCH, "ACTIVATE", anonymous).rejection is None
