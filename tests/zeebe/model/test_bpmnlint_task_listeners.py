"""Why models with `zeebe:taskListeners` are exempt from the bpmnlint gate, checked: the
repository lints against camunda-compat's `camunda-cloud-8-7` profile, which reports the
extension as "only allowed by Camunda 8.8" (task listeners became a modelling feature in 8.8;
Zeebe 8.7 already executes them), while the `camunda-cloud-8-8` profile accepts the same model.

Runs `node_modules/.bin/bpmnlint` with a configuration written next to the model. Without the
npm tools the test skips locally but fails when `CI=true`, as test_bpmnlint.py does.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
BPMNLINT = REPO / "node_modules" / ".bin" / "bpmnlint"
LISTENERS = (
    b'<zeebe:taskListeners><zeebe:taskListener eventType="completing" type="check" />'
    b'<zeebe:taskListener eventType="assigning" type="=route" retries="1" />'
    b"</zeebe:taskListeners>"
)
MODEL = (
    ProcessBuilder("approval", name="Approval")
    .start()
    .user_task("approve", name="Approve order")
    .end()
    .to_xml()
    .replace(b"<zeebe:userTask />", b"<zeebe:userTask />" + LISTENERS)
)


def _lint(tmp_path: Path, profile: str) -> subprocess.CompletedProcess[str]:
    if not BPMNLINT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{BPMNLINT} is missing: install the npm dev tools (npm ci)")
        pytest.skip("bpmnlint is not installed (run npm ci); required when CI=true")
    config = {
        "extends": ["bpmnlint:recommended", f"plugin:camunda-compat/{profile}"],
        "moddleExtensions": {"zeebe": "zeebe-bpmn-moddle/resources/zeebe.json"},
    }
    (tmp_path / ".bpmnlintrc").write_text(json.dumps(config))
    (tmp_path / "approval.bpmn").write_bytes(MODEL)
    return subprocess.run(
        [str(BPMNLINT), "approval.bpmn"],
        cwd=tmp_path,
        env=os.environ | {"NODE_PATH": str(REPO / "node_modules")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_8_7_profile_reports_task_listeners_as_8_8_only(tmp_path: Path) -> None:
    """camunda-compat 8.7: "Extension element of type <zeebe:TaskListeners> only allowed by
    Camunda 8.8" (an error)."""
    result = _lint(tmp_path, "camunda-cloud-8-7")
    assert result.returncode != 0
    assert "<zeebe:TaskListeners> only allowed by Camunda 8.8" in result.stdout


def test_the_8_8_profile_accepts_the_listener_model(tmp_path: Path) -> None:
    """camunda-compat 8.8: no errors (warnings, such as a missing form, do not fail)."""
    result = _lint(tmp_path, "camunda-cloud-8-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TaskListener" not in result.stdout
