"""PSPLIB levelled by TaskJuggler 3 and by cutover, side by side, on the same plans.

    python benchmarks/psplib_taskjuggler.py --stride 16                 # j30, j60, j120
    python benchmarks/psplib_taskjuggler.py --set j30 --limit 5 --keep out/psplib-tj3
    python benchmarks/psplib_taskjuggler.py --stride 16 --write

Each single-mode instance (read by ``psplib.read_sm``) becomes a cutover plan: a
round-the-clock default calendar, one hour per period, each renewable resource a
resource with its capacity as ``units``, each job a task of its duration in hours
allocating its requests (the dummies and any zero-length job a milestone), each
precedence a finish-to-start link. The plan is levelled two ways:

- **tj3**: the plan goes through cutover's real TaskJuggler writer in its levelled form
  (``cutover.interchange.tjp_resources``: a resource of N units is a group of N members;
  a task is an ``effort`` of its units × its duration with mandatory allocations, the
  only kind of task tj3 delays for its resources), tj3 schedules it, and its dates are
  read back from the CSV report;
- **cutover**: ``cutover.engine.resourcing.level`` on the same plan, as ``cutover level``
  runs it (default time limit, seed 0).

Both schedules are checked by the same independent checker on the PSPLIB data:
precedence, every resource in every period, and that no job is split (tj3 may book an
effort task's slots with a gap; the RCPSP does not allow it, so such a schedule counts as
infeasible, with its makespan still shown). tj3's own bookings are read back too (an
``export`` report of every booking, added to the written file): each slot a job works
must hold its request of each resource, and no resource may hold more members than its
capacity in any slot. For a split job the interval from its start to its end holds its
request only in the booked slots, so the capacity check on intervals is made for unsplit
schedules only; split ones are judged on the bookings. Scores are percentages above the
optimal or best-known makespan. ``--write`` puts the table into RESULTS.md's section on TaskJuggler
levelling.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from psplib import DATA, RESULTS, SETS, Instance, instances, read_optima, read_sm  # noqa: E402

SECTION = "## PSPLIB levelled by TaskJuggler"
#: Appended to the written file: every booking, as tj3's own ``.tji`` (an absolute path:
#: tj3 does not put an ``export`` report in its ``-o`` folder).
BOOKINGS = """
export "{path}" {{
  definitions -
  taskattributes booking
  resourceattributes -
}}
"""
_SUPPLEMENT = re.compile(r"^supplement task t(\d+) ")
_BOOKING = re.compile(r"(?:booking r(\d+)(?:_\d+)? )?(\d{4}-\S+) \+ ([\d.]+)h")
START = "2025-01-06T00:00"  # a Monday; the calendar works every hour anyway
MINUTES = 60  # one period


def to_plan(instance: Instance) -> str:
    """The instance as a cutover plan (YAML text; see the module)."""
    lines = [
        f"plan: PSPLIB {instance.name}",
        "timezone: UTC",
        f"start: {START}",
        "calendars:",
        '  default: {workdays: all, hours: ["00:00-24:00"]}',
        "resources:",
    ]
    lines += [f"  - {{id: r{r + 1}, units: {c}}}" for r, c in enumerate(instance.capacities)]
    predecessors: list[list[int]] = [[] for _ in instance.durations]
    for pred, succs in enumerate(instance.successors):
        for succ in succs:
            predecessors[succ].append(pred)
    lines.append("tasks:")
    for job, duration in enumerate(instance.durations):
        fields = [f"id: j{job + 1}"]
        fields.append(f"duration: {duration}h" if duration else "milestone: true")
        requests = {f"r{r + 1}": u for r, u in enumerate(instance.requests[job]) if u}
        if duration and requests:
            fields.append("allocate: {" + ", ".join(f"{r}: {u}" for r, u in requests.items()) + "}")
        if predecessors[job]:
            fields.append("after: [" + ", ".join(f"j{p + 1}" for p in predecessors[job]) + "]")
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


class Checked(NamedTuple):
    """A schedule as the checker sees it: its makespan and what it breaks (empty: feasible)."""

    makespan: int
    problems: tuple[str, ...]


def check(instance: Instance, start: list[int], finish: list[int]) -> Checked:
    """Precedence, capacity in every period and unsplit jobs, on the PSPLIB data alone.

    Capacity is checked on the intervals only when no job is split (see the module).
    """
    problems: list[str] = []
    for job, (begin, end) in enumerate(zip(start, finish, strict=True)):
        if end - begin != instance.durations[job]:
            problems.append(f"split: job {job + 1} spans {end - begin} periods for a duration "
                            f"of {instance.durations[job]}")  # fmt: skip
    for pred, succs in enumerate(instance.successors):
        problems += [
            f"job {succ + 1} starts before job {pred + 1} ends"
            for succ in succs
            if start[succ] < finish[pred]
        ]
    makespan = max(finish)
    if any(problem.startswith("split") for problem in problems):
        return Checked(makespan, tuple(problems))
    for r, capacity in enumerate(instance.capacities):
        load = [0] * (makespan + 1)
        for job, request in enumerate(instance.requests):
            for t in range(start[job], finish[job]):
                load[t] += request[r]
        over = [t for t, units in enumerate(load) if units > capacity]
        if over:
            problems.append(f"R{r + 1} over its {capacity} units in {len(over)} periods")
    return Checked(makespan, tuple(problems))


Booked = dict[int, defaultdict[int, Counter[int]]]


def read_bookings(text: str, timebase_minute: Callable[[str], int]) -> Booked:
    """tj3's bookings: per node, per resource index, the members booked in each period."""
    found: Booked = {}
    current: defaultdict[int, Counter[int]] | None = None
    resource = -1
    for line in text.splitlines():
        head = _SUPPLEMENT.match(line)
        if head:
            current = found.setdefault(int(head.group(1)), defaultdict(Counter))
            continue
        for match in _BOOKING.finditer(line):
            if match.group(1) is not None:
                resource = int(match.group(1))
            first = timebase_minute(match.group(2)) // MINUTES
            hours = float(match.group(3))
            if current is None or resource < 0:
                continue
            for period in range(first, first + round(hours * 60 / MINUTES)):
                current[resource][period] += 1
    return found


