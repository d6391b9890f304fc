r"""CSV text with one row per line, whatever the cells hold.

Python's writer quotes a cell that holds the line terminator we use (``\n``) but not a
bare carriage return, and every reader (Excel too) ends a row at one: a task name with a
``\r`` in it split its row in two. Such a row is written with a CRLF writer, which quotes
every cell holding ``\r``, and ended with ``\n`` like the others; any other row is
exactly what the standard writer gives.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def csv_text(rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    r"""The rows as CSV, each ending in ``\n``; cells holding ``\r`` are quoted.

    ``delimiter`` is the separator (``,`` unless the reader wants ``;``, a tab or ``|``).
    """
    out = io.StringIO()
    plain = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    quoting = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        if any(isinstance(cell, str) and "\r" in cell for cell in row):
            quoting.writerow(row)
            out.seek(out.tell() - 2)
            out.truncate()
            out.write("\n")
        else:
            plain.writerow(row)
    return out.getvalue()
