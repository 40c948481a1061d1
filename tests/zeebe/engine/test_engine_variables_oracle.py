"""Variable mappings checked against Zeebe's own engine tests (ActivityOutputMappingTest;
spec 5.3 "Input/output mappings")."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def mapping_xml(mappings: list[tuple[str, str, str]]) -> str:
    """A zeebe:ioMapping of (kind, source, target) triples."""
    body = "".join(
        f'<zeebe:{kind} source="{source}" target="{target}"/>' for kind, source, target in mappings
    )
    return f"<zeebe:ioMapping>{body}</zeebe:ioMapping>"


def subprocess_outputs(
    variables: dict[str, Any], mappings: list[tuple[str, str, str]]
) -> list[tuple[str, Any]]:
    """ActivityOutputMappingTest's model: a subprocess (with the mappings) around one task;
    returns (name, value) of the VARIABLE events at the process scope after the task."""
    xml = bpmn(
        "process",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:extensionElements>'
        + mapping_xml(mappings)
        + '</bpmn:extensionElements><bpmn:startEvent id="ss"/>'
        + service_task("task", "jt")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "task", "se")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sub", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("process", variables)
    driver.complete(driver.job("jt")["key"])
    (task_done,) = [
        r.position
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_COMPLETED")
        if r.value["elementId"] == "task"
    ]
    return [
        (str(r.value["name"]), r.value["value"])
        for r in driver.events(ValueType.VARIABLE)
        if r.position > task_done and r.value["scopeKey"] == pi
    ]


@pytest.mark.parametrize(
    ("variables", "mappings", "expected"),
    [
        ({"x": 1}, [("output", "= x", "y")], [("y", "1")]),
        ({"_x": 1}, [("output", "= _x", "_y")], [("_y", "1")]),
        ({"x": 1, "y": 2}, [("output", "= y", "z")], [("z", "2")]),
        ({"x": 1}, [("input", "= x", "y"), ("output", "= y", "z")], [("z", "1")]),
        ({"x": 1}, [("input", "= x", "y"), ("output", "= x", "z")], [("z", "1")]),
        ({"x": {"y": 2}}, [("output", "= x", "z")], [("z", '{"y":2}')]),
        ({"x": {"y": 2}}, [("output", "= x.y", "z")], [("z", "2")]),
        ({"z": {"x": 1}, "y": 2}, [("output", "= y", "z.y")], [("z", '{"x":1,"y":2}')]),
        (
            {"x": 1, "y": 2},
            [("output", "= x", "z.x"), ("output", "= y", "z.y")],
            [("z", '{"x":1,"y":2}')],
        ),
    ],
)
def test_subprocess_output_mappings(
    variables: dict[str, Any], mappings: list[tuple[str, str, str]], expected: list[Any]
) -> None:
    """ActivityOutputMappingTest.shouldApplyOutputMappings: only the mapped targets reach the
    process scope; a nested target merges into the existing object (spec 5.3)."""
    assert subprocess_outputs(variables, mappings) == expected


def test_unparsable_mapping_is_named_once_at_deployment() -> None:
    """The deployment rejection names a broken FEEL expression once: "failed to parse
    expression '<text>': <reason>" (no repeated prefix)."""
    xml = bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + service_task("task", "jt", mapping_xml([("output", "= 1 +", "x")]))
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "task", "e"),
    )
    rejection = Driver().deploy(xml).rejection
    assert rejection is not None
    assert rejection.reason.count("failed to parse expression") == 1
    assert "- ERROR: failed to parse expression ' 1 +': " in rejection.reason
