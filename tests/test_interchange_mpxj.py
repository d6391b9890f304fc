"""An independent reader agrees: MPXJ reads cutover's MSPDI, and cutover reads MPXJ's.

MPXJ (the library behind ProjectLibre's and many other tools' MS Project support) runs in
a child process through ``tests/mpxj_probe.py``. It must find in every exported file the
same tasks, outline, durations, links with their lags, and calendars that cutover wrote;
and files MPXJ writes (from MPX, XER and GNOME Planner files it converts) must import.
Skipped when ``mpxj`` (the ``test`` extra) or Java (``.ci/run`` installs it) is missing.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from cutover.findings.pipeline import Analysis, analyse
from cutover.interchange.importing import import_file
from cutover.interchange.mspdi_writer import write_mspdi
from cutover.interchange.runbook_keys import runbook_text
from tests.conftest import AS_OF, ROOT, WORKED

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from cutover.planfile.model import Task

PROBE = ROOT / "tests" / "mpxj_probe.py"
FIXTURES = ROOT / "tests" / "interchange"
needs_mpxj = pytest.mark.skipif(
    importlib.util.find_spec("mpxj") is None
    or importlib.util.find_spec("jpype") is None
    or shutil.which("java") is None,
    reason="MPXJ needs `pip install mpxj` and a Java runtime",
)
#: Every link type with lags and leads, a summary on its own calendar, make-up days.
ALL_LINKS = """
plan: "Every link: <FS> & SS, FF, SF"
timezone: Asia/Ho_Chi_Minh
start: 2025-06-16
calendars:
  default:
    holidays: [2025-06-18]
    extra_workdays: [2025-06-21]
  night:
    workdays: [mon, tue, wed, thu, fri, sat]
    hours: ["18:00-22:00", "22:30-24:00"]
tasks:
  - {id: a, name: "Chuyển đổi", duration: 2d}
  - {id: b, duration: 5h, after: [{task: a, type: SS, lag: 3h}]}
  - id: night-work
    calendar: night
    tasks:
      - {id: c, duration: 1d, after: [{task: a, type: FF, lag: -2h}]}
      - {id: d, duration: 90m, after: [{task: c, type: SF, lag: 1d}]}
  - {id: e, milestone: true, after: [night-work, {task: b, type: FS, lag: -1d}]}
"""
PLANS = sorted([*(ROOT / "plans").glob("*.yaml"), *(ROOT / "examples").glob("*.yaml")])


def probe(*args: str) -> str:
    """Run the MPXJ probe; its stdout."""
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def expected(analysis: Analysis) -> dict[str, Any]:
    """What MPXJ should find in cutover's export of ``analysis``, in the probe's terms.

    Every task of the plan in file order: a standby branch's tasks, which are in no
    schedule, too, inactive and with their plan durations.
    """
    graph = analysis.graph
    names = {task.id: task.display_name for task in walk_all(graph.plan.tasks)}
    tasks = []

    def walk(items: tuple[Task, ...], depth: int, named: str | None) -> None:
        for task in items:
            own = task.calendar or named
            node = graph.index.get(task.id)
            calendar = graph.calendars[own or "default"] if node is None else graph.calendar[node]
            day, week = calendar.day_minutes, calendar.week_minutes
            links = [
                {
                    "pred": names[pred],
                    "type": kind,
                    "lag_minutes": float(lag.in_minutes(day, week)),
                }
                for pred, kind, lag in task.links
            ]
            row: dict[str, Any] = {
                "name": task.display_name,
                "text1": task.id,
                "text7": runbook_text(task),
                "active": node is not None and task.status != "cancelled",
                "outline_level": depth + 1,
                "summary": task.is_summary,
                "calendar": own,
                "predecessors": links,
            }
            if not task.is_summary:
                if node is None:
                    planned = task.planned_duration
                    minutes = 0 if planned is None else planned.in_minutes(day, week)
                else:
                    minutes = graph.duration[node]
                row["duration_minutes"] = float(minutes)
                row["milestone"] = minutes == 0
            tasks.append(row)
            walk(task.tasks or (), depth + 1, own)

    walk(graph.plan.tasks, 0, None)
    return {"tasks": tasks}


def walk_all(items: tuple[Task, ...]) -> list[Task]:
    """Every task below ``items``, in file order."""
    return [found for task in items for found in (task, *walk_all(task.tasks or ()))]


def found(read: dict[str, Any]) -> dict[str, Any]:
    """The probe's reading, keeping only what ``expected`` states."""
    tasks = []
    for task in read["tasks"]:
        keys = (
            "name", "text1", "text7", "active", "outline_level", "summary", "calendar",
            "predecessors",
        )  # fmt: skip
        row = {key: task[key] for key in keys}
        if not task["summary"]:
            row["duration_minutes"] = task["duration_minutes"]
            row["milestone"] = task["milestone"]
        tasks.append(row)
    return {"tasks": tasks}


