"""A levelled schedule goes out with its levelled dates and levelling delays, and comes back.

MSPDI carries each task's own levelling delay (``LevelingDelay``, elapsed time), so MS
Project or ProjectLibre scheduling the file start each task where cutover's levelling put
it; importing a file with delays makes the plan level its resources, with a note. XER has
no such field: its early dates are the levelled ones. MPXJ's reading of the same file is in
``test_interchange_mpxj.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cutover.engine.passes import levelling_delays
from cutover.findings.pipeline import Analysis, analyse
from cutover.interchange.importing import import_file
from cutover.interchange.mspdi_writer import elapsed_format, write_mspdi
from cutover.interchange.xer_writer import write_xer
from cutover.interchange.xmltree import parse_xml
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from cutover.interchange.xmltree import Element
    from tests.conftest import Cli

TEAMS = ROOT / "examples" / "weekend-teams.yaml"


def _teams(*, level: bool) -> Analysis:
    return analyse(TEAMS, now=None, as_of=AS_OF, level=level)


def _tasks(document: bytes) -> dict[str, Element]:
    """The exported tasks by cutover id (Text1), the project summary task left out."""
    root = parse_xml(document, "teams.xml")
    out = {}
    for task in root.path("Tasks", "Task"):
        ids = [
            attribute.value("Value")
            for attribute in task.findall("ExtendedAttribute")
            if attribute.value("FieldID") == "188743731"
        ]
        if ids:
            out[ids[0] or ""] = task
    return out


def test_levelling_moves_a_task_by_its_own_delay_or_by_its_links() -> None:
    analysis = _teams(level=True)
    schedule, graph = analysis.schedule, analysis.graph
    own = levelling_delays(graph, schedule.early, schedule.as_of)
    by_id = {graph.task(node).id: own[node] for node in range(len(graph))}
    assert by_id == {
        "prep": 0, "migrate": 0, "migrate-dvc": 360, "migrate-lgsp": 180, "migrate-docs": 0,
        "live": 0,
    }  # fmt: skip
    # ``live`` starts 5h later than unlevelled, because its links wait: not its own delay.
    assert analysis.levelled is not None
    assert analysis.levelled.delay(graph.index["live"]) == 300
    unlevelled = _teams(level=False).schedule
    assert levelling_delays(unlevelled.graph, unlevelled.early, unlevelled.as_of) == [0] * 6


def test_the_mspdi_export_writes_the_levelled_start_and_the_delay_in_elapsed_time() -> None:
    tasks = _tasks(write_mspdi(_teams(level=True).schedule))
    dvc = tasks["migrate-dvc"]
    assert dvc.value("Start") == "2025-06-27T16:00:00"
    assert dvc.value("LevelingDelay") == "3600"  # tenths of a minute: 6 hours
    assert dvc.value("LevelingDelayFormat") == "6"  # elapsed hours
    assert tasks["migrate-lgsp"].value("LevelingDelay") == "1800"
    assert tasks["live"].value("Start") == "2025-06-27T19:00:00"
    for task_id in ("prep", "migrate", "migrate-docs", "live"):
        assert tasks[task_id].find("LevelingDelay") is None, task_id
    # The schema's order: after the constraint and deadline, before the links.
    tags = [child.tag for child in dvc.children]
    assert tags.index("CalendarUID") < tags.index("LevelingDelay") < tags.index("PredecessorLink")
    assert tags.index("LevelingDelayFormat") == tags.index("LevelingDelay") + 1


def test_an_unlevelled_export_has_no_levelling_delay() -> None:
    tasks = _tasks(write_mspdi(_teams(level=False).schedule))
    assert all(task.find("LevelingDelay") is None for task in tasks.values())
    assert tasks["migrate-dvc"].value("Start") == "2025-06-27T10:00:00"


def test_the_export_command_writes_the_dates_before_levelling(cli: Cli, tmp_path: Path) -> None:
    levelled, unlevelled = tmp_path / "levelled.xml", tmp_path / "unlevelled.xml"
    for out, flag in ((levelled, "--level"), (unlevelled, "--no-level")):
        result = cli("export", str(TEAMS), "-o", str(out), "--as-of", "2025-06-26T09:00", flag)
        assert result.exit_code == 0, result.stderr
    dvc = _tasks(levelled.read_bytes())["migrate-dvc"]
    assert dvc.value("Start") == "2025-06-27T16:00:00"
    assert dvc.value("PreLeveledStart") == "2025-06-27T10:00:00"
    assert dvc.value("PreLeveledFinish") == "2025-06-27T13:00:00"
    tasks = _tasks(unlevelled.read_bytes())
    assert all(task.find("PreLeveledStart") is None for task in tasks.values())
    assert all(task.find("LevelingDelay") is None for task in tasks.values())


@pytest.mark.parametrize(
    ("minutes", "code"), [(360, "6"), (90, "4"), (1440, "8"), (2880, "8"), (1500, "6"), (1530, "4")]
)
def test_a_delay_is_written_in_elapsed_days_hours_or_minutes(minutes: int, code: str) -> None:
    assert elapsed_format(minutes) == code


def test_the_xer_export_has_the_levelled_early_dates() -> None:
    def early(analysis: Analysis) -> dict[str, tuple[str, str]]:
        lines = write_xer(analysis.schedule).decode().splitlines()
        header = next(line for line in lines if line.startswith("%F\ttask_id")).split("\t")
        rows = [
            dict(zip(header, line.split("\t"), strict=False))
            for line in lines
            if line.startswith("%R") and len(line.split("\t")) == len(header)
        ]
        return {
            row["task_code"]: (row["early_start_date"], row["early_end_date"])
            for row in rows
            if "task_code" in row
        }

    levelled, unlevelled = early(_teams(level=True)), early(_teams(level=False))
    assert levelled["migrate-dvc"] == ("2025-06-27 16:00", "2025-06-27 19:00")
    assert levelled["live"] == ("2025-06-27 19:00", "2025-06-27 19:00")
    assert unlevelled["migrate-dvc"] == ("2025-06-27 10:00", "2025-06-27 13:00")


DELAYED = """<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-06-16T08:00:00</StartDate>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel>
      <Duration>PT8H0M0S</Duration></Task>
    <Task><UID>2</UID><ID>2</ID><Name>B</Name><OutlineLevel>1</OutlineLevel>
      <Duration>PT8H0M0S</Duration>
      <LevelingDelay>{delay}</LevelingDelay><LevelingDelayFormat>8</LevelingDelayFormat>
    </Task>
  </Tasks>
  <Resources>
    <Resource><UID>1</UID><Name>R</Name><MaxUnits>1.00</MaxUnits></Resource>
  </Resources>
  <Assignments>
    <Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID></Assignment>
    <Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID></Assignment>
  </Assignments>
