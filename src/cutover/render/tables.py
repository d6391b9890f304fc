"""The schedule as a rich table for people and as CSV for spreadsheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from cutover.common.csvrows import csv_text
from cutover.common.i18n import _, current_language, n_
from cutover.common.text import display_text
from cutover.engine.rows import CSV_COLUMNS, ScheduleRow, csv_record, schedule_rows
from cutover.findings.wording import day_label, status_line, when, work_amount

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult

    from cutover.engine.schedule import Schedule
    from cutover.worktime.timebase import TimeBase

_STATUS_MARK = {
    "done": n_("✓ done"),
    "in_progress": "▶",
    "not_started": "",
    "cancelled": n_("✗ cancelled"),
}


class ScheduleTable:
    """The schedule as a table that drops less important columns when the terminal is narrow."""

    def __init__(self, schedule: Schedule) -> None:
        """Compute the rows once; the columns are chosen for the width at render time."""
        self.schedule = schedule
        self.rows = schedule_rows(schedule)

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
        widths = _WIDTHS
        if current_language() != "en":
            # Longer words ("3 giờ 36 phút"): wider cells, and one column fewer when narrow.
            widths = {**_WIDTHS, **_WIDER}
            columns = columns if width >= 100 else _COLUMNS_BY_WIDTH[3]
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
        room = width - sum(widths[header] + 3 for header in columns) - 3
        table.add_column(
            _HEADERS["task"](),
            min_width=12,
            max_width=max(room, 12),
            no_wrap=True,
            overflow="ellipsis",
        )
        for header in columns:
            justify: JustifyMethod = "right" if header in _RIGHT else "left"
            table.add_column(
                _HEADERS[header](), no_wrap=True, justify=justify, min_width=widths[header]
            )
        for row in rows:
            cells = _cells(row, timebase, year=year)
            table.add_row(
                cells["task"], *(cells[header] for header in columns), style=_row_style(row)
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
#: About how wide each column's cells are (dates without a year, "in progress 60%").
_WIDTHS = {"start": 16, "finish": 16, "slack": 7, "deadline": 10, "to deadline": 11, "status": 15}
#: Wider cells for languages with longer words than English's "3h 36m".
_WIDER = {"start": 14, "finish": 14, "slack": 14, "to deadline": 14, "status": 16}


def schedule_table(schedule: Schedule) -> ScheduleTable:
    """The schedule table (a rich renderable)."""
    return ScheduleTable(schedule)


def _cells(row: ScheduleRow, timebase: TimeBase, *, year: bool) -> dict[str, Text | str]:
    name = Text("  " * row.depth)
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
        "task": name,
        "start": when(timebase, row.start, year=year),
        "finish": when(timebase, row.finish, year=year),
        "slack": work_amount(row.total_slack, row.day_minutes),
        "deadline": deadline,
        "to deadline": "" if to_deadline is None else work_amount(to_deadline, row.day_minutes),
        "status": _status(row),
    }


def _status(row: ScheduleRow) -> str:
    mark = _(_STATUS_MARK[row.status]) if _STATUS_MARK[row.status] else ""
    if row.status == "in_progress" and row.progress is not None:
        mark += f" {round(row.progress * 100)}%"
    if row.critical:
        mark = (_("critical") + " " + mark).strip()
    elif row.deadline_slack is not None and row.deadline_slack < 0:
        mark = (_("late") + " " + mark).strip()
    return mark


def _row_style(row: ScheduleRow) -> str:
    if row.status == "done":
        return "dim"
    if row.deadline_slack is not None and row.deadline_slack < 0:
        return "bold red"
    return "red" if row.critical else ""


def schedule_csv(schedule: Schedule) -> str:
    """The schedule as CSV (UTF-8, one row per task, ISO dates with offsets)."""
    timebase = schedule.graph.timebase
    return csv_text([CSV_COLUMNS, *(csv_record(timebase, row) for row in schedule_rows(schedule))])
