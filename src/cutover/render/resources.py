"""``cutover resources`` and ``cutover calendar``: load against units, who is on, working time.

The load histogram has one cell per hour (a window up to three days) or per day: the
peak number of units booked in it against the resource's units, as a bar from ``▁`` to
``█`` and ``!`` where the resource is booked beyond its units (or while away). The shift
list says, for the window, who works on what and when: the table a cutover manager
prints for the weekend.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from cutover.common.i18n import _, current_language, n_
from cutover.engine.resourcing import away_spans, bookings, peaks
from cutover.findings.wording import day_text, when

if TYPE_CHECKING:
    from rich.console import Console

    from cutover.engine.schedule import Schedule
    from cutover.worktime.calendars import WorkCalendar

_BARS = " ▁▂▃▄▅▆▇█"
_HOURLY_UP_TO_DAYS = 3


def print_resources(schedule: Schedule, window: tuple[int, int], console: Console) -> None:
    """The load of every resource over the window, then who works on what in it."""
    graph = schedule.graph
    timebase = graph.timebase
    begin, end = window
    hourly = end - begin <= _HOURLY_UP_TO_DAYS * 1440
    step = 60 if hourly else 1440
    booked = bookings(schedule)
    heading = (
        _(
            "Load against units, one cell per hour, from {begin} to {end} "
            "(! = beyond its units or away)"
        )
        if hourly
        else _(
            "Load against units, one cell per day, from {begin} to {end} "
            "(! = beyond its units or away)"
        )
    )
    console.print(
        Text(heading.format(begin=when(timebase, begin), end=when(timebase, end)), style="bold")
    )
    for resource in graph.plan.resources:
        away = away_spans(graph, resource)
        cells = Text()
        edges = [*range(begin, end, step), end]
        slots = zip(pairwise(edges), peaks(booked[resource.id], edges), strict=True)
        for (left, right), load in slots:
            gone = any(a < right and b > left for a, b in away)
            if load > resource.units or (gone and load):
                cells.append("!", style="bold red")
            else:
                level = round(len(_BARS[1:]) * load / resource.units) if load else 0
                cells.append(_BARS[level], style="yellow" if level == len(_BARS) - 1 else "")
        label = f"{resource.id} ({resource.units})"
        console.print(Text(f"  {label:<24} ").append(cells))
    console.print()
    table = Table(title=_("Who is on what"), title_justify="left", box=box.SIMPLE_HEAD)
    headers = (n_("resource"), n_("task"), n_("from"), n_("to"), n_("units"))
    for header in headers:
        table.add_column(_(header), justify="right" if header == headers[-1] else "left")
    for resource in graph.plan.resources:
        for booking in booked[resource.id]:
            if booking.finish <= begin or booking.start >= end:
                continue
            table.add_row(
                resource.id,
                graph.task(booking.node).id,
                when(timebase, booking.start),
                when(timebase, booking.finish),
                str(booking.units),
            )
        for a, b in away_spans(graph, resource):
            if a < end and b > begin:
                table.add_row(resource.id, _("(away)"), when(timebase, a), when(timebase, b), "")
    console.print(table)


def print_calendar(
    calendar: WorkCalendar, days: tuple[date, date], console: Console, title: str
) -> None:
    """Each day of the window: worked or not, its working hours, and why a day is off."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for header in (n_("day"), n_("working time"), n_("why")):
        table.add_column(_(header))
    spec = calendar.spec
    hours = ", ".join(f"{_clock(b)}-{_clock(e)}" for b, e in spec.hours)
    day, last = days
    for edge in days:  # the tables (and a country's holidays) cover the window
        calendar.is_working_minute(calendar_minute(edge))
    while day <= last:
        worked = calendar.is_workday(day)
        why = ""
        if day in spec.holidays:
            why = _("holiday (the plan's)")
        elif day in calendar.holidays:
            why = _("public holiday ({country})").format(country=spec.holidays_country)
        elif day in calendar.extra_workdays and day.weekday() not in calendar.workdays:
            why = _("make-up working day")
        elif not worked:
            why = _("not a workday")
        table.add_row(
            day.strftime("%a %d %b %Y") if current_language() == "en" else day_text(day),
            hours if worked else "",
            why,
            style="" if worked else "dim",
        )
        day += timedelta(days=1)
    console.print(table)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def calendar_minute(day: date) -> int:
    """The wall-clock minute a day begins (minutes since 1970-01-01, as calendars count)."""
    return (day - date(1970, 1, 1)).days * 1440
