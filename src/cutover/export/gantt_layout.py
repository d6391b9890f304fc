"""The Gantt chart as shapes in time, drawn by both the SVG (and HTML) and the PDF exporters.

Everything here is in wall-clock minutes, not in pixels or points: a renderer picks a
scale and maps ``minute → x``. The marks follow the terminal chart (``render.gantt``):
critical work, other work, done work, slack up to the latest finish, milestones, summaries,
deadlines, the status date and non-working time. The links between bars are routed
here too (``chart_links``, ``route_link``), so every view draws the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from cutover.common.i18n import current_language
from cutover.findings.states import is_late
from cutover.findings.wording import day_label, month_label
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from cutover.engine.rows import ScheduleRow
    from cutover.export.view import ExportView
    from cutover.findings.states import State
    from cutover.worktime.calendars import WorkCalendar
    from cutover.worktime.timebase import TimeBase

DAY = MINUTES_PER_DAY
#: Colours shared by every chart, one per kind of mark (hex, as SVG and reportlab read them).
PALETTE = {
    "critical": "#d62728",
    "work": "#1f77b4",
    "done": "#2ca02c",
    "slack": "#7f7f7f",
    "milestone": "#1f77b4",
    "summary": "#333333",
    "deadline": "#c2188b",
    "status": "#ff9f00",
    "off": "#ececec",
    "late": "#7a0000",
    "grid": "#d0d0d0",
    "text": "#222222",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Span(NamedTuple):
    """A stretch of time [begin, end) drawn as ``kind`` (a PALETTE key)."""

    begin: int
    end: int
    kind: str


class Tick(NamedTuple):
    """A label on the time axis at ``minute``."""

    minute: int
    label: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One task's marks: bars, a milestone, slack and a deadline."""

    row: ScheduleRow
    label: str
    bars: tuple[Span, ...]
    milestone: Span | None
    slack: Span | None
    deadline: int | None
    late: bool
    states: frozenset[State]


@dataclass(frozen=True)
class ChartLayout:
    """The whole chart in minutes: its window, rows and the status date."""

    first: int
    last: int
    rows: tuple[ChartRow, ...]
    as_of: int | None
    calendars: tuple[WorkCalendar, ...]

    @property
    def minutes(self) -> int:
        """Length of the window."""
        return self.last - self.first


def chart_layout(view: ExportView) -> ChartLayout:
    """Lay out every task of the view; the window spans the plan, its deadlines and status date."""
    schedule = view.schedule
    first, last = _window(view.rows, schedule.as_of)
    rows = tuple(_chart_row(row, schedule.as_of, view.states[row.id]) for row in view.rows)
    calendars = tuple(view.graph.calendar[row.node] for row in view.rows)
    return ChartLayout(first, last, rows, schedule.as_of, calendars)


