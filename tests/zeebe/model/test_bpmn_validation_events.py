"""Deploy-time rules on events: boundary events, messages, timers, errors, links (spec 2.6,
4.1, 4.2, 5.5, 9)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, entry, only_error, parse_one, rejection, service

pytestmark = pytest.mark.unit

ROOTS = """
<bpmn:message id="m" name="paid"><bpmn:extensionElements>
  <zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
<bpmn:message id="m2" name="paid" />
<bpmn:message id="noKey" name="go" />
<bpmn:message id="noName" />
<bpmn:error id="e1" errorCode="DECLINED" />
<bpmn:error id="e1b" errorCode="DECLINED" />
<bpmn:error id="noCode" />
"""
MAIN = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + service("a")
MAIN += chain("start", "a", "end") + '<bpmn:endEvent id="end2" />'


def _boundary(definition: str, attrs: str = "", flows: bool = True) -> str:
    body = f'<bpmn:boundaryEvent id="b" attachedToRef="a" {attrs}>{definition}</bpmn:boundaryEvent>'
    return MAIN + body + (chain("b", "end2") if flows else "")


ERROR_DEF = '<bpmn:errorEventDefinition errorRef="e1" />'


def test_error_boundary_event_is_accepted() -> None:
    """Spec 4.2: error boundary events are supported."""
    process = parse_one(_boundary(ERROR_DEF), roots=ROOTS)
    assert process.element("a").boundary_events == ("b",)


def test_boundary_event_without_definition_is_rejected() -> None:
    """Spec 4.2: boundary events have "exactly one event definition"."""
    assert rejection(_boundary("")) == only_error("b", "Must have exactly one event definition")


def test_boundary_event_with_two_definitions_is_rejected() -> None:
    """Spec 4.2: boundary events have "exactly one event definition"."""
    body = _boundary(ERROR_DEF + '<bpmn:signalEventDefinition signalRef="s" />')
    assert rejection(body, roots=ROOTS + '<bpmn:signal id="s" name="x" />') == only_error(
        "b", "Must have exactly one event definition"
    )


def test_boundary_event_needs_an_outgoing_flow() -> None:
    """Spec 4.2: at least one outgoing flow (except compensation)."""
    assert rejection(_boundary(ERROR_DEF, flows=False), roots=ROOTS) == only_error(
        "b", "Must have at least one outgoing sequence flow or association"
    )


def test_boundary_event_must_not_have_incoming_flows() -> None:
    """Spec 4.2: boundary events have no incoming flows."""
    body = _boundary(ERROR_DEF) + chain("start", "b")
    assert rejection(body, roots=ROOTS) == only_error("b", "Cannot have incoming sequence flows")


def test_boundary_event_must_be_attached_to_an_activity() -> None:
    """Spec 6: `boundaryEvent@attachedToRef` names the activity."""
    body = _boundary(ERROR_DEF).replace('attachedToRef="a"', 'attachedToRef="start"')
    assert rejection(body, roots=ROOTS) == only_error("b", "Must be attached to an activity")


def test_error_boundary_event_must_be_interrupting() -> None:
    """Spec 2.6: "Error boundary events ... must be interrupting"."""
    body = _boundary(ERROR_DEF, attrs='cancelActivity="false"')
    assert rejection(body, roots=ROOTS) == only_error(
        "b", "Non-Interrupting event of this type is not allowed"
    )


CYCLE_TIMER = (
    "<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>"
)


def test_interrupting_timer_boundary_with_cycle_is_rejected() -> None:
    """Spec 9.1: an interrupting timer boundary "must have a time duration, or a time date"."""
    timer = CYCLE_TIMER
    assert rejection(_boundary(timer)) == only_error(
        "b", "Interrupting timer event with time cycle is not allowed."
    )


def test_non_interrupting_timer_boundary_with_cycle_is_accepted() -> None:
    """Spec 9.1: non-interrupting timer boundaries may use a time cycle."""
    timer = CYCLE_TIMER
    process = parse_one(_boundary(timer, attrs='cancelActivity="false"'))
    assert not process.element("b").cancel_activity


def test_static_timer_values_must_parse() -> None:
    """Spec 9.2: static timer values use ISO 8601."""
    timer = (
        "<bpmn:timerEventDefinition><bpmn:timeDuration>ten minutes</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>"
    )
    assert rejection(_boundary(timer)) == only_error(
        "b",
        "Invalid timer duration expression (Invalid duration format 'ten minutes' for "
        "expression 'ten minutes')",
    )


def test_timer_start_event_with_duration_is_rejected() -> None:
    """Spec 9.1: "Each of the timer events must have either a time date or time cycle"."""
    body = """<bpmn:startEvent id="s"><bpmn:timerEventDefinition>
    <bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:endEvent id="end" />""" + chain("s", "end")
    assert rejection(body) == only_error(
        "s", "Timer start events must have a time date or a time cycle"
    )


def test_timer_catch_event_with_cycle_is_rejected() -> None:
    """Spec 9.1: an intermediate timer catch "can either be a time duration, or a time date";
    the text is Zeebe's IntermediateCatchEventValidator's."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="t">
    <bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />""" + chain("s", "t", "end")
    assert rejection(body) == only_error(
        "t", "Intermediate timer catch event must have either a time duration or a time date."
    )


def test_timer_without_value_is_rejected() -> None:
    """Spec 9.2: "Timers must be defined by providing either a date, a duration, or a cycle"."""
    body = _boundary("<bpmn:timerEventDefinition />")
    assert rejection(body) == only_error(
        "b", "Must be exactly one type of timer: timeDuration, timeDate or timeCycle"
    )


def _catch(message_ref: str) -> str:
    return (
        '<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="c">'
        f'<bpmn:messageEventDefinition messageRef="{message_ref}" />'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />' + chain("s", "c", "end")
    )


def test_message_catch_event_needs_a_correlation_key() -> None:
    """Spec 5.5: a catch event's subscription needs a correlation key (`zeebe:subscription`)."""
    assert rejection(_catch("noKey"), roots=ROOTS) == only_error(
        "noKey", "Must have exactly one 'zeebe:subscription' extension element"
    )


