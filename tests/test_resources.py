"""Resources in the plan: allocation, joint calendars, over-allocation found, levelling.

Every levelled schedule here is checked by ``feasibility_faults``, which recomputes the
bookings from the plan's own ``allocate`` keys (inheritance included) and checks every
minute, every link on the successor's calendar, and every working minute.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.engine.graph import FROM_FINISH, TO_START
from cutover.engine.resourcing import away_spans
from cutover.findings.pipeline import Analysis, analyse

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Cli

AS_OF = datetime(2025, 6, 27, 0, 0)
TEAMS = """
plan: Weekend teams
timezone: Asia/Ho_Chi_Minh
start: 2025-06-27
calendars:
  weekend: {workdays: all, hours: ["00:00-24:00"]}
  day-shift: {workdays: all, hours: ["08:00-20:00"]}
resources:
  - id: it-centre
    name: Provincial IT centre engineers
    units: 2
    calendar: day-shift
  - {id: vnpt-network, name: VNPT network team}
tasks:
  - {id: prep, duration: 2h, calendar: weekend, allocate: [it-centre]}
  - id: migrate
    calendar: weekend
    allocate: {it-centre: 2}
    tasks:
      - {id: m1, duration: 3h, after: [prep]}
      - {id: m2, duration: 3h, after: [prep], allocate: [it-centre, vnpt-network]}
      - {id: m3, duration: 2h, after: [prep], priority: 900}
  - {id: done, milestone: true, after: [migrate], deadline: 2025-06-27T18:00}
"""


def allocations(plan: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each leaf's allocation, inherited from summaries, read from the plan text alone."""
    found: dict[str, dict[str, int]] = {}

    def walk(tasks: list[dict[str, Any]], above: dict[str, int]) -> None:
        for task in tasks:
            own = task.get("allocate")
            mine = dict.fromkeys(own, 1) if isinstance(own, list) else own or above
            if "tasks" in task:
                walk(task["tasks"], mine)
            else:
                found[task["id"]] = mine

    walk(plan["tasks"], {})
    return found


def feasibility_faults(analysis: Analysis, plan: dict[str, Any]) -> list[str]:
    """Over-booked minutes of a not-started task, broken links, work outside working time."""
    return _booking_faults(analysis, plan) + _link_faults(analysis)


def _booking_faults(analysis: Analysis, plan: dict[str, Any]) -> list[str]:
    graph, early = analysis.graph, analysis.schedule.early
    units = {r["id"]: r.get("units", 1) for r in plan.get("resources", [])}
    calendars = {r["id"]: r.get("calendar", "default") for r in plan.get("resources", [])}
    faults: list[str] = []
    load: dict[tuple[str, int], int] = {}
    open_at: set[tuple[str, int]] = set()
    for task_id, allocate in allocations(plan).items():
        node = graph.index[task_id]
        if not graph.plain[node] or graph.status[node] == "cancelled":
            continue
        planned = graph.status[node] == "not_started"  # actual dates are facts
        for minute in range(early.start[node], _held_until(analysis, node)):
            for name, count in allocate.items():
                load[name, minute] = load.get((name, minute), 0) + count
                if planned:
                    open_at.add((name, minute))
        faults += [
            f"{task_id} starts outside {name}'s working time"
            for name in allocate
            if planned and not graph.calendars[calendars[name]].is_working_minute(early.start[node])
        ]
    faults += [
        f"{name} over its {units[name]} units at {minute}"
        for (name, minute), count in load.items()
        if count > units[name] and (name, minute) in open_at
    ]
    return faults


def _held_until(analysis: Analysis, node: int) -> int:
    """A task in progress holds its resources until its remaining work (no progress in
    these plans) is done from the status date; an FF or SF link may hold its finish later."""
    graph, early, as_of = analysis.graph, analysis.schedule.early, analysis.schedule.as_of
    if graph.status[node] != "in_progress" or as_of is None:
        return early.finish[node]
    calendar = graph.calendar[node]
    resume = max(as_of, early.start[node])
    own = calendar.end_at(calendar.position(resume) + graph.duration[node])
    return min(early.finish[node], max(own, resume))


