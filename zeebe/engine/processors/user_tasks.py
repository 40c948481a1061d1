"""Completing a Camunda user task: PROCESS_INSTANCE COMPLETE_ELEMENT (key: the user task's
element instance key) with {variables}.

Zeebe's own command is USER_TASK COMPLETE; this engine has no USER_TASK value type
(zeebe/records.py), so the element-level intent Zeebe also uses internally stands in, with
Zeebe's USER_TASK COMPLETE rejection texts. The variables are the task's result, merged like a
job's (spec 2.4: output mappings, else propagation).
"""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.context import Context
from zeebe.model.elements import ElementType
from zeebe.records import Record, RejectionType, ValueType


def complete_user_task(ctx: Context, command: Record) -> None:
    """Complete a waiting Camunda user task with the given variables."""
    instance = ctx.state.instances.get(command.key)
    element = lifecycle.element_of(ctx, instance) if instance is not None else None
    if (
        instance is None
        or element is None
        or instance.value["bpmnElementType"] != ElementType.USER_TASK.value
        or not element.is_user_task
    ):
        reason = (
            f"Expected to complete user task with key '{command.key}', "
            "but no such user task was found"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    if instance.state != lifecycle.ACTIVATED:
        reason = (
            f"Expected to complete user task with key '{command.key}', "
            f"but it is in state '{instance.state}'"
        )
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    pi = instance.value
    trigger = {
        "scopeKey": instance.key,
        "targetElementId": element.id,
        "variables": dict(command.value.get("variables") or {}),
        "processDefinitionKey": instance.process_definition_key,
        "processInstanceKey": instance.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    ctx.event(instance.key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    lifecycle.complete(ctx, instance)
    ctx.respond({})
