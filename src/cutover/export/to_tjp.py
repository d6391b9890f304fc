"""The plan as a TaskJuggler 3 project; the mapping lives in ``cutover.interchange``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView


def export_tjp(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The ``.tjp`` text; what tj3 cannot express is an error that names the task."""
    from cutover.interchange.tjp_writer import write_tjp  # noqa: PLC0415

    return write_tjp(view.schedule)
