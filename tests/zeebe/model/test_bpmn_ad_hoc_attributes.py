"""Ad-hoc subprocess attributes (docs "Ad-hoc sub-processes" 8.8: completionCondition,
cancelRemainingInstances "(default value)" true, outputCollection / outputElement, the job
worker implementation; Zeebe's AdHocSubProcessValidator and ZeebeDesignTimeValidators)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection, service

from zeebe.model.elements import Expression

pytestmark = pytest.mark.unit

AROUND = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + chain("start", "tools", "end")


def _ad_hoc(zeebe: str = "", *, attrs: str = "", condition: str | None = None) -> str:
    ext = f"<bpmn:extensionElements>{zeebe}</bpmn:extensionElements>" if zeebe else ""
    cond = (
        f'<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:completionCondition>"
        if condition is not None
        else ""
    )
    return (
        f'<bpmn:adHocSubProcess id="tools"{attrs}>{ext}{service("a")}{cond}</bpmn:adHocSubProcess>'
    )


JOB = '<zeebe:taskDefinition type="agent" />'


def test_completion_condition_and_cancel_remaining_instances_are_read() -> None:
    """XML representation: `<bpmn:completionCondition>=myCondition</...>` and the attribute
    `cancelRemainingInstances="false"` on the ad-hoc subprocess."""
    body = _ad_hoc(attrs=' cancelRemainingInstances="false"', condition="=myCondition") + AROUND
    ad_hoc = parse_one(body).elements["tools"].ad_hoc
    assert ad_hoc is not None
    assert ad_hoc.completion_condition == Expression("myCondition", True)
    assert ad_hoc.cancel_remaining_instances is False


def test_cancel_remaining_instances_defaults_to_true() -> None:
    """ "If set to `true` (default value), all remaining active instances of inner elements are
    terminated"."""
    ad_hoc = parse_one(_ad_hoc() + AROUND).elements["tools"].ad_hoc
    assert ad_hoc is not None
    assert ad_hoc.cancel_remaining_instances is True
    assert ad_hoc.completion_condition is None


def test_output_collection_and_output_element_are_read() -> None:
    """`outputCollection` names the variable, `outputElement` is the expression per inner flow."""
    zeebe = '<zeebe:adHoc outputCollection="results" outputElement="=result" />'
    ad_hoc = parse_one(_ad_hoc(zeebe) + AROUND).elements["tools"].ad_hoc
    assert ad_hoc is not None
    assert ad_hoc.output_collection == "results"
    assert ad_hoc.output_element == Expression("result", True)


def test_output_collection_without_output_element_is_rejected() -> None:
    """AdHocSubProcessValidator: "OutputElement and OutputCollection must both be set, or
    neither of them set. outputElement:%s and outputCollection:%s."."""
    body = _ad_hoc('<zeebe:adHoc outputCollection="results" />') + AROUND
    assert rejection(body) == only_error(
        "tools",
        "OutputElement and OutputCollection must both be set, or neither of them set. "
        "outputElement:null and outputCollection:results.",
    )


def test_static_completion_condition_is_rejected() -> None:
    """ZeebeDesignTimeValidators: the completion condition must be a (non-static) expression."""
    assert rejection(_ad_hoc(condition="done") + AROUND) == only_error(
        "tools",
        "Expected expression but found static value 'done'. An expression must start with '=' "
        "(e.g. '=done').",
    )


def test_static_output_element_is_rejected() -> None:
    """ZeebeDesignTimeValidators: `outputElement` must be a (non-static) expression."""
    body = _ad_hoc('<zeebe:adHoc outputCollection="results" outputElement="result" />') + AROUND
    assert "Expected expression but found static value 'result'" in rejection(body)


def test_job_worker_ad_hoc_subprocess_is_accepted() -> None:
    """Job worker implementation: "define the sub-process with a task definition"."""
    element = parse_one(_ad_hoc(JOB) + AROUND).elements["tools"]
    assert element.task_definition is not None
    assert element.task_definition.type == Expression("agent", False)


@pytest.mark.parametrize(
    ("zeebe", "attrs", "condition", "message"),
    [
        (
            JOB,
            ' cancelRemainingInstances="false"',
            None,
            "Must not define cancelRemainingInstances in combination with zeebe:taskDefinition.",
        ),
        (
            JOB,
            "",
            "=done",
            "Must not define completionCondition in combination with zeebe:taskDefinition.",
        ),
        (
            JOB + '<zeebe:adHoc activeElementsCollection="=[&quot;a&quot;]" />',
            "",
            None,
            "Must not define activeElementsCollection in combination with zeebe:taskDefinition.",
        ),
    ],
)
def test_job_worker_conflicts_are_rejected(
    zeebe: str, attrs: str, condition: str | None, message: str
) -> None:
    """AdHocSubProcessValidator: the job worker decides activation and completion itself."""
    body = _ad_hoc(zeebe, attrs=attrs, condition=condition) + AROUND
    assert rejection(body) == only_error("tools", message)


def test_documentation_of_inner_elements_is_read() -> None:
    """`adHocSubProcessElements` carries "The documentation of the element"."""
    body = (
        '<bpmn:adHocSubProcess id="tools"><bpmn:serviceTask id="a">'
        "<bpmn:documentation>Looks up the weather</bpmn:documentation>"
        '<bpmn:extensionElements><zeebe:taskDefinition type="work" /></bpmn:extensionElements>'
        "</bpmn:serviceTask>" + service("b") + "</bpmn:adHocSubProcess>" + AROUND
    )
    ad_hoc = parse_one(body).elements["tools"].ad_hoc
    assert ad_hoc is not None
    assert ad_hoc.documentation == (("a", "Looks up the weather"),)
