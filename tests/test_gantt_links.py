"""Dependency lines: one routing (gantt_layout) drawn the same by the PDF, the SVG and the HTML."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from cutover.export import ExportOptions, export
from cutover.export.gantt_layout import ChartLink, chart_layout, chart_links, route_link
from cutover.export.html_chart import ROW_HEIGHT as HTML_ROW
from cutover.export.to_svg import AXIS_HEIGHT, LABEL_WIDTH, TITLE_HEIGHT
from cutover.export.to_svg import ROW_HEIGHT as SVG_ROW
from cutover.export.view import ExportView, build_view
from cutover.findings.pipeline import Analysis, analyse

ROOT = Path(__file__).parents[1]
FLAGSHIP = ROOT / "plans" / "tuyenquang.yaml"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
HOUR = 60


@pytest.fixture(scope="module")
def flagship() -> Analysis:
    return analyse(FLAGSHIP, now=None, as_of=datetime(2025, 6, 26, 9, 0))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """benchmarks/generate.py's 300-task plan: FS, SS and FF links with lags."""
    path = tmp_path_factory.mktemp("big") / "plan.yaml"
    text = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    path.write_text(text, encoding="utf-8")
    return analyse(path, now=None, as_of=None)


def _link(
    kind: str, begin: int, end: int, far: int, *, rows: tuple[int, int] = (0, 3)
) -> ChartLink:
    return ChartLink(rows[0], rows[1], kind, begin, end, far, driving=True)


# -- the routing -------------------------------------------------------------------------------


def test_finish_to_start_with_room_runs_down_beside_the_successor() -> None:
    route = route_link(_link("FS", 10 * HOUR, 20 * HOUR, 30 * HOUR), gap=HOUR)
    assert route.points == (
        (600.0, 0.5),
        (1140.0, 0.5),  # along the predecessor's row to just before the successor
        (1140.0, 3.5),
        (1200.0, 3.5),  # into the successor's start, from its left
    )
    assert route.heading == "right"


def test_a_successor_starting_at_the_finish_gets_the_line_dropped_onto_its_bar() -> None:
    route = route_link(_link("FS", 10 * HOUR, 10 * HOUR, 30 * HOUR), gap=HOUR)
    assert route.points[-1] == (660.0, 3.22)  # onto the top of the bar, past the stub
    assert route.heading == "down"
    upwards = route_link(_link("FS", 10 * HOUR, 10 * HOUR, 30 * HOUR, rows=(5, 2)), gap=HOUR)
    assert upwards.heading == "up"
    assert upwards.points[-1][0] == 660.0
    assert upwards.points[-1][1] == pytest.approx(2.78)


def test_an_overlap_without_bar_underneath_goes_round_along_the_row_boundary() -> None:
    # A milestone successor 2h before its predecessor's finish (a lead).
    route = route_link(_link("FS", 10 * HOUR, 8 * HOUR, 8 * HOUR), gap=HOUR)
    assert route.points == (
        (600.0, 0.5),
        (660.0, 0.5),
        (660.0, 3.0),  # the boundary above the successor's row
        (420.0, 3.0),
        (420.0, 3.5),
        (480.0, 3.5),
    )
    assert route.heading == "right"


def test_start_to_start_runs_left_of_both_and_finish_to_finish_right_of_both() -> None:
    ss = route_link(_link("SS", 10 * HOUR, 12 * HOUR, 20 * HOUR), gap=HOUR)
    assert [x for x, _ in ss.points[1:3]] == [540.0, 540.0]  # left of the earlier start
    assert ss.heading == "right"
    ff = route_link(_link("FF", 20 * HOUR, 18 * HOUR, 12 * HOUR), gap=HOUR)
    assert [x for x, _ in ff.points[1:3]] == [1260.0, 1260.0]  # right of the later finish
    assert ff.heading == "left"  # into the successor's finish, from its right
    sf = route_link(_link("SF", 20 * HOUR, 10 * HOUR, 5 * HOUR), gap=HOUR)
    assert sf.heading == "left"
    assert sf.points[0] == (1200.0, 0.5)  # from the predecessor's start


