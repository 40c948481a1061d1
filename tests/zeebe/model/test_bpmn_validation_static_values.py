"""Static values Zeebe's ZeebeRuntimeValidators refuse at deployment (zeebe-spec §5.3 output
mappings, §6 `zeebe:taskSchedule` / `zeebe:priorityDefinition`, §7.1 expressions vs static
values)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection

pytestmark = pytest.mark.unit

JOB = '<zeebe:taskDefinition type="work" />'


def _task(tag: str, extensions: str) -> str:
    ends = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
    task = (
        f'<bpmn:{tag} id="t"><bpmn:extensionElements>{extensions}'
        f"</bpmn:extensionElements></bpmn:{tag}>"
    )
    return ends + task + chain("start", "t", "end")


def test_static_output_mapping_source_is_rejected() -> None:
    """§5.3: an output mapping's source is evaluated against the element's result, so Zeebe
    requires an expression: "Expected expression but found static value 'result'. ..."."""
    mapping = '<zeebe:ioMapping><zeebe:output source="result" target="r" /></zeebe:ioMapping>'
    assert rejection(_task("serviceTask", JOB + mapping)) == only_error(
        "t",
        "Expected expression but found static value 'result'. An expression must start with "
        "'=' (e.g. '=result').",
    )


def test_static_input_mapping_source_is_accepted() -> None:
    """§5.3: an input mapping may map a static value (the string itself)."""
    mapping = '<zeebe:ioMapping><zeebe:input source="fixed" target="r" /></zeebe:ioMapping>'
    inputs = parse_one(_task("serviceTask", JOB + mapping)).elements["t"].inputs
    assert [(m.source.source, m.source.is_feel) for m in inputs] == [("fixed", False)]


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (
            '<zeebe:taskSchedule dueDate="tomorrow" />',
            "Expected static value to be a valid DateTime String, e.g. "
            "'2023-03-02T15:35+02:00', but found 'tomorrow'.",
        ),
        (
            '<zeebe:taskSchedule followUpDate="next week" />',
            "Expected static value to be a valid DateTime String, e.g. "
            "'2023-03-02T15:35+02:00', but found 'next week'.",
        ),
        (
            '<zeebe:priorityDefinition priority="101" />',
            "Expected static value to be a valid Number between 0 and 100, but found '101'.",
        ),
        (
            '<zeebe:priorityDefinition priority="high" />',
            "Expected static value to be a valid Number between 0 and 100, but found 'high'.",
        ),
    ],
)
def test_invalid_static_user_task_schedule_and_priority_are_rejected(
    extension: str, message: str
) -> None:
    """ZeebeRuntimeValidators: a static due/follow-up date must be a date-time, a static
    priority a number from 0 to 100."""
    body = _task("userTask", "<zeebe:userTask />" + extension)
    assert rejection(body) == only_error("t", message)


def test_valid_static_schedule_and_priority_and_expressions_are_accepted() -> None:
    """The documented example date, a priority in range, and FEEL values (checked at runtime)."""
    extensions = (
        '<zeebe:userTask /><zeebe:taskSchedule dueDate="2023-03-02T15:35+02:00" '
        'followUpDate="=now()" /><zeebe:priorityDefinition priority="100" />'
    )
    properties = parse_one(_task("userTask", extensions)).elements["t"].user_task_properties
    assert properties is not None and properties.priority is not None
    assert properties.priority.source == "100"
