"""Signal, link and escalation events (spec 2.6, 4.1, 4.2, 5.5 "Signals")."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

SIGNAL = '<bpmn:signal id="sig" name="shutdown"/>'
BOUNDARY = (
    '<bpmn:boundaryEvent id="b" attachedToRef="t">'
    '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:boundaryEvent>'
)


def deployed(*resources: bytes) -> Driver:
    driver = Driver()
    result = driver.deploy(*resources)
    assert result.rejection is None, result.rejection
    return driver


def broadcast(
    driver: Driver, name: str = "shutdown", variables: dict[str, object] | None = None
) -> None:
    value = {"signalName": name, "variables": variables or {}}
    assert driver.send(ValueType.SIGNAL, "BROADCAST", value).rejection is None


def test_signal_catch_event_fires_on_broadcast_with_variables() -> None:
    """Spec 5.5: a broadcast triggers every active signal catch subscription with the name."""
    xml = bpmn(
        "wait",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
        extra=SIGNAL,
    )
    driver = deployed(xml)
    first, second = driver.create("wait"), driver.create("wait")
    broadcast(driver, variables={"why": "maintenance"})
    assert driver.is_completed(first) and driver.is_completed(second)
    assert driver.written_variables(first)["why"] == "maintenance"
    assert driver.engine.state.signal_subscriptions == {}


def test_signal_with_other_name_does_not_fire() -> None:
    """Only subscriptions with the broadcast signal name are triggered."""
    xml = bpmn(
        "wait",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
        extra=SIGNAL,
    )
    driver = deployed(xml)
    pi = driver.create("wait")
    broadcast(driver, "other")
    assert not driver.is_completed(pi)


def test_signal_start_event_creates_an_instance() -> None:
    """Spec 4.1: a signal start event creates an instance per broadcast."""
    xml = bpmn(
        "started",
        '<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>'
        + service_task("t", "t")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
        extra=SIGNAL,
    )
    driver = deployed(xml)
    broadcast(driver, variables={"n": 1})
    (job,) = driver.activate("t")
    assert job["variables"] == {"n": 1}


def test_interrupting_signal_boundary_terminates_the_task() -> None:
    """Spec 4.1: signal boundary events are supported (interrupting)."""
    xml = bpmn(
        "bound",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "t")
        + BOUNDARY
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="be"/>'
        + chain("s", "t", "e")
        + flow("fb", "b", "be"),
        extra=SIGNAL,
    )
    driver = deployed(xml)
    pi = driver.create("bound")
    broadcast(driver)
    assert driver.completed(pi) == ["s", "b", "be", "bound"]


def test_signal_end_event_broadcasts_to_other_instances() -> None:
    """Spec 4.1: a signal throw/end event broadcasts the signal."""
    catcher = bpmn(
        "catcher",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
        extra=SIGNAL,
    )
    thrower = bpmn(
        "thrower",
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:endEvent>' + chain("s", "e"),
        extra=SIGNAL,
    )
    driver = deployed(catcher, thrower)
    waiting = driver.create("catcher")
    driver.create("thrower")
    assert driver.is_completed(waiting)


def test_link_throw_continues_at_the_matching_link_catch() -> None:
    """Spec 4.2: link events behave like two none events connected by a sequence flow."""
    xml = bpmn(
        "link",
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="go">'
        '<bpmn:linkEventDefinition name="jump"/></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="jump"/>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>'
        + chain("s", "go")
        + chain("land", "e"),
    )
    driver = deployed(xml)
    pi = driver.create("link")
    assert driver.completed(pi) == ["s", "go", "land", "e", "link"]


ESCALATION = '<bpmn:escalation id="esc_late" escalationCode="LATE"/>'


def escalating_subprocess(interrupting: bool) -> Driver:
    cancel = "" if interrupting else ' cancelActivity="false"'
    xml = bpmn(
        "esc",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        '<bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition '
        'escalationRef="esc_late"/></bpmn:intermediateThrowEvent>'
        + service_task("inner", "inner")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "raise", "inner", "se")
        + "</bpmn:subProcess>"
        f'<bpmn:boundaryEvent id="caught" attachedToRef="sp"{cancel}>'
        '<bpmn:escalationEventDefinition escalationRef="esc_late"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="ce"/>'
        + chain("s", "sp", "e")
        + flow("fc", "caught", "ce"),
        extra=ESCALATION,
    )
    return deployed(xml)


def test_non_interrupting_escalation_boundary_lets_the_thrower_continue() -> None:
    """Spec 2.6 (escalations): the nearest catch event catches; non-interrupting keeps going."""
    driver = escalating_subprocess(interrupting=False)
    pi = driver.create("esc")
    assert "ce" in driver.completed(pi)
    driver.complete(driver.job("inner")["key"])
    assert driver.is_completed(pi)
    assert len(driver.events(ValueType.ESCALATION, "ESCALATED")) == 1


def test_interrupting_escalation_boundary_terminates_the_subprocess() -> None:
    """An interrupting escalation boundary event terminates the subprocess."""
    driver = escalating_subprocess(interrupting=True)
    pi = driver.create("esc")
    assert driver.completed(pi)[-3:] == ["caught", "ce", "esc"]
    assert driver.activate("inner") == []


def test_uncaught_escalation_raises_no_incident() -> None:
    """Spec 2.6: unlike errors, an uncaught escalation raises no incident."""
    xml = bpmn(
        "loose",
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="raise"><bpmn:escalationEventDefinition '
        'escalationRef="esc_late"/></bpmn:endEvent>' + chain("s", "raise"),
        extra=ESCALATION,
    )
    driver = deployed(xml)
    pi = driver.create("loose")
    assert driver.is_completed(pi) and driver.incidents() == []
    assert len(driver.events(ValueType.ESCALATION, "NOT_ESCALATED")) == 1
