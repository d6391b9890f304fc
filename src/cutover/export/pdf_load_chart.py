"""The PDF's resource pages: each resource's load on the Gantt's date scale, then who is on what.

After the chart, one band per resource: a bar per time slot as tall as the units booked
at once, a dashed line at the resource's units, slots beyond its units (or booked while
it is away) hatched in black over red, so a greyscale copy still shows them; absences
shaded darker than non-working time. The bands use the chart's points per day and its
pages across, and start where its bars start, so a band lines up with the bars above
it. Then the table a cutover manager prints for the weekend: who works on what, when.
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from cutover.common.i18n import _, n_
from cutover.common.text import shorten
from cutover.export.gantt_layout import DAY, PALETTE, axis_ticks, off_time, spaced
from cutover.export.load_chart import (
    has_resources,
    load_bands,
    plan_window,
    runs,
    shift_rows,
    slot_minutes,
)
from cutover.export.pdf_gantt import HOURS_POINTS_PER_DAY
from cutover.export.pdf_support import BOLD, FONT, fit_text
from cutover.findings.wording import day_label, when

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from cutover.export.gantt_layout import ChartLayout
    from cutover.export.load_chart import ResourceBand
    from cutover.export.pdf_gantt import ChartPage, ChartStyle
    from cutover.export.view import ExportView

BAND_HEIGHT = 46.0
BAND_GAP = 8.0
CAPTION_HEIGHT = 14.0
AXIS_HEIGHT = 28.0
#: Room for the legend's line (a second one on a page too narrow for one).
LEGEND_HEIGHT = 18.0
LEGEND_LINE = 12.0
#: The legend's marks: what each draws, and its name.
MARKS = (
    ("booked", n_("units booked at once")),
    ("over", n_("over its units, or booked while away")),
    ("units", n_("units available")),
    ("away", n_("away")),
    ("off", n_("non-working time")),
    ("status", n_("status date")),
)
#: The narrowest bar drawn, in points: slots are made longer until a bar is this wide.
NARROWEST_BAR = 2.5
BOOKED = "#9ecae1"
AWAY = "#e2e2e2"
#: Away is hatched the other way, in grey: light, and unlike a bar in greyscale.
AWAY_LINES = "#8a8a8a"
UNITS_LINE = "#000000"


def load_story(
    view: ExportView,
    layout: ChartLayout,
    *,
    pages: list[ChartPage],
    points_per_day: float,
    style: ChartStyle,
    size: tuple[float, float],
) -> list[Flowable]:
    """The resource pages after the chart, or nothing for a plan without resources.

    ``pages``, ``points_per_day`` and ``style`` are the chart's own, so the bands have
    its scale, its stretches of time across pages and its left edge.
    """
    if not has_resources(view):
        return []
    width, height = size
    slot = slot_minutes(points_per_day, NARROWEST_BAR)
    spans = list(dict.fromkeys((page.first, page.last) for page in pages)) or [
        (layout.first, layout.last)
    ]
    room = max(
        int(
            (height - CAPTION_HEIGHT - AXIS_HEIGHT - LEGEND_HEIGHT - LEGEND_LINE)
            // (BAND_HEIGHT + BAND_GAP)
        ),
        1,
    )
    story: list[Flowable] = []
    for part, (first, last) in enumerate(spans, start=1):
        bands = load_bands(view, first, last, slot)
        story.extend(
            LoadPage(
                view,
                bands[top : top + room],
                span=(first, last),
                part=(part, len(spans)),
                scale=(style.table_width, points_per_day),
                width=width,
                font_size=style.font_size,
            )
            for top in range(0, len(bands), room)
        )
    return [*story, *shift_table(view, width, style.font_size)]


class LoadPage(Flowable):
    """Some resources' bands over one stretch of the chart's time, with its axis and legend."""

    def __init__(
        self,
        view: ExportView,
        bands: list[ResourceBand],
        *,
        span: tuple[int, int],
        part: tuple[int, int],
        scale: tuple[float, float],
        width: float,
        font_size: float,
    ) -> None:
        """Keep what ``draw`` needs: the bands, the time span and the chart's scale."""
        super().__init__()
        self.view, self.bands = view, bands
        self.first, self.last = span
        self.part, self.parts = part
        self.left, self.points_per_day = scale
        self.width = width
        self.size = font_size
        legend = sum(15 + stringWidth(_(name), FONT, font_size) + 10 for _kind, name in MARKS)
        self.height = (
            CAPTION_HEIGHT
            + AXIS_HEIGHT
            + len(bands) * (BAND_HEIGHT + BAND_GAP)
            + LEGEND_HEIGHT
            + (LEGEND_LINE if legend > width else 0)
        )
        self.right = self.left + (self.last - self.first) * self.points_per_day / DAY

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:  # noqa: ARG002 - reportlab's signature
        """As tall as its bands."""
        return self.width, self.height

    def x(self, minute: int) -> float:
        """Where a minute is, as on the chart."""
        return self.left + (minute - self.first) * self.points_per_day / DAY

    def band_bottom(self, index: int) -> float:
        """The base line of the index-th band."""
        top = self.height - CAPTION_HEIGHT - AXIS_HEIGHT
        return top - (index + 1) * (BAND_HEIGHT + BAND_GAP) + BAND_GAP

    def draw(self) -> None:
        """Caption, axis, then each band with its label, then the legend."""
        canvas: Canvas = self.canv
        self.caption(canvas)
        self.axis(canvas)
        for index, band in enumerate(self.bands):
            bottom = self.band_bottom(index)
            self.label(canvas, band, bottom)
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(self.left, bottom, self.right - self.left, BAND_HEIGHT)
            canvas.clipPath(path, stroke=0, fill=0)
            self.band(canvas, band, bottom)
            canvas.restoreState()
        self.legend(canvas)

    def caption(self, canvas: Canvas) -> None:
        """``Resource load · Mon 16 Jun – Mon 30 Jun``, and the part across when there are more."""
        timebase = self.view.timebase
        text = _("Resource load against units · {start} – {end}").format(
            start=day_label(timebase, self.first), end=day_label(timebase, self.last - 1)
        )
        if self.parts > 1:
            text += _(" · part {part} of {parts} across").format(part=self.part, parts=self.parts)
        canvas.setFont(BOLD, self.size + 1)
        canvas.setFillColor(HexColor(PALETTE["text"]))
        canvas.drawString(0, self.height - 10, fit_text(text, self.width, BOLD, self.size + 1))

    def axis(self, canvas: Canvas) -> None:
        """The chart's two rows of labels, their grid lines through every band."""
        top = self.height - CAPTION_HEIGHT - AXIS_HEIGHT
        bottom = self.band_bottom(len(self.bands) - 1)
        upper, lower = axis_ticks(self.view.timebase, self.first, self.last, self.points_per_day)
        for ticks, y, font, line_top in (
            (upper, top + 15, BOLD, top + AXIS_HEIGHT - 4),
            (lower, top + 3, FONT, top),
        ):
            canvas.setStrokeColor(HexColor(PALETTE["grid"]))
            canvas.setLineWidth(0.4)
            canvas.setFillColor(HexColor(PALETTE["text"]))
            canvas.setFont(font, self.size)
            width = partial(_width, font=font, size=self.size)
            for tick in spaced(ticks, self.x, width):
                x = self.x(tick.minute)
                canvas.line(x, bottom, x, line_top)
                if x + width(tick.label) <= self.right + 1:
                    canvas.drawString(x + 1.5, y, tick.label)
        canvas.setStrokeColor(HexColor("#888888"))
        canvas.setLineWidth(0.8)
        canvas.line(0, top, self.right, top)

    def label(self, canvas: Canvas, band: ResourceBand, bottom: float) -> None:
        """The resource's name, its id, units, peak and time over its units; the units' level."""
        room = self.left - 24
        per_unit = (BAND_HEIGHT - 4) / band.top
        canvas.setFont(FONT, self.size - 0.5)
        canvas.setFillColor(HexColor(PALETTE["text"]))
        level = bottom + band.resource.units * per_unit - (self.size - 0.5) / 3
        canvas.drawRightString(self.left - 3, level, str(band.resource.units))
        canvas.setFillColor(HexColor(PALETTE["text"]))
        canvas.setFont(BOLD, self.size)
        canvas.drawString(
            0, bottom + BAND_HEIGHT - self.size, fit_text(band.label, room, BOLD, self.size)
        )
        canvas.setFont(FONT, self.size - 0.5)
        color = PALETTE["late"] if band.load.overallocated_minutes else "#555555"
        canvas.setFillColor(HexColor(color))
        canvas.drawString(
            0,
            bottom + BAND_HEIGHT - 2.2 * self.size,
            fit_text(band.summary, room, FONT, self.size - 0.5),
        )

    def band(self, canvas: Canvas, band: ResourceBand, bottom: float) -> None:
        """Non-working time, absences, the bars, the hatching of overloads, the units line."""
        per_unit = (BAND_HEIGHT - 4) / band.top
        hours = self.points_per_day >= HOURS_POINTS_PER_DAY
        canvas.setFillColor(HexColor(PALETTE["off"]))
        for begin, end in off_time(band.calendar, self.first, self.last, hours=hours):
            canvas.rect(
                self.x(begin), bottom, self.x(end) - self.x(begin), BAND_HEIGHT, stroke=0, fill=1
            )
        canvas.setFillColor(HexColor(AWAY))
        away = [(self.x(a), bottom, self.x(b) - self.x(a), BAND_HEIGHT) for a, b in band.away]
        for box in away:
            canvas.rect(*box, stroke=0, fill=1)
        _hatch(canvas, away, color=AWAY_LINES, rising=False)
        over = []
        for begin, end, units, overloaded in runs(band):
            x, height = self.x(begin), units * per_unit
            canvas.setFillColor(HexColor(PALETTE["critical"] if overloaded else BOOKED))
            canvas.rect(x, bottom, self.x(end) - x, height, stroke=0, fill=1)
            if overloaded:
                over.append((x, bottom, self.x(end) - x, height))
        _hatch(canvas, over)
        canvas.setStrokeColor(HexColor(UNITS_LINE))
        canvas.setLineWidth(0.9)
        canvas.setDash(3, 2)
        units_y = bottom + band.resource.units * per_unit
        canvas.line(self.left, units_y, self.right, units_y)
        canvas.setDash()
        canvas.setStrokeColor(HexColor("#888888"))
        canvas.setLineWidth(0.5)
        canvas.line(self.left, bottom, self.right, bottom)
        as_of = self.view.schedule.as_of
        if as_of is not None and self.first <= as_of <= self.last:
            canvas.setStrokeColor(HexColor(PALETTE["status"]))
            canvas.setLineWidth(1.2)
            canvas.setDash(3, 2)
            canvas.line(self.x(as_of), bottom, self.x(as_of), bottom + BAND_HEIGHT)
            canvas.setDash()

    def legend(self, canvas: Canvas) -> None:
        """Each mark of the bands with its name, on one line under them."""
        y = self.band_bottom(len(self.bands) - 1) - 14
        x = 0.0
        canvas.setFont(FONT, self.size)
        for kind, name in MARKS:
            text = _(name)
            if x + 15 + stringWidth(text, FONT, self.size) > self.width:
                x, y = 0.0, y - self.size - 4  # a narrow page: the legend takes two lines
            if kind == "booked":
                canvas.setFillColor(HexColor(BOOKED))
                canvas.rect(x, y - 1, 12, 8, stroke=0, fill=1)
            elif kind == "over":
                canvas.setFillColor(HexColor(PALETTE["critical"]))
                canvas.rect(x, y - 1, 12, 8, stroke=0, fill=1)
                _hatch(canvas, [(x, y - 1, 12, 8)])
            elif kind in {"units", "status"}:
                canvas.setStrokeColor(
                    HexColor(UNITS_LINE if kind == "units" else PALETTE["status"])
                )
                canvas.setLineWidth(1.0)
                canvas.setDash(3, 2)
                if kind == "units":
                    canvas.line(x, y + 3, x + 12, y + 3)
                else:
                    canvas.line(x + 6, y - 1, x + 6, y + 7)
                canvas.setDash()
            else:
                canvas.setFillColor(HexColor(AWAY if kind == "away" else PALETTE["off"]))
                canvas.rect(x, y - 1, 12, 8, stroke=0, fill=1)
                if kind == "away":
                    _hatch(canvas, [(x, y - 1, 12, 8)], color=AWAY_LINES, rising=False)
            canvas.setFillColor(HexColor(PALETTE["text"]))
            canvas.drawString(x + 15, y + 0.5, text)
            x += 15 + stringWidth(text, FONT, self.size) + 10


