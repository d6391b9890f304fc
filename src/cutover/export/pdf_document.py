"""The PDF document: the title block, then the Gantt with its table columns, with reportlab.

Imported only when a PDF is made (``to_pdf``), so reportlab costs nothing elsewhere.
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cutover import __version__
from cutover.common.i18n import _
from cutover.common.text import shorten
from cutover.export.abbreviations import key as owner_key
from cutover.export.gantt_layout import chart_layout, chart_links
from cutover.export.pdf_gantt import GanttPage, chart_pages, chart_style
from cutover.export.pdf_load_chart import load_story
from cutover.export.pdf_support import BOLD, FONT, MARGIN, numbered_canvas, register_fonts

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView

#: Characters of one text the title block shows (the plan's name, say): about 40 lines.
CELL_LIMIT = 300
#: Characters of the owners' key: every short form the chart uses, with its name.
KEY_LIMIT = 1500
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
        subject=_("Schedule, {status}").format(status=view.title.status),
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
    footer = _("{plan} · {status} · generated {when}").format(
        plan=view.title.plan, status=view.title.status, when=view.title.generated
    )
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
    """The title block, then the chart with its table columns, from the first page on.

    The chart starts under the title block when a good part of it fits there, so a short
    plan is one page and a wide one wastes no page on the title alone; each later page
    repeats the columns' headers and the axis.
    """
    styles = _Styles(FONT_SIZES[options.paper])
    owners = chart_style(options.paper, width, view=view).owners
    title = _title(view, styles, width, owners)
    used = sum(flowable.wrap(width, height)[1] for flowable in title) + 8
    story: list[Flowable] = [*title, Spacer(1, 8)]
    layout = chart_layout(view)
    chart_height = height - 2  # a flowable exactly as tall as the frame may not fit it
    # Rows a little closer when that saves a page (no page for the last two rows).
    plans = []
    for spacing in (1.75, 1.6, 1.45):
        style = chart_style(options.paper, width, spacing, view)
        plans.append(
            (
                style,
                chart_pages(layout, width, chart_height, style, first_height=chart_height - used),
            )
        )
    fewest = min(len(pages) for _, (_, pages) in plans)
    style, (points_per_day, pages) = next(plan for plan in plans if len(plan[1][1]) == fewest)
    links = chart_links(view)
    for page in pages:
        chart = GanttPage(
            view,
            layout=layout,
            page=page,
            points_per_day=points_per_day,
            width=width,
            height=chart_height - used if page.short else chart_height,
            style=style,
            links=links,
        )
        if page.under_title:
            story.append(chart)
        elif page.short:  # the same rows as page 1, at the same height on the page
            story += [PageBreak(), Spacer(1, used), chart]
        else:
            story += [PageBreak(), chart]
    # Then each resource's load on the chart's scale, and who is on what (none: nothing).
    story += load_story(
        view, layout, pages=pages, points_per_day=points_per_day, style=style,
        size=(width, chart_height),
    )  # fmt: skip
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


def _paragraph(value: str, style: ParagraphStyle, limit: int = CELL_LIMIT) -> Paragraph:
    """Plan text as a paragraph: escaped, since reportlab reads its own markup in it.

    Cut at CELL_LIMIT characters: a table row must fit on one page, and a 5,000-character
    name wrapped in its column is taller than any (reportlab's LayoutError).
    """
    return Paragraph(escape(shorten(value, limit), quote=False), style)


def _title(
    view: ExportView, styles: _Styles, width: float, owners: tuple[tuple[str, str], ...] = ()
) -> list[Flowable]:
    """The plan's name, then label and value lines: status, generated, finish, counts.

    With ``owners`` (the chart's column shows them short), a last line is their key.
    """
    heading = ParagraphStyle(
        "title", fontName=BOLD, fontSize=styles.size * 2, leading=styles.size * 2.5
    )
    data = [
        [
            _paragraph(label, styles.get(bold=True)),
            _paragraph(
                value,
                _title_style(styles, label, view),
                KEY_LIMIT if label == _("Owners") else CELL_LIMIT,
            ),
        ]
        for label, value in _lines(view, owners)
    ]
    # As wide as the longest label needs (Vietnamese labels are longer), within reason.
    needed = max(stringWidth(label, BOLD, styles.size) for label, _value in _lines(view, owners))
    share = min(max(0.16, (needed + 6) / width), 0.3)
    table = Table(data, colWidths=[width * share, width * (1 - share)], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # the table's own default would add Helvetica
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [_paragraph(view.title.plan, heading), table]


def _lines(view: ExportView, owners: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The title block's lines, and the owners' key when the chart shows them short."""
    lines = view.title.lines()
    if owners:
        key = " · ".join(f"{short} = {name}" for short, name in owner_key(dict(owners)))
        lines.append((_("Owners"), key))
    return lines


def _title_style(styles: _Styles, label: str, view: ExportView) -> ParagraphStyle:
    if label == _("Delayed tasks") and view.title.delayed:
        return styles.get(bold=True, color=LATE_COLOR)
    if label == _("At-risk tasks") and view.title.at_risk:
        return styles.get(bold=True, color=RISK_COLOR)
    return styles.get()