def test_message_needs_a_name() -> None:
    """Spec 5.5: subscriptions are based on the message name. Zeebe's MessageValidator checks
    the name and the single `zeebe:subscription` independently, so a message with neither gets
    both errors."""
    assert (
        rejection(_catch("noName"), roots=ROOTS)
        == "'test.bpmn': "
        + entry("noName", "Name must be present and not empty")
        + "    - ERROR: Must have exactly one 'zeebe:subscription' extension element\n"
    )


def test_message_catch_event_must_reference_a_message() -> None:
    """Spec 5.5: message catch events reference a `bpmn:message`."""
    body = _catch("m").replace(' messageRef="m"', "")
    assert rejection(body, roots=ROOTS) == only_error("c", "Must reference a message")


def test_message_start_event_needs_no_correlation_key() -> None:
    """Spec 5.5: "no correlationKey expression is modelled for start events"."""
    body = """<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="noKey" />
    </bpmn:startEvent><bpmn:endEvent id="end" />""" + chain("s", "end")
    assert parse_one(body, roots=ROOTS).message_start_events == ("s",)


def test_message_start_events_need_unique_names() -> None:
    """Spec 5.5: "Each message start event in a process needs a unique message name"."""
    body = (
        """<bpmn:startEvent id="s1"><bpmn:messageEventDefinition messageRef="m" />
    </bpmn:startEvent><bpmn:startEvent id="s2"><bpmn:messageEventDefinition messageRef="m2" />
    </bpmn:startEvent><bpmn:endEvent id="end" />"""
        + chain("s1", "end")
        + chain("s2", "end")
    )
    assert rejection(body, roots=ROOTS) == only_error(
        "p", "Multiple message event definitions with the same name 'paid' are not allowed."
    )


def test_message_boundary_events_of_one_activity_need_unique_names() -> None:
    """Spec 4.2: "Message boundary events on one activity need unique message names"."""
    body = (
        _boundary('<bpmn:messageEventDefinition messageRef="m" />')
        + (
            '<bpmn:boundaryEvent id="b2" attachedToRef="a">'
            '<bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>'
        )
        + chain("b2", "end2")
    )
    assert rejection(body, roots=ROOTS) == only_error(
        "a", "Multiple message event definitions with the same name 'paid' are not allowed."
    )


def test_error_catch_events_of_a_scope_need_unique_codes() -> None:
    """Spec 2.6: "It is not possible to define multiple error catch events with the same
    errorCode in a single scope"."""
    body = (
        _boundary(ERROR_DEF)
        + (
            '<bpmn:boundaryEvent id="b2" attachedToRef="a">'
            '<bpmn:errorEventDefinition errorRef="e1b" /></bpmn:boundaryEvent>'
        )
        + chain("b2", "end2")
    )
    assert rejection(body, roots=ROOTS) == only_error(
        "a",
        "Multiple error catch events with the same error code 'DECLINED' are not supported on "
        "the same scope.",
    )


