"""Range built-ins (`before`, `after`, `meets`, ..., `coincides`) of FEEL-Scala, which follow the
DMN 1.3 table of range functions (10.3.4.7): each compares points (any ordered value) and ranges
(`[1..10]`, `(a..b]`) by their bounds and whether the bounds are included.

An argument pair a function does not define (e.g. `meets` of two points), incomparable values or
an unbounded range make the call evaluate to null, as other bad arguments do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.feel.operators import compare
from zeebe.feel.runtime import Builtin, register
from zeebe.feel.values import Range, kind

RANGE_BUILTINS: dict[str, Builtin] = {}

Case = Callable[[Any, Any], bool]


def _cmp(op: str, a: Any, b: Any) -> bool:
    """A comparison that must be decidable: null (incomparable or unbounded) fails the call."""
    result = compare(op, a, b)
    if result is None:
        raise TypeError(f"cannot compare {a!r} and {b!r}")
    return result


def _lt(a: Any, b: Any) -> bool:
    return _cmp("<", a, b)


def _eq(a: Any, b: Any) -> bool:
    return _cmp("=", a, b)


def _before_rr(r1: Range, r2: Range) -> bool:
    return _lt(r1.end, r2.start) or (
        _eq(r1.end, r2.start) and not (r1.end_closed and r2.start_closed)
    )


def _includes_rp(r: Range, p: Any) -> bool:
    return (
        (_lt(r.start, p) and _lt(p, r.end))
        or (_eq(r.start, p) and r.start_closed)
        or (_eq(r.end, p) and r.end_closed)
    )


def _includes_rr(r1: Range, r2: Range) -> bool:
    starts_first = _lt(r1.start, r2.start) or (
        _eq(r1.start, r2.start) and (r1.start_closed or not r2.start_closed)
    )
    ends_last = _lt(r2.end, r1.end) or (
        _eq(r1.end, r2.end) and (r1.end_closed or not r2.end_closed)
    )
    return starts_first and ends_last


def _overlaps_rr(r1: Range, r2: Range) -> bool:
    right = _lt(r2.start, r1.end) or (_eq(r1.end, r2.start) and r1.end_closed and r2.start_closed)
    left = _lt(r1.start, r2.end) or (_eq(r1.start, r2.end) and r1.start_closed and r2.end_closed)
    return right and left


def _overlaps_before_rr(r1: Range, r2: Range) -> bool:
    starts_first = _lt(r1.start, r2.start) or (
        _eq(r1.start, r2.start) and r1.start_closed and not r2.start_closed
    )
    reaches = _lt(r2.start, r1.end) or (_eq(r1.end, r2.start) and r1.end_closed and r2.start_closed)
    ends_first = _lt(r1.end, r2.end) or (
        _eq(r1.end, r2.end) and (not r1.end_closed or r2.end_closed)
    )
    return starts_first and reaches and ends_first


def _finishes_rr(r1: Range, r2: Range) -> bool:
    same_end = r1.end_closed == r2.end_closed and _eq(r1.end, r2.end)
    return same_end and (
        _lt(r2.start, r1.start)
        or (_eq(r1.start, r2.start) and (not r1.start_closed or r2.start_closed))
    )


def _starts_rr(r1: Range, r2: Range) -> bool:
    same_start = r1.start_closed == r2.start_closed and _eq(r1.start, r2.start)
    return same_start and (
        _lt(r1.end, r2.end) or (_eq(r1.end, r2.end) and (not r1.end_closed or r2.end_closed))
    )


def _coincides_rr(r1: Range, r2: Range) -> bool:
    return (
        r1.start_closed == r2.start_closed
        and r1.end_closed == r2.end_closed
        and _eq(r1.start, r2.start)
        and _eq(r1.end, r2.end)
    )


def _swap(case: Case) -> Case:
    return lambda a, b: case(b, a)


# (is the first argument a range, is the second a range) -> the rule for that signature
CASES: dict[str, dict[tuple[bool, bool], Case]] = {
    "before": {
        (False, False): _lt,
        (False, True): lambda p, r: _lt(p, r.start) or (_eq(p, r.start) and not r.start_closed),
        (True, False): lambda r, p: _lt(r.end, p) or (_eq(r.end, p) and not r.end_closed),
        (True, True): _before_rr,
    },
    "meets": {
        (True, True): lambda r1, r2: r1.end_closed and r2.start_closed and _eq(r1.end, r2.start)
    },
    "overlaps": {(True, True): _overlaps_rr},
    "overlaps before": {(True, True): _overlaps_before_rr},
    "finishes": {
        (False, True): lambda p, r: r.end_closed and _eq(r.end, p),
        (True, True): _finishes_rr,
    },
    "includes": {(True, False): _includes_rp, (True, True): _includes_rr},
    "starts": {
        (False, True): lambda p, r: r.start_closed and _eq(r.start, p),
        (True, True): _starts_rr,
    },
    "coincides": {(False, False): _eq, (True, True): _coincides_rr},
}
# the mirrored functions are their partners with the arguments swapped
MIRRORS = {
    "after": "before",
    "met by": "meets",
    "overlaps after": "overlaps before",
    "finished by": "finishes",
    "during": "includes",
    "started by": "starts",
}
for _name, _partner in MIRRORS.items():
    CASES[_name] = {(b, a): _swap(case) for (a, b), case in CASES[_partner].items()}


_POINT_KINDS = frozenset(
    {"number", "date", "time", "date time", "days time duration", "years months duration"}
)


def _point_class(value: Any) -> tuple[str, bool] | None:
    """FEEL-Scala's isPointValue plus the value class (a local and a zoned time differ)."""
    point = value.start if isinstance(value, Range) else value
    name = kind(point)
    if name not in _POINT_KINDS:
        return None
    return name, getattr(point, "tzinfo", None) is not None


def _range_function(cases: dict[tuple[bool, bool], Case]) -> Callable[[Any, Any], bool]:
    def call(a: Any, b: Any) -> bool:
        case = cases.get((isinstance(a, Range), isinstance(b, Range)))
        point_class = _point_class(a)
        if point_class is None or point_class != _point_class(b):
            raise TypeError("the arguments are not comparable points or ranges")
        if case is None:
            raise TypeError("no such signature")
        return case(a, b)

    return call


# FEEL-Scala names the parameters after the signature: `before(point1, point2)`,
# `before(range, point)`, ...; each pair binds positionally in its own order.
_NAMES = {(False, False): ("point1", "point2"), (True, True): ("range1", "range2")}
_NAMES |= {(False, True): ("point", "range"), (True, False): ("range", "point")}
for _name, _cases in CASES.items():
    _signatures = tuple(_NAMES[shape] for shape in _cases)
    register(RANGE_BUILTINS, _name, params=_signatures[0], alternatives=_signatures[1:])(
        _range_function(_cases)
    )
