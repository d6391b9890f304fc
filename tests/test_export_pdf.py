"""The printable PDF: Vietnamese text, title block, repeated header, footers, paper, 300 tasks."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from cutover.export import ExportOptions, export
from cutover.findings.pipeline import Analysis, analyse

PLAN = Path(__file__).parents[1] / "plans" / "tuyenquang.yaml"
AS_OF = datetime(2025, 6, 26, 9, 0)
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
A4_LANDSCAPE = (842, 595)
A3_LANDSCAPE = (1191, 842)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(PLAN, now=None, as_of=AS_OF)


@pytest.fixture(scope="module")
def pdf(analysis: Analysis) -> bytes:
    return export(analysis, "pdf", OPTIONS)


def _pages(data: bytes) -> list[str]:
    """Each page's text with runs of white space made one space (cells wrap their lines)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _size(data: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize(
    "text",
    [
        "Tuyên Quang",
        "Ủy ban nhân dân tỉnh issues the pr",
        "Tuyên Quang — five national systems",
        "Network migration and trial",
    ],
)
def test_vietnamese_text_is_extracted(a3: bytes, text: str) -> None:
    assert text in " ".join(_pages(a3))


def test_the_title_block(pdf: bytes) -> None:
    first = _pages(pdf)[0]
    assert first.startswith(
        "Tuyên Quang — five national systems cutover to the two-tier local government"
    )
    assert "Status status date Thu 26 Jun 2025 09:00" in first
    assert "Generated Thu 26 Jun 2025 17:00 (Asia/Ho_Chi_Minh)" in first
    assert (
        "Forecast finish Tue 1 Jul 2025 00:00 — on time for the deadline end of Tue 1 Jul 2025"
        in first
    )
    assert "Forecast go-live Sun 29 Jun 2025 18:00 (go-live)" in first
    # Counted as status counts them: 23 tasks (summaries are not tasks, as before: 30).
    assert "Delayed tasks 1 At-risk tasks 11 Tasks 23" in first


def test_the_columns_sit_beside_the_bars(pdf: bytes, a3: bytes) -> None:
    first = _pages(pdf)[0]
    # A4: every column, narrower (names cut, dates without weekday); A3: in full.
    assert "# id task owner start finish slack deadline" in first
    assert "1.4 accounts ! Accounts and digital si… DST 23 Jun 13:30 27 Jun 10:36" in first
    # Ids, dates and slacks take the width of their longest cell: never cut in the middle.
    assert "1d 6h 30m 1d 6h 30m" in first
    assert "# id task owner start finish slack deadline" in _pages(a3)[0]
    assert "1.4 accounts ! Accounts and digital sig" in _pages(a3)[0]
    # Owners too long for their column in short, on A3 too (``Provincial P…`` was three
    # different bodies), with their key under the title.
    assert (
        "1.1 province-plan Ủy ban nhân dân tỉnh issues the provinci… PPCO Tue 17 Jun"
        in (_pages(a3)[0])
    )
    assert "Owners DHA = Department of Home Affairs" in _pages(a3)[0]


def test_every_page_has_a_page_n_of_m_footer(pdf: bytes) -> None:
    pages = _pages(pdf)
    # Title block and chart on one page (no paper wasted); the teams' load on the next.
    assert len(pages) == 2
    assert "Gantt chart" in pages[0]
    assert "Resource load against units" in pages[1]
    for number, text in enumerate(pages, start=1):
        assert text.endswith(f"page {number} of {len(pages)}")


def test_the_chart_follows_the_title_block_with_every_task(pdf: bytes) -> None:
    chart = _pages(pdf)[0]
    assert "Gantt chart · rows 1–30 of 30 · Tue 17 Jun – Tue 1 Jul" in chart
    assert (
        "critical other work done slack milestone critical milestone summary deadline "
        "status date non-working time" in chart
    )
    assert "Two-tier local government in" in chart


