"""The HTML page: self-contained, escaped, printable; checked in a real headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from pypdf import PdfReader

from cutover.common import i18n
from cutover.export import ExportOptions, export
from cutover.export.to_html import SCRIPT as PAGE_SCRIPT
from cutover.findings.pipeline import Analysis, analyse

if TYPE_CHECKING:
    from cutover.engine.rows import ScheduleRow

PLAN = Path(__file__).parents[1] / "plans" / "tuyenquang.yaml"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


class _Page(HTMLParser):
    """The text, element names and URLs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.rows: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_script = tag == "script"
        values = dict(attrs)
        if tag == "tr" and values.get("data-task"):
            self.rows.append((values["data-task"] or "", "hidden" in values))
        self.urls += [
            value or "" for name, value in attrs if name in {"src", "href", "action", "xlink:href"}
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def _parse(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode())
    return page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan whose every text field tries to become markup."""
    plan = {
        "plan": f"Tuyên Quang {SCRIPT} & <b>bold</b>",
        "timezone": "Asia/Ho_Chi_Minh",
        "start": date(2025, 6, 16),
        "tasks": [
            {"id": "prep", "name": "<i>Phase</i> \"one\" 'quoted'", "tasks": [
                {"id": "x", "name": SCRIPT, "owner": f"Sở Khoa học và Công nghệ & {IMAGE}",
                 "duration": "1d", "deadline": date(2025, 6, 20)},
            ]},
            {"id": "y", "name": f"</svg>{SCRIPT}", "milestone": True, "after": ["prep"]},
        ],
    }  # fmt: skip
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_html(hostile: Path) -> bytes:
    return export(analyse(hostile, now=None, as_of=datetime(2025, 6, 17, 9, 0)), "html", OPTIONS)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(PLAN, now=None, as_of=datetime(2025, 6, 26, 9, 0))


def test_plan_text_stays_text(hostile_html: bytes) -> None:
    page = _parse(hostile_html)
    text = "".join(page.text)
    assert SCRIPT in text
    assert f"</svg>{SCRIPT}" in text
    assert IMAGE in text
    assert page.scripts == [PAGE_SCRIPT]  # the page's own, and nothing from the plan
    assert "img" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html.decode()


def test_the_page_loads_nothing_and_runs_nothing(hostile_html: bytes) -> None:
    page = _parse(hostile_html)
    assert page.urls == ["data:,"]  # the empty favicon, so the browser asks for none
    assert "Content-Security-Policy" in hostile_html.decode()
    assert "default-src 'none'" in hostile_html.decode()
    # The one script runs because the policy names its hash, and nothing else can.
    digest = base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in hostile_html.decode()
    assert "unsafe-inline'; img-src data:; script-src 'sha256-" in hostile_html.decode()
    assert "fetch(" not in PAGE_SCRIPT
    assert "XMLHttpRequest" not in PAGE_SCRIPT
    urls = set(re.findall(rb"https?://[^\"' )]+", hostile_html))
    assert urls <= {b"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched


def test_the_page_has_the_title_block_table_and_chart(analysis: Analysis) -> None:
    data = export(analysis, "html", OPTIONS)
    page = _parse(data)
    text = " ".join(" ".join(page.text).split())
    assert "Forecast finish Tue 1 Jul 2025 00:00 — on time for the deadline" in text
    assert "Sở Khoa học và Công nghệ" in text
    assert {"table", "thead", "tbody", "svg"} <= page.tags
    assert "Ủy ban nhân dân tỉnh issues the provincial cutover plan" in text
    # The chart comes first: its table (columns beside the bars) before the title block.
    assert text.index("Ủy ban nhân dân tỉnh") < text.index("Forecast finish Tue 1 Jul")
    for header in ("# id task owner start finish slack to deadline status",):
        assert header in text
    assert [task for task, _ in page.rows][:3] == ["prep", "province-plan", "commune-plans"]


def test_print_css_follows_the_paper_option(analysis: Analysis) -> None:
    default = export(analysis, "html", OPTIONS).decode()
    a3 = export(
        analysis,
        "html",
        ExportOptions(generated_at=OPTIONS.generated_at, paper="a3", landscape=False),
    )
    assert "size: A4 landscape;" in default
    assert "size: A3 portrait;" in a3.decode()
    assert 'content: "page " counter(page) " of " counter(pages)' in default
    assert "thead { display: table-header-group; }" in default


def test_the_printed_pages_are_numbered_in_the_readers_language(analysis: Analysis) -> None:
    """The words around the page counters come from the catalog, as the PDF's footer's do."""
    i18n.set_language("vi")
    try:
        page = export(analysis, "html", OPTIONS).decode()
    finally:
        i18n.set_language("en")
    assert '@bottom-right { content: "trang " counter(page) "\\00002f" counter(pages);' in page


# -- in a real browser ----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)


def _console(stderr: str) -> list[str]:
    """Console messages (errors, warnings, CSP reports) that Chromium logged."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.slow
@needs_chromium
def test_chromium_loads_the_page_without_console_messages(
    hostile_html: bytes, tmp_path: Path
) -> None:
    page = tmp_path / "schedule.html"
    page.write_bytes(hostile_html)
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert _console(result.stderr) == []
    dom = _parse(result.stdout.encode())
    assert dom.scripts == [PAGE_SCRIPT]
    assert SCRIPT in "".join(dom.text)


@pytest.mark.slow
@needs_chromium
def test_chromium_prints_the_page_to_pdf(analysis: Analysis, tmp_path: Path) -> None:
    page = tmp_path / "schedule.html"
    page.write_bytes(export(analysis, "html", OPTIONS))
    printed = tmp_path / "printed.pdf"
    result = _chromium(
        tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri()
    )
    assert _console(result.stderr) == []
    reader = PdfReader(io.BytesIO(printed.read_bytes()))
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape from @page
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Tuyên Quang" in text
    assert "Localities issue their" in text
    assert "Localities issue their detailed plans" not in text  # one line a row: cut with …
    assert f"page 1 of {len(reader.pages)}" in text  # numbered pages


def _dom_after(page: Path, tmp_path: Path, fragment: str) -> _Page:
    """The page as Chromium has it once its script has run with ``#fragment``."""
    result = _chromium(tmp_path, "--dump-dom", page.as_uri() + "#" + fragment)
    assert _console(result.stderr) == []  # no error, no CSP violation
    return _parse(result.stdout.encode())


@pytest.fixture
def flagship_page(analysis: Analysis, tmp_path: Path) -> Path:
    page = tmp_path / "schedule.html"
    page.write_bytes(export(analysis, "html", OPTIONS))
    return page


@needs_chromium
def test_sorting_by_a_column_reorders_the_rows(
    analysis: Analysis, flagship_page: Path, tmp_path: Path
) -> None:
    finish = {row.id: (row.finish, row.node) for row in _rows(analysis)}
    dom = _dom_after(flagship_page, tmp_path, "sort=finish:desc")
    order = [task for task, _ in dom.rows]
    assert sorted(order) == sorted(finish)
    assert [finish[task][0] for task in order] == sorted(
        (finish[task][0] for task in order), reverse=True
    )
    assert order[0] == "new-model"
    assert 'aria-sort="descending"' in _raw(flagship_page, tmp_path, "sort=finish:desc")


@needs_chromium
def test_collapsing_a_summary_hides_its_tasks_only(flagship_page: Path, tmp_path: Path) -> None:
    dom = _dom_after(flagship_page, tmp_path, "collapse=prep,weekend")
    hidden = {task for task, is_hidden in dom.rows if is_hidden}
    assert hidden == {
        "province-plan", "commune-plans", "plan-issued", "accounts",
        "network-ready", "readiness-count", "trial",
    }  # fmt: skip
    assert "30 of 30 tasks" not in " ".join(dom.text)


@needs_chromium
def test_filtering_by_text_and_by_state(flagship_page: Path, tmp_path: Path) -> None:
    dom = _dom_after(flagship_page, tmp_path, "filter=lgsp")
    assert {task for task, hidden in dom.rows if not hidden} == {
        "lgsp",
        "lgsp-sync",
        "lgsp-migrate",
    }
    dom = _dom_after(flagship_page, tmp_path, "only=late")
    assert {task for task, hidden in dom.rows if not hidden} == {"accounts"}


def _rows(analysis: Analysis) -> list[ScheduleRow]:
    from cutover.engine.rows import schedule_rows  # noqa: PLC0415

    return schedule_rows(analysis.schedule)


def _raw(page: Path, tmp_path: Path, fragment: str) -> str:
    return _chromium(tmp_path, "--dump-dom", page.as_uri() + "#" + fragment).stdout


@needs_chromium
@pytest.mark.parametrize("width", [1400, 420])
def test_the_page_at_desktop_and_phone_widths(
    flagship_page: Path, tmp_path: Path, width: int
) -> None:
    """A screenshot shows the bars beside the names (looked at; kept out of the goldens)."""
    from PIL import Image  # noqa: PLC0415

    shot = tmp_path / f"page-{width}.png"
    result = _chromium(
        tmp_path, f"--window-size={width},1000", f"--screenshot={shot}", flagship_page.as_uri()
    )
    assert _console(result.stderr) == []
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, 1000)
    colours: set[tuple[int, int, int]] = {
        colour  # type: ignore[misc]
        for _, colour in image.getcolors(maxcolors=1 << 24) or []
    }
    # Done work (green), critical work (red hatch) and the status date are on screen.
    assert (44, 160, 44) in colours
    assert any(r > 180 and g < 70 and b < 70 for r, g, b in colours)
    # In greyscale the marks still differ: done is a mid grey, critical has black stripes.
    grey = Image.open(shot).convert("L")
    levels: set[int] = {level for _, level in grey.getcolors(maxcolors=256) or []}  # type: ignore[misc]
    assert min(levels) < 40
    assert any(90 <= level <= 130 for level in levels)


def _grey(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


def test_marks_differ_without_colour() -> None:
    """Critical is hatched, done solid, other work outlined: told apart in black and white."""
    from cutover.export.gantt_layout import PALETTE  # noqa: PLC0415
    from cutover.export.to_html import legend  # noqa: PLC0415

    marks = re.findall(r'<rect [^>]*fill="([^"]+)"[^>]*/>\s*</svg> ([a-z -]+)<', legend())
    fills = {label: fill for fill, label in marks}
    assert fills["critical"] == "url(#hatch)"  # a pattern, not a colour alone
    assert fills["other work"] == "#ffffff"  # an outline
    assert abs(_grey(fills["done"]) - _grey(fills["other work"])) > 60
    assert abs(_grey(fills["done"]) - _grey(PALETTE["off"])) > 60
