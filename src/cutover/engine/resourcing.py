"""Resources on a schedule: their load, where it exceeds their units, and levelling.

``bookings`` lists who is booked when: a task holds the units it allocates from its start
to its finish (a team stays with a task until it is done). ``overloads`` finds the spans
where a resource is booked beyond its units, or while it is away. ``level`` translates the
plan to the neutral problem of ``levelling``, levels it, and runs the scheduling passes
again with each moved task's levelled start as a floor: every other rule of the
schedule (links, lags, calendars, tracking, summaries, slack) stays the passes' own.

Nothing here runs for a plan without resources, so a plain ``check`` costs what it did.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from cutover.engine.levelling import (
    DEFAULT_TIME_LIMIT,
    FF,
    FS,
    SF,
    SS,
    Activity,
    Link,
    Problem,
    Result,
)
from cutover.engine.levelling import level as level_problem
from cutover.engine.passes import work_finish
from cutover.engine.schedule import Schedule, build_schedule
from cutover.worktime.calendars import CalendarRangeError
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from cutover.engine.graph import TaskGraph
    from cutover.engine.levelling import Clock
    from cutover.planfile.model import Resource
    from cutover.worktime.calendars import WorkCalendar


class Booking(NamedTuple):
    """A task holding ``units`` of a resource over [start, finish)."""

    node: int
    start: int
    finish: int
    units: int


class Overload(NamedTuple):
    """A span when ``resource`` is booked for ``needed`` units but has ``available``.

    ``needed`` is the peak of the span, ``available`` its least (0 when it is away).
    """

    resource: str
    start: int
    finish: int
    needed: int
    available: int
    nodes: tuple[int, ...]


class ResourceLoad(NamedTuple):
    """A resource's summary on a schedule: its peak booking and minutes over its units."""

    id: str
    units: int
    peak: int
    overallocated_minutes: int


def resources_of(graph: TaskGraph) -> tuple[Resource, ...]:
    """The plan's resources."""
    return graph.plan.resources


def away_spans(graph: TaskGraph, resource: Resource) -> list[tuple[int, int]]:
    """The spans (wall-clock minutes) when a resource is away; a date alone is a whole day.

    An absence matters where it meets the resource's working time: each span is narrowed
    to its first and last working minute, and one with none (a night, a holiday) is no
    span at all, as a calendar exception in MS Project or Primavera would be.
    """
    timebase = graph.timebase
    calendar = graph.calendars[resource.calendar or "default"]
    spans = []
    for span in resource.unavailable:
        begin, end = timebase.minute(span.begin), timebase.minute(span.end, end_of_day=True)
        try:
            first, last = calendar.position(begin), calendar.position(end)
        except CalendarRangeError:  # beyond the calendar's years: kept as written
            spans.append((begin, end))
            continue
        if last > first:
            spans.append((max(begin, calendar.start_at(first)), min(end, calendar.end_at(last))))
    return spans


def held(schedule: Schedule, node: int) -> tuple[int, int]:
    """When a task holds its resources: from start to finish.

    A task in progress holds them only until its own work ends: an FF or SF link that
    holds its finish later holds no one.
    """
    start, finish = schedule.early.start[node], schedule.early.finish[node]
    graph = schedule.graph
    if graph.status[node] == "in_progress" and graph.plain[node]:
        finish = min(finish, max(start, work_finish(graph, node, start, schedule.as_of)))
    return start, finish


def bookings(schedule: Schedule) -> dict[str, list[Booking]]:
    """Per resource id, the tasks that hold it, by start."""
    graph = schedule.graph
    found: dict[str, list[Booking]] = {resource.id: [] for resource in resources_of(graph)}
    if not graph.allocate:
        return found
    for node, allocate in enumerate(graph.allocate):
        if not allocate or not graph.plain[node] or graph.status[node] == "cancelled":
            continue
        start, finish = held(schedule, node)
        if finish <= start:
            continue
        for name, units in allocate.items():
            found[name].append(Booking(node, start, finish, units))
    for booked in found.values():
        booked.sort()
    return found


def overloads(schedule: Schedule) -> list[Overload]:
    """Every span when a resource is booked beyond its units (or at all while away)."""
    graph = schedule.graph
    found: list[Overload] = []
    booked = bookings(schedule)
    for resource in resources_of(graph):
        found.extend(_overloads_of(resource, booked[resource.id], away_spans(graph, resource)))
    found.sort(key=lambda overload: (overload.start, overload.resource))
    return found


