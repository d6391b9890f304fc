"""The command line's shared parts: the app, exit codes and common options.

Also the one place that reads the clock, the consoles, and the boundary that turns
cutover's errors into messages and exit status 2.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cutover import __version__
from cutover.cli.helptext import ThemedGroup

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console

    from cutover.common.errors import CutoverError
    from cutover.findings.pipeline import Analysis
    from cutover.worktime.durations import Duration


class ExitCode(IntEnum):
    """Exit statuses of PLAN_FORMAT's command-line contract (and two of our own)."""

    OK = 0
    FINDINGS = 1
    INVALID = 2
    INTERNAL = 3
    INTERRUPTED = 130


class FailPolicy(StrEnum):
    """``--fail-on``: which findings make ``check`` exit 1."""

    error = "error"
    warning = "warning"
    invalid = "invalid"


app = typer.Typer(
    name="cutover",
    help="Deadline and cutover planner: critical path, slack and Gantt charts for go-live plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help (see helptext): docstrings print as written, and --help stays fast.
    rich_markup_mode=None,
    cls=ThemedGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        # The package's own version, not an installed distribution's metadata: the
        # distribution is named cutover-planner, and "cutover" on PyPI is another project.
        typer.echo(f"cutover {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    _version_flag: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    allow_extends_from: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-extends-from",
            envvar="CUTOVER_ALLOW_EXTENDS_FROM",
            help="A folder outside the plan's git repository that extends may read templates "
            "from (repeatable). Without it a template must be in the plan's repository.",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """Plan a cutover in YAML: critical path, slack, Gantt chart, and a CI gate on deadlines."""
    # Imported only when needed (or to reset an earlier run in this process): --help stays fast.
    if allow_extends_from or "cutover.planfile.templates" in sys.modules:
        from cutover.planfile.templates import allow_extends_from as allow  # noqa: PLC0415

        allow(allow_extends_from or ())


#: ``--as-of plan``: each plan's own ``as_of``, and without one the plan as planned; never
#: the clock, so a commit hook gives a commit the same answer on every day.
PLAN_AS_OF = "plan"


def parse_as_of(value: str | None, option: str = "--as-of") -> date | datetime | None:
    """A status date from an option: ISO date or datetime, ``now`` or ``plan`` (None).

    Errors name ``option``.
    """
    if value is None or value == "" or value.strip().lower() == PLAN_AS_OF:
        return None
    if value.strip().lower() == "now":
        return clock_now()
    from cutover.worktime.timepoints import TimepointError, parse_timepoint  # noqa: PLC0415

    try:
        return parse_timepoint(value)
    except TimepointError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


def parse_duration(value: str, option: str) -> Duration:
    """A duration from an option, such as ``2d``; errors name ``option``."""
    from cutover.worktime.durations import DurationError, parse_duration  # noqa: PLC0415

    try:
        return parse_duration(value)
    except DurationError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


#: The argument of the commands that read one plan file.
PlanPath = Annotated[Path, typer.Argument(help="The plan file.", show_default=False)]

#: The argument of the commands that read many: files, or folders to look in.
PlanPaths = Annotated[
    list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="T",
        envvar="CUTOVER_AS_OF",
        help="Status date: YYYY-MM-DD, YYYY-MM-DDTHH:MM (in the plan's time zone) or 'now'. "
        "Default: the plan's as_of; without one, check uses now and schedule/gantt show the "
        "plan as planned. 'plan': the plan's as_of, else as planned, never now.",
        show_default=False,
    ),
]


RiskThreshold = Annotated[
    str,
    typer.Option(
        "--risk-threshold",
        metavar="DURATION",
        help="Warn (at-risk) when a deadline is met by less working time than this.",
    ),
]


FailOn = Annotated[
    FailPolicy,
    typer.Option(
        "--fail-on",
        envvar="CUTOVER_FAIL_ON",
        help="Exit 1 on error findings, on any finding (warning), or only exit 2 for an "
        "invalid plan (invalid).",
    ),
]


Runs = Annotated[
    int,
    typer.Option("--runs", min=1, help="Monte Carlo runs (10,000 give about ±1% on a chance)."),
]


Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        min=0,
        help="Random seed (0 or more); the default (2025) gives the same answer every time.",
        show_default=False,
    ),
]


LevelOption = Annotated[
    bool | None,
    typer.Option(
        "--level/--no-level",
        help="Use the resource-levelled schedule (default: as the plan's level: says).",
        show_default=False,
    ),
]


def clock_now() -> datetime:
    """The one place that reads the clock: the default status date."""
    return datetime.now(UTC)


def clock_unless_plan(as_of: str | None) -> datetime | None:
    """The status date of a plan without ``as_of``: now, or none at all for ``--as-of plan``."""
    if as_of is not None and as_of.strip().lower() == PLAN_AS_OF:
        return None
    return clock_now()


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A rich console for the command's output (stdout unless ``stderr``).

    Markup is off: plan text such as ``[/]`` or ``[link=…]`` is text, never a style or a
    crash (renderers style with ``Text``, not with markup in strings).
    """
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False, markup=False)


@contextmanager
def boundary() -> Iterator[None]:
    """Turn cutover's own errors into located messages on stderr and exit status 2."""
    from cutover.common.errors import CutoverError  # noqa: PLC0415 - tiny module

    try:
        yield
    except CutoverError as error:
        raise typer.Exit(report_error(error)) from None


def analyse_file(
    plan: Path,
    as_of: str | None,
    risk_threshold: str = "1d",
    *,
    level: bool | None = None,
    time_limit: float | None = None,
) -> Analysis:
    """Load, schedule and check one plan, as planned unless a status date is given.

    Views pass the ``--risk-threshold`` they were given, so they mark at risk exactly the
    tasks ``check`` would warn about with it. ``level``: level resources (None: as the plan
    says), searching ``time_limit`` seconds.
    """
    from cutover.findings.pipeline import analyse  # noqa: PLC0415

    threshold = parse_duration(risk_threshold, "--risk-threshold")
    with boundary():
        analysis = analyse(
            plan,
            now=None,
            as_of=parse_as_of(as_of),
            risk_threshold=threshold,
            level=level,
            time_limit=time_limit,
        )
    note_not_counted(analysis)
    return analysis


def note_not_counted(analysis: Analysis) -> None:
    """Say on stderr when recorded progress after the status date is not counted."""
    schedule = analysis.schedule
    if not schedule.not_counted or schedule.as_of is None:
        return
    ids = ", ".join(schedule.graph.task(node).id for node in schedule.not_counted)
    when = schedule.graph.timebase.naive(schedule.as_of).isoformat(sep=" ", timespec="minutes")
    sys.stderr.write(
        f"note: progress recorded after the status date {when} is not counted "
        f"(shown as it stood then): {ids}\n"
    )


def report_error(error: CutoverError) -> ExitCode:
    """Print an error of cutover's own (every diagnostic of a plan) and return exit 2."""
    from cutover.common.errors import PlanError  # noqa: PLC0415
    from cutover.common.text import display_message  # noqa: PLC0415

    if isinstance(error, PlanError):
        for diagnostic in error.diagnostics:
            sys.stderr.write(f"{diagnostic}\n")
        # A file or git revision that could not be read holds no plan to call invalid.
        if any(diagnostic.code != "unreadable" for diagnostic in error.diagnostics):
            count = len(error.diagnostics)
            sys.stderr.write(f"{count} error{'s' if count != 1 else ''}: the plan is not valid\n")
    else:
        sys.stderr.write(f"error: {display_message(str(error))}\n")
    return ExitCode.INVALID