def test_links_are_the_plans_links_once_each(flagship: Analysis) -> None:
    view = build_view(flagship, OPTIONS)
    links = chart_links(view)
    ids = [(view.rows[link.pred].id, view.rows[link.succ].id, link.type) for link in links]
    assert len(ids) == len(set(ids))
    written = sum(
        len(task.after or ()) for task, *_ in flagship.graph.tasks if task.status != "cancelled"
    )
    assert len(links) == written
    # A link from a summary is one line from its bar, not one per task inside it.
    assert ("weekend", "go-live", "FS") in ids
    assert ("network-ready", "lgsp-migrate", "SS") in ids
    assert ("accounts", "docs-config", "FF") in ids
    assert _driving(links, view, "go-live", "review")  # sets the review's start
    assert not _driving(links, view, "review", "new-model")  # a constraint does


def _driving(links: tuple[ChartLink, ...], view: ExportView, pred: str, succ: str) -> bool:
    return any(
        view.rows[link.pred].id == pred and view.rows[link.succ].id == succ and link.driving
        for link in links
    )


def test_on_300_tasks_no_line_runs_along_its_own_tasks_bars(generated: Analysis) -> None:
    """Readable on a big plan: a line never runs over the bar it leaves or the one it enters."""
    view = build_view(generated, OPTIONS)
    layout = chart_layout(view)
    links = chart_links(view)
    assert {link.type for link in links} >= {"FS", "SS", "FF"}
    assert len(links) > 250
    for link in links:
        route = route_link(link, gap=HOUR)
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            if y1 != y2:
                continue
            for index in (link.pred, link.succ):
                if y1 != index + 0.5:
                    continue
                row = layout.rows[index].row
                low, high = sorted((x1, x2))
                assert high <= row.start or low >= row.finish or row.start == row.finish, (
                    link,
                    route,
                )


# -- each view draws them --------------------------------------------------------------------


def test_the_svg_draws_every_link_along_its_route(flagship: Analysis) -> None:
    view = build_view(flagship, OPTIONS)
    svg = export(flagship, "svg", OPTIONS).decode()
    links = chart_links(view)
    drawn = re.findall(r'<g class="link (FS|SS|FF|SF)"><path d="M([^"]+)"', svg)
    assert len(drawn) == len(links)
    # The corners sit on the rows' middles: the same rows as the routing says.
    for (_, path), link in zip(drawn, links, strict=True):
        ys = {float(point.split(",")[1]) for point in path.split(" L")}
        route = route_link(link, 1)
        first_row = route.points[0][1]
        assert any(abs(y - (TITLE_HEIGHT + AXIS_HEIGHT + first_row * SVG_ROW)) < 0.01 for y in ys)
    # Clipped to the chart: a stub left of a first-day start stays out of the names.
    links_group = svg[svg.index('<g class="links" clip-path="url(#chart-area)">') :]
    assert links_group.count('<g class="link ') == len(links)
    assert re.search(
        rf'<clipPath id="chart-area"><rect x="{LABEL_WIDTH}" y="{TITLE_HEIGHT + AXIS_HEIGHT}"',
        svg,
    )
    assert 'stroke="#3a3a3a"' in svg  # links that set dates, dark
    assert 'stroke="#a8a8a8"' in svg  # the others, light


