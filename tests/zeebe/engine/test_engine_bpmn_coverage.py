"""The "BPMN coverage" page (docs.camunda.io components/modeler/bpmn/bpmn-coverage, spec 4):
every element it marks as supported deploys; the ones it does not are rejected at deployment
with the texts of Zeebe's validators (FlowElementValidator, EventDefinitionValidator)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

pytestmark = pytest.mark.unit

ROOTS = (
    '<bpmn:message id="msg" name="m"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="=k"/></bpmn:extensionElements></bpmn:message>'
    '<bpmn:signal id="sig" name="sg"/><bpmn:escalation id="esc" escalationCode="E"/>'
    '<bpmn:error id="err" errorCode="X"/>'
)
TASK = service_task("t", "w")
COVERAGE = "https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/"
CONDITION = (
    "<bpmn:conditionalEventDefinition>"
    '<bpmn:condition xsi:type="bpmn:tFormalExpression">=true</bpmn:condition>'
    "</bpmn:conditionalEventDefinition>"
)


def rejection(body: str) -> str | None:
    """The deployment's rejection text without its head line, or None when it deployed."""
    result = Driver().deploy(bpmn("p", body, extra=ROOTS))
    if result.rejection is None:
        return None
    return result.rejection.reason.split("errors:\n", 1)[1]


def event(tag: str, element_id: str, definition: str, attrs: str = "") -> str:
    return f'<bpmn:{tag} id="{element_id}" {attrs}>{definition}</bpmn:{tag}>'


def event_sub_process(index: int, definition: str, interrupting: bool) -> str:
    start = event(
        "startEvent",
        f"es{index}_start",
        definition,
        f'isInterrupting="{str(interrupting).lower()}"',
    )
    return (
        f'<bpmn:subProcess id="es{index}" triggeredByEvent="true">{start}'
        f'<bpmn:endEvent id="es{index}_end"/>'
        + chain(f"es{index}_start", f"es{index}_end")
        + "</bpmn:subProcess>"
    )


MESSAGE = '<bpmn:messageEventDefinition messageRef="msg"/>'
TIMER = (
    "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
    "</bpmn:timerEventDefinition>"
)
TIMER_CYCLE = (
    "<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>"
)
SIGNAL = '<bpmn:signalEventDefinition signalRef="sig"/>'
ESCALATION = '<bpmn:escalationEventDefinition escalationRef="esc"/>'
ERROR = '<bpmn:errorEventDefinition errorRef="err"/>'
BOUNDARIES = [
    (TIMER, "false"),
    (MESSAGE, "true"),
    (SIGNAL, "false"),
    (ESCALATION, "true"),
    (ERROR, "true"),
]

