"""The plan as a Primavera P6 XER file; the mapping lives in ``cutover.interchange``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView


def export_xer(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The XER text; what XER cannot express is an error that names the task."""
    from cutover.interchange.xer_writer import write_xer  # noqa: PLC0415

    return write_xer(view.schedule)
