"""DeleteResource of a DRG or a form (Zeebe 8.7/8.8 ResourceDeletionDeleteProcessor,
DecisionRequirementsDeletionBehavior, FormDeletionBehavior).

A DRG writes DECISION DELETED per decision, then DECISION_REQUIREMENTS DELETED; a form writes
FORM DELETED; each under a new key (the caller writes RESOURCE_DELETION DELETED afterwards).
The DELETED values are built from the stored version as Zeebe builds them: the DRG record
carries id, name, version, key, resourceName, checksum, the resource, tenantId and
deploymentKey (its `namespace` is not set, so ""), a decision record its versionTag, tenantId
and deploymentKey, the form record its resource, versionTag and deploymentKey.
"""

from __future__ import annotations

import base64
from typing import Any

from zeebe.engine.context import Context
from zeebe.records import ValueType
from zeebe.state.definitions import DeployedDecision, DeployedDrg, DeployedForm


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


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _decision_value(decision: DeployedDecision) -> dict[str, Any]:
    return {
        "decisionId": decision.decision_id,
        "decisionName": decision.name,
        "version": decision.version,
        "versionTag": decision.version_tag,
        "decisionKey": decision.key,
        "decisionRequirementsId": decision.drg_id,
        "decisionRequirementsKey": decision.drg_key,
        "duplicate": False,
        "tenantId": decision.tenant_id,
        "deploymentKey": decision.deployment_key,
    }


def _drg_value(drg: DeployedDrg) -> dict[str, Any]:
    return {
        "decisionRequirementsId": drg.drg_id,
        "decisionRequirementsName": drg.name,
        "decisionRequirementsVersion": drg.version,
        "decisionRequirementsKey": drg.key,
        "namespace": "",
        "resourceName": drg.resource_name,
        "checksum": drg.checksum,
        "resource": _b64(drg.resource),
        "duplicate": False,
        "tenantId": drg.tenant_id,
        "deploymentKey": drg.deployment_key,
    }


def _form_value(form: DeployedForm) -> dict[str, Any]:
    return {
        "formId": form.form_id,
        "version": form.version,
        "versionTag": form.version_tag,
        "formKey": form.key,
        "resourceName": form.resource_name,
        "checksum": form.checksum,
        "resource": _b64(form.resource),
        "duplicate": False,
        "tenantId": form.tenant_id,
        "deploymentKey": form.deployment_key,
    }
