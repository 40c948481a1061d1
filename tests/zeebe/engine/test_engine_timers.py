"""Timers (spec 9): intermediate catch, FEEL timer values, timer start events."""

from __future__ import annotations

import pytest
from engine_support import START_TIME, Driver, bpmn, chain, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def timer_catch(definition: str) -> Driver:
    xml = bpmn(
        "sleep",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition>'
        f"{definition}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="e"/>' + chain("s", "t", "e"),
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def test_duration_timer_fires_after_its_duration() -> None:
    """Spec 9.1: the instance waits at the timer; on trigger the event completes."""
    driver = timer_catch("<bpmn:timeDuration>PT10S</bpmn:timeDuration>")
    pi = driver.create("sleep")
    assert driver.engine.next_due_time() == START_TIME + 10_000
    driver.advance(9_999)
    assert not driver.is_completed(pi)
    (fired,) = driver.advance(1)
    assert [r.intent for r in fired.records][:2] == ["TRIGGER", "TRIGGERED"]
    assert driver.is_completed(pi)


def test_date_timer_fires_at_the_date() -> None:
    """Spec 9.2: timeDate is an ISO date-time with zone information."""
    driver = timer_catch("<bpmn:timeDate>2023-11-14T22:13:30Z</bpmn:timeDate>")
    driver.create("sleep")
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == 1_700_000_010_000


def test_feel_duration_expression_is_evaluated() -> None:
    """Spec 9.2: a timer expression may return a duration value."""
    driver = timer_catch("<bpmn:timeDuration>= duration(wait)</bpmn:timeDuration>")
    driver.create("sleep", {"wait": "PT1M"})
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == START_TIME + 60_000


def test_feel_string_result_is_parsed_as_iso() -> None:
    """Spec 9.2: a string result must have the ISO 8601 format of the static value."""
    driver = timer_catch("<bpmn:timeDuration>= wait</bpmn:timeDuration>")
    driver.create("sleep", {"wait": "PT2S"})
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == START_TIME + 2_000


def test_timer_expression_of_wrong_type_raises_incident() -> None:
    """Spec 9.2: a timer expression that does not return the expected type -> incident."""
    driver = timer_catch("<bpmn:timeDuration>= wait</bpmn:timeDuration>")
    pi = driver.create("sleep", {"wait": 5})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert driver.active(pi) == [("t", "ELEMENT_ACTIVATING")]


def test_zero_duration_fires_immediately() -> None:
    """Spec 9.2: zero or negative durations fire at once (on the next tick)."""
    driver = timer_catch("<bpmn:timeDuration>= duration(wait)</bpmn:timeDuration>")
    pi = driver.create("sleep", {"wait": "-PT5S"})
    due = driver.engine.next_due_time()
    assert due is not None and due <= driver.now
    driver.advance(0)
    assert driver.is_completed(pi)


def test_cancel_cancels_the_timer() -> None:
    """Timers of terminated elements are canceled and never fire."""
    driver = timer_catch("<bpmn:timeDuration>PT10S</bpmn:timeDuration>")
    pi = driver.create("sleep")
    driver.cancel(pi)
    assert len(driver.events(ValueType.TIMER, "CANCELED")) == 1
    assert driver.engine.next_due_time() is None
    assert driver.advance(60_000) == []


def timer_start(cycle: str = "R2/PT1M", process_id: str = "tick") -> bytes:
    return bpmn(
        process_id,
        '<bpmn:startEvent id="start"><bpmn:timerEventDefinition>'
        f"<bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
        + service_task("t", "t")
        + '<bpmn:endEvent id="e"/>'
        + chain("start", "t", "e"),
    )


def test_timer_start_event_is_scheduled_at_deployment_and_repeats() -> None:
    """Spec 9.1: deploying schedules the timer; each trigger creates an instance; R2 fires twice."""
    driver = Driver()
    assert driver.deploy(timer_start()).rejection is None
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == START_TIME + 60_000
    driver.advance(60_000)
    driver.advance(60_000)
    driver.advance(60_000)
    assert len(driver.activate("t")) == 2


def test_new_version_cancels_previous_timer_start() -> None:
    """Spec 9.1: scheduled timers of the previous version are canceled on redeploy."""
    driver = Driver()
    driver.deploy(timer_start())
    driver.deploy(timer_start("R1/PT2M"))
    assert len(driver.events(ValueType.TIMER, "CANCELED")) == 1
    driver.advance(120_000)
    (job,) = driver.activate("t")
    assert job["processDefinitionVersion"] == 2
