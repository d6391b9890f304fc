"""Working time shared by several calendars: a task and the resources it allocates.

MS Project's rule, which TaskJuggler follows too: a task that allocates resources works
only when its own calendar and the calendar of every resource it allocates work. A
``JointCalendar`` is that intersection, with the same arithmetic as ``WorkCalendar``: its
days are the days all parts work (each part's holidays, public holidays and make-up
days included), its hours the hours all parts share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutover.worktime.calendars import WorkCalendar

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

#: How far ahead ``never_works`` looks: a calendar with no working minute in a year is
#: taken never to work (a plan's error, not a schedule ten years long).
_LOOK_AHEAD_DAYS = 366


@dataclass(frozen=True)
class _JointRules:
    """The rules the base class reads: every weekday, the shared hours, no holiday."""

    hours: tuple[tuple[int, int], ...]
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    holidays_country: str | None = None


class JointCalendar(WorkCalendar):
    """The working time common to ``parts`` (see the module)."""

    def __init__(self, parts: Sequence[WorkCalendar], origin_day: int) -> None:
        """Intersect the parts' hours; a day works when every part works it."""
        self.parts = tuple(parts)
        name = " & ".join(part.name for part in self.parts)
        super().__init__(name, _JointRules(shared_hours(self.parts)), origin_day)

    def is_workday(self, day: date) -> bool:
        """True when every part works that day."""
        return all(part.is_workday(day) for part in self.parts)

    def _extend(self, lo: int, hi: int) -> None:
        # the parts' public holidays of these years must be known before days are counted
        for part in getattr(self, "parts", ()):
            part._load_country_years(lo, hi)  # noqa: SLF001 - the same family of classes
        super()._extend(lo, hi)


def shared_hours(parts: Sequence[WorkCalendar]) -> tuple[tuple[int, int], ...]:
    """The spans of the clock that every part's working hours cover."""
    shared = list(parts[0].spec.hours)
    for part in parts[1:]:
        shared = [
            (max(begin, other_begin), min(end, other_end))
            for begin, end in shared
            for other_begin, other_end in part.spec.hours
            if max(begin, other_begin) < min(end, other_end)
        ]
    return tuple(sorted(shared))


def covers(wider: WorkCalendar, narrower: WorkCalendar) -> bool:
    """True when ``wider`` works whenever ``narrower`` does (joining them changes nothing).

    Judged on the rules alone, conservatively: ``wider`` has no days off of its own, works
    every weekday ``narrower`` does and every hour of them. A round-the-clock team covers
    any task.
    """
    spec = wider.spec
    if spec.holidays or spec.holidays_country or wider.extra_workdays:
        return False
    if not set(narrower.spec.workdays) <= set(spec.workdays):
        return False
    if narrower.extra_workdays and len(set(spec.workdays)) < 7:
        return False
    return all(
        any(begin >= lo and end <= hi for lo, hi in spec.hours)
        for begin, end in narrower.spec.hours
    )


def never_works(calendar: WorkCalendar, origin_minute: int) -> bool:
    """True when the calendar has no working minute in the year from ``origin_minute``."""
    if calendar.day_minutes == 0:
        return True
    later = origin_minute + _LOOK_AHEAD_DAYS * 24 * 60
    return calendar.position(later) == calendar.position(origin_minute)
