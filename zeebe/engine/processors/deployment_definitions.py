"""DMN and form resources of a DEPLOYMENT CREATE (spec 1.2 row 9: "Atomic deploy of
BPMN/DMN/forms"; Appendix A `Deployment` oneof): parsing, and the metadata of each DRG, its
decisions and each form (Zeebe 8.7/8.8 DmnResourceTransformer / FormResourceTransformer
`createMetadata`).

A DRG is a duplicate of its latest version when resource name and checksum are the same and
every decision's latest version belongs to that DRG version; a decision is a duplicate when its
latest version belongs to the DRG version planned now. A form is a duplicate with the same
resource name and checksum. A duplicate keeps key, version and deploymentKey of the latest
version; otherwise it gets a new key and latest + 1 (a form: the highest version ever
deployed + 1, `Versions.next_version`, but 1 again once every version is deleted, as Zeebe's
FormResourceTransformer). Whether duplicates are written anyway
(versioned together with a changed resource) is `deployment_records.resource_records`.
Deletion: `definition_deletion.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.dmn import Decision, DecisionRequirements, DmnParseError
from zeebe.engine.context import Context
from zeebe.engine.deploy import checksum, parse_drg_cached, parse_form
from zeebe.engine.processors.definition_deletion import delete_definition
from zeebe.engine.processors.deployment_records import Planned
from zeebe.model.errors import DEPLOYMENT_ERROR_PREFIX
from zeebe.records import ValueType
from zeebe.state.definitions import DeployedDrg

# delete_definition stays importable from here (modification.py's DeleteResource uses it)
__all__ = [
    "DMN_SUFFIX",
    "FORM_SUFFIX",
    "DefinitionResource",
    "delete_definition",
    "duplicated_ids",
    "parse_definition",
    "plan_definition",
]

DMN_SUFFIX = ".dmn"
FORM_SUFFIX = ".form"


@dataclass(frozen=True, slots=True)
class DefinitionResource:
    """A parsed `.dmn` (drg set) or `.form` (form_id and its version_tag set) resource."""

    resource_name: str
    resource: bytes
    digest: str
    drg: DecisionRequirements | None = None
    form_id: str | None = None
    version_tag: str = ""


def parse_definition(ctx: Context, name: str, data: bytes) -> DefinitionResource | str:
    """Parse a `.dmn` or `.form` resource, or return its rejection detail."""
    try:
        if name.endswith(DMN_SUFFIX):
            drg = parse_drg_cached(ctx.state, data, name)
            return DefinitionResource(name, data, checksum(data), drg=drg)
        form_id, version_tag = parse_form(data, name)
        return DefinitionResource(
            name, data, checksum(data), form_id=form_id, version_tag=version_tag
        )
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


def plan_definition(ctx: Context, resource: DefinitionResource, common: dict[str, Any]) -> Planned:
    """The metadata of a DRG (with its decisions) or a form; `common` holds tenantId and
    deploymentKey. New versions get their keys here, in resource order."""
    if resource.drg is not None:
        return _plan_drg(ctx, resource, resource.drg, common)
    return _plan_form(ctx, resource, str(resource.form_id), common)


def _same_drg(
    ctx: Context, latest: DeployedDrg, resource: DefinitionResource, drg: DecisionRequirements
) -> bool:
    """Zeebe's DRG duplicate check: resource name, checksum, and every decision's latest
    version deployed with this DRG version."""
    decisions = ctx.state.definitions.decisions
    return (
        latest.resource_name == resource.resource_name
        and latest.checksum == resource.digest
        and all(
            (known := decisions.latest(d.id)) is not None and known.drg_key == latest.key
            for d in drg.decisions
        )
    )


def _plan_drg(
    ctx: Context, resource: DefinitionResource, drg: DecisionRequirements, common: dict[str, Any]
) -> Planned:
    latest = ctx.state.definitions.drgs.latest(drg.id)
    duplicate = latest is not None and _same_drg(ctx, latest, resource, drg)
    if latest is not None and duplicate:
        key, version = latest.key, latest.version
    else:
        key, version = ctx.next_key(), (latest.version + 1 if latest else 1)
    metadata = {
        "decisionRequirementsId": drg.id,
        "decisionRequirementsName": drg.name,
        "decisionRequirementsVersion": version,
        "decisionRequirementsKey": key,
        "namespace": drg.namespace,
        "resourceName": resource.resource_name,
        "checksum": resource.digest,
        "duplicate": duplicate,
        "tenantId": common["tenantId"],
        # Zeebe's DRG metadata leaves deploymentKey unset; the DRG record carries it
        "deploymentKey": -1,
    }
    decisions = [_plan_decision(ctx, d, drg.id, key, common) for d in drg.decisions]
    return Planned(ValueType.DECISION_REQUIREMENTS, resource.resource, metadata, decisions)


def _plan_decision(
    ctx: Context, decision: Decision, drg_id: str, drg_key: int, common: dict[str, Any]
) -> dict[str, Any]:
    """A duplicate when its latest version belongs to the DRG version planned now."""
    known = ctx.state.definitions.decisions.latest(decision.id)
    if known is not None and known.drg_key == drg_key:
        key, version, deployment_key, duplicate = (
            known.key,
            known.version,
            known.deployment_key,
            True,
        )
    else:
        version = known.version + 1 if known else 1
        key, deployment_key, duplicate = ctx.next_key(), common["deploymentKey"], False
    return {
        "decisionId": decision.id,
        "decisionName": decision.name,
        "version": version,
        "versionTag": decision.version_tag,
        "decisionKey": key,
        "decisionRequirementsId": drg_id,
        "decisionRequirementsKey": drg_key,
        "duplicate": duplicate,
        "tenantId": common["tenantId"],
        "deploymentKey": deployment_key,
    }


def _plan_form(
    ctx: Context, resource: DefinitionResource, form_id: str, common: dict[str, Any]
) -> Planned:
    latest = ctx.state.definitions.forms.latest(form_id)
    duplicate = (
        latest is not None
        and latest.checksum == resource.digest
        and latest.resource_name == resource.resource_name
    )
    if latest is not None and duplicate:
        key, version, deployment_key = latest.key, latest.version, latest.deployment_key
    else:
        # FormResourceTransformer: highest + 1 after a latest version, 1 without any
        version = ctx.state.definitions.forms.next_version(form_id) if latest else 1
        key, deployment_key = ctx.next_key(), common["deploymentKey"]
    metadata = {
        "formId": form_id,
        "version": version,
        "versionTag": resource.version_tag,
        "formKey": key,
        "resourceName": resource.resource_name,
        "checksum": resource.digest,
        "duplicate": duplicate,
        "tenantId": common["tenantId"],
        "deploymentKey": deployment_key,
    }
    return Planned(ValueType.FORM, resource.resource, metadata)
