"""Straight-through processing loops: Zeebe's StraightThroughProcessingLoopValidator.

After a resource passed the element rules, Zeebe rejects a process in which a token could cycle
forever without ever waiting: a loop made only of elements that complete at once (undefined and
manual tasks, gateways, none events, subprocesses, multi-instance bodies, call activities of a
process in the same resource) that contains at least one task, call activity or intermediate
throw event (a loop of gateways alone is allowed). The chain is reported as element ids joined
by " > ", first element repeated at the end, one entry per process:

    `call.bpmn`: - Process: super
        - ERROR: Processes are not allowed to contain a straight-through processing loop: a > b > a
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zeebe.model.elements import Element, ElementType, Process

STRAIGHT_THROUGH = frozenset(
    {
        ElementType.MANUAL_TASK,
        ElementType.TASK,
        ElementType.EXCLUSIVE_GATEWAY,
        ElementType.INCLUSIVE_GATEWAY,
        ElementType.PARALLEL_GATEWAY,
        ElementType.START_EVENT,
        ElementType.END_EVENT,
        ElementType.SUB_PROCESS,
        ElementType.CALL_ACTIVITY,
        ElementType.INTERMEDIATE_THROW_EVENT,
    }
)
# a loop must contain one of these to be rejected (a loop of only gateways is not)
REJECTED = frozenset(
    {
        ElementType.MANUAL_TASK,
        ElementType.TASK,
        ElementType.CALL_ACTIVITY,
        ElementType.INTERMEDIATE_THROW_EVENT,
    }
)
LOOP_MESSAGE = "Processes are not allowed to contain a straight-through processing loop: "
# Zeebe prints its EnumSet of the rejected types (in enum order) when the search overflows
LONG_CHAIN_MESSAGE = (
    "Process contains a very long chain of tasks of type "
    "[INTERMEDIATE_THROW_EVENT, MANUAL_TASK, TASK, CALL_ACTIVITY]"
)

Node = tuple[str, str, bool]
"""(process id, element id, is the multi-instance body): Zeebe's body is its own flow node."""


class _Search:
    """Depth-first search for one loop, as Zeebe's checkForStraightThroughProcessingLoop."""

    def __init__(self, processes: Sequence[Process]) -> None:
        self.by_id = {process.id: process for process in processes}
        self.path: list[Node] = []

    def visit(self, node: Node) -> list[Node] | None:
        """The loop through `node` (first node repeated at the end), or None."""
        is_body = node[2]
        if node in self.path and any(self._kind(n) in REJECTED for n in self.path):
            return [*self.path[self.path.index(node) :], node]
        if not is_body and self._kind(node) not in STRAIGHT_THROUGH:
            return None
        if not is_body:
            self.path.append(node)
        for following in self._next(node):
            loop = self.visit(following)
            if loop is not None:
                return loop
        if not is_body:
            self.path.remove(node)
        return None

    def _kind(self, node: Node) -> ElementType:
        process_id, element_id, _ = node
        return self.by_id[process_id].elements[element_id].element_type

    def _next(self, node: Node) -> Iterable[Node]:
        process_id, element_id, is_body = node
        process = self.by_id[process_id]
        element = process.elements[element_id]
        if is_body:
            return [(process_id, element_id, False)]
        if element.element_type is ElementType.SUB_PROCESS:
            return [(process_id, start, False) for start in element.start_events[:1]]
        if element.element_type is ElementType.CALL_ACTIVITY:
            return self._called_start(element)
        return self._flow_targets(process, element)

    def _called_start(self, element: Element) -> list[Node]:
        called = element.called_element
        if called is None or called.process_id.is_feel:
            return []
        process = self.by_id.get(called.process_id.source)
        if process is None or process.none_start_event is None:
            return []
        return [_entered(process, process.none_start_event)]

    @staticmethod
    def _flow_targets(process: Process, element: Element) -> list[Node]:
        outgoing = element.outgoing
        if not outgoing and element.flow_scope is not None and element.flow_scope != process.id:
            # an end event (or implicit end) continues after its subprocess; the inner
            # instance of a multi-instance subprocess has no flows of its own in Zeebe
            scope = process.elements[element.flow_scope]
            outgoing = scope.outgoing if scope.loop is None else ()
        return [_entered(process, process.flows[flow].target) for flow in outgoing]


def _entered(process: Process, element_id: str) -> Node:
    """The node a flow enters: the multi-instance body for an element with loop
    characteristics."""
    return (process.id, element_id, process.elements[element_id].loop is not None)


def loop_failures(resource_name: str, processes: Sequence[Process]) -> list[str]:
    """One formatted failure per process that has a straight-through processing loop (Zeebe
    stops at the first loop of a process; start points are its tasks in id order)."""
    failures: list[str] = []
    for process in processes:
        message = _first_loop(process, processes)
        if message is not None:
            failures.append(f"`{resource_name}`: - Process: {process.id}\n    - ERROR: {message}\n")
    return failures


def _first_loop(process: Process, processes: Sequence[Process]) -> str | None:
    starts = sorted(
        element.id for element in process.elements.values() if element.element_type in REJECTED
    )
    try:
        for start in starts:
            loop = _Search(processes).visit((process.id, start, False))
            if loop is not None:
                return LOOP_MESSAGE + " > ".join(element_id for _, element_id, _ in loop)
    except RecursionError:
        return LONG_CHAIN_MESSAGE
    return None
