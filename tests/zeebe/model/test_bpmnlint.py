"""Shared BPMN fixtures and builder output pass bpmnlint with the Camunda 8.7 rules.

Runs `node_modules/.bin/bpmnlint` from the repository root (which holds `.bpmnlintrc`). Without
the npm tools the test skips locally but fails when `CI=true`, so CI cannot pass silently.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from builder_samples import SAMPLES

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
BPMNLINT = REPO / "node_modules" / ".bin" / "bpmnlint"
FIXTURES = REPO / "tests" / "fixtures" / "bpmn"
VALID_FIXTURES = sorted(
    path for path in FIXTURES.rglob("*.bpmn") if (FIXTURES / "invalid") not in path.parents
)


def _bpmnlint() -> Path:
    if BPMNLINT.exists():
        return BPMNLINT
    if os.environ.get("CI") == "true":
        pytest.fail(f"{BPMNLINT} is missing: install the npm dev tools (npm ci)")
    pytest.skip("bpmnlint is not installed (run npm ci); required when CI=true")


def _lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_bpmnlint()), str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_there_are_fixtures_to_lint() -> None:
    """The shared fixture folder is not empty (a glob typo must not make the lint vacuous)."""
    assert VALID_FIXTURES


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_passes_bpmnlint(path: Path) -> None:
    """DESIGN 1: BPMN opens cleanly in Modeler and passes bpmnlint with camunda-compat rules."""
    result = _lint(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_builder_output_passes_bpmnlint(sample: str, tmp_path: Path) -> None:
    """Builder output carries bpmndi and Camunda 8.7 metadata, so it lints clean."""
    path = tmp_path / f"{sample}.bpmn"
    path.write_bytes(SAMPLES[sample]())
    result = _lint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_rejects_a_model_without_diagram_interchange(tmp_path: Path) -> None:
    """The lint is live: a model without bpmndi fails the `no-bpmndi` rule."""
    path = tmp_path / "no_di.bpmn"
    xml = SAMPLES["saga"]().decode()
    path.write_text(xml[: xml.index("<bpmndi:BPMNDiagram")] + "</bpmn:definitions>\n")
    result = _lint(path)
    assert result.returncode != 0
    assert "no-bpmndi" in result.stdout
