"""The schedule as CSV for spreadsheets: UTF-8, one row per task, ISO dates with offsets.

The columns and cells are those of ``cutover schedule --format csv``: both write
``rows.csv_record``. ``ExportOptions.excel_bom`` adds the byte order mark without which Excel
reads UTF-8 as the local code page and mangles "Tuyên Quang".

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula, so a task named ``=HYPERLINK(…)`` in a plan from
a pull request would run on the reader's machine. For Excel the file is a spreadsheet:
such a text cell gets a leading ``'`` and shows as text (OWASP's advice for CSV injection).
Plain CSV is data, written exactly as the plan has it; numbers are never changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.csvrows import csv_text
from cutover.engine.rows import CSV_COLUMNS, csv_record

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cutover.export.view import ExportOptions, ExportView

BOM = "\ufeff"
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_csv(view: ExportView, options: ExportOptions, /) -> bytes:
    """The CSV file, with a BOM first when ``options.excel_bom``."""
    records: Iterable[list[str | int]] = (csv_record(view.timebase, row) for row in view.rows)
    if options.excel_bom:
        records = ([_as_text(cell) for cell in record] for record in records)
    text = csv_text([CSV_COLUMNS, *records])
    return ((BOM if options.excel_bom else "") + text).encode()


def _as_text(cell: str | int) -> str | int:
    """A text cell a spreadsheet would run as a formula, made text with a leading ``'``."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell
