"""Decision definitions, decision requirements (DRGs) and decision instances in the read model
(the REST 8.8 `DecisionDefinitionResult`, `DecisionRequirementsResult`, `DecisionInstanceResult`
shapes), projected from DECISION / DECISION_REQUIREMENTS CREATED and DELETED and
DECISION_EVALUATION EVALUATED / FAILED.

As in Operate, one evaluation gives one decision instance per evaluated decision (required
decisions first), keyed `<evaluation key>-<1-based index>`; the one named `failedDecisionId` of a
FAILED evaluation is FAILED with the failure message, the others EVALUATED. The DMN XML and a
decision instance's inputs and matched rules (answered only by the GETs) live in side tables.
Instances of a process instance are evicted with it; standalone evaluations are kept.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from zeebe.readmodel.schema import SCHEMAS, Kind, TableSchema
from zeebe.readmodel.tables import Row, Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]

K, S, E, N, D, OBJ = Kind.KEY, Kind.STRING, Kind.ENUM, Kind.INT, Kind.DATE, Kind.OBJECT
# internal row key of a decision instance: evaluation key and index packed into one int
INDEX_BITS = 16

DECISION_DEFINITIONS = TableSchema(
    "decisionDefinitions",
    "decisionDefinitionKey",
    {
        "decisionDefinitionKey": K,
        "decisionDefinitionId": S,
        "name": S,
        "version": N,
        "decisionRequirementsId": S,
        "decisionRequirementsKey": K,
        "decisionRequirementsName": S,
        "decisionRequirementsVersion": N,
        "tenantId": S,
    },
)
DECISION_REQUIREMENTS = TableSchema(
    "decisionRequirements",
    "decisionRequirementsKey",
    {
        "decisionRequirementsKey": K,
        "decisionRequirementsId": S,
        "decisionRequirementsName": S,
        "version": N,
        "resourceName": S,
        "tenantId": S,
    },
)
DECISION_REQUIREMENTS_XML = TableSchema(
    "decisionRequirementsXml",
    "decisionRequirementsKey",
    {"decisionRequirementsKey": K, "xml": OBJ},
)
DECISION_INSTANCES = TableSchema(
    "decisionInstances",
    "decisionEvaluationInstanceKey",
    {
        "decisionEvaluationInstanceKey": S,
        "decisionEvaluationKey": K,
        "state": E,
        "evaluationDate": D,
        "evaluationFailure": S,
        "processDefinitionKey": K,
        "processInstanceKey": K,
        "elementInstanceKey": K,
        "decisionDefinitionKey": K,
        "decisionDefinitionId": S,
        "decisionDefinitionName": S,
        "decisionDefinitionVersion": N,
        "decisionDefinitionType": E,
        "rootDecisionDefinitionKey": K,
        "result": S,
        "tenantId": S,
    },
)
DECISION_INSTANCE_DETAILS = TableSchema(
    "decisionInstanceDetails",
    "decisionEvaluationInstanceKey",
    {
        "decisionEvaluationInstanceKey": S,
        "processInstanceKey": K,
        "evaluatedInputs": OBJ,
        "matchedRules": OBJ,
    },
    hidden=frozenset({"decisionEvaluationInstanceKey", "processInstanceKey"}),
)
DECISION_SCHEMAS = (
    DECISION_DEFINITIONS,
    DECISION_REQUIREMENTS,
    DECISION_REQUIREMENTS_XML,
    DECISION_INSTANCES,
    DECISION_INSTANCE_DETAILS,
)
# registered here, not in schema.py, which this module needs for Kind and TableSchema
SCHEMAS.update({schema.name: schema for schema in DECISION_SCHEMAS})


# The REST API's DecisionDefinitionTypeEnum: the engine's other decision logic types (boxed
# context, list, relation, invocation) have no value of their own there.
REST_DECISION_TYPES = frozenset({"DECISION_TABLE", "LITERAL_EXPRESSION"})


def rest_decision_type(decision_type: Any) -> str:
    """The REST `decisionDefinitionType` of an evaluated decision's `decisionType`."""
    if not decision_type:
        return "UNSPECIFIED"
    return str(decision_type) if decision_type in REST_DECISION_TYPES else "UNKNOWN"


def instance_row_key(text: str) -> int | None:
    """The internal row key of `<evaluation key>-<index>`, or None when malformed."""
    head, _, tail = text.partition("-")
    if not (head.isdigit() and tail.isdigit()) or not 0 < int(tail) < 1 << INDEX_BITS:
        return None
    return (int(head) << INDEX_BITS) + int(tail)


def _key_or_none(value: Any) -> int | None:
    """Zeebe writes -1 for 'no key'; the REST API answers null."""
    return int(value) if value is not None and int(value) >= 0 else None


