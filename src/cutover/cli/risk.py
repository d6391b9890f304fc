"""``risk``, ``whatif`` and ``drivers``: how sure a date is, and why."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from cutover.cli.base import (
    AsOf,
    ExitCode,
    Lang,
    LevelOption,
    PlanPath,
    RiskThreshold,
    Runs,
    Seed,
    TranslatedCommand,
    analyse_file,
    app,
    boundary,
    console,
    parse_as_of,
    parse_duration,
    speak_for,
)
from cutover.common.i18n import n_

#: The heading these commands are listed under in ``cutover --help``.
PANEL = n_("Risk and explanations")


class ReportFormat(StrEnum):
    """Output formats of ``risk``, ``whatif`` and ``drivers``."""

    text = "text"
    json = "json"


ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def risk(
    plan: PlanPath,
    as_of: AsOf = None,
    runs: Runs = 10_000,
    seed: Seed = None,
    output_format: ReportFormatOption = ReportFormat.text,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """Monte Carlo: the chance of meeting each deadline, P50/P80/P95 dates and what drives them.

    \b
    Example:
      cutover risk plans/tuyenquang.yaml --runs 10000 --seed 7
    """
    from cutover.findings.states import task_states  # noqa: PLC0415
    from cutover.render import risk_report  # noqa: PLC0415
    from cutover.risk.montecarlo import simulate  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, risk_threshold, level=False)
    if analysis.graph.plan.level and analysis.graph.plan.resources:
        sys.stderr.write(
            "note: risk does not level resources in each run: it samples the unlevelled "
            "schedule, so these chances leave out waiting for busy teams (levelling "
            "10,000 runs would take minutes; run cutover level for the levelled dates)\n"
        )
    with boundary():
        result = simulate(analysis, runs, seed)
    states = task_states(analysis)
    if output_format is ReportFormat.json:
        typer.echo(risk_report.risk_json(result, states))
    else:
        risk_report.risk_text(result, console(), states)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def whatif(
    plan: PlanPath,
    delay: Annotated[
        list[str] | None,
        typer.Option(
            "--delay",
            metavar="TASK=DURATION",
            help="The task takes this much more working time (repeatable).",
            show_default=False,
        ),
    ] = None,
    done: Annotated[
        list[str] | None,
        typer.Option(
            "--done",
            metavar="TASK",
            help="The task (or every open task of a summary) is done at the status date "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOf = None,
    output_format: ReportFormatOption = ReportFormat.text,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """What if tasks slip or finish now: the new schedule, what moved, which deadlines break.

    The plan file is not changed. Exit status 1 when an error finding remains after the changes.

    \b
    Example:
      cutover whatif plans/tuyenquang.yaml --delay lgsp-sync=1d --done accounts
    """
    from cutover.planfile.loader import load_plan  # noqa: PLC0415
    from cutover.render import risk_report  # noqa: PLC0415
    from cutover.risk.whatif import apply, parse_delay  # noqa: PLC0415

    threshold = parse_duration(risk_threshold, "--risk-threshold")
    with boundary():
        delays = [parse_delay(item) for item in delay or []]
        loaded = load_plan(plan)
        speak_for(loaded.plan.language)  # before apply: it words the changes
        what = apply(
            loaded,
            delays=delays,
            done=done or [],
            as_of=parse_as_of(as_of),
            risk_threshold=threshold,
        )
    if output_format is ReportFormat.json:
        typer.echo(risk_report.whatif_json(what))
    else:
        risk_report.whatif_text(what, console())
    if not what.after.ok:
        raise typer.Exit(ExitCode.FINDINGS)


@app.command(cls=TranslatedCommand, name="drivers", rich_help_panel=PANEL)
def drivers_command(
    plan: PlanPath,
    task: Annotated[str, typer.Argument(help="The id of the task to explain.", show_default=False)],
    as_of: AsOf = None,
    output_format: ReportFormatOption = ReportFormat.text,
    level: LevelOption = None,
    lang: Lang = None,
) -> None:
    """What sets a task's date: the chain of links (each with its slack), and why it is critical.

    \b
    Example:
      cutover drivers plans/tuyenquang.yaml go-live
    """
    from cutover.findings.explain import drivers  # noqa: PLC0415
    from cutover.render import risk_report  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, level=level)
    with boundary():
        explanation = drivers(analysis.schedule, task)
    if output_format is ReportFormat.json:
        typer.echo(risk_report.drivers_json(explanation, analysis.schedule))
        return
    out = console()
    risk_report.drivers_text(explanation, analysis.schedule, out)
    if analysis.levelled is not None:
        from cutover.render.levelled import print_waits  # noqa: PLC0415

        print_waits(analysis.levelled, [step.task for step in explanation.chain], out)
