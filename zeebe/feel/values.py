"""FEEL runtime values: kinds, numbers, ranges, functions and their JSON/string forms."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.zones import TimeZoneId

# FEEL-Scala computes with java.math.MathContext.DECIMAL128.
DECIMAL = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[])


@dataclass(frozen=True)
class Range:
    """An interval value such as `[1..10)`; bounds may be null (unbounded)."""

    start: Any
    end: Any
    start_closed: bool
    end_closed: bool


@dataclass(frozen=True)
class FeelFunction:
    """A callable FEEL value: a user-defined `function(...)` or a built-in used as a value."""

    name: str
    params: tuple[str, ...] | None
    invoke: Callable[[Sequence[Any]], Any]


_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    Decimal: "number",
    str: "string",
    list: "list",
    dict: "context",
    date: "date",
    time: "time",
    datetime: "date time",
    DaysTimeDuration: "days time duration",
    YearsMonthsDuration: "years months duration",
    Range: "range",
    FeelFunction: "function",
}

_TYPE_NAMES = {
    "null": "NULL",
    "boolean": "BOOLEAN",
    "number": "NUMBER",
    "string": "STRING",
    "list": "LIST",
    "context": "CONTEXT",
    "date": "DATE",
    "time": "TIME",
    "date time": "DATE_TIME",
    "days time duration": "DAYS_TIME_DURATION",
    "years months duration": "YEARS_MONTHS_DURATION",
    "range": "RANGE",
    "function": "FUNCTION",
    "unknown": "UNKNOWN",
}


def kind(value: Any) -> str:
    """The FEEL kind of a Python value (`number`, `string`, `date time`, ...)."""
    found = _KINDS.get(type(value))
    if found is not None:
        return found
    for cls, name in _KINDS.items():
        if isinstance(value, cls):
            return name
    return "unknown"


def feel_type_name(value: Any) -> str:
    """Zeebe's type name for incident messages, e.g. 'NUMBER', 'DATE_TIME'."""
    return _TYPE_NAMES[kind(value)]


def is_number(value: Any) -> bool:
    """True for FEEL numbers (booleans are not numbers)."""
    return type(value) in (int, Decimal, float)


def to_decimal(value: int | float | Decimal) -> Decimal:
    """Exact decimal view of a number; floats go through their shortest repr (0.1 -> 0.1)."""
    if type(value) is float:
        return Decimal(repr(value))
    return Decimal(value)


def normalize(value: Decimal) -> int | Decimal | None:
    """Integral decimals become int; NaN and infinities become null (FEEL has neither)."""
    if not value.is_finite():
        return None
    if value == value.to_integral_value() and value.adjusted() < 64:
        return int(value)
    return value


def from_double(value: float) -> int | Decimal | None:
    """A java double result (Math.log, Math.pow, ...) as FEEL-Scala keeps it: its shortest
    decimal text (`BigDecimal(double)` uses Double.toString), so `log(10)` is 2.302585092994046."""
    return normalize(Decimal(repr(value))) if math.isfinite(value) else None


def number(value: Any) -> int | Decimal | None:
    """A FEEL number argument as int/Decimal, or None if it is not a number."""
    if type(value) is int or type(value) is Decimal:
        return value
    if type(value) is float:
        return normalize(to_decimal(value)) if math.isfinite(value) else None
    return None


def finite(value: Any) -> Any:
    """Variables may hold NaN/infinite floats; FEEL has no such numbers, so they read as null."""
    if type(value) is float and not math.isfinite(value):
        return None
    return value


def to_json_value(value: Any) -> Any:
    """FEEL value -> JSON-compatible Python value, as Zeebe stores variables."""
    converter = _JSON.get(kind(value))
    return converter(value) if converter else value


_INT64 = 2**63