def _overloads_of(
    resource: Resource, booked: list[Booking], away: list[tuple[int, int]]
) -> list[Overload]:
    """A sweep over the resource's bookings and absences, instant by instant."""
    changes: dict[int, list[tuple[int, int]]] = {}  # instant -> (node or -1 away, change)
    for booking in booked:
        changes.setdefault(booking.start, []).append((booking.node, booking.units))
        changes.setdefault(booking.finish, []).append((booking.node, -booking.units))
    for begin, end in away:
        changes.setdefault(begin, []).append((-1, 1))
        changes.setdefault(end, []).append((-1, -1))
    found: list[Overload] = []
    load = away_count = 0
    active: set[int] = set()
    span: _Span | None = None
    for instant in sorted(changes):
        for node, change in changes[instant]:
            if node < 0:
                away_count += change
                continue
            load += change
            if change > 0:
                active.add(node)
            else:
                active.discard(node)
        available = 0 if away_count else resource.units
        if load > available:
            if span is None:
                span = _Span(instant, available=available)
            span.needed = max(span.needed, load)
            span.available = min(span.available, available)
            span.nodes |= active
        elif span is not None:
            nodes = tuple(sorted(span.nodes))
            found.append(
                Overload(resource.id, span.start, instant, span.needed, span.available, nodes)
            )
            span = None
    return found


@dataclass
class _Span:
    """An overload being swept: where it began, its peak, the tasks in it."""

    start: int
    available: int
    needed: int = 0
    nodes: set[int] = dataclasses.field(default_factory=set)


def loads(schedule: Schedule) -> list[ResourceLoad]:
    """Each resource's peak booking and the minutes it is booked beyond its units."""
    over = overloads(schedule)
    booked = bookings(schedule)
    out = []
    for resource in resources_of(schedule.graph):
        events = sorted(
            [(b.start, b.units) for b in booked[resource.id]]
            + [(b.finish, -b.units) for b in booked[resource.id]]
        )
        peak = load = 0
        for _, change in events:
            load += change
            peak = max(peak, load)
        minutes = sum(o.finish - o.start for o in over if o.resource == resource.id)
        out.append(ResourceLoad(resource.id, resource.units, peak, minutes))
    return out


def peaks(booked: list[Booking], edges: list[int]) -> list[int]:
    """The most units booked at once in each slot [edges[i], edges[i + 1]).

    A task that finishes when another starts does not stack with it. One sweep over
    the bookings, so a chart of many slots costs what one pass does.
    """
    changes: dict[int, int] = {}
    for booking in booked:
        changes[booking.start] = changes.get(booking.start, 0) + booking.units
        changes[booking.finish] = changes.get(booking.finish, 0) - booking.units
    instants = sorted(changes)
    out: list[int] = []
    load = index = 0
    for left, right in itertools.pairwise(edges):
        while index < len(instants) and instants[index] <= left:
            load += changes[instants[index]]
            index += 1
        peak = load
        while index < len(instants) and instants[index] < right:
            load += changes[instants[index]]
            peak = max(peak, load)
            index += 1
        out.append(peak)
    return out


# -- levelling ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Levelled:
    """A levelled schedule beside the one it came from, and how the search went."""

    schedule: Schedule
    unlevelled: Schedule
    result: Result
    _booked: dict[str, list[Booking]] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def booked(self) -> dict[str, list[Booking]]:
        """``bookings`` of the levelled schedule, computed once."""
        if not self._booked:
            self._booked.update(bookings(self.schedule))
        return self._booked

    def delay(self, node: int) -> int:
        """Wall-clock minutes levelling moved a task's start (0 for most)."""
        return self.schedule.early.start[node] - self.unlevelled.early.start[node]


def level(
    schedule: Schedule,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    optimal: bool = False,
) -> Levelled:
    """The schedule levelled: every resource within its units, the rest as the passes say.

    ``optimal`` hands the heuristic's schedule to the exact solver (``exact``) for as
    long again, which proves it optimal or improves it.
    """
    levelled = _level_round(schedule, time_limit=time_limit, seed=seed, optimal=optimal)
    left = _movable_overloads(levelled.schedule)
    for _ in range(_EXTRA_ROUNDS):
        if not left:
            break
        again = _level_round(levelled.schedule, time_limit=time_limit, seed=seed, optimal=optimal)
        now_left = _movable_overloads(again.schedule)
        if len(now_left) >= len(left):
            break
        levelled, left = again, now_left
    return Levelled(levelled.schedule, schedule, levelled.result)


