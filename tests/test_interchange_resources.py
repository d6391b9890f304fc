"""Resources and allocations move in and out: MSPDI, XER and TaskJuggler.

The proof is the round trip: ``import(export(plan))`` has the same resources (ids, names,
units, calendars, absences), every task the same allocations and priority, and the same
schedule, levelled when the plan levels. Files of other programs' shape bring what a plan
can say and note, with their lines, what it cannot (materials, costs, fractional units,
overtime, effort-driven work, assignments to what the file lacks).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from cutover.common.errors import PlanError
from cutover.findings.pipeline import Analysis, analyse, analyse_loaded
from cutover.interchange.importing import import_file
from cutover.planfile.loader import load_plan_text
from tests.conftest import AS_OF, ROOT
from tests.interchange_support import differences, mspdi_round_trip, xer_round_trip
from tests.test_interchange_mspdi import tracked_plans

if TYPE_CHECKING:
    from cutover.planfile.model import Absence
    from tests.conftest import Cli

FIXTURES = ROOT / "tests" / "interchange"
TUYENQUANG = ROOT / "plans" / "tuyenquang.yaml"
TEAMS = ROOT / "examples" / "weekend-teams.yaml"


def resourcing(analysis: Analysis) -> dict[str, Any]:
    """The plan's resources as they read, its levelling, and each leaf's allocation."""
    graph, plan = analysis.graph, analysis.graph.plan
    resources = {
        resource.id: (
            resource.name,
            resource.units,
            resource.calendar,
            _away(analysis, resource.calendar or "default", resource.unavailable),
        )
        for resource in plan.resources
    }
    allocations = {
        graph.task(node).id: (
            graph.allocate[node] if graph.allocate else None,
            graph.priority[node],
        )
        for node in range(len(graph))
        if not graph.is_summary[node] and graph.allocate
    }
    return {"level": plan.level, "resources": resources, "allocate": allocations}


def _away(analysis: Analysis, calendar_name: str, spans: tuple[Absence, ...]) -> set[int]:
    """The working minutes of the resource's calendar that its absences take.

    Two spans that take the same working time mean the same (10:00-15:00 across a lunch
    break is 10:00-12:00 and 13:00-15:00); the formats keep the working time.
    """
    timebase, calendar = analysis.graph.timebase, analysis.graph.calendars[calendar_name]
    out: set[int] = set()
    for span in spans:
        begin = timebase.minute(span.begin)
        end = timebase.minute(span.end, end_of_day=True)
        out.update(minute for minute in range(begin, end) if calendar.is_working_minute(minute))
    return out


# -- the round trip ---------------------------------------------------------------------------

TRIPS = {"mspdi": mspdi_round_trip, "xer": xer_round_trip}


@pytest.mark.parametrize("fmt", TRIPS)
@pytest.mark.parametrize("plan", [TUYENQUANG, TEAMS], ids=lambda path: path.name)
@pytest.mark.parametrize("level", [None, True], ids=["as-the-plan-says", "levelled"])
def test_resource_plans_come_back_with_their_resources_and_schedule(
    fmt: str, plan: Path, level: bool | None, tmp_path: Path
) -> None:
    as_of = AS_OF if plan == TUYENQUANG else None
    before = analyse(plan, now=None, as_of=as_of, level=level)
    after, text = TRIPS[fmt](before, tmp_path)
    if level:  # levelled on the command line: the imported plan is levelled the same way
        after = _levelled(text, before)
    wanted = resourcing(before)
    if level and fmt == "mspdi":  # the file's levelling delays make the imported plan level
        wanted["level"] = True
        assert "has a levelling delay of" in text
    assert resourcing(after) == wanted
    assert differences(before, after, summary_links=fmt == "mspdi") == []
    assert "no resources yet" not in text


def _levelled(text: str, before: Analysis) -> Analysis:
    as_of = before.schedule.as_of
    status = None if as_of is None else before.graph.timebase.naive(as_of)
    return analyse_loaded(load_plan_text(text, "imported.yaml"), now=None, as_of=status, level=True)


@st.composite
def resourced_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Tracked random plans with resources, absences, allocations, priorities, levelling."""
    data = draw(tracked_plans())
    resources = []
    for number in range(draw(st.integers(1, 3))):
        resource: dict[str, Any] = {"id": f"r{number}", "units": draw(st.integers(1, 3))}
        if draw(st.booleans()):
            resource["name"] = draw(st.sampled_from(["Đội CNTT", "VNPT", "Ca đêm & ngày"]))
        calendar = draw(st.sampled_from([None, "rtc", "odd"]))
        if calendar:
            resource["calendar"] = calendar
        if draw(st.integers(0, 2)) == 0:
            resource["unavailable"] = [
                draw(
                    st.sampled_from(
                        [
                            {"from": "2025-06-17T10:00", "to": "2025-06-17T15:00"},
                            {"from": "2025-06-20", "to": "2025-06-20"},
                            {"from": "2025-06-23T22:00", "to": "2025-06-24T03:30"},
                        ]
                    )
                )
            ]
        resources.append(resource)
    data["resources"] = resources
    data["level"] = draw(st.booleans())
    for task in _tasks(data["tasks"]):
        if draw(st.integers(0, 2)):
            picks = draw(st.sets(st.integers(0, len(resources) - 1), min_size=1, max_size=2))
            chosen = [resources[pick] for pick in sorted(picks)]
            task["allocate"] = {r["id"]: draw(st.integers(1, r["units"])) for r in chosen}
        if draw(st.integers(0, 3)) == 0:
            task["priority"] = draw(st.sampled_from([100, 700, 900]))
    return data


