"""Many runs of the schedule at once: the passes of ``passes`` on numpy arrays.

Each node's dates are int64 arrays with one entry per run, and nodes are visited once in
the graph's order, so a batch of 10,000 runs costs about as many Python steps as one
schedule. The rules are those of ``passes.ForwardPass`` and ``passes.BackwardPass`` step
for step (positions on a task's calendar for work; instants for milestones, summaries and
cancelled tasks; tracking at the status date): with every duration at its planned value,
each run *is* the deterministic schedule, which ``tests/test_risk_engine.py`` checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cutover.engine.graph import FROM_FINISH, TO_START, Edge
from cutover.engine.passes import INF, finish_of_day, start_of_day
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import NDArray

    from cutover.engine.graph import TaskGraph
    from cutover.worktime.calendars import WorkCalendar

    IntArray = NDArray[np.int64]
    BoolArray = NDArray[np.bool_]
    #: The calendar an instant's slack is counted on: one index for every run, or one per run.
    CalendarChoice = int | IntArray

_OPEN = frozenset({"done", "cancelled"})


class VectorCalendar:
    """A ``WorkCalendar``'s arithmetic on arrays of instants and positions.

    The same prefix-sum tables, read with numpy: ``position`` is two look-ups, and so is
    ``start_at``, because every workday of a calendar holds the same working hours. Before
    each call the scalar calendar is asked about the extreme values, which grows its tables
    to cover them; the arrays are then refreshed.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        """Copy the calendar's day tables (they never change) and its day range."""
        self.calendar = calendar
        tables = calendar.tables()
        self._before_minute = np.asarray(tables.before_minute, dtype=np.int64)
        self._clock_of = np.asarray(tables.clock_of, dtype=np.int64)
        self._span = (0, 0)
        self._cum = self._worked = self._workday_at = np.zeros(0, dtype=np.int64)
        self._lo = self._shift = 0
        self._sync()

    def _sync(self) -> None:
        tables = self.calendar.tables()
        span = (tables.lo, tables.hi)
        if span == self._span:
            return
        self._span = span
        self._cum = np.asarray(tables.cum, dtype=np.int64)
        worked = np.diff(self._cum) != 0
        self._worked = worked.astype(np.int64)
        self._lo, self._shift = tables.lo, tables.shift
        # Every workday holds the same hours: the k-th working day of the table, as an instant.
        self._workday_at = (self._lo + np.flatnonzero(worked)) * MINUTES_PER_DAY

    def position(self, minutes: IntArray) -> IntArray:
        """Working minutes from the plan's first day to each instant (``WorkCalendar.position``)."""
        if not self.calendar.uniform:  # shifts over midnight, daylight saving: one by one
            return _each(self.calendar.position, minutes)
        self.calendar.position(int(minutes.min()))
        self.calendar.position(int(minutes.max()))
        self._sync()
        day, clock = np.divmod(minutes, MINUTES_PER_DAY)
        index = day - self._lo
        positions: IntArray = (
            self._cum[index] - self._shift + self._before_minute[clock] * self._worked[index]
        )
        return positions

    def start_at(self, positions: IntArray) -> IntArray:
        """The instant each working minute begins (``WorkCalendar.start_at``)."""
        if not self.calendar.uniform:
            return _each(self.calendar.start_at, positions)
        self.calendar.start_at(int(positions.min()))
        self.calendar.start_at(int(positions.max()))
        self._sync()
        workday, minute = np.divmod(positions + self._shift, self.calendar.day_minutes)
        return self._workday_at[workday] + self._clock_of[minute]

    def end_at(self, positions: IntArray) -> IntArray:
        """The instant that many working minutes have been done: 17:00, not 08:00."""
        return self.start_at(positions - 1) + 1

    def latest_start_position(self, bounds: IntArray) -> IntArray:
        """The latest position whose working minute starts at or before each instant."""
        position = self.position(bounds)
        working = self.position(bounds + 1) > position
        return position - (~working).astype(np.int64)


def _each(function: Callable[[int], int], values: IntArray) -> IntArray:
    """A scalar calendar function over an array (calendars the tables do not describe)."""
    out: IntArray = np.fromiter(
        (function(int(value)) for value in values.ravel()), dtype=np.int64, count=values.size
    )
    return out.reshape(values.shape)


def positions_on(
    calendars: Sequence[VectorCalendar], choice: CalendarChoice, minutes: IntArray
) -> IntArray:
    """Positions of instants on one calendar, or per run on the calendar ``choice`` names."""
    if isinstance(choice, int):
        return calendars[choice].position(minutes)
    out = np.empty_like(minutes)
    for index, calendar in enumerate(calendars):
        mask = choice == index
        if mask.any():
            out[mask] = calendar.position(minutes[mask])
    return out


