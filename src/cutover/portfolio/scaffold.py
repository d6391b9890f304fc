"""``cutover new``: a province's plan, started from a template, with comments that guide.

The new plan extends the template and lists every template task by id, with its name,
deadline and owner as comments, so a planner fills in what is theirs (owners, calendars,
status) and deletes nothing by accident: an entry with only an id changes nothing.

Everything written from outside (the name, the template's names and owners, paths) is
quoted for YAML where a plain scalar would be read as something else (``2025``, ``0x10``,
``- x``, ``yes``) and made one printable line in comments, so no text can add keys.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.errors import PlanError, UsageError
from cutover.common.i18n import _, n_
from cutover.planfile.loader import load_plan, load_plan_text
from cutover.planfile.tasktree import flatten
from cutover.planfile.yamldoc import parse_yaml

if TYPE_CHECKING:
    from cutover.planfile.model import Task

_HEADER = """\
{modeline}# {adapted}
# ({template}).
#
#   cutover check {file}     # {judge}
#   cutover gantt {file}     # {chart}
#
{how}
extends: {extends}
plan: {name}
# as_of: {example_as_of}          # {as_of}
# remove: []

tasks:
"""
#: The guide at the head of a new plan, one comment line per line.
_HOW = n_(
    "How to adapt the template:\n"
    "- override any key of a template task by writing its id and the keys that differ\n"
    "  (owner, approver, calendar, duration, deadline, status, actual_finish, progress ...);\n"
    "- add your own tasks with new ids: a new task needs a duration (or milestone: true),\n"
    "  and goes after the entry written before it;\n"
    "- drop template tasks you do not need with remove: [ids]."
)


def new_plan_text(template: Path, name: str, target: Path | None) -> str:
    """The text of a new plan extending ``template``, to be written at ``target``.

    The template must be a valid plan and not ``target`` itself; the result is checked by
    loading it, as the file it will be, before it is returned.
    """
    if target is not None and _same_file(template, target):
        raise UsageError(
            _(
                "{file} is the template itself: write the new plan to another file "
                "(the template is never replaced)"
            ).format(file=target)
        )
    loaded = load_plan(template)
    folder = (target.parent if target is not None else Path()).resolve()
    extends = Path(os.path.relpath(template.resolve(), folder)).as_posix()
    file = target.as_posix() if target is not None else "plan.yaml"
    as_of = loaded.plan.as_of or loaded.plan.start
    text = _HEADER.format(
        modeline=_modeline(template, folder),
        name=_quoted(name),
        adapted=_("{title}: adapted from {template}").format(
            title=_comment(name), template=_comment(loaded.plan.plan)
        ),
        judge=_("judge the plan at its status date"),
        chart=_("the chart in the terminal"),
        how="\n".join("# " + line for line in _(_HOW).splitlines()),
        as_of=_("the status date you report at"),
        template=_comment(extends),
        file=_comment(file),
        extends=_quoted(extends),
        example_as_of=as_of,
    )
    text += "".join(_entry(item.task, item.depth) for item in flatten(loaded.plan))
    # Checked where it will live; on stdout, under a name no template can have.
    where = folder / (target.name if target is not None else "<new plan>")
    load_plan_text(text, file, path=where)
    return text


def _same_file(template: Path, target: Path) -> bool:
    try:
        return template.resolve() == target.resolve() or (
            target.exists() and template.samefile(target)
        )
    except OSError:
        return False


def _comment(text: str) -> str:
    """Text for a ``#`` comment: one line, every unprintable character escaped."""
    return "".join(char if char.isprintable() else _escape(char) for char in str(text))


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _entry(task: Task, depth: int) -> str:
    indent = "  " + "    " * depth
    about = [_comment(task.display_name)]
    if task.deadline is not None:
        written = task.deadline
        about.append(
            _("deadline {when}").format(
                when=f"{written:%Y-%m-%dT%H:%M}" if hasattr(written, "hour") else written
            )
        )
    lines = [f"{indent}- id: {task.id}        # {' · '.join(about)}\n"]
    if task.is_summary:
        lines.append(f"{indent}  tasks:\n")
    else:
        owner = _comment(task.owner or _("who does it"))
        lines.append(f"{indent}  # owner: {owner}\n")
        lines.append(
            f"{indent}  # status: not_started     # "
            + _("or in_progress (progress: 50%) or done")
            + "\n"
        )
    return "".join(lines)


def _modeline(template: Path, folder: Path) -> str:
    """Point editors at the schema the template points at, from the new file's folder."""
    try:
        first = template.read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return ""
    marker = "$schema="
    if marker not in first:
        return ""
    schema = first.split(marker, 1)[1].strip()
    if "://" not in schema:
        schema = Path(os.path.relpath((template.parent / schema).resolve(), folder)).as_posix()
    return f"# yaml-language-server: $schema={schema}\n"


def _quoted(text: str) -> str:
    """``text`` as a YAML scalar that reads back as this very text, on one line.

    Plain when the reader gives back the same string; else double-quoted, with JSON's
    escapes (valid YAML) and every unprintable character escaped.
    """
    if text.isprintable() and text.strip() == text and _reads_as(text) == text:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(char if char.isprintable() else _escape(char) for char in quoted)


def _reads_as(token: str) -> object:
    try:
        data = parse_yaml(f"value: {token}\n", "value").data
    except PlanError:
        return None
    return data.get("value") if isinstance(data, dict) and len(data) == 1 else None
