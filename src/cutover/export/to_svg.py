"""The Gantt chart as one SVG image, for slides and wikis, and inline in the HTML page.

Colours are presentation attributes, not a stylesheet, so the chart looks the same as a
file, inside ``<img>`` and inlined in HTML (where a ``<style>`` would leak into the page).
Every piece of plan text is escaped. The links between bars follow gantt_layout's
routing, as in the PDF; ``link_shape`` turns a route into pixels for the HTML page too.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_
from cutover.export.gantt_layout import (
    DAY,
    PALETTE,
    ChartLayout,
    ChartRow,
    Span,
    axis_ticks,
    calendar_runs,
    chart_layout,
    chart_links,
    off_time,
    route_link,
    spaced,
)
from cutover.findings.states import ordered
from cutover.render.marks import LEGEND

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.export.gantt_layout import ChartLink, LinkRoute, Tick
    from cutover.export.view import ExportOptions, ExportView

LABEL_WIDTH = 320
ROW_HEIGHT = 20
TITLE_HEIGHT = 30
AXIS_HEIGHT = 36
LEGEND_HEIGHT = 34
CHART_WIDTH = 960
MIN_PX_PER_DAY = 4.0
MAX_PX_PER_DAY = 480.0
#: Characters of a label that fit LABEL_WIDTH at the chart's font size.
LABEL_CHARS = 50
AT_RISK_COLOR = "#b36b00"
FONT = "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Arial, sans-serif"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def export_svg(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The chart as a standalone SVG file."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + gantt_svg(view) + "\n").encode()


def text(value: str) -> str:
    """Plan text made safe for XML and HTML: escaped, without control characters."""
    return escape(_CONTROL.sub("", value), quote=True)


def element(name: str, content: str | None = None, /, **attributes: object) -> str:
    """``<name a="v"/>``; ``stroke_width`` is written ``stroke-width``. Content must be escaped."""
    pairs = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    if content is None:
        return f"<{name}{pairs}/>"
    return f"<{name}{pairs}>{content}</{name}>"


class _Scale:
    """Maps minutes to x: the chart starts after the label column."""

    def __init__(self, layout: ChartLayout) -> None:
        days = layout.minutes / DAY
        self.px_per_day = min(max(CHART_WIDTH / days, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        self.first = layout.first
        self.width = round(days * self.px_per_day)

    def x(self, minute: float) -> float:
        return round(LABEL_WIDTH + (minute - self.first) * self.px_per_day / DAY, 2)


def gantt_svg(view: ExportView) -> str:
    """The chart as an ``<svg>`` element (no XML declaration), to scale and fully escaped."""
    layout = chart_layout(view)
    scale = _Scale(layout)
    top = TITLE_HEIGHT + AXIS_HEIGHT
    bottom = top + ROW_HEIGHT * len(layout.rows)
    width, height = LABEL_WIDTH + scale.width + 10, bottom + LEGEND_HEIGHT
    from cutover.findings.gates import rolling_back  # noqa: PLC0415 - runbooks only

    back = rolling_back(view.analysis.findings)
    title = text(f"{view.title.plan} — {view.title.status}" + (f" — {back}" if back else ""))
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{text(FONT)}" font-size="11" role="img">'
    )
    parts = [
        opening,
        element("title", title),
        f"<defs>{HATCH}"
        + element(
            "clipPath",
            element("rect", x=LABEL_WIDTH, y=top, width=scale.width, height=bottom - top),
            id="chart-area",
        )
        + "</defs>",
        element("rect", width=width, height=height, fill="#ffffff"),
        element("text", title, x=6, y=19, font_size=14, font_weight="bold", fill=PALETTE["text"]),
        *_shading(layout, scale, top),
        *_axis(view, layout, scale, top, bottom),
        # The links stay inside the chart: a stub left of a start on its first day would
        # cross into the names.
        '<g class="links" clip-path="url(#chart-area)">',
        *link_lines(
            chart_links(view),
            LINK_GAP / scale.px_per_day * DAY,
            scale.x,
            lambda position: top + position * ROW_HEIGHT,
        ),
        "</g>",
    ]
    for index, chart_row in enumerate(layout.rows):
        parts += _row(chart_row, scale, top + index * ROW_HEIGHT, view.at_risk)
    parts += _status_line(layout, scale, top, bottom)
    parts += _legend(bottom + 20)
    parts.append("</svg>")
    return "\n".join(parts)


def _shading(layout: ChartLayout, scale: _Scale, top: int) -> list[str]:
    """Grey non-working time behind each run of rows on the same calendar."""
    hours = scale.px_per_day >= 120  # below, nights would stripe the chart like a barcode
    out = []
    for calendar, begin, end in calendar_runs(layout, range(len(layout.rows))):
        y, height = top + begin * ROW_HEIGHT, (end - begin) * ROW_HEIGHT
        for off_begin, off_end in off_time(calendar, layout.first, layout.last, hours=hours):
            x = scale.x(off_begin)
            width = round(scale.x(off_end) - x, 2)
            out.append(element("rect", x=x, y=y, width=width, height=height, fill=PALETTE["off"]))
    return out


def _axis(view: ExportView, layout: ChartLayout, scale: _Scale, top: int, bottom: int) -> list[str]:
    """Coarse labels (months or days) above fine ones, each with its grid line."""
    upper, lower = axis_ticks(view.timebase, layout.first, layout.last, scale.px_per_day)
    out = [
        _tick(tick, scale, TITLE_HEIGHT + 2, bottom, major=True)
        for tick in spaced(upper, scale.x, _width)
    ]
    out += [_tick(tick, scale, top, bottom, major=False) for tick in spaced(lower, scale.x, _width)]
    out.append(
        element(
            "line", x1=LABEL_WIDTH, y1=top, x2=scale.x(layout.last), y2=top, stroke=PALETTE["grid"]
        )
    )
    return out


#: A link's stub out of and into a bar, in pixels.
LINK_GAP = 5.0
#: Lines of links that set a date (True) and of the others.
LINK_COLOURS = {True: "#3a3a3a", False: "#a8a8a8"}
#: The direction each arrow points (y grows downwards).
_HEADINGS = {"right": (1.0, 0.0), "left": (-1.0, 0.0), "down": (0.0, 1.0), "up": (0.0, -1.0)}


def link_shape(
    route: LinkRoute, x_of: Callable[[float], float], y_of: Callable[[float], float]
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """A routed link in pixels: the line's corners, and its arrowhead's three points.

    ``x_of`` maps minutes and ``y_of`` row positions to pixels; the line stops where the
    head starts, so a thin line does not blunt its point.
    """
    corners = [(x_of(minute), y_of(position)) for minute, position in route.points]
    dx, dy = _HEADINGS[route.heading]
    x, y = corners[-1]
    corners[-1] = (x - 3 * dx, y - 3 * dy)
    head = [
        (x, y),
        (x - 3.5 * dx - 2.2 * dy, y - 3.5 * dy - 2.2 * dx),
        (x - 3.5 * dx + 2.2 * dy, y - 3.5 * dy + 2.2 * dx),
    ]
    return corners, head


def points_text(points: list[tuple[float, float]]) -> str:
    """``x,y x,y …`` rounded to hundredths, as SVG reads points."""
    return " ".join(f"{round(x, 2)},{round(y, 2)}" for x, y in points)


def link_lines(
    links: tuple[ChartLink, ...],
    gap: float,
    x_of: Callable[[float], float],
    y_of: Callable[[float], float],
) -> list[str]:
    """Each link as a thin elbowed line with an arrowhead, routed as every view routes it.

    ``gap`` is the stub in minutes; ``x_of`` maps minutes and ``y_of`` row positions to
    pixels. Links that set a date are dark, the others light, so a 300-task chart reads.
    """
    out = []
    for link in links:
        corners, head = link_shape(route_link(link, gap), x_of, y_of)
        colour = LINK_COLOURS[link.driving]
        out.append(
            f'<g class="link {link.type}">'
            + element("path", d="M" + points_text(corners).replace(" ", " L"), fill="none",
                      stroke=colour, stroke_width=0.8)
            + element("polygon", points=points_text(head), fill=colour)
            + "</g>"
        )  # fmt: skip
    return out


def _width(label: str) -> float:
    """About how wide a label is at the chart's 11 px (no font metrics in SVG)."""
    return 7.0 * len(label)


