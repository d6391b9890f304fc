"""The schedule as CSV for spreadsheets: UTF-8, one row per task, ISO dates with offsets.

The columns and cells are those of ``cutover schedule --format csv``
(``render.tables.schedule_csv``, which ``export`` may not import; a test keeps the two
byte-identical). ``ExportOptions.excel_bom`` adds the byte order mark without which Excel
reads UTF-8 as the local code page and mangles "Tuyên Quang".
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from cutover.rows import deadline_iso

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView
    from cutover.rows import ScheduleRow
    from cutover.timebase import TimeBase

BOM = "\ufeff"
CSV_COLUMNS = (
    "id", "name", "parent", "summary", "milestone", "start", "finish", "late_start",
    "late_finish", "total_slack_minutes", "free_slack_minutes", "deadline_slack_minutes",
    "critical", "deadline", "status", "progress", "owner", "deliverable", "approver",
    "calendar", "duration_minutes", "line",
)  # fmt: skip


def export_csv(view: ExportView, options: ExportOptions, /) -> bytes:
    """The CSV file, with a BOM first when ``options.excel_bom``."""
    out = io.StringIO()
    if options.excel_bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_record(view.timebase, row) for row in view.rows)
    return out.getvalue().encode()


def csv_record(timebase: TimeBase, row: ScheduleRow) -> list[str | int]:
    """One task's cells, in CSV_COLUMNS order."""
    return [
        row.id,
        row.name,
        row.parent or "",
        _flag(row.summary),
        _flag(row.milestone),
        timebase.iso(row.start),
        timebase.iso(row.finish),
        timebase.iso(row.late_start),
        timebase.iso(row.late_finish),
        row.total_slack,
        row.free_slack,
        "" if row.deadline_slack is None else row.deadline_slack,
        _flag(row.critical),
        deadline_iso(timebase, row) or "",
        row.status,
        "" if row.progress is None else f"{round(row.progress * 100)}%",
        row.owner or "",
        row.deliverable or "",
        row.approver or "",
        row.calendar,
        row.duration,
        row.line,
    ]


def _flag(value: bool) -> str:  # noqa: FBT001 - a cell, not an option
    return "true" if value else "false"
