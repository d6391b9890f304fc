"""The ``cutover`` command line: parse options, call the core once, render, return an exit code.

Only typer and the standard library are imported here at start-up, so ``cutover --help``
stays instant; each command imports what it needs. ``main`` is the one error boundary:
a bad plan exits 2 with located messages, never a traceback.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console

    from cutover.durations import Duration
    from cutover.errors import CutoverError
    from cutover.pipeline import Analysis, PlanCheck
    from cutover.render.outputs import Output


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


class ScheduleFormat(StrEnum):
    """Output formats of ``schedule``."""

    table = "table"
    json = "json"
    csv = "csv"


class Scale(StrEnum):
    """Time scales of the Gantt chart."""

    auto = "auto"
    hour = "hour"
    day = "day"
    week = "week"


app = typer.Typer(
    name="cutover",
    help="Deadline and cutover planner: critical path, slack and Gantt charts for go-live plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # noqa: PLC0415 - only for --version

        typer.echo(f"cutover {version('cutover')}")
        raise typer.Exit


@app.callback()
def _root(
    _version_flag: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan a cutover in YAML: critical path, slack, Gantt chart, and a CI gate on deadlines."""


# -- option parsing --------------------------------------------------------------------------


def _parse_as_of(value: str | None) -> date | datetime | None:
    if value is None or value == "":
        return None
    if value.strip().lower() == "now":
        return _now()
    from cutover.timepoints import TimepointError, parse_timepoint  # noqa: PLC0415

    try:
        return parse_timepoint(value)
    except TimepointError as exc:
        raise typer.BadParameter(str(exc)) from None


def _parse_duration(value: str) -> Duration:
    from cutover.durations import DurationError, parse_duration  # noqa: PLC0415

    try:
        return parse_duration(value)
    except DurationError as exc:
        raise typer.BadParameter(str(exc)) from None


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        envvar="CUTOVER_AS_OF",
        help="Status date: YYYY-MM-DD, YYYY-MM-DDTHH:MM (in the plan's time zone) or 'now'. "
        "Default: the plan's as_of; without one, check uses now and schedule/gantt show the "
        "plan as planned.",
        show_default=False,
    ),
]
RiskThreshold = Annotated[
    str,
    typer.Option(
        "--risk-threshold",
        help="Warn (at-risk) when a deadline is met by less working time than this.",
    ),
]


def _now() -> datetime:
    """The one place that reads the clock: the default status date."""
    return datetime.now(UTC)


def _console(*, stderr: bool = False, width: int | None = None) -> Console:
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False)


# -- commands --------------------------------------------------------------------------------


Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format, to stdout or to a file with FMT:FILE; repeat for several: "
        "text, json, junit, github, markdown, codequality.",
        show_default=False,
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
MaxFindings = Annotated[
    int,
    typer.Option(
        "--max-findings", help="Text format: at most this many findings per plan (0: all)."
    ),
]
SkipNonPlans = Annotated[
    bool,
    typer.Option(
        "--skip-non-plans",
        help="In folders, skip YAML files without the top-level keys plan and tasks.",
    ),
]


