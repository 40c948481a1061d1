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

It is one module on purpose (the only file of `zeebe.testing` this part of the project owns); the
XML helpers at the top are pure string functions, `ProcessBuilder` records nodes and flows, and
rendering happens once in `to_xml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Self
from xml.sax.saxutils import escape, quoteattr

Mapping = tuple[str, str]
"""An io mapping as (source, target), e.g. ("= order.total", "amount")."""

SIZES = {"event": (36, 36), "task": (100, 80), "gateway": (50, 50)}
COLUMN_WIDTH, ROW_HEIGHT, ORIGIN_X, ORIGIN_Y = 150, 130, 150, 120


@dataclass(frozen=True, slots=True)
class MultiInstance:
    """Multi-instance loop characteristics (`zeebe:loopCharacteristics`)."""

    input_collection: str
    input_element: str | None = None
    output_collection: str | None = None
    output_element: str | None = None
    sequential: bool = False
    completion_condition: str | None = None


def _attrs(values: dict[str, str | None]) -> str:
    return "".join(
        f" {key}={quoteattr(value)}" for key, value in values.items() if value is not None
    )


def _extensions(*parts: str) -> str:
    body = "".join(parts)
    return f"<bpmn:extensionElements>{body}</bpmn:extensionElements>" if body else ""


def _task_definition(job_type: str, retries: str | int | None) -> str:
    retry_text = None if retries is None else str(retries)
    return f"<zeebe:taskDefinition{_attrs({'type': job_type, 'retries': retry_text})} />"


def _headers(headers: dict[str, str] | None) -> str:
    if not headers:
        return ""
    items = "".join(f"<zeebe:header{_attrs({'key': k, 'value': v})} />" for k, v in headers.items())
    return f"<zeebe:taskHeaders>{items}</zeebe:taskHeaders>"


def _io(inputs: Sequence[Mapping] | None, outputs: Sequence[Mapping] | None) -> str:
    parts = [
        f"<zeebe:{kind}{_attrs({'source': source, 'target': target})} />"
        for kind, mappings in (("input", inputs or ()), ("output", outputs or ()))
        for source, target in mappings
    ]
    return f"<zeebe:ioMapping>{''.join(parts)}</zeebe:ioMapping>" if parts else ""


def _loop(loop: MultiInstance | None) -> str:
    if loop is None:
        return ""
    zeebe_loop = _attrs(
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
        f"{_extensions(f'<zeebe:loopCharacteristics{zeebe_loop} />')}{condition}"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )


_XML_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


@dataclass(slots=True)
class _Node:
    """A flow node being built (mutable: the builder fills flows and layout in later)."""

    id: str
    tag: str
    kind: str
    scope: str
    attrs: dict[str, str | None]
    head: str = ""
    tail: str = ""
    col: int = 0
    row: int = 0
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Flow:
    id: str
    source: str
    target: str
    scope: str
    condition: str | None = None
    name: str | None = None


@dataclass(slots=True)
class _Scope:
    """A process or subprocess plane: its nodes in order and the layout grid."""

    id: str
    nodes: list[str] = field(default_factory=list)
    taken: set[tuple[int, int]] = field(default_factory=set)
    cursor: str | None = None


@dataclass(slots=True)
class _Refs:
    """Root elements (messages, errors, signals, escalations) referenced by event definitions."""

    messages: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    signals: dict[str, str] = field(default_factory=dict)
    escalations: dict[str, str] = field(default_factory=dict)

    def message(self, name: str, correlation_key: str | None) -> str:
        """The id of the `bpmn:message` named `name` (one per name, one correlation key)."""
        message_id, known_key = self.messages.get(name, (f"Message_{_safe_id(name)}", None))
        if known_key and correlation_key and known_key != correlation_key:
            raise ValueError(f"message {name!r} already has correlation key {known_key!r}")
        self.messages[name] = (message_id, correlation_key or known_key)
        return message_id

    def to_xml(self) -> str:
        """The root elements, Modeler-style."""
        parts = []
        for name, (message_id, key) in self.messages.items():
            subscription = (
                _extensions(f"<zeebe:subscription{_attrs({'correlationKey': key})} />")
                if key
                else ""
            )
            parts.append(
                f"<bpmn:message{_attrs({'id': message_id, 'name': name})}>{subscription}"
                "</bpmn:message>"
            )
        for table, tag, attr in (
            (self.errors, "error", "errorCode"),
            (self.escalations, "escalation", "escalationCode"),
            (self.signals, "signal", "name"),
        ):
            parts.extend(
                f"<bpmn:{tag}{_attrs({'id': ref_id, 'name': value, attr: value})} />"
                for value, ref_id in table.items()
            )
        return "".join(parts)


def _definition(tag: str, def_id: str, **attrs: str | None) -> str:
    return f"<bpmn:{tag}{_attrs({'id': def_id, **attrs})} />"


@dataclass(frozen=True, slots=True)
class Message:
    """A message event definition; the correlation key goes on the `bpmn:message`."""

    name: str
    correlation_key: str | None = None

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = refs.message(self.name, self.correlation_key)
        return _definition("messageEventDefinition", def_id, messageRef=ref)


@dataclass(frozen=True, slots=True)
class Timer:
    """A timer event definition: `Timer.duration("PT1M")`, `.date(...)` or `.cycle(...)`."""

    kind: str
    value: str

    @staticmethod
    def duration(value: str) -> Timer:
        """A `timeDuration` timer."""
        return Timer("timeDuration", value)

    @staticmethod
    def date(value: str) -> Timer:
        """A `timeDate` timer."""
        return Timer("timeDate", value)

    @staticmethod
    def cycle(value: str) -> Timer:
        """A `timeCycle` timer."""
        return Timer("timeCycle", value)

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        value = f'<bpmn:{self.kind} xsi:type="bpmn:tFormalExpression">{escape(self.value)}'
        return (
            f"<bpmn:timerEventDefinition{_attrs({'id': def_id})}>{value}</bpmn:{self.kind}>"
            "</bpmn:timerEventDefinition>"
        )


@dataclass(frozen=True, slots=True)
class Error:
    """An error event definition; `code=None` on a catch event catches all errors."""

    code: str | None = None

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = (
            refs.errors.setdefault(self.code, f"Error_{_safe_id(self.code)}") if self.code else None
        )
        return _definition("errorEventDefinition", def_id, errorRef=ref)


@dataclass(frozen=True, slots=True)
class Escalation:
    """An escalation event definition; `code=None` on a catch event catches all."""

    code: str | None = None

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = (
            refs.escalations.setdefault(self.code, f"Escalation_{_safe_id(self.code)}")
            if self.code
            else None
        )
        return _definition("escalationEventDefinition", def_id, escalationRef=ref)


@dataclass(frozen=True, slots=True)
class Signal:
    """A signal event definition."""

    name: str

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = refs.signals.setdefault(self.name, f"Signal_{_safe_id(self.name)}")
        return _definition("signalEventDefinition", def_id, signalRef=ref)


@dataclass(frozen=True, slots=True)
class Compensation:
    """A compensation event definition (`activity_ref=None`: the whole scope)."""

    activity_ref: str | None = None

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("compensateEventDefinition", def_id, activityRef=self.activity_ref)


@dataclass(frozen=True, slots=True)
class Terminate:
    """A terminate end event definition."""

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("terminateEventDefinition", def_id)


@dataclass(frozen=True, slots=True)
class Link:
    """A link event definition, paired by name."""

    name: str

    def render(self, refs: _Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("linkEventDefinition", def_id, name=self.name)


EventDefinition = Message | Timer | Error | Escalation | Signal | Compensation | Terminate | Link


class ProcessBuilder:
    """Builds one executable process; see the module docstring for the cursor model."""

    def __init__(
        self, process_id: str, *, name: str | None = None, version_tag: str | None = None
    ) -> None:
        self.process_id = process_id
        self.name = name
        self.version_tag = version_tag
        self._nodes: dict[str, _Node] = {}
        self._flows: list[_Flow] = []
        self._associations: list[tuple[str, str, str]] = []
        self._scopes: dict[str, _Scope] = {process_id: _Scope(process_id)}
        self._stack: list[tuple[str, str | None]] = [(process_id, None)]
        self._refs = _Refs()
        self._condition: str | None = None
        self._flow_name: str | None = None
        self._default = False

    @property
    def _scope(self) -> _Scope:
        return self._scopes[self._stack[-1][0]]

    def move_to(self, element_id: str) -> Self:
        """Continue from an existing node (e.g. a gateway, to add its next branch)."""
        self._scopes[self._nodes[element_id].scope].cursor = element_id
        return self

    def connect_to(self, element_id: str) -> Self:
        """Add a flow from the cursor to an existing node (a join) and move there."""
        self._connect(self._cursor(), element_id)
        self._scope.cursor = element_id
        return self

    def condition(self, expression: str, *, name: str | None = None) -> Self:
        """Give the next flow out of the cursor this condition (`= ...`) and a label
        (default: the expression text, since bpmnlint wants conditional flows labelled)."""
        self._condition = expression
        self._flow_name = name or expression.lstrip("= ").strip()
        return self

    def default_flow(self) -> Self:
        """Make the next flow out of the cursor (a gateway) its default flow."""
        self._default = True
        return self

    def _cursor(self) -> str:
        cursor = self._scope.cursor
        if cursor is None:
            raise ValueError("no current element: add a start event or use move_to()")
        return cursor

    def _connect(self, source: str, target: str) -> None:
        flow_id = f"Flow_{_safe_id(source)}_{_safe_id(target)}"
        while any(f.id == flow_id for f in self._flows):
            flow_id += "_"
        scope = self._nodes[source].scope
        self._flows.append(_Flow(flow_id, source, target, scope, self._condition, self._flow_name))
        if self._default:
            self._nodes[source].attrs["default"] = flow_id
        self._condition, self._flow_name, self._default = None, None, False
        self._nodes[source].outgoing.append(flow_id)
        self._nodes[target].incoming.append(flow_id)

    def _place(self, node: _Node, scope: _Scope, after: _Node | None, below: _Node | None) -> None:
        if below is not None:
            col, row = below.col, below.row + 1
        elif after is not None:
            col, row = after.col + 1, after.row + len(after.outgoing)
        else:
            col, row = 0, max((r for _, r in scope.taken), default=-1) + 1
        while (col, row) in scope.taken:
            row += 1
        node.col, node.row = col, row
        scope.taken.add((col, row))

    def _add(
        self,
        node: _Node,
        *,
        connect: bool = True,
        below: _Node | None = None,
    ) -> Self:
        if node.id in self._nodes or node.id == self.process_id:
            raise ValueError(f"duplicate element id {node.id!r}")
        if not _XML_ID.match(node.id):
            raise ValueError(f"{node.id!r} is not a valid XML id (letters, digits, _ . -)")
        scope = self._scope
        source = scope.cursor if connect else None
        if node.tag == "boundaryEvent":
            host = self._nodes[node.attrs["attachedToRef"] or ""]
            node.col, node.row = host.col, host.row + 1
        else:
            self._place(node, scope, self._nodes[source] if source else None, below)
        self._nodes[node.id] = node
        scope.nodes.append(node.id)
        if source is not None:
            self._connect(source, node.id)
        scope.cursor = node.id
        return self

    def _node(
        self, element_id: str, tag: str, kind: str, name: str | None, **attrs: str | None
    ) -> _Node:
        return _Node(
            id=element_id,
            tag=tag,
            kind=kind,
            scope=self._scope.id,
            attrs={"id": element_id, "name": name or element_id, **attrs},
        )

    def _event(
        self,
        element_id: str,
        tag: str,
        name: str | None,
        event: EventDefinition | None,
        head: str = "",
        **attrs: str | None,
    ) -> _Node:
        node = self._node(element_id, tag, "event", name, **attrs)
        node.head = head
        if event is not None:
            node.tail = event.render(self._refs, f"{_safe_id(element_id)}_definition")
        return node

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
        head = _extensions(_io(None, outputs))
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
        head = _extensions(_io(None, outputs))
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
        head = _extensions(_task_definition(job_type, None)) if job_type else ""
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
        head = _extensions(_task_definition(job_type, None)) if job_type else ""
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
        head = _extensions(_io(None, outputs))
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
        task.head = _extensions(_task_definition(handler_type, None))
        self._add(task, connect=False, below=self._nodes[attached_to])
        self._associations.append((f"Association_{_safe_id(boundary_id)}", boundary_id, handler))
        self._scope.cursor = cursor
        return self

    def _activity(
        self,
        element_id: str,
        tag: str,
        name: str | None,
        extensions: Sequence[str],
        loop: MultiInstance | None = None,
        **attrs: str | None,
    ) -> Self:
        node = self._node(element_id, tag, "task", name, **attrs)
        node.head = _extensions(*extensions)
        node.tail = _loop(loop)
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
        extensions = (_task_definition(type, retries), _headers(headers), _io(inputs, outputs))
        return self._activity(element_id, tag, name, extensions, loop)

    def send_task(self, element_id: str, *, type: str, name: str | None = None) -> Self:
        """A job-based send task."""
        return self.service_task(element_id, type=type, name=name, tag="sendTask")

    def script_task(
        self, element_id: str, *, expression: str, result_variable: str, name: str | None = None
    ) -> Self:
        """A FEEL script task evaluated by the engine (`zeebe:script`)."""
        script = _attrs({"expression": expression, "resultVariable": result_variable})
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
        return self._activity(element_id, "userTask", name, [marker, _io(inputs, outputs)])

    def receive_task(
        self,
        element_id: str,
        *,
        message: Message,
        outputs: Sequence[Mapping] | None = None,
        name: str | None = None,
    ) -> Self:
        """A receive task waiting for `message`."""
        ref = self._refs.message(message.name, message.correlation_key)
        return self._activity(element_id, "receiveTask", name, [_io(None, outputs)], messageRef=ref)

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
        called = _attrs(
            {
                "processId": process_id,
                "propagateAllChildVariables": None if flag is None else str(flag).lower(),
            }
        )
        extensions = (f"<zeebe:calledElement{called} />", _io(inputs, outputs))
        return self._activity(element_id, "callActivity", name, extensions, loop)

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
        self._activity(element_id, "subProcess", name, [_io(inputs, outputs)], loop)
        return self._open(element_id, resume=element_id)

    def event_sub_process(self, element_id: str, *, name: str | None = None) -> Self:
        """Open an event subprocess in the current scope; close it with `sub_process_end()`."""
        resume = self._scope.cursor
        node = self._node(element_id, "subProcess", "task", name, triggeredByEvent="true")
        self._add(node, connect=False)
        return self._open(element_id, resume=resume)

    def _open(self, element_id: str, *, resume: str | None) -> Self:
        self._scopes[element_id] = _Scope(element_id)
        self._stack.append((element_id, resume))
        return self

    def sub_process_end(self) -> Self:
        """Close the innermost (event) subprocess and continue in its parent scope."""
        if len(self._stack) == 1:
            raise ValueError("no open subprocess")
        _, resume = self._stack.pop()
        self._scope.cursor = resume
        return self

    def to_xml(self) -> bytes:
        """The BPMN document (UTF-8), with diagram interchange for every plane."""
        if len(self._stack) != 1:
            raise ValueError("a subprocess is still open: call sub_process_end()")
        version = (
            _extensions(f"<zeebe:versionTag{_attrs({'value': self.version_tag})} />")
            if self.version_tag
            else ""
        )
        process_attrs = _attrs({"id": self.process_id, "name": self.name})
        diagrams = "".join(self._diagram(scope_id) for scope_id in self._scopes)
        text = (
            f'{_HEADER}<bpmn:process{process_attrs} isExecutable="true">{version}'
            f"{self._scope_xml(self.process_id)}</bpmn:process>{self._refs.to_xml()}"
            f"{diagrams}</bpmn:definitions>\n"
        )
        return text.encode()

    def _node_xml(self, node: _Node) -> str:
        flows = "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in node.incoming)
        flows += "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in node.outgoing)
        children = self._scope_xml(node.id) if node.id in self._scopes else ""
        return (
            f"<bpmn:{node.tag}{_attrs(node.attrs)}>{node.head}{flows}{node.tail}{children}"
            f"</bpmn:{node.tag}>"
        )

    def _scope_xml(self, scope_id: str) -> str:
        parts = [self._node_xml(self._nodes[n]) for n in self._scopes[scope_id].nodes]
        for flow in self._flows:
            if flow.scope != scope_id:
                continue
            attrs = _attrs(
                {
                    "id": flow.id,
                    "name": flow.name,
                    "sourceRef": flow.source,
                    "targetRef": flow.target,
                }
            )
            condition = (
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                f"{escape(flow.condition)}</bpmn:conditionExpression>"
                if flow.condition
                else ""
            )
            parts.append(f"<bpmn:sequenceFlow{attrs}>{condition}</bpmn:sequenceFlow>")
        # Associations are process-level artifacts even for nodes inside subprocesses, as
        # bpmn-js writes them (and bpmnlint looks for them there).
        if scope_id == self.process_id:
            for assoc_id, source, target in self._associations:
                attrs = _attrs({"id": assoc_id, "sourceRef": source, "targetRef": target})
                parts.append(f'<bpmn:association{attrs} associationDirection="One" />')
        return "".join(parts)

    def _bounds(self, node: _Node) -> tuple[int, int, int, int]:
        width, height = SIZES[node.kind]
        if node.tag == "boundaryEvent":
            host = self._nodes[node.attrs["attachedToRef"] or ""]
            hx, hy, hw, hh = self._bounds(host)
            index = [n for n in self._nodes.values() if n.attrs.get("attachedToRef") == host.id]
            offset = index.index(node) * 40
            return hx + hw - 56 - offset, hy + hh - 18, width, height
        center_x = ORIGIN_X + node.col * COLUMN_WIDTH
        center_y = ORIGIN_Y + node.row * ROW_HEIGHT
        return center_x - width // 2, center_y - height // 2, width, height

    def _shape(self, node: _Node) -> str:
        x, y, w, h = self._bounds(node)
        expanded = ' isExpanded="false"' if node.tag == "subProcess" else ""
        return (
            f'<bpmndi:BPMNShape id="{node.id}_di" bpmnElement="{node.id}"{expanded}>'
            f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" /></bpmndi:BPMNShape>'
        )

    def _waypoints(self, source: _Node, target: _Node) -> list[tuple[int, int]]:
        sx, sy, sw, sh = self._bounds(source)
        tx, ty, _, th = self._bounds(target)
        end = (tx, ty + th // 2)
        if source.tag == "boundaryEvent":
            start = (sx + sw // 2, sy + sh)
            return [start, (start[0], end[1]), end]
        start = (sx + sw, sy + sh // 2)
        if start[1] == end[1]:
            return [start, end]
        bend = start[0] + (end[0] - start[0]) // 2
        return [start, (bend, start[1]), (bend, end[1]), end]

    def _edge(self, element_id: str, points: list[tuple[int, int]]) -> str:
        waypoints = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
        return (
            f'<bpmndi:BPMNEdge id="{element_id}_di" bpmnElement="{element_id}">'
            f"{waypoints}</bpmndi:BPMNEdge>"
        )

    def _diagram(self, scope_id: str) -> str:
        nodes = [self._nodes[n] for n in self._scopes[scope_id].nodes]
        parts = [self._shape(n) for n in nodes if n.tag != "boundaryEvent"]
        parts += [self._shape(n) for n in nodes if n.tag == "boundaryEvent"]
        parts += [
            self._edge(f.id, self._waypoints(self._nodes[f.source], self._nodes[f.target]))
            for f in self._flows
            if f.scope == scope_id
        ]
        for assoc_id, source, target in self._associations:
            if self._nodes[source].scope == scope_id:
                bx, by, bw, bh = self._bounds(self._nodes[source])
                hx, hy, _, _ = self._bounds(self._nodes[target])
                points = [(bx + bw // 2, by + bh), (bx + bw // 2, hy + 40), (hx, hy + 40)]
                parts.append(self._edge(assoc_id, points))
        suffix = "1" if scope_id == self.process_id else _safe_id(scope_id)
        return (
            f'<bpmndi:BPMNDiagram id="BPMNDiagram_{suffix}">'
            f'<bpmndi:BPMNPlane id="BPMNPlane_{suffix}" bpmnElement="{scope_id}">'
            f"{''.join(parts)}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        )


_HEADER = (
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
