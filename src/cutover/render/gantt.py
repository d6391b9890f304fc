"""A Gantt chart for the terminal, as a rich renderable that fits the width it is given.

Each row is a task under its summary; each column a slice of time (15 minutes to several
weeks, the finest that fits). Glyphs differ as well as colours, so the chart reads the
same with ``NO_COLOR`` and in a CI log: critical work, critical summaries and critical
milestones each have a glyph of their own.

A task's marks (done, in progress, late, at risk, critical ...) come from
``findings.states``: the chart shows what ``check`` reports, every state that holds.
Widths are terminal cells (CJK and emoji take two), of text normalised to NFC.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.measure import Measurement
from rich.text import Text

from cutover.common.errors import UsageError
from cutover.common.i18n import _, current_language, n_, ngettext
from cutover.common.text import display_text
from cutover.engine.rows import ScheduleRow, schedule_rows
from cutover.findings.gates import rolling_back
from cutover.findings.states import State, is_late, task_states
from cutover.findings.wording import day_label, month_label, status_line, when
from cutover.render.marks import LEGEND
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions, RenderResult

    from cutover.engine.schedule import Schedule
    from cutover.findings.pipeline import Analysis
    from cutover.findings.states import TaskStates
    from cutover.worktime.calendars import WorkCalendar
    from cutover.worktime.timebase import TimeBase

DAY = MINUTES_PER_DAY
WEEK = 7 * DAY
#: Minutes per column, finest first, for each scale.
SCALES: dict[str, tuple[int, ...]] = {
    "hour": (15, 30, 60, 120),
    "day": (180, 240, 360, 480, 720, DAY),
    "week": (
        DAY, 2 * DAY, 3 * DAY, 4 * DAY, 5 * DAY, WEEK, 10 * DAY, 2 * WEEK, 3 * WEEK, 4 * WEEK,
        6 * WEEK, 8 * WEEK, 12 * WEEK, 16 * WEEK, 24 * WEEK, 32 * WEEK,
    ),
}  # fmt: skip
_AUTO = tuple(sorted({minutes for ladder in SCALES.values() for minutes in ladder}))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

GLYPH = {
    "critical": "█",
    "work": "▒",
    "done": "▓",
    "slack": "─",
    "milestone": "◆",
    "critical_milestone": "◈",
    "summary": "━",
    "critical_summary": "═",
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
    "critical_milestone": "bold red",
    "summary": "default",
    "critical_summary": "red",
    "deadline": "bold magenta",
    "status": "yellow",
    "off": "bright_black",
}


#: The marks before a task's name: its progress, then how it stands against its deadline.
PROGRESS_MARKS = {
    State.DONE: ("✓", "green"),
    State.IN_PROGRESS: ("▶", "yellow"),
    State.CANCELLED: ("✗", "dim"),
}
DEADLINE_MARKS = {
    State.MISSED_DEADLINE: ("!", "bold red"),
    State.LATE: ("!", "bold red"),
    State.LATE_START: ("»", "yellow"),
    State.FINISHED_LATE: ("¡", "red"),
    State.AT_RISK: ("~", "bold yellow"),
}
#: The third mark: on the critical path (the bars say it too, but a deadline may cover them).
CRITICAL_MARK = ("*", "bold red")
#: The legend of those marks, in order.
MARK_LEGEND = (
    ("✓", n_("done"), "green"),
    ("▶", n_("in progress"), "yellow"),
    ("✗", n_("cancelled"), "dim"),
    ("!", n_("late or deadline missed"), "bold red"),
    ("»", n_("start overdue"), "yellow"),
    ("¡", n_("finished late"), "red"),
    ("~", n_("at risk"), "bold yellow"),
    ("*", n_("critical"), "bold red"),
)


@dataclass(frozen=True)
class GanttOptions:
    """What to draw: a window of days (``None``: the whole plan), a time scale, which rows.

    ``depth`` keeps rows down to that level (1: the top level only); ``critical`` keeps
    the critical, late and at-risk tasks; ``filters`` keeps the tasks whose id or owner
    matches one of the globs. Summaries above a kept task are kept, to show where it is.
    """

    start: date | datetime | None = None
    end: date | datetime | None = None
    scale: str = "auto"
    depth: int | None = None
    critical: bool = False
    filters: tuple[str, ...] = ()
    #: Repeat the axis every this many rows (a pager's screenful), or never.
    repeat_axis: int | None = None


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
    """A rich renderable Gantt chart of an analysed plan."""

    def __init__(self, analysis: Analysis, options: GanttOptions | None = None) -> None:
        """Prepare the rows and their states once; the layout is computed at render time."""
        self.schedule: Schedule = analysis.schedule
        self.options = options or GanttOptions()
        self.states: TaskStates = task_states(analysis)
        self._rolling_back = rolling_back(analysis.findings)
        self.all_rows = schedule_rows(self.schedule)
        self.rows = select_rows(self.all_rows, self.states, self.options)
        self.timebase = self.schedule.graph.timebase
        self._as_of = self.schedule.as_of
        self._names = {row.node: display_name(row.name) for row in self.rows}

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
        every = self.options.repeat_axis
        for number, row in enumerate(self.rows):
            if every and number and number % every == 0:
                yield from self._header(axis, label_width)
            calendar = self.schedule.graph.calendar[row.node]
            if calendar.name not in shading:
                shading[calendar.name] = _working_columns(calendar, axis)
            line = self._label(row, label_width)
            line.append(" ")
            line.append_text(self._bar(row, axis, shading[calendar.name]))
            yield line
        if not self.rows:
            yield Text("No task matches the filter.", style="yellow")
        yield from self._legend(axis, width)

    # -- layout ---------------------------------------------------------------------------

    def _label_width(self, width: int) -> int:
        """Room for the marks and the longest name, up to 40% of the width."""
        longest = max(
            (2 * row.depth + cell_len(self._names[row.node]) + 4 for row in self.rows), default=10
        )
        return max(12, min(longest, int(width * 0.4)))

    def _window(self) -> tuple[int, int]:
        """First and last minute to show: the plan's span, deadlines and status date."""
        first, last = plan_window(self.schedule, self.all_rows)
        if self.options.start is not None:
            first = self.timebase.minute(self.options.start)
        if self.options.end is not None:
            last = self.timebase.minute(self.options.end, end_of_day=True)
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
        title = Text(display_name(schedule.graph.plan.plan), style="bold")
        if self._rolling_back is not None:
            title.append(f"  {self._rolling_back}", style="bold reverse red")
        yield title
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
        """Three marks (progress, deadline, critical) and the name under its summary, cut to fit."""
        states = self.states[row.id]
        progress = next((PROGRESS_MARKS[s] for s in PROGRESS_MARKS if s in states), (" ", ""))
        deadline = next((DEADLINE_MARKS[s] for s in DEADLINE_MARKS if s in states), (" ", ""))
        critical = CRITICAL_MARK if State.CRITICAL in states else (" ", "")
        text = Text.assemble(progress, deadline, critical, " ")
        name = "  " * row.depth + self._names[row.node]
        name_style = "bold" if row.summary else ("dim" if states & _FINISHED else "")
        if State.CANCELLED in states:
            name_style += " strike"
        if is_late(states):
            name_style += " red"
        text.append(fit_cells(name, width - 4), style=name_style.strip())
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
        self._draw_task(row, axis, cells)
        # The deadline goes on top: the one mark a late task's chart exists to show.
        if row.deadline is not None:
            column = axis.column(row.deadline - 1)
            if 0 <= column < axis.columns:
                cells[column] = (GLYPH["deadline"], STYLE["deadline"])
        text = Text()
        for glyph, style in cells:
            text.append(glyph, style=style)
        return text

    def _draw_task(self, row: ScheduleRow, axis: _Axis, cells: list[tuple[str, str]]) -> None:
        states = self.states[row.id]
        if State.CANCELLED in states or row.finish < axis.origin:
            return
        late, critical = is_late(states), State.CRITICAL in states
        if row.milestone or (not row.summary and row.finish == row.start):
            column = axis.column(row.start)
            if 0 <= column < axis.columns:
                cells[column] = _milestone_cell(states)
            return
        if row.summary:
            kind = "critical_summary" if critical else "summary"
            style = "bold red" if late else STYLE[kind]
            for column in axis.span(row.start, row.finish):
                cells[column] = (GLYPH[kind], style)
            return
        done_until = None  # work before this instant is done
        if State.DONE in states:
            done_until = row.finish + axis.step
        elif State.IN_PROGRESS in states and self._as_of is not None:
            done_until = self._as_of
        kind = "critical" if critical else "work"
        for column in axis.span(row.start, row.finish):
            middle = axis.origin + column * axis.step + axis.step // 2
            if done_until is not None and middle < done_until:
                cells[column] = (GLYPH["done"], STYLE["done"])
            else:
                cells[column] = (GLYPH[kind], "bold red" if late else STYLE[kind])

    def _legend(self, axis: _Axis, width: int) -> Iterator[Text]:
        pieces = [
            Text.assemble((GLYPH[key], STYLE[key]), f" {_(label)}  ") for key, label in _LEGEND
        ]
        pieces += [
            Text.assemble((mark, style), f" {_(label)}  ") for mark, label, style in MARK_LEGEND
        ]
        line = Text()
        lines = []
        for piece in pieces:
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