def check_bookings(
    instance: Instance, jobs: list[int], booked: Booked, origin: int
) -> tuple[str, ...]:
    """Each worked period holds the job's request; no resource beyond its capacity."""
    problems: list[str] = []
    load = [Counter[int]() for _ in instance.capacities]
    for job, node in enumerate(jobs):
        per = booked.get(node, defaultdict(Counter))
        periods = set().union(*(set(counter) for counter in per.values()))
        request = instance.requests[job]
        if instance.durations[job] and any(request) and len(periods) != instance.durations[job]:
            problems.append(f"bookings: job {job + 1} works {len(periods)} periods")
        for r in range(len(instance.capacities)):
            if any(per[r][period] != request[r] for period in periods):
                problems.append(f"bookings: job {job + 1} holds not {request[r]} of R{r + 1}")
            for period, members in per[r].items():
                load[r][period - origin] += members
    for r, capacity in enumerate(instance.capacities):
        over = [p for p, units in load[r].items() if units > capacity]
        if over:
            problems.append(f"bookings: R{r + 1} over its {capacity} units in {len(over)} periods")
    return tuple(problems)


class Row(NamedTuple):
    """One instance levelled by both tools."""

    name: str
    best_known: int
    tj3: Checked | None  # None: tj3 failed (its message in ``failure``)
    bookings: tuple[str, ...]  # what tj3's own bookings break (empty: nothing)
    tj3_seconds: float
    cutover: Checked
    cutover_seconds: float
    failure: str = ""


