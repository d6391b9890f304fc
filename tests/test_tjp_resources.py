"""Resources in the TaskJuggler export: groups of members, allocations, effort when levelled.

The mapping (``cutover.interchange.tjp_resources``) is checked on the text written, and by
running tj3 (skipped when it is not installed): a levelled export is levelled by tj3 with
every resource within its units, an unlevelled one keeps cutover's unlevelled dates.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.engine.graph import build_graph
from cutover.engine.resourcing import away_spans, level
from cutover.engine.schedule import build_schedule
from cutover.interchange.tjp_writer import Conversion, convert
from cutover.planfile.loader import load_plan_text
from tests.conftest import ROOT, WORKED

sys.path.insert(0, str(ROOT / "benchmarks"))
from psplib import Instance
from psplib_taskjuggler import check, check_bookings, read_bookings, to_plan
from tjp import normalise, read_dates, run_tj3

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.engine.graph import TaskGraph
    from tests.conftest import Cli

needs_tj3 = pytest.mark.skipif(shutil.which("tj3") is None, reason="tj3 is not installed")

TEAMS = """\
plan: teams
timezone: UTC
start: 2025-06-16
calendars:
  c24: {workdays: all, hours: ["00:00-24:00"]}
resources:
  - id: it-centre
    name: IT centre "core" team
    units: 3
    calendar: c24
    unavailable: [{from: 2025-06-17T02:00, to: 2025-06-17T04:00}]
  - {id: noc}
tasks:
  - {id: a, duration: 4h, calendar: c24, allocate: {it-centre: 2}}
  - {id: b, duration: 4h, calendar: c24, allocate: {it-centre: 2}, priority: 900}
  - {id: c, duration: 2h, calendar: c24, allocate: {it-centre: 3}, after: [a]}
  - {id: d, duration: 1d, allocate: [noc]}
  - {id: e, duration: 1d, allocate: [noc, it-centre]}
  - {id: m, milestone: true, after: [c, d, e]}
"""
TWO = "r0_1 { alternative r0_2, r0_3 mandatory }"


def graph_of(text: str) -> TaskGraph:
    return build_graph(load_plan_text(text, "plan.yaml"))


def task_block(text: str, name: str) -> list[str]:
    """The lines inside ``task tN "name" { ... }`` (a leaf), stripped, after its id's."""
    found = re.search(rf'task t\d+ "{name}" {{\n(.*?)\n\s*}}', text, re.DOTALL)
    assert found is not None, name
    first, *rest = [line.strip() for line in found.group(1).splitlines()]
    assert first == f'CutoverId "{name}"'
    return rest


def test_resources_are_groups_of_members_with_their_calendar_and_leave() -> None:
    text = convert(graph_of(TEAMS)).text
    assert (
        'resource r0 "IT centre  core  team" {\n'
        '  CutoverId "it-centre"\n'
        "  ${cal0}\n"
        "  leaves unpaid 2025-06-17-02:00-+0000 - 2025-06-17-04:00-+0000\n"
        '  resource r0_1 "IT centre  core  team 1"\n'
        '  resource r0_2 "IT centre  core  team 2"\n'
        '  resource r0_3 "IT centre  core  team 3"\n'
        "}\n"
        'resource r1 "noc" {\n'
        '  CutoverId "noc"\n'
        "}\n"
    ) in text
    assert "macro cal0 [ shifts cal0 " in text


def test_unlevelled_tasks_keep_their_length_and_allocate_their_units() -> None:
    conversion = convert(graph_of(TEAMS))
    text = conversion.text
    assert not conversion.levelled
    assert conversion.resource_ids == {"it-centre": "r0", "noc": "r1"}
    assert task_block(text, "a") == ["length 4h", "${cal0}", f"allocate {TWO}, {TWO}"]
    assert task_block(text, "b") == [
        "length 4h",
        "${cal0}",
        "priority 900",
        f"allocate {TWO}, {TWO}",
    ]
    assert task_block(text, "c") == [
        "length 2h",
        "${cal0}",
        "allocate r0 { mandatory }",
        "depends t0",
    ]
    assert task_block(text, "d") == ["length 1d", "allocate r1 { mandatory }"]
    assert task_block(text, "e") == ["length 1d", f"allocate {TWO}, r1 {{ mandatory }}"]
    assert task_block(text, "m") == ["milestone", "depends t2, t3, t4"]
    assert "# Resources: a team of N units is a group of N members. Tasks keep" in text


