"""PROCESS_INSTANCE_MODIFICATION MODIFY (spec 1.2 row 17) and RESOURCE_DELETION DELETE (row 20).

Modification activates elements inside their flow scope instance (the process, or an active
subprocess; missing embedded subprocesses are created first, as Zeebe does) and terminates
element instances. Other missing flow scopes (multi-instance, event subprocess) are a rejection.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.variables import set_locals
from zeebe.engine.context import Context
from zeebe.engine.processors.deployment_definitions import delete_definition
from zeebe.engine.processors.start_events import close_start_events, replace_start_events
from zeebe.model.elements import ElementType
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import ElementInstance, ProcessDefinition

PREFIX = "Expected to modify instance of process '{}' but it contains one or more"


def _scope_for(
    ctx: Context, root: ElementInstance, element_id: str, ancestor: int
) -> ElementInstance | None:
    definition = lifecycle.definition_of(ctx, root)
    scope_id = definition.process.elements[element_id].flow_scope
    if scope_id == definition.process.id:
        return root
    if ancestor > 0:
        found = ctx.state.instances.get(ancestor)
        return found if found is not None and found.element_id == scope_id else None
    return next(
        (
            i
            for i in ctx.state.instances.values()
            if i.process_instance_key == root.key and i.element_id == scope_id
        ),
        None,
    )


def _scope_chain(process: Any, element_id: str) -> list[str]:
    """The element and the ids of its enclosing flow scopes up to the process, innermost first."""
    chain = [element_id]
    while (element := process.elements.get(chain[-1])) is not None and element.flow_scope:
        chain.append(element.flow_scope)
    return chain


def _variable_problem(process: Any, instructions: list[dict[str, Any]]) -> str | None:
    """Spec 1.2 row 17 / gRPC reference: a variable instruction's scopeId must name an element of
    the process that is the activated element or one of its flow scopes (Zeebe's texts)."""
    pairs = [
        (str(a.get("elementId", "")), str(v.get("scopeId") or ""))
        for a in instructions
        for v in a.get("variableInstructions") or []
    ]
    unknown = [s for _, s in pairs if s and s not in process.elements and s != process.id]
    if unknown:
        missing = "', '".join(dict.fromkeys(unknown))
        return f"variable instructions with a scope element id that could not be found: '{missing}'"
    if any(s and s not in _scope_chain(process, e) for e, s in pairs):
        return (
            "variable instructions with a scope element that doesn't belong to the activating "
            "element's flow scope. These variables should be set before or after the modification."
        )
    return None


def _instruction_problem(
    ctx: Context, root: ElementInstance, value: dict[str, Any], prefix: str
) -> str | None:
    """Unknown elements to activate, then unknown element instances to terminate."""
    process = lifecycle.definition_of(ctx, root).process
    for instruction in value.get("activateInstructions") or []:
        element_id = str(instruction.get("elementId", ""))
        if element_id not in process.elements:
            missing = "activate instructions with an element that could not be found"
            return f"{prefix} {missing}: '{element_id}'"
    for instruction in value.get("terminateInstructions") or []:
        key = int(instruction.get("elementInstanceKey", -1))
        target = ctx.state.instances.get(key)
        if target is None or target.process_instance_key != root.key:
            return (
                f"{prefix} terminate instructions with an element instance that could not be "
                f"found: '{key}'"
            )
    return None


def _problem(ctx: Context, root: ElementInstance, value: dict[str, Any]) -> str | None:
    definition = lifecycle.definition_of(ctx, root)
    prefix = PREFIX.format(definition.bpmn_process_id)
    activations = value.get("activateInstructions") or []
    problem = _instruction_problem(ctx, root, value, prefix)
    if problem is None and (problem := _variable_problem(definition.process, activations)):
        problem = f"{prefix} {problem}"
    if problem is None and not activations and _terminates_called_instance(ctx, root, value):
        problem = CHILD_TERMINATED.format(definition.bpmn_process_id)
    for instruction in activations if problem is None else []:
        element_id = str(instruction["elementId"])
        ancestor = int(instruction.get("ancestorElementInstanceKey", -1))
        if ancestor <= 0 and (scope_id := _ambiguous_scope(ctx, root, element_id)) is not None:
            return f"{prefix} {AMBIGUOUS.format(scope_id)}"
        if ancestor > 0 and ctx.state.instances.get(ancestor) is None:
            return f"{prefix} {ANCESTOR_NOT_FOUND.format(ancestor)}"
        if _scope_for(ctx, root, element_id, ancestor) is None and (
            ancestor > 0 or _missing_scopes(ctx, root, element_id) is None
        ):
            return f"{prefix} activate instructions whose flow scope is not active: '{element_id}'"
    return problem


def _missing_scopes(
    ctx: Context, root: ElementInstance, element_id: str
) -> tuple[ElementInstance, list[str]] | None:
    """gRPC reference: an activate instruction is invalid if "A flow scope of the given element
    can't be created". Returns the innermost active flow scope instance and the embedded
    subprocesses to create below it (outermost first); None if one is not a plain embedded
    subprocess or an existing scope is ambiguous."""
    process = lifecycle.definition_of(ctx, root).process
    missing: list[str] = []
    for scope_id in _scope_chain(process, element_id)[1:]:
        if scope_id == process.id:
            return root, missing[::-1]
        active = [
            i
            for i in ctx.state.instances.values()
            if i.process_instance_key == root.key and i.element_id == scope_id
        ]
        if active:
            return (active[0], missing[::-1]) if len(active) == 1 else None
        scope = process.elements[scope_id]
        if scope.element_type is not ElementType.SUB_PROCESS or scope.loop is not None:
            return None
        missing.append(scope_id)
    return None


def _create_scopes(
    ctx: Context, definition: ProcessDefinition, root: ElementInstance, element_id: str
) -> ElementInstance:
    """Activate the missing embedded subprocesses around the element (as Zeebe's activation
    does), each without its none start event; returns the element's new flow scope."""
    found = _missing_scopes(ctx, root, element_id)
    assert found is not None  # validated in _problem
    scope, missing = found
    for scope_id in missing:
        scope = lifecycle.activate(
            ctx, definition, definition.process.elements[scope_id], scope.key
        )
        ctx.start_points[scope.key] = ((), -1)
    return scope


ANCESTOR_NOT_FOUND = (
    "activate instructions with an ancestor scope key that does not exist, or is not in an "
    "active state: '{}'"
)
AMBIGUOUS = (
    "activate instructions for an element that has a flow scope with more than one active "
    "instance: '{}'. Can't decide in which instance of the flow scope the element should be "
    "activated. Please specify an ancestor element instance key for this activate instruction."
)


def _ambiguous_scope(ctx: Context, root: ElementInstance, element_id: str) -> str | None:
    """gRPC reference, ModifyProcessInstance INVALID_ARGUMENT: "The given element has more than
    one active instance of its flow scope" (without an ancestor key); returns that scope's id."""
    scope_id = lifecycle.definition_of(ctx, root).process.elements[element_id].flow_scope
    count = sum(
        1
        for i in ctx.state.instances.values()
        if i.process_instance_key == root.key and i.element_id == scope_id and i.key != root.key
    )
    return scope_id if count > 1 else None


CHILD_TERMINATED = (
    "Expected to modify instance of process '{}' but the given instructions would terminate the "
    "instance. The instance was created by a call activity in the parent process. To terminate "
    "this instance please modify the parent process instead."
)


def _terminates_called_instance(ctx: Context, root: ElementInstance, value: dict[str, Any]) -> bool:
    """gRPC reference, ModifyProcessInstance INVALID_ARGUMENT: "The instructions would terminate
    all element instances of a process instance that was created by a call activity". A scope
    left without children is terminated with them, so only a surviving leaf keeps the instance."""
    if int(root.value.get("parentProcessInstanceKey", -1)) <= 0:
        return False
    terminated = {int(t.get("elementInstanceKey", -1)) for t in value["terminateInstructions"]}
    children: dict[int, list[int]] = {}
    for instance in ctx.state.instances.values():
        if instance.process_instance_key == root.key and instance.key != root.key:
            children.setdefault(instance.flow_scope_key, []).append(instance.key)

    def survives(key: int) -> bool:
        kids = children.get(key, [])
        return key not in terminated and (not kids or any(survives(k) for k in kids))

    return bool(terminated) and not any(survives(k) for k in children.get(root.key, []))


def _variable_scope(
    ctx: Context, root: ElementInstance, instance: ElementInstance, scope_id: str
) -> int:
    """Where a variable instruction writes: the process instance for an empty scopeId ("leave
    empty to create the variables in the global scope"), else the instance of that element."""
    current = instance
    while scope_id and current.element_id != scope_id and current.flow_scope_key != -1:
        current = ctx.state.instances[current.flow_scope_key]
    return current.key if scope_id and current.element_id == scope_id else root.key


def modify(ctx: Context, command: Record) -> None:
    """Validate all instructions first, then activate, then terminate."""
    root = ctx.state.instances.get(command.key)
    if root is None or root.flow_scope_key != -1:
        reason = (
            "Expected to modify process instance but no process instance found with key "
            f"'{command.key}'"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    problem = _problem(ctx, root, command.value)
    if problem is not None:
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, problem)
        return
    ctx.event(root.key, ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFIED", command.value)
    definition = lifecycle.definition_of(ctx, root)
    for instruction in command.value.get("activateInstructions") or []:
        element = definition.process.elements[str(instruction["elementId"])]
        ancestor = int(instruction.get("ancestorElementInstanceKey", -1))
        scope = _scope_for(ctx, root, element.id, ancestor) or _create_scopes(
            ctx, definition, root, element.id
        )
        # after ELEMENT_ACTIVATING (the activation step is queued), as Zeebe's activation callback
        instance = lifecycle.activate(ctx, definition, element, scope.key)
        for variables in instruction.get("variableInstructions") or []:
            scope_key = _variable_scope(ctx, root, instance, str(variables.get("scopeId") or ""))
            set_locals(ctx, scope_key, dict(variables.get("variables") or {}))
    for instruction in command.value.get("terminateInstructions") or []:
        target = ctx.state.instances.get(int(instruction["elementInstanceKey"]))
        if target is not None:
            lifecycle.terminate(ctx, target)
    ctx.respond({})


def delete_resource(ctx: Context, command: Record) -> None:
    """Delete a process definition without running instances; the previous version becomes the
    latest again (its start events reopen)."""
    key = int(command.value.get("resourceKey", -1))
    definition = ctx.state.processes.get(key)
    if definition is None and delete_definition(ctx, key):
        # DRG (DECISION DELETED per decision, then DECISION_REQUIREMENTS DELETED) or FORM DELETED
        ctx.event(ctx.next_key(), ValueType.RESOURCE_DELETION, "DELETED", {"resourceKey": key})
        ctx.respond({})
        return
    if definition is None:
        reason = f"Expected to delete resource but no resource found with key `{key}`"
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    if any(i.process_definition_key == key for i in ctx.state.instances.values()):
        reason = f"Expected to delete resource with key `{key}` but there are running instances"
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    was_latest = ctx.state.latest(definition.bpmn_process_id) is definition
    if was_latest:
        close_start_events(ctx, definition)
    ctx.event(key, ValueType.PROCESS, "DELETED", _process_value(definition))
    ctx.event(ctx.next_key(), ValueType.RESOURCE_DELETION, "DELETED", {"resourceKey": key})
    latest = ctx.state.latest(definition.bpmn_process_id)
    if was_latest and latest is not None:
        replace_start_events(ctx, latest, None)
    ctx.respond({})


def _process_value(definition: ProcessDefinition) -> dict[str, Any]:
    return {
        "bpmnProcessId": definition.bpmn_process_id,
        "version": definition.version,
        "processDefinitionKey": definition.key,
        "resourceName": definition.resource_name,
        "checksum": definition.checksum,
        "tenantId": definition.tenant_id,
    }
