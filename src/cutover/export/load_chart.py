"""Each resource's load over time against its units, and who is on what: for the PDF and HTML.

The same facts as ``cutover resources`` prints, laid out in minutes for a chart drawn on
the Gantt's date scale: per resource, one bar per time slot as tall as the most units
booked at once in it, whether it is over-allocated in it (``overloads``, the spans the
``overallocated`` finding reports), its absences and its non-working time; and the
bookings and absences of a window as worded table rows, by time. Bookings, overloads and
peaks come from ``engine.resourcing`` on the schedule being exported, so a levelled
export shows the levelled load, as its chart shows the levelled bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from cutover.common.i18n import _
from cutover.engine.resourcing import away_spans, bookings, loads, overloads, peaks
from cutover.findings.wording import when, work_amount
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from cutover.engine.resourcing import ResourceLoad
    from cutover.export.view import ExportView
    from cutover.planfile.model import Resource
    from cutover.worktime.calendars import WorkCalendar

#: Slot lengths in minutes, finest first: a chart takes the finest whose bars are wide
#: enough to see (an hour on a weekend's chart, a day on a month's).
SLOTS = (60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440)


class Slot(NamedTuple):
    """A slot of the chart [begin, end): the most units booked at once, and if too many."""

    begin: int
    end: int
    units: int
    over: bool


@dataclass(frozen=True)
class ResourceBand:
    """One resource's histogram: its slots, absences, calendar and summary."""

    resource: Resource
    load: ResourceLoad
    slots: tuple[Slot, ...]
    away: tuple[tuple[int, int], ...]
    calendar: WorkCalendar

    @property
    def label(self) -> str:
        """The resource's name, else its id."""
        return self.resource.name or self.resource.id

    @property
    def top(self) -> int:
        """The units the band's height stands for: its units or its peak, the larger."""
        return max(self.resource.units, self.load.peak, 1)

    @property
    def summary(self) -> str:
        """``it-centre · units 2 · peak 3 · over its units 5h``."""
        words = _("{id} · units {units} · peak {peak}").format(
            id=self.resource.id, units=self.resource.units, peak=self.load.peak
        )
        if self.load.overallocated_minutes:
            over = work_amount(self.load.overallocated_minutes, MINUTES_PER_DAY)
            words += " · " + _("over its units {time}").format(time=over)
        return words


@dataclass(frozen=True, slots=True)
class ShiftRow:
    """One line of "who is on what": a booking or an absence in the window, worded."""

    begin: int
    end: int
    start: str
    finish: str
    resource: str
    task: str
    name: str
    units: str
    away: bool


def slot_minutes(units_per_day: float, narrowest: float) -> int:
    """The finest slot at least ``narrowest`` units wide at ``units_per_day``."""
    for minutes in SLOTS:
        if minutes * units_per_day / MINUTES_PER_DAY >= narrowest:
            return minutes
    return SLOTS[-1]


def has_resources(view: ExportView) -> bool:
    """Whether the plan declares resources (nothing to draw without them)."""
    return bool(view.graph.plan.resources)


def load_bands(view: ExportView, first: int, last: int, slot: int) -> list[ResourceBand]:
    """Every resource's slots over [first, last), slots aligned to whole ``slot`` lengths."""
    schedule, graph = view.schedule, view.graph
    booked = bookings(schedule)
    over = overloads(schedule)
    summaries = {load.id: load for load in loads(schedule)}
    start = first // slot * slot
    edges = [max(edge, first) for edge in range(start, last, slot)] + [last]
    spans: dict[str, list[tuple[int, int]]] = {resource.id: [] for resource in graph.plan.resources}
    for overload in over:  # by start; one resource's spans never overlap
        spans[overload.resource].append((overload.start, overload.finish))
    bands = []
    for resource in graph.plan.resources:
        slots = tuple(
            Slot(left, right, units, beyond)
            for (left, right), units, beyond in zip(
                pairwise(edges),
                peaks(booked[resource.id], edges),
                _overlapping(spans[resource.id], edges),
                strict=True,
            )
        )
        away = tuple(
            (max(a, first), min(b, last))
            for a, b in away_spans(graph, resource)
            if a < last and b > first
        )
        calendar = graph.calendars[resource.calendar or "default"]
        bands.append(ResourceBand(resource, summaries[resource.id], slots, away, calendar))
    return bands


def _overlapping(spans: list[tuple[int, int]], edges: list[int]) -> list[bool]:
    """Whether each slot [edges[i], edges[i + 1]) meets one of the spans.

    The spans are disjoint and by start, so one pass over both does.
    """
    found = []
    index = 0
    for left, right in pairwise(edges):
        while index < len(spans) and spans[index][1] <= left:
            index += 1
        found.append(index < len(spans) and spans[index][0] < right)
    return found


def plan_window(view: ExportView) -> tuple[int, int]:
    """The plan's window, as ``cutover resources`` takes it: its start to the forecast finish."""
    return view.graph.start, max(view.schedule.finish, view.graph.start + 1)


def shift_rows(view: ExportView, window: tuple[int, int] | None = None) -> list[ShiftRow]:
    """Who is on what in the window (the plan's by default), by start, then resource."""
    graph, timebase = view.graph, view.timebase
    begin, end = window or plan_window(view)
    booked = bookings(view.schedule)
    year = timebase.day_of(begin).year != timebase.day_of(end - 1).year
    rows = []
    for order, resource in enumerate(graph.plan.resources):
        for booking in booked[resource.id]:
            if booking.finish <= begin or booking.start >= end:
                continue
            task = graph.task(booking.node)
            row = ShiftRow(
                booking.start, booking.finish, when(timebase, booking.start, year=year),
                when(timebase, booking.finish, year=year), resource.id, task.id,
                task.name or "", str(booking.units), away=False,
            )  # fmt: skip
            rows.append((booking.start, order, booking.finish, row))
        for a, b in away_spans(graph, resource):
            if a < end and b > begin:
                row = ShiftRow(
                    a, b, when(timebase, a, year=year), when(timebase, b, year=year),
                    resource.id, "", _("(away)"), "", away=True,
                )  # fmt: skip
                rows.append((a, order, b, row))
    rows.sort(key=lambda item: item[:3])
    return [item[3] for item in rows]


def runs(band: ResourceBand) -> list[tuple[int, int, int, bool]]:
    """Neighbouring slots of the same load made one (begin, end, units, over): a bar each."""
    found: list[tuple[int, int, int, bool]] = []
    for slot in band.slots:
        if not slot.units:
            continue
        if found and found[-1][1] == slot.begin and found[-1][2:] == (slot.units, slot.over):
            found[-1] = (found[-1][0], slot.end, slot.units, slot.over)
        else:
            found.append((slot.begin, slot.end, slot.units, slot.over))
    return found