#: Rounds after the first when a levelled schedule still overloads someone. The passes can
#: move a task levelling held fixed: a task in progress whose finish waits, by an FF or SF
#: link, for a task levelling delayed; its successors then move too. Levelling again from
#: that schedule places them with what they now hold.
_EXTRA_ROUNDS = 3


def _movable_overloads(schedule: Schedule) -> list[Overload]:
    """The overloads levelling could still mend: those of a task not yet started."""
    status = schedule.graph.status
    return [
        overload
        for overload in overloads(schedule)
        if any(status[node] == "not_started" for node in overload.nodes)
    ]


def _level_round(schedule: Schedule, *, time_limit: float, seed: int, optimal: bool) -> Levelled:
    """One levelling of ``schedule``: its tasks start no earlier than they do there."""
    graph = schedule.graph
    leaves, problem = to_problem(schedule)
    step, origin = _grain(problem, graph)
    coarse = _coarse(problem, step, origin)
    result = level_problem(coarse, time_limit=time_limit, seed=seed)
    if optimal:
        from cutover.engine.exact import solve_exact  # noqa: PLC0415 - optional OR-Tools

        result, _ = solve_exact(coarse, result, time_limit=time_limit, seed=seed)
    floors: list[int | None] = list(graph.level_floor) or [None] * len(graph)
    early = schedule.early
    for index, node in enumerate(leaves):
        start = result.start[index] * step + origin
        if problem.activities[index].fixed is None and start > early.start[node]:
            floors[node] = start
    levelled_graph = dataclasses.replace(graph, level_floor=floors)
    return Levelled(build_schedule(levelled_graph, schedule.as_of), schedule, result)


def to_problem(schedule: Schedule) -> tuple[list[int], Problem]:
    """The plan's leaf tasks as activities (and their node numbers), links between them.

    Releases are the unlevelled early starts (no feasible schedule starts a task earlier);
    done and in-progress tasks are fixed where they are and keep their resources; a link
    from a summary binds each of its tasks (for SS and SF a little more than the format
    asks, never less).
    """
    graph = schedule.graph
    resources = resources_of(graph)
    number = {resource.id: index for index, resource in enumerate(resources)}
    leaves = [node for node in range(len(graph)) if not graph.is_summary[node]]
    index_of = {node: index for index, node in enumerate(leaves)}
    early = schedule.early
    deadline_slack = schedule.deadline_slack
    activities = []
    for node in leaves:
        allocate = graph.allocate[node] if graph.allocate else None
        plain = graph.plain[node] and graph.status[node] != "cancelled"
        requests = tuple((number[name], units) for name, units in (allocate or {}).items())
        fixed = None
        if graph.status[node] in {"done", "in_progress"}:
            fixed = held(schedule, node)
        slack = deadline_slack[node]
        activities.append(
            Activity(
                duration=graph.duration[node] if plain else 0,
                requests=requests if plain else (),
                release=early.start[node],
                fixed=fixed,
                priority=graph.priority[node] if graph.priority else 0,
                clock=_clock_of(graph, node, plain=plain),
                due=None if slack is None else early.finish[node] + slack,
            )
        )
    links = [
        Link(index_of[pred], index_of[node], edge.type, edge.lag)
        for node in leaves
        for edge in graph.preds[node]
        for pred in graph.leaves(edge.pred)
    ]
    links += _through_progress(graph, leaves, links)
    away = [
        (number[resource.id], begin, end)
        for resource in resources
        for begin, end in away_spans(graph, resource)
    ]
    capacities = [resource.units for resource in resources]
    return leaves, Problem(activities, links, capacities, away)


