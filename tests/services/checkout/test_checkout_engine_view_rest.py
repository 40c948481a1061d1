"""The checkout API's status read (`RestEngineView`) against the engine's REST /v2 read model."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from services.checkout.engine_view import EngineInstance, RestEngineView
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.node import EngineNode, NodeConfig
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration


@pytest.fixture
def rest_url() -> Iterator[str]:
    """The embedded engine (in-memory log) with REST on a free loopback port."""
    node = EngineNode(NodeConfig(grpc_address="127.0.0.1:0", http_port=0, in_memory=True))
    background = BackgroundNode(node).start()
    yield f"http://127.0.0.1:{node.http_port}"
    background.stop()


def _start_waiting_instance(url: str, variables: dict[str, object]) -> int:
    xml = ProcessBuilder("view").start().service_task("wait", type="view.wait").end().to_xml()
    deployed = requests.post(
        f"{url}/v2/deployments", files={"resources": ("view.bpmn", xml)}, timeout=10
    )
    assert deployed.status_code == 200, deployed.text
    created = requests.post(
        f"{url}/v2/process-instances",
        json={"processDefinitionId": "view", "variables": variables},
        timeout=10,
    )
    assert created.status_code == 200, created.text
    return int(created.json()["processInstanceKey"])


def _read(view: RestEngineView, key: int) -> EngineInstance:
    deadline = time.monotonic() + 10
    while (found := view.instance(key)) is None or found.checkout_id is None:
        assert time.monotonic() < deadline, "the instance never appeared in the read model"
        time.sleep(0.05)
    return found


def test_the_status_read_takes_the_failure_variables_of_the_process_scope(rest_url: str) -> None:
    """GET /checkouts/<id> reports failureReason and failedStep from the engine's variables."""
    key = _start_waiting_instance(
        rest_url,
        {"checkoutId": "co-1", "failureReason": "PAYMENT_DECLINED", "failedStep": "payment"},
    )

    found = _read(RestEngineView(rest_url), key)

    assert (found.state, found.checkout_id) == ("ACTIVE", "co-1")
    assert (found.failure_reason, found.failed_step) == ("PAYMENT_DECLINED", "payment")


def test_a_value_cut_by_the_variable_search_is_read_whole(rest_url: str) -> None:
    """The variable search cuts values over 8191 characters (`isTruncated`, as Camunda 8.8):
    the status read fetches such a variable by its key instead of failing to decode it."""
    long_step = "step-" + "x" * 9000
    key = _start_waiting_instance(rest_url, {"checkoutId": "co-2", "failedStep": long_step})

    found = _read(RestEngineView(rest_url), key)

    assert found.failed_step == long_step
