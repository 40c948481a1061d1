"""PROCESS_INSTANCE SEQUENCE_FLOW_DELETED in the read model (zeebe/readmodel/sequence_flows.py).

Process instance migration writes it when a taken flow of a joining gateway moves to its mapped
flow (Camunda 8.8 docs, "Migrating joining parallel and inclusive gateways"). camunda/camunda's
exporters delete the flow's entry: `SequenceFlowDeletedHandler` deletes the document
`<processInstanceKey>_<elementId>`, the RDBMS `SequenceFlowExportHandler` deletes the row. So
the source flow no longer shows as taken in `GET /v2/process-instances/{key}/sequence-flows`.
"""

from __future__ import annotations

import pytest
from readmodel_records import INSTANCE_KEY, element, process_created, started_instance

from zeebe.readmodel import ReadModel
from zeebe.readmodel.statistics import all_items

pytestmark = pytest.mark.unit


def flow_ids(model: ReadModel, instance: int = INSTANCE_KEY) -> list[object]:
    items = all_items(model, "sequenceFlows", {"processInstanceKey": str(instance)})
    return [row["elementId"] for row in items]


def taken(key: int, flow: str, instance: int = INSTANCE_KEY) -> object:
    return element("SEQUENCE_FLOW_TAKEN", key, "SEQUENCE_FLOW", flow, instance=instance)


def deleted(key: int, flow: str, instance: int = INSTANCE_KEY) -> object:
    return element("SEQUENCE_FLOW_DELETED", key, "SEQUENCE_FLOW", flow, instance=instance)


def test_deleted_flow_no_longer_shows_as_taken() -> None:
    """The deleted flow's row goes; the instance's other flows stay."""
    model = ReadModel()
    model.export([process_created(), started_instance(), taken(301, "f1"), taken(302, "f2")])
    model.export([deleted(303, "f1")])
    assert flow_ids(model) == ["f2"]
    assert model.counts()["sequenceFlows"] == 1


def test_moved_flow_shows_the_target_flow_only() -> None:
    """DELETED for the source flow, then TAKEN for the mapped flow, as migration writes them."""
    model = ReadModel()
    model.export([process_created(), started_instance(), taken(301, "f_join1")])
    model.export([deleted(302, "f_join1"), taken(303, "f_join2")])
    assert flow_ids(model) == ["f_join2"]


def test_flow_deleted_and_taken_again_under_the_same_id_is_shown_once() -> None:
    """A taken flow that keeps its id (no mapping needed) is deleted and taken again: one row."""
    model = ReadModel()
    model.export([process_created(), started_instance(), taken(301, "f1")])
    model.export([deleted(302, "f1"), taken(303, "f1")])
    assert flow_ids(model) == ["f1"]
    assert model.counts()["sequenceFlows"] == 1


def test_delete_touches_only_its_own_instance() -> None:
    """Rows are per instance (`<processInstanceKey>_<elementId>`): another instance's row of
    the same flow stays."""
    model = ReadModel()
    model.export(
        [
            process_created(),
            started_instance(),
            started_instance(instance=900),
            taken(301, "f1"),
            taken(901, "f1", instance=900),
        ]
    )
    model.export([deleted(302, "f1")])
    assert flow_ids(model) == []
    assert flow_ids(model, 900) == ["f1"]


def test_deleting_a_flow_without_a_row_changes_nothing() -> None:
    """Exporters delete by id; a missing entry is no error."""
    model = ReadModel()
    model.export([process_created(), started_instance(), taken(301, "f1")])
    model.export([deleted(302, "f9"), deleted(303, "f1", instance=777)])
    assert flow_ids(model) == ["f1"]
