"""``cutover diff`` as text for a reviewer and as JSON for tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.text import Text

from cutover.common.i18n import _
from cutover.common.text import display_text
from cutover.findings.wording import when, work_amount
from cutover.render.report import finding_document

if TYPE_CHECKING:
    from rich.console import Console

    from cutover.portfolio.diffing import Moved, PlanDiff


def _signed(minutes: int, day: int) -> str:
    if minutes == 0:
        return "0"
    amount = work_amount(abs(minutes), day)
    return f"{'+' if minutes > 0 else '-'}{amount}"


def _moved_line(move: Moved, diff: PlanDiff) -> str:
    timebase = diff.new.graph.timebase
    parts = [
        _("finish {moved} (now {when})").format(
            moved=_signed(move.finish_minutes, move.day_minutes),
            when=when(timebase, move.new_finish),
        )
    ]
    if move.start_minutes != move.finish_minutes:
        parts.append(_("start {moved}").format(moved=_signed(move.start_minutes, move.day_minutes)))
    if move.total_slack_minutes:
        parts.append(
            _("slack {moved}").format(moved=_signed(move.total_slack_minutes, move.day_minutes))
        )
    if move.deadline_slack_minutes:
        parts.append(
            _("deadline slack {moved}").format(
                moved=_signed(move.deadline_slack_minutes, move.day_minutes)
            )
        )
    return ", ".join(parts)


def print_diff(diff: PlanDiff, old_name: str, new_name: str, console: Console) -> None:
    """What changed, section by section; nothing printed for empty sections."""
    console.print(
        Text.assemble(
            ("--- ", "red"), display_text(old_name), "\n", ("+++ ", "green"), display_text(new_name)
        )
    )
    if diff.empty:
        console.print(_("no difference in the plan or its schedule"))
        return
    timebase = diff.new.graph.timebase
    day = diff.new.graph.calendars["default"].day_minutes
    finish = when(timebase, diff.new.schedule.finish)
    console.print(
        _("forecast finish: {moved} (now {when})").format(
            moved=_signed(diff.finish_minutes, day), when=finish
        )
    )
    for task in diff.added:
        console.print(Text("+ " + _("task {id}").format(id=task), style="green"))
    for task in diff.removed:
        console.print(Text("- " + _("task {id}").format(id=task), style="red"))
    none = _("(none)")
    for change in diff.changed:
        old, new = display_text(change.old or none), display_text(change.new or none)
        console.print(Text(f"~ {change.task}.{change.key}: {old} → {new}"))
    if diff.moved:
        console.print(Text(_("moved:"), style="bold"))
        for move in diff.moved:
            console.print(f"  {move.task}: {_moved_line(move, diff)}")
    for finding in diff.appeared:
        console.print(
            Text(
                _("new finding: {level} {code} {task}: {message}").format(
                    level=_(finding.level),
                    code=finding.code,
                    task=finding.task,
                    message=finding.message,
                ),
                style="red" if finding.is_error else "yellow",
            )
        )
    for finding in diff.resolved:
        gone = _("gone: {level} {code} {task}").format(
            level=_(finding.level), code=finding.code, task=finding.task
        )
        console.print(Text(gone, style="green"))


def diff_json(diff: PlanDiff, old_name: str, new_name: str) -> str:
    """The diff as one JSON object."""
    timebase = diff.new.graph.timebase
    document: dict[str, Any] = {
        "old": old_name,
        "new": new_name,
        "finish": {
            "old": diff.old.graph.timebase.iso(diff.old.schedule.finish),
            "new": timebase.iso(diff.new.schedule.finish),
            "moved_minutes": diff.finish_minutes,
        },
        "added": diff.added,
        "removed": diff.removed,
        "changed": [
            {"task": c.task, "key": c.key, "old": c.old, "new": c.new} for c in diff.changed
        ],
        "moved": [
            {
                "task": m.task,
                "start_minutes": m.start_minutes,
                "finish_minutes": m.finish_minutes,
                "total_slack_minutes": m.total_slack_minutes,
                "deadline_slack_minutes": m.deadline_slack_minutes,
                "finish": timebase.iso(m.new_finish),
            }
            for m in diff.moved
        ],
        "findings": {
            "appeared": [finding_document(f) for f in diff.appeared],
            "resolved": [finding_document(f) for f in diff.resolved],
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
