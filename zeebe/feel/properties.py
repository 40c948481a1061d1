"""Path access `value.key`: context entries, projection over lists, temporal properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from zeebe.feel.durations import DaysTimeDuration
from zeebe.feel.values import kind
from zeebe.feel.zones import time_of, zone_id

Getter = Callable[[Any], Any]


def _offset(value: datetime | time) -> DaysTimeDuration | None:
    offset = value.utcoffset()
    return None if offset is None else DaysTimeDuration.from_timedelta(offset)


def _timezone(value: datetime | time) -> str | None:
    # FEEL-Scala: the zone id, or null for a local value or one with only an offset
    return zone_id(value)


_DATE: dict[str, Getter] = {
    "year": lambda v: v.year,
    "month": lambda v: v.month,
    "day": lambda v: v.day,
    "weekday": lambda v: v.isoweekday(),
}
_TIME: dict[str, Getter] = {
    "hour": lambda v: v.hour,
    "minute": lambda v: v.minute,
    "second": lambda v: v.second,
    "time offset": _offset,
    "timezone": _timezone,
}


def _component(unit: str) -> Getter:
    return lambda value: value.component(unit)


_DURATION: dict[str, Getter] = {
    unit: _component(unit) for unit in ("days", "hours", "minutes", "seconds", "years", "months")
}
_RANGE: dict[str, Getter] = {
    "start": lambda v: v.start,
    "end": lambda v: v.end,
    "start included": lambda v: v.start_closed,
    "end included": lambda v: v.end_closed,
}
PROPERTIES: dict[str, dict[str, Getter]] = {
    "date": _DATE,
    "date time": {**_DATE, **_TIME, "date": lambda v: v.date(), "time": time_of},
    "time": _TIME,
    "days time duration": {k: _DURATION[k] for k in ("days", "hours", "minutes", "seconds")},
    "years months duration": {k: _DURATION[k] for k in ("years", "months")},
    "range": _RANGE,
}


def get_path(value: Any, key: str) -> Any:
    """`value.key`; lists project the key over their items; anything else -> null."""
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list):
        return [get_path(item, key) for item in value]
    getter = PROPERTIES.get(kind(value), {}).get(key)
    return getter(value) if getter else None
