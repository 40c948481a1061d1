"""Sequence flows in the read model (zeebe/readmodel/sequence_flows.py): PROCESS_INSTANCE
SEQUENCE_FLOW_TAKEN rows in the REST 8.8 `ProcessInstanceSequenceFlowResult` shape, one per
flow and instance (Operate's id `<processInstanceKey>_<flow id>`), evicted with the instance."""

from __future__ import annotations

import pytest
from readmodel_records import INSTANCE_KEY, element, process_created, started_instance

from zeebe.readmodel import ReadModel
from zeebe.readmodel.statistics import all_items

pytestmark = pytest.mark.unit


def flows(model: ReadModel, instance: int = INSTANCE_KEY) -> list[dict[str, object]]:
    return list(all_items(model, "sequenceFlows", {"processInstanceKey": str(instance)}))


def test_taken_flow_is_a_sequence_flow_result() -> None:
    """Fields: sequenceFlowId, processInstanceKey, processDefinitionKey, processDefinitionId,
    elementId (the flow's id), tenantId; keys as strings, the internal key hidden."""
    model = ReadModel()
    model.export(
        [
            process_created(),
            started_instance(),
            element("SEQUENCE_FLOW_TAKEN", 301, "SEQUENCE_FLOW", "f1"),
        ]
    )
    assert flows(model) == [
        {
            "sequenceFlowId": f"{INSTANCE_KEY}_f1",
            "processInstanceKey": str(INSTANCE_KEY),
            "processDefinitionKey": "100",
            "processDefinitionId": "order",
            "elementId": "f1",
            "tenantId": "<default>",
        }
    ]


def test_a_flow_taken_twice_appears_once_in_first_taken_order() -> None:
    """Operate indexes one document per instance and flow id: a loop does not repeat it."""
    model = ReadModel()
    taken = [
        element("SEQUENCE_FLOW_TAKEN", key, "SEQUENCE_FLOW", flow)
        for key, flow in ((301, "f2"), (302, "f1"), (303, "f2"))
    ]
    model.export([process_created(), started_instance(), *taken])
    assert [row["elementId"] for row in flows(model)] == ["f2", "f1"]


def test_flows_are_per_instance() -> None:
    """Another instance taking the same flow has its own row."""
    model = ReadModel()
    model.export(
        [
            process_created(),
            started_instance(),
            started_instance(instance=900),
            element("SEQUENCE_FLOW_TAKEN", 301, "SEQUENCE_FLOW", "f1"),
            element("SEQUENCE_FLOW_TAKEN", 901, "SEQUENCE_FLOW", "f1", instance=900),
        ]
    )
    assert [row["sequenceFlowId"] for row in flows(model, 900)] == ["900_f1"]
    assert len(flows(model)) == 1


def test_flows_are_evicted_with_their_instance() -> None:
    """Retention: everything stored per instance leaves with it (tables.put_child ownership)."""
    model = ReadModel(max_finished_instances=0)
    model.export(
        [
            process_created(),
            started_instance(),
            element("SEQUENCE_FLOW_TAKEN", 301, "SEQUENCE_FLOW", "f1"),
            element("ELEMENT_COMPLETED", INSTANCE_KEY, "PROCESS", "order"),
        ]
    )
    assert model.counts()["sequenceFlows"] == 0
    assert flows(model) == []
