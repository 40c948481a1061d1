"""Parsing of the 8.7 task extensions: `zeebe:calledDecision`, `zeebe:adHoc` and the user task
assignment / schedule / form / priority definitions (spec 4.2 and 6)."""

from __future__ import annotations

import pytest
from bpmn_snippets import parse_one

from zeebe.model.elements import AdHoc, CalledDecision, Expression, UserTaskProperties

pytestmark = pytest.mark.unit

FLOW = """
<bpmn:startEvent id="start"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{task}" />
{body}
<bpmn:sequenceFlow id="f2" sourceRef="{task}" targetRef="end" />
<bpmn:endEvent id="end" />
"""


def test_called_decision_is_read_and_needs_no_task_definition() -> None:
    """Spec 6: `zeebe:calledDecision decisionId resultVariable` (decisionId static or FEEL)."""
    body = """<bpmn:businessRuleTask id="r"><bpmn:extensionElements>
      <zeebe:calledDecision decisionId="= which" resultVariable="out" bindingType="deployment"/>
    </bpmn:extensionElements></bpmn:businessRuleTask>"""
    element = parse_one(FLOW.format(task="r", body=body)).element("r")
    assert element.called_decision == CalledDecision(
        decision_id=Expression(" which", True), result_variable="out", binding_type="deployment"
    )
    assert element.task_definition is None


def test_ad_hoc_reads_active_elements_collection() -> None:
    """Spec 6: `zeebe:adHoc activeElementsCollection` is a FEEL expression."""
    body = """<bpmn:adHocSubProcess id="a"><bpmn:extensionElements>
      <zeebe:adHoc activeElementsCollection="= ids"/></bpmn:extensionElements>
      <bpmn:task id="t"/></bpmn:adHocSubProcess>"""
    element = parse_one(FLOW.format(task="a", body=body)).element("a")
    assert element.ad_hoc == AdHoc(active_elements_collection=Expression(" ids", True))
    assert element.children == ("t",)


def test_user_task_properties_are_read() -> None:
    """Spec 6: assignmentDefinition, taskSchedule, formDefinition, priorityDefinition."""
    body = """<bpmn:userTask id="u"><bpmn:extensionElements><zeebe:userTask/>
      <zeebe:assignmentDefinition assignee="anna" candidateGroups="= groups"/>
      <zeebe:taskSchedule dueDate="2026-12-01T10:00:00Z"/>
      <zeebe:formDefinition formId="approve-form"/>
      <zeebe:priorityDefinition priority="80"/>
    </bpmn:extensionElements></bpmn:userTask>"""
    element = parse_one(FLOW.format(task="u", body=body)).element("u")
    assert element.is_user_task
    assert element.user_task_properties == UserTaskProperties(
        assignee=Expression("anna", False),
        candidate_groups=Expression(" groups", True),
        due_date=Expression("2026-12-01T10:00:00Z", False),
        form_id="approve-form",
        priority=Expression("80", False),
    )
