"""One call from a plan file to its schedule and findings: the flow every command shares.

plan file → load_plan → build_graph → build_schedule(as_of) → run_checks
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cutover.common.errors import CutoverError, Diagnostic, PlanError, UsageError
from cutover.common.i18n import _
from cutover.engine.graph import TaskGraph, build_graph
from cutover.engine.schedule import Schedule, build_schedule
from cutover.findings.checks import DEFAULT_RISK_THRESHOLD, Finding, run_checks
from cutover.planfile.loader import LoadedPlan, gc_paused, load_plan
from cutover.planfile.source import display_path
from cutover.worktime.calendars import CalendarRangeError
from cutover.worktime.timebase import MissingTimeError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from pathlib import Path

    from cutover.engine.resourcing import Levelled
    from cutover.worktime.durations import Duration


@dataclass(frozen=True, eq=False)
class Analysis:
    """A plan, its graph, its schedule at a status date and its findings.

    When the schedule is resource-levelled, ``levelled`` holds it beside the unlevelled
    one (``schedule`` is then the levelled one).
    """

    loaded: LoadedPlan
    graph: TaskGraph
    schedule: Schedule
    findings: list[Finding]
    levelled: Levelled | None = None

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(finding.is_error for finding in self.findings)


def status_minute(
    graph: TaskGraph, as_of: date | datetime | None, now: datetime | None
) -> int | None:
    """The status date: ``as_of`` given on the command line, else the plan's, else ``now``.

    ``now`` is passed in (the core never reads the clock); ``check`` passes the current time,
    while ``schedule`` passes None and shows a plan without a status date as planned. A
    naive ``as_of`` is in the plan's time zone and a date alone is the start of that day.
    """
    chosen = as_of if as_of is not None else graph.plan.as_of
    if chosen is None:
        if now is None:
            return None
        # The instant itself (a naive clock is the machine's): exact in a repeated hour too.
        return graph.timebase.minute(now if now.tzinfo is not None else now.astimezone())
    if isinstance(as_of, datetime):  # the plan's own as_of is validated with the plan
        try:
            graph.timebase.check_exists(as_of)
        except MissingTimeError as error:
            raise UsageError(f"--as-of: {error}") from None
    return graph.timebase.minute(chosen)


def analyse(
    path: Path | str,
    *,
    now: datetime | None,
    as_of: date | datetime | None = None,
    risk_threshold: Duration = DEFAULT_RISK_THRESHOLD,
    file: str | None = None,
    level: bool | None = None,
    time_limit: float | None = None,
) -> Analysis:
    """Load, schedule and check one plan file; raise PlanError if it is invalid.

    ``level`` levels resources (None: as the plan's ``level`` says), searching for at
    most ``time_limit`` seconds (None: levelling's default).
    """
    loaded = load_plan(path, file=file)
    return analyse_loaded(
        loaded,
        now=now,
        as_of=as_of,
        risk_threshold=risk_threshold,
        level=level,
        time_limit=time_limit,
    )


def schedule_plan(
    loaded: LoadedPlan, *, as_of: date | datetime | None, now: datetime | None
) -> tuple[TaskGraph, Schedule]:
    """Graph and schedule of a loaded plan; a date beyond the calendars is a located error."""
    try:
        graph = build_graph(loaded)
    except CalendarRangeError as error:
        where = loaded.source.locate(("start",))
        raise PlanError([Diagnostic("out-of-range", str(error), where)]) from None
    try:
        schedule = build_schedule(graph, status_minute(graph, as_of, now))
    except CalendarRangeError as error:
        raise _out_of_range(graph, error) from None
    # The graph as it stood at the status date (progress recorded later not counted).
    return schedule.graph, schedule


def _out_of_range(graph: TaskGraph, error: CalendarRangeError) -> PlanError:
    """A date beyond the calendar's years, located at the task being placed or checked."""
    node = error.node if error.node is not None else 0
    where = graph.source.locate(graph.tasks[node].path)
    message = _("task '{id}': {why}").format(id=graph.task(node).id, why=error)
    return PlanError([Diagnostic("out-of-range", message, where)])


def analyse_loaded(
    loaded: LoadedPlan,
    *,
    now: datetime | None,
    as_of: date | datetime | None = None,
    risk_threshold: Duration = DEFAULT_RISK_THRESHOLD,
    level: bool | None = None,
    time_limit: float | None = None,
) -> Analysis:
    """Schedule and check a plan that is already loaded (levelled: see ``analyse``)."""
    levelled = None
    with gc_paused():
        graph, schedule = schedule_plan(loaded, as_of=as_of, now=now)
        if wants_levelling(graph, level):
            levelled = level_schedule(schedule, time_limit)
            schedule = levelled.schedule
            graph = schedule.graph
        try:
            findings = run_checks(schedule, risk_threshold)
        except CalendarRangeError as error:
            raise _out_of_range(graph, error) from None
        if any(item.task.gate is not None for item in graph.tasks):
            from cutover.findings.gates import gate_findings  # noqa: PLC0415 - runbooks only

            findings.extend(gate_findings(schedule, risk_threshold))
            _sort_findings(findings, graph)
    return Analysis(loaded, graph, schedule, findings, levelled)


def wants_levelling(graph: TaskGraph, level: bool | None) -> bool:
    """Level when asked to (``--level``), else when the plan says ``level: true``.

    A plan without resources has nothing to level.
    """
    chosen = graph.plan.level if level is None else level
    return chosen and bool(graph.plan.resources)


def level_schedule(
    schedule: Schedule, time_limit: float | None = None, *, optimal: bool = False
) -> Levelled:
    """The schedule levelled (a date beyond the calendars is a located error).

    ``optimal``: then the exact solver, for as long again (OR-Tools, optional).
    """
    from cutover.engine import resourcing  # noqa: PLC0415 - plans with resources only
    from cutover.engine.exact import ExactUnavailableError  # noqa: PLC0415 - no OR-Tools import
    from cutover.engine.levelling import DEFAULT_TIME_LIMIT, LevellingError  # noqa: PLC0415

    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    graph = schedule.graph
    try:
        return resourcing.level(schedule, time_limit=limit, optimal=optimal)
    except CalendarRangeError as error:
        where = graph.source.locate(("resources",))
        raise PlanError([Diagnostic("out-of-range", str(error), where)]) from None
    except ExactUnavailableError as error:  # not the plan's fault: say it plainly
        raise CutoverError(str(error)) from None
    except LevellingError as error:
        where = graph.source.locate(("resources",))
        raise PlanError([Diagnostic("cannot-level", str(error), where)]) from None


def _sort_findings(findings: list[Finding], graph: TaskGraph) -> None:
    """Errors first, the worst first; then warnings in file order."""
    order = graph.index
    findings.sort(
        key=lambda f: (not f.is_error, -(f.minutes or 0) if f.is_error else 0, order[f.task])
    )


@dataclass(frozen=True, eq=False)
class PlanCheck:
    """The outcome of checking one plan file: its analysis, or why it is invalid."""

    file: str
    analysis: Analysis | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def invalid(self) -> bool:
        """True when the plan could not be scheduled."""
        return self.analysis is None

    @property
    def ok(self) -> bool:
        """True when the plan is valid and has no error finding."""
        return self.analysis is not None and self.analysis.ok

    @property
    def findings(self) -> list[Finding]:
        """The plan's findings, worst first (none for an invalid plan: see diagnostics)."""
        return [] if self.analysis is None else self.analysis.findings


def check_plan(
    path: Path,
    *,
    now: datetime | None,
    as_of: date | datetime | None = None,
    risk_threshold: Duration = DEFAULT_RISK_THRESHOLD,
    file: str | None = None,
    lint: bool = False,
    level: bool | None = None,
) -> PlanCheck:
    """Analyse one plan for ``check``: an invalid plan is a result, not an exception.

    The six-clarities lint adds its warnings with ``lint``; what the plan ``require``s is
    checked always, as errors.
    """
    name = file or display_path(path)
    try:
        analysis = analyse(
            path, now=now, as_of=as_of, risk_threshold=risk_threshold, file=name, level=level
        )
        add_lint(analysis, everything=lint)
    except PlanError as exc:
        return PlanCheck(name, None, tuple(exc.diagnostics))
    return PlanCheck(name, analysis)


def add_lint(analysis: Analysis, *, everything: bool) -> None:
    """Add six-clarities findings: all of them, or only the ones the plan requires."""
    require = analysis.graph.plan.require
    if not everything and not require:
        return
    from cutover.findings.lint import lint_schedule  # noqa: PLC0415 - small, only checks need it

    found = lint_schedule(analysis.schedule, require, only=None if everything else require)
    if found:
        analysis.findings.extend(found)
        _sort_findings(analysis.findings, analysis.graph)


#: ``--fail-on``: which findings fail a check (an invalid plan always does).
FAIL_ON = ("error", "warning", "invalid")


def outcome(results: Sequence[PlanCheck], fail_on: str = "error") -> str:
    """``invalid`` if a plan is invalid, else ``fail`` or ``ok`` under the gate policy."""
    if any(result.invalid for result in results):
        return "invalid"
    findings = [finding for result in results for finding in result.findings]
    if fail_on == "warning" and findings:
        return "fail"
    if fail_on == "error" and any(finding.is_error for finding in findings):
        return "fail"
    return "ok"


def lint_plan(path: Path, *, file: str | None = None) -> PlanCheck:
    """The six-clarities lint of one plan (scheduled as planned, to see its deadlines)."""
    from cutover.findings.lint import lint_schedule  # noqa: PLC0415

    name = file or display_path(path)
    try:
        loaded = load_plan(path, file=name)
        with gc_paused():
            graph, schedule = schedule_plan(loaded, as_of=None, now=None)
    except PlanError as exc:
        return PlanCheck(name, None, tuple(exc.diagnostics))
    findings = lint_schedule(schedule, loaded.plan.require)
    return PlanCheck(name, Analysis(loaded, graph, schedule, findings))
