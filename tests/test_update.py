"""``update_plan``: a change lands on the task's lines, and every other byte stays as it was."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError, UsageError
from cutover.planfile.loader import load_plan
from cutover.planfile.model import Plan
from cutover.portfolio import editing
from cutover.portfolio.editing import (
    Change,
    FileChangedError,
    InvalidChangeError,
    KeyChange,
    UpdateError,
    update_plan,
)
from tests.conftest import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "plans" / "update"
TODAY = date(2025, 6, 26)
NEEDS_EXTENDS = pytest.mark.skipif(
    "extends" not in Plan.model_fields, reason="the loader does not support extends yet"
)


def fixture(tmp_path: Path, name: str, *, eol: str = "\n", final_newline: bool = True) -> Path:
    """A copy of a fixture (and its templates), with the line endings asked for."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if not final_newline:
        text = text.removesuffix("\n")
    path = tmp_path / name
    path.write_bytes(text.replace("\n", eol).encode("utf-8"))
    if not (tmp_path / "templates").exists():
        shutil.copytree(FIXTURES / "templates", tmp_path / "templates")
    return path


def diff(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), line endings included: all that differs."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), n=0
    )
    return [line for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def update(path: Path, task_id: str, change: Change) -> list[str]:
    """Run the update and return the diff of the file's text."""
    before = path.read_bytes().decode("utf-8")
    update_plan(path, task_id, change, today=TODAY)
    return diff(before, path.read_bytes().decode("utf-8"))


def unchanged(path: Path) -> Callable[[], bool]:
    """A check that the file still has its bytes and modification time."""
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    return lambda: path.read_bytes() == data and path.stat().st_mtime_ns == mtime


# -- each kind of change, on block and {flow} tasks ----------------------------------------------

STYLE_CASES = {
    "progress, block, only the key that differs": (
        "design",
        Change(progress="80%"),
        ["-        progress: 50%\n", "+        progress: 80%\n"],
    ),
    "done, block: comment kept, progress to 100%, finish added after the last key": (
        "design",
        Change(done=True, on="2025-06-18T12:00"),
        [
            "-        status: in_progress       # started on Monday\n",
            "+        status: done       # started on Monday\n",
            "-        progress: 50%\n",
            "+        progress: 100%\n",
            "+        actual_finish: 2025-06-18T12:00\n",
        ],
    ),
    "start, flow on one line": (
        "code",
        Change(start="2025-06-17"),
        [
            "-      - {id: code, duration: 2d, after: [design]}\n",
            (
                "+      - {id: code, duration: 2d, after: [design], status: in_progress, "
                "actual_start: 2025-06-17}\n"
            ),
        ],
    ),
    "progress, flow over three lines: quotes kept, keys added before the brace": (
        "review",
        Change(progress="10%"),
        [
            "-         status: 'not_started'}\n",
            "+         status: 'in_progress', actual_start: 2025-06-26, progress: 10%}\n",
        ],
    ),
    "status, flow with a comment after the brace": (
        "ship",
        Change(status="cancelled"),
        [
            "-  - {id: ship, milestone: true, after: [test], deadline: 2025-06-19}  # go-live\n",
            (
                "+  - {id: ship, milestone: true, after: [test], deadline: 2025-06-19, "
                "status: cancelled}  # go-live\n"
            ),
        ],
    ),
    "done with both dates, flow": (
        "code",
        Change(done=True, start="2025-06-17", on="2025-06-18T17:00"),
        [
            "-      - {id: code, duration: 2d, after: [design]}\n",
            (
                "+      - {id: code, duration: 2d, after: [design], status: done, "
                "actual_start: 2025-06-17, actual_finish: 2025-06-18T17:00}\n"
            ),
        ],
    ),
    "start on a key with no value, comment kept": (
        "test",
        Change(start="2025-06-20T13:00"),
        [
            "-    actual_start:                 # to fill in\n",
            "+    actual_start: 2025-06-20T13:00                 # to fill in\n",
        ],
    ),
    "progress after a folded multi-line value": (
        "test",
        Change(progress="25%"),
        ["+    progress: 25%\n"],
    ),
    "done with today's date, block, after the folded value": (
        "test",
        Change(done=True),
        [
            "-    status: in_progress\n",
            "+    status: done\n",
            "+    actual_finish: 2025-06-26\n",
        ],
    ),
}


@pytest.mark.parametrize(
    ("task_id", "change", "expected"), STYLE_CASES.values(), ids=list(STYLE_CASES)
)
def test_each_change_touches_only_its_lines(
    tmp_path: Path, task_id: str, change: Change, expected: list[str]
) -> None:
    assert update(fixture(tmp_path, "styles.yaml"), task_id, change) == expected


def test_keys_are_added_below_a_multi_line_value_not_inside_it(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    update_plan(path, "test", Change(progress="25%"), today=TODAY)
    assert path.read_text(encoding="utf-8").endswith(
        "    name: >-\n      Test everything,\n      on two lines\n    progress: 25%\n\n"
        "  - {id: ship, milestone: true, after: [test], deadline: 2025-06-19}  # go-live\n"
    )
    task = load_plan(path).plan.tasks[1]
    assert (task.name, task.progress) == ("Test everything, on two lines", 0.25)


def test_the_result_says_what_changed_and_where(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    result = update_plan(path, "design", Change(done=True, on="2025-06-18"), today=TODAY)
    assert result.changes == (
        KeyChange("status", "in_progress", "done", 11),
        KeyChange("progress", "50%", "100%", 13),
        KeyChange("actual_finish", None, "2025-06-18", 14),
    )
    assert result.lines == (11, 13, 14)
    assert (result.file, result.task_id, result.override) == (str(path), "design", False)
    assert [str(change) for change in result.changes] == [
        "status: in_progress → done",
        "progress: 50% → 100%",
        "actual_finish: (none) → 2025-06-18",
    ]


def test_a_change_already_made_writes_nothing(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    still = unchanged(path)
    result = update_plan(path, "design", Change(progress="50%"), today=TODAY)
    assert (result.changes, result.lines) == ((), ())
    assert still()


def test_progress_on_a_task_not_started_sets_its_start_unless_given(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    update_plan(path, "code", Change(progress="40%", start="2025-06-17T08:00"), today=TODAY)
    code = load_plan(path).plan.tasks[0].tasks[1]  # type: ignore[index]
    assert (code.status, code.actual_start, code.progress) == (
        "in_progress",
        datetime(2025, 6, 17, 8, 0),
        0.4,
    )


def test_today_is_taken_in_the_plans_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: Zone\ntimezone: Asia/Ho_Chi_Minh\nstart: 2025-06-16\n"
        "tasks:\n  - {id: a, duration: 1d}\n",
        encoding="utf-8",
    )
    evening_utc = datetime(2025, 6, 26, 20, 0, tzinfo=UTC)  # 03:00 on the 27th in Hanoi
    update_plan(path, "a", Change(done=True, on="today"), today=evening_utc)
    assert "actual_finish: 2025-06-27}" in path.read_text(encoding="utf-8")


# -- byte for byte outside the changed lines ----------------------------------------------------

VARIANTS = {"LF": ("\n", True), "CRLF": ("\r\n", True), "no final newline": ("\n", False)}


@pytest.mark.parametrize(("eol", "final_newline"), VARIANTS.values(), ids=list(VARIANTS))
def test_a_commented_plan_keeps_every_other_byte(
    tmp_path: Path, eol: str, final_newline: bool
) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml", eol=eol, final_newline=final_newline)
    comment = "          # Thursday morning: the status reported to the standing committee"
    # Progress recorded after the plan's status date moves the status date with it.
    assert update(path, "accounts", Change(done=True, on="2025-06-26T11:00")) == [
        f"-as_of: 2025-06-26T09:00{comment}{eol}",
        f"+as_of: 2025-06-26T11:00{comment}{eol}",
        f"-        status: in_progress{eol}",
        f"+        status: done{eol}",
        f"-        progress: 60%{eol}",
        f"+        progress: 100%{eol}",
        f"+        actual_finish: 2025-06-26T11:00{eol}",
    ]
    assert update(path, "docs-config", Change(progress="40%")) == [
        f"-        progress: 10%{eol}",
        f"+        progress: 40%{eol}",
    ]
    added = [f"+    status: done{eol}", f"+    actual_finish: 2025-07-01T08:00{eol}"]
    if not final_newline:  # the last line gains a line break, the new last line has none
        last = "    deadline: 2025-07-01"
        added = [f"-{last}", f"+{last}{eol}", added[0], added[1].removesuffix(eol)]
    added = [
        f"-as_of: 2025-06-26T11:00{comment}{eol}",
        f"+as_of: 2025-07-01T08:00{comment}{eol}",
        *added,
    ]
    assert update(path, "new-model", Change(done=True, on="2025-07-01T08:00")) == added
    load_plan(path)


def test_a_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfplan: B\nstart: 2025-06-16\ntasks:\n  - {id: a, duration: 1d}\n")
    update_plan(path, "a", Change(start="2025-06-16"), today=TODAY)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfplan: B\n")


def test_the_plan_in_the_repository_keeps_every_other_byte(tmp_path: Path) -> None:
    source = ROOT / "plans" / "tuyenquang.yaml"
    path = tmp_path / "tuyenquang.yaml"
    shutil.copy(source, path)
    if (ROOT / "plans" / "templates").is_dir():
        shutil.copytree(ROOT / "plans" / "templates", tmp_path / "templates")
    changes = update(path, "accounts", Change(progress="90%"))
    assert changes == ["-        progress: 60%\n", "+        progress: 90%\n"]


# -- refusals leave the file as it was ----------------------------------------------------------


def test_an_unknown_id_suggests_the_closest_and_writes_nothing(tmp_path: Path) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml")
    still = unchanged(path)
    # The command's mistake, not the plan's: a usage error, never "the plan is not valid".
    with pytest.raises(UsageError) as caught:
        update_plan(path, "acounts", Change(done=True), today=TODAY)
    assert "no task has the id 'acounts' (did you mean 'accounts'?)" in str(caught.value)
    assert still()


def test_an_unknown_id_on_the_command_line_says_so_and_exits_2(cli: Cli, tmp_path: Path) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml")
    still = unchanged(path)
    result = cli("update", str(path), "acounts", "--done")
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}: no task has the id 'acounts' (did you mean 'accounts'?)\n"
    )
    assert still()


INVALID_CASES = {
    "progress on a done task": ("province-plan", Change(progress="50%"), "actual_finish"),
    "done while progress says otherwise": ("accounts", Change(status="done"), "progress"),
    "cancelled although started": ("accounts", Change(status="cancelled"), "actual_start"),
}


@pytest.mark.parametrize(
    ("task_id", "change", "key"), INVALID_CASES.values(), ids=list(INVALID_CASES)
)
def test_a_change_that_would_make_the_plan_invalid_is_refused(
    tmp_path: Path, task_id: str, change: Change, key: str
) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml")
    still = unchanged(path)
    with pytest.raises(InvalidChangeError) as caught:
        update_plan(path, task_id, change, today=TODAY)
    assert {d.code for d in caught.value.diagnostics} == {"status-mismatch"}
    assert any(key in d.message for d in caught.value.diagnostics)
    assert still()


USAGE_CASES = {
    "nothing asked": (
        Change(),
        "say what changed: --done [--on T], --start T, --progress 60% or --status S",
    ),
    "a nonsense date": (
        Change(start="26/6/2025"),
        (
            "--start: '26/6/2025' is not an ISO date: write YYYY-MM-DD (2025-06-30) or "
            "YYYY-MM-DDTHH:MM (2025-06-30T07:00); other spellings are ambiguous"
        ),
    ),
    "a date that does not exist": (
        Change(done=True, on="2025-02-30"),
        "--on: '2025-02-30' is not a real date or time: day is out of range for month",
    ),
    "a percentage without %": (
        Change(progress="60"),
        "--progress: expected a percentage from 0% to 100%, such as 60%, got '60'",
    ),
    "over 100%": (
        Change(progress="120%"),
        "--progress: expected a percentage from 0% to 100%, such as 60%, got '120%'",
    ),
    "a misspelt status": (
        Change(status="in-progress"),
        (
            "--status: 'in-progress' is not one of not_started, in_progress, done, cancelled "
            "(did you mean 'in_progress'?)"
        ),
    ),
    "status with another option": (Change(status="done", done=True), "--status goes alone"),
    "done with progress": (
        Change(done=True, progress="50%"),
        "--done sets the progress to 100%: leave out --progress",
    ),
    "on without done": (
        Change(start="2025-06-20", on="2025-06-21"),
        "--on says when the task finished and goes with --done; use --start T",
    ),
}


@pytest.mark.parametrize(("change", "message"), USAGE_CASES.values(), ids=list(USAGE_CASES))
def test_a_bad_request_is_refused_before_reading(
    tmp_path: Path, change: Change, message: str
) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml")
    still = unchanged(path)
    with pytest.raises(UsageError) as caught:
        update_plan(path, "accounts", change, today=TODAY)
    assert str(caught.value).startswith(message)
    assert still()


def test_a_summary_is_refused(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    with pytest.raises(UsageError, match="'build' is a summary task"):
        update_plan(path, "build", Change(done=True), today=TODAY)


def test_a_file_changed_meanwhile_is_left_to_the_other_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fixture(tmp_path, "tuyenquang.yaml")
    theirs = path.read_bytes().replace(b"progress: 60%", b"progress: 70%", 1)
    real_read = editing._read_bytes
    reads: list[Path] = []

    def read_while_another_writes(file: Path) -> bytes:
        reads.append(file)
        if len(reads) == 2:  # the check just before writing
            file.write_bytes(theirs)
        return real_read(file)

    monkeypatch.setattr(editing, "_read_bytes", read_while_another_writes)
    with pytest.raises(FileChangedError, match="changed by another program"):
        update_plan(path, "accounts", Change(done=True), today=TODAY)
    assert path.read_bytes() == theirs
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["tuyenquang.yaml"]


def test_an_alias_that_would_misplace_the_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text(
        "plan: A\nstart: 2025-06-16\ntasks:\n"
        "  - id: a\n    duration: 1d\n    after: &deps [x]\n"
        "  - id: x\n    duration: 1d\n"
        "  - id: b\n    duration: 1d\n    after: *deps\n",
        encoding="utf-8",
    )
    still = unchanged(path)
    with pytest.raises(UpdateError, match="cannot make this change without touching other lines"):
        update_plan(path, "b", Change(start="2025-06-17"), today=TODAY)
    assert still()


def test_a_symlinked_plan_stays_a_symlink(tmp_path: Path) -> None:
    target = fixture(tmp_path, "styles.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    update_plan(link, "code", Change(start="2025-06-17"), today=TODAY)
    assert link.is_symlink()
    assert "actual_start: 2025-06-17}" in target.read_text(encoding="utf-8")


# -- tasks that come from a template -------------------------------------------------------------


@NEEDS_EXTENDS
def test_a_template_task_gets_an_override_entry_at_the_end(tmp_path: Path) -> None:
    path = fixture(tmp_path, "extends.yaml")
    result = update_plan(path, "build", Change(done=True, on="2025-06-18"), today=TODAY)
    assert path.read_text(encoding="utf-8").endswith(
        "    owner: Design team   # who designs\n"
        "  - id: build\n"
        "    status: done\n"
        "    actual_finish: 2025-06-18\n"
        "    progress: 100%\n"
    )
    assert result.override
    assert result.changes == (
        KeyChange("status", "in_progress", "done", 9),
        KeyChange("actual_finish", None, "2025-06-18", 10),
        KeyChange("progress", "20%", "100%", 11),
    )
    build = load_plan(path).plan.tasks[0].tasks[1]  # type: ignore[index]
    assert (build.status, build.actual_start, build.progress) == ("done", date(2025, 6, 17), 1.0)


@NEEDS_EXTENDS
def test_a_task_written_in_the_plan_is_changed_there(tmp_path: Path) -> None:
    path = fixture(tmp_path, "extends.yaml")
    assert update(path, "design", Change(start="2025-06-16T08:00")) == [
        "+    status: in_progress\n",
        "+    actual_start: 2025-06-16T08:00\n",
    ]


@NEEDS_EXTENDS
def test_a_plan_without_tasks_gets_a_tasks_list(tmp_path: Path) -> None:
    fixture(tmp_path, "extends.yaml")
    path = tmp_path / "bare.yaml"
    path.write_text("extends: templates/base.yaml  # all from the template\n", encoding="utf-8")
    update_plan(path, "ship", Change(done=True), today=TODAY)
    assert path.read_text(encoding="utf-8") == (
        "extends: templates/base.yaml  # all from the template\n"
        "tasks:\n"
        "  - id: ship\n"
        "    status: done\n"
        "    actual_finish: 2025-06-26\n"
    )
    assert load_plan(path).plan.tasks[1].status == "done"


@NEEDS_EXTENDS
def test_an_unknown_id_suggests_template_tasks_too(tmp_path: Path) -> None:
    path = fixture(tmp_path, "extends.yaml")
    with pytest.raises(UsageError, match="did you mean 'build'"):
        update_plan(path, "biuld", Change(done=True), today=TODAY)


def test_the_core_never_imports_the_cli() -> None:
    code = (
        "import sys, cutover.portfolio.editing; print(sorted({'typer', 'rich'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


@NEEDS_EXTENDS
@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        (
            "tasks:   # none yet\n",
            "tasks:   # none yet\n  - id: ship\n    status: done\n    actual_finish: 2025-06-26\n",
        ),
        (
            "tasks: [{id: design, owner: Ann}]  # owners\n",
            (
                "tasks: [{id: design, owner: Ann}, {id: ship, status: done, "
                "actual_finish: 2025-06-26}]  # owners\n"
            ),
        ),
        (
            "tasks: []\n",
            "tasks: [{id: ship, status: done, actual_finish: 2025-06-26}]\n",
        ),
        (
            "tasks:\n- {id: design, owner: Ann}\n",
            (
                "tasks:\n- {id: design, owner: Ann}\n- id: ship\n  status: done\n"
                "  actual_finish: 2025-06-26\n"
            ),
        ),
    ],
    ids=["no value", "flow list", "empty flow list", "flow items"],
)
def test_an_override_entry_follows_the_style_of_the_list(
    tmp_path: Path, tasks: str, expected: str
) -> None:
    fixture(tmp_path, "extends.yaml")
    path = tmp_path / "plan.yaml"
    path.write_text(f"extends: templates/base.yaml\n{tasks}", encoding="utf-8")
    update_plan(path, "ship", Change(done=True), today=TODAY)
    assert path.read_text(encoding="utf-8") == f"extends: templates/base.yaml\n{expected}"
    assert load_plan(path).plan.tasks[1].status == "done"


@NEEDS_EXTENDS
def test_a_plan_written_as_one_flow_mapping_gets_no_override(tmp_path: Path) -> None:
    fixture(tmp_path, "extends.yaml")
    path = tmp_path / "plan.yaml"
    path.write_text("{extends: templates/base.yaml}\n", encoding="utf-8")
    with pytest.raises(UpdateError, match=r"the plan is one \{...\} mapping"):
        update_plan(path, "ship", Change(done=True), today=TODAY)


def test_an_id_that_yaml_would_read_as_another_type_is_quoted() -> None:
    assert [editing._scalar_token(word) for word in ("build", "2025", "on", "1.5")] == [
        "build",
        "'2025'",
        "'on'",
        "'1.5'",
    ]


# -- plans that were invalid already, and files that cannot be read ------------------------------

INVALID_PLAN = """\
plan: Already invalid
start: 2025-06-16
tasks:
  - {id: a, duration: 1d, status: done, progress: 60%}   # progress on a done task
  - id: b
    duration: 1d
"""


def test_an_update_may_make_an_invalid_plan_valid(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(INVALID_PLAN, encoding="utf-8")
    update_plan(path, "a", Change(status="in_progress"), today=TODAY)
    assert load_plan(path).plan.tasks[0].status == "in_progress"


def test_a_plan_that_stays_invalid_reports_its_errors_not_the_change(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(INVALID_PLAN + "  - just text\n  - id: c\n    tasks:\n", encoding="utf-8")
    still = unchanged(path)
    with pytest.raises(PlanError) as caught:
        update_plan(path, "b", Change(start="2025-06-17"), today=TODAY)
    assert not isinstance(caught.value, InvalidChangeError)
    assert "status-mismatch" in {d.code for d in caught.value.diagnostics}
    with pytest.raises(PlanError, match="progress but its status is done"):
        update_plan(path, "nowhere", Change(start="2025-06-17"), today=TODAY)
    assert still()


def test_a_yaml_error_is_the_loaders_located_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("plan: [unclosed\ntasks:\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        update_plan(path, "a", Change(done=True), today=TODAY)
    assert [d.code for d in caught.value.diagnostics] == ["yaml-syntax"]


def test_a_missing_file_is_the_loaders_error(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        update_plan(tmp_path / "none.yaml", "a", Change(done=True), today=TODAY)


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "plan.yaml"
    if kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)  # reading it would wait for a writer for ever
    with pytest.raises(UpdateError, match="is not a plan file"):
        update_plan(path, "a", Change(done=True), today=TODAY)


def test_a_read_that_fails_once_then_succeeds_is_a_change_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fixture(tmp_path, "styles.yaml")

    def fail(_: Path) -> bytes:
        raise PermissionError

    monkeypatch.setattr(editing, "_read_bytes", fail)
    with pytest.raises(FileChangedError, match="changed while it was read"):
        update_plan(path, "code", Change(done=True), today=TODAY)


def test_a_status_written_as_a_block_scalar_is_left_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: P\nstart: 2025-06-16\ntasks:\n"
        "  - id: a\n    duration: 1d\n    status: |-\n      in_progress\n",
        encoding="utf-8",
    )
    with pytest.raises(UpdateError, match="the status of this task is not a single value"):
        update_plan(path, "a", Change(done=True), today=TODAY)


def test_a_naive_datetime_today_counts_by_its_day(tmp_path: Path) -> None:
    path = fixture(tmp_path, "styles.yaml")
    update_plan(path, "code", Change(start="today"), today=datetime(2025, 6, 26, 23, 59))
    assert "actual_start: 2025-06-26}" in path.read_text(encoding="utf-8")


def test_keys_follow_a_last_key_with_no_value(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: P\nstart: 2025-06-16\ntasks:\n"
        "  - id: a\n    duration: 1d\n    status: in_progress\n    actual_start:   # soon\n"
        "  - {id: b, duration: 1d}\n",
        encoding="utf-8",
    )
    assert update(path, "a", Change(progress="5%")) == ["+    progress: 5%\n"]
    assert path.read_text(encoding="utf-8").endswith(
        "    actual_start:   # soon\n    progress: 5%\n  - {id: b, duration: 1d}\n"
    )


def test_a_block_scalar_that_keeps_its_blank_lines_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: P\nstart: 2025-06-16\ntasks:\n"
        "  - id: a\n    duration: 1d\n    name: |+\n      Alpha\n\n"
        "  - {id: b, duration: 1d}\n",
        encoding="utf-8",
    )
    assert update(path, "a", Change(progress="5%")) == [
        "+    status: in_progress\n",
        "+    actual_start: 2025-06-26\n",
        "+    progress: 5%\n",
    ]
    assert "      Alpha\n\n    status: in_progress\n" in path.read_text(encoding="utf-8")
    task = load_plan(path).plan.tasks[0]
    assert (task.name, task.progress) == ("Alpha\n\n", 0.05)


@NEEDS_EXTENDS
def test_tasks_that_are_not_a_list_get_no_override(tmp_path: Path) -> None:
    fixture(tmp_path, "extends.yaml")
    path = tmp_path / "plan.yaml"
    path.write_text("extends: templates/base.yaml\ntasks: ''\n", encoding="utf-8")
    with pytest.raises(UpdateError, match="the plan's tasks is not a list"):
        update_plan(path, "ship", Change(done=True), today=TODAY)


def test_progress_after_the_status_date_moves_it(tmp_path: Path) -> None:
    """PLAN_FORMAT: recorded progress cannot lie after the plan's own as_of."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: P\nstart: 2025-06-16\nas_of: 2025-06-17\ntasks:\n"
        "  - {id: a, duration: 1d}\n  - {id: b, duration: 1d}\n",
        encoding="utf-8",
    )
    result = update_plan(path, "a", Change(done=True, on="2025-06-18T10:00"), today=TODAY)
    assert [str(change) for change in result.changes] == [
        "as_of: 2025-06-17 → 2025-06-18T10:00",
        "status: not_started → done",
        "actual_finish: (none) → 2025-06-18T10:00",
    ]
    assert "as_of: 2025-06-18T10:00\n" in path.read_text(encoding="utf-8")
    # On the status date's own day a date alone does not move it.
    update_plan(path, "b", Change(start="2025-06-18"), today=TODAY)
    assert "as_of: 2025-06-18T10:00\n" in path.read_text(encoding="utf-8")
