"""Read a plan file into a validated, immutable ``Plan``, or fail with every located error.

plan file --read--> text --parse_yaml--> data --pydantic--> Plan --validate--> Plan
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _, n_
from cutover.planfile.jsondoc import looks_like_json, parse_json
from cutover.planfile.jsondoc import task_marks as json_task_marks
from cutover.planfile.model import Plan
from cutover.planfile.model_errors import translate
from cutover.planfile.runbook import apply_decisions, check_runbook, has_runbook
from cutover.planfile.source import Locator, PlanSource, display_path, read_plan_text
from cutover.planfile.tasktree import raw_tasks
from cutover.planfile.templates import RawPlan, merge_templates
from cutover.planfile.validate import check_references
from cutover.planfile.yamldoc import parse_yaml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


class LoadedPlan(NamedTuple):
    """A valid plan and its source, to point findings at the lines of its tasks."""

    plan: Plan
    source: Locator


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


def load_plan(
    path: Path | str,
    *,
    file: str | None = None,
    read_template: Callable[[Path], RawPlan] | None = None,
) -> LoadedPlan:
    """Load, validate and cross-check a plan file; raise PlanError with every problem."""
    path = Path(path)
    name = file or display_path(path)
    text = read_plan_text(path, name)
    return load_plan_text(text, name, path=path, read_template=read_template)


def load_plan_text(
    text: str,
    file: str,
    *,
    path: Path | None = None,
    read_template: Callable[[Path], RawPlan] | None = None,
) -> LoadedPlan:
    """Load a plan from its text; ``file`` names it in messages.

    ``path`` is where the plan lives, to find the templates it ``extends`` (relative to
    it); ``read_template`` reads one (by default from disk; ``diff`` reads git revisions).
    """
    return _load(text, file, path, read_template)[1]


def load_plan_document(path: Path | str) -> tuple[dict[str, Any], LoadedPlan]:
    """The plan file's own document (templates not merged in) once the plan is valid."""
    path = Path(path)
    name = display_path(path)
    written, loaded = _load(read_plan_text(path, name), name, path, None)
    return written.data, loaded


def _load(
    text: str,
    file: str,
    path: Path | None,
    read_template: Callable[[Path], RawPlan] | None,
) -> tuple[RawPlan, LoadedPlan]:
    """The document as parsed, and the plan validated with its templates merged in."""
    with gc_paused():
        written = parse_plan(text, file, path)
        raw = merge_templates(written, read_template or read_template_file)
        tasks = raw.tasks if raw.tasks is not None else list(raw_tasks(raw.data))
        problems = check_references(raw.data, raw.source, tasks)
        try:
            plan = Plan.model_validate(raw.data)
        except ValidationError as exc:
            raise PlanError(translate(exc, raw.source, raw.data) + problems) from None
    runbook = has_runbook(tasks)
    if runbook:  # reported with the other problems, not only once those are fixed
        problems = problems + check_runbook(plan, raw.source)
    if problems:
        raise PlanError(problems)
    if runbook:
        plan = apply_decisions(plan)
    return written, LoadedPlan(plan, raw.source)


def parse_plan(text: str, file: str, path: Path | None = None) -> RawPlan:
    """Parse a plan document (not yet validated) and index where its tasks are.

    JSON plans (a ``.json`` file, or text that opens with ``{`` and parses as JSON) take
    the fast JSON reader; everything else is YAML.
    """
    if looks_like_json(file, text):
        try:
            data = parse_json(text, file)
        except PlanError:
            if file.lower().endswith(".json"):
                raise
        else:
            _check_top_level(data, file)
            assert isinstance(data, dict)
            tasks = list(raw_tasks(data))
            return RawPlan(data, PlanSource(file, text, json_task_marks(text, tasks)), path, tasks)
    document = parse_yaml(text, file)
    data = document.data
    _check_top_level(data, file)
    assert isinstance(data, dict)
    tasks = list(raw_tasks(data))
    marks = {path: document.mark_of(task) for path, task in tasks}
    return RawPlan(data, PlanSource(file, text, marks), path, tasks)


def read_template_file(path: Path) -> RawPlan:
    """Read and parse a template from disk."""
    name = display_path(path)
    return parse_plan(read_plan_text(path, name), name, path)


_KINDS = {
    str: n_("a single text"),
    int: n_("a single number"),
    float: n_("a single number"),
    bool: n_("a single true or false"),
}
_A_VALUE = n_("a single value")


def _check_top_level(data: object, file: str) -> None:
    where = SourceLocation(file, 1, 1)
    if data is None:
        raise PlanError(
            [
                Diagnostic(
                    "empty-plan", _("the file is empty: a plan needs plan, start and tasks"), where
                )
            ]
        )
    if not isinstance(data, dict):
        # The value is not quoted: the file may be anything (a key, a password file).
        kind = _("a list") if isinstance(data, list) else _(_KINDS.get(type(data), _A_VALUE))
        raise PlanError(
            [
                Diagnostic(
                    "not-a-plan",
                    _(
                        "a plan is a mapping with the keys plan, start and tasks; "
                        "this file holds {kind}"
                    ).format(kind=kind),
                    where,
                )
            ]
        )
