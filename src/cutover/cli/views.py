"""``schedule``, ``gantt``, ``export`` and ``schema``: the plan shown and shared."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cutover.cli.base import (
    AsOf,
    Lang,
    LevelOption,
    PlanPath,
    RiskThreshold,
    TranslatedCommand,
    analyse_file,
    app,
    boundary,
    clock_now,
    console,
    parse_as_of,
)
from cutover.common.i18n import n_

#: The heading these commands are listed under in ``cutover --help``.
PANEL = n_("See and share a plan")


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


class Paper(StrEnum):
    """Paper sizes of the PDF export."""

    a4 = "a4"
    a3 = "a3"


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def schedule(
    plan: PlanPath,
    as_of: AsOf = None,
    output_format: Annotated[
        ScheduleFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScheduleFormat.table,
    level: LevelOption = None,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """Print the computed schedule: dates, slack, critical tasks.

    \b
    Example:
      cutover schedule plans/tuyenquang.yaml --format json --as-of 2025-06-26
    """
    analysis = analyse_file(plan, as_of, risk_threshold, level=level)
    if output_format is ScheduleFormat.json:
        from cutover.engine.rows import schedule_document  # noqa: PLC0415
        from cutover.findings.states import ordered, task_states  # noqa: PLC0415
        from cutover.render.report import dump_json  # noqa: PLC0415

        states = {
            task: [s.value for s in ordered(held)] for task, held in task_states(analysis).items()
        }
        document = schedule_document(analysis.schedule, states=states)
        typer.echo(dump_json(document, len(analysis.graph)))
    elif output_format is ScheduleFormat.csv:
        from cutover.render.tables import schedule_csv  # noqa: PLC0415

        sys.stdout.write(schedule_csv(analysis))
    else:
        from cutover.render.tables import schedule_table  # noqa: PLC0415

        console().print(schedule_table(analysis))


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def gantt(
    plan: PlanPath,
    as_of: AsOf = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="D", help="First day shown (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", metavar="D", help="Last day shown (YYYY-MM-DD).", show_default=False),
    ] = None,
    scale: Annotated[Scale, typer.Option("--scale", help="Time scale of the chart.")] = Scale.auto,
    width: Annotated[
        int | None,
        typer.Option("--width", min=40, help="Chart width in columns (default: the terminal's)."),
    ] = None,
    level: LevelOption = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            metavar="N",
            min=1,
            help="Show summary levels down to N (1: top level only).",
            show_default=False,
        ),
    ] = None,
    critical: Annotated[
        bool,
        typer.Option(
            "--critical/--all",
            help="Only the critical path and what is late or at risk, or every task.",
            show_default=False,
        ),
    ] = False,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            metavar="GLOB",
            help="Only tasks whose id or owner matches this glob (repeatable).",
            show_default=False,
        ),
    ] = None,
    risk_threshold: RiskThreshold = "1d",
    lang: Lang = None,
) -> None:
    """Draw the plan as a Gantt chart in the terminal.

    \b
    Example:
      cutover gantt plans/tuyenquang.yaml --as-of 2025-06-26T09:00
    """
    from cutover.render.gantt import GanttChart, GanttOptions, check_window  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, risk_threshold, level=level)
    options = GanttOptions(
        start=parse_as_of(start, "--from"),
        end=parse_as_of(end, "--to"),
        scale=scale.value,
        depth=depth,
        critical=critical,
        filters=tuple(filters or ()),
    )
    with boundary():
        check_window(analysis, options)
    out = console(width=width)
    chart = GanttChart(analysis, options)
    screen = out.size.height
    if out.is_terminal and sys.stdout.isatty() and len(chart.rows) + 8 > screen:
        # Taller than the terminal: page it, with the axis again on every screenful.
        from dataclasses import replace  # noqa: PLC0415

        chart = GanttChart(analysis, replace(options, repeat_axis=max(screen - 4, 5)))
        with out.pager(styles=True):
            out.print(chart)
        return
    out.print(chart)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def export(
    plan: PlanPath,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="pdf, html, svg, csv, ics, mermaid, md, json, mspdi (MS Project XML), tjp or xer "
            "(default: from -o's extension).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default and -: stdout).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOf = None,
    risk_threshold: RiskThreshold = "1d",
    paper: Annotated[Paper, typer.Option("--paper", help="PDF paper size.")] = Paper.a4,
    portrait: Annotated[
        bool,
        typer.Option(
            "--portrait/--landscape",
            help="PDF page orientation (default landscape).",
            show_default=False,
        ),
    ] = False,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel/--no-excel",
            help="CSV for Excel: a BOM, dates Excel reads as dates, formulas quoted.",
            show_default=False,
        ),
    ] = False,
    level: LevelOption = None,
    delimiter: Annotated[
        str,
        typer.Option("--delimiter", metavar="SEP", help="CSV separator: ',' ';' '|' or 'tab'."),
    ] = ",",
    lang: Lang = None,
) -> None:
    """Export the schedule to print or share: PDF, HTML, SVG, CSV, iCalendar, Mermaid, Markdown.

    Or to hand on to another tool: MS Project XML (mspdi), TaskJuggler (tjp), Primavera (xer).

    The file is written whole or not at all.

    \b
    Example:
      cutover export plans/tuyenquang.yaml -o schedule.pdf --as-of 2025-06-26
    """
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.export import ExportOptions, export, left_out, write_export  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, risk_threshold, level=level)
    with boundary():
        options = ExportOptions(
            generated_at=clock_now(),
            paper=paper.value,
            landscape=not portrait,
            excel_bom=excel,
            delimiter="\t" if delimiter.lower() == "tab" else delimiter,
        )
        if output is not None:
            chosen = write_export(analysis, output, output_format, options)
            _say_left_out(left_out(analysis, chosen))
            if str(output) != "-":
                sys.stderr.write(
                    _("wrote {file} ({format})").format(file=output, format=chosen) + "\n"
                )
            return
        if output_format is None:
            raise typer.BadParameter(
                _("give --format, or -o FILE with an extension"), param_hint="'--format'"
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(export(analysis, output_format, options))
        sys.stdout.flush()
        _say_left_out(left_out(analysis, output_format))


def _say_left_out(sentence: str | None) -> None:
    """What the export left out, on stderr (``export.left_out``)."""
    if sentence is not None:
        sys.stderr.write(sentence + "\n")


class LevelFormat(StrEnum):
    """Output formats of ``level``."""

    table = "table"
    json = "json"
    csv = "csv"


@app.command(name="level", cls=TranslatedCommand, rich_help_panel=PANEL)
def level_command(
    plan: PlanPath,
    as_of: AsOf = None,
    output_format: Annotated[
        LevelFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LevelFormat.table,
    time_limit: Annotated[
        str | None,
        typer.Option(
            "--time-limit",
            help="How long to search for a shorter schedule, such as 10s or 2m (default "
            "1.5s); longer never gives a worse one.",
            show_default=False,
        ),
    ] = None,
    optimal: Annotated[
        bool,
        typer.Option(
            "--optimal/--no-optimal",
            help="Then search for a proved optimum with OR-Tools CP-SAT, for as long again "
            "(pip install ortools; tasks on round-the-clock calendars only).",
        ),
    ] = False,
    lang: Lang = None,
) -> None:
    """Level resources: no team booked beyond its units; what moved, the new finish, what breaks.

    Links, lags, calendars, not_before and tracking are kept: done and in-progress tasks keep
    their dates and resources. Higher priority: goes first, then the least deadline slack.

    \b
    Example:
      cutover level plans/tuyenquang.yaml --as-of 2025-06-26 --time-limit 10s
    """
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.findings.pipeline import level_schedule  # noqa: PLC0415

    seconds = None if time_limit is None else parse_seconds(time_limit)
    analysis = analyse_file(plan, as_of, level=False)
    if not analysis.graph.plan.resources:
        sys.stderr.write(
            _("the plan has no resources: add resources: and allocate: to level") + "\n"
        )
        raise typer.Exit(2)
    with boundary():
        levelled = level_schedule(analysis.schedule, seconds, optimal=optimal)
    if output_format is LevelFormat.json:
        from cutover.engine.levelled_rows import levelled_document  # noqa: PLC0415
        from cutover.render.report import dump_json  # noqa: PLC0415

        typer.echo(dump_json(levelled_document(levelled), len(analysis.graph)))
    elif output_format is LevelFormat.csv:
        from cutover.engine.levelled_rows import levelled_csv  # noqa: PLC0415

        sys.stdout.write(levelled_csv(levelled))
    else:
        from cutover.render.levelled import print_levelled  # noqa: PLC0415

        print_levelled(levelled, console())


@app.command(name="resources", cls=TranslatedCommand, rich_help_panel=PANEL)
def resources_command(
    plan: PlanPath,
    as_of: AsOf = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Window start (YYYY-MM-DD[THH:MM]).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Window end (YYYY-MM-DD[THH:MM]).")
    ] = None,
    level: LevelOption = None,
    lang: Lang = None,
) -> None:
    """Each team's load against its units over time, and who is on what in a window.

    \b
    Example:
      cutover resources plans/tuyenquang.yaml --from 2025-06-28 --to 2025-06-30
    """
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.render.resources import print_resources  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, level=level)
    graph = analysis.graph
    if not graph.plan.resources:
        sys.stderr.write(_("the plan has no resources: add resources: and allocate: first") + "\n")
        raise typer.Exit(2)
    timebase = graph.timebase
    first, last = parse_as_of(start, "--from"), parse_as_of(end, "--to")
    begin = graph.start if first is None else timebase.minute(first)
    finish = analysis.schedule.finish if last is None else timebase.minute(last, end_of_day=True)
    if finish <= begin:
        raise typer.BadParameter(_("--to must be after --from"), param_hint="'--to'")
    print_resources(analysis.schedule, (begin, finish), console())


@app.command(name="calendar", cls=TranslatedCommand, rich_help_panel=PANEL)
def calendar_command(
    plan: PlanPath,
    resource: Annotated[
        str | None, typer.Option("--resource", help="A resource's calendar.", show_default=False)
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    lang: Lang = None,
) -> None:
    """The working time of each day and every holiday applied, for the plan or a resource.

    \b
    Example:
      cutover calendar plans/tuyenquang.yaml --from 2025-08-28 --to 2025-09-03
    """
    from datetime import timedelta  # noqa: PLC0415

    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.render.resources import print_calendar  # noqa: PLC0415

    analysis = analyse_file(plan, None, level=False)
    graph = analysis.graph
    name = "default"
    if resource is not None:
        known = {r.id: r for r in graph.plan.resources}
        if resource not in known:
            from cutover.planfile.model_errors import did_you_mean  # noqa: PLC0415

            hint = did_you_mean(resource, sorted(known))
            raise typer.BadParameter(
                _("no resource {resource}{hint}").format(resource=repr(resource), hint=hint),
                param_hint="'--resource'",
            )
        name = known[resource].calendar or "default"
    first, last = parse_as_of(start, "--from"), parse_as_of(end, "--to")
    day = graph.timebase.day_of(graph.start) if first is None else _day(first)
    until = day + timedelta(days=13) if last is None else _day(last)
    title = (
        _("Calendar '{name}' of {resource}").format(name=name, resource=resource)
        if resource
        else _("Calendar '{name}'").format(name=name)
    )
    print_calendar(graph.calendars[name], (day, until), console(), title)


def _day(value: date) -> date:
    """The day of a date or datetime."""
    return value.date() if isinstance(value, datetime) else value


def parse_seconds(value: str) -> float:
    """``10s``, ``2m``, ``1.5`` (seconds) as seconds; anything else is a usage error."""
    from cutover.common.i18n import _  # noqa: PLC0415

    text = value.strip().lower()
    scale = 60.0 if text.endswith("m") else 1.0
    try:
        seconds = float(text.rstrip("sm")) * scale
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise typer.BadParameter(
            _("{value} is not a time limit: write 10s, 2m or 1.5").format(value=repr(value)),
            param_hint="'--time-limit'",
        )
    return seconds


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def schema(
    lang: Lang = None,
) -> None:
    """Print the JSON Schema of the plan format, for editors and CI validators.

    \b
    Point yaml-language-server at it with a first line such as:
      # yaml-language-server: $schema=../schema/plan.schema.json
    """
    from cutover.planfile.schema import schema_text  # noqa: PLC0415

    typer.echo(schema_text(), nl=False)
