"""``extends`` reads only what a plan has business reading, and never quotes what it reads.

A plan from a pull request must not make ``cutover check`` (often root, in CI) print the
runner's files: a template must lie in the plan's git repository (outside git, the plan's
folder), after its links are resolved, and not under ``.git``; ``--allow-extends-from``
widens it. A file that is not a plan is named, never quoted (nor its keys).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError
from cutover.planfile.loader import load_plan
from cutover.planfile.model import Plan
from cutover.planfile.templates import MAX_CHAIN, PLAN_KEYS

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

SECRET = "SECRET-7f3a-PRIVATE-KEY-do-not-print"  # noqa: S105 - bait, not a password
TEMPLATE = """\
plan: Template
start: 2025-06-16
tasks:
  - {id: a, duration: 1d}
  - {id: b, duration: 1d, after: [a]}
"""


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """A git repository ``repo`` with a template, and secrets beside and inside it."""
    repo = tmp_path / "repo"
    (repo / "templates").mkdir(parents=True)
    (repo / "templates" / "base.yaml").write_text(TEMPLATE, encoding="utf-8")
    _git(repo, "init", "-q")
    (repo / ".git" / "config").write_text(
        f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n", encoding="utf-8"
    )
    (tmp_path / "id_rsa").write_text(f"-----BEGIN KEY-----\n{SECRET}\n", encoding="utf-8")
    (tmp_path / "secrets.yaml").write_text(f"token: {SECRET}\n{SECRET}: 1\n", encoding="utf-8")
    return repo


def _plan(folder: Path, extends: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(f"extends: {extends}\nplan: P\n", encoding="utf-8")
    return path


def _check(cli: Cli, plan: Path, *before: str) -> tuple[int, str]:
    result = cli(*before, "check", str(plan), "--as-of", "2025-06-16", "--format", "github")
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "extends",
    [
        "{outside}/id_rsa",  # absolute
        "../id_rsa",  # climbs out
        "templates/../../secrets.yaml",
        "link.yaml",  # a link in the repository to a file outside it
        "linked/id_rsa",  # a link to a folder outside it
        ".git/config",  # inside the repository, but git's own (the checkout's token)
    ],
)
def test_a_template_outside_the_repository_is_refused_unread(
    cli: Cli, layout: Path, extends: str
) -> None:
    (layout / "link.yaml").symlink_to(layout.parent / "id_rsa")
    (layout / "linked").symlink_to(layout.parent)
    plan = _plan(layout, extends.format(outside=layout.parent))
    code, output = _check(cli, plan)
    assert code == 2
    assert SECRET not in output
    assert "extends-outside" in output
    assert "plan.yaml,line=1,col=10" in output


def test_a_file_in_the_repository_that_is_not_a_plan_is_named_not_quoted(
    cli: Cli, layout: Path
) -> None:
    (layout / "one-value.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (layout / "mapping.yaml").write_text(f"token: x\n{SECRET}: 1\n", encoding="utf-8")
    (layout / "list.yaml").write_text(f"- {SECRET}\n", encoding="utf-8")
    (layout / "broken.yaml").write_text(f"a: [{SECRET}\n", encoding="utf-8")
    for name in ("one-value.txt", "mapping.yaml", "list.yaml", "broken.yaml"):
        code, output = _check(cli, _plan(layout, name))
        assert code == 2, name
        assert SECRET not in output, name
        assert "not-a-plan" in output, name
        assert name in output, name


def test_a_plan_file_of_a_single_value_is_not_quoted(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"{SECRET}\n", encoding="utf-8")
    code, output = _check(cli, plan)
    assert code == 2
    assert SECRET not in output
    assert "a single text" in output


def test_outside_git_the_plan_folder_and_below_are_allowed(cli: Cli, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    (plans / "templates").mkdir(parents=True)
    (plans / "templates" / "base.yaml").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "shared.yaml").write_text(TEMPLATE, encoding="utf-8")
    assert load_plan(_plan(plans, "templates/base.yaml")).plan.plan == "P"
    with pytest.raises(PlanError) as caught:
        load_plan(_plan(plans, "../shared.yaml"))
    assert caught.value.diagnostics[0].code == "extends-outside"
    code, output = _check(
        cli, _plan(plans, "../shared.yaml"), "--allow-extends-from", str(tmp_path)
    )
    assert code in (0, 1), output
    result = cli(
        "check",
        str(plans / "plan.yaml"),
        "--as-of",
        "2025-06-16",
        env={"CUTOVER_ALLOW_EXTENDS_FROM": str(tmp_path)},
    )
    assert result.exit_code in (0, 1), result.output


def test_the_allowance_does_not_outlive_its_command(cli: Cli, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "shared.yaml").write_text(TEMPLATE, encoding="utf-8")
    plan = _plan(plans, "../shared.yaml")
    assert _check(cli, plan, "--allow-extends-from", str(tmp_path))[0] in (0, 1)
    assert _check(cli, plan)[0] == 2


def test_templates_in_the_repository_extend_each_other(layout: Path) -> None:
    (layout / "templates" / "mid.yaml").write_text("extends: base.yaml\n", encoding="utf-8")
    (layout / "plans").mkdir()
    plan = _plan(layout / "plans", "../templates/mid.yaml")
    assert [task.id for task in load_plan(plan).plan.tasks] == ["a", "b"]


def test_a_template_of_a_template_is_confined_to_the_same_repository(
    cli: Cli, layout: Path
) -> None:
    (layout / "templates" / "mid.yaml").write_text("extends: ../../id_rsa\n", encoding="utf-8")
    code, output = _check(cli, _plan(layout, "templates/mid.yaml"))
    assert code == 2
    assert SECRET not in output
    assert "mid.yaml,line=1,col=10" in output


def test_a_chain_longer_than_the_limit_is_too_many_levels_not_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "t0.yaml").write_text(TEMPLATE, encoding="utf-8")
    for level in range(1, MAX_CHAIN + 2):
        (tmp_path / f"t{level}.yaml").write_text(f"extends: t{level - 1}.yaml\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(_plan(tmp_path, f"t{MAX_CHAIN + 1}.yaml"))
    (found,) = caught.value.diagnostics
    assert found.code == "extends-too-deep"
    assert "too many levels" in found.message
    assert "cycle" not in found.message
    assert load_plan(_plan(tmp_path, f"t{MAX_CHAIN - 2}.yaml", "ok.yaml")).plan.plan == "P"


def test_the_keys_a_template_may_have_are_the_plan_keys() -> None:
    assert frozenset(Plan.model_fields) == PLAN_KEYS


def test_diff_of_a_revision_that_extends_outside_is_a_located_exit_2(
    cli: Cli, layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(layout, "../secrets.yaml", "x.yaml")
    _plan(layout, "templates/base.yaml", "ok.yaml")
    _git(layout, "add", "x.yaml", "ok.yaml", "templates")
    _git(layout, "commit", "-qm", "plans")
    monkeypatch.chdir(layout)
    result = cli("diff", "HEAD:x.yaml", "ok.yaml")
    assert result.exit_code == 2, result.output
    assert "HEAD:x.yaml:1:10: error[extends-outside]" in result.output
    assert SECRET not in result.output


def test_a_folder_search_skips_links_that_point_outside(cli: Cli, layout: Path) -> None:
    plans = layout / "plans"
    plans.mkdir()
    (plans / "good.yaml").write_text(TEMPLATE, encoding="utf-8")
    (plans / "evil.yaml").symlink_to(layout.parent / "secrets.yaml")
    result = cli("check", str(plans), "--as-of", "2025-06-16", "--format", "github")
    assert SECRET not in result.output
    assert "evil.yaml" not in result.output
    assert "good.yaml" in result.output or result.exit_code in (0, 1)


def test_an_unreadable_name_is_not_an_escape(tmp_path: Path) -> None:
    """A NUL byte or a loop of links is a located error, not a crash."""
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    for extends in ("loop.yaml", '"a\\0b"'):
        with pytest.raises(PlanError):
            load_plan(_plan(tmp_path, extends))
    assert loop.is_symlink()


def test_a_misspelt_plan_key_in_a_template_is_named_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE + "calender: {}\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(_plan(tmp_path, "t.yaml"))
    (found,) = caught.value.diagnostics
    assert found.code == "not-a-plan"
    assert found.location.line == 6
    assert "'calender', which no plan has (did you mean 'calendars'?)" in found.message
