"""What drives a task's date, and why it is or is not critical.

``drivers(schedule, task_id)`` walks back along the links that set the task's earliest
date (``Schedule.driving_step``) to what sets the first of them: the plan's start, a
``not_before``, the status date or actual dates. Each link comes with the slack it leaves:
how far the successor's date is past what the link alone requires, in working minutes of
the successor's calendar (zero on the chain, by definition). The task's other links are
listed with their slack too.

For criticality the walk goes forward instead, along the bounds of the backward pass
(``passes.BackwardPass``) to what bounds the task's latest finish: a deadline, or the
plan's finish. A task is critical when its total slack is zero or less (PLAN_FORMAT).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.common.errors import UsageError
from cutover.common.i18n import _
from cutover.engine.graph import FROM_FINISH, TO_START
from cutover.engine.passes import BY_LEVELLING, BY_NOT_BEFORE, BY_START, BY_STATUS_DATE, INF
from cutover.engine.schedule import driving_leaf
from cutover.planfile.model_errors import did_you_mean

if TYPE_CHECKING:
    from cutover.engine.graph import Edge
    from cutover.engine.schedule import Schedule


@dataclass(frozen=True, slots=True)
class LinkStep:
    """A link into ``succ``: from ``pred`` (a summary's date set by its sub-task ``via``)."""

    pred: str
    succ: str
    type: str
    lag: int
    slack: int
    via: str | None = None


@dataclass(frozen=True, slots=True)
class ChainStep:
    """A task on the driving chain and the link from the step before that sets its date."""

    task: str
    start: int
    finish: int
    link: LinkStep | None
    #: For a summary: the sub-task that sets its finish.
    subtask: str | None = None


@dataclass(frozen=True, slots=True)
class Bound:
    """What bounds a task's latest finish: a deadline (of ``task``) or the plan's finish."""

    kind: str  # "deadline" or "finish"
    task: str | None
    at: int
    #: The tasks from the explained one to the bounding one, along the backward pass.
    through: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """``cutover drivers PLAN TASK``: the chain that sets a date and why it is critical."""

    task: str
    node: int
    origin: str
    origin_at: int | None
    chain: tuple[ChainStep, ...]
    other_links: tuple[LinkStep, ...]
    critical: bool
    status: str
    total_slack: int
    deadline_slack: int | None
    bound: Bound | None
    day_minutes: int


def drivers(schedule: Schedule, task_id: str) -> Explanation:
    """Explain one task's date and criticality; an unknown id is a usage error."""
    graph = schedule.graph
    node = graph.index.get(task_id)
    if node is None:
        hint = did_you_mean(task_id, list(graph.index))
        raise UsageError(_("unknown task '{id}'{hint}").format(id=task_id, hint=hint))
    chain, origin = _chain(schedule, node)
    first = graph.index[chain[0].task]
    tight = set(schedule.early.tight[node])
    others = () if graph.is_summary[node] else tuple(
        _link_step(schedule, edge) for edge in graph.preds[node] if edge not in tight
    )  # fmt: skip
    return Explanation(
        task=task_id,
        node=node,
        origin=origin,
        origin_at=_origin_at(schedule, first, origin),
        chain=tuple(chain),
        other_links=others,
        critical=schedule.critical[node],
        status=schedule.status[node],
        total_slack=schedule.total_slack[node],
        deadline_slack=schedule.deadline_slack[node],
        bound=_bound(schedule, node),
        day_minutes=schedule.early.slack_calendar[node].day_minutes,
    )


def _chain(schedule: Schedule, node: int) -> tuple[list[ChainStep], str]:
    """The chain ending at ``node``, earliest first, and what sets its first task's date."""
    graph, early = schedule.graph, schedule.early
    steps: list[ChainStep] = []
    seen: set[int] = set()
    current: int | None = node
    while current is not None and current not in seen:
        seen.add(current)
        step = schedule.driving_step(current)
        link = subtask = None
        if step is not None and graph.is_summary[current]:
            subtask = graph.task(step).id
        elif step is not None:
            edge = next(
                edge
                for edge in early.tight[current]
                if driving_leaf(graph, early, edge.pred, at_finish=edge.type in FROM_FINISH) == step
            )
            link = _link_step(schedule, edge, via=step)
        task = graph.task(current).id
        steps.append(ChainStep(task, early.start[current], early.finish[current], link, subtask))
        if step is None:
            break
        current = step
    steps.reverse()
    return steps, schedule.reason(graph.index[steps[0].task])


def _origin_at(schedule: Schedule, node: int, origin: str) -> int | None:
    graph = schedule.graph
    if origin == BY_START:
        return graph.start
    if origin == BY_NOT_BEFORE:
        return graph.not_before[node]
    if origin == BY_STATUS_DATE:
        return schedule.as_of
    if origin == BY_LEVELLING and graph.level_floor:
        return graph.level_floor[node]
    return None


def link_slack(schedule: Schedule, edge: Edge) -> int:
    """How far the successor's date is past what this link alone requires (working minutes).

    Measured on the successor's calendar (for a milestone, the calendar its slack is
    counted on); negative when tracking put the successor before what the link asks.
    """
    graph, early = schedule.graph, schedule.early
    pred, succ = edge.pred, edge.succ
    calendar = graph.calendar[succ]
    anchor = early.finish[pred] if edge.type in FROM_FINISH else early.start[pred]
    if graph.is_instant[succ]:
        moment = calendar.end_at(calendar.position(anchor) + edge.lag) if edge.lag else anchor
        counted = early.slack_calendar[succ]
        return counted.position(early.start[succ]) - counted.position(moment)
    if graph.plain[pred] and graph.calendar[pred] is calendar:
        position = early.finish_pos[pred] if edge.type in FROM_FINISH else early.start_pos[pred]
    else:
        position = calendar.position(anchor)
    end = early.start_pos[succ] if edge.type in TO_START else early.finish_pos[succ]
    return end - (position + edge.lag)


def _link_step(schedule: Schedule, edge: Edge, via: int | None = None) -> LinkStep:
    graph = schedule.graph
    pred = graph.task(edge.pred).id
    through = graph.task(via).id if via is not None and via != edge.pred else None
    slack = link_slack(schedule, edge)
    return LinkStep(pred, graph.task(edge.succ).id, edge.type, edge.lag, slack, through)


# -- what bounds the latest finish ---------------------------------------------------------


def _bound(schedule: Schedule, node: int) -> Bound | None:
    """Follow the backward pass from ``node`` to the deadline or finish that bounds it."""
    graph = schedule.graph
    if graph.is_summary[node]:  # a summary's slack is its most critical sub-task's
        kids = [kid for kid in graph.children[node] if not graph.cancelled[kid]]
        kids = kids or graph.children[node]
        node = min(kids, key=lambda kid: (schedule.total_slack[kid], kid))
        return _bound(schedule, node)
    walk = _BoundWalk(schedule)
    through = [graph.task(node).id]
    current, which = node, "finish"
    for _step in range(2 * len(graph) + 2):
        found = walk.source(current, which)
        if found is None:
            return None
        if found[0] < 0:
            deadline = graph.deadline[current]
            if (
                deadline is not None
                and deadline <= schedule.finish
                and not graph.cancelled[current]
            ):
                return Bound("deadline", graph.task(current).id, deadline, tuple(through))
            return Bound("finish", None, schedule.finish, tuple(through))
        current, which = found
        if graph.task(current).id != through[-1]:
            through.append(graph.task(current).id)
    return None  # pragma: no cover - the walk always ends at a deadline or the finish


class _BoundWalk:
    """The bounds ``BackwardPass`` pushes onto a node, recomputed one at a time."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule, self.graph = schedule, schedule.graph
        self.bound, self.summary_start = schedule.late.bound, schedule.late.summary_start
        #: per predecessor, the links that bound it in the backward pass (``graph.bounding``:
        #: a summary's link set aside by progress still bounds its done tasks)
        self.bounding: dict[int, list[Edge]] = {}
        for edges in schedule.graph.bounding:
            for edge in edges:
                self.bounding.setdefault(edge.pred, []).append(edge)

    def source(self, node: int, which: str) -> tuple[int, str] | None:
        """Where the node's bound comes from: (-1, "") for its own, else (node, which)."""
        graph, schedule = self.graph, self.schedule
        target = self.summary_start[node] if which == "start" else self.bound[node]
        if which == "finish" and self._own(node) == target:
            return -1, ""
        for edge in self.bounding.get(node, ()):
            if self._through(edge) == (which, target):
                return edge.succ, "finish"
        parent = graph.tasks[node].parent
        if parent < 0 or graph.cancelled[node]:  # a summary does not bound cancelled work
            return None
        finish = self.bound[parent]
        if finish < schedule.finish and self._by_moment(node, finish, at_finish=True) == (
            which,
            target,
        ):
            return parent, "finish"
        start = self.summary_start[parent]
        same_start = schedule.early.start[node] == schedule.early.start[parent]
        if (
            start < INF
            and same_start
            and self._by_moment(node, start, at_finish=False)
            == (
                which,
                target,
            )
        ):
            return parent, "start"
        return None

    def _own(self, node: int) -> int:
        graph, finish = self.graph, self.schedule.finish
        if graph.cancelled[node]:  # unbounded but by successors: its slack to the finish
            early = self.schedule.early
            if graph.is_instant[node] or graph.is_summary[node]:
                return max(finish, early.finish[node])
            return max(graph.calendar[node].position(finish), early.finish_pos[node])
        deadline = graph.deadline[node]
        moment = finish if deadline is None else min(finish, deadline)
        if graph.is_instant[node] or graph.is_summary[node]:
            return moment
        return graph.calendar[node].position(moment)

    def _through(self, edge: Edge) -> tuple[str, int]:
        """The bound a successor pushes onto its predecessor through one link."""
        graph = self.graph
        succ, pred, at_finish = edge.succ, edge.pred, edge.type in FROM_FINISH
        calendar, finish = graph.calendar[succ], self.bound[succ]
        if graph.is_instant[succ]:
            moment = finish
            if edge.lag:
                moment = calendar.start_at(calendar.position(finish) - edge.lag)
            return self._by_moment(pred, moment, at_finish=at_finish)
        start = finish - graph.duration[succ]
        position = (start if edge.type in TO_START else finish) - edge.lag
        if graph.plain[pred] and graph.calendar[pred] is calendar:
            return "finish", position if at_finish else position + self.schedule.work_span(pred)
        return self._by_moment(pred, calendar.start_at(position), at_finish=at_finish)

    def _by_moment(self, node: int, moment: int, *, at_finish: bool) -> tuple[str, int]:
        graph = self.graph
        if graph.is_summary[node] and not at_finish:
            return "start", moment
        if graph.is_instant[node] or graph.is_summary[node]:
            return "finish", moment
        calendar = graph.calendar[node]
        if at_finish:
            return "finish", calendar.position(moment)
        return "finish", calendar.latest_start_position(moment) + self.schedule.work_span(node)
