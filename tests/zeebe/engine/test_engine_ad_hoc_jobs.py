"""The 8.8 job worker implementation of ad-hoc subprocesses (docs "Ad-hoc sub-processes", Job
worker implementation; Zeebe's JobWorkerBehavior and JobCompleteProcessor texts)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, service_task
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

LINT_REASON = (
    "zeebe:taskDefinition on an ad-hoc subprocess is an 8.8 feature: the repository lints with "
    "camunda-compat's 8.7 profile; the same model lints clean with the 8.8 profile "
    "(tests/zeebe/model/test_bpmnlint_ad_hoc.py)"
)
pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]


MESSAGE = (
    '<bpmn:message id="m" name="nudge"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= chat"/></bpmn:extensionElements></bpmn:message>'
)


def event_subprocess(interrupting: bool) -> str:
    """A message event subprocess (message "nudge") running a manual task."""
    return (
        '<bpmn:subProcess id="on-nudge" triggeredByEvent="true">'
        f'<bpmn:startEvent id="nudged" isInterrupting="{str(interrupting).lower()}">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>'
        '<bpmn:manualTask id="note"/><bpmn:endEvent id="noted"/>'
        + chain("nudged", "note", "noted")
        + "</bpmn:subProcess>"
    )


def model(output: str = "", inner: str = "") -> bytes:
    """start -> agent{a, b, inner} (job worker "agent") -> end."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:adHocSubProcess id="agent" name="Agent">'
        '<bpmn:extensionElements><zeebe:taskDefinition type="agent" retries="1"/>'
        f"<zeebe:adHoc{output}/></bpmn:extensionElements>"
        + service_task("a", "a")
        + service_task("b", "b")
        + inner
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="e"/>'
        + chain("s", "agent", "e")
    )
    return bpmn("agent-p", body, extra=MESSAGE)


def started(output: str = "", inner: str = "") -> tuple[Driver, int]:
    driver = Driver()
    result = driver.deploy(model(output, inner))
    assert result.rejection is None, result.rejection
    return driver, driver.create("agent-p", {"chat": "c1"})


def agent_key(driver: Driver) -> int:
    return next(i.key for i in driver.engine.state.instances.values() if i.element_id == "agent")


def decide(
    driver: Driver,
    *activate: dict[str, Any],
    fulfilled: bool = False,
    cancel: bool = False,
    variables: dict[str, Any] | None = None,
) -> CommandResult:
    """Activate the agent job and complete it with an ad-hoc sub-process result."""
    job = driver.job("agent")
    result = {
        "activateElements": list(activate),
        "completionConditionFulfilled": fulfilled,
        "cancelRemainingInstances": cancel,
    }
    value = {"variables": variables or {}, "result": result}
    return driver.send(ValueType.JOB, "COMPLETE", value, key=int(job["key"]))


def finish(driver: Driver, job_type: str, variables: dict[str, Any] | None = None) -> None:
    assert driver.complete(int(driver.job(job_type)["key"]), variables).rejection is None


def agent_jobs(driver: Driver, intent: str) -> list[int]:
    return [r.key for r in driver.events(ValueType.JOB, intent) if r.value["elementId"] == "agent"]


def test_activation_creates_an_ad_hoc_sub_process_job_and_waits() -> None:
    """ "When an ad-hoc sub-process is defined as a job worker, it creates a job upon
    activation": kind AD_HOC_SUB_PROCESS, created before ELEMENT_ACTIVATED (Zeebe's order)."""
    driver, pi = started()
    (created,) = driver.events(ValueType.JOB, "CREATED")
    assert created.value["jobKind"] == "AD_HOC_SUB_PROCESS"
    assert created.value["elementId"] == "agent"
    activated = next(
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["elementId"] == "agent"
    )
    assert created.position < activated.position
    assert driver.active(pi) == [("agent", "ELEMENT_ACTIVATED")]


