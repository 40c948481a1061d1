"""Numeric built-ins: rounding with explicit modes, modulo, roots and logarithms."""

from __future__ import annotations

import math
import random
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from typing import Any

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.runtime import Builtin, expect, register
from zeebe.feel.values import DECIMAL, from_double, normalize, number, to_decimal

NUMERIC_BUILTINS: dict[str, Builtin] = {}
_MAX_SCALE = 1000


def _dec(value: Any) -> Decimal:
    n = number(value)
    if n is None:
        raise TypeError("expected a number")
    return to_decimal(n)


def _scale(value: Any) -> int:
    n = number(value)
    if n is None or n != int(n) or abs(int(n)) > _MAX_SCALE:
        raise TypeError("expected an integer scale")
    return int(n)


def _rounder(rounding: str) -> Any:
    def apply(value: Any, scale: Any = 0) -> Any:
        exponent = Decimal(1).scaleb(-_scale(scale))
        return normalize(_dec(value).quantize(exponent, rounding=rounding, context=DECIMAL))

    return apply


# java.math.RoundingMode names, matched case-insensitively as FEEL-Scala does
_MODES = {
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
}


@register(NUMERIC_BUILTINS, "decimal", params=("n", "scale", "mode"))
def _decimal(value: Any, scale: Any, mode: Any = "HALF_EVEN") -> Any:
    name = expect(mode, str).upper()
    if name == "UNNECESSARY":  # no rounding allowed: null unless the value already fits
        exact = _dec(value)
        rounded = _rounder(ROUND_DOWN)(exact, scale)
        return rounded if rounded == exact else None
    return _rounder(_MODES[name])(value, scale)


# FEEL-Scala spells the scale parameter of floor and round half down `scala`
register(NUMERIC_BUILTINS, "floor", params=("n", "scale"), alternatives=(("n", "scala"),))(
    _rounder(ROUND_FLOOR)
)
register(NUMERIC_BUILTINS, "ceiling", params=("n", "scale"))(_rounder(ROUND_CEILING))
register(NUMERIC_BUILTINS, "round up", params=("n", "scale"))(_rounder(ROUND_UP))
register(NUMERIC_BUILTINS, "round down", params=("n", "scale"))(_rounder(ROUND_DOWN))
register(NUMERIC_BUILTINS, "round half up", params=("n", "scale"))(_rounder(ROUND_HALF_UP))
register(
    NUMERIC_BUILTINS, "round half down", params=("n", "scale"), alternatives=(("n", "scala"),)
)(_rounder(ROUND_HALF_DOWN))


@register(NUMERIC_BUILTINS, "abs", params=("n",), alternatives=(("number",),))
def _abs(value: Any) -> Any:
    if isinstance(value, DaysTimeDuration):
        return DaysTimeDuration(abs(value.micros))
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(abs(value.months))
    return normalize(abs(_dec(value)))


@register(NUMERIC_BUILTINS, "modulo", params=("dividend", "divisor"))
def _modulo(dividend: Any, divisor: Any) -> Any:
    a, b = _dec(dividend), _dec(divisor)
    if b == 0:
        return None
    # FEEL: the result has the sign of the divisor (floored modulo).
    quotient = DECIMAL.divide(a, b).to_integral_value(rounding=ROUND_FLOOR)
    return normalize(DECIMAL.subtract(a, DECIMAL.multiply(b, quotient)))


# FEEL-Scala computes sqrt, log and exp on doubles (Math.sqrt/log/exp)
@register(NUMERIC_BUILTINS, "sqrt", params=("number",))
def _sqrt(value: Any) -> Any:
    n = _dec(value)
    return None if n < 0 else from_double(math.sqrt(float(n)))


@register(NUMERIC_BUILTINS, "log", params=("number",))
def _log(value: Any) -> Any:
    n = _dec(value)
    return None if n <= 0 else from_double(math.log(float(n)))


@register(NUMERIC_BUILTINS, "exp", params=("number",))
def _exp(value: Any) -> Any:
    try:
        return from_double(math.exp(float(_dec(value))))
    except OverflowError:
        return None


# FEEL-Scala: `n.abs % 2 == 1` and `n % 2 == 0`, so a fraction is neither odd nor even
register(NUMERIC_BUILTINS, "odd", params=("number",))(lambda n: abs(_dec(n)) % 2 == 1)
register(NUMERIC_BUILTINS, "even", params=("number",))(lambda n: _dec(n) % 2 == 0)


@register(NUMERIC_BUILTINS, "random number")
def _random_number() -> Decimal:
    # FEEL-Scala: a random double in [0, 1) as a number; the engine records the result it
    # writes (variables, job values), so replay does not evaluate it again
    return Decimal(repr(random.random()))
