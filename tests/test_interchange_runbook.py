"""Gates, standby branches and decisions through the interchange formats.

MSPDI carries them: a standby branch's tasks as inactive tasks, every gate's and branch's
keys as JSON in Text7, so the plan comes back with the same gates, branch and decisions
and ``check`` finds the same (``rollback-at-risk`` included). TaskJuggler and XER have no
go/no-go decisions: their export says on stderr what it leaves out, never silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

from cutover.findings.pipeline import Analysis, analyse
from cutover.interchange.importing import import_file
from cutover.interchange.mspdi_writer import write_mspdi
from cutover.interchange.runbook_keys import runbook_keys
from tests.conftest import ROOT, WORKED
from tests.interchange_support import mspdi_round_trip

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from cutover.planfile.model import Task
    from tests.conftest import Cli

FLAGSHIP = ROOT / "plans" / "tuyenquang.yaml"
BANK = ROOT / "examples" / "bank-outage-night.yaml"
#: Each plan with a status date at which its gates are still open (or the first decided).
RUNBOOKS = [(FLAGSHIP, datetime(2025, 6, 26)), (BANK, datetime(2025, 8, 23, 21))]
#: Progress recorded after the status date is written as it stood then (as every export
#: does); the imported plan has nothing after the status date to report.
NOT_CARRIED = {"progress-not-counted"}


def every_task(tasks: tuple[Task, ...]) -> list[Task]:
    return [found for task in tasks for found in (task, *every_task(task.tasks or ()))]


def runbook_of(analysis: Analysis) -> dict[str, dict[str, Any]]:
    """Each task's gate, branch and decision keys, by id (tasks without any left out)."""
    tasks = every_task(analysis.graph.plan.tasks)
    return {task.id: keys for task in tasks if (keys := runbook_keys(task))}


def findings_of(analysis: Analysis) -> list[tuple[str, str]]:
    return sorted(
        (finding.code, finding.task)
        for finding in analysis.findings
        if finding.code not in NOT_CARRIED
    )


@pytest.mark.parametrize(("plan", "as_of"), RUNBOOKS, ids=["tuyenquang", "bank-outage-night"])
def test_gates_branch_and_decisions_come_back_from_mspdi(
    plan: Path, as_of: datetime, tmp_path: Path
) -> None:
    before = analyse(plan, now=None, as_of=as_of)
    after, text = mspdi_round_trip(before, tmp_path)
    assert runbook_of(after) == runbook_of(before)
    assert "rollback" in runbook_of(after)
    assert {t.id for t in every_task(after.graph.plan.tasks)} == {
        t.id for t in every_task(before.graph.plan.tasks)
    }
    # The standby branch is still standby: in no schedule, and not cancelled.
    assert set(after.graph.index) == set(before.graph.index)
    assert all(t.status == "not_started" for t in every_task(after.graph.plan.tasks)
               if t.id.startswith("rollback"))  # fmt: skip
    assert ("rollback-at-risk", "go-live" if plan == FLAGSHIP else "gonogo-2") in findings_of(after)
    assert findings_of(after) == findings_of(before)
    assert "cancelled" not in text


