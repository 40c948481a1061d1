"""Joining parallel and inclusive gateways in a process instance migration (Camunda 8.8 docs,
process instance migration, "Migrating joining parallel and inclusive gateways"; camunda/camunda
`ProcessInstanceMigrationSequenceFlowBehavior`, `MigrateParallelGatewayTest`, issues #25640,
#22199, #25674, #35330).

A flow scope (process or subprocess instance) whose taken sequence flows wait at a joining
gateway keeps them: the gateway must be mapped to a gateway of the same type with at least as
many incoming flows, and each taken flow moves to the target flow its mapping instruction
names (8.8: sequence flows may be mapped like elements), or else to the target flow with the
same id; either must flow into the mapped gateway. The flow scope then gets
SEQUENCE_FLOW_DELETED for the source flow and SEQUENCE_FLOW_TAKEN for the target flow, once
per taken token (Zeebe writes one pair per distinct flow), right after its ELEMENT_MIGRATED.
Rejections are INVALID_ARGUMENT with Zeebe's texts.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn.lifecycle import element_value
from zeebe.engine.context import Context
from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_texts import (
    GATEWAY_NOT_MAPPED,
    GATEWAY_TAKEN_FLOW_MISMATCH,
    GATEWAY_TOO_FEW_INCOMING,
    TYPE_CHANGED,
)
from zeebe.model.elements import Element, ElementType
from zeebe.records import RejectionType, ValueType
from zeebe.state import ElementInstance, ProcessDefinition

INVALID_ARGUMENT = RejectionType.INVALID_ARGUMENT
PI = ValueType.PROCESS_INSTANCE


def gateway_failure(plan: Plan, scope: ElementInstance) -> Failure | None:
    """Why the taken flows of `scope` (waiting at joining gateways) cannot be migrated."""
    for flow_id in sorted(scope.taken_flows):
        gateway = plan.source.process.elements[plan.source.process.flows[flow_id].target]
        failure = _gateway_mapping(plan, gateway)
        if failure is not None:
            return failure
        target = plan.target.process.elements[plan.targets()[gateway.id]]
        if len(target.incoming) < len(gateway.incoming):
            return _invalid(plan, GATEWAY_TOO_FEW_INCOMING, target.id, gateway.id)
        if target_flow(plan, flow_id, target) is None:
            return _invalid(plan, GATEWAY_TAKEN_FLOW_MISMATCH, gateway.id, flow_id, target.id)
    return None


def _gateway_mapping(plan: Plan, gateway: Element) -> Failure | None:
    target_id = plan.targets().get(gateway.id)
    if target_id is None:
        return _invalid(plan, GATEWAY_NOT_MAPPED, gateway.id)
    target = plan.target.process.elements[target_id]
    if target.element_type is not gateway.element_type:
        kinds = (gateway.element_type.value, target_id, target.element_type.value)
        return _invalid(plan, TYPE_CHANGED, gateway.id, *kinds)
    return None


def _invalid(plan: Plan, template: str, *args: Any) -> Failure:
    return Failure(INVALID_ARGUMENT, template.format(plan.process_instance_key, *args))


def target_flow(plan: Plan, flow_id: str, target_gateway: Element) -> str | None:
    """The target flow a taken source flow moves to: its mapping, else the same id; None when
    that flow does not flow into the mapped gateway."""
    mapped = plan.targets().get(flow_id, flow_id)
    flow = plan.target.process.flows.get(mapped)
    if flow is None or flow.target != target_gateway.id:
        return None
    return mapped


def migrate_taken_flows(ctx: Context, plan: Plan, scope: ElementInstance) -> None:
    """SEQUENCE_FLOW_DELETED (source flow) and SEQUENCE_FLOW_TAKEN (target flow) for every
    token of the scope waiting at a joining gateway; the scope is already migrated."""
    source_process = plan.source.process
    for flow_id, count in sorted(scope.taken_flows.items()):
        gateway_id = plan.targets()[source_process.flows[flow_id].target]
        mapped = target_flow(plan, flow_id, plan.target.process.elements[gateway_id])
        assert mapped is not None  # validated by gateway_failure
        for _ in range(count):
            ctx.event(
                ctx.next_key(), PI, "SEQUENCE_FLOW_DELETED", _flow(plan.source, flow_id, scope)
            )
            ctx.event(ctx.next_key(), PI, "SEQUENCE_FLOW_TAKEN", _flow(plan.target, mapped, scope))


def _flow(definition: ProcessDefinition, flow_id: str, scope: ElementInstance) -> dict[str, Any]:
    flow = Element(id=flow_id, element_type=ElementType.SEQUENCE_FLOW)
    return element_value(definition, flow, scope.process_instance_key, scope.key)
