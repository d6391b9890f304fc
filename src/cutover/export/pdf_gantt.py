"""The Gantt chart on PDF pages, as planners print it: its columns beside the bars.

Each row has the task's outline number, id, name, owner, start, finish, total and deadline
slack on the left and its bar on the right, on one row. One scale for the whole chart:
the plan's span across the page when that leaves at least MIN_POINTS_PER_DAY, else as few
pages across as keep that (MAX_PAGES_ACROSS at most), each with the same number of days.
Rows go down the pages; each page repeats the column headers, the axis and the legend,
so pages can be laid side by side. Marks differ by shape as well as colour (critical work
hatched, done solid, other work outlined), so a black-and-white copy keeps them apart;
every link is a thin line from its predecessor, routed as the SVG and HTML route it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from cutover.common.i18n import _, current_language, n_
from cutover.export.abbreviations import abbreviate
from cutover.export.gantt_layout import (
    DAY,
    MONTHS,
    PALETTE,
    ChartLayout,
    ChartLink,
    ChartRow,
    axis_ticks,
    calendar_runs,
    chart_links,
    off_time,
    route_link,
    spaced,
)
from cutover.export.pdf_support import BOLD, FONT, fit_text
from cutover.export.view import outline_numbers
from cutover.findings.wording import day_label, when, work_amount

if TYPE_CHECKING:
    from collections.abc import Callable

    from reportlab.pdfgen.canvas import Canvas

    from cutover.export.gantt_layout import Tick
    from cutover.export.view import ExportView
    from cutover.worktime.timebase import TimeBase

LABEL_WIDTH = 190.0
ROW_HEIGHT = 12.0
HEADER_HEIGHT = 42.0
LEGEND_HEIGHT = 16.0
MIN_POINTS_PER_DAY = 3.5
#: Up to this many rows, the chart is drawn as fine as this rather than on pages across.
FEW_ROWS = 40
FEW_ROWS_POINTS_PER_DAY = 0.9
#: A plan of years is drawn finer than MIN_POINTS_PER_DAY rather than on more pages across.
MAX_PAGES_ACROSS = 4
#: Labels are at least 7 pt on A4, larger on A3 (the chart grows with the paper).
FONT_SIZE = 7.0
FONT_SIZES = {"a4": 7.0, "a3": 8.5}
#: The table's columns: key, header, width in characters of the font, right-aligned.
COLUMNS = (
    ("outline", "#", 5.5, False),
    ("id", "id", 13.0, False),
    ("name", "task", 31.0, False),
    ("owner", "owner", 12.0, False),
    ("start", "start", 18.0, False),
    ("finish", "finish", 18.0, False),
    ("slack", "slack", 9.0, True),
    ("dslack", "deadline", 9.0, True),
)
#: Points per character of DejaVu Sans, per point of font size (about; digits are 0.64).
CHAR = 0.6
#: Columns dropped first when the chart would get less than half the width.
DROP_ORDER = ("owner", "id", "start", "slack")
#: The most of the width the table's columns may take.
TABLE_SHARE = 0.58
#: Before dropping columns, names and owners are cut to this many characters.
NARROW_NAME_CHARS = 24.0
NARROW_OWNER_CHARS = 9.0
#: Owners longer than this many letters get a short form (``DST``) in a narrow column.
OWNER_LETTERS = 8
MAX_OWNER_CHARS = 12.0
#: Hours shaded only from this scale up: below, nights would print as a barcode.
HOURS_POINTS_PER_DAY = 120.0
#: A link's stub out of and into a bar, in points.
LINK_GAP = 3.0
#: Lines of links that set a date (True) and of the others.
LINK_COLOURS = {True: "#3a3a3a", False: "#a8a8a8"}
#: The direction each arrow points, on the page (y grows upwards).
ARROW_BACK = {"right": (1.0, 0.0), "left": (-1.0, 0.0), "down": (0.0, -1.0), "up": (0.0, 1.0)}


@dataclass(frozen=True)
class ChartStyle:
    """Sizes that grow with the paper: font, row height, and the table's columns."""

    font_size: float = FONT_SIZE
    columns: tuple[tuple[str, str, float, bool], ...] = COLUMNS
    #: Row height in font sizes: 1.75 reads best; a little less can save a page.
    spacing: float = 1.75
    #: Dates without their weekday (``17 Jun 07:00``), to keep every column on the page.
    short_dates: bool = False
    #: Owners' short forms in the owner column (full name, short form), for a narrow one.
    owners: tuple[tuple[str, str], ...] = ()
    #: Slacks with one letter a unit (``1n 6g 30p`` for ``1 ngày 6 giờ 30 phút``).
    compact_durations: bool = False

    @property
    def row_height(self) -> float:
        """Room for one line of text and a bar."""
        return round(self.font_size * self.spacing, 2)

    def column_width(self, chars: float) -> float:
        """A column of ``chars`` characters, in points."""
        return chars * self.font_size * CHAR

    @property
    def table_width(self) -> float:
        """The columns' total width in points."""
        return sum(self.column_width(width) for _, _, width, _ in self.columns)

    def fitted(self, width: float) -> ChartStyle:
        """The columns that leave the bars at least 42% of ``width``."""
        style = self
        for key in DROP_ORDER:
            if style.table_width <= width * TABLE_SHARE:
                break
            style = replace(
                style, columns=tuple(column for column in style.columns if column[0] != key)
            )
        # Room left over goes to the names, up to twice their width.
        spare = (width * TABLE_SHARE - style.table_width) / (self.font_size * CHAR)
        if spare > 1:
            style = replace(
                style,
                columns=tuple(
                    (key, header, min(chars + spare, 2 * chars) if key == "name" else chars, right)
                    for key, header, chars, right in style.columns
                ),
            )
        return style


