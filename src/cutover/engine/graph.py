"""The dependency graph of a plan: who waits for whom, on which calendar, for how long.

Tasks are numbered in file order and the passes run on plain lists in topological order:
at 100,000 tasks that is several times faster than walking a networkx graph. The same
graph as a ``networkx.DiGraph`` (``TaskGraph.to_networkx``) is what tools and cycle
reports use.

Summary tasks are nodes too: a summary starts with its first sub-task and finishes with
its last, so a link *from* a summary waits for all of its tasks; a link *to* a summary,
and its ``not_before``, apply to every task inside it (PLAN_FORMAT, keys of a task).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from cutover.common.errors import Diagnostic, DocPath, PlanError
from cutover.planfile.model import CalendarSpec
from cutover.planfile.tasktree import FlatTask, flatten
from cutover.worktime.calendars import WorkCalendar
from cutover.worktime.holidays import country_days
from cutover.worktime.joint import JointCalendar, covers, never_works
from cutover.worktime.timebase import MINUTES_PER_DAY, TimeBase

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx

    from cutover.planfile.loader import LoadedPlan
    from cutover.planfile.model import Plan, Task
    from cutover.planfile.source import Locator

LINK_TYPES = ("FS", "SS", "FF", "SF")
#: A task's levelling priority when neither it nor a summary above it gives one (MS Project's).
DEFAULT_PRIORITY = 500
#: Link types whose predecessor anchor is its finish / whose successor end is its start.
FROM_FINISH = frozenset({"FS", "FF"})
TO_START = frozenset({"FS", "SS"})


class Edge(NamedTuple):
    """A link between two nodes: ``lag`` is in working minutes of the successor's calendar."""

    pred: int
    succ: int
    type: str
    lag: int


@dataclass(frozen=True, eq=False)
class TaskGraph:
    """Nodes (tasks in file order) with their calendars, durations, constraints and links."""

    plan: Plan
    source: Locator
    timebase: TimeBase
    tasks: list[FlatTask]
    index: dict[str, int]
    calendars: dict[str, WorkCalendar]
    calendar: list[WorkCalendar]
    duration: list[int]
    is_summary: list[bool]
    is_instant: list[bool]
    #: Tasks with working time (neither summaries nor instants): placed by positions.
    plain: list[bool]
    status: list[str]
    children: list[list[int]]
    not_before: list[int | None]
    deadline: list[int | None]
    preds: list[list[Edge]]
    succs: list[list[Edge]]
    #: The links along which the backward passes bound predecessors (see bounds_predecessor).
    bounding: list[list[Edge]]
    order: list[int]
    start: int
    #: Cancelled tasks, and summaries all of whose tasks are (PLAN_FORMAT: they extend nothing).
    cancelled: list[bool]
    #: Whether the task, or a summary around it, names its calendar (a milestone's slacks).
    named_calendar: list[bool]
    #: Per node, the resources it allocates (its own or its summary's): id -> units. Empty
    #: when the plan has no resources.
    allocate: list[dict[str, int] | None] = field(default_factory=list)
    #: Per node, its levelling priority (higher first; 500 when not given). Empty when the
    #: plan has no resources.
    priority: list[int] = field(default_factory=list)
    #: Per node, the start that resource levelling gave it (a floor like not_before), or
    #: None; empty for a schedule that is not levelled.
    level_floor: list[int | None] = field(default_factory=list)

    def __len__(self) -> int:
        """The number of tasks, summaries included."""
        return len(self.tasks)

    def all_calendars(self) -> dict[str, WorkCalendar]:
        """Every calendar a task works on, by name: the plan's, then joint ones.

        A task that allocates resources works on the intersection of its calendar and
        theirs (``worktime.joint``), which the plan does not name: exporters that list
        calendars need those too.
        """
        found = dict(self.calendars)
        for calendar in self.calendar:
            found.setdefault(calendar.name, calendar)
        return found

    def task(self, node: int) -> Task:
        """The task of a node."""
        return self.tasks[node].task

    def leaves(self, node: int) -> list[int]:
        """The leaf tasks inside a summary (or the task itself)."""
        out: list[int] = []
        pending = [node]
        while pending:
            current = pending.pop()
            if self.is_summary[current]:
                pending.extend(reversed(self.children[current]))
            else:
                out.append(current)
        return out

    def to_networkx(self) -> nx.DiGraph:
        """The graph as networkx sees it: task ids, link edges and sub-task → summary edges."""
        return _to_networkx(self, range(len(self.tasks)))


