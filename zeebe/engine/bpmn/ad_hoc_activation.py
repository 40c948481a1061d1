"""AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATE (8.8, Zeebe's
AdHocSubProcessInstructionActivateProcessor): activate inner elements of an active ad-hoc
subprocess instance after it was entered ("Alternatively, use the ad-hoc sub-process API to
activate elements manually", docs "Ad-hoc sub-processes"; REST
`POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation`).

Command value: `adHocSubProcessInstanceKey` (string, as the REST path), `activateElements`:
[{elementId, variables}]. Checked in Zeebe's order with its texts: the instance exists and is an
ad-hoc subprocess (NOT_FOUND), is active (INVALID_STATE), no element is given twice
(INVALID_ARGUMENT), every element is an inner element (NOT_FOUND). Then each element is
activated as a child of the subprocess with its `variables` as locals of the new element
instance (this engine has no 8.8 inner-instance element to hold them); ACTIVATED is written under
the subprocess key first (as Zeebe's event precedes the activations) and returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.ad_hoc import activatable
from zeebe.engine.bpmn.variables import set_local
from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import ElementInstance

_EXPECTED = "Expected to activate activities for ad-hoc sub-process"
NOT_FOUND = f"{_EXPECTED} but no ad-hoc sub-process instance found with key '{{key}}'."
NOT_ACTIVE = f"{_EXPECTED} with key '{{key}}', but it is not active."
DUPLICATES = f"{_EXPECTED} with key '{{key}}', but duplicate activities were given."
UNKNOWN_ELEMENTS = f"{_EXPECTED} with key '{{key}}', but the given elements [{{ids}}] do not exist."


def elements_of(value: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(elementId, variables) of each `activateElements` entry."""
    return [
        (str(item.get("elementId", "")), dict(item.get("variables") or {}))
        for item in value.get("activateElements") or []
    ]


def _instance(ctx: Context, raw_key: object) -> ElementInstance | None:
    try:
        key = int(str(raw_key))
    except ValueError:
        return None
    instance = ctx.state.instances.get(key)
    if instance is None or instance.value["bpmnElementType"] != "AD_HOC_SUB_PROCESS":
        return None
    return instance


def _violation(
    ctx: Context, instance: ElementInstance | None, raw_key: object, ids: list[str]
) -> tuple[RejectionType, str] | None:
    """Zeebe's first failed check, or None."""
    if instance is None:
        return RejectionType.NOT_FOUND, NOT_FOUND.format(key=raw_key)
    if instance.state != lifecycle.ACTIVATED:
        return RejectionType.INVALID_STATE, NOT_ACTIVE.format(key=raw_key)
    if len(set(ids)) != len(ids):
        return RejectionType.INVALID_ARGUMENT, DUPLICATES.format(key=raw_key)
    unknown = unknown_elements(ctx, instance, ids)
    if unknown:
        return RejectionType.NOT_FOUND, UNKNOWN_ELEMENTS.format(key=raw_key, ids=", ".join(unknown))
    return None


def unknown_elements(ctx: Context, instance: ElementInstance, ids: list[str]) -> list[str]:
    """The ids that are no ad-hoc activity of the instance's ad-hoc subprocess."""
    process = lifecycle.definition_of(ctx, instance).process
    allowed = set(activatable(process, lifecycle.element_of(ctx, instance)))
    return [element_id for element_id in ids if element_id not in allowed]


def activate_activities(ctx: Context, command: Record) -> None:
    """Validate, activate the elements with their local variables, write ACTIVATED."""
    raw_key = command.value.get("adHocSubProcessInstanceKey", command.key)
    instance = _instance(ctx, raw_key)
    elements = elements_of(command.value)
    violation = _violation(ctx, instance, raw_key, [element_id for element_id, _ in elements])
    if violation is not None:
        ctx.reject(command, *violation)
        return
    assert instance is not None
    ctx.respond(activate_elements(ctx, instance, elements))


def instruction_value(
    instance: ElementInstance, elements: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    """The AD_HOC_SUB_PROCESS_INSTRUCTION record value."""
    return {
        "adHocSubProcessInstanceKey": str(instance.key),
        "activateElements": [
            {"elementId": element_id, "variables": variables} for element_id, variables in elements
        ],
        "tenantId": instance.value["tenantId"],
    }


def activate_elements(
    ctx: Context, instance: ElementInstance, elements: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    """Write ACTIVATED and activate the (checked) elements with their local variables."""
    value = instruction_value(instance, elements)
    # Zeebe writes ACTIVATED with the elements' ACTIVATE_ELEMENT commands, which run after it
    ctx.event(instance.key, ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATED", value)
    definition = lifecycle.definition_of(ctx, instance)
    for element_id, variables in elements:
        element = definition.process.elements[element_id]
        child = lifecycle.activate(ctx, definition, element, instance.key)
        for name, variable in variables.items():
            set_local(ctx, child, name, variable)
    return value
