"""The chart's geometry shared by SVG and PDF: window, marks, non-working time, pages."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from cutover.export.gantt_layout import DAY, Span, axis_ticks, chart_layout, off_time
from cutover.export.pdf_gantt import MAX_PAGES_ACROSS, MIN_POINTS_PER_DAY, chart_pages
from cutover.export.view import ExportOptions, ExportView, build_view
from cutover.findings.pipeline import analyse

GOLDEN = Path(__file__).parent / "golden" / "export"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
A4_FRAME = (786.0, 537.0)


def _view(path: Path, as_of: datetime | None) -> ExportView:
    return build_view(analyse(path, now=None, as_of=as_of), OPTIONS)


@pytest.fixture(scope="module")
def flagship() -> ExportView:
    return _view(GOLDEN / "tuyenquang.yaml", datetime(2025, 6, 26, 9, 0))


def _minute(view: ExportView, moment: datetime) -> int:
    return view.timebase.minute(moment)


def test_the_window_is_whole_days_around_the_plan_and_status_date(flagship: ExportView) -> None:
    layout = chart_layout(flagship)
    assert layout.first == _minute(flagship, datetime(2025, 6, 17))
    assert layout.last == _minute(
        flagship, datetime(2025, 7, 2)
    )  # the end of the last deadline's day
    assert layout.as_of == _minute(flagship, datetime(2025, 6, 26, 9, 0))


def test_marks_follow_the_terminal_chart(flagship: ExportView) -> None:
    rows = {chart_row.row.id: chart_row for chart_row in chart_layout(flagship).rows}
    as_of = _minute(flagship, datetime(2025, 6, 26, 9, 0))
    accounts = rows["accounts"]  # in progress, late: done up to the status date, then critical
    assert [span.kind for span in accounts.bars] == ["done", "critical"]
    assert accounts.bars[0].end == accounts.bars[1].begin == as_of
    assert accounts.late
    province = rows["province-plan"].row  # done: one bar from its actual start to finish
    assert rows["province-plan"].bars == (Span(province.start, province.finish, "done"),)
    assert rows["new-model"].milestone is not None
    assert rows["new-model"].milestone.kind == "critical"
    assert rows["dvc-list"].milestone is not None
    assert rows["dvc-list"].milestone.kind == "done"
    assert rows["prep"].bars[0].kind == "critical"  # a summary with a critical task
    assert rows["review"].slack is not None
    assert rows["review"].deadline == _minute(flagship, datetime(2025, 7, 1))


def test_off_time_covers_weekends_and_hours_off(flagship: ExportView) -> None:
    calendar = flagship.graph.calendars["default"]
    friday = _minute(flagship, datetime(2025, 6, 27))
    days = off_time(calendar, friday, friday + 3 * DAY, hours=False)
    assert days == [(friday + DAY, friday + 3 * DAY)]
    hours = off_time(calendar, friday, friday + DAY, hours=True)
    assert hours == [
        (friday, friday + 7 * 60),
        (friday + 11 * 60 + 30, friday + 13 * 60 + 30),
        (friday + 17 * 60, friday + DAY),
    ]


def test_axis_labels_get_coarser_as_days_get_narrower(flagship: ExportView) -> None:
    first = _minute(flagship, datetime(2025, 6, 30))
    upper, lower = axis_ticks(flagship.timebase, first, first + 2 * DAY, 200)
    assert [tick.label for tick in upper] == ["Mon 30 Jun", "Tue 1 Jul"]
    assert [tick.label for tick in lower][:3] == ["03", "06", "09"]
    upper, lower = axis_ticks(flagship.timebase, first, first + 3 * DAY, 20)
    assert [tick.label for tick in upper] == ["Jun 2025", "Jul 2025"]
    assert [tick.label for tick in lower] == ["30", "1", "2"]
    upper, lower = axis_ticks(flagship.timebase, first, first + 400 * DAY, 1)
    assert [tick.label for tick in upper] == ["2025", "2026"]


def test_a_short_plan_fits_one_page_across(flagship: ExportView) -> None:
    points_per_day, pages = chart_pages(chart_layout(flagship), *A4_FRAME)
    assert len(pages) == 1
    assert points_per_day > MIN_POINTS_PER_DAY


def test_a_long_plan_is_split_to_one_scale(tmp_path: Path) -> None:
    plan = {
        "plan": "Long",
        "start": date(2025, 1, 1),
        "tasks": [
            {"id": f"t{n}", "duration": "5d", **({"after": [f"t{n - 1}"]} if n else {})}
            for n in range(45)  # more rows than FEW_ROWS: pages across keep the scale
        ],
    }
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    layout = chart_layout(_view(path, None))
    points_per_day, pages = chart_pages(layout, *A4_FRAME)
    pages = [page for page in pages if page.rows == pages[0].rows]  # the first rows, across
    parts = [page.part for page in pages]
    assert parts == list(range(1, len(parts) + 1))
    assert 2 <= len(parts) <= MAX_PAGES_ACROSS
    assert pages[0].first == layout.first
    assert all(a.last == b.first for a, b in itertools.pairwise(pages))
    assert pages[-1].last == layout.last
    assert points_per_day >= MIN_POINTS_PER_DAY


def test_years_are_drawn_finer_rather_than_on_many_pages(tmp_path: Path) -> None:
    plan = {"plan": "Years", "start": date(2025, 1, 1), "tasks": [{"id": "a", "duration": "900d"}]}
    path = tmp_path / "years.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    _, pages = chart_pages(chart_layout(_view(path, None)), *A4_FRAME)
    assert len(pages) == MAX_PAGES_ACROSS


def test_a_month_that_begins_inside_the_chart_keeps_its_label() -> None:
    """A chart from 28 July: "Aug 2025" wins over the partial July's label it would overlap."""
    from cutover.export.gantt_layout import Tick, spaced  # noqa: PLC0415

    ticks = [Tick(0, "Jul 2025"), Tick(4 * DAY, "Aug 2025"), Tick(35 * DAY, "Sep 2025")]
    kept = spaced(ticks, lambda minute: minute / DAY * 5, lambda label: 7.0 * len(label))
    assert [tick.label for tick in kept] == ["Aug 2025", "Sep 2025"]
    roomy = spaced(ticks, lambda minute: minute / DAY * 20, lambda label: 7.0 * len(label))
    assert [tick.label for tick in roomy] == ["Jul 2025", "Aug 2025", "Sep 2025"]
