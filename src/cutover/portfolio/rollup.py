"""What a steering committee counts: "86 tasks: 59 done, 5 delayed, 22 within their deadline".

Every task that is not a summary and not cancelled is in exactly one of four states at
the status date:

- ``done``;
- ``delayed``: not done, and ``check`` reports it ``late``, ``missed-deadline`` (its own
  deadline is forecast to be missed, or has passed) or ``late-start`` (not started,
  though a deadline needed it to be);
- ``in_progress``: started, and on time;
- ``not_yet_due``: not started, and on time.

"Within their deadline" is the last two together. The same counts are kept per summary
(a system), with the forecast finish against the final deadline and the task with the
least deadline slack, for one plan (``cutover status``) or many (``cutover rollup``).
The states come from ``findings.states``, the one place every view reads them from; the
go-live is the task the plan names (``go_live``), not its last finish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutover.engine.schedule import driving_chain
from cutover.findings.states import Counts, TaskStates, counts, go_live_node, task_states

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.findings.pipeline import Analysis, PlanCheck

__all__ = ["STATES", "Counts", "GroupStatus", "PlanStatus", "Worst", "plan_status", "rollup"]

STATES = ("done", "delayed", "in_progress", "not_yet_due")


@dataclass(frozen=True)
class Worst:
    """The task with the least deadline slack, and the chain of tasks that drives it."""

    task: str
    name: str
    slack_minutes: int
    day_minutes: int
    drivers: tuple[str, ...]


@dataclass(frozen=True)
class GroupStatus:
    """One summary task (a system) of a plan."""

    id: str
    name: str
    counts: Counts
    finish: int
    worst: Worst | None


@dataclass(frozen=True)
class PlanStatus:
    """One plan at its status date: counts, per system, finish against the final deadline."""

    file: str
    plan: str
    analysis: Analysis
    counts: Counts
    groups: list[GroupStatus]
    finish: int
    go_live: int | None
    go_live_task: str | None
    final_deadline: int | None
    finish_margin: int | None
    worst: Worst | None
    errors: int
    warnings: int
    states: dict[str, str] = field(repr=False)


def plan_status(result: PlanCheck) -> PlanStatus:
    """The committee's view of one valid plan, its states taken from ``check``'s findings."""
    analysis = result.analysis
    assert analysis is not None
    graph, schedule = analysis.graph, analysis.schedule
    states = task_states(analysis)
    by_task: dict[str, str] = {}
    total = Counts()
    for node in range(len(graph)):
        if not graph.is_summary[node]:
            task = graph.task(node).id
            state = total.count(states[task])
            if state != "cancelled":
                by_task[task] = state
    deadlines = [minute for minute in graph.deadline if minute is not None]
    final = max(deadlines) if deadlines else None
    default = graph.calendars["default"]
    margin = None if final is None else default.position(final) - default.position(schedule.finish)
    errors = sum(finding.is_error for finding in analysis.findings)
    live = go_live_node(analysis)
    return PlanStatus(
        file=result.file,
        plan=graph.plan.plan,
        analysis=analysis,
        counts=total,
        groups=_groups(analysis, states),
        finish=schedule.finish,
        go_live=None if live is None else schedule.early.finish[live],
        go_live_task=None if live is None else graph.task(live).id,
        final_deadline=final,
        finish_margin=margin,
        worst=_worst(analysis, range(len(graph))),
        errors=errors,
        warnings=len(analysis.findings) - errors,
        states=by_task,
    )


#: The name of the group of tasks that sit at the top level, outside every summary.
TOP_LEVEL = "top level"


def _groups(analysis: Analysis, states: TaskStates) -> list[GroupStatus]:
    """The top-level summaries (the systems), each with its own counts.

    Tasks outside every summary (top-level milestones such as the go-live) make a last
    group of their own, so that the groups add up to the plan's count.
    """
    graph = analysis.graph
    groups: list[GroupStatus] = []
    loose: list[int] = []
    for node, item in enumerate(graph.tasks):
        if item.parent >= 0:
            continue
        if not graph.is_summary[node]:
            loose.append(node)
            continue
        leaves = graph.leaves(node)
        groups.append(
            GroupStatus(
                id=item.task.id,
                name=item.task.display_name,
                counts=counts(analysis, states, leaves),
                finish=analysis.schedule.early.finish[node],
                worst=_worst(analysis, leaves),
            )
        )
    if loose and groups:
        groups.append(
            GroupStatus(
                id="",
                name=TOP_LEVEL,
                counts=counts(analysis, states, loose),
                finish=max(analysis.schedule.early.finish[node] for node in loose),
                worst=_worst(analysis, loose),
            )
        )
    return groups


def _worst(analysis: Analysis, nodes: Sequence[int] | range) -> Worst | None:
    """The leaf (not done) with the least deadline slack among ``nodes``."""
    schedule, graph = analysis.schedule, analysis.graph
    candidates = [
        (slack, node)
        for node in nodes
        if not graph.is_summary[node]
        and schedule.status[node] not in {"done", "cancelled"}
        and (slack := schedule.deadline_slack[node]) is not None
    ]
    if not candidates:
        return None
    slack, node = min(candidates)
    task = graph.task(node)
    chain = tuple(graph.task(step).id for step in driving_chain(schedule, node))
    day = schedule.early.slack_calendar[node].day_minutes
    return Worst(task.id, task.display_name, slack, day, chain)


def rollup(results: Sequence[PlanCheck]) -> tuple[list[PlanStatus], Counts]:
    """One status per valid plan, riskiest first (least deadline slack), and the totals."""
    statuses = [plan_status(result) for result in results if result.analysis is not None]
    statuses.sort(key=lambda status: (_risk(status), status.file))
    totals = Counts()
    for status in statuses:
        totals.add(status.counts)
    return statuses, totals


def _risk(status: PlanStatus) -> tuple[float, int]:
    """Late first: the least deadline slack (in working days), then the most errors."""
    worst = status.worst
    days = worst.slack_minutes / max(worst.day_minutes, 1) if worst is not None else float("inf")
    return days, -status.errors
