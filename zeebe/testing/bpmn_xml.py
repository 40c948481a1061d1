"""XML text helpers of the test BPMN builder: attributes and `zeebe:` extension elements.

Pure string functions (no builder state), shared by the event definitions, the builder and the
renderer of `zeebe.testing.bpmn_builder`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

Mapping = tuple[str, str]
"""An io mapping as (source, target), e.g. ("= order.total", "amount")."""

XML_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"'
    ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
    ' xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
    ' xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn"'
    ' exporter="checkout-saga bpmn_builder" exporterVersion="1.0"'
    ' modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.7.0">'
)
"""The `bpmn:definitions` start tag (with the XML declaration), Modeler-style."""


@dataclass(frozen=True, slots=True)
class MultiInstance:
    """Multi-instance loop characteristics (`zeebe:loopCharacteristics`)."""

    input_collection: str
    input_element: str | None = None
    output_collection: str | None = None
    output_element: str | None = None
    sequential: bool = False
    completion_condition: str | None = None


def attrs(values: dict[str, str | None]) -> str:
    """` key="value"` for each value that is not None, quoted and escaped."""
    return "".join(
        f" {key}={quoteattr(value)}" for key, value in values.items() if value is not None
    )


def extensions(*parts: str) -> str:
    """`bpmn:extensionElements` around `parts`, or nothing when they are all empty."""
    body = "".join(parts)
    return f"<bpmn:extensionElements>{body}</bpmn:extensionElements>" if body else ""


def task_definition(job_type: str, retries: str | int | None) -> str:
    """`zeebe:taskDefinition` with the job type and (optional) retries."""
    retry_text = None if retries is None else str(retries)
    return f"<zeebe:taskDefinition{attrs({'type': job_type, 'retries': retry_text})} />"


def task_headers(values: dict[str, str] | None) -> str:
    """`zeebe:taskHeaders`, or nothing without headers."""
    if not values:
        return ""
    items = "".join(f"<zeebe:header{attrs({'key': k, 'value': v})} />" for k, v in values.items())
    return f"<zeebe:taskHeaders>{items}</zeebe:taskHeaders>"


def io_mapping(inputs: Sequence[Mapping] | None, outputs: Sequence[Mapping] | None) -> str:
    """`zeebe:ioMapping` with the inputs then the outputs, or nothing without mappings."""
    parts = [
        f"<zeebe:{kind}{attrs({'source': source, 'target': target})} />"
        for kind, mappings in (("input", inputs or ()), ("output", outputs or ()))
        for source, target in mappings
    ]
    return f"<zeebe:ioMapping>{''.join(parts)}</zeebe:ioMapping>" if parts else ""


def loop_characteristics(loop: MultiInstance | None) -> str:
    """`bpmn:multiInstanceLoopCharacteristics` for `loop`, or nothing."""
    if loop is None:
        return ""
    zeebe_loop = attrs(
        {
            "inputCollection": loop.input_collection,
            "inputElement": loop.input_element,
            "outputCollection": loop.output_collection,
            "outputElement": loop.output_element,
        }
    )
    condition = (
        '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">'
        f"{escape(loop.completion_condition)}</bpmn:completionCondition>"
        if loop.completion_condition
        else ""
    )
    sequential = ' isSequential="true"' if loop.sequential else ""
    return (
        f"<bpmn:multiInstanceLoopCharacteristics{sequential}>"
        f"{extensions(f'<zeebe:loopCharacteristics{zeebe_loop} />')}{condition}"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )


def safe_id(text: str) -> str:
    """`text` with every character an XML id may not hold replaced by `_`."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)
