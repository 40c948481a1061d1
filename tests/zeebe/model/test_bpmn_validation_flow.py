"""Deploy-time rules on processes, flows, gateways and subprocesses (spec 2.4, 4.2)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection, service

pytestmark = pytest.mark.unit

START_END = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'


def test_a_valid_process_is_accepted() -> None:
    """A none start event, a service task and an end event deploy fine."""
    process = parse_one(START_END + service("a") + chain("start", "a", "end"))
    assert process.none_start_event == "start"


def test_job_based_task_without_task_definition_is_rejected() -> None:
    """Spec 6: "Must have exactly one 'zeebe:taskDefinition' extension element"."""
    body = START_END + '<bpmn:serviceTask id="a" />' + chain("start", "a", "end")
    assert rejection(body) == only_error(
        "a", "Must have exactly one 'zeebe:taskDefinition' extension element"
    )


def test_two_task_definitions_are_rejected() -> None:
    """Spec 6: exactly one `zeebe:taskDefinition`."""
    body = (
        START_END
        + """<bpmn:sendTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type="x" />
        <zeebe:taskDefinition type="y" /></bpmn:extensionElements></bpmn:sendTask>"""
        + chain("start", "a", "end")
    )
    assert rejection(body) == only_error(
        "a", "Must have exactly one 'zeebe:taskDefinition' extension element"
    )


def test_empty_job_type_is_rejected() -> None:
    """Spec 6: `type` is required. Only the attribute is reported: the task does have its one
    `zeebe:taskDefinition`, so Zeebe's "Must have exactly one" count check passes (the
    zeebe-client-node-js `Client-BrokenBpmn` fixture has `type=""`)."""
    body = (
        START_END
        + """<bpmn:serviceTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type=" " />
        </bpmn:extensionElements></bpmn:serviceTask>"""
        + chain("start", "a", "end")
    )
    assert rejection(body) == only_error(
        "a > extensionElements > taskDefinition", "Attribute 'type' must be present and not empty"
    )


def test_process_without_start_event_is_rejected() -> None:
    """Zeebe: "Must have at least one start event"."""
    assert rejection('<bpmn:endEvent id="end" />') == only_error(
        "p", "Must have at least one start event"
    )


def test_two_none_start_events_are_rejected() -> None:
    """Brief: a process has at most one none start event."""
    body = '<bpmn:startEvent id="s1" /><bpmn:startEvent id="s2" /><bpmn:endEvent id="end" />'
    body += chain("s1", "end") + chain("s2", "end")
    assert rejection(body) == only_error("p", "Multiple none start events are not allowed")


def test_error_start_event_at_process_level_is_rejected() -> None:
    """Spec 4.1: error start events exist only in event subprocesses."""
    body = """<bpmn:startEvent id="s"><bpmn:errorEventDefinition /></bpmn:startEvent>
    <bpmn:endEvent id="end" />""" + chain("s", "end")
    assert rejection(body) == only_error(
        "s", "Start event must be one of: none, message, timer, signal"
    )


def test_exclusive_gateway_flow_without_condition_or_default_is_rejected() -> None:
    """Spec 4.2: a non-default outgoing flow "Must have a condition or be default flow"."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" />
        <bpmn:sequenceFlow id="yes" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= ok</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="no" sourceRef="g" targetRef="end" />"""
        + chain("start", "g")
    )
    assert rejection(body) == only_error("no", "Must have a condition or be default flow")


def test_exclusive_gateway_with_default_flow_is_accepted() -> None:
    """Spec 4.2: the remaining flow may omit the condition if it is the default flow."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" default="no" />
        <bpmn:sequenceFlow id="yes" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= ok</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="no" sourceRef="g" targetRef="end" />"""
        + chain("start", "g")
    )
    assert parse_one(body).element("g").default_flow == "no"


def test_default_flow_must_be_an_outgoing_flow_of_the_gateway() -> None:
    """Zeebe: "Default flow must start at gateway"."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" default="f_start_g" />"""
        + chain("start", "g", "end")
    )
    assert rejection(body) == only_error("g", "Default flow must start at gateway")


def test_inclusive_gateway_flows_need_conditions() -> None:
    """Spec 4.2: with multiple outgoing flows "all sequence flows must have a condition"."""
    body = (
        START_END
        + """<bpmn:inclusiveGateway id="g" />
        <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="end" />
        <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= x</bpmn:conditionExpression></bpmn:sequenceFlow>"""
        + chain("start", "g")
    )
    assert rejection(body) == only_error("a", "Must have a condition")


def test_conditions_are_only_allowed_after_exclusive_or_inclusive_gateways() -> None:
    """Spec 2.4: conditional sequence flows are only supported at exclusive/inclusive gateways."""
    body = (
        START_END
        + service("a")
        + """<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
        <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="end">
          <bpmn:conditionExpression>= x</bpmn:conditionExpression></bpmn:sequenceFlow>"""
    )
    assert rejection(body) == only_error(
        "a", "Conditional sequence flows are only supported at exclusive or inclusive gateway"
    )


def test_conditions_must_be_expressions() -> None:
    """Spec 7.1: sequence-flow conditions *require* an expression. Zeebe's expression validator
    is registered on ConditionExpression, which the formatter names `flow > conditionExpression`."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" default="b" />
        <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>ok</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="end" />"""
        + chain("start", "g")
    )
    assert rejection(body) == only_error(
        "a > conditionExpression",
        "Expected expression but found static value 'ok'. An expression must start with '=' "
        "(e.g. '=ok').",
    )


def test_unparsable_condition_is_rejected() -> None:
    """Zeebe: "ERROR: failed to parse expression" for a broken FEEL condition."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" default="b" />
        <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= x &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="end" />"""
        + chain("start", "g")
    )
    detail = rejection(body)
    # reported on the flow's id-less condition (ZeebeRuntimeValidators: ConditionExpression)
    prefix = (
        "'test.bpmn': - Element: a > conditionExpression\n    - ERROR: failed to parse expression"
    )
    assert detail.startswith(prefix)
    assert "' x >'" in detail


EVENT_GATEWAY_ROOTS = """<bpmn:message id="m" name="paid"><bpmn:extensionElements>
  <zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>"""
PAID = """<bpmn:intermediateCatchEvent id="paid">
  <bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>"""


def test_event_based_gateway_needs_two_outgoing_flows() -> None:
    """Spec 4.2: an event-based gateway "must have at least two outgoing sequence flows"."""
    body = (
        START_END + '<bpmn:eventBasedGateway id="g" />' + PAID + chain("start", "g", "paid", "end")
    )
    assert rejection(body, roots=EVENT_GATEWAY_ROOTS) == only_error(
        "g", "Event-based gateway must have at least 2 outgoing sequence flows."
    )


def test_event_based_gateway_targets_must_be_catch_events() -> None:
    """Spec 4.2: each flow "must be connected to an intermediate catch event"."""
    body = (
        START_END
        + '<bpmn:eventBasedGateway id="g" />'
        + PAID
        + service("a")
        + chain("start", "g", "paid", "end")
        + chain("g", "a", "end")
    )
    assert rejection(body, roots=EVENT_GATEWAY_ROOTS) == only_error(
        "g",
        "Event-based gateway must not have an outgoing sequence flow to other elements than "
        "message/timer/signal intermediate catch events.",
    )


def test_embedded_subprocess_needs_exactly_one_start_event() -> None:
    """Spec 4.2: an embedded subprocess has "exactly one start event"."""
    body = START_END + '<bpmn:subProcess id="sub" />' + chain("start", "sub", "end")
    assert rejection(body) == only_error("sub", "Must have exactly one start event")


def test_embedded_subprocess_start_event_must_be_none() -> None:
    """Spec 4.2 [E SubProcessValidator]: the start event must be a none start event."""
    body = (
        START_END
        + """<bpmn:subProcess id="sub"><bpmn:startEvent id="ss">
        <bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration>
        </bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>"""
        + chain("start", "sub", "end")
    )
    assert rejection(body) == only_error("sub", "Start events in subprocesses must be of type none")


def _event_sub(start: str, extra: str = "") -> str:
    return (
        START_END
        + chain("start", "end")
        + f"""<bpmn:subProcess id="evt" triggeredByEvent="true">{start}
        <bpmn:endEvent id="evtEnd" />{chain("es", "evtEnd")}</bpmn:subProcess>{extra}"""
    )


def test_event_subprocess_start_must_be_a_supported_kind() -> None:
    """Spec 3.3: event-subprocess start events must be message, timer, error, signal or
    escalation (a compensation start event is not supported)."""
    body = _event_sub(
        '<bpmn:startEvent id="es"><bpmn:compensateEventDefinition /></bpmn:startEvent>'
    )
    assert rejection(body) == only_error(
        "evt",
        "Start events in event subprocesses must be one of: message, timer, error, signal or "
        "escalation",
    )


def test_event_subprocess_none_start_is_rejected() -> None:
    """Spec 4.2: the single start event of an event subprocess has an event definition."""
    assert rejection(_event_sub('<bpmn:startEvent id="es" />')) == only_error(
        "evt",
        "Start events in event subprocesses must be one of: message, timer, error, signal or "
        "escalation",
    )


def test_event_subprocess_must_not_have_flows() -> None:
    """Brief: an event subprocess has no incoming or outgoing sequence flows."""
    body = _event_sub(
        '<bpmn:startEvent id="es"><bpmn:errorEventDefinition /></bpmn:startEvent>',
        extra=chain("evt", "end"),
    )
    assert rejection(body) == only_error(
        "evt", "Event subprocesses must not have incoming or outgoing flows"
    )


def test_error_event_subprocess_must_be_interrupting() -> None:
    """Spec 2.6: "Error boundary events and error event subprocesses must be interrupting"."""
    body = _event_sub(
        '<bpmn:startEvent id="es" isInterrupting="false"><bpmn:errorEventDefinition />'
        "</bpmn:startEvent>"
    )
    assert rejection(body) == only_error(
        "evt", "Non-Interrupting event of this type is not allowed"
    )


def test_multi_instance_needs_an_input_collection() -> None:
    """Brief / spec 6: `inputCollection` is required on `zeebe:loopCharacteristics`."""
    body = (
        START_END
        + """<bpmn:task id="a"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputElement="item" /></bpmn:extensionElements>
        </bpmn:multiInstanceLoopCharacteristics></bpmn:task>"""
        + chain("start", "a", "end")
    )
    assert rejection(body) == only_error(
        "a > multiInstanceLoopCharacteristics > extensionElements > loopCharacteristics",
        "Attribute 'inputCollection' must be present and not empty",
    )


def test_call_activity_needs_a_process_id() -> None:
    """Brief / spec 6: a call activity needs `zeebe:calledElement processId`."""
    body = START_END + '<bpmn:callActivity id="c" />' + chain("start", "c", "end")
    assert rejection(body) == only_error(
        "c", "Must have exactly one 'zeebe:calledElement' extension element"
    )


def test_unsupported_elements_are_rejected() -> None:
    """Spec 4.2: complex gateways and transactions are not supported (Zeebe's
    FlowElementValidator text, which points to the BPMN coverage page)."""
    body = START_END + '<bpmn:complexGateway id="cg" />' + chain("start", "end")
    assert rejection(body) == only_error(
        "cg",
        "Elements of type 'ComplexGateway' are currently not supported. Please refer to the "
        "documentation for a list of supported elements: "
        "https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/",
    )


def test_every_broken_element_is_reported_at_once() -> None:
    """Zeebe lists one `- Element:` entry per broken element."""
    body = (
        START_END
        + '<bpmn:serviceTask id="a" /><bpmn:serviceTask id="b" />'
        + chain("start", "a", "b", "end")
    )
    message = "Must have exactly one 'zeebe:taskDefinition' extension element"
    assert rejection(body) == (
        f"'test.bpmn': - Element: a\n    - ERROR: {message}\n- Element: b\n    - ERROR: {message}\n"
    )


def test_sequence_flow_must_not_cross_scopes() -> None:
    """A sequence flow connects two flow nodes of the same (sub)process."""
    body = (
        START_END
        + """<bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:endEvent id="se" />
        </bpmn:subProcess>"""
        + chain("start", "sub", "end")
        + chain("ss", "se")
        + '<bpmn:sequenceFlow id="cross" sourceRef="ss" targetRef="end" />'
    )
    assert rejection(body) == only_error(
        "cross", "Source and target must be in the same flow scope"
    )


def test_sequence_flow_to_a_missing_node_is_rejected() -> None:
    """Both ends of a sequence flow must exist."""
    body = START_END + chain("start", "end") + chain("start", "ghost")
    assert rejection(body) == only_error(
        "f_start_ghost", "Referenced target 'ghost' does not exist"
    )


def test_duplicate_ids_are_rejected() -> None:
    """BPMN ids are unique within a document."""
    body = START_END + chain("start", "end") + '<bpmn:task id="f_start_end" />'
    detail = rejection(body)
    assert "- Element: f_start_end\n    - ERROR: Duplicate element id" in detail


def test_default_flow_must_not_have_a_condition() -> None:
    """Zeebe ExclusiveGatewayValidator: "Default flow must not have a condition"."""
    body = (
        START_END
        + """<bpmn:exclusiveGateway id="g" default="b" />
        <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= x</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="end">
          <bpmn:conditionExpression>= y</bpmn:conditionExpression></bpmn:sequenceFlow>"""
        + chain("start", "g")
    )
    assert rejection(body) == only_error("g", "Default flow must not have a condition")


def test_interrupting_timer_event_subprocess_must_not_use_a_cycle() -> None:
    """Spec 9.1 / Zeebe ModelUtil: an interrupting timer must not be a cycle."""
    body = _event_sub(
        '<bpmn:startEvent id="es"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M'
        "</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
    )
    assert rejection(body) == only_error(
        "evt", "Interrupting timer event with time cycle is not allowed."
    )


def test_non_interrupting_timer_event_subprocess_may_use_a_cycle() -> None:
    """Spec 4.1: non-interrupting timer event subprocesses are supported (cycles repeat)."""
    body = _event_sub(
        '<bpmn:startEvent id="es" isInterrupting="false"><bpmn:timerEventDefinition>'
        "<bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
    )
    assert not parse_one(body).element("es").interrupting