@app.command()
def check(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
    ],
    as_of: AsOf = None,
    output_format: Formats = None,
    risk_threshold: RiskThreshold = "1d",
    fail_on: FailOn = FailPolicy.error,
    lint: Annotated[
        bool, typer.Option("--lint", help="Also report the six-clarities lint (see lint).")
    ] = False,
    max_findings: MaxFindings = 50,
    skip_non_plans: SkipNonPlans = False,
    min_probability: Annotated[
        str | None,
        typer.Option(
            "--min-probability",
            help="Also simulate each plan (see risk) and report an error (unlikely) for each "
            "deadline met in fewer runs than this share: 0.8 or 80%.",
            show_default=False,
        ),
    ] = None,
    runs: Runs = 10_000,
    seed: Seed = None,
) -> None:
    """Schedule each plan and report late, at-risk and missed deadlines.

    Exit status: 0 no error finding, 1 at least one error finding, 2 a plan is invalid.

    Example: [bold]cutover check plans/ --as-of 2025-06-26T09:00 -f text -f junit:report.xml[/bold]
    """
    from cutover.pipeline import check_plan  # noqa: PLC0415

    with _boundary():
        outputs = _outputs(output_format)
        files = _plan_files(plans, skip_non_plans=skip_non_plans)
        status_date = _parse_as_of(as_of)
        threshold = _parse_duration(risk_threshold)
        now = _now()
        results = [
            check_plan(path, now=now, as_of=status_date, risk_threshold=threshold, lint=lint)
            for path in files
        ]
        if min_probability is not None:
            from cutover.risk import gate, parse_probability  # noqa: PLC0415

            share = parse_probability(min_probability)
            results = [gate(result, share, runs, seed) for result in results]
    _finish(results, outputs, fail_on, max_findings)


@app.command(name="lint")
def lint_command(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
    ],
    output_format: Formats = None,
    fail_on: FailOn = FailPolicy.error,
    max_findings: MaxFindings = 50,
    skip_non_plans: SkipNonPlans = False,
) -> None:
    """Six clarities: warn about every task without an owner, deliverable, approver or deadline.

    The steering committee's rule: a clear person, task, time, responsibility, result and
    authority for every task. A plan's [bold]require: [owner, ...][/bold] makes those errors.
    Codes: missing-owner, missing-deliverable, missing-approver, missing-deadline.

    Example: [bold]cutover lint plans/[/bold]
    """
    from cutover.pipeline import lint_plan  # noqa: PLC0415

    with _boundary():
        outputs = _outputs(output_format)
        results = [lint_plan(path) for path in _plan_files(plans, skip_non_plans=skip_non_plans)]
    _finish(results, outputs, fail_on, max_findings)


def _outputs(values: list[str] | None) -> list[Output]:
    from cutover.render.outputs import parse_outputs  # noqa: PLC0415

    return parse_outputs(values or [])


def _plan_files(paths: list[Path], *, skip_non_plans: bool) -> list[Path]:
    from cutover.planfiles import plan_files  # noqa: PLC0415

    return plan_files(paths, skip_non_plans=skip_non_plans)


def _finish(
    results: list[PlanCheck], outputs: list[Output], fail_on: FailPolicy, max_findings: int
) -> None:
    """Write the reports and exit with the status the gate policy gives."""
    from cutover.pipeline import outcome  # noqa: PLC0415
    from cutover.render.outputs import write_outputs  # noqa: PLC0415

    with _boundary():
        write_outputs(outputs, results, _console(), limit=max_findings, fail_on=fail_on.value)
    verdict = outcome(results, fail_on.value)
    if verdict == "invalid":
        raise typer.Exit(ExitCode.INVALID)
    if verdict == "fail":
        raise typer.Exit(ExitCode.FINDINGS)


class DiffFormat(StrEnum):
    """Output formats of ``diff``."""

    text = "text"
    json = "json"


class StatusFormat(StrEnum):
    """Output formats of ``status``."""

    text = "text"
    json = "json"
    md = "md"


class RollupFormat(StrEnum):
    """Output formats of ``rollup``."""

    text = "text"
    json = "json"
    md = "md"
    csv = "csv"


@app.command()
def status(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
    ],
    as_of: AsOf = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.text,
) -> None:
    """The committee's summary: tasks done, delayed, within their deadline, per system.

    Also the forecast finish against the final deadline, and the task with the least
    deadline slack with what drives it.

    Example: [bold]cutover status plans/tuyenquang.yaml[/bold]
    """
    from cutover.portfolio import plan_status  # noqa: PLC0415
    from cutover.render import status as views  # noqa: PLC0415

    results = _check_all(plans, as_of)
    statuses = [plan_status(result) for result in results if not result.invalid]
    invalid = [result for result in results if result.invalid]
    if output_format is StatusFormat.json:
        typer.echo(views.status_json(statuses, invalid))
    elif output_format is StatusFormat.md:
        typer.echo(views.status_markdown(statuses, invalid), nl=False)
    else:
        views.print_status(statuses, invalid, _console())
    if invalid:
        raise typer.Exit(ExitCode.INVALID)


