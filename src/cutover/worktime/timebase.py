"""Instants as whole minutes of the plan's wall clock, and back to aware datetimes.

The scheduler counts in integer minutes since 1970-01-01 00:00 *local time*: working hours
are wall-clock hours, so this keeps calendar arithmetic exact and cheap. Offsets are put
back only when a schedule is shown.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - a wall-clock epoch, deliberately naive
MINUTES_PER_DAY = 1440


class TimeBase:
    """Converts between dates, datetimes and wall-clock minutes in one time zone."""

    def __init__(self, timezone: str) -> None:
        """Use an IANA time zone name (validated beforehand)."""
        self.name = timezone
        self.zone = ZoneInfo(timezone)

    def minute(self, value: date | datetime, *, end_of_day: bool = False) -> int:
        """The wall-clock minute of a date or datetime.

        A date alone is the start of that day, or its end (the next midnight) with
        ``end_of_day`` (PLAN_FORMAT: a deadline that is a date means the end of that day).
        A datetime with an offset is first moved into the plan's zone.
        """
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(self.zone).replace(tzinfo=None)
            return (value - _EPOCH) // timedelta(minutes=1)
        days = value.toordinal() - _EPOCH_ORDINAL + (1 if end_of_day else 0)
        return days * MINUTES_PER_DAY

    def naive(self, minute: int) -> datetime:
        """The wall-clock datetime of a minute, without an offset."""
        return _EPOCH + timedelta(minutes=minute)

    def aware(self, minute: int) -> datetime:
        """The datetime of a minute in the plan's zone, with its offset."""
        return self.naive(minute).replace(tzinfo=self.zone)

    def iso(self, minute: int) -> str:
        """ISO 8601 with seconds and offset, as PLAN_FORMAT's JSON shows it."""
        return _iso(self.name, minute)

    def day_of(self, minute: int) -> date:
        """The calendar day a minute falls on."""
        return date.fromordinal(_EPOCH_ORDINAL + minute // MINUTES_PER_DAY)


_EPOCH_ORDINAL = _EPOCH.toordinal()


@lru_cache(maxsize=65536)
def _iso(zone: str, minute: int) -> str:
    moment = (_EPOCH + timedelta(minutes=minute)).replace(tzinfo=ZoneInfo(zone))
    return moment.isoformat(timespec="seconds")
