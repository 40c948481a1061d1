"""The read model after a restart: complete, although the engine restores from a snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeebe.engine.api import Command
from zeebe.readmodel import ReadModel
from zeebe.records import ValueType
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.clock import ManualClock
from zeebe.runtime.node import EngineNode, NodeConfig
from zeebe.runtime.snapshots import snapshot_files
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration


def node(data_dir: Path) -> BackgroundNode:
    """A durable node (real engine) on `data_dir`, gRPC on a free port, no HTTP."""
    config = NodeConfig(grpc_address="127.0.0.1:0", http_port=None, data_dir=data_dir)
    return BackgroundNode(EngineNode(config, clock=ManualClock(1_000_000))).start()


def run(background: BackgroundNode, command: Command) -> dict[str, object]:
    """Execute one command on the node's broker; returns the response of an accepted command."""
    broker = background.node.broker
    assert broker is not None
    result = background.call(broker.execute(command))
    assert result.rejection is None and result.response is not None
    return result.response


def start_instance(background: BackgroundNode, process_id: str) -> int:
    """Create an instance of the latest version of `process_id`; returns its key."""
    value = {"bpmnProcessId": process_id, "version": -1, "variables": {}}
    response = run(background, Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value))
    return int(str(response["processInstanceKey"]))


def instance_keys(model: ReadModel, state: str) -> set[int]:
    """Keys of the root instances a REST search with `state` returns."""
    found = model.search("processInstances", {"filter": {"state": state}})
    return {int(item["processInstanceKey"]) for item in found["items"]}


def test_instances_finished_before_the_snapshot_are_searchable_after_restart(
    tmp_path: Path,
) -> None:
    """Searches are served from exported records; the engine restores from the snapshot taken
    at shutdown and replays only the tail, yet the read model must still see every instance
    (Operate keeps history across broker restarts; our exporters are in memory)."""
    xml = ProcessBuilder("restart-me").start().end().to_xml()
    resource = {"resourceName": "restart.bpmn", "resource": xml}
    first = node(tmp_path)
    try:
        run(first, Command(ValueType.DEPLOYMENT, "CREATE", {"resources": [resource]}))
        keys = {start_instance(first, "restart-me") for _ in range(3)}
        assert instance_keys(first.node.read_model, "COMPLETED") == keys
    finally:
        first.stop()
    assert snapshot_files(tmp_path / "snapshots")  # the restart below starts from a snapshot
    second = node(tmp_path)
    try:
        assert instance_keys(second.node.read_model, "COMPLETED") == keys
    finally:
        second.stop()
