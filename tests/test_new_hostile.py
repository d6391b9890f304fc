"""``cutover new`` never replaces its template, and no name can add keys or break the plan.

A name such as ``2025``, ``0x10``, ``- x`` or one with a line break is written quoted (it
reads back as the very text); comments are one printable line; the plan is checked where
it will live (a template called ``plan.yaml`` beside it is not a "cycle"); ``-o TEMPLATE
--force`` is refused and leaves the template as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cutover.planfile.loader import load_plan
from cutover.portfolio.scaffold import new_plan_text
from tests.conftest import WORKED

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

NAMES = [
    "2025",
    "1.5",
    "0x10",
    "- x",
    "yes",
    "~",
    "a\rb",
    "line\nowner: injected\nstart: 2030-01-01",
    "tab\tand # hash: colon",
    '"quoted" \\ back',
    "trailing ",
    "nel\x85and\u2028ls",
    "bidi \u202e override",
    "Hà Giang",
]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "templates" / "base.yaml"
    path.parent.mkdir()
    path.write_text(WORKED, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", NAMES)
def test_any_name_is_written_so_it_reads_back_as_itself(
    cli: Cli, tmp_path: Path, template: Path, name: str
) -> None:
    target = tmp_path / "new.yaml"
    result = cli("new", "-t", str(template), "-n", name, "-o", str(target))
    assert result.exit_code == 0, result.output
    loaded = load_plan(target).plan
    assert loaded.plan == name
    assert loaded.start == load_plan(template).plan.start  # nothing added by the name
    lines = [line for line in target.read_text(encoding="utf-8").splitlines() if line]
    assert all(line.startswith(("#", " ", "extends:", "plan:", "tasks:")) for line in lines)


def test_template_names_and_owners_stay_inside_their_comments(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        'plan: "T\\nstart: 2030-01-01"\nstart: 2025-06-16\ntasks:\n'
        '  - {id: a, duration: 1d, name: "x\\n  - id: injected", owner: "o\\rp"}\n',
        encoding="utf-8",
    )
    text = new_plan_text(template, "P", tmp_path / "p.yaml")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    loaded = load_plan(tmp_path / "p.yaml").plan
    assert [task.id for task in loaded.tasks] == ["a"]
    assert str(loaded.start).startswith("2025-06-16")
    assert "injected" in text  # shown, escaped, in a comment


def test_the_template_is_never_replaced(cli: Cli, template: Path) -> None:
    before = template.read_bytes()
    for extra in ([], ["--force"]):
        result = cli("new", "-t", str(template), "-n", "X", "-o", str(template), *extra)
        assert result.exit_code == 2, result.output
    assert "is the template itself" in result.output
    assert template.read_bytes() == before


def test_a_link_to_the_template_is_the_template(cli: Cli, template: Path) -> None:
    link = template.parent.parent / "link.yaml"
    link.symlink_to(template)
    before = template.read_bytes()
    result = cli("new", "-t", str(template), "-n", "X", "-o", str(link), "--force")
    assert result.exit_code == 2
    assert template.read_bytes() == before


def test_a_template_called_plan_yaml_beside_the_new_plan_is_not_a_cycle(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "plan.yaml"
    template.write_text(WORKED, encoding="utf-8")
    result = cli("new", "-t", str(template), "-n", "X", "-o", str(tmp_path / "mine.yaml"))
    assert result.exit_code == 0, result.output
    assert load_plan(tmp_path / "mine.yaml").plan.plan == "X"
    printed = cli("new", "-t", str(template), "-n", "X")
    assert printed.exit_code == 0, printed.output
    assert "extends: plan.yaml" in printed.stdout