def test_only_one_catch_all_error_event_per_scope() -> None:
    """Spec 2.6: "It is also not permitted to have multiple error catch-all events"."""
    body = (
        _boundary("<bpmn:errorEventDefinition />")
        + (
            '<bpmn:boundaryEvent id="b2" attachedToRef="a"><bpmn:errorEventDefinition />'
            "</bpmn:boundaryEvent>"
        )
        + chain("b2", "end2")
    )
    assert rejection(body, roots=ROOTS) == only_error(
        "a",
        "The same scope can not contain more than one error catch event without error code. An "
        "error catch event without error code catches all errors.",
    )


def test_error_end_event_needs_an_error_code() -> None:
    """Spec 2.6: "An error must define an `errorCode`"."""
    body = """<bpmn:startEvent id="s" /><bpmn:endEvent id="fail">
    <bpmn:errorEventDefinition errorRef="noCode" /></bpmn:endEvent>""" + chain("s", "fail")
    assert rejection(body, roots=ROOTS) == only_error(
        "fail", "Must reference an error with an errorCode"
    )


def test_reference_to_a_missing_error_is_rejected() -> None:
    """An errorRef must name a `bpmn:error` of the definitions."""
    body = """<bpmn:startEvent id="s" /><bpmn:endEvent id="fail">
    <bpmn:errorEventDefinition errorRef="nope" /></bpmn:endEvent>""" + chain("s", "fail")
    detail = rejection(body, roots=ROOTS)
    assert detail == (
        "'test.bpmn': - Element: fail\n    - ERROR: Referenced error 'nope' does not exist\n"
        "    - ERROR: Must reference an error with an errorCode\n"
    )


def test_intermediate_catch_event_of_a_throw_kind_is_rejected() -> None:
    """Spec 4.1: an intermediate catch event is a message, timer, signal or link event; any
    other (supported) definition fails Zeebe's IntermediateCatchEventValidator ("Event
    definition must be one of: message, timer, signal, or link")."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="c">
    <bpmn:terminateEventDefinition /></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "c", "end")
    assert rejection(body) == only_error(
        "c", "Event definition must be one of: message, timer, signal, or link"
    )


def test_conditional_events_are_not_supported() -> None:
    """Spec 4.1: conditional events are not supported in 8.7; Zeebe's EventDefinitionValidator
    reports the definition ("event > type" when it has no id) with its own text; the event's
    own rule names the kinds it allows in IntermediateCatchEventValidator's words."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="c">
    <bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "c", "end")
    assert rejection(body) == (
        "'test.bpmn': - Element: c > conditionalEventDefinition\n"
        "    - ERROR: Event definition of this type is not supported\n"
        "- Element: c\n"
        "    - ERROR: Event definition must be one of: message, timer, signal, or link\n"
    )


def _links(throw_name: str, catch_names: tuple[str, ...]) -> str:
    body = (
        f"""<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="jump">
    <bpmn:linkEventDefinition name="{throw_name}" /></bpmn:intermediateThrowEvent>"""
        + chain("s", "jump")
        + '<bpmn:endEvent id="end" />'
    )
    for i, name in enumerate(catch_names):
        body += f"""<bpmn:intermediateCatchEvent id="land{i}">
        <bpmn:linkEventDefinition name="{name}" /></bpmn:intermediateCatchEvent>"""
        body += chain(f"land{i}", "end")
    return body


def test_link_pair_is_accepted() -> None:
    """Spec 4.2: a link throw/catch pair is matched by name in the same scope."""
    assert parse_one(_links("L", ("L",))).element("land0").event_type.value == "LINK"


def test_link_throw_without_catch_is_rejected() -> None:
    """Spec 4.2 [E verifyLinkIntermediateEvents]: every throw link needs a catch link."""
    assert rejection(_links("L", ("M",))) == only_error(
        "p", "Can't find an catch link event for the throw link event with the name 'L'."
    )


def test_link_catch_names_must_be_unique_in_a_scope() -> None:
    """Spec 4.2: catch link names are unique in their scope."""
    assert rejection(_links("L", ("L", "L"))) == only_error(
        "p",
        "Multiple intermediate catch link event definitions with the same name 'L' are not "
        "allowed.",
    )


def test_message_throw_event_needs_a_job_definition() -> None:
    """Spec 4.1: message throw events are job-based ("behave exactly like service tasks")."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="t">
    <bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "t", "end")
    assert rejection(body) == only_error(
        "t", "Must have exactly one 'zeebe:taskDefinition' extension element"
    )


def test_error_intermediate_throw_event_is_rejected() -> None:
    """Spec 4.1: errors are thrown only by end events."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="t">
    <bpmn:errorEventDefinition errorRef="e1" /></bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="end" />""" + chain("s", "t", "end")
    assert rejection(body, roots=ROOTS) == only_error(
        "t",
        "Intermediate throw events must be one of: none, message, signal, escalation, "
        "compensation or link",
    )


def test_signal_catch_event_must_reference_a_signal() -> None:
    """Spec 6: `bpmn:signal@name` names the signal a catch event waits for."""
    body = """<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="c">
    <bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "c", "end")
    assert rejection(body) == only_error("c", "Must reference a signal with a name")


