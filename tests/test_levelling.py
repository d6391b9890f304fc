"""The levelling core: every schedule checked by an independent checker, and its quality.

The checker below shares no code with ``cutover.engine.levelling``: it reads the problem
as written (links of all four types with lags, releases, fixed activities, spans when a
resource is away, working calendars) and the schedule, and fails on any broken rule.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.engine.levelling import (
    Activity,
    Clock,
    LevellingError,
    Link,
    Problem,
    Result,
    level,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
FIXTURES = Path(__file__).parent / "fixtures" / "psplib"
SHARED = ROOT.parent / "shared" / "psplib"
OPTIMA = {"j301_1.sm": 43, "j3037_9.sm": 57, "j3041_3.sm": 85, "j3013_1.sm": 58}


class Shifts:
    """A test calendar: of every ``period`` minutes, the first ``work`` are worked."""

    def __init__(self, period: int, work: int) -> None:
        self.period, self.work = period, work

    def position(self, minute: int) -> int:
        days, clock = divmod(minute, self.period)
        return days * self.work + min(clock, self.work)

    def start_at(self, position: int) -> int:
        days, clock = divmod(position, self.work)
        return days * self.period + clock

    def end_at(self, position: int) -> int:
        return self.start_at(position - 1) + 1


def violations(problem: Problem, result: Result) -> list[str]:
    """Every rule the schedule breaks (empty when it is feasible)."""
    acts = problem.activities
    start, finish = result.start, result.finish
    found = [*_times(acts, start, finish), *_links(problem, start, finish)]
    found += _resources(problem, start, finish)
    if result.makespan != max(finish, default=0) and acts:
        found.append(f"makespan {result.makespan} is not the last finish {max(finish)}")
    return found


def _times(acts: Sequence[Activity], start: list[int], finish: list[int]) -> list[str]:
    found = []
    for j, act in enumerate(acts):
        if act.fixed is not None:
            if (start[j], finish[j]) != act.fixed:
                found.append(f"{j} fixed at {act.fixed} moved to {start[j]}..{finish[j]}")
            continue
        if start[j] < act.release:
            found.append(f"{j} starts at {start[j]} before its release {act.release}")
        clk = act.clock
        if clk is None or act.duration == 0:
            if finish[j] - start[j] != act.duration:
                found.append(f"{j} runs {finish[j] - start[j]} for a duration {act.duration}")
            continue
        if clk.start_at(clk.position(start[j])) != start[j]:
            found.append(f"{j} starts at {start[j]}, not a working minute")
        if clk.position(finish[j]) - clk.position(start[j]) != act.duration:
            found.append(f"{j} works the wrong number of minutes")
        if clk.end_at(clk.position(finish[j])) != finish[j]:
            found.append(f"{j} finishes at {finish[j]}, not at the end of a working minute")
    return found


def _links(problem: Problem, start: list[int], finish: list[int]) -> list[str]:
    found = []
    for link in problem.links:
        succ_act = problem.activities[link.succ]
        if succ_act.fixed is not None:
            continue
        anchor = finish[link.pred] if link.type in {"FS", "FF"} else start[link.pred]
        end = start[link.succ] if link.type in {"FS", "SS"} else finish[link.succ]
        clk = succ_act.clock
        if clk is None:
            ok = end >= anchor + link.lag
        elif succ_act.duration == 0:
            bound = clk.end_at(clk.position(anchor) + link.lag) if link.lag else anchor
            ok = end >= bound
        else:
            ok = clk.position(end) >= clk.position(anchor) + link.lag
        if not ok:
            found.append(f"link {link} broken: {start[link.pred]}..{finish[link.pred]} -> {end}")
    return found


def _resources(problem: Problem, start: list[int], finish: list[int]) -> list[str]:
    found = []
    for r, capacity in enumerate(problem.capacities):
        moving: dict[int, int] = {}
        fixed: dict[int, int] = {}
        for j, act in enumerate(problem.activities):
            units = sum(u for res, u in act.requests if res == r)
            load = fixed if act.fixed is not None else moving
            for t in range(start[j], finish[j]):
                load[t] = load.get(t, 0) + units
        away = {t for res, begin, end in problem.away if res == r for t in range(begin, end)}
        for t, units in moving.items():
            if units and (t in away or units + fixed.get(t, 0) > capacity):
                found.append(f"resource {r} over its {capacity} units at {t}")
                break
    return found


# -- hand-made cases ------------------------------------------------------------------


def test_two_activities_on_one_unit_run_one_after_the_other() -> None:
    problem = Problem([Activity(5, ((0, 1),)), Activity(3, ((0, 1),))], [], [1])
    result = level(problem, max_schedules=10)
    assert sorted(zip(result.start, result.finish, strict=True)) == [(0, 5), (5, 8)]
    assert result.makespan == 8
    assert result.optimal  # the resource's work, 8 minutes, is a lower bound


def test_priority_goes_first() -> None:
    acts = [Activity(5, ((0, 1),)), Activity(5, ((0, 1),), priority=900)]
    result = level(Problem(acts, [], [1]), max_schedules=1)
    assert result.start == [5, 0]


def test_fixed_activity_keeps_its_dates_and_its_units() -> None:
    acts = [Activity(4, ((0, 1),), fixed=(-2, 2)), Activity(3, ((0, 1),))]
    result = level(Problem(acts, [], [1]), max_schedules=10)
    assert (result.start, result.finish) == ([-2, 2], [2, 5])


def test_resource_away_is_skipped() -> None:
    problem = Problem([Activity(4, ((0, 1),))], [], [2], away=[(0, 2, 10)])
    result = level(problem, max_schedules=5)
    assert result.start == [10]
    assert not violations(problem, result)


def test_a_request_above_the_capacity_is_refused() -> None:
    with pytest.raises(LevellingError, match="needs 3 units of resource 0, which has 2"):
        level(Problem([Activity(4, ((0, 3),))], [], [2]))


def test_a_cycle_is_refused() -> None:
    acts = [Activity(1), Activity(1)]
    with pytest.raises(LevellingError, match="cycle"):
        level(Problem(acts, [Link(0, 1), Link(1, 0)], []))


def test_working_calendar_and_lags_on_it() -> None:
    shifts: Clock = Shifts(10, 4)  # minutes 0-3 of every ten are worked
    acts = [
        Activity(6, ((0, 1),), clock=shifts),
        Activity(2, ((0, 1),), clock=shifts),
        Activity(3, ((0, 1),), clock=shifts),
    ]
    links = [Link(0, 2, "SS", 1)]
    problem = Problem(acts, links, [1])
    result = level(problem, max_schedules=20)
    assert not violations(problem, result)
    # 6 + 2 + 3 working minutes on one unit: 11 working minutes, ends at minute 22
    assert result.makespan == 23


# -- random problems --------------------------------------------------------------------


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    resources = draw(st.integers(1, 3))
    capacities = [draw(st.integers(1, 3)) for _ in range(resources)]
    count = draw(st.integers(1, 9))
    clock = draw(st.sampled_from([None, Shifts(10, 6), Shifts(7, 7)]))
    acts = []
    for _ in range(count):
        requests = tuple(
            (r, draw(st.integers(1, capacities[r])))
            for r in range(resources)
            if draw(st.booleans())
        )
        fixed = None
        if draw(st.integers(0, 6)) == 0:
            begin = draw(st.integers(-5, 10))
            fixed = (begin, begin + draw(st.integers(0, 6)))
        acts.append(
            Activity(
                duration=draw(st.integers(0, 7)),
                requests=requests,
                release=draw(st.integers(0, 12)),
                fixed=fixed,
                priority=draw(st.sampled_from([0, 0, 1, 5])),
                clock=clock if draw(st.booleans()) else None,
            )
        )
    links = []
    for succ in range(1, count):
        for pred in sorted(draw(st.sets(st.integers(0, succ - 1), max_size=3))):
            kind = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            links.append(Link(pred, succ, kind, draw(st.integers(-4, 6))))
    away = [
        (r, begin, begin + draw(st.integers(1, 8)))
        for r in range(resources)
        if draw(st.integers(0, 3)) == 0
        for begin in [draw(st.integers(0, 20))]
    ]
    return Problem(acts, links, capacities, away)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([1, 7, 60]))
def test_every_levelled_schedule_is_feasible(problem: Problem, budget: int) -> None:
    result = level(problem, max_schedules=budget, time_limit=60)
    assert violations(problem, result) == []
    assert result.makespan >= result.lower_bound or not result.optimal


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_a_bigger_budget_is_never_worse_and_the_search_is_repeatable(problem: Problem) -> None:
    short = level(problem, max_schedules=20, time_limit=60, seed=3)
    again = level(problem, max_schedules=20, time_limit=60, seed=3)
    longer = level(problem, max_schedules=200, time_limit=60, seed=3)
    assert (again.start, again.makespan) == (short.start, short.makespan)
    assert longer.makespan <= short.makespan


def _scaled(problem: Problem, factor: int) -> Problem:
    """The same problem with every capacity and request ``factor`` times larger."""
    acts = [
        dataclasses.replace(act, requests=tuple((r, u * factor) for r, u in act.requests))
        for act in problem.activities
    ]
    capacities = [cap * factor for cap in problem.capacities]
    return Problem(acts, problem.links, capacities, problem.away)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_packed_and_list_profiles_give_the_same_schedules(problem: Problem) -> None:
    # capacities within a byte are packed into bytearrays (x70: in several groups, as
    # their values no longer share one byte); x256 keeps the rows as lists of ints. The
    # same problem scaled is the same problem: every kind must find the same schedule
    results = [
        level(_scaled(problem, factor), max_schedules=30, time_limit=60, seed=1)
        for factor in (1, 70, 256)
    ]
    assert results[0].start == results[1].start == results[2].start
    assert all(violations(_scaled(problem, 256), result) == [] for result in results)


# -- PSPLIB ---------------------------------------------------------------------------


def test_a_schedule_seen_before_is_not_justified_again() -> None:
    from cutover.engine.levelling import _Instance, _Search  # noqa: PLC0415

    _, problem = _psplib("j301_1.sm")
    search = _Search(_Instance(problem), seed=0)
    order = search.rules.order(search.rules.values()[0])
    first = search.evaluate(order)
    assert search.count == 3  # the schedule, then justification: backward and forward
    again = search.evaluate(order)
    assert again is first
    assert search.count == 4  # only the schedule this time


def _psplib(name: str) -> tuple[object, Problem]:
    import psplib  # noqa: PLC0415 - benchmarks/psplib.py, on the path above

    instance = psplib.read_sm(FIXTURES / name)
    return instance, psplib.to_problem(instance)


@pytest.mark.parametrize("name", ["j301_1.sm", "j3037_9.sm", "j3041_3.sm"])
def test_psplib_instances_reach_their_optimum(name: str) -> None:
    import psplib  # noqa: PLC0415

    instance, problem = _psplib(name)
    result = level(problem, max_schedules=3000, time_limit=60)
    assert violations(problem, result) == []
    assert psplib.check(instance, result.start) == OPTIMA[name]  # type: ignore[arg-type]


def test_psplib_longer_search_extends_the_shorter() -> None:
    _, problem = _psplib("j3013_1.sm")
    budgets = [40, 400, 1600]
    spans = [level(problem, max_schedules=b, time_limit=60).makespan for b in budgets]
    assert spans == sorted(spans, reverse=True)
    assert spans[0] > spans[-1] >= OPTIMA["j3013_1.sm"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="the PSPLIB sets are not beside the project")
def test_psplib_sample_from_the_shared_sets_is_feasible() -> None:
    import psplib  # noqa: PLC0415

    for name in ("j60", "j120"):
        path, best = psplib.instances(SHARED, name, 2, 97)[1]
        instance = psplib.read_sm(path)
        result = level(psplib.to_problem(instance), max_schedules=200, time_limit=60)
        assert psplib.check(instance, result.start) >= best


def test_the_checker_catches_each_kind_of_fault() -> None:
    acts = [Activity(3, ((0, 1),), release=1), Activity(2, ((0, 1),))]
    problem = Problem(acts, [Link(0, 1, "FF", 1)], [1])

    def faults(start: list[int], finish: list[int]) -> list[str]:
        result = Result(start, finish, max(finish), 0, 1, optimal=False, seconds=0.0)
        return violations(problem, result)

    assert faults([1, 4], [4, 6]) == []
    assert any("release" in fault for fault in faults([0, 3], [3, 5]))
    assert any("link" in fault for fault in faults([1, 2], [4, 4]))
    assert any("over its 1 units" in fault for fault in faults([1, 3], [4, 5]))
    assert any("runs" in fault for fault in faults([1, 4], [5, 6]))


# -- the optional exact solver --------------------------------------------------------


def test_exact_solver_proves_an_optimum_and_never_loses_the_hint() -> None:
    pytest.importorskip("ortools")
    from cutover.engine.exact import solve_exact  # noqa: PLC0415 - optional

    _, problem = _psplib("j301_1.sm")
    hint = level(problem, max_schedules=5, time_limit=60)
    result, proved = solve_exact(problem, hint, time_limit=60)
    assert violations(problem, result) == []
    assert result.makespan <= hint.makespan
    assert proved
    assert result.makespan == OPTIMA["j301_1.sm"]


def test_exact_solver_refuses_calendars() -> None:
    pytest.importorskip("ortools")
    from cutover.engine.exact import solve_exact  # noqa: PLC0415 - optional

    problem = Problem([Activity(3, ((0, 1),), clock=Shifts(10, 4))], [], [1])
    with pytest.raises(LevellingError, match="calendars"):
        solve_exact(problem, level(problem, max_schedules=1), time_limit=1)
