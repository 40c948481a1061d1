"""Events as the Camunda 8.7/8.8 BPMN documentation pages describe them
(docs.camunda.io components/modeler/bpmn/{signal,escalation,link,terminate,timer}-events).

Each test quotes the documented rule it checks; rules already pinned elsewhere (signal catch and
start, link jump, escalation boundaries, terminate in the process scope) are not repeated.
"""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task, started

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

SIGNAL = '<bpmn:signal id="sig" name="go"/>'
ESCALATION = '<bpmn:escalation id="esc" escalationCode="LATE"/>'


def deployed(*resources: bytes) -> Driver:
    driver = Driver()
    result = driver.deploy(*resources)
    assert result.rejection is None, result.rejection
    return driver


def instances_of(driver: Driver, process_id: str) -> list[int]:
    """Keys of the process instances of `process_id` that were activated, in order."""
    return [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "PROCESS" and r.value["bpmnProcessId"] == process_id
    ]


def signal_catcher() -> bytes:
    return bpmn(
        "catcher",
        '<bpmn:startEvent id="cs"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>'
        '<bpmn:endEvent id="ce"/>' + chain("cs", "ce"),
        extra=SIGNAL,
    )


INPUT_B = (
    '<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=a" target="b"/>'
    "</zeebe:ioMapping></bpmn:extensionElements>"
)


def test_signal_intermediate_throw_sends_its_input_mappings_as_variables() -> None:
    """signal-events, "Variable mappings": the variables of a thrown signal are the throw
    event's input mappings (Zeebe broadcasts the event's local variables), not the instance's."""
    thrower = bpmn(
        "thrower",
        f'<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="throw">{INPUT_B}'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateThrowEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "throw", "e"),
        extra=SIGNAL,
    )
    driver = deployed(thrower, signal_catcher())
    assert driver.is_completed(driver.create("thrower", {"a": 1, "other": 2}))
    [caught] = instances_of(driver, "catcher")
    assert driver.written_variables(caught) == {"b": 1}
    [signal] = driver.events(ValueType.SIGNAL, "BROADCASTED")
    assert signal.value["variables"] == {"b": 1}


def test_signal_end_event_sends_its_input_mappings_as_variables() -> None:
    """signal-events, "Signal end events" + "Variable mappings": the end event broadcasts too,
    with its input mappings as the signal's variables."""
    thrower = bpmn(
        "thrower",
        f'<bpmn:startEvent id="s"/><bpmn:endEvent id="e">{INPUT_B}'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:endEvent>' + chain("s", "e"),
        extra=SIGNAL,
    )
    driver = deployed(thrower, signal_catcher())
    assert driver.is_completed(driver.create("thrower", {"a": "x"}))
    [caught] = instances_of(driver, "catcher")
    assert driver.written_variables(caught) == {"b": "x"}


def test_signal_throw_without_mappings_sends_no_variables() -> None:
    """signal-events: without input mappings the signal carries no variables, so the
    instance's own variables do not leak into the instances the signal starts."""
    thrower = bpmn(
        "thrower",
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="throw">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateThrowEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "throw", "e"),
        extra=SIGNAL,
    )
    driver = deployed(thrower, signal_catcher())
    driver.create("thrower", {"secret": 1})
    [caught] = instances_of(driver, "catcher")
    assert driver.written_variables(caught) == {}


def call_escalating_child(interrupting: bool) -> Driver:
    cancel = str(interrupting).lower()
    child = bpmn(
        "child",
        '<bpmn:startEvent id="cs"/><bpmn:intermediateThrowEvent id="t">'
        '<bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:intermediateThrowEvent>'
        + service_task("after_throw", "child-work")
        + '<bpmn:endEvent id="ce"/>'
        + chain("cs", "t", "after_throw", "ce"),
        extra=ESCALATION,
    )
    parent = bpmn(
        "parent",
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="ca"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>'
        f'<bpmn:boundaryEvent id="b" attachedToRef="ca" cancelActivity="{cancel}">'
        '<bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="eb"/>'
        + chain("s", "ca", "e")
        + flow("fb", "b", "eb"),
        extra=ESCALATION,
    )
    return deployed(child, parent)


