"""The make targets keep their promises: setup is idempotent, "no tests" is never success."""

from __future__ import annotations

import subprocess

import pytest

from stack.config import REPO_ROOT

pytestmark = pytest.mark.integration


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_second_setup_installs_nothing() -> None:
    """Stamps keyed by input hashes make a repeated `make setup` skip every install step."""
    _run("bash", "scripts/setup.sh")  # brings anything missing up to date first
    again = _run("bash", "scripts/setup.sh")
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines() == [again.stderr.splitlines()[-1]]
    assert again.stderr.startswith("setup: ready (")


def test_pytest_exit_code_5_fails_make() -> None:
    """pytest exits 5 when no test is collected; the Makefile reports it and fails."""
    result = _run(
        "make",
        "--no-print-directory",
        "pytest",
        "PYTEST_ARGS=tests/stack/test_stack_config.py -k no_test_has_this_name",
    )
    assert result.returncode != 0
    assert "pytest collected no tests (exit 5): failing" in result.stderr
