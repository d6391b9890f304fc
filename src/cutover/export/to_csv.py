"""The schedule as CSV for spreadsheets: UTF-8, one row per task, ISO dates with offsets.

The columns and cells are those of ``cutover schedule --format csv``: both write
``rows.csv_record``. ``ExportOptions.excel_bom`` adds the byte order mark without which Excel
reads UTF-8 as the local code page and mangles "Tuyên Quang", and writes dates as
``2025-06-26 09:00:00`` in the plan's time zone, which Excel reads as dates (it keeps an
ISO date with an offset as text). ``ExportOptions.delimiter`` is the separator. The last
column, ``states``, holds what ``check`` says of each task (findings/states.py).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula, so a task named ``=HYPERLINK(…)`` in a plan from
a pull request would run on the reader's machine. For Excel the file is a spreadsheet:
such a text cell gets a leading ``'`` and shows as text (OWASP's advice for CSV injection).
Plain CSV is data, written exactly as the plan has it; numbers are never changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cutover.common.csvrows import csv_text
from cutover.engine.rows import CSV_COLUMNS, STATES_COLUMN, csv_record
from cutover.findings.states import ordered

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cutover.export.view import ExportOptions, ExportView

BOM = "\ufeff"
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_csv(view: ExportView, options: ExportOptions, /) -> bytes:
    """The CSV file, with a BOM first when ``options.excel_bom``."""
    records: Iterable[list[str | int]] = (
        [*csv_record(view.timebase, row), " ".join(ordered(view.states[row.id]))]
        for row in view.rows
    )
    if options.excel_bom:
        records = (_for_excel(record) for record in records)
    text = csv_text([[*CSV_COLUMNS, STATES_COLUMN], *records], options.delimiter)
    return ((BOM if options.excel_bom else "") + text).encode()


def _for_excel(record: list[str | int]) -> list[str | int]:
    """A record as Excel should read it: local dates, formula-like text quoted."""
    cells = [_as_text(cell) for cell in record]
    for column in _DATES:
        cells[column] = excel_date(str(record[column]))
    return cells


def _as_text(cell: str | int) -> str | int:
    """A text cell a spreadsheet would run as a formula, made text with a leading ``'``."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


_DATES = [
    CSV_COLUMNS.index(name) for name in ("start", "finish", "late_start", "late_finish", "deadline")
]


def excel_date(iso: str) -> str:
    """``2025-06-26T09:00:00+07:00`` → ``2025-06-26 09:00:00``: local time Excel reads."""
    if not iso:
        return iso
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
