"""The terminal Gantt chart: golden files at 80 and 200 columns, big plans, colour or not."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from cutover.findings.pipeline import analyse
from cutover.render.gantt import GLYPH, GanttChart, GanttOptions
from tests.conftest import GOLDEN, ROOT, check_golden

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import write_plan

if TYPE_CHECKING:
    from tests.conftest import Cli

FLAGSHIP = ROOT / "plans" / "tuyenquang.yaml"


@pytest.mark.parametrize(
    ("plan", "width", "extra"),
    [
        ("plans/tuyenquang.yaml", 80, ()),
        ("plans/tuyenquang.yaml", 200, ()),
        (
            "plans/tuyenquang.yaml",
            100,
            ("--from", "2025-06-26", "--to", "2025-06-30", "--scale", "hour"),
        ),
        ("examples/datacentre-easter.yaml", 100, ()),
        ("examples/erp-go-live.yaml", 120, ("--scale", "week")),
    ],
)
def test_gantt_golden(
    cli: Cli, update_goldens: bool, plan: str, width: int, extra: tuple[str, ...]
) -> None:
    result = cli("gantt", str(ROOT / plan), "--width", str(width), *extra)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output  # NO_COLOR: glyphs alone carry the meaning
    assert all(len(line) <= width for line in result.output.splitlines())
    name = f"gantt_{Path(plan).stem}_{width}{'_' + extra[-1] if extra else ''}.txt"
    check_golden(GOLDEN / name, result.output, update=update_goldens)


def test_the_flagship_chart_marks_what_matters(cli: Cli) -> None:
    output = cli("gantt", str(FLAGSHIP), "--width", "120").output
    assert "status date Thu 26 Jun 2025 09:00" in output
    for glyph in ("done", "work", "milestone", "deadline", "status", "summary", "slack", "off"):
        assert GLYPH[glyph] in output, glyph
    accounts = next(line for line in output.splitlines() if "Accounts and digital" in line)
    # In progress, late (forecast after its deadline) and critical: every state shows.
    assert accounts.startswith("▶!*")
    assert GLYPH["deadline"] in accounts  # the deadline is drawn over its own bar
    assert next(
        line for line in output.splitlines() if "Standardise the catalogue" in line
    ).startswith("✓")
    assert next(line for line in output.splitlines() if "Coordinate LGSP" in line).startswith("▶")


@pytest.mark.slow
def test_three_hundred_tasks_fit_every_width(tmp_path: Path) -> None:
    path = tmp_path / "p300.yaml"
    with path.open("w") as out:
        write_plan(out, 300)
    analysis = analyse(path, now=None)
    for width in (80, 200):
        console = Console(file=io.StringIO(), width=width, no_color=True, legacy_windows=False)
        console.print(GanttChart(analysis))
        lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
        assert len(lines) >= 300 + 4
        assert all(len(line) <= width for line in lines)
        assert sum("Step 24 of system" in line for line in lines) == 12


def test_critical_work_is_red_in_colour() -> None:
    analysis = analyse(ROOT / "examples" / "datacentre-easter.yaml", now=None)
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard")
    console.print(GanttChart(analysis, GanttOptions(scale="day")))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[31m" + GLYPH["critical"] in output


def test_a_forced_scale_that_does_not_fit_says_where_it_stops(cli: Cli) -> None:
    output = cli("gantt", str(FLAGSHIP), "--width", "80", "--scale", "hour").output
    assert "The chart stops at" in output
