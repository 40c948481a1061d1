"""Gateway unary command RPCs as engine commands.

One entry per unary command RPC in `UNARY`: how the validated request becomes a `Command`
and which protobuf message carries the engine's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message  # type: ignore[import-untyped]
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.engine.api import Command
from zeebe.gateway.validation import check_tenant, parse_document
from zeebe.records import ValueType

ToCommand = Callable[[Any], Command]


def creation_value(request: pb.CreateProcessInstanceRequest, rpc: str) -> dict[str, Any]:
    """The PROCESS_INSTANCE_CREATION value of a (nested) create request."""
    return {
        "bpmnProcessId": request.bpmnProcessId,
        "version": request.version,
        # proto3 has no "absent": an unset key arrives as 0, which Zeebe looks up (Appendix B)
        "processDefinitionKey": request.processDefinitionKey,
        "variables": parse_document(request.variables),
        "startInstructions": [{"elementId": s.elementId} for s in request.startInstructions],
        "tenantId": check_tenant(rpc, request.tenantId),
    }


def _deploy(request: pb.DeployResourceRequest) -> Command:
    resources = [{"resourceName": r.name, "resource": r.content} for r in request.resources]
    tenant = check_tenant("DeployResource", request.tenantId)
    return Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources, "tenantId": tenant})


def _deploy_process(request: pb.DeployProcessRequest) -> Command:
    resources = [{"resourceName": p.name, "resource": p.definition} for p in request.processes]
    return Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources, "tenantId": ""})


def _create(request: pb.CreateProcessInstanceRequest) -> Command:
    value = creation_value(request, "CreateProcessInstance")
    return Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)


def _cancel(request: pb.CancelProcessInstanceRequest) -> Command:
    return Command(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=request.processInstanceKey)


def _complete(request: pb.CompleteJobRequest) -> Command:
    value = {"variables": parse_document(request.variables)}
    return Command(ValueType.JOB, "COMPLETE", value, key=request.jobKey)


def _fail(request: pb.FailJobRequest) -> Command:
    value = {
        "retries": request.retries,
        "errorMessage": request.errorMessage,
        "retryBackoff": request.retryBackOff,
        "variables": parse_document(request.variables),
    }
    return Command(ValueType.JOB, "FAIL", value, key=request.jobKey)


def _throw_error(request: pb.ThrowErrorRequest) -> Command:
    value = {
        "errorCode": request.errorCode,
        "errorMessage": request.errorMessage,
        "variables": parse_document(request.variables),
    }
    return Command(ValueType.JOB, "THROW_ERROR", value, key=request.jobKey)


def _update_retries(request: pb.UpdateJobRetriesRequest) -> Command:
    value = {"retries": request.retries}
    return Command(ValueType.JOB, "UPDATE_RETRIES", value, key=request.jobKey)


def _update_timeout(request: pb.UpdateJobTimeoutRequest) -> Command:
    value = {"timeout": request.timeout}
    return Command(ValueType.JOB, "UPDATE_TIMEOUT", value, key=request.jobKey)


def _resolve(request: pb.ResolveIncidentRequest) -> Command:
    return Command(ValueType.INCIDENT, "RESOLVE", {}, key=request.incidentKey)


def _set_variables(request: pb.SetVariablesRequest) -> Command:
    value = {
        "scopeKey": request.elementInstanceKey,
        "variables": parse_document(request.variables),
        "updateSemantics": "LOCAL" if request.local else "PROPAGATE",
    }
    return Command(ValueType.VARIABLE_DOCUMENT, "UPDATE", value)


def _publish(request: pb.PublishMessageRequest) -> Command:
    value = {
        "name": request.name,
        "correlationKey": request.correlationKey,
        "timeToLive": request.timeToLive,
        "messageId": request.messageId,
        "variables": parse_document(request.variables),
        "tenantId": check_tenant("PublishMessage", request.tenantId),
    }
    return Command(ValueType.MESSAGE, "PUBLISH", value)


def _broadcast(request: pb.BroadcastSignalRequest) -> Command:
    value = {
        "signalName": request.signalName,
        "variables": parse_document(request.variables),
        "tenantId": check_tenant("BroadcastSignal", request.tenantId),
    }
    return Command(ValueType.SIGNAL, "BROADCAST", value)


def _modify(request: pb.ModifyProcessInstanceRequest) -> Command:
    activate = [
        {
            "elementId": a.elementId,
            "ancestorElementInstanceKey": a.ancestorElementInstanceKey or -1,
            "variableInstructions": [
                {"variables": parse_document(v.variables), "scopeId": v.scopeId}
                for v in a.variableInstructions
            ],
        }
        for a in request.activateInstructions
    ]
    terminate = [
        {"elementInstanceKey": t.elementInstanceKey} for t in request.terminateInstructions
    ]
    value = {"activateInstructions": activate, "terminateInstructions": terminate}
    return Command(
        ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFY", value, key=request.processInstanceKey
    )


def _migrate(request: pb.MigrateProcessInstanceRequest) -> Command:
    plan = request.migrationPlan
    value = {
        "processInstanceKey": request.processInstanceKey,
        "targetProcessDefinitionKey": plan.targetProcessDefinitionKey,
        "mappingInstructions": [
            {"sourceElementId": m.sourceElementId, "targetElementId": m.targetElementId}
            for m in plan.mappingInstructions
        ],
    }
    return Command(
        ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATE", value, key=request.processInstanceKey
    )


def _delete(request: pb.DeleteResourceRequest) -> Command:
    return Command(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": request.resourceKey})


@dataclass(frozen=True, slots=True)
class UnaryRpc:
    """How one unary command RPC maps onto the engine."""

    to_command: ToCommand
    response: type[Message]


UNARY: dict[str, UnaryRpc] = {
    "DeployResource": UnaryRpc(_deploy, pb.DeployResourceResponse),
    "DeployProcess": UnaryRpc(_deploy_process, pb.DeployProcessResponse),
    "CreateProcessInstance": UnaryRpc(_create, pb.CreateProcessInstanceResponse),
    "CancelProcessInstance": UnaryRpc(_cancel, pb.CancelProcessInstanceResponse),
    "CompleteJob": UnaryRpc(_complete, pb.CompleteJobResponse),
    "FailJob": UnaryRpc(_fail, pb.FailJobResponse),
    "ThrowError": UnaryRpc(_throw_error, pb.ThrowErrorResponse),
    "UpdateJobRetries": UnaryRpc(_update_retries, pb.UpdateJobRetriesResponse),
    "UpdateJobTimeout": UnaryRpc(_update_timeout, pb.UpdateJobTimeoutResponse),
    "ResolveIncident": UnaryRpc(_resolve, pb.ResolveIncidentResponse),
    "SetVariables": UnaryRpc(_set_variables, pb.SetVariablesResponse),
    "PublishMessage": UnaryRpc(_publish, pb.PublishMessageResponse),
    "BroadcastSignal": UnaryRpc(_broadcast, pb.BroadcastSignalResponse),
    "ModifyProcessInstance": UnaryRpc(_modify, pb.ModifyProcessInstanceResponse),
    "MigrateProcessInstance": UnaryRpc(_migrate, pb.MigrateProcessInstanceResponse),
    "DeleteResource": UnaryRpc(_delete, pb.DeleteResourceResponse),
}
