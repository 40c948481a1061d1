"""Event elements of the test BPMN builder: start, intermediate, end and boundary events.

`ProcessBuilder` extends `EventNodes`; one fluent class is spread over modules by element family,
and a linear chain of bases keeps every method returning the caller's type (`Self`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from zeebe.testing.bpmn_cursor import CursorBuilder
from zeebe.testing.bpmn_events import Compensation, EventDefinition
from zeebe.testing.bpmn_xml import Mapping, extensions, io_mapping, safe_id, task_definition


class EventNodes(CursorBuilder):
    """The event methods of `ProcessBuilder`."""

    def start(
        self,
        element_id: str = "start",
        *,
        event: EventDefinition | None = None,
        interrupting: bool = True,
        name: str | None = None,
        outputs: Sequence[Mapping] | None = None,
    ) -> Self:
        """A start event (none, or message/timer/signal; in event subprocesses also
        error/escalation). Starts a new row of the layout."""
        flag = None if interrupting else "false"
        head = extensions(io_mapping(None, outputs))
        node = self._event(element_id, "startEvent", name, event, head, isInterrupting=flag)
        return self._add(node, connect=False)

    def intermediate_catch(
        self,
        element_id: str,
        *,
        event: EventDefinition,
        name: str | None = None,
        outputs: Sequence[Mapping] | None = None,
    ) -> Self:
        """A message, timer, signal or link catch event."""
        head = extensions(io_mapping(None, outputs))
        return self._add(self._event(element_id, "intermediateCatchEvent", name, event, head))

    def intermediate_throw(
        self,
        element_id: str,
        *,
        event: EventDefinition | None = None,
        job_type: str | None = None,
        name: str | None = None,
    ) -> Self:
        """A none/signal/escalation/compensation/link throw, or a job-based message throw."""
        head = extensions(task_definition(job_type, None)) if job_type else ""
        return self._add(self._event(element_id, "intermediateThrowEvent", name, event, head))

    def end(
        self,
        element_id: str = "end",
        *,
        event: EventDefinition | None = None,
        job_type: str | None = None,
        name: str | None = None,
    ) -> Self:
        """An end event (none, error, terminate, compensation, signal, escalation, message)."""
        head = extensions(task_definition(job_type, None)) if job_type else ""
        return self._add(self._event(element_id, "endEvent", name, event, head))

    def boundary(
        self,
        element_id: str,
        *,
        attached_to: str,
        event: EventDefinition,
        interrupting: bool = True,
        name: str | None = None,
        outputs: Sequence[Mapping] | None = None,
    ) -> Self:
        """A boundary event on `attached_to`; continue its path from here."""
        head = extensions(io_mapping(None, outputs))
        flag = None if interrupting else "false"
        node = self._event(
            element_id,
            "boundaryEvent",
            name,
            event,
            head,
            cancelActivity=flag,
            attachedToRef=attached_to,
        )
        return self._add(node, connect=False)

    def compensation(
        self, attached_to: str, *, handler: str, handler_type: str, boundary: str | None = None
    ) -> Self:
        """Attach a compensation boundary event and a job-based handler (`isForCompensation`),
        linked by an association. The cursor stays where it was."""
        cursor = self._scope.cursor
        boundary_id = boundary or f"{attached_to}_compensation"
        self.boundary(boundary_id, attached_to=attached_to, event=Compensation())
        task = self._node(handler, "serviceTask", "task", None, isForCompensation="true")
        task.head = extensions(task_definition(handler_type, None))
        self._add(task, connect=False, below=self._graph.nodes[attached_to])
        association = (f"Association_{safe_id(boundary_id)}", boundary_id, handler)
        self._graph.associations.append(association)
        self._scope.cursor = cursor
        return self
