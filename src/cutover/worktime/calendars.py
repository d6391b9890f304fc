"""Working calendars: which minutes are worked, and arithmetic on working time.

A calendar keeps, for a range of days, the working minutes before each day (a prefix sum)
and, for one workday, the working minutes before each minute of the clock. Then
"working minutes before t" is two look-ups, and "the n-th working minute" is one binary
search: jumping over nights, weekends and holidays costs O(log days), never a walk.

Positions (working minutes counted from the start of the plan's first day) are what the
scheduler adds and compares; instants are minutes of real time (see ``timebase``): on a
daylight-saving change the hour that does not exist is not worked and the hour that happens
twice is worked twice.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol

from cutover.common.errors import CutoverError
from cutover.common.i18n import _
from cutover.worktime.timebase import MINUTES_PER_DAY, TimeBase

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: The schedule must stay within these days (years 2 to 9998): beyond is a runaway plan.
_FIRST_DAY = date(2, 1, 1).toordinal() - _EPOCH_ORDINAL
_LAST_DAY = date(9998, 12, 31).toordinal() - _EPOCH_ORDINAL
_INITIAL_SPAN_DAYS = 3 * 366
#: A schedule stays within this many days of the plan's start: a runaway lag or duration
#: is an error, not a table of ten thousand years (and of their public holidays).
MAX_SPAN_DAYS = 200 * 366


class CalendarRules(Protocol):
    """What a calendar is made of: the plan model's ``CalendarSpec`` has these fields.

    Working time sits below the plan file in the layers, so it names the fields it reads
    rather than importing the model.
    """

    @property
    def workdays(self) -> Collection[int]:
        """Weekday numbers (Monday 0) that are worked."""

    @property
    def hours(self) -> tuple[tuple[int, int], ...]:
        """Working spans of a day, in minutes after midnight."""

    @property
    def holidays(self) -> Collection[date]:
        """Dates that are not worked."""

    @property
    def extra_workdays(self) -> Collection[date]:
        """Dates that are worked although their weekday is not."""

    @property
    def holidays_country(self) -> str | None:
        """A country (or region) code whose public holidays are not worked."""


class CalendarTables(NamedTuple):
    """A calendar's tables: days [lo, hi), working minutes before each (prefix sums), etc."""

    lo: int
    hi: int
    shift: int
    cum: list[int]
    before_minute: list[int]
    clock_of: list[int]


class CalendarRangeError(CutoverError):
    """The schedule runs beyond the years a calendar can count (a runaway lag or duration).

    ``node`` is the task being placed when it happened, when known.
    """

    node: int | None = None


