"""Go/no-go gates, rollback branches, the point of no return, and recording a live run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError
from cutover.findings.gates import gate_states
from cutover.findings.pipeline import analyse
from cutover.planfile.loader import load_plan
from cutover.portfolio.actions import record, undo
from cutover.portfolio.journal import read_journal

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Cli

OUTAGE = Path(__file__).parent / "plans" / "runbook" / "outage.yaml"
ZONE = "Asia/Ho_Chi_Minh"
EVENING = datetime(2025, 8, 23, 18, 0)


@pytest.fixture
def outage(tmp_path: Path) -> Path:
    copy = tmp_path / "outage.yaml"
    copy.write_bytes(OUTAGE.read_bytes())
    return copy


def _codes(path: Path, as_of: datetime) -> list[str]:
    return [finding.code for finding in analyse(path, now=None, as_of=as_of).findings]


def _iso(path: Path, as_of: datetime) -> dict[str, tuple[str, str, str]]:
    analysis = analyse(path, now=None, as_of=as_of)
    base = analysis.graph.timebase
    return {
        item.task.id: (
            base.naive(analysis.schedule.start(node)).isoformat(timespec="minutes"),
            base.naive(analysis.schedule.finish_of(node)).isoformat(timespec="minutes"),
            analysis.schedule.status[node],
        )
        for node, item in enumerate(analysis.graph.tasks)
    }


def test_a_standby_branch_is_not_scheduled_and_the_gate_is_forecast() -> None:
    dates = _iso(OUTAGE, EVENING)
    assert "rollback" not in dates
    assert "restore" not in dates
    assert dates["gonogo"][1] == "2025-08-24T03:00"


def test_point_of_no_return_round_the_clock_with_a_lag() -> None:
    """Rollback 3h + 30m lag + 1h = 4h30m before 08:00: no-go by 03:30 at the latest."""
    analysis = analyse(OUTAGE, now=None, as_of=EVENING)
    (state,) = gate_states(analysis.schedule)
    base = analysis.graph.timebase
    assert state.point_of_no_return is not None
    assert base.naive(state.point_of_no_return) == datetime(2025, 8, 24, 3, 30)
    assert base.naive(state.forecast) == datetime(2025, 8, 24, 3, 0)
    assert "rollback-at-risk" in _codes(OUTAGE, EVENING)


def test_point_of_no_return_on_office_hours_with_a_lag(
    write_plan: Callable[..., Path],
) -> None:
    """6h of office time before Monday 12:00: Monday 08-12 (4h) and Friday 15-17 (2h).

    From Friday 15:00: restore 3h ends Monday 09:00, the 1h lag 10:00, verify 2h 12:00.
    """
    plan = write_plan(
        """
        plan: Office rollback
        timezone: Europe/Berlin
        start: 2025-08-18
        calendars:
          office: {hours: ["08:00-12:00", "13:00-17:00"]}
        tasks:
          - {id: work, duration: 3d, calendar: office}
          - id: gate
            milestone: true
            after: [work]
            calendar: office
            gate: {decider: CIO, rollback: back, rollback_by: 2025-08-25T12:00}
          - id: back
            branch: rollback
            tasks:
              - {id: restore, duration: 3h, calendar: office}
              - id: verify
                duration: 2h
                calendar: office
                after: [{task: restore, lag: 1h}]
        """
    )
    analysis = analyse(plan, now=None, as_of=datetime(2025, 8, 18, 8, 0))
    (state,) = gate_states(analysis.schedule)
    assert state.point_of_no_return is not None
    assert analysis.graph.timebase.naive(state.point_of_no_return) == datetime(2025, 8, 22, 15)
    # The gate is reached Wednesday 17:00, two days before: no finding about the rollback.
    assert not [f for f in analysis.findings if f.code.startswith("rollback")]


def test_a_gate_past_its_point_of_no_return_is_an_error(tmp_path: Path) -> None:
    late = tmp_path / "late.yaml"
    late.write_text(OUTAGE.read_text().replace("2025-08-24T08:00", "2025-08-24T07:00"))
    analysis = analyse(late, now=None, as_of=EVENING)
    (finding,) = [f for f in analysis.findings if f.code == "rollback-impossible"]
    assert finding.is_error
    assert "point of no return is Sun 24 Aug 2025 02:30" in finding.message
    assert finding.location.line == 28


def _work_done(outage: Path) -> None:
    """Freeze, migrate and smoke tests done as planned: the gate is due at 03:00."""
    for task, at in (
        ("freeze", "2025-08-23T19:00"),
        ("migrate", "2025-08-24T01:00"),
        ("smoke-tests", "2025-08-24T03:00"),
    ):
        record(outage, "done", task, who="ops", now=EVENING, timezone=ZONE, at=at)


def test_a_gate_whose_time_has_come_needs_a_decision(outage: Path) -> None:
    _work_done(outage)
    assert "undecided-gate" not in _codes(outage, datetime(2025, 8, 24, 2, 59))
    findings = analyse(outage, now=None, as_of=datetime(2025, 8, 24, 3, 10)).findings
    undecided = [f for f in findings if f.code == "undecided-gate"]
    assert len(undecided) == 1
    assert undecided[0].is_error
    assert "Chief Information Officer decides" in undecided[0].message


def test_no_go_starts_the_rollback_and_cancels_the_forward_work(outage: Path) -> None:
    for task, action, at in (
        ("freeze", "done", "2025-08-23T19:00"),
        ("migrate", "done", "2025-08-24T01:00"),
        ("smoke-tests", "done", "2025-08-24T02:40"),
    ):
        record(outage, action, task, who="ops", now=EVENING, timezone=ZONE, at=at)
    record(
        outage, "decide", "gonogo", who="Chief Information Officer", now=EVENING,
        timezone=ZONE, at="2025-08-24T02:50", verdict="no-go",
    )  # fmt: skip
    dates = _iso(outage, datetime(2025, 8, 24, 2, 50))
    assert dates["gonogo"] == ("2025-08-24T02:50", "2025-08-24T02:50", "done")
    assert dates["open"][2] == "cancelled"
    assert dates["restore"][:2] == ("2025-08-24T02:50", "2025-08-24T05:50")
    assert dates["verify-old"][:2] == ("2025-08-24T06:20", "2025-08-24T07:20")
    codes = _codes(outage, datetime(2025, 8, 24, 2, 50))
    assert "rolling-back" in codes
    assert "gate-decider" not in codes
    assert "rollback-late" not in codes


def test_a_rollback_that_finishes_after_rollback_by_is_an_error(outage: Path) -> None:
    record(
        outage, "decide", "gonogo", who="Chief Information Officer", now=EVENING,
        timezone=ZONE, at="2025-08-24T04:00", verdict="no-go",
    )  # fmt: skip
    findings = analyse(outage, now=None, as_of=datetime(2025, 8, 24, 4, 0)).findings
    (late,) = [f for f in findings if f.code == "rollback-late"]
    assert late.is_error
    assert "08:30" in late.message


def test_a_decision_by_someone_else_is_reported(outage: Path) -> None:
    record(
        outage, "decide", "gonogo", who="Night manager", now=EVENING, timezone=ZONE,
        at="2025-08-24T02:50", verdict="go",
    )  # fmt: skip
    findings = analyse(outage, now=None, as_of=datetime(2025, 8, 24, 3, 0)).findings
    (other,) = [f for f in findings if f.code == "gate-decider"]
    assert "Night manager, not by its decider Chief Information Officer" in other.message
    assert "rolling-back" not in [f.code for f in findings]


@pytest.mark.parametrize(
    ("change", "code", "line"),
    [
        ("    milestone: true\n    calendar: night\n    after: [smoke-tests]\n    gate:",
         "gate-not-milestone", 28),
        ("      rollback: rollback\n", "unknown-rollback", 36),
        ("    after: [gonogo]\n", "waits-for-branch", 42),
    ],
)  # fmt: skip
def test_gates_and_branches_are_checked_with_locations(
    tmp_path: Path, cli: Cli, change: str, code: str, line: int
) -> None:
    text = OUTAGE.read_text()
    replacement = {
        "gate-not-milestone": change.replace("milestone: true", "duration: 1h"),
        "unknown-rollback": "      rollback: rolback\n",
        "waits-for-branch": "    after: [gonogo, restore]\n",
    }[code]
    assert change in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(change, replacement, 1))
    assert cli("check", str(bad), "--as-of", "2025-08-23T18:00").exit_code == 2
    with pytest.raises(PlanError) as raised:
        load_plan(bad)
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.location.line) == (code, line)
    if code == "unknown-rollback":
        assert "(did you mean 'rollback'?)" in diagnostic.message


def test_gate_problems_come_with_the_plan_s_other_problems(tmp_path: Path) -> None:
    """A misspelt rollback and an unknown link are reported in one run, not one per fix."""
    text = OUTAGE.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("      rollback: rollback\n", "      rollback: rolback\n", 1).replace(
            "    after: [gonogo]\n", "    after: [gonogo, nothing]\n", 1
        )
    )
    with pytest.raises(PlanError) as raised:
        load_plan(bad)
    codes = sorted(diagnostic.code for diagnostic in raised.value.diagnostics)
    assert codes == ["unknown-rollback", "unknown-task"]


def test_record_and_undo_through_the_command_line(outage: Path, cli: Cli) -> None:
    before = outage.read_text()
    result = cli("start", str(outage), "freeze", "--at", "2025-08-23T18:04", "--by", "Lan")
    assert result.exit_code == 0, result.output
    assert "freeze: actual_start: (none) → 2025-08-23T18:04" in result.output
    result = cli("decide", str(outage), "gonogo", "go", "--by", "CIO", "--at", "2025-08-24T03:00")
    assert result.exit_code == 0, result.output
    assert "decision: (none) → go" in outage.read_text() or "decision: go" in outage.read_text()
    assert cli("undo", str(outage), "--by", "Lan").exit_code == 0
    assert cli("undo", str(outage), "--by", "Lan").exit_code == 0
    assert re.sub(r"\n +status: not_started", "", outage.read_text()) == before
    journal = cli("journal", str(outage), "--format", "json")
    entries = json.loads(journal.output)
    assert [e["action"] for e in entries] == ["start", "decide", "undo", "undo"]
    assert entries[0]["who"] == "Lan"
    assert entries[0]["claimed"] == "2025-08-23T18:04"
    assert entries[2]["undoes"] == 2
    assert entries[3]["undoes"] == 1
    assert cli("undo", str(outage)).exit_code == 2


def test_a_note_changes_only_the_journal(outage: Path, cli: Cli) -> None:
    before = outage.read_bytes()
    result = cli("note", str(outage), "migrate", "VNPT link flapping", "--by", "Hùng")
    assert result.exit_code == 0
    assert outage.read_bytes() == before
    (entry,) = read_journal(outage)
    assert (entry.who, entry.note, entry.task) == ("Hùng", "VNPT link flapping", "migrate")
    text = cli("journal", str(outage)).output
    assert "Hùng: note migrate" in text


def test_an_unknown_task_or_time_is_a_usage_error(outage: Path, cli: Cli) -> None:
    assert cli("start", str(outage), "freez").exit_code == 2
    assert cli("done", str(outage), "freeze", "--at", "yesterday-ish").exit_code == 2
    assert not (outage.parent / "outage.journal.jsonl").exists()


def test_the_gates_command_shows_the_point_of_no_return(cli: Cli) -> None:
    result = cli("gates", str(OUTAGE), "--as-of", "2025-08-23T18:00")
    assert result.exit_code == 0
    assert "point of no return Sun 24 Aug 2025 03:30" in result.output
    assert "must be done by Sun 24 Aug 2025 08:00" in result.output


def test_undo_restores_the_old_values(outage: Path) -> None:
    record(outage, "progress", "freeze", who="a", now=EVENING, timezone=ZONE, progress="40%")
    record(outage, "progress", "freeze", who="a", now=EVENING, timezone=ZONE, progress="70%")
    undo(outage, who="a", now=EVENING)
    assert "progress: 40%" in outage.read_text()


def test_two_operators_recording_at_once_lose_nothing(outage: Path) -> None:
    """Each of many concurrent recordings either lands or is refused (exit 2), never lost."""
    tasks = ["freeze", "migrate", "smoke-tests", "open"] * 3
    script = (
        "import sys; from cutover.cli import main; "
        "main(['start', sys.argv[1], sys.argv[2], '--at', '2025-08-23T18:00', '--by', 'op'])"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(outage), task],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for task in tasks
    ]
    outcomes = [(proc.wait(timeout=120), proc.communicate()) for proc in procs]
    landed = read_journal(outage)
    for code, (_out, err) in outcomes:
        assert code in (0, 2), err
        if code == 2:
            assert "changed by another program" in err or "nothing" in err
    text = outage.read_text()
    for entry in landed:
        if entry.changes:
            assert "actual_start: 2025-08-23T18:00" in text
    started = {entry.task for entry in landed if entry.changes}
    analysis = analyse(outage, now=None, as_of=EVENING)
    recorded = {item.task.id for item in analysis.graph.tasks if item.task.actual_start is not None}
    assert started == recorded


def _rehearse(plan: Path, rehearsal: Path) -> None:
    """A rehearsal night: migrate took 12h, smoke tests 1h30m, the rollback 5h10m."""
    rehearsal.write_bytes(plan.read_bytes())
    for task, start, finish in (
        ("freeze", "2025-08-23T18:00", "2025-08-23T19:30"),
        ("migrate", "2025-08-23T19:30", "2025-08-24T07:30"),
        ("smoke-tests", "2025-08-24T07:30", "2025-08-24T09:00"),
    ):
        record(rehearsal, "start", task, who="drill", now=EVENING, timezone=ZONE, at=start)
        record(rehearsal, "done", task, who="drill", now=EVENING, timezone=ZONE, at=finish)
    record(
        rehearsal, "decide", "gonogo", who="Chief Information Officer", now=EVENING,
        timezone=ZONE, at="2025-08-24T09:00", verdict="no-go",
    )  # fmt: skip
    for task, start, finish in (
        ("restore", "2025-08-24T09:00", "2025-08-24T12:30"),
        ("verify-old", "2025-08-24T13:00", "2025-08-24T14:10"),
    ):
        record(rehearsal, "start", task, who="drill", now=EVENING, timezone=ZONE, at=start)
        record(rehearsal, "done", task, who="drill", now=EVENING, timezone=ZONE, at=finish)


def test_compare_a_rehearsal_with_its_plan(outage: Path, cli: Cli) -> None:
    rehearsal = outage.with_name("rehearsal-1.yaml")
    _rehearse(outage, rehearsal)
    result = cli("compare", str(outage), str(rehearsal), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    timings = {t["task"]: (t["planned"], t["rehearsed"]) for t in data["timings"]}
    assert timings["freeze"] == (60, 90)
    assert timings["migrate"] == (360, 720)
    assert timings["smoke-tests"] == (120, 90)
    assert timings["open"] == (60, None)
    # Replayed from 18:00: 1h30m + 12h + 1h30m puts the gate at 09:00 and open at 10:00,
    # an hour past its 09:00 deadline, because of the freeze and migrate overruns.
    (broken,) = data["broken"]
    assert (broken["task"], broken["deadline_slack"]) == ("open", -60)
    assert broken["because"] == ["freeze", "migrate"]
    # The gate is forecast 03:00 and the old system must be back by 08:00: 5h. The rehearsed
    # rollback took 09:00 to 14:10, 5h10m: too slow.
    (recovery,) = data["recoveries"]
    assert (recovery["objective"], recovery["rehearsed"]) == (300, 310)
    text = cli("compare", str(outage), str(rehearsal)).output
    assert "recovery: gonogo → rollback: objective 5h, rehearsed 5h 10m TOO SLOW" in text
    assert "would miss: open by 1h if it went as rehearsed (freeze, migrate)" in text


def test_compare_apply_writes_the_rehearsed_times_as_estimates(outage: Path, cli: Cli) -> None:
    outage.write_text(
        outage.read_text().replace(
            "    duration: 6h\n",
            "    # the vendor's figure\n"
            "    estimate: {optimistic: 5h, likely: 6h, pessimistic: 9h}\n",
        )
    )
    rehearsal = outage.with_name("rehearsal-1.yaml")
    _rehearse(outage, rehearsal)
    result = cli("compare", str(outage), str(rehearsal), "--apply")
    assert result.exit_code == 0, result.output
    text = outage.read_text()
    assert "    # the vendor's figure\n" in text
    assert "estimate: {optimistic: 5h, likely: 12h, pessimistic: 12h}" in text
    assert "    name: Freeze payments\n    duration: 1h30m\n" in text
    assert "    duration: 1h30m\n    calendar: night\n    after: [migrate]" in text
    assert "open" not in result.output.split("estimate")[0] or True
    load_plan(outage)


def test_status_says_the_plan_is_rolling_back_and_summarises_the_journal(
    outage: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(outage.parent)
    assert cli("status", outage.name, "--as-of", "2025-08-23T18:00").output.count("journal") == 0
    record(outage, "note", "freeze", who="Lan", now=EVENING, timezone=ZONE, note="queues empty")
    record(
        outage, "decide", "gonogo", who="Chief Information Officer", now=EVENING,
        timezone=ZONE, at="2025-08-24T02:50", verdict="no-go",
    )  # fmt: skip
    result = cli("status", outage.name, "--as-of", "2025-08-24T03:00")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "ROLLING BACK: 'Go/no-go (point of no return)' decided no-go" in text
    assert "journal: 2 records by 2 people; latest: Chief Information Officer decide" in text


def test_every_view_says_the_plan_is_rolling_back(outage: Path, cli: Cli) -> None:
    record(
        outage, "decide", "gonogo", who="Chief Information Officer", now=EVENING,
        timezone=ZONE, at="2025-08-24T02:50", verdict="no-go",
    )  # fmt: skip
    as_of = ("--as-of", "2025-08-24T03:00")
    banner = "ROLLING BACK (gonogo decided no-go)"
    assert banner in cli("gantt", str(outage), *as_of).output
    for fmt in ("md", "html", "svg"):
        result = cli("export", str(outage), *as_of, "-f", fmt, "-o", "-")
        assert result.exit_code == 0, result.output
        assert banner in result.output, fmt
    assert "rolling-back" in cli("check", str(outage), *as_of).output


def test_undo_after_the_status_date_moved_takes_back_only_the_task(
    tmp_path: Path, cli: Cli
) -> None:
    """Recording after the plan's as_of moves it; undo takes back the task, not the date."""
    plan = tmp_path / "bank.yaml"
    plan.write_bytes(
        (OUTAGE.parent.parent.parent.parent / "examples" / "bank-outage-night.yaml").read_bytes()
    )
    done = cli("done", str(plan), "smoke-tests", "--at", "2025-08-24T03:10", "--by", "x")
    assert done.exit_code == 0, done.output
    assert "as_of: 2025-08-24T01:30 → 2025-08-24T03:10" in done.output
    undone = cli("undo", str(plan), "--by", "x")
    assert undone.exit_code == 0, undone.output
    assert "actual_finish" not in plan.read_text().split("id: smoke-tests")[1].split("- id:")[0]
    assert "as_of: 2025-08-24T03:10" in plan.read_text()
    load_plan(plan)