def _through_progress(graph: TaskGraph, leaves: list[int], links: list[Link]) -> list[Link]:
    """Links that pass through a task in progress, for levelling, which holds it fixed.

    A task in progress keeps its start, but an FF or SF link may hold its finish, and its
    successors wait for that finish: a chain levelling would not see. Each such pair of
    links becomes one from the first task to the last, the lags added (exact on one
    calendar; ``level`` levels again should the passes still disagree).
    """
    progressing = {
        index
        for index, node in enumerate(leaves)
        if graph.status[node] == "in_progress" and graph.plain[node]
    }
    if not progressing:
        return []
    into: dict[int, list[Link]] = {}
    out: dict[int, list[Link]] = {}
    for link in links:
        if link.succ in progressing and link.type in _HOLDS_FINISH:
            into.setdefault(link.succ, []).append(link)
        if link.pred in progressing and link.type in _FROM_FINISH:
            out.setdefault(link.pred, []).append(link)
    position = {node: rank for rank, node in enumerate(graph.order)}
    #: per task in progress: (task, from its finish, lag) that bound its finish
    sources: dict[int, list[tuple[int, bool, int]]] = {}
    for index in sorted(progressing, key=lambda index: position[leaves[index]]):
        found = sources[index] = []
        for link in into.get(index, []):
            if link.pred not in progressing:
                found.append((link.pred, link.type == FF, link.lag))
            elif link.type == FF:  # from a finish that links in turn may hold
                held = sources[link.pred]
                found += [(pred, finish, lag + link.lag) for pred, finish, lag in held]
    return [
        Link(pred, link.succ, _LINK_TYPE[finish, link.type == FS], lag + link.lag)
        for index, found in sources.items()
        for link in out.get(index, [])
        if link.succ not in progressing
        for pred, finish, lag in found
    ]


_HOLDS_FINISH = frozenset({FF, SF})
_FROM_FINISH = frozenset({FS, FF})
#: (from the predecessor's finish, to the successor's start) -> link type
_LINK_TYPE = {(True, True): FS, (True, False): FF, (False, True): SS, (False, False): SF}
_WEEK = 7


def _clock_of(graph: TaskGraph, node: int, *, plain: bool) -> WorkCalendar | None:
    """The calendar an activity runs on, or None when every minute works for it.

    A milestone takes no time: its calendar matters only to count the lags into it.
    """
    calendar = graph.calendar[node]
    if _every_minute(calendar):
        return None
    if not plain and not any(edge.lag for edge in graph.preds[node]):
        return None
    return calendar


def _every_minute(calendar: WorkCalendar) -> bool:
    """A round-the-clock calendar: time on it is wall time (and justification applies)."""
    parts = getattr(calendar, "parts", (calendar,))
    return all(
        len(set(part.spec.workdays)) == _WEEK
        and tuple(part.spec.hours) == ((0, MINUTES_PER_DAY),)
        and not part.holidays
        and not part.spec.holidays_country
        for part in parts
    )


# -- a coarser clock --------------------------------------------------------------------


def _grain(problem: Problem, graph: TaskGraph) -> tuple[int, int]:
    """The largest step that every instant, duration, lag and working hour is a multiple of.

    Levelling works on profiles indexed by instant; counting in steps of 30 or 60 minutes
    instead of minutes makes them that much shorter, and changes no date.
    """
    origin = min([act.release for act in problem.activities] or [0])
    values = [MINUTES_PER_DAY, origin % MINUTES_PER_DAY]  # the steps keep to the clock
    for act in problem.activities:
        values += [act.duration, act.release - origin]
        if act.fixed is not None:
            values += [act.fixed[0] - origin, act.fixed[1] - origin]
    values += [link.lag for link in problem.links]
    values += [value - origin for _, begin, end in problem.away for value in (begin, end)]
    for calendar in {id(c): c for c in graph.calendar}.values():
        values += [bound for span in calendar.spec.hours for bound in span]
    return max(math.gcd(*values), 1), origin


