"""Inline BPMN samples without a diagram, for the `with_diagram` and lint gate tests."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bpmn"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="t">'
)


def task(task_id: str, job_type: str = "work") -> str:
    """A service task (no name, no flow references, as tests write them)."""
    return (
        f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}"/></bpmn:extensionElements></bpmn:serviceTask>'
    )


def flow(flow_id: str, source: str, target: str, condition: str = "") -> str:
    """A sequence flow, conditional when `condition` is given."""
    body = (
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:conditionExpression>"
        if condition
        else ""
    )
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{body}'
        "</bpmn:sequenceFlow>"
    )


SUBPROCESS_WITH_BOUNDARY = (
    HEAD + '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
    '<bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
    + task("inner")
    + '<bpmn:endEvent id="se"/>'
    + flow("f1", "ss", "inner")
    + flow("f2", "inner", "se")
    + "</bpmn:subProcess>"
    '<bpmn:boundaryEvent id="late" attachedToRef="sp"><bpmn:timerEventDefinition>'
    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>'
    "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    '<bpmn:endEvent id="e"/><bpmn:endEvent id="timeout"/>'
    + flow("f3", "s", "sp")
    + flow("f4", "sp", "e")
    + flow("f5", "late", "timeout")
    + "</bpmn:process></bpmn:definitions>"
).encode()

GATEWAY = (
    HEAD + '<bpmn:process id="xor" isExecutable="true"><bpmn:startEvent id="s"/>'
    '<bpmn:exclusiveGateway id="g" default="f_low"/>'
    '<bpmn:endEvent id="big"/><bpmn:endEvent id="mid"/><bpmn:endEvent id="low"/>'
    + flow("f_s", "s", "g")
    + flow("f_big", "g", "big", "= amount &gt; 100")
    + flow("f_mid", "g", "mid", "= amount &gt; 10")
    + flow("f_low", "g", "low")
    + "</bpmn:process></bpmn:definitions>"
).encode()

SAMPLES = {
    "subprocess_with_boundary": SUBPROCESS_WITH_BOUNDARY,
    "gateway": GATEWAY,
    **{path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.bpmn"))},
}