def build_graph(loaded: LoadedPlan) -> TaskGraph:
    """Number the tasks, resolve calendars and links, and order the nodes; reject cycles."""
    plan, source = loaded
    timebase = TimeBase(plan.timezone, plan.start)
    start = timebase.minute(plan.start)
    flat = flatten(plan)
    index = {item.task.id: number for number, item in enumerate(flat)}
    calendars = _build_calendars(plan, timebase.day_number(start), timebase)
    nodes = _Nodes(flat, calendars, timebase)
    if plan.resources:
        nodes.allocate_resources(plan, calendars, start)
    if nodes.problems:
        raise PlanError(
            [
                Diagnostic(code, message, source.locate(path))
                for code, message, path in nodes.problems
            ]
        )
    preds, succs = _links(flat, index, nodes)
    order = _topological_order(nodes.children, preds)
    if len(order) < len(flat):
        raise PlanError(_cycle_diagnostics(flat, nodes.children, preds, order, source))
    status: list[str] = [item.task.status for item in flat]
    return TaskGraph(
        plan=plan,
        source=source,
        timebase=timebase,
        tasks=flat,
        index=index,
        calendars=calendars,
        calendar=nodes.calendar,
        duration=nodes.duration,
        is_summary=nodes.is_summary,
        is_instant=nodes.is_instant,
        plain=[
            not (summary or instant)
            for summary, instant in zip(nodes.is_summary, nodes.is_instant, strict=True)
        ],
        status=status,
        children=nodes.children,
        not_before=nodes.not_before,
        deadline=nodes.deadline,
        preds=preds,
        succs=succs,
        bounding=bounding_links(preds, status, nodes.children),
        order=order,
        start=start,
        cancelled=cancelled_nodes(status, nodes.children),
        named_calendar=nodes.named,
        allocate=nodes.allocate,
        priority=nodes.priority,
    )


def cancelled_nodes(statuses: list[str], children: list[list[int]]) -> list[bool]:
    """Cancelled leaves, and summaries whose tasks are all cancelled."""
    cancelled = [status == "cancelled" for status in statuses]
    for node in reversed(range(len(statuses))):  # sub-tasks come after their summary
        kids = children[node]
        if kids:
            cancelled[node] = all(cancelled[kid] for kid in kids)
    return cancelled


def bounds_predecessor(statuses: list[str], edge: Edge) -> bool:
    """Whether a link still bounds its predecessor's latest dates in the backward passes.

    Progress overrides a link done out of sequence, as in the forward pass: once the side
    of the successor a link holds (its start for FS and SS, its finish for FF and SF) is
    in the past, the link no longer bounds a predecessor that is not done. Otherwise a
    task done early would ask its unfinished predecessors to have finished before it
    started, and a chain of such links would push latest dates back by decades.
    """
    status = statuses[edge.succ]
    if status in {"not_started", "cancelled"} or statuses[edge.pred] == "done":
        return True
    return status == "in_progress" and edge.type not in TO_START


def bounding_links(
    preds: list[list[Edge]], statuses: list[str], children: list[list[int]]
) -> list[list[Edge]]:
    """Each node's links that still bound its predecessors (most: all of them).

    A link from a summary binds each of its tasks: when progress sets it aside because the
    summary is not done, it still bounds the summary's done tasks from their finish, as the
    same link written from each task would (and as an export that spells it out does).
    """
    out = []
    for node, edges in enumerate(preds):
        if statuses[node] in {"not_started", "cancelled"}:
            out.append(edges)
            continue
        kept = []
        for edge in edges:
            if bounds_predecessor(statuses, edge):
                kept.append(edge)
            elif children[edge.pred] and edge.type in FROM_FINISH:
                kept += [
                    edge._replace(pred=leaf)
                    for leaf in _leaves(edge.pred, children)
                    if statuses[leaf] == "done"
                ]
        out.append(kept)
    return out


