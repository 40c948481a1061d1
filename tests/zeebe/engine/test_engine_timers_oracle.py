"""Timers and expression result types checked against Zeebe's own engine tests
(TimerStartEventTest, TimerCatchEventTest, ExpressionProcessor; spec 9.1, 9.2)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def timer_start(cycle: str) -> bytes:
    """A process `process` started by a timer cycle."""
    return bpmn(
        "process",
        '<bpmn:startEvent id="start_1"><bpmn:timerEventDefinition>'
        f"<bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
        '<bpmn:endEvent id="end_1"/>' + chain("start_1", "end_1"),
    )


def timer_catch(definition: str) -> bytes:
    """A process `p` waiting at an intermediate timer catch event `timer`."""
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="timer">'
        f"<bpmn:timerEventDefinition>{definition}</bpmn:timerEventDefinition>"
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>' + chain("s", "timer", "e"),
    )


def incident_message(xml: bytes, variables: dict[str, object] | None = None) -> str:
    """The message of the single incident of a new instance of `p`."""
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("p", variables or {})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    return str(incident["errorMessage"])


def test_timer_start_event_trigger_names_the_created_instance() -> None:
    """TimerStartEventTest.shouldTriggerAndCreateProcessInstance: TIMER CREATED has no instance
    (-1); TIMER TRIGGERED carries the key of the process instance it creates."""
    driver = Driver()
    driver.deploy(timer_start("R1/PT1S"))
    (created,) = driver.events(ValueType.TIMER, "CREATED")
    assert created.value["processInstanceKey"] == -1
    assert created.value["elementInstanceKey"] == -1
    driver.advance(2_000)
    (triggered,) = driver.events(ValueType.TIMER, "TRIGGERED")
    (process,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["bpmnElementType"] == "PROCESS"
    ]
    assert triggered.value["processInstanceKey"] == process.key
    assert triggered.key == created.key
    assert driver.events(ValueType.TIMER, "CREATED") == [created]


def test_duration_of_the_wrong_type_names_the_accepted_types() -> None:
    """TimerCatchEventTest.shouldRaiseIncidentWhenDurationExpressionResultIsNotADuration."""
    message = incident_message(
        timer_catch('<bpmn:timeDuration>=today() + duration("P1D")</bpmn:timeDuration>')
    )
    assert message == (
        "Expected result of the expression 'today() + duration(\"P1D\")' to be one of "
        "'[DURATION, PERIOD, STRING]', but was 'DATE'."
    )


def test_date_of_the_wrong_type_names_the_accepted_types() -> None:
    """ExpressionProcessor.evaluateDateTimeExpression: a time date must be a date-time or a
    string; a duration is not ('DURATION', Zeebe's ResultType name)."""
    message = incident_message(timer_catch("<bpmn:timeDate>= wait</bpmn:timeDate>"), {"wait": None})
    assert message == (
        "Expected result of the expression 'wait' to be one of '[DATE_TIME, STRING]', "
        "but was 'NULL'."
    )
    driver = Driver()
    driver.deploy(timer_catch('<bpmn:timeDate>= duration("PT1M")</bpmn:timeDate>'))
    driver.create("p")
    (incident,) = driver.incidents()
    assert incident["errorMessage"].endswith("but was 'DURATION'.")


def test_cycle_expression_must_be_a_string() -> None:
    """The cycle timer factory evaluates a string expression (ISO repeating interval or cron):
    "Expected result of the expression '...' to be 'STRING', but was '...'."."""
    xml = bpmn(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="task"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="t"/></bpmn:extensionElements></bpmn:serviceTask>'
        '<bpmn:boundaryEvent id="b" attachedToRef="task" cancelActivity="false">'
        "<bpmn:timerEventDefinition><bpmn:timeCycle>= cycleText</bpmn:timeCycle>"
        '</bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:endEvent id="e"/>'
        '<bpmn:endEvent id="e2"/>' + chain("s", "task", "e") + chain("b", "e2"),
    )
    message = incident_message(xml, {"cycleText": 5})
    assert (
        message == "Expected result of the expression 'cycleText' to be 'STRING', but was 'NUMBER'."
    )


@pytest.mark.parametrize(
    ("value", "result_type"),
    [([1], "ARRAY"), ({"a": 1}, "OBJECT"), (True, "BOOLEAN")],
)
def test_messages_print_zeebe_result_type_names(value: object, result_type: str) -> None:
    """io.camunda.zeebe.el.ResultType: lists are 'ARRAY' and contexts 'OBJECT' in incident
    messages (here a correlation key, MessageCorrelationTest / BoundaryEventTest)."""
    xml = bpmn(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
        extra=(
            '<bpmn:message id="m" name="msg"><bpmn:extensionElements>'
            '<zeebe:subscription correlationKey="= key"/></bpmn:extensionElements></bpmn:message>'
        ),
    )
    assert incident_message(xml, {"key": value}) == (
        "Failed to extract the correlation key for 'key': The value must be either a string or "
        f"a number, but was '{result_type}'."
    )
