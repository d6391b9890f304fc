"""The Gantt chart on PDF pages: to scale, split across pages when it is long or wide.

One scale for the whole chart: the plan's span across the page when that leaves at least
MIN_POINTS_PER_DAY, else as few pages across as keep that (MAX_PAGES_ACROSS at most), each
with the same number of days. Rows go down the pages in the table's order; each page
repeats the axis, the task names and the legend, so pages can be laid side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from cutover.common.i18n import _
from cutover.export.gantt_layout import (
    DAY,
    PALETTE,
    ChartLayout,
    ChartRow,
    axis_ticks,
    calendar_runs,
    off_time,
    spaced,
)
from cutover.export.pdf_support import BOLD, FONT, fit_text
from cutover.findings.wording import day_label
from cutover.render.marks import LEGEND

if TYPE_CHECKING:
    from collections.abc import Callable

    from reportlab.pdfgen.canvas import Canvas

    from cutover.export.gantt_layout import Tick
    from cutover.export.view import ExportView

LABEL_WIDTH = 190.0
ROW_HEIGHT = 12.0
HEADER_HEIGHT = 42.0
LEGEND_HEIGHT = 16.0
MIN_POINTS_PER_DAY = 3.5
#: A plan of years is drawn finer than MIN_POINTS_PER_DAY rather than on more pages across.
MAX_PAGES_ACROSS = 4
FONT_SIZE = 6.5


@dataclass(frozen=True)
class ChartPage:
    """One page of the chart: a run of rows and a stretch of time."""

    rows: range
    first: int
    last: int
    part: int
    parts: int


def chart_pages(layout: ChartLayout, width: float, height: float) -> tuple[float, list[ChartPage]]:
    """The points per day, and the pages: rows down, then time across, in reading order."""
    chart_width = width - LABEL_WIDTH
    days = layout.minutes // DAY
    parts = min(math.ceil(days * MIN_POINTS_PER_DAY / chart_width), MAX_PAGES_ACROSS)
    step = math.ceil(days / parts) * DAY  # whole days, the same on every page
    points_per_day = chart_width / (step / DAY)
    spans = [
        (begin, min(begin + step, layout.last)) for begin in range(layout.first, layout.last, step)
    ]
    per_page = max(int((height - HEADER_HEIGHT - LEGEND_HEIGHT) // ROW_HEIGHT), 1)
    pages = [
        ChartPage(range(top, min(top + per_page, len(layout.rows))), begin, end, part, len(spans))
        for top in range(0, len(layout.rows), per_page)
        for part, (begin, end) in enumerate(spans, start=1)
    ]
    return points_per_day, pages


class GanttPage(Flowable):
    """One page of the chart as a flowable that fills the frame."""

    def __init__(
        self,
        view: ExportView,
        *,
        layout: ChartLayout,
        page: ChartPage,
        points_per_day: float,
        width: float,
        height: float,
    ) -> None:
        """Keep what ``draw`` needs; nothing is computed until the page is drawn."""
        super().__init__()
        self.view, self.layout, self.page = view, layout, page
        self.points_per_day = points_per_day
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:  # noqa: ARG002 - reportlab's signature
        """The page's own size, fixed when the pages were planned."""
        return self.width, self.height

    def draw(self) -> None:
        """Shading, axis, rows, status line, legend and caption."""
        painter = _Painter(self.canv, self)
        painter.caption()
        painter.clipped(painter.shading)
        painter.axis()
        for index in self.page.rows:
            painter.label(index)
        painter.clipped(painter.shapes)
        painter.legend()


