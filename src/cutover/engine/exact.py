"""An exact levelling solver, optional: OR-Tools' CP-SAT, for ``--optimal``.

OR-Tools is about 80 MB, so it is never a dependency of cutover: ``pip install
'cutover[optimal]'`` (or ``pip install ortools``) adds it, and this module imports it only
when asked. The model is the textbook one for the resource-constrained project scheduling
problem: an interval per activity, a cumulative constraint per resource (its absences as
intervals that take every unit), the four link types with their lags, and the makespan
minimised. The heuristic's schedule is given as a hint, so the answer is never worse than
it; CP-SAT says when it has proved the makespan optimal.

Only problems without working calendars are modelled (calendars would need a variable
duration per start): a plan's tasks on calendars are refused with a clear error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.engine.levelling import LevellingError, Result

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, LinearExprT

    from cutover.engine.levelling import Problem


class ExactUnavailableError(LevellingError):
    """The exact solver cannot run here: OR-Tools is missing, or the tasks use calendars."""


def solve_exact(
    problem: Problem, hint: Result, *, time_limit: float, seed: int = 0
) -> tuple[Result, bool]:
    """The best schedule CP-SAT finds from ``hint`` within the time, and whether it is proved."""
    try:
        from ortools.sat.python import cp_model  # noqa: PLC0415 - optional, 80 MB
    except ImportError:
        message = "--optimal needs OR-Tools: pip install ortools (about 80 MB)"
        raise ExactUnavailableError(message) from None
    if any(act.clock is not None for act in problem.activities):
        message = (
            "--optimal models tasks that work every minute only; this plan's tasks work on "
            "calendars (level without --optimal)"
        )
        raise ExactUnavailableError(message)
    model = cp_model.CpModel()
    starts, ends = _intervals(model, problem, hint)
    _links(model, problem, starts, ends)
    _resources(model, problem, starts)
    makespan = model.new_int_var(0, max(hint.makespan, 0), "makespan")
    model.add_max_equality(makespan, ends or [model.new_constant(0)])
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    solver.parameters.num_workers = 2  # the machine a plan is levelled on has a few cores
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, False
    start = [int(solver.value(var)) for var in starts]
    finish = [s + act.duration for s, act in zip(start, problem.activities, strict=True)]
    proved = status == cp_model.OPTIMAL
    best = max(finish, default=0)
    if best > hint.makespan:  # cannot happen with the hint's bound; keep the better anyway
        return hint, False
    result = Result(
        start=start,
        finish=finish,
        makespan=best,
        lower_bound=int(solver.best_objective_bound),
        schedules=hint.schedules,
        optimal=proved,
        seconds=hint.seconds + solver.wall_time,
        history=hint.history,
    )
    return result, proved


def _intervals(
    model: CpModel, problem: Problem, hint: Result
) -> tuple[list[LinearExprT], list[LinearExprT]]:
    """A start variable per activity, bounded by its release and the hint's makespan."""
    starts: list[LinearExprT] = []
    ends: list[LinearExprT] = []
    horizon = hint.makespan
    for j, act in enumerate(problem.activities):
        if act.fixed is not None:
            starts.append(model.new_constant(act.fixed[0]))
            ends.append(model.new_constant(act.fixed[1]))
            continue
        start = model.new_int_var(act.release, max(horizon - act.duration, act.release), f"s{j}")
        model.add_hint(start, hint.start[j])
        starts.append(start)
        ends.append(start + act.duration)
    return starts, ends


def _links(
    model: CpModel, problem: Problem, starts: list[LinearExprT], ends: list[LinearExprT]
) -> None:
    for link in problem.links:
        if problem.activities[link.succ].fixed is not None:
            continue
        anchor = ends[link.pred] if link.type in {"FS", "FF"} else starts[link.pred]
        side = starts[link.succ] if link.type in {"FS", "SS"} else ends[link.succ]
        model.add(side >= anchor + link.lag)


def _resources(model: CpModel, problem: Problem, starts: list[LinearExprT]) -> None:
    for r, capacity in enumerate(problem.capacities):
        intervals, demands = [], []
        for j, act in enumerate(problem.activities):
            units = sum(u for res, u in act.requests if res == r)
            if units and act.duration > 0:
                size = (act.fixed[1] - act.fixed[0]) if act.fixed else act.duration
                intervals.append(model.new_fixed_size_interval_var(starts[j], size, f"i{j}r{r}"))
                demands.append(units)
        for number, (res, begin, end) in enumerate(problem.away):
            if res == r and end > begin:
                intervals.append(
                    model.new_fixed_size_interval_var(begin, end - begin, f"a{number}")
                )
                demands.append(capacity)
        if intervals:
            model.add_cumulative(intervals, demands, capacity)
