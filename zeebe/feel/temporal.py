"""Parsing of FEEL temporal text (`date`, `time`, `date and time`, `@"..."`); calendar helpers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration, parse_duration
from zeebe.feel.zones import standard_time_zone

_DATE = r"(?P<year>-?\d{4,9})-(?P<month>\d{2})-(?P<day>\d{2})"
_TIME = (
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?(?:@(?P<zone>[A-Za-z_][\w/+-]*)|\[(?P<bracket>[\w/+-]+)\])?"
)
_DATE_RE = re.compile(_DATE)
_TIME_RE = re.compile(_TIME)
_DATE_TIME_RE = re.compile(_DATE + "T" + _TIME)


def _zone(offset: str | None, zone: str | None) -> tzinfo | bool | None:
    """The tzinfo named by an offset and/or zone id; False when the zone id is unknown."""
    if zone:
        try:
            return ZoneInfo(zone)
        except (ValueError, KeyError, OSError):
            return False
    if offset is None:
        return None
    if offset == "Z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 18 or minutes > 59:
        return False
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def zone_named(name: str) -> tzinfo:
    """Java's ZoneId.of: `Z`, an offset `+hh:mm` or a region id; ValueError if unknown."""
    offset = re.fullmatch(r"Z|[+-]\d{2}:?\d{2}", name)
    zone = _zone(name, None) if offset else _zone(None, name)
    if not isinstance(zone, tzinfo):
        raise ValueError(f"unknown zone {name!r}")
    return zone


def _time_parts(groups: dict[str, Any]) -> tuple[int, int, int, int, tzinfo | None] | None:
    zone = _zone(groups["offset"], groups["zone"] or groups["bracket"])
    if zone is False:
        return None
    micros = int((groups["fraction"] or "0").ljust(6, "0")[:6])
    second = int(groups["second"] or 0)
    return int(groups["hour"]), int(groups["minute"]), second, micros, zone  # type: ignore[return-value]


def parse_date(text: str) -> date | None:
    """`YYYY-MM-DD` -> date, else None."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """`[T]HH:MM[:SS[.f]][Z|+hh:mm|@zone]` -> time, else None."""
    match = _TIME_RE.fullmatch(text.removeprefix("T"))
    parts = _time_parts(match.groupdict()) if match else None
    if parts is None:
        return None
    hour, minute, second, micros, zone = parts
    if isinstance(zone, ZoneInfo):
        zone = standard_time_zone(zone)
    try:
        return time(hour, minute, second, micros, tzinfo=zone)
    except ValueError:
        return None


def parse_date_time(text: str) -> datetime | None:
    """`date T time` -> datetime (local, offset or zone id); a bare date means midnight."""
    match = _DATE_TIME_RE.fullmatch(text)
    if match is None:
        only_date = parse_date(text)
        return datetime.combine(only_date, time()) if only_date else None
    parts = _time_parts(match.groupdict())
    if parts is None:
        return None
    hour, minute, second, micros, zone = parts
    try:
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=zone)
    except ValueError:
        return None


def parse_temporal_literal(text: str) -> Any:
    """The value of an `@"..."` literal: duration, date-time, date or time by its shape."""
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    if "T" in text:
        return parse_date_time(text)
    if _DATE_RE.fullmatch(text):
        return parse_date(text)
    return parse_time(text)


def add_months(value: date, months: int) -> date:
    """Calendar month arithmetic, clamping to the month end like java.time plusMonths."""
    return value + relativedelta(months=months)


def months_between(start: date, end: date) -> YearsMonthsDuration:
    """Whole months from start to end (FEEL `years and months duration`)."""
    delta = relativedelta(end, start)
    return YearsMonthsDuration(delta.years * 12 + delta.months)


def between_date_times(start: datetime, end: datetime) -> DaysTimeDuration | None:
    """end - start as a days-time duration; null when zoned and local values are mixed."""
    if (start.tzinfo is None) != (end.tzinfo is None):
        return None
    if start.tzinfo is not None:  # instants, not wall clocks (same-zone subtraction ignores DST)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
    return DaysTimeDuration.from_timedelta(end - start)
