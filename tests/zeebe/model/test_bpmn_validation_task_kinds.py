"""Deploy-time rules on how script tasks, business rule tasks, call activities and linked forms
are implemented (zeebe-spec §4.2, §6: `zeebe:script`, `zeebe:calledDecision`,
`zeebe:calledElement`, `zeebe:formDefinition`), with the messages of Zeebe's
ScriptTaskValidator, BusinessRuleTaskValidator and binding-type validators."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection

pytestmark = pytest.mark.unit

JOB = '<zeebe:taskDefinition type="work" />'
SCRIPT = '<zeebe:script expression="=1 + 1" resultVariable="sum" />'
DECISION = '<zeebe:calledDecision decisionId="d" resultVariable="r" />'


def _task(tag: str, extensions: str) -> str:
    ends = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
    task = (
        f'<bpmn:{tag} id="t"><bpmn:extensionElements>{extensions}'
        f"</bpmn:extensionElements></bpmn:{tag}>"
    )
    return ends + task + chain("start", "t", "end")


EITHER_SCRIPT = (
    "Must have either one 'zeebe:script' or one 'zeebe:taskDefinition' extension element"
)
EITHER_DECISION = (
    "Must have either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition' extension element"
)


@pytest.mark.parametrize(
    ("tag", "extensions", "message"),
    [
        ("scriptTask", "", EITHER_SCRIPT),
        ("scriptTask", SCRIPT + JOB, EITHER_SCRIPT),
        ("businessRuleTask", "", EITHER_DECISION),
        ("businessRuleTask", DECISION + JOB, EITHER_DECISION),
    ],
)
def test_engine_run_tasks_need_exactly_one_implementation(
    tag: str, extensions: str, message: str
) -> None:
    """ScriptTaskValidator / BusinessRuleTaskValidator: neither or both of the engine-run
    extension and a job definition is rejected with "Must have either one ..."."""
    assert rejection(_task(tag, extensions)) == only_error("t", message)


@pytest.mark.parametrize(
    ("tag", "extensions"),
    [("scriptTask", SCRIPT), ("scriptTask", JOB), ("businessRuleTask", DECISION)],
)
def test_one_implementation_is_accepted(tag: str, extensions: str) -> None:
    """Either implementation alone is valid (FEEL script, job worker, DMN decision)."""
    assert parse_one(_task(tag, extensions)).elements["t"].element_type is not None


@pytest.mark.parametrize(
    ("extensions", "attribute"),
    [
        ('<zeebe:script expression="" resultVariable="sum" />', "expression"),
        ('<zeebe:script expression="=1" />', "resultVariable"),
    ],
)
def test_incomplete_script_reports_only_the_missing_attribute(
    extensions: str, attribute: str
) -> None:
    """ScriptTaskValidatorTest.emptyExpression / emptyResultVariable: exactly one violation,
    the attribute (the task still has its one `zeebe:script`)."""
    assert rejection(_task("scriptTask", extensions)) == only_error(
        "t > extensionElements > script", f"Attribute '{attribute}' must be present and not empty"
    )


def test_called_decision_without_result_variable_reports_only_the_attribute() -> None:
    """The Camunda Modeler fixture `bar.bpmn` links a decision without a result variable:
    one violation on the attribute, not also a missing task definition."""
    body = _task("businessRuleTask", '<zeebe:calledDecision decisionId="BazDecision" />')
    assert rejection(body) == only_error(
        "t > extensionElements > calledDecision",
        "Attribute 'resultVariable' must be present and not empty",
    )


VERSION_TAG_NEEDED = (
    "Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'"
)
VERSION_TAG_UNUSED = "Attribute 'versionTag' may only be used if 'bindingType' is 'versionTag'"


@pytest.mark.parametrize(
    ("tag", "extension", "message"),
    [
        (
            "callActivity",
            '<zeebe:calledElement processId="p" bindingType="versionTag" />',
            VERSION_TAG_NEEDED,
        ),
        (
            "callActivity",
            '<zeebe:calledElement processId="p" versionTag="v1" />',
            VERSION_TAG_UNUSED,
        ),
        (
            "callActivity",
            '<zeebe:calledElement processId="p" bindingType="deployment" versionTag="v1" />',
            VERSION_TAG_UNUSED,
        ),
        (
            "businessRuleTask",
            '<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="versionTag" />',
            VERSION_TAG_NEEDED,
        ),
        (
            "businessRuleTask",
            '<zeebe:calledDecision decisionId="d" resultVariable="r" versionTag="v1" />',
            VERSION_TAG_UNUSED,
        ),
        (
            "userTask",
            '<zeebe:userTask /><zeebe:formDefinition formId="f" bindingType="versionTag" />',
            VERSION_TAG_NEEDED,
        ),
        (
            "userTask",
            '<zeebe:userTask /><zeebe:formDefinition formId="f" bindingType="latest" '
            'versionTag="v1" />',
            VERSION_TAG_UNUSED,
        ),
    ],
)
def test_version_tag_belongs_to_the_version_tag_binding(
    tag: str, extension: str, message: str
) -> None:
    """Zeebe's binding validators (ZeebeCalledElement, ZeebeCalledDecision,
    ZeebeFormDefinition): `versionTag` is required by, and only allowed with,
    `bindingType="versionTag"`."""
    extension_type = extension.rsplit("<zeebe:", 1)[1].split(" ", 1)[0]
    assert rejection(_task(tag, extension)) == only_error(
        f"t > extensionElements > {extension_type}", message
    )


def test_version_tag_binding_with_a_tag_is_accepted() -> None:
    """The valid combination keeps both values for the engine's resolution."""
    body = _task(
        "callActivity",
        '<zeebe:calledElement processId="other" bindingType="versionTag" versionTag="v1" />',
    )
    called = parse_one(body).elements["t"].called_element
    assert called is not None and (called.binding_type, called.version_tag) == ("versionTag", "v1")
