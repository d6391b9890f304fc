"""What a steering committee counts: "86 tasks: 59 done, 5 delayed, 22 within their deadline".

Every task that is not a summary and not cancelled is in exactly one of four states at
the status date:

- ``done``;
- ``delayed``: not done, and a deadline is missed or forecast to be (the task's deadline
  slack is negative, or its own deadline has passed);
- ``in_progress``: started, and on time;
- ``not_yet_due``: not started, and on time.

"Within their deadline" is the last two together. The same counts are kept per summary
(a system), with the forecast finish against the final deadline and the task with the
least deadline slack, for one plan (``cutover status``) or many (``cutover rollup``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.engine.schedule import driving_chain

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.findings.pipeline import Analysis, PlanCheck

STATES = ("done", "delayed", "in_progress", "not_yet_due")


@dataclass
class Counts:
    """Tasks by state; ``within`` is in progress plus not yet due."""

    done: int = 0
    delayed: int = 0
    in_progress: int = 0
    not_yet_due: int = 0

    @property
    def total(self) -> int:
        """All tasks counted (summaries and cancelled tasks are not)."""
        return self.done + self.delayed + self.in_progress + self.not_yet_due

    @property
    def within(self) -> int:
        """Not done, and on time: within their deadline."""
        return self.in_progress + self.not_yet_due

    def add(self, other: Counts) -> None:
        """Add another set of counts to this one."""
        for state in STATES:
            setattr(self, state, getattr(self, state) + getattr(other, state))

    def sentence(self) -> str:
        """``86 tasks: 59 done, 5 delayed, 22 within their deadline``."""
        return _(
            "{total} tasks: {done} done, {delayed} delayed, {within} within their deadline "
            "({in_progress} in progress, {not_yet_due} not yet due)"
        ).format(
            total=self.total,
            done=self.done,
            delayed=self.delayed,
            within=self.within,
            in_progress=self.in_progress,
            not_yet_due=self.not_yet_due,
        )


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
    final_deadline: int | None
    finish_margin: int | None
    worst: Worst | None
    errors: int
    warnings: int
    states: dict[str, str] = field(repr=False)


def task_state(analysis: Analysis, node: int, late: set[int]) -> str | None:
    """The state of one task, or None for summaries and cancelled tasks."""
    graph, schedule = analysis.graph, analysis.schedule
    status = schedule.status[node]
    if graph.is_summary[node] or status == "cancelled":
        return None
    if status == "done":
        return "done"
    slack = schedule.deadline_slack[node]
    if node in late or (slack is not None and slack < 0):
        return "delayed"
    return "in_progress" if status == "in_progress" else "not_yet_due"


def plan_status(result: PlanCheck) -> PlanStatus:
    """The committee's view of one valid plan."""
    analysis = result.analysis
    assert analysis is not None
    graph, schedule = analysis.graph, analysis.schedule
    late = {graph.index[f.task] for f in analysis.findings if f.code in {"late", "missed-deadline"}}
    states: dict[str, str] = {}
    counts = Counts()
    for node in range(len(graph)):
        state = task_state(analysis, node, late)
        if state is not None:
            states[graph.task(node).id] = state
            setattr(counts, state, getattr(counts, state) + 1)
    deadlines = [minute for minute in graph.deadline if minute is not None]
    final = max(deadlines) if deadlines else None
    default = graph.calendars["default"]
    margin = None if final is None else default.position(final) - default.position(schedule.finish)
    errors = sum(finding.is_error for finding in analysis.findings)
    return PlanStatus(
        file=result.file,
        plan=graph.plan.plan,
        analysis=analysis,
        counts=counts,
        groups=_groups(analysis, states),
        finish=schedule.finish,
        final_deadline=final,
        finish_margin=margin,
        worst=_worst(analysis, range(len(graph))),
        errors=errors,
        warnings=len(analysis.findings) - errors,
        states=states,
    )


def _groups(analysis: Analysis, states: dict[str, str]) -> list[GroupStatus]:
    """The top-level summaries (the systems), each with its own counts."""
    graph = analysis.graph
    groups: list[GroupStatus] = []
    for node, item in enumerate(graph.tasks):
        if item.parent >= 0 or not graph.is_summary[node]:
            continue
        counts = Counts()
        leaves = graph.leaves(node)
        for leaf in leaves:
            state = states.get(graph.task(leaf).id)
            if state is not None:
                setattr(counts, state, getattr(counts, state) + 1)
        groups.append(
            GroupStatus(
                id=item.task.id,
                name=item.task.display_name,
                counts=counts,
                finish=analysis.schedule.early.finish[node],
                worst=_worst(analysis, leaves),
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
