"""The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs them.

pre-commit passes a hook every staged file that its ``files`` regex and ``types`` match,
the config file itself included: the hooks must pass a repository with a good plan in it,
and refuse a plan that is invalid or late at its own status date.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

GOOD = """
plan: Good
start: 2025-06-16
as_of: 2025-06-17T09:00
tasks:
  - id: build
    owner: Team A
    approver: Lead
    deliverable: Release
    duration: 2d
    deadline: 2025-06-20
"""
#: Late at its own as_of, on every day the commit is made.
LATE = """
plan: Late
start: 2025-06-16
as_of: 2025-06-17T09:00
tasks:
  - id: build
    owner: Team A
    approver: Lead
    deliverable: Release
    duration: 5d
    deadline: 2025-06-18
"""
BROKEN = """
plan: Broken
start: 2025-06-16
tasks:
  - id: build
    duration: 2d
    deadlin: 2025-06-18
"""
#: Not a plan, although a CI job named plan is a top-level key.
GITLAB_CI = """
plan:
  script: [terraform plan]
"""


def _environment() -> dict[str, str]:
    """The caller's environment, less what would change a check's verdict or output."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CUTOVER_AS_OF", "CUTOVER_FAIL_ON", "GITHUB_STEP_SUMMARY"}
    }
    return {**environment, "NO_COLOR": "1", "COLUMNS": "100"}


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=_environment(), check=False
    )


def _write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository using cutover's hooks, with a good plan and a CI file staged."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (
        ("init", "-q"),
        ("config", "user.email", "planner@example.com"),
        ("config", "user.name", "Planner"),
        ("config", "commit.gpgsign", "false"),
    ):
        _git(repo, *args)
    # pre-commit would install cutover from its repository into a virtualenv (from PyPI);
    # offline, the same hooks run the cutover already installed (language: system).
    local = [{**hook, "language": "system"} for hook in HOOKS]
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)
    _write(repo, ".pre-commit-config.yaml", config)
    _write(repo, "plans/good.yaml", GOOD)
    _write(repo, ".gitlab-ci.yml", GITLAB_CI)
    _git(repo, "add", "-A")
    return repo


def _files_pre_commit_passes(repo: Path, hook: dict[str, Any]) -> list[str]:
    """What pre-commit gives a hook: tracked files its ``files`` regex matches (all YAML)."""
    tracked = _git(repo, "ls-files").stdout.split()
    return [name for name in tracked if re.search(hook["files"], name)]


def _run_hook(repo: Path, hook: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    files = _files_pre_commit_passes(repo, hook)
    return subprocess.run(
        [*hook["entry"].split(), *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )


def test_the_hooks_look_at_yaml_and_skip_what_is_not_a_plan() -> None:
    assert [hook["id"] for hook in HOOKS] == ["cutover-check", "cutover-lint"]
    for hook in HOOKS:
        assert re.search(hook["files"], ".pre-commit-config.yaml")  # so it must be skipped
        assert "--skip-non-plans" in hook["entry"].split()
    (check,) = [hook for hook in HOOKS if hook["id"] == "cutover-check"]
    assert "--as-of plan" in check["entry"], "a commit is never judged at today's date"


@pytest.mark.slow
def test_each_hook_entry_passes_a_clean_repo_and_refuses_a_late_or_broken_plan(
    repo: Path,
) -> None:
    for hook in HOOKS:
        clean = _run_hook(repo, hook)
        assert clean.returncode == 0, hook["id"] + clean.stdout + clean.stderr
        assert ".pre-commit-config.yaml" not in clean.stdout
        assert ".gitlab-ci.yml" not in clean.stdout
    (check,) = [hook for hook in HOOKS if hook["id"] == "cutover-check"]
    _write(repo, "plans/late.yaml", LATE)
    _git(repo, "add", "-A")
    late = _run_hook(repo, check)
    assert late.returncode == 1, late.stdout + late.stderr
    assert "plans/late.yaml:5:5" in late.stdout
    assert "late" in late.stdout
    _write(repo, "plans/late.yaml", BROKEN)
    _git(repo, "add", "-A")
    broken = _run_hook(repo, check)
    assert broken.returncode == 2
    assert "unknown-key         plans/late.yaml:6:5" in broken.stdout


@pytest.mark.slow
def test_pre_commit_itself_commits_a_good_plan_and_refuses_a_late_one(
    repo: Path, tmp_path: Path
) -> None:
    pytest.importorskip("pre_commit")
    environment = {**_environment(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=repo, capture_output=True, text=True, env=environment, check=False
        )

    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    good = run("git", "commit", "-q", "-m", "a good plan")
    assert good.returncode == 0, good.stdout + good.stderr
    _write(repo, "plans/late.yaml", LATE)
    run("git", "add", "plans/late.yaml")
    late = run("git", "commit", "-q", "-m", "a late plan")
    assert late.returncode != 0
    assert "plans/late.yaml:5:5" in late.stdout + late.stderr
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "1"
