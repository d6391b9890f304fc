"""The HTML page's Gantt: one table row per task, its columns beside its bar, as planners print.

Each row holds the outline number, id, name, owner, start, finish, total and deadline
slack and status, then a small inline SVG with the task's bar on a date scale shared by
every row (and by the axis in the header). The links between bars are drawn in pieces,
each row's strip the part that crosses it. The name column stays in place while the
dates scroll; the page's script sorts, filters and collapses these rows.

Marks differ by shape as well as colour (critical work hatched, done work solid, the rest
outlined, slack a thin line), so the chart reads in black and white and for people who do
not tell red from green.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.engine.schedule import driving_chain
from cutover.export.gantt_layout import (
    DAY,
    PALETTE,
    ChartLayout,
    ChartRow,
    axis_ticks,
    chart_layout,
    chart_links,
    off_time,
    route_link,
    spaced,
)
from cutover.export.to_svg import LINK_GAP, element, link_shape, points_text, text
from cutover.export.view import outline_numbers
from cutover.findings.wording import when, work_amount

if TYPE_CHECKING:
    from cutover.export.view import ExportView, TableRow

ROW_HEIGHT = 22
AXIS_HEIGHT = 34
MIN_PX_PER_DAY = 6.0
MAX_PX_PER_DAY = 240.0
CHART_WIDTH = 900
#: The axis's upper label is repeated this often (in pixels): a phone shows about 290.
REPEAT_PX = 240
#: Patterns that carry a mark's meaning without colour.
PATTERNS = (
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="{critical}"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.2"/></pattern>'
).format(critical=PALETTE["critical"])


@dataclass(frozen=True, slots=True)
class HtmlRow:
    """One task of the page: its table cells, its bar, and what the script needs."""

    item: TableRow
    outline: str
    start: str
    finish: str
    deadline_slack: str
    strip: str
    details: str
    parent: str


@dataclass(frozen=True)
class HtmlChart:
    """The rows, the axis above them, and the width of the bar column in pixels."""

    rows: list[HtmlRow]
    axis: str
    width: int
    defs: str
    #: Where the status date is on the bars, in pixels ("" without one).
    status_x: str


class _Scale:
    def __init__(self, layout: ChartLayout) -> None:
        days = max(layout.minutes / DAY, 1)
        self.px_per_day = min(max(CHART_WIDTH / days, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        self.first = layout.first
        self.width = round(days * self.px_per_day)

    def x(self, minute: float) -> float:
        return round((minute - self.first) * self.px_per_day / DAY, 2)


def html_chart(view: ExportView) -> HtmlChart:
    """Every row of the page with its bar on one scale, and the axis."""
    layout = chart_layout(view)
    scale = _Scale(layout)
    outlines = outline_numbers(view)
    hours = scale.px_per_day >= 120  # below, nights would stripe the chart like a barcode
    shading: dict[str, str] = {}
    rows = []
    timebase = view.timebase
    crossing = _links_by_row(view, scale)
    years = {timebase.day_of(row.start).year for row in view.rows}
    year = len(years | {timebase.day_of(row.finish).year for row in view.rows}) > 1
    for index, (item, chart_row) in enumerate(zip(view.table, layout.rows, strict=True)):
        calendar = layout.calendars[index]
        if calendar.name not in shading:
            spans = off_time(calendar, layout.first, layout.last, hours=hours)
            shading[calendar.name] = "".join(
                element(
                    "rect",
                    x=scale.x(begin),
                    width=round(scale.x(end) - scale.x(begin), 2),
                    height=ROW_HEIGHT,
                    fill=PALETTE["off"],
                )
                for begin, end in spans
            )
        row = item.row
        rows.append(
            HtmlRow(
                item=item,
                outline=outlines[row.id],
                start=when(timebase, row.start, year=year),
                finish=when(timebase, row.finish, year=year),
                deadline_slack=""
                if row.deadline_slack is None
                else work_amount(row.deadline_slack, row.day_minutes),
                strip=_strip(
                    chart_row, scale, shading[calendar.name] + crossing.get(index, ""), layout.as_of
                ),
                details=_details(view, item),
                parent=row.parent or "",
            )
        )
    as_of = layout.as_of
    status_x = "" if as_of is None else str(scale.x(as_of))
    return HtmlChart(rows, _axis(view, layout, scale), scale.width, PATTERNS, status_x)


def _links_by_row(view: ExportView, scale: _Scale) -> dict[int, str]:
    """The pieces of the links' lines each row's strip draws, as one group a row.

    Each strip is its own SVG, clipped to its row. Each link is routed and drawn on the
    whole chart's scale, as the SVG and the PDF draw it, then cut at the row boundaries:
    a row gets the segments that cross it (shifted to its own top), and the row with the
    arrow's point gets the arrowhead, so the pieces join up into the same lines. Colours
    are the page's style (``.link``, ``.head``; ``.sets`` for a link that sets a date).
    Sorting or filtering hides them (the page's script and style).
    """
    gap = LINK_GAP / scale.px_per_day * DAY
    count = len(view.rows)
    by_row: dict[int, list[str]] = {}
    for link in chart_links(view):
        corners, head = link_shape(
            route_link(link, gap), scale.x, lambda position: position * ROW_HEIGHT
        )
        kind = " sets" if link.driving else ""
        tip = min(int(head[0][1] // ROW_HEIGHT), count - 1)
        pieces = _cut(corners, count)
        pieces.setdefault(tip, [])
        for index, segments in pieces.items():
            line = f'<path class="link{kind}" d="{" ".join(segments)}"/>' if segments else ""
            if index == tip:
                shifted = [(x, y - index * ROW_HEIGHT) for x, y in head]
                line += f'<polygon class="head{kind}" points="{points_text(shifted)}"/>'
            by_row.setdefault(index, []).append(line)
    return {index: f'<g class="links">{"".join(lines)}</g>' for index, lines in by_row.items()}


def _cut(corners: list[tuple[float, float]], count: int) -> dict[int, list[str]]:
    """A line of level and upright segments cut at the row boundaries: subpaths by row.

    A segment along a boundary goes to both rows, each drawing the half on its side.
    """
    pieces: dict[int, list[str]] = {}
    for (x1, y1), (x2, y2) in itertools.pairwise(corners):
        low, high = min(y1, y2), max(y1, y2)
        first, last = max(int(low // ROW_HEIGHT) - 1, 0), min(int(high // ROW_HEIGHT), count - 1)
        for index in range(first, last + 1):
            top = index * ROW_HEIGHT
            begin, end = max(low, top), min(high, top + ROW_HEIGHT)
            if begin > end or (begin == end and y1 != y2):  # not in this row, or a point
                continue
            if y1 == y2:  # along a row or a row boundary
                segment = [(x1, y1 - top), (x2, y2 - top)]
            else:  # down or up: the part inside this row
                segment = [(x1, begin - top), (x2, end - top)]
            pieces.setdefault(index, []).append("M" + points_text(segment).replace(" ", " L"))
    return pieces


def _details(view: ExportView, item: TableRow) -> str:
    """The hover text: dates, slack, owner, deadline and what drives the date."""
    row = item.row
    chain = [view.graph.task(node).id for node in driving_chain(view.schedule, row.node)]
    lines = [
        f"{row.id}: {row.name}",
        f"{item.start} → {item.finish}",
        _("total slack {slack}").format(slack=item.slack),
    ]
    if item.deadline:
        lines.append(_("deadline {when}").format(when=item.deadline))
    if item.owner:
        lines.append(_("owner {owner}").format(owner=item.owner))
    lines.append(_("status {status}").format(status=item.status))
    if len(chain) > 1:
        lines.append(_("driven by {chain}").format(chain=" → ".join(chain[-6:])))
    return "\n".join(lines)


def _strip(chart_row: ChartRow, scale: _Scale, shading: str, as_of: int | None) -> str:
    """The task's bar as one inline SVG the width of the chart column."""
    row, middle = chart_row.row, ROW_HEIGHT / 2
    opening = (
        f'<svg class="bar" width="{scale.width}" height="{ROW_HEIGHT}" '
        f'viewBox="0 0 {scale.width} {ROW_HEIGHT}" aria-hidden="true">'
    )
    parts = [opening, shading]
    if chart_row.slack is not None:
        begin, end = scale.x(chart_row.slack.begin), scale.x(chart_row.slack.end)
        parts.append(
            element(
                "line", x1=begin, y1=middle, x2=end, y2=middle, stroke="#555",
                stroke_width=1, stroke_dasharray="3 2", **{"class": "slack"},
            )
        )  # fmt: skip
    for span in chart_row.bars:
        x = scale.x(span.begin)
        width = max(round(scale.x(span.end) - x, 2), 1.5)
        if row.summary:
            parts.append(
                element(
                    "rect", x=x, y=middle - 3, width=width, height=6,
                    fill="#111" if span.kind == "critical" else PALETTE["summary"],
                    **{"class": f"summary {span.kind}"},
                )
            )  # fmt: skip
            continue
        fill, stroke = {
            "critical": ("url(#hatch)", "#000"),
            "done": (PALETTE["done"], "#000"),
            "work": ("#ffffff", PALETTE["work"]),
        }.get(span.kind, (PALETTE[span.kind], "#000"))
        parts.append(
            element(
                "rect", x=x, y=4, width=width, height=ROW_HEIGHT - 8, fill=fill,
                stroke=stroke, stroke_width=1.5 if span.kind == "work" else 0.8,
                **{"class": span.kind},
            )
        )  # fmt: skip
    if chart_row.milestone is not None:
        x = scale.x(chart_row.milestone.begin)
        points = f"{x},{middle - 7} {x + 7},{middle} {x},{middle + 7} {x - 7},{middle}"
        kind = chart_row.milestone.kind
        fill = {"critical": "#000", "done": PALETTE["done"]}.get(kind, "#ffffff")
        parts.append(
            element(
                "polygon", points=points, fill=fill, stroke="#000", stroke_width=1.2,
                **{"class": f"milestone {kind}"},
            )
        )  # fmt: skip
    if chart_row.deadline is not None:
        x = scale.x(chart_row.deadline)
        parts.append(
            element(
                "path", d=f"M{x},1 L{x},{ROW_HEIGHT - 1} M{x - 4},1 L{x},6 L{x + 4},1",
                stroke=PALETTE["deadline"], stroke_width=2, fill="none",
                **{"class": "deadline"},
            )
        )  # fmt: skip
    if as_of is not None and 0 <= scale.x(as_of) <= scale.width:
        x = scale.x(as_of)
        parts.append(
            element(
                "line", x1=x, y1=0, x2=x, y2=ROW_HEIGHT, stroke=PALETTE["status"],
                stroke_width=1.5, stroke_dasharray="4 3", **{"class": "status-date"},
            )
        )  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _axis(view: ExportView, layout: ChartLayout, scale: _Scale) -> str:
    """Two rows of labels over the bars: months or days above, days or hours below."""
    upper, lower = axis_ticks(view.timebase, layout.first, layout.last, scale.px_per_day)
    opening = (
        f'<svg class="axis" width="{scale.width}" height="{AXIS_HEIGHT}" '
        f'viewBox="0 0 {scale.width} {AXIS_HEIGHT}" role="img" aria-label="time axis">'
    )
    parts = [opening]
    kept = spaced(upper, scale.x, lambda label: 7.0 * len(label))
    for tick, after in zip(kept, [*kept[1:], None], strict=True):
        x = scale.x(tick.minute)
        parts.append(element("line", x1=x, y1=0, x2=x, y2=AXIS_HEIGHT, stroke="#999"))
        parts.append(element("text", text(tick.label), x=x + 2, y=13, font_weight="bold"))
        # Repeated along a long month (or day), grey, so a phone scrolled to the status
        # date still says which month it shows.
        end = scale.width if after is None else scale.x(after.minute)
        repeat = x + REPEAT_PX
        while repeat + 7.0 * len(tick.label) + 20 < end:
            parts.append(element("text", text(tick.label), x=repeat + 2, y=13, fill="#777"))
            repeat += REPEAT_PX
    for tick in spaced(lower, scale.x, lambda label: 7.0 * len(label)):
        x = scale.x(tick.minute)
        parts.append(element("line", x1=x, y1=18, x2=x, y2=AXIS_HEIGHT, stroke="#ccc"))
        parts.append(element("text", text(tick.label), x=x + 2, y=30))
    parts.append("</svg>")
    return "".join(parts)
