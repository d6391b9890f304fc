"""The command line as users and CI run it: exit codes, exact output, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT, WORKED

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Cli

EXAMPLE = ROOT.parent / "shared" / "contract" / "worked_example.yaml"


@pytest.fixture
def worked(write_plan: Callable[..., Path]) -> Path:
    return write_plan(WORKED, "worked.yaml")


def test_check_passes_with_no_finding(cli: Cli, worked: Path) -> None:
    result = cli("check", str(worked), "--as-of", "2025-06-16")
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
    assert result.output.rstrip().endswith("OK: 0 errors, 0 warnings in 1 plan")


def test_check_json_reports_at_risk_with_a_wider_threshold(cli: Cli, worked: Path) -> None:
    result = cli(
        "check", str(worked), "--as-of", "2025-06-16", "--risk-threshold", "2d", "--format", "json"
    )
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["ok"] is True
    (plan,) = document["plans"]
    assert plan["ok"] is True
    (finding,) = plan["findings"]
    assert {k: finding[k] for k in ("code", "level", "task", "line")} == {
        "code": "at-risk", "level": "warning", "task": "ship", "line": 8,
    }  # fmt: skip
    assert "1d of working time before its deadline" in finding["message"]


def test_check_fails_when_a_deadline_is_forecast_late(cli: Cli, worked: Path) -> None:
    result = cli("check", str(worked), "--as-of", "2025-06-18T09:00", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["plans"][0]["findings"]
    late = [f for f in findings if f["code"] == "late"]
    assert late[0]["task"] == "ship"
    assert late[0]["drivers"] == ["design", "build", "ship"]


def test_check_reports_a_missed_deadline_instead_of_late(cli: Cli, worked: Path) -> None:
    result = cli("check", str(worked), "--as-of", "2025-06-23", "--format", "json")
    codes = {(f["code"], f["task"]) for f in json.loads(result.output)["plans"][0]["findings"]}
    assert ("missed-deadline", "ship") in codes
    assert ("late", "ship") not in codes
    assert result.exit_code == 1


def test_check_text_points_at_the_yaml_line(cli: Cli, worked: Path) -> None:
    result = cli("check", str(worked), "--as-of", "2025-06-18T09:00")
    assert f"{worked}:8:5" in result.output.replace("\n", "")
    assert "✗ error   late" in result.output
    assert "driven by design → build → ship" in result.output
    assert "FAIL: 1 error" in result.output


def test_the_status_date_comes_from_the_environment(cli: Cli, worked: Path) -> None:
    result = cli("check", str(worked), "--format", "json", env={"CUTOVER_AS_OF": "2025-06-23"})
    assert result.exit_code == 1
    assert json.loads(result.output)["plans"][0]["as_of"] == "2025-06-23T00:00:00+00:00"


def test_an_invalid_plan_is_exit_2_with_invalid_plan_findings(
    cli: Cli, worked: Path, write_plan: Callable[..., Path]
) -> None:
    bad = write_plan("plan: x\nstart: 2025-06-16\ntasks:\n  - {id: a, duration: 3}\n")
    result = cli("check", str(worked), str(bad), "--as-of", "2025-06-16", "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert document["ok"] is False
    good, invalid = document["plans"]
    assert good["ok"] is True
    assert invalid["findings"][0]["code"] == "invalid-plan"
    assert invalid["findings"][0]["level"] == "error"
    assert invalid["findings"][0]["line"] == 4


def test_schedule_json_is_the_contract_object(cli: Cli, worked: Path) -> None:
    result = cli("schedule", str(worked), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert set(document) >= {"plan", "timezone", "as_of", "finish", "critical_path", "tasks"}
    assert document["critical_path"] == ["design", "build", "ship"]
    keys = {
        "id", "name", "summary", "milestone", "start", "finish", "late_start", "late_finish",
        "total_slack_minutes", "free_slack_minutes", "deadline_slack_minutes", "critical",
        "deadline", "status",
    }  # fmt: skip
    assert all(keys <= set(task) for task in document["tasks"])


def test_schedule_csv_and_table(cli: Cli, worked: Path) -> None:
    csv_out = cli("schedule", str(worked), "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("id,name,parent,summary,milestone,start,finish")
    assert csv_out[1].startswith("design,design,,false,false,2025-06-16T08:00:00+00:00")
    table = cli("schedule", str(worked))
    assert table.exit_code == 0
    assert "critical path: design → build → ship" in table.output


@pytest.mark.slow
def test_the_contract_check_script_agrees(tmp_path: Path) -> None:
    if not EXAMPLE.exists():
        pytest.skip("the shared contract is not next to this checkout")
    exe = Path(sys.executable).with_name("cutover")
    result = subprocess.run(
        [sys.executable, str(EXAMPLE.with_name("check.py")), str(exe)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert "contract: 20/20 fields agree" in result.stdout, result.stdout


# -- bad input: exit 2, a located message, never a traceback ----------------------------------


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cutover", *args],
        capture_output=True, text=True, check=False, cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )  # fmt: skip


BAD_INPUTS: dict[str, bytes] = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "list-at-top": b"- a\n- b\n",
    "scalar-at-top": b"just words\n",
    "alias-bomb": (
        b"a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + b"".join(
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n".encode() for i in range(1, 10)
        )
        + b"plan: x\nstart: 2025-06-16\ntasks: *a9\n"
    ),
    "deep-nesting": b"plan: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-blocks": b"".join(b"  " * i + b"a:\n" for i in range(3000)),
    "nul-bytes": b"plan: x\x00\nstart: 2025-06-16\n",
    "latin-1": "plan: Tuyên Quang\n".encode("latin-1", errors="replace") + b"\xe9\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BAD_INPUTS))
@pytest.mark.parametrize("command", ["check", "schedule", "gantt"])
def test_bad_input_is_exit_2_with_a_located_message(
    tmp_path: Path, name: str, command: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(BAD_INPUTS[name])
    result = _run(command, str(path), "--as-of", "2025-06-16")
    assert result.returncode == 2, (result.stdout, result.stderr)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert f"{path}:" in output or f"{path.name}:" in output
    assert "error" in output


def test_a_date_beyond_the_calendars_names_the_task_being_placed(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    plan = write_plan(
        "plan: x\nstart: 2025-06-16\ntasks:\n"
        "  - {id: a, duration: 1d}\n"
        "  - {id: far, duration: 1d, not_before: 9999-12-31}\n"
    )
    result = cli("schedule", str(plan))
    assert result.exit_code == 2
    assert f"{plan.name}:5:5: error[out-of-range]: task 'far': the schedule runs more" in (
        result.output
    )


@pytest.mark.parametrize("command", ["check", "schedule", "gantt"])
def test_a_missing_file_is_exit_2(tmp_path: Path, command: str) -> None:
    result = _run(command, str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "no such file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "not valid" not in result.stdout + result.stderr  # there was no plan to judge


def test_a_folder_is_not_a_plan(tmp_path: Path) -> None:
    result = _run("schedule", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr


def test_an_unreadable_file_is_exit_2(
    cli: Cli, worked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == worked:
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    result = cli("schedule", str(worked))
    assert result.exit_code == 2
    assert "permission denied" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--as-of", "6/7/2025"),
        ("check", "--risk-threshold", "3"),
        ("check", "--format", "xml"),
        ("schedule", "--format", "pdf"),
        ("gantt", "--scale", "month"),
        ("frobnicate",),
    ],
)
def test_misuse_is_exit_2(cli: Cli, worked: Path, args: tuple[str, ...]) -> None:
    command, *rest = args
    result = cli(command, str(worked), *rest)
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("check", "--as-of", "2025-13-45"), "--as-of"),
        (("check", "--as-of", "9999-12-31T23:59-01:00"), "--as-of"),  # was OverflowError
        (("schedule", "--as-of", "0001-01-01T00:00+01:00"), "--as-of"),
        (("risk", "--as-of", "9999-12-31T23:59-01:00"), "--as-of"),
        (("check", "--risk-threshold", "3x"), "--risk-threshold"),
        (("gantt", "--from", "soon"), "--from"),
        (("gantt", "--to", "2025-02-30"), "--to"),
    ],
)
def test_a_bad_option_value_names_the_option(
    cli: Cli, worked: Path, args: tuple[str, ...], option: str
) -> None:
    command, *rest = args
    result = cli(command, str(worked), *rest, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output


def test_help_and_version(cli: Cli) -> None:
    assert cli("--help").exit_code == 0
    version = cli("--version")
    assert version.exit_code == 0
    assert version.output.startswith("cutover ")


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("boom"),
        UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
        ValueError("first line\nsecond line\x1b[2J\u202e"),
    ],
)
def test_an_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    """Was: two lines (and more when the error's own text had line breaks)."""
    from cutover import cli as command_line  # noqa: PLC0415

    def crash(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(command_line, "app", crash)
    with pytest.raises(SystemExit) as exited:
        command_line.main(["check", "x.yaml"])
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("internal error (a bug in cutover; please report it with the plan): ")
    assert type(error).__name__ in err
    assert "\x1b" not in err
