"""Plans that extend templates: every merge rule, and every error at its own file and line."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError
from cutover.findings.pipeline import analyse
from cutover.planfile.loader import load_plan
from cutover.planfile.tasktree import flatten

if TYPE_CHECKING:
    from pathlib import Path

TEMPLATE = """\
plan: Template
timezone: Asia/Ho_Chi_Minh
start: 2025-06-16
calendars:
  default:
    hours: ["08:00-12:00", "13:00-17:00"]
    holidays: [2025-06-20]
tasks:
  - id: sys
    name: System
    tasks:
      - {id: a, duration: 1d, owner: Nation}
      - {id: b, duration: 2d, after: [a]}
      - {id: c, duration: 1d, after: [b]}
  - id: done
    milestone: true
    after: [sys]
    deadline: 2025-06-27
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return write(tmp_path, "templates/base.yaml", TEMPLATE)


def ids(path: Path) -> list[str]:
    return [item.task.id for item in flatten(load_plan(path).plan)]


@pytest.mark.usefixtures("template")
def test_a_plan_without_changes_is_its_template(tmp_path: Path) -> None:
    child = write(tmp_path, "p.yaml", "extends: templates/base.yaml\nplan: Province\n")
    loaded = load_plan(child)
    assert loaded.plan.plan == "Province"
    assert loaded.plan.timezone == "Asia/Ho_Chi_Minh"
    assert loaded.plan.extends == "templates/base.yaml"
    assert ids(child) == ["sys", "a", "b", "c", "done"]


@pytest.mark.usefixtures("template")
def test_overrides_by_id_at_any_depth_and_calendar_keys(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/base.yaml
        plan: Province
        start: 2025-06-17
        calendars:
          default: {hours: ["07:00-11:00", "13:00-17:00"]}
        tasks:
          - id: sys
            tasks:
              - {id: b, duration: 3d, owner: Province team}
          - id: done
            deadline: 2025-06-30
    """,
    )
    plan = load_plan(child).plan
    by_id = {item.task.id: item.task for item in flatten(plan)}
    assert by_id["b"].duration is not None
    assert by_id["b"].duration.text == "3d"
    assert by_id["b"].owner == "Province team"
    assert by_id["b"].links == [("a", "FS", by_id["b"].links[0][2])]  # kept from the template
    assert by_id["a"].owner == "Nation"
    assert str(by_id["done"].deadline) == "2025-06-30"
    assert plan.calendars["default"].hours == ((420, 660), (780, 1020))
    assert plan.calendars["default"].holidays  # kept: calendars merge key by key
    assert str(plan.start) == "2025-06-17"


@pytest.mark.usefixtures("template")
def test_additions_go_after_the_entry_written_before_them(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/base.yaml
        plan: Province
        tasks:
          - id: sys
            tasks:
              - id: a
              - {id: a2, duration: 1d, after: [a]}
          - {id: extra, duration: 2h}
          - id: done
          - {id: after-done, milestone: true, after: [done]}
    """,
    )
    assert ids(child) == ["sys", "a", "a2", "b", "c", "extra", "done", "after-done"]


@pytest.mark.usefixtures("template")
def test_new_tasks_without_an_anchor_go_at_the_end(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "p.yaml",
        "extends: templates/base.yaml\nplan: P\ntasks:\n  - {id: z, duration: 1d}\n",
    )
    assert ids(child)[-1] == "z"


@pytest.mark.usefixtures("template")
def test_remove_drops_tasks_their_subtasks_and_links_to_them(tmp_path: Path) -> None:
    child = write(tmp_path, "p.yaml", "extends: templates/base.yaml\nplan: P\nremove: [b]\n")
    plan = load_plan(child).plan
    assert ids(child) == ["sys", "a", "c", "done"]
    by_id = {item.task.id: item.task for item in flatten(plan)}
    assert by_id["c"].after == ()
    whole = write(tmp_path, "q.yaml", "extends: templates/base.yaml\nplan: Q\nremove: [sys]\n")
    assert ids(whole) == ["done"]