def test_a_no_go_branch_comes_back_under_way(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    plan = write_plan(
        """
        plan: No-go night
        timezone: Asia/Ho_Chi_Minh
        start: 2025-08-23T18:00
        calendars:
          default: {workdays: [mon, tue, wed, thu, fri, sat, sun], hours: ["00:00-24:00"]}
        tasks:
          - {id: migrate, duration: 2h}
          - id: decide
            milestone: true
            after: [migrate]
            gate: {decider: CIO, rollback: back, rollback_by: 2025-08-24T08:00}
            decision: no-go
            decided_by: CIO
            decided_at: 2025-08-23T20:30
          - {id: open, duration: 1h, after: [decide]}
          - id: back
            branch: rollback
            tasks:
              - {id: restore, duration: 3h}
              - {id: verify, duration: 1h, after: [restore]}
        """
    )
    before = analyse(plan, now=None, as_of=datetime(2025, 8, 23, 21))
    assert "restore" in before.graph.index
    after, _ = mspdi_round_trip(before, tmp_path)
    assert runbook_of(after) == runbook_of(before)
    assert "rolling-back" in {code for code, _ in findings_of(after)}
    assert findings_of(after) == findings_of(before)


def test_standby_tasks_are_inactive_rows_with_the_keys_in_text7(tmp_path: Path) -> None:
    analysis = analyse(FLAGSHIP, now=None, as_of=datetime(2025, 6, 26))
    text = write_mspdi(analysis.schedule).decode()
    assert "<Alias>cutover runbook</Alias>" in text
    rows = text.split("<Task>")[1:]
    inactive = [row for row in rows if "<Active>0</Active>" in row]
    assert [row.split("<Name>")[1].split("<")[0] for row in inactive] == [
        "Roll back to the district-level configuration",
        "Route the provincial WAN back to the district units",
        "Restore the district-level configuration of the five systems",
        "Verify the former systems with one district and one department",
    ]
    ids = [int(row.split("<ID>")[1].split("<")[0]) for row in rows]
    assert ids == list(range(len(rows)))  # the project task, then the plan's in file order
    uids = [row.split("<UID>")[1].split("<")[0] for row in rows]
    assert len(set(uids)) == len(uids)
    (tmp_path / "plan.xml").write_text(text, encoding="utf-8")
    assert not import_file(tmp_path / "plan.xml").notes


INACTIVE = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-06-16T08:00:00</StartDate>
  <ExtendedAttributes><ExtendedAttribute>
    <FieldID>188743747</FieldID><FieldName>Text7</FieldName><Alias>cutover runbook</Alias>
  </ExtendedAttribute></ExtendedAttributes>
  <Tasks>
    <Task><UID>1</UID><Name>Dropped by the planner</Name><Active>0</Active>
      <OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration></Task>
    <Task><UID>2</UID><Name>Odd field</Name><OutlineLevel>1</OutlineLevel>
      <Duration>PT8H0M0S</Duration>
      <ExtendedAttribute><FieldID>188743747</FieldID><Value>go, maybe</Value></ExtendedAttribute>
    </Task>
  </Tasks>
</Project>
"""


def test_an_inactive_task_of_ms_project_is_cancelled_and_odd_text7_is_noted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "theirs.xml"
    path.write_text(INACTIVE, encoding="utf-8")
    result = import_file(path)
    assert "status: cancelled" in result.text
    assert "branch" not in result.text
    assert [(note.kind, "go, maybe" in note.message) for note in result.notes
            if "Odd field" in note.message] == [("left-out", True)]  # fmt: skip


@pytest.mark.parametrize(
    ("plan", "suffix", "said"),
    [
        (
            BANK,
            "tjp",
            (
                "gates gonogo-1, gonogo-2 and the standby branch rollback (2 tasks) are not "
                "written to TaskJuggler: it has no go/no-go decisions"
            ),
        ),
        (
            FLAGSHIP,
            "xer",
            (
                "gates readiness-count, go-live and the standby branch rollback (3 tasks) are "
                "not written to Primavera XER: it has no go/no-go decisions"
            ),
        ),
    ],
)
def test_tjp_and_xer_say_what_they_leave_out(
    cli: Cli, plan: Path, suffix: str, said: str, tmp_path: Path
) -> None:
    out = tmp_path / f"plan.{suffix}"
    result = cli("export", str(plan), "-o", str(out), "--as-of", "2025-06-26")
    assert result.exit_code == 0, result.stderr
    assert said in result.stderr
    if suffix == "tjp":
        assert out.read_text(encoding="utf-8").startswith(f"# {said}\n")
    to_stdout = cli("export", str(plan), "-f", suffix, "--as-of", "2025-06-26")
    assert said in to_stdout.stderr


def test_mspdi_and_a_plan_without_gates_say_nothing_left_out(
    cli: Cli, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    mspdi = cli("export", str(FLAGSHIP), "-o", str(tmp_path / "p.xml"), "--as-of", "2025-06-26")
    worked = str(write_plan(WORKED))
    plain = cli("export", worked, "-o", str(tmp_path / "p.tjp"), "--as-of", "2025-06-26")
    for result in (mspdi, plain):
        assert result.exit_code == 0, result.stderr
        assert "not written" not in result.stderr
