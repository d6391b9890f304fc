"""Exports of a schedule: PDF, HTML, SVG, CSV, iCalendar, Mermaid, Markdown, JSON and more.

``export(analysis, fmt, options)`` builds the view once (``view.build_view``) and hands it
to one exporter of ``EXPORTERS``, which returns the whole file as bytes; ``write_export``
then writes it atomically, so an error leaves no half file. Heavy libraries (reportlab,
icalendar, jinja2) are imported inside the exporters that need them. The interchange
formats (MS Project XML, TaskJuggler, Primavera XER) are written by
``cutover.interchange``, which also reads them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol

from cutover.common.errors import UsageError
from cutover.common.files import write_output
from cutover.common.i18n import _
from cutover.export.to_csv import export_csv
from cutover.export.to_html import export_html
from cutover.export.to_ics import export_ics
from cutover.export.to_json import export_json
from cutover.export.to_markdown import export_markdown
from cutover.export.to_mermaid import export_mermaid
from cutover.export.to_mspdi import export_mspdi
from cutover.export.to_pdf import export_pdf
from cutover.export.to_svg import export_svg
from cutover.export.to_tjp import export_tjp
from cutover.export.to_xer import export_xer
from cutover.export.view import ExportOptions, ExportView, build_view

if TYPE_CHECKING:
    from pathlib import Path

    from cutover.findings.pipeline import Analysis

__all__ = [
    "EXPORTERS",
    "EXTENSIONS",
    "ExportOptions",
    "ExportView",
    "Exporter",
    "export",
    "format_for_path",
    "left_out",
    "write_export",
]


class Exporter(Protocol):
    """Turns the export view into the bytes of one file."""

    def __call__(self, view: ExportView, options: ExportOptions, /) -> bytes:
        """Return the complete file; raise rather than return part of one."""


#: Every format, by the name ``cutover export --format`` takes.
EXPORTERS: dict[str, Exporter] = {
    "pdf": export_pdf,
    "html": export_html,
    "svg": export_svg,
    "csv": export_csv,
    "ics": export_ics,
    "mermaid": export_mermaid,
    "md": export_markdown,
    "json": export_json,
    "mspdi": export_mspdi,
    "tjp": export_tjp,
    "xer": export_xer,
}
#: File extensions (lower case, with the dot) and the format each one means.
EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".csv": "csv",
    ".ics": "ics",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "md",
    ".json": "json",
    ".xml": "mspdi",
    ".tjp": "tjp",
    ".xer": "xer",
}


#: The formats that have no go/no-go decisions, by the name ``left_out`` gives them.
NO_RUNBOOK: dict[str, str] = {"tjp": "TaskJuggler", "xer": "Primavera XER"}


def left_out(analysis: Analysis, fmt: str) -> str | None:
    """What an export to ``fmt`` leaves out of the plan's gates and branches, or None.

    The command prints it on stderr, so that an export never drops them silently (MSPDI
    keeps them; the printable formats show the schedule, which has no standby tasks).
    """
    name = NO_RUNBOOK.get(fmt)
    if name is None:
        return None
    from cutover.interchange.runbook_keys import left_out as runbook_left_out  # noqa: PLC0415

    return runbook_left_out(analysis.graph.plan, name)


def format_for_path(path: PurePath | str) -> str | None:
    """The format an output file's extension asks for, or None when it names none."""
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def export(analysis: Analysis, fmt: str, options: ExportOptions) -> bytes:
    """The schedule of ``analysis`` as a complete file in format ``fmt``."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise UsageError(
            _("unknown export format '{format}'; choose one of {formats}").format(
                format=fmt, formats=", ".join(EXPORTERS)
            )
        )
    return exporter(build_view(analysis, options), options)


def write_export(
    analysis: Analysis, path: Path | str, fmt: str | None, options: ExportOptions
) -> str:
    """Export to a file, the format given or taken from its extension; return the format.

    The whole file is made before anything is written, and then replaces the target in
    one step: an error leaves an existing file as it was. ``-`` is standard output; a
    device or a FIFO is written through (``common.files.atomic_write``).
    """
    chosen = fmt or format_for_path(path)
    if chosen is None:
        raise UsageError(
            f"cannot tell the format from '{PurePath(path).name}'; use --format "
            f"({', '.join(EXPORTERS)}) or one of the extensions {', '.join(EXTENSIONS)}"
        )
    write_output(path, export(analysis, chosen, options))
    return chosen