def _window(rows: list[ScheduleRow], as_of: int | None) -> tuple[int, int]:
    """Whole days from the first start to the last finish, near deadlines and the status date."""
    first = min(row.start for row in rows)
    last = max(row.finish for row in rows)
    # Deadlines and late finishes a little past the work; far ones would stretch the axis
    # over empty weeks (the PDF marks them at its edge instead).
    reach = last + max((last - first) // 4, 2 * DAY)
    last = max([last, *(row.late_finish for row in rows if row.late_finish <= reach)])
    for row in rows:  # deadlines near the plan, missed ones before its first start too
        if row.deadline is not None and first - 31 * DAY <= row.deadline <= reach:
            first, last = min(first, row.deadline), max(last, row.deadline)
    if as_of is not None and first - 31 * DAY <= as_of <= last + 31 * DAY:
        first, last = min(first, as_of), max(last, as_of)
    first = first // DAY * DAY
    last = max(-(-last // DAY) * DAY, first + DAY)
    return first, last


def _chart_row(row: ScheduleRow, as_of: int | None, states: frozenset[State]) -> ChartRow:
    late = is_late(states)
    label = "    " * row.depth + row.name
    if row.status == "cancelled":
        return ChartRow(row, label, (), None, None, row.deadline, late, states)
    slack = None
    if row.status != "done" and row.late_finish > row.finish:
        slack = Span(row.finish, row.late_finish, "slack")
    if row.milestone or (not row.summary and row.finish == row.start):
        kind = (
            "done"
            if row.status == "done"
            else ("critical" if row.critical or late else "milestone")
        )
        return ChartRow(
            row, label, (), Span(row.start, row.start, kind), slack, row.deadline, late, states
        )
    if row.summary:
        kind = "critical" if row.critical or late else "summary"
        bar = (Span(row.start, row.finish, kind),)
        return ChartRow(row, label, bar, None, slack, row.deadline, late, states)
    bars = _work_bars(row, as_of, late=late)
    return ChartRow(row, label, bars, None, slack, row.deadline, late, states)


def _work_bars(row: ScheduleRow, as_of: int | None, *, late: bool) -> tuple[Span, ...]:
    """A task's bar: done work (green) up to the status date, the rest critical or not."""
    rest = "critical" if row.critical or late else "work"
    if row.status == "done":
        return (Span(row.start, row.finish, "done"),)
    if row.status == "in_progress" and as_of is not None and row.start < as_of:
        split = min(as_of, row.finish)
        bars = [Span(row.start, split, "done")]
        if split < row.finish:
            bars.append(Span(split, row.finish, rest))
        return tuple(bars)
    return (Span(row.start, row.finish, rest),)


def off_time(
    calendar: WorkCalendar, first: int, last: int, *, hours: bool
) -> list[tuple[int, int]]:
    """Non-working stretches of a calendar in [first, last): days off, and hours off too."""
    spans: list[tuple[int, int]] = []
    for day in range(first // DAY * DAY, last, DAY):
        if calendar.working_minutes(day, day + DAY) == 0:
            _merge(spans, day, day + DAY)
        elif hours:
            clock = 0
            for begin, end in calendar.spec.hours:
                if begin > clock:
                    _merge(spans, day + clock, day + begin)
                clock = end
            if clock < DAY:
                _merge(spans, day + clock, day + DAY)
    return [
        (max(begin, first), min(end, last)) for begin, end in spans if end > first and begin < last
    ]


def _merge(spans: list[tuple[int, int]], begin: int, end: int) -> None:
    if spans and spans[-1][1] == begin:
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((begin, end))


def calendar_runs(layout: ChartLayout, rows: range) -> Iterator[tuple[WorkCalendar, int, int]]:
    """Consecutive rows on the same calendar, as (calendar, first row, row after the last)."""
    start = rows.start
    for index in rows:
        if index + 1 == rows.stop or layout.calendars[index + 1] is not layout.calendars[index]:
            yield layout.calendars[index], start, index + 1
            start = index + 1


def axis_ticks(
    timebase: TimeBase, first: int, last: int, units_per_day: float
) -> tuple[list[Tick], list[Tick]]:
    """Two rows of axis labels for a window drawn at ``units_per_day``: coarse above, fine below."""
    if units_per_day >= 160:
        return _days(timebase, first, last, long=True), _hours(first, last, 3)
    if units_per_day >= 72:
        return _days(timebase, first, last, long=True), _hours(first, last, 6)
    if units_per_day >= 14:
        return _months(timebase, first, last), _days(timebase, first, last, long=False)
    if units_per_day >= 2.5:
        return _months(timebase, first, last), _mondays(timebase, first, last)
    return _years(timebase, first, last), _months(timebase, first, last, short=True)


def spaced(
    ticks: list[Tick], x_of: Callable[[int], float], width_of: Callable[[str], float]
) -> list[Tick]:
    """The ticks whose labels fit without overlapping the one before (positions in any unit).

    The first tick is often the chart's start in the middle of a month: when its label
    would hide the next one (a month that begins inside the chart), the next one wins.
    """
    kept: list[Tick] = []
    free_from = float("-inf")
    for index, tick in enumerate(ticks):
        x = x_of(tick.minute)
        if x < free_from and index == 1 and len(kept) == 1:
            kept.clear()
            free_from = float("-inf")
        if x >= free_from:
            kept.append(tick)
            free_from = x + width_of(tick.label) + 4
    return kept


def _day_numbers(first: int, last: int) -> range:
    return range(-(-first // DAY) * DAY, last, DAY)


def _days(timebase: TimeBase, first: int, last: int, *, long: bool) -> list[Tick]:
    ticks = []
    for minute in _day_numbers(first, last):
        moment = timebase.naive(minute)
        if long and current_language() != "en":
            label = day_label(timebase, minute)
        elif long:
            label = f"{_DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]}"
        else:
            label = str(moment.day)
        ticks.append(Tick(minute, label))
    return ticks


def _hours(first: int, last: int, every: int) -> list[Tick]:
    step = every * 60
    start = -(-first // step) * step
    return [
        Tick(minute, f"{minute % DAY // 60:02d}")
        for minute in range(start, last, step)
        if minute % DAY
    ]


def _mondays(timebase: TimeBase, first: int, last: int) -> list[Tick]:
    return [
        Tick(minute, str(timebase.naive(minute).day))
        for minute in _day_numbers(first, last)
        if timebase.day_of(minute).weekday() == 0
    ]


def _month_starts(timebase: TimeBase, first: int, last: int) -> Iterator[int]:
    """Midnight of the first of each month in the window, and the window's start."""
    yield first
    moment = timebase.day_of(first).replace(day=1)
    while True:
        moment = (moment + timedelta(days=32)).replace(day=1)
        minute = timebase.minute(moment)
        if minute >= last:
            return
        yield minute


def _months(timebase: TimeBase, first: int, last: int, *, short: bool = False) -> list[Tick]:
    ticks = []
    for minute in _month_starts(timebase, first, last):
        day = timebase.day_of(minute)
        ticks.append(
            Tick(
                minute, month_label(day.month) if short else f"{month_label(day.month)} {day.year}"
            )
        )
    return ticks


def _years(timebase: TimeBase, first: int, last: int) -> list[Tick]:
    ticks = [Tick(first, str(timebase.day_of(first).year))]
    year = timebase.day_of(first).year + 1
    while (minute := timebase.minute(date(year, 1, 1))) < last:
        ticks.append(Tick(minute, str(year)))
        year += 1
    return ticks


class ChartLink(NamedTuple):
    """A link as the plan writes it, between two rows of the chart (indexes into its rows).

    ``begin`` is where it leaves the predecessor (its finish for FS and FF, else its
    start), ``end`` where it reaches the successor (its start for FS and SS, else its
    finish), ``far`` the successor's other end. ``driving`` when it sets the successor's
    date (one of the schedule's tight links).
    """

    pred: int
    succ: int
    type: str
    begin: int
    end: int
    far: int
    driving: bool


class LinkRoute(NamedTuple):
    """A link's line: corners as (minute, row position), row ``i``'s middle at ``i + 0.5``.

    The arrow sits at the last point and points along the last segment: ``heading`` is
    "right" (into a start), "left" (into a finish), or "down" and "up" (onto the top or
    bottom of the successor's bar, where it starts before the predecessor ends).
    """

    link: ChartLink
    points: tuple[tuple[float, float], ...]
    heading: str


#: Where a line dropping onto a bar ends, in rows from the row's top (bars are about 0.6 tall).
BAR_EDGE = 0.22


def chart_links(view: ExportView) -> tuple[ChartLink, ...]:
    """Every link of the plan between two tasks with bars, once each, as the plan writes it.

    A link to or from a summary is drawn to or from the summary's bar (one line, not one
    per task inside it); links of cancelled tasks are not drawn (they have no bar).
    """
    graph, early = view.graph, view.schedule.early
    where = {row.node: index for index, row in enumerate(view.rows)}
    tight = {(edge.pred, edge.succ, edge.type) for edges in early.tight for edge in edges}
    links: dict[tuple[int, int, str], ChartLink] = {}
    for succ, (task, *_rest) in enumerate(graph.tasks):
        for written in task.after or ():
            pred, kind = (
                (graph.index[written], "FS")
                if isinstance(written, str)
                else (graph.index[written.task], written.type)
            )
            if pred not in where or succ not in where or (pred, succ, kind) in links:
                continue
            before, after = view.rows[where[pred]], view.rows[where[succ]]
            if "cancelled" in {before.status, after.status}:
                continue
            to_start = kind in {"FS", "SS"}
            links[pred, succ, kind] = ChartLink(
                where[pred],
                where[succ],
                kind,
                before.finish if kind in {"FS", "FF"} else before.start,
                after.start if to_start else after.finish,
                after.finish if to_start else after.start,
                any((pred, leaf, kind) in tight for leaf in _leaves(graph.children, succ)),
            )
    return tuple(links.values())


def _leaves(children: list[list[int]], node: int) -> list[int]:
    """The node itself, or every task inside a summary (the links' successors)."""
    if not children[node]:
        return [node]
    return [leaf for child in children[node] for leaf in _leaves(children, child)]


def route_link(link: ChartLink, gap: float) -> LinkRoute:
    """The line of one link, the same in every view; ``gap`` is a short stub, in minutes.

    The line leaves the predecessor's end sideways (right from a finish, left from a
    start), runs down or up beside the bars, and enters the successor's end from outside
    its bar. When the successor's bar already runs under the stub's end (it starts as or
    before the predecessor ends), the line drops onto the bar there; otherwise, when the
    ends overlap, it turns along the row boundary next to the successor, crossing no bar.
    """
    out = 1 if link.type in {"FS", "FF"} else -1  # leaves right from a finish
    into = 1 if link.type in {"FS", "SS"} else -1  # enters a start from its left
    y1, y2 = link.pred + 0.5, link.succ + 0.5
    leave, arrive = link.begin + out * gap, link.end - into * gap
    heading = "right" if into == 1 else "left"
    corners: tuple[tuple[float, float], ...]
    if out != into:  # SS: left of both ends; FF: right of both
        column = min(leave, arrive) if out == -1 else max(leave, arrive)
        corners = ((column, y1), (column, y2))
    elif (leave <= arrive) == (out == 1):  # FS or SF with room between the ends
        corners = ((arrive, y1), (arrive, y2))
    elif min(link.end, link.far) <= leave <= max(link.end, link.far):
        below = link.succ > link.pred
        edge = link.succ + (BAR_EDGE if below else 1 - BAR_EDGE)
        points = ((float(link.begin), y1), (leave, y1), (leave, edge))
        return LinkRoute(link, points, "down" if below else "up")
    else:
        edge = link.succ + (0.0 if link.succ > link.pred else 1.0)
        corners = ((leave, y1), (leave, edge), (arrive, edge), (arrive, y2))
    points = ((float(link.begin), y1), *corners, (float(link.end), y2))
    return LinkRoute(link, points, heading)
