"""Hostile plan text never reaches a terminal or CI log raw, and machine formats stay valid.

A plan from a pull request can name its tasks with escape sequences (set the window title,
clear the screen), line breaks that start a ``::warning`` workflow command of their own,
``##[error]`` (which GitHub reads anywhere in a line) and right-to-left overrides. Every
command shows such text as one visible line (common.text); JSON keeps it exactly, JUnit XML
stays well formed, workflow commands stay one line each.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest
import xmlschema

from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

JUNIT_XSD = ROOT / "tests" / "schemas" / "junit.xsd"
#: Each trick a hostile name can play on a terminal or a CI log.
HOSTILE = (
    "Evil\x1b]0;pwned\x07\x1b[2J\x1b[8mhidden\x1b[0m"  # window title, clear screen, conceal
    "\u202eabc\u2066\u2069"  # right-to-left override, isolates
    "\nnext ::warning file=x::injected"  # a workflow command on a line of its own
    " ##[error]legacy"  # GitHub's legacy command, read anywhere in a line
    "\x01\x0b\x85\x7f\u2028"  # XML 1.0 forbids \x01 and \x0b
    " [/][link=https://example.invalid]markup"  # rich markup: a crash or a style
)
#: Raw bytes a terminal would act on, or a reader would read in reverse.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
TERMINAL_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("check", "--format", "text"),
    ("check", "--format", "github"),
    ("check", "--format", "markdown"),
    ("lint",),
    ("schedule",),
    ("gantt", "--width", "100"),
    ("status",),
    ("rollup",),
    ("risk", "--runs", "50"),
    ("whatif", "--delay", "a=1d"),
    ("drivers", "{plan}", "m"),
    ("diff", "{plan}", "{plan}"),
)

#: The commands that show the plan's or a task's name.
SHOW_NAMES = {("check",), ("lint",), ("schedule",), ("gantt", "--width", "100"), ("status",)}


def hostile_plan(name: str = HOSTILE) -> str:
    document = {
        "plan": name,
        "start": "2025-06-16",
        "tasks": [
            {"id": "a", "name": name, "duration": "1d", "owner": name, "deliverable": name},
            {"id": "m", "name": name, "milestone": True, "after": ["a"], "deadline": "2025-06-16"},
        ],
    }
    return json.dumps(document)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(hostile_plan(), encoding="utf-8")
    return path


def assert_terminal_safe(output: str) -> None:
    """No raw control or bidi character, no line GitHub would run as a command."""
    assert not RAW.search(output), RAW.findall(output)
    assert not re.search(r"##\[(?!\\)", output), output
    for line in output.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("::"):  # only cutover's own annotations, one per finding
            assert re.match(r"::(error|warning|notice) [^\n]*::", stripped), line
            assert "injected" not in stripped.split("::")[1], line


@pytest.mark.parametrize("command", TERMINAL_COMMANDS, ids=" ".join)
def test_hostile_text_reaches_no_terminal_raw(
    cli: Cli, plan: Path, command: tuple[str, ...]
) -> None:
    """Was: escapes, line breaks and bidi overrides were printed as they are."""
    name, *rest = command
    args = [str(plan) if arg == "{plan}" else arg for arg in rest]
    if "{plan}" not in rest:
        args.insert(0, str(plan))
    if name != "lint":
        args += ["--as-of", "2025-06-17"]
    result = cli(name, *args)
    assert result.exit_code in {0, 1}, result.output
    assert_terminal_safe(result.output)
    if command in SHOW_NAMES:
        assert "Evil\\x1b]0;pwned\\x07" in result.output


def test_a_diff_of_hostile_names_shows_them_visibly(cli: Cli, plan: Path, tmp_path: Path) -> None:
    """Was: a changed name went to the console as markup, with its escapes raw."""
    other = tmp_path / "other.json"
    other.write_text(hostile_plan("Other\x1b[2J [/]"), encoding="utf-8")
    result = cli("diff", str(plan), str(other), "--as-of", "2025-06-17")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert "Other\\x1b[2J [/]" in result.output


def test_invalid_hostile_keys_in_status_are_text(cli: Cli, tmp_path: Path) -> None:
    """Was: a key such as '[/]' in a diagnostic crashed status (rich MarkupError, exit 3)."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"plan": "x", "[/]": 1, "start": "2025-06-16", "tasks": []}))
    for command in ("status", "rollup", "check"):
        result = cli(command, str(path))
        assert result.exit_code == 2, result.output
        assert "'[/]'" in result.output or command == "rollup"  # rollup counts, names none


def test_a_newline_in_a_plan_name_starts_no_workflow_command(cli: Cli, plan: Path) -> None:
    output = cli("check", str(plan), "--as-of", "2025-06-17", "--format", "text").output
    assert "::warning file=x::injected" not in output
    assert ":\\:warning" in output


def test_github_annotations_are_one_line_each(cli: Cli, plan: Path) -> None:
    output = cli("check", str(plan), "--as-of", "2025-06-17", "--format", "github").output
    lines = output.splitlines()
    assert lines
    assert all(line.startswith("::") for line in lines), lines


def test_json_keeps_the_text_exactly(cli: Cli, plan: Path) -> None:
    result = cli("schedule", str(plan), "--as-of", "2025-06-17", "--format", "json")
    assert json.loads(result.stdout)["plan"] == HOSTILE
    assert "\x1b" not in result.stdout  # JSON escapes control characters itself


def test_junit_is_well_formed_and_valid(cli: Cli, plan: Path, tmp_path: Path) -> None:
    """Was: \\x01, \\x0b and ESC went into the XML raw, which no reader accepts."""
    report = tmp_path / "junit.xml"
    result = cli("check", str(plan), "--as-of", "2025-06-17", "-f", f"junit:{report}")
    assert result.exit_code == 1
    ET.parse(report)  # noqa: S314 - our own report, parsed to prove it is well formed
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(report))
    assert "\\x01" in report.read_text(encoding="utf-8")


def test_junit_of_an_invalid_hostile_plan_is_well_formed(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"plan": HOSTILE, "start": HOSTILE, "tasks": []}), "utf-8")
    report = tmp_path / "junit.xml"
    assert cli("check", str(path), "-f", f"junit:{report}").exit_code == 2
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(report))


def test_messages_about_an_invalid_hostile_plan_are_one_line_each(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"plan": "x", HOSTILE: 1, "start": HOSTILE, "tasks": []}), "utf-8")
    for fmt in ("text", "github", "markdown"):
        result = cli("check", str(path), "--format", fmt)
        assert result.exit_code == 2
        assert_terminal_safe(result.output)
    schedule = cli("schedule", str(path))
    assert schedule.exit_code == 2
    assert_terminal_safe(schedule.output)


def test_a_10_mb_plan_name_is_checked_in_seconds(tmp_path: Path) -> None:
    """Was: over 120 s of CPU wrapping the name (quadratic); it is cut for display."""
    path = tmp_path / "huge.json"
    path.write_text(hostile_plan("x" * 10_000_000), encoding="utf-8")
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'cutover', 'check', sys.argv[1],"
        " '--as-of', '2025-06-17'], capture_output=True, check=False)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(done.returncode, usage.ru_utime + usage.ru_stime, len(done.stdout))\n"
    )
    env = {**os.environ, "COLUMNS": "100", "CUTOVER_AS_OF": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    status, cpu_seconds, size = int(out[0]), float(out[1]), int(out[2])
    assert status == 1
    assert cpu_seconds < 60  # about 2 s here; the unfixed code needed over 120 s
    assert size < 10_000  # the name is shown cut, not whole