def _coarse(problem: Problem, step: int, origin: int) -> Problem:
    """The problem counted in steps of ``step`` minutes from ``origin``."""
    if step == 1 and origin == 0:
        return problem
    clocks: dict[int, _CoarseClock] = {}

    def clock(original: Clock | None) -> Clock | None:
        if original is None:
            return None
        key = id(original)
        if key not in clocks:
            clocks[key] = _CoarseClock(original, step, origin)
        return clocks[key]

    activities = [
        dataclasses.replace(
            act,
            duration=act.duration // step,
            release=(act.release - origin) // step,
            fixed=None
            if act.fixed is None
            else ((act.fixed[0] - origin) // step, (act.fixed[1] - origin) // step),
            clock=clock(act.clock),
            due=None if act.due is None else (act.due - origin) // step,
        )
        for act in problem.activities
    ]
    links = [dataclasses.replace(link, lag=link.lag // step) for link in problem.links]
    away = [(r, (b - origin) // step, -((origin - e) // step)) for r, b, e in problem.away]
    return Problem(activities, links, problem.capacities, away)


class _CoarseClock:
    """A working calendar read in steps: exact when its hours are multiples of the step."""

    def __init__(self, clock: Clock, step: int, origin: int) -> None:
        self.clock, self.step, self.origin = clock, step, origin
        self.base = clock.position(origin)

    def position(self, minute: int) -> int:
        return (self.clock.position(minute * self.step + self.origin) - self.base) // self.step

    def start_at(self, position: int) -> int:
        instant = self.clock.start_at(position * self.step + self.base)
        return (instant - self.origin) // self.step

    def end_at(self, position: int) -> int:
        instant = self.clock.end_at(position * self.step + self.base)
        return (instant - self.origin) // self.step


# -- what levelling changed -------------------------------------------------------------


class Wait(NamedTuple):
    """Why levelling moved a task: ``resource`` was busy with ``blocker`` until ``until``.

    ``blocker`` is -1 when the resource was away (its ``unavailable``).
    """

    node: int
    resource: str
    blocker: int
    until: int


def waits_for(levelled: Levelled, node: int) -> Wait | None:
    """The resource a moved task waited for last, and what held it then.

    Over the span the task was moved across (its unlevelled start to its levelled one),
    the last instant at which one of its resources lacked the units it needs: that
    resource, and the task holding it then that finishes last (or its absence). None
    when the task did not move or never lacked a resource (a moved predecessor held it).
    """
    schedule = levelled.schedule
    graph = schedule.graph
    allocated = (graph.allocate[node] if graph.allocate else None) or {}
    if not allocated or levelled.delay(node) <= 0:
        return None
    begin = levelled.unlevelled.early.start[node]
    moved_to = schedule.early.start[node]
    booked = levelled.booked
    latest: tuple[int, Wait] | None = None
    for resource in resources_of(graph):
        need = allocated.get(resource.id)
        if need is None:
            continue
        away = away_spans(graph, resource)
        shortage = _last_shortage(
            resource, booked[resource.id], away, node=node, need=need, span=(begin, moved_to)
        )
        if shortage is not None and (latest is None or shortage[0] > latest[0]):
            instant, blocker, until = shortage
            latest = (instant, Wait(node, resource.id, blocker, until))
    return None if latest is None else latest[1]


def _last_shortage(
    resource: Resource,
    booked: list[Booking],
    away_spans: list[tuple[int, int]],
    *,
    node: int,
    need: int,
    span: tuple[int, int],
) -> tuple[int, int, int] | None:
    """The last instant of ``span`` the resource lacked ``need`` units: (instant, by, until)."""
    begin, end = span
    away = [(a, b) for a, b in away_spans if a < end and b > begin]
    others = [b for b in booked if b.node != node and b.start < end and b.finish > begin]
    points = {begin} | {b.start for b in others if b.start > begin} | {a for a, _ in away}
    found = None
    for instant in sorted(point for point in points if point < end):
        gone = [b for a, b in away if a <= instant < b]
        active = [b for b in others if b.start <= instant < b.finish]
        if gone:
            found = (instant, -1, max(gone))
        elif sum(b.units for b in active) + need > resource.units:
            # the holder whose release let the task start: the last to finish by then
            released = [b for b in active if b.finish <= end]
            holder = (
                max(released, key=lambda b: (b.finish, -b.node))
                if released
                else min(active, key=lambda b: (b.finish, b.node))
            )
            found = (instant, holder.node, holder.finish)
    return found


def first_wait(levelled: Levelled, node: int) -> Wait | None:
    """Along the chain that sets a task's date (its nearest dozen), the first that waited."""
    from cutover.engine.schedule import driving_chain  # noqa: PLC0415 - same layer

    for step in driving_chain(levelled.schedule, node):
        wait = waits_for(levelled, step)
        if wait is not None:
            return wait
    return None


def broken_deadlines(levelled: Levelled) -> list[tuple[int, Wait | None]]:
    """Tasks that met their deadline before levelling and miss it after, with the cause."""
    before = levelled.unlevelled.deadline_slack
    after = levelled.schedule.deadline_slack
    graph = levelled.schedule.graph
    found = []
    for node, minute in enumerate(graph.deadline):
        if minute is None:
            continue
        old, new = before[node], after[node]
        if old is not None and new is not None and old >= 0 > new:
            found.append((node, first_wait(levelled, node)))
    return found
