"""Every Python example in the README runs: untested examples rot (CONVENTIONS)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def python_examples() -> list[str]:
    """The ```python blocks of README.md, in order."""
    return PYTHON_BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_a_python_example() -> None:
    """The README shows how to test a process with the harness (and this suite runs it)."""
    assert python_examples(), "README.md lost its python example"


@pytest.mark.parametrize("example", python_examples())
def test_readme_example_passes_as_a_pytest_module(pytester: pytest.Pytester, example: str) -> None:
    """The example is a complete pytest module using the documented plugin, and it passes."""
    pytester.makepyfile(test_readme_example=example)
    result = pytester.runpytest_subprocess("-p", "zeebe.testing.plugin", "-q")
    result.assert_outcomes(passed=1)
