"""The vectorised calendar and passes of ``sampling`` agree with the scalar ones exactly.

Every run of ``sampling.Engine`` must be the deterministic schedule of that run's
durations: checked on the flagship plan and on random plans with calendars, links of every
type, summaries, deadlines and tracking (hypothesis).
"""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.engine.schedule import build_schedule
from cutover.findings.pipeline import analyse, analyse_loaded
from cutover.planfile.loader import load_plan_text
from cutover.planfile.model import CalendarSpec
from cutover.risk.sampling import Engine, VectorCalendar
from cutover.worktime.calendars import WorkCalendar
from tests.conftest import ROOT
from tests.test_properties import plans

if TYPE_CHECKING:
    from cutover.findings.pipeline import Analysis
    from cutover.risk.sampling import IntArray, Runs

FLAGSHIP = ROOT / "plans" / "tuyenquang.yaml"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORIGIN_DAY = (date(2025, 6, 16) - date(1970, 1, 1)).days

# -- the vectorised calendar ---------------------------------------------------------------


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    days = draw(
        st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1)
    )
    cuts = sorted(draw(st.sets(st.integers(0, 1440), min_size=2, max_size=6)))
    spans = [
        f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    offsets = draw(st.lists(st.integers(-400, 400), max_size=8))
    holidays = sorted(
        {date(2025, 6, 16).fromordinal(date(2025, 6, 16).toordinal() + o) for o in offsets}
    )
    spec = CalendarSpec.model_validate(
        {"workdays": sorted(days), "hours": spans, "holidays": [d.isoformat() for d in holidays]}
    )
    return WorkCalendar("random", spec, ORIGIN_DAY)


@pytest.mark.slow
@SETTINGS
@given(calendars(), st.lists(st.integers(-3 * 10**6, 4 * 10**6), min_size=1, max_size=40))
def test_vector_calendar_agrees_with_the_scalar_one(
    calendar: WorkCalendar, offsets: list[int]
) -> None:
    vector = VectorCalendar(calendar)
    base = ORIGIN_DAY * 1440
    minutes = np.array([base + offset for offset in offsets], dtype=np.int64)
    assert vector.position(minutes).tolist() == [calendar.position(int(m)) for m in minutes]
    assert vector.latest_start_position(minutes).tolist() == [
        calendar.latest_start_position(int(m)) for m in minutes
    ]
    # Positions over about as many years as the instants, however little the calendar works.
    positions = np.array(offsets, dtype=np.int64) * calendar.week_minutes // (3 * 7 * 1440)
    assert vector.start_at(positions).tolist() == [calendar.start_at(int(p)) for p in positions]
    assert vector.end_at(positions).tolist() == [calendar.end_at(int(p)) for p in positions]


def test_vector_calendar_follows_the_calendar_when_it_grows() -> None:
    calendar = WorkCalendar("default", CalendarSpec(), ORIGIN_DAY)
    vector = VectorCalendar(calendar)
    far = np.array([0, 480 * 260 * 12, -480 * 260 * 6], dtype=np.int64)  # years away
    assert vector.start_at(far).tolist() == [calendar.start_at(int(p)) for p in far]
    back = vector.start_at(far)
    assert vector.position(back).tolist() == far.tolist()


# -- every run is a deterministic schedule ---------------------------------------------------


def assert_runs_are_schedules(
    analysis: Analysis, runs: Runs, durations: dict[int, IntArray]
) -> None:
    """Run ``j`` equals ``build_schedule`` of the graph with run ``j``'s durations."""
    graph, as_of = analysis.graph, analysis.schedule.as_of
    for run in range(len(runs.plan_finish)):
        minutes = list(graph.duration)
        for node, values in durations.items():
            minutes[node] = int(values[run])
        schedule = build_schedule(dataclasses.replace(graph, duration=minutes), as_of)
        assert int(runs.plan_finish[run]) == schedule.finish
        for node in range(len(graph)):
            got = (
                int(runs.start[node][run]),
                int(runs.finish[node][run]),
                int(runs.total_slack[node][run]),
                bool(runs.critical[node][run]),
            )
            want = (
                schedule.early.start[node],
                schedule.early.finish[node],
                schedule.total_slack[node],
                schedule.critical[node],
            )
            assert got == want, (graph.task(node).id, run, got, want)


def random_durations(analysis: Analysis, size: int, seed: int) -> dict[int, IntArray]:
    """Random whole minutes (at least 1) for every open task with working time."""
    graph = analysis.graph
    rng = np.random.default_rng(seed)
    return {
        node: rng.integers(1, 3 * graph.duration[node] + 2, size=size, dtype=np.int64)
        for node in range(len(graph))
        if graph.plain[node] and graph.status[node] in {"not_started", "in_progress"}
    }


def test_planned_durations_give_the_deterministic_schedule_of_the_flagship() -> None:
    analysis = analyse(FLAGSHIP, now=None)
    planned = {
        node: np.full(3, analysis.graph.duration[node], dtype=np.int64)
        for node in range(len(analysis.graph))
        if analysis.graph.plain[node]
    }
    runs = Engine(analysis.graph, analysis.schedule.as_of).run(planned, 3)
    assert_runs_are_schedules(analysis, runs, planned)


def test_sampled_runs_of_the_flagship_are_schedules_of_their_durations() -> None:
    for as_of in (None, datetime(2025, 6, 24, 14, 0), datetime(2025, 6, 28, 3, 0)):
        analysis = analyse(FLAGSHIP, now=None, as_of=as_of)
        durations = random_durations(analysis, 8, seed=7)
        runs = Engine(analysis.graph, analysis.schedule.as_of).run(durations, 8)
        assert_runs_are_schedules(analysis, runs, durations)


AS_OFS = [None, "2025-06-17T10:00", "2025-06-19T08:00", "2025-06-23T13:30"]


def _track(task: dict[str, Any], shuffle: random.Random) -> None:
    """Make a leaf task done, in progress or cancelled (or leave it), maybe with not_before."""
    roll = shuffle.random()
    if roll < 0.15:
        task["status"] = "done"
        if shuffle.random() < 0.5:
            task["actual_finish"] = shuffle.choice(["2025-06-17", "2025-06-18T12:00"])
        if shuffle.random() < 0.5:
            task["actual_start"] = shuffle.choice(["2025-06-16", "2025-06-16T10:00"])
    elif roll < 0.3 and not task.get("milestone"):  # a milestone cannot be in progress
        task["status"] = "in_progress"
        task["progress"] = shuffle.choice(["0%", "25%", "50%", "90%"])
        if shuffle.random() < 0.5:
            task["actual_start"] = shuffle.choice(["2025-06-16", "2025-06-17T09:30"])
    elif roll < 0.38:
        task["status"] = "cancelled"
    if shuffle.random() < 0.15:
        task["not_before"] = shuffle.choice(["2025-06-18", "2025-06-20T13:00"])


@st.composite
def tracked_plans(draw: st.DrawFn) -> dict[str, Any]:
    """The random plans of ``test_properties`` with tracking, not_before and a status date."""
    data: dict[str, Any] = draw(plans(deadlines=True))
    shuffle = random.Random(draw(st.integers(0, 2**32 - 1)))  # noqa: S311 - test data
    pending = list(data["tasks"])
    while pending:
        task = pending.pop()
        if "tasks" in task:
            pending.extend(task["tasks"])
        else:
            _track(task, shuffle)
    as_of = draw(st.sampled_from(AS_OFS))
    if as_of is not None:
        # Recorded progress cannot lie after the plan's own status date: an earlier one is
        # given as on the command line, which shows the plan as it stood then.
        latest = max(
            (
                str(task.get(key))
                for task in _leaves(data["tasks"])
                for key in ("actual_start", "actual_finish")
                if key in task
            ),
            default="",
        )
        if latest[:10] < as_of[:10]:
            data["as_of"] = as_of
        else:
            data["command_line_as_of"] = as_of
    return data


def _leaves(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for task in tasks:
        out.extend(_leaves(task["tasks"]) if "tasks" in task else [task])
    return out


def analyse_tracked(data: dict[str, Any]) -> Analysis:
    """Analyse a plan of ``tracked_plans``, with its command-line status date if it has one."""
    plan = {key: value for key, value in data.items() if key != "command_line_as_of"}
    as_of = data.get("command_line_as_of")
    return analyse_loaded(
        load_plan_text(json.dumps(plan), "random.yaml"),
        now=None,
        as_of=None if as_of is None else datetime.fromisoformat(as_of),
    )


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_plans(), st.integers(0, 1000))
def test_random_runs_are_schedules_of_their_durations(data: dict[str, Any], seed: int) -> None:
    analysis = analyse_tracked(data)
    durations = random_durations(analysis, 4, seed)
    runs = Engine(analysis.graph, analysis.schedule.as_of).run(durations, 4)
    assert_runs_are_schedules(analysis, runs, durations)
