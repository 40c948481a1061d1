"""Ad-hoc subprocesses as the Camunda agentic-AI examples model them (an AI agent ad-hoc
subprocess with tools inside and an escalation boundary event on it).

Zeebe validates escalation boundary events with `ModelUtil.verifyEscalationBoundaryEvent`: the
host must be an instance of `SubProcess` or `CallActivity`, and an `adHocSubProcess` is a
`SubProcess` in the model API (zeebe-spec §4.2: "ad-hoc subprocess (marker shown as
implemented in 8.7)"; §4.1 escalation boundary events)."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task

pytestmark = pytest.mark.unit

ESCALATION = '<bpmn:escalation id="esc" escalationCode="FRAUD"/>'


def _agent_with_escalation_boundary() -> bytes:
    """start -> adhoc{tool, raise (escalation throw)} -> end; boundary `caught` -> `handled`."""
    inner = (
        service_task("tool", "tool")
        + '<bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition '
        'escalationRef="esc"/></bpmn:intermediateThrowEvent>'
    )
    body = (
        '<bpmn:startEvent id="start"/><bpmn:adHocSubProcess id="agent"><bpmn:extensionElements>'
        '<zeebe:adHoc activeElementsCollection="=tools"/></bpmn:extensionElements>'
        + inner
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="end"/><bpmn:endEvent id="handled"/>'
        '<bpmn:boundaryEvent id="caught" attachedToRef="agent">'
        '<bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:boundaryEvent>'
        + chain("start", "agent", "end")
        + flow("f_caught", "caught", "handled")
    )
    return bpmn("agent-process", body, extra=ESCALATION)


def test_escalation_boundary_event_on_an_ad_hoc_subprocess_deploys() -> None:
    """ModelUtil: SubProcess.isInstance(adHocSubProcess) holds, so the deployment is accepted
    (an escalation boundary on a plain task stays rejected, see the model rule tests)."""
    result = Driver().deploy(_agent_with_escalation_boundary())
    assert result.rejection is None, result.rejection


def test_escalation_thrown_by_an_ad_hoc_inner_element_is_caught_by_its_boundary() -> None:
    """§4.1 escalation events: an interrupting escalation boundary event catches an escalation
    thrown inside the activity it is attached to; the ad-hoc subprocess is terminated and the
    boundary's outgoing flow is taken."""
    driver = Driver()
    driver.deploy(_agent_with_escalation_boundary())
    instance = driver.create("agent-process", {"tools": ["raise"]})
    assert driver.is_completed(instance)
    completed = driver.completed(instance)
    assert "caught" in completed and "handled" in completed
    assert "agent" not in completed and "end" not in completed
    assert driver.incidents() == []
