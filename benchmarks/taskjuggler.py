"""Time TaskJuggler 3 against ``cutover check`` on the same generated plans.

    python benchmarks/taskjuggler.py                          # 1k, 10k and 20k tasks
    python benchmarks/taskjuggler.py --sizes 1000 10000 20000 40000 --repeat 1 --verify

Plans are written with what tj3 can express (see ``tjp``'s docstring): one calendar (Viet
Nam's office hours and public holidays), systems of chained tasks with FS and SS links and
lags, links across systems, deadlines (tj3 ignores them), no tracking. Each is converted
with ``tjp`` and both tools run in a fresh process: ``tj3 --no-reports`` and ``cutover
check --as-of <plan start>``. The table gives the median wall time of each, their ratio,
peak memory, and the time PyYAML's C loader takes to read the YAML alone; then the same
plan written as JSON (the fast path machine-generated plans take) and its ratio. ``--verify`` runs
tj3 once more with a CSV report and counts the tasks whose dates agree. tj3 is installed
with apt-get when it is missing. Timings, never assertions: machines are shared.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from measure import YAML_ALONE, median_run, python_output

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
START = "2025-08-18"
TASKS_PER_SYSTEM = 25
#: Systems go live in this many waves, each after a system of the wave before.
WAVES = 4
HEADER = f"""plan: Generated cutover for TaskJuggler
timezone: Asia/Ho_Chi_Minh
start: {START}
calendars:
  default:
    hours: ["07:00-11:30", "13:30-17:00"]
    holidays_country: VN
    holidays: [2025-08-29]
"""
RICH_CALENDARS = """  round-the-clock:
    workdays: all
    hours: ["00:00-24:00"]
  evening:
    workdays: [mon, tue, wed, thu, fri, sat]
    hours: ["12:00-16:00", "17:00-21:00"]
    holidays: [2025-09-05]
"""
#: Durations as written: whole working days of the task's calendar, or minutes.
DURATIONS = ("4h", "1d", "2d", "3d", "6h", "1h30m")
#: Working minutes in a day of each calendar (the default's is 8 h).
DAY_MINUTES = {None: 480, "round-the-clock": 1440, "evening": 480}


# -- plans -------------------------------------------------------------------------------------


def write_plan(
    out: TextIO, tasks: int, seed: int = 2025, *, shape: str = "systems", rich: bool = False
) -> None:
    """Write a plan of about ``tasks`` leaf tasks that tj3 can schedule too.

    ``shape`` is ``systems`` (summaries of 25 chained steps, linked across systems),
    ``layered`` (a random layered network, about 1.5 links a task, as in FIELD_NOTES §8)
    or ``fan`` (wide fan-out and fan-in through milestones). ``rich`` adds a round-the-clock
    and an evening calendar, FF and SF links, milestones, not_before, and links to
    summaries, within the limits of ``tjp``.
    """
    rng = random.Random(seed)
    out.write(HEADER + (RICH_CALENDARS if rich else "") + "tasks:\n")
    {"systems": _systems, "layered": _layered, "fan": _fan}[shape](out, rng, tasks, rich=rich)


class _Step:
    """One leaf task being written: its id, duration, calendar and links."""

    def __init__(self, task_id: str, duration: str, calendar: str | None = None) -> None:
        self.id, self.duration, self.calendar = task_id, duration, calendar
        self.links: list[str] = []
        self.extra: list[str] = []

    @property
    def minutes(self) -> int:
        """Working minutes on the task's calendar (0 for a milestone)."""
        if self.duration.endswith("d"):
            return int(self.duration[:-1]) * DAY_MINUTES[self.calendar]
        hours, _, minutes = self.duration.partition("h")
        return int(hours or 0) * 60 + int(minutes.rstrip("m") or 0)

    def text(self, indent: str) -> str:
        lines = [f"{indent}- id: {self.id}", f"{indent}  duration: {self.duration}"]
        if self.calendar:
            lines.append(f"{indent}  calendar: {self.calendar}")
        if self.links:
            lines.append(f"{indent}  after: [{', '.join(self.links)}]")
        lines += [f"{indent}  {line}" for line in self.extra]
        return "\n".join(lines) + "\n"


