"""Message correlation checked against Zeebe's own engine tests (MessageCorrelationTest,
MessageStartEventTest, MultiInstanceActivityTest; spec 5.5)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def message(message_id: str, name: str, key: str | None = "= key") -> str:
    """A bpmn:message, with a correlation key expression unless it is for a start event."""
    if key is None:
        return f'<bpmn:message id="{message_id}" name="{name}"/>'
    return (
        f'<bpmn:message id="{message_id}" name="{name}"><bpmn:extensionElements>'
        f'<zeebe:subscription correlationKey="{key}"/></bpmn:extensionElements></bpmn:message>'
    )


def catch(catch_id: str, message_id: str) -> str:
    """An intermediate message catch event."""
    return (
        f'<bpmn:intermediateCatchEvent id="{catch_id}"><bpmn:messageEventDefinition '
        f'messageRef="{message_id}"/></bpmn:intermediateCatchEvent>'
    )


def deployed(xml: bytes) -> Driver:
    """A driver with `xml` deployed."""
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def values_of(driver: Driver, name: str) -> list[Any]:
    """JSON values of the VARIABLE events of one name, in log order."""
    return [r.value["value"] for r in driver.events(ValueType.VARIABLE) if r.value["name"] == name]


SINGLE_MESSAGE = bpmn(
    "process",
    '<bpmn:startEvent id="s"/>'
    + catch("receive-message", "m")
    + '<bpmn:endEvent id="e"/>'
    + chain("s", "receive-message", "e"),
    extra=message("m", "message"),
)


def test_correlation_is_handed_over_from_the_message_side_first() -> None:
    """MultiInstanceActivityTest.shouldTriggerInterruptingBoundaryEvent: MESSAGE_SUBSCRIPTION
    CREATED, CORRELATING, CORRELATED; the process side CREATING, CREATED, CORRELATED, DELETING,
    DELETED (the catch event completes)."""
    driver = deployed(SINGLE_MESSAGE)
    driver.create("process", {"key": "order-123"})
    driver.publish("message", "order-123")
    message_side = [r.intent for r in driver.events(ValueType.MESSAGE_SUBSCRIPTION)]
    process_side = [r.intent for r in driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION)]
    assert message_side == ["CREATED", "CORRELATING", "CORRELATED", "DELETED"]
    assert process_side == ["CREATING", "CREATED", "CORRELATED", "DELETING", "DELETED"]
    correlating = driver.events(ValueType.MESSAGE_SUBSCRIPTION, "CORRELATING")[0]
    correlated = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED")[0]
    assert correlating.position < correlated.position
    assert correlating.value["messageKey"] == correlated.value["messageKey"]


def test_only_messages_alive_when_the_subscription_opens_correlate() -> None:
    """MessageCorrelationTest.shouldNotCorrelateMessageAfterTTL: of three messages (TTL 0, 10 s,
    20 s) published while a task runs, only the one still buffered 10 s later correlates."""
    xml = bpmn(
        "wf",
        '<bpmn:startEvent id="s"/>'
        + service_task("task", "test")
        + catch("catch", "m")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "task", "catch", "e"),
        extra=message("m", "a"),
    )
    driver = deployed(xml)
    driver.create("wf", {"key": "key-1"})
    for x, ttl in ((1, 0), (2, 10_000), (3, 20_000)):
        driver.publish("a", "key-1", ttl=ttl, variables={"x": x})
    job = driver.job("test")
    driver.advance(10_000)
    driver.complete(job["key"])
    assert values_of(driver, "x") == ["3"]


def test_message_correlated_to_a_catch_event_does_not_also_start_the_process() -> None:
    """MessageCorrelationTest.shouldNotCorrelateToMessageStartAndIntermediateCatchWithSameProcessId
    (spec 5.5: "correlated only once to a process (based on the BPMN process ID)")."""
    xml = bpmn(
        "process",
        '<bpmn:startEvent id="msgStart"><bpmn:messageEventDefinition messageRef="start"/>'
        '</bpmn:startEvent><bpmn:endEvent id="e0"/>'
        + chain("msgStart", "e0")
        + '<bpmn:startEvent id="s"/>'
        + catch("msgCatch", "m")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "msgCatch", "e"),
        extra=message("m", "message") + message("start", "message", key=None),
    )
    driver = deployed(xml)
    pi = driver.create("process", {"key": "correlationKey"})
    driver.publish("message", "correlationKey", ttl=0)
    assert driver.is_completed(pi)
    assert driver.events(ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CORRELATED") == []
    processes = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["bpmnElementType"] == "PROCESS"
    ]
    assert len(processes) == 1


def test_message_that_started_an_instance_is_not_correlated_to_it_again() -> None:
    """MessageStartEventTest.shouldNotCorrelateSameMessageToCreatedInstance: the instance's catch
    event (same name and key) waits for the second message."""
    xml = bpmn(
        "wf",
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="start"/>'
        "</bpmn:startEvent>"
        + catch("catch", "m")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "catch", "e"),
        extra=message("start", "a", key=None) + message("m", "a"),
    )
    driver = deployed(xml)
    driver.publish("a", "key-1", ttl=60_000, variables={"key": "key-1", "x": 1})
    assert driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED") == []
    second = driver.publish("a", "key-1", ttl=60_000, variables={"x": 2})
    assert second.response is not None
    (correlated,) = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED")
    assert correlated.value["messageKey"] == second.response["key"]
    assert values_of(driver, "x") == ["1", "2"]


def test_buffered_messages_start_instances_in_publish_order_across_start_events() -> None:
    """MessageStartEventTest.shouldCreateNewInstanceForBufferedMessageWithMultipleStartEvents:
    with one instance per correlation key at a time, messages for either start event are taken
    oldest first when the running instance ends (spec 5.5)."""
    xml = bpmn(
        "wf",
        '<bpmn:startEvent id="s1"><bpmn:messageEventDefinition messageRef="a"/></bpmn:startEvent>'
        '<bpmn:startEvent id="s2"><bpmn:messageEventDefinition messageRef="b"/></bpmn:startEvent>'
        + service_task("task", "test")
        + '<bpmn:endEvent id="e"/>'
        + chain("s1", "task", "e")
        + chain("s2", "task"),
        extra=message("a", "a", key=None) + message("b", "b", key=None),
    )
    driver = deployed(xml)
    for name, x in (("a", 1), ("b", 2), ("a", 3), ("b", 4)):
        driver.publish(name, "key-1", ttl=3_600_000, variables={"x": x})
    for _ in range(4):
        driver.complete(driver.job("test")["key"])
    assert values_of(driver, "x") == ["1", "2", "3", "4"]


def test_a_message_name_expression_must_give_a_string() -> None:
    """CatchEventBehavior evaluates a message name expression as a string expression: a number
    is an EXTRACT_VALUE_ERROR incident, not a subscription named '5' (spec 5.5)."""
    xml = bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("c", "m")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "c", "e"),
        extra=(
            '<bpmn:message id="m" name="= name"><bpmn:extensionElements>'
            '<zeebe:subscription correlationKey="= key"/></bpmn:extensionElements></bpmn:message>'
        ),
    )
    driver = deployed(xml)
    driver.create("p", {"name": 5, "key": "k"})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["errorMessage"] == (
        "Expected result of the expression 'name' to be 'STRING', but was 'NUMBER'."
    )
    assert driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION) == []
