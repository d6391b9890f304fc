"""The schedule as CSV for spreadsheets: UTF-8, one row per task, ISO dates with offsets.

The columns and cells are those of ``cutover schedule --format csv``: both write
``rows.csv_record``. ``ExportOptions.excel_bom`` adds the byte order mark without which Excel
reads UTF-8 as the local code page and mangles "Tuyên Quang".
"""

from __future__ import annotations

import csv
import io
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
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, STATES_COLUMN])
    writer.writerows(
        [*csv_record(view.timebase, row), " ".join(ordered(view.states[row.id]))]
        for row in view.rows
    )
    return out.getvalue().encode()
