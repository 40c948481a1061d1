"""Compensation subscriptions of a migrated process instance (Zeebe 8.8,
`ProcessInstanceMigrationCatchEventBehaviour`: camunda/camunda#24377, #24487; Camunda 8.8 docs
"Process instance migration", section "Compensation boundary events").

A completed activity with a compensation boundary event holds a compensation subscription (a
completed subprocess holding such subscriptions holds one too). Zeebe migrates them when it
migrates the process instance element, before the process's other subscriptions:

- the mapping follows the compensation boundary events, not the activities: for each
  subscription of a compensable task (not of a subprocess), if the task's compensation boundary
  event is mapped, the target activity is the one the target boundary event is attached to. The
  pair, then the pairs of their flow scopes up to the processes, map compensable activity ids
  (so the subscriptions of enclosing subprocesses follow);
- a target boundary event that is not a compensation boundary event rejects the migration
  (INVALID_ARGUMENT), so does a pair where only one side has reached its process (the flow scope
  of the compensation boundary event changed; INVALID_STATE);
- subscriptions whose compensable activity has no mapping are DELETED (that compensation is
  dropped: "triggering compensation throw event afterward will not compensate");
- the others are MIGRATED under the same key: new process definition key, the target
  compensable activity id and, when the target activity has a compensation boundary event, its
  handler. This engine's subscription also names its boundary event and bpmn process id (Zeebe's
  record has neither); they are rewritten to the target's too, since a later compensation
  starts the handler from the target definition.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.context import Context
from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_texts import (
    COMPENSATION_BOUNDARY_TYPE_CHANGED,
    COMPENSATION_FLOW_SCOPE_CHANGED,
)
from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.records import RejectionType, ValueType
from zeebe.state import EngineState

SUBSCRIPTION = ValueType.COMPENSATION_SUBSCRIPTION
# the event type Zeebe names for an element without an event definition
UNSPECIFIED = EventType.UNSPECIFIED.value


def compensation_failure(state: EngineState, plan: Plan) -> Failure | None:
    """Why the instance's compensation subscriptions cannot be migrated (None: they can)."""
    mapping = compensation_mapping(state, plan)
    return mapping if isinstance(mapping, Failure) else None


def compensation_mapping(state: EngineState, plan: Plan) -> dict[str, str] | Failure:
    """Source compensable activity id -> target id, from the mapped compensation boundary
    events of the subscriptions' tasks and, upwards, their flow scopes."""
    targets = plan.targets()
    elements = plan.source.process.elements
    mapping: dict[str, str] = {}
    for key in sorted(state.compensations_by_instance.get(plan.process_instance_key, ())):
        activity = elements.get(str(state.compensations[key]["compensableActivityId"]))
        # subprocess subscriptions follow their tasks' mappings (the flow scope walk)
        if activity is None or activity.element_type is ElementType.SUB_PROCESS:
            continue
        boundary = compensation_boundary(plan.source.process, activity)
        if boundary is None or boundary.id not in targets:
            continue
        target = _target_activity(plan, boundary.id, targets[boundary.id])
        if isinstance(target, Failure):
            return target
        scopes = _scope_pairs(plan, activity, target)
        if isinstance(scopes, Failure):
            return scopes
        mapping.update(scopes)
    return mapping


def compensation_boundary(process: Process, activity: Element) -> Element | None:
    """The compensation boundary event attached to an activity, if any."""
    for boundary_id in activity.boundary_events:
        boundary = process.elements[boundary_id]
        if boundary.event_type is EventType.COMPENSATION:
            return boundary
    return None


def _target_activity(plan: Plan, source_id: str, target_id: str) -> Element | Failure:
    """The activity the target boundary event is attached to; it must be a compensation
    boundary event. (Zeebe fails internally when the target is no boundary event at all; this
    engine rejects that with the same text.)"""
    elements = plan.target.process.elements
    boundary = elements.get(target_id)
    if boundary is None or boundary.attached_to is None:
        event_type = boundary.event_type.value if boundary is not None else UNSPECIFIED
    elif boundary.event_type is EventType.COMPENSATION:
        return elements[boundary.attached_to]
    else:
        event_type = boundary.event_type.value
    process_id = plan.source.bpmn_process_id
    reason = COMPENSATION_BOUNDARY_TYPE_CHANGED.format(process_id, source_id, target_id, event_type)
    return Failure(RejectionType.INVALID_ARGUMENT, reason)


def _scope_pairs(plan: Plan, source: Element, target: Element) -> dict[str, str] | Failure:
    """The activity pair and the pairs of their flow scopes, up to both processes; both sides
    must reach their process at the same level."""
    source_root, target_root = plan.source.bpmn_process_id, plan.target.bpmn_process_id
    pairs: dict[str, str] = {}
    while True:
        at_source_root, at_target_root = source.id == source_root, target.id == target_root
        if at_source_root != at_target_root:
            reason = COMPENSATION_FLOW_SCOPE_CHANGED.format(source_root, source.id, target.id)
            return Failure(RejectionType.INVALID_STATE, reason)
        pairs[source.id] = target.id
        if at_source_root:
            return pairs
        source = plan.source.process.elements[source.flow_scope or source_root]
        target = plan.target.process.elements[target.flow_scope or target_root]


def migrate_compensations(ctx: Context, plan: Plan) -> None:
    """DELETED for the subscriptions without a mapping, then MIGRATED for the others, each in
    key order (a validated plan: `compensation_failure` returned None)."""
    state = ctx.state
    mapping = compensation_mapping(state, plan)
    assert not isinstance(mapping, Failure), "migration validated before it is written"
    kept: list[int] = []
    for key in sorted(state.compensations_by_instance.get(plan.process_instance_key, ())):
        value = state.compensations[key]
        if str(value["compensableActivityId"]) in mapping:
            kept.append(key)
        else:
            ctx.event(key, SUBSCRIPTION, "DELETED", value)
    for key in kept:
        value = state.compensations[key]
        ctx.event(key, SUBSCRIPTION, "MIGRATED", _migrated(plan, value, mapping))


def _migrated(plan: Plan, value: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    target_id = mapping[str(value["compensableActivityId"])]
    changes: dict[str, Any] = {
        "processDefinitionKey": plan.target.key,
        "bpmnProcessId": plan.target.bpmn_process_id,
        "compensableActivityId": target_id,
    }
    activity = plan.target.process.elements[target_id]
    boundary = compensation_boundary(plan.target.process, activity)
    if boundary is not None:
        changes["compensationHandlerId"] = boundary.compensation_handler or ""
        changes["compensationBoundaryEventId"] = boundary.id
    return value | changes
