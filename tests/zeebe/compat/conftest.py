"""Compatibility suites: real clients against the real embedded engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from zeebe.testing.harness import EmbeddedZeebe

REPO = Path(__file__).resolve().parents[3]


def find_zbctl() -> str | None:
    """$ZBCTL, ./node_modules/.bin/zbctl (what `make setup` installs) or zbctl on PATH."""
    candidates = [os.environ.get("ZBCTL"), str(REPO / "node_modules/.bin/zbctl")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("zbctl")


@pytest.fixture
def zbctl(embedded_zeebe: EmbeddedZeebe) -> Any:
    """`zbctl(*args)` runs the CLI against the embedded engine: JSON output parsed, a sentence
    as text; `expect_ok=False` expects a failure and returns its stderr."""
    binary = find_zbctl()
    if binary is None:
        message = "zbctl not installed (npm zbctl@8.4.1 into node_modules, or set ZBCTL)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)

    def run(*args: str, expect_ok: bool = True) -> Any:
        command = [binary, "--insecure", "--address", embedded_zeebe.grpc_address, *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        if not expect_ok:
            assert done.returncode != 0, done.stdout
            return done.stderr
        assert done.returncode == 0, done.stderr
        text = done.stdout.strip()
        # commands without a response body print a sentence instead of JSON
        return json.loads(text) if text.startswith("{") else text

    return run
