"""``cutover import``: a foreign plan file read, written as plan text and checked.

The reader is chosen by the file's extension. The plan text it yields is loaded and
scheduled by cutover's own loader before anything is written, so a cycle or a bad date is
reported like any plan error, but at the line of the foreign file it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.errors import Diagnostic, PlanError, SourceLocation, UsageError
from cutover.common.i18n import _
from cutover.interchange.ids import IdMaker

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.interchange.imported import ImportedPlan, Note
    from cutover.interchange.planyaml import PlanText

#: A plan line named in a message (a cycle names each task's line).
_LINE = re.compile(r"\(line (\d+)\)")
#: Extensions and the format each one means.
IMPORT_FORMATS = {".xml": "mspdi", ".mspdi": "mspdi", ".tjp": "tjp", ".xer": "xer"}


@dataclass(frozen=True)
class ImportResult:
    """The plan text of an imported file and what the import approximated or left out."""

    file: str
    text: str
    notes: tuple[Note, ...]
    tasks: int


def reader_for(path: Path) -> Callable[[bytes, str], ImportedPlan]:
    """The reader of a file's format, by its extension."""
    fmt = IMPORT_FORMATS.get(path.suffix.lower())
    if fmt == "mspdi":
        from cutover.interchange.mspdi_reader import read_mspdi  # noqa: PLC0415

        return read_mspdi
    if fmt == "xer":
        from cutover.interchange.xer_reader import read_xer  # noqa: PLC0415

        return read_xer
    if fmt == "tjp":
        from cutover.interchange.tjp_reader import read_tjp  # noqa: PLC0415

        return read_tjp
    raise UsageError(
        _(
            "cannot tell the format of '{name}': cutover imports MS Project XML "
            "(.xml), Primavera XER (.xer) and TaskJuggler (.tjp)"
        ).format(name=path.name)
    )


def import_file(path: Path | str, *, file: str | None = None) -> ImportResult:
    """Read a foreign plan file and return it as checked plan text; raise PlanError if bad."""
    path = Path(path)
    name = file or str(path)
    reader = reader_for(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            _("cannot read {name}: {value}").format(name=name, value=exc.strerror or exc)
        ) from None
    imported = reader(data, name)
    return import_plan(imported)


def import_plan(imported: ImportedPlan) -> ImportResult:
    """Give the tasks ids, write the plan text and check it by scheduling it."""
    from cutover.interchange.planyaml import write_plan_text  # noqa: PLC0415

    assign_ids(imported)
    imported.notes.sort(key=lambda note: note.line)
    text = write_plan_text(imported)
    _check(text, imported.file)
    return ImportResult(imported.file, text.text, tuple(imported.notes), len(imported.all_tasks()))


def assign_ids(imported: ImportedPlan) -> None:
    """Give every task and resource an id: the one the file carries, else one from its name.

    A ``cutover id`` field or a task code is kept when it is a valid id and unique;
    the others are made from the names in file order, so the same file gives the same ids.
    """
    ids = IdMaker()
    tasks = imported.all_tasks()
    kept = {task.key for task in tasks if task.wanted_id and ids.reserve(task.wanted_id)}
    for task in tasks:
        task.id = (
            task.wanted_id
            if task.key in kept and task.wanted_id
            else ids.make(task.name, f"task-{task.key}")
        )
    names = IdMaker()
    resources = imported.resources
    kept = {
        resource.key
        for resource in resources
        if resource.wanted_id and names.reserve(resource.wanted_id)
    }
    for resource in resources:
        resource.id = (
            resource.wanted_id
            if resource.key in kept and resource.wanted_id
            else names.make(resource.name, f"resource-{resource.key}")
        )


def _check(text: PlanText, file: str) -> None:
    """Load and schedule the plan text; its problems are reported at the source's lines."""
    from cutover.engine.graph import build_graph  # noqa: PLC0415
    from cutover.engine.schedule import build_schedule  # noqa: PLC0415
    from cutover.planfile.loader import load_plan_text  # noqa: PLC0415
    from cutover.worktime.calendars import CalendarRangeError  # noqa: PLC0415

    try:
        graph = build_graph(load_plan_text(text.text, "imported.yaml"))
        build_schedule(graph, None)
    except PlanError as error:
        raise PlanError(
            [
                Diagnostic(
                    d.code,
                    _LINE.sub(lambda found: f"(line {text.source_line(int(found[1]))})", d.message),
                    SourceLocation(file, text.source_line(d.location.line), 1),
                )
                for d in error.diagnostics
            ]
        ) from None
    except CalendarRangeError as error:
        raise PlanError([Diagnostic("out-of-range", str(error), SourceLocation(file))]) from None