_FINISHED = frozenset({State.DONE, State.CANCELLED})
#: The shared legend, with the terminal's own glyphs for critical summaries and milestones.
_EXTRA = {
    "milestone": ("critical_milestone", n_("critical milestone")),
    "summary": ("critical_summary", n_("critical summary")),
}
_LEGEND = tuple(
    item
    for key, label in LEGEND
    for item in ((key, label), *((_EXTRA[key],) if key in _EXTRA else ()))
)


def _milestone_cell(states: frozenset[State]) -> tuple[str, str]:
    """A milestone's glyph: done (green), critical (its own glyph), late (red) or plain."""
    if State.DONE in states:
        return GLYPH["milestone"], "green"
    if State.CRITICAL in states:
        return GLYPH["critical_milestone"], STYLE["critical_milestone"]
    return GLYPH["milestone"], "bold red" if is_late(states) else STYLE["milestone"]


def display_name(name: str) -> str:
    """A name as the terminal shows it: NFC (decomposed Vietnamese composed), on one line.

    ``display_text`` first writes control and bidirectional characters as visible escapes
    (a hostile plan's name must not act on the terminal); runs of spaces then become one.
    """
    return " ".join(display_text(unicodedata.normalize("NFC", name)).split())


def fit_cells(text: str, cells: int) -> str:
    """``text`` cut with an ellipsis to at most ``cells`` terminal cells, padded to exactly that."""
    if cells <= 0:
        return ""
    if cell_len(text) > cells:
        text = set_cell_size(text, cells - 1) + "…"
    return set_cell_size(text, cells)