def chart_style(
    paper: str, width: float, spacing: float = 1.75, view: ExportView | None = None
) -> ChartStyle:
    """The style for a paper size and a frame width; with ``view``, columns fit their cells.

    The columns of ids, dates and slacks take the width of their longest cell (ids up to
    a limit), so a slack such as "1d 6h 30m" or an id is never cut in the middle. When
    they would not all fit beside the bars, they are made narrower before any is
    dropped: names shorter (cut with an ellipsis), then dates without their weekday,
    then slacks with one letter a unit (Vietnamese spells units out: "1 ngày 6 giờ 30
    phút" is "1n 6g 30p"). Only then do columns go, in DROP_ORDER. Owners too long for
    their column are shown as short forms (``DST``) on any paper, with their key under
    the title.
    """
    size = FONT_SIZES.get(paper, FONT_SIZE)
    if view is None:
        return ChartStyle(size, COLUMNS, spacing).fitted(width)
    widest = _widest_cells(view, size)
    style = ChartStyle(size, _measured(widest, size), spacing)
    room = width * TABLE_SHARE
    style = _short_owners(style, view)
    if style.table_width > room:
        narrower = {"name": NARROW_NAME_CHARS, "owner": NARROW_OWNER_CHARS}
        if style.owners:  # already as narrow as its short forms
            narrower.pop("owner")
        style = replace(
            style,
            columns=tuple(
                (key, header, min(chars, narrower.get(key, chars)), right)
                for key, header, chars, right in style.columns
            ),
        )
    if style.table_width > room:
        short = {"start": widest["short_start"], "finish": widest["short_finish"]}
        style = replace(
            style,
            short_dates=True,
            columns=tuple(
                (key, header, max(short[key], _chars(header, BOLD, size)), right)
                if key in short
                else (key, header, chars, right)
                for key, header, chars, right in style.columns
            ),
        )
    if style.table_width > room:
        compact = {"slack": widest["compact_slack"], "dslack": widest["compact_dslack"]}
        style = replace(
            style,
            compact_durations=True,
            columns=tuple(
                (key, header, max(compact[key], _chars(header, BOLD, size)), right)
                if key in compact
                else (key, header, chars, right)
                for key, header, chars, right in style.columns
            ),
        )
    style = style.fitted(width)
    if not any(key == "owner" for key, *_rest in style.columns):
        style = replace(style, owners=())
    return style


