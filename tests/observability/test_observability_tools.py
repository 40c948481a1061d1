"""A missing tool fails the run in CI and skips it elsewhere (common brief: no silent passes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.observability.observability_support import required_tool

pytestmark = pytest.mark.unit


def test_a_missing_tool_fails_when_ci_is_true(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CI=true: the test fails instead of skipping, so CI cannot pass without promtool."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI requires it"):
        required_tool("promtool", tmp_path / "absent")


def test_a_missing_tool_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without CI=true a developer without promtool gets a skip naming the install script."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"scripts/install-promtool\.sh"):
        required_tool("promtool", tmp_path / "absent")


def test_the_cached_install_wins_over_path(tmp_path: Path) -> None:
    """The copy scripts/install-promtool.sh unpacked under .cache is used first."""
    cached = tmp_path / "promtool"
    cached.write_text("#!/bin/sh\n")
    cached.chmod(0o755)
    assert required_tool("promtool", cached) == cached
