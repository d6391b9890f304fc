"""MS Project XML (MSPDI): export, import, the round trip, and bad files.

The round trip is the proof of the mapping: ``import(export(plan))`` has the same ids and
the same schedule (start, finish, total, free and deadline slack) for every plan of the
repository and for generated plans with every link type, calendars with holidays,
summaries and tracking.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.common.errors import PlanError
from cutover.findings.pipeline import analyse, analyse_loaded
from cutover.interchange.ids import IdMaker, slug
from cutover.interchange.importing import import_file
from cutover.interchange.mspdi_writer import write_mspdi
from cutover.interchange.xmltree import parse_xml
from cutover.planfile.loader import load_plan_text
from tests.conftest import AS_OF, ROOT, WORKED
from tests.interchange_support import differences, mspdi_round_trip
from tests.test_properties import plans

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Cli

FIXTURES = ROOT / "tests" / "interchange"
#: Every plan, those with resources and ``level: true`` too (the round trip then compares
#: the levelled schedules).
REPOSITORY_PLANS = sorted([*(ROOT / "plans").glob("*.yaml"), *(ROOT / "examples").glob("*.yaml")])


# -- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("plan", REPOSITORY_PLANS, ids=lambda path: path.name)
@pytest.mark.parametrize("as_of", [None, AS_OF], ids=["planned", "tracked"])
def test_every_repository_plan_survives_the_round_trip(
    plan: Path, as_of: object, tmp_path: Path
) -> None:
    before = analyse(plan, now=None, as_of=as_of)  # type: ignore[arg-type]
    after, _ = mspdi_round_trip(before, tmp_path)
    assert differences(before, after) == []


STATUSES = ["not_started", "not_started", "done", "in_progress", "cancelled"]


@st.composite
def tracked_plans(draw: st.DrawFn) -> dict[str, Any]:
    """The scheduler's random plans, with holidays, make-up days, constraints and progress."""
    data = draw(plans(deadlines=True))
    calendars = dict(data["calendars"])
    calendars["default"] = {
        "holidays": ["2025-06-18", "2025-06-19", "2025-06-24"],
        "extra_workdays": ["2025-06-21"],
    }
    data["calendars"] = calendars
    data["as_of"] = "2025-06-18T12:00"
    for task in _leaves(data["tasks"]):
        status = draw(st.sampled_from(STATUSES))
        if status == "done":
            task["status"] = "done"
            task["actual_finish"] = "2025-06-17T10:00"
            if draw(st.booleans()):
                task["actual_start"] = "2025-06-16T09:30"
        elif status == "in_progress" and not task.get("milestone"):
            task["status"] = "in_progress"
            task["progress"] = draw(st.sampled_from(["0%", "25%", "50%", "33.5%"]))
            if draw(st.booleans()):
                task["actual_start"] = "2025-06-17T09:00"
        elif status == "cancelled":
            task["status"] = "cancelled"
        if draw(st.integers(0, 5)) == 0:
            task["not_before"] = "2025-06-20T10:00"
    return data


def _leaves(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for task in tasks:
        out.extend(_leaves(task["tasks"]) if "tasks" in task else [task])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tracked_plans())
def test_generated_plans_survive_the_round_trip(data: dict[str, Any]) -> None:
    before = analyse_loaded(load_plan_text(json.dumps(data), "random.yaml"), now=None)
    with tempfile.TemporaryDirectory() as folder:
        after, text = mspdi_round_trip(before, Path(folder))
    assert differences(before, after) == [], text


def test_the_generated_plans_have_every_feature_the_round_trip_claims() -> None:
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(tracked_plans())
    def collect(data: dict[str, Any]) -> None:
        text = json.dumps(data)
        for feature in (
            '"FF"',
            '"SS"',
            '"SF"',
            '"lag": "-',
            '"done"',
            '"in_progress"',
            '"cancelled"',
            '"group"',
            "not_before",
            "deadline",
        ):
            if feature in text:
                seen.add(feature)

    collect()
    assert len(seen) == 10, seen


