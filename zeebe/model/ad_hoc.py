"""Ad-hoc subprocess attributes (Zeebe 8.7/8.8, docs "Ad-hoc sub-processes").

Read from the XML: `zeebe:adHoc` `activeElementsCollection`, `outputCollection`,
`outputElement`; the BPMN `completionCondition` child and the `cancelRemainingInstances`
attribute (BPMN default true). Checked as Zeebe's AdHocSubProcessValidator does: outputElement
and outputCollection come together; the job worker implementation (`zeebe:taskDefinition` on the
subprocess) has no completionCondition, no activeElementsCollection and does not keep remaining
instances (the worker decides those in its job result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.ad_hoc_parameters import ParameterError, activity_parameters
from zeebe.model.elements import AdHoc, Element, ElementType, Expression, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import entry
from zeebe.model.xmlns import bool_attr, bpmn, extension, text_of


def _expression(raw: str | None) -> Expression | None:
    return Expression.of(raw) if raw and raw.strip() else None


def read_ad_hoc(node: XmlElement) -> AdHoc:
    """The ad-hoc attributes of a `bpmn:adHocSubProcess` node (all optional)."""
    zeebe_ad_hoc = extension(node, "adHoc")
    attrs = zeebe_ad_hoc.attrib if zeebe_ad_hoc is not None else {}
    return AdHoc(
        active_elements_collection=_expression(attrs.get("activeElementsCollection")),
        completion_condition=_expression(text_of(node.find(bpmn("completionCondition")))),
        cancel_remaining_instances=bool_attr(node, "cancelRemainingInstances", True),
        output_collection=attrs.get("outputCollection") or None,
        output_element=_expression(attrs.get("outputElement")),
        documentation=_documentation(node),
    )


def _documentation(node: XmlElement) -> tuple[tuple[str, str], ...]:
    """The first `bpmn:documentation` text of each inner flow node that has one (for the 8.8
    `adHocSubProcessElements` variable, "The documentation of the element")."""
    found: list[tuple[str, str]] = []
    for child in node:
        element_id = child.get("id")
        text = child.find(bpmn("documentation"))
        if element_id and text is not None and text.text:
            found.append((element_id, text.text))
    return tuple(found)


def ad_hoc_expressions(element: Element) -> Iterator[Expression]:
    """The ad-hoc attributes that must be FEEL expressions (Zeebe: `isNonStatic`)."""
    ad_hoc = element.ad_hoc
    if ad_hoc is None:
        return
    for expression in (
        ad_hoc.active_elements_collection,
        ad_hoc.completion_condition,
        ad_hoc.output_element,
    ):
        if expression is not None:
            yield expression


_JOB_WORKER_CONFLICTS: tuple[tuple[Callable[[AdHoc], bool], str], ...] = (
    (
        lambda ad_hoc: not ad_hoc.cancel_remaining_instances,
        "Must not define cancelRemainingInstances in combination with zeebe:taskDefinition.",
    ),
    (
        lambda ad_hoc: ad_hoc.completion_condition is not None,
        "Must not define completionCondition in combination with zeebe:taskDefinition.",
    ),
    (
        lambda ad_hoc: ad_hoc.active_elements_collection is not None,
        "Must not define activeElementsCollection in combination with zeebe:taskDefinition.",
    ),
)


_NOT_ACTIVITIES = frozenset(
    {
        ElementType.START_EVENT,
        ElementType.BOUNDARY_EVENT,
        ElementType.END_EVENT,
        ElementType.EVENT_SUB_PROCESS,
    }
)


def ad_hoc_activities(process: Process, element: Element) -> list[str]:
    """The ad-hoc activities: inner flow nodes without incoming sequence flows, except start,
    boundary and end events and event subprocesses (Zeebe's AdHocSubProcessTransformer)."""
    return [
        child
        for child in element.children
        if not process.elements[child].incoming
        and process.elements[child].element_type not in _NOT_ACTIVITIES
    ]


def ad_hoc_parameters(element: Element, process: Process) -> list[ValidationEntry]:
    """The fromAi() calls of the ad-hoc activities must describe parameters (Zeebe's
    extractor texts, reported on the ad-hoc subprocess)."""
    found: list[ValidationEntry] = []
    for child_id in ad_hoc_activities(process, element):
        try:
            activity_parameters(process.elements[child_id])
        except ParameterError as error:
            found += entry(element, str(error))
    return found


def ad_hoc_attributes(element: Element, process: Process) -> list[ValidationEntry]:
    """Zeebe's AdHocSubProcessValidator on the attributes (see the module doc for the rules)."""
    ad_hoc = element.ad_hoc
    if ad_hoc is None:
        return []
    found: list[ValidationEntry] = []
    if element.task_definition is not None:
        for conflicts, message in _JOB_WORKER_CONFLICTS:
            if conflicts(ad_hoc):
                found += entry(element, message)
    found += ad_hoc_parameters(element, process)
    if (ad_hoc.output_element is None) != (ad_hoc.output_collection is None):
        found += entry(
            element,
            "OutputElement and OutputCollection must both be set, or neither of them set. "
            f"outputElement:{_raw(ad_hoc.output_element)} and "
            f"outputCollection:{ad_hoc.output_collection or 'null'}.",
        )
    return found


def _raw(expression: Expression | None) -> str:
    """The attribute as written (Java's String.format prints a missing one as null)."""
    if expression is None:
        return "null"
    return f"={expression.source}" if expression.is_feel else expression.source