SUPPORTED = {
    "event subprocess starts (message, timer, error, signal, escalation)": (
        '<bpmn:startEvent id="s"/>'
        + TASK
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
        + event_sub_process(1, MESSAGE, True)
        + event_sub_process(2, TIMER, False)
        + event_sub_process(3, ERROR, True)
        + event_sub_process(4, SIGNAL, False)
        + event_sub_process(5, ESCALATION, False)
    ),
    "signal intermediate throw and end events": (
        '<bpmn:startEvent id="s"/>'
        + event("intermediateThrowEvent", "throw", SIGNAL)
        + event("endEvent", "e", SIGNAL)
        + chain("s", "throw", "e")
    ),
    "escalation intermediate throw and end events": (
        '<bpmn:startEvent id="s"/>'
        + event("intermediateThrowEvent", "throw", ESCALATION)
        + event("endEvent", "e", ESCALATION)
        + chain("s", "throw", "e")
    ),
    "boundary events (timer, message, signal, escalation, error)": (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        '<bpmn:endEvent id="se"/>'
        + chain("ss", "se")
        + "</bpmn:subProcess>"
        + "".join(
            event("boundaryEvent", f"b{i}", d, f'attachedToRef="sub" cancelActivity="{c}"')
            + f'<bpmn:endEvent id="be{i}"/>'
            + flow(f"fb{i}", f"b{i}", f"be{i}")
            for i, (d, c) in enumerate(BOUNDARIES)
        )
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "sub", "e")
    ),
    "tasks of every supported kind": (
        '<bpmn:startEvent id="s"/>'
        + TASK
        + '<bpmn:sendTask id="send"><bpmn:extensionElements><zeebe:taskDefinition type="send"/>'
        "</bpmn:extensionElements></bpmn:sendTask>"
        '<bpmn:receiveTask id="receive" messageRef="msg"/>'
        '<bpmn:userTask id="user"><bpmn:extensionElements><zeebe:userTask/>'
        "</bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:scriptTask id="script"><bpmn:extensionElements>'
        '<zeebe:script expression="=1" resultVariable="r"/></bpmn:extensionElements>'
        "</bpmn:scriptTask>"
        '<bpmn:businessRuleTask id="rule"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="rule"/></bpmn:extensionElements></bpmn:businessRuleTask>'
        '<bpmn:manualTask id="manual"/><bpmn:task id="undefined"/><bpmn:endEvent id="e"/>'
        + chain("s", "t", "send", "receive", "user", "script", "rule", "manual", "undefined", "e")
    ),
    "start events (none, message, timer, signal) and end events (terminate, error, message)": (
        '<bpmn:startEvent id="s"/>'
        + event("startEvent", "s_msg", MESSAGE)
        + event("startEvent", "s_timer", TIMER_CYCLE)
        + event("startEvent", "s_sig", SIGNAL)
        + '<bpmn:exclusiveGateway id="merge"/><bpmn:exclusiveGateway id="g" default="f_term"/>'
        + event("endEvent", "e_term", "<bpmn:terminateEventDefinition/>")
        + event("endEvent", "e_err", ERROR)
        + '<bpmn:endEvent id="e_msg"><bpmn:extensionElements><zeebe:taskDefinition type="send"/>'
        "</bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:endEvent>"
        + chain("s", "merge", "g")
        + chain("s_msg", "merge")
        + chain("s_timer", "merge")
        + chain("s_sig", "merge")
        + flow("f_term", "g", "e_term")
        + flow("f_err", "g", "e_err", "=x = 1")
        + flow("f_msg", "g", "e_msg", "=x = 2")
    ),
    "intermediate catch (message, timer, signal, link) and throw (none, message, link)": (
        '<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="g"/>'
        + event("intermediateCatchEvent", "c_msg", MESSAGE)
        + event("intermediateCatchEvent", "c_timer", TIMER)
        + event("intermediateCatchEvent", "c_sig", SIGNAL)
        + '<bpmn:intermediateThrowEvent id="none"/>'
        + '<bpmn:intermediateThrowEvent id="t_msg"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="send"/></bpmn:extensionElements>'
        "<bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>"
        + event("intermediateThrowEvent", "jump", '<bpmn:linkEventDefinition name="L"/>')
        + event("intermediateCatchEvent", "land", '<bpmn:linkEventDefinition name="L"/>')
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "g", "c_msg", "none", "t_msg", "jump")
        + chain("g", "c_timer", "none")
        + flow("f_sig_in", "g", "c_sig")
        + flow("f_sig_out", "c_sig", "none")
        + chain("land", "e")
    ),
    "gateways, subprocesses, call activity and multi-instance markers": (
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        '<bpmn:inclusiveGateway id="split"/><bpmn:inclusiveGateway id="merge"/>'
        '<bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:endEvent id="se"/>'
        + chain("ss", "se")
        + "</bpmn:subProcess>"
        '<bpmn:callActivity id="call"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="other"/></bpmn:extensionElements></bpmn:callActivity>'
        '<bpmn:adHocSubProcess id="adhoc">' + service_task("inner", "w") + "</bpmn:adHocSubProcess>"
        '<bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="w"/>'
        '</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics isSequential="true">'
        '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1]"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>"
        '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/>'
        + chain("s", "fork", "split")
        + flow("f_a", "split", "sub", "=true")
        + flow("f_b", "split", "call", "=false")
        + chain("sub", "merge")
        + chain("call", "merge")
        + chain("merge", "join")
        + chain("fork", "adhoc", "each", "join", "e")
    ),
    "lanes, data objects, data stores and text annotations (modeling only)": (
        '<bpmn:laneSet id="ls"><bpmn:lane id="lane"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>'
        "<bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
        '<bpmn:startEvent id="s"/><bpmn:dataObject id="data"/>'
        '<bpmn:dataObjectReference id="data_ref" dataObjectRef="data"/>'
        '<bpmn:dataStoreReference id="store_ref"/>'
        '<bpmn:textAnnotation id="note"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>'
        '<bpmn:association id="assoc" sourceRef="s" targetRef="note"/><bpmn:endEvent id="e"/>'
        + chain("s", "e")
    ),
}