def _build_calendars(plan: Plan, origin_day: int, timebase: TimeBase) -> dict[str, WorkCalendar]:
    specs = dict(plan.calendars)
    specs.setdefault("default", CalendarSpec())
    return {
        name: WorkCalendar(name, spec, origin_day, country_days, timebase)
        for name, spec in specs.items()
    }


class _Nodes:
    """Per-node attributes, inherited from summaries where the format says so."""

    def __init__(
        self, flat: list[FlatTask], calendars: dict[str, WorkCalendar], timebase: TimeBase
    ) -> None:
        count = len(flat)
        self.flat = flat
        self.allocate: list[dict[str, int] | None] = []
        self.priority: list[int] = []
        self.calendar: list[WorkCalendar] = []
        self.duration: list[int] = []
        self.is_summary: list[bool] = []
        self.is_instant: list[bool] = []
        self.children: list[list[int]] = [[] for _ in range(count)]
        self.not_before: list[int | None] = []
        self.deadline: list[int | None] = []
        self.named: list[bool] = []
        self.problems: list[tuple[str, str, DocPath]] = []
        default = calendars["default"]
        # Local names for the lists: this loop runs once per task of a 100,000-task plan.
        calendar_of, not_before, children = self.calendar, self.not_before, self.children
        for number, (task, _, parent, _) in enumerate(flat):
            if parent >= 0:
                children[parent].append(number)
            inherited = calendar_of[parent] if parent >= 0 else default
            calendar = calendars[task.calendar] if task.calendar else inherited
            calendar_of.append(calendar)
            self.named.append(bool(task.calendar) or (parent >= 0 and self.named[parent]))
            planned = task.duration if task.estimate is None else task.planned_duration
            minutes = (
                planned.in_minutes(calendar.day_minutes, calendar.week_minutes)
                if planned is not None and not task.milestone
                else 0
            )
            if task.estimate is not None:
                self._check_estimate(flat[number], calendar)
            self.duration.append(minutes)
            self.is_summary.append(task.tasks is not None)
            self.is_instant.append(minutes == 0 or task.status == "cancelled")
            above = not_before[parent] if parent >= 0 else None
            if task.not_before is None:
                not_before.append(above)
            else:
                not_before.append(_latest(timebase.minute(task.not_before), above))
            self.deadline.append(
                self._deadline(flat[number], timebase) if task.deadline is not None else None
            )
            if task.actual_start is not None and task.actual_finish is not None:
                self._check_actuals(flat[number], timebase)

    def allocate_resources(
        self, plan: Plan, calendars: dict[str, WorkCalendar], origin: int
    ) -> None:
        """Each leaf's resources (its own or its summary's), and its calendar joined to theirs.

        MS Project's rule: a task that allocates works only when its calendar and every
        allocated resource's calendar work. Its duration stays as its own calendar counts
        it (``1d`` is a day of the task's hours); the joint calendar says when it runs.
        """
        resource_calendar = {
            resource.id: calendars[resource.calendar or "default"] for resource in plan.resources
        }
        joints: dict[tuple[int, ...], WorkCalendar | None] = {}
        for number, (task, path, parent, _) in enumerate(self.flat):
            own = task.allocate
            allocate = own if own is not None else (self.allocate[parent] if parent >= 0 else None)
            self.allocate.append(allocate or None)
            above = self.priority[parent] if parent >= 0 else DEFAULT_PRIORITY
            self.priority.append(task.priority if task.priority is not None else above)
            if not allocate or self.is_summary[number]:
                continue
            parts = [self.calendar[number]]
            for name in sorted(allocate):
                calendar = resource_calendar[name]
                if calendar not in parts and not covers(calendar, parts[0]):
                    parts.append(calendar)
            if len(parts) == 1:
                continue
            key = tuple(id(part) for part in parts)
            if key not in joints:
                joint = JointCalendar(parts, origin // MINUTES_PER_DAY)
                joints[key] = None if never_works(joint, origin) else joint
            joint_calendar = joints[key]
            if joint_calendar is None:
                names = ", ".join(f"'{name}'" for name in sorted(allocate))
                self.problems.append(
                    (
                        "never-works",
                        (
                            f"task '{task.id}' can never work: its calendar "
                            f"'{parts[0].name}' and the calendars of {names} share no working "
                            "hour (a task works only when it and all its resources do)"
                        ),
                        (*path, "allocate") if own is not None else path,
                    )
                )
                continue
            self.calendar[number] = joint_calendar

    def _check_estimate(self, item: FlatTask, calendar: WorkCalendar) -> None:
        """Optimistic <= likely <= pessimistic, and a duration, if given, is the likely one."""
        task = item.task
        assert task.estimate is not None
        day, week = calendar.day_minutes, calendar.week_minutes
        points = [
            getattr(task.estimate, key).in_minutes(day, week)
            for key in ("optimistic", "likely", "pessimistic")
        ]
        if not points[0] <= points[1] <= points[2] or points[0] < 0:
            self.problems.append(
                (
                    "bad-estimate",
                    (
                        f"task '{task.id}' has an estimate out of order: optimistic <= likely <= "
                        "pessimistic, and none negative"
                    ),
                    (*item.path, "estimate"),
                )
            )
        if task.duration is not None and task.duration.in_minutes(day, week) != points[1]:
            self.problems.append(
                (
                    "bad-estimate",
                    (
                        f"task '{task.id}' has a duration and an estimate whose likely value "
                        "differs: give one, or make them agree"
                    ),
                    (*item.path, "duration"),
                )
            )

    def _deadline(self, item: FlatTask, timebase: TimeBase) -> int | None:
        """The deadline's instant; the last day a date can hold has no end: a located error."""
        assert item.task.deadline is not None
        try:
            return timebase.minute(item.task.deadline, end_of_day=True)
        except OverflowError:
            self.problems.append(
                (
                    "out-of-range",
                    f"task '{item.task.id}' has a deadline past the years a schedule can count",
                    (*item.path, "deadline"),
                )
            )
            return None

    def _check_actuals(self, item: FlatTask, timebase: TimeBase) -> None:
        task = item.task
        assert task.actual_start is not None
        assert task.actual_finish is not None
        finish = timebase.minute(task.actual_finish, end_of_day=True)
        start = timebase.minute(task.actual_start)
        # A finish written as a date alone ends at midnight after that day: it must be later.
        if finish < start or (finish == start and not isinstance(task.actual_finish, datetime)):
            self.problems.append(
                (
                    "bad-date",
                    f"task '{task.id}' has an actual_finish before its actual_start",
                    (*item.path, "actual_finish"),
                )
            )


def _latest(first: int | None, second: int | None) -> int | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def _links(
    flat: list[FlatTask], index: dict[str, int], nodes: _Nodes
) -> tuple[list[list[Edge]], list[list[Edge]]]:
    """Expand links: a link to a summary applies to every task inside it."""
    count = len(flat)
    preds: list[list[Edge]] = [[] for _ in range(count)]
    succs: list[list[Edge]] = [[] for _ in range(count)]
    #: Links a task inherits from its summaries, outermost first: they follow its own.
    inherited: dict[int, list[Edge]] = {}
    is_summary, calendars = nodes.is_summary, nodes.calendar
    for number, item in enumerate(flat):
        after = item.task.after
        if not after:
            continue
        summary = is_summary[number]
        targets = _leaves(number, nodes.children) if summary else (number,)
        for link in after:
            if isinstance(link, str):  # a bare id: finish-to-start, no lag
                pred, kind, lag = index[link], "FS", None
            else:
                pred, kind, lag = index[link.task], link.type, link.lag
            for succ in targets:
                if lag is None:
                    minutes = 0
                else:
                    calendar = calendars[succ]
                    minutes = lag.in_minutes(calendar.day_minutes, calendar.week_minutes)
                edge = Edge(pred, succ, kind, minutes)
                (inherited.setdefault(succ, []) if summary else preds[succ]).append(edge)
                succs[pred].append(edge)
    for succ, edges in inherited.items():
        preds[succ].extend(edges)
    return preds, succs


def _leaves(node: int, children: list[list[int]]) -> list[int]:
    """The tasks without sub-tasks inside ``node`` (or ``node`` itself), in file order."""
    out: list[int] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if children[current]:
            pending.extend(reversed(children[current]))
        else:
            out.append(current)
    return out


def _topological_order(children: list[list[int]], preds: list[list[Edge]]) -> list[int]:
    """Kahn's algorithm: predecessors before successors, sub-tasks before their summary."""
    count = len(children)
    waiting = [len(preds[node]) + len(children[node]) for node in range(count)]
    parent = [-1] * count
    for node, kids in enumerate(children):
        for kid in kids:
            parent[kid] = node
    followers: list[list[int]] = [[] for _ in range(count)]
    for node in range(count):
        for edge in preds[node]:
            followers[edge.pred].append(node)
    ready = deque(node for node in range(count) if waiting[node] == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        up = parent[node]
        if up >= 0:
            waiting[up] -= 1
            if waiting[up] == 0:
                ready.append(up)
        for follower in followers[node]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    return order


def _to_networkx(graph: TaskGraph | _CycleView, nodes: Iterable[int]) -> nx.DiGraph:
    import networkx as nx  # noqa: PLC0415 - 120 ms to import: only who needs it pays

    digraph = nx.DiGraph()
    flat = graph.tasks
    nodes = list(nodes)
    keep = set(nodes)
    for node in nodes:
        task = flat[node].task
        digraph.add_node(task.id, name=task.display_name, summary=task.is_summary, line_index=node)
    for node in nodes:
        for edge in graph.preds[node]:
            if edge.pred in keep:
                digraph.add_edge(
                    flat[edge.pred].task.id,
                    flat[node].task.id,
                    kind="link",
                    type=edge.type,
                    lag=edge.lag,
                )
        for kid in graph.children[node]:
            if kid in keep:
                digraph.add_edge(flat[kid].task.id, flat[node].task.id, kind="contains")
    return digraph


@dataclass(frozen=True)
class _CycleView:
    tasks: list[FlatTask]
    preds: list[list[Edge]]
    children: list[list[int]]


def _cycle_diagnostics(
    flat: list[FlatTask],
    children: list[list[int]],
    preds: list[list[Edge]],
    order: list[int],
    source: Locator,
) -> list[Diagnostic]:
    """One diagnostic per cycle, naming every task on it with its line."""
    import networkx as nx  # noqa: PLC0415

    done = set(order)
    stuck = [node for node in range(len(flat)) if node not in done]
    digraph = _to_networkx(_CycleView(flat, preds, children), stuck)
    number = {item.task.id: node for node, item in enumerate(flat)}
    diagnostics: list[Diagnostic] = []
    components = [c for c in nx.strongly_connected_components(digraph) if _is_cycle(digraph, c)]
    for component in sorted(components, key=lambda c: min(number[t] for t in c)):
        first = min(component, key=number.__getitem__)
        cycle = nx.find_cycle(digraph.subgraph(component), source=first)
        steps = []
        for tail, head in cycle:
            line = source.locate(flat[number[tail]].path).line
            kind = digraph.edges[tail, head]["kind"]
            steps.append(f"'{tail}' (line {line}){' is inside' if kind == 'contains' else ' →'}")
        message = (
            "these tasks wait for each other in a cycle: "
            + " ".join(steps)
            + f" '{cycle[0][0]}'; remove one of the links"
        )
        diagnostics.append(Diagnostic("cycle", message, source.locate(flat[number[first]].path)))
    return diagnostics


def _is_cycle(digraph: nx.DiGraph, component: set[str]) -> bool:
    if len(component) > 1:
        return True
    (only,) = component
    return bool(digraph.has_edge(only, only))
