"""Functions Zeebe adds to FEEL-Scala's built-ins: `cycle(...)` for timer cycles.

Zeebe registers them through its own FEEL function provider (camunda/camunda, the feel
integration module): `cycle(interval)` and `cycle(repetitions, interval)` give ISO 8601
repeating intervals as text (`R/PT1H`, `R5/P1M`), written as java.time prints the duration.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.runtime import Builtin, register
from zeebe.feel.warnings import FunctionFailureError, describe

CAMUNDA_BUILTINS: dict[str, Builtin] = {}

_INT32 = 2**32


def _trunc_div(a: int, b: int) -> int:
    """Java's long division (rounds toward zero)."""
    quotient = abs(a) // b
    return quotient if a >= 0 else -quotient


def java_duration_text(duration: DaysTimeDuration) -> str:
    """java.time.Duration#toString: hours, minutes, seconds only (`P1D` is `PT24H`)."""
    if duration.micros == 0:
        return "PT0S"
    seconds, micros = divmod(duration.micros, 1_000_000)  # seconds floor, micros >= 0 (as Java)
    total = seconds + 1 if seconds < 0 and micros else seconds
    hours = _trunc_div(total, 3600)
    minutes = _trunc_div(total - hours * 3600, 60)
    secs = total - hours * 3600 - minutes * 60
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs == 0 and micros == 0 and len(text) > 2:
        return text
    text += "-0" if seconds < 0 and micros and secs == 0 else str(secs)
    if micros:
        fraction = 1_000_000 - micros if seconds < 0 else micros
        text += f".{fraction:06d}".rstrip("0")
    return text + "S"


def java_period_text(duration: YearsMonthsDuration) -> str:
    """java.time.Period#toString of a normalized period (`P1Y2M`, `P-1Y-2M`, zero is `P0D`)."""
    if duration.months == 0:
        return "P0D"
    years = _trunc_div(duration.months, 12)
    months = duration.months - years * 12
    return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


_INTERVAL_TEXT: dict[type, Callable[[Any], str]] = {
    DaysTimeDuration: java_duration_text,
    YearsMonthsDuration: java_period_text,
}


def _to_int(number: Any) -> int:
    """BigDecimal#toInt: the integer part, wrapped to 32 bits."""
    whole = int(Decimal(number))
    return (whole + 2**31) % _INT32 - 2**31


@register(
    CAMUNDA_BUILTINS, "cycle", params=("repetitions", "interval"), alternatives=(("interval",),)
)
def _cycle(*args: Any) -> str:
    """`cycle(interval)` repeats forever (`R/<interval>`), `cycle(n, interval)` n times;
    a null count is forever too. Other arguments fail with Zeebe's message (-> null)."""
    if len(args) == 1:
        text = _INTERVAL_TEXT.get(type(args[0]))
        if text is None:
            message = "cycle function expected an interval (duration) parameter, but found"
            raise FunctionFailureError(f"{message} '{describe(args[0])}'")
        return f"R/{text(args[0])}"
    repetitions, interval = args
    text = _INTERVAL_TEXT.get(type(interval))
    count = type(repetitions) in (int, Decimal)
    if text is None or not (count or repetitions is None):
        message = (
            "cycle function expected a repetitions (number) and an interval (duration) "
            f"parameter, but found '{describe(repetitions)}' and '{describe(interval)}'"
        )
        raise FunctionFailureError(message)
    return f"R{_to_int(repetitions)}/{text(interval)}" if count else f"R/{text(interval)}"