def _link(rng: random.Random, pred: _Step, succ: _Step, *, rich: bool) -> str:
    """A link tj3 can express between two tasks (see ``tjp``): FS or SS, FF or SF if rich."""
    lag_ok = succ.calendar in {None, "round-the-clock"}
    kind = rng.random()
    lag = rng.choice([0, 60, 120, 480]) if lag_ok else 0
    # tj3 anchors a start link on its unmoved start (tjp: _check_start_anchor).
    start_ok = pred.minutes == 0 or pred.calendar in {succ.calendar, "round-the-clock"}
    if succ.minutes == 0 and pred.minutes and pred.calendar != "round-the-clock":
        start_ok = start_ok and lag > 0
    same = pred.minutes and succ.minutes and succ.calendar == pred.calendar
    if rich and same and lag_ok and kind < 0.15:
        if kind < 0.08:  # FF: the start offset duration(pred) + lag - duration(succ) >= 0
            lag = max(lag, succ.minutes - pred.minutes)
            return f"{{task: {pred.id}, type: FF, lag: {lag}m}}"
        return f"{{task: {pred.id}, type: SF, lag: {succ.minutes + lag}m}}"
    if (kind < 0.7 and not lag) or (kind < 0.85 and not start_ok):
        return pred.id if not lag else f"{{task: {pred.id}, lag: {lag}m}}"
    return f"{{task: {pred.id}, type: {'SS' if kind < 0.85 else 'FS'}, lag: {lag}m}}"


def _calendar(rng: random.Random, *, rich: bool) -> str | None:
    if not rich:
        return None
    roll = rng.random()
    return "round-the-clock" if roll < 0.1 else "evening" if roll < 0.18 else None


def _systems(out: TextIO, rng: random.Random, tasks: int, *, rich: bool) -> None:
    """Systems in WAVES waves: each waits for a step, or all, of a system of the wave before."""
    systems = max(tasks // TASKS_PER_SYSTEM, 1)
    waves = [wave * systems // WAVES for wave in range(WAVES + 1)]
    steps: list[list[_Step]] = []
    for system in range(systems):
        chain = [
            _Step(f"s{system}-{n}", rng.choice(DURATIONS), _calendar(rng, rich=rich))
            for n in range(TASKS_PER_SYSTEM)
        ]
        for pred, succ in itertools.pairwise(chain):
            succ.links.append(_link(rng, pred, succ, rich=rich))
        wave = max(w for w in range(WAVES) if waves[w] <= system)
        earlier = range(waves[wave - 1], waves[wave]) if wave else range(0)
        if earlier:
            chain[0].links.append(rng.choice(steps[rng.choice(earlier)]).id)
        for number in range(9, TASKS_PER_SYSTEM, 10):
            chain[number].extra.append(f"deadline: 2025-{rng.choice(['10', '11'])}-15")
        steps.append(chain)
        out.write(f"  - id: s{system}\n    name: Province {system // 5} system {system % 5}\n")
        if earlier and system % 3 == 0:
            other = rng.choice(earlier)
            link = f"s{other}" if rich else f"{{task: s{other}, type: SS, lag: 4h}}"
            out.write(f"    after: [{link}]\n")
        if rich and system % 7 == 3:
            out.write(f"    not_before: 2025-09-0{rng.randrange(3, 9)}T10:30\n")
        out.write("    tasks:\n")
        out.writelines(step.text("      ") for step in chain)
        if rich:
            out.write(f"      - {{id: s{system}-done, milestone: true, after: [s{system}-24]}}\n")


def _layered(out: TextIO, rng: random.Random, tasks: int, *, rich: bool) -> None:
    width = max(int(tasks**0.5), 2)
    layers: list[list[_Step]] = []
    count = 0
    while count < tasks:
        layer = [
            _Step(f"l{len(layers)}-{n}", rng.choice(DURATIONS), _calendar(rng, rich=rich))
            for n in range(min(width, tasks - count))
        ]
        if layers:
            for step in layer:
                for pred in {id(p): p for p in rng.choices(layers[-1], k=2)}.values():
                    if rng.random() < 0.75:
                        step.links.append(_link(rng, pred, step, rich=rich))
        if rich and len(layers) % 4 == 2:
            layer[0].extra.append(f"not_before: 2025-08-{rng.randrange(19, 29)}T13:30")
        layers.append(layer)
        count += len(layer)
    for steps in layers:
        out.writelines(step.text("  ") for step in steps)


def _fan(out: TextIO, rng: random.Random, tasks: int, *, rich: bool) -> None:
    hub = _Step("hub0", "0h")
    out.write(f"  - {{id: {hub.id}, milestone: true}}\n")
    group = 0
    while group * 20 < tasks:
        steps = [
            _Step(f"f{group}-{n}", rng.choice(DURATIONS), _calendar(rng, rich=rich))
            for n in range(20)
        ]
        for step in steps:
            step.links.append(_link(rng, hub, step, rich=rich))
        out.writelines(step.text("  ") for step in steps)
        group += 1
        hub = _Step(f"hub{group}", "0h")
        links = ", ".join(_link(rng, step, hub, rich=rich) for step in steps)
        out.write(f"  - {{id: {hub.id}, milestone: true, after: [{links}]}}\n")


# -- timing ------------------------------------------------------------------------------------


def ensure_tj3() -> str:
    """The path of tj3, installing the Debian package first if it is missing."""
    found = shutil.which("tj3")
    if found:
        return found
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "tj3"]):
        print(f"tj3 is missing; running: {' '.join(command)}", file=sys.stderr)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("tj3")
    if found is None:
        sys.exit("apt-get installed tj3 but it is not on PATH")
    return found


