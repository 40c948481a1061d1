"""Temporal built-ins: now, today, day/week/month names and numbers, last day of month."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from zeebe.feel.runtime import Builtin, State, expect, register

TEMPORAL_BUILTINS: dict[str, Builtin] = {}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = tuple(calendar.month_name)[1:]


def _day(value: Any) -> date:
    expect(value, date, datetime)
    return value.date() if isinstance(value, datetime) else value


register(TEMPORAL_BUILTINS, "now", needs_state=True)(lambda state: state.now)


@register(TEMPORAL_BUILTINS, "today", needs_state=True)
def _today(state: State) -> date:
    return state.now.date()


register(TEMPORAL_BUILTINS, "day of week", params=("date",))(
    lambda value: _DAYS[_day(value).weekday()]
)
register(TEMPORAL_BUILTINS, "day of year", params=("date",))(
    lambda value: _day(value).timetuple().tm_yday
)
register(TEMPORAL_BUILTINS, "week of year", params=("date",))(
    lambda value: _day(value).isocalendar()[1]
)
register(TEMPORAL_BUILTINS, "month of year", params=("date",))(
    lambda value: _MONTHS[_day(value).month - 1]
)


@register(TEMPORAL_BUILTINS, "last day of month", params=("date",))
def _last_day_of_month(value: Any) -> date:
    day = _day(value)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
