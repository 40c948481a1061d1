"""PROCESS_INSTANCE_CREATION CREATE (and with awaiting result), PROCESS_INSTANCE CANCEL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.variables import set_locals
from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import ElementInstance, ProcessDefinition

CANCEL_NOT_FOUND = (
    "No process instance exists with the given key. Note that since process instances are "
    "removed once they are finished, it could mean the instance did exist at some point."
)
NO_NONE_START = (
    "Expected to create instance of process with none start event, but there is no such event"
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason to reject the command."""

    type: RejectionType
    reason: str


def start_instance(
    ctx: Context,
    definition: ProcessDefinition,
    variables: dict[str, Any],
    start_ids: tuple[str, ...] = (),
    start_key: int = -1,
    *,
    key: int = -1,
    parent: tuple[int, int] | None = None,
) -> ElementInstance:
    """Activate a new process instance with root variables; its start elements follow."""
    process = definition.process
    root = process.elements[process.id]
    instance = lifecycle.activate(ctx, definition, root, -1, key=key, parent=parent)
    ctx.start_points[instance.key] = (start_ids, start_key)
    set_locals(ctx, instance.key, variables)
    return instance


def _by_process_id(ctx: Context, process_id: str, version: int) -> ProcessDefinition | Problem:
    state = ctx.state
    if version >= 0:
        found = state.process_versions.get((process_id, version))
        if found is not None:
            return state.processes[found]
        return Problem(
            RejectionType.NOT_FOUND,
            f"Expected to find process definition with process ID '{process_id}' "
            f"and version '{version}', but none found",
        )
    latest = state.latest(process_id)
    if latest is not None:
        return latest
    return Problem(
        RejectionType.NOT_FOUND,
        f"Expected to find process definition with process ID '{process_id}', but none found",
    )


def _lookup(ctx: Context, value: dict[str, Any]) -> ProcessDefinition | Problem:
    """Appendix B lookup: process id (+ exact version if >= 0, else latest), else the key."""
    process_id = str(value.get("bpmnProcessId") or "")
    key = int(value.get("processDefinitionKey", -1))
    if process_id:
        return _by_process_id(ctx, process_id, int(value.get("version", -1)))
    if key > -1:
        definition = ctx.state.processes.get(key)
        if definition is not None:
            return definition
        reason = f"Expected to find process definition with key '{key}', but none found"
        return Problem(RejectionType.NOT_FOUND, reason)
    return Problem(
        RejectionType.INVALID_ARGUMENT,
        "Expected at least a bpmnProcessId or a key greater than -1, but none given",
    )


def _start_ids(definition: ProcessDefinition, value: dict[str, Any]) -> tuple[str, ...] | Problem:
    instructions = value.get("startInstructions") or []
    ids = tuple(str(i.get("elementId", "")) for i in instructions)
    for element_id in ids:
        if element_id not in definition.process.elements:
            return Problem(
                RejectionType.INVALID_ARGUMENT,
                "Expected to create instance of process with start instructions but no element "
                f"found with id '{element_id}'.",
            )
    if not ids and definition.process.none_start_event is None:
        return Problem(RejectionType.INVALID_STATE, NO_NONE_START)
    return ids


def create(ctx: Context, command: Record) -> None:
    """Create and start an instance (spec 1.2 row 5, Appendix B)."""
    value = command.value
    variables = value.get("variables") or {}
    if not isinstance(variables, dict):
        reason = "Expected variables to be a JSON object, but it was not"
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    definition = _lookup(ctx, value)
    if isinstance(definition, Problem):
        ctx.reject(command, definition.type, definition.reason)
        return
    start_ids = _start_ids(definition, value)
    if isinstance(start_ids, Problem):
        ctx.reject(command, start_ids.type, start_ids.reason)
        return
    instance = start_instance(ctx, definition, variables, start_ids)
    awaiting = command.intent == "CREATE_WITH_AWAITING_RESULT"
    response = {
        "processDefinitionKey": definition.key,
        "bpmnProcessId": definition.bpmn_process_id,
        "version": definition.version,
        "processInstanceKey": instance.key,
        "tenantId": definition.tenant_id,
    }
    created = response | {
        "variables": variables,
        "startInstructions": list(value.get("startInstructions") or []),
        "fetchVariables": list(value.get("fetchVariables") or []),
    }
    if awaiting:
        created |= {"awaitingResult": True, "requestId": command.extra.get("requestId", -1)}
    ctx.event(instance.key, ValueType.PROCESS_INSTANCE_CREATION, "CREATED", created)
    ctx.respond(response)


def cancel(ctx: Context, command: Record) -> None:
    """Terminate a process instance bottom-up (spec 1.2 row 3). Rejections as Zeebe's
    ProcessInstanceCancelProcessor: a called instance names its root instance (INVALID_STATE);
    an instance already terminating (e.g. waiting for `canceling` user task listener jobs) is
    INVALID_STATE "a cancel request is already in progress" (camunda/camunda
    CancelProcessInstanceTest: REST 409, gRPC FAILED_PRECONDITION)."""
    instance = ctx.state.instances.get(command.key)
    if instance is None or instance.flow_scope_key != -1:
        ctx.reject(command, RejectionType.NOT_FOUND, CANCEL_NOT_FOUND)
        return
    prefix = f"Expected to cancel a process instance with key '{command.key}', but "
    if int(instance.value["parentProcessInstanceKey"]) > 0:
        reason = (
            f"{prefix}it is created by a parent process instance. Cancel the root process "
            f"instance '{_root_instance_key(ctx, instance)}' instead."
        )
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    if instance.state == lifecycle.TERMINATING:
        reason = f"{prefix}a cancel request is already in progress"
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    lifecycle.terminate(ctx, instance)
    ctx.respond({"processInstanceKey": instance.key})


def _root_instance_key(ctx: Context, instance: ElementInstance) -> int:
    """The root of a called instance's chain of parent process instances (Zeebe walks up while
    the parent instance still exists)."""
    key = int(instance.value["parentProcessInstanceKey"])
    parent = ctx.state.instances.get(key)
    while parent is not None and int(parent.value["parentProcessInstanceKey"]) > 0:
        key = int(parent.value["parentProcessInstanceKey"])
        parent = ctx.state.instances.get(key)
    return key
