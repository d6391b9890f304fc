"""Plans written as JSON: the same schedule as YAML, located errors, duplicate keys refused."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest

from cutover.errors import PlanError
from cutover.loader import load_plan
from cutover.pipeline import analyse
from cutover.rows import schedule_document
from cutover.yamldoc import parse_yaml
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from pathlib import Path


def _as_json(yaml_path: Path, json_path: Path) -> None:
    data = parse_yaml(yaml_path.read_text(encoding="utf-8"), str(yaml_path)).data

    def iso(value: object) -> str:
        assert isinstance(value, date | datetime)
        return value.isoformat()

    json_path.write_text(
        json.dumps(data, default=iso, indent=2, ensure_ascii=False), encoding="utf-8"
    )


@pytest.mark.parametrize("name", ["examples/erp-go-live.yaml", "examples/datacentre-easter.yaml"])
def test_a_json_plan_schedules_like_its_yaml(tmp_path: Path, name: str) -> None:
    source = ROOT / name
    target = tmp_path / "plan.json"
    _as_json(source, target)
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
