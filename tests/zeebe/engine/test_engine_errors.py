"""BPMN errors and boundary events (spec 2.6, 4.2, 9.1)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

ERRORS = (
    '<bpmn:error id="declined" errorCode="DECLINED"/><bpmn:error id="other" errorCode="OTHER"/>'
)


def boundary(event_id: str, attached: str, definition: str, interrupting: bool = True) -> str:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{event_id}" attachedToRef="{attached}"{cancel}>'
        f"{definition}</bpmn:boundaryEvent>"
    )


def with_error_boundary(error_ref: str | None = "declined") -> Driver:
    ref = f' errorRef="{error_ref}"' if error_ref else ""
    xml = bpmn(
        "err",
        '<bpmn:startEvent id="s"/>'
        + service_task("pay", "pay")
        + boundary("caught", "pay", f"<bpmn:errorEventDefinition{ref}/>")
        + '<bpmn:endEvent id="ok"/><bpmn:endEvent id="failed"/>'
        + chain("s", "pay", "ok")
        + flow("f_err", "caught", "failed"),
        extra=ERRORS,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    return driver


def test_thrown_error_is_caught_by_matching_boundary_event() -> None:
    """Spec 2.6: the task is terminated first, then the catching boundary event is activated."""
    driver = with_error_boundary()
    pi = driver.create("err")
    job = driver.job("pay")
    assert driver.throw(job["key"], "DECLINED", "card declined").rejection is None
    events = driver.element_events(pi)
    assert events.index(("pay", "ELEMENT_TERMINATED")) < events.index(
        ("caught", "ELEMENT_ACTIVATING")
    )
    assert driver.completed(pi) == ["s", "caught", "failed", "err"]
    assert driver.engine.state.jobs == {}


def test_error_variables_stay_local_to_the_catch_event() -> None:
    """Spec 2.6 [P]: ThrowError variables "instantiate the variables at the local scope of the
    error catch event"; without an output mapping they do not reach the process (Zeebe's
    JobThrowErrorTest.shouldThrowErrorWithVariables)."""
    driver = with_error_boundary()
    pi = driver.create("err")
    driver.throw(driver.job("pay")["key"], "DECLINED", variables={"reason": "limit"})
    (caught,) = [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["elementId"] == "caught"
    ]
    assert driver.written_variables(caught) == {"reason": "limit"}
    assert driver.written_variables(pi) == {}


def test_catch_all_error_boundary_catches_any_code() -> None:
    """Spec 2.6: a catch event without error reference catches all errors."""
    driver = with_error_boundary(error_ref=None)
    pi = driver.create("err")
    driver.throw(driver.job("pay")["key"], "WHATEVER")
    assert "caught" in driver.completed(pi)


def test_uncaught_error_raises_unhandled_error_incident() -> None:
    """Spec 2.6: no matching catch event -> UNHANDLED_ERROR_EVENT with Zeebe's message."""
    driver = with_error_boundary()
    pi = driver.create("err")
    job = driver.job("pay")
    driver.throw(job["key"], "OTHER", "nope")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "UNHANDLED_ERROR_EVENT"
    assert incident["errorMessage"] == (
        "Expected to throw an error event with the code 'OTHER' with message 'nope', but it was "
        "not caught. Available error events are [DECLINED]"
    )
    assert incident["jobKey"] == job["key"]
    assert driver.active(pi) == [("pay", "ELEMENT_ACTIVATED")]


def test_resolving_unhandled_error_incident_reenables_the_job() -> None:
    """Spec 2.6: resolving the incident ignores the error and re-enables the job."""
    driver = with_error_boundary()
    pi = driver.create("err")
    job = driver.job("pay")
    driver.throw(job["key"], "OTHER")
    driver.resolve(driver.incidents()[0]["key"])
    again = driver.job("pay")
    assert again["key"] == job["key"]
    driver.complete(again["key"])
    assert driver.completed(pi)[-2:] == ["ok", "err"]


