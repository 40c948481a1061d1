"""A fluent BPMN builder for tests, in the spirit of Zeebe's `Bpmn.createExecutableProcess`.

    >>> from zeebe.model import parse_bpmn
    >>> xml = (
    ...     ProcessBuilder("order")
    ...     .start()
    ...     .service_task("reserve", type="cart.reserve")
    ...     .exclusive_gateway("paid")
    ...     .condition("= paid").end("done")
    ...     .move_to("paid").default_flow().end("cancelled")
    ...     .to_xml()
    ... )
    >>> parse_bpmn(xml, "order.bpmn").processes[0].element("paid").outgoing
    ('Flow_paid_done', 'Flow_paid_cancelled')

Each flow node is connected from the *cursor* (the last added node, or `move_to(id)`), and
becomes the new cursor; `connect_to(id)` joins into an existing node. `boundary(...)`,
`sub_process(...)` / `event_sub_process(...)` ... `sub_process_end()` add attached and nested
elements. The output is Camunda-Modeler-style XML with `bpmndi` shapes and edges laid out left to
right on a grid, so it opens in Modeler and passes bpmnlint. Subprocesses are drawn collapsed,
each on its own diagram plane (Modeler 5 style). Names default to ids (bpmnlint `label-required`).

This module is the public face: `ProcessBuilder` (activities, gateways, subprocesses) and the
names tests import. The parts live beside it: `bpmn_xml` (XML text helpers), `bpmn_events`
(event definitions), `bpmn_graph` (the recorded graph and its grid), `bpmn_cursor` (the cursor
model), `bpmn_event_nodes` (event elements) and `bpmn_render` (XML and diagram output).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from zeebe.testing.bpmn_event_nodes import EventNodes
from zeebe.testing.bpmn_events import (
    Compensation,
    Error,
    Escalation,
    EventDefinition,
    Link,
    Message,
    Signal,
    Terminate,
    Timer,
)
from zeebe.testing.bpmn_render import COLUMN_WIDTH, ORIGIN_X, ORIGIN_Y, ROW_HEIGHT, SIZES, render
from zeebe.testing.bpmn_xml import (
    Mapping,
    MultiInstance,
    attrs,
    extensions,
    io_mapping,
    loop_characteristics,
    task_definition,
    task_headers,
)

__all__ = [
    "COLUMN_WIDTH",
    "ORIGIN_X",
    "ORIGIN_Y",
    "ROW_HEIGHT",
    "SIZES",
    "Compensation",
    "Error",
    "Escalation",
    "EventDefinition",
    "Link",
    "Mapping",
    "Message",
    "MultiInstance",
    "ProcessBuilder",
    "Signal",
    "Terminate",
    "Timer",
]


class ProcessBuilder(EventNodes):
    """Builds one executable process; see the module docstring for the cursor model."""

    def _activity(
        self,
        element_id: str,
        tag: str,
        name: str | None,
        parts: Sequence[str],
        loop: MultiInstance | None = None,
        **values: str | None,
    ) -> Self:
        node = self._node(element_id, tag, "task", name, **values)
        node.head = extensions(*parts)
        node.tail = loop_characteristics(loop)
        return self._add(node)

    def service_task(
        self,
        element_id: str,
        *,
        type: str,  # shadows the builtin on purpose: it is the taskDefinition attribute name
        retries: str | int | None = None,
        headers: dict[str, str] | None = None,
        inputs: Sequence[Mapping] | None = None,
        outputs: Sequence[Mapping] | None = None,
        loop: MultiInstance | None = None,
        name: str | None = None,
        tag: str = "serviceTask",
    ) -> Self:
        """A job-based task; `tag` selects sendTask / scriptTask / businessRuleTask."""
        parts = (task_definition(type, retries), task_headers(headers), io_mapping(inputs, outputs))
        return self._activity(element_id, tag, name, parts, loop)

    def send_task(self, element_id: str, *, type: str, name: str | None = None) -> Self:
        """A job-based send task."""
        return self.service_task(element_id, type=type, name=name, tag="sendTask")

    def script_task(
        self, element_id: str, *, expression: str, result_variable: str, name: str | None = None
    ) -> Self:
        """A FEEL script task evaluated by the engine (`zeebe:script`)."""
        script = attrs({"expression": expression, "resultVariable": result_variable})
        return self._activity(element_id, "scriptTask", name, [f"<zeebe:script{script} />"])

    def user_task(
        self,
        element_id: str,
        *,
        job_based: bool = False,
        inputs: Sequence[Mapping] | None = None,
        outputs: Sequence[Mapping] | None = None,
        name: str | None = None,
    ) -> Self:
        """A Camunda user task (`zeebe:userTask`), or the job-based variant."""
        marker = "" if job_based else "<zeebe:userTask />"
        return self._activity(element_id, "userTask", name, [marker, io_mapping(inputs, outputs)])

    def receive_task(
        self,
        element_id: str,
        *,
        message: Message,
        outputs: Sequence[Mapping] | None = None,
        name: str | None = None,
    ) -> Self:
        """A receive task waiting for `message`."""
        ref = self._graph.refs.message(message.name, message.correlation_key)
        parts = [io_mapping(None, outputs)]
        return self._activity(element_id, "receiveTask", name, parts, messageRef=ref)

    def manual_task(self, element_id: str, *, name: str | None = None) -> Self:
        """A pass-through manual task."""
        return self._activity(element_id, "manualTask", name, [])

    def task(self, element_id: str, *, name: str | None = None) -> Self:
        """A pass-through undefined task."""
        return self._activity(element_id, "task", name, [])

    def call_activity(
        self,
        element_id: str,
        *,
        process_id: str,
        propagate_all_child_variables: bool | None = None,
        inputs: Sequence[Mapping] | None = None,
        outputs: Sequence[Mapping] | None = None,
        loop: MultiInstance | None = None,
        name: str | None = None,
    ) -> Self:
        """A call activity of `process_id` (`zeebe:calledElement`)."""
        flag = propagate_all_child_variables
        called = attrs(
            {
                "processId": process_id,
                "propagateAllChildVariables": None if flag is None else str(flag).lower(),
            }
        )
        parts = (f"<zeebe:calledElement{called} />", io_mapping(inputs, outputs))
        return self._activity(element_id, "callActivity", name, parts, loop)

    def _gateway(self, element_id: str, tag: str, name: str | None) -> Self:
        return self._add(self._node(element_id, tag, "gateway", name))

    def exclusive_gateway(self, element_id: str, *, name: str | None = None) -> Self:
        """An exclusive gateway (use `condition()` / `default_flow()` for its branches)."""
        return self._gateway(element_id, "exclusiveGateway", name)

    def parallel_gateway(self, element_id: str, *, name: str | None = None) -> Self:
        """A parallel gateway (fork or join)."""
        return self._gateway(element_id, "parallelGateway", name)

    def inclusive_gateway(self, element_id: str, *, name: str | None = None) -> Self:
        """An inclusive gateway."""
        return self._gateway(element_id, "inclusiveGateway", name)

    def event_based_gateway(self, element_id: str, *, name: str | None = None) -> Self:
        """An event-based gateway (follow with `intermediate_catch` branches)."""
        return self._gateway(element_id, "eventBasedGateway", name)

    def sub_process(
        self,
        element_id: str,
        *,
        inputs: Sequence[Mapping] | None = None,
        outputs: Sequence[Mapping] | None = None,
        loop: MultiInstance | None = None,
        name: str | None = None,
    ) -> Self:
        """Open an embedded subprocess; add its content, then call `sub_process_end()`."""
        self._activity(element_id, "subProcess", name, [io_mapping(inputs, outputs)], loop)
        return self._open(element_id, resume=element_id)

    def event_sub_process(self, element_id: str, *, name: str | None = None) -> Self:
        """Open an event subprocess in the current scope; close it with `sub_process_end()`."""
        resume = self._scope.cursor
        node = self._node(element_id, "subProcess", "task", name, triggeredByEvent="true")
        self._add(node, connect=False)
        return self._open(element_id, resume=resume)

    def to_xml(self) -> bytes:
        """The BPMN document (UTF-8), with diagram interchange for every plane."""
        if len(self._stack) != 1:
            raise ValueError("a subprocess is still open: call sub_process_end()")
        return render(self._graph, self.name, self.version_tag)
