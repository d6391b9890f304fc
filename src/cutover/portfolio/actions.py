"""What operators record during a live run: start, done, progress, notes, decisions, undo.

Every action changes the plan through ``update_plan`` (only the task's lines, comments
kept, an atomic write refused if the file changed meanwhile) and is then appended to the
journal. A time is the one claimed (``--at``, typed in for work reported late by phone)
or now; the core never reads the clock, so ``now`` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cutover.common.errors import UsageError
from cutover.common.i18n import _
from cutover.portfolio.editing import Change, UpdateResult, update_plan
from cutover.portfolio.journal import (
    Entry,
    append_entry,
    last_undoable,
    next_id,
    read_journal,
)
from cutover.worktime.timepoints import TimepointError, parse_timepoint

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

VERDICTS = ("go", "no-go")
#: Keys of the plan itself that an action may move (update moves ``as_of`` to progress).
_PLAN_KEYS = frozenset({"as_of"})


@dataclass(frozen=True)
class Recorded:
    """An action done: the plan's change (None for a note) and its journal entry."""

    result: UpdateResult | None
    entry: Entry


def minute_text(moment: datetime, timezone: str) -> str:
    """``2025-06-28T22:14``: a moment as a wall-clock minute in the plan's zone."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _claimed(at: str | None, now: datetime, timezone: str) -> str:
    if not at:
        return minute_text(now, timezone)
    text = at.strip()
    try:
        parse_timepoint(text)
    except TimepointError as error:
        raise UsageError(_("--at: {error}").format(error=error)) from None
    return text


def record(
    plan: Path,
    action: str,
    task: str,
    *,
    who: str,
    now: datetime,
    timezone: str,
    at: str | None = None,
    progress: str | None = None,
    verdict: str | None = None,
    note: str | None = None,
) -> Recorded:
    """Do one action on the plan file and journal it; raise as ``update_plan`` does."""
    claimed = _claimed(at, now, timezone)
    if action == "start":
        change = Change(start=claimed)
    elif action == "done":
        change = Change(done=True, on=claimed)
    elif action == "progress":
        if not progress:
            raise UsageError(_("say how far it is, such as 60%"))
        change = Change(progress=progress)
    elif action == "decide":
        if verdict not in VERDICTS:
            raise UsageError(
                _("a decision is go or no-go, not {verdict}").format(verdict=repr(verdict))
            )
        change = Change(extra=(("decision", verdict), ("decided_by", who), ("decided_at", claimed)))
    elif action == "note":
        if not note or not note.strip():
            raise UsageError(_("a note needs some text"))
        return _journal(plan, action, task, who, now, claimed=claimed, note=note, result=None)
    else:
        raise UsageError(_("unknown action {action!r}").format(action=action))
    result = update_plan(plan, task, change, today=now)
    return _journal(plan, action, task, who, now, claimed=claimed, note=note, result=result)


def undo(plan: Path, *, who: str, now: datetime) -> Recorded:
    """Reverse the latest action that changed the plan and is not undone yet."""
    entries = read_journal(plan)
    target = last_undoable(entries)
    if target is None:
        raise UsageError(
            _("nothing to undo: the journal of {file} records no change").format(file=plan.name)
        )
    # The plan's status date, moved forward to recorded progress, stays where it is: a later
    # status date with the progress taken back is still a true plan.
    changes = [change for change in target.changes if change[0] not in _PLAN_KEYS]
    restore = tuple((key, old) for key, old, _new in changes if old is not None)
    remove = tuple(key for key, old, _new in changes if old is None)
    result = update_plan(plan, target.task, Change(extra=restore, unset=remove), today=now)
    entry = Entry(
        id=next_id(entries),
        recorded_at=now.isoformat(timespec="seconds"),
        who=who,
        action="undo",
        task=target.task,
        changes=tuple((c.key, c.old, c.new) for c in result.changes),
        undoes=target.id,
        note=f"undid {target.action} of {target.task}",
    )
    append_entry(plan, entry)
    return Recorded(result, entry)


def _journal(
    plan: Path,
    action: str,
    task: str,
    who: str,
    now: datetime,
    *,
    claimed: str,
    note: str | None,
    result: UpdateResult | None,
) -> Recorded:
    entry = Entry(
        id=next_id(read_journal(plan)),
        recorded_at=now.isoformat(timespec="seconds"),
        who=who,
        action=action,
        task=task,
        claimed=claimed,
        note=note,
        changes=tuple((c.key, c.old, c.new) for c in result.changes) if result else (),
    )
    append_entry(plan, entry)
    return Recorded(result, entry)
