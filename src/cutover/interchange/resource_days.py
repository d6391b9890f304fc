"""A resource's ``unavailable`` spans as the days of its calendar they change.

MSPDI and XER have no spans of absence: a resource is away when its own calendar does not
work. So each exporter writes a resource calendar derived from the one the resource works
on, whose exceptions are the days a span touches, with the hours that remain worked (none:
the day off). The importers turn those exceptions back into spans (``imported.day_spans``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from cutover.planfile.model import Resource
    from cutover.worktime.calendars import WorkCalendar
    from cutover.worktime.timebase import TimeBase

Hours = tuple[tuple[int, int], ...]


def away_days(resource: Resource, calendar: WorkCalendar, timebase: TimeBase) -> dict[date, Hours]:
    """Each workday of ``calendar`` that the resource's absences touch, and its hours left.

    Days the calendar does not work are left out (the resource is away anyway). The hours
    are wall-clock minutes of the plan's zone, as the formats write them.
    """
    cuts: dict[date, list[tuple[int, int]]] = {}
    for absence in resource.unavailable:
        begin = timebase.naive(timebase.minute(absence.begin))
        end = timebase.naive(timebase.minute(absence.end, end_of_day=True))
        day = begin.date()
        while datetime.combine(day, datetime.min.time()) < end:
            midnight = datetime.combine(day, datetime.min.time())
            low = max(int((begin - midnight).total_seconds() // 60), 0)
            high = min(int((end - midnight).total_seconds() // 60), MINUTES_PER_DAY)
            if low < high:
                cuts.setdefault(day, []).append((low, high))
            day += timedelta(days=1)
    out: dict[date, Hours] = {}
    for day, spans in sorted(cuts.items()):
        if not calendar.is_workday(day):
            continue
        out[day] = _minus(calendar.spec.hours, spans)
    return out


def _minus(hours: Hours, cuts: list[tuple[int, int]]) -> Hours:
    """The working hours with the cut spans taken out."""
    left: list[tuple[int, int]] = []
    for begin, end in hours:
        position = begin
        for low, high in sorted(cuts):
            if high <= position or low >= end:
                continue
            if low > position:
                left.append((position, low))
            position = max(position, high)
        if position < end:
            left.append((position, end))
    return tuple(left)
