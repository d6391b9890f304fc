"""Each resource's load in the PDF and HTML exports, and who is on what.

The plan is test_resources' TEAMS, whose terminal histogram over 08:00-14:00 on Friday is
``▄▄!!!▄``, worked out by hand: prep holds one IT-centre engineer 08:00-10:00; then m1
(two), m2 (one; with VNPT, whose office calendar pauses 12:00-13:00, so it ends 14:00)
and m3 (two) start at 10:00: five of two units 10:00-12:00, three 12:00-13:00 (m1, m2),
one 13:00-14:00 (m2).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from cutover.engine.resourcing import bookings, peaks
from cutover.export import ExportOptions, export
from cutover.export.gantt_layout import chart_layout
from cutover.export.load_chart import load_bands, runs, shift_rows, slot_minutes
from cutover.export.view import build_view
from cutover.findings.pipeline import Analysis, analyse
from tests.conftest import ROOT
from tests.test_resources import AS_OF, TEAMS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
HOUR = 60


@pytest.fixture
def teams(write_plan: Callable[..., Path]) -> Path:
    return write_plan(TEAMS)


@pytest.fixture
def levelled_teams(write_plan: Callable[..., Path]) -> Path:
    return write_plan(TEAMS.replace("start: 2025-06-27\n", "start: 2025-06-27\nlevel: true\n"))


def _analysis(path: Path) -> Analysis:
    return analyse(path, now=None, as_of=AS_OF)


def _friday(analysis: Analysis, hour: int) -> int:
    return analysis.graph.timebase.minute(datetime(2025, 6, 27, hour, 0))


def test_hourly_bars_are_the_units_booked_at_once(teams: Path) -> None:
    analysis = _analysis(teams)
    view = build_view(analysis, OPTIONS)
    band = load_bands(view, _friday(analysis, 8), _friday(analysis, 14), HOUR)[0]
    assert band.resource.id == "it-centre"
    assert [slot.units for slot in band.slots] == [1, 1, 5, 5, 3, 1]
    # "▄▄!!!▄": over its two units from 10:00 to 13:00, as the terminal marks it.
    assert [slot.over for slot in band.slots] == [False, False, True, True, True, False]
    assert (band.top, band.load.peak) == (5, 5)
    assert [(end - begin) // HOUR for begin, end, _, _ in runs(band)] == [2, 2, 1, 1]


def test_peaks_do_not_stack_a_finish_on_a_start() -> None:
    from cutover.engine.resourcing import Booking  # noqa: PLC0415

    booked = [Booking(0, 0, 60, 2), Booking(1, 60, 120, 1), Booking(2, 90, 100, 3)]
    assert peaks(booked, [0, 60, 120, 180]) == [2, 4, 0]
    assert peaks(booked, [30, 90]) == [2]


def test_slots_are_the_finest_that_stay_visible() -> None:
    assert slot_minutes(240, 3) == 60  # a day's chart: hours
    assert slot_minutes(25, 2.5) == 180  # a fortnight's page: three hours
    assert slot_minutes(1, 3) == 7 * 1440


def _svg_bars(page: str) -> dict[str, list[tuple[str, float, str]]]:
    """Per resource, its bars as (class, height, hover text), from the page's SVGs."""
    bar = r'<rect [^>]*height="([\d.]+)" fill="[^"]*" class="(booked|over)"><title>([^<]*)'
    return {
        match.group(1): [
            (kind, float(height), title) for height, kind, title in re.findall(bar, match.group(0))
        ]
        for match in re.finditer(r'<svg class="load"[^>]*aria-label="([\w-]+):.*?</svg>', page)
    }


def test_the_html_draws_one_svg_per_resource_with_the_bars(teams: Path) -> None:
    page = export(_analysis(teams), "html", OPTIONS).decode()
    bars = _svg_bars(page)
    assert set(bars) == {"it-centre", "vnpt-network"}
    # 44 px stand for the peak of five: 8.8 px a unit.
    assert [(kind, height) for kind, height, _ in bars["it-centre"]] == [
        ("booked", 8.8), ("over", 44.0), ("over", 26.4), ("booked", 8.8),
    ]  # fmt: skip
    assert bars["it-centre"][1][2] == "Fri 27 Jun 10:00 – Fri 27 Jun 12:00: 5 of 2 units"
    assert 'fill="url(#overload)"' in page
    assert '<pattern id="overload"' in page
    assert "Who is on what" in page
    assert "Provincial IT centre engineers" in page


