"""Monte Carlo risk against analytic answers, with tolerances set from the run count.

The analytic plans run round the clock (``1d`` is 1,440 minutes and a finish is the start
plus the work), so each answer is a textbook formula: the CDF of a triangular task, the
mean and variance of a sum, the distribution of a maximum. A tolerance is five standard
errors of the estimate at the number of runs: a correct simulation fails it about once in
two million seeds, a wrong one by far more.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pytest

from cutover.common.errors import UsageError
from cutover.findings.pipeline import analyse, check_plan
from cutover.risk import montecarlo
from cutover.risk.montecarlo import (
    DEFAULT_SEED,
    gate,
    parse_probability,
    percent,
    simulate,
    unlikely_findings,
)
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from cutover.findings.pipeline import Analysis
    from cutover.risk.montecarlo import RiskResult
    from tests.conftest import Cli

RUNS = 20_000
MONDAY = AS_OF.replace(day=16, hour=8)
DAY = 1440
ROUND_THE_CLOCK = """
plan: analytic
start: 2025-06-16
calendars:
  default: {workdays: all, hours: ["00:00-24:00"]}
tasks:
"""


def triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    if x <= low:
        return 0.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    if x < high:
        return 1 - (high - x) ** 2 / ((high - low) * (high - mode))
    return 1.0


def share_tolerance(share: float, runs: int = RUNS) -> float:
    """Five standard errors of a share estimated from ``runs`` runs (and a minute's rounding)."""
    return 5 * math.sqrt(share * (1 - share) / runs) + 1e-3


def elapsed(result: RiskResult) -> np.ndarray:
    """The plan's finish in each run, in minutes after its start."""
    return result.finish.finishes - result.graph.start


def test_one_triangular_task_follows_its_cdf(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        ROUND_THE_CLOCK
        + """
  - id: a
    estimate: {optimistic: 1d, likely: 2d, pessimistic: 5d}
    distribution: triangular
    deadline: 2025-06-19T00:00
"""
    )
    result = simulate(analysis, RUNS, seed=1)
    (deadline,) = result.deadlines
    expected = triangular_cdf(3, 1, 2, 5)  # the deadline is three days after the start
    assert expected == pytest.approx(2 / 3)
    assert deadline.probability == pytest.approx(expected, abs=share_tolerance(expected))
    # Kolmogorov–Smirnov: the whole distribution, not one point (critical value at 0.1%).
    days = np.sort(elapsed(result)) / DAY
    cdf = np.array([triangular_cdf(x, 1, 2, 5) for x in days])
    steps = np.arange(1, RUNS + 1) / RUNS
    assert max(np.abs(steps - cdf).max(), np.abs(steps - 1 / RUNS - cdf).max()) < 1.95 / math.sqrt(
        RUNS
    )
    # P50: F(x) = 1/2 above the mode, x = 5 - sqrt(6); its standard error is sqrt(pq/n)/f(x).
    median = 5 - math.sqrt(6)
    density = 2 * (5 - median) / (4 * 3)
    p50 = (deadline.percentiles[0] - result.graph.start) / DAY
    assert p50 == pytest.approx(median, abs=5 * math.sqrt(0.25 / RUNS) / density)


def test_a_long_chain_has_the_mean_and_variance_of_the_sum(
    plan_analysis: Callable[..., Analysis],
) -> None:
    count = 25
    lines = []
    mean = variance = 0.0
    for index in range(count):
        low, mode, high = 120, 240, 720 + 60 * (index % 3)
        after = f", after: [t{index - 1}]" if index else ""
        if index % 2:  # triangular
            kind = ", distribution: triangular"
            mean += (low + mode + high) / 3
            variance += (low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18
        else:  # Beta-PERT, λ = 4: mean (a + 4m + b)/6, variance (μ - a)(b - μ)/7
            kind = ""
            mu = (low + 4 * mode + high) / 6
            mean += mu
            variance += (mu - low) * (high - mu) / 7
        lines.append(
            f"  - {{id: t{index}, estimate: {{optimistic: {low}m, likely: {mode}m, "
            f"pessimistic: {high}m}}{kind}{after}}}"
        )
    analysis = plan_analysis(ROUND_THE_CLOCK + "\n".join(lines) + "\n")
    result = simulate(analysis, RUNS, seed=2)
    total = elapsed(result).astype(float)
    sd = math.sqrt(variance)
    assert total.mean() == pytest.approx(mean, abs=5 * sd / math.sqrt(RUNS))
    # The sum is close to normal: the variance of s² is about 2σ⁴/n.
    assert total.var() == pytest.approx(variance, abs=5 * variance * math.sqrt(2 / RUNS))
    # Every task is on the one path in every run.
    assert all(share == 1.0 for share in result.criticality)


def test_two_parallel_tasks_finish_with_the_later_one(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        ROUND_THE_CLOCK
        + """
  - {id: a, estimate: {optimistic: 1d, likely: 2d, pessimistic: 4d}, distribution: triangular}
  - {id: b, estimate: {optimistic: 36h, likely: 2d, pessimistic: 3d}, distribution: triangular}
  - {id: m, milestone: true, after: [a, b], deadline: 2025-06-18T12:00}
"""
    )
    result = simulate(analysis, RUNS, seed=3)
    (deadline,) = result.deadlines
    # P(max(A, B) <= t) = F_A(t) F_B(t), at t = 2.5 days.
    expected = triangular_cdf(2.5, 1, 2, 4) * triangular_cdf(2.5, 1.5, 2, 3)
    assert expected == pytest.approx(0.625 * 5 / 6)
    assert deadline.probability == pytest.approx(expected, abs=share_tolerance(expected))
    # Total slack counts the deadline too (PLAN_FORMAT): A is critical when it is the later
    # one, or when it alone misses the deadline: ∫ f_A(x) (F_B(x) + [x > t](1 - F_B(x))) dx.
    grid = np.linspace(1, 4, 3001)
    cdf_a = np.array([triangular_cdf(x, 1, 2, 4) for x in grid])
    cdf_b = np.array([triangular_cdf(x, 1.5, 2, 3) for x in grid])
    middle = (grid[1:] + grid[:-1]) / 2
    late = middle > 2.5
    b_at = (cdf_b[1:] + cdf_b[:-1]) / 2
    a_at = (cdf_a[1:] + cdf_a[:-1]) / 2
    a_critical = float(np.sum(np.diff(cdf_a) * np.where(late, 1, b_at)))
    b_critical = float(np.sum(np.diff(cdf_b) * np.where(late, 1, a_at)))
    a, b, m = result.criticality
    assert a == pytest.approx(a_critical, abs=share_tolerance(a_critical))
    assert b == pytest.approx(b_critical, abs=share_tolerance(b_critical))
    assert m == 1.0


def test_the_task_with_the_widest_spread_drives_the_finish(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        ROUND_THE_CLOCK
        + """
  - {id: steady, estimate: {optimistic: 23h, likely: 1d, pessimistic: 25h}}
  - {id: wild, estimate: {optimistic: 1d, likely: 2d, pessimistic: 6d}, after: [steady]}
  - {id: fixed, duration: 1d, after: [wild]}
  - {id: mild, estimate: {optimistic: 20h, likely: 1d, pessimistic: 30h}, after: [fixed]}
"""
    )
    result = simulate(analysis, 5000, seed=4)
    drivers = [driver.task for driver in result.finish.drivers]
    assert drivers[:2] == ["wild", "mild"]
    wild, mild = result.finish.drivers[:2]
    # Independent terms of a sum: r_i = σ_i / σ_sum, so the shares add up to about one.
    assert wild.correlation > 0.9
    assert wild.correlation**2 + mild.correlation**2 == pytest.approx(1, abs=0.05)
    index = analysis.graph.index
    assert result.sensitivity[index["fixed"]] is None
    assert result.sensitivity[index["wild"]] == wild.correlation


def test_the_same_seed_gives_the_same_answer(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        ROUND_THE_CLOCK
        + """
  - {id: a, estimate: {optimistic: 1d, likely: 2d, pessimistic: 5d}, deadline: 2025-06-18}
  - {id: b, estimate: {optimistic: 1h, likely: 2h, pessimistic: 9h}, after: [a]}
"""
    )
    first, again = simulate(analysis, 3000, seed=9), simulate(analysis, 3000, seed=9)
    assert first.finish.finishes.tolist() == again.finish.finishes.tolist()
    assert first.deadlines[0].probability == again.deadlines[0].probability
    other = simulate(analysis, 3000, seed=10)
    assert other.finish.finishes.tolist() != first.finish.finishes.tolist()
    default = simulate(analysis, 3000)
    assert default.seed == DEFAULT_SEED
    assert default.finish.finishes.tolist() == simulate(analysis, 3000).finish.finishes.tolist()


def test_without_uncertainty_every_run_is_the_schedule() -> None:
    """A plan without estimates: each deadline is met in all runs or in none."""
    analysis = analyse(ROOT / "examples" / "datacentre-easter.yaml", now=None)
    schedule, graph = analysis.schedule, analysis.graph
    result = simulate(analysis, 50)
    assert result.sampled == 0
    assert list(result.criticality) == [float(flag) for flag in schedule.critical]
    assert result.finish.percentiles == (schedule.finish,) * 3
    assert result.deadlines
    for outcome in result.deadlines:
        assert outcome.node is not None
        finish = schedule.early.finish[outcome.node]
        assert outcome.percentiles == (finish,) * 3
        deadline = graph.deadline[outcome.node]
        assert deadline is not None
        assert outcome.probability == (1.0 if finish <= deadline else 0.0)
        assert outcome.drivers == ()


def test_a_fixed_estimate_is_a_duration(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        """
plan: test
start: 2025-06-16
tasks:
  - {id: a, estimate: {optimistic: 2d, likely: 2d, pessimistic: 2d}, deadline: 2025-06-17}
  - {id: b, estimate: {optimistic: 1d, likely: 2d, pessimistic: 4d}, status: done}
""",
        MONDAY,
    )
    result = simulate(analysis, 100)
    assert result.sampled == 0  # a fixed estimate, and a done task, have nothing to sample
    assert result.deadlines[0].probability == 1.0


UNLIKELY_PLAN = """
plan: test
start: 2025-06-16
tasks:
  - {id: a, duration: 2d, deadline: 2025-06-16}
  - {id: b, estimate: {optimistic: 1d, likely: 2d, pessimistic: 4d}, after: [a],
     deadline: 2025-06-20}
  - {id: c, duration: 1d, deadline: 2025-06-30}
"""


def test_unlikely_findings_name_the_deadline_and_the_date_to_plan_for(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(UNLIKELY_PLAN)
    result = simulate(analysis, 100)
    findings = unlikely_findings(analysis, result, 0.8)
    assert [f.task for f in findings] == ["a"]
    (finding,) = findings
    assert (finding.code, finding.level, finding.location.line, finding.minutes) == (
        "unlikely",
        "error",
        4,
        480,
    )
    assert finding.message == (
        "meets its deadline (end of Mon 16 Jun 2025) in 0% of 100 runs, fewer than the 80% "
        "required; 80% of runs finish by Tue 17 Jun 2025 17:00, 1d of working time after it"
    )
    # b: 2d after a, so Thu 19 17:00 at the likely value; P(b <= 3d) for PERT(1, 2, 4) < 0.99.
    strict = unlikely_findings(analysis, result, 0.99)
    assert [f.task for f in strict] == ["a", "b"]
    assert unlikely_findings(analysis, result, 0.0) == []


def test_gate_adds_unlikely_findings_to_a_check(write_plan: Callable[..., Path]) -> None:
    path = write_plan(UNLIKELY_PLAN)
    check = check_plan(path, now=None, as_of=MONDAY)
    assert check.analysis is not None
    before = [(f.code, f.task) for f in check.analysis.findings]
    gated = gate(check, 0.8, runs=200)
    assert gated.analysis is not None
    after = [(f.code, f.task) for f in gated.analysis.findings]
    assert set(after) == {*before, ("unlikely", "a")}
    assert [f.level for f in gated.analysis.findings] == sorted(
        (f.level for f in gated.analysis.findings), key=lambda level: level != "error"
    )
    assert not gated.ok


@pytest.mark.parametrize(
    ("text", "share"), [("0.8", 0.8), ("80%", 0.8), (" 95% ", 0.95), ("1", 1.0), ("0", 0.0)]
)
def test_probabilities_are_shares_or_percentages(text: str, share: float) -> None:
    assert parse_probability(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["1.5", "-0.1", "eighty", "120%", ""])
def test_a_bad_probability_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match=re.escape("expected a probability such as 0.8 or 80%")):
        parse_probability(text)


def test_percentages_read_short() -> None:
    assert [percent(x) for x in (0.0, 0.8, 0.795, 1.0, 0.12345)] == [
        "0%",
        "80%",
        "79.5%",
        "100%",
        "12.3%",
    ]


def test_at_least_one_run(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(ROUND_THE_CLOCK + "  - {id: a, duration: 1d}\n")
    with pytest.raises(UsageError, match="--runs must be at least 1, got 0"):
        simulate(analysis, 0)


def test_a_negative_seed_is_refused(plan_analysis: Callable[..., Analysis], cli: Cli) -> None:
    """Was: numpy's ValueError escaped as an internal error (exit 3)."""
    analysis = plan_analysis(ROUND_THE_CLOCK + "  - {id: a, duration: 1d}\n")
    with pytest.raises(UsageError, match="--seed must be 0 or more, got -1"):
        simulate(analysis, 10, seed=-1)
    plan = ROOT / "examples" / "erp-go-live.yaml"
    for command in ("risk", "check"):
        extra = ("--min-probability", "0.5") if command == "check" else ()
        result = cli(command, str(plan), "--seed", "-1", *extra, env={"COLUMNS": "200"})
        assert result.exit_code == 2, result.output
        assert "Invalid value for '--seed'" in result.output


def test_more_runs_than_fit_in_memory_are_refused_with_the_largest_that_fit(
    plan_analysis: Callable[..., Analysis], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: --runs 100000000 ran for half an hour and took tens of GB."""
    analysis = plan_analysis(
        ROUND_THE_CLOCK + "  - {id: a, duration: 1d, deadline: 2025-06-20}\n"
    )  # one deadline and the plan's finish: two finishes kept per run
    assert montecarlo.largest_runs(2) == montecarlo.MAX_RUNS
    with pytest.raises(UsageError) as refused:
        simulate(analysis, 100_000_000)
    assert str(refused.value) == (
        "--runs 100,000,000 is more than this plan can run: it keeps 2 finishes per run "
        "(about 3.2 GB in all); the most is --runs 10,000,000"
    )
    monkeypatch.setattr(montecarlo, "MEMORY_BUDGET", 16 * 2 * 1_000)
    assert simulate(analysis, 1_000).runs == 1_000
    with pytest.raises(UsageError, match=r"the most is --runs 1,000$"):
        simulate(analysis, 1_001)


def test_the_runs_cap_refuses_on_the_command_line(cli: Cli) -> None:
    plan = ROOT / "examples" / "erp-go-live.yaml"
    result = cli("risk", str(plan), "--runs", "100000000")
    assert result.exit_code == 2
    assert "the most is --runs" in result.output