def _tick(tick: Tick, scale: _Scale, line_top: int, bottom: int, *, major: bool) -> str:
    x = scale.x(tick.minute)
    line = element(
        "line", x1=x, y1=line_top, x2=x, y2=bottom, stroke=PALETTE["grid"], stroke_width=0.5
    )
    y = TITLE_HEIGHT + (14 if major else 30)
    weight = "bold" if major else "normal"
    return line + element(
        "text", text(tick.label), x=x + 2, y=y, font_weight=weight, fill=PALETTE["text"]
    )


def _row(chart_row: ChartRow, scale: _Scale, y: int, at_risk: frozenset[str]) -> list[str]:
    """One task, its full name as tooltip: label, slack, bars, milestone and deadline."""
    row, middle = chart_row.row, y + ROW_HEIGHT / 2
    states = " ".join(ordered(chart_row.states))
    out = [
        f'<g class="task" data-task="{text(row.id)}" data-states="{states}">',
        element("title", text(f"{row.id}: {row.name}" + (f" ({states})" if states else ""))),
        _label(chart_row, y, at_risk),
    ]
    if chart_row.slack is not None:
        begin, end = scale.x(chart_row.slack.begin), scale.x(chart_row.slack.end)
        out.append(
            element(
                "line",
                x1=begin,
                y1=middle,
                x2=end,
                y2=middle,
                stroke=PALETTE["slack"],
                stroke_width=1.5,
            )
        )
    out += [
        _bar(span, scale, y, summary=row.summary, late=chart_row.late) for span in chart_row.bars
    ]
    if chart_row.milestone is not None:
        out.append(_diamond(chart_row.milestone, scale, middle, late=chart_row.late))
    if chart_row.deadline is not None:
        x = scale.x(chart_row.deadline)
        end = y + ROW_HEIGHT - 1
        out.append(
            element(
                "line", x1=x, y1=y + 1, x2=x, y2=end, stroke=PALETTE["deadline"], stroke_width=2.5
            )
        )
    out.append("</g>")
    return out


