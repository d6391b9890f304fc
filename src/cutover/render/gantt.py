"""A Gantt chart for the terminal, as a rich renderable that fits the width it is given.

Each row is a task under its summary; each column a slice of time (15 minutes to several
weeks, the finest that fits). Glyphs differ as well as colours, so the chart reads the
same with ``NO_COLOR`` and in a CI log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.measure import Measurement
from rich.text import Text

from cutover.common.i18n import _, current_language, ngettext
from cutover.common.text import display_text
from cutover.engine.rows import ScheduleRow, schedule_rows
from cutover.findings.wording import day_label, month_label, status_line, when
from cutover.render.marks import LEGEND
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions, RenderResult

    from cutover.engine.schedule import Schedule
    from cutover.worktime.calendars import WorkCalendar
    from cutover.worktime.timebase import TimeBase

DAY = MINUTES_PER_DAY
WEEK = 7 * DAY
#: Minutes per column, finest first, for each scale.
SCALES: dict[str, tuple[int, ...]] = {
    "hour": (15, 30, 60, 120),
    "day": (180, 240, 360, 480, 720, DAY),
    "week": (DAY, 2 * DAY, 3 * DAY, WEEK, 2 * WEEK, 4 * WEEK, 8 * WEEK, 16 * WEEK, 32 * WEEK),
}
_AUTO = tuple(sorted({minutes for ladder in SCALES.values() for minutes in ladder}))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

GLYPH = {
    "critical": "█",
    "work": "▒",
    "done": "▓",
    "slack": "─",
    "milestone": "◆",
    "summary": "━",
    "deadline": "┃",
    "status": "┊",
    "off": "·",
}
STYLE = {
    "critical": "red",
    "work": "cyan",
    "done": "green",
    "slack": "bright_black",
    "milestone": "cyan",
    "summary": "white",
    "deadline": "magenta",
    "status": "yellow",
    "off": "bright_black",
}


@dataclass(frozen=True)
class GanttOptions:
    """What to draw: a window of days (``None``: the whole plan) and a time scale."""

    start: date | datetime | None = None
    end: date | datetime | None = None
    scale: str = "auto"


@dataclass(frozen=True)
class _Axis:
    """The time window of the chart: its first minute, minutes per column, columns."""

    origin: int
    step: int
    columns: int
    cut: bool

    def column(self, minute: int) -> int:
        return (minute - self.origin) // self.step

    def span(self, begin: int, end: int) -> range:
        """Columns overlapped by [begin, end), clipped to the chart; at least one column."""
        first = max(self.column(begin), 0)
        last = min(self.column(max(end - 1, begin)), self.columns - 1)
        return range(first, last + 1)


class GanttChart:
    """A rich renderable Gantt chart of a schedule."""

    def __init__(self, schedule: Schedule, options: GanttOptions | None = None) -> None:
        """Prepare the rows once; the layout is computed for the width given at render time."""
        self.schedule = schedule
        self.options = options or GanttOptions()
        self.rows = schedule_rows(schedule)
        self.timebase = schedule.graph.timebase
        self._late = {row.node for row in self.rows if _is_late(row, schedule.as_of)}
        self._as_of = schedule.as_of
        self._at_risk = {
            row.node
            for row in self.rows
            if row.deadline_slack is not None and row.deadline_slack < 480
        }

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The chart takes the whole width it is given, and needs at least 40 columns."""
        return Measurement(40, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the title, the axis, one line per task and the legend."""
        width = max(options.max_width, 40)
        label_width = self._label_width(width)
        axis = self._axis(width - label_width - 1)
        yield from self._title(axis)
        yield from self._header(axis, label_width)
        shading: dict[str, list[bool]] = {}
        for row in self.rows:
            calendar = self.schedule.graph.calendar[row.node]
            if calendar.name not in shading:
                shading[calendar.name] = _working_columns(calendar, axis)
            line = self._label(row, label_width)
            line.append(" ")
            line.append_text(self._bar(row, axis, shading[calendar.name]))
            yield line
        yield from self._legend(axis, width)

    # -- layout ---------------------------------------------------------------------------

    def _label_width(self, width: int) -> int:
        longest = max(
            (2 * row.depth + len(display_text(row.name)) + 2 for row in self.rows), default=10
        )
        return max(12, min(longest, 40, int(width * 0.35)))

    def _window(self) -> tuple[int, int]:
        """First and last minute to show: the plan's span, deadlines and status date."""
        timebase, schedule = self.timebase, self.schedule
        first = min(row.start for row in self.rows)
        last = max(row.finish for row in self.rows)
        if schedule.as_of is not None and first <= schedule.as_of <= last + DAY:
            last = max(last, schedule.as_of + 1)
        # Show deadlines a little after the finish; far ones would squash the chart.
        reach = last + max((last - first) // 4, DAY)
        deadlines = [row.deadline for row in self.rows if row.deadline is not None]
        last = max([last, *(deadline for deadline in deadlines if deadline <= reach)])
        if self.options.start is not None:
            first = timebase.minute(self.options.start)
        if self.options.end is not None:
            last = timebase.minute(self.options.end, end_of_day=True)
        return first, max(last, first + 1)

    def _axis(self, columns: int) -> _Axis:
        first, last = self._window()
        ladder = _AUTO if self.options.scale == "auto" else SCALES[self.options.scale]
        for step in ladder:
            origin = _align(first, step)
            if (last - origin + step - 1) // step <= columns:
                return _Axis(origin, step, (last - origin + step - 1) // step, cut=False)
        step = ladder[-1]
        return _Axis(_align(first, step), step, columns, cut=True)

    # -- pieces ---------------------------------------------------------------------------

    def _title(self, axis: _Axis) -> Iterator[Text]:
        schedule, timebase = self.schedule, self.timebase
        yield Text(display_text(schedule.graph.plan.plan), style="bold")
        yield Text(
            _("{status} · forecast finish {when} · 1 column = {step}").format(
                status=status_line(timebase, schedule.as_of),
                when=when(timebase, schedule.finish),
                step=_step_name(axis.step),
            ),
            style="dim",
        )

    def _header(self, axis: _Axis, label_width: int) -> Iterator[Text]:
        upper, lower = _axis_labels(self.timebase, axis)
        pad = " " * (label_width + 1)
        yield Text(pad + upper, style="bold")
        yield Text(pad + lower, style="dim")

    def _label(self, row: ScheduleRow, width: int) -> Text:
        mark, style = " ", ""
        if row.status == "done":
            mark, style = "✓", "green"
        elif row.node in self._late:
            mark, style = "!", "bold red"
        elif row.status == "in_progress":
            mark, style = "▶", "yellow"
        elif row.node in self._at_risk:
            mark, style = "~", "yellow"
        name = "  " * row.depth + display_text(row.name)
        room = width - 2
        if len(name) > room:
            name = name[: max(room - 1, 0)] + "…"
        text = Text(mark + " ", style=style)
        name_style = (
            "bold" if row.summary else ("dim" if row.status in {"done", "cancelled"} else "")
        )
        if row.status == "cancelled":
            name_style += " strike"
        text.append(name.ljust(room), style=name_style.strip())
        return text

    def _bar(self, row: ScheduleRow, axis: _Axis, working: list[bool]) -> Text:
        cells = [(GLYPH["off"], STYLE["off"]) if not work else (" ", "") for work in working]
        if self._as_of is not None:
            status_column = axis.column(self._as_of)
            if 0 <= status_column < axis.columns:
                cells[status_column] = (GLYPH["status"], STYLE["status"])
        if row.status not in {"done", "cancelled"} and row.late_finish > row.finish:
            for column in axis.span(row.finish, row.late_finish):
                cells[column] = (GLYPH["slack"], STYLE["slack"])
        if row.deadline is not None:
            column = axis.column(row.deadline - 1)
            if 0 <= column < axis.columns:
                cells[column] = (GLYPH["deadline"], STYLE["deadline"])
        self._draw_task(row, axis, cells)
        text = Text()
        for glyph, style in cells:
            text.append(glyph, style=style)
        return text

    def _draw_task(self, row: ScheduleRow, axis: _Axis, cells: list[tuple[str, str]]) -> None:
        if row.status == "cancelled" or row.finish < axis.origin:
            return
        late = row.node in self._late
        if row.milestone or (not row.summary and row.finish == row.start):
            column = axis.column(row.start)
            if 0 <= column < axis.columns:
                style = (
                    "green"
                    if row.status == "done"
                    else ("bold red" if row.critical or late else STYLE["milestone"])
                )
                cells[column] = (GLYPH["milestone"], style)
            return
        if row.summary:
            style = "bold red" if late else ("red" if row.critical else STYLE["summary"])
            for column in axis.span(row.start, row.finish):
                cells[column] = (GLYPH["summary"], style)
            return
        done_until = None  # work before this instant is done
        if row.status == "done":
            done_until = row.finish + axis.step
        elif row.status == "in_progress" and self._as_of is not None:
            done_until = self._as_of
        kind = "critical" if row.critical else "work"
        for column in axis.span(row.start, row.finish):
            middle = axis.origin + column * axis.step + axis.step // 2
            if done_until is not None and middle < done_until:
                cells[column] = (GLYPH["done"], STYLE["done"])
            else:
                cells[column] = (GLYPH[kind], "bold red" if late else STYLE[kind])

    def _legend(self, axis: _Axis, width: int) -> Iterator[Text]:
        marks = [
            ("✓", _("done"), "green"),
            ("▶", _("in progress"), "yellow"),
            ("!", _("late"), "bold red"),
            ("~", _("at risk"), "yellow"),
        ]
        line = Text()
        lines = []
        for key, label in LEGEND:
            piece = Text.assemble((GLYPH[key], STYLE[key]), f" {_(label)}  ")
            if line.cell_len + piece.cell_len > width and line.cell_len:
                lines.append(line)
                line = Text()
            line.append_text(piece)
        for mark, label, style in marks:
            piece = Text.assemble((mark, style), f" {label}  ")
            if line.cell_len + piece.cell_len > width and line.cell_len:
                lines.append(line)
                line = Text()
            line.append_text(piece)
        lines.append(line)
        yield Text()
        for item in lines:
            item.rstrip()
            yield item
        if axis.cut:
            end = when(self.timebase, axis.origin + axis.columns * axis.step)
            yield Text(
                _("The chart stops at {end}: use --from/--to or a coarser --scale.").format(
                    end=end
                ),
                style="yellow",
            )


def _is_late(row: ScheduleRow, as_of: int | None) -> bool:
    if row.deadline is None or row.status in {"done", "cancelled"}:
        return row.status == "done" and row.deadline is not None and row.finish > row.deadline
    return row.finish > row.deadline or (as_of is not None and row.deadline < as_of)


def _align(minute: int, step: int) -> int:
    """Start columns on a boundary: hours, midnight, or a Monday for weekly columns."""
    if step >= WEEK:
        day = minute // DAY
        monday = day - (day + 3) % 7  # 1970-01-01 was a Thursday
        return monday * DAY
    if step >= 180:
        return minute // DAY * DAY
    return minute // 60 * 60


def _step_name(step: int) -> str:
    if step % WEEK == 0:
        count = step // WEEK
        return ngettext("{count} week", "{count} weeks", count).format(count=count)
    if step % DAY == 0:
        count = step // DAY
        return ngettext("{count} day", "{count} days", count).format(count=count)
    if step % 60 == 0:
        count = step // 60
        return ngettext("{count} hour", "{count} hours", count).format(count=count)
    return _("{count} minutes").format(count=step)


def _working_columns(calendar: WorkCalendar, axis: _Axis) -> list[bool]:
    """True for columns that hold some working time on the calendar."""
    out = []
    for column in range(axis.columns):
        begin = axis.origin + column * axis.step
        out.append(calendar.position(begin + axis.step) > calendar.position(begin))
    return out


def _axis_labels(timebase: TimeBase, axis: _Axis) -> tuple[str, str]:
    """Two header lines: coarse periods above (days, months, years), finer ticks below."""
    if axis.step < 180:
        upper = _period_labels(axis, DAY, lambda m: _day_text(timebase, m))
        lower = _tick_labels(axis, 60 if axis.step <= 30 else 180, lambda m: f"{m % DAY // 60:02d}")
    elif axis.step < WEEK:
        upper = _month_labels(timebase, axis)
        lower = _tick_labels(axis, DAY, lambda m: str(timebase.naive(m).day), priority=WEEK)
    else:
        upper = _year_labels(timebase, axis)
        lower = _month_ticks(timebase, axis)
    return upper, lower


def _day_text(timebase: TimeBase, minute: int) -> str:
    if current_language() != "en":
        return day_label(timebase, minute)
    moment = timebase.naive(minute)
    return f"{moment:%a} {moment.day} {_MONTHS[moment.month - 1]}"


def _place(line: list[str], column: int, label: str) -> bool:
    """Write a label at a column if it fits without touching another label."""
    if column < 0 or column + len(label) > len(line):
        return False
    if any(ch != " " for ch in line[max(column - 1, 0) : column + len(label) + 1]):
        return False
    line[column : column + len(label)] = list(label)
    return True


def _tick_labels(axis: _Axis, every: int, text: object, *, priority: int | None = None) -> str:
    """Labels at each multiple of ``every`` minutes (only Mondays when all do not fit)."""
    line = [" "] * axis.columns
    end = axis.origin + axis.columns * axis.step
    first = (axis.origin + every - 1) // every * every
    ticks = list(range(first, end, every))
    if priority is not None and every // axis.step < 3:
        ticks = [minute for minute in ticks if _phase(minute, priority) == 0]
    for minute in ticks:
        _place(line, axis.column(minute), text(minute))  # type: ignore[operator]
    return "".join(line).rstrip()


def _phase(minute: int, period: int) -> int:
    if period == WEEK:
        return (minute // DAY + 3) % 7
    return minute % period


def _period_labels(axis: _Axis, period: int, text: object) -> str:
    line = [" "] * axis.columns
    end = axis.origin + axis.columns * axis.step
    minute = axis.origin // period * period
    while minute < end:
        label = text(minute)  # type: ignore[operator]
        column = max(axis.column(minute), 0)
        room = axis.column(minute + period) - column
        if room >= 3:
            _place(line, column, label[: room - 1])
        minute += period
    return "".join(line).rstrip()


def _month_starts(timebase: TimeBase, axis: _Axis) -> Iterator[int]:
    end = axis.origin + axis.columns * axis.step
    moment = timebase.naive(axis.origin).replace(day=1, hour=0, minute=0)
    while True:
        minute = timebase.minute(moment)
        if minute >= end:
            return
        yield minute
        moment = (moment + timedelta(days=32)).replace(day=1)


def _month_labels(timebase: TimeBase, axis: _Axis) -> str:
    line = [" "] * axis.columns
    for minute in _month_starts(timebase, axis):
        moment = timebase.naive(minute)
        label = f"{month_label(moment.month)} {moment.year}"
        column = max(axis.column(minute), 0)
        if not _place(line, column, label):
            _place(line, column, month_label(moment.month))
    return "".join(line).rstrip()


def _month_ticks(timebase: TimeBase, axis: _Axis) -> str:
    line = [" "] * axis.columns
    for minute in _month_starts(timebase, axis):
        _place(line, max(axis.column(minute), 0), month_label(timebase.naive(minute).month))
    return "".join(line).rstrip()


def _year_labels(timebase: TimeBase, axis: _Axis) -> str:
    line = [" "] * axis.columns
    for index, minute in enumerate(_month_starts(timebase, axis)):
        moment = timebase.naive(minute)
        if moment.month == 1 or index == 0:
            _place(line, max(axis.column(minute), 0), str(moment.year))
    return "".join(line).rstrip()