def _xml_text(resource: Any) -> str:
    """The DMN resource as text (records carry it base64 encoded)."""
    try:
        return base64.b64decode(str(resource), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return str(resource)


def drg_created(tables: Tables, record: Record) -> None:
    """A deployed DRG version: its row and its XML."""
    value = record.value
    key = int(value["decisionRequirementsKey"])
    tables.rows["decisionRequirements"][key] = {
        "decisionRequirementsKey": key,
        "decisionRequirementsId": str(value.get("decisionRequirementsId", "")),
        "decisionRequirementsName": str(value.get("decisionRequirementsName", "")),
        "version": int(value.get("decisionRequirementsVersion", 1)),
        "resourceName": str(value.get("resourceName", "")),
        "tenantId": str(value.get("tenantId", "")),
    }
    xml = {"decisionRequirementsKey": key, "xml": _xml_text(value.get("resource", b""))}
    tables.rows["decisionRequirementsXml"][key] = xml


def decision_created(tables: Tables, record: Record) -> None:
    """A deployed decision version, with the name and version of its DRG."""
    value = record.value
    key = int(value["decisionKey"])
    drg_key = int(value.get("decisionRequirementsKey", -1))
    drg = tables.rows["decisionRequirements"].get(drg_key, {})
    tables.rows["decisionDefinitions"][key] = {
        "decisionDefinitionKey": key,
        "decisionDefinitionId": str(value.get("decisionId", "")),
        "name": str(value.get("decisionName", "")),
        "version": int(value.get("version", 1)),
        "decisionRequirementsId": str(value.get("decisionRequirementsId", "")),
        "decisionRequirementsKey": drg_key,
        "decisionRequirementsName": drg.get("decisionRequirementsName"),
        "decisionRequirementsVersion": drg.get("version"),
        "tenantId": str(value.get("tenantId", "")),
    }


def drg_deleted(tables: Tables, record: Record) -> None:
    """A deleted DRG disappears from the searches (its decisions have their own records)."""
    key = int(record.value["decisionRequirementsKey"])
    tables.rows["decisionRequirements"].pop(key, None)
    tables.rows["decisionRequirementsXml"].pop(key, None)


def decision_deleted(tables: Tables, record: Record) -> None:
    """A deleted decision disappears from the searches."""
    tables.rows["decisionDefinitions"].pop(int(record.value["decisionKey"]), None)


def _instance_row(record: Record, entry: dict[str, Any], index: int) -> Row:
    value = record.value
    failed = record.intent == "FAILED" and entry.get("decisionId") == value["failedDecisionId"]
    return {
        "decisionEvaluationInstanceKey": f"{record.key}-{index}",
        "decisionEvaluationKey": record.key,
        "state": "FAILED" if failed else "EVALUATED",
        "evaluationDate": record.timestamp,
        "evaluationFailure": str(value.get("evaluationFailureMessage", "")) if failed else None,
        "processDefinitionKey": _key_or_none(value.get("processDefinitionKey")),
        "processInstanceKey": _key_or_none(value.get("processInstanceKey")),
        "elementInstanceKey": _key_or_none(value.get("elementInstanceKey")),
        "decisionDefinitionKey": _key_or_none(entry.get("decisionKey")),
        "decisionDefinitionId": str(entry.get("decisionId", "")),
        "decisionDefinitionName": str(entry.get("decisionName", "")),
        "decisionDefinitionVersion": int(entry.get("decisionVersion", -1)),
        "decisionDefinitionType": rest_decision_type(entry.get("decisionType")),
        "rootDecisionDefinitionKey": _key_or_none(value.get("decisionKey")),
        "result": str(entry.get("decisionOutput", "null")),
        "tenantId": str(value.get("tenantId", "")),
    }


def decision_evaluated(tables: Tables, record: Record) -> None:
    """EVALUATED / FAILED: one decision instance (and its details) per evaluated decision.

    A business rule task's rows belong to its process instance and leave with it. A standalone
    evaluation (EvaluateDecision) has no process instance: its rows are owned by the evaluation
    key, which counts as one finished root for retention, so they are bounded the same way."""
    standalone = _key_or_none(record.value.get("processInstanceKey")) is None
    for index, entry in enumerate(record.value.get("evaluatedDecisions") or [], start=1):
        row = _instance_row(record, entry, index)
        key = (record.key << INDEX_BITS) + index
        details = {
            "decisionEvaluationInstanceKey": row["decisionEvaluationInstanceKey"],
            "processInstanceKey": row["processInstanceKey"],
            "evaluatedInputs": list(entry.get("evaluatedInputs") or []),
            "matchedRules": list(entry.get("matchedRules") or []),
        }
        for table, value in (("decisionInstances", row), ("decisionInstanceDetails", details)):
            tables.put_child(table, key, value)
            if standalone:
                tables.children.setdefault(record.key, {}).setdefault(table, set()).add(key)
    if standalone:
        tables.finished[record.key] = None


PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.DECISION_REQUIREMENTS, "CREATED"): drg_created,
    (ValueType.DECISION, "CREATED"): decision_created,
    (ValueType.DECISION_REQUIREMENTS, "DELETED"): drg_deleted,
    (ValueType.DECISION, "DELETED"): decision_deleted,
    (ValueType.DECISION_EVALUATION, "EVALUATED"): decision_evaluated,
    (ValueType.DECISION_EVALUATION, "FAILED"): decision_evaluated,
}
