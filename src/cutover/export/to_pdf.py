"""The printable schedule as PDF: title block, the Gantt with its columns, "page N of M".

reportlab is pure Python (pip alone, no system library; FIELD_NOTES §4); ``pdf_gantt``
draws each page of the chart with its table columns and repeats their headers. The
bundled DejaVu Sans is embedded so that
Vietnamese prints. The output is reproducible: no clock, no random document id. The work
is in ``pdf_document``, imported here only when a PDF is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView


def export_pdf(view: ExportView, options: ExportOptions, /) -> bytes:
    """The whole PDF document, on the paper and in the orientation of ``options``."""
    from cutover.export.pdf_document import render_pdf  # noqa: PLC0415 - reportlab only when asked

    return render_pdf(view, options)
