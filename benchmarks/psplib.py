"""Score cutover's resource levelling on PSPLIB, the standard RCPSP benchmark.

    python benchmarks/psplib.py                                # j30, j60 and j120, every instance
    python benchmarks/psplib.py --set j30 --limit 40 --time-limit 0.5
    python benchmarks/psplib.py --set j60 --stride 8 --jobs 2 --write

Each single-mode instance (Kolisch and Sprecher; data and format in ``--data``, by default
``../shared/psplib``) becomes a levelling problem: one period is one minute on a
round-the-clock calendar, each renewable resource a resource with its capacity, each job
an activity with its requests, each precedence a finish-to-start link. It is levelled by
``cutover.engine.levelling.level`` with the given time limit (default: the command's
default) in a fresh worker process, and scored by the percentage above the optimal or
best-known makespan (``optimum.csv``: ``LB..UB`` scores against ``UB``). Every schedule is
checked (precedence and capacity in every period) before it is scored.

The table gives, per set: instances run, mean and worst percentage above, the share at
the best known, the share proved optimal by a lower bound, and the mean and worst seconds
of levelling per instance (wall clock, or CPU time with ``--cpu-clock``: on a machine
shared with other work, wall time gives the search only part of a core). ``--write``
puts it into RESULTS.md's PSPLIB section.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cutover.engine.levelling import Problem

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "psplib"
RESULTS = HERE / "RESULTS.md"
SETS = ("j30", "j60", "j120")
SECTION = "## Resource levelling on PSPLIB"


class Instance(NamedTuple):
    """One single-mode instance: durations, successors, requests and capacities."""

    name: str
    durations: list[int]
    successors: list[list[int]]
    requests: list[list[int]]
    capacities: list[int]


def read_sm(path: Path) -> Instance:
    """Read a PSPLIB ``.sm`` file (jobs numbered from 1 in the file, from 0 here)."""
    lines = path.read_text().splitlines()
    jobs = next(int(line.split(":")[1]) for line in lines if line.startswith("jobs"))
    at = next(i for i, line in enumerate(lines) if line.startswith("PRECEDENCE RELATIONS"))
    successors = []
    for line in lines[at + 2 : at + 2 + jobs]:
        fields = [int(v) for v in line.split()]
        successors.append([s - 1 for s in fields[3 : 3 + fields[2]]])
    at = next(i for i, line in enumerate(lines) if line.startswith("REQUESTS/DURATIONS"))
    durations, requests = [], []
    for line in lines[at + 3 : at + 3 + jobs]:
        fields = [int(v) for v in line.split()]
        durations.append(fields[2])
        requests.append(fields[3:])
    at = next(i for i, line in enumerate(lines) if line.startswith("RESOURCEAVAILABILITIES"))
    capacities = [int(v) for v in lines[at + 2].split()]
    return Instance(path.name, durations, successors, requests, capacities)


def read_optima(data: Path, name: str) -> dict[str, tuple[int, int]]:
    """``optimum.csv`` of a set: instance name -> (lower bound, best known makespan)."""
    known = {}
    for line in (data / name / "optimum" / "optimum.csv").read_text().splitlines()[1:]:
        problem, value = line.strip().split(",")
        low, _, high = value.partition("..")  # "..UB": no lower bound given
        best = int(high or low)
        known[problem] = (int(low or 0), best)
    return known


def to_problem(instance: Instance) -> Problem:
    """The instance as a levelling problem (see the module)."""
    from cutover.engine.levelling import Activity, Link, Problem  # noqa: PLC0415

    activities = [
        Activity(
            duration=duration,
            requests=tuple((r, units) for r, units in enumerate(request) if units),
        )
        for duration, request in zip(instance.durations, instance.requests, strict=True)
    ]
    links = [Link(pred, succ) for pred, succs in enumerate(instance.successors) for succ in succs]
    return Problem(activities, links, instance.capacities)


def check(instance: Instance, start: list[int]) -> int:
    """The makespan of a schedule, after checking precedence and every period's capacity."""
    finish = [s + d for s, d in zip(start, instance.durations, strict=True)]
    for pred, succs in enumerate(instance.successors):
        for succ in succs:
            if start[succ] < finish[pred]:
                message = f"{instance.name}: job {succ + 1} starts before job {pred + 1} ends"
                raise AssertionError(message)
    makespan = max(finish)
    for r, capacity in enumerate(instance.capacities):
        load = [0] * (makespan + 1)
        for j, request in enumerate(instance.requests):
            for t in range(start[j], finish[j]):
                load[t] += request[r]
        if max(load) > capacity:
            message = f"{instance.name}: resource {r + 1} over its capacity"
            raise AssertionError(message)
    return makespan


