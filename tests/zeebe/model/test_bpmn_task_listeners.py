"""`zeebe:taskListeners` on Camunda user tasks (zeebe-spec §6: "`zeebe:taskListeners` >
`zeebe:taskListener` | `eventType`, `type`, `retries` | user task"; docs "User task listeners":
"If multiple user task listeners of the same eventType ... are defined on the same user task,
they are executed sequentially ... in the order they are defined in the BPMN model"). Deploy
rules: Zeebe's TaskListenersValidator, TaskListenerValidator and the required attributes."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, entry, only_error, parse_one, rejection

from zeebe.model.elements import Expression
from zeebe.model.task_listeners import TaskListener, unsupported_event_type

# Zeebe's ValidationErrorFormatter names an id-less `zeebe:taskListener` by its ancestors
LISTENER = "a > extensionElements > taskListeners > taskListener"

pytestmark = pytest.mark.unit


def _listeners(*attributes: str) -> str:
    inner = "".join(f"<zeebe:taskListener {attrs} />" for attrs in attributes)
    return f"<zeebe:taskListeners>{inner}</zeebe:taskListeners>"


def _user_task(*attributes: str, marker: str = "<zeebe:userTask />") -> str:
    task = (
        f'<bpmn:userTask id="a"><bpmn:extensionElements>{marker}{_listeners(*attributes)}'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    ends = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
    return ends + task + chain("start", "a", "end")


def test_listeners_are_read_in_document_order_with_default_retries() -> None:
    """Type is static or FEEL; retries default to "3" as for any job (spec 9.3)."""
    body = _user_task(
        'eventType="completing" type="audit"',
        'eventType="assigning" type="=listenerType" retries="5"',
    )
    assert parse_one(body).elements["a"].task_listeners == (
        TaskListener("completing", Expression("audit", False), Expression("3", False)),
        TaskListener("assigning", Expression("listenerType", True), Expression("5", False)),
    )


@pytest.mark.parametrize(
    ("deprecated", "current"),
    [
        ("create", "creating"),
        ("assignment", "assigning"),
        ("update", "updating"),
        ("complete", "completing"),
        ("cancel", "canceling"),
    ],
)
def test_deprecated_8_7_event_types_mean_the_8_8_ones(deprecated: str, current: str) -> None:
    """ZeebeTaskListenerEventType: `assignment` is "@deprecated use assigning instead" (and so
    on); the engine treats both alike."""
    body = _user_task(f'eventType="{deprecated}" type="audit"')
    assert parse_one(body).elements["a"].task_listeners[0].event_type == current


def test_an_unknown_event_type_is_rejected_with_zeebes_message() -> None:
    """TaskListenerValidator: "Task listener event type '...' is not supported. Currently, only
    ... event types and ... deprecated event types are supported."."""
    message = unsupported_event_type("finishing")
    assert message.startswith("Task listener event type 'finishing' is not supported.")
    assert "'creating', 'assigning', 'updating', 'completing', 'canceling'" in message
    assert rejection(_user_task('eventType="finishing" type="audit"')) == only_error(
        LISTENER, message
    )


def test_a_listener_needs_a_type() -> None:
    """ZeebeTaskListener: "Attribute 'type' must be present and not empty"."""
    assert rejection(_user_task('eventType="completing"')) == only_error(
        LISTENER, "Attribute 'type' must be present and not empty"
    )


def test_a_listener_needs_an_event_type() -> None:
    """ZeebeTaskListener: the eventType attribute is required."""
    assert rejection(_user_task('type="audit"')) == only_error(
        LISTENER, "Attribute 'eventType' must be present and not empty"
    )


def test_listeners_on_a_job_based_user_task_are_rejected() -> None:
    """TaskListenersValidator: "Task listeners are only allowed on Camunda user tasks."."""
    body = _user_task('eventType="completing" type="audit"', marker="")
    assert rejection(body) == only_error(
        "a > extensionElements > taskListeners",
        "Task listeners are only allowed on Camunda user tasks.",
    )


def test_listeners_on_a_service_task_are_rejected() -> None:
    """The same rule for any element that is not a Camunda user task."""
    listeners = _listeners('eventType="completing" type="audit"')
    task = (
        '<bpmn:serviceTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type="w" />'
        f"{listeners}</bpmn:extensionElements></bpmn:serviceTask>"
    )
    body = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + task
    assert rejection(body + chain("start", "a", "end")) == only_error(
        "a > extensionElements > taskListeners",
        "Task listeners are only allowed on Camunda user tasks.",
    )


def test_several_problems_are_reported_together() -> None:
    """Each listener is checked; all messages of the element are listed."""
    body = _user_task('eventType="finishing" type="a"', 'eventType="completing" type=""')
    report = rejection(body)
    assert entry(LISTENER, unsupported_event_type("finishing")).split("\n")[1] in report
    assert "Attribute 'type' must be present and not empty" in report
