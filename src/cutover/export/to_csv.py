"""The schedule as CSV for spreadsheets: UTF-8, one row per task, ISO dates with offsets.

The columns and cells are those of ``cutover schedule --format csv``: both write
``rows.csv_record``. ``ExportOptions.excel_bom`` adds the byte order mark without which Excel
reads UTF-8 as the local code page and mangles "Tuyên Quang", and writes dates as
``2025-06-26 09:00:00`` in the plan's time zone, which Excel reads as dates (it keeps an
ISO date with an offset as text). ``ExportOptions.delimiter`` is the separator.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TYPE_CHECKING

from cutover.engine.rows import CSV_COLUMNS, STATES_COLUMN, csv_record
from cutover.findings.states import ordered

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView

BOM = "\ufeff"


def export_csv(view: ExportView, options: ExportOptions, /) -> bytes:
    """The CSV file, with a BOM first when ``options.excel_bom``."""
    out = io.StringIO()
    if options.excel_bom:
        out.write(BOM)
    writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, STATES_COLUMN])
    for row in view.rows:
        record = [*csv_record(view.timebase, row), " ".join(ordered(view.states[row.id]))]
        if options.excel_bom:
            for column in _DATES:
                record[column] = excel_date(str(record[column]))
        writer.writerow(record)
    return out.getvalue().encode()


_DATES = [
    CSV_COLUMNS.index(name) for name in ("start", "finish", "late_start", "late_finish", "deadline")
]


def excel_date(iso: str) -> str:
    """``2025-06-26T09:00:00+07:00`` → ``2025-06-26 09:00:00``: local time Excel reads."""
    if not iso:
        return iso
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
