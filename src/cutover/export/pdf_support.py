"""The PDF's font and its "page N of M" footers.

PDF's built-in fonts have no Vietnamese glyphs (FIELD_NOTES §4: Helvetica prints "Công
vi■c"), so the bundled DejaVu Sans is embedded; it covers Vietnamese, arrows and the chart's
symbols. Imported only by ``to_pdf``, which is imported only when a PDF is made.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from cutover.common.i18n import _

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
FOOTER_SIZE = 7.0
#: Page margin in points (10 mm); the footer sits inside the bottom one.
MARGIN = 28.0


def register_fonts() -> None:
    """Register the bundled DejaVu Sans (regular and bold) once per process."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name in registered:
            continue
        with as_file(files("cutover.export") / "fonts" / filename) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def fit_text(text: str, width: float, font: str, size: float) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def numbered_canvas(footer: str, page_width: float) -> type[Canvas]:
    """A canvas class that writes ``footer`` and "page N of M" on every page once M is known.

    ReportLab's own recipe: keep each page's state instead of emitting it, and emit them
    all, numbered, when the document is saved.
    """

    class NumberedCanvas(Canvas):
        """Keeps each page until the document ends, then numbers them all."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - reportlab's signature
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # the recipe's private call

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width = page_width
            self.saveState()
            self.setFont(FONT, FOOTER_SIZE)
            self.setFillColor(HexColor("#555555"))
            self.drawString(MARGIN, MARGIN / 2, fit_text(footer, width - 150, FONT, FOOTER_SIZE))
            page = _("page {number} of {total}").format(number=number, total=total)
            self.drawRightString(width - MARGIN, MARGIN / 2, page)
            self.restoreState()

    return NumberedCanvas
