"""Time ``cutover risk``: Monte Carlo runs of a generated plan with three-point estimates.

    python benchmarks/risk.py                       # 10,000 runs of a 1,000-task plan
    python benchmarks/risk.py --tasks 5000 --runs 2000 --repeat 3

The plan comes from ``generate.py``; every ``duration: X`` becomes the estimate
``{optimistic: 0.75X, likely: X, pessimistic: 2X}`` (every third task triangular, the
others PERT). Prints the time to load and schedule the plan once, then the median time
of ``risk.simulate`` over ``--repeat`` runs, and the peak memory of one more run.
Timings, never assertions: machines are shared.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_plan

from cutover.findings.pipeline import analyse_loaded
from cutover.planfile.loader import load_plan_text
from cutover.risk.montecarlo import simulate

AS_OF = datetime(2025, 6, 20, 9, 0)  # noqa: DTZ001 - wall-clock time in the plan's zone
_DURATION = re.compile(r"^(\s+)duration: (\d+)([hd])$", re.MULTILINE)


def plan_with_estimates(tasks: int) -> str:
    """A generated plan whose tasks carry three-point estimates instead of durations."""
    out = io.StringIO()
    write_plan(out, tasks)
    count = iter(range(10**9))

    def estimate(match: re.Match[str]) -> str:
        indent, amount, unit = match.group(1), int(match.group(2)), match.group(3)
        low = f"{amount * 0.75:g}{unit}"
        kind = f"\n{indent}distribution: triangular" if next(count) % 3 == 0 else ""
        return (
            f"{indent}estimate: {{optimistic: {low}, likely: {amount}{unit}, "
            f"pessimistic: {amount * 2}{unit}}}{kind}"
        )

    return _DURATION.sub(estimate, out.getvalue())


def main() -> None:
    """Build the plan, schedule it once, then time the simulation."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = plan_with_estimates(args.tasks)
    started = time.perf_counter()
    analysis = analyse_loaded(load_plan_text(text, "bench.yaml"), now=None, as_of=AS_OF)
    scheduled = time.perf_counter() - started
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = simulate(analysis, args.runs, seed=1)
        times.append(time.perf_counter() - started)
    tracemalloc.start()  # one more run to measure memory: tracing slows it down
    simulate(analysis, args.runs, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    probability = [outcome.probability for outcome in result.deadlines]
    print(
        f"{len(analysis.graph)} nodes ({result.sampled} sampled), "
        f"{len(result.deadlines)} deadlines, {args.runs:,} runs"
    )
    print(f"load + deterministic schedule: {scheduled:.2f} s")
    print(
        f"risk.simulate: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}) over {args.repeat}, "
        f"peak memory {peak / 2**20:.0f} MiB"
    )
    print(f"{args.runs * len(analysis.graph) / statistics.median(times) / 1e6:.1f} M task-runs/s")
    print(f"mean deadline probability {statistics.fmean(p or 0.0 for p in probability):.3f}")


if __name__ == "__main__":
    main()
