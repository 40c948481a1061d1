"""DMN and form resources of a DEPLOYMENT CREATE (spec 1.2 row 9: "Atomic deploy of
BPMN/DMN/forms"; Appendix A `Deployment` oneof).

Versioning follows the process rule (Appendix B): a DRG whose latest version has the same
checksum and resource name is a duplicate (its decisions keep their keys and versions); otherwise
the DRG and each of its decisions get latest + 1. Forms version the same way.

As Zeebe 8.7's DeploymentCreateProcessor, every new version is its own record, written in
resource order once all resources validated: DECISION_REQUIREMENTS CREATED (with the resource)
followed by one DECISION CREATED per decision, FORM CREATED (with the resource); duplicates write
nothing. Their appliers (`appliers_definitions.py`) store the versions. Resource deletion writes
DECISION DELETED per decision then DECISION_REQUIREMENTS DELETED, or FORM DELETED
(Zeebe's ResourceDeletionDeleteProcessor), each under a new key.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from zeebe.dmn import DecisionRequirements, DmnParseError
from zeebe.engine.context import Context
from zeebe.engine.deploy import checksum, parse_drg_cached, parse_form
from zeebe.model.errors import DEPLOYMENT_ERROR_PREFIX
from zeebe.records import ValueType
from zeebe.state.definitions import DeployedDecision, DeployedDrg, DeployedForm

DMN_SUFFIX = ".dmn"
FORM_SUFFIX = ".form"


@dataclass(frozen=True, slots=True)
class DefinitionResource:
    """A parsed `.dmn` (drg set) or `.form` (form_id set) resource."""

    resource_name: str
    resource: bytes
    digest: str
    drg: DecisionRequirements | None = None
    form_id: str | None = None


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """A CREATED event of a new version, written after every resource of the deployment
    validated and got its key (Zeebe: step "write resource records")."""

    key: int
    value_type: ValueType
    value: dict[str, Any]


@dataclass(slots=True)
class DefinitionMetadata:
    """Record metadata lists plus the response `deployments` entries (gRPC oneof shape)."""

    drgs: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    forms: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)


def parse_definition(ctx: Context, name: str, data: bytes) -> DefinitionResource | str:
    """Parse a `.dmn` or `.form` resource, or return its rejection detail."""
    try:
        if name.endswith(DMN_SUFFIX):
            drg = parse_drg_cached(ctx.state, data, name)
            return DefinitionResource(name, data, checksum(data), drg=drg)
        return DefinitionResource(name, data, checksum(data), form_id=parse_form(data, name))
    except (DmnParseError, ValueError) as error:
        return str(error)


def duplicated_ids(resources: list[DefinitionResource]) -> str | None:
    """Zeebe rejects a deployment naming one decision, DRG or form id in two resources."""
    seen: dict[tuple[str, str], str] = {}
    for resource in resources:
        ids = [("form", resource.form_id)] if resource.form_id else []
        if resource.drg is not None:
            ids += [("decision requirements", resource.drg.id)]
            ids += [("decision", d.id) for d in resource.drg.decisions]
        for kind, definition_id in ids:
            first = seen.setdefault((kind, definition_id), resource.resource_name)
            if first != resource.resource_name:
                reason = (
                    f"Expected the {kind} ids to be unique within a deployment but found a "
                    f"duplicated id '{definition_id}' in the resources '{first}' and "
                    f"'{resource.resource_name}'."
                )
                return f"{DEPLOYMENT_ERROR_PREFIX}\n{reason}"
    return None


def version_definition(
    ctx: Context,
    resource: DefinitionResource,
    common: dict[str, Any],
    metadata: DefinitionMetadata,
) -> list[PendingRecord]:
    """Assign keys and versions (or reuse them for duplicates) to a DRG and its decisions, or a
    form; add their metadata and return the records of the new versions (none for duplicates).
    `common` holds tenantId and deploymentKey."""
    if resource.drg is not None:
        return _version_drg(ctx, resource, resource.drg, common, metadata)
    if resource.form_id is not None:
        return _version_form(ctx, resource, resource.form_id, common, metadata)
    return []


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _version_drg(
    ctx: Context,
    resource: DefinitionResource,
    drg: DecisionRequirements,
    common: dict[str, Any],
    metadata: DefinitionMetadata,
) -> list[PendingRecord]:
    store = ctx.state.definitions
    latest = store.drgs.latest(drg.id)
    duplicate = (
        latest is not None
        and latest.checksum == resource.digest
        and latest.resource_name == resource.resource_name
    )
    if latest is not None and duplicate:
        drg_key, drg_version = latest.key, latest.version
    else:
        drg_key, drg_version = ctx.next_key(), (latest.version + 1 if latest else 1)
    metadata.drgs.append(
        {
            "decisionRequirementsId": drg.id,
            "decisionRequirementsName": drg.name,
            "decisionRequirementsVersion": drg_version,
            "decisionRequirementsKey": drg_key,
            "namespace": drg.namespace,
            "resourceName": resource.resource_name,
            "checksum": resource.digest,
            "duplicate": duplicate,
            "tenantId": common["tenantId"],
        }
    )
    decisions = _version_decisions(ctx, drg, drg_key, duplicate, common)
    metadata.decisions.extend(decisions)
    metadata.deployments.extend(_decision_entry(d) for d in decisions)
    metadata.deployments.append(_drg_entry(metadata.drgs[-1]))
    return [] if duplicate else _drg_records(resource, metadata.drgs[-1], decisions)


def _drg_records(
    resource: DefinitionResource, drg: dict[str, Any], decisions: list[dict[str, Any]]
) -> list[PendingRecord]:
    """DECISION_REQUIREMENTS CREATED (with the resource), then DECISION CREATED per decision."""
    drg_value = drg | {"resource": _b64(resource.resource)}
    pending = [
        PendingRecord(drg["decisionRequirementsKey"], ValueType.DECISION_REQUIREMENTS, drg_value)
    ]
    pending += [PendingRecord(d["decisionKey"], ValueType.DECISION, dict(d)) for d in decisions]
    return pending


def _version_decisions(
    ctx: Context, drg: DecisionRequirements, drg_key: int, duplicate: bool, common: dict[str, Any]
) -> list[dict[str, Any]]:
    """Decisions of a duplicate DRG keep their versions; others get latest + 1 per decision id."""
    values: list[dict[str, Any]] = []
    for decision in drg.decisions:
        known = ctx.state.definitions.decisions.latest(decision.id)
        if duplicate and known is not None:
            key, version = known.key, known.version
        else:
            key, version = ctx.next_key(), (known.version + 1 if known else 1)
        value = {
            "decisionId": decision.id,
            "decisionName": decision.name,
            "version": version,
            "decisionKey": key,
            "decisionRequirementsId": drg.id,
            "decisionRequirementsKey": drg_key,
            "duplicate": duplicate,
            "versionTag": "",
        }
        values.append(value | common)
    return values


def _decision_entry(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "decision": {
            "dmnDecisionId": value["decisionId"],
            "dmnDecisionName": value["decisionName"],
            "version": value["version"],
            "decisionKey": value["decisionKey"],
            "dmnDecisionRequirementsId": value["decisionRequirementsId"],
            "decisionRequirementsKey": value["decisionRequirementsKey"],
            "tenantId": value["tenantId"],
        }
    }


def _drg_entry(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "decisionRequirements": {
            "dmnDecisionRequirementsId": value["decisionRequirementsId"],
            "dmnDecisionRequirementsName": value["decisionRequirementsName"],
            "version": value["decisionRequirementsVersion"],
            "decisionRequirementsKey": value["decisionRequirementsKey"],
            "resourceName": value["resourceName"],
            "tenantId": value["tenantId"],
        }
    }


def _version_form(
    ctx: Context,
    resource: DefinitionResource,
    form_id: str,
    common: dict[str, Any],
    metadata: DefinitionMetadata,
) -> list[PendingRecord]:
    latest = ctx.state.definitions.forms.latest(form_id)
    duplicate = (
        latest is not None
        and latest.checksum == resource.digest
        and latest.resource_name == resource.resource_name
    )
    if latest is not None and duplicate:
        key, version = latest.key, latest.version
    else:
        key, version = ctx.next_key(), (latest.version + 1 if latest else 1)
    value = {
        "formId": form_id,
        "version": version,
        "formKey": key,
        "resourceName": resource.resource_name,
        "checksum": resource.digest,
        "duplicate": duplicate,
        "versionTag": "",
    } | common
    metadata.forms.append(value)
    entry = {k: value[k] for k in ("formId", "version", "formKey", "resourceName", "tenantId")}
    metadata.deployments.append({"form": entry})
    if duplicate:
        return []
    return [PendingRecord(key, ValueType.FORM, value | {"resource": _b64(resource.resource)})]


def delete_definition(ctx: Context, key: int) -> bool:
    """Write the DELETED events of a DRG (its decisions first) or a form; False if the key
    names neither. The caller writes RESOURCE_DELETION DELETED afterwards."""
    store = ctx.state.definitions
    drg = store.drgs.by_key.get(key)
    if drg is not None:
        for decision in [d for d in store.decisions.by_key.values() if d.drg_key == key]:
            ctx.event(ctx.next_key(), ValueType.DECISION, "DELETED", _decision_value(decision))
        ctx.event(ctx.next_key(), ValueType.DECISION_REQUIREMENTS, "DELETED", _drg_value(drg))
        return True
    form = store.forms.by_key.get(key)
    if form is not None:
        ctx.event(ctx.next_key(), ValueType.FORM, "DELETED", _form_value(form))
        return True
    return False


def _decision_value(decision: DeployedDecision) -> dict[str, Any]:
    return {
        "decisionId": decision.decision_id,
        "decisionName": decision.name,
        "version": decision.version,
        "versionTag": "",
        "decisionKey": decision.key,
        "decisionRequirementsId": decision.drg_id,
        "decisionRequirementsKey": decision.drg_key,
        "duplicate": False,
        "tenantId": decision.tenant_id,
        "deploymentKey": decision.deployment_key,
    }


def _drg_value(drg: DeployedDrg) -> dict[str, Any]:
    """No resource: the state keeps the parsed model only (Zeebe's record carries it)."""
    return {
        "decisionRequirementsId": drg.drg_id,
        "decisionRequirementsName": drg.name,
        "decisionRequirementsVersion": drg.version,
        "decisionRequirementsKey": drg.key,
        "namespace": drg.model.namespace,
        "resourceName": drg.resource_name,
        "checksum": drg.checksum,
        "duplicate": False,
        "tenantId": drg.tenant_id,
    }


def _form_value(form: DeployedForm) -> dict[str, Any]:
    return {
        "formId": form.form_id,
        "version": form.version,
        "versionTag": "",
        "formKey": form.key,
        "resourceName": form.resource_name,
        "checksum": form.checksum,
        "duplicate": False,
        "tenantId": form.tenant_id,
    }