@pytest.fixture(scope="module")
def a3(analysis: Analysis) -> bytes:
    return export(analysis, "pdf", ExportOptions(generated_at=OPTIONS.generated_at, paper="a3"))


def test_a_page_in_greyscale_keeps_the_marks_apart(pdf: bytes, tmp_path: Path) -> None:
    """Without colour, critical (hatched), done (solid) and other work (outlined) differ."""
    from PIL import Image  # noqa: PLC0415

    source = tmp_path / "chart.pdf"
    source.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "g")],
        check=True,
        timeout=60,
    )
    grey = Image.open(tmp_path / "g.png").convert("L")
    counts: dict[int, int] = {
        int(level): count  # type: ignore[arg-type]
        for count, level in grey.getcolors(maxcolors=256) or []
    }
    dark = sum(count for level, count in counts.items() if level < 60)
    middle = sum(count for level, count in counts.items() if 90 <= level <= 150)
    assert dark > 2000  # hatching, summaries, critical milestones
    assert middle > 2000  # done work: a solid mid grey, not white and not black


def test_a4_landscape_is_the_default_and_a3_and_portrait_are_options(
    analysis: Analysis, pdf: bytes
) -> None:
    assert _size(pdf) == A4_LANDSCAPE
    a3 = export(analysis, "pdf", ExportOptions(generated_at=OPTIONS.generated_at, paper="a3"))
    assert _size(a3) == A3_LANDSCAPE
    portrait = export(
        analysis, "pdf", ExportOptions(generated_at=OPTIONS.generated_at, landscape=False)
    )
    assert _size(portrait) == (595, 842)


def test_the_font_is_embedded(pdf: bytes) -> None:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        used = resources["/Font"].get_object()
        assert isinstance(used, DictionaryObject)
        for font in used.values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold)?", name) for name in fonts), fonts


def test_the_same_input_gives_the_same_bytes(analysis: Analysis, pdf: bytes) -> None:
    assert export(analysis, "pdf", OPTIONS) == pdf


def test_plan_text_cannot_inject_paragraph_markup(tmp_path: Path) -> None:
    plan = {
        "plan": "Markup <b>test</b> & <font size=40>",
        "start": date(2025, 6, 16),
        "tasks": [
            {"id": "x", "name": "<script>alert(1)</script>", "owner": "A & B <i>", "duration": "1d"}
        ],
    }
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    a3 = ExportOptions(generated_at=OPTIONS.generated_at, paper="a3")
    text = " ".join(_pages(export(analyse(path, now=None), "pdf", a3)))
    assert "<script>alert(1)</script>" in text
    assert "A & B <i>" in text
    assert "Markup <b>test</b> & <font size=40>" in text


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(generated_at=OPTIONS.generated_at),
        ExportOptions(generated_at=OPTIONS.generated_at, paper="a3"),
        ExportOptions(generated_at=OPTIONS.generated_at, landscape=False),
    ],
    ids=["a4", "a3", "a4-portrait"],
)
def test_a_name_of_5000_characters_is_cut_to_fit_a_page(
    tmp_path: Path, options: ExportOptions
) -> None:
    """Was: reportlab's LayoutError (a row taller than the page), an internal error."""
    long_word, long_text = "W" * 5000, "many words " * 500
    plan = {
        "plan": long_word,
        "start": date(2025, 6, 16),
        "tasks": [
            {"id": "a" * 200, "name": long_word, "owner": long_word, "duration": "1d"},
            {"id": "b", "name": long_text, "owner": long_text, "duration": "1d"},
        ],
    }
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    text = "".join(_pages(export(analyse(path, now=None), "pdf", options)))
    assert "WWWW" in text
    assert "…" in text
    assert long_word not in text.replace("\n", "")


# -- a large plan ---------------------------------------------------------------------------

PHASES = 12
TASKS_PER_PHASE = 24  # 12 summaries + 12 * 24 tasks = 300 rows


