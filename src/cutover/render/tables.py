"""The schedule as a rich table for people and as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from cutover.rows import CSV_COLUMNS, ScheduleRow, csv_record, schedule_rows
from cutover.wording import deadline_text, status_line, when, work_amount

if TYPE_CHECKING:
    from cutover.schedule import Schedule
    from cutover.timebase import TimeBase

_STATUS_MARK = {
    "done": "✓ done",
    "in_progress": "▶ in progress",
    "not_started": "",
    "cancelled": "✗ cancelled",
}


def schedule_table(schedule: Schedule) -> Table:
    """Tasks grouped under their summaries, with dates, slack and what is critical."""
    timebase = schedule.graph.timebase
    table = Table(
        title=f"{schedule.graph.plan.plan} — {status_line(timebase, schedule.as_of)}",
        title_justify="left",
        show_lines=False,
        pad_edge=False,
    )
    for header, justify in (
        ("task", "left"),
        ("start", "left"),
        ("finish", "left"),
        ("slack", "right"),
        ("to deadline", "right"),
        ("deadline", "left"),
        ("status", "left"),
    ):
        table.add_column(header, justify=justify, no_wrap=header != "task")  # type: ignore[arg-type]
    for row in schedule_rows(schedule):
        table.add_row(*_cells(row, timebase), style=_row_style(row))
    table.caption = (
        f"forecast finish {when(timebase, schedule.finish)} · critical path: "
        + " → ".join(schedule.graph.task(node).id for node in schedule.critical_path)
    )
    table.caption_justify = "left"
    return table


def _cells(row: ScheduleRow, timebase: TimeBase) -> list[Text | str]:
    name = Text("  " * row.depth)
    name.append(row.id, style="bold" if row.summary else "")
    if row.name != row.id:
        name.append(f" {row.name}", style="dim")
    if row.milestone:
        name.append(" ◆")
    deadline = (
        deadline_text(timebase, row.deadline, end_of_day=row.deadline_is_date)
        if row.deadline is not None
        else ""
    )
    return [
        name,
        when(timebase, row.start),
        when(timebase, row.finish),
        work_amount(row.total_slack, row.day_minutes),
        work_amount(row.deadline_slack, row.day_minutes) if row.deadline_slack is not None else "",
        deadline,
        _status(row),
    ]


def _status(row: ScheduleRow) -> str:
    mark = _STATUS_MARK[row.status]
    if row.status == "in_progress" and row.progress is not None:
        mark += f" {round(row.progress * 100)}%"
    if row.critical:
        mark = ("critical " + mark).strip()
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_record(timebase, row) for row in schedule_rows(schedule))
    return out.getvalue()
