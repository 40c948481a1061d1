"""The write phase of a DEPLOYMENT CREATE: which resources write records, the records, the
DEPLOYMENT CREATED value and the response (Zeebe 8.7/8.8 DeploymentCreateProcessor and the
`writeRecords` step of its Bpmn/Dmn/FormResourceTransformer).

Every resource first gets its metadata (`Planned`, built in `deployment.py` and
`deployment_definitions.py`): a duplicate of the latest version keeps that version's key,
version and deploymentKey. Then, as Zeebe:

- when every resource of the deployment is a duplicate, no resource writes a record;
- otherwise "all resources in a deployment should be versioned together": a duplicate is given a
  new key (generated now, after the keys of the changed resources), the next version (a process
  or form: the highest version ever deployed + 1; a DRG or decision: its version + 1), this
  deployment's key and `duplicate` false, and every resource writes its CREATED records in
  resource order. A DRG versioned again takes its decisions along (new keys, version + 1).

DEPLOYMENT CREATED carries the metadata but no resources (Zeebe's
`createDeploymentWithoutResources`); the gRPC / REST response is built from the same metadata.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zeebe.engine.context import Context
from zeebe.records import ValueType
from zeebe.state import ProcessDefinition


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """A CREATED event of a new version, written after every resource of the deployment
    validated and got its key (Zeebe: step "write resource records")."""

    key: int
    value_type: ValueType
    value: dict[str, Any]


@dataclass(slots=True)
class Planned:
    """One process, DRG (with its decisions) or form of a deployment, in resource order.

    `metadata` is the entry of the DEPLOYMENT record's metadata list (exporter field names);
    `previous` is the latest process version before this deployment (start events)."""

    value_type: ValueType
    resource: bytes
    metadata: dict[str, Any]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    previous: ProcessDefinition | None = None

    @property
    def duplicate(self) -> bool:
        """The resource equals the latest version (nothing new unless versioned together)."""
        return bool(self.metadata["duplicate"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _renew(
    ctx: Context, metadata: dict[str, Any], key: str, version: tuple[str, int], deployment: int
) -> int:
    """Give a duplicate a new key and the (field, number) version under this deployment;
    returns the key."""
    new_key = ctx.next_key()
    metadata.update({key: new_key, version[0]: version[1], "duplicate": False})
    metadata["deploymentKey"] = deployment
    return new_key


def _renew_process(ctx: Context, item: Planned, deployment_key: int) -> None:
    # Zeebe: processState.getNextProcessVersion (highest ever + 1, deleted ones included)
    version = ctx.state.definitions.next_process_version(item.metadata["bpmnProcessId"])
    _renew(ctx, item.metadata, "processDefinitionKey", ("version", version), deployment_key)


def _renew_drg(ctx: Context, item: Planned, deployment_key: int) -> None:
    # Zeebe's DRG metadata keeps deploymentKey unset (-1); the DRG record carries it
    drg = item.metadata
    # DRGs and decisions: the duplicate's (latest) version + 1, as DmnResourceTransformer
    drg_version = ("decisionRequirementsVersion", drg["decisionRequirementsVersion"] + 1)
    drg_key = _renew(ctx, drg, "decisionRequirementsKey", drg_version, -1)
    for decision in item.decisions:
        if decision["duplicate"]:
            version = ("version", decision["version"] + 1)
            _renew(ctx, decision, "decisionKey", version, deployment_key)
            decision["decisionRequirementsKey"] = drg_key


def _renew_form(ctx: Context, item: Planned, deployment_key: int) -> None:
    # Zeebe: formState.getNextFormVersion (highest ever + 1)
    version = ctx.state.definitions.forms.next_version(item.metadata["formId"])
    _renew(ctx, item.metadata, "formKey", ("version", version), deployment_key)


def _process_records(item: Planned, deployment_key: int) -> list[PendingRecord]:
    value = item.metadata | {"resource": _b64(item.resource)}
    return [PendingRecord(value["processDefinitionKey"], ValueType.PROCESS, value)]


def _drg_records(item: Planned, deployment_key: int) -> list[PendingRecord]:
    """DECISION_REQUIREMENTS CREATED (with the resource and this deployment's key), then one
    DECISION CREATED per decision."""
    drg = item.metadata | {"resource": _b64(item.resource), "deploymentKey": deployment_key}
    pending = [PendingRecord(drg["decisionRequirementsKey"], ValueType.DECISION_REQUIREMENTS, drg)]
    pending += [
        PendingRecord(d["decisionKey"], ValueType.DECISION, dict(d)) for d in item.decisions
    ]
    return pending


def _form_records(item: Planned, deployment_key: int) -> list[PendingRecord]:
    value = item.metadata | {"resource": _b64(item.resource)}
    return [PendingRecord(value["formKey"], ValueType.FORM, value)]


_RENEW: dict[ValueType, Callable[[Context, Planned, int], None]] = {
    ValueType.PROCESS: _renew_process,
    ValueType.DECISION_REQUIREMENTS: _renew_drg,
    ValueType.FORM: _renew_form,
}
_RECORDS: dict[ValueType, Callable[[Planned, int], list[PendingRecord]]] = {
    ValueType.PROCESS: _process_records,
    ValueType.DECISION_REQUIREMENTS: _drg_records,
    ValueType.FORM: _form_records,
}


def resource_records(
    ctx: Context, planned: list[Planned], deployment_key: int
) -> list[PendingRecord]:
    """The CREATED records of the deployment in resource order: none when every resource is a
    duplicate, else every resource's, duplicates versioned again first (Zeebe: "all resources
    in a deployment should be versioned together")."""
    if all(item.duplicate for item in planned):
        return []
    pending: list[PendingRecord] = []
    for item in planned:
        if item.duplicate:
            _RENEW[item.value_type](ctx, item, deployment_key)
        pending += _RECORDS[item.value_type](item, deployment_key)
    return pending


def _metadata(planned: list[Planned], value_type: ValueType) -> list[dict[str, Any]]:
    return [dict(item.metadata) for item in planned if item.value_type is value_type]


def deployment_value(planned: list[Planned], tenant_id: str, deployment_key: int) -> dict[str, Any]:
    """The DEPLOYMENT CREATED value: metadata lists, no resources (Zeebe resets them)."""
    return {
        "resources": [],
        "processesMetadata": _metadata(planned, ValueType.PROCESS),
        "decisionsMetadata": [dict(d) for item in planned for d in item.decisions],
        "decisionRequirementsMetadata": _metadata(planned, ValueType.DECISION_REQUIREMENTS),
        "formMetadata": _metadata(planned, ValueType.FORM),
        "tenantId": tenant_id,
        "deploymentKey": deployment_key,
    }


def _pick(value: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Response field -> metadata field."""
    return {response: value[name] for response, name in names.items()}


_PROCESS_ENTRY = {
    k: k for k in ("bpmnProcessId", "version", "processDefinitionKey", "resourceName", "tenantId")
}
_DECISION_ENTRY = {
    "dmnDecisionId": "decisionId",
    "dmnDecisionName": "decisionName",
    "version": "version",
    "decisionKey": "decisionKey",
    "dmnDecisionRequirementsId": "decisionRequirementsId",
    "decisionRequirementsKey": "decisionRequirementsKey",
    "tenantId": "tenantId",
}
_DRG_ENTRY = {
    "dmnDecisionRequirementsId": "decisionRequirementsId",
    "dmnDecisionRequirementsName": "decisionRequirementsName",
    "version": "decisionRequirementsVersion",
    "decisionRequirementsKey": "decisionRequirementsKey",
    "resourceName": "resourceName",
    "tenantId": "tenantId",
}
_FORM_ENTRY = {k: k for k in ("formId", "version", "formKey", "resourceName", "tenantId")}


def _definition_entries(item: Planned) -> list[dict[str, Any]]:
    if item.value_type is ValueType.FORM:
        return [{"form": _pick(item.metadata, _FORM_ENTRY)}]
    entries = [{"decision": _pick(d, _DECISION_ENTRY)} for d in item.decisions]
    return [*entries, {"decisionRequirements": _pick(item.metadata, _DRG_ENTRY)}]


def response_deployments(planned: list[Planned]) -> list[dict[str, Any]]:
    """The response `deployments`: bare ProcessMetadata dicts first (the gateway wraps them as
    the `process` oneof), then per DMN resource its decisions and DRG, per form resource its
    form, as `{decision|decisionRequirements|form: ...}` (gRPC `Deployment` oneof)."""
    processes = [item for item in planned if item.value_type is ValueType.PROCESS]
    entries = [_pick(item.metadata, _PROCESS_ENTRY) for item in processes]
    for item in planned:
        if item.value_type is not ValueType.PROCESS:
            entries += _definition_entries(item)
    return entries