def _short_owners(style: ChartStyle, view: ExportView) -> ChartStyle:
    """Owners as short forms (``DST``) when a name would be cut in its column.

    ``Provincial P…`` cannot tell the Provincial People's Committee from its Office or
    from the Provincial Steering Committee; ``PPC``, ``PPCO`` and ``PSC`` can, with
    their key under the title. Without unique short forms, names are cut as before.
    """
    size = style.font_size
    column = next(chars for key, _, chars, _ in style.columns if key == "owner")
    names = {item.owner for item in view.table if item.owner}
    if all(_chars(name, BOLD, size) <= column for name in names):
        return style
    owners = abbreviate(names, OWNER_LETTERS)
    if not owners:
        return style
    shown = [owners.get(item.owner, item.owner) for item in view.table]
    width = min(max(_chars(value, BOLD, size) for value in shown), MAX_OWNER_CHARS)
    return replace(
        style,
        owners=tuple(sorted(owners.items())),
        columns=tuple(
            (key, header, width if key == "owner" else chars, right)
            for key, header, chars, right in style.columns
        ),
    )


def _measured(widest: dict[str, float], size: float) -> tuple[tuple[str, str, float, bool], ...]:
    """COLUMNS with the measured ones as wide as their longest cell (or header)."""
    return tuple(
        (key, header, max(widest[key], _chars(header, BOLD, size)), right)
        if key in widest
        else (key, header, chars, right)
        for key, header, chars, right in COLUMNS
    )


def short_when(timebase: TimeBase, minute: int) -> str:
    """A date and time without the weekday, for a narrow column: ``17 Jun 07:00``."""
    moment = timebase.naive(minute)
    day = (
        f"{moment.day} {MONTHS[moment.month - 1]}"
        if current_language() == "en"
        else f"{moment.day:02d}/{moment.month:02d}"
    )
    return f"{day} {moment.hour:02d}:{moment.minute:02d}"


#: The most characters an id column takes; longer ids are cut there.
MAX_ID_CHARS = 18.0


def _chars(text: str, font: str, size: float) -> float:
    """How many of CHAR-wide characters ``text`` takes, with room for the cell's padding."""
    return float(stringWidth(text, font, size)) / (size * CHAR) + 1.2


def _widest_cells(view: ExportView, size: float) -> dict[str, float]:
    """The width, in characters, of the longest cell of each measured column (bold for all)."""
    outlines = outline_numbers(view)
    widest: dict[str, float] = {}
    for item in view.table:
        row = item.row
        cells = {
            "outline": outlines[row.id],
            "id": row.id,
            "start": when(view.timebase, row.start, year=False),
            "finish": when(view.timebase, row.finish, year=False),
            "short_start": short_when(view.timebase, row.start),
            "short_finish": short_when(view.timebase, row.finish),
            "slack": item.slack,
            "dslack": ""
            if row.deadline_slack is None
            else work_amount(row.deadline_slack, row.day_minutes),
            "compact_slack": work_amount(row.total_slack, row.day_minutes, compact=True),
            "compact_dslack": ""
            if row.deadline_slack is None
            else work_amount(row.deadline_slack, row.day_minutes, compact=True),
        }
        for key, value in cells.items():
            widest[key] = max(widest.get(key, 0.0), _chars(value, BOLD, size))
    widest["id"] = min(widest.get("id", 0.0), MAX_ID_CHARS)
    return widest


