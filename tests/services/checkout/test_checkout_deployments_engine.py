"""Restarting the checkout API against one engine reuses the deployed versions (REST /v2)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from services.checkout.app import BPMN_DIR, DeployedStarter, create_app
from services.checkout.domain import V1, V2_FRAUD_CHECK
from services.checkout.fake_store import FakeCheckoutStore
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.node import EngineNode, NodeConfig

pytestmark = pytest.mark.integration

BODY = {"cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok_approve"}


@pytest.fixture
def engine() -> Iterator[EngineNode]:
    """The embedded engine (in-memory log) with gRPC and REST on free loopback ports."""
    node = EngineNode(NodeConfig(grpc_address="127.0.0.1:0", http_port=0, in_memory=True))
    background = BackgroundNode(node).start()
    yield node
    background.stop()


@pytest.fixture
def start_api(engine: EngineNode) -> Iterator[Any]:
    """Starts checkout APIs on the engine (no STARTER: they deploy); closes their channels."""
    started: list[DeployedStarter] = []

    def start(bpmn_dir: Path = BPMN_DIR) -> Flask:
        app = create_app(
            {
                "STORE": FakeCheckoutStore(),
                "ZEEBE_ADDRESS": engine.grpc_address,
                "ZEEBE_REST_URL": f"http://127.0.0.1:{engine.http_port}",
                "BPMN_DIR": str(bpmn_dir),
            }
        )
        started.append(app.extensions["saga_starter"])
        return app

    yield start
    for starter in started:
        starter.close()


def _keys(app: Flask) -> dict[str, int]:
    deployed = app.extensions["saga_starter"].deployed
    return {name: found.process_definition_key for name, found in deployed.items()}


def _versions(engine: EngineNode) -> list[int]:
    body = {"filter": {"processDefinitionId": "checkout"}, "sort": [{"field": "version"}]}
    url = f"http://127.0.0.1:{engine.http_port}/v2/process-definitions/search"
    response = requests.post(url, json=body, timeout=5)
    response.raise_for_status()
    return [int(item["version"]) for item in response.json()["items"]]


def test_a_second_start_creates_no_version_and_routes_to_the_same_keys(
    engine: EngineNode, start_api: Any
) -> None:
    """Spec Appendix B: Zeebe dedupes only against the latest version, so a restart that
    redeployed v1 then v2 made two new versions; the API now reuses identical definitions."""
    first = start_api()
    second = start_api()

    assert _versions(engine) == [1, 2]
    assert _keys(second) == _keys(first)
    created = second.test_client().post("/checkouts", json=BODY).get_json()
    status = second.test_client().get(f"/checkouts/{created['checkoutId']}").get_json()
    assert int(status["processDefinitionKey"]) == _keys(first)[V1]


def test_an_edited_file_alone_is_deployed_as_a_new_version(
    engine: EngineNode, start_api: Any, tmp_path: Path
) -> None:
    """Only the file without a byte-identical deployed definition is deployed."""
    first = start_api()
    for name in (V1, V2_FRAUD_CHECK):
        shutil.copy(BPMN_DIR / name, tmp_path / name)
    with (tmp_path / V1).open("a", encoding="utf-8") as edited:
        edited.write("<!-- edited -->\n")

    second = start_api(tmp_path)

    assert _versions(engine) == [1, 2, 3]
    assert _keys(second)[V2_FRAUD_CHECK] == _keys(first)[V2_FRAUD_CHECK]
    assert _keys(second)[V1] not in _keys(first).values()
