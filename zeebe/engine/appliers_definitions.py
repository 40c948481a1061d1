"""Appliers of DECISION_REQUIREMENTS / DECISION / FORM CREATED and DELETED (Zeebe 8.7's
DecisionRequirementsCreatedApplier, DecisionCreatedApplier, FormCreatedApplier and their DELETED
twins): the only code that changes `state.definitions`. A DRG record carries its resource
(base64), from which the DMN model is parsed again on replay; DRG and form versions keep their
resource, versionTag and deploymentKey for their DELETED records (`definition_deletion.py`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from zeebe.engine.deploy import parse_drg_cached
from zeebe.records import Record, ValueType
from zeebe.state import EngineState
from zeebe.state.definitions import DeployedDecision, DeployedDrg, DeployedForm


def _drg_created(state: EngineState, record: Record) -> None:
    value = record.value
    name = str(value["resourceName"])
    drg_id = str(value["decisionRequirementsId"])
    resource = base64.b64decode(str(value["resource"]))
    drg = DeployedDrg(
        key=int(value["decisionRequirementsKey"]),
        drg_id=drg_id,
        name=str(value["decisionRequirementsName"]),
        version=int(value["decisionRequirementsVersion"]),
        resource_name=name,
        checksum=str(value["checksum"]),
        model=parse_drg_cached(state, resource, name),
        tenant_id=str(value["tenantId"]),
        resource=resource,
        deployment_key=int(value.get("deploymentKey", -1)),
    )
    state.definitions.drgs.put(drg_id, drg)


def _decision_created(state: EngineState, record: Record) -> None:
    value = record.value
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
        version_tag=str(value.get("versionTag") or ""),
    )
    state.definitions.decisions.put(decision_id, decision)


def _form_created(state: EngineState, record: Record) -> None:
    value = record.value
    form_id = str(value["formId"])
    form = DeployedForm(
        key=int(value["formKey"]),
        form_id=form_id,
        version=int(value["version"]),
        resource_name=str(value["resourceName"]),
        checksum=str(value["checksum"]),
        tenant_id=str(value["tenantId"]),
        resource=base64.b64decode(str(value.get("resource") or "")),
        version_tag=str(value.get("versionTag") or ""),
        deployment_key=int(value.get("deploymentKey", -1)),
    )
    state.definitions.forms.put(form_id, form)


def _drg_deleted(state: EngineState, record: Record) -> None:
    value = record.value
    drgs = state.definitions.drgs
    drgs.remove(str(value["decisionRequirementsId"]), int(value["decisionRequirementsKey"]))


def _decision_deleted(state: EngineState, record: Record) -> None:
    value = record.value
    decisions = state.definitions.decisions
    decisions.remove(str(value["decisionId"]), int(value["decisionKey"]))


def _form_deleted(state: EngineState, record: Record) -> None:
    value = record.value
    state.definitions.forms.remove(str(value["formId"]), int(value["formKey"]))


APPLIERS: dict[tuple[ValueType, str], Callable[[EngineState, Record], None]] = {
    (ValueType.DECISION_REQUIREMENTS, "CREATED"): _drg_created,
    (ValueType.DECISION, "CREATED"): _decision_created,
    (ValueType.FORM, "CREATED"): _form_created,
    (ValueType.DECISION_REQUIREMENTS, "DELETED"): _drg_deleted,
    (ValueType.DECISION, "DELETED"): _decision_deleted,
    (ValueType.FORM, "DELETED"): _form_deleted,
}
