"""`fromAi()` parameters of ad-hoc activities (8.8 `adHocSubProcessElements[].parameters`:
"Parameters defined using the fromAi FEEL function"; Zeebe's
FromAiFeelFunctionCallParameterExtractor texts)."""

from __future__ import annotations

from typing import Any

import pytest
from bpmn_snippets import chain, only_error, parse_one, rejection, service

from zeebe.model.ad_hoc_parameters import activity_parameters

pytestmark = pytest.mark.unit

AROUND = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + chain("start", "tools", "end")


def _tool(*sources: str) -> str:
    inputs = "".join(
        f'<zeebe:input source="{source}" target="in{index}" />'
        for index, source in enumerate(sources)
    )
    return (
        '<bpmn:adHocSubProcess id="tools"><bpmn:serviceTask id="weather">'
        '<bpmn:extensionElements><zeebe:taskDefinition type="weather" />'
        f"<zeebe:ioMapping>{inputs}</zeebe:ioMapping></bpmn:extensionElements>"
        "</bpmn:serviceTask>" + service("other") + "</bpmn:adHocSubProcess>" + AROUND
    )


def _parameters(*sources: str) -> list[dict[str, Any]]:
    return activity_parameters(parse_one(_tool(*sources)).elements["weather"])


def test_positional_arguments_describe_a_parameter() -> None:
    """fromAi(value, description, type, schema, options): the name is the referenced path."""
    source = (
        "=fromAi(toolCall.city, &quot;The city&quot;, &quot;string&quot;, "
        "{enum: [&quot;Berlin&quot;, &quot;Paris&quot;]}, {required: false})"
    )
    assert _parameters(source) == [
        {
            "name": "toolCall.city",
            "description": "The city",
            "type": "string",
            "schema": {"enum": ["Berlin", "Paris"]},
            "options": {"required": False},
        }
    ]


def test_named_arguments_and_several_calls_in_mapping_order() -> None:
    """Named arguments work too; calls anywhere in the expressions count, in order; a null
    description is left out ("The description must be null or a string constant")."""
    first = "={days: fromAi(value: toolCall.days, type: &quot;number&quot;)}"
    second = "=fromAi(toolCall.unit, null) + &quot;&quot;"
    assert _parameters(first, second) == [
        {"name": "toolCall.days", "type": "number"},
        {"name": "toolCall.unit"},
    ]


def test_activities_without_from_ai_have_no_parameters() -> None:
    """Plain input mappings describe no parameter."""
    assert _parameters("=city") == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "=fromAi(&quot;city&quot;)",
            "Expected fromAi() parameter 'value' to be a reference (e.g. "
            "'toolCall.customParameter'), but received string 'city'.",
        ),
        (
            "=fromAi(toolCall.city, 5)",
            "Expected fromAi() parameter 'description' to be a string, but received '5'.",
        ),
        (
            "=fromAi(toolCall.city, &quot;d&quot;, &quot;string&quot;, [1])",
            "Expected fromAi() parameter 'schema' to be a context (map), but received 'ListLit'.",
        ),
    ],
)
def test_unusable_calls_reject_the_deployment(source: str, message: str) -> None:
    """Zeebe: "Failed to extract ad-hoc activity parameters for element '%s'. %s"."""
    assert rejection(_tool(source)) == only_error(
        "tools", f"Failed to extract ad-hoc activity parameters for element 'weather'. {message}"
    )
