"""A rehearsal against its plan: how long each task really took, and what that would break.

A rehearsal is a run recorded into a copy of the plan (``cutover run PLAN --rehearsal
COPY``). ``compare`` reads both: per task the planned working time against the rehearsed
one (actual start to actual finish on the task's calendar), the deadlines the plan would
miss if the rehearsed times recurred, and for each gate with a rollback the recovery time
objective (``rollback_by`` minus the gate) against the time the rehearsed rollback took.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.engine.rows import schedule_rows
from cutover.findings.pipeline import analyse_loaded
from cutover.planfile.loader import LoadedPlan, load_plan
from cutover.worktime.durations import parse_duration

if TYPE_CHECKING:
    from pathlib import Path

    from cutover.findings.pipeline import Analysis
    from cutover.planfile.model import Task
    from cutover.planfile.tasktree import FlatTask


@dataclass(frozen=True)
class Timing:
    """A task's planned and rehearsed working minutes (rehearsed None: not rehearsed)."""

    task: str
    name: str
    planned: int
    rehearsed: int | None
    day_minutes: int

    @property
    def overrun(self) -> int:
        """Rehearsed minus planned, when rehearsed (negative: faster than planned)."""
        return 0 if self.rehearsed is None else self.rehearsed - self.planned


@dataclass(frozen=True)
class Broken:
    """A deadline the plan would miss if the rehearsed times recurred."""

    task: str
    name: str
    deadline_slack: int  # working minutes, negative
    day_minutes: int
    because: tuple[str, ...]  # the overrunning tasks on its driving chain


@dataclass(frozen=True)
class Recovery:
    """A gate's recovery time objective against its rehearsed rollback."""

    gate: str
    rollback: str
    objective: int  # real minutes from the gate's forecast to rollback_by
    rehearsed: int | None  # real minutes the rollback took in the rehearsal


@dataclass(frozen=True)
class Comparison:
    """Everything ``compare`` reports."""

    timings: tuple[Timing, ...]
    broken: tuple[Broken, ...]
    recoveries: tuple[Recovery, ...]


def compare(plan_path: Path, rehearsal_path: Path) -> Comparison:
    """Compare a plan with a rehearsal of it (both loaded; bad files raise PlanError)."""
    loaded = load_plan(plan_path)
    plan = analyse_loaded(loaded, now=None)
    rehearsal = analyse_loaded(load_plan(rehearsal_path), now=None)
    timings = _timings(plan, rehearsal)
    return Comparison(
        timings=timings,
        broken=_broken(loaded, plan, timings),
        recoveries=_recoveries(plan, rehearsal),
    )


def _rehearsed_minutes(analysis: Analysis, task_id: str) -> int | None:
    graph = analysis.graph
    node = graph.index.get(task_id)
    if node is None:
        return None
    task = graph.tasks[node].task
    if task.actual_start is None or task.actual_finish is None or task.is_summary:
        return None
    calendar = graph.calendar[node]
    start = graph.timebase.minute(task.actual_start)
    finish = graph.timebase.minute(task.actual_finish)
    return calendar.position(finish) - calendar.position(start)


def _timings(plan: Analysis, rehearsal: Analysis) -> tuple[Timing, ...]:
    graph = plan.graph
    found = []
    for node, item in enumerate(graph.tasks):
        if graph.is_summary[node] or graph.is_instant[node]:
            continue
        found.append(
            Timing(
                task=item.task.id,
                name=item.task.display_name,
                planned=graph.duration[node],
                rehearsed=_rehearsed_minutes(rehearsal, item.task.id),
                day_minutes=graph.calendar[node].day_minutes,
            )
        )
    return tuple(found)


