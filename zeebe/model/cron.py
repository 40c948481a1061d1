"""Cron schedules for timer cycles, in Spring 5.3 syntax as Zeebe accepts them (spec 9.2).

Six fields: second minute hour day-of-month month day-of-week, with `*`, `?`, lists, ranges,
steps and English names (`MON-FRI`, `JAN`), plus the `@hourly`-style macros. All fields must
match (Spring ANDs day-of-month and day-of-week). Times are evaluated in UTC. The Quartz-style
`L`, `W` and `#` modifiers are not supported and rejected at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MACROS = {
    "@yearly": "0 0 0 1 1 *",
    "@annually": "0 0 0 1 1 *",
    "@monthly": "0 0 0 1 * *",
    "@weekly": "0 0 0 * * 0",
    "@daily": "0 0 0 * * *",
    "@midnight": "0 0 0 * * *",
    "@hourly": "0 0 * * * *",
}

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

# (low, high, names) per field, in expression order.
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    (0, 7, {name: i for i, name in enumerate(_DAYS)}),
)

_MAX_STEPS = 200_000
"""Upper bound on search steps: about five years of day steps plus intra-day steps."""


class CronFormatError(ValueError):
    """The text is not a cron expression this engine accepts."""


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """The allowed values of each cron field (day-of-week: 0 = Sunday, 7 folded into 0)."""

    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int]
    months: frozenset[int]
    days_of_week: frozenset[int]


def _value(token: str, names: dict[str, int], text: str) -> int:
    upper = token.upper()
    if upper in names:
        return names[upper]
    if not token.isdigit():
        raise CronFormatError(f"Invalid cron expression '{text}': unknown value '{token}'")
    return int(token)


def _range_of(part: str, low: int, high: int, names: dict[str, int], text: str) -> range:
    base, _, step_text = part.partition("/")
    step = _value(step_text, {}, text) if step_text else 1
    if base in ("*", "?"):
        start, end = low, high
    elif "-" in base:
        first, last = base.split("-", 1)
        start, end = _value(first, names, text), _value(last, names, text)
    else:
        start = _value(base, names, text)
        end = high if step_text else start
    if step < 1 or not low <= start <= end <= high:
        raise CronFormatError(f"Invalid cron expression '{text}': '{part}' is out of range")
    return range(start, end + 1, step)


def _field(spec: str, index: int, text: str) -> frozenset[int]:
    low, high, names = _FIELDS[index]
    values: set[int] = set()
    for part in spec.split(","):
        values.update(_range_of(part, low, high, names, text))
    return frozenset(values)


def parse_cron(text: str) -> CronSchedule:
    """Parse a six-field Spring cron expression or macro; raise `CronFormatError` if invalid."""
    expanded = MACROS.get(text.strip().lower(), text.strip())
    fields = expanded.split()
    if len(fields) != 6:
        raise CronFormatError(f"Invalid cron expression '{text}': expected 6 fields")
    parsed = [_field(spec, i, text) for i, spec in enumerate(fields)]
    days_of_week = frozenset(0 if d == 7 else d for d in parsed[5])
    seconds, minutes, hours, days_of_month, months, _ = parsed
    return CronSchedule(seconds, minutes, hours, days_of_month, months, days_of_week)


def _advance(cron: CronSchedule, t: datetime) -> datetime | None:
    """The next candidate after a mismatch, or None if `t` matches every field."""
    if t.month not in cron.months:
        year, month = (t.year + 1, 1) if t.month == 12 else (t.year, t.month + 1)
        return datetime(year, month, 1, tzinfo=UTC)
    if t.day not in cron.days_of_month or t.isoweekday() % 7 not in cron.days_of_week:
        return datetime(t.year, t.month, t.day, tzinfo=UTC) + timedelta(days=1)
    if t.hour not in cron.hours:
        return t.replace(minute=0, second=0) + timedelta(hours=1)
    if t.minute not in cron.minutes:
        return t.replace(second=0) + timedelta(minutes=1)
    if t.second not in cron.seconds:
        return t + timedelta(seconds=1)
    return None


def next_cron_fire(cron: CronSchedule, after_ms: int) -> int:
    """The first matching whole second strictly after `after_ms` (epoch ms, UTC)."""
    t = datetime.fromtimestamp(after_ms // 1000 + 1, UTC)
    for _ in range(_MAX_STEPS):
        following = _advance(cron, t)
        if following is None:
            return int(t.timestamp()) * 1000
        t = following
    raise CronFormatError("Cron expression never fires")
