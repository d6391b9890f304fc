"""Each task's states, decided once from the findings ``check`` reports and the schedule.

Every view (the terminal chart, the tables, status and roll-up, the exports) reads a task's
state from here, so that a chart never shows a task as late that the gate passes, or the
other way round: a task is *late* exactly when ``check`` reports ``late`` for it, *at risk*
when it reports ``at-risk`` (with the same ``--risk-threshold``), and so on.

A task can hold several states at once (in progress, at risk and critical); views show all
of them, in the order of ``State``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from cutover.engine.schedule import Schedule
    from cutover.findings.checks import Finding
    from cutover.findings.pipeline import Analysis


class State(StrEnum):
    """What can be true of a task at the status date, in the order views list them."""

    DONE = "done"
    IN_PROGRESS = "in-progress"
    CANCELLED = "cancelled"
    MISSED_DEADLINE = "missed-deadline"
    LATE = "late"
    LATE_START = "late-start"
    FINISHED_LATE = "finished-late"
    AT_RISK = "at-risk"
    CRITICAL = "critical"


#: The states a view marks as late (both are errors of ``check``).
LATE_STATES = frozenset({State.LATE, State.MISSED_DEADLINE})
#: What ``status`` counts as delayed: late, or not started although it had to be.
DELAYED_STATES = LATE_STATES | {State.LATE_START}
#: The finding code behind each state that comes from ``check``. A gate's findings
#: (findings/gates.py) are states of the gate or its rollback too: a decision overdue, a
#: gate forecast past its point of no return and a rollback forecast to end after
#: ``rollback_by`` are errors of ``check``, so late; a gate close to its point of no return
#: is at risk. ``rolling-back``, ``gate-decider`` and ``progress-not-counted`` say nothing
#: of a task's dates and stay findings only.
FINDING_STATES = {
    "late": State.LATE,
    "missed-deadline": State.MISSED_DEADLINE,
    "finished-late": State.FINISHED_LATE,
    "late-start": State.LATE_START,
    "at-risk": State.AT_RISK,
    "undecided-gate": State.LATE,
    "rollback-impossible": State.LATE,
    "rollback-late": State.LATE,
    "rollback-at-risk": State.AT_RISK,
}
_FROM_STATUS = {
    "done": State.DONE,
    "in_progress": State.IN_PROGRESS,
    "cancelled": State.CANCELLED,
}
#: How each state reads in a table cell or a legend (in English: ``_()`` translates it).
WORDS = {
    State.DONE: n_("done"),
    State.IN_PROGRESS: n_("in progress"),
    State.CANCELLED: n_("cancelled"),
    State.MISSED_DEADLINE: n_("deadline missed"),
    State.LATE: n_("late"),
    State.LATE_START: n_("start overdue"),
    State.FINISHED_LATE: n_("finished late"),
    State.AT_RISK: n_("at risk"),
    State.CRITICAL: n_("critical"),
}
_ORDER = {state: index for index, state in enumerate(State)}

TaskStates = dict[str, frozenset[State]]


def task_states(analysis: Analysis) -> TaskStates:
    """Every task's states by id, in file order (an empty set: not started, nothing to say)."""
    return states_of(analysis.schedule, analysis.findings)


def states_of(schedule: Schedule, findings: Iterable[Finding]) -> TaskStates:
    """The states of a schedule's tasks given the findings ``check`` made of it."""
    graph = schedule.graph
    extra: dict[int, set[State]] = {}
    index = graph.index
    for finding in findings:
        state = FINDING_STATES.get(finding.code)
        if state is not None:
            extra.setdefault(index[finding.task], set()).add(state)
    status, critical = schedule.status, schedule.critical
    states: TaskStates = {}
    for node, item in enumerate(graph.tasks):
        found = set(extra.get(node, ()))
        from_status = _FROM_STATUS.get(status[node])
        if from_status is not None:
            found.add(from_status)
        if critical[node] and status[node] not in {"done", "cancelled"}:
            found.add(State.CRITICAL)
        states[item.task.id] = frozenset(found)
    return states


def ordered(states: Iterable[State]) -> list[State]:
    """The states in the order views list them."""
    return sorted(states, key=_ORDER.__getitem__)


def is_late(states: frozenset[State]) -> bool:
    """Late or past its deadline: what the views mark in red and ``check`` fails on."""
    return not LATE_STATES.isdisjoint(states)


def state_words(states: frozenset[State], progress: float | None = None) -> str:
    """``in progress 60% · at risk · critical``: every state, worded; "" when none holds."""
    words = []
    for state in ordered(states):
        word = _(WORDS[state])
        if state is State.IN_PROGRESS and progress is not None:
            word += f" {round(progress * 100)}%"
        words.append(word)
    return " · ".join(words)


def marked(states: Mapping[str, frozenset[State]], *wanted: State) -> set[str]:
    """The ids of the tasks that hold any of ``wanted``."""
    want = frozenset(wanted)
    return {task for task, held in states.items() if not want.isdisjoint(held)}


@dataclass
class Counts:
    """What a steering committee counts: tasks by state at the status date.

    Every task that is not a summary and not cancelled is in exactly one of ``done``,
    ``delayed`` (late, past its deadline, or not started by its latest start, as ``check``
    says), ``in_progress`` and
    ``not_yet_due``; ``at_risk`` counts, among the last two, those ``check`` warns about.
    """

    done: int = 0
    delayed: int = 0
    in_progress: int = 0
    not_yet_due: int = 0
    at_risk: int = 0

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
        for name in ("done", "delayed", "in_progress", "not_yet_due", "at_risk"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def count(self, states: frozenset[State]) -> str:
        """Count one task (not a summary) and return the state it is counted under."""
        if State.CANCELLED in states:
            return "cancelled"
        if State.DONE in states:
            state = "done"
        elif not DELAYED_STATES.isdisjoint(states):
            state = "delayed"
        else:
            state = "in_progress" if State.IN_PROGRESS in states else "not_yet_due"
            self.at_risk += State.AT_RISK in states
        setattr(self, state, getattr(self, state) + 1)
        return state

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


def counts(analysis: Analysis, states: TaskStates, nodes: Iterable[int] | None = None) -> Counts:
    """The tasks among ``nodes`` (default: all) by state; summaries are not counted."""
    graph = analysis.graph
    total = Counts()
    for node in range(len(graph)) if nodes is None else nodes:
        if not graph.is_summary[node]:
            total.count(states[graph.task(node).id])
    return total


def go_live_node(analysis: Analysis) -> int | None:
    """The task the plan names as its go-live (``go_live: TASK``, or ``go_live: true``)."""
    graph = analysis.graph
    if graph.plan.go_live is not None:
        return graph.index.get(graph.plan.go_live)
    return next((node for node, item in enumerate(graph.tasks) if item.task.go_live), None)