@app.command()
def rollup(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
    ],
    as_of: AsOf = None,
    output_format: Annotated[
        RollupFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RollupFormat.text,
    fail_on: FailOn = FailPolicy.error,
) -> None:
    """One row per plan, riskiest first, with the totals across all of them.

    Exit status as check, so it can gate CI for the whole country.

    Example: [bold]cutover rollup plans/ --as-of 2025-06-26T09:00[/bold]
    """
    from cutover.pipeline import outcome  # noqa: PLC0415
    from cutover.portfolio import rollup as roll  # noqa: PLC0415
    from cutover.render import status as views  # noqa: PLC0415

    results = _check_all(plans, as_of)
    statuses, totals = roll(results)
    invalid = [result for result in results if result.invalid]
    if output_format is RollupFormat.json:
        typer.echo(views.rollup_json(statuses, totals, invalid))
    elif output_format is RollupFormat.md:
        typer.echo(views.rollup_markdown(statuses, totals, invalid), nl=False)
    elif output_format is RollupFormat.csv:
        sys.stdout.write(views.rollup_csv(statuses, totals, invalid))
    else:
        views.print_rollup(statuses, totals, invalid, _console())
    verdict = outcome(results, fail_on.value)
    if verdict != "ok":
        raise typer.Exit(ExitCode.INVALID if verdict == "invalid" else ExitCode.FINDINGS)


def _check_all(plans: list[Path], as_of: str | None) -> list[PlanCheck]:
    from cutover.pipeline import check_plan  # noqa: PLC0415

    with _boundary():
        files = _plan_files(plans, skip_non_plans=False)
        status_date = _parse_as_of(as_of)
        now = _now()
        return [check_plan(path, now=now, as_of=status_date) for path in files]