def _json_number(value: int | float | Decimal) -> int | float | None:
    """Whole numbers within int64 as int (Zeebe writes a long), others as a finite float."""
    if type(value) is int and -_INT64 <= value < _INT64:
        return value
    if type(value) is float and not math.isfinite(value):
        return None
    exact = to_decimal(value)
    if not exact.is_finite():
        return None
    if exact == exact.to_integral_value() and -_INT64 <= exact < _INT64:
        return int(exact)
    as_float = float(exact)
    return as_float if math.isfinite(as_float) else None


def _offset_text(offset: timedelta | None) -> str:
    if offset is None:
        return ""
    if not offset:
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _clock(value: time | datetime) -> str:
    """`HH:MM:SS` plus the fraction without trailing zeros (java.time ISO_LOCAL_TIME)."""
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return f"{text}.{value.microsecond:06d}".rstrip("0") if value.microsecond else text


def format_time(value: time) -> str:
    """ISO time with seconds always shown (`10:15:30`, `10:15:30+01:00`)."""
    text = _clock(value)
    if value.tzinfo is None:
        return text
    if isinstance(value.tzinfo, ZoneInfo | TimeZoneId):
        return f"{text}@{value.tzinfo.key}"
    return text + _offset_text(value.utcoffset())


def format_date_time(value: datetime) -> str:
    """FEEL text of a date-time: a zone id shows as `@Europe/Paris`, else the offset or `Z`."""
    text = f"{value.date().isoformat()}T{_clock(value)}"
    if value.tzinfo is None:
        return text
    if isinstance(value.tzinfo, ZoneInfo):
        return f"{text}@{value.tzinfo.key}"
    return text + _offset_text(value.utcoffset())


def json_date_time(value: datetime) -> str:
    """How Zeebe stores a date-time variable: ISO_OFFSET_DATE_TIME (the zone id is dropped)."""
    text = f"{value.date().isoformat()}T{_clock(value)}"
    return text + _offset_text(value.utcoffset()) if value.tzinfo is not None else text


def format_number(value: int | float | Decimal) -> str:
    """FEEL-Scala's plain number text: `1`, `1.5`, `0.001` (no exponent, no trailing zeros)."""
    if type(value) is int:
        return str(value)
    exact = to_decimal(value)
    try:
        exact = exact.normalize(DECIMAL)
    except InvalidOperation:
        return str(value)
    text = format(exact, "f")
    return "0" if text in ("-0", "0") else text


def to_string(value: Any) -> str:
    """FEEL `string(x)`: text of any value; null -> "null"."""
    converter = _STRING.get(kind(value))
    return converter(value) if converter else str(value)


def _nested(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else to_string(value)


def _range_text(value: Range) -> str:
    left = "[" if value.start_closed else "("
    right = "]" if value.end_closed else ")"
    return f"{left}{_nested(value.start)}..{_nested(value.end)}{right}"


_STRING: dict[str, Callable[[Any], str]] = {
    "null": lambda v: "null",
    "boolean": lambda v: "true" if v else "false",
    "number": lambda v: format_number(v) if number(v) is not None else "null",
    "string": str,
    "list": lambda v: "[" + ", ".join(_nested(item) for item in v) + "]",
    "context": lambda v: "{" + ", ".join(f"{k}:{_nested(i)}" for k, i in v.items()) + "}",
    "date": lambda v: v.isoformat(),
    "time": format_time,
    "date time": format_date_time,
    "range": _range_text,
    # FEEL-Scala writes zero-length durations as P0D / P0Y (java.time: PT0S / P0D)
    "days time duration": lambda v: str(v) if v.micros else "P0D",
    "years months duration": lambda v: str(v) if v.months else "P0Y",
    "function": lambda v: f"function({', '.join(v.params or ())})",
}


_JSON: dict[str, Callable[[Any], Any]] = {
    "number": _json_number,
    "list": lambda v: [to_json_value(item) for item in v],
    "context": lambda v: {str(k): to_json_value(item) for k, item in v.items()},
    "date": lambda v: v.isoformat(),
    "time": format_time,
    "date time": json_date_time,
    "days time duration": str,
    "years months duration": str,
    "range": _range_text,
    "function": lambda v: None,
    "unknown": str,
}