def _broken(loaded: LoadedPlan, plan: Analysis, timings: tuple[Timing, ...]) -> tuple[Broken, ...]:
    """Deadlines missed when every rehearsed task takes its rehearsed time (as planned)."""
    rehearsed = {t.task: t.rehearsed for t in timings if t.rehearsed is not None}
    if not rehearsed:
        return ()
    overrunning = {t.task for t in timings if t.overrun > 0}
    replayed = loaded.plan.model_copy(
        update={"as_of": None, "tasks": _with_durations(loaded.plan.tasks, rehearsed)}
    )
    analysis = analyse_loaded(LoadedPlan(replayed, loaded.source), now=None)
    before = {row.id: row.deadline_slack for row in schedule_rows(plan.schedule)}
    found = []
    for row in schedule_rows(analysis.schedule):
        if row.deadline is None or row.deadline_slack is None or row.deadline_slack >= 0:
            continue  # its own deadline met (its predecessors inherit the slack: not theirs)
        if (before.get(row.id) or 0) < 0:
            continue  # already missed as planned: not the rehearsal's news
        drivers = [analysis.graph.task(node).id for node in _chain(analysis, row.node)]
        found.append(
            Broken(
                task=row.id,
                name=row.name,
                deadline_slack=row.deadline_slack,
                day_minutes=analysis.graph.calendar[row.node].day_minutes,
                because=tuple(task for task in drivers if task in overrunning),
            )
        )
    return tuple(found)


def _chain(analysis: Analysis, node: int) -> tuple[int, ...]:
    from cutover.engine.schedule import driving_chain  # noqa: PLC0415

    return tuple(driving_chain(analysis.schedule, node))


def _with_durations(tasks: tuple[Task, ...], rehearsed: dict[str, int]) -> tuple[Task, ...]:
    out = []
    for task in tasks:
        if task.tasks:
            out.append(task.model_copy(update={"tasks": _with_durations(task.tasks, rehearsed)}))
        elif task.id in rehearsed:
            minutes = parse_duration(f"{rehearsed[task.id]}m")
            fresh: dict[str, object] = dict.fromkeys(
                ("actual_start", "actual_finish", "progress", "estimate")
            )
            fresh |= {"duration": minutes, "status": "not_started"}
            out.append(task.model_copy(update=fresh))
        else:
            out.append(task)
    return tuple(out)


def _recoveries(plan: Analysis, rehearsal: Analysis) -> tuple[Recovery, ...]:
    from cutover.findings.gates import gate_states  # noqa: PLC0415

    found = []
    for state in gate_states(plan.schedule):
        if state.rollback is None or state.rollback_by is None:
            continue
        found.append(
            Recovery(
                gate=state.task,
                rollback=state.rollback,
                objective=state.rollback_by - state.forecast,
                rehearsed=_span(rehearsal, state.rollback),
            )
        )
    return tuple(found)


def _span(analysis: Analysis, branch: str) -> int | None:
    """Real minutes from the branch's first actual start to its last actual finish."""
    graph = analysis.graph
    if branch not in graph.index:
        return None  # the rehearsal never rolled back: the branch stayed on standby
    first = graph.index[branch]
    nodes = [first] + [node for node in range(len(graph.tasks)) if _under(graph.tasks, node, first)]
    leaves = [graph.tasks[n].task for n in nodes if not graph.is_summary[n]]
    starts = [t.actual_start for t in leaves if t.actual_start is not None]
    ends = [t.actual_finish for t in leaves if t.actual_finish is not None]
    if not starts or len(ends) < len(leaves):
        return None
    base = graph.timebase
    return max(base.minute(end) for end in ends) - min(base.minute(start) for start in starts)


def _under(tasks: list[FlatTask], node: int, ancestor: int) -> bool:
    parent = tasks[node].parent
    while parent >= 0:
        if parent == ancestor:
            return True
        parent = tasks[parent].parent
    return False


def apply_rehearsal(plan_path: Path, comparison: Comparison, *, today: object) -> list[str]:
    """Write each rehearsed time back as the task's new estimate; the lines changed, as text.

    A task with a three-point ``estimate`` gets ``likely`` = rehearsed (widening the range if
    the rehearsal fell outside it); one without gets its ``duration``. Comments stay.
    """
    from cutover.portfolio.editing import set_likely  # noqa: PLC0415

    written = []
    for timing in comparison.timings:
        if timing.rehearsed is None or timing.rehearsed == timing.planned:
            continue
        result = set_likely(plan_path, timing.task, _duration_text(timing.rehearsed), today=today)
        written += [f"{result.file}:{c.line}: {timing.task}: {c}" for c in result.changes]
    return written


def _duration_text(minutes: int) -> str:
    """``3h20m``, ``45m``, ``6h``: working time in hours and minutes (days differ by calendar)."""
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")
