"""Link event rules (spec 4.2; Zeebe `ModelUtil.verifyLinkIntermediateEvents`).

Checked per container (process or subprocess) and reported on it: every link throw event of the
container needs a catch link event of the same name in the same container (spec 4.2: "same scope
only"); catch link names must be unique among the container and its nested subprocesses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ElementRule, ProcessRule, entry

CONTAINERS = frozenset(
    {ElementType.PROCESS, ElementType.SUB_PROCESS, ElementType.EVENT_SUB_PROCESS}
)


def _link_name(element: Element) -> str | None:
    definition = element.event_definition
    return definition.link_name if definition is not None else None


def _links(children: Iterator[Element], element_type: ElementType) -> list[Element]:
    return [
        e for e in children if e.element_type == element_type and e.event_type == EventType.LINK
    ]


def _descendants(container: Element, process: Process) -> Iterator[Element]:
    for child_id in container.children:
        child = process.elements[child_id]
        yield child
        if child.element_type in CONTAINERS:
            yield from _descendants(child, process)


def _container_links(container: Element, process: Process) -> list[ValidationEntry]:
    catches = _links(_descendants(container, process), ElementType.INTERMEDIATE_CATCH_EVENT)
    names = Counter(_link_name(e) for e in catches if _link_name(e))
    found = [
        ValidationEntry(
            container.id,
            "Multiple intermediate catch link event definitions with the same name "
            f"'{name}' are not allowed.",
        )
        for name, count in names.items()
        if count > 1
    ]
    direct = [process.elements[c] for c in container.children]
    # spec 4.2: a throw pairs only with a catch of its own scope ("same scope only"); the engine
    # continues in the throw's flow scope, so a catch nested deeper could never be activated
    own = {_link_name(e) for e in _links(iter(direct), ElementType.INTERMEDIATE_CATCH_EVENT)}
    for throw in _links(iter(direct), ElementType.INTERMEDIATE_THROW_EVENT):
        name = _link_name(throw)
        if name and name not in own:
            found.append(
                ValidationEntry(
                    container.id,
                    # Zeebe's wording, including its "an catch".
                    "Can't find an catch link event for the throw link event with the name "
                    f"'{name}'.",
                )
            )
    return found


def link_pairs(process: Process) -> list[ValidationEntry]:
    """Spec 4.2: link throw events are paired with catch events by name."""
    found: list[ValidationEntry] = []
    for element in process.elements.values():
        if element.element_type in CONTAINERS:
            found += _container_links(element, process)
    return found


def link_name(element: Element, process: Process) -> list[ValidationEntry]:
    """Link events need a name to be paired."""
    if element.event_type == EventType.LINK and not _link_name(element):
        return entry(element, "Link name must be present and not empty.")
    return []


EVERY_ELEMENT: list[ElementRule] = [link_name]
PROCESS_RULES: list[ProcessRule] = [link_pairs]