@dataclass(frozen=True, eq=False)
class Runs:
    """A batch of runs: per node (file order) one array with an entry per run."""

    start: list[IntArray]
    finish: list[IntArray]
    total_slack: list[IntArray]
    critical: list[BoolArray]
    plan_finish: IntArray


class Engine:
    """The passes of one graph at one status date, ready to run batches of durations."""

    def __init__(self, graph: TaskGraph, as_of: int | None) -> None:
        """Convert calendars and every constant of the passes (floors, actual dates) once."""
        self.graph, self.as_of = graph, as_of
        ids: dict[int, int] = {}
        self.calendars: list[VectorCalendar] = []
        for calendar in graph.calendar:
            if id(calendar) not in ids:
                ids[id(calendar)] = len(self.calendars)
                self.calendars.append(VectorCalendar(calendar))
        self.cal_of = [ids[id(calendar)] for calendar in graph.calendar]
        floor = as_of if as_of is not None and as_of > graph.start else graph.start
        self.floor_at: list[int] = []
        self.floor_pos: list[int] = []
        for node in range(len(graph)):
            track = graph.status[node] == "not_started"
            at = floor if track else graph.start
            not_before = graph.not_before[node]
            at = not_before if not_before is not None and not_before > at else at
            self.floor_at.append(at)
            self.floor_pos.append(graph.calendar[node].position(at))
        self.actual_start, self.actual_finish = _actuals(graph)
        self.leaf_open = [
            status not in _OPEN and not summary
            for status, summary in zip(graph.status, graph.is_summary, strict=True)
        ]

    def vcal(self, node: int) -> VectorCalendar:
        """The vectorised calendar of a node."""
        return self.calendars[self.cal_of[node]]

    def run(self, durations: Mapping[int, IntArray], size: int) -> Runs:
        """``size`` runs; ``durations`` holds the sampled nodes, the others keep the graph's."""
        minutes: list[int | IntArray] = [
            durations.get(node, planned) for node, planned in enumerate(self.graph.duration)
        ]
        forward = _Forward(self, minutes, size)
        forward.run()
        backward = _Backward(self, minutes, forward)
        backward.run()
        backward.settle_cancelled()
        slack, critical = _slacks(self, forward, backward.bound)
        return Runs(forward.start, forward.finish, slack, critical, forward.plan_finish)


def _actuals(graph: TaskGraph) -> tuple[list[int | None], list[int | None]]:
    """Actual dates as ``ForwardPass._tracked`` reads them (date alone: first/last minute)."""
    starts: list[int | None] = []
    finishes: list[int | None] = []
    timebase = graph.timebase
    for node in range(len(graph)):
        task, calendar = graph.task(node), graph.calendar[node]
        start = finish = None
        if task.actual_start is not None:
            minute = timebase.minute(task.actual_start)
            start = start_of_day(calendar, minute, task.actual_start)
        if task.actual_finish is not None:
            minute = timebase.minute(task.actual_finish, end_of_day=True)
            finish = finish_of_day(calendar, minute, task.actual_finish)
        starts.append(start)
        finishes.append(finish)
    return starts, finishes


def _full(size: int, value: int) -> IntArray:
    return np.full(size, value, dtype=np.int64)


