"""Instants as whole minutes of real time, and back to aware datetimes.

The scheduler counts in integer minutes of *real* time (PLAN_FORMAT: working time is real
time): an instant is the minutes since 1970-01-01 00:00 UTC plus one fixed offset, the
zone's offset at the plan's start. In a zone without daylight saving that is exactly the
wall clock's minute, so day arithmetic stays as cheap as it was; across a daylight-saving
change the wall clock jumps and the instants do not (the hour that does not exist has no
minutes, the hour that happens twice has two hours of them). Wall clocks come back only
when a schedule is shown, or when a calendar maps its working hours onto a day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import timezone as fixed_zone
from functools import lru_cache
from zoneinfo import ZoneInfo

from cutover.common.i18n import _

_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - a wall-clock epoch, deliberately naive
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_FIRST = datetime(1, 1, 1)  # noqa: DTZ001 - wall clock, as _EPOCH
_LAST = datetime(9999, 12, 31, 23, 59)  # noqa: DTZ001 - wall clock, as _EPOCH
_MINUTE = timedelta(minutes=1)
MINUTES_PER_DAY = 1440


class MissingTimeError(ValueError):
    """A wall-clock time that does not exist in the zone (the hour skipped in spring)."""


class TimeBase:
    """Converts between dates, datetimes and real-time minutes in one time zone."""

    def __init__(self, timezone: str, anchor: date | datetime | None = None) -> None:
        """Use an IANA time zone name (validated beforehand).

        ``anchor`` (the plan's start) chooses the fixed offset: instants equal wall-clock
        minutes wherever the zone keeps the offset it had then.
        """
        self.name = timezone
        self.zone = ZoneInfo(timezone)
        reference = _EPOCH if anchor is None else anchor
        if not isinstance(reference, datetime):
            reference = datetime.combine(reference, datetime.min.time())
        if reference.tzinfo is None:
            reference = reference.replace(tzinfo=self.zone)
        self.offset = _offset_minutes(reference.astimezone(self.zone))
        #: Instants [lo, hi) around the anchor over which the zone keeps its offset: there
        #: an instant is its wall-clock minute, and showing it needs no zone look-up.
        self._steady = (0, 0)
        self._fixed = fixed_zone(timedelta(minutes=self.offset))
        year = reference.year
        if 2 < year < 9995 and not zone_changes_near(self.name, year):
            lo = datetime(year - 1, 1, 1) - _EPOCH  # noqa: DTZ001 - wall clock
            hi = datetime(year + 3, 1, 1) - _EPOCH  # noqa: DTZ001 - wall clock
            self._steady = (lo // _MINUTE, hi // _MINUTE)

    # -- into instants -----------------------------------------------------------------

    def minute(self, value: date | datetime, *, end_of_day: bool = False) -> int:
        """The instant of a date or datetime.

        A date alone is the start of that day, or its end (the next midnight) with
        ``end_of_day`` (PLAN_FORMAT: a deadline that is a date means the end of that day).
        A datetime with an offset is that instant; one without is a wall-clock time in the
        plan's zone, and in the hour that happens twice it means the first one.
        """
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=self.zone, fold=0)
            return (value - _EPOCH_UTC) // _MINUTE + self.offset
        day = value + timedelta(days=1) if end_of_day else value
        return self.wall(day.toordinal() - _EPOCH_ORDINAL, 0)

    def wall(self, day_number: int, clock: int, *, end: bool = False) -> int:
        """The instant of ``clock`` minutes after midnight (may be > 1440) on a day.

        In the hour that happens twice a start (``end`` false) is the first of the two
        moments and an end the second, so that hours covering the repeated hour work it
        twice; a time in the hour that does not exist is the moment of the change.
        """
        moment = _EPOCH + timedelta(days=day_number, minutes=clock)
        first = self._instant(moment, 0)
        second = self._instant(moment, 1)
        if first == second:
            return first
        if first < second:  # the hour that happens twice
            return second if end else first
        return self._change_between(second, first)

    def check_exists(self, value: datetime) -> None:
        """Raise ``MissingTimeError`` for a wall-clock time skipped by a daylight-saving change."""
        if value.tzinfo is not None:
            return
        moment = value.replace(second=0, microsecond=0)
        first, second = self._instant(moment, 0), self._instant(moment, 1)
        if first <= second:
            return
        change = self._change_between(second, first)
        before = (self.aware(change - 1) + _MINUTE).strftime("%H:%M")
        after = self.aware(change).strftime("%H:%M")
        message = _(
            "{value} does not exist in {zone}: the clocks jump from {before} to {after} that "
            "night (daylight saving); write a time outside the skipped hour, or give an offset"
        ).format(value=f"{value:%Y-%m-%d %H:%M}", zone=self.name, before=before, after=after)
        raise MissingTimeError(message)

    def _instant(self, moment: datetime, fold: int) -> int:
        aware = moment.replace(tzinfo=self.zone, fold=fold)
        return (aware - _EPOCH_UTC) // _MINUTE + self.offset

    def _change_between(self, low: int, high: int) -> int:
        """The first instant in (low, high] whose offset is that of ``high``."""
        target = self.offset_at(high)
        while high - low > 1:
            middle = (low + high) // 2
            if self.offset_at(middle) == target:
                high = middle
            else:
                low = middle
        return high

    def offset_at(self, minute: int) -> int:
        """The zone's UTC offset at an instant, in minutes."""
        return _offset_minutes(self.aware(minute))

    def wall_offsets(self, first: int, last: int, clock: int) -> list[int]:
        """For days ``first``..``last`` (inclusive): instant minus wall minute at ``clock``.

        Zero on every day where the zone keeps the anchor's offset; a day whose value
        differs from the next one's holds a change.
        """
        return _wall_offsets(self.name, self.offset, first, last, clock)

    # -- out of instants ---------------------------------------------------------------

    def _utc(self, minute: int) -> datetime:
        return _EPOCH_UTC + timedelta(minutes=minute - self.offset)

    def naive(self, minute: int) -> datetime:
        """The wall-clock datetime of an instant, without an offset."""
        return self.aware(minute).replace(tzinfo=None)

    def aware(self, minute: int) -> datetime:
        """The datetime of an instant in the plan's zone, with its offset.

        At the very ends of the years a datetime holds (year 1, year 9999) the instant is
        shown on the anchor's offset, as a wall-clock minute.
        """
        lo, hi = self._steady
        if lo <= minute < hi:
            return (_EPOCH + timedelta(minutes=minute)).replace(tzinfo=self.zone)
        try:
            return self._utc(minute).astimezone(self.zone)
        except OverflowError:
            return _wall_clock(minute).replace(tzinfo=self.zone)

    def iso(self, minute: int) -> str:
        """ISO 8601 with seconds and offset, as PLAN_FORMAT's JSON shows it."""
        lo, hi = self._steady
        if lo <= minute < hi:
            return _steady_iso(self._fixed, minute)
        return _iso(self.name, self.offset, minute)

    def day_of(self, minute: int) -> date:
        """The calendar day an instant falls on."""
        return self.aware(minute).date()

    def day_number(self, minute: int) -> int:
        """The day an instant falls on, as days since 1970-01-01."""
        return self.day_of(minute).toordinal() - _EPOCH_ORDINAL


_EPOCH_ORDINAL = _EPOCH.toordinal()


def _wall_clock(minute: int) -> datetime:
    """A minute as a naive wall-clock datetime, held within the years a datetime can."""
    try:
        return _EPOCH + timedelta(minutes=minute)
    except OverflowError:
        return _FIRST if minute < 0 else _LAST


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return 0 if offset is None else round(offset / _MINUTE)


@lru_cache(maxsize=64)
def zone_changes_near(zone_name: str, year: int) -> bool:
    """Whether a zone changes its UTC offset in the years around ``year`` (daylight saving).

    Sampled twice a month from the year before to two years after: a zone that keeps one
    offset the whole time has no wall-clock time that is skipped or repeated there.
    """
    zone = ZoneInfo(zone_name)
    first = max(year - 1, 1)
    offsets = {
        datetime(y, month, day, 12, tzinfo=zone).utcoffset()
        for y in range(first, min(year + 3, 9999))
        for month in range(1, 13)
        for day in (1, 15)
    }
    return len(offsets) > 1


@lru_cache(maxsize=256)
def _wall_offsets(zone_name: str, anchor: int, first: int, last: int, clock: int) -> list[int]:
    zone = ZoneInfo(zone_name)
    out: list[int] = []
    moment = _EPOCH + timedelta(days=first, minutes=clock)
    day = timedelta(days=1)
    for _day in range(first, last + 1):
        out.append(anchor - _offset_minutes(moment.replace(tzinfo=zone)))
        moment += day
    return out


@lru_cache(maxsize=65536)
def _steady_iso(zone: fixed_zone, minute: int) -> str:
    return (_EPOCH + timedelta(minutes=minute)).replace(tzinfo=zone).isoformat(timespec="seconds")


@lru_cache(maxsize=65536)
def _iso(zone: str, anchor: int, minute: int) -> str:
    try:
        moment = (_EPOCH_UTC + timedelta(minutes=minute - anchor)).astimezone(ZoneInfo(zone))
    except OverflowError:  # the ends of the years a datetime holds: as a wall-clock minute
        moment = _wall_clock(minute).replace(tzinfo=ZoneInfo(zone))
    return moment.isoformat(timespec="seconds")
