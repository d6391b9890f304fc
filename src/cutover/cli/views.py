"""``schedule``, ``gantt``, ``export`` and ``schema``: the plan shown and shared."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cutover.cli.base import (
    AsOf,
    PlanPath,
    RiskThreshold,
    analyse_file,
    app,
    boundary,
    clock_now,
    console,
    parse_as_of,
)

#: The heading these commands are listed under in ``cutover --help``.
PANEL = "See and share a plan"


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


@app.command(rich_help_panel=PANEL)
def schedule(
    plan: PlanPath,
    as_of: AsOf = None,
    output_format: Annotated[
        ScheduleFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScheduleFormat.table,
    risk_threshold: RiskThreshold = "1d",
) -> None:
    """Print the computed schedule: dates, slack, critical tasks.

    \b
    Example:
      cutover schedule plans/tuyenquang.yaml --format json --as-of 2025-06-26
    """
    analysis = analyse_file(plan, as_of, risk_threshold)
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


@app.command(rich_help_panel=PANEL)
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
) -> None:
    """Draw the plan as a Gantt chart in the terminal.

    \b
    Example:
      cutover gantt plans/tuyenquang.yaml --as-of 2025-06-26T09:00
    """
    from cutover.render.gantt import GanttChart, GanttOptions, check_window  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, risk_threshold)
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


@app.command(rich_help_panel=PANEL)
def export(
    plan: PlanPath,
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
    delimiter: Annotated[
        str,
        typer.Option("--delimiter", metavar="SEP", help="CSV separator: ',' ';' '|' or 'tab'."),
    ] = ",",
) -> None:
    """Export the schedule to print or share: PDF, HTML, SVG, CSV, iCalendar, Mermaid, Markdown.

    The file is written whole or not at all.

    \b
    Example:
      cutover export plans/tuyenquang.yaml -o schedule.pdf --as-of 2025-06-26
    """
    from cutover.export import ExportOptions, export, write_export  # noqa: PLC0415

    analysis = analyse_file(plan, as_of, risk_threshold)
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
            if str(output) != "-":
                sys.stderr.write(f"wrote {output} ({chosen})\n")
            return
        if output_format is None:
            raise typer.BadParameter(
                "give --format, or -o FILE with an extension", param_hint="'--format'"
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(export(analysis, output_format, options))


@app.command(rich_help_panel=PANEL)
def schema() -> None:
    """Print the JSON Schema of the plan format, for editors and CI validators.

    \b
    Point yaml-language-server at it with a first line such as:
      # yaml-language-server: $schema=../schema/plan.schema.json
    """
    from cutover.planfile.schema import schema_text  # noqa: PLC0415

    typer.echo(schema_text(), nl=False)
