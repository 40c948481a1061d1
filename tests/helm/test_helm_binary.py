"""Without helm the chart tests fail in CI and skip elsewhere (common brief: no silent passes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helm import helm_support

pytestmark = pytest.mark.unit


def test_missing_helm_fails_when_ci_is_true(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CI=true: a missing helm is a failure, not a skip."""
    monkeypatch.setattr(helm_support, "REPO", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI requires it"):
        helm_support.helm_binary()


def test_missing_helm_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Locally the chart tests skip and name the install script."""
    monkeypatch.setattr(helm_support, "REPO", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"scripts/install-helm\.sh"):
        helm_support.helm_binary()
