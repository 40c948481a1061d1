"""Deployment validation failures, phrased the way Zeebe's gateway reports them.

Zeebe rejects a DeployResource command with INVALID_ARGUMENT and a reason of the form::

    Expected to deploy new resources, but encountered the following errors:
    'order.bpmn': - Element: task-a
        - ERROR: Must have exactly one 'zeebe:taskDefinition' extension element
    (with a final newline)

One `- Element:` entry per broken element, each naming the rule it breaks. Zeebe's
ValidationErrorFormatter (`createElementIdentifier`) names the element by the chain from the
closest ancestor that has an id down to the element itself, joined by " > ": the id where an
element has one, else its XML type name. A flow node is just its id; a `zeebe:taskDefinition`
without an id is `task-a > extensionElements > taskDefinition`. `BpmnValidationError`
carries the entries of one resource; the engine joins several resources with
`deployment_rejection_reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEPLOYMENT_ERROR_PREFIX = "Expected to deploy new resources, but encountered the following errors:"


EXTENSION_ELEMENTS = "extensionElements"
"""Type name of `bpmn:extensionElements`, the first step of every `zeebe:*` element's path."""


@dataclass(frozen=True, slots=True)
class ValidationEntry:
    """One broken rule: the BPMN id of the offending element and the rule's message.

    `path` holds the type names of the id-less sub-elements below `element_id` that Zeebe's
    validator is registered on (e.g. `("extensionElements", "taskDefinition")`); empty when the
    rule reports on the element with that id itself.
    """

    element_id: str
    message: str
    path: tuple[str, ...] = ()

    @property
    def identifier(self) -> str:
        """The element as Zeebe's ValidationErrorFormatter names it (`id > type > type`)."""
        return " > ".join((self.element_id, *self.path))


def extension_path(*names: str) -> tuple[str, ...]:
    """Path of a `zeebe:*` extension element (and its children) below its owner."""
    return (EXTENSION_ELEMENTS, *names)


def format_entries(entries: Iterable[ValidationEntry]) -> str:
    """Format entries as Zeebe's validation formatter does, grouping messages per element."""
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        messages = grouped.setdefault(entry.identifier, [])
        # a rule on a shared element (a message's subscription) is found once per referencing
        # event; Zeebe validates each element once
        if entry.message not in messages:
            messages.append(entry.message)
    lines: list[str] = []
    for identifier, messages in grouped.items():
        lines.append(f"- Element: {identifier}")
        lines.extend(f"    - ERROR: {message}" for message in messages)
    # Zeebe ends every reported line with a newline, the last one included.
    return "".join(f"{line}\n" for line in lines)


def deployment_rejection_reason(resource_details: Sequence[str]) -> str:
    """Join per-resource details (`BpmnValidationError.detail`) into one rejection reason."""
    return "\n".join([DEPLOYMENT_ERROR_PREFIX, *resource_details])


class BpmnValidationError(Exception):
    """A BPMN resource that Zeebe would refuse to deploy.

    `detail` is this resource's part of the rejection (`'<name>': ...`); `str(error)` is the full
    INVALID_ARGUMENT reason for a deployment of this single resource.
    """

    def __init__(
        self,
        resource_name: str,
        detail: str,
        entries: Sequence[ValidationEntry] = (),
    ) -> None:
        self.resource_name = resource_name
        self.detail = f"'{resource_name}': {detail}"
        self.entries = tuple(entries)
        super().__init__(deployment_rejection_reason([self.detail]))

    @classmethod
    def preformatted(cls, resource_name: str, detail: str) -> BpmnValidationError:
        """An error whose detail already names the resource (Zeebe's loop validator writes
        `` `name`: - Process: id `` entries with backticks)."""
        error = cls(resource_name, "")
        error.detail = detail
        error.args = (deployment_rejection_reason([detail]),)
        return error

    @classmethod
    def from_entries(
        cls, resource_name: str, entries: Sequence[ValidationEntry]
    ) -> BpmnValidationError:
        """Build the error for a resource whose elements break validation rules."""
        return cls(resource_name, format_entries(entries), entries)
