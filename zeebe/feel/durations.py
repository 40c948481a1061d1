"""FEEL's two duration types, with FEEL-Scala's ISO-8601 text form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

_MICROS_PER_SECOND = 1_000_000
_MICROS_PER_MINUTE = 60 * _MICROS_PER_SECOND
_MICROS_PER_HOUR = 60 * _MICROS_PER_MINUTE
_MICROS_PER_DAY = 24 * _MICROS_PER_HOUR

# java.time also reads a sign per component (`PT-5M`, `P-1Y-2M`), as FEEL-Scala's duration() does
_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<years>-?\d+)Y)?(?:(?P<months>-?\d+)M)?(?:(?P<weeks>-?\d+)W)?"
    r"(?:(?P<days>-?\d+)D)?(?:T(?:(?P<hours>-?\d+)H)?(?:(?P<minutes>-?\d+)M)?"
    r"(?:(?P<seconds>-?\d+(?:\.\d+)?)S)?)?"
)


@dataclass(frozen=True, order=True)
class DaysTimeDuration:
    """A days-and-time duration (`P1DT2H`), held as whole microseconds."""

    micros: int

    @classmethod
    def of(
        cls, *, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0
    ) -> DaysTimeDuration:
        """Build a duration from its components (each may be negative)."""
        total = days * _MICROS_PER_DAY + hours * _MICROS_PER_HOUR + minutes * _MICROS_PER_MINUTE
        return cls(total + seconds * _MICROS_PER_SECOND)

    @classmethod
    def from_timedelta(cls, delta: timedelta) -> DaysTimeDuration:
        """Convert a Python timedelta (exact to the microsecond)."""
        return cls((delta.days * 86_400 + delta.seconds) * _MICROS_PER_SECOND + delta.microseconds)

    def to_timedelta(self) -> timedelta:
        """Convert to a Python timedelta for date arithmetic."""
        return timedelta(microseconds=self.micros)

    def _parts(self) -> tuple[int, int, int, int, int]:
        rest = abs(self.micros)
        days, rest = divmod(rest, _MICROS_PER_DAY)
        hours, rest = divmod(rest, _MICROS_PER_HOUR)
        minutes, rest = divmod(rest, _MICROS_PER_MINUTE)
        seconds, micros = divmod(rest, _MICROS_PER_SECOND)
        return days, hours, minutes, seconds, micros

    def component(self, unit: str) -> int:
        """The signed `days`/`hours`/`minutes`/`seconds` component (FEEL duration properties)."""
        days, hours, minutes, seconds, _ = self._parts()
        value = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}[unit]
        return -value if self.micros < 0 else value

    def __str__(self) -> str:
        days, hours, minutes, seconds, micros = self._parts()
        sign = "-" if self.micros < 0 else ""
        time = ""
        if hours:
            time += f"{hours}H"
        if minutes:
            time += f"{minutes}M"
        if seconds or micros:
            fraction = f".{micros:06d}".rstrip("0") if micros else ""
            time += f"{seconds}{fraction}S"
        if not days and not time:
            return "PT0S"
        return f"{sign}P{f'{days}D' if days else ''}{'T' + time if time else ''}"


@dataclass(frozen=True, order=True)
class YearsMonthsDuration:
    """A years-and-months duration (`P1Y6M`), held as whole months."""

    months: int

    def component(self, unit: str) -> int:
        """The signed `years`/`months` component (FEEL duration properties)."""
        years, months = divmod(abs(self.months), 12)
        value = years if unit == "years" else months
        return -value if self.months < 0 else value

    def __str__(self) -> str:
        years, months = divmod(abs(self.months), 12)
        if not years and not months:
            return "P0M"
        sign = "-" if self.months < 0 else ""
        return f"{sign}P{f'{years}Y' if years else ''}{f'{months}M' if months else ''}"


def parse_duration(text: str) -> DaysTimeDuration | YearsMonthsDuration | None:
    """Parse ISO-8601 duration text; years/months and days/time parts must not be mixed."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or text.strip().rstrip("T").endswith(("P", "-P")) or text.endswith("T"):
        return None
    parts = {key: value for key, value in match.groupdict().items() if value is not None}
    sign = -1 if parts.pop("sign", None) else 1
    if not parts:
        return None
    if parts.keys() <= {"years", "months"}:
        return YearsMonthsDuration(
            sign * (int(parts.get("years", 0)) * 12 + int(parts.get("months", 0)))
        )
    if parts.keys() & {"years", "months"}:
        return None
    days = int(parts.get("weeks", 0)) * 7 + int(parts.get("days", 0))
    seconds = parts.get("seconds", "0")
    whole, _, fraction = seconds.removeprefix("-").partition(".")
    micros = int(whole) * _MICROS_PER_SECOND + int((fraction + "000000")[:6])
    micros = -micros if seconds.startswith("-") else micros
    total = DaysTimeDuration.of(
        days=days, hours=int(parts.get("hours", 0)), minutes=int(parts.get("minutes", 0))
    ).micros
    return DaysTimeDuration(sign * (total + micros))
