"""The schedule as a rich table for people and as CSV for spreadsheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cutover.common.csvrows import csv_text
from cutover.common.i18n import _, current_language, n_
from cutover.common.text import display_text
from cutover.engine.rows import (
    CSV_COLUMNS,
    STATES_COLUMN,
    ScheduleRow,
    csv_record,
    schedule_rows,
)
from cutover.findings.states import State, is_late, ordered, state_words, task_states
from cutover.findings.wording import day_label, status_line, when, work_amount

if TYPE_CHECKING:
    from rich.console import (
        Console,
        ConsoleOptions,
        JustifyMethod,
        RenderableType,
        RenderResult,
    )

    from cutover.findings.pipeline import Analysis
    from cutover.worktime.timebase import TimeBase


class ScheduleTable:
    """The schedule as a table that drops less important columns when the terminal is narrow."""

    def __init__(self, analysis: Analysis) -> None:
        """Compute the rows and states once; the columns are chosen for the width at render time."""
        self.schedule = analysis.schedule
        self.rows = schedule_rows(analysis.schedule)
        self.states = task_states(analysis)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the table for the width given."""
        yield self.table(options.max_width)

    def table(self, width: int) -> Table:
        """Tasks under their summaries with dates, slack, deadlines and status."""
        schedule, rows = self.schedule, self.rows
        timebase = schedule.graph.timebase
        years = {timebase.naive(row.start).year for row in rows}
        year = len(years | {timebase.naive(schedule.finish).year}) > 1
        columns = _COLUMNS_BY_WIDTH[0 if width >= 120 else 1 if width >= 100 else 2]
        if current_language() != "en" and width < 100:
            # Longer words ("3 giờ 36 phút"): one column fewer when narrow.
            columns = _COLUMNS_BY_WIDTH[3]
        table = Table(
            title=(
                f"{display_text(schedule.graph.plan.plan)} — "
                f"{status_line(timebase, schedule.as_of)}"
            ),
            title_justify="left",
            pad_edge=False,
            box=box.SIMPLE_HEAD,
            caption=(
                _("forecast finish {when} · critical path: {path}").format(
                    when=when(timebase, schedule.finish),
                    path=" → ".join(
                        schedule.graph.task(node).id for node in schedule.critical_path
                    ),
                )
            ),
            caption_justify="left",
        )
        table.add_column(_HEADERS["task"](), min_width=12, ratio=1, overflow="fold")
        for header in columns:
            justify: JustifyMethod = "right" if header in _RIGHT else "left"
            if header == "status":
                table.add_column(_HEADERS[header](), min_width=15, overflow="fold")
            else:
                table.add_column(_HEADERS[header](), no_wrap=True, justify=justify)
        for row in rows:
            states = self.states[row.id]
            cells = _cells(row, states, timebase, year=year)
            table.add_row(
                cells["task"], *(cells[header] for header in columns), style=_row_style(states)
            )
        return table


_COLUMNS_BY_WIDTH = (
    ("start", "finish", "slack", "deadline", "to deadline", "status"),
    ("start", "finish", "slack", "to deadline", "status"),
    ("finish", "slack", "to deadline", "status"),
    ("finish", "slack", "status"),
)
_RIGHT = {"slack", "to deadline"}
#: The headings of the schedule table as one message (see ``render.status.headings``).
_HEADINGS = n_("task · start · finish · slack · deadline · to deadline · status")
_KEYS = ("task", "start", "finish", "slack", "deadline", "to deadline", "status")
#: Each column's heading in the reader's language, worked out when the table is drawn.
_HEADERS = {
    key: (lambda index=index: _(_HEADINGS).split(" · ")[index]) for index, key in enumerate(_KEYS)
}


def schedule_table(analysis: Analysis) -> ScheduleTable:
    """The schedule table (a rich renderable)."""
    return ScheduleTable(analysis)


def _cells(
    row: ScheduleRow, states: frozenset[State], timebase: TimeBase, *, year: bool
) -> dict[str, RenderableType]:
    name = Text()
    name.append(row.id, style="bold" if row.summary else "")
    if row.name != row.id:
        name.append(f" {display_text(row.name)}", style="dim")
    if row.milestone:
        name.append(" ◆")
    deadline = ""
    if row.deadline is not None:
        deadline = (
            day_label(timebase, row.deadline - 1)
            if row.deadline_is_date
            else when(timebase, row.deadline, year=year)
        )
    to_deadline = row.deadline_slack
    return {
        "task": Padding(name, (0, 0, 0, 2 * row.depth)),  # wrapped lines keep the indent
        "start": when(timebase, row.start, year=year),
        "finish": when(timebase, row.finish, year=year),
        "slack": work_amount(row.total_slack, row.day_minutes),
        "deadline": deadline,
        "to deadline": "" if to_deadline is None else work_amount(to_deadline, row.day_minutes),
        "status": state_words(states, row.progress),
    }


def _row_style(states: frozenset[State]) -> str:
    if State.DONE in states or State.CANCELLED in states:
        return "dim"
    if is_late(states):
        return "bold red"
    return "red" if State.CRITICAL in states else ""


def schedule_csv(analysis: Analysis) -> str:
    """The schedule as CSV (UTF-8, one row per task, ISO dates with offsets, its states)."""
    timebase = analysis.graph.timebase
    states = task_states(analysis)
    records = (
        [*csv_record(timebase, row), " ".join(ordered(states[row.id]))]
        for row in schedule_rows(analysis.schedule)
    )
    return csv_text([[*CSV_COLUMNS, STATES_COLUMN], *records])
