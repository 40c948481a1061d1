"""FEEL temporal values (zeebe-spec §7.2 literals, §7.3 temporal functions, §9.2 timer values)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zeebe.feel import DaysTimeDuration, YearsMonthsDuration, evaluate, to_json_value

pytestmark = pytest.mark.unit

NOW = datetime(2024, 5, 17, 10, 30, tzinfo=UTC)
PLUS_2 = timezone(timedelta(hours=2))


def feel(source: str) -> Any:
    """Evaluate with the fixed engine clock NOW."""
    return evaluate(source, {}, now=NOW)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2017-03-10")', date(2017, 3, 10)),
        ('@"2017-03-10"', date(2017, 3, 10)),
        ('time("11:45:30")', time(11, 45, 30)),
        ('time("11:45:30+02:00")', time(11, 45, 30, tzinfo=PLUS_2)),
        ('date and time("2015-09-18T10:31:10")', datetime(2015, 9, 18, 10, 31, 10)),
        ('date and time("2015-09-18T10:31:10Z")', datetime(2015, 9, 18, 10, 31, 10, tzinfo=UTC)),
        ('@"2020-04-06T08:00:00+02:00"', datetime(2020, 4, 6, 8, tzinfo=PLUS_2)),
        (
            'date and time("2015-09-18T10:31:10@Europe/Paris")',
            datetime(2015, 9, 18, 10, 31, 10, tzinfo=ZoneInfo("Europe/Paris")),
        ),
        ('duration("P4D")', DaysTimeDuration.of(days=4)),
        ('@"PT6H"', DaysTimeDuration.of(hours=6)),
        ('duration("P1Y6M")', YearsMonthsDuration(18)),
        ('duration("P2W")', DaysTimeDuration.of(days=14)),
        ('duration("-PT90M")', DaysTimeDuration.of(minutes=-90)),
        ("date(2020, 1, 31)", date(2020, 1, 31)),
        ("time(10, 30, 0)", time(10, 30)),
        ('date and time(date("2012-12-24"), time("T23:59:00"))', datetime(2012, 12, 24, 23, 59)),
        ('date("2020-02-30")', None),
        ('duration("P1Y2D")', None),
        ('date and time("garbage")', None),
        ('date and time("2024-03-31T01:30:00@Mars/Base")', None),
    ],
)
def test_temporal_literals_and_constructors(source: str, expected: Any) -> None:
    """§7.2 temporal literals via functions or `@"..."`; two duration kinds (days-time and
    years-months); invalid text -> null."""
    assert feel(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2020-01-01") + duration("P1D")', date(2020, 1, 2)),
        ('date("2020-01-31") + duration("P1M")', date(2020, 2, 29)),
        ('date("2020-03-31") - duration("P1M")', date(2020, 2, 29)),
        (
            '@"2020-01-01T10:00:00Z" + duration("PT1H30M")',
            datetime(2020, 1, 1, 11, 30, tzinfo=UTC),
        ),
        ('@"2020-01-01T10:00:00Z" - @"2019-12-31T09:00:00Z"', DaysTimeDuration.of(days=1, hours=1)),
        ('date("2020-03-01") - date("2020-02-01")', DaysTimeDuration.of(days=29)),
        ('duration("PT1H") * 2', DaysTimeDuration.of(hours=2)),
        ('duration("P1D") / duration("PT1H")', 24),
        ('duration("P1Y") + duration("P6M")', YearsMonthsDuration(18)),
        ('-duration("PT1H")', DaysTimeDuration.of(hours=-1)),
        ('time("10:00:00") + duration("PT15H")', time(1, 0)),
        ('@"2020-01-01T10:00:00Z" - @"2020-01-01T10:00:00"', None),
        ('date("2020-01-01") + 1', None),
    ],
)
def test_temporal_arithmetic(source: str, expected: Any) -> None:
    """§7.3: date/date-time +/- duration; date - date -> days-time duration; duration * number;
    duration / duration -> number; mixing zoned and local values -> null."""
    assert feel(source) == expected


def test_duration_is_exact_time_across_a_dst_change() -> None:
    """A days-time duration added to a zoned date-time moves the instant (java.time semantics):
    01:30 + PT1H on the night Berlin springs forward is 03:30 local."""
    result = feel('@"2024-03-31T01:30:00@Europe/Berlin" + duration("PT1H")')
    assert result.astimezone(UTC) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2020-01-01") < date("2020-01-02")', True),
        ('@"2020-01-01T10:00:00Z" = @"2020-01-01T11:00:00+01:00"', True),
        ('@"2020-01-01T10:00:00Z" < @"2020-01-01T10:00:00"', None),
        ('duration("PT1H") > duration("PT59M")', True),
        ('duration("P1Y") > duration("P11M")', True),
        ('date("2020-01-01") = "2020-01-01"', None),
    ],
)
def test_temporal_comparison(source: str, expected: Any) -> None:
    """§7.2: `< <= > >=` compare dates, date-times and durations of the same kind."""
    assert feel(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2024-05-17").year', 2024),
        ('date("2024-05-17").month', 5),
        ('date("2024-05-17").day', 17),
        ('date("2024-05-17").weekday', 5),
        ('@"2024-05-17T10:11:12+02:00".hour', 10),
        ('@"2024-05-17T10:11:12+02:00".minute', 11),
        ('@"2024-05-17T10:11:12+02:00".second', 12),
        ('@"2024-05-17T10:11:12+02:00".time offset', DaysTimeDuration.of(hours=2)),
        ('@"2024-05-17T10:11:12@Europe/Berlin".timezone', "Europe/Berlin"),
        ('@"2024-05-17T10:11:12".time offset', None),
        ('duration("P1DT2H3M4S").days', 1),
        ('duration("P1DT2H3M4S").hours', 2),
        ('duration("P1DT2H3M4S").minutes', 3),
        ('duration("P1DT2H3M4S").seconds', 4),
        ('duration("P2Y3M").years', 2),
        ('duration("P2Y3M").months', 3),
    ],
)
def test_temporal_properties(source: str, expected: Any) -> None:
    """§7.3 Properties: `.year .month .day .weekday (1=Monday) .hour .minute .second .time offset
    .timezone`, durations `.days .hours .minutes .seconds .years .months`."""
    assert feel(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("now()", NOW),
        ("today()", date(2024, 5, 17)),
        ('(now() - @"1970-01-01T00:00Z") / @"PT1S" * 1000', 1715941800000),
        ("day of week(date(2019, 9, 17))", "Tuesday"),
        ("day of year(date(2019, 9, 17))", 260),
        ("week of year(date(2019, 9, 17))", 38),
        ("month of year(date(2019, 9, 17))", "September"),
        ('last day of month(date("2024-02-10"))', date(2024, 2, 29)),
        (
            'years and months duration(date("2011-12-22"), date("2013-08-24"))',
            YearsMonthsDuration(20),
        ),
        ('abs(duration("-PT5M"))', DaysTimeDuration.of(minutes=5)),
        (
            'date and time(date("2020-01-01"), time("10:00:00Z"))',
            datetime(2020, 1, 1, 10, tzinfo=UTC),
        ),
    ],
)
def test_temporal_functions(source: str, expected: Any) -> None:
    """§7.3 Temporal: `now()`/`today()` use the engine clock; the docs' Unix-ms example;
    day/week/month names and numbers; `last day of month`; `years and months duration`."""
    assert feel(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2017-03-10")', "2017-03-10"),
        ('time("10:15:30+01:00")', "10:15:30+01:00"),
        ('@"2017-03-10T10:15:30+01:00"', "2017-03-10T10:15:30+01:00"),
        ('@"2017-03-10T10:15:30Z"', "2017-03-10T10:15:30Z"),
        ('@"2017-03-10T10:15:30"', "2017-03-10T10:15:30"),
        ('@"2017-03-10T10:15:30@Europe/Paris"', "2017-03-10T10:15:30+01:00"),
        ('@"2017-03-10T10:15:00Z"', "2017-03-10T10:15:00Z"),
        ('@"2017-03-10T10:15:30.250Z"', "2017-03-10T10:15:30.25Z"),
        ('duration("P4D")', "P4D"),
        ('duration("PT36H")', "P1DT12H"),
        ('duration("PT0S")', "PT0S"),
        ('duration("PT1.5S")', "PT1.5S"),
        ('duration("P1Y6M")', "P1Y6M"),
        ('duration("P0Y")', "P0M"),
        ('duration("-P1Y")', "-P1Y"),
    ],
)
def test_temporal_json_form(source: str, expected: str) -> None:
    """Temporal values are stored as ISO-8601 strings; Zeebe writes date-times with
    ISO_OFFSET_DATE_TIME, so a zone id is stored as its offset (FeelToMessagePackTransformer)."""
    assert to_json_value(feel(source)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('string(@"2015-09-18T10:31:10@Europe/Paris")', "2015-09-18T10:31:10@Europe/Paris"),
        ('string(@"2015-09-18T10:31:10+02:00")', "2015-09-18T10:31:10+02:00"),
        ('string(time("10:00:00"))', "10:00:00"),
        ('string(duration("P1Y"))', "P1Y"),
    ],
)
def test_temporal_string_form(source: str, expected: str) -> None:
    """`string(x)` of temporal values uses FEEL's text form (zone ids as `@zone`)."""
    assert feel(source) == expected


def test_stored_date_time_text_parses_back() -> None:
    """A stored zoned date-time (`...+02:00[Europe/Berlin]`, java.time form) parses back."""
    stored = "2023-06-14T14:55:00+02:00[Europe/Berlin]"
    result = evaluate("date and time(value)", {"value": stored})
    assert result == datetime(2023, 6, 14, 14, 55, tzinfo=ZoneInfo("Europe/Berlin"))


def test_timer_values_convert_to_python_time_types() -> None:
    """§9.2: a timer expression may yield a duration; the engine converts it to a timedelta."""
    duration = feel('duration("PT1H30M")')
    assert duration.to_timedelta() == timedelta(hours=1, minutes=30)
    assert str(duration) == "PT1H30M"
