"""The README documents every command, option, key, finding code and exit status."""

from __future__ import annotations

import re
from typing import Any

import typer

from cutover.cli import app
from cutover.findings.checks import CHECKS
from cutover.planfile.model import CalendarSpec, Link, Plan, Task
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    commands: dict[str, Any] = getattr(group, "commands", {})
    assert commands
    return commands


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in _commands().items():
        assert f"cutover {name}" in README, name
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"


def test_every_key_of_the_format_is_in_the_readme() -> None:
    for model in (Plan, Task, CalendarSpec, Link):
        for key in model.model_fields:
            if key in {"task", "type", "lag"}:
                assert f"`{key}`" in README or "{task, type, lag}" in README
                continue
            assert f"`{key}`" in README, key


def test_every_finding_code_and_exit_status_is_in_the_readme() -> None:
    source = (ROOT / "src" / "cutover" / "findings" / "checks.py").read_text()
    codes = set(re.findall(r'code="([a-z-]+)"', source))
    assert len(codes) == 6
    assert len(CHECKS) >= 2
    for code in codes | {"invalid-plan"}:
        assert f"`{code}`" in README, code
    for status in ("0: no error finding", "1: at least one error finding", "2: a plan is invalid"):
        assert status in README


def test_the_readme_shows_the_two_set_up_commands_and_ci_runs_the_test_one() -> None:
    assert "pip install . && cutover gantt plans/tuyenquang.yaml" in README
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert test_command in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci
    for line in ci.splitlines():
        if line.startswith("apt-get") or "apt-get install" in line:
            assert "apt-get install chromium" in README