def _label(chart_row: ChartRow, y: int, at_risk: frozenset[str]) -> str:
    """The task's name under its summary, red when late, amber when at risk."""
    row, label = chart_row.row, chart_row.label
    if len(label) > LABEL_CHARS:
        label = label[: LABEL_CHARS - 1] + "…"
    fill = PALETTE["text"]
    if chart_row.late:
        fill = PALETTE["critical"]
    elif row.id in at_risk:
        fill = AT_RISK_COLOR
    extra: dict[str, object] = {"font_weight": "bold"} if row.summary or chart_row.late else {}
    if row.status == "cancelled":
        fill, extra["text_decoration"] = PALETTE["slack"], "line-through"
    attributes = {"x": 6, "y": y + 14, "fill": fill, **extra, "xml:space": "preserve"}
    return element("text", text(label), **attributes)


#: Fill and outline of each kind of bar: a pattern or a shape as well as a colour, so the
#: chart reads in black and white and for people who do not tell red from green.
BAR_LOOK = {
    "critical": ("url(#hatch)", "#000000"),
    "done": (PALETTE["done"], "#000000"),
    "work": ("#ffffff", PALETTE["work"]),
}
DIAMOND_FILL = {"critical": "#000000", "done": PALETTE["done"]}
HATCH = (
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{PALETTE["critical"]}"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.2"/></pattern>'
)


