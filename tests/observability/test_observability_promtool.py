"""`promtool check rules` and `promtool test rules` on observability/prometheus (DESIGN §5)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.observability.observability_support import OBSERVABILITY, REPO, required_tool

pytestmark = pytest.mark.integration

RULES = OBSERVABILITY / "prometheus"


@pytest.fixture(scope="module")
def promtool() -> Path:
    """promtool from scripts/install-promtool.sh (Debian's prometheus package, unpacked)."""
    return required_tool("promtool", REPO / ".cache" / "promtool" / "usr" / "bin" / "promtool")


def _run(promtool: Path, *args: str, cwd: Path = RULES) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(promtool), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_promtool_accepts_the_alert_rules(promtool: Path) -> None:
    """The rule file is valid for Prometheus: syntax, PromQL and templates."""
    result = _run(promtool, "check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_fires_and_stays_quiet_as_the_unit_tests_expect(promtool: Path) -> None:
    """alerts_test.yml feeds series that fire each alert and series that must not."""
    result = _run(promtool, "test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_expectation_makes_promtool_fail(promtool: Path, tmp_path: Path) -> None:
    """The rule tests can fail: expecting 4000 records of lag where the input has 6000 does."""
    shutil.copy(RULES / "alerts.yml", tmp_path / "alerts.yml")
    text = (RULES / "alerts_test.yml").read_text(encoding="utf-8")
    assert '"Lag is 6000 records."' in text
    (tmp_path / "alerts_test.yml").write_text(text.replace("Lag is 6000", "Lag is 4000"))
    result = _run(promtool, "test", "rules", "alerts_test.yml", cwd=tmp_path)
    assert result.returncode != 0
