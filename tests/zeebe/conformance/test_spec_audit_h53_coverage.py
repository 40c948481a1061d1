"""Spec audit (h53), section 4: the ✗ cells of the 8.7 coverage table (4.1) and the "not
supported" column of 4.2 that no deployment test exercised — each is rejected by DeployResource
with INVALID_ARGUMENT and Zeebe's validator text."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
DEFS = (
    '<bpmn:message id="msg" name="m"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="=k"/></bpmn:extensionElements></bpmn:message>'
    '<bpmn:signal id="sig" name="s"/>'
)
CONDITIONAL = (
    '<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">'
    "=x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition>"
)
MULTIPLE = (
    '<bpmn:messageEventDefinition messageRef="msg"/><bpmn:signalEventDefinition signalRef="sig"/>'
)
TASK = (
    '<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="w"/>'
    "</bpmn:extensionElements>{marker}</bpmn:serviceTask>"
)
UNSUPPORTED_DEFINITION = "ERROR: Event definition of this type is not supported"
BOUNDARY_KINDS = "ERROR: Boundary events must be one of: timer, message, error, signal, escalation"
ONE_DEFINITION = "ERROR: Must have exactly one event definition"


def flows(*pairs: tuple[str, str]) -> str:
    return "".join(
        f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>' for a, b in pairs
    )


def with_boundary(definitions: str, *, interrupting: bool = True) -> str:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        '<bpmn:startEvent id="s"/>'
        + TASK.format(marker="")
        + f'<bpmn:boundaryEvent id="b" attachedToRef="t"{cancel}>{definitions}</bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(("s", "t"), ("t", "e"), ("b", "e2"))
    )


def with_intermediate(tag: str, definitions: str) -> str:
    return (
        f'<bpmn:startEvent id="s"/><bpmn:{tag} id="c">{definitions}</bpmn:{tag}>'
        '<bpmn:endEvent id="e"/>' + flows(("s", "c"), ("c", "e"))
    )


def with_event_sub_process(definitions: str, *, interrupting: bool) -> str:
    flag = "true" if interrupting else "false"
    return (
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>'
        + flows(("s", "e"))
        + '<bpmn:subProcess id="esp" triggeredByEvent="true">'
        f'<bpmn:startEvent id="es" isInterrupting="{flag}">{definitions}</bpmn:startEvent>'
        '<bpmn:endEvent id="ee"/>' + flows(("es", "ee")) + "</bpmn:subProcess>"
    )


UNSUPPORTED = {
    "conditional boundary (interrupting)": (
        with_boundary(CONDITIONAL),
        [UNSUPPORTED_DEFINITION, BOUNDARY_KINDS],
    ),
    "conditional boundary (non-interrupting)": (
        with_boundary(CONDITIONAL, interrupting=False),
        [UNSUPPORTED_DEFINITION, BOUNDARY_KINDS],
    ),
    "conditional intermediate catch": (
        with_intermediate("intermediateCatchEvent", CONDITIONAL),
        [UNSUPPORTED_DEFINITION, "ERROR: Event definition must be one of: message, timer, signal"],
    ),
    "conditional event subprocess start (interrupting)": (
        with_event_sub_process(CONDITIONAL, interrupting=True),
        [UNSUPPORTED_DEFINITION, "ERROR: Start events in event subprocesses must be one of"],
    ),
    "conditional event subprocess start (non-interrupting)": (
        with_event_sub_process(CONDITIONAL, interrupting=False),
        [UNSUPPORTED_DEFINITION, "ERROR: Start events in event subprocesses must be one of"],
    ),
    "cancel boundary": (
        with_boundary("<bpmn:cancelEventDefinition/>"),
        [UNSUPPORTED_DEFINITION, BOUNDARY_KINDS],
    ),
    "multiple boundary": (with_boundary(MULTIPLE), [ONE_DEFINITION]),
    "multiple non-interrupting boundary": (
        with_boundary(MULTIPLE, interrupting=False),
        [ONE_DEFINITION],
    ),
    "multiple intermediate catch": (
        with_intermediate("intermediateCatchEvent", MULTIPLE),
        [ONE_DEFINITION],
    ),
    "multiple intermediate throw": (
        with_intermediate("intermediateThrowEvent", MULTIPLE),
        [ONE_DEFINITION],
    ),
    "standard loop marker": (
        '<bpmn:startEvent id="s"/>'
        + TASK.format(marker="<bpmn:standardLoopCharacteristics/>")
        + '<bpmn:endEvent id="e"/>'
        + flows(("s", "t"), ("t", "e")),
        ["ERROR: Standard loop is not supported"],
    ),
}


def document(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NS} id="d" '
        f'targetNamespace="http://audit">{DEFS}<bpmn:process id="audit-cov" isExecutable="true">'
        f"{body}</bpmn:process></bpmn:definitions>"
    ).encode()


@pytest.mark.bpmnlint_exempt(reason="deliberately unsupported BPMN: the deployment is rejected")
@pytest.mark.parametrize(("body", "texts"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
async def test_unsupported_bpmn_is_rejected(gateway: Gateway, body: str, texts: list[str]) -> None:
    """Spec 4.1: conditional (every position), cancel boundary and multiple / parallel multiple
    events are "✗ = shown but not supported"; spec 4.2: "standard loop" is not supported; spec
    Appendix B: "Validation errors are returned as INVALID_ARGUMENT on DeployResource with the
    validator messages"."""
    error = await rpc_error(gateway.deploy(document(body)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = error.details() or ""
    for text in texts:
        assert text in details
