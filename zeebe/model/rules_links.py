"""Link event rules (spec 4.2): throw/catch pairs are matched by name within one scope."""

from __future__ import annotations

from collections import Counter

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ElementRule, ProcessRule, entry


def _links(process: Process, element_type: ElementType) -> dict[str | None, list[Element]]:
    by_scope: dict[str | None, list[Element]] = {}
    for element in process.elements.values():
        if element.element_type == element_type and element.event_type == EventType.LINK:
            by_scope.setdefault(element.flow_scope, []).append(element)
    return by_scope


def _link_name(element: Element) -> str | None:
    definition = element.event_definition
    return definition.link_name if definition is not None else None


def link_pairs(process: Process) -> list[ValidationEntry]:
    """Spec 4.2: a link throw needs a catch of the same name in the same scope; catches unique."""
    found: list[ValidationEntry] = []
    catches = _links(process, ElementType.INTERMEDIATE_CATCH_EVENT)
    for scope, events in catches.items():
        names = Counter(_link_name(e) for e in events)
        found += [
            ValidationEntry(
                scope or process.id,
                "Multiple intermediate catch link event definitions with the same name "
                f"'{name}' are not allowed.",
            )
            for name, count in names.items()
            if count > 1
        ]
    for scope, throws in _links(process, ElementType.INTERMEDIATE_THROW_EVENT).items():
        known = {_link_name(e) for e in catches.get(scope, [])}
        found += [
            ValidationEntry(
                throw.id,
                "Can't find a catch link event for the throw link event with the name "
                f"'{_link_name(throw)}'.",
            )
            for throw in throws
            if _link_name(throw) not in known
        ]
    return found


def link_name(element: Element, process: Process) -> list[ValidationEntry]:
    """Link events need a name to be paired."""
    if element.event_type == EventType.LINK and not _link_name(element):
        return entry(element, "Link name must be present and not empty")
    return []


EVERY_ELEMENT: list[ElementRule] = [link_name]
PROCESS_RULES: list[ProcessRule] = [link_pairs]
