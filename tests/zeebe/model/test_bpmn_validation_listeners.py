"""`zeebe:executionListeners` (zeebe-spec §6: "Job-based execution listeners (8.6+)"): what the
parser reads and the deploy-time rules of Zeebe's validators (ExecutionListenersValidator and
the element validators calling `ModelUtil.validateExecutionListenersDefinitionForElement`)."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, entry, only_error, parse_one, rejection, service

from zeebe.model.elements import ExecutionListener, Expression

pytestmark = pytest.mark.unit


def _listeners(*pairs: tuple[str, str]) -> str:
    """A `zeebe:executionListeners` block (without the surrounding extensionElements)."""
    inner = "".join(f'<zeebe:executionListener eventType="{e}" type="{t}" />' for e, t in pairs)
    return f"<zeebe:executionListeners>{inner}</zeebe:executionListeners>"


def _ext(*pairs: tuple[str, str]) -> str:
    return f"<bpmn:extensionElements>{_listeners(*pairs)}</bpmn:extensionElements>"


def _task_with(*pairs: tuple[str, str]) -> str:
    task = (
        f'<bpmn:serviceTask id="a"><bpmn:extensionElements>{_listeners(*pairs)}'
        '<zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>'
    )
    ends = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
    return ends + task + chain("start", "a", "end")


def test_listeners_are_read_in_document_order() -> None:
    """Listeners run in the order they are modelled; type and retries are static or FEEL."""
    body = _task_with(("start", "audit"), ("end", "=notifyType"))
    listeners = parse_one(body).elements["a"].execution_listeners
    assert listeners == (
        ExecutionListener("start", Expression("audit", False)),
        ExecutionListener("end", Expression("notifyType", True)),
    )


def test_end_listener_on_a_start_event_is_accepted() -> None:
    """Only `start` listeners are refused on start events (the camunda-8-examples
    ProcessMetadataListener model has an `end` listener there)."""
    start = f'<bpmn:startEvent id="start">{_ext(("end", "metadata"))}</bpmn:startEvent>'
    body = start + '<bpmn:endEvent id="end" />' + chain("start", "end")
    assert parse_one(body).elements["start"].execution_listeners[0].event_type == "end"


def test_start_listener_on_a_start_event_is_rejected() -> None:
    """StartEventValidator: "Execution listeners of type 'start' are not supported by start
    events"."""
    start = f'<bpmn:startEvent id="start">{_ext(("start", "x"))}</bpmn:startEvent>'
    body = start + '<bpmn:endEvent id="end" />' + chain("start", "end")
    assert rejection(body) == only_error(
        "start", "Execution listeners of type 'start' are not supported by start events"
    )


def test_end_listener_on_a_gateway_is_rejected() -> None:
    """GatewayValidator: "Execution listeners of type 'end' are not supported by gateway
    element"."""
    gateway = f'<bpmn:parallelGateway id="g">{_ext(("end", "x"))}</bpmn:parallelGateway>'
    body = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + gateway
    body += chain("start", "g", "end")
    assert rejection(body) == only_error(
        "g", "Execution listeners of type 'end' are not supported by gateway element"
    )


def test_end_listener_on_an_error_end_event_is_rejected() -> None:
    """EndEventValidator: "... not supported by [error] end events"."""
    end = (
        f'<bpmn:endEvent id="end">{_ext(("end", "x"))}'
        '<bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>'
    )
    body = '<bpmn:startEvent id="start" />' + end + chain("start", "end")
    roots = '<bpmn:error id="err" errorCode="E" />'
    assert rejection(body, roots=roots) == only_error(
        "end", "Execution listeners of type 'end' are not supported by [error] end events"
    )


def test_start_listener_on_a_boundary_event_is_rejected() -> None:
    """BoundaryEventValidator: "... of type 'start' are not supported by boundary events"."""
    boundary = (
        f'<bpmn:boundaryEvent id="b" attachedToRef="a">{_ext(("start", "x"))}'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    )
    body = (
        '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" /><bpmn:endEvent id="late" />'
        + service("a")
        + boundary
        + chain("start", "a", "end")
        + chain("b", "late")
    )
    assert rejection(body) == only_error(
        "b", "Execution listeners of type 'start' are not supported by boundary events"
    )


def test_listener_without_type_and_duplicates_are_rejected() -> None:
    """ExecutionListenersValidator: the job type is required, and an (eventType, type) pair
    may appear once ("Found '2' duplicates based on eventType[start] and type[audit], these
    combinations should be unique.")."""
    body = _task_with(("start", "audit"), ("start", "audit"), ("end", ""))
    assert rejection(body) == "'test.bpmn': " + entry(
        "a > extensionElements > executionListeners > executionListener",
        "Attribute 'type' must be present and not empty",
    ) + entry(
        "a > extensionElements > executionListeners",
        "Found '2' duplicates based on eventType[start] and type[audit], these "
        "combinations should be unique.",
    )


def test_listener_type_expressions_must_parse() -> None:
    """Spec 7.1: a `=` value is FEEL and is compiled at deployment like any other."""
    detail = rejection(_task_with(("start", "=1 +")))
    listener = "a > extensionElements > executionListeners > executionListener"
    assert f"- Element: {listener}\n    - ERROR: failed to parse expression '1 +'" in detail