class Score(NamedTuple):
    """One instance's result."""

    name: str
    makespan: int
    best_known: int
    optimal: bool
    seconds: float
    schedules: int

    @property
    def above(self) -> float:
        """Percentage above the best known makespan."""
        return 100.0 * (self.makespan - self.best_known) / self.best_known


def run_one(
    path: Path,
    best_known: int,
    time_limit: float | None,
    seed: int,
    *,
    cpu: bool = False,
    optimal: float | None = None,
) -> Score:
    """Level one instance and check it (in a worker process); ``cpu``: budget in CPU time.

    ``optimal``: then seconds of the exact solver (OR-Tools), from the heuristic's schedule.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from cutover.engine.levelling import DEFAULT_TIME_LIMIT, level  # noqa: PLC0415

    instance = read_sm(path)
    timer = time.process_time if cpu else time.perf_counter
    began = timer()
    result = level(
        to_problem(instance),
        time_limit=DEFAULT_TIME_LIMIT if time_limit is None else time_limit,
        seed=seed,
        clock=timer,
    )
    if optimal is not None:
        from cutover.engine.exact import solve_exact  # noqa: PLC0415 - optional

        result, _ = solve_exact(to_problem(instance), result, time_limit=optimal, seed=seed)
    seconds = timer() - began
    makespan = check(instance, result.start)
    return Score(path.name, makespan, best_known, result.optimal, seconds, result.schedules)


def instances(data: Path, name: str, limit: int | None, stride: int) -> list[tuple[Path, int]]:
    """The chosen instances of a set, in a fixed order (every ``stride``-th, then ``limit``)."""
    optima = read_optima(data, name)

    def key(problem: str) -> tuple[int, int]:
        parameter, _, number = problem.removesuffix(".sm")[len(name) :].partition("_")
        return int(parameter), int(number)

    chosen = sorted(optima, key=key)[::stride]
    if limit is not None:
        chosen = chosen[:limit]
    return [(data / name / problem, optima[problem][1]) for problem in chosen]


def summary(name: str, scores: list[Score], total: int) -> str:
    """One row of the table."""
    above = [score.above for score in scores]
    seconds = [score.seconds for score in scores]
    at_best = sum(score.makespan <= score.best_known for score in scores)
    proved = sum(score.optimal for score in scores)
    return (
        f"| {name} | {len(scores)} of {total} | {statistics.fmean(above):.2f} % "
        f"| {max(above):.2f} % | {100 * at_best / len(scores):.0f} % "
        f"| {100 * proved / len(scores):.0f} % "
        f"| {statistics.fmean(seconds):.2f} s | {max(seconds):.2f} s |"
    )


HEADER = (
    "| set | instances | mean above best known | worst | at best known | proved optimal "
    "| mean time | worst time |\n|---|---|---|---|---|---|---|---|"
)


def write_results(rows: list[str], note: str) -> None:
    """Replace (or add) the PSPLIB section of RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    section = f"{SECTION}\n\n{note}\n\n{HEADER}\n" + "\n".join(rows) + "\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        _, sep, tail = rest.partition("\n## ")
        text = head + section + (("\n## " + tail) if sep else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def main() -> None:
    """Run the chosen sets and print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=SETS, action="append", dest="sets")
    parser.add_argument("--limit", type=int, help="at most this many instances per set")
    parser.add_argument("--stride", type=int, default=1, help="every n-th instance")
    parser.add_argument("--time-limit", type=float, help="seconds of search per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--cpu-clock",
        action="store_true",
        help="budget and time in CPU seconds (what an unloaded core gives on a shared machine)",
    )
    parser.add_argument(
        "--optimal",
        type=float,
        metavar="SECONDS",
        help="then this long of OR-Tools CP-SAT (pip install ortools), proving optima",
    )
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    parser.add_argument("--note", default="", help="a paragraph above the table")
    args = parser.parse_args()
    rows = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name in args.sets or SETS:
            chosen = instances(args.data, name, args.limit, args.stride)
            total = len(read_optima(args.data, name))
            futures = [
                pool.submit(
                    run_one,
                    path,
                    best,
                    args.time_limit,
                    args.seed,
                    cpu=args.cpu_clock,
                    optimal=args.optimal,
                )
                for path, best in chosen
            ]
            scores = []
            for future in futures:
                score = future.result()
                scores.append(score)
                if score.makespan > score.best_known:
                    print(f"  {score.name}: {score.makespan} vs {score.best_known}", flush=True)
            row = summary(name, scores, total)
            print(row, flush=True)
            rows.append(row)
    print(HEADER)
    print("\n".join(rows))
    if args.write:
        write_results(rows, args.note)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
