"""Schedule risk: Monte Carlo runs of the plan with three-point estimates.

``simulate(analysis, runs, seed)`` samples every task with an ``estimate`` (Beta-PERT with
λ = 4, or triangular), schedules all runs at once with ``sampling.Engine`` (the rules of the
deterministic schedule: calendars, links, tracking) and reports, for every deadline and for
the plan's finish, the probability of meeting it and its P50/P80/P95 dates; per task its
criticality index (share of runs in which it is critical: total slack ≤ 0, never when done
or cancelled) and what drives the risk.

*Drivers* are ranked by the Pearson correlation between a task's sampled duration and the
finish in question (a deadline's task, or the plan's finish), over the runs: the share of
that finish's spread the task explains. Tasks whose duration is fixed never drive; a
correlation below the noise of the run count (4/√runs, and at least 0.05) does not count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cutover.common.errors import UsageError
from cutover.common.i18n import _, current_language, ngettext
from cutover.engine.schedule import driving_chain
from cutover.findings.checks import ERROR, Details, Finding
from cutover.findings.pipeline import Analysis, PlanCheck
from cutover.findings.wording import deadline_text, number, when, work_amount
from cutover.risk.sampling import Engine

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from numpy.typing import NDArray

    from cutover.common.errors import SourceLocation
    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.risk.sampling import IntArray, Runs

DEFAULT_RUNS = 10_000
#: Without ``--seed`` every run of the command gives the same answer.
DEFAULT_SEED = 2025
QUANTILES = (0.5, 0.8, 0.95)
#: Nodes × runs scheduled at once: about 16 MB for each array kept per node.
_BATCH_CELLS = 2_000_000
#: Bytes the finishes kept for the percentiles may take: 8 per finish in question and run,
#: twice over while they are joined and sorted. Past this a run would swap, or fail after
#: many minutes, so it is refused at the start with the largest run count that fits.
MEMORY_BUDGET = 1 << 30
#: More runs than this add no precision worth the wait (±0.03 % on a chance).
MAX_RUNS = 10_000_000
_TOP_DRIVERS = 5


@dataclass(frozen=True, slots=True)
class Driver:
    """A task whose duration moves a finish: its id and the correlation of the two."""

    task: str
    correlation: float


@dataclass(frozen=True, eq=False)
class Outcome:
    """The finish of one task (or of the plan) over the runs, against its deadline."""

    task: str | None
    node: int | None
    deadline: int | None
    scheduled: int
    finishes: IntArray
    drivers: tuple[Driver, ...]

    @property
    def probability(self) -> float | None:
        """The share of runs that finish by the deadline (None without one)."""
        if self.deadline is None:
            return None
        return float(np.count_nonzero(self.finishes <= self.deadline)) / len(self.finishes)

    def quantile(self, share: float) -> int:
        """The earliest finish that ``share`` of the runs meet (P80 is ``quantile(0.8)``)."""
        return int(np.quantile(self.finishes, share, method="inverted_cdf"))

    @property
    def percentiles(self) -> tuple[int, int, int]:
        """P50, P80 and P95."""
        p50, p80, p95 = (self.quantile(share) for share in QUANTILES)
        return p50, p80, p95


@dataclass(frozen=True, eq=False)
class RiskResult:
    """What ``cutover risk`` reports: the finish, every deadline, and every task's share."""

    graph: TaskGraph
    as_of: int | None
    runs: int
    seed: int
    finish: Outcome
    deadlines: tuple[Outcome, ...]
    #: Per node (file order): share of runs in which it is critical.
    criticality: tuple[float, ...]
    #: Per node: correlation of its duration with the plan's finish (None when fixed).
    sensitivity: tuple[float | None, ...]
    sampled: int


