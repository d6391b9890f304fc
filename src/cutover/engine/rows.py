"""The schedule as rows, computed once and serialised many ways (table, JSON, CSV, exports).

``schedule_document`` is the JSON object fixed by PLAN_FORMAT for ``schedule --format json``;
other formats read the same rows, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from cutover.engine.schedule import Schedule
    from cutover.worktime.timebase import TimeBase


class ScheduleRow(NamedTuple):
    """One task of a schedule with everything a view shows; instants in wall-clock minutes.

    A named tuple: a 100,000-task schedule builds one per task, three times faster than a
    frozen dataclass would.
    """

    node: int
    id: str
    name: str
    depth: int
    parent: str | None
    summary: bool
    milestone: bool
    start: int
    finish: int
    late_start: int
    late_finish: int
    total_slack: int
    free_slack: int
    deadline_slack: int | None
    critical: bool
    deadline: int | None
    deadline_is_date: bool
    status: str
    progress: float | None
    owner: str | None
    deliverable: str | None
    approver: str | None
    calendar: str
    duration: int
    day_minutes: int
    line: int


def schedule_rows(schedule: Schedule) -> list[ScheduleRow]:
    """Every task of the schedule in file order."""
    graph = schedule.graph
    rows: list[ScheduleRow] = []
    for node, (task, path, parent, depth) in enumerate(graph.tasks):
        late_start, late_finish = schedule.late_dates(node)
        calendar = schedule.early.slack_calendar[node]
        rows.append(
            ScheduleRow(
                node=node,
                id=task.id,
                name=task.display_name,
                depth=depth,
                parent=graph.task(parent).id if parent >= 0 else None,
                summary=graph.is_summary[node],
                milestone=task.milestone,
                start=schedule.early.start[node],
                finish=schedule.early.finish[node],
                late_start=late_start,
                late_finish=late_finish,
                total_slack=schedule.total_slack[node],
                free_slack=schedule.free_slack[node],
                deadline_slack=schedule.deadline_slack[node],
                critical=schedule.critical[node],
                deadline=graph.deadline[node],
                deadline_is_date=task.deadline is not None
                and not isinstance(task.deadline, datetime),
                status=schedule.status[node],
                progress=task.progress,
                owner=task.owner,
                deliverable=task.deliverable,
                approver=task.approver,
                calendar=graph.calendar[node].name,
                duration=graph.duration[node],
                day_minutes=calendar.day_minutes,
                line=graph.source.locate(path).line,
            )
        )
    return rows


def deadline_iso(timebase: TimeBase, row: ScheduleRow) -> str | None:
    """A deadline that is a date alone reads as 23:59:59 of that day, as PLAN_FORMAT shows."""
    if row.deadline is None:
        return None
    if row.deadline_is_date:
        last = timebase.aware(row.deadline - 1)
        return last.replace(second=59).isoformat(timespec="seconds")
    return timebase.iso(row.deadline)


def row_document(timebase: TimeBase, row: ScheduleRow) -> dict[str, Any]:
    """One task as PLAN_FORMAT's JSON shows it, plus keys a tool may want."""
    iso = timebase.iso
    return {
        "id": row.id,
        "name": row.name,
        "summary": row.summary,
        "milestone": row.milestone,
        "start": iso(row.start),
        "finish": iso(row.finish),
        "late_start": iso(row.late_start),
        "late_finish": iso(row.late_finish),
        "total_slack_minutes": row.total_slack,
        "free_slack_minutes": row.free_slack,
        "deadline_slack_minutes": row.deadline_slack,
        "critical": row.critical,
        "deadline": deadline_iso(timebase, row),
        "status": row.status,
        "progress": row.progress,
        "parent": row.parent,
        "owner": row.owner,
        "deliverable": row.deliverable,
        "approver": row.approver,
        "calendar": row.calendar,
        "duration_minutes": row.duration,
        "line": row.line,
    }


def schedule_document(
    schedule: Schedule,
    rows: list[ScheduleRow] | None = None,
    states: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """PLAN_FORMAT's ``schedule --format json`` object.

    ``states`` (from ``findings.states``, by task id) adds each task's ``states`` list: the
    same late, at-risk and critical marks as every other view.
    """
    graph = schedule.graph
    timebase = graph.timebase
    rows = schedule_rows(schedule) if rows is None else rows
    tasks = [row_document(timebase, row) for row in rows]
    if states is not None:
        for task in tasks:
            task["states"] = list(states[task["id"]])
    return {
        "plan": graph.plan.plan,
        "timezone": timebase.name,
        "as_of": None if schedule.as_of is None else timebase.iso(schedule.as_of),
        "finish": timebase.iso(schedule.finish),
        "critical_path": [graph.task(node).id for node in schedule.critical_path],
        "tasks": tasks,
    }


CSV_COLUMNS = (
    "id", "name", "parent", "summary", "milestone", "start", "finish", "late_start",
    "late_finish", "total_slack_minutes", "free_slack_minutes", "deadline_slack_minutes",
    "critical", "deadline", "status", "progress", "owner", "deliverable", "approver",
    "calendar", "duration_minutes", "line",
)  # fmt: skip
#: The last CSV column: every state of the task, space-separated, as ``findings.states`` says.
STATES_COLUMN = "states"


def csv_record(timebase: TimeBase, row: ScheduleRow) -> list[str | int]:
    """One task's cells, in CSV_COLUMNS order."""
    return [
        row.id,
        row.name,
        row.parent or "",
        _flag(row.summary),
        _flag(row.milestone),
        timebase.iso(row.start),
        timebase.iso(row.finish),
        timebase.iso(row.late_start),
        timebase.iso(row.late_finish),
        row.total_slack,
        row.free_slack,
        "" if row.deadline_slack is None else row.deadline_slack,
        _flag(row.critical),
        deadline_iso(timebase, row) or "",
        row.status,
        "" if row.progress is None else f"{round(row.progress * 100)}%",
        row.owner or "",
        row.deliverable or "",
        row.approver or "",
        row.calendar,
        row.duration,
        row.line,
    ]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def is_date_only(value: object) -> bool:
    """True for a ``date`` that is not a ``datetime``."""
    return isinstance(value, date) and not isinstance(value, datetime)