def calendar_hours(analysis: Analysis) -> dict[str, dict[str, list[list[str]]]]:
    """Each calendar's working hours by weekday, as MPXJ reports them."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    out = {}
    for name, calendar in analysis.graph.calendars.items():
        spans = [[_clock(begin), _clock(end)] for begin, end in calendar.spec.hours]
        out[name] = {day: spans if n in calendar.workdays else [] for n, day in enumerate(names)}
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@needs_mpxj
def test_mpxj_reads_every_export_as_cutover_wrote_it(
    tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    written = [write_plan(WORKED), write_plan(ALL_LINKS)]
    analyses = [analyse(path, now=None) for path in [*written, *PLANS]]
    files = []
    for number, analysis in enumerate(analyses):
        files.append(tmp_path / f"plan{number}.xml")
        files[-1].write_bytes(write_mspdi(analysis.schedule))
    readings = json.loads(probe("read", *map(str, files)))
    for analysis, reading in zip(analyses, readings, strict=True):
        assert found(reading) == expected(analysis), analysis.graph.plan.plan
        calendars = {c["name"]: c for c in reading["calendars"]}
        assert reading["default_calendar"] == "default"
        for name, days in calendar_hours(analysis).items():
            assert calendars[name]["days"] == days, name
            calendar = analysis.graph.calendars[name]
            exceptions = calendars[name]["exceptions"]
            assert _days(exceptions, working=False) == calendar.holidays - calendar.extra_workdays
            assert _days(exceptions, working=True) == calendar.extra_workdays


def _days(exceptions: list[list[Any]], *, working: bool) -> set[date]:
    out = set()
    for first, last, works in exceptions:
        if works == working:
            day = date.fromisoformat(first)
            while day <= date.fromisoformat(last):
                out.add(day)
                day += timedelta(days=1)
    return out


# -- files MPXJ wrote ------------------------------------------------------------------------


def links_by_name(analysis: Analysis, *, lags: bool = True) -> set[tuple[str, str, str, int]]:
    """Every link as (predecessor name, successor name, type, lag minutes or 0)."""
    graph = analysis.graph
    out = set()
    for node in range(len(graph)):
        task, calendar = graph.task(node), graph.calendar[node]
        for pred, kind, lag in task.links:
            minutes = lag.in_minutes(calendar.day_minutes, calendar.week_minutes) if lags else 0
            out.add((graph.task(graph.index[pred]).display_name, task.display_name, kind, minutes))
    return out


def durations_by_name(analysis: Analysis) -> dict[str, int]:
    """Every leaf task's working minutes, by name."""
    graph = analysis.graph
    return {
        graph.task(node).display_name: graph.duration[node]
        for node in range(len(graph))
        if not graph.is_summary[node]
    }


def imported(path: Path) -> Analysis:
    """Import a file and analyse the plan it gives."""
    from cutover.findings.pipeline import analyse_loaded  # noqa: PLC0415
    from cutover.planfile.loader import load_plan_text  # noqa: PLC0415

    return analyse_loaded(load_plan_text(import_file(path).text, "imported.yaml"), now=None)


