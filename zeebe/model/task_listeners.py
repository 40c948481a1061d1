"""`zeebe:taskListeners` on Camunda user tasks (Zeebe 8.7+, extended in 8.8).

Each `zeebe:taskListener` names the lifecycle event it reacts to (`eventType`), the job type its
worker serves (`type`, static or FEEL) and the job's `retries` (default "3"). The model keeps
them in document order; listeners of one event run one after the other in that order.

Event type names: Zeebe 8.8 accepts `creating`, `assigning`, `updating`, `completing`,
`canceling` and the 8.7 names `create`, `assignment`, `update`, `complete`, `cancel`, which its
model marks deprecated and the engine treats as the new ones; so do we (`CANONICAL`).

Deploy checks (Zeebe's `TaskListenersValidator`, `TaskListenerValidator`, and the required
attributes of `ZeebeTaskListener`) are reported while reading, as for execution listeners.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.elements import Expression
from zeebe.model.errors import ValidationEntry, extension_path
from zeebe.model.xmlns import extension, zeebe

DEFAULT_RETRIES = "3"

# ZeebeElementValidator reports a missing attribute on the `zeebe:taskListener` itself
_TASK_LISTENER = extension_path("taskListeners", "taskListener")

CANONICAL: dict[str, str] = {
    "creating": "creating",
    "assigning": "assigning",
    "updating": "updating",
    "completing": "completing",
    "canceling": "canceling",
    "create": "creating",
    "assignment": "assigning",
    "update": "updating",
    "complete": "completing",
    "cancel": "canceling",
}
"""Every accepted `eventType` spelling -> the 8.8 name the engine uses."""

SUPPORTED = ("creating", "assigning", "updating", "completing", "canceling")
DEPRECATED = ("create", "assignment", "update", "complete", "cancel")

ONLY_ON_CAMUNDA_USER_TASKS = "Task listeners are only allowed on Camunda user tasks."
_DEFAULT_RETRIES = Expression(DEFAULT_RETRIES, False)


@dataclass(frozen=True, slots=True)
class TaskListener:
    """One `zeebe:taskListener`: `event_type` is the 8.8 name (see `CANONICAL`)."""

    event_type: str
    type: Expression
    retries: Expression = _DEFAULT_RETRIES


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def unsupported_event_type(event_type: str) -> str:
    """Zeebe's TaskListenerValidator message for an event type it does not know."""
    return (
        f"Task listener event type '{event_type}' is not supported. Currently, only "
        f"{_quoted(SUPPORTED)} event types and {_quoted(DEPRECATED)} deprecated event types "
        "are supported."
    )


def _required(child: XmlElement, attr: str, element_id: str, issues: list[ValidationEntry]) -> str:
    value = child.get(attr) or ""
    if not value.strip():
        issues.append(
            ValidationEntry(
                element_id, f"Attribute '{attr}' must be present and not empty", _TASK_LISTENER
            )
        )
    return value


def _listener(
    child: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> TaskListener | None:
    raw_event = _required(child, "eventType", element_id, issues)
    job_type = _required(child, "type", element_id, issues)
    if raw_event.strip() and raw_event not in CANONICAL:
        # TaskListenerValidator is registered on `zeebe:taskListener`
        issues.append(
            ValidationEntry(element_id, unsupported_event_type(raw_event), _TASK_LISTENER)
        )
    if raw_event not in CANONICAL or not job_type.strip():
        return None
    retries = child.get("retries") or DEFAULT_RETRIES
    return TaskListener(CANONICAL[raw_event], Expression.of(job_type), Expression.of(retries))


def read_task_listeners(
    node: XmlElement, element_id: str, issues: list[ValidationEntry], *, camunda_user_task: bool
) -> tuple[TaskListener, ...]:
    """The task listeners of a flow node, in document order; listeners anywhere but on a
    Camunda user task (`zeebe:userTask`) are a deploy error."""
    container = extension(node, "taskListeners")
    if container is None:
        return ()
    children = container.findall(zeebe("taskListener"))
    if children and not camunda_user_task:
        # TaskListenersValidator is registered on `zeebe:taskListeners`
        issues.append(
            ValidationEntry(element_id, ONLY_ON_CAMUNDA_USER_TASKS, extension_path("taskListeners"))
        )
        return ()
    listeners = (_listener(child, element_id, issues) for child in children)
    return tuple(listener for listener in listeners if listener is not None)
