"""Read a plan file into a validated, immutable ``Plan``, or fail with every located error.

plan file --read--> text --parse_yaml--> data --pydantic--> Plan --validate--> Plan
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from cutover.errors import Diagnostic, DocPath, PlanError, SourceLocation
from cutover.model import Plan
from cutover.model_errors import translate
from cutover.source import PlanSource, display_path, read_plan_text
from cutover.validate import check_references
from cutover.yamldoc import Mark, YamlDocument, parse_yaml

if TYPE_CHECKING:
    from collections.abc import Iterator


class LoadedPlan(NamedTuple):
    """A valid plan and its source, to point findings at the lines of its tasks."""

    plan: Plan
    source: PlanSource


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building 100k objects would trigger it often."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_plan(path: Path | str, *, file: str | None = None) -> LoadedPlan:
    """Load, validate and cross-check a plan file; raise PlanError with every problem."""
    path = Path(path)
    name = file or display_path(path)
    text = read_plan_text(path, name)
    return load_plan_text(text, name)


def load_plan_text(text: str, file: str) -> LoadedPlan:
    """Load a plan from its text; ``file`` names it in messages."""
    with gc_paused():
        document = parse_yaml(text, file)
        data = document.data
        source = PlanSource(file, text, _task_marks(document))
        _check_top_level(data, file)
        assert isinstance(data, dict)
        problems = check_references(data, source)
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            raise PlanError(translate(exc, source, data) + problems) from None
    if problems:
        raise PlanError(problems)
    return LoadedPlan(plan, source)


def _check_top_level(data: object, file: str) -> None:
    where = SourceLocation(file, 1, 1)
    if data is None:
        raise PlanError(
            [
                Diagnostic(
                    "empty-plan", "the file is empty: a plan needs plan, start and tasks", where
                )
            ]
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the single value {data!r}"
        raise PlanError(
            [
                Diagnostic(
                    "not-a-plan",
                    "a plan is a mapping with the keys plan, start and tasks; "
                    f"this file holds {kind}",
                    where,
                )
            ]
        )


def _task_marks(document: YamlDocument) -> dict[DocPath, Mark]:
    """Where each task mapping starts, by its path: cheap, and all findings need."""
    marks: dict[DocPath, Mark] = {}
    data = document.data
    if not isinstance(data, dict):
        return marks
    pending: list[tuple[DocPath, object]] = [(("tasks",), data.get("tasks"))]
    while pending:
        path, tasks = pending.pop()
        if not isinstance(tasks, list):
            continue
        for index, task in enumerate(tasks):
            if isinstance(task, dict):
                task_path = (*path, index)
                marks[task_path] = document.mark_of(task)
                if "tasks" in task:
                    pending.append(((*task_path, "tasks"), task["tasks"]))
    return marks
