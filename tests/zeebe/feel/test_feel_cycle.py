"""Zeebe's FEEL function `cycle` (docs "Timer events", cycle: "=cycle(duration("PT1H"))";
defined by Zeebe's FEEL function provider, not FEEL-Scala): ISO 8601 repeating intervals as
text, the interval written as java.time's Duration/Period#toString writes it."""

from __future__ import annotations

import pytest

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('cycle(duration("PT1H"))', "R/PT1H"),
        ('cycle(duration("PT1S"))', "R/PT1S"),
        ('cycle(duration("PT1H30M"))', "R/PT1H30M"),
        ('cycle(duration("PT0.5S"))', "R/PT0.5S"),
        ('cycle(duration("PT0S"))', "R/PT0S"),
        ('cycle(duration("-PT90M"))', "R/PT-1H-30M"),
        ('cycle(duration("-PT0.5S"))', "R/PT-0.5S"),
        ('cycle(interval: duration("PT5M"))', "R/PT5M"),
    ],
)
def test_cycle_of_an_interval_repeats_forever(source: str, expected: str) -> None:
    """`cycle(interval)` is `R/<interval>` (an infinite cycle)."""
    assert evaluate(source, {}) == expected


def test_cycle_writes_days_as_hours_like_java_duration() -> None:
    """A days-time duration is a java.time.Duration: `P1D` prints as `PT24H`."""
    assert evaluate('cycle(duration("P1DT2H"))', {}) == "R/PT26H"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('cycle(duration("P1M"))', "R/P1M"),
        ('cycle(duration("P14M"))', "R/P1Y2M"),
        ('cycle(3, duration("P1Y"))', "R3/P1Y"),
    ],
)
def test_cycle_of_a_years_months_duration_uses_period_text(source: str, expected: str) -> None:
    """A years-months duration is a java.time.Period (normalized: 14 months are `P1Y2M`)."""
    assert evaluate(source, {}) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('cycle(5, duration("PT1H"))', "R5/PT1H"),
        ('cycle(0, duration("PT1H"))', "R0/PT1H"),
        ('cycle(2.9, duration("PT1M"))', "R2/PT1M"),
        ('cycle(null, duration("PT1H"))', "R/PT1H"),
        ('cycle(repetitions: 4, interval: duration("PT10S"))', "R4/PT10S"),
    ],
)
def test_cycle_with_repetitions(source: str, expected: str) -> None:
    """`cycle(repetitions, interval)` is `R<n>/<interval>`, n the number's integer part
    (BigDecimal#toInt); a null count means an infinite cycle."""
    assert evaluate(source, {}) == expected


@pytest.mark.parametrize(
    "source",
    [
        'cycle("PT1H")',
        "cycle(null)",
        "cycle(1)",
        'cycle("3", duration("PT1H"))',
        "cycle(3, 5)",
        'cycle(3, "PT1H")',
    ],
)
def test_cycle_without_a_duration_is_null(source: str) -> None:
    """Non-duration intervals or non-number counts fail the call: the result is null."""
    assert evaluate(source, {}) is None