def test_levelled_tasks_are_effort_of_units_times_duration() -> None:
    conversion = convert(graph_of(TEAMS), level=True)
    text = conversion.text
    assert conversion.levelled
    assert task_block(text, "a")[0] == "effort 8h"  # 2 members x 4h
    assert task_block(text, "c")[0] == "effort 6h"  # 3 x 2h
    assert task_block(text, "e")[0] == "effort 16h"  # (1 + 1) x 8h on the default calendar
    assert task_block(text, "m") == ["milestone", "depends t2, t3, t4"]
    assert "The schedule is levelled, so a\n# task that allocates is an 'effort'" in text


def test_a_levelled_schedule_is_written_levelled(cli: Cli, write_plan: Callable[..., Path]) -> None:
    plan = write_plan(TEAMS)
    levelled = cli("export", str(plan), "--format", "tjp", "--level", "--as-of", "2025-06-16")
    plain = cli("export", str(plan), "--format", "tjp", "--no-level", "--as-of", "2025-06-16")
    assert levelled.exit_code == plain.exit_code == 0, levelled.stderr + plain.stderr
    assert "effort 8h" in levelled.stdout
    assert not re.search(r"^\s*effort ", plain.stdout, re.MULTILINE)
    assert "length 4h" in plain.stdout


def test_a_plan_without_resources_has_no_resource_text(write_plan: Callable[..., Path]) -> None:
    graph = build_graph(load_plan_text(Path(write_plan(WORKED)).read_text(), "plan.yaml"))
    text = convert(graph).text
    assert convert(graph, level=True).text == text
    assert "resource" not in text
    assert "allocate" not in text
    assert "priority" not in text


def test_every_shift_a_task_or_resource_uses_is_defined() -> None:
    """Tasks that allocate work on joint calendars (task & resources): each gets its shift.

    Before resources were written, these tasks named a macro no block defined.
    """
    graph = graph_of((ROOT / "examples" / "weekend-teams.yaml").read_text(encoding="utf-8"))
    for levelled in (False, True):
        text = convert(graph, level=levelled).text
        used = set(re.findall(r"\$\{(cal\d+)\}", text))
        defined = set(re.findall(r"^macro (cal\d+) ", text, re.MULTILINE))
        assert used
        assert used <= defined


def test_leave_times_set_the_resolution_and_priorities_are_clamped() -> None:
    text = TEAMS.replace("T02:00, to: 2025-06-17T04:00", "T02:10, to: 2025-06-17T04:00")
    text = text.replace("priority: 900", "priority: 5000")
    text = text.replace("allocate: [noc]}", "allocate: [noc], priority: -3}")
    written = convert(graph_of(text)).text
    assert "timingresolution 10min" in written
    assert "leaves unpaid 2025-06-17-02:10-+0000" in written
    assert "priority 1000" in task_block(written, "b")
    assert "priority 1" in task_block(written, "d")


def test_a_leave_outside_the_window_is_clipped() -> None:
    text = TEAMS.replace(
        "{from: 2025-06-17T02:00, to: 2025-06-17T04:00}", "{from: 2025-06-01, to: 2025-06-16T06:00}"
    )
    written = convert(graph_of(text)).text
    assert "leaves unpaid 2025-06-16-00:00-+0000 - 2025-06-16-06:00-+0000" in written  # fmt: skip


# -- tj3 schedules what is written ---------------------------------------------------------------


def run(conversion: Conversion, folder: Path) -> tuple[dict[int, tuple[int, int]], str]:
    """tj3's normalised dates by node, and what it printed."""
    tjp = folder / "plan.tjp"
    tjp.write_text(conversion.text, encoding="utf-8")
    result = run_tj3(tjp, folder / "out", timeout=120)
    report = (folder / "out" / "dates.csv").read_text(encoding="utf-8")
    raw = read_dates(report, conversion.graph)
    return normalise(conversion.graph, raw), result.stderr + result.stdout


def overbooked(graph: TaskGraph, dates: dict[int, tuple[int, int]]) -> list[str]:
    """An independent check: each resource's units held at once, and work while it is away.

    A task holds its units from its start to its finish (cutover's rule, stricter than
    tj3's, which books a resource only in the slots the task works); a task may span a
    resource's leave if it does not work during it (tj3's rule: a task on office hours
    from Friday to Monday, the team away on Saturday).
    """
    problems = []
    for resource in graph.plan.resources:
        events: list[tuple[int, int]] = []
        for node, allocate in enumerate(graph.allocate):
            units = (allocate or {}).get(resource.id, 0)
            start, finish = dates[node]
            if units and not graph.is_summary[node] and finish > start:
                events += [(start, units), (finish, -units)]
                calendar = graph.calendar[node]
                problems += [
                    f"{graph.task(node).id} works with {resource.id} while it is away"
                    for begin, end in away_spans(graph, resource)
                    if calendar.position(min(end, finish)) > calendar.position(max(begin, start))
                ]
        held = 0
        for minute, change in sorted(events, key=lambda event: (event[0], event[1])):
            held += change
            if held > resource.units:
                problems.append(f"{resource.id}: {held} of {resource.units} at minute {minute}")
    return problems