def run_one(path: Path, best_known: int, keep: Path | None, timeout: float) -> Row:
    """Level one instance with tj3 and with cutover, and check both (in a worker)."""
    from tjp import read_dates, run_tj3  # noqa: PLC0415 - benchmarks/ is on the path

    from cutover.engine.graph import build_graph  # noqa: PLC0415
    from cutover.engine.resourcing import level  # noqa: PLC0415
    from cutover.engine.schedule import build_schedule  # noqa: PLC0415
    from cutover.interchange.tjp_writer import convert  # noqa: PLC0415
    from cutover.planfile.loader import load_plan_text  # noqa: PLC0415

    instance = read_sm(path)
    graph = build_graph(load_plan_text(to_plan(instance), f"{instance.name}.yaml"))
    node = {graph.task(n).id: n for n in range(len(graph))}
    jobs = [node[f"j{job + 1}"] for job in range(len(instance.durations))]

    def periods(minutes: dict[int, tuple[int, int]]) -> tuple[list[int], list[int]]:
        spans = [minutes[n] for n in jobs]
        return (
            [(s - graph.start) // MINUTES for s, _ in spans],
            [(e - graph.start) // MINUTES for _, e in spans],
        )

    unlevelled = build_schedule(graph, None)
    began = time.perf_counter()
    levelled = level(unlevelled).schedule
    cutover_seconds = time.perf_counter() - began
    ours = check(
        instance,
        *periods({n: (levelled.start(n), levelled.finish_of(n)) for n in jobs}),
    )
    horizon = graph.timebase.day_of(graph.start + sum(instance.durations) * MINUTES)
    conversion = convert(graph, window_end=horizon + timedelta(days=2), level=True)
    with tempfile.TemporaryDirectory() as folder:
        out = keep if keep is not None else Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        tjp = out / f"{instance.name}.tjp"
        report_dir = (out / instance.name).resolve()
        report_dir.mkdir(parents=True, exist_ok=True)
        extra = BOOKINGS.format(path=report_dir / "bookings")
        tjp.write_text(conversion.text + extra, encoding="utf-8")
        began = time.perf_counter()
        try:
            run_tj3(tjp, out / instance.name, timeout=timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            failure = str(exc).strip().splitlines()
            return Row(
                instance.name,
                best_known,
                None,
                (),
                time.perf_counter() - began,
                ours,
                cutover_seconds,
                failure[-1] if failure else "tj3 failed",
            )
        tj3_seconds = time.perf_counter() - began
        report = (out / instance.name / "dates.csv").read_text(encoding="utf-8")
        tji = (out / instance.name / "bookings.tji").read_text(encoding="utf-8")
    theirs = check(instance, *periods(read_dates(report, graph)))

    def minute(text: str) -> int:
        return graph.timebase.minute(datetime.strptime(text, "%Y-%m-%d-%H:%M-%z"))

    booked = read_bookings(tji, minute)
    broken = check_bookings(instance, jobs, booked, graph.start // MINUTES)
    return Row(instance.name, best_known, theirs, broken, tj3_seconds, ours, cutover_seconds)


def _above(makespan: int, best: int) -> float:
    return 100.0 * (makespan - best) / best


def _split(checked: Checked) -> bool:
    return any(problem.startswith("split") for problem in checked.problems)


def _over(checked: Checked, bookings: tuple[str, ...] = ()) -> bool:
    return bool(bookings) or any(" over its " in problem for problem in checked.problems)


def summary(name: str, rows: list[Row], total: int) -> list[str]:
    """The set's two rows of the table: tj3, then cutover."""
    ran = [(row, row.tj3) for row in rows if row.tj3 is not None]
    every = [_above(checked.makespan, row.best_known) for row, checked in ran]
    feasible = [(row, checked) for row, checked in ran if not checked.problems and not row.bookings]
    above = [_above(checked.makespan, row.best_known) for row, checked in feasible]
    same = [_above(row.cutover.makespan, row.best_known) for row, _ in feasible]
    at_best = sum(checked.makespan <= row.best_known for row, checked in feasible)
    tj3 = (
        f"| {name} | tj3 | {len(rows)} of {total} | {len(rows) - len(ran)} | {len(feasible)} "
        f"| {sum(_split(checked) for _, checked in ran)} "
        f"| {sum(_over(checked, row.bookings) for row, checked in ran)} "
        f"| {_mean(above)} | {_worst(above)} | {_share(at_best, len(feasible))} "
        f"| {_mean(same)} | {_mean(every)} "
        f"| {statistics.fmean(row.tj3_seconds for row in rows):.2f} s |"
    )
    ours = [_above(row.cutover.makespan, row.best_known) for row in rows]
    good = [row for row in rows if not row.cutover.problems]
    ours_ok = [_above(row.cutover.makespan, row.best_known) for row in good]
    at_best = sum(row.cutover.makespan <= row.best_known for row in good)
    cutover = (
        f"| {name} | cutover | {len(rows)} of {total} | – | {len(good)} "
        f"| {sum(_split(row.cutover) for row in rows)} "
        f"| {sum(_over(row.cutover) for row in rows)} "
        f"| {_mean(ours_ok)} | {_worst(ours_ok)} | {_share(at_best, len(good))} | – "
        f"| {_mean(ours)} | {statistics.fmean(row.cutover_seconds for row in rows):.2f} s |"
    )
    return [tj3, cutover]


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def _mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.2f} %" if values else "–"


def _worst(values: list[float]) -> str:
    return f"{max(values):.2f} %" if values else "–"


HEADER = (
    "| set | levelled by | instances | tj3 failed | feasible | split a job | over a capacity "
    "| mean above best known (feasible) | worst (feasible) | at best known (feasible) "
    "| cutover on the same instances | mean above, every schedule | mean time |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def write_results(rows: list[str], note: str) -> None:
    """Replace (or add) this section of RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8")
    section = f"{SECTION}\n\n{note}\n\n{HEADER}\n" + "\n".join(rows) + "\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        _, sep, tail = rest.partition("\n## ")
        text = head + section + (("\n## " + tail) if sep else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    """Run the chosen sets and print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=SETS, action="append", dest="sets")
    parser.add_argument("--limit", type=int, help="at most this many instances per set")
    parser.add_argument("--stride", type=int, default=16, help="every n-th instance")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=300, help="seconds of tj3 per instance")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--keep", type=Path, help="keep each .tjp and tj3's report here")
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    parser.add_argument("--note", default="", help="a paragraph above the table")
    args = parser.parse_args()
    table: list[str] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name in args.sets or SETS:
            chosen = instances(args.data, name, args.limit, args.stride)
            futures = [
                pool.submit(run_one, path, best, args.keep, args.timeout) for path, best in chosen
            ]
            rows = []
            for future in futures:
                row = future.result()
                rows.append(row)
                tj3 = (
                    f"tj3 failed: {row.failure}"
                    if row.tj3 is None
                    else f"tj3 {row.tj3.makespan} "
                    + ("; ".join((*row.bookings, *row.tj3.problems)[:3]) or "ok")
                )
                print(
                    f"  {row.name}: best {row.best_known}, cutover {row.cutover.makespan}, "
                    f"{tj3} ({row.tj3_seconds:.1f} s)",
                    flush=True,
                )
            lines = summary(name, rows, len(read_optima(args.data, name)))
            print("\n".join(lines), flush=True)
            table += lines
    print(HEADER)
    print("\n".join(table))
    if args.write:
        write_results(table, args.note)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
