"""Sequence flows taken by a process instance (the REST 8.8
`ProcessInstanceSequenceFlowResult` shape), projected from PROCESS_INSTANCE SEQUENCE_FLOW_TAKEN
and SEQUENCE_FLOW_DELETED.

As Operate's sequence flow index (id `<processInstanceKey>_<flow id>`), each flow appears once
per instance however often it was taken; `sequenceFlowId` is that id and `elementId` the flow's
BPMN id. Rows belong to their process instance and are evicted with it. The internal row key
is the key of the first SEQUENCE_FLOW_TAKEN of the flow, so rows sort in first-taken order.

SEQUENCE_FLOW_DELETED (written by process instance migration when a taken flow of a joining
gateway moves to its mapped flow) removes the flow's row, as camunda/camunda's exporters do
(`SequenceFlowDeletedHandler` deletes the document `<processInstanceKey>_<elementId>`, the
RDBMS `SequenceFlowExportHandler` deletes the row): the source flow no longer shows as taken.
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.readmodel.schema import SCHEMAS, Kind, TableSchema
from zeebe.readmodel.tables import Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]

SEQUENCE_FLOWS = TableSchema(
    "sequenceFlows",
    "sequenceFlowKey",
    {
        "sequenceFlowKey": Kind.KEY,
        "sequenceFlowId": Kind.STRING,
        "processInstanceKey": Kind.KEY,
        "processDefinitionKey": Kind.KEY,
        "processDefinitionId": Kind.STRING,
        "elementId": Kind.STRING,
        "tenantId": Kind.STRING,
    },
    # the row's index key, not part of ProcessInstanceSequenceFlowResult
    hidden=frozenset({"sequenceFlowKey"}),
)
# registered here, not in schema.py, which this module needs for Kind and TableSchema
SCHEMAS[SEQUENCE_FLOWS.name] = SEQUENCE_FLOWS


def sequence_flow_taken(tables: Tables, record: Record) -> None:
    """The first time an instance takes a flow adds its row; later takes change nothing."""
    value = record.value
    instance_key = int(value.get("processInstanceKey", -1))
    element_id = str(value.get("elementId", ""))
    if any(
        row["elementId"] == element_id for row in tables.owned_rows("sequenceFlows", instance_key)
    ):
        return
    row = {
        "sequenceFlowKey": record.key,
        "sequenceFlowId": f"{instance_key}_{element_id}",
        "processInstanceKey": instance_key,
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "elementId": element_id,
        "tenantId": str(value.get("tenantId", "")),
    }
    tables.put_child("sequenceFlows", record.key, row)


def sequence_flow_deleted(tables: Tables, record: Record) -> None:
    """The instance's row of the flow goes, however often the flow was taken."""
    value = record.value
    instance_key = int(value.get("processInstanceKey", -1))
    element_id = str(value.get("elementId", ""))
    keys = tables.children.get(instance_key, {}).get("sequenceFlows", set())
    rows = tables.rows["sequenceFlows"]
    for key in [k for k in keys if rows.get(k, {}).get("elementId") == element_id]:
        # keep the owner index in step with the table (tables.evict_instance relies on it)
        keys.discard(key)
        del rows[key]


PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.PROCESS_INSTANCE, "SEQUENCE_FLOW_TAKEN"): sequence_flow_taken,
    (ValueType.PROCESS_INSTANCE, "SEQUENCE_FLOW_DELETED"): sequence_flow_deleted,
}
