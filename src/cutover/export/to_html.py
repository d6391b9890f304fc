"""The printable schedule as one self-contained HTML page: title block, table, inline SVG chart.

The page loads nothing (a Content-Security-Policy forbids it) and runs no script. Jinja2
autoescapes every value, so plan text such as ``<script>`` stays text; the chart is SVG
that ``to_svg`` has escaped itself. Print CSS repeats the table header on each page and
puts the chart on a page of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover import __version__
from cutover.export.to_svg import gantt_svg
from cutover.export.view import TABLE_HEADERS
from cutover.findings.states import ordered

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView, TableRow

TEMPLATE = "schedule.html.j2"
#: Rows deeper than this are indented as much as this.
MAX_INDENT = 8


def export_html(view: ExportView, options: ExportOptions, /) -> bytes:
    """Render the page; the paper size and orientation go into its ``@page`` rule."""
    from jinja2 import Environment, PackageLoader, StrictUndefined  # noqa: PLC0415 - only here

    environment = Environment(
        loader=PackageLoader("cutover.export", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    page = environment.get_template(TEMPLATE).render(
        version=__version__,
        title=view.title,
        headers=TABLE_HEADERS,
        table=view.table,
        row_classes=row_classes,
        max_depth=min(max((row.depth for row in view.rows), default=0), MAX_INDENT),
        chart=gantt_svg(view),  # marked |safe in the template: to_svg escapes every piece
        paper=options.paper.upper(),
        orientation="landscape" if options.landscape else "portrait",
    )
    return page.encode()


def row_classes(item: TableRow) -> str:
    """CSS classes of a table row: its kind, status and depth."""
    row = item.row
    classes = [f"depth-{min(row.depth, MAX_INDENT)}", row.status.replace("_", "-")]
    if row.summary:
        classes.append("summary")
    if row.milestone:
        classes.append("milestone")
    classes += [state.value for state in ordered(item.states) if state.value not in classes]
    if item.late and "late" not in classes:
        classes.append("late")
    return " ".join(classes)