</Project>
"""


def test_an_imported_levelling_delay_makes_the_plan_level_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "delayed.xml"
    path.write_text(DELAYED.format(delay=14400), encoding="utf-8")
    result = import_file(path)
    notes = [f"{note.line} {note.kind}: {note.message}" for note in result.notes]
    assert (
        "9 approximated: task 'B' has a levelling delay of 1d: the plan format has no "
        "per-task delay, so the plan levels its resources (level: true) and cutover places "
        "the task again"
    ) in notes
    assert "\nlevel: true\n" in result.text
    # Levelled again by cutover: B waits for A, as the file's delay made it.
    plan = tmp_path / "plan.yaml"
    plan.write_text(result.text, encoding="utf-8")
    analysis = analyse(plan, now=None)
    graph, early = analysis.graph, analysis.schedule.early
    assert early.start[graph.index["b"]] >= early.finish[graph.index["a"]]


def test_a_delay_without_resources_is_left_out_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "delayed.xml"
    text = DELAYED.format(delay=600)
    text = text[: text.index("  <Resources>")] + "</Project>\n"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    notes = [f"{note.line} {note.kind}: {note.message}" for note in result.notes]
    assert (
        "9 left-out: task 'B' has a levelling delay of 1h but no resources to level: the "
        "plan has no per-task delay"
    ) in notes
    assert "level: true" not in result.text


def test_a_zero_delay_is_no_note(tmp_path: Path) -> None:
    path = tmp_path / "delayed.xml"
    path.write_text(DELAYED.format(delay=0), encoding="utf-8")
    result = import_file(path)
    assert not any("levelling delay" in note.message for note in result.notes)
    assert "level: true" not in result.text


def test_a_delay_that_is_no_number_is_exit_2_at_its_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "delayed.xml"
    path.write_text(DELAYED.format(delay="soon"), encoding="utf-8")
    result = cli("import", str(path), "--output", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}:9" in result.stderr
    assert "LevelingDelay 'soon' is not a number of tenths of a minute" in result.stderr
    assert not (tmp_path / "plan.yaml").exists()