@pytest.mark.parametrize(
    ("fixture", "plan", "lags", "durations"),
    [
        ("erp-go-live.via-mpx.xml", "erp-go-live.yaml", True, True),
        ("erp-go-live.via-xer.xml", "erp-go-live.yaml", True, False),
        ("datacentre-easter.via-planner.xml", "datacentre-easter.yaml", False, False),
    ],
)
def test_files_mpxj_wrote_import_with_their_links(
    fixture: str, plan: str, *, lags: bool, durations: bool
) -> None:
    original = analyse(ROOT / "examples" / plan, now=None)
    theirs = imported(FIXTURES / "mpxj" / fixture)
    assert links_by_name(theirs, lags=lags) == links_by_name(original, lags=lags)
    if durations:
        assert durations_by_name(theirs) == durations_by_name(original)


@needs_mpxj
def test_mpxj_converts_a_plan_through_mpx_and_cutover_imports_it_unchanged(
    tmp_path: Path,
) -> None:
    original = analyse(ROOT / "examples" / "erp-go-live.yaml", now=None)
    (tmp_path / "plan.xml").write_bytes(write_mspdi(original.schedule))
    probe("convert", str(tmp_path / "plan.xml"), str(tmp_path / "plan.mpx"), "MPX")
    probe("convert", str(tmp_path / "plan.mpx"), str(tmp_path / "back.xml"), "MSPDI")
    theirs = imported(tmp_path / "back.xml")
    assert links_by_name(theirs) == links_by_name(original)
    assert durations_by_name(theirs) == durations_by_name(original)


# -- MPXJ reads the XER export ---------------------------------------------------------------


def xer_expected(analysis: Analysis) -> tuple[dict[str, tuple[float | None, str]], set[Any]]:
    """Activities (working minutes when not started, calendar) and relationships by name.

    A link from a summary is written from each of its tasks that is not cancelled; only
    ASCII names are compared (MPXJ reads an XER in the Windows code page, cutover writes
    UTF-8).
    """
    graph = analysis.graph
    activities = {}
    links = set()
    for node in range(len(graph)):
        if graph.is_summary[node]:
            continue
        name = graph.task(node).display_name
        minutes = float(graph.duration[node]) if graph.status[node] == "not_started" else None
        # The calendar the task (or a summary above it) names; its resources' travel with them.
        own, up = graph.task(node).calendar, graph.tasks[node].parent
        while own is None and up >= 0:
            own, up = graph.task(up).calendar, graph.tasks[up].parent
        activities[name] = (minutes, own or "default")
        for edge in graph.preds[node]:
            preds = [edge.pred]
            if graph.is_summary[edge.pred]:
                preds = [n for n in graph.leaves(edge.pred) if graph.status[n] != "cancelled"]
            for pred in preds:
                links.add((graph.task(pred).display_name, name, edge.type, float(edge.lag)))
    return _ascii(activities), {link for link in links if link[0].isascii() and link[1].isascii()}


def xer_found(reading: dict[str, Any]) -> tuple[dict[str, tuple[float | None, str]], set[Any]]:
    """The same, as MPXJ read it."""
    activities = {}
    links = set()
    for task in reading["tasks"]:
        if task["summary"]:
            continue
        activities[task["name"]] = (task["duration_minutes"], task["calendar"])
        for link in task["predecessors"]:
            links.add((link["pred"], task["name"], link["type"], link["lag_minutes"]))
    return _ascii(activities), {link for link in links if link[0].isascii() and link[1].isascii()}


def _ascii(activities: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in activities.items() if name.isascii()}


