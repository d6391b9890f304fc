"""The printable PDF: Vietnamese text, title block, repeated header, footers, paper, 300 tasks."""

from __future__ import annotations

import io
import re
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
        "Sở Khoa học và Công nghệ",
        "Ủy ban nhân dân tỉnh",
        "Văn phòng UBND tỉnh",
        "Network migration and trial operation (28–29 June)",
    ],
)
def test_vietnamese_text_is_extracted(pdf: bytes, text: str) -> None:
    assert text in " ".join(_pages(pdf))


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


def test_the_table_has_its_columns_and_group_rows(pdf: bytes) -> None:
    first = _pages(pdf)[0]
    assert "id task owner start finish deadline slack status" in first
    assert "prep Plans and preparation Tue 17 Jun 2025 07:00" in first  # a summary, no owner
    assert "in progress 60% · late · critical" in first


def test_every_page_has_a_page_n_of_m_footer(pdf: bytes) -> None:
    pages = _pages(pdf)
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert text.endswith(f"page {number} of {len(pages)}")


def test_the_chart_has_its_own_page_with_every_task(pdf: bytes) -> None:
    chart = _pages(pdf)[-1]
    assert chart.startswith("Gantt chart · rows 1–30 of 30 · Tue 17 Jun – Tue 1 Jul")
    assert (
        "critical other work done slack milestone summary deadline status date non-working time"
        in chart
    )
    assert "Two-tier local government in operation" in chart


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
    text = " ".join(_pages(export(analyse(path, now=None), "pdf", OPTIONS)))
    assert "<script>alert(1)</script>" in text
    assert "A & B <i>" in text
    assert "Markup <b>test</b> & <font size=40>" in text


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


def test_a_300_task_plan_has_a_sensible_page_count(large: tuple[Analysis, list[str]]) -> None:
    _, pages = large
    table = [text for text in pages if not text.startswith("Gantt chart")]
    chart = [text for text in pages if text.startswith("Gantt chart")]
    assert 8 <= len(table) <= 20
    assert 8 <= len(chart) <= 24
    assert all(
        text.endswith(f"page {number} of {len(pages)}") for number, text in enumerate(pages, 1)
    )


def test_a_300_task_plan_repeats_the_table_header_on_every_page(
    large: tuple[Analysis, list[str]],
) -> None:
    _, pages = large
    table = [text for text in pages if not text.startswith("Gantt chart")]
    assert all("id task owner start finish deadline slack status" in text for text in table)


def test_a_300_task_plan_shows_every_task_in_the_table_and_the_chart(
    large: tuple[Analysis, list[str]],
) -> None:
    analysis, pages = large
    table = " ".join(text for text in pages if not text.startswith("Gantt chart"))
    chart = " ".join(text for text in pages if text.startswith("Gantt chart"))
    for node in range(len(analysis.graph)):
        task = analysis.graph.task(node)
        assert re.search(rf"(^| ){re.escape(task.id)} ", table), task.id
    for phase in range(PHASES):
        assert f"Giai đoạn {phase} " in chart
    rows = re.findall(r"Gantt chart · rows (\d+)–(\d+) of 300", chart)
    covered = {row for first, last in rows for row in range(int(first), int(last) + 1)}
    assert covered == set(range(1, 301))
