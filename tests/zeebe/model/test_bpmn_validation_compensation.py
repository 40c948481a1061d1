"""Deploy-time compensation rules (spec 3.3)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection, service

pytestmark = pytest.mark.unit

UNDO = (
    '<bpmn:serviceTask id="undo" isForCompensation="true"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="undo" /></bpmn:extensionElements></bpmn:serviceTask>'
)
COMPENSABLE = (
    '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
    + service("a")
    + '<bpmn:boundaryEvent id="comp" attachedToRef="a"><bpmn:compensateEventDefinition />'
    "</bpmn:boundaryEvent>"
    + UNDO
    + '<bpmn:association id="as" associationDirection="One" sourceRef="comp" targetRef="undo" />'
)


def _throwing(definition: str = "<bpmn:compensateEventDefinition />", extra: str = "") -> str:
    return (
        COMPENSABLE
        + f'<bpmn:intermediateThrowEvent id="throw">{definition}</bpmn:intermediateThrowEvent>'
        + chain("start", "a", "throw", "end")
        + extra
    )


def test_compensation_pattern_is_accepted() -> None:
    """Spec 3.1: boundary + association + `isForCompensation` handler + throw event."""
    process = parse_one(_throwing('<bpmn:compensateEventDefinition activityRef="a" />'))
    assert process.element("comp").compensation_handler == "undo"


def test_compensation_handler_must_not_have_outgoing_flows() -> None:
    """Spec 3.3: a handler "must have no incoming and no outgoing sequence flows"."""
    body = _throwing(extra=chain("undo", "end"))
    assert rejection(body) == only_error(
        "undo", "A compensation handler should have no outgoing sequence flows"
    )


def test_compensation_handler_must_not_have_incoming_flows() -> None:
    """Spec 3.3: a handler "must have no incoming and no outgoing sequence flows"."""
    body = _throwing(extra=chain("start", "undo"))
    detail = rejection(body)
    assert "- Element: undo\n    - ERROR: A compensation handler should have no incoming" in detail


def test_compensation_handler_must_not_have_boundary_events() -> None:
    """Spec 3.3: a handler has "no boundary events"."""
    extra = (
        '<bpmn:boundaryEvent id="onUndo" attachedToRef="undo"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:endEvent id="end2" />' + chain("onUndo", "end2")
    )
    assert rejection(_throwing(extra=extra)) == only_error(
        "undo", "A compensation handler should have no boundary events"
    )


def test_compensation_boundary_must_not_have_outgoing_flows() -> None:
    """Spec 3.3: a compensation boundary event has "no outgoing sequence flow"."""
    assert rejection(_throwing(extra=chain("comp", "end"))) == only_error(
        "comp",
        "Compensation boundary events must have a compensation association and no outgoing "
        "sequence flows",
    )


def test_compensation_boundary_needs_an_associated_handler() -> None:
    """Spec 3.3: "an association is required"."""
    body = _throwing().replace('sourceRef="comp" targetRef="undo"', 'sourceRef="x" targetRef="y"')
    assert rejection(body) == only_error(
        "comp",
        "Compensation boundary events must have a compensation association and no outgoing "
        "sequence flows",
    )


def test_associated_handler_must_be_marked_for_compensation() -> None:
    """Spec 3.1: the handler is "an activity with a compensation marker"."""
    body = _throwing().replace('isForCompensation="true"', "")
    assert rejection(body) == only_error(
        "comp", "The compensation handler 'undo' must be marked with isForCompensation"
    )


def test_wait_for_completion_false_is_rejected() -> None:
    """Spec 3.3: "... waitForCompletion attribute must be true or not present"."""
    body = _throwing('<bpmn:compensateEventDefinition waitForCompletion="false" />')
    assert rejection(body) == only_error(
        "throw",
        "A compensation intermediate throwing event waitForCompletion attribute must be true or "
        "not present",
    )


def test_wait_for_completion_false_on_an_end_event_is_rejected() -> None:
    """Spec 3.3: the same rule for compensation end events."""
    body = (
        COMPENSABLE
        + chain("start", "a", "undoAll")
        + '<bpmn:endEvent id="undoAll"><bpmn:compensateEventDefinition waitForCompletion="false" />'
        + "</bpmn:endEvent>"
    ).replace('<bpmn:endEvent id="end" />', "")
    assert rejection(body) == only_error(
        "undoAll",
        "A compensation end event waitForCompletion attribute must be true or not present",
    )


def test_activity_ref_must_exist() -> None:
    """Spec 3.3: `activityRef` must reference an existing activity."""
    body = _throwing('<bpmn:compensateEventDefinition activityRef="ghost" />')
    assert rejection(body) == only_error(
        "throw", "The referenced compensation activity 'ghost' doesn't exist"
    )


def test_activity_ref_needs_a_compensation_boundary_or_subprocess() -> None:
    """Spec 3.3: the referenced activity "has a compensation boundary event or is a subprocess"."""
    body = _throwing(
        '<bpmn:compensateEventDefinition activityRef="b" />', extra=service("b")
    ).replace(chain("start", "a", "throw", "end"), chain("start", "a", "b", "throw", "end"))
    assert rejection(body) == only_error(
        "throw",
        "The referenced compensation activity 'b' must have either a compensation boundary event "
        "or be a subprocess",
    )


def test_activity_ref_must_be_in_the_same_scope() -> None:
    """Spec 3.1: the referenced activity "must be in the same scope of the compensation throw"."""
    body = (
        COMPENSABLE
        + chain("start", "a", "sub", "end")
        + """<bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />
        <bpmn:intermediateThrowEvent id="throw">
        <bpmn:compensateEventDefinition activityRef="a" /></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="se" />"""
        + chain("ss", "throw", "se")
        + "</bpmn:subProcess>"
    )
    assert rejection(body) == only_error(
        "throw",
        "The referenced compensation activity 'a' must be in the same scope as the compensation "
        "throw event",
    )


def test_activity_ref_from_an_event_subprocess_may_target_the_enclosing_scope() -> None:
    """Spec 3.1: event subprocesses may compensate activities "within the outer scope"."""
    body = (
        COMPENSABLE
        + chain("start", "a", "end")
        + """<bpmn:subProcess id="onError" triggeredByEvent="true">
        <bpmn:startEvent id="es"><bpmn:errorEventDefinition /></bpmn:startEvent>
        <bpmn:endEvent id="undoAll"><bpmn:compensateEventDefinition activityRef="a" />
        </bpmn:endEvent>"""
        + chain("es", "undoAll")
        + "</bpmn:subProcess>"
    )
    process = parse_one(body)
    assert process.element("p").event_sub_processes == ("onError",)


def test_compensation_event_subprocess_is_not_supported() -> None:
    """Spec 3.3: compensation start events / event subprocesses are not supported."""
    body = (
        COMPENSABLE
        + chain("start", "a", "end")
        + """<bpmn:subProcess id="onComp" triggeredByEvent="true">
        <bpmn:startEvent id="cs"><bpmn:compensateEventDefinition /></bpmn:startEvent>
        <bpmn:endEvent id="ce" />"""
        + chain("cs", "ce")
        + "</bpmn:subProcess>"
    )
    assert rejection(body) == only_error(
        "onComp",
        "Start events in event subprocesses must be one of: message, timer, error, signal or "
        "escalation",
    )