def test_escalation_from_a_called_process_is_caught_at_the_call_activity() -> None:
    """escalation-events, "Catching the escalation": caught in the nearest parent flow scope,
    also across a call activity; non-interrupting: the thrower goes on in the child."""
    driver = call_escalating_child(interrupting=False)
    parent = driver.create("parent")
    assert ("eb", "ELEMENT_COMPLETED") in driver.element_events(parent)
    driver.complete(driver.job("child-work")["key"])
    assert driver.is_completed(parent)
    assert driver.events(ValueType.ESCALATION, "ESCALATED")


def test_interrupting_escalation_at_a_call_activity_terminates_the_child() -> None:
    """escalation-events + call-activities "Boundary events": an interrupting catch at the call
    activity terminates it and the called instance; the boundary's flow is taken."""
    driver = call_escalating_child(interrupting=True)
    parent = driver.create("parent")
    assert driver.is_completed(parent)
    assert driver.activate("child-work") == []
    [child] = instances_of(driver, "child")
    assert ("child", "ELEMENT_TERMINATED") in driver.element_events(child)


def escalation_in_subprocess(boundaries: str, escalations: str) -> Driver:
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        '<bpmn:intermediateThrowEvent id="t"><bpmn:escalationEventDefinition escalationRef="esc"/>'
        '</bpmn:intermediateThrowEvent><bpmn:endEvent id="se"/>'
        + chain("ss", "t", "se")
        + "</bpmn:subProcess>"
        + boundaries
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "sub", "e")
    )
    return deployed(bpmn("p", body, extra=escalations))


def test_escalation_code_expression_is_evaluated_when_the_event_is_reached() -> None:
    """escalation-events, "Defining an escalation": a throw event's escalationCode may be an
    expression, evaluated when the event is reached and used to throw the escalation."""
    boundary = (
        '<bpmn:boundaryEvent id="b" attachedToRef="sub" cancelActivity="false">'
        '<bpmn:escalationEventDefinition escalationRef="static"/></bpmn:boundaryEvent>'
        + '<bpmn:endEvent id="e_code"/>'
        + flow("fb", "b", "e_code")
    )
    escalations = (
        '<bpmn:escalation id="esc" name="thrown" escalationCode="=code"/>'
        '<bpmn:escalation id="static" name="caught" escalationCode="X1"/>'
    )
    driver = escalation_in_subprocess(boundary, escalations)
    pi = driver.create("p", {"code": "X1"})
    assert "e_code" in driver.completed(pi)
    [escalated] = driver.events(ValueType.ESCALATION, "ESCALATED")
    assert escalated.value["escalationCode"] == "X1"


def test_catch_event_with_the_code_wins_over_a_catch_all_in_the_same_scope() -> None:
    """escalation-events, "Catching the escalation": an escalation is caught by one catch event
    at most; a scope may hold a catch-all next to one with the code, and the one with the
    matching code catches it."""
    boundaries = (
        '<bpmn:boundaryEvent id="all" attachedToRef="sub" cancelActivity="false">'
        "<bpmn:escalationEventDefinition/></bpmn:boundaryEvent>"
        '<bpmn:boundaryEvent id="code" attachedToRef="sub" cancelActivity="false">'
        '<bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:boundaryEvent>'
        + '<bpmn:endEvent id="e_all"/><bpmn:endEvent id="e_code"/>'
        + flow("f_all", "all", "e_all")
        + flow("f_code", "code", "e_code")
    )
    driver = escalation_in_subprocess(boundaries, ESCALATION)
    completed = driver.completed(driver.create("p"))
    assert "e_code" in completed and "e_all" not in completed