def _prepare(size: int, shape: str) -> tuple[Path, Path]:
    """Write the plan and its .tjp (without reports) into benchmarks/out/."""
    from tjp import convert_file  # noqa: PLC0415 - benchmarks/ is on sys.path when run

    OUT.mkdir(exist_ok=True)
    plan = OUT / f"tj3-{shape}-{size}.yaml"
    with plan.open("w", encoding="utf-8") as out:
        write_plan(out, size, shape=shape)
    tjp = plan.with_suffix(".tjp")
    tjp.write_text(convert_file(plan, report=False).text, encoding="utf-8")
    return plan, tjp


def _as_json(plan: Path) -> Path:
    """The same plan as JSON, next to it: dates as ISO 8601 text."""
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    data = yaml.load(plan.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    path = plan.with_suffix(".json")
    path.write_text(json.dumps(data, default=lambda value: value.isoformat()), encoding="utf-8")
    return path


def _verify(plan: Path) -> str:
    """Schedule with both tools and count the tasks whose start and finish agree."""
    from tjp import convert_file, normalise, read_dates, run_tj3  # noqa: PLC0415

    from cutover.engine.schedule import build_schedule  # noqa: PLC0415

    conversion = convert_file(plan)
    schedule = build_schedule(conversion.graph, None)
    with tempfile.TemporaryDirectory() as folder:
        tjp = Path(folder) / "plan.tjp"
        tjp.write_text(conversion.text, encoding="utf-8")
        run_tj3(tjp, Path(folder))
        csv_text = (Path(folder) / "dates.csv").read_text(encoding="utf-8")
    theirs = normalise(conversion.graph, read_dates(csv_text, conversion.graph))
    same = sum(theirs[node] == (schedule.start(node), schedule.finish_of(node)) for node in theirs)
    return f"{same:,}/{len(conversion.graph):,}"


def main() -> None:
    """Run the comparison and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--tj3-repeat", type=int, default=1, help="runs of tj3 (it is slow)")
    parser.add_argument("--shape", choices=["systems", "layered", "fan"], default="systems")
    parser.add_argument("--verify", action="store_true", help="also compare every date")
    args = parser.parse_args()
    tj3 = ensure_tj3()
    version = subprocess.run([tj3, "--version"], capture_output=True, text=True, check=False)
    cutover = [sys.executable, "-m", "cutover", "check", "--as-of", START]
    print(f"{version.stdout.splitlines()[0]}; shape {args.shape}\n")
    print(
        "| tasks | YAML alone | `cutover check` | peak MiB | `tj3 --no-reports` | peak MiB "
        "| tj3 / cutover | `cutover check` of the JSON | tj3 / cutover (JSON) |"
        + (" dates agree |" if args.verify else "")
    )
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if args.verify else ""))
    for size in args.sizes:
        plan, tjp = _prepare(size, args.shape)
        yaml_alone = python_output(YAML_ALONE, str(plan))
        ours, our_mem = median_run([*cutover, str(plan)], args.repeat)
        as_json, _ = median_run([*cutover, str(_as_json(plan))], args.repeat)
        theirs, their_mem = median_run([tj3, "--silent", "--no-reports", str(tjp)], args.tj3_repeat)
        agree = f" {_verify(plan)} |" if args.verify else ""
        print(
            f"| {size:,} | {float(yaml_alone):.2f} s | {ours:.2f} s | {our_mem:.0f} | "
            f"{theirs:.2f} s | {their_mem:.0f} | {theirs / ours:.0f}× | {as_json:.2f} s | "
            f"{theirs / as_json:.0f}× |{agree}"
        )
        sys.stdout.flush()
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
