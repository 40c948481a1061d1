"""Flow node readers: one registry entry per BPMN tag, composed from small field readers.

`read_flow_node` builds the facets every element may carry (extension elements, loop, event
definitions) and then applies the tag's own hook, so adding an element kind is one table row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.ad_hoc import read_ad_hoc
from zeebe.model.definitions import RootRefs, read_event_definitions
from zeebe.model.elements import (
    Element,
    ElementType,
    EventDefinition,
    EventType,
    Expression,
    TaskDefinition,
)
from zeebe.model.errors import ValidationEntry
from zeebe.model.execution_listeners import read_execution_listeners
from zeebe.model.extensions import (
    read_called_decision,
    read_called_element,
    read_io_mapping,
    read_loop,
    read_properties,
    read_script,
    read_task_definition,
    read_task_headers,
    read_user_task_properties,
)
from zeebe.model.indexing import Links, ordered_outgoing
from zeebe.model.task_listeners import read_task_listeners
from zeebe.model.xmlns import bool_attr, bpmn_children, extension, local_name

USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask"
"""Job type of job-based (deprecated) user tasks, Zeebe's `Protocol.USER_TASK_JOB_TYPE`."""


@dataclass(frozen=True, slots=True)
class NodeSource:
    """The XML of one flow node plus what its readers need."""

    node: XmlElement
    element_id: str
    refs: RootRefs
    issues: list[ValidationEntry]
    links: Links

    def issue(self, message: str) -> None:
        """Record a broken rule of this element."""
        self.issues.append(ValidationEntry(self.element_id, message))


Hook = Callable[[NodeSource, Element], Element]


# Zeebe's texts for an event with several definitions (StartEventValidator, EndEventValidator;
# boundary and intermediate catch events need exactly one)
_SEVERAL_DEFINITIONS = {
    "startEvent": "Start event can't have more than one type",
    "endEvent": "Must have at most one event definition",
}


def _definition(src: NodeSource) -> EventDefinition | None:
    definitions = read_event_definitions(src.node, src.element_id, src.refs, src.issues)
    if len(definitions) > 1:
        tag = local_name(src.node.tag) if isinstance(src.node.tag, str) else ""
        src.issue(_SEVERAL_DEFINITIONS.get(tag, "Must have exactly one event definition"))
    return definitions[0] if definitions else None


def _kind(definition: EventDefinition | None) -> EventType:
    return definition.kind if definition is not None else EventType.NONE


def _event(src: NodeSource, element: Element) -> Element:
    definition = _definition(src)
    return replace(element, event_type=_kind(definition), event_definition=definition)


def _start_event(src: NodeSource, element: Element) -> Element:
    definition = _definition(src)
    return replace(
        element,
        event_type=_kind(definition),
        event_definition=definition,
        interrupting=bool_attr(src.node, "isInterrupting", True),
    )


def _boundary_event(src: NodeSource, element: Element) -> Element:
    definition = _definition(src)
    kind = _kind(definition)
    # The association links a compensation boundary event to its handler (spec 3.1).
    handler = src.links.associations.get(src.element_id)
    return replace(
        element,
        event_type=kind,
        event_definition=definition,
        attached_to=src.node.get("attachedToRef") or None,
        cancel_activity=bool_attr(src.node, "cancelActivity", True),
        compensation_handler=handler if kind == EventType.COMPENSATION else None,
    )


def _user_task(src: NodeSource, element: Element) -> Element:
    element = replace(
        element,
        user_task_properties=read_user_task_properties(src.node, src.element_id, src.issues),
    )
    if extension(src.node, "userTask") is not None:
        # A Camunda user task is handled by the engine itself: it creates no job.
        return replace(element, is_user_task=True, task_definition=None)
    return replace(
        element, task_definition=TaskDefinition(type=Expression(USER_TASK_JOB_TYPE, False))
    )


def _script_task(src: NodeSource, element: Element) -> Element:
    if extension(src.node, "script") is None:
        return element
    return replace(element, script=read_script(src.node, src.element_id, src.issues))


def _business_rule_task(src: NodeSource, element: Element) -> Element:
    if extension(src.node, "calledDecision") is None:
        return element
    # The engine evaluates the decision itself: no job (spec 4.2); a task definition next to
    # it is rejected by rules_jobs.job_definition, as Zeebe does.
    called = read_called_decision(src.node, src.element_id, src.issues)
    return replace(element, called_decision=called)


def _call_activity(src: NodeSource, element: Element) -> Element:
    called = read_called_element(src.node, src.element_id, src.issues)
    return replace(element, called_element=called)


def _sub_process(src: NodeSource, element: Element) -> Element:
    if bool_attr(src.node, "triggeredByEvent", False):
        return replace(element, element_type=ElementType.EVENT_SUB_PROCESS)
    return element


def _receive_task_message(src: NodeSource, element: Element) -> Element:
    """A receive task references its message directly (`messageRef`), not via a definition."""
    ref = src.node.get("messageRef")
    if ref is None:
        return element
    message = src.refs.messages.get(ref)
    if message is None:
        src.issue(f"Referenced message '{ref}' does not exist")
    return replace(element, event_definition=EventDefinition(EventType.MESSAGE, message=message))


