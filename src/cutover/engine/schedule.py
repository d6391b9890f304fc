"""The schedule of a plan at a status date: every task's dates, slacks and the critical path.

``build_schedule(graph, as_of)`` runs the passes of ``passes`` and keeps the results as
arrays in file order; ``Schedule.times(node)`` gives one task's ``TaskTimes``. The core
never prints and never reads the clock: the status date is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutover.engine.graph import FROM_FINISH
from cutover.engine.passes import INF, BackwardPass, Early, ForwardPass, Late

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cutover.engine.graph import Edge, TaskGraph


@dataclass(frozen=True, slots=True)
class TaskTimes:
    """One task's schedule; instants are wall-clock minutes, slacks working minutes."""

    start: int
    finish: int
    late_start: int
    late_finish: int
    total_slack: int
    free_slack: int
    deadline_slack: int | None
    critical: bool
    status: str


@dataclass(frozen=True, eq=False)
class Schedule:
    """The computed schedule of a plan, as arrays indexed by node (file order)."""

    graph: TaskGraph
    as_of: int | None
    finish: int
    early: Early
    late: Late
    total_slack: list[int]
    deadline_slack: list[int | None]
    critical: list[bool]
    status: list[str]
    critical_path: tuple[int, ...]
    _steps: dict[int, int | None] = field(default_factory=dict, repr=False)
    _chains: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _late: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    _free: list[int] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        """The number of tasks, summaries included."""
        return len(self.graph)

    @property
    def free_slack(self) -> list[int]:
        """Free slack of every node, computed on first use (check never needs it)."""
        known = self._free
        if not known:
            graph, early = self.graph, self.early
            free = BackwardPass(graph, early, self.finish, early_successors=True).run()
            slacks = _slacks(graph, early, free.bound, free.summary_start)
            known.extend(max(slack, 0) for slack in slacks)
        return known

    def start(self, node: int) -> int:
        """Earliest (forecast) start."""
        return self.early.start[node]

    def finish_of(self, node: int) -> int:
        """Earliest (forecast) finish."""
        return self.early.finish[node]

    def late_dates(self, node: int) -> tuple[int, int]:
        """Latest start and finish (instants) that keep the plan's finish and deadlines.

        Remembered: a summary asks its sub-tasks, and views then ask each sub-task again.
        """
        known = self._late.get(node)
        if known is not None:
            return known
        graph, bound = self.graph, self.late.bound
        if graph.is_summary[node]:
            dates = [self.late_dates(kid) for kid in graph.children[node]]
            known = min(start for start, _ in dates), max(finish for _, finish in dates)
        elif graph.is_instant[node]:
            known = bound[node], bound[node]
        else:
            known = graph.calendar[node].span_at(bound[node] - graph.duration[node], bound[node])
        self._late[node] = known
        return known

    def times(self, node: int) -> TaskTimes:
        """Everything known about one task's schedule."""
        late_start, late_finish = self.late_dates(node)
        return TaskTimes(
            start=self.early.start[node],
            finish=self.early.finish[node],
            late_start=late_start,
            late_finish=late_finish,
            total_slack=self.total_slack[node],
            free_slack=self.free_slack[node],
            deadline_slack=self.deadline_slack[node],
            critical=self.critical[node],
            status=self.status[node],
        )

    def times_of(self, task_id: str) -> TaskTimes:
        """The schedule of one task, by id."""
        return self.times(self.graph.index[task_id])

    def all_times(self) -> Iterator[TaskTimes]:
        """Every task's schedule in file order."""
        return (self.times(node) for node in range(len(self.graph)))

    def tight_links(self, node: int) -> list[Edge]:
        """The links that set a node's earliest date (empty when a constraint sets it)."""
        return self.early.tight[node]

    def driving_step(self, node: int) -> int | None:
        """The task whose link sets this task's date (first by file order), if a link does."""
        if node in self._steps:
            return self._steps[node]
        graph, early = self.graph, self.early
        if graph.is_summary[node]:
            step = driving_leaf(graph, early, node, at_finish=True)
        else:
            found = (
                driving_leaf(graph, early, edge.pred, at_finish=edge.type in FROM_FINISH)
                for edge in early.tight[node]
            )
            leaves = [leaf for leaf in found if leaf is not None]
            step = min(leaves) if leaves else None
        self._steps[node] = step
        return step

    def reason(self, node: int) -> str:
        """What sets a node's date when no link does: plan start, not_before, status date..."""
        return self.early.reason[node]


def build_schedule(graph: TaskGraph, as_of: int | None) -> Schedule:
    """Forward pass; backward passes for total and deadline slack; the critical path.

    Free slack (a third backward pass) is computed when first asked for.
    """
    early = ForwardPass(graph, as_of).run()
    finish = max(early.finish)
    late = BackwardPass(graph, early, finish).run()
    deadline_late = BackwardPass(graph, early, None).run()
    status = _statuses(graph)
    total_slack = _slacks(graph, early, late.bound)
    deadline_slack: list[int | None] = [
        None if bound >= INF else slack
        for bound, slack in zip(
            deadline_late.bound, _slacks(graph, early, deadline_late.bound), strict=True
        )
    ]
    critical = [
        slack <= 0 and state not in {"done", "cancelled"}
        for slack, state in zip(total_slack, status, strict=True)
    ]
    _roll_up(graph, total_slack, deadline_slack, critical)
    path = _critical_path(graph, early, critical, finish)
    return Schedule(
        graph=graph,
        as_of=as_of,
        finish=finish,
        early=early,
        late=late,
        total_slack=total_slack,
        deadline_slack=deadline_slack,
        critical=critical,
        status=status,
        critical_path=tuple(path),
    )