# -- the export -------------------------------------------------------------------------------


def test_the_export_is_mspdi_with_ids_durations_links_and_calendars(
    write_plan: Callable[..., Path],
) -> None:
    analysis = analyse(write_plan(WORKED), now=None)
    root = parse_xml(write_mspdi(analysis.schedule), "plan.xml")
    assert root.tag == "Project"
    tasks = {task.value("Name"): task for task in root.path("Tasks", "Task")}
    review = tasks["review"]
    assert review.value("Duration") == "PT4H0M0S"
    assert review.value("Start") == "2025-06-18T08:00:00"
    (link,) = review.findall("PredecessorLink")
    assert (link.value("PredecessorUID"), link.value("Type")) == ("2", "3")  # build, SS
    assert (link.value("LinkLag"), link.value("LagFormat")) == ("4800", "7")  # 1d, in days
    assert tasks["ship"].value("Milestone") == "1"
    assert tasks["ship"].value("Deadline") == "2025-06-20T00:00:00"
    ids = [a.value("Value") for t in tasks.values() for a in t.findall("ExtendedAttribute")]
    assert ids == ["UTC", "design", "build", "review", "ship"]
    (calendar,) = root.path("Calendars", "Calendar")
    monday = next(d for d in calendar.path("WeekDays", "WeekDay") if d.value("DayType") == "2")
    times = [
        (t.value("FromTime"), t.value("ToTime")) for t in monday.path("WorkingTimes", "WorkingTime")
    ]
    assert times == [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")]


def test_names_are_escaped(write_plan: Callable[..., Path]) -> None:
    plan = write_plan(
        'plan: "A & B <c>"\nstart: 2025-06-16\ntasks:\n'
        '  - {id: a, name: "x < y & \\"z\\" ]]>", duration: 1d}\n'
    )
    data = write_mspdi(analyse(plan, now=None).schedule)
    root = parse_xml(data, "plan.xml")
    assert root.value("Name") == "A & B <c>"
    assert [t.value("Name") for t in root.path("Tasks", "Task")] == ["A & B <c>", 'x < y & "z" ]]>']


def test_export_by_extension_and_import_refuses_to_overwrite(
    cli: Cli, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    exported = tmp_path / "plan.xml"
    result = cli("export", str(write_plan(WORKED)), "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert "(mspdi)" in result.stderr
    target = tmp_path / "back.yaml"
    target.write_text("keep me", encoding="utf-8")
    refused = cli("import", str(exported), "-o", str(target))
    assert refused.exit_code == 2
    assert "exists" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = cli("import", str(exported), "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "wrote" in forced.stderr
    assert "  - id: review  # line " in target.read_text(encoding="utf-8")


# -- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Chuyển đổi hệ thống", "chuyen-doi-he-thong"),
        ("ĐẶT LỊCH Đường truyền", "dat-lich-duong-truyen"),
        ("Straße & Größe", "strasse-grosse"),
        ("  --  ", ""),
        ("Go-live (phase 2)", "go-live-phase-2"),
    ],
)
def test_ids_are_ascii_words_from_the_name(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_ids_are_unique_and_stable() -> None:
    maker = IdMaker()
    assert maker.reserve("setup")
    assert not maker.reserve("setup")
    assert not maker.reserve("has space")
    made = [maker.make(name, "task-9") for name in ("Setup", "Setup", "Kiểm thử", "!!!")]
    assert made == ["setup-2", "setup-3", "kiem-thu", "task-9"]


# -- real files and what cannot be expressed -------------------------------------------------


def test_notes_name_the_line_of_what_was_approximated_or_left_out() -> None:
    result = import_file(FIXTURES / "features.xml")
    notes = {(note.line, note.kind): note.message for note in result.notes}
    text = result.text
    assert "  - id: chuyen-doi-he-thong  # line " in text
    assert 'name: "Chuyển đổi hệ thống"' in text
    messages = "\n".join(f"{line} {kind} {message}" for (line, kind), message in notes.items())
    for expected in (
        "converted task 'Kiểm thử': a lag of 50% of 'Chuyển đổi hệ thống' is 480 working minutes",
        "approximated task 'Đào tạo': an elapsed lag of 1440 minutes is counted as working time",
        "approximated task 'Đào tạo': must finish on 2025-07-04 17:00 is written as a deadline",
        "left-out task 'Đào tạo': as late as possible",
    ):
        assert expected.split(" ", 1)[1] in messages or expected in messages, (expected, messages)
    assert "no resources yet" not in messages
    assert "lag: 1d" in text  # 50% of a two-day task
    assert '  - id: nguyen-van-a  # line 75\n    name: "Nguyễn Văn A"\n' in text
    assert "allocate: {nguyen-van-a: 1}" in text


@pytest.mark.parametrize(
    ("fixture", "line", "code", "words"),
    [
        ("truncated.xml", 14, "bad-file", "not well-formed XML: unclosed token"),
        ("unknown-link-type.xml", 53, "unknown-link-type", "link type '7'"),
        ("cycle.xml", 44, "cycle", "'kiem-thu' (line 51) → 'dao-tao' (line 56)"),
        ("no-working-time.xml", 8, "no-working-time", "'Standard' has no working time"),
        ("entities.xml", 2, "bad-file", "DOCTYPE"),
    ],
)
def test_a_bad_file_is_exit_2_with_its_line(
    cli: Cli, fixture: str, line: int, code: str, words: str
) -> None:
    path = FIXTURES / "bad" / fixture
    with pytest.raises(PlanError) as raised:
        import_file(path)
    (diagnostic, *_) = raised.value.diagnostics
    assert (diagnostic.location.line, diagnostic.code) == (line, code), str(diagnostic)
    assert words in diagnostic.message
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}:" in result.stderr
    assert f": error[{code}]: " in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_time_zone_that_is_none_and_work_weeks_are_noted(tmp_path: Path) -> None:
    text = (FIXTURES / "features.xml").read_text(encoding="utf-8")
    text = (
        text.replace(
            "<Name>Chuyển đổi hệ thống tỉnh</Name><OutlineLevel>0</OutlineLevel>",
            "<Name>Chuyển đổi hệ thống tỉnh</Name><OutlineLevel>0</OutlineLevel>"
            "<ExtendedAttribute><FieldID>188743734</FieldID><Value>Mars/Base</Value>"
            "</ExtendedAttribute>",
        )
        .replace(
            "  <Calendars>",
            "  <ExtendedAttributes><ExtendedAttribute><FieldID>188743734</FieldID>"
            "<Alias>cutover time zone</Alias></ExtendedAttribute></ExtendedAttributes>\n"
            "  <Calendars>",
        )
        .replace(
            "      </Exceptions>",
            "      </Exceptions>\n"
            "      <WorkWeeks><WorkWeek><Name>Summer</Name></WorkWeek></WorkWeeks>",
        )
    )
    path = tmp_path / "plan.xml"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    messages = [f"{note.kind}: {note.message}" for note in result.notes]
    assert "left-out: 'Mars/Base' is not a time zone" in messages
    assert "left-out: calendar 'Ca đêm': a work week with its own hours" in messages
    assert "timezone: UTC" in result.text


def test_ids_that_yaml_would_read_as_numbers_dates_or_booleans_come_back_as_text(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    plan = write_plan(
        'plan: x\nstart: 2025-06-16\ncalendars:\n  "2025": {workdays: all}\ntasks:\n'
        '  - {id: "1.1", duration: 1d}\n'
        '  - {id: "2025", duration: 1d, calendar: "2025", after: ["1.1"]}\n'
        '  - {id: "no", milestone: true, after: ["2025"]}\n'
        '  - {id: "2025-06-20", milestone: true, after: [{task: "no", lag: 1h}]}\n'
    )
    before = analyse(plan, now=None)
    after, text = mspdi_round_trip(before, tmp_path)
    assert differences(before, after) == [], text
    assert '  - id: "1.1"  # line ' in text