def test_the_pdf_has_the_resources_and_who_is_on_what(teams: Path) -> None:
    pdf = export(_analysis(teams), "pdf", OPTIONS)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Resource load against units" in text
    assert "Provincial IT centre engineers" in text
    assert "VNPT network team" in text
    assert "it-centre · units 2 · peak 5 · over its units 3h" in text
    assert "Who is on what" in text
    # By start: prep first, then the three migrations at 10:00 (m2 for both teams).
    assert re.search(r"Fri 27 Jun 08:00 Fri 27 Jun 10:00 it-centre prep", text)
    assert re.search(r"Fri 27 Jun 10:00 Fri 27 Jun 14:00 vnpt-network m2", text)


def test_a_plan_without_resources_has_no_resource_section() -> None:
    analysis = analyse(ROOT / "plans" / "gialai.yaml", now=None, as_of=AS_OF)
    pdf = export(analysis, "pdf", OPTIONS)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Resource load" not in text
    assert "Who is on what" not in text
    page = export(analysis, "html", OPTIONS).decode()
    assert 'class="load"' not in page
    assert "Who is on what" not in page


def test_a_levelled_plan_shows_the_levelled_load(levelled_teams: Path) -> None:
    """One truth: the bands are the bookings of the schedule the chart draws, levelled."""
    analysis = _analysis(levelled_teams)
    assert analysis.levelled is not None
    view = build_view(analysis, OPTIONS)
    layout = chart_layout(view)
    bands = load_bands(view, layout.first, layout.last, HOUR)
    booked = bookings(analysis.levelled.schedule)
    edges = [slot.begin for slot in bands[0].slots] + [bands[0].slots[-1].end]
    assert [slot.units for slot in bands[0].slots] == peaks(booked["it-centre"], edges)
    assert not any(slot.over for band in bands for slot in band.slots)
    assert max(slot.units for slot in bands[0].slots) == 2
    page = export(analysis, "html", OPTIONS).decode()
    assert 'class="over"' not in page
    # Who is on what lists the levelled times: m1 and m3 each need both engineers.
    starts = {row.task: row.start for row in shift_rows(view) if row.resource == "it-centre"}
    assert starts["m1"] != starts["m3"]


def _grey_chart(pdf: bytes, tmp_path: Path, name: str) -> dict[int, int]:
    """Grey levels and their pixel counts on the resource page, right of the labels."""
    from PIL import Image  # noqa: PLC0415

    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "150", "-png", "-f", str(pages), "-l", str(pages),
         "-singlefile", str(source), str(tmp_path / name)],
        check=True, timeout=60,
    )  # fmt: skip
    grey = Image.open(tmp_path / f"{name}.png").convert("L")
    width, height = grey.size
    band = grey.crop((width // 2, 0, width, height // 2))  # the bars, not the table's text
    return {
        int(level): count  # type: ignore[arg-type]
        for count, level in band.getcolors(maxcolors=256) or []
    }


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_over_allocation_reads_in_greyscale(
    teams: Path, levelled_teams: Path, tmp_path: Path
) -> None:
    """Without colour, over-allocated slots are black-hatched; booked ones a light grey."""
    over = _grey_chart(export(_analysis(teams), "pdf", OPTIONS), tmp_path, "over")
    level = _grey_chart(export(_analysis(levelled_teams), "pdf", OPTIONS), tmp_path, "level")

    def dark(counts: dict[int, int]) -> int:
        return sum(count for grey, count in counts.items() if grey < 60)

    def light(counts: dict[int, int]) -> int:
        return sum(count for grey, count in counts.items() if 170 <= grey <= 210)

    assert dark(over) - dark(level) > 1500  # the hatching of 10:00-13:00
    assert light(over) > 1000
    assert light(level) > 1000


def test_resource_names_stay_text(write_plan: Callable[..., Path]) -> None:
    hostile = TEAMS.replace(
        "name: Provincial IT centre engineers", 'name: "<script>alert(1)</script> & <b>IT</b>"'
    )
    analysis = _analysis(write_plan(hostile))
    page = export(analysis, "html", OPTIONS).decode()
    assert page.count("<script") == 1  # the page's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;IT&lt;/b&gt;" in page
    pdf = export(analysis, "pdf", OPTIONS)
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script> & <b>IT</b>" in text