def _large_plan(path: Path) -> Path:
    """300 rows: 12 overlapping phases of 24 chained tasks, over about five months."""
    phases = []
    for phase in range(PHASES):
        tasks = []
        for number in range(TASKS_PER_PHASE):
            task: dict[str, object] = {
                "id": f"p{phase:02d}-t{number:02d}",
                "name": f"Chuyển đổi hệ thống {phase}.{number} của Sở Khoa học và Công nghệ",
                "owner": "Ủy ban nhân dân tỉnh" if number % 2 else "Sở Nội vụ",
                "duration": f"{1 + (phase + number) % 3}d",
            }
            if number:
                task["after"] = [f"p{phase:02d}-t{number - 1:02d}"]
            elif phase:
                task["after"] = [f"p{phase - 1:02d}-t03"]
            if number == TASKS_PER_PHASE - 1:
                task["deadline"] = date(2025, 8, 1) + timedelta(days=7 * phase)
            if phase < 2 and number < 12:
                task["status"] = "done"
            elif phase < 2 and number == 12:
                task.update(status="in_progress", progress="50%")
            tasks.append(task)
        phases.append({"id": f"phase-{phase:02d}", "name": f"Giai đoạn {phase}", "tasks": tasks})
    plan = {
        "plan": "Kế hoạch lớn: 300 dòng",
        "timezone": "Asia/Ho_Chi_Minh",
        "start": date(2025, 6, 2),
        "tasks": phases,
    }
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, list[str]]:
    path = _large_plan(tmp_path_factory.mktemp("large") / "large.yaml")
    analysis = analyse(path, now=None, as_of=datetime(2025, 7, 15, 9, 0))
    assert len(analysis.graph) == 300
    return analysis, _pages(export(analysis, "pdf", OPTIONS))


@pytest.mark.slow
def test_a_300_task_plan_has_a_sensible_page_count(large: tuple[Analysis, list[str]]) -> None:
    _, pages = large
    assert 6 <= len(pages) <= 24
    assert all(
        text.endswith(f"page {number} of {len(pages)}") for number, text in enumerate(pages, 1)
    )


@pytest.mark.slow
def test_a_300_task_plan_repeats_the_table_header_on_every_page(
    large: tuple[Analysis, list[str]],
) -> None:
    _, pages = large
    # Pages across: the chart starts under the title block (no page of the title alone),
    # and every page of it repeats the columns' headers, all of them.
    assert all("# id task owner start finish slack deadline" in text for text in pages)
    assert "Gantt chart · rows 1–" in pages[0]


@pytest.mark.slow
def test_a_300_task_plan_shows_every_task_in_the_table_and_the_chart(
    large: tuple[Analysis, list[str]],
) -> None:
    analysis, pages = large
    chart = " ".join(pages)
    for node in range(len(analysis.graph)):
        task = analysis.graph.task(node)
        if not analysis.graph.is_summary[node]:
            assert re.search(rf" {re.escape(str(task.name)[:22])}", chart), task.id
    for phase in range(PHASES):
        assert f"Giai đoạn {phase} " in chart
    rows = re.findall(r"Gantt chart · rows (\d+)–(\d+) of 300", chart)
    covered = {row for first, last in rows for row in range(int(first), int(last) + 1)}
    assert covered == set(range(1, 301))


def test_a_year_long_plan_of_eight_tasks_is_one_page(tmp_path: Path) -> None:
    """Few rows over a long time: one page, not pages across that are mostly empty."""
    plan = {
        "plan": "A year",
        "start": date(2025, 1, 6),
        "tasks": [
            {"id": f"t{n}", "duration": "30d", **({"after": [f"t{n - 1}"]} if n else {})}
            for n in range(8)
        ],
    }
    path = tmp_path / "year.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    pages = _pages(export(analyse(path, now=None), "pdf", OPTIONS))
    assert len(pages) == 1
    assert "rows 1–8 of 8" in pages[0]