def plan_window(schedule: Schedule, rows: list[ScheduleRow]) -> tuple[int, int]:
    """The plan's span, with the status date and the deadlines near it."""
    first = min(row.start for row in rows)
    last = max(row.finish for row in rows)
    if schedule.as_of is not None and first <= schedule.as_of <= last + DAY:
        last = max(last, schedule.as_of + 1)
    # Show deadlines a little after the finish; far ones would squash the chart.
    reach = last + max((last - first) // 4, DAY)
    deadlines = [row.deadline for row in rows if row.deadline is not None]
    return first, max([last, *(deadline for deadline in deadlines if deadline <= reach)])


def check_window(analysis: Analysis, options: GanttOptions) -> None:
    """A usage error for a window that shows nothing: --to before --from, or off the plan."""
    timebase = analysis.graph.timebase
    first = None if options.start is None else timebase.minute(options.start)
    last = None if options.end is None else timebase.minute(options.end, end_of_day=True)
    if first is not None and last is not None and last <= first:
        raise UsageError(
            _("--to {to} is before --from {start}: the window is empty").format(
                to=timebase.day_of(last - 1), start=timebase.day_of(first)
            )
        )
    begin, end = plan_window(analysis.schedule, schedule_rows(analysis.schedule))
    span = _("the plan runs from {begin} to {end}").format(
        begin=when(timebase, begin), end=when(timebase, end)
    )
    if first is not None and first >= end:
        raise UsageError(
            _("--from {start} is after the plan's end: {span}").format(
                start=timebase.day_of(first), span=span
            )
        )
    if last is not None and last <= begin:
        raise UsageError(
            _("--to {to} is before the plan's start: {span}").format(
                to=timebase.day_of(last - 1), span=span
            )
        )
    if options.depth is not None and options.depth < 1:
        raise UsageError(_("--depth counts levels from 1 (the top level)"))


def select_rows(
    rows: list[ScheduleRow], states: TaskStates, options: GanttOptions
) -> list[ScheduleRow]:
    """The rows ``--depth``, ``--critical`` and ``--filter`` keep, with their summaries."""
    if options.depth is None and not options.critical and not options.filters:
        return rows
    by_id = {row.id: row for row in rows}
    wanted: set[str] = set()
    for row in rows:
        if options.depth is not None and row.depth >= options.depth:
            continue
        if options.critical and not _urgent(states[row.id]):
            continue
        if options.filters and not _matches(row, options.filters):
            continue
        wanted.add(row.id)
        parent = row.parent
        while parent is not None and parent not in wanted:
            wanted.add(parent)
            parent = by_id[parent].parent
    return [row for row in rows if row.id in wanted]


_URGENT = frozenset({State.CRITICAL, State.LATE, State.MISSED_DEADLINE, State.AT_RISK})


def _urgent(states: frozenset[State]) -> bool:
    return not _URGENT.isdisjoint(states)


def _matches(row: ScheduleRow, globs: tuple[str, ...]) -> bool:
    """The id, or the owner (case ignored), matches one of the globs."""
    owner = (row.owner or "").casefold()
    return any(fnmatchcase(row.id, glob) or _owner_matches(owner, glob) for glob in globs)


def _owner_matches(owner: str, glob: str) -> bool:
    """A glob matches the whole owner; plain words match a part of it (``--filter VNPT``)."""
    if not owner:
        return False
    pattern = glob.casefold()
    if _WILDCARDS.isdisjoint(pattern):
        return pattern in owner
    return fnmatchcase(owner, pattern)


_WILDCARDS = frozenset("*?[")


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
    """True for columns that hold some working time on the calendar.

    Below three hours a column, nights and breaks are shaded; from there up only whole
    days off (weekends, holidays), so that shading reads as background, the same on every
    calendar, and office hours do not stripe the chart like a barcode.
    """
    out = []
    whole_days = axis.step >= 180
    for column in range(axis.columns):
        begin = axis.origin + column * axis.step
        end = begin + axis.step
        if whole_days:
            begin, end = begin // DAY * DAY, -(-end // DAY) * DAY
        out.append(calendar.position(end) > calendar.position(begin))
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


def _month_line(timebase: TimeBase, axis: _Axis, *, years: bool) -> str:
    """Month names where months begin; a month that begins inside the chart always has one.

    Each name must end before the next month begins, so the month the chart starts in
    never hides the next one's name; a name is shortened (``Aug 2025`` → ``Aug``) before it
    is left out, and the last month may run to the chart's edge.
    """
    line = [" "] * axis.columns
    starts = [(max(axis.column(m), 0), timebase.naive(m)) for m in _month_starts(timebase, axis)]
    for index, (column, moment) in enumerate(starts):
        room = (starts[index + 1][0] - column) if index + 1 < len(starts) else axis.columns
        short = month_label(moment.month)
        for label in ([f"{short} {moment.year}"] if years else []) + [short]:
            if len(label) < room and _place(line, column, label):
                break
    return "".join(line).rstrip()


def _month_labels(timebase: TimeBase, axis: _Axis) -> str:
    return _month_line(timebase, axis, years=True)


def _month_ticks(timebase: TimeBase, axis: _Axis) -> str:
    return _month_line(timebase, axis, years=False)


def _year_labels(timebase: TimeBase, axis: _Axis) -> str:
    line = [" "] * axis.columns
    for index, minute in enumerate(_month_starts(timebase, axis)):
        moment = timebase.naive(minute)
        if moment.month == 1 or index == 0:
            _place(line, max(axis.column(minute), 0), str(moment.year))
    return "".join(line).rstrip()