def test_error_is_caught_by_boundary_of_enclosing_subprocess() -> None:
    """Spec 2.6: the error propagates up the scope hierarchy to the first matching catch."""
    xml = bpmn(
        "nested",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        + service_task("inner", "inner")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "inner", "se")
        + "</bpmn:subProcess>"
        + boundary("caught", "sp", '<bpmn:errorEventDefinition errorRef="declined"/>')
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="handled"/>'
        + chain("s", "sp", "e")
        + flow("f_c", "caught", "handled"),
        extra=ERRORS,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("nested")
    driver.throw(driver.job("inner")["key"], "DECLINED")
    events = driver.element_events(pi)
    assert ("inner", "ELEMENT_TERMINATED") in events and ("sp", "ELEMENT_TERMINATED") in events
    assert driver.completed(pi)[-3:] == ["caught", "handled", "nested"]


def test_error_end_event_is_caught_in_enclosing_scope() -> None:
    """Spec 2.6: an error end event throws when reached; a boundary on the subprocess catches."""
    xml = bpmn(
        "end-error",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        '<bpmn:endEvent id="throw"><bpmn:errorEventDefinition errorRef="declined"/></bpmn:endEvent>'
        + chain("ss", "throw")
        + "</bpmn:subProcess>"
        + boundary("caught", "sp", '<bpmn:errorEventDefinition errorRef="declined"/>')
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="handled"/>'
        + chain("s", "sp", "e")
        + flow("f_c", "caught", "handled"),
        extra=ERRORS,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("end-error")
    assert driver.completed(pi)[-3:] == ["caught", "handled", "end-error"]


def test_uncaught_error_end_event_raises_incident_without_events() -> None:
    """Spec 2.6: with no catch events in scope the message says none are available."""
    xml = bpmn(
        "lonely",
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="throw">'
        '<bpmn:errorEventDefinition errorRef="declined"/></bpmn:endEvent>' + chain("s", "throw"),
        extra=ERRORS,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("lonely")
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Expected to throw an error event with the code 'DECLINED', but it was not caught. "
        "No error events are available in the scope."
    )


def timer_boundary(
    interrupting: bool, definition: str = "<bpmn:timeDuration>PT1M</bpmn:timeDuration>"
) -> Driver:
    xml = bpmn(
        "timeout",
        '<bpmn:startEvent id="s"/>'
        + service_task("wait", "wait")
        + boundary(
            "timer",
            "wait",
            f"<bpmn:timerEventDefinition>{definition}</bpmn:timerEventDefinition>",
            interrupting,
        )
        + '<bpmn:endEvent id="ok"/><bpmn:endEvent id="late"/>'
        + chain("s", "wait", "ok")
        + flow("f_t", "timer", "late"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    return driver


def test_interrupting_timer_boundary_terminates_the_task() -> None:
    """Spec 9.1: when an interrupting timer boundary fires the activity is terminated."""
    driver = timer_boundary(interrupting=True)
    pi = driver.create("timeout")
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == driver.now + 60_000
    assert driver.advance(59_999) == []
    driver.advance(1)
    assert driver.completed(pi) == ["s", "timer", "late", "timeout"]
    assert len(driver.events(ValueType.JOB, "CANCELED")) == 1


def test_completing_the_task_cancels_its_boundary_timer() -> None:
    """Spec 5.5/9.1: subscriptions and timers close when the element is left."""
    driver = timer_boundary(interrupting=True)
    pi = driver.create("timeout")
    driver.complete(driver.job("wait")["key"])
    assert len(driver.events(ValueType.TIMER, "CANCELED")) == 1
    assert driver.advance(120_000) == []
    assert driver.completed(pi)[-1] == "timeout"


def test_non_interrupting_timer_cycle_fires_repeatedly_while_task_waits() -> None:
    """Spec 9.1: a non-interrupting cycle reschedules until its repetitions are used up."""
    driver = timer_boundary(False, "<bpmn:timeCycle>R2/PT10S</bpmn:timeCycle>")
    pi = driver.create("timeout")
    driver.advance(10_000)
    driver.advance(10_000)
    driver.advance(10_000)
    assert driver.completed(pi).count("timer") == 2
    assert driver.active(pi) == [("wait", "ELEMENT_ACTIVATED")]
    driver.complete(driver.job("wait")["key"])
    assert driver.is_completed(pi)
