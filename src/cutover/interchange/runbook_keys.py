"""A plan's gates, branches and decisions in the interchange formats.

MSPDI carries them (``runbook_text``, read back by ``read_runbook``): each gate's and
branch's keys as one JSON object in a custom text field, the standby branch's tasks as
inactive tasks. TaskJuggler and XER have no go/no-go decisions; ``left_out`` says, in one
sentence for stderr (and the ``.tjp`` comment), what their export leaves out, so that
nothing is dropped silently.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cutover.common.i18n import _, ngettext
from cutover.planfile.runbook import standby_ids

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cutover.planfile.model import Plan, Task

#: The task keys of the runbook, in the order the plan format lists them.
RUNBOOK_KEYS = ("gate", "branch", "decision", "decided_by", "decided_at")
_GATE_KEYS = frozenset({"decider", "criteria", "rollback", "rollback_by"})


def _walk(tasks: tuple[Task, ...]) -> Iterator[Task]:
    for task in tasks:
        yield task
        yield from _walk(task.tasks or ())


def timepoint_text(value: date | datetime) -> str:
    """A date or datetime as the plan format writes it (``2025-06-30T07:00``)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return value.isoformat()


def runbook_keys(task: Task) -> dict[str, Any]:
    """The task's gate, branch and decision keys as plain data (empty when it has none)."""
    out: dict[str, Any] = {}
    if task.gate is not None:
        gate: dict[str, Any] = {"decider": task.gate.decider}
        if task.gate.criteria:
            gate["criteria"] = list(task.gate.criteria)
        if task.gate.rollback is not None:
            gate["rollback"] = task.gate.rollback
        if task.gate.rollback_by is not None:
            gate["rollback_by"] = timepoint_text(task.gate.rollback_by)
        out["gate"] = gate
    if task.branch is not None:
        out["branch"] = task.branch
    if task.decision is not None:
        out["decision"] = task.decision
    if task.decided_by is not None:
        out["decided_by"] = task.decided_by
    if task.decided_at is not None:
        out["decided_at"] = timepoint_text(task.decided_at)
    return out


def runbook_text(task: Task) -> str | None:
    """The runbook keys as compact JSON (also YAML flow text), or None when there are none."""
    keys = runbook_keys(task)
    return json.dumps(keys, ensure_ascii=False, separators=(", ", ": ")) if keys else None


def read_runbook(text: str) -> dict[str, Any] | None:
    """The runbook keys of ``runbook_text``; None when the text is not such an object.

    Only the shape is checked here; the values are checked by cutover's own loader when
    the imported plan is read, at the line of the source file.
    """
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not value or not set(value) <= set(RUNBOOK_KEYS):
        return None
    gate = value.get("gate")
    if gate is not None and (not isinstance(gate, dict) or not set(gate) <= _GATE_KEYS):
        return None
    return value


def left_out(plan: Plan, format_name: str) -> str | None:
    """The sentence saying which gates and branches an export to ``format_name`` leaves out.

    None when the plan has none. A standby branch's tasks are counted (they are in no
    schedule, so nothing of them is written); a branch a no-go set going is written as
    plain tasks and only its ``branch`` mark is lost.
    """
    everything = list(_walk(plan.tasks))
    gates = [task.id for task in everything if task.gate is not None or task.decision]
    standby = standby_ids(plan)
    parts: list[str] = []
    if gates:
        parts.append(ngettext("gate {ids}", "gates {ids}", len(gates)).format(ids=", ".join(gates)))
    for task in everything:
        if task.branch is None:
            continue
        if task.id in standby:
            below = sum(1 for sub in _walk(task.tasks or ()) if not sub.tasks) or 1
            parts.append(
                ngettext(
                    "the standby branch {id} ({count} task)",
                    "the standby branch {id} ({count} tasks)",
                    below,
                ).format(id=task.id, count=below)
            )
        else:
            parts.append(_("the branch mark of {id}").format(id=task.id))
    if not parts:
        return None
    things = parts[0]
    if len(parts) > 1:
        things = _("{some} and {last}").format(some=", ".join(parts[:-1]), last=parts[-1])
    return _("{things} are not written to {format}: it has no go/no-go decisions").format(
        things=things, format=format_name
    )