def _ad_hoc_sub_process(src: NodeSource, element: Element) -> Element:
    """Ad-hoc subprocess (spec 4.2): its attributes are read by `zeebe.model.ad_hoc` (what it
    may contain: rules_flow.ad_hoc_sub_process)."""
    return replace(element, ad_hoc=read_ad_hoc(src.node))


def _plain(src: NodeSource, element: Element) -> Element:
    return element


NODE_KINDS: dict[str, tuple[ElementType, Hook]] = {
    "startEvent": (ElementType.START_EVENT, _start_event),
    "intermediateCatchEvent": (ElementType.INTERMEDIATE_CATCH_EVENT, _event),
    "intermediateThrowEvent": (ElementType.INTERMEDIATE_THROW_EVENT, _event),
    "endEvent": (ElementType.END_EVENT, _event),
    "boundaryEvent": (ElementType.BOUNDARY_EVENT, _boundary_event),
    "serviceTask": (ElementType.SERVICE_TASK, _plain),
    "sendTask": (ElementType.SEND_TASK, _plain),
    "scriptTask": (ElementType.SCRIPT_TASK, _script_task),
    "businessRuleTask": (ElementType.BUSINESS_RULE_TASK, _business_rule_task),
    "userTask": (ElementType.USER_TASK, _user_task),
    "receiveTask": (ElementType.RECEIVE_TASK, _receive_task_message),
    "manualTask": (ElementType.MANUAL_TASK, _plain),
    "task": (ElementType.TASK, _plain),
    "exclusiveGateway": (ElementType.EXCLUSIVE_GATEWAY, _plain),
    "parallelGateway": (ElementType.PARALLEL_GATEWAY, _plain),
    "eventBasedGateway": (ElementType.EVENT_BASED_GATEWAY, _plain),
    "inclusiveGateway": (ElementType.INCLUSIVE_GATEWAY, _plain),
    "subProcess": (ElementType.SUB_PROCESS, _sub_process),
    "adHocSubProcess": (ElementType.AD_HOC_SUB_PROCESS, _ad_hoc_sub_process),
    "callActivity": (ElementType.CALL_ACTIVITY, _call_activity),
}
"""BPMN tag -> (element type, hook adding the kind's own fields)."""

UNSUPPORTED_NODES = {"complexGateway": "ComplexGateway", "transaction": "Transaction"}
"""Flow elements Zeebe's FlowElementValidator rejects: BPMN tag -> model API type name."""


def unsupported_node_message(tag: str) -> str:
    """Zeebe's FlowElementValidator text for an element type it does not execute."""
    return (
        f"Elements of type '{UNSUPPORTED_NODES[tag]}' are currently not supported. Please refer "
        "to the documentation for a list of supported elements: "
        "https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/"
    )


CONTAINER_TAGS = frozenset({"subProcess", "adHocSubProcess"})


Containment = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""(children, start events, event subprocesses) of a container."""


def read_containment(container: XmlElement) -> Containment:
    """Ids of the flow nodes directly inside a process or subprocess, from its XML."""
    children: list[str] = []
    starts: list[str] = []
    event_subs: list[str] = []
    for tag, child in bpmn_children(container):
        child_id = child.get("id")
        if tag not in NODE_KINDS or not child_id:
            continue
        children.append(child_id)
        if tag == "startEvent":
            starts.append(child_id)
        elif tag == "subProcess" and bool_attr(child, "triggeredByEvent", False):
            event_subs.append(child_id)
    return tuple(children), tuple(starts), tuple(event_subs)


def read_flow_node(
    tag: str,
    node: XmlElement,
    scope: str,
    src: tuple[RootRefs, list[ValidationEntry], Links],
) -> Element:
    """Build the model element of one flow node; structural problems go to `issues`."""
    refs, issues, links = src
    element_type, hook = NODE_KINDS[tag]
    element_id = node.get("id", "")
    inputs, outputs = read_io_mapping(node, element_id, issues)
    children, starts, event_subs = read_containment(node) if tag in CONTAINER_TAGS else ((), (), ())
    element = Element(
        id=element_id,
        element_type=element_type,
        name=node.get("name") or None,
        flow_scope=scope,
        incoming=tuple(links.incoming.get(element_id, ())),
        outgoing=ordered_outgoing(node, element_id, links),
        boundary_events=tuple(links.boundaries.get(element_id, ())),
        children=children,
        start_events=starts,
        event_sub_processes=event_subs,
        default_flow=node.get("default") or None,
        task_definition=read_task_definition(node, element_id, issues),
        task_headers=read_task_headers(node),
        inputs=inputs,
        outputs=outputs,
        loop=read_loop(node, element_id, issues),
        is_for_compensation=bool_attr(node, "isForCompensation", False),
        properties=read_properties(node),
        execution_listeners=read_execution_listeners(node, element_id, issues),
        task_listeners=read_task_listeners(
            node,
            element_id,
            issues,
            camunda_user_task=tag == "userTask" and extension(node, "userTask") is not None,
        ),
    )
    return hook(NodeSource(node, element_id, refs, issues, links), element)
