"""Go/no-go gates at a status date: decisions due, who took them, and the point of no return.

The point of no return of a gate with a rollback branch is the latest time the gate can
still say no-go and have the branch finish by ``rollback_by``: the branch is scheduled on
its own, with its calendars and lags, from a trial start, and the start is searched (the
finish never falls as the start moves later). No planning tool computes it; it is what a
cutover manager most needs to know at 03:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_
from cutover.engine.graph import build_graph
from cutover.engine.schedule import build_schedule
from cutover.findings.checks import ERROR, WARNING, Finding
from cutover.findings.wording import when, work_amount
from cutover.planfile.loader import LoadedPlan
from cutover.worktime.calendars import MAX_SPAN_DAYS

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.common.errors import SourceLocation
    from cutover.engine.schedule import Schedule
    from cutover.findings.checks import Details
    from cutover.planfile.model import Task
    from cutover.worktime.durations import Duration
    from cutover.worktime.timebase import TimeBase


def _worded(
    where: SourceLocation, text: str, **parts: str | Callable[[], str]
) -> Callable[[], Details]:
    """A finding's sentence worded when first read, once the plan's language is known.

    A part given as a function (a date) is worded then too.
    """
    return lambda: (
        _(text).format(**{key: part() if callable(part) else part for key, part in parts.items()}),
        where,
        (),
    )


def _when(base: TimeBase, minute: int) -> Callable[[], str]:
    """``when`` of a minute, worded later."""
    return lambda: when(base, minute)


#: How far before ``rollback_by`` the search for the point of no return looks.
_SEARCH_DAYS = 366


@dataclass(frozen=True)
class GateState:
    """A gate at the status date: its forecast time, decision and point of no return."""

    task: str
    name: str
    decider: str
    criteria: tuple[str, ...]
    forecast: int  # the minute the gate is forecast to be reached (or was decided)
    decision: str | None
    decided_by: str | None
    rollback: str | None
    rollback_by: int | None
    point_of_no_return: int | None  # None: no rollback_by, or the rollback cannot make it
    rolling_back: bool

    @property
    def has_rollback_deadline(self) -> bool:
        """True when the gate names a rollback branch and a time it must be done by."""
        return self.rollback is not None and self.rollback_by is not None


def gate_states(schedule: Schedule) -> list[GateState]:
    """Every gate of the scheduled plan, in file order."""
    graph = schedule.graph
    states = []
    for node, item in enumerate(graph.tasks):
        task = item.task
        if task.gate is None:
            continue
        rollback_by = (
            graph.timebase.minute(task.gate.rollback_by)
            if task.gate.rollback_by is not None
            else None
        )
        no_return = None
        if task.gate.rollback and rollback_by is not None:
            no_return = point_of_no_return(schedule, task.gate.rollback, rollback_by)
        states.append(
            GateState(
                task=task.id,
                name=task.display_name,
                decider=task.gate.decider,
                criteria=task.gate.criteria,
                forecast=schedule.finish_of(node),
                decision=task.decision,
                decided_by=task.decided_by,
                rollback=task.gate.rollback,
                rollback_by=rollback_by,
                point_of_no_return=no_return,
                rolling_back=task.decision == "no-go" and task.gate.rollback is not None,
            )
        )
    return states


def point_of_no_return(schedule: Schedule, branch_id: str, deadline: int) -> int | None:
    """The latest minute the branch can start and still finish by ``deadline``, or None."""
    plan = schedule.graph.plan
    branch = _find(plan.tasks, branch_id)
    if branch is None:
        return None
    inside = _ids(branch)
    standalone = _detached(branch, inside)
    source = schedule.graph.source
    timebase = schedule.graph.timebase

    def finish(start: int) -> int:
        sub = plan.model_copy(
            update={"start": timebase.naive(start), "as_of": None, "tasks": (standalone,)}
        )
        return build_schedule(build_graph(LoadedPlan(sub, source)), None).finish

    low = deadline - _SEARCH_DAYS * 1440
    low = max(low, deadline - MAX_SPAN_DAYS * 1440 // 2)
    if finish(low) > deadline:
        return None
    high = deadline
    if finish(high) <= deadline:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if finish(middle) <= deadline:
            low = middle
        else:
            high = middle
    return low


def _find(tasks: tuple[Task, ...], task_id: str) -> Task | None:
    for task in tasks:
        if task.id == task_id:
            return task
        found = _find(task.tasks or (), task_id)
        if found is not None:
            return found
    return None


def _ids(task: Task) -> set[str]:
    return {task.id}.union(*(_ids(sub) for sub in task.tasks or ()))


def _detached(task: Task, inside: set[str]) -> Task:
    """The branch as a plan of its own: links to outside it, progress and standby dropped."""
    after = tuple(
        item
        for item, (target, _t, _l) in zip(task.after, task.links, strict=True)
        if target in inside
    )
    update: dict[str, object] = {
        "after": after, "branch": None, "not_before": None, "deadline": None,
        "status": "not_started", "actual_start": None, "actual_finish": None, "progress": None,
    }  # fmt: skip
    if task.tasks:
        update["tasks"] = tuple(_detached(sub, inside) for sub in task.tasks)
        for key in ("status", "actual_start", "actual_finish", "progress"):
            update.pop(key)
    return task.model_copy(update=update)


def gate_findings(schedule: Schedule, risk_threshold: Duration) -> list[Finding]:
    """The findings of a scheduled plan's gates, in file order.

    ``undecided-gate``, ``gate-decider``, ``rolling-back``, ``rollback-at-risk`` and
    ``rollback-impossible``.
    """
    graph = schedule.graph
    base = graph.timebase
    found = []
    for state in gate_states(schedule):
        node = graph.index[state.task]
        where = graph.source.locate(graph.tasks[node].path)
        as_of = schedule.as_of
        if state.decision is None and as_of is not None and state.forecast <= as_of:
            found.append(
                Finding(
                    "undecided-gate", ERROR, state.task,
                    details=_worded(
                        where,
                        n_(
                            "the go/no-go '{name}' was due {when} and has no decision: "
                            "{decider} decides"
                        ),
                        name=state.name, when=_when(base, state.forecast),
                        decider=state.decider,
                    ),
                )
            )  # fmt: skip
        if state.decided_by is not None and state.decided_by != state.decider:
            found.append(
                Finding(
                    "gate-decider", WARNING, state.task,
                    details=_worded(
                        where, n_("'{name}' was decided by {who}, not by its decider {decider}"),
                        name=state.name, who=state.decided_by, decider=state.decider,
                    ),
                )
            )  # fmt: skip
        if state.rolling_back:
            found.append(
                Finding(
                    "rolling-back", WARNING, state.task,
                    details=_worded(
                        where,
                        n_(
                            "'{name}' decided no-go: the plan is rolling back with '{rollback}'; "
                            "the forward work after it is cancelled"
                        ),
                        name=state.name, rollback=state.rollback or "",
                    ),
                )
            )  # fmt: skip
        if state.rolling_back and state.rollback_by is not None:
            found.extend(_rollback_late(schedule, state))
        if state.decision is None and state.has_rollback_deadline:
            found.extend(_rollback_findings(schedule, state, risk_threshold, where))
    return found


def _rollback_late(schedule: Schedule, state: GateState) -> list[Finding]:
    """``rollback-late``: the rollback under way is forecast to end after ``rollback_by``."""
    graph = schedule.graph
    node = graph.index.get(state.rollback or "")
    if node is None or state.rollback_by is None:
        return []
    finish = schedule.finish_of(node)
    if finish <= state.rollback_by:
        return []
    base = graph.timebase
    return [
        Finding(
            "rollback-late", ERROR, state.rollback or state.task,
            details=_worded(
                graph.source.locate(graph.tasks[node].path),
                n_(
                    "the rollback '{rollback}' is forecast to finish {finish}, after {by}, when "
                    "the old system must be back"
                ),
                rollback=state.rollback or "", finish=_when(base, finish),
                by=_when(base, state.rollback_by),
            ),
        )
    ]  # fmt: skip


def _rollback_findings(
    schedule: Schedule, state: GateState, risk_threshold: Duration, where: SourceLocation
) -> list[Finding]:
    graph = schedule.graph
    base = graph.timebase
    assert state.rollback_by is not None
    no_return = state.point_of_no_return
    if no_return is None or state.forecast > no_return:
        rollback_by, rollback = state.rollback_by, state.rollback or ""

        def why() -> str:
            if no_return is None:
                return _(
                    "the rollback '{rollback}' cannot finish by {by} even if it started now"
                ).format(rollback=rollback, by=when(base, rollback_by))
            return _("the point of no return is {when}").format(when=when(base, no_return))

        return [
            Finding(
                "rollback-impossible", ERROR, state.task,
                details=_worded(
                    where,
                    n_(
                        "'{name}' is forecast {when}: {why}; a no-go then could not restore the "
                        "old system in time"
                    ),
                    name=state.name, when=_when(base, state.forecast), why=why,
                ),
            )
        ]  # fmt: skip
    # The margin is counted on the rollback's calendar: the time its crew would have.
    branch = _find(graph.plan.tasks, state.rollback or "")
    name = branch.calendar if branch is not None and branch.calendar else None
    calendar = graph.calendars.get(name or "", graph.calendar[graph.index[state.task]])
    margin = calendar.position(no_return) - calendar.position(state.forecast)
    if margin < risk_threshold.in_minutes(calendar.day_minutes, calendar.week_minutes):
        day = calendar.day_minutes
        return [
            Finding(
                "rollback-at-risk", WARNING, state.task, minutes=margin,
                details=_worded(
                    where,
                    n_(
                        "'{name}' is forecast {when}, only {margin} before its point of no return "
                        "{no_return}"
                    ),
                    name=state.name, when=_when(base, state.forecast),
                    margin=work_amount(margin, day) or "0", no_return=_when(base, no_return),
                ),
            )
        ]  # fmt: skip
    return []


def rolling_back(findings: list[Finding]) -> str | None:
    """``ROLLING BACK (GATE decided no-go)`` when a gate sent the plan back, else None.

    Every view puts it in its title, so no one reads a rolled-back plan as going ahead.
    """
    gates = [finding.task for finding in findings if finding.code == "rolling-back"]
    if not gates:
        return None
    return _("ROLLING BACK ({gates} decided no-go)").format(gates=", ".join(gates))
