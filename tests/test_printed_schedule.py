"""The printed schedule as planners hand it out: pages, columns, the HTML's scroll, renders.

Renders are kept as golden images (PDF page and HTML screenshots, compared with a
tolerance) and golden text (the SVG). After a change that moves them on purpose:
``pytest tests/test_printed_schedule.py --update-goldens``, then look at each PNG.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from cutover.common import i18n
from cutover.export import ExportOptions, export
from cutover.export.abbreviations import abbreviate, initials, key
from cutover.findings.pipeline import Analysis, analyse
from tests.conftest import check_golden

ROOT = Path(__file__).parents[1]
FLAGSHIP = ROOT / "plans" / "tuyenquang.yaml"
GOLDEN = Path(__file__).parent / "golden" / "print"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-device-scale-factor=1",
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")


@pytest.fixture(scope="module")
def flagship() -> Analysis:
    return analyse(FLAGSHIP, now=None, as_of=datetime(2025, 6, 26, 9, 0))


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


# -- the PDF's pages ---------------------------------------------------------------------------


def _long_plan(path: Path, tasks: int = 60) -> Path:
    """A year of chained four-day tasks: more rows than a page, pages across."""
    plan = {
        "plan": "Year of work",
        "timezone": "Asia/Ho_Chi_Minh",
        "start": "2025-01-06",
        "tasks": [
            {
                "id": f"t{n}",
                "name": f"Task number {n} of the long plan",
                "owner": f"Team {n % 4}",
                "duration": "4d",
                **({"after": [f"t{n - 1}"]} if n else {}),
            }
            for n in range(tasks)
        ],
    }
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    return path


def test_a_wide_chart_starts_under_the_title_block(tmp_path: Path) -> None:
    """No page with the title block alone: the first rows go under it, on every part across."""
    analysis = analyse(_long_plan(tmp_path / "long.yaml"), now=None, as_of=None)
    pages = _pages(export(analysis, "pdf", OPTIONS))
    first = pages[0]
    assert first.startswith("Year of work")
    assert re.search(r"Gantt chart · rows 1–(\d+) of 60 · .* · part 1 of (\d) across", first)
    rows, parts = re.search(r"rows 1–(\d+) of 60 .* of (\d) across", first).groups()  # type: ignore[union-attr]
    assert int(parts) > 1
    for part in range(2, int(parts) + 1):  # the same first rows, laid beside page 1
        assert f"rows 1–{rows} of 60" in pages[part - 1]
        assert f"part {part} of {parts} across" in pages[part - 1]
    assert all("# id task owner start finish slack deadline" in text for text in pages)


def test_at_a4_every_column_the_issue_names_sits_beside_the_bars(flagship: Analysis) -> None:
    first = _pages(export(flagship, "pdf", OPTIONS))[0]
    assert "# id task owner start finish slack deadline" in first
    # Owners in short, with their key under the title; dates without the weekday.
    assert "1.1 province-plan Ủy ban nhân dân tỉnh issues… PPCO 17 Jun 07:00 18 Jun 17:00" in first
    assert "Owners DHA = Department of Home Affairs (Sở Nội vụ) · DST = Department of" in first
    assert "PPCO = Provincial People's Committee Office (Văn phòng UBND tỉnh)" in first


def test_in_vietnamese_at_a4_every_column_fits_as_in_english() -> None:
    """Slacks spelt out ("1 ngày 6 giờ 30 phút") are written "1n 6g 30p" rather than the
    id and owner columns being dropped to make room for them."""
    i18n.set_language("vi")
    try:
        analysis = analyse(FLAGSHIP, now=None, as_of=datetime(2025, 6, 26, 9, 0))
        first = _pages(export(analysis, "pdf", OPTIONS))[0]
    finally:
        i18n.set_language("en")
    # id and owner, as in English; the owner's header, wider than its column, on two lines
    assert "# mã nhiệm vụ người phụ trách bắt đầu kết thúc dự trữ hạn chót" in first
    assert "dự trữ hạn chót" in first
    assert "1.1 province-plan Ủy ban nhân dân tỉnh issues th… PPCO 17/06 07:00 18/06 17:00" in first
    assert "1 prep Plans and preparation 17/06 07:00 27/06 10:36 -3g 36p -3g 36p" in first
    assert "giờ" not in first.split("Biểu đồ Gantt")[1].split("đường găng")[0]


def test_a_narrow_page_drops_columns_and_no_key_is_printed(flagship: Analysis) -> None:
    portrait = ExportOptions(generated_at=OPTIONS.generated_at, landscape=False)
    first = _pages(export(flagship, "pdf", portrait))[0]
    assert "# task finish slack deadline" in first
    assert "Owners" not in first  # no owner column, so no key for it


def test_owners_get_short_forms_that_tell_them_apart() -> None:
    assert initials("Department of Science and Technology (Sở Khoa học và Công nghệ)") == "DST"
    assert initials("VNPT and Viettel Tuyên Quang (telecom enterprises)") == "VNPT VTQ"
    assert initials("Provincial Steering Committee task force", every_word=True) == "PSCTF"
    names = {
        "Provincial Steering Committee",
        "Provincial Steering Committee task force",
        "Provincial People's Committee Office",
        "Provincial People's Committee Office (Văn phòng UBND tỉnh)",
        "Team 1",
    }
    short = abbreviate(names, 8)
    assert short == {
        "Provincial Steering Committee": "PSC",
        "Provincial Steering Committee task force": "PSCTF",
        "Provincial People's Committee Office": "PPCO",
        "Provincial People's Committee Office (Văn phòng UBND tỉnh)": "PPCO",
    }
    assert key(short) == [
        ("PPCO", "Provincial People's Committee Office (Văn phòng UBND tỉnh)"),
        ("PSC", "Provincial Steering Committee"),
        ("PSCTF", "Provincial Steering Committee task force"),
    ]
    assert abbreviate({"Department of Health", "Department of Housing"}, 8) == {}  # both DH
    assert abbreviate({"ủy ban nhân dân tỉnh"}, 8) == {}  # no capitals: nothing to shorten to


# -- the HTML page in a browser ----------------------------------------------------------------

PROBE = """<script>
window.addEventListener("load", function () {
  var table = document.getElementById("gantt");
  var wrap = table.parentElement;
  var name = table.tHead.querySelector("th.name").getBoundingClientRect();
  var cells = Array.prototype.map.call(table.tHead.rows[0].cells, function (cell) {
    var box = cell.getBoundingClientRect();
    return [cell.className, box.left, box.right];
  });
  var wrapBox = wrap.getBoundingClientRect();
  document.body.setAttribute("data-probe", JSON.stringify({
    scroll: wrap.scrollLeft, nameRight: name.right, wrapRight: wrapBox.right,
    status: parseFloat(table.dataset.statusX), cells: cells}));
});
</script>"""


def _probe(page: bytes, tmp_path: Path, width: int) -> dict[str, object]:
    """Where the page's header cells are once its script has scrolled the chart.

    The probe is a second script: the test's copy of the page drops the policy that
    would (rightly) refuse it.
    """
    assert CHROMIUM is not None
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.decode())
    copy = tmp_path / f"probe-{width}.html"
    copy.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={width},1000",
            "--dump-dom",
            copy.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found, result.stdout[-2000:]
    return dict(json.loads(found.group(1).replace("&quot;", '"')))


@needs_chromium
@pytest.mark.parametrize("width", [1400, 420])
def test_the_fixed_name_column_hides_no_column_in_part(
    flagship: Analysis, tmp_path: Path, width: int
) -> None:
    """Opened at the status date, each column is wholly in view or wholly scrolled away."""
    probe = _probe(export(flagship, "html", OPTIONS), tmp_path, width)
    edge = float(probe["nameRight"])  # type: ignore[arg-type]
    cells = probe["cells"]
    assert isinstance(cells, list)
    for kind, left, right in cells:
        if right - left < 1 or kind in {"name", "bars"}:
            continue
        assert right <= edge + 0.5 or left >= edge - 0.5, (kind, left, right, edge)
    bars = next(cell for cell in cells if cell[0] == "bars")
    status = bars[1] + float(probe["status"])  # type: ignore[arg-type]
    assert edge <= status <= float(probe["wrapRight"])  # type: ignore[arg-type]


@needs_chromium
def test_the_links_hide_while_rows_are_filtered_or_sorted(
    flagship: Analysis, tmp_path: Path
) -> None:
    """Each link is drawn in pieces, row by row: with rows hidden or moved they would not join."""
    assert CHROMIUM is not None
    page = tmp_path / "schedule.html"
    page.write_bytes(export(flagship, "html", OPTIONS))

    def table_class(fragment: str) -> str:
        result = subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", page.as_uri() + fragment],
            capture_output=True, text=True, timeout=90, check=True,
        )  # fmt: skip
        found = re.search(r'<table class="([^"]*)" id="gantt"', result.stdout)
        assert found, result.stdout[-1000:]
        return found.group(1)

    assert table_class("").split() == ["gantt"]
    assert "partial" in table_class("#filter=lgsp").split()
    assert "partial" in table_class("#collapse=prep").split()
    assert "flat" in table_class("#sort=finish").split()


# -- the HTML page printed from the browser --------------------------------------------------

#: A piece of text on a printed page: where it starts (points, y up) and what it says.
Fragment = tuple[float, float, str]


def _print_to_pdf(page: bytes, tmp_path: Path) -> Path:
    """The page as Chromium prints it: its own @page rule, its own margin boxes."""
    assert CHROMIUM is not None
    source, printed = tmp_path / "schedule.html", tmp_path / "printed.pdf"
    source.write_bytes(page)
    subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={printed}", source.as_uri()],
        capture_output=True, timeout=90, check=True,
    )  # fmt: skip
    return printed


def _fragments(pdf: Path) -> list[list[Fragment]]:
    """Each page's pieces of text with the point where each starts."""
    pages: list[list[Fragment]] = []
    for page in PdfReader(pdf).pages:
        found: list[Fragment] = []

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, found: list[Fragment] = found
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((x, y, text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def _table_rows(fragments: list[Fragment]) -> tuple[list[tuple[float, str]], float, float]:
    """The table's rows on a page as (y, outline number), the header's y and the bars' left.

    The outline numbers are the first column, under the ``#`` header; the bars start at
    the first label of the axis.
    """
    header = [(x, y) for x, y, text in fragments if text == "#"]
    if not header:
        return [], 0.0, 0.0
    left, top = header[0]
    rows = sorted(
        ((y, text) for x, y, text in fragments
         if abs(x - left) < 1 and y < top - 1 and re.fullmatch(r"\d+(\.\d+)*", text)),
        reverse=True,
    )  # fmt: skip
    bars = min(x for x, y, text in fragments if abs(y - top) < 2 and text.isdigit())
    return rows, top, bars


@needs_chromium
@pytest.mark.parametrize("plan", ["flagship", "long"])
def test_the_printed_page_has_one_line_a_row_numbered_pages_and_no_controls(
    flagship: Analysis, tmp_path: Path, plan: str
) -> None:
    """What a planner hands out: every row one line high, the header over the rows of
    every page, each page numbered "page N of M", and no filter or sort controls."""
    analysis = (
        flagship if plan == "flagship"
        else analyse(_long_plan(tmp_path / "long.yaml"), now=None, as_of=None)
    )  # fmt: skip
    html = export(analysis, "html", OPTIONS)
    printed = _print_to_pdf(html, tmp_path)
    reader = PdfReader(printed)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape by default
    texts = _pages(printed.read_bytes())
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {len(texts)}" in text, text[-200:]
        assert "Filter" not in text
        assert "all tasks" not in text
    outlines: list[str] = []
    pitches: list[float] = []
    for fragments in _fragments(printed):
        rows, top, bars = _table_rows(fragments)
        if not rows:
            continue
        outlines += [outline for _, outline in rows]
        ys = [y for y, _ in rows]
        pitches += [upper - lower for upper, lower in itertools.pairwise(ys)]
        # No text of the table's columns between two rows' lines: nothing wraps.
        pitch = (ys[0] - ys[-1]) / max(len(ys) - 1, 1) if len(ys) > 1 else 20.0
        for x, y, text in fragments:
            if x < bars - 1 and ys[-1] - pitch / 2 < y < top - 1:
                assert any(abs(y - row) < 0.6 for row in ys), (text, y, ys)
    # Every row found under a "#" header: none lost, and the header on each page with rows.
    assert outlines == re.findall(r'data-outline="([^"]+)"', html.decode())
    assert max(pitches) - min(pitches) < 0.6  # every row the same height: one line
    # Long names are cut with an ellipsis, and kept whole in the row's title.
    if plan == "flagship":
        assert "Ủy ban nhân dân tỉnh issues t…" in texts[0].replace(" …", "…")
        assert 'title="province-plan: Ủy ban nhân dân tỉnh issues the provincial cutover plan' in (
            html.decode()
        )


# -- renders kept as goldens -------------------------------------------------------------------


#: What the golden renders were made with: another renderer or other fonts draw other
#: pixels, so there the comparison says so and is skipped rather than failed.
ENVIRONMENT = GOLDEN / "environment.json"


def _render_environment(tool: str) -> str:
    """The renderer's version and the fonts it finds, in one line."""
    found = shutil.which(tool)
    version = subprocess.run(
        [found or tool, "-v" if tool == "pdftoppm" else "--version"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=30, check=False)
    first = (version.stdout + version.stderr).strip().splitlines()[:1]
    return f"{' '.join(first)} · {len(fonts.stdout.splitlines())} fonts"


def _same_image(
    shot: Path, golden: Path, *, update: bool, tool: str, tolerance: float = 0.005
) -> None:
    """Compare a render with its golden PNG: the same size, few pixels clearly different."""
    from PIL import Image, ImageChops  # noqa: PLC0415

    made_with = json.loads(ENVIRONMENT.read_text()) if ENVIRONMENT.exists() else {}
    here = _render_environment(tool)
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, golden)
        ENVIRONMENT.write_text(json.dumps({**made_with, tool: here}, indent=1) + "\n")
    elif made_with.get(tool) != here:
        pytest.skip(f"golden renders made with {made_with.get(tool)}; this machine has {here}")
    assert golden.exists(), f"no golden image {golden}: run with --update-goldens and look at it"
    new, old = Image.open(shot).convert("RGB"), Image.open(golden).convert("RGB")
    assert new.size == old.size
    difference = ImageChops.difference(new, old).convert("L").point(lambda v: 255 if v > 48 else 0)
    changed = difference.histogram()[255]
    assert changed / (new.width * new.height) <= tolerance, (
        f"{shot} differs from {golden} in {changed} pixels"
    )


@needs_pdftoppm
def test_the_flagship_pdf_page_matches_its_golden_image(
    flagship: Analysis, tmp_path: Path, update_goldens: bool
) -> None:
    assert PDFTOPPM is not None
    source = tmp_path / "schedule.pdf"
    source.write_bytes(export(flagship, "pdf", OPTIONS))
    subprocess.run(
        [PDFTOPPM, "-r", "100", "-png", "-singlefile", "-f", "1", "-l", "1", str(source),
         str(tmp_path / "page")],
        check=True,
        timeout=60,
    )  # fmt: skip
    _same_image(
        tmp_path / "page.png", GOLDEN / "tuyenquang-a4.png", update=update_goldens, tool="pdftoppm"
    )


def test_the_flagship_svg_matches_its_golden_text(flagship: Analysis, update_goldens: bool) -> None:
    check_golden(
        GOLDEN / "tuyenquang.svg", export(flagship, "svg", OPTIONS).decode(), update=update_goldens
    )


@needs_chromium
@pytest.mark.parametrize("width", [1400, 420])
def test_the_flagship_page_matches_its_golden_screenshot(
    flagship: Analysis, tmp_path: Path, width: int, update_goldens: bool
) -> None:
    assert CHROMIUM is not None
    page = tmp_path / "schedule.html"
    page.write_bytes(export(flagship, "html", OPTIONS))
    shot = tmp_path / f"page-{width}.png"
    subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={width},1000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=90,
        check=True,
    )
    _same_image(
        shot, GOLDEN / f"tuyenquang-html-{width}.png", update=update_goldens, tool="chromium"
    )


def test_the_html_axis_names_the_month_wherever_the_chart_is_scrolled(flagship: Analysis) -> None:
    """A phone shows about 290 px of bars: a month label at least every 290 px."""
    page = export(flagship, "html", OPTIONS).decode()
    axis = page[page.index('<svg class="axis"') :]
    axis = axis[: axis.index("</svg>")]
    width = float(re.search(r'width="([\d.]+)"', axis).group(1))  # type: ignore[union-attr]
    upper = sorted(
        float(x) for x, y in re.findall(r'<text x="([\d.]+)" y="(\d+)"', axis) if y == "13"
    )
    assert len(upper) >= 3
    assert all(b - a <= 290 for a, b in zip([0.0, *upper], [*upper, width], strict=True))
    assert "Jun 2025" in axis
