"""The PDF document: title block, task table and chart pages, built with reportlab.

Imported only when a PDF is made (``to_pdf``), so reportlab costs nothing elsewhere.
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cutover import __version__
from cutover.export.gantt_layout import chart_layout
from cutover.export.pdf_gantt import GanttPage, chart_pages
from cutover.export.pdf_support import BOLD, FONT, MARGIN, numbered_canvas, register_fonts
from cutover.export.view import TABLE_HEADERS

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView, TableRow

#: Share of the table's width per column, in TABLE_HEADERS order.
COLUMN_SHARES = (0.10, 0.26, 0.18, 0.095, 0.095, 0.105, 0.055, 0.11)
FONT_SIZES = {"a4": 7.5, "a3": 9.0}
TEXT_COLOR = "#222222"
LATE_COLOR = "#7a0000"
RISK_COLOR = "#b36b00"
MUTED_COLOR = "#777777"


def render_pdf(view: ExportView, options: ExportOptions) -> bytes:
    """Build the whole document in memory and return its bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=page_size(options),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=view.title.plan,
        subject=f"Schedule, {view.title.status}",
        author="cutover",
        creator=f"cutover {__version__}",
        invariant=True,  # no creation date or random id: the same plan gives the same bytes
        initialFontName=FONT,
    )
    width, height = document.width, document.height
    frame = Frame(
        MARGIN, MARGIN, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    footer = f"{view.title.plan} · {view.title.status} · generated {view.title.generated}"
    document.build(
        _story(view, options, width, height),
        canvasmaker=numbered_canvas(footer, document.pagesize[0]),
    )
    return buffer.getvalue()


def page_size(options: ExportOptions) -> tuple[float, float]:
    """A4 or A3, landscape unless asked otherwise."""
    size = A3 if options.paper == "a3" else A4
    return landscape(size) if options.landscape else portrait(size)


def _story(view: ExportView, options: ExportOptions, width: float, height: float) -> list[Flowable]:
    """Title block and table, then one page per piece of the chart."""
    styles = _Styles(FONT_SIZES[options.paper])
    story: list[Flowable] = [
        *_title(view, styles, width),
        Spacer(1, 8),
        _table(view, styles, width),
    ]
    layout = chart_layout(view)
    chart_height = height - 2  # a flowable exactly as tall as the frame may not fit it
    points_per_day, pages = chart_pages(layout, width, chart_height)
    for page in pages:
        chart = GanttPage(
            view,
            layout=layout,
            page=page,
            points_per_day=points_per_day,
            width=width,
            height=chart_height,
        )
        story += [PageBreak(), chart]
    return story


class _Styles:
    """Paragraph styles made on demand: bold or not, a colour, an indent."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.base = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.2)
        self._cache: dict[tuple[bool, str, int], ParagraphStyle] = {}

    def get(
        self, *, bold: bool = False, color: str = TEXT_COLOR, indent: int = 0
    ) -> ParagraphStyle:
        """A style with these settings, created once."""
        key = (bold, color, indent)
        if key not in self._cache:
            self._cache[key] = ParagraphStyle(
                f"cell-{len(self._cache)}",
                parent=self.base,
                fontName=BOLD if bold else FONT,
                textColor=HexColor(color),
                leftIndent=indent * self.size,
            )
        return self._cache[key]


def _paragraph(value: str, style: ParagraphStyle) -> Paragraph:
    """Plan text as a paragraph: escaped, since reportlab reads its own markup in it."""
    return Paragraph(escape(value, quote=False), style)


def _title(view: ExportView, styles: _Styles, width: float) -> list[Flowable]:
    """The plan's name, then label and value lines: status, generated, finish, counts."""
    heading = ParagraphStyle(
        "title", fontName=BOLD, fontSize=styles.size * 2, leading=styles.size * 2.5
    )
    data = [
        [
            _paragraph(label, styles.get(bold=True)),
            _paragraph(value, _title_style(styles, label, view)),
        ]
        for label, value in view.title.lines()
    ]
    table = Table(data, colWidths=[width * 0.16, width * 0.84], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # the table's own default would add Helvetica
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [_paragraph(view.title.plan, heading), table]


def _title_style(styles: _Styles, label: str, view: ExportView) -> ParagraphStyle:
    if label == "Delayed tasks" and view.title.delayed:
        return styles.get(bold=True, color=LATE_COLOR)
    if label == "At-risk tasks" and view.title.at_risk:
        return styles.get(bold=True, color=RISK_COLOR)
    return styles.get()


def _table(view: ExportView, styles: _Styles, width: float) -> LongTable:
    """The task table: header repeated on every page, summaries as shaded group rows."""
    header = [_paragraph(name, styles.get(bold=True)) for name in TABLE_HEADERS]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#dddddd")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor("#888888")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, HexColor("#dddddd")),
    ]
    commands += [
        ("BACKGROUND", (0, number), (-1, number), HexColor("#f0f0f0"))
        for number, item in enumerate(view.table, start=1)
        if item.row.summary
    ]
    data = [header, *(_cells(item, styles) for item in view.table)]
    widths = [share * width for share in COLUMN_SHARES]
    return LongTable(data, colWidths=widths, repeatRows=1, style=TableStyle(commands))


def _cells(item: TableRow, styles: _Styles) -> list[Paragraph]:
    """One row: late in dark red, done and cancelled greyed, the task indented under its summary."""
    row = item.row
    color = TEXT_COLOR
    if item.late:
        color = LATE_COLOR
    elif row.status in {"done", "cancelled"}:
        color = MUTED_COLOR
    status_color = RISK_COLOR if item.at_risk else color
    task = item.task + (" ◆" if row.milestone else "")
    cells = [_paragraph(value, styles.get(bold=row.summary, color=color)) for value in item.cells()]
    cells[1] = _paragraph(task, styles.get(bold=row.summary, color=color, indent=row.depth))
    emphasis = row.summary or item.late or item.at_risk
    cells[7] = _paragraph(item.status, styles.get(bold=emphasis, color=status_color))
    return cells
