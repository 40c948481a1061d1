"""Parsing events and their definitions (spec sections 4.1, 6, 9)."""

from __future__ import annotations

import pytest
from bpmn_snippets import parse_one

from zeebe.model.elements import ElementType, EventDefinition, EventType, Expression, TimerKind

pytestmark = pytest.mark.unit

ROOTS = """
<bpmn:message id="m1" name="go"><bpmn:extensionElements>
  <zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
<bpmn:error id="e1" errorCode="PAYMENT_DECLINED" />
<bpmn:error id="e2" errorCode="=code" />
<bpmn:signal id="s1" name="cancel-all" />
<bpmn:escalation id="x1" escalationCode="LATE" />
"""


def _event(tag: str, definition: str, extra: str = "") -> EventDefinition | None:
    body = f"""
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ev" />
    <bpmn:{tag} id="ev" {extra}>{definition}</bpmn:{tag}>
    <bpmn:sequenceFlow id="f2" sourceRef="ev" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    if tag == "endEvent":
        body = """<bpmn:startEvent id="start" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ev" />""" + (
            f"<bpmn:endEvent id='ev'>{definition}</bpmn:endEvent>"
        )
    return parse_one(body, roots=ROOTS).element("ev").event_definition


def test_none_start_event_is_indexed_on_the_process() -> None:
    """Spec Appendix B: CreateProcessInstance starts at the none start event."""
    process = parse_one(
        """<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
        <bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>"""
    )
    start = process.element("start")
    assert start.element_type == ElementType.START_EVENT
    assert start.event_type == EventType.NONE
    assert start.event_definition is None
    assert process.none_start_event == "start"
    root = process.element("p")
    assert root.element_type == ElementType.PROCESS
    assert root.flow_scope is None
    assert root.children == ("start", "end")
    assert root.start_events == ("start",)
    assert process.flows["f1"].source == "start"
    assert process.flows["f1"].target == "end"


def test_message_timer_and_signal_start_events_are_indexed_by_kind() -> None:
    """Spec 4.1: top-level start events may be none, message, timer or signal."""
    process = parse_one(
        """<bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m1" />
        </bpmn:startEvent>
        <bpmn:startEvent id="byTimer"><bpmn:timerEventDefinition>
          <bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
        <bpmn:startEvent id="bySignal"><bpmn:signalEventDefinition signalRef="s1" />
        </bpmn:startEvent>
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="byMessage" targetRef="end" />
        <bpmn:sequenceFlow id="f2" sourceRef="byTimer" targetRef="end" />
        <bpmn:sequenceFlow id="f3" sourceRef="bySignal" targetRef="end" />""",
        roots=ROOTS.replace('<zeebe:subscription correlationKey="=orderId" />', ""),
    )
    assert process.none_start_event is None
    assert process.message_start_events == ("byMessage",)
    assert process.timer_start_events == ("byTimer",)
    assert process.signal_start_events == ("bySignal",)
    assert process.element("end").incoming == ("f1", "f2", "f3")


def test_message_catch_event_resolves_message_name_and_correlation_key() -> None:
    """Spec 5.5: subscriptions contain the message name and the correlation key."""
    definition = _event("intermediateCatchEvent", '<bpmn:messageEventDefinition messageRef="m1" />')
    assert definition is not None
    assert definition.kind == EventType.MESSAGE
    assert definition.message is not None
    assert definition.message.name == Expression("go", False)
    assert definition.message.correlation_key == Expression("orderId", True)


@pytest.mark.parametrize(
    ("child", "kind", "value"),
    [
        ("timeDuration", TimerKind.DURATION, "PT15S"),
        ("timeDate", TimerKind.DATE, "2019-10-01T12:00:00Z"),
    ],
)
def test_timer_catch_event_reads_kind_and_value(child: str, kind: TimerKind, value: str) -> None:
    """Spec 9.2: timers are defined by a date, a duration or a cycle."""
    definition = _event(
        "intermediateCatchEvent",
        f"<bpmn:timerEventDefinition><bpmn:{child}>{value}</bpmn:{child}>"
        "</bpmn:timerEventDefinition>",
    )
    assert definition == EventDefinition(
        kind=EventType.TIMER, timer_kind=kind, timer=Expression(value, False)
    )


def test_timer_value_may_be_an_expression() -> None:
    """Spec 9.2: a timer value is static (`P3D`) or an expression (`= remainingTime`)."""
    definition = _event(
        "intermediateCatchEvent",
        "<bpmn:timerEventDefinition><bpmn:timeDuration>= remainingTime</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>",
    )
    assert definition is not None
    assert definition.timer == Expression(" remainingTime", True)


def test_signal_throw_event_resolves_the_signal_name() -> None:
    """Spec 6: `bpmn:signal@name` names the broadcast signal."""
    definition = _event("intermediateThrowEvent", '<bpmn:signalEventDefinition signalRef="s1" />')
    assert definition == EventDefinition(
        kind=EventType.SIGNAL, signal_name=Expression("cancel-all", False)
    )