def _tasks(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for task in tasks:
        out.append(task)
        out.extend(_tasks(task.get("tasks", [])))
    return out


def _analysed(data: dict[str, Any]) -> Analysis:
    try:
        return analyse_loaded(load_plan_text(json.dumps(data), "random.yaml"), now=None)
    except PlanError:  # a task whose calendar and resources' never meet: not this test's
        reject()


@pytest.mark.parametrize("fmt", TRIPS)
def test_generated_resource_plans_survive_the_round_trip(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random plans with resources, levelled or not, come back the same.

    Levelling searches until it stops improving or its time is up; a short patience ends
    every search here before the clock does, so the same plan levels the same both times.
    XER writes a summary's links on its tasks: a levelled schedule's slacks (counted on
    those links) are then not compared, only its dates and statuses.
    """
    from cutover.engine import levelling  # noqa: PLC0415

    monkeypatch.setattr(levelling, "_PATIENCE", 200)
    monkeypatch.setattr(levelling, "_PATIENCE_PER_ACTIVITY", 20)

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=resourced_plans())
    def check(data: dict[str, Any]) -> None:
        before = _analysed(data)
        with tempfile.TemporaryDirectory() as folder:
            after, text = TRIPS[fmt](before, Path(folder))
        assert resourcing(after) == resourcing(before), text
        if fmt == "xer" and before.graph.plan.level and _summary_links(before):
            assert _dates(after) == _dates(before), text
        else:
            assert differences(before, after, summary_links=fmt == "mspdi") == [], text

    check()


def _summary_links(analysis: Analysis) -> bool:
    graph = analysis.graph
    return any(graph.is_summary[e.pred] for preds in graph.preds for e in preds)


def _dates(analysis: Analysis) -> dict[str, tuple[int, int, str]]:
    graph, schedule = analysis.graph, analysis.schedule
    return {
        graph.task(node).id: (
            schedule.early.start[node],
            schedule.early.finish[node],
            schedule.status[node],
        )
        for node in range(len(graph))
    }


# -- files of other programs' shape ------------------------------------------------------------


def _notes(path: Path) -> tuple[str, list[str]]:
    result = import_file(path)
    return result.text, [f"{note.line} {note.kind}: {note.message}" for note in result.notes]


def test_an_mspdi_file_brings_its_resources_and_notes_what_a_plan_cannot_say() -> None:
    text, notes = _notes(FIXTURES / "resources.xml")
    for expected in (
        (
            "51 approximated: task 'Chuyển dữ liệu' is effort-driven or of fixed work: cutover "
            "keeps its duration, whatever its resources"
        ),
        "59 left-out: resource 'Nguyễn Văn A': StandardRate (a plan has no costs)",
        "60 approximated: resource 'Đội mạng': 2.5 units are counted as 3",
        "61 left-out: resource 'Băng từ' is a material: a plan has only work resources",
        "62 left-out: resource 'Công tác phí' is a cost resource: a plan has only work resources",
        "66 approximated: assignment of 'Đội mạng' to 'Chuyển dữ liệu': 1.5 units are counted as 2",
        "66 left-out: assignment of 'Đội mạng' to 'Chuyển dữ liệu': overtime work",
        (
            "67 approximated: assignment of 'Nguyễn Văn A' to 'Chuyển dữ liệu': 2 units, more than "
            "the 1 the resource has"
        ),
        "68 left-out: assignment of 'Băng từ' to 'Chuyển dữ liệu'",
        "69 left-out: an assignment of resource UID 9 to task UID 2, which the file lacks",
        "70 left-out: an assignment of resource UID 1 to task UID 7, which the file lacks",
        "72 left-out: assignment of 'Đội mạng' to 'Sao lưu': 0 units",
    ):
        assert expected in notes, (expected, notes)
    assert not any("UID -65535" in note or "resources yet" in note for note in notes)
    # A resource calendar that only derives from Standard is the default calendar, its
    # exceptions the person's absences (a day off; a day worked 08:00-10:00 only); one with
    # weekdays of its own is a calendar.
    for line in (
        "  - id: nguyen-van-a  # line 59",
        "      - {from: 2025-06-18, to: 2025-06-18}",
        "      - {from: 2025-06-19T10:00, to: 2025-06-19T17:00}",
        "  - id: doi-mang  # line 60",
        "    units: 3",
        "    calendar: doi-mang",
        "    allocate: {nguyen-van-a: 1}",
        "    priority: 700",
        "    allocate: {doi-mang: 2, nguyen-van-a: 1}",
    ):
        assert line in text.splitlines(), (line, text)
    assert "workdays: [mon, tue, wed, thu, fri, sat]" in text


def test_an_xer_file_brings_its_resources_and_notes_what_a_plan_cannot_say() -> None:
    text, notes = _notes(FIXTURES / "resources.xer")
    assert notes == [
        "22 converted: activity 'Chuyển dữ liệu': priority PT_High is priority 700",
        (
            "22 approximated: activity 'Chuyển dữ liệu': its duration type DT_FixedQty derives the "
            "duration from units or work; cutover keeps its duration"
        ),
        "29 left-out: resource 'Băng từ' is a material: a plan has only work resources",
        "30 approximated: resource 'Đội mạng': units that change over time (its maximum is kept)",
        "30 approximated: resource 'Đội mạng': 1.5 units are counted as 2",
        "34 left-out: a resource's cost per unit (a plan has no costs)",
        "40 left-out: assignment of 'Băng từ' to 'Chuyển dữ liệu'",
        "41 left-out: an assignment of resource 9 to activity 2, which the file lacks",
        "42 left-out: activity 'Sao lưu': a role assigned without a resource",
        "43 approximated: assignment of 'Đội mạng' to 'Chuyển dữ liệu': 0.5 units are counted as 1",
    ]
    for line in (
        "  - id: it  # line 28",
        "      - {from: 2025-06-17T10:00, to: 2025-06-17T15:00}",
        "  - id: net  # line 30",
        "    allocate: {it: 2}",
        "    allocate: {it: 1, net: 1}",
        "    priority: 700",
    ):
        assert line in text.splitlines(), (line, text)


def test_a_tjp_file_brings_groups_people_absences_and_allocations() -> None:
    text, notes = _notes(FIXTURES / "resources.tjp")
    assert notes == [
        "12 left-out: member 'Kỹ sư 2' of 'Trung tâm CNTT': 'vacation' of one member",
        "19 left-out: resource 'VNPT': 'rate'",
        "20 left-out: resource 'VNPT': 'efficiency'",
        (
            "31 approximated: task 'Kiểm tra': member 'it2' is allocated as one unit of "
            "'Trung tâm CNTT'"
        ),
        "31 left-out: task 'Kiểm tra': allocation option 'alternative'",
        "38 left-out: task 'Chuyển dữ liệu': 'nobody' names no resource of this file",
    ]
    for line in (
        "  - id: it  # line 9",
        "    units: 3",  # a group of three people
        "      - {from: 2025-06-20, to: 2025-06-20}",
        "  - id: vnpt  # line 17",
        "    calendar: vnpt",
        "    allocate: {it: 3}",  # the summary allocates the whole group
        "        allocate: {it: 1, vnpt: 1}",
        "        priority: 800",
    ):
        assert line in text.splitlines(), (line, text)


def test_a_tjp_in_the_shape_cutover_writes_brings_the_teams_back_whole() -> None:
    """u members with the others as alternatives are u units; an effort of U people, U-th."""
    text, notes = _notes(FIXTURES / "resources-cutover.tjp")
    assert notes == [
        (
            "30 converted: task 'migrate-dvc': an effort of 360 minutes by 2 people at once is a "
            "duration of 180 minutes"
        ),
        (
            "35 converted: task 'migrate-lgsp': an effort of 360 minutes by 2 people at once is a "
            "duration of 180 minutes"
        ),
    ]
    for line in (
        "  - id: r0  # line 17",
        "    units: 2",
        "    calendar: day-shift",
        "      - {from: 2025-06-28T12:00, to: 2025-06-28T13:00}",
        "    duration: 2h",
        "    allocate: {r0: 1}",
        "        allocate: {r0: 2}",
        "        allocate: {r0: 1, r1: 1}",
        "        priority: 900",
    ):
        assert line in text.splitlines(), (line, text)
    assert text.count("duration: 3h") == 2


BAD_VALUES = """<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-06-16T08:00:00</StartDate>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel>
      <Duration>PT8H0M0S</Duration></Task>
  </Tasks>
  <Resources>
    <Resource><UID>1</UID><Name>R</Name><MaxUnits>lots</MaxUnits><CalendarUID>42</CalendarUID>
    </Resource>
  </Resources>
  <Assignments>
    <Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>x</Units>
    </Assignment>
    <Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>5</ResourceUID></Assignment>
  </Assignments>
</Project>
"""


def test_bad_resource_values_are_notes_never_a_traceback(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(BAD_VALUES, encoding="utf-8")
    result = cli("import", str(path), "--output", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}:9: left-out: resource 'R': units 'lots'" in result.stderr
    assert f"{path}:13: approximated: assignment of 'R' to 'A': 1 unit" in result.stderr
    assert (
        f"{path}:15: left-out: an assignment of resource UID 5 to task UID 1, which the file lacks"
        in result.stderr
    )
    text = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert "allocate: {r: 1}" in text


def test_an_assignment_to_a_summary_applies_to_its_tasks_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "summary.xml"
    path.write_text(
        BAD_VALUES.replace("<MaxUnits>lots</MaxUnits><CalendarUID>42</CalendarUID>", "")
        .replace("<Units>x</Units>", "<Units>1</Units>")
        .replace(
            "<Duration>PT8H0M0S</Duration></Task>",
            "</Task><Task><UID>2</UID><ID>2</ID><Name>B</Name><OutlineLevel>2</OutlineLevel>"
            "<Duration>PT8H0M0S</Duration></Task>",
        ),
        encoding="utf-8",
    )
    text, notes = _notes(path)
    assert (
        "13 approximated: assignment of 'R' to 'A': a summary's allocation applies to each "
        "of its tasks"
    ) in notes
    assert '  - id: a  # line 5\n    name: "A"\n    allocate: {r: 1}\n    tasks:\n' in text


def test_a_task_that_can_never_work_with_its_resource_is_exit_2_at_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    """A resource on Sunday nights for a weekday task: the plan check, at the file's line."""
    path = tmp_path / "never.xml"
    path.write_text(
        BAD_VALUES.replace("<MaxUnits>lots</MaxUnits><CalendarUID>42</CalendarUID>", "")
        .replace("<Units>x</Units>", "<Units>1</Units>")
        .replace(
            "<StartDate>",
            "<CalendarUID>1</CalendarUID><Calendars><Calendar><UID>1</UID><Name>S</Name>"
            "<IsBaseCalendar>1</IsBaseCalendar></Calendar><Calendar><UID>2</UID><Name>Đêm"
            "</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays><WeekDay><DayType>1</DayType>"
            "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>20:00:00</FromTime>"
            "<ToTime>23:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>"
            + "".join(
                f"<WeekDay><DayType>{day}</DayType><DayWorking>0</DayWorking></WeekDay>"
                for day in range(2, 8)
            )
            + "</WeekDays>"
            "</Calendar></Calendars><StartDate>",
        )
        .replace("<Name>R</Name>", "<Name>R</Name><CalendarUID>2</CalendarUID>"),
        encoding="utf-8",
    )
    result = cli("import", str(path), "--output", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}:5:" in result.stderr  # the task's line in the XML
    assert "never-works" in result.stderr
    assert not (tmp_path / "plan.yaml").exists()


# -- the flagship, as a user runs it -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["mspdi", "xer"])
def test_the_flagship_goes_out_and_comes_back_with_its_teams(
    fmt: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / ("plan.xml" if fmt == "mspdi" else "plan.xer")
    back = tmp_path / "back.yaml"
    as_of = ("--as-of", "2025-06-26T09:00")
    assert (
        cli("export", str(TUYENQUANG), "--format", fmt, "-o", str(exported), *as_of).exit_code == 0
    )
    result = cli("import", str(exported), "--output", str(back))
    assert result.exit_code == 0, result.stderr
    text = back.read_text(encoding="utf-8")
    for line in (
        "  - id: it-centre  # line",
        "    units: 2",
        "    calendar: on-call",
        "  - id: ministry-systems  # line",
        "      - {from: 2025-06-28T14:00, to: 2025-06-28T16:00}",
        "allocate: {vnpt-network: 2, ministry-systems: 1}",
    ):
        assert any(row.strip().startswith(line.strip()) for row in text.splitlines()), line
    for command in ("schedule", "level"):
        first = json.loads(cli(command, str(TUYENQUANG), "--format", "json", *as_of).stdout)
        second = json.loads(cli(command, str(back), "--format", "json", *as_of).stdout)
        keys = ("start", "finish", "total_slack_minutes")[: 3 if fmt == "mspdi" else 2]
        dates = [
            {task["id"]: [task[key] for key in keys] for task in document["tasks"]}
            for document in (first, second)
        ]
        assert dates[0] == dates[1], command