@pytest.mark.usefixtures("template")
def test_templates_chain(tmp_path: Path) -> None:
    write(
        tmp_path,
        "templates/region.yaml",
        """\
        extends: base.yaml
        plan: Region
        tasks:
          - {id: region-task, duration: 1d, after: [done]}
    """,
    )
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/region.yaml
        plan: Province
        tasks:
          - id: region-task
            owner: Province
    """,
    )
    loaded = load_plan(child)
    assert ids(child) == ["sys", "a", "b", "c", "done", "region-task"]
    assert {item.task.id: item.task for item in flatten(loaded.plan)}[
        "region-task"
    ].owner == "Province"


def errors(path: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(PlanError) as caught:
        analyse(path, now=None)
    return [
        (d.location.file.rsplit("/", 1)[-1], d.location.line, d.code, d.message)
        for d in caught.value.diagnostics
    ]


def test_a_cycle_of_templates_is_an_error_at_the_extends_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "plan: A\nstart: 2025-06-16\nextends: b.yaml\ntasks: [{id: x, duration: 1d}]\n",
    )
    write(tmp_path, "b.yaml", "extends: a.yaml\nplan: B\n")
    (found,) = errors(tmp_path / "a.yaml")
    assert found[:3] == ("b.yaml", 1, "extends-cycle")
    assert "a.yaml → b.yaml → a.yaml" in found[3]


def test_a_missing_template_is_an_error_at_the_extends_line(tmp_path: Path) -> None:
    child = write(tmp_path, "p.yaml", "plan: P\n\nextends: templates/nope.yaml\n")
    (found,) = errors(child)
    assert found[:3] == ("p.yaml", 3, "bad-extends")
    assert "no such file" in found[3]


@pytest.mark.usefixtures("template")
def test_unknown_ids_in_overrides_and_remove_say_did_you_mean(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/base.yaml
        plan: P
        remove: [cc]
        tasks:
          - id: bb
            owner: Someone
    """,
    )
    found = errors(child)
    assert [(f, line, code) for f, line, code, _ in found] == [
        ("p.yaml", 3, "unknown-task"),
        ("p.yaml", 5, "unknown-task"),
    ]
    assert "did you mean 'c'" in found[0][3]
    assert "did you mean 'b'" in found[1][3]


def test_errors_name_the_file_they_live_in(tmp_path: Path) -> None:
    write(
        tmp_path,
        "templates/base.yaml",
        """\
        plan: Template
        start: 2025-06-16
        tasks:
          - {id: a, duration: 3}
          - {id: b, duration: 1d, after: [a]}
    """,
    )
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/base.yaml
        plan: P
        tasks:
          - id: b
            deadline: 30/06/2025
            after: [zz]
    """,
    )
    found = sorted((f, line, code) for f, line, code, _ in errors(child))
    assert found == [
        ("base.yaml", 4, "bad-duration"),
        ("p.yaml", 5, "bad-date"),
        ("p.yaml", 6, "unknown-task"),
    ]


@pytest.mark.usefixtures("template")
def test_findings_point_at_the_override_or_the_template(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "p.yaml",
        """\
        extends: templates/base.yaml
        plan: P
        tasks:
          - id: sys
            tasks:
              - id: b
                duration: 10d
    """,
    )
    from datetime import datetime  # noqa: PLC0415

    analysis = analyse(child, now=None, as_of=datetime(2025, 6, 16))
    late = {f.task: f.location for f in analysis.findings if f.code == "late"}
    assert late["done"].file.endswith("base.yaml")
    assert late["done"].line == 15


def test_the_shipped_provinces_extend_the_national_template() -> None:
    from tests.conftest import ROOT  # noqa: PLC0415

    for name in ("tuyenquang", "tayninh", "gialai"):
        loaded = load_plan(ROOT / "plans" / f"{name}.yaml")
        assert loaded.plan.extends == "templates/national-2025.yaml"
        assert len(list(flatten(loaded.plan))) >= 30
