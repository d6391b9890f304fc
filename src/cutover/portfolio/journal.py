"""The audit journal of a live run: who recorded what, when, and the time they claimed.

One JSON object a line in ``PLAN.journal.jsonl`` beside the plan (``tuyenquang.yaml`` →
``tuyenquang.journal.jsonl``). Lines are only ever appended, each in one ``write`` to a
file opened for appending, so two operators recording at once never interleave or lose
a line; a line cut short by a crash is skipped when read, never fatal.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from cutover.common.i18n import _, ngettext

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One recorded action: what changed in the plan (key, old, new) and who said so."""

    id: int
    recorded_at: str  # ISO 8601 with offset: the clock of the machine that recorded it
    who: str
    action: str  # start, done, progress, note, decide, undo
    task: str
    claimed: str | None = None  # the time the action is said to have happened
    note: str | None = None
    changes: tuple[tuple[str, str | None, str], ...] = field(default=())
    undoes: int | None = None  # for an undo: the id of the entry it reverses


def journal_path(plan: Path) -> Path:
    """``plans/x.yaml`` → ``plans/x.journal.jsonl``."""
    return plan.with_name(f"{plan.stem}.journal.jsonl")


def read_journal(plan: Path) -> list[Entry]:
    """Every whole entry of the plan's journal, oldest first (none when there is none)."""
    path = journal_path(plan)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    entries = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            raw = json.loads(line)
            raw["changes"] = tuple(tuple(change) for change in raw.get("changes", ()))
            entries.append(Entry(**raw))
        except (ValueError, TypeError):
            continue  # a line cut short by a crash, or not ours
    return entries


def append_entry(plan: Path, entry: Entry) -> None:
    """Add one entry at the end of the journal, durably."""
    line = json.dumps(asdict(entry), ensure_ascii=False, separators=(",", ":")) + "\n"
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(journal_path(plan), flags, 0o644)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def next_id(entries: list[Entry]) -> int:
    """The id for the next entry."""
    return max((entry.id for entry in entries), default=0) + 1


def last_undoable(entries: list[Entry]) -> Entry | None:
    """The latest entry that changed the plan and has not been undone, or None."""
    undone = {entry.undoes for entry in entries if entry.undoes is not None}
    for entry in reversed(entries):
        if entry.action != "undo" and entry.changes and entry.id not in undone:
            return entry
    return None


def journal_summary(plan: Path) -> str | None:
    """One line for ``status``: how much was recorded, by how many, and the latest record."""
    entries = read_journal(plan)
    if not entries:
        return None
    people = len({entry.who for entry in entries})
    last = entries[-1]
    claimed = _(" (at {when})").format(when=last.claimed) if last.claimed else ""
    records = ngettext("{count} record", "{count} records", len(entries)).format(count=len(entries))
    by = ngettext("{count} person", "{count} people", people).format(count=people)
    return _(
        "journal: {records} by {people}; latest: {who} {action} {task}{claimed}, recorded {at}"
    ).format(
        records=records,
        people=by,
        who=last.who,
        action=last.action,
        task=last.task,
        claimed=claimed,
        at=last.recorded_at,
    )
