"""The schedule as one self-contained HTML page: the Gantt first, its columns beside the bars.

The page loads nothing: a Content-Security-Policy forbids every request, and allows only
its one inline script, by hash. The script sorts the rows by a column, filters them by
text or state and collapses summaries; without it the page still reads in full. Jinja2
autoescapes every value, so plan text such as ``<script>`` stays text; the bars are SVG
that ``to_svg``'s helpers have escaped. Printed, the page is what a planner hands out:
A4 landscape unless told otherwise, one line a row (long names cut with an ellipsis, the
row's title keeping them whole), so the links' pieces still join; no controls; the
header repeated on every page; pages numbered "page N of M" in Chromium's margin boxes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from typing import TYPE_CHECKING

from cutover import __version__
from cutover.common.i18n import _, current_language
from cutover.export.gantt_layout import PALETTE
from cutover.export.html_chart import ROW_HEIGHT, html_chart
from cutover.export.html_load_chart import html_loads
from cutover.export.to_svg import LINK_COLOURS, LINK_LEGEND, element, link_swatch, text
from cutover.findings.states import ordered

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView, TableRow

TEMPLATE = "schedule.html.j2"
#: Rows deeper than this are indented as much as this.
MAX_INDENT = 8
#: The page's one script, and the hash its Content-Security-Policy allows it by.
SCRIPT = files("cutover.export").joinpath("templates", "schedule.js").read_text(encoding="utf-8")
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


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
    chart = html_chart(view)
    page = environment.get_template(TEMPLATE).render(
        version=__version__,
        title=view.title,
        chart=chart,
        loads=html_loads(view, chart),  # each resource's load; None without resources
        _=_,
        lang=current_language(),
        row_classes=row_classes,
        row_height=ROW_HEIGHT,
        max_depth=min(max((row.depth for row in view.rows), default=0), MAX_INDENT),
        legend=legend(),
        footer=css_string(f"{view.title.plan} · {view.title.status}"),
        page_number=page_number(),
        paper=options.paper.upper(),
        orientation="landscape" if options.landscape else "portrait",
        script=SCRIPT,
        script_hash=SCRIPT_HASH,
        link_colours=LINK_COLOURS,
    )
    return page.encode()


def row_classes(item: TableRow) -> str:
    """CSS classes of a row: its depth, status, kind and every state that holds."""
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


def css_string(value: str) -> str:
    """Plan text as the inside of a CSS string: every character but letters escaped."""
    return "".join(
        char if (char.isalnum() and char.isascii()) or char == " " else f"\\{ord(char):x} "
        for char in " ".join(value.split())
    )


def page_number() -> str:
    """The ``content`` of the page-number margin box: "page N of M" in the reader's language.

    The PDF's footer says the same words; here the numbers are the CSS page counters.
    """
    words = _("page {number} of {total}")
    parts = re.split(r"(\{number\}|\{total\})", words)
    counters = {"{number}": "counter(page)", "{total}": "counter(pages)"}
    return " ".join(counters.get(part) or f'"{_css_text(part)}"' for part in parts if part)


def _css_text(value: str) -> str:
    """Text as the inside of a CSS string, spaces kept as they are (for words around numbers)."""
    return "".join(
        char if (char.isalnum() and char.isascii()) or char == " " else f"\\{ord(char):06x}"
        for char in value
    )


def legend() -> str:
    """Each mark drawn as the chart draws it, with its name."""

    def swatch(body: str, label: str) -> str:
        icon = f'<svg width="26" height="14" viewBox="0 0 26 14" aria-hidden="true">{body}</svg>'
        return f"<span>{icon} {text(_(label))}</span>"

    return "".join(
        [
            swatch(element("rect", x=1, y=2, width=24, height=10, fill="url(#hatch)",
                           stroke="#000", stroke_width=0.8), "critical"),
            swatch(element("rect", x=1, y=2, width=24, height=10, fill="#ffffff",
                           stroke=PALETTE["work"], stroke_width=1.5), "other work"),
            swatch(element("rect", x=1, y=2, width=24, height=10, fill=PALETTE["done"],
                           stroke="#000", stroke_width=0.8), "done"),
            swatch(element("line", x1=1, y1=7, x2=25, y2=7, stroke="#555",
                           stroke_dasharray="3 2"), "slack"),
            swatch(element("polygon", points="13,0 20,7 13,14 6,7", fill="#ffffff",
                           stroke="#000"), "milestone"),
            swatch(element("polygon", points="13,0 20,7 13,14 6,7", fill="#000",
                           stroke="#000"), "critical milestone"),
            swatch(element("rect", x=1, y=4, width=24, height=6, fill=PALETTE["summary"]),
                   "summary"),
            swatch(element("path", d="M13,0 L13,14 M9,0 L13,5 L17,0", fill="none",
                           stroke=PALETTE["deadline"], stroke_width=2), "deadline"),
            swatch(element("line", x1=13, y1=0, x2=13, y2=14, stroke=PALETTE["status"],
                           stroke_width=1.5, stroke_dasharray="4 3"), "status date"),
            swatch(element("rect", x=1, y=0, width=24, height=14, fill=PALETTE["off"]),
                   "non-working time"),
            *(
                swatch(link_swatch(7, 1.5, driving=driving), name)
                for driving, name in LINK_LEGEND
            ),
            "<span>! late · ~ at risk</span>",
        ]
    )  # fmt: skip
