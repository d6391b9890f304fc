"""``import``: a plan from MS Project XML, Primavera XER or TaskJuggler, as plan text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cutover.cli.base import Lang, TranslatedCommand, app, boundary
from cutover.cli.portfolio import PANEL, Force, NewFile, refuse_to_replace


@app.command("import", cls=TranslatedCommand, rich_help_panel=PANEL)
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            help="The file to read: .xml (MS Project XML), .xer (Primavera), .tjp (TaskJuggler).",
            show_default=False,
            metavar="FILE",
        ),
    ],
    output: NewFile = None,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """Read a plan from MS Project XML, Primavera XER or TaskJuggler and write it as a plan.

    The plan is checked by scheduling it before anything is written. Each thing that was
    approximated or left out is listed on stderr with its line in the source file, and at
    the top of the plan.

    \b
    Example:
      cutover import ministry.xml -o plans/ministry.yaml
    """
    from cutover.common.files import atomic_write  # noqa: PLC0415
    from cutover.common.i18n import _, ngettext  # noqa: PLC0415
    from cutover.interchange.importing import import_file  # noqa: PLC0415

    with boundary():
        refuse_to_replace(output, force=force)
        result = import_file(source)
        for note in result.notes:
            sys.stderr.write(f"{result.file}:{note.line}: {note.kind}: {note.message}\n")
        if output is None:
            sys.stdout.write(result.text)
            return
        atomic_write(output, result.text)
    left = (
        ngettext(", {count} note above", ", {count} notes above", len(result.notes)).format(
            count=len(result.notes)
        )
        if result.notes
        else ""
    )
    tasks = ngettext("{count} task", "{count} tasks", result.tasks).format(count=result.tasks)
    sys.stderr.write(
        _("wrote {file}: {tasks}{left}").format(file=output, tasks=tasks, left=left) + "\n"
    )
