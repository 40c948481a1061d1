"""Arithmetic, equality and ordering with FEEL semantics (type mismatch -> null)."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.runtime import check_size
from zeebe.feel.temporal import add_months, between_date_times
from zeebe.feel.values import DECIMAL, Range, from_double, kind, normalize, to_decimal

Binary = Callable[[Any, Any], Any]
_NUMBER_TYPES = (int, Decimal, float)


def _num(value: Any) -> int | Decimal:
    return to_decimal(value) if type(value) is float else value


def _divide(a: Any, b: Any) -> Any:
    b = _num(b)
    return None if b == 0 else normalize(DECIMAL.divide(to_decimal(a), b))


def _power(a: Any, b: Any) -> Any:
    a, b = _num(a), _num(b)
    if a == 0 and b < 0:
        return None
    if b != int(b):  # FEEL-Scala: BigDecimal.pow for whole exponents, else Math.pow on doubles
        try:
            return from_double(math.pow(float(a), float(b)))
        except (OverflowError, ValueError):
            return None
    return normalize(DECIMAL.power(to_decimal(a), int(b)))


def _multiply(a: Any, b: Any) -> Any:
    a, b = _num(a), _num(b)
    if type(a) is int and type(b) is int and abs(a) < 10**17 and abs(b) < 10**17:
        return a * b
    return normalize(DECIMAL.multiply(to_decimal(a), to_decimal(b)))


def _plus_minus(sign: int) -> Binary:
    def apply(a: Any, b: Any) -> Any:
        a, b = _num(a), _num(b)
        if type(a) is int and type(b) is int:
            return a + sign * b
        return normalize(DECIMAL.add(to_decimal(a), sign * to_decimal(b)))

    return apply


def _dt_shift(sign: int) -> Binary:
    """date/date-time/time +- days-time duration."""

    def apply(value: Any, duration: DaysTimeDuration) -> Any:
        delta = sign * duration.to_timedelta()
        if isinstance(value, time):
            moved = datetime.combine(date(2000, 1, 1), value) + delta
            return moved.timetz() if value.tzinfo else moved.time()
        if not isinstance(value, datetime):
            return value + timedelta(days=delta.days)
        if value.tzinfo is None:
            return value + delta
        # A duration is an exact amount of time: add it to the instant, not the wall clock.
        return (value.astimezone(UTC) + delta).astimezone(value.tzinfo)

    return apply


def _ym_shift(sign: int) -> Binary:
    def apply(value: Any, duration: YearsMonthsDuration) -> Any:
        return add_months(value, sign * duration.months)

    return apply


def _swap(fn: Binary) -> Binary:
    return lambda a, b: fn(b, a)


def _time_minus(a: time, b: time) -> DaysTimeDuration | None:
    if (a.tzinfo is None) != (b.tzinfo is None):
        return None
    day = date(2000, 1, 1)
    return between_date_times(datetime.combine(day, b), datetime.combine(day, a))


# Duration arithmetic as FEEL-Scala 1.19 does it on java.time values (FeelInterpreter mulOp,
# divOp): a factor counts by its integer part (`intValue`), durations divide as whole
# milliseconds or months with long division, so `@"PT90M" / @"PT1H"` is 1.


def _int_value(n: Any) -> int:
    """java.math.BigDecimal.intValue: the integer part, truncated toward zero."""
    return int(to_decimal(_num(n)))


def _long_div(a: int, b: int) -> int | None:
    """Java long division (truncates toward zero); null for a zero divisor."""
    if b == 0:
        return None
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b > 0) else -quotient


def _millis(a: DaysTimeDuration) -> int:
    """java.time.Duration.toMillis (floors sub-millisecond parts)."""
    return a.micros // 1000


def _scale_dt(a: DaysTimeDuration, n: Any) -> DaysTimeDuration:
    return DaysTimeDuration(a.micros * _int_value(n))


def _scale_ym(a: YearsMonthsDuration, n: Any) -> YearsMonthsDuration:
    return YearsMonthsDuration(a.months * _int_value(n))


def _divide_dt(a: DaysTimeDuration, n: Any) -> DaysTimeDuration | None:
    if _num(n) == 0:
        return None
    return DaysTimeDuration(int(DECIMAL.divide(_millis(a), to_decimal(_num(n)))) * 1000)


def _divide_ym(a: YearsMonthsDuration, n: Any) -> YearsMonthsDuration | None:
    if _num(n) == 0:
        return None
    return YearsMonthsDuration(int(DECIMAL.divide(a.months, to_decimal(_num(n)))))


_DT, _YM, _N = "days time duration", "years months duration", "number"
ARITHMETIC: dict[tuple[str, str, str], Binary] = {
    ("+", _N, _N): _plus_minus(1),
    ("-", _N, _N): _plus_minus(-1),
    ("*", _N, _N): _multiply,
    ("/", _N, _N): _divide,
    ("**", _N, _N): _power,
    ("+", "string", "string"): lambda a, b: check_size(a + b) if len(a) + len(b) > 1000 else a + b,
    ("-", "date time", "date time"): lambda a, b: between_date_times(b, a),
    ("-", "date", "date"): lambda a, b: DaysTimeDuration.of(days=(a - b).days),
    ("-", "time", "time"): _time_minus,
    ("+", _DT, _DT): lambda a, b: DaysTimeDuration(a.micros + b.micros),
    ("-", _DT, _DT): lambda a, b: DaysTimeDuration(a.micros - b.micros),
    ("+", _YM, _YM): lambda a, b: YearsMonthsDuration(a.months + b.months),
    ("-", _YM, _YM): lambda a, b: YearsMonthsDuration(a.months - b.months),
    ("*", _DT, _N): _scale_dt,
    ("*", _N, _DT): _swap(_scale_dt),
    ("*", _YM, _N): _scale_ym,
    ("*", _N, _YM): _swap(_scale_ym),
    ("/", _DT, _N): _divide_dt,
    ("/", _YM, _N): _divide_ym,
    ("/", _DT, _DT): lambda a, b: _long_div(_millis(a), _millis(b)),
    ("/", _YM, _YM): lambda a, b: _long_div(a.months, b.months),
}
for _temporal in ("date time", "date", "time"):
    ARITHMETIC["+", _temporal, _DT] = _dt_shift(1)
    ARITHMETIC["-", _temporal, _DT] = _dt_shift(-1)
    ARITHMETIC["+", _DT, _temporal] = _swap(_dt_shift(1))
for _temporal in ("date time", "date"):
    ARITHMETIC["+", _temporal, _YM] = _ym_shift(1)
    ARITHMETIC["-", _temporal, _YM] = _ym_shift(-1)
    ARITHMETIC["+", _YM, _temporal] = _swap(_ym_shift(1))


def arithmetic(op: str, a: Any, b: Any) -> Any:
    """`a op b` for + - * / **; null when the operand kinds do not support op."""
    fn = ARITHMETIC.get((op, kind(a), kind(b)))
    if fn is None:
        return None
    try:
        return fn(a, b)
    except (ArithmeticError, OverflowError, ValueError):
        return None


def negate(value: Any) -> Any:
    """Unary minus for numbers and durations."""
    if type(value) in _NUMBER_TYPES:
        return normalize(-to_decimal(value)) if type(value) is not int else -value
    if isinstance(value, DaysTimeDuration):
        return DaysTimeDuration(-value.micros)
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(-value.months)
    return None


def equal(a: Any, b: Any) -> bool | None:
    """FEEL `=`: null equals only null; different kinds -> null; lists/contexts deep."""
    if a is None or b is None:
        return a is None and b is None
    ka = kind(a)
    if ka != kind(b):
        return None
    same_kind = _EQUALITY.get(ka)
    return same_kind(a, b) if same_kind else bool(a == b)


def _zoned_equal(a: Any, b: Any) -> bool | None:
    """Zoned and local date-times/times are not comparable."""
    return None if (a.tzinfo is None) != (b.tzinfo is None) else bool(a == b)


_EQUALITY: dict[str, Binary] = {
    "number": lambda a, b: bool(_num(a) == _num(b)),
    "list": lambda a, b: (
        len(a) == len(b) and all(equal(x, y) is True for x, y in zip(a, b, strict=True))
    ),
    "context": lambda a, b: a.keys() == b.keys() and all(equal(a[k], b[k]) is True for k in a),
    "date time": _zoned_equal,
    "time": _zoned_equal,
}


_ORDERED = frozenset(
    {"number", "string", "date", "time", "date time", "days time duration", "years months duration"}
)
_ORDER: dict[str, Binary] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare(op: str, a: Any, b: Any) -> bool | None:
    """FEEL comparison `= != < <= > >=`; incomparable operands -> null."""
    if op == "=":
        return equal(a, b)
    if op == "!=":
        result = equal(a, b)
        return None if result is None else not result
    ka = kind(a)
    if ka != kind(b) or ka not in _ORDERED:
        return None
    try:
        return bool(_ORDER[op](_num(a) if ka == "number" else a, _num(b) if ka == "number" else b))
    except (TypeError, ArithmeticError):  # zoned vs local values; NaN
        return None


def in_range(value: Any, bounds: Range) -> bool | None:
    """Whether value lies inside the interval (null bound = unbounded)."""
    low = True
    if bounds.start is not None:
        low = compare(">=" if bounds.start_closed else ">", value, bounds.start)  # type: ignore[assignment]
    high = True
    if bounds.end is not None:
        high = compare("<=" if bounds.end_closed else "<", value, bounds.end)  # type: ignore[assignment]
    if low is None or high is None:
        return None
    return low and high
