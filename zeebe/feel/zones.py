"""The zone of a FEEL time with a zone id (`time("10:00@Europe/Paris")`).

A time has no date, so FEEL-Scala's ZonedTime fixes the offset when the value is made: the
zone's standard offset for a parsed time (`getStandardOffset(Instant.now)`), the date-time's
offset for `time(date and time)`. The value keeps the zone id for display, `.timezone` and
`date and time(date, time)`, which places the time in the zone itself.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo


class TimeZoneId(tzinfo):
    """A zone id with the offset fixed for a time value."""

    def __init__(self, zone: ZoneInfo, offset: timedelta) -> None:
        self.zone = zone
        self.offset = offset

    @property
    def key(self) -> str:
        """The zone id, as ZoneInfo names it."""
        return self.zone.key

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """The fixed offset, whatever the date."""
        return self.offset

    def dst(self, dt: datetime | None) -> timedelta:
        """No daylight saving: the offset is fixed."""
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        """The zone id."""
        return self.zone.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeZoneId) and (self.key, self.offset) == (
            other.key,
            other.offset,
        )

    def __hash__(self) -> int:
        return hash((self.key, self.offset))

    def __repr__(self) -> str:
        return f"TimeZoneId({self.key!r}, {self.offset!r})"


def standard_time_zone(zone: ZoneInfo, now: datetime | None = None) -> TimeZoneId:
    """The zone at its standard offset (without daylight saving) at `now` (default: now)."""
    moment = now.astimezone(zone) if now else datetime.now(zone)
    return TimeZoneId(zone, (moment.utcoffset() or timedelta(0)) - (moment.dst() or timedelta(0)))


def time_of(value: datetime) -> time:
    """The time of a date-time; a zone id stays with the date-time's offset."""
    if isinstance(value.tzinfo, ZoneInfo):
        return value.time().replace(
            tzinfo=TimeZoneId(value.tzinfo, value.utcoffset() or timedelta(0))
        )
    return value.timetz()


def zone_id(value: time | datetime) -> str | None:
    """The zone id of a value, or None for local values and fixed offsets."""
    zone = value.tzinfo
    return zone.key if isinstance(zone, ZoneInfo | TimeZoneId) else None


def region(zone: tzinfo | None) -> tzinfo | None:
    """The tzinfo to place a date-time in: a time's zone id becomes the real zone again."""
    return zone.zone if isinstance(zone, TimeZoneId) else zone
