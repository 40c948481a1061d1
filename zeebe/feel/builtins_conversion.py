"""Conversion built-ins: string, number, date, time, date and time, durations, JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timezone
from decimal import Decimal
from typing import Any

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration, parse_duration
from zeebe.feel.runtime import Builtin, expect, register
from zeebe.feel.temporal import (
    months_between,
    parse_date,
    parse_date_time,
    parse_time,
    zone_named,
)
from zeebe.feel.values import normalize, number, to_json_value, to_string
from zeebe.feel.warnings import FunctionFailureError
from zeebe.feel.zones import region, time_of

CONVERSION_BUILTINS: dict[str, Builtin] = {}
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")

# FEEL-Scala: string(null) is null (inside lists and contexts a null still reads "null")
register(CONVERSION_BUILTINS, "string", params=("from",))(
    lambda value: None if value is None else to_string(value)
)


@register(CONVERSION_BUILTINS, "number", params=("from", "grouping separator", "decimal separator"))
def _number(text: Any, grouping: Any = None, decimal_sep: Any = None) -> Any:
    if number(text) is not None:
        return number(text)
    value = expect(text, str)
    if grouping is not None:
        if expect(grouping, str) not in (" ", ",", "."):
            return None
        value = value.replace(grouping, "")
    if decimal_sep is not None:
        if expect(decimal_sep, str) not in (",", ".") or decimal_sep == grouping:
            return None
        value = value.replace(decimal_sep, ".")
    if not _NUMBER_TEXT.fullmatch(value):  # FEEL-Scala names the text after the separators
        raise FunctionFailureError(f"Can't parse '{value}' as a number")
    return normalize(Decimal(value))


def _int(value: Any) -> int:
    n = number(value)
    if n is None or n != int(n):
        raise TypeError("expected an integer")
    return int(n)


@register(CONVERSION_BUILTINS, "date", params=("from",), alternatives=(("year", "month", "day"),))
def _date(value: Any, month: Any = None, day: Any = None) -> date | None:
    if month is not None or day is not None:
        return date(_int(value), _int(month), _int(day))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(expect(value, str))


@register(
    CONVERSION_BUILTINS,
    "time",
    params=("from",),
    alternatives=(("hour", "minute", "second"), ("hour", "minute", "second", "offset")),
)
def _time(value: Any, minute: Any = None, second: Any = None, offset: Any = None) -> time | None:
    if minute is not None:
        zone = None
        if offset is not None:
            zone = timezone(expect(offset, DaysTimeDuration).to_timedelta())
        whole = number(second) if second is not None else 0
        if whole is None:
            return None
        micros = int((Decimal(whole) % 1) * 1_000_000)
        return time(_int(value), _int(minute), int(whole), micros, tzinfo=zone)
    if isinstance(value, datetime):
        return time_of(value)
    if isinstance(value, time):
        return value
    if isinstance(value, date):  # FEEL-Scala: a date is midnight UTC
        return time(tzinfo=UTC)
    return parse_time(expect(value, str))


@register(
    CONVERSION_BUILTINS,
    "date and time",
    params=("from",),
    alternatives=(("date", "time"), ("date", "timezone")),
)
def _date_time(value: Any, second: Any = None) -> datetime | None:
    if second is None:
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime.combine(value, time())
        return parse_date_time(expect(value, str))
    if isinstance(second, str):
        zone = zone_named(second)
        moment = expect(value, datetime)
        if moment.tzinfo:
            return moment.astimezone(zone)  # type: ignore[no-any-return]
        return moment.replace(tzinfo=zone)  # type: ignore[no-any-return]
    day = value.date() if isinstance(value, datetime) else expect(value, date)
    clock = expect(second, time)
    return datetime.combine(day, clock).replace(tzinfo=region(clock.tzinfo))


@register(CONVERSION_BUILTINS, "duration", params=("from",))
def _duration(value: Any) -> DaysTimeDuration | YearsMonthsDuration | None:
    if isinstance(value, DaysTimeDuration | YearsMonthsDuration):
        return value
    return parse_duration(expect(value, str))


@register(CONVERSION_BUILTINS, "years and months duration", params=("from", "to"))
def _years_months(start: Any, end: Any) -> YearsMonthsDuration:
    expect(start, date, datetime)
    expect(end, date, datetime)
    start_date = start.date() if isinstance(start, datetime) else start
    end_date = end.date() if isinstance(end, datetime) else end
    return months_between(start_date, end_date)


def _from_json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return normalize(value)
    if isinstance(value, list):
        return [_from_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _from_json_value(item) for key, item in value.items()}
    return value


@register(CONVERSION_BUILTINS, "from json", params=("value",))
def _from_json(text: Any) -> Any:
    return _from_json_value(json.loads(expect(text, str), parse_float=Decimal))


@register(CONVERSION_BUILTINS, "to json", params=("value",))
def _to_json(value: Any) -> str:
    return json.dumps(to_json_value(value), separators=(",", ":"), ensure_ascii=False)
