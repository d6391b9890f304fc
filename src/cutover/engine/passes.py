"""The critical path method on working time: a forward pass and backward passes.

A task with working time is placed by *positions* on its own calendar (working minutes
since the plan's first day): a lag of ``1d`` from Tue 08:00 reaches Tue 17:00, and the task
starts at its first working minute at or after that, Wed 08:00. Milestones, cancelled
tasks and summaries are *instants* (wall-clock minutes): a milestone sits exactly where its
constraints put it (PLAN_FORMAT, "Scheduling rules").

Between two tasks on the same calendar, positions are compared directly; only links that
cross calendars convert through an instant, so each link costs O(1) or O(log n).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cutover.common.i18n import n_
from cutover.engine.graph import FROM_FINISH, TO_START, Edge
from cutover.worktime.calendars import CalendarRangeError

if TYPE_CHECKING:
    from cutover.engine.graph import TaskGraph
    from cutover.worktime.calendars import WorkCalendar

#: Stands for "no bound" in the backward passes.
INF = 1 << 62

# What sets a node's early date when no link does.
BY_START = n_("the plan's start")
BY_NOT_BEFORE = n_("its not_before")
BY_STATUS_DATE = n_("the status date")
BY_ACTUALS = n_("its actual dates")
BY_SUBTASKS = n_("its sub-tasks")
BY_LEVELLING = n_("resource levelling")


@dataclass
class Early:
    """Results of the forward pass, one entry per node."""

    start: list[int]
    finish: list[int]
    #: Positions of start and finish on the node's calendar (its slack calendar for instants).
    start_pos: list[int]
    finish_pos: list[int]
    #: The links that set each node's date (ties included), or the reason when none does.
    tight: list[list[Edge]]
    reason: list[str]
    #: The calendar that slack of an instant (milestone, summary) is counted on.
    slack_calendar: list[WorkCalendar]


class ForwardPass:
    """Earliest start and finish of every node, with tracking at the status date."""

    def __init__(self, graph: TaskGraph, as_of: int | None) -> None:
        """Prepare the arrays; ``as_of`` is the status date as a wall-clock minute, if any.

        Without a status date the plan is shown as planned: actual dates recorded in the
        plan still hold, but nothing is moved to "now".
        """
        self.graph = graph
        self.as_of = as_of
        count = len(graph)
        self.early = Early(
            start=[0] * count,
            finish=[0] * count,
            start_pos=[0] * count,
            finish_pos=[0] * count,
            tight=[[] for _ in range(count)],
            reason=[BY_START] * count,
            slack_calendar=list(graph.calendar),
        )
        floor, reason = (
            (as_of, BY_STATUS_DATE)
            if as_of is not None and as_of > graph.start
            else (graph.start, BY_START)
        )
        self._floors = {True: (floor, reason), False: (graph.start, BY_START)}
        #: Each calendar's position of the floor, for tracked and untracked tasks.
        self._floor_positions: dict[bool, dict[WorkCalendar, int]] = {True: {}, False: {}}
        #: A node whose own levelling floor is ignored (``start_without_levelling``).
        self._unfloored = -1

    def run(self) -> Early:
        """Visit nodes predecessors first (the graph's topological order).

        A date beyond the calendars' range is reported with the task being placed.
        """
        graph = self.graph
        is_summary, is_instant, statuses = graph.is_summary, graph.is_instant, graph.status
        node = None
        try:
            for node in graph.order:
                if is_summary[node]:
                    self._summary(node)
                    continue
                status = statuses[node]
                if status == "not_started":
                    if is_instant[node]:
                        self._instant(node, track=True)
                    else:
                        self._work(node, track=True)
                elif status == "cancelled":
                    self._instant(node, track=False)
                else:
                    self._tracked(node, status)
        except CalendarRangeError as error:
            error.node = node
            raise
        return self.early

    def _floor(self, node: int, *, track: bool) -> tuple[int, str]:
        """The earliest instant before links: plan start, not_before, status date."""
        floor, reason = self._floors[track]
        not_before = self.graph.not_before[node]
        if not_before is not None and not_before > floor:
            floor, reason = not_before, BY_NOT_BEFORE
        levelled = self.graph.level_floor
        if levelled:
            moved = levelled[node]
            if moved is not None and moved > floor and node != self._unfloored:
                return moved, BY_LEVELLING
        return floor, reason

    def start_without_levelling(self, node: int) -> int:
        """Where a task not started would start without its own levelling floor.

        Every other node stays where ``early`` has it (a run of this pass, or the early
        dates of a schedule handed in), and so do this node's results: only its start
        is computed again, from its links and constraints alone.
        """
        early = self.early
        kept = (
            early.start[node], early.finish[node], early.start_pos[node],
            early.finish_pos[node], early.tight[node], early.reason[node],
            early.slack_calendar[node],
        )  # fmt: skip
        self._unfloored = node
        try:
            if self.graph.is_instant[node]:
                self._instant(node, track=True)
            else:
                self._work(node, track=True)
            return early.start[node]
        finally:
            self._unfloored = -1
            (
                early.start[node], early.finish[node], early.start_pos[node],
                early.finish_pos[node], early.tight[node], early.reason[node],
                early.slack_calendar[node],
            ) = kept  # fmt: skip

    def _floor_position(self, node: int, calendar: WorkCalendar, *, track: bool) -> tuple[int, str]:
        graph = self.graph
        if graph.not_before[node] is not None or (
            graph.level_floor and graph.level_floor[node] is not None
        ):
            floor, reason = self._floor(node, track=track)
            return calendar.position(floor), reason
        known = self._floor_positions[track]
        position = known.get(calendar)
        if position is None:
            position = known[calendar] = calendar.position(self._floors[track][0])
        return position, self._floors[track][1]

    def _anchor_position(self, edge: Edge, calendar: WorkCalendar) -> int:
        """The predecessor's start or finish as a position on ``calendar``.

        On the same calendar a task's own position is the answer; only links across
        calendars (or from instants) go through the wall clock.
        """
        graph, early = self.graph, self.early
        pred = edge.pred
        if edge.type in FROM_FINISH:
            if graph.plain[pred] and graph.calendar[pred] is calendar:
                return early.finish_pos[pred]
            return calendar.position(early.finish[pred])
        if graph.plain[pred] and graph.calendar[pred] is calendar:
            return early.start_pos[pred]
        return calendar.position(early.start[pred])

    def _work(self, node: int, *, track: bool) -> None:
        """A task with working time starts at its first working minute after every constraint."""
        graph, early = self.graph, self.early
        calendar = graph.calendar[node]
        duration = graph.duration[node]
        best, reason = self._floor_position(node, calendar, track=track)
        preds = graph.preds[node]
        if len(preds) == 1:  # the common case, kept cheap
            (edge,) = preds
            want = self._anchor_position(edge, calendar) + edge.lag
            if edge.type not in TO_START:
                want -= duration
            if want >= best:
                best = want
                early.tight[node] = [edge]
        elif preds:
            wanted = [
                self._anchor_position(edge, calendar)
                + edge.lag
                - (0 if edge.type in TO_START else duration)
                for edge in preds
            ]
            best = max(best, *wanted)
            early.tight[node] = [
                edge for want, edge in zip(wanted, preds, strict=True) if want == best
            ]
        early.reason[node] = reason
        early.start_pos[node] = best
        early.finish_pos[node] = best + duration
        early.start[node], early.finish[node] = calendar.span_at(best, best + duration)

    def _instant(self, node: int, *, track: bool) -> None:
        """A milestone sits at the latest of its constraints (not moved to working time)."""
        graph, early = self.graph, self.early
        calendar = graph.calendar[node]
        best, reason = self._floor(node, track=track)
        preds = graph.preds[node]
        if preds:
            wanted = []
            for edge in preds:
                moment = (
                    early.finish[edge.pred] if edge.type in FROM_FINISH else early.start[edge.pred]
                )
                if edge.lag:
                    moment = calendar.end_at(calendar.position(moment) + edge.lag)
                wanted.append(moment)
            best = max(best, *wanted)
            tight = [edge for want, edge in zip(wanted, preds, strict=True) if want == best]
            early.tight[node] = tight
            if tight and not graph.named_calendar[node] and not graph.duration[node]:
                # PLAN_FORMAT: slack on the calendar of the predecessor that sets its date
                # (the first such link in its own ``after``, then inherited ones).
                setter = self._setter(tight[0].pred, at_finish=tight[0].type in FROM_FINISH)
                early.slack_calendar[node] = early.slack_calendar[setter]
        early.reason[node] = reason
        self._place(node, best, best)

    def _setter(self, node: int, *, at_finish: bool) -> int:
        """A summary stands for the first of its tasks (file order) that sets its date."""
        graph, early = self.graph, self.early
        while graph.is_summary[node]:
            anchor = early.finish if at_finish else early.start
            node = next(
                (kid for kid in graph.children[node] if anchor[kid] == anchor[node]),
                graph.children[node][0],
            )
        return node

    def _place(self, node: int, start: int, finish: int) -> None:
        early = self.early
        calendar = early.slack_calendar[node]
        early.start[node], early.finish[node] = start, finish
        early.start_pos[node] = calendar.position(start)
        early.finish_pos[node] = calendar.position(finish)

    def _tracked(self, node: int, status: str) -> None:
        """Done tasks keep their actual dates; tasks in progress finish what is left."""
        graph, early = self.graph, self.early
        task = graph.task(node)
        calendar = graph.calendar[node]
        timebase = graph.timebase
        if graph.is_instant[node]:  # where it would be without tracking: for missing actuals
            self._instant(node, track=False)
        else:
            self._work(node, track=False)
        planned_start, planned_finish = early.start[node], early.finish[node]
        start = None
        if task.actual_start is not None:
            start = start_of_day(calendar, timebase.minute(task.actual_start), task.actual_start)
        if status == "done":
            finish = None
            if task.actual_finish is not None:
                moment = timebase.minute(task.actual_finish, end_of_day=True)
                finish = finish_of_day(calendar, moment, task.actual_finish)
            if finish is None:  # PLAN_FORMAT: as scheduled, and never after the status date
                finish = planned_finish if self.as_of is None else min(planned_finish, self.as_of)
                finish = max(finish, start if start is not None else graph.start)
            if start is None:
                duration = graph.duration[node]
                start = min(calendar.start_at(calendar.position(finish) - duration), finish)
        else:
            if start is None:  # PLAN_FORMAT: never before the plan's start
                start = planned_start if self.as_of is None else min(planned_start, self.as_of)
                start = max(start, graph.start)
            finish = self._remaining(node, start)
        early.reason[node] = BY_ACTUALS
        early.tight[node] = []
        self._place(node, start, finish)

    def _remaining(self, node: int, start: int) -> int:
        """PLAN_FORMAT: the remaining work from the status date; FF and SF links may hold it."""
        calendar = self.graph.calendar[node]
        resume, position = remaining_work(self.graph, node, start, self.as_of)
        for edge in self.graph.preds[node]:
            if edge.type not in TO_START:  # an FF or SF link still holds the finish
                position = max(position, self._anchor_position(edge, calendar) + edge.lag)
        if position <= calendar.position(resume):
            return resume
        return calendar.end_at(position)

    def _summary(self, node: int) -> None:
        """A summary spans its sub-tasks that are not cancelled (all, when every one is)."""
        early, cancelled = self.early, self.graph.cancelled
        kids = self.graph.children[node]
        working = [kid for kid in kids if not cancelled[kid]]
        kids = working or kids
        first = min(kids, key=lambda kid: (early.start[kid], kid))
        last = max(kids, key=lambda kid: (early.finish[kid], -kid))
        early.slack_calendar[node] = early.slack_calendar[last]
        early.reason[node] = BY_SUBTASKS
        self._place(node, early.start[first], early.finish[last])


def levelling_delays(graph: TaskGraph, early: Early, as_of: int | None) -> list[int]:
    """Wall-clock minutes by which levelling delayed each task itself, beyond its links.

    A task that waits for a delayed predecessor is moved by the link, not by levelling:
    its own delay is 0 although it starts later than unlevelled. This is what MS Project
    calls a task's ``Leveling Delay``: its start is the start its links and constraints
    give (its predecessors levelled) plus this delay, in elapsed time. Tasks done or in
    progress, summaries, and any task of an unlevelled graph have none.
    """
    delays = [0] * len(graph)
    if not graph.level_floor:
        return delays
    forward = ForwardPass(graph, as_of)
    forward.early = replace(
        early,
        start=list(early.start), finish=list(early.finish),
        start_pos=list(early.start_pos), finish_pos=list(early.finish_pos),
        tight=list(early.tight), reason=list(early.reason),
        slack_calendar=list(early.slack_calendar),
    )  # fmt: skip
    status, is_summary = graph.status, graph.is_summary
    for node, floor in enumerate(graph.level_floor):
        if floor is None or is_summary[node] or status[node] != "not_started":
            continue
        delays[node] = max(early.start[node] - forward.start_without_levelling(node), 0)
    return delays


def remaining_work(graph: TaskGraph, node: int, start: int, as_of: int | None) -> tuple[int, int]:
    """Where a task in progress resumes and the position its remaining work ends at.

    PLAN_FORMAT: the remaining work is duration × (1 − progress), from the status date.
    """
    calendar = graph.calendar[node]
    if as_of is None:  # no status date: the task runs as planned from its start
        remaining, resume = graph.duration[node], start
    else:
        progress = graph.task(node).progress or 0.0
        remaining = round(graph.duration[node] * (1.0 - progress))
        resume = max(as_of, start)
    return resume, calendar.position(resume) + remaining


def work_finish(graph: TaskGraph, node: int, start: int, as_of: int | None) -> int:
    """When a task in progress ends its own work, links aside.

    Past that instant an FF or SF link only holds its finish: its people are free, and
    levelling and bookings count its resources to here.
    """
    calendar = graph.calendar[node]
    resume, position = remaining_work(graph, node, start, as_of)
    return resume if position <= calendar.position(resume) else calendar.end_at(position)


def start_of_day(calendar: WorkCalendar, minute: int, written: object) -> int:
    """An actual start written as a date alone begins at that day's first working minute."""
    if hasattr(written, "hour"):
        return minute
    first = calendar.start_at(calendar.position(minute))
    return first if first < minute + 1440 else minute


def finish_of_day(calendar: WorkCalendar, minute: int, written: object) -> int:
    """An actual finish written as a date alone ends with that day's last working minute."""
    if hasattr(written, "hour"):
        return minute
    last = calendar.end_at(calendar.position(minute))
    return last if last > minute - 1440 else minute


def work_spans(graph: TaskGraph, early: Early) -> list[int]:
    """Working minutes from each task's start to its finish, on its calendar.

    The duration, except for a task in progress: from when it really started to its
    forecast finish (PLAN_FORMAT: a task in progress started when it started), so that a
    bound on its start (SS, SF) becomes a bound on its finish.
    """
    spans = list(graph.duration)
    plain = graph.plain
    for node, status in enumerate(graph.status):
        if status == "in_progress" and plain[node]:
            spans[node] = early.finish_pos[node] - early.start_pos[node]
    return spans


@dataclass
class Late:
    """Latest finish of every node from one backward pass (``INF`` when nothing bounds it).

    For a task with working time ``bound`` is a position on its calendar; for a milestone,
    cancelled task or summary it is an instant (``summary_start`` bounds a summary's start).
    """

    bound: list[int]
    summary_start: list[int]


class BackwardPass:
    """Latest dates, bounded by deadlines and, when given, by the plan's finish.

    With ``plan_finish`` this is the pass for total slack; without, it is the deadline pass
    (PLAN_FORMAT: "the same backward pass started from the deadlines alone"). With
    ``early_successors`` the successors' *early* dates bound their predecessors: the pass for
    free slack.
    """

    def __init__(
        self,
        graph: TaskGraph,
        early: Early,
        plan_finish: int | None,
        *,
        early_successors: bool = False,
    ) -> None:
        """Set every node's first bound: the plan's finish and its own deadline."""
        self.graph, self.early = graph, early
        self.early_successors = early_successors
        self.plan_finish = plan_finish
        count = len(graph)
        bound = [INF] * count
        positions: dict[int, int] = {}
        cancelled = graph.cancelled
        self.span = work_spans(graph, early)
        for node in range(count):
            if cancelled[node]:  # PLAN_FORMAT: bounded only through its successors
                continue
            moment = plan_finish if plan_finish is not None else INF
            deadline = graph.deadline[node]
            if deadline is not None and not early_successors:
                moment = min(moment, deadline)
            if moment >= INF:
                continue
            if graph.is_instant[node] or graph.is_summary[node]:
                bound[node] = moment
            elif moment == plan_finish and deadline is None:
                calendar = graph.calendar[node]
                cached = positions.get(id(calendar))
                if cached is None:
                    cached = positions[id(calendar)] = calendar.position(moment)
                bound[node] = cached
            else:
                bound[node] = graph.calendar[node].position(moment)
        self.late = Late(bound=bound, summary_start=[INF] * count)

    def run(self) -> Late:
        """Visit nodes successors first, pushing bounds onto predecessors and sub-tasks."""
        graph = self.graph
        for node in reversed(graph.order):
            if graph.is_summary[node]:
                self._push_to_subtasks(node)
            else:
                self._push_to_predecessors(node, graph.bounding[node])
        return self.late

    def _push_to_predecessors(self, node: int, preds: list[Edge]) -> None:
        graph, early, bound = self.graph, self.early, self.late.bound
        calendar = graph.calendar[node]
        instant = graph.is_instant[node]
        if self.early_successors:
            finish = early.finish[node] if instant else early.finish_pos[node]
            start = early.start_pos[node]
        else:
            finish = bound[node]
            if finish >= INF:
                return
            start = finish - graph.duration[node]
        plain, calendars, durations = graph.plain, graph.calendar, self.span
        for edge in preds:
            pred = edge.pred
            at_finish = edge.type in FROM_FINISH
            if instant:
                moment = finish
                if edge.lag:
                    moment = calendar.start_at(calendar.position(finish) - edge.lag)
                self._bound_by_moment(pred, moment, at_finish=at_finish)
                continue
            position = (start if edge.type in TO_START else finish) - edge.lag
            if plain[pred] and calendars[pred] is calendar:
                # Same calendar: bound the predecessor by position, no clock needed.
                wanted = position if at_finish else position + durations[pred]
                bound[pred] = min(bound[pred], wanted)
            else:
                self._bound_by_moment(pred, calendar.start_at(position), at_finish=at_finish)

    def _bound_by_moment(self, node: int, moment: int, *, at_finish: bool) -> None:
        graph, late = self.graph, self.late
        if graph.is_summary[node] and not at_finish:
            late.summary_start[node] = min(late.summary_start[node], moment)
            return
        if graph.is_instant[node] or graph.is_summary[node]:
            late.bound[node] = min(late.bound[node], moment)
            return
        calendar = graph.calendar[node]
        if at_finish:
            wanted = calendar.position(moment)
        else:
            wanted = calendar.latest_start_position(moment) + self.span[node]
        late.bound[node] = min(late.bound[node], wanted)

    def _push_to_subtasks(self, node: int) -> None:
        """A summary finishes with its last sub-task and starts with its first."""
        graph, early, late = self.graph, self.early, self.late
        finish, start = late.bound[node], late.summary_start[node]
        # Every task starts bounded by the plan's finish: only a tighter bound is news.
        tighter = finish < INF and (self.plan_finish is None or finish < self.plan_finish)
        for kid in graph.children[node]:
            if graph.cancelled[kid]:  # its dates are not the summary's
                continue
            if tighter:
                self._bound_by_moment(kid, finish, at_finish=True)
            if start < INF and early.start[kid] == early.start[node]:
                self._bound_by_moment(kid, start, at_finish=False)