def test_elements_variable_lists_the_ad_hoc_activities() -> None:
    """ "When an ad-hoc sub-process is activated, the `adHocSubProcessElements` variable is
    created in its scope" (elementId, elementName, ...; empty fields left out)."""
    driver, _ = started()
    job = driver.job("agent")
    assert job["variables"]["adHocSubProcessElements"] == [
        {"elementId": "a", "elementName": "a"},
        {"elementId": "b", "elementName": "b"},
    ]
    assert "adHocSubProcessElements" in driver.variables(agent_key(driver))


def test_elements_variable_carries_documentation_and_properties() -> None:
    """Each entry has "The documentation of the element" and "The properties defined on the
    element" (zeebe:properties)."""
    documented = (
        '<bpmn:serviceTask id="weather" name="Weather">'
        "<bpmn:documentation>Current weather for a city</bpmn:documentation>"
        '<bpmn:extensionElements><zeebe:taskDefinition type="weather"/><zeebe:properties>'
        '<zeebe:property name="kind" value="tool"/></zeebe:properties></bpmn:extensionElements>'
        "</bpmn:serviceTask>"
    )
    driver, _ = started(inner=documented)
    elements = driver.job("agent")["variables"]["adHocSubProcessElements"]
    assert elements[-1] == {
        "elementId": "weather",
        "elementName": "Weather",
        "documentation": "Current weather for a city",
        "properties": {"kind": "tool"},
    }


def test_elements_variable_carries_from_ai_parameters() -> None:
    """ "parameters: Parameters defined using the fromAi FEEL function" (from the input
    mappings of the activity)."""
    tool = service_task(
        "forecast",
        "forecast",
        '<zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.city, &quot;The city&quot;)" '
        'target="city"/></zeebe:ioMapping>',
    )
    driver, _ = started(inner=tool)
    elements = driver.job("agent")["variables"]["adHocSubProcessElements"]
    assert elements[-1]["parameters"] == [{"name": "toolCall.city", "description": "The city"}]


