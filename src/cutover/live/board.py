"""What the people running the window need to see at a moment: the board of a live run.

Computed from the plan's analysis at ``now`` (the status date), apart from any screen, so
the run screen, the wall screen and the tests read the same answer: what is running (and
for how long against plan), what can start now, what is next, what is late or at risk,
the critical path of what remains, the gates with their points of no return, and the
countdowns to the next deadline and to go-live.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.engine.rows import ScheduleRow, schedule_rows
from cutover.findings.gates import GateState, gate_states
from cutover.findings.states import go_live_node

if TYPE_CHECKING:
    from cutover.findings.pipeline import Analysis

#: How far ahead "next" looks, in minutes of real time.
NEXT_WINDOW = 6 * 60


@dataclass(frozen=True)
class Running:
    """A task under way: minutes since it started against its planned working time."""

    row: ScheduleRow
    started: int
    elapsed: int  # real minutes since the actual start
    planned: int  # its duration in working minutes

    @property
    def overrun(self) -> bool:
        """True when it has taken longer than planned (in real time, which a shift is)."""
        return self.elapsed > self.planned


@dataclass(frozen=True)
class Board:
    """The board at ``now``: every list a run screen shows, in plan order."""

    plan: str
    now: int
    running: tuple[Running, ...]
    ready: tuple[ScheduleRow, ...]
    upcoming: tuple[ScheduleRow, ...]
    trouble: tuple[tuple[ScheduleRow, str, str], ...]  # row, finding code, message
    critical: tuple[ScheduleRow, ...]
    gates: tuple[GateState, ...]
    next_deadline: tuple[ScheduleRow, int] | None  # the task and its deadline minute
    go_live: ScheduleRow | None
    owners: tuple[str, ...]
    rolling_back: bool

    def countdown(self, minute: int | None) -> int | None:
        """Real minutes from now until ``minute`` (negative: passed)."""
        return None if minute is None else minute - self.now


def build_board(analysis: Analysis, owner: str | None = None) -> Board:
    """The board of a plan analysed at its status date; ``owner`` keeps one team's lane."""
    schedule = analysis.schedule
    now = (
        schedule.as_of
        if schedule.as_of is not None
        else schedule.graph.timebase.minute(analysis.graph.plan.start)
    )
    rows = schedule_rows(schedule)
    by_id = {row.id: row for row in rows}
    owners = tuple(sorted({row.owner for row in rows if row.owner}))
    leaves = [row for row in rows if not row.summary and (owner is None or row.owner == owner)]
    graph = schedule.graph
    running = []
    for row in leaves:
        if row.status != "in_progress":
            continue
        task = graph.tasks[row.node].task
        started = graph.timebase.minute(task.actual_start) if task.actual_start else row.start
        running.append(Running(row, started, now - started, row.duration))
    statuses = {row.id: row.status for row in rows}
    ready = tuple(
        row
        for row in leaves
        if row.status == "not_started" and _ready(analysis, row, now, statuses)
    )
    upcoming = tuple(
        row
        for row in leaves
        if row.status == "not_started" and row not in ready and row.start < now + NEXT_WINDOW
    )
    trouble = tuple(
        (by_id[finding.task], finding.code, finding.message)
        for finding in analysis.findings
        if finding.task in by_id and (owner is None or by_id[finding.task].owner == owner)
    )
    critical = tuple(
        row for row in rows if row.critical and row.status not in ("done", "cancelled")
    )
    deadlines = [
        (row, row.deadline)
        for row in rows
        if row.deadline is not None and row.deadline >= now and row.status != "done"
    ]
    states = tuple(gate_states(schedule))
    return Board(
        plan=graph.plan.plan,
        now=now,
        running=tuple(running),
        ready=ready,
        upcoming=upcoming,
        trouble=trouble,
        critical=critical,
        gates=states,
        next_deadline=min(deadlines, key=lambda item: item[1]) if deadlines else None,
        go_live=_go_live(rows, go_live_node(analysis)),
        owners=owners,
        rolling_back=any(state.rolling_back for state in states),
    )


def _ready(analysis: Analysis, row: ScheduleRow, now: int, statuses: dict[str, str]) -> bool:
    """Every predecessor done (or cancelled) and ``not_before`` reached."""
    graph = analysis.graph
    task = graph.tasks[row.node].task
    if task.not_before is not None and graph.timebase.minute(task.not_before) > now:
        return False
    waits = [link for link, _type, _lag in task.links]
    parent = graph.tasks[row.node].parent
    while parent >= 0:  # a summary's links bind its sub-tasks
        waits += [link for link, _type, _lag in graph.tasks[parent].task.links]
        parent = graph.tasks[parent].parent
    return all(statuses.get(link) in ("done", "cancelled") for link in waits)


def _go_live(rows: list[ScheduleRow], named: int | None) -> ScheduleRow | None:
    """The go-live: the task the plan names (``go_live``), as ``status`` reports it.

    A plan that names none: a milestone whose id or name says go-live, else the last one.
    """
    if named is not None:
        return next((row for row in rows if row.node == named), None)
    milestones = [row for row in rows if row.milestone]
    for row in milestones:
        text = f"{row.id} {row.name}".lower()
        if "go-live" in text or "golive" in text or "go live" in text:
            return row
    return max(milestones, key=lambda row: row.finish) if milestones else None
