"""The official Node SDK (@camunda8/sdk 8.8, REST client) works against the embedded engine.

Runs `sdk_rest_client.js` (deploy, create, activate + complete, publish, search) with node. When
the SDK or node is missing the test is skipped locally but FAILS on CI (CI=true), so the
compatibility claim is never silently unproven there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rest_support import Rest

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("sdk_rest_client.js")
SDK_ORDER = (
    ProcessBuilder("sdk-order")
    .start()
    .service_task("pay", type="sdk.pay")
    .intermediate_catch("confirmed", event=Message("sdk-confirmed", "= orderId"))
    .end()
    .to_xml()
)


def sdk_available() -> str | None:
    """Why the SDK cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (REPO / "node_modules" / "@camunda8" / "sdk" / "package.json").is_file():
        return "@camunda8/sdk is not installed (npm ci in the repository root)"
    return None


def test_sdk_rest_client_deploys_creates_works_publishes_and_searches(
    rest: Rest, tmp_path: Path
) -> None:
    """Spec 8.2 endpoints as the SDK calls them: string keys, object variables, search pages."""
    missing = sdk_available()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the @camunda8/sdk compatibility test: {missing}")
        pytest.skip(missing)
    bpmn = tmp_path / "sdk-order.bpmn"
    bpmn.write_bytes(SDK_ORDER)
    completed = subprocess.run(
        ["node", str(SCRIPT), rest.root, str(bpmn)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["clusterSize"] == 1
    assert result["deployedProcessId"] == "sdk-order"
    assert result["createdKey"].isdigit()
    assert result["jobCount"] == 1
    assert result["jobVariables"] == {"orderId": "sdk-1", "amount": 7}
    assert result["messageKey"].isdigit()
    assert (result["searchTotal"], result["searchStates"]) == (1, ["COMPLETED"])
