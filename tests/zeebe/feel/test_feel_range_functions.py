"""FEEL range built-in functions (FEEL-Scala's `RangeBuiltinFunction`, after the DMN 1.3 table
of range functions 10.3.4.7): `before`, `after`, `meets`, `met by`, `overlaps`,
`overlaps before`, `overlaps after`, `finishes`, `finished by`, `includes`, `during`, `starts`,
`started by`, `coincides` over points and ranges (zeebe-spec §7: Zeebe evaluates FEEL with
FEEL-Scala, so its built-in set is the one models may use)."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("before(1, 10)", True),
        ("before(10, 1)", False),
        ("before(1, [2..5])", True),
        ("before(2, (2..5])", True),
        ("before([1..5], 10)", True),
        ("before([1..5], [6..8])", True),
        ("before([1..5], [5..8])", False),
        ("before([1..5), [5..8])", True),
        ("after(10, 5)", True),
        ("after(12, [2..5])", True),
        ("after([5..8], 3)", True),
        ("after([6..8], [1..5])", True),
        ("after((5..8], [1..5])", True),
        ("after([5..8], [1..5])", False),
    ],
)
def test_before_and_after_compare_points_and_bounds(source: str, expected: bool) -> None:
    """`before`/`after`: a bound that touches counts only when one side excludes it."""
    assert evaluate(source, {}) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("meets([1..5], [5..10])", True),
        ("meets([1..5), [5..10])", False),
        ("met by([5..10], [1..5])", True),
        ("overlaps([5..10], [1..6])", True),
        ("overlaps([1..2], [3..8])", False),
        ("overlaps([1..5], (5..8])", False),
        ("overlaps before([1..5], [3..8])", True),
        ("overlaps before([3..8], [1..5])", False),
        ("overlaps after([3..8], [1..5])", True),
    ],
)
def test_meeting_and_overlapping_ranges(source: str, expected: bool) -> None:
    """`meets`/`met by` need both touching bounds included; `overlaps before/after` also fix
    which range starts first."""
    assert evaluate(source, {}) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("finishes(10, [1..10])", True),
        ("finishes(10, [1..10))", False),
        ("finishes([3..10], [1..10])", True),
        ("finished by([5..10], 10)", True),
        ("finished by([1..10], [3..10])", True),
        ("includes([5..10], 6)", True),
        ("includes([5..10), 10)", False),
        ("includes([1..10], [3..5])", True),
        ("during(5, [1..10])", True),
        ("during([3..5], [1..10])", True),
        ("during([1..10], [3..5])", False),
        ("starts(1, [1..5])", True),
        ("starts(1, (1..5])", False),
        ("starts([1..3], [1..5])", True),
        ("started by([1..10], 1)", True),
        ("started by([1..5], [1..3])", True),
        ("coincides(5, 5)", True),
        ("coincides([1..5], [1..5])", True),
        ("coincides([1..5], (1..5])", False),
    ],
)
def test_containment_functions(source: str, expected: bool) -> None:
    """`finishes`/`starts`/`includes`/`during`/`coincides` and their mirrored forms."""
    assert evaluate(source, {}) is expected


def test_range_functions_work_on_temporal_values() -> None:
    """Points and bounds may be any ordered values, e.g. dates inside a date range."""
    source = 'includes([date("2024-01-01")..date("2024-12-31")], date(due))'
    assert evaluate(source, {"due": "2024-06-01"}) is True
    assert evaluate(source, {"due": "2025-06-01"}) is False


@pytest.mark.parametrize(
    "source",
    ["meets(1, 2)", 'before(1, "a")', "includes(3, [1..5])", "before(null, 1)"],
)
def test_undefined_signatures_and_incomparable_values_give_null(source: str) -> None:
    """§7.2 "if something goes wrong, return null": a signature the function does not have
    (two points for `meets`) or values that cannot be compared."""
    result: Any = evaluate(source, {})
    assert result is None


def test_multi_word_names_still_win_over_the_single_word_range_names() -> None:
    """`starts with` and `string length` are not read as `starts` / other calls."""
    assert evaluate('starts with("abc", "a")', {}) is True
