"""The Gantt chart as one SVG image, for slides and wikis, and inline in the HTML page.

Colours are presentation attributes, not a stylesheet, so the chart looks the same as a
file, inside ``<img>`` and inlined in HTML (where a ``<style>`` would leak into the page).
Every piece of plan text is escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from cutover.export.gantt_layout import (
    DAY,
    LEGEND,
    PALETTE,
    ChartLayout,
    ChartRow,
    axis_ticks,
    calendar_runs,
    chart_layout,
    off_time,
)

if TYPE_CHECKING:
    from cutover.export.gantt_layout import Tick
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
FONT = "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Arial, sans-serif"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def export_svg(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The chart as a standalone SVG file."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + gantt_svg(view) + "\n").encode()


def text(value: str) -> str:
    """Plan text made safe for XML and HTML: escaped, without control characters."""
    return escape(_CONTROL.sub("", value), quote=True)


class _Scale:
    """Maps minutes to x: the chart starts after the label column."""

    def __init__(self, layout: ChartLayout) -> None:
        days = layout.minutes / DAY
        self.px_per_day = min(max(CHART_WIDTH / days, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        self.first = layout.first
        self.width = round(days * self.px_per_day)

    def x(self, minute: int) -> float:
        return round(LABEL_WIDTH + (minute - self.first) * self.px_per_day / DAY, 2)


def gantt_svg(view: ExportView) -> str:
    """The chart as an ``<svg>`` element (no XML declaration), to scale and fully escaped."""
    layout = chart_layout(view)
    scale = _Scale(layout)
    top = TITLE_HEIGHT + AXIS_HEIGHT
    height = top + ROW_HEIGHT * len(layout.rows) + LEGEND_HEIGHT
    width = LABEL_WIDTH + scale.width + 10
    title = f"{view.title.plan} — {view.title.status}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{text(FONT)}" font-size="11" role="img">',
        f"<title>{text(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="6" y="19" font-size="14" font-weight="bold" fill="{PALETTE["text"]}">{text(title)}</text>',
    ]
    parts += _shading(layout, scale, top)
    parts += _axis(view, layout, scale, top, height - LEGEND_HEIGHT)
    for index, chart_row in enumerate(layout.rows):
        parts += _row(chart_row, scale, top + index * ROW_HEIGHT, view.at_risk)
    parts += _status_line(layout, scale, top, height - LEGEND_HEIGHT)
    parts += _legend(height - LEGEND_HEIGHT + 20)
    parts.append("</svg>")
    return "\n".join(parts)


def _shading(layout: ChartLayout, scale: _Scale, top: int) -> list[str]:
    """Grey non-working time behind each run of rows on the same calendar."""
    hours = scale.px_per_day >= 30
    out = []
    for calendar, begin, end in calendar_runs(layout, range(len(layout.rows))):
        y, h = top + begin * ROW_HEIGHT, (end - begin) * ROW_HEIGHT
        for off_begin, off_end in off_time(calendar, layout.first, layout.last, hours=hours):
            x = scale.x(off_begin)
            out.append(
                f'<rect x="{x}" y="{y}" width="{round(scale.x(off_end) - x, 2)}" height="{h}" fill="{PALETTE["off"]}"/>'
            )
    return out


def _axis(view: ExportView, layout: ChartLayout, scale: _Scale, top: int, bottom: int) -> list[str]:
    upper, lower = axis_ticks(view.timebase, layout.first, layout.last, scale.px_per_day)
    out = [_grid_label(tick, scale, TITLE_HEIGHT + 14, top, bottom, major=True) for tick in upper]
    out += [_grid_label(tick, scale, TITLE_HEIGHT + 30, top, bottom, major=False) for tick in lower]
    out.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top}" x2="{scale.x(layout.last)}" y2="{top}" stroke="{PALETTE["grid"]}"/>'
    )
    return out


def _grid_label(tick: Tick, scale: _Scale, y: int, top: int, bottom: int, *, major: bool) -> str:
    x = scale.x(tick.minute)
    weight = ' font-weight="bold"' if major else ""
    line_top = TITLE_HEIGHT + 2 if major else top
    return (
        f'<line x1="{x}" y1="{line_top}" x2="{x}" y2="{bottom}" stroke="{PALETTE["grid"]}" stroke-width="0.5"/>'
        f'<text x="{x + 2}" y="{y}"{weight} fill="{PALETTE["text"]}">{text(tick.label)}</text>'
    )


def _row(chart_row: ChartRow, scale: _Scale, y: int, at_risk: frozenset[str]) -> list[str]:
    """One task: its label, slack, bars or milestone, and deadline."""
    row = chart_row.row
    out = [f"<g><title>{text(f'{row.id}: {row.name}')}</title>", _label(chart_row, y, at_risk)]
    middle = y + ROW_HEIGHT / 2
    if chart_row.slack is not None:
        out.append(
            f'<line x1="{scale.x(chart_row.slack.begin)}" y1="{middle}" x2="{scale.x(chart_row.slack.end)}" '
            f'y2="{middle}" stroke="{PALETTE["slack"]}" stroke-width="1.5"/>'
        )
    out += [_bar(span.begin, span.end, span.kind, scale, y, summary=row.summary, late=chart_row.late) for span in chart_row.bars]
    if chart_row.milestone is not None:
        x, color = scale.x(chart_row.milestone.begin), PALETTE[chart_row.milestone.kind]
        out.append(
            f'<polygon points="{x},{middle - 7} {x + 7},{middle} {x},{middle + 7} {x - 7},{middle}" fill="{color}"'
            f'{_late_stroke(late=chart_row.late)}/>'
        )
    if chart_row.deadline is not None:
        x = scale.x(chart_row.deadline)
        out.append(f'<line x1="{x}" y1="{y + 1}" x2="{x}" y2="{y + ROW_HEIGHT - 1}" stroke="{PALETTE["deadline"]}" stroke-width="2.5"/>')
    out.append("</g>")
    return out


def _label(chart_row: ChartRow, y: int, at_risk: frozenset[str]) -> str:
    row = chart_row.row
    label = chart_row.label if len(chart_row.label) <= LABEL_CHARS else chart_row.label[: LABEL_CHARS - 1] + "…"
    fill = PALETTE["critical"] if chart_row.late else ("#b36b00" if row.id in at_risk else PALETTE["text"])
    attributes = ' font-weight="bold"' if row.summary or chart_row.late else ""
    if row.status == "cancelled":
        attributes += ' text-decoration="line-through"'
        fill = PALETTE["slack"]
    return f'<text x="6" y="{y + 14}" fill="{fill}"{attributes} xml:space="preserve">{text(label)}</text>'


def _bar(begin: int, end: int, kind: str, scale: _Scale, y: int, *, summary: bool, late: bool) -> str:
    x = scale.x(begin)
    width = max(round(scale.x(end) - x, 2), 1.0)
    if summary:
        return f'<rect x="{x}" y="{y + 7}" width="{width}" height="6" fill="{PALETTE[kind]}"{_late_stroke(late=late)}/>'
    return f'<rect x="{x}" y="{y + 4}" width="{width}" height="12" rx="2" fill="{PALETTE[kind]}"{_late_stroke(late=late)}/>'


def _late_stroke(*, late: bool) -> str:
    return f' stroke="{PALETTE["late"]}" stroke-width="1.5"' if late else ""


def _status_line(layout: ChartLayout, scale: _Scale, top: int, bottom: int) -> list[str]:
    if layout.as_of is None or not layout.first <= layout.as_of <= layout.last:
        return []
    x = scale.x(layout.as_of)
    return [
        f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{bottom}" stroke="{PALETTE["status"]}" '
        'stroke-width="2" stroke-dasharray="4 3"/>'
    ]


def _legend(y: int) -> list[str]:
    out = []
    x = 6
    for kind, label in LEGEND:
        out.append(f'<rect x="{x}" y="{y - 9}" width="12" height="10" fill="{PALETTE[kind]}"/>')
        out.append(f'<text x="{x + 16}" y="{y}" fill="{PALETTE["text"]}">{text(label)}</text>')
        x += 16 + 7 * len(label) + 18
    return out