@dataclass(frozen=True)
class ChartPage:
    """One page of the chart: a run of rows and a stretch of time."""

    rows: range
    first: int
    last: int
    part: int
    parts: int
    #: Drawn on the first page, under the title block.
    under_title: bool = False
    #: As tall as the room under the title block (the first rows, on every part across).
    short: bool = False


def chart_pages(
    layout: ChartLayout,
    width: float,
    height: float,
    style: ChartStyle | None = None,
    first_height: float | None = None,
) -> tuple[float, list[ChartPage]]:
    """The points per day, and the pages: rows down, then time across, in reading order.

    ``first_height`` is the room on the first page (under the title block), when the
    chart starts there; the others are ``height`` tall.
    """
    style = style or ChartStyle().fitted(width)
    chart_width = width - style.table_width
    days = max(layout.minutes // DAY, 1)
    # A few rows over a long time: one page across at a finer scale, not pages of empty rows.
    finest = MIN_POINTS_PER_DAY if len(layout.rows) > FEW_ROWS else FEW_ROWS_POINTS_PER_DAY
    parts = min(math.ceil(days * finest / chart_width), MAX_PAGES_ACROSS)
    step = math.ceil(days / parts) * DAY  # whole days, the same on every page
    points_per_day = chart_width / (step / DAY)
    spans = [
        (begin, min(begin + step, layout.last)) for begin in range(layout.first, layout.last, step)
    ]

    def capacity(room: float) -> int:
        return max(int((room - HEADER_HEIGHT - LEGEND_HEIGHT) // style.row_height), 0)

    # Under the title block when a good part of the chart fits there. A chart pages wide
    # starts there too (no page of the title alone): the other parts of its first rows
    # leave the title's room empty above them, so pages laid side by side line up.
    under = first_height is not None and capacity(first_height) >= min(8, len(layout.rows))
    ranges: list[tuple[range, bool]] = []
    top, room = 0, capacity(first_height) if under and first_height is not None else 0
    if not under:
        room = capacity(height)
    while top < len(layout.rows):
        take = max(room, 1)
        ranges.append((range(top, min(top + take, len(layout.rows))), under and not ranges))
        top, room = top + take, capacity(height)
    pages = [
        ChartPage(rows, begin, end, part, len(spans), first and part == 1, short=first)
        for rows, first in ranges
        for part, (begin, end) in enumerate(spans, start=1)
    ]
    return points_per_day, pages


class GanttPage(Flowable):
    """One page of the chart as a flowable that fills the frame (or what the title leaves)."""

    def __init__(
        self,
        view: ExportView,
        *,
        layout: ChartLayout,
        page: ChartPage,
        points_per_day: float,
        width: float,
        height: float,
        style: ChartStyle | None = None,
        links: tuple[ChartLink, ...] | None = None,
    ) -> None:
        """Keep what ``draw`` needs; ``links`` once for all pages (else found here)."""
        super().__init__()
        self.view, self.layout, self.page = view, layout, page
        self.points_per_day = points_per_day
        self.width, self.height = width, height
        self.style = style or ChartStyle().fitted(width)
        self.outlines = outline_numbers(view)
        self.links = chart_links(view) if links is None else links
        self.owners = dict(self.style.owners)

    def cells(self, index: int) -> dict[str, str]:
        """The table's cells of one row, by column key."""
        item = self.view.table[index]
        row, timebase = item.row, self.view.timebase
        dated = short_when if self.style.short_dates else partial(when, year=False)
        compact = self.style.compact_durations
        return {
            "outline": self.outlines[row.id],
            "id": row.id,
            "name": item.task,
            "owner": self.owners.get(item.owner, item.owner),
            "start": dated(timebase, row.start),
            "finish": dated(timebase, row.finish),
            "slack": work_amount(row.total_slack, row.day_minutes, compact=True)
            if compact
            else item.slack,
            "dslack": ""
            if row.deadline_slack is None
            else work_amount(row.deadline_slack, row.day_minutes, compact=compact),
        }

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:  # noqa: ARG002 - reportlab's signature
        """The page's own size, fixed when the pages were planned."""
        return self.width, self.height

    def draw(self) -> None:
        """Shading, headers and axis, rows with their columns, links, bars, legend."""
        painter = _Painter(self.canv, self)
        painter.caption()
        painter.clipped(painter.shading)
        painter.axis()
        painter.headers()
        for index in self.page.rows:
            painter.label(index)
        painter.clipped(painter.links)
        painter.clipped(painter.shapes)
        painter.far_deadlines()
        painter.legend()


def header_lines(label: str, width: float, size: float) -> list[str]:
    """A column header as one line, or two when it is wider than ``width`` points."""
    words = label.split()
    if len(words) < 2 or stringWidth(label, BOLD, size) <= width:
        return [label]
    cut = max(
        (n for n in range(1, len(words)) if stringWidth(" ".join(words[:n]), BOLD, size) <= width),
        default=1,
    )
    return [" ".join(words[:cut]), " ".join(words[cut:])]


class _Painter:
    """Draws one chart page on the canvas; y grows upwards from the frame's bottom."""

    def __init__(self, canvas: Canvas, flowable: GanttPage) -> None:
        self.canvas, self.flow = canvas, flowable
        self.page, self.layout = flowable.page, flowable.layout
        self.style = flowable.style
        self.size = self.style.font_size
        self.row_height = self.style.row_height
        self.left = self.style.table_width
        self.right = self.left + (self.page.last - self.page.first) * flowable.points_per_day / DAY
        self.top = flowable.height - HEADER_HEIGHT
        self.bottom = self.top - len(self.page.rows) * self.row_height

    def x(self, minute: float) -> float:
        return self.left + (minute - self.page.first) * self.flow.points_per_day / DAY

    def row_top(self, index: int) -> float:
        return self.top - (index - self.page.rows.start) * self.row_height

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
        self.canvas.setFont(BOLD, self.size + 1)
        self.canvas.setFillColor(HexColor(PALETTE["text"]))
        self.canvas.drawString(
            0, self.flow.height - 9, fit_text(text, self.flow.width, BOLD, self.size + 1)
        )

    def shading(self) -> None:
        hours = self.flow.points_per_day >= HOURS_POINTS_PER_DAY
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
                    (end - begin) * self.row_height,
                    stroke=0,
                    fill=1,
                )

    def axis(self) -> None:
        """Coarse labels (months or days) above fine ones, each with its grid line."""
        timebase, scale = self.flow.view.timebase, self.flow.points_per_day
        upper, lower = axis_ticks(timebase, self.page.first, self.page.last, scale)
        self.ticks(upper, self.top + 17, BOLD, self.top + 26)
        self.ticks(lower, self.top + 4, FONT, self.top)
        self.canvas.setStrokeColor(HexColor("#888888"))
        self.canvas.setLineWidth(0.8)
        self.canvas.line(0, self.top, self.right, self.top)

    def ticks(self, ticks: list[Tick], y: float, font: str, line_top: float) -> None:
        canvas = self.canvas
        canvas.setStrokeColor(HexColor(PALETTE["grid"]))
        canvas.setLineWidth(0.4)
        canvas.setFillColor(HexColor(PALETTE["text"]))
        canvas.setFont(font, self.size)
        width = partial(_label_width, font=font, size=self.size)
        for tick in spaced(ticks, self.x, width):
            x = self.x(tick.minute)
            canvas.line(x, self.bottom, x, line_top)
            if x + width(tick.label) <= self.right + 1:
                canvas.drawString(x + 1.5, y, tick.label)

    def headers(self) -> None:
        """The table's column headers, on every page, level with the axis's lower labels."""
        canvas, x = self.canvas, 0.0
        canvas.setFont(BOLD, self.size)
        canvas.setFillColor(HexColor(PALETTE["text"]))
        for _key, header, chars, right in self.style.columns:
            width = self.style.column_width(chars)
            label = _(header) if header != "#" else header
            if right:
                canvas.drawRightString(x + width - 2, self.top + 4, label)
            else:
                # A header wider than its column ("người phụ trách" over owners' short
                # forms) takes a second line above, in the room the axis leaves there.
                lines = header_lines(label, width - 2, self.size)
                for above, text in zip(range(len(lines) - 1, -1, -1), lines, strict=True):
                    y = self.top + 4 + above * self.size * 1.15
                    canvas.drawString(x + 1, y, fit_text(text, width - 2, BOLD, self.size))
            x += width
        canvas.setStrokeColor(HexColor("#bbbbbb"))
        canvas.setLineWidth(0.5)
        canvas.line(self.left, self.bottom, self.left, self.top + 26)

    def label(self, index: int) -> None:
        """One row's columns: late in dark red, at risk in amber, done greyed."""
        chart_row = self.layout.rows[index]
        row = chart_row.row
        item = self.flow.view.table[index]
        bold = row.summary or chart_row.late
        font = BOLD if bold else FONT
        color = (
            PALETTE["critical"]
            if chart_row.late
            else ("#8a5200" if item.at_risk else PALETTE["text"])
        )
        if row.status in {"done", "cancelled"}:
            color = "#666666"
        top = self.row_top(index)
        if row.summary:
            self.canvas.setFillColor(HexColor("#f0f0f0"))
            self.canvas.rect(0, top - self.row_height, self.left, self.row_height, stroke=0, fill=1)
        y = top - self.row_height + (self.row_height - self.size) / 2 + 1
        self.canvas.setFont(font, self.size)
        self.canvas.setFillColor(HexColor(color))
        x = 0.0
        values = self.flow.cells(index)
        for key, _header, chars, right in self.style.columns:
            width = self.style.column_width(chars)
            value = values[key]
            indent = 0.0
            if key == "name":
                mark = "! " if chart_row.late else ("~ " if item.at_risk else "")
                value = mark + value + (" ◆" if row.milestone else "")
                indent = min(row.depth, 6) * self.size * 0.8
            text = fit_text(value, width - 3 - indent, font, self.size)
            if right:
                self.canvas.drawRightString(x + width - 2, y, text)
            else:
                self.canvas.drawString(x + 1 + indent, y, text)
            x += width
        self.canvas.setStrokeColor(HexColor("#e4e4e4"))
        self.canvas.setLineWidth(0.3)
        self.canvas.line(0, top - self.row_height, self.right, top - self.row_height)

    def links(self) -> None:
        """Each link that crosses this page's rows, routed as every view routes it.

        A link from or to a row on another page runs to the chart's edge, as on the
        whole chart. Thin lines: the links that set a date dark, the others light, so a
        300-task page still reads.
        """
        rows = self.page.rows
        gap = LINK_GAP / self.flow.points_per_day * DAY
        for link in self.flow.links:
            low, high = sorted((link.pred, link.succ))
            if high < rows.start or low >= rows.stop:
                continue  # a link from or to another page still shows, cut at the edge
            route = route_link(link, gap)
            colour = HexColor(LINK_COLOURS[link.driving])
            self.canvas.setStrokeColor(colour)
            self.canvas.setFillColor(colour)
            self.canvas.setLineWidth(0.5 if link.driving else 0.4)
            corners = [(self.x(minute), self.row_y(position)) for minute, position in route.points]
            tip = corners[-1]
            path = self.canvas.beginPath()
            path.moveTo(*corners[0])
            for corner in corners[1:-1]:
                path.lineTo(*corner)
            back = ARROW_BACK[route.heading]
            path.lineTo(tip[0] - back[0] * 2.2, tip[1] - back[1] * 2.2)
            self.canvas.drawPath(path, stroke=1, fill=0)
            self.arrow(tip, route.heading)

    def row_y(self, position: float) -> float:
        """The y of a row position (row ``i``'s middle is ``i + 0.5``)."""
        return self.top - (position - self.page.rows.start) * self.row_height

    def arrow(self, tip: tuple[float, float], heading: str) -> None:
        """A small filled head at ``tip``, pointing along ``heading``."""
        dx, dy = ARROW_BACK[heading]
        x, y = tip
        head = self.canvas.beginPath()
        head.moveTo(x, y)
        head.lineTo(x - dx * 2.4 - dy * 1.4, y - dy * 2.4 - dx * 1.4)
        head.lineTo(x - dx * 2.4 + dy * 1.4, y - dy * 2.4 + dx * 1.4)
        head.close()
        self.canvas.drawPath(head, stroke=0, fill=1)

    def shapes(self) -> None:
        for index in self.page.rows:
            self.row_shapes(self.layout.rows[index], self.row_top(index) - self.row_height / 2)
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
            canvas.setStrokeColor(HexColor("#444444"))
            canvas.setLineWidth(0.6)
            canvas.setDash(2, 1.5)
            canvas.line(self.x(chart_row.slack.begin), middle, self.x(chart_row.slack.end), middle)
            canvas.setDash()
        half = self.row_height * (0.14 if chart_row.row.summary else 0.3)
        for span in chart_row.bars:
            self.bar(self.x(span.begin), self.x(span.end), middle, half, span.kind,
                     summary=chart_row.row.summary)  # fmt: skip
        if chart_row.milestone is not None:
            self.diamond(self.x(chart_row.milestone.begin), middle, chart_row.milestone.kind)
        if chart_row.deadline is not None:
            canvas.setStrokeColor(HexColor(PALETTE["deadline"]))
            canvas.setLineWidth(1.6)
            x = self.x(chart_row.deadline)
            top, low = middle + self.row_height / 2 - 1, middle - self.row_height / 2 + 1
            canvas.line(x, low, x, top)
            canvas.line(x - 2.5, top, x, top - 3)  # a barb: a deadline, not a grid line
            canvas.line(x + 2.5, top, x, top - 3)

    def bar(
        self, begin: float, end: float, middle: float, half: float, kind: str, *, summary: bool
    ) -> None:
        """Critical work hatched, done solid, other work outlined, summaries a dark band."""
        canvas = self.canvas
        width = max(end - begin, 0.8)
        if summary:
            canvas.setFillColor(HexColor("#000000" if kind == "critical" else "#555555"))
            canvas.rect(begin, middle - half, width, 2 * half, stroke=0, fill=1)
            return
        fill = {"critical": PALETTE["critical"], "done": PALETTE["done"]}.get(kind, "#ffffff")
        canvas.setFillColor(HexColor(fill))
        canvas.setStrokeColor(HexColor(PALETTE["work"] if kind == "work" else "#000000"))
        canvas.setLineWidth(1.0 if kind == "work" else 0.5)
        canvas.rect(begin, middle - half, width, 2 * half, stroke=1, fill=1)
        if kind == "critical":
            self.hatch(begin, middle - half, width, 2 * half)

    def hatch(self, x: float, y: float, width: float, height: float) -> None:
        canvas = self.canvas
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(x, y, width, height)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.setStrokeColor(HexColor("#000000"))
        canvas.setLineWidth(0.7)
        step = 3.0
        offset = -height
        while offset < width:
            canvas.line(x + offset, y, x + offset + height, y + height)
            offset += step
        canvas.restoreState()

    def diamond(self, x: float, middle: float, kind: str) -> None:
        """Critical black, done green, others white: each outlined."""
        fill = {"critical": "#000000", "done": PALETTE["done"]}.get(kind, "#ffffff")
        self.canvas.setFillColor(HexColor(fill))
        self.canvas.setStrokeColor(HexColor("#000000"))
        self.canvas.setLineWidth(0.6)
        size = self.row_height * 0.36
        path = self.canvas.beginPath()
        path.moveTo(x, middle + size)
        path.lineTo(x + size, middle)
        path.lineTo(x, middle - size)
        path.lineTo(x - size, middle)
        path.close()
        self.canvas.drawPath(path, stroke=1, fill=1)

    def far_deadlines(self) -> None:
        """A deadline past the chart's end: a mark at the edge with its date, not a wider axis."""
        if self.page.part != self.page.parts:
            return
        view = self.flow.view
        self.canvas.setFont(FONT, self.size - 1)
        self.canvas.setFillColor(HexColor(PALETTE["deadline"]))
        for index in self.page.rows:
            row = self.layout.rows[index].row
            if row.deadline is not None and row.deadline > self.page.last:
                y = self.row_top(index) - self.row_height + (self.row_height - self.size) / 2 + 1
                label = "▸ " + day_label(view.timebase, row.deadline - 1)
                self.canvas.drawRightString(self.right - 1, y, label)

    def link_swatch(self, x: float, y: float, *, driving: bool) -> None:
        """A link as the chart draws it: out of a bar, down, into the next."""
        colour = HexColor(LINK_COLOURS[driving])
        self.canvas.setStrokeColor(colour)
        self.canvas.setFillColor(colour)
        self.canvas.setLineWidth(0.5 if driving else 0.4)
        path = self.canvas.beginPath()
        path.moveTo(x, y + 6)
        path.lineTo(x + 5, y + 6)
        path.lineTo(x + 5, y)
        path.lineTo(x + 9.6, y)
        self.canvas.drawPath(path, stroke=1, fill=0)
        self.arrow((x + 12, y), "right")

    def legend(self) -> None:
        """Each mark drawn as on the chart, with its name."""
        canvas = self.canvas
        x, y = 0.0, self.bottom - LEGEND_HEIGHT + 4
        marks = (
            ("critical", n_("critical")), ("work", n_("other work")), ("done", n_("done")),
            ("slack", n_("slack")), ("milestone", n_("milestone")),
            ("critical_milestone", n_("critical milestone")), ("summary", n_("summary")),
            ("deadline", n_("deadline")), ("status", n_("status date")),
            ("off", n_("non-working time")),
            ("driving", n_("link that sets a date")), ("link", n_("other link")),
        )  # fmt: skip
        canvas.setFont(FONT, self.size)
        for kind, name in marks:
            text = _(name)
            if x + 25 + stringWidth(text, FONT, self.size) > self.flow.width:
                x, y = 0.0, y - self.size - 3  # a narrow page: the legend takes two lines
            middle = y + 3
            if kind in {"critical", "work", "done"}:
                self.bar(x, x + 12, middle, 3, kind, summary=False)
            elif kind == "summary":
                self.bar(x, x + 12, middle, 1.5, "summary", summary=True)
            elif kind in {"milestone", "critical_milestone"}:
                self.diamond(x + 6, middle, "critical" if kind != "milestone" else "milestone")
            elif kind == "slack":
                canvas.setStrokeColor(HexColor("#444444"))
                canvas.setDash(2, 1.5)
                canvas.line(x, middle, x + 12, middle)
                canvas.setDash()
            elif kind in {"driving", "link"}:
                self.link_swatch(x, y, driving=kind == "driving")
            elif kind in {"deadline", "status"}:
                canvas.setStrokeColor(HexColor(PALETTE[kind]))
                canvas.setLineWidth(1.4)
                canvas.line(x + 6, y - 1, x + 6, y + 7)
            else:
                canvas.setFillColor(HexColor(PALETTE["off"]))
                canvas.rect(x, y - 1, 12, 8, stroke=0, fill=1)
            canvas.setFillColor(HexColor(PALETTE["text"]))
            canvas.drawString(x + 15, y + 0.5, text)
            x += 15 + stringWidth(text, FONT, self.size) + 10


def _label_width(label: str, *, font: str, size: float = FONT_SIZE) -> float:
    return float(stringWidth(label, font, size))