def test_catch_all_escalation_catches_any_code() -> None:
    """escalation-events: "an escalation catch event may omit the escalation reference all
    together. In this case it catches all thrown escalations"."""
    boundary = (
        '<bpmn:boundaryEvent id="all" attachedToRef="sub" cancelActivity="false">'
        '<bpmn:escalationEventDefinition/></bpmn:boundaryEvent><bpmn:endEvent id="e_all"/>'
        + flow("f_all", "all", "e_all")
    )
    driver = escalation_in_subprocess(boundary, ESCALATION)
    assert "e_all" in driver.completed(driver.create("p"))


def test_link_events_many_throws_jump_to_one_catch() -> None:
    """link-events: a link throw event jumps to the catch event with the same link name; several
    throw events may target the same catch event."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        '<bpmn:intermediateThrowEvent id="t1"><bpmn:linkEventDefinition name="A"/>'
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:intermediateThrowEvent id="t2"><bpmn:linkEventDefinition name="A"/>'
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:intermediateCatchEvent id="c"><bpmn:linkEventDefinition name="A"/>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>'
        + chain("s", "fork")
        + flow("f1", "fork", "t1")
        + flow("f2", "fork", "t2")
        + chain("c", "e")
    )
    driver, pi = started(bpmn("p", body), "p")
    assert driver.is_completed(pi)
    assert driver.completed(pi).count("c") == 2


def test_terminate_end_event_in_a_subprocess_completes_the_subprocess() -> None:
    """terminate-events: inside a subprocess, the terminate end event terminates the element
    instances of the subprocess; the subprocess completes and takes its outgoing flow."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        '<bpmn:parallelGateway id="fork"/>'
        + service_task("t", "work")
        + '<bpmn:endEvent id="te"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + chain("ss", "fork")
        + flow("a", "fork", "t")
        + flow("b", "fork", "te")
        + '<bpmn:endEvent id="te2"/>'
        + chain("t", "te2")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sub", "e")
    )
    driver, pi = started(bpmn("p", body), "p")
    events = driver.element_events(pi)
    assert ("t", "ELEMENT_TERMINATED") in events
    assert ("sub", "ELEMENT_COMPLETED") in events and ("e", "ELEMENT_COMPLETED") in events
    assert driver.is_completed(pi)


def test_terminate_end_event_in_a_multi_instance_subprocess_ends_only_its_instance() -> None:
    """terminate-events: inside a multi-instance subprocess only the current instance is
    terminated; the other instances go on."""
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="x"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>"
    )
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:subProcess id="sub">{loop}<bpmn:startEvent id="ss"/>'
        '<bpmn:exclusiveGateway id="g" default="d"/>'
        + service_task("t", "work")
        + '<bpmn:endEvent id="te"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + '<bpmn:endEvent id="ne"/>'
        + chain("ss", "g")
        + flow("c1", "g", "te", "=x = 1")
        + flow("d", "g", "t")
        + chain("t", "ne")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sub", "e")
    )
    driver, pi = started(bpmn("p", body), "p")
    assert not driver.is_completed(pi)
    driver.complete(driver.job("work")["key"])
    assert driver.is_completed(pi)


def test_terminate_end_event_in_a_called_process_completes_the_call_activity() -> None:
    """terminate-events: on the process level the instance completes; a calling call activity
    is completed and the parent goes on (call-activities: the called instance completed)."""
    child = bpmn(
        "child",
        '<bpmn:startEvent id="cs"/><bpmn:endEvent id="ce"><bpmn:terminateEventDefinition/>'
        "</bpmn:endEvent>" + chain("cs", "ce"),
    )
    parent = bpmn(
        "parent",
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="ca"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>'
        '<bpmn:endEvent id="e"/>' + chain("s", "ca", "e"),
    )
    driver = deployed(child, parent)
    pi = driver.create("parent")
    assert ("ca", "ELEMENT_COMPLETED") in driver.element_events(pi)
    assert driver.is_completed(pi)


