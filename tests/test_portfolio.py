"""status, rollup, diff and new: the committee's counts, the roll-up, and plan changes."""

from __future__ import annotations

import json
import subprocess
import textwrap
from typing import TYPE_CHECKING

from cutover.findings.pipeline import check_plan
from cutover.portfolio.rollup import plan_status, rollup
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from tests.conftest import Cli

# Status date Wed 18 Jun 09:00. a: done. b: in progress, on time. c: in progress, but its
# deadline (Wed 18 12:00) cannot be met: delayed. d: not started, due later. e: not started,
# already past its latest start for the deadline of f: delayed. x: cancelled, not counted.
COUNTED = """\
plan: Counting
start: 2025-06-16
as_of: 2025-06-18T09:00
tasks:
  - id: one
    tasks:
      - {id: a, duration: 1d, status: done, actual_finish: 2025-06-16T17:00}
      - {id: b, duration: 2d, status: in_progress, progress: 50%, actual_start: 2025-06-17T08:00,
         deadline: 2025-06-20}
      - {id: c, duration: 2d, status: in_progress, progress: 10%, actual_start: 2025-06-17T08:00,
         deadline: 2025-06-18T12:00}
  - id: two
    tasks:
      - {id: d, duration: 1d, after: [a], deadline: 2025-06-27}
      - {id: e, duration: 3d}
      - {id: f, milestone: true, after: [e], deadline: 2025-06-19}
      - {id: x, duration: 1d, status: cancelled}
"""


def test_status_counts_a_hand_made_plan(tmp_path: Path) -> None:
    path = tmp_path / "counted.yaml"
    path.write_text(COUNTED)
    status = plan_status(check_plan(path, now=None))
    assert status.states == {
        "a": "done",
        "b": "in_progress",
        "c": "delayed",
        "d": "not_yet_due",
        "e": "delayed",
        "f": "delayed",
    }
    counts = status.counts
    assert (counts.total, counts.done, counts.delayed, counts.within) == (6, 1, 3, 2)
    assert (
        counts.sentence()
        == "6 tasks: 1 done, 3 delayed, 2 within their deadline (1 in progress, 1 not yet due)"
    )
    one, two = status.groups
    assert (one.counts.done, one.counts.delayed, one.counts.in_progress) == (1, 1, 1)
    assert (two.counts.delayed, two.counts.not_yet_due) == (2, 1)
    assert status.worst is not None
    # c finishes Thu 16:24 against Wed 12:00: 684 working minutes late; e's f 540.
    assert status.worst.task == "c"
    assert status.worst.slack_minutes == -684


