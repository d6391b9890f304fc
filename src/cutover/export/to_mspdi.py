"""The schedule as MS Project XML (MSPDI); the mapping lives in ``cutover.interchange``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView


def export_mspdi(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The plan, its calendars and its schedule as an MSPDI document."""
    from cutover.interchange.mspdi_writer import write_mspdi  # noqa: PLC0415

    levelled = view.analysis.levelled
    return write_mspdi(view.schedule, unlevelled=None if levelled is None else levelled.unlevelled)
