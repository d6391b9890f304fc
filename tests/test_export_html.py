"""The HTML page: self-contained, escaped, printable; checked in a real headless Chromium."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from cutover.export import ExportOptions, export
from cutover.findings.pipeline import Analysis, analyse

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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.urls += [
            value or "" for name, value in attrs if name in {"src", "href", "action", "xlink:href"}
        ]

    def handle_data(self, data: str) -> None:
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
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html.decode()


def test_the_page_loads_nothing_and_runs_nothing(hostile_html: bytes) -> None:
    page = _parse(hostile_html)
    assert page.urls == ["data:,"]  # the empty favicon, so the browser asks for none
    assert "Content-Security-Policy" in hostile_html.decode()
    assert "default-src 'none'" in hostile_html.decode()
    urls = set(re.findall(rb"https?://[^\"' )]+", hostile_html))
    assert urls == {b"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched


def test_the_page_has_the_title_block_table_and_chart(analysis: Analysis) -> None:
    data = export(analysis, "html", OPTIONS)
    page = _parse(data)
    text = " ".join(" ".join(page.text).split())
    assert "Forecast finish Tue 1 Jul 2025 00:00 — on time for the deadline" in text
    assert "Sở Khoa học và Công nghệ" in text
    assert {"table", "thead", "tbody", "svg"} <= page.tags
    assert (
        text.count("Ủy ban nhân dân tỉnh issues the provincial cutover plan") == 2
    )  # table, chart tooltip


def test_print_css_follows_the_paper_option(analysis: Analysis) -> None:
    default = export(analysis, "html", OPTIONS).decode()
    a3 = export(
        analysis,
        "html",
        ExportOptions(generated_at=OPTIONS.generated_at, paper="a3", landscape=False),
    )
    assert "@page { size: A4 landscape;" in default
    assert "@page { size: A3 portrait;" in a3.decode()
    assert "thead { display: table-header-group; }" in default


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
    assert "script" not in dom.tags
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
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape from @page
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Tuyên Quang" in text
    assert "Localities issue their detailed plans" in text