def test_job_result_activates_elements_with_their_variables() -> None:
    """ "Zeebe activates the elements from the job result"; job variables are merged from the
    subprocess scope (here created in the process scope)."""
    driver, pi = started()
    result = decide(
        driver,
        {"elementId": "a", "variables": {"input": 1}},
        {"elementId": "b"},
        variables={"agent": {"step": 1}},
    )
    assert result.rejection is None
    assert sorted(e for e, _ in driver.active(pi)) == ["a", "agent", "b"]
    assert driver.job("a")["variables"]["input"] == 1
    assert driver.variables(pi)["agent"] == {"step": 1}
    (event,) = driver.events(ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATED")
    assert event.key == agent_key(driver)


def test_each_completed_inner_flow_creates_a_new_job() -> None:
    """ "When any of the flows inside the ad-hoc sub-process completes, Zeebe creates a new job"
    and "There is only one active job for the ad-hoc sub-process at a time"."""
    driver, pi = started()
    decide(driver, {"elementId": "a"}, {"elementId": "b"})
    finish(driver, "a")
    assert len(agent_jobs(driver, "CREATED")) == 2
    finish(driver, "b")
    assert len(agent_jobs(driver, "CREATED")) == 3
    assert len(agent_jobs(driver, "CANCELED")) == 1
    assert ("agent", "ELEMENT_ACTIVATED") in driver.active(pi)


def test_fulfilled_condition_completes_the_subprocess() -> None:
    """The worker "can ... fulfill the completion condition": AD_HOC_SUB_PROCESS_INSTRUCTION
    COMPLETED, then the subprocess completes and the process continues."""
    driver, pi = started()
    assert decide(driver, fulfilled=True).rejection is None
    assert driver.events(ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "COMPLETED")
    assert driver.is_completed(pi)


def test_fulfilled_with_cancel_terminates_remaining_elements() -> None:
    """ "If the condition is fulfilled, the job worker can specify whether to cancel active
    elements"."""
    driver, pi = started()
    decide(driver, {"elementId": "a"}, {"elementId": "b"})
    finish(driver, "a")
    decide(driver, fulfilled=True, cancel=True)
    assert ("b", "ELEMENT_TERMINATED") in driver.element_events(pi)
    assert driver.is_completed(pi)


def test_fulfilled_without_cancel_waits_for_active_elements_without_new_jobs() -> None:
    """Without cancelRemainingInstances the subprocess completes once the active elements are
    done; no further job is created ("the ad-hoc sub-process will be completed soon")."""
    driver, pi = started()
    decide(driver, {"elementId": "a"}, {"elementId": "b"})
    finish(driver, "a")
    decide(driver, fulfilled=True)
    assert not driver.is_completed(pi)
    jobs_before = len(agent_jobs(driver, "CREATED"))
    finish(driver, "b")
    assert len(agent_jobs(driver, "CREATED")) == jobs_before
    assert driver.is_completed(pi)


def test_activating_and_fulfilling_together_is_rejected() -> None:
    """ "It cannot fulfill both the completion condition and activate new elements at the same
    time" (INVALID_ARGUMENT, Zeebe's text)."""
    driver, _ = started()
    result = decide(driver, {"elementId": "a"}, fulfilled=True)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason == (
        "Expected to complete ad-hoc sub-process job, but the job result contains elements to "
        f"be activated while the completion condition is fulfilled (job key '{agent_key(driver)}')"
        ". When the completion condition is fulfilled, no further element activations are "
        "allowed. Either remove the elements to be activated from the job result, or set the "
        "completion condition to not fulfilled."
    )


def test_unknown_elements_are_rejected_and_the_job_stays() -> None:
    """Elements that are no ad-hoc activity: NOT_FOUND; the job is not completed."""
    driver, _ = started()
    result = decide(driver, {"elementId": "nope"})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason == (
        f"Expected to activate activities for ad-hoc sub-process with key '{agent_key(driver)}', "
        "but the given elements [nope] do not exist."
    )
    assert agent_jobs(driver, "COMPLETED") == []


def test_output_collection_is_collected_in_job_worker_mode() -> None:
    """The output collection works the same with a job worker (collected per inner flow and
    propagated on completion)."""
    driver, pi = started(' outputCollection="results" outputElement="= result"')
    decide(driver, {"elementId": "a"})
    finish(driver, "a", {"result": "A"})
    decide(driver, fulfilled=True)
    assert driver.written_variables(pi)["results"] == ["A"]


def test_a_finished_event_subprocess_hands_control_back_to_the_worker() -> None:
    """ "When an event sub-process finishes, it triggers the job worker again": the inner
    event subprocess is subscribed while the ad-hoc subprocess is active."""
    driver, pi = started(inner=event_subprocess(interrupting=False))
    decide(driver)
    assert driver.activate("agent") == []
    assert driver.publish("nudge", "c1").rejection is None
    assert "on-nudge" in driver.completed(pi)
    assert len(driver.activate("agent")) == 1


def test_an_interrupting_event_subprocess_completes_without_the_worker() -> None:
    """ "An interrupting event sub-process ... cancels all active elements and completes the
    ad-hoc sub-process without waiting for the job worker"."""
    driver, pi = started(inner=event_subprocess(interrupting=True))
    decide(driver, {"elementId": "a"})
    driver.publish("nudge", "c1")
    assert ("a", "ELEMENT_TERMINATED") in driver.element_events(pi)
    assert driver.is_completed(pi)
    assert len(agent_jobs(driver, "CREATED")) == 1


def test_canceling_the_instance_cancels_the_job() -> None:
    """Terminating the subprocess cancels its job."""
    driver, pi = started()
    driver.cancel(pi)
    assert len(agent_jobs(driver, "CANCELED")) == 1
    assert driver.engine.state.jobs == {}


def test_failed_job_without_retries_is_an_ad_hoc_incident() -> None:
    """REST incident errorType AD_HOC_SUB_PROCESS_NO_RETRIES (spec 3, incident types)."""
    driver, _ = started()
    job = driver.job("agent")
    driver.fail(int(job["key"]), retries=0, message="model unavailable")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "AD_HOC_SUB_PROCESS_NO_RETRIES"
    assert incident["elementId"] == "agent"


def test_replay_gives_same_state() -> None:
    """Replaying the log rebuilds the same state, including the fulfilled flag."""
    driver, _ = started()
    decide(driver, {"elementId": "a"}, {"elementId": "b"})
    finish(driver, "a")
    decide(driver, fulfilled=True)
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
