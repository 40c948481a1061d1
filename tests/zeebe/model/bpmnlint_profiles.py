"""Lint one model with a chosen camunda-compat profile (test support).

The repository's gate lints against `camunda-cloud-8-7`; tests that exempt 8.8-only models use
this to show the 8.7 profile flags a model and the 8.8 profile accepts it. Runs
`node_modules/.bin/bpmnlint` with a configuration written next to the model; without the npm
tools the calling test skips locally but fails when `CI=true`, as test_bpmnlint.py does.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BPMNLINT = REPO / "node_modules" / ".bin" / "bpmnlint"


def lint_with_profile(
    tmp_path: Path, profile: str, model: bytes, name: str = "model.bpmn"
) -> subprocess.CompletedProcess[str]:
    """bpmnlint's answer for `model` under `bpmnlint:recommended` + camunda-compat `profile`."""
    if not BPMNLINT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{BPMNLINT} is missing: install the npm dev tools (npm ci)")
        pytest.skip("bpmnlint is not installed (run npm ci); required when CI=true")
    config = {
        "extends": ["bpmnlint:recommended", f"plugin:camunda-compat/{profile}"],
        "moddleExtensions": {"zeebe": "zeebe-bpmn-moddle/resources/zeebe.json"},
    }
    (tmp_path / ".bpmnlintrc").write_text(json.dumps(config))
    (tmp_path / name).write_bytes(model)
    return subprocess.run(
        [str(BPMNLINT), name],
        cwd=tmp_path,
        env=os.environ | {"NODE_PATH": str(REPO / "node_modules")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