def _hatch(
    canvas: Canvas,
    boxes: list[tuple[float, float, float, float]],
    *,
    color: str = "#000000",
    rising: bool = True,
) -> None:
    """Diagonal lines across the boxes, continuous from one box to the next.

    Rising lines (black) mark over-allocation; falling ones (grey) absences.
    """
    if not boxes:
        return
    canvas.saveState()
    path = canvas.beginPath()
    for x, y, width, height in boxes:
        path.rect(x, y, width, height)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.setStrokeColor(HexColor(color))
    canvas.setLineWidth(0.7)
    left = min(box[0] for box in boxes)
    right = max(box[0] + box[2] for box in boxes)
    low = min(box[1] for box in boxes)
    high = max(box[1] + box[3] for box in boxes)
    step = 3.0
    # Lines on a fixed grid (x -/+ y = k * step), so neighbouring boxes continue each other.
    start = ((left - high) if rising else (left + low)) // step * step
    end = (right - low) if rising else (right + high)
    offset = start
    while offset < end:
        if rising:
            canvas.line(low + offset, low, high + offset, high)
        else:
            canvas.line(offset - low, low, offset - high, high)
        offset += step
    canvas.restoreState()


def shift_table(view: ExportView, width: float, size: float) -> list[Flowable]:
    """Who is on what in the plan's window: a heading and a table that repeats its header."""
    rows = shift_rows(view)
    if not rows:
        return []
    timebase = view.timebase
    begin, end = plan_window(view)
    heading = ParagraphStyle(
        "shift-heading", fontName=BOLD, fontSize=size + 1, leading=(size + 1) * 1.4
    )
    cell = ParagraphStyle("shift-cell", fontName=FONT, fontSize=size, leading=size * 1.2)
    muted = ParagraphStyle("shift-away", parent=cell, textColor=HexColor("#555555"))
    title = _("Who is on what, {start} – {end}").format(
        start=when(timebase, begin), end=when(timebase, end)
    )
    headers = (n_("from"), n_("to"), n_("resource"), n_("task"), n_("name"), n_("units"))
    data: list[list[str | Paragraph]] = [[_(header) for header in headers]]
    for row in rows:
        style = muted if row.away else cell
        data.append(
            [
                row.start,
                row.finish,
                Paragraph(escape(row.resource), style),
                Paragraph(escape(row.task), style),
                Paragraph(escape(shorten(row.name, 200)), style),
                row.units,
            ]
        )
    widths = [_column(data, column, size, width * 0.2) for column in range(len(headers))]
    widths[4] = max(width - sum(widths) + widths[4], width * 0.25)  # the rest to the names
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor("#999999")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, HexColor("#e4e4e4")),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return [Spacer(1, 10), Paragraph(escape(title), heading), table]


def _column(data: list[list[str | Paragraph]], column: int, size: float, most: float) -> float:
    """A column as wide as its widest cell (bold for the header), padding included."""
    cells = [row[column] for row in data]
    widest = max(
        _width(
            cell if isinstance(cell, str) else cell.text,
            font=BOLD if index == 0 else FONT,
            size=size,
        )
        for index, cell in enumerate(cells)
    )
    return min(widest + 14, most)


def _width(label: str, *, font: str, size: float) -> float:
    return float(stringWidth(label, font, size))
