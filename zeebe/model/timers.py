"""Timer values (spec 9.2): ISO 8601 durations, dates and repeating cycles, and cron cycles.

Pure functions the validator uses on static values and the engine uses on evaluated ones:
`parse_duration`, `parse_date`, `parse_cycle` (or `parse_timer` by kind) return frozen values;
`first_fire` and `next_fire` turn them into due dates (epoch milliseconds in, out). Calendar
fields (years, months) are added in UTC and clamp to the month's last day, as java.time does.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zeebe.model.cron import CronFormatError, CronSchedule, next_cron_fire, parse_cron
from zeebe.model.elements import TimerKind

INFINITE = -1
"""`Cycle.repetitions` of `R/...` and of cron cycles: repeat until cancelled."""

_DURATION = re.compile(
    r"^(?P<sign>[-+])?P(?:(?P<y>-?\d+)Y)?(?:(?P<mo>-?\d+)M)?(?:(?P<w>-?\d+)W)?(?:(?P<d>-?\d+)D)?"
    r"(?:T(?:(?P<h>-?\d+)H)?(?:(?P<mi>-?\d+)M)?(?:(?P<s>-?\d+(?:[.,]\d{1,9})?)S)?)?$",
    re.IGNORECASE,
)


class TimerFormatError(ValueError):
    """A timer value that is not a valid date, duration or cycle."""


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration: calendar part (years, months, days) plus an exact part in ms."""

    years: int = 0
    months: int = 0
    days: int = 0
    millis: int = 0

    def add_to(self, epoch_ms: int) -> int:
        """`epoch_ms` plus this duration (calendar fields in UTC)."""
        moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
        total_months = moment.month - 1 + self.months + 12 * self.years
        year, month = moment.year + total_months // 12, total_months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        shifted = moment.replace(year=year, month=month, day=day) + timedelta(days=self.days)
        return round(shifted.timestamp() * 1000) + self.millis


@dataclass(frozen=True, slots=True)
class TimerDate:
    """A point in time, as epoch milliseconds."""

    epoch_ms: int


@dataclass(frozen=True, slots=True)
class Cycle:
    """A repeating timer: ISO `R[n]/[start/]interval` or a cron schedule.

    `repetitions` is how often it fires in total (`INFINITE` for `R/...` and cron).
    """

    repetitions: int
    interval: Duration | None = None
    start_ms: int | None = None
    cron: CronSchedule | None = None


TimerValue = Duration | TimerDate | Cycle


def _seconds_to_ms(text: str | None) -> int:
    if not text:
        return 0
    whole, _, fraction = text.replace(",", ".").partition(".")
    sign = -1 if whole.startswith("-") else 1
    return int(whole) * 1000 + sign * int((fraction + "000")[:3])


def parse_duration(text: str) -> Duration:
    """Parse `PnYnMnWnDTnHnMnS` (e.g. `PT15S`, `P14DT1H30M`); raise `TimerFormatError`."""
    match = _DURATION.match(text.strip())
    parts = match.groupdict() if match else {}
    empty = all(v is None for k, v in parts.items() if k != "sign")
    if match is None or empty or text.strip().upper().endswith("T"):
        raise TimerFormatError(f"Invalid duration format '{text}' for expression '{text}'")
    number = {k: int(v) for k, v in parts.items() if v is not None and k not in ("sign", "s")}
    sign = -1 if parts["sign"] == "-" else 1
    millis = (
        number.get("h", 0) * 3_600_000 + number.get("mi", 0) * 60_000 + _seconds_to_ms(parts["s"])
    )
    return Duration(
        years=sign * number.get("y", 0),
        months=sign * number.get("mo", 0),
        days=sign * (number.get("d", 0) + 7 * number.get("w", 0)),
        millis=sign * millis,
    )


def parse_date(text: str) -> TimerDate:
    """Parse an ISO 8601 date-time; `Z`, an offset or `[Zone/Id]` give the zone, else UTC."""
    raw = text.strip()
    zone_id = None
    if raw.endswith("]") and "[" in raw:
        raw, _, zone_id = raw[:-1].partition("[")
    invalid = f"Invalid date-time format '{text}' for expression '{text}'"
    if "T" not in raw.upper():
        raise TimerFormatError(invalid)
    try:
        moment = datetime.fromisoformat(raw)
        zone = ZoneInfo(zone_id) if zone_id else UTC
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise TimerFormatError(invalid) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return TimerDate(round(moment.timestamp() * 1000))


def _parse_repeating(text: str) -> Cycle:
    # as Zeebe's RepeatingInterval/Interval.parse: repetitions end at the first '/', the interval
    # starts after the last one, so a start like `...+01:00[Europe/Berlin]` keeps its zone id
    head, _, rest = text.strip().partition("/")
    start_text, has_start, interval = rest.rpartition("/")
    head = head.upper()
    if not head.startswith("R") or "/" in start_text.partition("[")[0]:
        raise TimerFormatError(f"Invalid cycle format '{text}'")
    count = head[1:]
    if count and not count.isdigit():
        raise TimerFormatError(f"Invalid repetition count in cycle '{text}'")
    repetitions = int(count) if count else INFINITE
    start = parse_date(start_text).epoch_ms if has_start else None
    return Cycle(repetitions=repetitions, interval=parse_duration(interval), start_ms=start)


def parse_cycle(text: str) -> Cycle:
    """Parse `R5/PT10S`, `R/P1D`, `R3/<start>/P1D` or a Spring cron expression."""
    if text.strip().upper().startswith("R") and "/" in text:
        return _parse_repeating(text)
    fields = text.split()
    try:
        return Cycle(repetitions=INFINITE, cron=parse_cron(text))
    except CronFormatError as exc:
        # Zeebe falls back to cron only for text that looks like one; otherwise it reports the
        # ISO repetition error.
        looks_like_cron = len(fields) == 6 or text.strip().startswith("@")
        reason = str(exc) if looks_like_cron else "Repetition spec must start with R"
        raise TimerFormatError(reason) from exc


_PARSERS: dict[TimerKind, Callable[[str], TimerValue]] = {
    TimerKind.DURATION: parse_duration,
    TimerKind.DATE: parse_date,
}


def parse_timer(kind: TimerKind, text: str) -> TimerValue:
    """Parse a static timer value of the given kind; raise `TimerFormatError` if invalid."""
    if kind == TimerKind.CYCLE:
        return parse_cycle(text)
    return _PARSERS[kind](text)


def _cycle_fire(cycle: Cycle, base_ms: int, *, first: bool) -> int:
    if cycle.cron is not None:
        return next_cron_fire(cycle.cron, base_ms)
    if first and cycle.start_ms is not None:
        return cycle.start_ms
    assert cycle.interval is not None  # a non-cron cycle always has an interval
    return cycle.interval.add_to(base_ms)


def first_fire(timer: TimerValue, now_ms: int) -> int:
    """When a timer scheduled at `now_ms` is first due (a past due date fires immediately)."""
    if isinstance(timer, TimerDate):
        return timer.epoch_ms
    if isinstance(timer, Duration):
        return timer.add_to(now_ms)
    return _cycle_fire(timer, now_ms, first=True)


def next_fire(cycle: Cycle, previous_due_ms: int) -> int:
    """The due date after `previous_due_ms` of a cycle; the engine counts `repetitions`."""
    return _cycle_fire(cycle, previous_due_ms, first=False)
