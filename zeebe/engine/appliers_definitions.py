"""Applier of DEPLOYMENT CREATED: stores the new DRG, decision and form versions it lists.

This engine has no DECISION / DECISION_REQUIREMENTS / FORM value types (zeebe/records.py), so the
deployment record, which carries every deployed resource and its metadata as in Zeebe, is the
record replay rebuilds them from. Duplicates (`duplicate: true`) are already stored.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from zeebe.engine.deploy import parse_drg_cached
from zeebe.records import KEY_BITS, Record, ValueType
from zeebe.state import EngineState
from zeebe.state.definitions import DeployedDecision, DeployedDrg, DeployedForm


def _resources(record: Record) -> dict[str, bytes]:
    return {
        str(r["resourceName"]): base64.b64decode(str(r["resource"]))
        for r in record.value.get("resources", [])
    }


def _put_drg(state: EngineState, value: dict[str, Any], resources: dict[str, bytes]) -> None:
    name = str(value["resourceName"])
    drg_id = str(value["decisionRequirementsId"])
    drg = DeployedDrg(
        key=int(value["decisionRequirementsKey"]),
        drg_id=drg_id,
        name=str(value["decisionRequirementsName"]),
        version=int(value["decisionRequirementsVersion"]),
        resource_name=name,
        checksum=str(value["checksum"]),
        model=parse_drg_cached(state, resources[name], name),
        tenant_id=str(value["tenantId"]),
    )
    state.definitions.drgs.put(drg_id, drg)


def _put_decision(state: EngineState, value: dict[str, Any]) -> None:
    decision_id = str(value["decisionId"])
    decision = DeployedDecision(
        key=int(value["decisionKey"]),
        decision_id=decision_id,
        name=str(value["decisionName"]),
        version=int(value["version"]),
        drg_key=int(value["decisionRequirementsKey"]),
        drg_id=str(value["decisionRequirementsId"]),
        tenant_id=str(value["tenantId"]),
        deployment_key=int(value.get("deploymentKey", -1)),
    )
    state.definitions.decisions.put(decision_id, decision)


def _put_form(state: EngineState, value: dict[str, Any]) -> None:
    form_id = str(value["formId"])
    form = DeployedForm(
        key=int(value["formKey"]),
        form_id=form_id,
        version=int(value["version"]),
        resource_name=str(value["resourceName"]),
        checksum=str(value["checksum"]),
        tenant_id=str(value["tenantId"]),
    )
    state.definitions.forms.put(form_id, form)


def _restore_last_key(state: EngineState, value: dict[str, Any]) -> None:
    """The definition keys are no record keys, so replay restores the key counter from them."""
    keys = [
        int(d["decisionRequirementsKey"]) for d in value.get("decisionRequirementsMetadata", [])
    ]
    keys += [int(d["decisionKey"]) for d in value.get("decisionsMetadata", [])]
    keys += [int(d["formKey"]) for d in value.get("formMetadata", [])]
    mask = (1 << KEY_BITS) - 1
    state.last_key = max([state.last_key, *(k & mask for k in keys)])


def _deployment_created(state: EngineState, record: Record) -> None:
    value = record.value
    resources = _resources(record)
    _restore_last_key(state, value)
    for drg in value.get("decisionRequirementsMetadata", []):
        if not drg["duplicate"]:
            _put_drg(state, drg, resources)
    for decision in value.get("decisionsMetadata", []):
        if not decision["duplicate"]:
            _put_decision(state, decision)
    for form in value.get("formMetadata", []):
        if not form["duplicate"]:
            _put_form(state, form)


def _resource_deleted(state: EngineState, record: Record) -> None:
    """A deleted DRG (with its decisions) or form; process deletions have their own record."""
    state.definitions.delete(int(record.value["resourceKey"]))


APPLIERS: dict[tuple[ValueType, str], Callable[[EngineState, Record], None]] = {
    (ValueType.DEPLOYMENT, "CREATED"): _deployment_created,
    (ValueType.RESOURCE_DELETION, "DELETED"): _resource_deleted,
}