@app.command()
def new(
    template: Annotated[
        Path,
        typer.Option("--template", "-t", help="The template plan to adapt.", show_default=False),
    ],
    name: Annotated[
        str, typer.Option("--name", "-n", help="The new plan's name.", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Start a plan from a template: it extends the template and lists its tasks to adapt.

    Example: [bold]cutover new -t plans/templates/national-2025.yaml -n "Hà Giang"
    -o plans/hagiang.yaml[/bold]
    """
    from cutover.files import atomic_write  # noqa: PLC0415
    from cutover.scaffold import new_plan_text  # noqa: PLC0415

    with _boundary():
        if output is not None and output.exists() and not force:
            raise typer.BadParameter(
                f"{output} exists: choose another file, or --force", param_hint="--output"
            )
        text = new_plan_text(template, name, output)
        if output is None:
            sys.stdout.write(text)
            return
        atomic_write(output, text)
    sys.stderr.write(
        f"wrote {output}: fill in the owners and the status, then cutover check {output}\n"
    )


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="The old plan: a file or REV:PATH (git).", show_default=False)
    ],
    new: Annotated[
        str, typer.Argument(help="The new plan: a file or REV:PATH (git).", show_default=False)
    ],
    as_of: AsOf = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
) -> None:
    """Compare two versions of a plan after scheduling them: tasks, dates, slack, findings.

    Each version is scheduled at --as-of, or else at its own as_of.

    Example: [bold]cutover diff HEAD~1:plans/tuyenquang.yaml plans/tuyenquang.yaml[/bold]
    """
    from cutover.diffing import diff_plans  # noqa: PLC0415
    from cutover.pipeline import analyse_loaded  # noqa: PLC0415
    from cutover.render.diff_report import diff_json, print_diff  # noqa: PLC0415
    from cutover.revisions import load_spec  # noqa: PLC0415

    with _boundary():
        status_date = _parse_as_of(as_of)
        before = analyse_loaded(load_spec(old), now=None, as_of=status_date)
        after = analyse_loaded(load_spec(new), now=None, as_of=status_date)
        result = diff_plans(before, after)
    if output_format is DiffFormat.json:
        typer.echo(diff_json(result, old, new))
    else:
        print_diff(result, old, new, _console())


@app.command()
def update(
    plan: Annotated[Path, typer.Argument(help="The plan file to change.", show_default=False)],
    task: Annotated[str, typer.Argument(help="The id of the task.", show_default=False)],
    done: Annotated[
        bool, typer.Option("--done", help="Mark it done (finished --on T, default today).")
    ] = False,
    on: Annotated[
        str | None, typer.Option("--on", help="With --done: when it finished.", show_default=False)
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Started at T: status in_progress.", show_default=False),
    ] = None,
    progress: Annotated[
        str | None, typer.Option("--progress", help="Share done, such as 60%.", show_default=False)
    ] = None,
    new_status: Annotated[
        str | None,
        typer.Option(
            "--status", help="not_started, in_progress, done or cancelled.", show_default=False
        ),
    ] = None,
) -> None:
    """Record progress in the plan file itself, changing only that task's lines.

    T is YYYY-MM-DD, YYYY-MM-DDTHH:MM or today. The plan is validated before it is written,
    and the file is left as it was if the change would make it invalid.

    Example: [bold]cutover update plans/tuyenquang.yaml accounts --done --on 2025-06-26T11:00[/bold]
    """
    from cutover.editing import Change, InvalidChangeError, update_plan  # noqa: PLC0415

    change = Change(done=done, on=on, start=start, progress=progress, status=new_status)
    with _boundary():
        try:
            result = update_plan(plan, task, change, today=_now())
        except InvalidChangeError:
            sys.stderr.write("the change was not written: it would make the plan invalid\n")
            raise
    if not result.changes:
        typer.echo(f"{result.file}: {result.task_id}: nothing to change")
        return
    for key_change in result.changes:
        typer.echo(f"{result.file}:{key_change.line}: {result.task_id}: {key_change}")


class ReportFormat(StrEnum):
    """Output formats of ``risk``, ``whatif`` and ``drivers``."""

    text = "text"
    json = "json"


Runs = Annotated[
    int,
    typer.Option("--runs", min=1, help="Monte Carlo runs (10,000 give about ±1% on a chance)."),
]
Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Random seed; the default (2025) gives the same answer every time.",
        show_default=False,
    ),
]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def risk(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    as_of: AsOf = None,
    runs: Runs = 10_000,
    seed: Seed = None,
    output_format: ReportFormatOption = ReportFormat.text,
) -> None:
    """Monte Carlo: the chance of meeting each deadline, P50/P80/P95 dates and what drives them.

    Example: [bold]cutover risk plans/tuyenquang.yaml --runs 10000 --seed 7[/bold]
    """
    from cutover.render import risk_report  # noqa: PLC0415
    from cutover.risk import simulate  # noqa: PLC0415

    analysis = _analyse(plan, as_of)
    with _boundary():
        result = simulate(analysis, runs, seed)
    if output_format is ReportFormat.json:
        typer.echo(risk_report.risk_json(result))
    else:
        risk_report.risk_text(result, _console())


@app.command()
def whatif(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    delay: Annotated[
        list[str] | None,
        typer.Option(
            "--delay",
            help="TASK=DURATION: the task takes this much more working time (repeatable).",
            show_default=False,
        ),
    ] = None,
    done: Annotated[
        list[str] | None,
        typer.Option(
            "--done",
            help="TASK: the task (or every open task of a summary) is done at the status date.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOf = None,
    output_format: ReportFormatOption = ReportFormat.text,
) -> None:
    """What if tasks slip or finish now: the new schedule, what moved, which deadlines break.

    The plan file is not changed. Exit status 1 when an error finding remains after the changes.

    Example: [bold]cutover whatif plans/tuyenquang.yaml --delay lgsp-sync=1d --done accounts[/bold]
    """
    from cutover.loader import load_plan  # noqa: PLC0415
    from cutover.render import risk_report  # noqa: PLC0415
    from cutover.whatif import apply, parse_delay  # noqa: PLC0415

    with _boundary():
        delays = [parse_delay(item) for item in delay or []]
        what = apply(load_plan(plan), delays=delays, done=done or [], as_of=_parse_as_of(as_of))
    if output_format is ReportFormat.json:
        typer.echo(risk_report.whatif_json(what))
    else:
        risk_report.whatif_text(what, _console())
    if not what.after.ok:
        raise typer.Exit(ExitCode.FINDINGS)


@app.command(name="drivers")
def drivers_command(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    task: Annotated[str, typer.Argument(help="The id of the task to explain.", show_default=False)],
    as_of: AsOf = None,
    output_format: ReportFormatOption = ReportFormat.text,
) -> None:
    """What sets a task's date: the chain of links (each with its slack), and why it is critical.

    Example: [bold]cutover drivers plans/tuyenquang.yaml go-live[/bold]
    """
    from cutover.explain import drivers  # noqa: PLC0415
    from cutover.render import risk_report  # noqa: PLC0415

    analysis = _analyse(plan, as_of)
    with _boundary():
        explanation = drivers(analysis.schedule, task)
    if output_format is ReportFormat.json:
        typer.echo(risk_report.drivers_json(explanation, analysis.schedule))
    else:
        risk_report.drivers_text(explanation, analysis.schedule, _console())


@app.command()
def schema() -> None:
    """Print the JSON Schema of the plan format, for editors and CI validators.

    Point yaml-language-server at it with a first line such as
    [bold]# yaml-language-server: $schema=../schema/plan.schema.json[/bold]
    """
    from cutover.schema import schema_text  # noqa: PLC0415

    typer.echo(schema_text(), nl=False)


@contextmanager
def _boundary() -> Iterator[None]:
    """Turn cutover's own errors into located messages on stderr and exit status 2."""
    from cutover.errors import CutoverError  # noqa: PLC0415 - tiny module

    try:
        yield
    except CutoverError as error:
        raise typer.Exit(_report_error(error)) from None


def _analyse(plan: Path, as_of: str | None) -> Analysis:
    from cutover.pipeline import analyse  # noqa: PLC0415

    with _boundary():
        return analyse(plan, now=None, as_of=_parse_as_of(as_of))


@app.command()
def schedule(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    as_of: AsOf = None,
    output_format: Annotated[
        ScheduleFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScheduleFormat.table,
) -> None:
    """Print the computed schedule: dates, slack, critical tasks.

    Example: [bold]cutover schedule plans/tuyenquang.yaml --format json --as-of 2025-06-26[/bold]
    """
    analysis = _analyse(plan, as_of)
    if output_format is ScheduleFormat.json:
        from cutover.render.report import dump_json  # noqa: PLC0415
        from cutover.rows import schedule_document  # noqa: PLC0415

        typer.echo(dump_json(schedule_document(analysis.schedule), len(analysis.graph)))
    elif output_format is ScheduleFormat.csv:
        from cutover.render.tables import schedule_csv  # noqa: PLC0415

        sys.stdout.write(schedule_csv(analysis.schedule))
    else:
        from cutover.render.tables import schedule_table  # noqa: PLC0415

        _console().print(schedule_table(analysis.schedule))


@app.command()
def gantt(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    as_of: AsOf = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day shown (YYYY-MM-DD).", show_default=False)
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day shown (YYYY-MM-DD).", show_default=False)
    ] = None,
    scale: Annotated[Scale, typer.Option("--scale", help="Time scale of the chart.")] = Scale.auto,
    width: Annotated[
        int | None,
        typer.Option("--width", min=40, help="Chart width in columns (default: the terminal's)."),
    ] = None,
) -> None:
    """Draw the plan as a Gantt chart in the terminal.

    Example: [bold]cutover gantt plans/tuyenquang.yaml --as-of 2025-06-26T09:00[/bold]
    """
    from cutover.render.gantt import GanttChart, GanttOptions  # noqa: PLC0415

    analysis = _analyse(plan, as_of)
    options = GanttOptions(
        start=_parse_as_of(start),
        end=_parse_as_of(end),
        scale=scale.value,
    )
    _console(width=width).print(GanttChart(analysis.schedule, options))


class Paper(StrEnum):
    """Paper sizes of the PDF export."""

    a4 = "a4"
    a3 = "a3"


@app.command()
def export(
    plan: Annotated[Path, typer.Argument(help="The plan file.", show_default=False)],
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="pdf, html, svg, csv, ics, mermaid, md or json (default: from -o's extension).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", show_default=False
        ),
    ] = None,
    as_of: AsOf = None,
    paper: Annotated[Paper, typer.Option("--paper", help="PDF paper size.")] = Paper.a4,
    portrait: Annotated[
        bool, typer.Option("--portrait", help="PDF in portrait (default landscape).")
    ] = False,
    excel: Annotated[bool, typer.Option("--excel", help="CSV with the BOM Excel wants.")] = False,
) -> None:
    """Export the schedule to print or share: PDF, HTML, SVG, CSV, iCalendar, Mermaid, Markdown.

    The file is written whole or not at all.

    Example: [bold]cutover export plans/tuyenquang.yaml -o schedule.pdf --as-of 2025-06-26[/bold]
    """
    from cutover.export import ExportOptions, export, write_export  # noqa: PLC0415

    analysis = _analyse(plan, as_of)
    with _boundary():
        options = ExportOptions(
            generated_at=_now(), paper=paper.value, landscape=not portrait, excel_bom=excel
        )
        if output is not None:
            chosen = write_export(analysis, output, output_format, options)
            sys.stderr.write(f"wrote {output} ({chosen})\n")
            return
        if output_format is None:
            raise typer.BadParameter(
                "give --format, or -o FILE with an extension", param_hint="--format"
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(export(analysis, output_format, options))


# -- the error boundary ----------------------------------------------------------------------


def _report_error(error: CutoverError) -> ExitCode:
    from cutover.errors import PlanError  # noqa: PLC0415

    if isinstance(error, PlanError):
        for diagnostic in error.diagnostics:
            sys.stderr.write(f"{diagnostic}\n")
        count = len(error.diagnostics)
        sys.stderr.write(f"{count} error{'s' if count != 1 else ''}: the plan is not valid\n")
    else:
        sys.stderr.write(f"error: {error}\n")
    return ExitCode.INVALID


class _Interrupted(BaseException):
    """^C, raised instead of KeyboardInterrupt, which click would turn into exit status 1."""


def _on_interrupt(_signum: int, _frame: object) -> NoReturn:
    raise _Interrupted


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command line; every failure becomes a message and an exit status."""
    from cutover.errors import CutoverError  # noqa: PLC0415 - tiny module

    signal.signal(signal.SIGINT, _on_interrupt)
    # A command lives for seconds and builds millions of small objects that reference
    # counting frees; the cyclic collector would re-scan them again and again.
    gc.disable()
    try:
        app(args=argv, prog_name="cutover", standalone_mode=True)
    except SystemExit:
        raise
    except CutoverError as error:
        sys.exit(_report_error(error))
    except _Interrupted:
        sys.stderr.write("interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (``cutover schedule ... | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the one boundary: no traceback reaches users
        sys.stderr.write(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in cutover; please report it with the plan that caused it.\n"
        )
        sys.exit(ExitCode.INTERNAL)
    sys.exit(ExitCode.OK)
