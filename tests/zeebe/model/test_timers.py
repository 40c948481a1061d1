"""Timer values and due dates (spec 9.2): ISO 8601 durations, dates, cycles and cron."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from zeebe.model.elements import TimerKind
from zeebe.model.timers import (
    INFINITE,
    Cycle,
    Duration,
    TimerDate,
    TimerFormatError,
    first_fire,
    next_fire,
    parse_cycle,
    parse_date,
    parse_duration,
    parse_timer,
)

pytestmark = pytest.mark.unit


def _ms(year: int, month: int, day: int, *clock: int) -> int:
    hour, minute, second = (*clock, 0, 0, 0)[:3]
    return int(datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT15S", Duration(millis=15_000)),
        ("PT1H30M", Duration(millis=5_400_000)),
        ("P14D", Duration(days=14)),
        ("P14DT1H30M", Duration(days=14, millis=5_400_000)),
        ("P3Y6M4DT12H30M5S", Duration(years=3, months=6, days=4, millis=45_005_000)),
        ("P2W", Duration(days=14)),
        ("PT0.25S", Duration(millis=250)),
        ("-PT5S", Duration(millis=-5_000)),
    ],
)
def test_durations_from_the_documentation_parse(text: str, expected: Duration) -> None:
    """Spec 9.2: `PT15S`, `PT1H30M`, `P14D`, `P14DT1H30M`, `P3Y6M4DT12H30M5S` (also `W`)."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "P1H", "PT1D", "15 seconds", "PT1.5M"])
def test_invalid_durations_are_rejected(text: str) -> None:
    """Spec 9.2: durations follow `P(n)Y(n)M(n)DT(n)H(n)M(n)S`."""
    with pytest.raises(TimerFormatError):
        parse_duration(text)


def test_duration_adds_calendar_months_clamped_to_month_end() -> None:
    """A month after 31 January is the last day of February (java.time plusMonths)."""
    assert Duration(months=1).add_to(_ms(2026, 1, 31, 10, 0)) == _ms(2026, 2, 28, 10, 0)


def test_duration_adds_days_and_time() -> None:
    """`P1DT1H` after noon is 13:00 the next day."""
    assert parse_duration("P1DT1H").add_to(_ms(2026, 3, 1, 12, 0)) == _ms(2026, 3, 2, 13, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-10-01T12:00:00Z", _ms(2019, 10, 1, 12, 0)),
        ("2019-10-02T08:09:40+02:00", _ms(2019, 10, 2, 6, 9, 40)),
        ("2019-10-02T08:09:40[Europe/Berlin]", _ms(2019, 10, 2, 6, 9, 40)),
        ("2019-10-02T08:09:40", _ms(2019, 10, 2, 8, 9, 40)),
    ],
)
def test_dates_from_the_documentation_parse(text: str, expected: int) -> None:
    """Spec 9.2: `Z`, an offset or an IANA zone id; no zone means UTC."""
    assert parse_date(text) == TimerDate(expected)


@pytest.mark.parametrize(
    "text", ["2019-10-01", "tomorrow", "2019-13-01T00:00:00Z", "2019-10-01T10:00[Nowhere/City]"]
)
def test_invalid_dates_are_rejected(text: str) -> None:
    """Spec 9.2: a time date is an ISO 8601 combined date and time."""
    with pytest.raises(TimerFormatError):
        parse_date(text)


def test_repeating_cycle_with_count() -> None:
    """Spec 9.2: `R5/PT10S` is "Every 10 seconds, up to five times"."""
    assert parse_cycle("R5/PT10S") == Cycle(repetitions=5, interval=Duration(millis=10_000))


def test_repeating_cycle_without_count_is_infinite() -> None:
    """Spec 9.2: "If the repetitions are not defined, the timer repeats infinitely"."""
    assert parse_cycle("R/P1D") == Cycle(repetitions=INFINITE, interval=Duration(days=1))


def test_cycle_with_start_fires_first_at_the_start() -> None:
    """Spec 9.2: `R3/2022-04-27T17:20:00Z/P1D` "triggers for the first time on the given start
    time. Afterwards, it will follow the interval"."""
    cycle = parse_cycle("R3/2022-04-27T17:20:00Z/P1D")
    start = _ms(2022, 4, 27, 17, 20)
    assert cycle.repetitions == 3
    assert first_fire(cycle, _ms(2022, 4, 1, 0, 0)) == start
    assert next_fire(cycle, start) == _ms(2022, 4, 28, 17, 20)


def test_cycle_without_start_fires_after_one_interval() -> None:
    """Spec 9.2: `R5/PT10S` fires every 10 seconds from scheduling."""
    cycle = parse_cycle("R5/PT10S")
    now = _ms(2026, 1, 1, 0, 0)
    assert first_fire(cycle, now) == now + 10_000
    assert next_fire(cycle, now + 10_000) == now + 20_000


def test_cron_cycle_fires_on_matching_seconds() -> None:
    """Spec 9.2: `0 0 9-17 * * MON-FRI` is "Every hour on the hour from 9-5 p.m. UTC
    Monday-Friday"."""
    cycle = parse_cycle("0 0 9-17 * * MON-FRI")
    assert cycle.repetitions == INFINITE
    friday_evening = _ms(2026, 11, 27, 17, 30)
    monday_morning = _ms(2026, 11, 30, 9, 0)
    assert first_fire(cycle, friday_evening) == monday_morning
    assert next_fire(cycle, monday_morning) == _ms(2026, 11, 30, 10, 0)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("*/15 * * * * *", (2026, 1, 1, 0, 0, 7), (2026, 1, 1, 0, 0, 15)),
        ("@daily", (2026, 1, 1, 5, 0), (2026, 1, 2, 0, 0)),
        ("0 30 10 1 JAN-MAR ?", (2026, 3, 2, 0, 0), (2027, 1, 1, 10, 30)),
        ("0 0 12 * * 0", (2026, 11, 26, 0, 0), (2026, 11, 29, 12, 0)),
    ],
)
def test_cron_syntax(text: str, now: tuple[int, ...], expected: tuple[int, ...]) -> None:
    """Spec 9.2: Spring cron syntax: steps, macros, month names, `?`, Sunday as 0."""
    assert first_fire(parse_cycle(text), _ms(*now)) == _ms(*expected)


@pytest.mark.parametrize("text", ["0 0 * * *", "0 0 25 * * *", "0 0 L * * *", "every day"])
def test_invalid_cycles_are_rejected(text: str) -> None:
    """Spec 9.2: cycles are ISO 8601 repeating intervals or 6-field cron expressions."""
    with pytest.raises(TimerFormatError):
        parse_cycle(text)


def test_duration_timer_fires_after_the_duration_and_past_dates_fire_immediately() -> None:
    """Spec 9.2: "If the duration is zero or negative, the timer fires immediately"."""
    now = _ms(2026, 1, 1, 0, 0)
    assert first_fire(parse_timer(TimerKind.DURATION, "PT1M"), now) == now + 60_000
    assert first_fire(parse_timer(TimerKind.DURATION, "-PT1M"), now) < now
    assert first_fire(parse_timer(TimerKind.DATE, "2020-01-01T00:00:00Z"), now) < now