class _Estimates:
    """The sampled tasks' three points in working minutes of their calendars."""

    def __init__(self, graph: TaskGraph) -> None:
        rows: list[tuple[int, int, int, int, bool]] = []
        for node in range(len(graph)):
            task = graph.task(node)
            if not graph.plain[node] or task.estimate is None or task.status == "done":
                continue
            calendar = graph.calendar[node]
            low, likely, high = (
                point.in_minutes(calendar.day_minutes, calendar.week_minutes)
                for point in (
                    task.estimate.optimistic,
                    task.estimate.likely,
                    task.estimate.pessimistic,
                )
            )
            if high > low:  # a fixed estimate is a duration
                rows.append((node, low, likely, high, task.distribution == "triangular"))
        self.nodes = [row[0] for row in rows]
        table = np.array([row[1:4] for row in rows], dtype=np.float64).reshape(-1, 3)
        self.low, self.likely, self.high = table[:, 0:1], table[:, 1:2], table[:, 2:3]
        self.triangular = np.array([row[4] for row in rows], dtype=bool)

    def draw(self, rng: np.random.Generator, size: int) -> IntArray:
        """One row per sampled task, one column per run, in whole working minutes (≥ 1)."""
        low, likely, high = self.low, self.likely, self.high
        span = high - low
        # Beta-PERT, λ = 4: α = 1 + 4(m−a)/(b−a), β = 1 + 4(b−m)/(b−a).
        alpha, beta = 1 + 4 * (likely - low) / span, 1 + 4 * (high - likely) / span
        values = low + span * rng.beta(alpha, beta, size=(len(self.nodes), size))
        tri = self.triangular
        if tri.any():
            values[tri] = rng.triangular(
                low[tri], likely[tri], high[tri], size=(int(tri.sum()), size)
            )
        return np.maximum(np.rint(values), 1).astype(np.int64)


def simulate(analysis: Analysis, runs: int = DEFAULT_RUNS, seed: int | None = None) -> RiskResult:
    """Schedule ``runs`` samples of the plan at its status date; the same seed, the same answer."""
    if runs < 1:
        raise UsageError(_("--runs must be at least 1, got {runs}").format(runs=runs))
    if seed is not None and seed < 0:
        raise UsageError(_("--seed must be 0 or more, got {seed}").format(seed=seed))
    seed = DEFAULT_SEED if seed is None else seed
    graph, schedule = analysis.graph, analysis.schedule
    targets = [
        node
        for node in range(len(graph))
        if graph.deadline[node] is not None and schedule.status[node] != "cancelled"
    ]
    _check_runs(runs, len(targets) + 1)
    engine = Engine(graph, schedule.as_of)
    estimates = _Estimates(graph)
    tally = _Tally(schedule, estimates.nodes, targets)
    rng = np.random.default_rng(seed)
    for size in _batches(runs, len(graph)):
        sample = estimates.draw(rng, size)
        tally.add(sample, engine.run(dict(zip(estimates.nodes, sample, strict=True)), size))
    return tally.result(runs, seed, estimates.nodes)