def test_the_html_draws_each_link_in_every_row_it_crosses(flagship: Analysis) -> None:
    view = build_view(flagship, OPTIONS)
    page = export(flagship, "html", OPTIONS).decode()
    rows = re.findall(r"<tr class=[^>]*data-task=\"([^\"]+)\".*?</tr>", page, flags=re.DOTALL)
    bodies = re.findall(r"(<tr class=[^>]*data-task=.*?</tr>)", page, flags=re.DOTALL)
    assert len(rows) == len(view.rows)
    pieces = [len(re.findall(r'<path class="link( sets)?" d=', body)) for body in bodies]
    expected = [0] * len(view.rows)
    for link in chart_links(view):
        for index in range(min(link.pred, link.succ), max(link.pred, link.succ) + 1):
            expected[index] += 1
    assert pieces == expected
    assert page.count('<polygon class="head') == len(chart_links(view))  # one arrow a link
    # Each row's piece is in the row's own pixels: a line down the whole row runs 0 to 22.
    assert ",0 L" in page
    assert f",{HTML_ROW} " in page or f',{HTML_ROW}"' in page
    # Sorted or filtered, the pieces would not join: the page hides them.
    assert "table.gantt.flat .links, table.gantt.partial .links { display: none; }" in page
    # Printed, rows stay one line at the screen's height (names cut, not wrapped), so the
    # pieces join there too and the links print.
    start = page.index("@media print {")
    printed = page[start : page.index("\n}\n", start)]
    assert ".links" not in printed
    assert "height: auto" not in printed
    assert "white-space: normal" not in printed


def _pdf_ops(data: bytes) -> str:
    page = PdfReader(io.BytesIO(data)).pages[0]
    return page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]


def test_the_pdf_draws_every_link_of_the_page(flagship: Analysis) -> None:
    view = build_view(flagship, OPTIONS)
    links = chart_links(view)
    ops = _pdf_ops(export(flagship, "pdf", OPTIONS))
    dark = ops.count(".227451 .227451 .227451 RG")  # #3a3a3a
    light = ops.count(".658824 .658824 .658824 RG")  # #a8a8a8
    # Every link once, and each kind once more in the legend.
    assert dark == sum(link.driving for link in links) + 1
    assert light == sum(not link.driving for link in links) + 1


def test_a_link_from_another_page_runs_to_the_pages_edge(tmp_path: Path) -> None:
    """Rows split over pages: the line from the last row of a page goes on over the next."""
    tasks = [
        {"id": f"t{n}", "duration": "1d", **({"after": [f"t{n - 1}"]} if n else {})}
        for n in range(90)
    ]
    path = tmp_path / "chain.yaml"
    path.write_text(
        yaml.safe_dump({"plan": "Chain", "start": "2025-01-06", "tasks": tasks}), encoding="utf-8"
    )
    analysis = analyse(path, now=None, as_of=None)
    reader = PdfReader(io.BytesIO(export(analysis, "pdf", OPTIONS)))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    firsts = [int(re.search(r"rows (\d+)–(\d+) of 90", text).group(1)) for text in texts]  # type: ignore[union-attr]
    lasts = [int(re.search(r"rows (\d+)–(\d+) of 90", text).group(2)) for text in texts]  # type: ignore[union-attr]
    assert len(set(firsts)) > 1
    for number, page in enumerate(reader.pages):
        ops = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
        drawn = ops.count(".227451 .227451 .227451 RG")  # every link of a chain sets a date
        on_page = lasts[number] - firsts[number]  # links between the page's own rows
        into = 1 if firsts[number] > 1 else 0  # from the last row of the rows before
        out = 1 if lasts[number] < 90 else 0  # to the first row of the rows after
        assert drawn == on_page + into + out + 1, number  # and the legend's


def test_every_legend_draws_the_links_as_the_chart_does(flagship: Analysis) -> None:
    svg = export(flagship, "svg", OPTIONS).decode()
    legend = svg[svg.index(">non-working time<") :]
    assert ">link that sets a date<" in legend
    assert ">other link<" in legend
    assert legend.count('fill="none" stroke="#3a3a3a"') == 1  # the dark swatch
    assert legend.count('fill="none" stroke="#a8a8a8"') == 1  # the light one
    page = export(flagship, "html", OPTIONS).decode()
    html_legend = page[page.index('<div class="legend"') :]
    assert "link that sets a date</span>" in html_legend
    assert "svg.bar .link.sets { stroke: #3a3a3a; }" in page
    assert 'stroke="#a8a8a8"' in html_legend
    pdf = PdfReader(io.BytesIO(export(flagship, "pdf", OPTIONS))).pages[0].extract_text()
    assert "non-working time link that sets a date other link" in " ".join(pdf.split())