class _Forward:
    """``passes.ForwardPass`` on arrays: earliest dates of every node in every run."""

    def __init__(self, engine: Engine, minutes: list[int | IntArray], size: int) -> None:
        self.engine, self.graph, self.minutes, self.size = engine, engine.graph, minutes, size
        count = len(engine.graph)
        empty = np.zeros(0, dtype=np.int64)
        self.start: list[IntArray] = [empty] * count
        self.finish: list[IntArray] = [empty] * count
        self.start_pos: list[IntArray] = [empty] * count
        self.finish_pos: list[IntArray] = [empty] * count
        #: The calendar slack of an instant is counted on: one index, or one per run.
        self.slack_cal: list[CalendarChoice] = list(engine.cal_of)
        self.plan_finish = _full(size, -INF)

    def run(self) -> None:
        graph = self.graph
        cancelled = graph.cancelled
        for node in graph.order:
            status = graph.status[node]
            if graph.is_summary[node]:
                self._summary(node)
            elif status == "not_started":
                if graph.is_instant[node]:
                    self._instant(node, track=True)
                else:
                    self._work(node, track=True)
            elif status == "cancelled":
                self._instant(node, track=False)
            else:
                self._tracked(node, status)
            if not cancelled[node]:  # PLAN_FORMAT: cancelled work extends nothing
                np.maximum(self.plan_finish, self.finish[node], out=self.plan_finish)
        if all(cancelled):
            self.plan_finish = np.max(self.finish, axis=0)

    def _anchor_position(self, edge: Edge, node: int) -> IntArray:
        """The predecessor's start or finish as a position on ``node``'s calendar."""
        pred, graph, engine = edge.pred, self.graph, self.engine
        same = graph.plain[pred] and engine.cal_of[pred] == engine.cal_of[node]
        if edge.type in FROM_FINISH:
            return self.finish_pos[pred] if same else engine.vcal(node).position(self.finish[pred])
        return self.start_pos[pred] if same else engine.vcal(node).position(self.start[pred])

    def _work(self, node: int, *, track: bool) -> None:
        """A task with working time starts at its first working minute after every constraint.

        ``track`` is accepted for symmetry with ``passes``; the floor already reflects it.
        """
        del track
        vcal, duration = self.engine.vcal(node), self.minutes[node]
        best = _full(self.size, self.engine.floor_pos[node])
        for edge in self.graph.preds[node]:
            want = self._anchor_position(edge, node) + edge.lag
            if edge.type not in TO_START:
                want = want - duration
            np.maximum(best, want, out=best)
        finish_pos = best + duration
        self.start_pos[node], self.finish_pos[node] = best, finish_pos
        self.start[node], self.finish[node] = vcal.start_at(best), vcal.end_at(finish_pos)

    def _instant(self, node: int, *, track: bool) -> None:
        """A milestone sits at the latest of its constraints (not moved to working time)."""
        del track
        floor = self.engine.floor_at[node]
        preds = self.graph.preds[node]
        if not preds:
            self.start[node] = self.finish[node] = _full(self.size, floor)
            return
        vcal = self.engine.vcal(node)
        wanted: list[IntArray] = []
        for edge in preds:
            moment = self.finish[edge.pred] if edge.type in FROM_FINISH else self.start[edge.pred]
            if edge.lag:
                moment = vcal.end_at(vcal.position(moment) + edge.lag)
            wanted.append(moment)
        best = _full(self.size, floor)
        for moment in wanted:
            np.maximum(best, moment, out=best)
        # PLAN_FORMAT: slack on the calendar of the (first) predecessor that sets its date,
        # unless the milestone names its own.
        graph = self.graph
        if not graph.named_calendar[node] and not graph.duration[node]:
            choices = [self._setter_cal(edge) for edge in preds]
            self.slack_cal[node] = _first_match(wanted, choices, best, self.engine.cal_of[node])
        self.start[node] = self.finish[node] = best

    def _setter_cal(self, edge: Edge) -> CalendarChoice:
        """The slack calendar a predecessor stands for: a summary's first task setting it."""
        node = edge.pred
        if not self.graph.is_summary[node] or edge.type in FROM_FINISH:
            return self.slack_cal[node]
        kids = self.graph.children[node]
        choices = [self._setter_cal(Edge(kid, node, "SS", 0)) for kid in kids]
        return _first_match(
            [self.start[kid] for kid in kids], choices, self.start[node], choices[0]
        )

    def _summary(self, node: int) -> None:
        """A summary spans its sub-tasks; its slack calendar is its last sub-task's."""
        graph = self.graph
        kids = [kid for kid in graph.children[node] if not graph.cancelled[kid]]
        kids = kids or graph.children[node]
        finish = np.max([self.finish[kid] for kid in kids], axis=0)
        self.start[node] = np.min([self.start[kid] for kid in kids], axis=0)
        self.finish[node] = finish
        choices = [self.slack_cal[kid] for kid in kids]
        self.slack_cal[node] = _first_match(
            [self.finish[kid] for kid in kids], choices, finish, choices[0]
        )

    def _tracked(self, node: int, status: str) -> None:
        """Done tasks keep their actual dates; tasks in progress finish what is left."""
        graph, engine, as_of = self.graph, self.engine, self.engine.as_of
        if graph.is_instant[node]:
            self._instant(node, track=False)
        else:
            self._work(node, track=False)
        planned_start, planned_finish = self.start[node], self.finish[node]
        known_start, known_finish = engine.actual_start[node], engine.actual_finish[node]
        start = None if known_start is None else _full(self.size, known_start)
        if status == "done":
            if known_finish is not None:
                finish = _full(self.size, known_finish)
            else:  # PLAN_FORMAT: as scheduled, and never after the status date
                finish = planned_finish if as_of is None else np.minimum(planned_finish, as_of)
                finish = np.maximum(finish, graph.start if start is None else start)
            if start is None:
                vcal = engine.vcal(node)
                back = vcal.start_at(vcal.position(finish) - self.minutes[node])
                start = np.minimum(back, finish)
        else:
            if start is None:  # PLAN_FORMAT: never before the plan's start
                start = planned_start if as_of is None else np.minimum(planned_start, as_of)
                start = np.maximum(start, graph.start)
            finish = self._remaining(node, start)
        self.start[node], self.finish[node] = start, finish
        if graph.plain[node]:
            vcal = engine.vcal(node)
            self.start_pos[node], self.finish_pos[node] = (
                vcal.position(start),
                vcal.position(finish),
            )

    def _remaining(self, node: int, start: IntArray) -> IntArray:
        """PLAN_FORMAT: the remaining work, duration × (1 − progress), from the status date."""
        graph, as_of, vcal = self.graph, self.engine.as_of, self.engine.vcal(node)
        duration = self.minutes[node]
        if as_of is None:
            remaining, resume = duration, start
        else:
            share = 1.0 - (graph.task(node).progress or 0.0)
            if isinstance(duration, int):
                remaining = round(duration * share)
            else:  # np.rint rounds half to even, as round() does
                remaining = np.rint(duration * share).astype(np.int64)
            resume = np.maximum(start, as_of)
        resume_pos = vcal.position(resume)
        position = resume_pos + remaining
        for edge in graph.preds[node]:
            if edge.type not in TO_START:  # an FF or SF link still holds the finish
                position = np.maximum(position, self._anchor_position(edge, node) + edge.lag)
        return np.where(position <= resume_pos, resume, vcal.end_at(position))


