"""Why models with `zeebe:taskListeners` are exempt from the bpmnlint gate, checked: the
repository lints against camunda-compat's `camunda-cloud-8-7` profile, which reports the
extension as "only allowed by Camunda 8.8" (task listeners became a modelling feature in 8.8;
Zeebe 8.7 already executes them), while the `camunda-cloud-8-8` profile accepts the same model.

Runs `node_modules/.bin/bpmnlint` with a configuration written next to the model. Without the
npm tools the test skips locally but fails when `CI=true`, as test_bpmnlint.py does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bpmnlint_profiles import lint_with_profile

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration

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


def test_the_8_7_profile_reports_task_listeners_as_8_8_only(tmp_path: Path) -> None:
    """camunda-compat 8.7: "Extension element of type <zeebe:TaskListeners> only allowed by
    Camunda 8.8" (an error)."""
    result = lint_with_profile(tmp_path, "camunda-cloud-8-7", MODEL)
    assert result.returncode != 0
    assert "<zeebe:TaskListeners> only allowed by Camunda 8.8" in result.stdout


def test_the_8_8_profile_accepts_the_listener_model(tmp_path: Path) -> None:
    """camunda-compat 8.8: no errors (warnings, such as a missing form, do not fail)."""
    result = lint_with_profile(tmp_path, "camunda-cloud-8-8", MODEL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TaskListener" not in result.stdout
