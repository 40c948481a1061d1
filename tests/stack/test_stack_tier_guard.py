"""The tier guard fails collection when a test has no tier marker (no test escapes its tier)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_untiered_test_fails_the_run(pytester: pytest.Pytester) -> None:
    """A module without `pytestmark` makes the run fail before any test runs, naming the test."""
    pytester.makeini("[pytest]\nmarkers =\n    unit: u\n")
    pytester.makepyfile(test_plain="def test_forgotten():\n    assert True\n")
    result = pytester.runpytest("-p", "stack.tier_guard")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*1 test(s) have no tier marker*", "*test_plain.py::test_forgotten*"]
    )
    result.stdout.no_fnmatch_line("*1 passed*")


def test_tiered_tests_run(pytester: pytest.Pytester) -> None:
    """Module, class and function level tier markers all count."""
    pytester.makeini("[pytest]\nmarkers =\n    unit: u\n    e2e: e\n")
    pytester.makepyfile(
        test_marked=(
            "import pytest\npytestmark = pytest.mark.unit\ndef test_module_level():\n    pass\n"
        ),
        test_fn=(
            "import pytest\n"
            "@pytest.mark.e2e\n"
            "def test_function_level():\n    pass\n"
            "@pytest.mark.unit\n"
            "class TestGrouped:\n"
            "    def test_class_level(self):\n        pass\n"
        ),
    )
    result = pytester.runpytest("-p", "stack.tier_guard")
    result.assert_outcomes(passed=3)


def test_deselected_untiered_test_still_fails(pytester: pytest.Pytester) -> None:
    """The guard runs before `-m` deselection, so `make test-unit` also catches untiered tests."""
    pytester.makeini("[pytest]\nmarkers =\n    unit: u\n")
    pytester.makepyfile(test_plain="def test_forgotten():\n    pass\n")
    result = pytester.runpytest("-p", "stack.tier_guard", "-m", "unit")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