def test_status_command_formats(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "counted.yaml"
    path.write_text(COUNTED)
    text = cli("status", str(path))
    assert text.exit_code == 0
    assert "6 tasks: 1 done, 3 delayed, 2 within their deadline" in text.output
    document = json.loads(cli("status", str(path), "-f", "json").output)
    (plan,) = document["plans"]
    assert plan["counts"] == {
        "total": 6,
        "done": 1,
        "delayed": 3,
        "within_deadline": 2,
        "in_progress": 1,
        "not_yet_due": 1,
        "at_risk": 0,
    }
    assert [s["id"] for s in plan["systems"]] == ["one", "two"]
    assert plan["least_deadline_slack"]["task"] == "c"
    markdown = cli("status", str(path), "-f", "md").output
    assert "| one | 3 | 1 | 1 | 1 | 0 |" in markdown


def test_rollup_sorts_by_risk_and_gates_like_check(cli: Cli) -> None:
    results = [
        check_plan(ROOT / "plans" / f"{name}.yaml", now=None, as_of=AS_OF)
        for name in ("tayninh", "tuyenquang", "gialai")
    ]
    statuses, totals = rollup(results)
    assert [status.file.rsplit("/", 1)[-1] for status in statuses] == [
        "gialai.yaml",
        "tuyenquang.yaml",
        "tayninh.yaml",
    ]
    assert totals.total == sum(status.counts.total for status in statuses)
    result = cli("rollup", str(ROOT / "plans"), "--as-of", "2025-06-26T09:00", "-f", "csv")
    assert result.exit_code == 1  # errors in two provinces
    lines = result.output.splitlines()
    assert lines[0].startswith("plan,file,tasks,done,delayed,within_deadline")
    assert lines[1].startswith("Gia Lai")
    assert lines[-1].startswith("all plans,,")
    document = json.loads(
        cli("rollup", str(ROOT / "plans"), "--as-of", "2025-06-26T09:00", "-f", "json").output
    )
    assert document["totals"]["total"] == totals.total
    assert (
        cli("rollup", str(ROOT / "plans" / "tayninh.yaml"), "--as-of", "2025-06-26T09:00").exit_code
        == 0
    )


def test_diff_of_two_files(cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(COUNTED)
    new = tmp_path / "new.yaml"
    new.write_text(
        COUNTED.replace(
            "{id: d, duration: 1d, after: [a], deadline: 2025-06-27}",
            "{id: d, duration: 3d, after: [a, b], deadline: 2025-06-27, owner: Lan}",
        ).replace("      - {id: x, duration: 1d, status: cancelled}\n", "")
        + "  - {id: g, duration: 1h}\n"
    )
    document = json.loads(cli("diff", str(old), str(new), "-f", "json").output)
    assert document["added"] == ["g"]
    assert document["removed"] == ["x"]
    changed = {(c["task"], c["key"]): (c["old"], c["new"]) for c in document["changed"]}
    assert changed[("d", "duration")] == ("1d", "3d")
    assert changed[("d", "after")] == ("a", "a, b")
    assert changed[("d", "owner")] == ("", "Lan")
    moved = {m["task"]: m for m in document["moved"]}
    assert moved["d"]["finish_minutes"] > 0
    text = cli("diff", str(old), str(new)).output
    assert "+ task g" in text
    assert "~ d.duration: 1d → 3d" in text


def test_diff_against_a_git_revision(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "plans" / "templates").mkdir(parents=True)
    (repo / "plans" / "templates" / "base.yaml").write_text(
        textwrap.dedent("""\
        plan: Base
        start: 2025-06-16
        tasks:
          - {id: a, duration: 1d}
          - {id: ship, milestone: true, after: [a], deadline: 2025-06-17}
    """)
    )
    plan = repo / "plans" / "p.yaml"
    plan.write_text("extends: templates/base.yaml\nplan: P\n")

    def git(*args: str) -> None:
        who = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
        env = {**who, "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    plan.write_text("extends: templates/base.yaml\nplan: P\ntasks:\n  - {id: a, duration: 3d}\n")
    monkeypatch.chdir(repo)
    result = cli("diff", "HEAD:plans/p.yaml", "plans/p.yaml", "--as-of", "2025-06-16", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {(c["task"], c["key"]) for c in document["changed"]} == {("a", "duration")}
    assert document["finish"]["moved_minutes"] == 960
    assert {f["code"] for f in document["findings"]["appeared"]} == {"late", "late-start"}
    missing = cli("diff", "HEAD~5:plans/p.yaml", "plans/p.yaml")
    assert missing.exit_code == 2
    assert missing.output == (
        "HEAD~5:plans/p.yaml: error[unreadable]: cannot read HEAD~5:plans/p.yaml from git: "
        "there is no commit HEAD~5 in this repository\n"
    )  # and not "1 error: the plan is not valid": no plan was read
    elsewhere = cli("diff", "HEAD:plans/q.yaml", "plans/p.yaml")
    assert elsewhere.exit_code == 2
    assert "there is no file plans/q.yaml at HEAD\n" in elsewhere.output


def test_new_writes_a_plan_that_loads_and_never_overwrites(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plans" / "hagiang.yaml"
    (tmp_path / "plans" / "templates").mkdir(parents=True)
    template = tmp_path / "plans" / "templates" / "national-2025.yaml"
    template.write_bytes((ROOT / "plans" / "templates" / "national-2025.yaml").read_bytes())
    result = cli(
        "new", "--template", str(template), "--name", "Hà Giang: rehearsal", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert 'plan: "Hà Giang: rehearsal"' in text
    assert "extends: " in text
    assert "  - id: prep" in text
    assert "# owner:" in text
    checked = cli("check", str(target), "--as-of", "2025-06-16")
    assert checked.exit_code in {0, 1}, checked.output
    again = cli("new", "--template", str(template), "--name", "X", "-o", str(target))
    assert again.exit_code == 2
    assert target.read_text() == text
    assert (
        cli(
            "new", "--template", str(template), "--name", "X", "-o", str(target), "--force"
        ).exit_code
        == 0
    )