def _first_match(
    values: list[IntArray], choices: list[CalendarChoice], best: IntArray, default: CalendarChoice
) -> CalendarChoice:
    """Per run, the choice of the first value equal to ``best`` (``default`` when none is)."""
    if all(isinstance(choice, int) and choice == default for choice in choices):
        return default
    chosen: CalendarChoice = default
    for value, choice in zip(reversed(values), reversed(choices), strict=True):
        chosen = np.where(value == best, choice, chosen)
    if isinstance(chosen, np.ndarray) and (chosen == chosen[0]).all():
        return int(chosen[0])
    return chosen


class _Backward:
    """``passes.BackwardPass`` for total slack, on arrays: latest finish of every node."""

    def __init__(self, engine: Engine, minutes: list[int | IntArray], forward: _Forward) -> None:
        self.engine, self.graph, self.minutes, self.forward = engine, engine.graph, minutes, forward
        graph, plan_finish = engine.graph, forward.plan_finish
        self.bound: list[IntArray] = []
        self.summary_start: list[IntArray | None] = [None] * len(graph)
        at_finish: dict[int, IntArray] = {}
        #: Working minutes from start to finish: from the real start once a task started.
        self.span: list[int | IntArray] = list(minutes)
        for node, status in enumerate(graph.status):
            if status == "in_progress" and graph.plain[node]:
                self.span[node] = forward.finish_pos[node] - forward.start_pos[node]
        unbounded = _full(forward.size, INF)
        for node in range(len(graph)):
            if graph.cancelled[node]:  # PLAN_FORMAT: bounded only through its successors
                self.bound.append(unbounded)
                continue
            deadline = graph.deadline[node]
            moment = plan_finish if deadline is None else np.minimum(plan_finish, deadline)
            if graph.is_instant[node] or graph.is_summary[node]:
                self.bound.append(moment)
            elif deadline is None:
                index = engine.cal_of[node]
                if index not in at_finish:
                    at_finish[index] = engine.calendars[index].position(plan_finish)
                self.bound.append(at_finish[index])
            else:
                self.bound.append(engine.vcal(node).position(moment))

    def run(self) -> None:
        for node in reversed(self.graph.order):
            if self.graph.is_summary[node]:
                self._push_to_subtasks(node)
            else:
                self._push_to_predecessors(node)

    def _push_to_predecessors(self, node: int) -> None:
        graph, engine, bound = self.graph, self.engine, self.bound
        vcal, instant = engine.vcal(node), graph.is_instant[node]
        finish = bound[node]
        open_runs = finish < INF
        if not open_runs.any():
            return
        start = finish - self.minutes[node]
        finish_pos: IntArray | None = None
        for edge in graph.bounding[node]:
            pred, at_finish = edge.pred, edge.type in FROM_FINISH
            if instant:
                moment = finish
                if edge.lag:
                    if finish_pos is None:
                        finish_pos = vcal.position(
                            np.where(open_runs, finish, self.forward.plan_finish)
                        )
                    moment = np.where(open_runs, vcal.start_at(finish_pos - edge.lag), INF)
                self._bound_by_moment(pred, moment, at_finish=at_finish, mask=open_runs)
                continue
            position = (start if edge.type in TO_START else finish) - edge.lag
            if graph.plain[pred] and engine.cal_of[pred] == engine.cal_of[node]:
                wanted = position if at_finish else position + self.span[pred]
                bound[pred] = np.minimum(bound[pred], np.where(open_runs, wanted, INF))
            else:
                moment = vcal.start_at(np.where(open_runs, position, self.forward.finish_pos[node]))
                self._bound_by_moment(pred, moment, at_finish=at_finish, mask=open_runs)

    def _bound_by_moment(
        self, node: int, moment: IntArray, *, at_finish: bool, mask: BoolArray | None = None
    ) -> None:
        """Bound a node by an instant (only in the runs of ``mask``, when given)."""
        graph = self.graph
        if graph.is_summary[node] or graph.is_instant[node]:
            if mask is not None:
                moment = np.where(mask, moment, INF)
            if graph.is_summary[node] and not at_finish:
                known = self.summary_start[node]
                self.summary_start[node] = moment if known is None else np.minimum(known, moment)
            else:
                self.bound[node] = np.minimum(self.bound[node], moment)
            return
        vcal = self.engine.vcal(node)
        if mask is not None:  # keep the calendar in range where the bound does not apply
            moment = np.where(mask, moment, self.forward.plan_finish)
        if at_finish:
            wanted = vcal.position(moment)
        else:
            wanted = vcal.latest_start_position(moment) + self.span[node]
        if mask is not None:
            wanted = np.where(mask, wanted, INF)
        self.bound[node] = np.minimum(self.bound[node], wanted)

    def settle_cancelled(self) -> None:
        """As ``schedule``: an unbounded cancelled task keeps its slack to the plan's finish."""
        graph, forward = self.graph, self.forward
        for node, gone in enumerate(graph.cancelled):
            if not gone:
                continue
            bound = self.bound[node]
            if graph.is_instant[node] or graph.is_summary[node]:
                settled = np.maximum(forward.plan_finish, forward.finish[node])
            else:
                at_finish = self.engine.vcal(node).position(forward.plan_finish)
                settled = np.maximum(at_finish, forward.finish_pos[node])
            self.bound[node] = np.where(bound >= INF, settled, bound)

    def _push_to_subtasks(self, node: int) -> None:
        """A summary finishes with its last sub-task and starts with its first."""
        finish, start = self.bound[node], self.summary_start[node]
        # Every task starts bounded by the plan's finish: only a tighter bound is news
        # (bounding by the plan's finish again changes nothing, so no mask is needed).
        tighter = bool((finish < self.forward.plan_finish).any())
        starts = self.forward.start
        for kid in self.graph.children[node]:
            if self.graph.cancelled[kid]:  # its dates are not the summary's
                continue
            if tighter:
                self._bound_by_moment(kid, finish, at_finish=True)
            if start is not None:
                mask = (start < INF) & (starts[kid] == starts[node])
                if mask.any():
                    self._bound_by_moment(kid, start, at_finish=False, mask=mask)


def _slacks(
    engine: Engine, forward: _Forward, bound: list[IntArray]
) -> tuple[list[IntArray], list[BoolArray]]:
    """Total slack and criticality per node, summaries rolled up as ``schedule`` does."""
    graph = engine.graph
    count = len(graph)
    slack: list[IntArray] = [forward.finish_pos[0]] * count
    critical: list[BoolArray] = [np.zeros(forward.size, dtype=bool)] * count
    for node in reversed(range(count)):  # sub-tasks come after their summary in the file
        if graph.is_summary[node]:
            kids = [kid for kid in graph.children[node] if not graph.cancelled[kid]]
            kids = kids or graph.children[node]
            slack[node] = np.min([slack[kid] for kid in kids], axis=0)
            critical[node] = np.any([critical[kid] for kid in kids], axis=0)
            continue
        if graph.is_instant[node]:
            choice = forward.slack_cal[node]
            calendars = engine.calendars
            slack[node] = positions_on(calendars, choice, bound[node]) - positions_on(
                calendars, choice, forward.finish[node]
            )
        else:
            slack[node] = bound[node] - forward.finish_pos[node]
        if engine.leaf_open[node]:
            critical[node] = slack[node] <= 0
    return slack, critical
