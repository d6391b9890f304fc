"""Resource levelling: a resource-feasible schedule on a neutral, minute-based input.

The input (``Problem``) knows nothing of plan files: activities with durations in working
minutes, links of the four types with lags, renewable resources with capacities and spans
when they are away, per-activity requests, activities fixed in time (done or in progress),
release instants and priorities. ``level(problem)`` returns the best schedule found.

The method is the one the literature on the resource-constrained project scheduling
problem (RCPSP) found best for its cost (Kolisch and Hartmann's surveys):

1. the serial schedule generation scheme (SSGS) turns an activity list (a topological
   order) into a schedule, each activity at its earliest resource-feasible start;
2. priority rules (latest finish, most total successors, greatest rank positional
   weight, the plan's own priorities) and regret-based biased random sampling give the
   first lists;
3. forward-backward improvement (justification: every activity as late as possible, then
   as early as possible) tightens each schedule, and the list is read back from it;
4. a genetic algorithm on activity lists (two-point crossover, swap mutation, each child
   justified) improves on them until the time or schedule budget is spent.

The best schedule so far is always kept, and the search is a fixed sequence for a seed:
a longer budget extends the shorter one's search, so it is never worse. The search stops
early when the makespan meets a lower bound (the critical path, or a resource's work
divided by its capacity): that schedule is optimal.

Activities may carry a ``clock`` (a working calendar: ``WorkCalendar`` has the three
methods): they then start on working minutes and run for ``duration`` working minutes,
and lags are counted on their calendar, as in the scheduling passes. Justification needs
time that runs the same both ways, so it is used only when no activity has a clock.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: Link types, as in the plan: from the predecessor's finish or start, to the successor's.
FS, SS, FF, SF = "FS", "SS", "FF", "SF"
_FROM_FINISH = frozenset({FS, FF})
_TO_START = frozenset({FS, SS})
#: The default search budget: with start-up, a PSPLIB instance stays within two seconds.
DEFAULT_TIME_LIMIT = 1.5
#: Tuned on PSPLIB samples at a fixed schedule budget (independent of the machine's load):
#: a small population restarted often beat a large one, one round of justification two.
_POPULATION = 20
_JUSTIFY_ROUNDS = 1
#: A restart comes when this count reaches 30: +2 per generation without a better
#: schedule, back to 1 after one with; it keeps this share of the population.
_RESTART_AFTER = 30
_KEEP_ON_RESTART = 0.25
#: The search stops after this many schedules (plus so many per activity) without a
#: better one: a small plan is not searched for the whole time limit. The stop depends on
#: the count alone, so a longer limit still only extends the search.
_PATIENCE = 10_000
_PATIENCE_PER_ACTIVITY = 500
#: Above this many activities the "most total successors" rule counts direct ones only.
_MAX_SUCCESSOR_COUNTS = 3000
#: Hartmann's mutation rate: each neighbour pair is swapped with this probability.
_MUTATION = 0.05
#: Justified schedules are remembered by the schedule they came from (a child often
#: schedules as an earlier one did): up to this many activities' worth of them.
_REMEMBER = 1_000_000
_REVERSED = {FS: FS, SS: FF, FF: SS, SF: SF}


class Clock(Protocol):
    """A working calendar: positions are working minutes, instants wall-clock minutes."""

    def position(self, minute: int) -> int:
        """Working minutes before the instant ``minute``."""

    def start_at(self, position: int) -> int:
        """The instant the working minute at ``position`` begins."""

    def end_at(self, position: int) -> int:
        """The instant ``position`` working minutes have been done."""


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity: ``requests`` are (resource index, units) pairs, units > 0.

    ``release`` is the earliest start instant; ``fixed`` a (start, finish) that does not
    move (done or in progress: it keeps its resources); ``priority`` breaks ties, higher
    first (among the activities that could go, a higher priority always takes its
    resources first; the search then shortens the schedule within that rule); ``clock``
    the calendar it works on (``None``: every minute); ``due`` a finish
    it should keep (a deadline): activities with the least slack to it go first.
    """

    duration: int
    requests: tuple[tuple[int, int], ...] = ()
    release: int = 0
    fixed: tuple[int, int] | None = None
    priority: int = 0
    clock: Clock | None = None
    due: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """``succ`` waits for ``pred``: ``type`` FS, SS, FF or SF, ``lag`` in minutes."""

    pred: int
    succ: int
    type: str = FS
    lag: int = 0


@dataclass(frozen=True)
class Problem:
    """Activities, links (acyclic), resource capacities and spans when a resource is away.

    ``away`` holds (resource, begin, end): no unit of the resource works in [begin, end).
    """

    activities: Sequence[Activity]
    links: Sequence[Link]
    capacities: Sequence[int]
    away: Sequence[tuple[int, int, int]] = ()


@dataclass(frozen=True)
class Result:
    """The best schedule found: start and finish instants, and how it was found."""

    start: list[int]
    finish: list[int]
    makespan: int
    lower_bound: int
    schedules: int
    optimal: bool
    seconds: float
    history: list[tuple[int, int]] = field(default_factory=list)


class LevellingError(ValueError):
    """The problem cannot be levelled: a request above a capacity, or a cycle."""


