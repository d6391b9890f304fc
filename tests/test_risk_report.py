"""``risk`` as text and as the JSON object of the issue."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console

from cutover.render.risk_report import histogram, risk_json, risk_text
from cutover.risk.montecarlo import simulate

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.findings.pipeline import Analysis

PLAN = """
plan: test
start: 2025-06-16
tasks:
  - {id: design, duration: 1d}
  - {id: build, {build}, after: [design]}
  - {id: review, duration: 4h, after: [{task: build, type: SS, lag: 1d}]}
  - {id: ship, milestone: true, after: [build, review], deadline: 2025-06-19}
  - {id: docs, duration: 1d, deadline: 2025-06-16T12:00}
"""
FIXED = PLAN.replace("{build}", "duration: 2d")
UNCERTAIN = PLAN.replace("{build}", "estimate: {optimistic: 1d, likely: 2d, pessimistic: 4d}")
MONDAY = datetime(2025, 6, 16, 8, 0)


def text_of(analysis: Analysis, runs: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False, soft_wrap=False)
    risk_text(simulate(analysis, runs), console)
    return out.getvalue()


def test_the_text_report_of_a_plan_without_uncertainty(
    plan_analysis: Callable[..., Analysis],
) -> None:
    assert text_of(plan_analysis(FIXED, MONDAY), 500) == (
        """\
test — status date Mon 16 Jun 2025 08:00 · 500 runs, seed 2025, 0 tasks with estimates

Chance of meeting each deadline
task           deadline           chance  P50               P80               P95
ship           end of Thu 19 Jun    100%  Wed 18 Jun 17:00  Wed 18 Jun 17:00  Wed 18 Jun 17:00
docs           Mon 16 Jun 12:00       0%  Mon 16 Jun 17:00  Mon 16 Jun 17:00  Mon 16 Jun 17:00
(plan finish)                             Wed 18 Jun 17:00  Wed 18 Jun 17:00  Wed 18 Jun 17:00

What drives each date (correlation of a task's duration with it)
  nothing: no task with an estimate moves a deadline or the finish

Finish of the plan over 500 runs
  Wed 18 Jun  ████████████████████████████████████████     500   100%    100%  ← forecast

Most critical tasks
task     critical in  correlation with the finish
design  100% of runs                        fixed
build   100% of runs                        fixed
ship    100% of runs                        fixed
docs    100% of runs                        fixed
review    0% of runs                        fixed
"""
    )


def test_the_text_report_names_the_drivers(plan_analysis: Callable[..., Analysis]) -> None:
    lines = text_of(plan_analysis(UNCERTAIN, MONDAY), 2000).splitlines()
    assert lines[0] == (
        "test — status date Mon 16 Jun 2025 08:00 · 2,000 runs, seed 2025, 1 task with estimates"
    )
    drivers = lines[
        lines.index("What drives each date (correlation of a task's duration with it)") + 1
    ]
    assert drivers.startswith("  ship (")
    assert ": build 0.9" in drivers
    histogram_title = lines.index("Finish of the plan over 2,000 runs")
    assert lines[histogram_title + 1].startswith("  Wed 18 Jun  ")
    assert lines[histogram_title + 1].endswith("← forecast")


def test_the_json_has_the_shape_of_the_issue(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(UNCERTAIN, MONDAY)
    document = json.loads(risk_json(simulate(analysis, 1000, seed=7)))
    assert {"runs", "seed", "deadlines", "finish", "tasks"} <= set(document)
    assert (document["runs"], document["seed"], document["sampled_tasks"]) == (1000, 7, 1)
    assert document["as_of"] == "2025-06-16T08:00:00+00:00"
    ship, docs = document["deadlines"]
    assert {"task", "deadline", "probability", "p50", "p80", "p95"} <= set(ship)
    assert (ship["task"], ship["deadline"]) == ("ship", "2025-06-19T23:59:59+00:00")
    assert (docs["task"], docs["deadline"], docs["probability"]) == (
        "docs",
        "2025-06-16T12:00:00+00:00",
        0.0,
    )
    assert 0.5 < ship["probability"] < 1
    assert ship["p50"] <= ship["p80"] <= ship["p95"]
    assert {"p50", "p80", "p95"} <= set(document["finish"])
    assert [driver["task"] for driver in document["finish"]["drivers"]] == ["build"]
    assert [task["id"] for task in document["tasks"]] == [
        "design",
        "build",
        "review",
        "ship",
        "docs",
    ]
    assert all(0 <= task["criticality"] <= 1 for task in document["tasks"])
    assert document["tasks"][0] == {"id": "design", "criticality": 1.0, "correlation": None}


def test_a_long_histogram_groups_days(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        """
plan: test
start: 2025-06-16
calendars:
  default: {workdays: all, hours: ["00:00-24:00"]}
tasks:
  - {id: a, estimate: {optimistic: 1d, likely: 2d, pessimistic: 60d}, distribution: triangular}
"""
    )
    lines = [line.plain for line in histogram(simulate(analysis, 2000, seed=5))]
    assert lines[0] == "Finish of the plan over 2,000 runs"
    assert 2 < len(lines) - 1 <= 20
    assert lines[1].startswith("  Tue 17 Jun – Thu 19 Jun  ")
    counts = [
        int(line.split()[-3 if "←" not in line else -5].replace(",", "")) for line in lines[1:]
    ]
    assert sum(counts) == 2000
