"""Reader for `zeebe:executionListeners` of a process or flow node (spec section 6)."""

from __future__ import annotations

from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.elements import ExecutionListener, Expression
from zeebe.model.errors import ValidationEntry, extension_path
from zeebe.model.extensions import DEFAULT_RETRIES, required_attribute
from zeebe.model.xmlns import extension, zeebe

_EXECUTION_LISTENER = extension_path("executionListeners", "executionListener")


def read_execution_listeners(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> tuple[ExecutionListener, ...]:
    """`zeebe:executionListeners`: each listener needs a job type; Zeebe's
    ExecutionListenersValidator rejects repeated (eventType, type) pairs."""
    container = extension(node, "executionListeners")
    if container is None:
        return ()
    listeners: list[ExecutionListener] = []
    seen: dict[tuple[str, str | None], int] = {}
    for child in container.findall(zeebe("executionListener")):
        event_type = child.get("eventType") or "start"
        job_type = required_attribute(child, "type", element_id, issues, _EXECUTION_LISTENER)
        key = (event_type, job_type)
        seen[key] = seen.get(key, 0) + 1
        retries = child.get("retries") or DEFAULT_RETRIES
        listeners.append(
            ExecutionListener(event_type, Expression.of(job_type or ""), Expression.of(retries))
        )
    for (event_type, job_type), count in seen.items():
        if count > 1:
            # ExecutionListenersValidator is registered on `zeebe:executionListeners`
            issues.append(
                ValidationEntry(
                    element_id,
                    _duplicates(count, event_type, job_type),
                    extension_path("executionListeners"),
                )
            )
    return tuple(listeners)


def _duplicates(count: int, event_type: str, job_type: str | None) -> str:
    return (
        f"Found '{count}' duplicates based on eventType[{event_type}] and "
        f"type[{'null' if job_type is None else job_type}], "
        "these combinations should be unique."
    )