class _Painter:
    """Draws one chart page on the canvas; y grows upwards from the frame's bottom."""

    def __init__(self, canvas: Canvas, flowable: GanttPage) -> None:
        self.canvas, self.flow = canvas, flowable
        self.page, self.layout = flowable.page, flowable.layout
        self.left = LABEL_WIDTH
        self.right = (
            LABEL_WIDTH + (self.page.last - self.page.first) * flowable.points_per_day / DAY
        )
        self.top = flowable.height - HEADER_HEIGHT
        self.bottom = self.top - len(self.page.rows) * ROW_HEIGHT

    def x(self, minute: int) -> float:
        return self.left + (minute - self.page.first) * self.flow.points_per_day / DAY

    def row_top(self, index: int) -> float:
        return self.top - (index - self.page.rows.start) * ROW_HEIGHT

    def clipped(self, draw: Callable[[], None]) -> None:
        """Draw inside the chart area only (bars may start before or end after this page)."""
        self.canvas.saveState()
        path = self.canvas.beginPath()
        path.rect(self.left, self.bottom, self.right - self.left, self.top - self.bottom)
        self.canvas.clipPath(path, stroke=0, fill=0)
        draw()
        self.canvas.restoreState()

    def caption(self) -> None:
        page, view = self.page, self.flow.view
        rows = len(self.layout.rows)
        text = _("Gantt chart · rows {first}–{last} of {rows} · {start} – {end}").format(
            first=page.rows.start + 1,
            last=page.rows.stop,
            rows=rows,
            start=day_label(view.timebase, page.first),
            end=day_label(view.timebase, page.last - 1),
        )
        if page.parts > 1:
            text += _(" · part {part} of {parts} across").format(part=page.part, parts=page.parts)
        self.canvas.setFont(BOLD, 8)
        self.canvas.setFillColor(HexColor(PALETTE["text"]))
        self.canvas.drawString(0, self.flow.height - 9, fit_text(text, self.flow.width, BOLD, 8))

    def shading(self) -> None:
        hours = self.flow.points_per_day >= 30
        self.canvas.setFillColor(HexColor(PALETTE["off"]))
        for calendar, begin, end in calendar_runs(self.layout, self.page.rows):
            y = self.row_top(end)
            for off_begin, off_end in off_time(
                calendar, self.page.first, self.page.last, hours=hours
            ):
                self.canvas.rect(
                    self.x(off_begin),
                    y,
                    self.x(off_end) - self.x(off_begin),
                    (end - begin) * ROW_HEIGHT,
                    stroke=0,
                    fill=1,
                )

    def axis(self) -> None:
        """Coarse labels (months or days) above fine ones, each with its grid line."""
        timebase, scale = self.flow.view.timebase, self.flow.points_per_day
        upper, lower = axis_ticks(timebase, self.page.first, self.page.last, scale)
        self.ticks(upper, self.top + 17, BOLD, self.top + 26)
        self.ticks(lower, self.top + 4, FONT, self.top)
        self.canvas.line(self.left, self.top, self.right, self.top)

    def ticks(self, ticks: list[Tick], y: float, font: str, line_top: float) -> None:
        canvas = self.canvas
        canvas.setStrokeColor(HexColor(PALETTE["grid"]))
        canvas.setLineWidth(0.4)
        canvas.setFillColor(HexColor(PALETTE["text"]))
        canvas.setFont(font, FONT_SIZE)
        for tick in spaced(ticks, self.x, partial(_label_width, font=font)):
            x = self.x(tick.minute)
            canvas.line(x, self.bottom, x, line_top)
            if x + _label_width(tick.label, font=font) <= self.right + 1:
                canvas.drawString(x + 1.5, y, tick.label)

    def label(self, index: int) -> None:
        chart_row = self.layout.rows[index]
        row = chart_row.row
        bold = row.summary or chart_row.late
        font = BOLD if bold else FONT
        color = (
            PALETTE["critical"]
            if chart_row.late
            else ("#b36b00" if row.id in self.flow.view.at_risk else PALETTE["text"])
        )
        if row.status in {"done", "cancelled"}:
            color = PALETTE["slack"]
        y = self.row_top(index) - ROW_HEIGHT + 3.5
        self.canvas.setFont(font, FONT_SIZE)
        self.canvas.setFillColor(HexColor(color))
        self.canvas.drawString(2, y, fit_text(chart_row.label, LABEL_WIDTH - 6, font, FONT_SIZE))
        self.canvas.setStrokeColor(HexColor("#f0f0f0"))
        self.canvas.setLineWidth(0.3)
        self.canvas.line(
            0, self.row_top(index) - ROW_HEIGHT, self.right, self.row_top(index) - ROW_HEIGHT
        )

    def shapes(self) -> None:
        for index in self.page.rows:
            self.row_shapes(self.layout.rows[index], self.row_top(index) - ROW_HEIGHT / 2)
        as_of = self.layout.as_of
        if as_of is not None and self.page.first <= as_of <= self.page.last:
            self.canvas.setStrokeColor(HexColor(PALETTE["status"]))
            self.canvas.setLineWidth(1.2)
            self.canvas.setDash(3, 2)
            self.canvas.line(self.x(as_of), self.bottom, self.x(as_of), self.top)
            self.canvas.setDash()

    def row_shapes(self, chart_row: ChartRow, middle: float) -> None:
        canvas = self.canvas
        if chart_row.slack is not None:
            canvas.setStrokeColor(HexColor(PALETTE["slack"]))
            canvas.setLineWidth(0.8)
            canvas.line(self.x(chart_row.slack.begin), middle, self.x(chart_row.slack.end), middle)
        half = 1.8 if chart_row.row.summary else 3.6
        for span in chart_row.bars:
            self.bar(
                self.x(span.begin), self.x(span.end), middle, half, span.kind, late=chart_row.late
            )
        if chart_row.milestone is not None:
            self.diamond(
                self.x(chart_row.milestone.begin),
                middle,
                chart_row.milestone.kind,
                late=chart_row.late,
            )
        if chart_row.deadline is not None:
            canvas.setStrokeColor(HexColor(PALETTE["deadline"]))
            canvas.setLineWidth(1.6)
            x = self.x(chart_row.deadline)
            canvas.line(x, middle - ROW_HEIGHT / 2 + 1, x, middle + ROW_HEIGHT / 2 - 1)

    def bar(
        self, begin: float, end: float, middle: float, half: float, kind: str, *, late: bool
    ) -> None:
        self.canvas.setFillColor(HexColor(PALETTE[kind]))
        self.canvas.setStrokeColor(HexColor(PALETTE["late"]))
        self.canvas.setLineWidth(0.8)
        self.canvas.rect(
            begin, middle - half, max(end - begin, 0.8), 2 * half, stroke=1 if late else 0, fill=1
        )

    def diamond(self, x: float, middle: float, kind: str, *, late: bool) -> None:
        self.canvas.setFillColor(HexColor(PALETTE[kind]))
        self.canvas.setStrokeColor(HexColor(PALETTE["late"]))
        path = self.canvas.beginPath()
        path.moveTo(x, middle + 4.5)
        path.lineTo(x + 4.5, middle)
        path.lineTo(x, middle - 4.5)
        path.lineTo(x - 4.5, middle)
        path.close()
        self.canvas.drawPath(path, stroke=1 if late else 0, fill=1)

    def legend(self) -> None:
        canvas = self.canvas
        x, y = 0.0, self.bottom - LEGEND_HEIGHT + 4
        canvas.setFont(FONT, FONT_SIZE)
        for kind, name in LEGEND:
            text = _(name)
            canvas.setFillColor(HexColor(PALETTE[kind]))
            canvas.rect(x, y, 9, 6, stroke=0, fill=1)
            canvas.setFillColor(HexColor(PALETTE["text"]))
            canvas.drawString(x + 12, y + 0.5, text)
            x += 12 + stringWidth(text, FONT, FONT_SIZE) + 12


def _label_width(label: str, *, font: str) -> float:
    return float(stringWidth(label, font, FONT_SIZE))