def _slacks(
    graph: TaskGraph, early: Early, bound: list[int], start_bound: list[int] | None = None
) -> list[int]:
    """PLAN_FORMAT: latest finish − earliest finish, in working minutes of the task's calendar.

    A milestone's slack is counted on the calendar of the predecessor that sets its date.
    """
    out = [0] * len(graph)
    finish_pos = early.finish_pos
    for node in range(len(graph)):
        latest = bound[node]
        if latest >= INF:
            out[node] = INF
        elif graph.is_instant[node] or graph.is_summary[node]:
            if start_bound is not None and graph.is_summary[node]:
                latest = min(latest, start_bound[node])
            out[node] = early.slack_calendar[node].position(latest) - finish_pos[node]
        else:
            out[node] = latest - finish_pos[node]
    return out


def _roll_up(
    graph: TaskGraph, total: list[int], deadline: list[int | None], critical: list[bool]
) -> None:
    """A summary's slack is its most critical sub-task's; it is critical when one of them is."""
    for node in reversed(range(len(graph))):  # sub-tasks come after their summary in the file
        if not graph.is_summary[node]:
            continue
        kids = graph.children[node]
        total[node] = min(total[kid] for kid in kids)
        slacks = [slack for kid in kids if (slack := deadline[kid]) is not None]
        deadline[node] = min(slacks) if slacks else None
        critical[node] = any(critical[kid] for kid in kids)


def _statuses(graph: TaskGraph) -> list[str]:
    """A leaf's own status; a summary is done when all its tasks are, started when any is."""
    statuses: list[str] = [graph.task(node).status for node in range(len(graph))]
    for node in reversed(range(len(graph))):
        if not graph.is_summary[node]:
            continue
        kids = {statuses[kid] for kid in graph.children[node]}
        if kids <= {"cancelled"}:
            statuses[node] = "cancelled"
        elif kids <= {"done", "cancelled"}:
            statuses[node] = "done"
        elif kids & {"done", "in_progress"}:
            statuses[node] = "in_progress"
        else:
            statuses[node] = "not_started"
    return statuses


def _critical_path(graph: TaskGraph, early: Early, critical: list[bool], finish: int) -> list[int]:
    """PLAN_FORMAT: one chain of critical tasks ending at the plan's finish, first by file order."""
    ends = [
        node
        for node in range(len(graph))
        if critical[node] and not graph.is_summary[node] and early.finish[node] == finish
    ]
    if not ends:
        return []
    # Several tasks may end at the plan's finish (a milestone and the task before it):
    # the chain ends at one that no other of them waits for.
    feeding = {
        driving_leaf(graph, early, edge.pred, at_finish=edge.type in FROM_FINISH)
        for end in ends
        for edge in early.tight[end]
    }
    path = [next((end for end in ends if end not in feeding), ends[0])]
    seen = set(path)
    while True:
        candidates = [
            leaf
            for edge in early.tight[path[-1]]
            if (leaf := driving_leaf(graph, early, edge.pred, at_finish=edge.type in FROM_FINISH))
            is not None
            and critical[leaf]
            and leaf not in seen
        ]
        if not candidates:
            break
        path.append(min(candidates))
        seen.add(path[-1])
    path.reverse()
    return path


def driving_leaf(graph: TaskGraph, early: Early, node: int, *, at_finish: bool) -> int | None:
    """For a summary, the first sub-task that sets its finish (or start); a leaf is itself."""
    while graph.is_summary[node]:
        anchor = early.finish if at_finish else early.start
        drivers = [kid for kid in graph.children[node] if anchor[kid] == anchor[node]]
        if not drivers:
            return None
        node = drivers[0]
    return node


def driving_chain(schedule: Schedule, node: int, limit: int = 12) -> list[int]:
    """The tasks whose links set this task's date, back to one that a constraint sets.

    Each step follows the first link (by file order) that sets the date: the answer to
    "what drives this date?". The chain ends with ``node`` and holds the nearest
    ``limit`` tasks. Chains share their tails, so each is built once from its
    predecessor's.
    """
    chains = schedule._chains  # noqa: SLF001 - the schedule's own memo
    pending = [node]
    while True:  # walk back to a task whose chain is known or that nothing drives
        step = schedule.driving_step(pending[-1])
        if step is None or step in chains or step in pending:
            break
        pending.append(step)
    for current in reversed(pending):
        step = schedule.driving_step(current)
        before = chains.get(step, ()) if step is not None and step != current else ()
        chains[current] = (*before[-(limit - 1) :], current) if limit > 1 else (current,)
    return list(chains[node])
