"""Schedules agree with TaskJuggler 3: same start and finish for every task of generated plans.

Each plan is scheduled by cutover and, converted by ``benchmarks/tjp.py``, by ``tj3``; tj3's
dates come back from a CSV report. tj3 prints a task's start as the instant its constraints
allow (Fri 17:00 for a task that works from Mon 08:00), so starts of tasks with working time
are moved to their first working minute before comparing (``tjp.normalise``). The tests that
run tj3 are skipped when it is not installed (``apt-get install -y tj3``).
"""

from __future__ import annotations

import io
import shutil
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from cutover.engine.schedule import build_schedule
from tests.conftest import ROOT, WORKED

sys.path.insert(0, str(ROOT / "benchmarks"))
from taskjuggler import write_plan
from tjp import Conversion, ConversionError, convert_file, normalise, read_dates, run_tj3

pytestmark = pytest.mark.slow  # runs tj3 on generated plans

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

needs_tj3 = pytest.mark.skipif(shutil.which("tj3") is None, reason="tj3 is not installed")


def _tj3_dates(conversion: Conversion, folder: Path) -> dict[int, tuple[int, int]]:
    """Run tj3 on a conversion and return its normalised dates by node."""
    tjp = folder / "plan.tjp"
    tjp.write_text(conversion.text, encoding="utf-8")
    run_tj3(tjp, folder / "out", timeout=120)
    raw = read_dates((folder / "out" / "dates.csv").read_text(encoding="utf-8"), conversion.graph)
    assert len(raw) == len(conversion.graph), "tj3 reported a different set of tasks"
    return normalise(conversion.graph, raw)


def _disagreements(conversion: Conversion, folder: Path) -> list[str]:
    """Every task whose start or finish differs between cutover and tj3, worded."""
    graph = conversion.graph
    schedule = build_schedule(graph, None)
    theirs = _tj3_dates(conversion, folder)
    out = []
    for node in range(len(graph)):
        ours = (schedule.start(node), schedule.finish_of(node))
        if theirs[node] != ours:
            shown = [
                graph.timebase.naive(m).strftime("%a %d %H:%M") for m in (*ours, *theirs[node])
            ]
            out.append(
                f"{graph.task(node).id}: cutover {shown[0]}–{shown[1]}, tj3 {shown[2]}–{shown[3]}"
            )
    return out


@needs_tj3
def test_the_worked_example_agrees(write_plan: Callable[..., Path], tmp_path: Path) -> None:
    conversion = convert_file(write_plan(WORKED))
    theirs = _tj3_dates(conversion, tmp_path)
    graph = conversion.graph
    dates = {
        graph.task(node).id: tuple(graph.timebase.naive(m) for m in theirs[node]) for node in theirs
    }
    assert dates["review"] == (datetime(2025, 6, 18, 8), datetime(2025, 6, 18, 12))
    assert dates["ship"] == (datetime(2025, 6, 18, 17), datetime(2025, 6, 18, 17))
    assert _disagreements(conversion, tmp_path) == []


@needs_tj3
@pytest.mark.parametrize("rich", [False, True], ids=["one-calendar", "three-calendars"])
@pytest.mark.parametrize(("shape", "seed"), [("systems", 1), ("layered", 2), ("fan", 3)])
def test_generated_plans_agree(tmp_path: Path, shape: str, seed: int, *, rich: bool) -> None:
    """A few hundred tasks: holidays (VN and one of the plan's), lags, SS, FF, SF, summaries."""
    plan = tmp_path / "plan.yaml"
    with plan.open("w", encoding="utf-8") as out:
        write_plan(out, 300, seed, shape=shape, rich=rich)
    conversion = convert_file(plan)
    assert _disagreements(conversion, tmp_path) == []


def test_a_generated_plan_exercises_the_mapping() -> None:
    """The rich plans carry every feature the comparison claims to cover."""
    text = io.StringIO()
    write_plan(text, 300, 1, shape="systems", rich=True)
    plan = text.getvalue()
    for feature in ("type: FF", "type: SF", "type: SS", "not_before", "milestone", "calendar:"):
        assert feature in plan


