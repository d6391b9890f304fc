"""What changed between two versions of a plan, after scheduling both.

A planner reviewing a change wants to see more than the lines of YAML that moved: which
tasks were added or removed; which durations, links, deadlines and owners changed; how
far dates and slack moved as a result; whether the forecast finish moved; and which
findings appeared or went away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover.findings.checks import Finding
    from cutover.findings.pipeline import Analysis

#: Keys whose change is reported as a change of the plan (not of the schedule).
COMPARED = (
    "duration",
    "after",
    "deadline",
    "owner",
    "approver",
    "status",
    "calendar",
    "not_before",
)


@dataclass(frozen=True)
class FieldChange:
    """One key of one task, before and after (as written in the plan)."""

    task: str
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class Moved:
    """How far a task's schedule moved, in working minutes of its calendar."""

    task: str
    start_minutes: int
    finish_minutes: int
    total_slack_minutes: int
    deadline_slack_minutes: int | None
    day_minutes: int
    old_finish: int
    new_finish: int


@dataclass
class PlanDiff:
    """Everything that differs between an old and a new version of a plan."""

    old: Analysis
    new: Analysis
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    finish_minutes: int = 0
    appeared: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (
            self.added or self.removed or self.changed or self.moved or self.finish_minutes
            or self.appeared or self.resolved
        )  # fmt: skip


def diff_plans(old: Analysis, new: Analysis) -> PlanDiff:
    """Compare two analysed versions of a plan, task by task (by id)."""
    result = PlanDiff(old, new)
    old_ids, new_ids = old.graph.index, new.graph.index
    result.added = [task for task in new_ids if task not in old_ids]
    result.removed = [task for task in old_ids if task not in new_ids]
    for task in new_ids:
        if task in old_ids:
            result.changed += _field_changes(old, new, task)
            moved = _moved(old, new, task)
            if moved is not None:
                result.moved.append(moved)
    default = new.graph.calendars["default"]
    result.finish_minutes = default.position(new.schedule.finish) - default.position(
        old.schedule.finish
    )
    old_findings = {(f.code, f.task): f for f in old.findings}
    new_findings = {(f.code, f.task): f for f in new.findings}
    result.appeared = [f for key, f in new_findings.items() if key not in old_findings]
    result.resolved = [f for key, f in old_findings.items() if key not in new_findings]
    return result


def _written(analysis: Analysis, task_id: str, key: str) -> str:
    task = analysis.graph.task(analysis.graph.index[task_id])
    if key == "after":
        return ", ".join(
            f"{target}" if (kind, lag.is_zero) == ("FS", True) else f"{target} {kind} {lag.text}"
            for target, kind, lag in task.links
        )
    if key == "duration":
        duration = task.planned_duration
        return "" if duration is None else duration.text
    value = getattr(task, key)
    return "" if value is None else str(value)


def _field_changes(old: Analysis, new: Analysis, task_id: str) -> list[FieldChange]:
    changes = []
    for key in COMPARED:
        before, after = _written(old, task_id, key), _written(new, task_id, key)
        if key == "duration" and before != after:
            same_minutes = _minutes(old, task_id) == _minutes(new, task_id)
            if same_minutes and before and after:
                continue  # 1d and 8h on an 8-hour calendar: not a change
        if before != after:
            changes.append(FieldChange(task_id, key, before, after))
    return changes


def _minutes(analysis: Analysis, task_id: str) -> int:
    return analysis.graph.duration[analysis.graph.index[task_id]]


def _moved(old: Analysis, new: Analysis, task_id: str) -> Moved | None:
    before, after = old.graph.index[task_id], new.graph.index[task_id]
    calendar = new.schedule.early.slack_calendar[after]
    old_s, new_s = old.schedule, new.schedule
    start = calendar.position(new_s.early.start[after]) - calendar.position(
        old_s.early.start[before]
    )
    finish = calendar.position(new_s.early.finish[after]) - calendar.position(
        old_s.early.finish[before]
    )
    slack = new_s.total_slack[after] - old_s.total_slack[before]
    old_deadline, new_deadline = old_s.deadline_slack[before], new_s.deadline_slack[after]
    deadline = None if old_deadline is None or new_deadline is None else new_deadline - old_deadline
    if not (start or finish or slack or deadline):
        return None
    return Moved(
        task=task_id,
        start_minutes=start,
        finish_minutes=finish,
        total_slack_minutes=slack,
        deadline_slack_minutes=deadline,
        day_minutes=calendar.day_minutes,
        old_finish=old_s.early.finish[before],
        new_finish=new_s.early.finish[after],
    )
