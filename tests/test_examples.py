"""Every plan in plans/ and examples/ is valid, and together they use every key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml

from cutover.findings.pipeline import analyse
from cutover.planfile.model import CalendarSpec, Plan, Task
from tests.conftest import AS_OF, ROOT

if TYPE_CHECKING:
    from pathlib import Path

PLANS = sorted([*ROOT.glob("plans/*.yaml"), *ROOT.glob("examples/*.yaml")])


@pytest.mark.parametrize("path", PLANS, ids=[path.name for path in PLANS])
def test_every_shipped_plan_schedules(path: Path) -> None:
    analysis = analyse(path, now=None, as_of=AS_OF)
    assert analysis.schedule.critical_path or all(
        status in {"done", "cancelled"} for status in analysis.schedule.status
    )


def _walk_tasks(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for task in tasks:
        out.append(task)
        out.extend(_walk_tasks(task.get("tasks") or []))
    return out


def test_examples_use_every_key_of_the_format() -> None:
    plan_keys: set[str] = set()
    task_keys: set[str] = set()
    calendar_keys: set[str] = set()
    statuses: set[str] = set()
    link_types: set[str] = {"FS"}
    units: set[str] = set()
    leads = False
    workdays_all = False
    for path in [*ROOT.glob("plans/**/*.yaml"), *ROOT.glob("examples/*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        plan_keys |= set(data)
        for calendar in data.get("calendars", {}).values():
            calendar_keys |= set(calendar)
            workdays_all |= calendar.get("workdays") == "all"
        for task in _walk_tasks(data["tasks"]):
            task_keys |= set(task)
            statuses.add(task.get("status", "not_started"))
            if "duration" in task:
                text = str(task["duration"])
                units.add("iso" if text.startswith("P") else text[-1])
            for link in task.get("after", []):
                if isinstance(link, dict):
                    link_types.add(link.get("type", "FS"))
                    leads |= str(link.get("lag", "")).startswith("-")
    assert plan_keys == set(Plan.model_fields)
    assert task_keys == set(Task.model_fields)
    assert calendar_keys == set(CalendarSpec.model_fields)
    assert statuses == {"not_started", "in_progress", "done", "cancelled"}
    assert link_types == {"FS", "SS", "FF", "SF"}
    assert units >= {"h", "d", "w", "iso"}
    assert leads
    assert workdays_all
