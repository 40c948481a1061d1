"""Retention: memory stays bounded by evicting the oldest finished instances with their rows."""

from __future__ import annotations

import pytest
from readmodel_records import element, process_created, started_instance, variable

from zeebe.readmodel import ReadModel
from zeebe.records import Record

pytestmark = pytest.mark.unit


def finished_instance(key: int) -> list[Record]:
    return [
        started_instance(key),
        variable("CREATED", key + 1, "n", str(key), instance=key),
        element("ELEMENT_COMPLETED", key, "PROCESS", "order", instance=key),
    ]


def test_only_the_newest_finished_instances_are_kept() -> None:
    """Beyond the limit the oldest finished instance goes, with its variables."""
    model = ReadModel(max_finished_instances=2)
    model.export([process_created()])
    for key in (1_000, 2_000, 3_000):
        model.export(finished_instance(key))
    assert model.get("processInstances", 1_000) is None
    assert model.get("variables", 1_001) is None
    assert model.get("processInstances", 3_000) is not None
    assert model.counts()["variables"] == 2


def test_active_instances_are_never_evicted() -> None:
    """Only finished instances count against the limit; running ones stay visible."""
    model = ReadModel(max_finished_instances=1)
    model.export([process_created(), started_instance(9_000)])
    for key in (1_000, 2_000, 3_000):
        model.export(finished_instance(key))
    assert model.get("processInstances", 9_000) is not None
    assert model.counts()["processInstances"] == 2


def test_child_instances_are_evicted_with_their_root() -> None:
    """A called instance (parentProcessInstanceKey set) belongs to its root instance."""
    model = ReadModel(max_finished_instances=0)
    model.export(
        [process_created(), started_instance(1_000), started_instance(5_000, parent=1_000)]
    )
    model.export([element("ELEMENT_COMPLETED", 1_000, "PROCESS", "order", instance=1_000)])
    assert model.get("processInstances", 5_000) is None
    assert model.counts()["processInstances"] == 0
