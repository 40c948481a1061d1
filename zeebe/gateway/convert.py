"""Translation between gateway protobuf messages and engine commands / responses.

One entry per unary command RPC in `UNARY`: how the request becomes a `Command` (after
validation) and how the engine's camelCase response dict becomes the protobuf response.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf.json_format import ParseDict  # type: ignore[import-untyped]
from google.protobuf.message import Message  # type: ignore[import-untyped]
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.engine.api import Command
from zeebe.feel.values import to_json_value
from zeebe.gateway.validation import check_tenant, check_tenants, parse_document
from zeebe.records import ValueType

ToCommand = Callable[[Any], Command]


_SCALARS = (int, str, bool, float, bytes)


_FIELD_NAMES: dict[str, frozenset[str]] = {}


def _field_names(message: Message) -> frozenset[str]:
    descriptor = message.DESCRIPTOR
    names = _FIELD_NAMES.get(descriptor.full_name)
    if names is None:
        names = _FIELD_NAMES[descriptor.full_name] = frozenset(descriptor.fields_by_name)
    return names


def to_message(data: dict[str, Any], message: Message) -> Message:
    """Fill `message` from a camelCase dict; fields the proto does not know are ignored."""
    names = _field_names(message)
    known = {k: v for k, v in data.items() if k in names}
    if all(isinstance(v, _SCALARS) for v in known.values()):
        # hot path (every create/activate answer): json_format is ~10x slower than this
        for name, value in known.items():
            setattr(message, name, value)
        return message
    return ParseDict(data, message, ignore_unknown_fields=True)


def activated_job(job: dict[str, Any]) -> pb.ActivatedJob:
    """An engine job dict (variables/customHeaders as dicts) as the wire `ActivatedJob`."""
    data = dict(job)
    data["variables"] = json.dumps(job.get("variables") or {})
    data["customHeaders"] = json.dumps(job.get("customHeaders") or {})
    message = pb.ActivatedJob()
    to_message(data, message)
    return message


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


_DEPLOYMENT_KINDS = frozenset({"process", "decision", "decisionRequirements", "form"})


def deploy_resource_response(response: dict[str, Any]) -> dict[str, Any]:
    """`deployments` entries are a oneof; a bare process metadata dict is wrapped as `process`."""
    deployments = [
        d if _DEPLOYMENT_KINDS & d.keys() else {"process": d}
        for d in response.get("deployments", [])
    ]
    return {**response, "deployments": deployments}


def deploy_process_response(response: dict[str, Any]) -> dict[str, Any]:
    """The deprecated DeployProcess answers with `processes` instead of `deployments`."""
    deployments = deploy_resource_response(response)["deployments"]
    processes = [d["process"] for d in deployments if "process" in d]
    return {"key": response.get("key", -1), "processes": processes}


def _json_text(value: Any) -> str:
    return json.dumps(to_json_value(value))


def _evaluated_decision(entry: dict[str, Any]) -> dict[str, Any]:
    inputs = [
        {**item, "inputValue": _json_text(item.get("inputValue"))}
        for item in entry.get("evaluatedInputs", [])
    ]
    rules = [
        {
            **rule,
            "evaluatedOutputs": [
                {**output, "outputValue": _json_text(output.get("outputValue"))}
                for output in rule.get("evaluatedOutputs", [])
            ],
        }
        for rule in entry.get("matchedRules", [])
    ]
    output = _json_text(entry.get("decisionOutput"))
    return {**entry, "decisionOutput": output, "evaluatedInputs": inputs, "matchedRules": rules}


def evaluate_decision_response(response: dict[str, Any]) -> dict[str, Any]:
    """EvaluateDecisionResponse: outputs, input values and rule outputs are JSON documents as
    strings on the wire (Appendix A); FEEL values (decimals, dates) become their JSON form."""
    output = _json_text(response.get("decisionOutput"))
    evaluated = [_evaluated_decision(d) for d in response.get("evaluatedDecisions", [])]
    return {**response, "decisionOutput": output, "evaluatedDecisions": evaluated}


RESPONSE_SHAPERS = {
    "DeployResource": deploy_resource_response,
    "DeployProcess": deploy_process_response,
}


RESPONSE_SPLIT_BYTES = 4 * 1024 * 1024 - 64 * 1024  # below the 4 MB max message size


def activate_responses(jobs: list[dict[str, Any]]) -> list[pb.ActivateJobsResponse]:
    """One response for the batch, split only where it would pass the 4 MB message limit
    (jobs activated but undeliverable would sit until their timeout)."""
    responses: list[pb.ActivateJobsResponse] = []
    current: list[pb.ActivatedJob] = []
    size = 0
    for job in jobs:
        message = activated_job(job)
        job_size = message.ByteSize() + 8  # field tag and length prefix
        if current and size + job_size > RESPONSE_SPLIT_BYTES:
            responses.append(pb.ActivateJobsResponse(jobs=current))
            current, size = [], 0
        current.append(message)
        size += job_size
    if current:
        responses.append(pb.ActivateJobsResponse(jobs=current))
    return responses


def job_request_value(request: Any, rpc: str) -> dict[str, Any]:
    """The JOB_BATCH ACTIVATE value shared by ActivateJobs and StreamActivatedJobs."""
    return {
        "type": request.type,
        "worker": request.worker,
        "timeout": request.timeout,
        "variables": list(request.fetchVariable),
        "tenantIds": check_tenants(rpc, list(request.tenantIds)),
    }
