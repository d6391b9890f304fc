"""``update`` never loses a change, never writes a plan that cannot be used, and edits JSON.

Concurrent updates of one plan take turns on a lock (both land, or one exits 2 saying
why); the edited text must load and schedule before it replaces the file; a JSON plan
stays JSON, with only the task's values changed; YAML 1.1's other line breaks (NEL) edit.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from cutover.common import files
from cutover.common.files import LockedError
from cutover.planfile.loader import load_plan
from cutover.portfolio.editing import Change, update_plan
from tests.conftest import ROOT, WORKED

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

TODAY = date(2025, 6, 17)
COUNT = 24


def _many_tasks(count: int) -> str:
    lines = ["plan: Many", "start: 2025-06-16", "tasks:"]
    lines += [f"  - id: t{index}\n    duration: 1d" for index in range(count)]
    return "\n".join(lines) + "\n"


def test_concurrent_updates_of_different_tasks_all_land(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(_many_tasks(COUNT), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "cutover", "update", str(plan), f"t{index}", "--status", "done"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            text=True,
        )
        for index in range(COUNT)
    ]
    outcomes = []
    for child in children:
        said = child.communicate(timeout=600)[1]
        outcomes.append((child.returncode, said))
    statuses = {task.id: task.status for task in load_plan(plan).plan.tasks}
    for index, (code, said) in enumerate(outcomes):
        assert code in (0, 2), said
        if code == 0:
            assert statuses[f"t{index}"] == "done", f"t{index} exited 0 but was lost"
        else:
            assert "being changed by another cutover command" in said
    assert sum(code == 0 for code, _ in outcomes) == COUNT  # a minute's wait is enough here


def test_an_update_waits_for_the_lock_and_then_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(WORKED, encoding="utf-8")
    before = plan.read_bytes()
    monkeypatch.setattr(files, "LOCK_WAIT", 0.2)
    holder = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(LockedError, match="being changed by another cutover command"):
            update_plan(plan, "design", Change(done=True), today=TODAY)
    finally:
        os.close(holder)
    assert plan.read_bytes() == before
    update_plan(plan, "design", Change(done=True), today=TODAY)
    assert load_plan(plan).plan.tasks[0].status == "done"


def test_an_update_that_would_make_the_plan_unschedulable_is_not_written(
    cli: Cli, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(WORKED, encoding="utf-8")
    before = plan.read_bytes()
    # A date the plan can hold but not schedule (beyond the calendars' two centuries).
    result = cli("update", str(plan), "design", "--done", "--on", "9000-01-01T10:00")
    assert result.exit_code == 2, result.output
    assert "not written" in result.output
    assert "Traceback" not in result.output
    assert plan.read_bytes() == before
    # A time no zone can show is refused before anything is read.
    result = cli("update", str(plan), "design", "--done", "--on", "9999-12-31T23:59-01:00")
    assert result.exit_code == 2, result.output
    assert plan.read_bytes() == before


def _json_plan(cli: Cli, tmp_path: Path) -> Path:
    source = tmp_path / "plan.yaml"
    source.write_text(WORKED, encoding="utf-8")
    target = tmp_path / "plan.json"
    assert cli("convert", str(source), "-o", str(target)).exit_code == 0
    return target


def test_a_json_plan_is_updated_and_stays_json(cli: Cli, tmp_path: Path) -> None:
    plan = _json_plan(cli, tmp_path)
    before = json.loads(plan.read_text(encoding="utf-8"))
    for arguments in (
        ["design", "--done", "--on", "2025-06-16T17:00"],
        ["build", "--start", "2025-06-17", "--progress", "50%"],
        ["build", "--progress", "60%"],
        ["review", "--status", "cancelled"],
    ):
        result = cli("update", str(plan), *arguments)
        assert result.exit_code == 0, result.output
        json.loads(plan.read_text(encoding="utf-8"))  # valid JSON after every edit
    after = json.loads(plan.read_text(encoding="utf-8"))
    tasks = {task["id"]: task for task in after["tasks"]}
    assert tasks["design"] == {
        **before["tasks"][0],
        "status": "done",
        "actual_finish": "2025-06-16T17:00",
    }
    assert tasks["build"]["progress"] == "60%"
    assert tasks["build"]["actual_start"] == "2025-06-17"
    assert tasks["review"]["status"] == "cancelled"
    assert {k: v for k, v in after.items() if k != "tasks"} == {
        k: v for k, v in before.items() if k != "tasks"
    }
    assert tasks["ship"] == before["tasks"][3]
    assert cli("check", str(plan), "--as-of", "2025-06-17", "--fail-on", "invalid").exit_code == 0


def test_a_pretty_printed_json_plan_gets_one_key_a_line(tmp_path: Path) -> None:
    document: dict[str, Any] = {
        "plan": "Pretty",
        "start": "2025-06-16",
        "tasks": [{"id": "a", "duration": "1d"}, {"id": "b", "duration": "1d", "after": ["a"]}],
    }
    plan = tmp_path / "plan.json"
    text = json.dumps(document, indent=2) + "\n"
    plan.write_text(text, encoding="utf-8")
    update_plan(plan, "a", Change(done=True, on="2025-06-16"), today=TODAY)
    written = plan.read_text(encoding="utf-8")
    assert '"duration": "1d",\n      "status": "done",\n      "actual_finish": "2025-06-16"\n' in (
        written
    )
    document["tasks"][0].update(status="done", actual_finish="2025-06-16")
    assert json.loads(written) == document


def test_a_json_plan_that_extends_a_template_gets_an_override_entry(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(WORKED, encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text('{\n  "extends": "base.yaml",\n  "plan": "P",\n  "tasks": []\n}\n', "utf-8")
    update_plan(plan, "design", Change(done=True, on="2025-06-16"), today=TODAY)
    written = json.loads(plan.read_text(encoding="utf-8"))
    assert written["tasks"] == [{"id": "design", "status": "done", "actual_finish": "2025-06-16"}]
    update_plan(plan, "build", Change(status="in_progress"), today=TODAY)
    written = json.loads(plan.read_text(encoding="utf-8"))
    assert [task["id"] for task in written["tasks"]] == ["design", "build"]


def test_a_plan_with_nel_line_breaks_is_updated(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(WORKED.replace("\n", "\x85"), encoding="utf-8")
    result = update_plan(plan, "design", Change(done=True, on="2025-06-16"), today=TODAY)
    assert result.changes
    text = plan.read_text(encoding="utf-8")
    assert "\n" not in text
    assert load_plan(plan).plan.tasks[0].status == "done"


def test_a_file_the_editor_cannot_read_is_one_located_line(cli: Cli, tmp_path: Path) -> None:
    """The loader reads a tab after ``plan:``, ruamel does not: say where, on one line."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(WORKED.replace("plan: Worked", "plan:\tWorked"), encoding="utf-8")
    before = plan.read_bytes()
    result = cli("update", str(plan), "design", "--done", "--on", "2025-06-16")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {plan}:2:6: cutover update cannot read this to edit it")
    assert plan.read_bytes() == before