def test_escalation_boundary_only_on_subprocess_or_call_activity() -> None:
    """Zeebe ModelUtil: escalations are thrown from inside subprocesses or called processes."""
    body = _boundary("<bpmn:escalationEventDefinition />")
    assert rejection(body) == only_error(
        "b",
        "An escalation boundary event should only be attached to a subprocess, or a call activity.",
    )


def test_signal_boundary_events_of_one_activity_need_unique_names() -> None:
    """Zeebe ModelUtil: "Multiple signal event definitions with the same name ..."."""
    roots = ROOTS + '<bpmn:signal id="s1" name="stop" /><bpmn:signal id="s2" name="stop" />'
    body = (
        _boundary('<bpmn:signalEventDefinition signalRef="s1" />')
        + '<bpmn:boundaryEvent id="b2" attachedToRef="a">'
        '<bpmn:signalEventDefinition signalRef="s2" /></bpmn:boundaryEvent>' + chain("b2", "end2")
    )
    assert rejection(body, roots=roots) == only_error(
        "a", "Multiple signal event definitions with the same name 'stop' are not allowed."
    )


def test_link_catch_in_a_nested_subprocess_does_not_pair_with_an_outer_throw() -> None:
    """Spec 4.2: link events pair "same scope only" — a catch link inside a subprocess is no
    target for a throw link of the enclosing scope (the throw continues in its own scope)."""
    body = (
        """<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="jump">
    <bpmn:linkEventDefinition name="L" /></bpmn:intermediateThrowEvent>
    <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:endEvent id="se" />
    <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L" />
    </bpmn:intermediateCatchEvent>"""
        + chain("ss", "se")
        + chain("land", "se")
    )
    body += (
        "</bpmn:subProcess><bpmn:endEvent id='end' />" + chain("s", "jump") + chain("sub", "end")
    )
    assert rejection(body) == only_error(
        "p", "Can't find an catch link event for the throw link event with the name 'L'."
    )


def test_error_catch_codes_must_be_static() -> None:
    """Spec 7.1: "Catch-event error/escalation codes must be static"."""
    roots = ROOTS + '<bpmn:error id="dynamic" errorCode="= code" />'
    body = _boundary('<bpmn:errorEventDefinition errorRef="dynamic" />')
    assert rejection(body, roots=roots) == only_error(
        "b", "The code of a catch event must be a static value"
    )


@pytest.mark.parametrize(
    ("child", "value", "reason"),
    [
        ("timeCycle", "foo", "Repetition spec must start with R"),
        ("timeDate", "foo", "Invalid date-time format 'foo' for expression 'foo'"),
    ],
)
def test_invalid_static_timer_is_reported_like_zeebe(child: str, value: str, reason: str) -> None:
    """Zeebe TimerValidationTest: "Invalid timer <kind> expression (<reason>)"."""
    body = (
        f'<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:{child}>{value}'
        f'</bpmn:{child}></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="end" />'
        + chain("s", "end")
    )
    kind = {"timeCycle": "cycle", "timeDate": "date"}[child]
    assert rejection(body) == only_error("s", f"Invalid timer {kind} expression ({reason})")


def test_event_based_gateway_targets_need_distinct_messages() -> None:
    """Zeebe EventBasedGatewayValidator: the message catch events after one gateway differ."""
    body = """<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
    <bpmn:intermediateCatchEvent id="c1"><bpmn:messageEventDefinition messageRef="m" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="c2"><bpmn:messageEventDefinition messageRef="m" />
    </bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "g", "c1", "end") + chain("g", "c2", "end")
    assert rejection(body, roots=ROOTS) == only_error(
        "g", "Multiple message event definitions with the same name 'paid' are not allowed."
    )


def test_receive_task_and_its_boundary_wait_for_different_messages() -> None:
    """Zeebe: "Cannot reference the same message name as a boundary event"."""
    body = """<bpmn:startEvent id="s" /><bpmn:receiveTask id="r" messageRef="m" />
    <bpmn:boundaryEvent id="b" attachedToRef="r"><bpmn:messageEventDefinition messageRef="m2" />
    </bpmn:boundaryEvent><bpmn:endEvent id="end" />"""
    body += chain("s", "r", "end") + chain("b", "end")
    roots = ROOTS.replace('<bpmn:message id="m2" name="paid" />', "") + (
        '<bpmn:message id="m2" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>'
    )
    assert rejection(body, roots=roots) == only_error(
        "r", "Cannot reference the same message name as a boundary event"
    )