@needs_mpxj
def test_mpxj_reads_the_xer_export_as_cutover_wrote_it(
    tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    from cutover.interchange.xer_writer import write_xer  # noqa: PLC0415

    plans = [write_plan(ALL_LINKS), *PLANS]
    analyses = [analyse(path, now=None) for path in plans]
    files = []
    for number, analysis in enumerate(analyses):
        files.append(tmp_path / f"plan{number}.xer")
        files[-1].write_bytes(write_xer(analysis.schedule))
    readings = json.loads(probe("read", *map(str, files)))
    for analysis, reading in zip(analyses, readings, strict=True):
        activities, links = xer_expected(analysis)
        theirs, their_links = xer_found(reading)
        assert links == their_links, analysis.graph.plan.plan
        for name, (minutes, calendar) in activities.items():
            assert theirs[name][1] == calendar, name
            if minutes is not None:
                assert theirs[name][0] == minutes, name


# -- resources and assignments ---------------------------------------------------------------

RESOURCE_PLANS = [ROOT / "plans" / "tuyenquang.yaml", ROOT / "examples" / "weekend-teams.yaml"]


def resources_expected(analysis: Analysis, fmt: str) -> dict[str, Any]:
    """Each resource's id, units (MPXJ's 100 is one unit) and calendar, and each assignment."""
    graph = analysis.graph
    resources = {
        resource.name or resource.id: {
            "id": resource.id,
            "max_units": resource.units * 100.0,
            "base_calendar": resource.calendar or "default",
        }
        for resource in graph.plan.resources
    }
    names = {resource.id: resource.name or resource.id for resource in graph.plan.resources}
    assignments = sorted(
        (graph.task(node).display_name, names[name], units * 100.0)
        for node in range(len(graph))
        if not graph.is_summary[node]
        for name, units in (graph.allocate[node] or {}).items()
    )
    if fmt == "xer":  # a resource without absences works on its calendar itself
        for resource in graph.plan.resources:
            if not resource.unavailable:
                resources[resource.name or resource.id]["base_calendar"] = None
    return {"resources": resources, "assignments": assignments}


def resources_found(reading: dict[str, Any], fmt: str) -> dict[str, Any]:
    """The probe's reading of the resources, in ``resources_expected``'s terms."""
    resources = {
        item["name"]: {
            "id": item["code"] if fmt == "mspdi" else item["short_name"],
            "max_units": item["max_units"],
            "base_calendar": item["base_calendar"],
        }
        for item in reading["resources"]
    }
    assignments = sorted(
        (item["task"], item["resource"], item["units"]) for item in reading["assignments"]
    )
    return {"resources": resources, "assignments": assignments}


@needs_mpxj
@pytest.mark.parametrize("fmt", ["mspdi", "xer"])
def test_mpxj_reads_the_resources_and_assignments_cutover_wrote(fmt: str, tmp_path: Path) -> None:
    from cutover.interchange.resource_days import away_days  # noqa: PLC0415
    from cutover.interchange.xer_writer import write_xer  # noqa: PLC0415

    analyses = [analyse(path, now=None) for path in RESOURCE_PLANS]
    files = []
    for number, analysis in enumerate(analyses):
        files.append(tmp_path / f"plan{number}.{'xml' if fmt == 'mspdi' else 'xer'}")
        write = write_mspdi if fmt == "mspdi" else write_xer
        files[-1].write_bytes(write(analysis.schedule))
    readings = json.loads(probe("read", *map(str, files)))
    for analysis, reading in zip(analyses, readings, strict=True):
        theirs, ours = resources_found(reading, fmt), resources_expected(analysis, fmt)
        if fmt == "xer":  # MPXJ reads XER as cp1252 (P6's default): compare ASCII names
            for document in (theirs, ours):
                document["resources"] = _ascii(document["resources"])
                document["assignments"] = [
                    item for item in document["assignments"] if (item[0] + item[1]).isascii()
                ]
            assert ours["assignments"], "no ASCII assignment to compare"
        assert theirs == ours
        # An absence is the resource calendar's exception: the hours it still works that day.
        graph = analysis.graph
        by_name = {item["name"]: item for item in reading["resources"]}
        for resource in graph.plan.resources:
            if (resource.name or resource.id) not in by_name:
                assert fmt == "xer", resource.id  # a Vietnamese name MPXJ reads as cp1252
                continue
            calendar = graph.calendars[resource.calendar or "default"]
            away = away_days(resource, calendar, graph.timebase)
            exceptions = by_name[resource.name or resource.id]["calendar"]["exception_hours"]
            theirs = {
                day: [[begin[:5], end[:5]] for begin, end in hours]
                for day, hours in exceptions
                if date.fromisoformat(day) in away
            }
            assert theirs == {
                day.isoformat(): [[_clock(begin), _clock(end)] for begin, end in hours]
                for day, hours in away.items()
            }, resource.id
            assert away or not resource.unavailable


@needs_mpxj
def test_mpxj_reads_each_levelled_tasks_own_delay_and_levelled_start(tmp_path: Path) -> None:
    """A levelled export: the levelled starts, and each task's own delay as MS Project's.

    In examples/weekend-teams.yaml levelling delays migrate-dvc by 6h and migrate-lgsp by
    3h; ``live`` starts 5h later too, but only because its links wait for them: its own
    delay is none (MS Project adds a delay to what the links give, so writing 5h would
    count it twice). cutover's ``level --format json`` says 5h for ``live``: the shift,
    not the delay.
    """
    from cutover.engine.passes import levelling_delays  # noqa: PLC0415

    analysis = analyse(ROOT / "examples" / "weekend-teams.yaml", now=None, as_of=AS_OF, level=True)
    levelled, schedule = analysis.levelled, analysis.schedule
    assert levelled is not None
    exported = tmp_path / "teams.xml"
    exported.write_bytes(write_mspdi(schedule, unlevelled=levelled.unlevelled))
    (reading,) = json.loads(probe("read", str(exported)))
    graph, timebase = analysis.graph, analysis.graph.timebase
    own = levelling_delays(graph, schedule.early, schedule.as_of)
    theirs = {task["text1"]: task for task in reading["tasks"]}
    for node in range(len(graph)):
        task = theirs[graph.task(node).id]
        start = timebase.naive(schedule.early.start[node]).isoformat(timespec="minutes")
        assert task["start"] == start, graph.task(node).id
        assert (task["leveling_delay_minutes"] or 0) == own[node], graph.task(node).id
        if not graph.is_summary[node]:
            unlevelled = levelled.unlevelled.early.start[node]
            before = timebase.naive(unlevelled).isoformat(timespec="minutes")
            assert task["preleveled_start"] == before, graph.task(node).id
    delays = {graph.task(node).id: own[node] for node in range(len(graph)) if own[node]}
    assert delays == {"migrate-dvc": 360, "migrate-lgsp": 180}
    # Where no predecessor moved, the own delay is cutover's levelling delay.
    for task_id, minutes in delays.items():
        assert levelled.delay(graph.index[task_id]) == minutes
    assert levelled.delay(graph.index["live"]) == 300


#: One engineer, four tasks: levelling delays b by two days and c further (elapsed time
#: across nights); d only waits for c, by its link.
ONE_ENGINEER = """
plan: One engineer
timezone: Asia/Ho_Chi_Minh
start: 2025-06-16
level: true
resources:
  - {id: r, units: 1}
tasks:
  - {id: a, duration: 2d, allocate: [r]}
  - {id: b, duration: 4h, allocate: [r], priority: 100}
  - {id: c, duration: 3h, allocate: [r], priority: 50}
  - {id: d, duration: 1h, after: [c]}
"""


@needs_mpxj
@pytest.mark.parametrize("level", [True, False], ids=["levelled", "unlevelled"])
def test_mpxj_scheduling_the_export_finds_cutovers_dates(
    level: bool, tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    """MPXJ's MS Project-like scheduler, adding each delay as MS Project does, agrees.

    It adds a levelling delay only to a task without predecessors (b and c here); d
    proves that a task moved by its link alone needs none of its own.
    """
    analysis = analyse(write_plan(ONE_ENGINEER), now=None, level=level)
    exported = tmp_path / "one.xml"
    exported.write_bytes(write_mspdi(analysis.schedule))
    theirs = {task["name"]: task for task in json.loads(probe("schedule", str(exported)))}
    graph, early = analysis.graph, analysis.schedule.early
    ours = {
        graph.task(node).id: {
            "name": graph.task(node).id,
            "start": graph.timebase.naive(early.start[node]).isoformat(timespec="minutes"),
            "finish": graph.timebase.naive(early.finish[node]).isoformat(timespec="minutes"),
        }
        for node in range(len(graph))
    }
    assert theirs == ours
    assert (ours["d"]["start"] == "2025-06-18T16:00") is level