def _bar(span: Span, scale: _Scale, y: int, *, summary: bool, late: bool) -> str:
    x = scale.x(span.begin)
    width = max(round(scale.x(span.end) - x, 2), 1.0)
    if summary:
        fill = "#000000" if span.kind == "critical" else PALETTE["summary"]
        return element("rect", x=x, width=width, y=y + 7, height=6, fill=fill)
    fill, stroke = BAR_LOOK.get(span.kind, (PALETTE[span.kind], "#000000"))
    outline = _late_stroke(late=late) or {"stroke": stroke, "stroke_width": 1}
    return element("rect", x=x, width=width, y=y + 4, height=12, rx=2, fill=fill, **outline)


def _diamond(span: Span, scale: _Scale, middle: float, *, late: bool) -> str:
    x = scale.x(span.begin)
    points = f"{x},{middle - 7} {x + 7},{middle} {x},{middle + 7} {x - 7},{middle}"
    fill = DIAMOND_FILL.get(span.kind, "#ffffff")
    outline = _late_stroke(late=late) or {"stroke": "#000000", "stroke_width": 1}
    return element("polygon", points=points, fill=fill, **outline)


def _late_stroke(*, late: bool) -> dict[str, object]:
    return {"stroke": PALETTE["late"], "stroke_width": 1.5} if late else {}


def _status_line(layout: ChartLayout, scale: _Scale, top: int, bottom: int) -> list[str]:
    if layout.as_of is None or not layout.first <= layout.as_of <= layout.last:
        return []
    x = scale.x(layout.as_of)
    style = {"stroke": PALETTE["status"], "stroke_width": 2, "stroke_dasharray": "4 3"}
    return [element("line", x1=x, y1=top - 4, x2=x, y2=bottom, **style)]


def _legend(y: int) -> list[str]:
    """Each mark drawn as the chart draws it, with its name."""
    out = []
    x = 6
    for kind, name in LEGEND:
        label = _(name)
        if kind in BAR_LOOK:
            fill, stroke = BAR_LOOK[kind]
            out.append(element("rect", x=x, y=y - 9, width=12, height=10, fill=fill, stroke=stroke))
        elif kind == "milestone":
            points = f"{x + 6},{y - 10} {x + 12},{y - 4} {x + 6},{y + 2} {x},{y - 4}"
            out.append(element("polygon", points=points, fill="#ffffff", stroke="#000000"))
        elif kind in {"deadline", "status"}:
            out.append(
                element(
                    "line", x1=x + 6, y1=y - 10, x2=x + 6, y2=y + 1,
                    stroke=PALETTE[kind], stroke_width=2.5,
                )
            )  # fmt: skip
        else:
            out.append(element("rect", x=x, y=y - 9, width=12, height=10, fill=PALETTE[kind]))
        out.append(element("text", text(label), x=x + 16, y=y, fill=PALETTE["text"]))
        x += 16 + 7 * len(label) + 18
    for driving, name in LINK_LEGEND:
        label = _(name)
        out.append(link_swatch(x, y - 10, driving=driving))
        out.append(element("text", text(label), x=x + 16, y=y, fill=PALETTE["text"]))
        x += 16 + 7 * len(label) + 18
    return out


#: The links in the legends: those that set a date, and the others.
LINK_LEGEND = ((True, n_("link that sets a date")), (False, n_("other link")))


def link_swatch(x: float, y: float, *, driving: bool) -> str:
    """A link as the chart draws it, in a 12 by 11 box at (x, y): out, down, into a bar."""
    colour = LINK_COLOURS[driving]
    return element(
        "path", d=f"M{x},{y + 2} L{x + 5},{y + 2} L{x + 5},{y + 9} L{x + 8},{y + 9}",
        fill="none", stroke=colour, stroke_width=0.8,
    ) + element(
        "polygon", points=f"{x + 12},{y + 9} {x + 8},{y + 6.8} {x + 8},{y + 11.2}", fill=colour
    )  # fmt: skip
