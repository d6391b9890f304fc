"""``cutover new``: a province's plan, started from a template, with comments that guide.

The new plan extends the template and lists every template task by id, with its name,
deadline and owner as comments, so a planner fills in what is theirs (owners, calendars,
status) and deletes nothing by accident: an entry with only an id changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_
from cutover.planfile.loader import load_plan, load_plan_text
from cutover.planfile.tasktree import flatten

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

    The template must be a valid plan; the result is checked by loading it before it is
    returned.
    """
    loaded = load_plan(template)
    folder = (target.parent if target is not None else Path()).resolve()
    extends = Path(os.path.relpath(template.resolve(), folder)).as_posix()
    file = target.as_posix() if target is not None else "plan.yaml"
    as_of = loaded.plan.as_of or loaded.plan.start
    text = _HEADER.format(
        modeline=_modeline(template, folder),
        name=_quoted(name),
        adapted=_("{title}: adapted from {template}").format(title=name, template=loaded.plan.plan),
        judge=_("judge the plan at its status date"),
        chart=_("the chart in the terminal"),
        how="\n".join("# " + line for line in _(_HOW).splitlines()),
        as_of=_("the status date you report at"),
        template=extends,
        file=file,
        extends=extends,
        example_as_of=as_of,
    )
    text += "".join(_entry(item.task, item.depth) for item in flatten(loaded.plan))
    load_plan_text(text, file, path=folder / "plan.yaml")
    return text


def _entry(task: Task, depth: int) -> str:
    indent = "  " + "    " * depth
    about = [task.display_name]
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
        owner = task.owner or _("who does it")
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
    """A plan name as a YAML scalar: quoted when plain YAML would misread it."""
    special = set(":#{}[],&*!|>'\"%@`") | {"\n"}
    if text.strip() != text or any(char in special for char in text) or text.lower() in {
        "yes", "no", "on", "off", "true", "false", "null", "~",
    }:  # fmt: skip
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text
