"""Zeebe's ZeebeFormDefinitionValidator: which `zeebe:formDefinition` attributes go together.

A Camunda user task (`zeebe:userTask`) links exactly one of a deployed form (`formId`) or an
external form (`externalReference`); a job-based user task exactly one of `formId` or a custom
`formKey`. `bindingType` applies to linked forms only.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.errors import ValidationEntry
from zeebe.model.xmlns import extension

ONE_OF = "Exactly one of the attributes '{}, {}' must be present and not blank{}"
NOT_WITH = "Attribute '{}' must not be used in combination with attribute 'bindingType'"


def _blank(form: XmlElement, attribute: str) -> bool:
    return not (form.get(attribute) or "").strip()


def check_form_definition(node: XmlElement, element_id: str) -> list[ValidationEntry]:
    """The broken form rules of the user task `node` (none without `zeebe:formDefinition`)."""
    form = extension(node, "formDefinition")
    if form is None:
        return []
    native = extension(node, "userTask") is not None
    other, suffix = ("externalReference", " for native user tasks") if native else ("formKey", "")
    found: list[str] = []
    if _blank(form, "formId") == _blank(form, other):
        found.append(ONE_OF.format("formId", other, suffix))
    if not _blank(form, other) and form.get("bindingType") is not None:
        found.append(NOT_WITH.format(other))
    return [ValidationEntry(element_id, message) for message in found]
