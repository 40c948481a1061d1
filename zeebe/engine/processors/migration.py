"""PROCESS_INSTANCE_MIGRATION MIGRATE (spec 1.2 row 18): move a running instance to another
process definition.

Like Zeebe's `ProcessInstanceMigrationMigrateProcessor`, the element instances are visited
breadth-first from the process instance; each one needs a mapping instruction (the process itself
is mapped implicitly) and must pass the preconditions of `migration_checks`. The whole command is
validated before anything is written, so a rejection leaves the instance untouched (checks
before the elements: duplicate sources, the message start correlation key of
`migration_state_checks`, unknown ids). Then every element instance gets ELEMENT_MIGRATED
(same key, new definition key / process id / version / element id), its tokens waiting at
joining gateways move (`migration_gateways`), its job JOB MIGRATED (a job worker user task
mapped to a Camunda user task is converted instead: `migration_user_tasks`), its incidents
INCIDENT MIGRATED, its Camunda user task USER_TASK MIGRATED and its local variables VARIABLE
MIGRATED (value null, as Zeebe writes it; the stored values stay); the process instance
element also migrates the compensation subscriptions of completed activities
(`migration_compensation`, Zeebe 8.8), before its other subscriptions.
PROCESS_INSTANCE_MIGRATION MIGRATED closes the command. The instance then
goes on with the target definition's flows.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from zeebe.engine.context import Context
from zeebe.engine.processors.migration_checks import (
    check_duplicates,
    check_element,
    check_elements_exist,
)
from zeebe.engine.processors.migration_compensation import (
    compensation_failure,
    migrate_compensations,
)
from zeebe.engine.processors.migration_events import migrate_subscriptions, new_targets
from zeebe.engine.processors.migration_gateways import gateway_failure, migrate_taken_flows
from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_state_checks import message_start_failure
from zeebe.engine.processors.migration_user_tasks import convert, is_conversion
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import ElementInstance, ProcessDefinition

PI = ValueType.PROCESS_INSTANCE
NOT_FOUND_INSTANCE = (
    "Expected to migrate process instance but no process instance found with key '{}'"
)
NOT_FOUND_DEFINITION = (
    "Expected to migrate process instance to process definition but no process definition "
    "found with key '{}'"
)


def migrate(ctx: Context, command: Record) -> None:
    """Validate the whole migration plan, then migrate every element instance atomically."""
    key = _instance_key(command)
    root = ctx.state.instances.get(key)
    if root is None or root.flow_scope_key != -1:
        ctx.reject(command, RejectionType.NOT_FOUND, NOT_FOUND_INSTANCE.format(key))
        return
    target_key = int(command.value.get("targetProcessDefinitionKey", -1))
    target = ctx.state.processes.get(target_key)
    if target is None or target.tenant_id != str(root.value["tenantId"]):
        ctx.reject(command, RejectionType.NOT_FOUND, NOT_FOUND_DEFINITION.format(target_key))
        return
    plan = Plan(
        process_instance_key=key,
        source=ctx.state.processes[root.process_definition_key],
        target=target,
        mapping=_mapping(command.value),
    )
    instances = _breadth_first(ctx, root)
    failure = _first_failure(ctx, plan, instances)
    if failure is not None:
        ctx.reject(command, failure.rejection_type, failure.reason)
        return
    for instance in instances:
        _migrate_element(ctx, instance, plan)
    value = _migration_value(command.value, key, target)
    ctx.event(key, ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATED", value)
    ctx.respond({})


def _instance_key(command: Record) -> int:
    # the edges send the key as the record key; a bare value (e.g. a replayed log) also works
    if command.key > 0:
        return command.key
    return int(command.value.get("processInstanceKey", -1))


def _mapping(value: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(i.get("sourceElementId", "")), str(i.get("targetElementId", "")))
        for i in value.get("mappingInstructions") or []
    )


def _breadth_first(ctx: Context, root: ElementInstance) -> list[ElementInstance]:
    """The process instance and its live descendants, parents before children (Zeebe's order)."""
    ordered: list[ElementInstance] = []
    queue = deque([root])
    while queue:
        instance = queue.popleft()
        ordered.append(instance)
        queue.extend(ctx.state.children_of(instance.key))
    return ordered


def _first_failure(ctx: Context, plan: Plan, instances: list[ElementInstance]) -> Failure | None:
    # Zeebe's order: duplicate sources, the message start correlation key, then the elements
    failure = (
        check_duplicates(plan)
        or message_start_failure(ctx.state, plan, instances[0])
        or check_elements_exist(plan)
    )
    if failure is not None:
        return failure
    for instance in instances:
        failure = check_element(ctx, plan, instance)
        # Zeebe maps the compensation subscriptions while migrating the process instance
        # element, after its preconditions and before those of its children
        if failure is None and instance.flow_scope_key == -1:
            failure = compensation_failure(ctx.state, plan)
        if failure is None and instance.taken_flows:
            failure = gateway_failure(plan, instance)
        if failure is not None:
            return failure
    return None


def _migrate_element(ctx: Context, instance: ElementInstance, plan: Plan) -> None:
    # Zeebe's order: element, taken flows, job (or the user task conversion), incidents, user
    # task, variables, compensation subscriptions (process element), catch events
    target = plan.target
    target_id = plan.target_id_of(instance)
    changes = {
        "bpmnProcessId": target.bpmn_process_id,
        "processDefinitionKey": target.key,
        "elementId": target_id,
    }
    element = target.process.elements[target_id]
    converts = is_conversion(ctx.state, instance, element)
    migrated = instance.value | changes | {"version": target.version}
    ctx.event(instance.key, PI, "ELEMENT_MIGRATED", migrated)
    if instance.taken_flows:
        migrate_taken_flows(ctx, plan, instance)
    versioned = changes | {"processDefinitionVersion": target.version}
    if converts:
        convert(ctx, plan, instance, element)
    else:
        _migrate_job(ctx, instance, versioned)
    for incident_key in sorted(ctx.state.incidents_by_element.get(instance.key, ())):
        incident = ctx.state.incidents[incident_key]
        ctx.event(incident_key, ValueType.INCIDENT, "MIGRATED", incident.value | changes)
    task_key = ctx.state.user_task_by_element.get(instance.key)
    task = ctx.state.user_tasks.get(task_key) if task_key is not None else None
    if task is not None:
        ctx.event(task.key, ValueType.USER_TASK, "MIGRATED", task.value | versioned)
    for name, (variable_key, _) in sorted(ctx.state.variables.local(instance.key).items()):
        ctx.event(variable_key, ValueType.VARIABLE, "MIGRATED", _variable(instance, name, target))
    if instance.flow_scope_key == -1:
        migrate_compensations(ctx, plan)
    targets = plan.targets()
    new = new_targets(ctx.state, target.process, element, instance, set(targets.values()))
    migrate_subscriptions(ctx, instance, targets, new)


def _migrate_job(ctx: Context, instance: ElementInstance, versioned: dict[str, Any]) -> None:
    job = ctx.state.jobs.get(instance.job_key) if instance.job_key > 0 else None
    if job is not None:
        ctx.event(job.key, ValueType.JOB, "MIGRATED", job.value | versioned)


def _variable(instance: ElementInstance, name: str, target: ProcessDefinition) -> dict[str, Any]:
    # Zeebe writes the value as null: the record only moves the variable to the new definition
    return {
        "name": name,
        "value": "null",
        "scopeKey": instance.key,
        "processInstanceKey": instance.process_instance_key,
        "processDefinitionKey": target.key,
        "bpmnProcessId": target.bpmn_process_id,
        "tenantId": instance.value["tenantId"],
    }


def _migration_value(value: dict[str, Any], key: int, target: ProcessDefinition) -> dict[str, Any]:
    return {
        "processInstanceKey": key,
        "targetProcessDefinitionKey": target.key,
        "mappingInstructions": [
            {
                "sourceElementId": str(i.get("sourceElementId", "")),
                "targetElementId": str(i.get("targetElementId", "")),
            }
            for i in value.get("mappingInstructions") or []
        ],
        "tenantId": target.tenant_id,
    }
