"""``status``, ``rollup``, ``diff``, ``new``, ``update``, ``convert``: many plans, changes."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cutover.cli.base import (
    AsOf,
    ExitCode,
    FailOn,
    FailPolicy,
    Lang,
    PlanPaths,
    RiskThreshold,
    TranslatedCommand,
    app,
    boundary,
    clock_now,
    clock_unless_plan,
    console,
    parse_as_of,
    parse_duration,
    print_update,
    speak_for,
)
from cutover.cli.gate import plan_files
from cutover.common.i18n import n_

if TYPE_CHECKING:
    from cutover.findings.pipeline import PlanCheck


#: The heading these commands are listed under in ``cutover --help``.
PANEL = n_("Many plans and their changes")
#: A file a command writes, which it never replaces without ``--force``.
NewFile = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (default and -: stdout).", show_default=False
    ),
]
Force = Annotated[
    bool,
    typer.Option("--force/--no-force", help="Replace an existing file.", show_default=False),
]


def refuse_to_replace(output: Path | None, *, force: bool) -> None:
    """A usage error (exit 2) when ``output`` is a file and ``--force`` was not given.

    A device or a FIFO (``/dev/stdout``, a named pipe) is written through, not replaced, and
    ``-`` is standard output: neither needs ``--force``.
    """
    if output is not None and str(output) != "-" and output.is_file() and not force:
        from cutover.common.i18n import _  # noqa: PLC0415

        raise typer.BadParameter(
            _("{file} exists: choose another file, or --force").format(file=output),
            param_hint="'--output'",
        )


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


class DiffFormat(StrEnum):
    """Output formats of ``diff``."""

    text = "text"
    json = "json"


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def status(
    plans: PlanPaths,
    as_of: AsOf = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.text,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """The committee's summary: tasks done, delayed, within their deadline, per system.

    Also the forecast finish against the final deadline, and the task with the least
    deadline slack with what drives it.

    \b
    Example:
      cutover status plans/tuyenquang.yaml
    """
    from cutover.portfolio.rollup import plan_status  # noqa: PLC0415
    from cutover.render import status as views  # noqa: PLC0415

    results = check_all(plans, as_of, risk_threshold)
    statuses = [plan_status(result) for result in results if not result.invalid]
    invalid = [result for result in results if result.invalid]
    if output_format is StatusFormat.json:
        typer.echo(views.status_json(statuses, invalid))
    elif output_format is StatusFormat.md:
        typer.echo(views.status_markdown(statuses, invalid), nl=False)
    else:
        views.print_status(statuses, invalid, console())
    if invalid:
        raise typer.Exit(ExitCode.INVALID)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def rollup(
    plans: PlanPaths,
    as_of: AsOf = None,
    output_format: Annotated[
        RollupFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RollupFormat.text,
    fail_on: FailOn = FailPolicy.error,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """One row per plan, riskiest first, with the totals across all of them.

    Exit status as check, so it can gate CI for the whole country.

    \b
    Example:
      cutover rollup plans/ --as-of 2025-06-26T09:00
    """
    from cutover.findings.pipeline import outcome  # noqa: PLC0415
    from cutover.portfolio.rollup import rollup as roll  # noqa: PLC0415
    from cutover.render import status as views  # noqa: PLC0415

    results = check_all(plans, as_of, risk_threshold)
    statuses, totals = roll(results)
    invalid = [result for result in results if result.invalid]
    if output_format is RollupFormat.json:
        typer.echo(views.rollup_json(statuses, totals, invalid))
    elif output_format is RollupFormat.md:
        typer.echo(views.rollup_markdown(statuses, totals, invalid), nl=False)
    elif output_format is RollupFormat.csv:
        sys.stdout.write(views.rollup_csv(statuses, totals, invalid))
    else:
        views.print_rollup(statuses, totals, invalid, console())
    verdict = outcome(results, fail_on.value)
    if verdict != "ok":
        raise typer.Exit(ExitCode.INVALID if verdict == "invalid" else ExitCode.FINDINGS)


def check_all(plans: list[Path], as_of: str | None, risk_threshold: str = "1d") -> list[PlanCheck]:
    """Check every plan for ``status`` and ``rollup`` (an invalid one is a result too)."""
    from cutover.findings.pipeline import check_plan  # noqa: PLC0415

    threshold = parse_duration(risk_threshold, "--risk-threshold")
    with boundary():
        files = plan_files(plans, skip_non_plans=False)
        status_date = parse_as_of(as_of)
        now = clock_unless_plan(as_of)
        results = [
            check_plan(path, now=now, as_of=status_date, risk_threshold=threshold) for path in files
        ]
    speak_for(*(r.analysis.loaded.plan.language for r in results if r.analysis is not None))
    return results


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
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
    lang: Lang = None,
) -> None:
    """Compare two versions of a plan after scheduling them: tasks, dates, slack, findings.

    Each version is scheduled at --as-of, or else at its own as_of.

    \b
    Example:
      cutover diff HEAD~1:plans/tuyenquang.yaml plans/tuyenquang.yaml
    """
    from cutover.findings.pipeline import analyse_loaded  # noqa: PLC0415
    from cutover.planfile.revisions import load_spec  # noqa: PLC0415
    from cutover.portfolio.diffing import diff_plans  # noqa: PLC0415
    from cutover.render.diff_report import diff_json, print_diff  # noqa: PLC0415

    with boundary():
        status_date = parse_as_of(as_of)
        old_plan, new_plan = load_spec(old), load_spec(new)
        speak_for(new_plan.plan.language, old_plan.plan.language)
        before = analyse_loaded(old_plan, now=None, as_of=status_date)
        after = analyse_loaded(new_plan, now=None, as_of=status_date)
        result = diff_plans(before, after)
    if output_format is DiffFormat.json:
        typer.echo(diff_json(result, old, new))
    else:
        print_diff(result, old, new, console())


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def new(
    template: Annotated[
        Path,
        typer.Option("--template", "-t", help="The template plan to adapt.", show_default=False),
    ],
    name: Annotated[
        str, typer.Option("--name", "-n", help="The new plan's name.", show_default=False)
    ],
    output: NewFile = None,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """Start a plan from a template: it extends the template and lists its tasks to adapt.

    \b
    Example:
      cutover new -t plans/templates/national-2025.yaml -n "Hà Giang" -o plans/hagiang.yaml
    """
    from cutover.common.files import write_output  # noqa: PLC0415
    from cutover.portfolio.scaffold import new_plan_text  # noqa: PLC0415

    with boundary():
        refuse_to_replace(output, force=force)
        if output is None or str(output) == "-":
            write_output("-", new_plan_text(template, name, None))
            return
        write_output(output, new_plan_text(template, name, output))
    from cutover.common.i18n import _  # noqa: PLC0415

    message = _("wrote {file}: fill in the owners and the status, then cutover check {file}")
    sys.stderr.write(message.format(file=output) + "\n")


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def update(
    plan: Annotated[Path, typer.Argument(help="The plan file to change.", show_default=False)],
    task: Annotated[str, typer.Argument(help="The id of the task.", show_default=False)],
    done: Annotated[
        bool,
        typer.Option(
            "--done", help="Mark it done (finished --on T, default today).", show_default=False
        ),
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar="T", help="With --done: when it finished.", show_default=False
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="T", help="Started at T: status in_progress.", show_default=False
        ),
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
    lang: Lang = None,
) -> None:
    """Record progress in the plan file itself, changing only that task's lines.

    T is YYYY-MM-DD, YYYY-MM-DDTHH:MM or today. The plan is validated before it is written,
    and the file is left as it was if the change would make it invalid.

    \b
    Example:
      cutover update plans/tuyenquang.yaml accounts --done --on 2025-06-26T11:00
    """
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.portfolio.editing import Change, InvalidChangeError, update_plan  # noqa: PLC0415

    change = Change(done=done, on=on, start=start, progress=progress, status=new_status)
    with boundary():
        try:
            result = update_plan(plan, task, change, today=clock_now())
        except InvalidChangeError:
            message = _("the change was not written: it would make the plan invalid")
            sys.stderr.write(message + "\n")
            raise
    print_update(result)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def convert(
    plan: Annotated[Path, typer.Argument(help="The plan file (YAML or JSON).", show_default=False)],
    output: NewFile = None,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """Write a plan as JSON, which cutover reads several times faster than YAML.

    The plan is validated first; the JSON means exactly what the YAML meant (YAML 1.1's
    reading of no, 010 or 2025-06-30 is kept). Comments are not carried over; a template
    the plan ``extends`` is found from the new file's folder.

    \b
    Example:
      cutover convert plans/national.yaml -o plans/national.json
    """
    from cutover.common.files import write_output  # noqa: PLC0415
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.planfile.jsondoc import plan_json  # noqa: PLC0415
    from cutover.planfile.loader import load_plan_document  # noqa: PLC0415
    from cutover.planfile.templates import rebase_extends  # noqa: PLC0415

    with boundary():
        refuse_to_replace(output, force=force)
        document, _source = load_plan_document(plan)
        if output is None or str(output) == "-":
            write_output("-", plan_json(document))
            return
        document = rebase_extends(document, plan.parent, output.parent)
        write_output(output, plan_json(document))
    sys.stderr.write(_("wrote {file}").format(file=output) + "\n")
