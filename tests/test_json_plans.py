"""Plans written as JSON: the same schedule as YAML, located errors, duplicate keys refused."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError
from cutover.engine.rows import schedule_document
from cutover.findings.pipeline import analyse
from cutover.planfile.jsondoc import plan_json
from cutover.planfile.loader import load_plan, load_plan_document
from cutover.planfile.templates import allow_extends_from
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli


@pytest.mark.parametrize("name", ["examples/erp-go-live.yaml", "examples/datacentre-easter.yaml"])
def test_a_json_plan_schedules_like_its_yaml(tmp_path: Path, name: str) -> None:
    """``cutover convert``'s JSON: the same schedule, task by task."""
    source = ROOT / name
    target = tmp_path / "plan.json"
    target.write_text(plan_json(load_plan_document(source)[0]), encoding="utf-8")
    from_yaml = schedule_document(analyse(source, now=None, as_of=AS_OF).schedule)
    from_json = schedule_document(analyse(target, now=None, as_of=AS_OF).schedule)
    for task in from_json["tasks"]:
        task.pop("line")
    for task in from_yaml["tasks"]:
        task.pop("line")
    assert from_json == from_yaml


def test_findings_point_at_the_task_lines_of_a_json_plan(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text(
        '{"plan": "p", "start": "2025-06-16",\n "tasks": [\n  {"id": "a", "duration": "2d"},\n'
        '  {"id": "b", "milestone": true, "after": ["a"],\n   "deadline": "2025-06-16"}]}\n'
    )
    analysis = analyse(target, now=None, as_of=datetime(2025, 6, 16))
    (late,) = [f for f in analysis.findings if f.code == "late"]
    assert (late.task, late.location.line, late.location.column) == ("b", 4, 4)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ('{"plan": "p",\n "start": "2025-06-16",\n "tasks": [}', "json-syntax", 3),
        (
            '{"plan": "p", "start": "2025-06-16", "tasks": [{"id": "a", "duration": 3}]}',
            "bad-duration",
            1,
        ),
        ('{"plan": "p", "plan": "q", "start": "2025-06-16", "tasks": []}', "duplicate-key", 1),
        ("[" * 10_000 + "]" * 10_000, "too-deep", 1),
    ],
)
def test_json_errors_are_located(tmp_path: Path, text: str, code: str, line: int) -> None:
    target = tmp_path / "plan.json"
    target.write_text(text)
    with pytest.raises(PlanError) as caught:
        load_plan(target)
    first = caught.value.diagnostics[0]
    assert (first.code, first.location.line) == (code, line)