def test_escalation_throw_event_resolves_the_escalation_code() -> None:
    """Spec 6: `bpmn:escalation@escalationCode`."""
    definition = _event(
        "intermediateThrowEvent", '<bpmn:escalationEventDefinition escalationRef="x1" />'
    )
    assert definition == EventDefinition(
        kind=EventType.ESCALATION, escalation_code=Expression("LATE", False)
    )


def test_error_end_event_code_may_be_an_expression() -> None:
    """Spec 2.6: error end event errorCode is static or `=expression`."""
    definition = _event("endEvent", '<bpmn:errorEventDefinition errorRef="e2" />')
    assert definition == EventDefinition(kind=EventType.ERROR, error_code=Expression("code", True))


def test_terminate_end_event() -> None:
    """Spec 4.1: terminate end events are supported."""
    definition = _event("endEvent", "<bpmn:terminateEventDefinition />")
    assert definition == EventDefinition(kind=EventType.TERMINATE)


def test_compensation_throw_event_reads_activity_ref_and_wait_flag() -> None:
    """Spec 3.1: `compensateEventDefinition activityRef` selects the activity to compensate."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:task id="a" />
    <bpmn:boundaryEvent id="comp" attachedToRef="a"><bpmn:compensateEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:task id="undo" isForCompensation="true" />
    <bpmn:association id="as1" associationDirection="One" sourceRef="comp" targetRef="undo" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="throw" />
    <bpmn:intermediateThrowEvent id="throw">
      <bpmn:compensateEventDefinition activityRef="a" waitForCompletion="true" />
    </bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="throw" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    process = parse_one(body)
    assert process.element("throw").event_definition == EventDefinition(
        kind=EventType.COMPENSATION, activity_ref="a", wait_for_completion=True
    )
    boundary = process.element("comp")
    assert boundary.event_type == EventType.COMPENSATION
    assert boundary.attached_to == "a"
    assert boundary.compensation_handler == "undo"
    assert process.element("a").boundary_events == ("comp",)
    assert process.element("undo").is_for_compensation


def test_error_boundary_event_is_attached_and_catches_its_code() -> None:
    """Spec 6: `boundaryEvent@attachedToRef`, `cancelActivity` defaults to true."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:serviceTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type="w" />
    </bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="caught" attachedToRef="a">
      <bpmn:errorEventDefinition errorRef="e1" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="any" attachedToRef="a"><bpmn:errorEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="any" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    process = parse_one(body, roots=ROOTS)
    caught = process.element("caught")
    assert caught.element_type == ElementType.BOUNDARY_EVENT
    assert caught.cancel_activity
    assert caught.event_definition == EventDefinition(
        kind=EventType.ERROR, error_code=Expression("PAYMENT_DECLINED", False)
    )
    catch_all = process.element("any").event_definition
    assert catch_all == EventDefinition(kind=EventType.ERROR, error_code=None)
    assert process.element("a").boundary_events == ("caught", "any")
    assert process.errors == {"e1": "PAYMENT_DECLINED", "e2": "=code"}


def test_non_interrupting_timer_boundary_event() -> None:
    """Spec 9.1: `<bpmn:boundaryEvent cancelActivity="false" attachedToRef="...">`."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:task id="a" />
    <bpmn:boundaryEvent id="remind" attachedToRef="a" cancelActivity="false">
      <bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>
      </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="end2" />
    <bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />"""
    remind = parse_one(body).element("remind")
    assert not remind.cancel_activity
    assert remind.event_definition == EventDefinition(
        kind=EventType.TIMER, timer_kind=TimerKind.CYCLE, timer=Expression("R3/PT1H", False)
    )


def test_link_events_read_their_names() -> None:
    """Spec 4.2: link throw/catch pairs are matched by link name."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="jump" />
    <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="L" />
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="land" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    process = parse_one(body)
    assert process.element("jump").event_definition == EventDefinition(
        kind=EventType.LINK, link_name="L"
    )
    assert process.element("land").event_type == EventType.LINK


def test_message_end_event_with_task_definition_is_job_based() -> None:
    """Spec 4.2: message end events "behave exactly like service tasks"."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="notify" />
    <bpmn:endEvent id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="notify" />
    </bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m1" /></bpmn:endEvent>"""
    notify = parse_one(body, roots=ROOTS).element("notify")
    assert notify.event_type == EventType.MESSAGE
    assert notify.task_definition is not None
    assert notify.task_definition.type == Expression("notify", False)


def test_an_annotation_on_a_compensation_boundary_is_not_its_handler() -> None:
    """Spec 3.1: only the association to the handler activity names the handler."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:task id="a" /><bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="end" />
    <bpmn:endEvent id="end" />
    <bpmn:boundaryEvent id="comp" attachedToRef="a"><bpmn:compensateEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:textAnnotation id="note"><bpmn:text>why</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="as0" sourceRef="comp" targetRef="note" />
    <bpmn:task id="undo" isForCompensation="true" />
    <bpmn:association id="as1" associationDirection="One" sourceRef="comp" targetRef="undo" />"""
    assert parse_one(body).element("comp").compensation_handler == "undo"