@needs_tj3
@pytest.mark.slow
@pytest.mark.parametrize("source", ["teams", "weekend-teams"])
def test_tj3_levels_a_levelled_export_within_every_resource(tmp_path: Path, source: str) -> None:
    text = TEAMS if source == "teams" else (ROOT / "examples" / f"{source}.yaml").read_text()
    graph = graph_of(text)
    unlevelled = build_schedule(graph, None)
    ours = {n: (unlevelled.start(n), unlevelled.finish_of(n)) for n in range(len(graph))}
    assert overbooked(graph, ours), "the plan must need levelling for the test to mean anything"
    theirs, _ = run(convert(graph, level=True), tmp_path)
    assert overbooked(graph, theirs) == []
    for node in range(len(graph)):
        for edge in graph.preds[node]:
            if edge.type == "FS":
                assert theirs[node][0] >= theirs[edge.pred][1]
    levelled = level(unlevelled).schedule
    if source == "teams":  # tj3's priority rule finds cutover's levelled schedule here
        assert theirs == {n: (levelled.start(n), levelled.finish_of(n)) for n in range(len(graph))}


@needs_tj3
@pytest.mark.slow
def test_tj3_keeps_the_unlevelled_dates_of_length_tasks(tmp_path: Path) -> None:
    """A ``length`` task never waits for its team in tj3: it books whoever is free."""
    graph = graph_of(TEAMS)
    schedule = build_schedule(graph, None)
    theirs, printed = run(convert(graph), tmp_path)
    assert theirs == {n: (schedule.start(n), schedule.finish_of(n)) for n in range(len(graph))}
    assert "did not get any resources assigned" in printed


# -- the PSPLIB comparison's checker -------------------------------------------------------------

SMALL = Instance(
    "small.sm",
    durations=[0, 2, 3, 2, 0],
    successors=[[1, 2], [3], [4], [4], []],
    requests=[[0], [2], [2], [1], [0]],
    capacities=[3],
)


def test_the_psplib_checker_finds_splits_links_and_capacity() -> None:
    assert check(SMALL, [0, 0, 2, 5, 7], [0, 2, 5, 7, 7]) == (7, ())
    assert check(SMALL, [0, 0, 0, 2, 4], [0, 2, 3, 4, 4]).problems == (
        "R1 over its 3 units in 2 periods",
    )
    assert check(SMALL, [0, 0, 2, 1, 5], [0, 2, 5, 3, 5]).problems == (
        "job 4 starts before job 2 ends",
    )
    split = check(SMALL, [0, 0, 2, 5, 8], [0, 2, 6, 7, 8]).problems
    assert split == ("split: job 3 spans 4 periods for a duration of 3",)


def test_the_psplib_plan_and_tj3_bookings_are_read() -> None:
    graph = graph_of(to_plan(SMALL))
    assert [graph.task(n).id for n in range(len(graph))] == ["j1", "j2", "j3", "j4", "j5"]
    assert graph.plan.resources[0].units == 3
    assert graph.allocate[1] == {"r1": 2}
    tji = (
        "supplement task t1 {\n"
        "  booking r0_1 2025-01-06-00:00-+0000 + 2.0h { overtime 2 }\n"
        "  booking r0_2 2025-01-06-00:00-+0000 + 1.0h,\n"
        "          2025-01-06-05:00-+0000 + 1.0h { overtime 2 }\n"
        "}\n"
    )
    minute = {"2025-01-06-00:00-+0000": 0, "2025-01-06-05:00-+0000": 300}
    booked = read_bookings(tji, minute.__getitem__)
    assert dict(booked[1][0]) == {0: 2, 1: 1, 5: 1}
    assert check_bookings(SMALL, [0, 1, 2, 3, 4], booked, 0) == (
        "bookings: job 2 works 3 periods",
        "bookings: job 2 holds not 2 of R1",
        "bookings: job 3 works 0 periods",
        "bookings: job 4 works 0 periods",
    )