def test_yaml_flow_style_that_is_not_json_still_reads_as_yaml(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("{plan: p, start: 2025-06-16, tasks: [{id: a, duration: 1d}]}\n")
    assert load_plan(target).plan.tasks[0].id == "a"


def test_convert_keeps_yaml_meaning_and_points_findings_at_task_lines(
    cli: Cli, tmp_path: Path
) -> None:
    """YAML 1.1's readings survive (yes is true, a bare date a date); one task per line."""
    source = tmp_path / "plan.yaml"
    source.write_text(
        "plan: Converted\nstart: 2025-06-16\ntasks:\n"
        "  - {id: a, duration: 2d}\n"
        "  - id: group\n    tasks:\n"
        "      - {id: b, milestone: yes, after: [a], deadline: 2025-06-16}\n",
        encoding="utf-8",
    )
    target = tmp_path / "plan.json"
    result = cli("convert", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["start"] == "2025-06-16"
    assert data["tasks"][1]["tasks"][0]["milestone"] is True
    checked = cli("check", str(target), "--as-of", "2025-06-16T09:00", "--format", "json")
    (late,) = [f for f in json.loads(checked.stdout)["plans"][0]["findings"] if f["task"] == "b"]
    assert (
        late["line"]
        == target.read_text(encoding="utf-8")
        .splitlines()
        .index('  {"id": "b", "milestone": true, "after": ["a"], "deadline": "2025-06-16"}')
        + 1
    )
    again = tmp_path / "again.json"
    assert cli("convert", str(target), "-o", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == target.read_text(encoding="utf-8")


def test_convert_refuses_an_invalid_plan_or_an_existing_file(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text("plan: Bad\nstart: 2025-06-16\ntasks:\n  - {id: a, duraton: 2d}\n")
    target = tmp_path / "plan.json"
    result = cli("convert", str(source), "-o", str(target))
    assert result.exit_code == 2
    assert "plan.yaml:4" in result.output
    assert not target.exists()
    target.write_text("keep me", encoding="utf-8")
    source.write_text("plan: Good\nstart: 2025-06-16\ntasks:\n  - {id: a, duration: 2d}\n")
    assert cli("convert", str(source), "-o", str(target)).exit_code == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    assert cli("convert", str(source), "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["plan"] == "Good"


def test_a_converted_plan_finds_its_template_from_another_folder(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "tuyenquang.json"
    target.parent.mkdir()
    result = cli("convert", str(ROOT / "plans" / "tuyenquang.yaml"), "-o", str(target))
    assert result.exit_code == 0, result.output
    extends = json.loads(target.read_text(encoding="utf-8"))["extends"]
    assert (target.parent / extends).resolve() == ROOT / "plans/templates/national-2025.yaml"
    from_yaml = schedule_document(
        analyse(ROOT / "plans/tuyenquang.yaml", now=None, as_of=AS_OF).schedule
    )
    allow_extends_from([ROOT / "plans"])  # the template is outside the new plan's folder
    try:
        from_json = schedule_document(analyse(target, now=None, as_of=AS_OF).schedule)
    finally:
        allow_extends_from(())
    assert [(t["id"], t["start"], t["finish"]) for t in from_json["tasks"]] == [
        (t["id"], t["start"], t["finish"]) for t in from_yaml["tasks"]
    ]


def _json_problem(tmp_path: Path, text: str) -> tuple[str, int, int, str]:
    target = tmp_path / "plan.json"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(target)
    first = raised.value.diagnostics[0]
    return first.code, first.location.line, first.location.column, first.message


def test_a_number_of_100k_digits_is_a_located_error(tmp_path: Path) -> None:
    """Was: ValueError (the int conversion limit) escaped as an internal error."""
    text = '{"plan": "x",\n "start": "2025-06-16", "x": ' + "1" * 100_000 + ', "tasks": []}'
    code, line, column, message = _json_problem(tmp_path, text)
    assert (code, line, column) == ("json-value", 2, 30)
    assert "100,000 digits" in message
    assert len(message) < 200  # the number is not quoted whole


@pytest.mark.parametrize(
    ("escape", "column"),
    [("\\ud800", 11), ("\\udfff", 11), ("x\\ud800", 12), ("\\ud800\\u0041", 11)],
)
def test_a_lone_surrogate_is_a_located_error(tmp_path: Path, escape: str, column: int) -> None:
    """Was: the text reached the terminal and crashed its UTF-8 encoder (exit 3)."""
    text = '{"plan": "x",\n "name": "' + escape + '", "start": "2025-06-16", "tasks": []}'
    code, line, col, message = _json_problem(tmp_path, text)
    assert (code, line, col) == ("json-value", 2, column)
    assert "surrogate" in message


@pytest.mark.parametrize("escape", ["\\ud83d\\ude80", "\\\\ud800", "\\\\\\\\ud800"])
def test_a_surrogate_pair_and_an_escaped_backslash_are_text(tmp_path: Path, escape: str) -> None:
    target = tmp_path / "plan.json"
    target.write_text(
        '{"plan": "' + escape + '", "start": "2025-06-16", "tasks": [{"id": "a", '
        '"duration": "1d"}]}',
        encoding="utf-8",
    )
    assert load_plan(target).plan.plan == json.loads('"' + escape + '"')