class WorkCalendar:
    """A working calendar with O(1) ``position`` and O(log n) ``start_at`` / ``end_at``.

    The tables are kept per *shift day*: the working hours a day owns, from the end of the
    shift that runs into it from the day before (``"22:00-06:00"`` owns Fri 22:00 to Sat
    06:00, PLAN_FORMAT) to the same clock time next day; for ordinary hours that is the
    calendar day. A day on which the zone changes its offset (daylight saving) gets tables
    of its own, built from the real instants of its hours; every other day shares one.
    """

    def __init__(
        self,
        name: str,
        spec: CalendarRules,
        origin_day: int,
        country_days: Callable[[str, Iterable[int]], tuple[set[date], set[date]]] | None = None,
        timebase: TimeBase | None = None,
    ) -> None:
        """Build the calendar around ``origin_day`` (days since 1970-01-01), the plan's start."""
        self.name = name
        self.spec = spec
        self.timebase = timebase if timebase is not None else TimeBase("UTC")
        self.workdays = frozenset(spec.workdays)
        self.day_minutes = sum(end - begin for begin, end in spec.hours)
        self.week_minutes = self.day_minutes * len(self.workdays)
        self.holidays: set[date] = set(spec.holidays)
        self.extra_workdays: set[date] = set(spec.extra_workdays)
        self._country_days = country_days
        self._country_years: set[int] = set()
        #: Clock time at which a shift day begins: where a shift over midnight ends.
        self._clock = max((end - MINUTES_PER_DAY for _, end in spec.hours), default=0)
        self._clock = max(self._clock, 0)
        self._spans = tuple((begin - self._clock, end - self._clock) for begin, end in spec.hours)
        self._before_minute, self._clock_of = _day_tables(self._spans, MINUTES_PER_DAY)
        self._origin = origin_day
        self._first = max(origin_day - MAX_SPAN_DAYS, _FIRST_DAY)
        self._last = min(origin_day + MAX_SPAN_DAYS, _LAST_DAY)
        if not self._first <= origin_day < self._last:
            raise CalendarRangeError(
                _("the plan starts outside the years a calendar can count: {day}").format(
                    day=date.fromordinal(origin_day + _EPOCH_ORDINAL)
                )
            )
        self._lo = self._hi = origin_day
        self._cum: list[int] = [0]
        self._starts: list[int] = [0]
        self._special: dict[int, tuple[list[int], list[int]]] = {}
        self._linear = True
        self._shift = 0
        self._extend(origin_day - _INITIAL_SPAN_DAYS // 3, origin_day + _INITIAL_SPAN_DAYS)

    # -- days --------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """True when the day is worked (a workday not on holiday, or a make-up day)."""
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

    def _extend(self, lo: int, hi: int) -> None:
        """Make the tables cover days [lo, hi), growing them in both directions as needed."""
        lo, hi = max(min(lo, self._lo), self._first), min(max(hi, self._hi), self._last)
        if lo == self._lo and hi == self._hi:
            raise self._out_of_range()
        self._load_country_years(lo, hi)
        timebase, clock = self.timebase, self._clock
        offsets = timebase.wall_offsets(lo, hi, clock)
        starts = [(lo + i) * MINUTES_PER_DAY + clock + offset for i, offset in enumerate(offsets)]
        special: dict[int, tuple[list[int], list[int]]] = {}
        changes = [i for i in range(hi - lo) if offsets[i] != offsets[i + 1]]
        for i in changes:
            starts[i] = timebase.wall(lo + i, clock)
            starts[i + 1] = timebase.wall(lo + i + 1, clock)
        cum = [0]
        total = 0
        day_minutes, is_workday = self.day_minutes, self.is_workday
        change_set = set(changes)
        for i, day_number in enumerate(range(lo, hi)):
            if not is_workday(date.fromordinal(day_number + _EPOCH_ORDINAL)):
                cum.append(total)
                continue
            if i in change_set:
                tables = self._changing_day(day_number, starts[i], starts[i + 1])
                special[day_number] = tables
                total += tables[0][-1]
            else:
                total += day_minutes
            cum.append(total)
        self._lo, self._hi, self._cum, self._starts = lo, hi, cum, starts
        self._special = special
        self._linear = not special and not any(offsets)
        self._shift = cum[self._origin - lo]

    def _changing_day(self, day_number: int, begin: int, end: int) -> tuple[list[int], list[int]]:
        """Tables of a day on which the clocks change: its hours as real minutes."""
        wall, clock = self.timebase.wall, self._clock
        spans = []
        for first, last in self._spans:
            span_begin = min(max(wall(day_number, clock + first) - begin, 0), end - begin)
            span_end = min(max(wall(day_number, clock + last, end=True) - begin, 0), end - begin)
            if span_end > span_begin:
                spans.append((span_begin, span_end))
        return _day_tables(tuple(spans), end - begin)

    def _load_country_years(self, lo: int, hi: int) -> None:
        code = self.spec.holidays_country
        if code is None or self._country_days is None:
            return
        first = date.fromordinal(lo + _EPOCH_ORDINAL).year
        last = date.fromordinal(hi - 1 + _EPOCH_ORDINAL).year
        years = [year for year in range(first, last + 1) if year not in self._country_years]
        if not years:
            return
        holidays, makeup = self._country_days(code, years)
        self._country_years.update(years)
        self.holidays |= holidays - set(self.spec.extra_workdays)
        self.extra_workdays |= makeup - set(self.spec.holidays)

    def _out_of_range(self) -> CalendarRangeError:
        return CalendarRangeError(
            _(
                "the schedule runs more than 200 years from the plan's start on calendar "
                "'{name}': check the durations and lags, and that the calendar has working days"
            ).format(name=self.name)
        )

    def _grow_for_day(self, day_number: int) -> None:
        if not self._first <= day_number < self._last - 1:
            raise self._out_of_range()
        span = self._hi - self._lo
        if day_number < self._lo:
            self._extend(min(day_number, self._lo - span) - 7, self._hi)
        else:
            self._extend(self._lo, max(day_number, self._hi + span) + 7)

    # -- instants and positions --------------------------------------------------------

    def position(self, minute: int) -> int:
        """Working minutes from the plan's first day to the instant ``minute`` (may be < 0)."""
        day_number, clock = divmod(minute - self._clock, MINUTES_PER_DAY)
        index = day_number - self._lo
        if index < 1 or day_number >= self._hi - 1:
            self._grow_for_day(day_number + (-1 if index < 1 else 1))
            index = day_number - self._lo
        cum = self._cum
        if self._linear:
            before = cum[index]
            if cum[index + 1] == before:
                return before - self._shift
            return before + self._before_minute[clock] - self._shift
        starts = self._starts
        while minute < starts[index]:
            index -= 1
        while minute >= starts[index + 1]:
            index += 1
        before = cum[index]
        if cum[index + 1] == before:
            return before - self._shift
        tables = self._special.get(index + self._lo)
        table = self._before_minute if tables is None else tables[0]
        return before + table[minute - starts[index]] - self._shift

    def _instant(self, index: int, worked: int) -> int:
        """The instant of the ``worked``-th working minute of the table's day ``index``."""
        if self._linear:
            return (self._lo + index) * MINUTES_PER_DAY + self._clock + self._clock_of[worked]
        tables = self._special.get(index + self._lo)
        clock_of = self._clock_of if tables is None else tables[1]
        return self._starts[index] + clock_of[worked]

    def start_at(self, position: int) -> int:
        """The instant the working minute at ``position`` begins (its first working minute)."""
        target = position + self._shift
        cum = self._cum
        while target < 0 or target >= cum[-1]:
            self._grow_for_day(self._lo - 1 if target < 0 else self._hi)
            target = position + self._shift
            cum = self._cum
        index = bisect_right(cum, target) - 1
        return self._instant(index, target - cum[index])

    def end_at(self, position: int) -> int:
        """The instant that ``position`` working minutes have been done: 17:00, not 08:00."""
        return self.start_at(position - 1) + 1

    def span_at(self, start: int, finish: int) -> tuple[int, int]:
        """``start_at(start)`` and ``end_at(finish)`` at once, for ``start < finish``.

        Placing a task needs both; the second search starts where the first ended.
        """
        cum = self._cum
        first, last = start + self._shift, finish - 1 + self._shift
        if first < 0 or last >= cum[-1]:  # beyond the tables: let them grow
            return self.start_at(start), self.end_at(finish)
        begin = bisect_right(cum, first) - 1
        end = bisect_right(cum, last, begin) - 1
        if self._linear:
            clock_of, base = self._clock_of, self._lo * MINUTES_PER_DAY + self._clock
            return (
                base + begin * MINUTES_PER_DAY + clock_of[first - cum[begin]],
                base + end * MINUTES_PER_DAY + clock_of[last - cum[end]] + 1,
            )
        return self._instant(begin, first - cum[begin]), self._instant(end, last - cum[end]) + 1

    @property
    def uniform(self) -> bool:
        """True when every workday of the tables holds the same hours from midnight.

        Then ``tables()`` describes the calendar completely: no daylight-saving change in
        its range and no shift over midnight.
        """
        return self._linear and self._clock == 0

    def tables(self) -> CalendarTables:
        """The lookup tables as they stand, for arithmetic on many instants at once.

        ``sampling.VectorCalendar`` reads them with numpy when the calendar is ``uniform``;
        they grow when ``position`` or ``start_at`` is asked about a day beyond them, so read
        them after asking.
        """
        return CalendarTables(
            self._lo, self._hi, self._shift, self._cum, self._before_minute, self._clock_of
        )

    def is_working_minute(self, minute: int) -> bool:
        """True when the minute starting at ``minute`` is working time."""
        return self.position(minute + 1) > self.position(minute)

    def latest_start_position(self, bound: int) -> int:
        """The latest position whose working minute starts at or before the instant ``bound``."""
        position = self.position(bound)
        return position if self.is_working_minute(bound) else position - 1

    def working_minutes(self, begin: int, end: int) -> int:
        """Working minutes between two instants (negative when ``end`` is before ``begin``)."""
        return self.position(end) - self.position(begin)

    def add(self, minute: int, work: int) -> int:
        """The instant ``work`` working minutes after (or, if negative, before) ``minute``."""
        return self.end_at(self.position(minute) + work)


def _day_tables(spans: tuple[tuple[int, int], ...], length: int) -> tuple[list[int], list[int]]:
    """For one day of ``length`` minutes: working minutes before each minute, and the clock of each.

    ``spans`` are minutes from the start of the day, within [0, length].
    """
    before = [0] * (length + 1)
    clock_of: list[int] = []
    worked = 0
    ordered = iter(sorted(spans))
    begin, end = next(ordered, (length, length))
    for clock in range(length):
        while clock >= end:
            begin, end = next(ordered, (length, length))
        before[clock] = worked
        if begin <= clock < end:
            clock_of.append(clock)
            worked += 1
    before[length] = worked
    return before, clock_of