def level(
    problem: Problem,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_schedules: int | None = None,
    seed: int = 0,
    clock: Callable[[], float] = time.perf_counter,
) -> Result:
    """The best resource-feasible schedule found within the budget (see the module)."""
    began = clock()
    search = _Search(_Instance(problem), seed)
    deadline = began + time_limit
    budget = max_schedules if max_schedules is not None else 1 << 62

    patience = _PATIENCE + _PATIENCE_PER_ACTIVITY * search.inst.n

    def spent() -> bool:
        stuck = search.count - search.improved_at > patience
        return stuck or search.count >= budget or clock() >= deadline

    search.run(spent)
    best = search.best
    assert best is not None  # run() always evaluates the first list
    inst = search.inst
    start = [value - inst.shift for value in best.start]
    finish = [value - inst.shift for value in best.finish]
    return Result(
        start=start,
        finish=finish,
        makespan=best.makespan - inst.shift,
        lower_bound=inst.lower_bound - inst.shift,
        schedules=search.count,
        optimal=inst.proves_optimal(best),
        seconds=clock() - began,
        history=search.history,
    )


# -- the instance, normalised ---------------------------------------------------------


class _Instance:
    """The problem as flat lists, times shifted so that every instant is >= 0."""

    def __init__(self, problem: Problem) -> None:
        acts = list(problem.activities)
        self.n = n = len(acts)
        self.capacity = [int(cap) for cap in problem.capacities]
        lows = [act.release for act in acts] + [act.fixed[0] for act in acts if act.fixed]
        lows += [begin for _, begin, _ in problem.away]
        # instants index the resource profiles: the earliest one becomes 0
        self.shift = shift = -min(lows, default=0)
        self.duration = [act.duration for act in acts]
        self.release = [act.release + shift for act in acts]
        self.fixed = [
            None if act.fixed is None else (act.fixed[0] + shift, act.fixed[1] + shift)
            for act in acts
        ]
        self.priority = [act.priority for act in acts]
        self.due = [None if act.due is None else act.due + shift for act in acts]
        self.clocks = [
            None if act.clock is None else _Shifted(act.clock, shift) if shift else act.clock
            for act in acts
        ]
        self.timeless = all(c is None for c in self.clocks)
        self.requests: list[tuple[tuple[int, int], ...]] = []
        for number, act in enumerate(acts):
            for resource, units in act.requests:
                if not 0 <= resource < len(self.capacity):
                    message = f"activity {number} asks for resource {resource}, which is unknown"
                    raise LevellingError(message)
                if units > self.capacity[resource] and act.fixed is None:
                    message = (
                        f"activity {number} needs {units} units of resource {resource}, "
                        f"which has {self.capacity[resource]}"
                    )
                    raise LevellingError(message)
            self.requests.append(tuple((r, u) for r, u in act.requests if u > 0))
        self.preds: list[list[tuple[int, str, int]]] = [[] for _ in range(n)]
        self.succs: list[list[tuple[int, str, int]]] = [[] for _ in range(n)]
        for link in problem.links:
            if self.fixed[link.succ] is not None:
                continue  # a fixed activity has its dates already
            self.preds[link.succ].append((link.pred, link.type, link.lag))
            self.succs[link.pred].append((link.succ, link.type, link.lag))
        self.away = [(r, begin + shift, end + shift) for r, begin, end in problem.away]
        self.topo = _topological(n, self.succs, self.preds)
        # finish-to-start links without lags (PSPLIB's, and most plans'): plain index lists
        simple = all(kind == FS and lag == 0 for links in self.preds for _, kind, lag in links)
        self.simple_preds = [[p for p, _, _ in links] for links in self.preds] if simple else None
        self.simple_succs = [[s for s, _, _ in links] for links in self.succs] if simple else None
        self.movable = [j for j in self.topo if self.fixed[j] is None]
        self.earliest = self._earliest()
        self.lower_bound = self._lower_bound()
        finish = self.finish_of(self.earliest)
        self.least_total = sum(finish(j) for j in range(n))
        self.horizon = self._horizon()

    def proves_optimal(self, schedule: _Schedule) -> bool:
        """The makespan meets the lower bound (and, on calendars, nothing waited at all)."""
        if schedule.makespan > self.lower_bound:
            return False
        if self.timeless:
            return True
        return schedule.total <= self.least_total

    def _earliest(self) -> list[int]:
        """Earliest starts ignoring resources (the critical path method)."""
        start = [0] * self.n
        for j in self.topo:
            fixed = self.fixed[j]
            if fixed is not None:
                start[j] = fixed[0]
                continue
            start[j] = self.link_bound(j, start, self.finish_of(start))
        return start

    def finish_of(self, start: list[int]) -> Callable[[int], int]:
        """A function giving an activity's finish from its start in ``start``."""

        def finish(j: int) -> int:
            fixed = self.fixed[j]
            if fixed is not None:
                return fixed[1]
            return self.end(j, start[j])

        return finish

    def end(self, j: int, begin: int) -> int:
        """The finish of activity ``j`` started at ``begin``."""
        clk = self.clocks[j]
        if clk is None or self.duration[j] == 0:
            return begin + self.duration[j]
        return clk.end_at(clk.position(begin) + self.duration[j])

    def link_bound(self, j: int, start: list[int], finish: Callable[[int], int]) -> int:
        """The earliest start of ``j`` that keeps its release and links to placed activities."""
        clk = self.clocks[j]
        dur = self.duration[j]
        if clk is None:
            best = self.release[j]
            for pred, kind, lag in self.preds[j]:
                anchor = finish(pred) if kind in _FROM_FINISH else start[pred]
                want = anchor + lag - (0 if kind in _TO_START else dur)
                best = max(best, want)
            return best
        if dur == 0:  # a milestone is not moved to working time (as in the passes)
            best = self.release[j]
            for pred, kind, lag in self.preds[j]:
                anchor = finish(pred) if kind in _FROM_FINISH else start[pred]
                if lag:
                    anchor = clk.end_at(clk.position(anchor) + lag)
                best = max(best, anchor)
            return best
        pos = clk.position(self.release[j])
        for pred, kind, lag in self.preds[j]:
            anchor = finish(pred) if kind in _FROM_FINISH else start[pred]
            want = clk.position(anchor) + lag - (0 if kind in _TO_START else dur)
            pos = max(pos, want)
        return clk.start_at(pos)

    def _lower_bound(self) -> int:
        """The critical path, and each resource's work over its capacity after the releases."""
        finish = self.finish_of(self.earliest)
        bound = max([finish(j) for j in range(self.n)] or [0])
        if not self.timeless or any(self.fixed) or self.away:
            return bound
        first = min(self.release) if self.n else 0
        work = [0] * len(self.capacity)
        for j in range(self.n):
            for r, units in self.requests[j]:
                work[r] += units * self.duration[j]
        for r, total in enumerate(work):
            if self.capacity[r] > 0 and total:
                bound = max(bound, first - (-total // self.capacity[r]))
        return bound

    def _horizon(self) -> int:
        """The profiles' first length: where every minute works, no schedule goes beyond it.

        A serial schedule waits for resources at most as long as everything else takes, so
        the latest earliest finish plus every duration and lag bounds it. On calendars the
        profile grows when a schedule runs later, so it starts at the earliest finishes.
        """
        finish = self.finish_of(self.earliest)
        late = max([finish(j) for j in range(self.n)] or [0])
        late = max([late, *self.release, *(end for _, _, end in self.away)])
        if not self.timeless:
            return late + 1
        lags = sum(max(lag, 0) for links in self.preds for _, _, lag in links)
        return late + sum(self.duration) + lags + 1


class _Shifted:
    """A clock seen through instants moved by ``shift`` minutes."""

    def __init__(self, clock: Clock, shift: int) -> None:
        self.clock, self.shift = clock, shift

    def position(self, minute: int) -> int:
        return self.clock.position(minute - self.shift)

    def start_at(self, position: int) -> int:
        return self.clock.start_at(position) + self.shift

    def end_at(self, position: int) -> int:
        return self.clock.end_at(position) + self.shift


def _topological(
    n: int, succs: list[list[tuple[int, str, int]]], preds: list[list[tuple[int, str, int]]]
) -> list[int]:
    """A topological order, smallest index first among the ready (deterministic)."""
    import heapq  # noqa: PLC0415 - only levelling needs it

    waiting = [len(p) for p in preds]
    ready = [j for j in range(n) if waiting[j] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        j = heapq.heappop(ready)
        order.append(j)
        for succ, _, _ in succs[j]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(ready, succ)
    if len(order) != n:
        message = "the links form a cycle"
        raise LevellingError(message)
    return order


# -- schedules ------------------------------------------------------------------------


@dataclass(slots=True)
class _Schedule:
    """A schedule: ``total`` (the sum of finishes) breaks ties of makespan on calendars.

    A plan's makespan is often pinned by a fixed last milestone; then the schedule that
    finishes its tasks sooner keeps more deadlines.
    """

    start: list[int]
    finish: list[int]
    makespan: int
    order: list[int]
    total: int = 0

    @property
    def score(self) -> tuple[int, int]:
        """Smaller is better: makespan, then the sum of finishes."""
        return self.makespan, self.total


#: Free units fit in a byte when no capacity passes this: the profile's rows are then
#: bytearrays, checked and booked by C-level ``translate`` and ``find`` over a span
#: instead of a Python loop over its instants (PSPLIB and nearly every plan).
_BYTE = 255


def _base_rows(inst: _Instance) -> list[list[int]]:
    """Free units per resource and instant before any movable activity: away and fixed out.

    A fixed activity may hold more than the capacity (it is not moved): the row then goes
    below zero, which blocks every request as zero does.
    """
    size = inst.horizon
    rows = [[cap] * size for cap in inst.capacity]
    for r, begin, end in inst.away:
        row = rows[r]
        if end > len(row):
            row.extend([inst.capacity[r]] * (end - len(row)))
        for t in range(max(begin, 0), end):
            row[t] = 0
    longest = max((len(row) for row in rows), default=0)
    for r, row in enumerate(rows):
        row.extend([inst.capacity[r]] * (longest - len(row)))
    for j in range(inst.n):
        fixed = inst.fixed[j]
        if fixed is None or not inst.requests[j]:
            continue
        begin, end = fixed
        if rows and end > len(rows[0]):
            for r, row in enumerate(rows):
                row.extend([inst.capacity[r]] * (end - len(row)))
        for r, units in inst.requests[j]:
            row = rows[r]
            row[begin:end] = [value - units for value in row[begin:end]]
    return rows


class _Profile:
    """Free units of every resource at every instant: the interface of both row kinds.

    ``fit_and_take`` finds an activity's earliest start from an instant where its requests
    fit for its duration and books them; ``conflict`` and ``take`` serve the scheme on
    calendars, where the span is not one duration long.
    """

    def copy(self) -> _Profile:
        """An independent copy (the base is copied once per schedule)."""
        raise NotImplementedError

    def mirrored(self) -> _Profile:
        """The rows reversed in time (the backward pass reads them this way)."""
        raise NotImplementedError

    def size(self) -> int:
        """How many instants the rows hold (all rows have one length)."""
        raise NotImplementedError

    def fit_and_take(self, j: int, begin: int, dur: int) -> int:
        """The earliest start from ``begin`` where ``j`` fits for ``dur``; its units taken.

        The profile is long enough (see ``_Instance._horizon``; the backward pass finds
        room no later than where the forward schedule had it).
        """
        raise NotImplementedError

    def conflict(self, j: int, begin: int, end: int) -> int:
        """-1 when ``j``'s requests fit in [begin, end), else the last instant they do not."""
        raise NotImplementedError

    def take(self, j: int, begin: int, end: int) -> None:
        """Book ``j``'s requests over [begin, end) (the rows grow when it ends beyond them)."""
        raise NotImplementedError


class _ListProfile(_Profile):
    """Rows as lists of ints: any capacity."""

    def __init__(self, inst: _Instance, rows: list[list[int]]) -> None:
        self.inst = inst
        self.free = rows
        self.requests = inst.requests

    def copy(self) -> _ListProfile:
        return _ListProfile(self.inst, [row[:] for row in self.free])

    def mirrored(self) -> _ListProfile:
        return _ListProfile(self.inst, [row[::-1] for row in self.free])

    def size(self) -> int:
        return len(self.free[0]) if self.free else 0

    def _grow(self, until: int) -> None:
        """Make every row reach at least ``until``, by half again at least."""
        size = max(until, len(self.free[0]) * 3 // 2)
        for r, row in enumerate(self.free):
            row.extend([self.inst.capacity[r]] * (size - len(row)))

    def fit_and_take(self, j: int, begin: int, dur: int) -> int:
        # on a failed check, jump past the last instant that lacked units: no start
        # before it can fit
        free, req = self.free, self.requests[j]
        end = begin + dur
        fits = False
        while not fits:
            fits = True
            for r, units in req:
                row = free[r]
                if min(row[begin:end]) < units:
                    t = end - 1
                    while row[t] >= units:
                        t -= 1
                    begin = t + 1
                    end = begin + dur
                    fits = False
                    break
        for r, units in req:
            row = free[r]
            row[begin:end] = [value - units for value in row[begin:end]]
        return begin

    def conflict(self, j: int, begin: int, end: int) -> int:
        if self.free and end > len(self.free[0]):
            self._grow(end)
        for r, units in self.requests[j]:
            row = self.free[r]
            if min(row[begin:end]) < units:
                t = end - 1
                while row[t] >= units:
                    t -= 1
                return t
        return -1

    def take(self, j: int, begin: int, end: int) -> None:
        if self.free and end > len(self.free[0]):
            self._grow(end)
        for r, units in self.requests[j]:
            row = self.free[r]
            row[begin:end] = [value - units for value in row[begin:end]]


class _Packing:
    """How the resources share bytearrays, and each activity's requests as tables.

    Resources are packed into groups whose free units, each shifted by the resource's
    offset, take distinct byte values (the capacities plus one add up to at most 256): a
    group is one bytearray holding, per instant, one byte per resource. A byte's value
    tells which resource it belongs to, so one translation table per activity and group
    reads every resource at once: ``fits`` maps a byte to 1 where the activity's request of
    that resource fits (and bytes of resources it does not ask for to 1), ``minus`` takes
    the units off. ``run`` is as many ones as the activity's duration has bytes.
    """

    def __init__(self, inst: _Instance) -> None:
        self.capacity = inst.capacity
        self.groups: list[list[int]] = []
        self.offset = [0] * len(inst.capacity)
        group_of = [0] * len(inst.capacity)
        used = 0
        for r, cap in enumerate(inst.capacity):
            if not self.groups or used + cap + 1 > _BYTE + 1:
                self.groups.append([])
                used = 0
            group_of[r] = len(self.groups) - 1
            self.offset[r] = used
            self.groups[-1].append(r)
            used += cap + 1
        self.stride = [len(group) for group in self.groups]
        made: dict[tuple[tuple[int, int], ...], tuple[bytes, bytes]] = {}
        self.requests: list[tuple[tuple[int, int, bytes, bytes, bytes], ...]] = []
        for j, req in enumerate(inst.requests):
            entries = []
            for g in sorted({group_of[r] for r, _ in req}):
                asks = tuple(sorted((r, units) for r, units in req if group_of[r] == g))
                tables = made.get(asks)
                if tables is None:
                    tables = made[asks] = self._tables(asks)
                stride = self.stride[g]
                entries.append((g, stride, *tables, b"\x01" * (inst.duration[j] * stride)))
            self.requests.append(tuple(entries))

    def _tables(self, asks: tuple[tuple[int, int], ...]) -> tuple[bytes, bytes]:
        fits = bytearray(b"\x01" * 256)
        minus = bytearray(range(256))
        for r, units in asks:
            low = self.offset[r]
            for value in range(self.capacity[r] + 1):
                fits[low + value] = value >= units
                if value >= units:
                    minus[low + value] = low + value - units
        return bytes(fits), bytes(minus)

    def pack(self, rows: list[list[int]]) -> list[bytearray]:
        """List rows as group rows (below zero, a fixed activity over the capacity, is 0)."""
        size = len(rows[0]) if rows else 0
        packed = []
        for group in self.groups:
            stride = len(group)
            row = bytearray(size * stride)
            for slot, r in enumerate(group):
                low = self.offset[r]
                row[slot::stride] = bytes(low + max(value, 0) for value in rows[r])
            packed.append(row)
        return packed

    def idle(self, g: int) -> bytes:
        """One instant of group ``g`` with every resource free."""
        return bytes(self.offset[r] + self.capacity[r] for r in self.groups[g])


class _ByteProfile(_Profile):
    """Packed rows (every capacity within a byte): checks and bookings run in C.

    Reversing a row in time keeps every instant's bytes together (their order within the
    instant does not matter: the value says whose it is), so the backward pass reads the
    rows reversed as they are.
    """

    def __init__(self, packing: _Packing, rows: list[bytearray], size: int) -> None:
        self.packing = packing
        self.rows = rows
        self.length = size
        self.requests = packing.requests

    @classmethod
    def of(cls, inst: _Instance, rows: list[list[int]]) -> _ByteProfile:
        packing = _Packing(inst)
        return cls(packing, packing.pack(rows), len(rows[0]) if rows else 0)

    def copy(self) -> _ByteProfile:
        return _ByteProfile(self.packing, [row[:] for row in self.rows], self.length)

    def mirrored(self) -> _ByteProfile:
        return _ByteProfile(self.packing, [row[::-1] for row in self.rows], self.length)

    def size(self) -> int:
        return self.length

    def _grow(self, until: int) -> None:
        size = max(until, self.length * 3 // 2)
        for g, row in enumerate(self.rows):
            row.extend(self.packing.idle(g) * (size - self.length))
        self.length = size

    def fit_and_take(self, j: int, begin: int, dur: int) -> int:
        entries = self.requests[j]
        rows = self.rows
        if len(entries) == 1:
            g, stride, fits, minus, run = entries[0]
            row = rows[g]
            low = begin * stride
            span = (dur + dur + 64) * stride
            while True:
                mask = row[low : low + span].translate(fits)
                at = mask.find(run)
                while at > 0 and at % stride:
                    at = mask.find(run, at - at % stride + stride)
                if at >= 0:
                    low += at
                    break
                last = mask.rfind(0)
                assert last >= 0, "the profile is long enough"
                low += last - last % stride + stride
            high = low + dur * stride
            row[low:high] = row[low:high].translate(minus)
            return low // stride
        # each group in turn gives its first fit from ``begin``; the start is the
        # earliest when every group agrees on it
        count = len(entries)
        agreed = at = 0
        while agreed < count:
            entry = entries[at]
            found = _first_fit(rows[entry[0]], entry, begin, dur)
            agreed = 1 if found != begin else agreed + 1
            begin = found
            at = at + 1 if at + 1 < count else 0
        for g, stride, _, minus, _ in entries:
            row = rows[g]
            low, high = begin * stride, (begin + dur) * stride
            row[low:high] = row[low:high].translate(minus)
        return begin

    def conflict(self, j: int, begin: int, end: int) -> int:
        # the last instant any resource lacks units: no start from ``begin`` up to it fits
        # (a later start ends no sooner), so the earliest fit found is the same
        if end > self.length:
            self._grow(end)
        worst = -1
        for g, stride, fits, _, _ in self.requests[j]:
            bad = self.rows[g][begin * stride : end * stride].translate(fits).rfind(0)
            if bad >= 0:
                worst = max(worst, begin + bad // stride)
        return worst

    def take(self, j: int, begin: int, end: int) -> None:
        if end > self.length:
            self._grow(end)
        for g, stride, _, minus, _ in self.requests[j]:
            row = self.rows[g]
            low, high = begin * stride, end * stride
            row[low:high] = row[low:high].translate(minus)


def _first_fit(
    row: bytearray, entry: tuple[int, int, bytes, bytes, bytes], begin: int, dur: int
) -> int:
    """The first instant from ``begin`` where an activity fits in a packed row (its group's).

    ``entry`` is the activity's (group, stride, fits, minus, run) for that group.
    A window of the row becomes a mask (1 where the request fits); the first run of ones
    that starts an instant is the fit. A run starting inside an instant has a 0 before
    it, so the search goes on from the next instant; a window without a run has no fit
    before its last 0 (the mask ends with the row: nothing fits past it).
    """
    _, stride, fits, _, run = entry
    low = begin * stride
    span = (dur + dur + 64) * stride
    while True:
        mask = row[low : low + span].translate(fits)
        at = mask.find(run)
        while at > 0 and at % stride:
            at = mask.find(run, at - at % stride + stride)
        if at >= 0:
            return (low + at) // stride
        last = mask.rfind(0)
        assert last >= 0, "the profile is long enough"
        low += last - last % stride + stride


def _profile(inst: _Instance) -> _Profile:
    """The base profile of an instance, in the cheaper kind its capacities allow."""
    rows = _base_rows(inst)
    if max(inst.capacity, default=0) <= _BYTE:
        return _ByteProfile.of(inst, rows)
    return _ListProfile(inst, rows)


class _Generator:
    """The serial schedule generation scheme, forward in time."""

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.base = _profile(inst)
        # the fixed activities' times, copied into every schedule
        self.start = [0] * inst.n
        self.finish = [0] * inst.n
        for j in range(inst.n):
            fixed = inst.fixed[j]
            if fixed is not None:
                self.start[j], self.finish[j] = fixed

    def run(self, order: list[int]) -> _Schedule:
        """Each activity of ``order`` at its earliest start that fits its links and resources."""
        if self.inst.timeless:
            return self._run_plain(order)
        return self._run_clocked(order)

    def _fixed_times(self) -> tuple[list[int], list[int]]:
        return self.start[:], self.finish[:]

    def _run_plain(self, order: list[int]) -> _Schedule:
        """The scheme when every minute works: the profile never grows (see ``_horizon``)."""
        inst = self.inst
        fit = self.base.copy().fit_and_take
        start, finish = self._fixed_times()
        duration, requests, preds, release = inst.duration, inst.requests, inst.preds, inst.release
        simple = inst.simple_preds
        for j in order:
            dur = duration[j]
            begin = release[j]
            if simple is not None:  # finish-to-start without lags: the common case, kept cheap
                before = simple[j]
                if before:
                    begin = max(begin, *map(finish.__getitem__, before))
                req = requests[j]
                if dur and req:
                    begin = fit(j, begin, dur)
                start[j], finish[j] = begin, begin + dur
                continue
            for pred, kind, lag in preds[j]:
                anchor = finish[pred] if kind in _FROM_FINISH else start[pred]
                if kind not in _TO_START:
                    anchor -= dur
                begin = max(begin, anchor + lag)
            req = requests[j]
            if dur and req:
                begin = fit(j, begin, dur)
            start[j], finish[j] = begin, begin + dur
        return _Schedule(start, finish, max(finish, default=0), order)

    def _run_clocked(self, order: list[int]) -> _Schedule:
        """The scheme on working calendars: starts on working minutes, the profile grows."""
        inst = self.inst
        profile = self.base.copy()
        start, finish = self._fixed_times()
        requests, clocks = inst.requests, inst.clocks
        for j in order:
            clk = clocks[j]
            begin = inst.link_bound(j, start, finish.__getitem__)
            end = inst.end(j, begin)
            req = requests[j]
            if inst.duration[j] and req:
                while True:
                    bad = profile.conflict(j, begin, end)
                    if bad < 0:
                        break
                    begin = bad + 1 if clk is None else clk.start_at(clk.position(bad + 1))
                    end = inst.end(j, begin)
                profile.take(j, begin, end)
            start[j], finish[j] = begin, end
        return _Schedule(start, finish, max(finish, default=0), order, sum(finish))


class _Justifier:
    """Forward-backward improvement for problems without clocks.

    The backward pass is the forward scheme on the mirrored problem (time negated, links
    reversed, every activity finishing by the makespan): each activity, latest-finishing
    first, moves as late as it can; the forward pass then moves each as early as it can.
    Neither move breaks a release, and neither lengthens the schedule.
    """

    def __init__(self, inst: _Instance, rules: _Rules) -> None:
        self.inst = inst
        self.rules = rules
        self.forward = _Generator(inst)
        self.mirror = _Mirror(inst)

    def improve(self, schedule: _Schedule, rounds: int = _JUSTIFY_ROUNDS) -> tuple[_Schedule, int]:
        """The justified schedule, and how many passes it took (each counts as a schedule)."""
        best = schedule
        passes = 0
        for _ in range(rounds):
            back = self.mirror.run(best)
            order = self.rules.by_start(back)
            forward = self.forward.run(order)
            passes += 2
            if forward.makespan >= best.makespan:
                if forward.makespan == best.makespan:
                    best = forward
                break
            best = forward
        return best, passes


class _Mirror:
    """The backward pass: start instants of every activity right-justified."""

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.span = inst.horizon
        self.rank = [0] * inst.n
        for number, j in enumerate(inst.topo):
            self.rank[j] = number
        self.base = _profile(inst).mirrored()
        self.fixed = [fixed is not None for fixed in inst.fixed]

    def run(self, schedule: _Schedule) -> list[int]:
        """Starts after moving each activity as late as it goes, by the makespan."""
        inst = self.inst
        size = self.base.size()
        makespan = schedule.makespan
        if makespan >= size:
            return schedule.start
        fit = self.base.copy().fit_and_take
        # instant t in real time is index size - t in mirrored time: an activity over
        # [s, f) covers mirrored [size - f, size - s)
        start = schedule.start[:]
        rank, sizes = self.rank, inst.n + 1
        keys = [-(finish * sizes + rank[j]) for j, finish in enumerate(schedule.finish)]
        order = sorted(inst.movable, key=keys.__getitem__)  # latest finish first
        duration, requests, succs = inst.duration, inst.requests, inst.succs
        placed = self.fixed[:]
        finish = schedule.finish[:]
        simple = inst.simple_succs
        for j in order:
            dur = duration[j]
            bound = makespan
            if simple is not None:  # every successor is placed: it finishes later
                after = simple[j]
                if after:
                    bound = min(bound, *map(start.__getitem__, after))
            else:
                for succ, kind, lag in succs[j]:
                    if not placed[succ]:
                        continue
                    anchor = start[succ] if kind in _TO_START else finish[succ]
                    want = anchor - lag + (0 if kind in _FROM_FINISH else dur)
                    bound = min(bound, want)
            req = requests[j]
            if dur and req:
                bound = size - fit(j, size - bound, dur)
            start[j], finish[j] = bound - dur, bound
            placed[j] = True
        return start


# -- the search -----------------------------------------------------------------------


class _Search:
    """Priority rules, biased random sampling, then a genetic algorithm; keeps the best."""

    def __init__(self, inst: _Instance, seed: int) -> None:
        self.inst = inst
        self.random = random.Random(seed)  # noqa: S311 - a seeded search, not secrets
        self.generator = _Generator(inst)
        self.rules = _Rules(inst)
        # with priorities that differ, every list keeps them (MS Project's rule: the
        # higher goes first) and justification, which reorders by time, is left out
        self.ranked = len(set(inst.priority)) > 1
        use_justifier = inst.timeless and not self.ranked
        self.justifier = _Justifier(inst, self.rules) if use_justifier else None
        self.justified: dict[tuple[int, ...], _Schedule] = {}
        self.remember = _REMEMBER // max(inst.n, 1)
        self.best: _Schedule | None = None
        self.improved_at = 0
        self.count = 0
        self.history: list[tuple[int, int]] = []

    def evaluate(self, order: list[int]) -> _Schedule:
        if self.ranked:  # higher priorities pick their resources first, in every list
            place = [0.0] * self.inst.n
            for number, j in enumerate(order):
                place[j] = number
            order = self.rules.order(
                [-p * 1e9 + place[j] for j, p in enumerate(self.inst.priority)]
            )
        schedule = self.generator.run(order)
        self.count += 1
        if self.justifier is not None:
            # justification depends on the schedule alone: one seen before is not redone
            key = tuple(schedule.start)
            known = self.justified.get(key)
            if known is not None:
                return known
            schedule, passes = self.justifier.improve(schedule)
            self.count += passes
            schedule.order = self.rules.by_start(schedule.start)
            if len(self.justified) < self.remember:
                self.justified[key] = schedule
        if self.best is None or schedule.score < self.best.score:
            self.best = schedule
            self.improved_at = self.count
            self.history.append((self.count, schedule.makespan))
        return schedule

    def solved(self) -> bool:
        return self.best is not None and self.inst.proves_optimal(self.best)

    def run(self, spent: Callable[[], bool]) -> None:
        inst = self.inst
        lists = [self.rules.order(values) for values in self.rules.values()]
        population: list[_Schedule] = []
        for order in lists:
            population.append(self.evaluate(order))
            if self.solved() or (spent() and self.best is not None):
                return
        if len(inst.movable) < 2:  # one order only
            return
        sampler = self.rules.sampler(self.random)
        while len(population) < _POPULATION:
            population.append(self.evaluate(sampler()))
            if self.solved() or spent():
                return
        self._evolve(population, spent)

    def _evolve(self, population: list[_Schedule], spent: Callable[[], bool]) -> None:
        """Hartmann's genetic algorithm: two-point crossover, swap mutation, the best survive.

        Children are justified and their lists read back from their schedules (the
        schedule's order, not the list that made it, is inherited); restarts keep a
        quarter of the population and sample the rest again.
        """
        rng = self.random
        inst = self.inst
        size = len(population)
        stale = 0
        while True:
            before = self.best.score if self.best else (0, 0)
            rng.shuffle(population)
            children: list[_Schedule] = []
            for mother, father in zip(population[0::2], population[1::2], strict=False):
                for one, two in ((mother, father), (father, mother)):
                    child = _crossover(one.order, two.order, rng)
                    _mutate(child, inst.preds, rng)
                    children.append(self.evaluate(child))
                    if self.solved() or spent():
                        return
            merged = sorted(population + children, key=lambda s: s.score)
            population = _distinct(merged, size)
            stuck = self.best is not None and self.best.score >= before
            stale = stale + 2 if stuck else 1
            if stale >= _RESTART_AFTER:  # the best stay, the rest are sampled afresh
                sampler = self.rules.sampler(rng)
                keep = population[: max(1, int(size * _KEEP_ON_RESTART))]
                while len(keep) < size:
                    keep.append(self.evaluate(sampler()))
                    if self.solved() or spent():
                        return
                population = keep
                stale = 0


def _distinct(schedules: list[_Schedule], size: int) -> list[_Schedule]:
    """The ``size`` best, preferring schedules whose starts differ (diversity)."""
    chosen: list[_Schedule] = []
    seen: set[tuple[int, ...]] = set()
    rest: list[_Schedule] = []
    for schedule in schedules:
        key = tuple(schedule.start)
        if key in seen:
            rest.append(schedule)
            continue
        seen.add(key)
        chosen.append(schedule)
        if len(chosen) == size:
            return chosen
    return (chosen + rest)[:size]


def _crossover(mother: list[int], father: list[int], rng: random.Random) -> list[int]:
    """Hartmann's two-point crossover: the mother's head, the father's next, the mother's rest.

    Both parents are topological orders, so the child is one too.
    """
    n = len(mother)
    first = rng.randrange(n + 1)
    second = rng.randrange(first, n + 1)
    child = mother[:first]
    taken = set(child)
    for j in father:
        if len(child) == second:
            break
        if j not in taken:
            child.append(j)
            taken.add(j)
    child.extend(j for j in mother if j not in taken)
    return child


def _mutate(order: list[int], preds: list[list[tuple[int, str, int]]], rng: random.Random) -> None:
    """Swap neighbours with probability 0.05 when neither waits for the other."""
    for i in range(len(order) - 1):
        if rng.random() < _MUTATION:
            a, b = order[i], order[i + 1]
            if all(p != a for p, _, _ in preds[b]):
                order[i], order[i + 1] = b, a


class _Rules:
    """Priority rules: each gives a value per activity, smaller first."""

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.latest_finish = self._latest_finish()
        self.successors = self._total_successors()
        self.rank = [0] * inst.n
        for number, j in enumerate(inst.topo):
            self.rank[j] = number
        # when no link lets a successor start before its predecessor, sorting by start
        # (then topological rank) gives a topological order
        self.monotone = all(
            kind in _TO_START and lag >= 0 for links in inst.preds for _, kind, lag in links
        )

    def values(self) -> list[list[float]]:
        """Each rule's value per activity: latest finish and start, successors, weight."""
        inst = self.inst
        lft = self.latest_finish
        lst = [lft[j] - inst.duration[j] for j in range(inst.n)]
        grpw = [
            -float(inst.duration[j] + sum(inst.duration[s] for s, _, _ in inst.succs[j]))
            for j in range(inst.n)
        ]
        mts = [-float(count) for count in self.successors]
        rules: list[list[float]] = [lft, lst, mts, grpw]
        if any(inst.priority):  # the plan's priorities first, latest finish among equals
            rules.insert(0, [-p * 1e9 + lft[j] for j, p in enumerate(inst.priority)])
        return rules

    def by_start(self, start: list[int]) -> list[int]:
        """The movable activities by start: a topological order, read back from a schedule."""
        if self.monotone:
            rank, sizes = self.rank, self.inst.n + 1
            keys = [value * sizes + rank[j] for j, value in enumerate(start)]
            return sorted(self.inst.movable, key=keys.__getitem__)
        return self.order([float(value) for value in start])

    def order(self, values: list[float]) -> list[int]:
        """The list that takes, among the activities whose predecessors are listed, the best."""
        import heapq  # noqa: PLC0415

        inst = self.inst
        waiting = [len(p) for p in inst.preds]
        ready = [(values[j], j) for j in range(inst.n) if waiting[j] == 0]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            _, j = heapq.heappop(ready)
            if inst.fixed[j] is None:
                order.append(j)
            for succ, _, _ in inst.succs[j]:
                waiting[succ] -= 1
                if waiting[succ] == 0:
                    heapq.heappush(ready, (values[succ], succ))
        return order

    def sampler(self, rng: random.Random) -> Callable[[], list[int]]:
        """Regret-based biased random sampling on latest finish (Drexl; alpha = 1)."""
        inst = self.inst
        lft = self.latest_finish
        prio = inst.priority
        has_priority = any(prio)

        def sample() -> list[int]:
            waiting = [len(p) for p in inst.preds]
            ready = [j for j in range(inst.n) if waiting[j] == 0]
            order: list[int] = []
            while ready:
                if has_priority:
                    top = max(prio[j] for j in ready)
                    pool = [j for j in ready if prio[j] == top]
                else:
                    pool = ready
                worst = max(lft[j] for j in pool)
                weights = [worst - lft[j] + 1 for j in pool]
                pick = rng.choices(range(len(pool)), weights)[0]
                j = pool[pick]
                ready.remove(j)
                if inst.fixed[j] is None:
                    order.append(j)
                for succ, _, _ in inst.succs[j]:
                    waiting[succ] -= 1
                    if waiting[succ] == 0:
                        ready.append(succ)
            return order

        return sample

    def _latest_finish(self) -> list[float]:
        """Latest finishes without resources, backward from the critical path's end."""
        inst = self.inst
        earliest = inst.earliest
        finish = inst.finish_of(earliest)
        end = max([finish(j) for j in range(inst.n)] or [0])
        latest = [float(end)] * inst.n
        for j in reversed(inst.topo):
            due = inst.due[j]
            bound = float(end) if due is None else float(min(due, end))
            for succ, kind, lag in inst.succs[j]:
                succ_start = latest[succ] - inst.duration[succ]
                anchor = succ_start if kind in _TO_START else latest[succ]
                want = anchor - lag + (0 if kind in _FROM_FINISH else inst.duration[j])
                bound = min(bound, want)
            latest[j] = bound
        return latest

    def _total_successors(self) -> list[int]:
        """How many activities follow each one, directly or not (too costly on big plans)."""
        inst = self.inst
        if inst.n > _MAX_SUCCESSOR_COUNTS:
            return [len(links) for links in inst.succs]
        below: list[set[int]] = [set() for _ in range(inst.n)]
        for j in reversed(inst.topo):
            for succ, _, _ in inst.succs[j]:
                below[j].add(succ)
                below[j] |= below[succ]
        return [len(s) for s in below]