# -- what tj3 cannot express is refused, never approximated -------------------------------------

BASE = "plan: x\ntimezone: UTC\nstart: 2025-06-16\n"


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ("  - {id: a, duration: 1d}\n  - {id: b, duration: 1d, after: [{task: a, lag: -2h}]}\n",
         "no lead"),
        ("  - {id: a, duration: 1d, status: done, actual_start: 2025-06-16}\n",
         "tracking is left out"),
        ("  - {id: a, duration: 1d}\n  - {id: b, duration: 2d, after: [{task: a, type: FF}]}\n",
         "no lead"),
        ("  - {id: a, duration: 1d}\n  - {id: m, milestone: true, after: [{task: a, type: SS}]}\n",
         "anchors on the start"),
        ("  - {id: a, duration: 7m}\n", "5 minutes"),
    ],
    ids=["lead", "tracking", "ff-lead", "ss-to-milestone", "off-grid"],
)  # fmt: skip
def test_what_tj3_cannot_express_is_refused(
    write_plan: Callable[..., Path], tasks: str, message: str
) -> None:
    with pytest.raises(ConversionError, match=message):
        convert_file(write_plan(BASE + "tasks:\n" + tasks))


def test_lags_on_a_calendar_tj3_cannot_count_are_refused(write_plan: Callable[..., Path]) -> None:
    plan = BASE + (
        "calendars:\n  late:\n    hours: ['12:00-20:00']\n"
        "tasks:\n  - {id: a, duration: 1d}\n"
        "  - {id: b, duration: 1d, calendar: late, after: [{task: a, lag: 1h}]}\n"
    )
    with pytest.raises(ConversionError, match="counts gaps on the project's working time"):
        convert_file(write_plan(plan))


NIGHTS_OVER_THE_CHANGES = """
plan: night shifts over both daylight-saving changes
timezone: Europe/Berlin
start: 2025-03-27
calendars:
  nights: {workdays: [mon, tue, wed, thu, fri, sat], hours: ["21:00-05:00"],
           holidays: [2025-03-31, 2025-10-27]}
  c24: {workdays: all, hours: ["00:00-24:00"]}
tasks:
  - {id: spring, duration: 3d, calendar: nights}
  - {id: round, duration: 30h, calendar: c24, after: [spring]}
  - {id: office, duration: 1d, after: [round]}
  - {id: autumn, duration: 3d, calendar: nights, not_before: 2025-10-24}
  - {id: after-autumn, duration: 2h, calendar: c24, after: [{task: autumn, lag: 1h}]}
  - {id: done, milestone: true, after: [office, after-autumn]}
"""


@needs_tj3
@pytest.mark.parametrize(
    "case",
    [
        "01_dst_round_the_clock.yaml",
        "09_dst_gap_zero_length.yaml",
        "10_night_shift_crosses_midnight.yaml",
        "nights-over-the-changes",
    ],
)
def test_daylight_saving_and_night_shifts_agree(
    write_plan: Callable[..., Path], tmp_path: Path, case: str
) -> None:
    """tj3 counts real time across a change, and night shifts belong to the day they start."""
    if case == "nights-over-the-changes":
        path = write_plan(NIGHTS_OVER_THE_CHANGES)
    else:
        path = ROOT / "tests" / "plans" / "edges" / case
    conversion = convert_file(path)
    assert _disagreements(conversion, tmp_path) == []


def test_a_change_inside_the_window_converts_with_offsets(write_plan: Callable[..., Path]) -> None:
    conversion = convert_file(write_plan(NIGHTS_OVER_THE_CHANGES))
    text = conversion.text
    assert 'timezone "Europe/Berlin"' in text
    assert "2025-03-27-00:00-+0100" in text
    assert "+0200" in text  # dates after the spring change carry summer time
    assert "workinghours mon - sun 0:00 - 5:00, 21:00 - 24:00" in text  # the night's both halves
    assert 'timeformat "%Y-%m-%d %H:%M %z"' in text
