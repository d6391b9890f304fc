"""Which files are plans: ``--skip-non-plans`` in folders and among the files named."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from cutover.planfile.discovery import looks_like_plan, plan_files
from tests.conftest import ROOT, WORKED

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Cli


@pytest.mark.parametrize(
    ("name", "text", "plan"),
    [
        ("plan.yaml", WORKED, True),
        ("province.yaml", "extends: templates/national.yaml\nplan: Hà Giang\n", True),
        ("quoted.yml", '"tasks": []\n', True),
        ("flow.yaml", "# a plan in flow style\n{plan: x, start: 2025-06-16, tasks: []}\n", True),
        ("misspelt.yaml", "plann: x\ntasks:\n  - {id: a, duration: 1d}\n", True),
        ("settings.yml", "retries: 3\n", False),
        (".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks: []\n", False),
        (".gitlab-ci.yml", "plan:\n  script: [terraform plan]\n", False),
        ("Taskfile.yml", "version: '3'\ntasks:\n  build:\n    cmds: [go build]\n", False),
        ("tasks-dir.yml", "tasks-dir: x\n", False),
        ("zero-indent.yaml", "plan: x\ntasks:\n# first\n\n- id: a\n", True),
        ("crlf.yaml", "start: 2025-06-16\r\ntasks:\r\n  - id: a\r\n", True),
        ("tasks-as-mapping.yaml", "plan: x\ntasks:\n  a: 1d\n", True),
        ("bare-tasks.yaml", "tasks:\n  build: {}\n", False),
        ("nested.yaml", "jobs:\n  tasks:\n    - a\n", False),
        ("list.yaml", "---\n- id: a\n  tasks: []\n", False),
        ("empty.yaml", "# nothing\n", False),
        ("plan.json", json.dumps({"plan": "x", "tasks": []}), True),
        ("package.json", json.dumps({"name": "x"}), False),
        ("tsconfig.json", json.dumps({"extends": "./base.json", "compilerOptions": {}}), False),
        ("province.json", json.dumps({"extends": "national.json", "plan": "x"}), True),
        ("broken.json", "{not json", True),
    ],
)
def test_what_looks_like_a_plan(
    write_plan: Callable[..., Path], name: str, text: str, *, plan: bool
) -> None:
    assert looks_like_plan(write_plan(text, name)) is plan


def test_every_shipped_plan_and_template_looks_like_one() -> None:
    found = [*ROOT.glob("plans/**/*.yaml"), *ROOT.glob("examples/*.yaml")]
    assert len(found) >= 5
    assert all(looks_like_plan(path) for path in found)


def test_named_files_that_are_no_plans_are_skipped_only_when_asked(
    write_plan: Callable[..., Path],
) -> None:
    plan = write_plan(WORKED, "plan.yaml")
    config = write_plan("repos: []\n", ".pre-commit-config.yaml")
    assert plan_files([config, plan], skip_non_plans=True) == [plan]
    assert plan_files([config, plan], skip_non_plans=False) == [config, plan]
    assert plan_files([config], skip_non_plans=True) == []


def test_check_of_named_non_plans_passes_when_they_are_skipped(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    config = str(write_plan("repos: []\n", ".pre-commit-config.yaml"))
    assert cli("check", config).exit_code == 2
    skipped = cli("check", config, "--skip-non-plans")
    assert skipped.exit_code == 0, skipped.output
    assert "in 0 plans" in skipped.output
    assert cli("lint", config, "--skip-non-plans").exit_code == 0


def test_as_of_plan_never_reads_the_clock(cli: Cli, write_plan: Callable[..., Path]) -> None:
    # Planned to finish on time; at the clock (years after 2025) its deadline is missed.
    plan = str(write_plan(WORKED))
    assert cli("check", plan).exit_code == 1
    planned = cli("check", plan, "--as-of", "plan")
    assert planned.exit_code == 0, planned.output
    assert "as planned (no status date)" in planned.output
    # A plan's own as_of is still its status date.
    dated = str(write_plan(WORKED.replace("timezone: UTC", "timezone: UTC\nas_of: 2025-06-20")))
    assert cli("check", dated, "--as-of", "plan").exit_code == 1
    assert cli("status", plan, "--as-of", "plan").exit_code == 0
