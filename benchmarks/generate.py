"""Write large, realistic cutover plans: systems of chained tasks across many provinces.

    python benchmarks/generate.py 100000 > /tmp/plan-100k.yaml

Each system is a summary of chained tasks with FS, SS and FF links and lags, two
calendars (office hours with Viet Nam's holidays, and round the clock), deadlines on
every tenth task, and the first fifth of each system tracked (done or in progress).
The output is deterministic for a given size and seed. With ``--resources N`` the plan
also has N teams (2 to 4 engineers each) and every task allocates its owner's team, one
or two of them (the rest of the plan is the same as without).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from typing import TextIO

import yaml

TASKS_PER_SYSTEM = 25


def write_plan(out: TextIO, tasks: int, seed: int = 2025, resources: int = 0) -> None:
    """Write a plan of about ``tasks`` leaf tasks to ``out`` (with ``resources`` teams)."""
    rng = random.Random(seed)
    teams = random.Random(seed + 1)
    systems = max(tasks // TASKS_PER_SYSTEM, 1)
    out.write(
        "plan: Generated national cutover\n"
        "timezone: Asia/Ho_Chi_Minh\n"
        "start: 2025-06-02\n"
        "as_of: 2025-06-20T09:00\n"
        "calendars:\n"
        "  default:\n"
        '    hours: ["07:00-11:30", "13:30-17:00"]\n'
        "    holidays_country: VN\n"
        "  round-the-clock:\n"
        "    workdays: all\n"
        '    hours: ["00:00-24:00"]\n'
    )
    if resources:
        out.write("resources:\n")
        out.writelines(
            f"  - {{id: team-{team}, name: Team {team}, units: {2 + team % 3}}}\n"
            for team in range(resources)
        )
    out.write("tasks:\n")
    for system in range(systems):
        out.write(
            f"  - id: s{system}\n    name: Province {system // 5} system {system % 5}\n    tasks:\n"
        )
        for step in range(TASKS_PER_SYSTEM):
            _write_task(out, rng, system, step)
            if resources:
                units = teams.choice([1, 1, 2])
                out.write(f"        allocate: {{team-{system % resources}: {units}}}\n")


def _write_task(out: TextIO, rng: random.Random, system: int, step: int) -> None:
    task_id = f"s{system}-{step}"
    lines = [f"      - id: {task_id}", f"        name: Step {step} of system {system}"]
    lines.append(f"        owner: Team {system % 17}")
    lines.append(f"        duration: {rng.choice(['4h', '1d', '2d', '3d', '6h'])}")
    if step % 8 == 7:
        lines.append("        calendar: round-the-clock")
    if step:
        kind = rng.random()
        if kind < 0.8:
            lines.append(f"        after: [s{system}-{step - 1}]")
        elif kind < 0.9:
            lines.append(f"        after: [{{task: s{system}-{step - 1}, type: SS, lag: 2h}}]")
        else:
            lines.append(f"        after: [{{task: s{system}-{step - 1}, type: FF, lag: 1h}}]")
    elif system >= 5:
        lines.append(f"        after: [s{system - 5}-{rng.randrange(TASKS_PER_SYSTEM)}]")
    if step % 10 == 9:
        lines.append(
            f"        deadline: 2025-{rng.choice(['07', '08', '09'])}-{rng.randrange(1, 28):02d}"
        )
    if step < TASKS_PER_SYSTEM // 5:
        lines.append("        status: done")
    elif step == TASKS_PER_SYSTEM // 5:
        lines.append("        status: in_progress\n        progress: 50%")
    out.write("\n".join(lines) + "\n")


def write_json_plan(out: TextIO, tasks: int, seed: int = 2025, resources: int = 0) -> None:
    """The same plan as JSON (as machine-generated national plans are written)."""
    buffer = io.StringIO()
    write_plan(buffer, tasks, seed, resources)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe either way
    data = yaml.load(buffer.getvalue(), Loader=loader)  # noqa: S506 - a SafeLoader
    json.dump(data, out, default=str, ensure_ascii=False)


def main() -> None:
    """Parse the size and write the plan to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tasks", type=int, help="number of leaf tasks (rounded to systems of 25)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--json", action="store_true", help="write JSON instead of YAML")
    parser.add_argument("--resources", type=int, default=0, help="teams that tasks allocate")
    args = parser.parse_args()
    write = write_json_plan if args.json else write_plan
    write(sys.stdout, args.tasks, args.seed, args.resources)


if __name__ == "__main__":
    main()
