"""The pinned npm dev tools run: bpmnlint with the Camunda 8.7 rules, zbctl, the Node SDK."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from stack.config import REPO_ROOT

pytestmark = pytest.mark.integration

BIN = REPO_ROOT / "node_modules" / ".bin"
ONE_TASK = REPO_ROOT / "tests" / "fixtures" / "bpmn" / "one_service_task.bpmn"


def _run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in argv],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_bpmnlint_accepts_a_valid_camunda_8_model() -> None:
    """With .bpmnlintrc (recommended + camunda-cloud-8-7 + zeebe moddle) a valid model is clean.

    infra.md: without `moddleExtensions`, valid `zeebe:taskDefinition` elements are reported.
    """
    result = _run(BIN / "bpmnlint", ONE_TASK)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_applies_the_camunda_compat_rules(tmp_path: Path) -> None:
    """A service task without a job type breaks a camunda-cloud rule, so the config is active."""
    broken = tmp_path / "no_task_type.bpmn"
    lines = ONE_TASK.read_text().splitlines(keepends=True)
    broken.write_text("".join(line for line in lines if "zeebe:taskDefinition" not in line))
    result = _run(BIN / "bpmnlint", "--config", REPO_ROOT / ".bpmnlintrc", broken)
    assert result.returncode == 1
    assert "must have one extension element of type <zeebe:TaskDefinition>" in result.stdout


def test_zbctl_binary_runs() -> None:
    """npm `zbctl@8.4.1` ships a linux-x64 binary that our compatibility tests drive."""
    result = _run(BIN / "zbctl", "version")
    assert result.returncode == 0, result.stderr
    assert "NPM package version: 8.4.1" in result.stdout


def test_camunda_node_sdk_loads() -> None:
    """`@camunda8/sdk` 8.8 (REST + gRPC client) is importable by node."""
    node = shutil.which("node")
    assert node is not None, "node not found: make setup needs Node.js 20"
    script = "const s = require('@camunda8/sdk'); console.log(typeof s.Camunda8)"
    result = _run(node, "-e", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "function"
