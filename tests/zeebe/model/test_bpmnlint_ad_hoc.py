"""Why the ad-hoc completion tests are exempt from the bpmnlint gate, checked: the repository
lints against camunda-compat's `camunda-cloud-8-7` profile, which reports `completionCondition`,
`cancelRemainingInstances="false"`, `outputCollection` and `outputElement` as "only allowed by
Camunda 8.8 or newer" (they are 8.8 features, docs "Ad-hoc sub-processes"), while the
`camunda-cloud-8-8` profile accepts the same model; likewise for `zeebe:taskDefinition` on the
subprocess (the 8.8 job worker implementation).

Runs `node_modules/.bin/bpmnlint` with a configuration written next to the model. Without the
npm tools the test skips locally but fails when `CI=true`, as test_bpmnlint.py does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bpmnlint_profiles import lint_with_profile

from zeebe.testing.diagram import diagrammed

pytestmark = pytest.mark.integration

LINT_REASON = (
    "ad-hoc completionCondition / cancelRemainingInstances / outputCollection are 8.8 features: "
    "the repository lints with camunda-compat's 8.7 profile; the same model lints clean with the "
    "8.8 profile (tests/zeebe/model/test_bpmnlint_ad_hoc.py)"
)
SERVICE = (
    '<bpmn:serviceTask id="{id}" name="{id}"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="{id}" /></bpmn:extensionElements></bpmn:serviceTask>'
)


def _model(ad_hoc: str) -> bytes:
    """start -> `ad_hoc` (an ad-hoc subprocess with id adhoc) -> end, with a diagram."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" '
        'targetNamespace="http://test"><bpmn:process id="tools" isExecutable="true">'
        '<bpmn:startEvent id="s" name="Start" />' + ad_hoc + '<bpmn:endEvent id="e" name="End" />'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="adhoc" />'
        '<bpmn:sequenceFlow id="f2" sourceRef="adhoc" targetRef="e" />'
        "</bpmn:process></bpmn:definitions>"
    )
    return diagrammed(xml.encode())


BPMN_MODE = _model(
    '<bpmn:adHocSubProcess id="adhoc" name="Tools" cancelRemainingInstances="false">'
    '<bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=[&quot;a&quot;]" '
    'outputCollection="results" outputElement="=result" /></bpmn:extensionElements>'
    + SERVICE.format(id="a")
    + SERVICE.format(id="b")
    + '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=done'
    "</bpmn:completionCondition></bpmn:adHocSubProcess>"
)
JOB_WORKER_MODE = _model(
    '<bpmn:adHocSubProcess id="adhoc" name="Agent"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="agent" retries="1" />'
    '<zeebe:adHoc outputCollection="results" outputElement="=result" />'
    "</bpmn:extensionElements>"
    + SERVICE.format(id="a")
    + SERVICE.format(id="b")
    + "</bpmn:adHocSubProcess>"
)


def test_the_8_7_profile_reports_the_ad_hoc_attributes_as_8_8_only(tmp_path: Path) -> None:
    """camunda-compat 8.7: "Property <completionCondition> only allowed by Camunda 8.8"."""
    result = lint_with_profile(tmp_path, "camunda-cloud-8-7", BPMN_MODE)
    assert result.returncode != 0
    for name in ("completionCondition", "outputCollection", "outputElement"):
        assert f"Property <{name}> only allowed by Camunda 8.8 or newer" in result.stdout


def test_the_8_7_profile_rejects_the_job_worker_implementation(tmp_path: Path) -> None:
    """camunda-compat 8.7 does not allow the 8.8 job worker ad-hoc subprocess."""
    result = lint_with_profile(tmp_path, "camunda-cloud-8-7", JOB_WORKER_MODE)
    assert result.returncode != 0
    assert "only allowed by Camunda 8.8" in result.stdout


@pytest.mark.parametrize("model", [BPMN_MODE, JOB_WORKER_MODE], ids=["bpmn", "job-worker"])
def test_the_8_8_profile_accepts_the_model(tmp_path: Path, model: bytes) -> None:
    """camunda-compat 8.8 accepts the same models without errors or warnings."""
    result = lint_with_profile(tmp_path, "camunda-cloud-8-8", model)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout and "warning" not in result.stdout