@pytest.mark.parametrize("body", SUPPORTED.values(), ids=SUPPORTED.keys())
def test_supported_elements_deploy(body: str) -> None:
    """bpmn-coverage: "Elements highlighted in green are supported for execution by
    Camunda 8" (spec 4.1/4.2); data objects and stores are "supported ... for modeling
    purposes only" and deploy as well."""
    assert rejection(body) is None


@pytest.mark.parametrize(
    ("tag", "type_name"), [("complexGateway", "ComplexGateway"), ("transaction", "Transaction")]
)
def test_unsupported_element_is_rejected_with_zeebes_text(tag: str, type_name: str) -> None:
    """bpmn-coverage: complex gateways and transaction subprocesses are not supported; Zeebe's
    FlowElementValidator names the type and points to the coverage page, and only the element
    is reported (its sequence flows are valid)."""
    body = f'<bpmn:startEvent id="s"/><bpmn:{tag} id="x"/><bpmn:endEvent id="e"/>' + chain(
        "s", "x", "e"
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: x\n"
        f"    - ERROR: Elements of type '{type_name}' are currently not supported. Please refer "
        f"to the documentation for a list of supported elements: {COVERAGE}\n"
    )


def test_conditional_start_event_is_rejected_on_its_event_definition() -> None:
    """bpmn-coverage: conditional events are not supported (8.7/8.8); Zeebe's
    EventDefinitionValidator reports the definition, named `event > type` when it has no id;
    the start event is not one of the allowed kinds."""
    body = event("startEvent", "s", CONDITION) + '<bpmn:endEvent id="e"/>' + chain("s", "e")
    assert rejection(body) == (
        "'p0.bpmn': - Element: s > conditionalEventDefinition\n"
        "    - ERROR: Event definition of this type is not supported\n"
        "- Element: s\n"
        "    - ERROR: Start event must be one of: none, message, timer, signal\n"
    )


def test_cancel_end_event_is_rejected_with_the_definition_id() -> None:
    """bpmn-coverage: cancel events are not supported; a definition with an id is reported by
    that id (Zeebe's ValidationErrorFormatter), the end event names the kinds it allows
    (EndEventValidator's text)."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + event("endEvent", "e", '<bpmn:cancelEventDefinition id="cancel_def"/>')
        + chain("s", "e")
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: cancel_def\n"
        "    - ERROR: Event definition of this type is not supported\n"
        "- Element: e\n"
        "    - ERROR: End events must be one of: none, error, message, terminate, signal, "
        "escalation or compensation\n"
    )


def test_compensation_event_subprocess_is_rejected() -> None:
    """bpmn-coverage / compensation-events: compensation start events (event subprocesses) are
    not supported; event subprocess starts must be message, timer, error, signal or escalation."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>'
        + chain("s", "e")
        + event_sub_process(1, "<bpmn:compensateEventDefinition/>", True)
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: es1\n    - ERROR: Start events in event subprocesses must be one "
        "of: message, timer, error, signal or escalation\n"
    )


def test_multiple_start_event_is_rejected() -> None:
    """bpmn-coverage: multiple / parallel multiple events are not supported; for a start event
    Zeebe's StartEventValidator says it "can't have more than one type"."""
    body = (
        event("startEvent", "s", MESSAGE + SIGNAL, 'parallelMultiple="true"')
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "e")
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: s\n    - ERROR: Start event can't have more than one type\n"
    )


def test_multiple_end_event_is_rejected() -> None:
    """bpmn-coverage: a multiple end event is not supported (EndEventValidator: "Must have at
    most one event definition")."""
    body = (
        '<bpmn:startEvent id="s"/>' + event("endEvent", "e", SIGNAL + ESCALATION) + chain("s", "e")
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: e\n    - ERROR: Must have at most one event definition\n"
    )


def test_end_event_with_an_outgoing_flow_is_rejected() -> None:
    """none-events / EndEventValidator: an end event ends its path; "End events must not have
    outgoing sequence flows to other elements."."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>'
        + TASK
        + '<bpmn:endEvent id="e2"/>'
        + chain("s", "e", "t", "e2")
    )
    assert rejection(body) == (
        "'p0.bpmn': - Element: e\n"
        "    - ERROR: End events must not have outgoing sequence flows to other elements.\n"
    )