def test_terminate_end_event_in_an_event_subprocess_ends_only_the_event_subprocess() -> None:
    """terminate-events: it terminates the element instances of its own flow scope; in a
    non-interrupting event subprocess that scope is the event subprocess, so the process's
    other paths stay active."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "work")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
        + '<bpmn:subProcess id="es" triggeredByEvent="true">'
        '<bpmn:startEvent id="ms" isInterrupting="false">'
        '<bpmn:messageEventDefinition messageRef="msg"/></bpmn:startEvent>'
        '<bpmn:endEvent id="te"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + chain("ms", "te")
        + "</bpmn:subProcess>"
    )
    message = (
        '<bpmn:message id="msg" name="go"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=k"/></bpmn:extensionElements></bpmn:message>'
    )
    driver, pi = started(bpmn("p", body, extra=message), "p", {"k": "1"})
    driver.publish("go", "1")
    assert ("es", "ELEMENT_COMPLETED") in driver.element_events(pi)
    assert not driver.is_completed(pi)
    driver.complete(driver.job("work")["key"])
    assert driver.is_completed(pi)


def timer_start(definition: str) -> Driver:
    return deployed(
        bpmn(
            "timed",
            f'<bpmn:startEvent id="s"><bpmn:timerEventDefinition>{definition}'
            '</bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="e"/>'
            + chain("s", "e"),
        )
    )


def test_timer_start_event_with_a_date_creates_one_instance() -> None:
    """timer-events, "Timer start events": with a time date, one process instance is created
    at that date (and no more afterwards)."""
    driver = timer_start("<bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate>")
    driver.advance(10**12)
    driver.advance(10**12)
    assert len(instances_of(driver, "timed")) == 1


def test_timer_start_event_with_a_cycle_creates_one_instance_per_repetition() -> None:
    """timer-events: a time cycle `R2/PT1M` creates an instance every minute, twice."""
    driver = timer_start("<bpmn:timeCycle>R2/PT1M</bpmn:timeCycle>")
    for _ in range(5):
        driver.advance(60_000)
    assert len(instances_of(driver, "timed")) == 2


def test_timer_start_event_with_a_cron_expression_fires_on_schedule() -> None:
    """timer-events, "Time cycle": a cycle may be a cron expression (`0 0 * * * *`: hourly)."""
    driver = timer_start("<bpmn:timeCycle>0 0 * * * *</bpmn:timeCycle>")
    driver.advance(3_600_000)
    driver.advance(3_600_000)
    assert len(instances_of(driver, "timed")) == 2


HANDLER_KINDS = {
    "receive task": '<bpmn:receiveTask id="undo" isForCompensation="true" messageRef="msg"/>',
    "business rule task": (
        '<bpmn:businessRuleTask id="undo" isForCompensation="true"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="undo"/></bpmn:extensionElements></bpmn:businessRuleTask>'
    ),
}


def _finish_handler(driver: Driver, kind: str) -> None:
    if kind == "receive task":
        driver.publish("m", "x")
    else:
        driver.complete(driver.job("undo")["key"])


@pytest.mark.parametrize("kind", HANDLER_KINDS.keys())
def test_receive_and_business_rule_tasks_are_compensation_handlers(kind: str) -> None:
    """compensation-handler (spec 3.1): "The following activities can be marked as compensation:
    ... Receive tasks, Business rule tasks, ..." — they deploy and run as handlers; the throw
    event waits for them. (Zeebe's CompensationTaskValidator rejects both: the spec wins.)"""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "work")
        + '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:compensateEventDefinition/>'
        "</bpmn:boundaryEvent>"
        + HANDLER_KINDS[kind]
        + '<bpmn:association id="a" associationDirection="One" sourceRef="b" targetRef="undo"/>'
        '<bpmn:intermediateThrowEvent id="c"><bpmn:compensateEventDefinition/>'
        '</bpmn:intermediateThrowEvent><bpmn:endEvent id="e"/>' + chain("s", "t", "c", "e")
    )
    message = (
        '<bpmn:message id="msg" name="m"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=k"/></bpmn:extensionElements></bpmn:message>'
    )
    driver, key = started(bpmn("p", body, extra=message), "p", {"k": "x"})
    driver.complete(driver.job("work")["key"])
    assert ("undo", "ELEMENT_ACTIVATED") in driver.active(key)
    _finish_handler(driver, kind)
    assert driver.is_completed(key)
