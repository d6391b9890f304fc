"""Time ``cutover check`` and ``cutover schedule --format json`` on generated plans.

    python benchmarks/run.py                 # 1k, 10k and 100k tasks
    python benchmarks/run.py --sizes 1000 10000 100000 1000000

For each size: the wall time and peak memory of each command in a fresh process (median
of ``--repeat`` runs), next to the time of parsing the same YAML alone, which is the floor
every YAML loader pays; and the time of ``cutover --help``. Plans are generated into
``benchmarks/out/`` (not committed). Timings, never assertions: machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from measure import YAML_ALONE, median_run, python_output

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2025-06-20T09:00"

OUR_PARSER = """
import sys, time
from cutover.planfile.loader import gc_paused, parse_plan
text = open(sys.argv[1], encoding="utf-8").read()
t = time.perf_counter()
with gc_paused():
    parse_plan(text, sys.argv[1])
print(time.perf_counter() - t)
"""

STAGES = """
import gc, sys, time, json
gc.disable()  # as the command line runs
from datetime import datetime
from cutover.planfile.loader import load_plan
from cutover.engine.graph import build_graph
from cutover.engine.schedule import build_schedule
from cutover.findings.checks import run_checks
from cutover.findings.pipeline import status_minute
out = {}
t = time.perf_counter(); loaded = load_plan(sys.argv[1]); out["load"] = time.perf_counter() - t
t = time.perf_counter()
graph = build_graph(loaded)
out["graph"] = time.perf_counter() - t
t = time.perf_counter()
as_of = status_minute(graph, datetime.fromisoformat(sys.argv[2]), None)
schedule = build_schedule(graph, as_of)
out["schedule"] = time.perf_counter() - t
t = time.perf_counter()
findings = run_checks(schedule)
out["checks"] = time.perf_counter() - t
print(json.dumps(out))
"""


def _generate(size: int, suffix: str) -> Path:
    path = OUT / f"plan-{size}.{suffix}"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        flags = ["--json"] if suffix == "json" else []
        with path.open("w", encoding="utf-8") as out:
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(size), *flags],
                stdout=out,
                check=True,
            )
    return path


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+", default=["yaml", "json"], choices=["yaml", "json"])
    args = parser.parse_args()
    cutover = [sys.executable, "-m", "cutover"]
    help_time, _ = median_run([*cutover, "--help"], max(args.repeat, 5))
    print(f"`cutover --help`: {help_time:.3f} s (median of {max(args.repeat, 5)})\n")
    print(
        "| tasks | file | parse alone (PyYAML C / json) | our reader | load+validate | graph"
        " | schedule | checks | `check` wall | `check` peak MiB | `schedule --format json` wall"
        " | peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size, suffix in ((size, suffix) for size in args.sizes for suffix in args.formats):
        plan = str(_generate(size, suffix))
        yaml_alone = float(python_output(YAML_ALONE, plan))
        ours = float(python_output(OUR_PARSER, plan))
        stages = json.loads(python_output(STAGES, plan, AS_OF))
        check_wall, check_mem = median_run([*cutover, "check", plan, "--as-of", AS_OF], args.repeat)
        sched_wall, sched_mem = median_run(
            [*cutover, "schedule", plan, "--as-of", AS_OF, "--format", "json"], args.repeat
        )
        print(
            f"| {size:,} | {suffix} | {yaml_alone:.2f} s | {ours:.2f} s | {stages['load']:.2f} s | "
            f"{stages['graph']:.2f} s | {stages['schedule']:.2f} s | {stages['checks']:.2f} s | "
            f"{check_wall:.2f} s | {check_mem:.0f} | {sched_wall:.2f} s | {sched_mem:.0f} |"
        )
        sys.stdout.flush()
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