def _link_faults(analysis: Analysis) -> list[str]:
    graph, early = analysis.graph, analysis.schedule.early
    faults = []
    for node in range(len(graph)):
        if graph.is_summary[node] or graph.status[node] != "not_started":
            continue
        calendar = graph.calendar[node]
        for edge in graph.preds[node]:
            anchor = (early.finish if edge.type in FROM_FINISH else early.start)[edge.pred]
            end = (early.start if edge.type in TO_START else early.finish)[node]
            if graph.is_instant[node]:
                ok = end >= (calendar.add(anchor, edge.lag) if edge.lag else anchor)
            else:
                ok = calendar.position(end) >= calendar.position(anchor) + edge.lag
            if not ok:
                faults.append(f"link {graph.task(edge.pred).id} -> {graph.task(node).id} broken")
    return faults


def test_a_task_works_only_when_its_resources_do(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(TEAMS, as_of=AS_OF)
    schedule = analysis.schedule
    start = schedule.times_of("prep").start
    assert schedule.graph.timebase.iso(start) == "2025-06-27T08:00:00+07:00"  # day shift
    m2 = schedule.times_of("m2")  # and the VNPT team's office hours (the default calendar)
    assert schedule.graph.timebase.iso(m2.finish) == "2025-06-27T14:00:00+07:00"


def test_overallocation_is_found_at_the_tasks(cli: Cli, write_plan: Callable[..., Path]) -> None:
    result = cli("check", str(write_plan(TEAMS)), "--as-of", "2025-06-27")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "warning overallocated m3" in text
    assert (
        "it-centre is booked for 5 units but has 2 from Fri 27 Jun 2025 10:00 to "
        "Fri 27 Jun 2025 13:00: m1 (line 19), m2 (line 20), m3 (line 21) collide" in text
    )


def test_level_json_shape_and_feasibility(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan(TEAMS)
    result = cli("level", str(path), "--as-of", "2025-06-27", "-f", "json", "--time-limit", "1s")
    document = json.loads(result.output)
    assert document["leveled"] is True
    assert {r["id"]: r for r in document["resources"]}["it-centre"] == {
        "id": "it-centre",
        "units": 2,
        "peak": 2,
        "overallocated_minutes": 0,
    }
    tasks = {task["id"]: task for task in document["tasks"]}
    assert tasks["m2"]["allocate"] == {"it-centre": 1, "vnpt-network": 1}
    assert tasks["m1"]["allocate"] == {"it-centre": 2}  # from its summary
    assert tasks["prep"]["leveling_delay_minutes"] == 0
    assert tasks["m3"]["leveling_delay_minutes"] == 0  # priority 900 goes first
    assert tasks["m1"]["leveling_delay_minutes"] > 0
    assert document["broken_deadlines"][0]["task"] == "done"
    assert document["broken_deadlines"][0]["resource"] == "it-centre"
    schedule = json.loads(cli("schedule", str(path), "--as-of", "2025-06-27", "-f", "json").output)
    assert set(schedule) < set(document)
    analysis = analyse(path, now=None, as_of=AS_OF, level=True)
    assert feasibility_faults(analysis, yaml.safe_load(TEAMS)) == []


def test_plan_level_true_and_the_override(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan(TEAMS.replace("start: 2025-06-27\n", "start: 2025-06-27\nlevel: true\n"))
    levelled = cli("schedule", str(path), "--as-of", "2025-06-27", "-f", "json").output
    plain = cli("schedule", str(path), "--as-of", "2025-06-27", "-f", "json", "--no-level")
    assert json.loads(levelled)["finish"] > json.loads(plain.output)["finish"]
    check = cli("check", str(path), "--as-of", "2025-06-27")
    assert "overallocated" not in check.output
    assert "late" in check.output  # levelling makes "done" miss its deadline


def test_tracking_keeps_done_and_started_work(write_plan: Callable[..., Path]) -> None:
    text = TEAMS.replace(
        "{id: prep, duration: 2h,",
        "{id: prep, status: done, actual_start: 2025-06-27T08:00, "
        "actual_finish: 2025-06-27T10:00, duration: 2h,",
    ).replace(
        "{id: m1, duration: 3h, after: [prep]}",
        "{id: m1, duration: 3h, after: [prep], status: in_progress, "
        "actual_start: 2025-06-27T10:00, progress: 50%}",
    )
    path = write_plan(text)
    status_date = datetime(2025, 6, 27, 11, 0)
    before = analyse(path, now=None, as_of=status_date, level=False).schedule
    after = analyse(path, now=None, as_of=status_date, level=True).schedule
    for task in ("prep", "m1"):
        assert after.times_of(task).start == before.times_of(task).start
        assert after.times_of(task).finish == before.times_of(task).finish
    minute = before.graph.timebase.minute(status_date)
    for task in ("m2", "m3"):
        assert after.times_of(task).start >= minute
    assert (
        feasibility_faults(
            analyse(path, now=None, as_of=status_date, level=True), yaml.safe_load(text)
        )
        == []
    )


def test_drivers_explains_a_levelling_delay(cli: Cli, write_plan: Callable[..., Path]) -> None:
    result = cli("drivers", str(write_plan(TEAMS)), "m1", "--as-of", "2025-06-27", "--level")
    text = " ".join(result.output.split())
    assert "set by resource levelling" in text
    assert "m1: levelling moved it" in text
    assert "waits for it-centre, busy with" in text


def test_level_refuses_a_plan_without_resources(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan("plan: x\nstart: 2025-06-27\ntasks:\n  - {id: a, duration: 1h}\n")
    result = cli("level", str(path))
    assert result.exit_code == 2


# -- random plans ---------------------------------------------------------------------

CALENDARS = {
    "rtc": {"workdays": "all", "hours": ["00:00-24:00"]},
    "odd": {"workdays": ["mon", "wed", "thu", "sat"], "hours": ["07:00-11:30", "13:30-17:00"]},
    "late": {"workdays": "all", "hours": ["10:00-22:00"]},
}


@st.composite
def resourced_plans(draw: st.DrawFn) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [
        {"id": f"r{i}", "units": draw(st.integers(1, 3))}
        | ({"calendar": c} if (c := draw(st.sampled_from([None, "rtc", "late"]))) else {})
        for i in range(draw(st.integers(1, 3)))
    ]
    tasks: list[dict[str, Any]] = []
    count = draw(st.integers(2, 10))
    for index in range(count):
        task: dict[str, Any] = {"id": f"t{index}"}
        if draw(st.integers(0, 9)) == 0:
            task["milestone"] = True
        else:
            task["duration"] = draw(st.sampled_from(["30m", "2h", "4h", "1d", "90m"]))
            chosen = draw(st.sets(st.sampled_from([r["id"] for r in resources]), max_size=2))
            units: dict[str, int] = {r["id"]: r["units"] for r in resources}
            if chosen:
                task["allocate"] = {name: draw(st.integers(1, units[name])) for name in chosen}
        calendar = draw(st.sampled_from([None, "rtc", "odd"]))
        if calendar:
            task["calendar"] = calendar
        links = []
        for pred in sorted(draw(st.sets(st.integers(0, index - 1), max_size=2)) if index else []):
            kind = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = draw(st.sampled_from(["0m", "1h", "-1h", "3h"]))
            links.append({"task": f"t{pred}", "type": kind, "lag": lag})
        if links:
            task["after"] = links
        if index < 2 and "duration" in task and draw(st.booleans()):  # tracking
            task["status"] = draw(st.sampled_from(["done", "in_progress"]))
            task["actual_start"] = "2025-06-02T08:00"
            if task["status"] == "done":
                task["actual_finish"] = "2025-06-02T12:00"
        if draw(st.integers(0, 5)) == 0:
            task["not_before"] = "2025-06-04T13:00"
        tasks.append(task)
    return {
        "plan": "random",
        "timezone": "UTC",
        "start": "2025-06-02",
        "calendars": CALENDARS,
        "resources": resources,
        "tasks": tasks,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resourced_plans())
def test_random_levelled_plans_are_feasible(tmp_path_factory: Any, plan: dict[str, Any]) -> None:
    path = tmp_path_factory.mktemp("plans") / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    analysis = analyse(path, now=None, as_of=datetime(2025, 6, 2, 10), level=True, time_limit=0.2)
    assert feasibility_faults(analysis, plan) == []
    unlevelled = analyse(path, now=None, as_of=datetime(2025, 6, 2, 10), level=False)
    for node in range(len(analysis.graph)):  # levelling only ever delays
        assert analysis.schedule.early.start[node] >= unlevelled.schedule.early.start[node]


def test_lint_warns_of_an_allocated_resource_without_a_name(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    result = cli(
        "lint",
        str(
            write_plan(
                TEAMS.replace("{id: vnpt-network, name: VNPT network team}", "{id: vnpt-network}")
            )
        ),
    )
    text = " ".join(result.output.split())
    assert "unnamed-resource" in text
    assert "resource 'vnpt-network' is allocated but has no name" in text
    assert "resource 'it-centre'" not in text


def test_risk_says_it_does_not_level(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan(TEAMS.replace("start: 2025-06-27\n", "start: 2025-06-27\nlevel: true\n"))
    result = cli("risk", str(path), "--as-of", "2025-06-27", "--runs", "200")
    assert "risk does not level resources in each run" in result.output


def test_resources_histogram_and_shifts(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan(TEAMS)
    result = cli("resources", str(path), "--from", "2025-06-27", "--to", "2025-06-27")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines() if "(2)" in line}
    cells = rows["it-centre"].split("(2)")[1].strip()
    # hours 08-10 prep (1 of 2 units), 10-13 booked for 5 of 2, 13-14 m2 alone
    assert cells == "▄▄!!!▄"
    assert "m2" in result.output
    assert "Fri 27 Jun 2025 10:00" in result.output
    levelled = cli("resources", str(path), "--from", "2025-06-27", "--to", "2025-06-30", "--level")
    assert "!" not in levelled.output.split("Who is on what")[0].split("away)")[-1]


def test_calendar_lists_working_time_and_holidays(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    text = TEAMS.replace(
        "  weekend: {workdays: all",
        "  default: {holidays_country: VN, holidays: [2025-09-03]}\n  weekend: {workdays: all",
    )
    path = write_plan(text)
    result = cli("calendar", str(path), "--from", "2025-08-29", "--to", "2025-09-03")
    lines = {line.split()[1]: line for line in result.output.splitlines() if " 2025 " in line}
    assert "08:00-12:00, 13:00-17:00" in lines["29"]
    assert "not a workday" in lines["30"]
    assert "public holiday (VN)" in lines["02"]
    assert "holiday (the plan's)" in lines["03"]
    shift = cli("calendar", str(path), "--resource", "it-centre", "--from", "2025-08-30")
    assert "08:00-20:00" in shift.output
    unknown = cli("calendar", str(path), "--resource", "it-center")
    assert unknown.exit_code == 2
    assert "did you mean 'it-centre'" in unknown.output


def test_regional_public_holidays(cli: Cli, write_plan: Callable[..., Path]) -> None:
    text = "plan: x\ntimezone: Europe/Berlin\nstart: 2026-01-02\ncalendars:\n  default: {holidays_country: %s}\ntasks:\n  - {id: a, duration: 2d}\n"  # noqa: E501
    bavaria = cli("calendar", str(write_plan(text % "DE-BY")), "--to", "2026-01-07")
    assert "Tue 06 Jan 2026" in bavaria.output
    assert "public holiday (DE-BY)" in bavaria.output  # Epiphany: Bavaria, not Berlin
    berlin = cli("calendar", str(write_plan(text % "DE-BE")), "--to", "2026-01-07")
    assert "public holiday" not in berlin.output
    wrong = cli("check", str(write_plan(text % "DE-XX")), "--as-of", "2026-01-02")
    assert wrong.exit_code == 2
    assert "BY" in wrong.output
    assert "region such as DE-BY or GB-ENG" in " ".join(wrong.output.split())


def test_level_optimal_on_a_round_the_clock_plan(cli: Cli, write_plan: Callable[..., Path]) -> None:
    pytest.importorskip("ortools")
    text = TEAMS.replace("calendar: day-shift", "calendar: weekend").replace(
        "- {id: vnpt-network, name: VNPT network team}",
        "- {id: vnpt-network, name: VNPT network team, calendar: weekend}",
    )
    result = cli("level", str(write_plan(text)), "--as-of", "2025-06-27", "--optimal")
    assert result.exit_code == 0, result.output
    assert "makespan proved optimal" in result.output
    on_calendars = cli("level", str(write_plan(TEAMS)), "--as-of", "2025-06-27", "--optimal")
    assert on_calendars.exit_code == 2
    assert "calendars" in on_calendars.output


def test_a_task_in_progress_held_by_a_finish_link_frees_its_people(tmp_path: Path) -> None:
    """t1 started on r0 and has 30 minutes left, but an FF link holds its finish until t0
    ends: r0 is free for t0 after those 30 minutes, so levelling need not delay t0 (and
    cannot: t1 would wait for t0, t0 for r0)."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: x\ntimezone: UTC\nstart: 2025-06-02\n"
        "resources: [{id: r0, units: 1}]\ntasks:\n"
        "  - {id: t0, duration: 30m, allocate: {r0: 1}, not_before: 2025-06-04T13:00}\n"
        "  - {id: t1, duration: 30m, allocate: {r0: 1}, after: [{task: t0, type: FF}],\n"
        "     status: in_progress, actual_start: 2025-06-02T08:00}\n",
        encoding="utf-8",
    )
    analysis = analyse(path, now=None, as_of=datetime(2025, 6, 2, 10), level=True)
    times = {task: analysis.schedule.times_of(task) for task in ("t0", "t1")}
    minute = analysis.graph.timebase.minute
    assert times["t0"].start == minute(datetime(2025, 6, 4, 13, 0))
    assert times["t1"].finish == minute(datetime(2025, 6, 4, 13, 30))
    assert feasibility_faults(analysis, yaml.safe_load(path.read_text(encoding="utf-8"))) == []
    assert not [f for f in analysis.findings if f.code == "overallocated"]


def test_levelling_sees_a_chain_through_a_task_in_progress(tmp_path: Path) -> None:
    """t6 waits, through t1 (in progress, finish held by t0), for t0's finish less an
    hour; both need r0. t6 first would push t0 and so t6 again: t0 must go first."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: x\ntimezone: UTC\nstart: 2025-06-02\n"
        "resources: [{id: r0, units: 1}]\ntasks:\n"
        "  - {id: t0, duration: 90m, allocate: {r0: 1}, not_before: 2025-06-04T13:00}\n"
        "  - {id: t1, duration: 30m, after: [{task: t0, type: FF}],\n"
        "     status: in_progress, actual_start: 2025-06-02T08:00}\n"
        "  - {id: t6, duration: 30m, allocate: {r0: 1}, not_before: 2025-06-04T13:00,\n"
        "     after: [{task: t1, type: FF, lag: -1h}]}\n",
        encoding="utf-8",
    )
    analysis = analyse(path, now=None, as_of=datetime(2025, 6, 2, 10), level=True)
    minute = analysis.graph.timebase.minute
    assert analysis.schedule.times_of("t0").start == minute(datetime(2025, 6, 4, 13, 0))
    assert analysis.schedule.times_of("t6").start == minute(datetime(2025, 6, 4, 14, 30))
    assert feasibility_faults(analysis, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_an_absence_counts_only_where_it_meets_working_time(tmp_path: Path) -> None:
    """r0 works 08-12 and 13-17; away one night (no working minute) and one afternoon from
    12:00 (its working part: 13:00-17:00). A three-day task may run across the night."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: x\ntimezone: UTC\nstart: 2025-06-16\nlevel: true\n"
        "resources:\n  - id: r0\n    unavailable:\n"
        "      - {from: 2025-06-16T22:00, to: 2025-06-17T03:30}\n"
        "      - {from: 2025-06-20T12:00, to: 2025-06-20T18:00}\n"
        "tasks:\n  - {id: a, duration: 3d, allocate: [r0]}\n",
        encoding="utf-8",
    )
    analysis = analyse(path, now=None, as_of=datetime(2025, 6, 16), level=True)
    minute = analysis.graph.timebase.minute
    assert away_spans(analysis.graph, analysis.graph.plan.resources[0]) == [
        (minute(datetime(2025, 6, 20, 13)), minute(datetime(2025, 6, 20, 17)))
    ]
    assert analysis.schedule.times_of("a").start == minute(datetime(2025, 6, 16, 8))
    assert not [f for f in analysis.findings if f.code == "overallocated"]