def largest_runs(finishes: int) -> int:
    """The most runs whose kept finishes (``finishes`` per run) fit in MEMORY_BUDGET."""
    return min(MAX_RUNS, MEMORY_BUDGET // (16 * max(finishes, 1)))


def _check_runs(runs: int, finishes: int) -> None:
    """Refuse, before any work, a run count that cannot fit in memory (or is pointless)."""
    largest = largest_runs(finishes)
    if runs > largest:
        need = runs * 16 * finishes / 1e9
        raise UsageError(
            ngettext(
                "--runs {runs:,} is more than this plan can run: it keeps {finishes:,} finish "
                "per run (about {need:,.1f} GB in all); the most is --runs {largest:,}",
                "--runs {runs:,} is more than this plan can run: it keeps {finishes:,} finishes "
                "per run (about {need:,.1f} GB in all); the most is --runs {largest:,}",
                finishes,
            ).format(runs=runs, finishes=finishes, need=need, largest=largest)
        )


def _batches(runs: int, nodes: int) -> Iterator[int]:
    size = max(64, _BATCH_CELLS // max(nodes, 1))
    for first in range(0, runs, size):
        yield min(size, runs - first)


class _Tally:
    """Sums over the batches: critical counts, finishes kept, moments for correlations."""

    def __init__(self, schedule: Schedule, sampled: list[int], targets: list[int]) -> None:
        self.schedule, self.targets = schedule, targets
        self.critical = np.zeros(len(schedule.graph), dtype=np.int64)
        self.finishes: list[list[IntArray]] = [[] for _ in range(len(targets) + 1)]
        # Centred on the planned values, so the sums stay small and exact enough.
        self.x_centre = np.array([schedule.graph.duration[node] for node in sampled], dtype=float)
        self.y_centre = np.array(
            [schedule.early.finish[node] for node in targets] + [schedule.finish], dtype=float
        )
        self.sx, self.sxx = np.zeros(len(sampled)), np.zeros(len(sampled))
        self.sy, self.syy = np.zeros(len(targets) + 1), np.zeros(len(targets) + 1)
        self.sxy = np.zeros((len(sampled), len(targets) + 1))
        self.count = 0

    def add(self, sample: IntArray, runs: Runs) -> None:
        self.critical += np.sum(runs.critical, axis=1)
        ends = [runs.finish[node] for node in self.targets] + [runs.plan_finish]
        for kept, end in zip(self.finishes, ends, strict=True):
            kept.append(end)
        x = sample - self.x_centre[:, None]
        y = np.array(ends, dtype=float) - self.y_centre[:, None]
        self.sx += x.sum(axis=1)
        self.sxx += (x * x).sum(axis=1)
        self.sy += y.sum(axis=1)
        self.syy += (y * y).sum(axis=1)
        self.sxy += x @ y.T
        self.count += len(runs.plan_finish)

    def correlations(self) -> NDArray[np.float64]:
        """Pearson's r of every sampled duration with every finish (NaN when one is fixed)."""
        n = self.count
        cov = self.sxy / n - np.outer(self.sx / n, self.sy / n)
        var_x = np.maximum(self.sxx / n - (self.sx / n) ** 2, 0)
        var_y = np.maximum(self.syy / n - (self.sy / n) ** 2, 0)
        scale = np.sqrt(np.outer(var_x, var_y))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(scale > 1e-9, cov / scale, np.nan)

    def result(self, runs: int, seed: int, sampled: list[int]) -> RiskResult:
        schedule = self.schedule
        graph = schedule.graph
        r = self.correlations()
        floor = max(0.05, 4 / math.sqrt(runs))

        def outcome(column: int, node: int | None) -> Outcome:
            values = r[:, column]
            rows = np.flatnonzero(values >= floor)  # NaN (a fixed finish) never is
            ranked = sorted((-float(values[row]), sampled[row]) for row in rows)
            return Outcome(
                task=None if node is None else graph.task(node).id,
                node=node,
                deadline=None if node is None else graph.deadline[node],
                scheduled=schedule.finish if node is None else schedule.early.finish[node],
                finishes=np.concatenate(self.finishes[column]),
                drivers=tuple(
                    Driver(graph.task(task).id, round(-value, 3))
                    for value, task in ranked[:_TOP_DRIVERS]
                ),
            )

        sensitivity: list[float | None] = [None] * len(graph)
        for row, node in enumerate(sampled):
            value = r[row, -1]
            sensitivity[node] = None if math.isnan(value) else round(float(value), 3)
        return RiskResult(
            graph=graph,
            as_of=schedule.as_of,
            runs=runs,
            seed=seed,
            finish=outcome(len(self.targets), None),
            deadlines=tuple(outcome(column, node) for column, node in enumerate(self.targets)),
            criticality=tuple(float(count) / runs for count in self.critical),
            sensitivity=tuple(sensitivity),
            sampled=len(sampled),
        )


def percent(share: float) -> str:
    """``80%``, ``79.5%``: one decimal only where it matters."""
    if current_language() != "en":
        return number(share * 100, decimals=1) + "%"  # "95,2%"
    return f"{share * 100:.1f}".removesuffix(".0") + "%"


def parse_probability(text: str) -> float:
    """``0.8`` or ``80%`` as a share between 0 and 1; anything else is a usage error."""
    value = text.strip()
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise UsageError(
            _("expected a probability such as 0.8 or 80%, got {text}").format(text=repr(text))
        )
    return share


def unlikely_findings(
    analysis: Analysis, result: RiskResult, min_probability: float
) -> list[Finding]:
    """An ``unlikely`` error for each open task whose deadline fewer runs meet than required."""
    schedule, graph = analysis.schedule, analysis.graph
    findings: list[Finding] = []
    for outcome in result.deadlines:
        node, deadline, share = outcome.node, outcome.deadline, outcome.probability
        assert node is not None
        assert deadline is not None
        assert share is not None
        if share >= min_probability or schedule.status[node] in {"done", "cancelled"}:
            continue
        needed = outcome.quantile(min_probability) if min_probability > 0 else deadline
        calendar = schedule.early.slack_calendar[node]
        gap = max(calendar.position(needed) - calendar.position(deadline), 0)
        location = graph.source.locate(graph.tasks[node].path)
        drivers = tuple(graph.task(step).id for step in driving_chain(schedule, node))
        worded = _unlikely_message(
            graph, node, _Miss(deadline, needed, gap, calendar.day_minutes),
            (share, min_probability, result.runs),
        )  # fmt: skip
        findings.append(
            Finding(
                code="unlikely",
                level=ERROR,
                task=graph.task(node).id,
                minutes=gap,
                # Worded when read, in the language spoken then (a plan's own, say).
                details=_details(worded, location, drivers),
            )
        )
    return findings


class _Miss(NamedTuple):
    """A deadline, when the required share of runs finish, and the working time between."""

    deadline: int
    needed: int
    gap: int
    day_minutes: int


def _details(
    worded: Callable[[], str], location: SourceLocation, drivers: tuple[str, ...]
) -> Callable[[], Details]:
    return lambda: (worded(), location, drivers)


def _unlikely_message(
    graph: TaskGraph, node: int, miss: _Miss, shares: tuple[float, float, int]
) -> Callable[[], str]:
    """The ``unlikely`` finding's sentence, worded when it is read."""
    share, min_probability, runs = shares

    def message() -> str:
        written = deadline_text(
            graph.timebase,
            miss.deadline,
            end_of_day=not hasattr(graph.task(node).deadline, "hour"),
        )
        text = _(
            "meets its deadline ({deadline}) in {share} of {runs} runs, fewer than the "
            "{required} required; {required} of runs finish by {when}"
        ).format(
            deadline=written,
            share=percent(share),
            runs=number(runs, decimals=0),
            required=percent(min_probability),
            when=when(graph.timebase, miss.needed),
        )
        if miss.gap:
            text += _(", {amount} of working time after it").format(
                amount=work_amount(miss.gap, miss.day_minutes)
            )
        return text

    return message


def gate(
    check: PlanCheck, min_probability: float, runs: int = DEFAULT_RUNS, seed: int | None = None
) -> PlanCheck:
    """``check --min-probability``: the plan's findings with its ``unlikely`` ones added."""
    analysis = check.analysis
    if analysis is None:
        return check
    result = simulate(analysis, runs, seed)
    findings = analysis.findings + unlikely_findings(analysis, result, min_probability)
    index = analysis.graph.index
    findings.sort(  # the order of ``run_checks``: errors first, the worst first, file order
        key=lambda f: (
            f.level != ERROR,
            -(f.minutes or 0) if f.level == ERROR else 0,
            index[f.task],
        )
    )
    updated = Analysis(analysis.loaded, analysis.graph, analysis.schedule, findings)
    return PlanCheck(check.file, updated, check.diagnostics)
