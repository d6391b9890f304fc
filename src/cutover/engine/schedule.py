"""The schedule of a plan at a status date: every task's dates, slacks and the critical path.

``build_schedule(graph, as_of)`` runs the passes of ``passes`` and keeps the results as
arrays in file order; ``Schedule.times(node)`` gives one task's ``TaskTimes``. The core
never prints and never reads the clock: the status date is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from cutover.engine.graph import FROM_FINISH, bounding_links
from cutover.engine.passes import INF, BackwardPass, Early, ForwardPass, Late, finish_of_day

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
    #: Working minutes from each task's start to its finish (``passes.work_spans``).
    _span: list[int] = field(default_factory=list, repr=False)
    #: Tasks whose recorded progress lies after the status date and is not counted.
    not_counted: tuple[int, ...] = ()

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
            _settle_cancelled(graph, early, free.bound, self.finish)
            slacks = _slacks(graph, early, free.bound, free.summary_start)
            known.extend(max(slack, 0) for slack in slacks)
        return known

    def work_span(self, node: int) -> int:
        """Working minutes from start to finish: the duration, or from the real start."""
        return self._span[node] if self._span else self.graph.duration[node]

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
            known = self._summary_late_dates(node)
        elif graph.is_instant[node]:
            known = bound[node], bound[node]
        else:
            known = graph.calendar[node].span_at(bound[node] - graph.duration[node], bound[node])
        self._late[node] = known
        return known

    def _summary_late_dates(self, node: int) -> tuple[int, int]:
        """PLAN_FORMAT: a summary's late finish is its finish plus its total slack.

        Its late start is the earliest late start of its tasks that are not cancelled.
        """
        graph = self.graph
        kids = [kid for kid in graph.children[node] if not graph.cancelled[kid]]
        starts = [self.late_dates(kid)[0] for kid in kids or graph.children[node]]
        slack = self.total_slack[node]
        finish = self.early.finish[node]
        if slack >= INF:
            return min(starts), finish
        calendar = self.early.slack_calendar[node]
        late_finish = calendar.end_at(calendar.position(finish) + slack) if slack else finish
        return min(*starts, late_finish), late_finish

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
    not_counted: tuple[int, ...] = ()
    if as_of is not None:
        graph, not_counted = as_it_stood(graph, as_of)
    early = ForwardPass(graph, as_of).run()
    finish = plan_finish(graph, early)
    backward = BackwardPass(graph, early, finish)
    late = backward.run()
    _settle_cancelled(graph, early, late.bound, finish)
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
        _span=backward.span,
        not_counted=not_counted,
    )


def plan_finish(graph: TaskGraph, early: Early) -> int:
    """PLAN_FORMAT: the latest finish of a task that is not cancelled (they extend nothing)."""
    cancelled = graph.cancelled
    if not any(cancelled):
        return max(early.finish)
    finishes = [finish for finish, gone in zip(early.finish, cancelled, strict=True) if not gone]
    return max(finishes) if finishes else max(early.finish)


def _settle_cancelled(graph: TaskGraph, early: Early, bound: list[int], finish: int) -> None:
    """A cancelled task that nothing bounds may sit where it is, or anywhere to the finish.

    The backward pass leaves it unbounded so that it passes no bound back to its
    predecessors; its own slack is then what is left to the plan's finish, never negative.
    """
    for node, gone in enumerate(graph.cancelled):
        if gone and bound[node] >= INF:
            if graph.is_instant[node] or graph.is_summary[node]:
                bound[node] = max(finish, early.finish[node])
            else:
                calendar = graph.calendar[node]
                bound[node] = max(calendar.position(finish), early.finish_pos[node])


def as_it_stood(graph: TaskGraph, as_of: int) -> tuple[TaskGraph, tuple[int, ...]]:
    """The plan as it stood at a status date: progress recorded after it is not counted.

    PLAN_FORMAT: a status date (given on the command line) earlier than recorded progress
    shows the plan as it stood then. A task that started after it is not started; one
    that finished after it is in progress. Returns the graph (the same one when nothing
    changes) and the tasks whose progress is not counted.
    """
    timebase = graph.timebase
    statuses: list[str] | None = None
    changed: list[int] = []
    for node, status in enumerate(graph.status):
        if status not in {"in_progress", "done"}:
            continue
        task = graph.task(node)
        new = status
        if task.actual_start is not None and timebase.minute(task.actual_start) > as_of:
            new = "not_started"
        elif status == "done" and task.actual_finish is not None:
            moment = timebase.minute(task.actual_finish, end_of_day=True)
            finish = finish_of_day(graph.calendar[node], moment, task.actual_finish)
            if finish > as_of:
                # A milestone is reached at once, and a done task without an actual start
                # started its duration before its finish: before then it had not started.
                calendar = graph.calendar[node]
                implied = calendar.position(finish) - graph.duration[node]
                unstarted = task.actual_start is None and implied >= calendar.position(as_of)
                new = "not_started" if graph.is_instant[node] or unstarted else "in_progress"
        if new != status:
            if statuses is None:
                statuses = list(graph.status)
            statuses[node] = new
            changed.append(node)
    if statuses is None:
        return graph, ()
    return replace(
        graph, status=statuses, bounding=bounding_links(graph.preds, statuses, graph.children)
    ), tuple(changed)


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
        kids = [kid for kid in graph.children[node] if not graph.cancelled[kid]]
        kids = kids or graph.children[node]
        total[node] = min(total[kid] for kid in kids)
        slacks = [slack for kid in kids if (slack := deadline[kid]) is not None]
        deadline[node] = min(slacks) if slacks else None
        critical[node] = any(critical[kid] for kid in kids)


def _statuses(graph: TaskGraph) -> list[str]:
    """A leaf's own status; a summary is done when all its tasks are, started when any is."""
    statuses: list[str] = list(graph.status)  # as it stood at the status date
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
            leaf for leaf in _feeders(graph, early, path[-1]) if critical[leaf] and leaf not in seen
        ]
        if not candidates:
            break
        path.append(min(candidates))
        seen.add(path[-1])
    path.reverse()
    return path


def _feeders(graph: TaskGraph, early: Early, node: int) -> list[int]:
    """The leaves whose links set a node's date, looking through cancelled tasks.

    PLAN_FORMAT: a cancelled task is a point its successors still wait through, so the
    chain goes on to what sets its date.
    """
    out: list[int] = []
    pending, seen = [node], {node}
    while pending:
        for edge in early.tight[pending.pop()]:
            leaf = driving_leaf(graph, early, edge.pred, at_finish=edge.type in FROM_FINISH)
            if leaf is None or leaf in seen:
                continue
            seen.add(leaf)
            if graph.cancelled[leaf]:
                pending.append(leaf)
            else:
                out.append(leaf)
    return out


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
