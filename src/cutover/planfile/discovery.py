"""Which files a command checks: plan files given, and the plans inside folders given."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from cutover.common.errors import UsageError
from cutover.common.i18n import _

if TYPE_CHECKING:
    from pathlib import Path


def _top_level(key: str, then: str = "") -> re.Pattern[str]:
    """A key at the start of a line (the top level of a block mapping), maybe quoted."""
    return re.compile(rf"""^(["']?){key}\1[ \t]*:{then}""", re.MULTILINE)


#: ``extends``: a plan that adapts a template, which may add no task of its own.
_EXTENDS = _top_level("extends")
#: ``tasks`` holding a list, inline or on the lines below (comments and blank lines
#: between). Taskfile.yml has a top-level ``tasks`` too, holding a mapping.
_TASK_LIST = _top_level(
    "tasks", r"[ \t]*(?:\[|(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*-)"
)
#: ``tasks`` and ``plan`` together: a plan, even with its tasks written wrong. ``plan``
#: alone is not enough: a CI file can have a job named plan.
_TASKS = _top_level("tasks")
_PLAN = _top_level("plan")
_YAML_SUFFIXES = (".yaml", ".yml")


def plan_files(paths: list[Path], *, skip_non_plans: bool = False) -> list[Path]:
    """Files as given; folders searched recursively for ``*.yaml`` and ``*.yml``, sorted.

    A folder named ``templates`` holds templates that plans extend, not plans of their
    own: it is left out of the search (name a template on the command line to check it).
    Hidden folders are left out too. With ``skip_non_plans``, YAML files that are not
    plans (see ``looks_like_plan``: other configuration kept next to plans, or any YAML
    file a pre-commit hook passes) are left out, in folders and on the command line alike.
    A link found in a folder that points outside it is left out: a pull request cannot
    make a check read the runner's files by committing a link.
    """
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            if not skip_non_plans or looks_like_plan(path):
                files.append(path)
            continue
        inside = path.resolve()
        found = sorted(
            candidate
            for pattern in ("*.yaml", "*.yml")
            for candidate in path.rglob(pattern)
            if candidate.is_file()
            and not _hidden(candidate.relative_to(path))
            and _within(candidate, inside)
        )
        if skip_non_plans:
            found = [candidate for candidate in found if looks_like_plan(candidate)]
        if not found:
            raise UsageError(
                _("no plan files (*.yaml, *.yml) in the folder {path}").format(path=path)
            )
        files.extend(found)
    return files


def _within(candidate: Path, folder: Path) -> bool:
    try:
        candidate.resolve().relative_to(folder)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "templates" for part in relative.parts[:-1]) or (
        relative.name.startswith(".")
    )


def looks_like_plan(path: Path) -> bool:
    """False for a file that is clearly no plan, True for every other.

    Clearly no plan: its top level is not a mapping with a key ``extends``, a list of
    ``tasks``, or ``tasks`` next to ``plan`` (a YAML list, a scalar, an empty file,
    ``retries: 3``, a ``.pre-commit-config.yaml``, a Taskfile.yml).

    Anything else is a plan, to be checked and reported on: a file that cannot be read
    (the check says so), a misspelt plan that still has its ``tasks``, a YAML flow mapping
    (``{...}``, told apart only by parsing it), and a JSON file with either key. This reads
    the text, never parses YAML: a hook may pass hundreds of files.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    if path.suffix.lower() not in _YAML_SUFFIXES:
        return _json_looks_like_plan(text)
    if _EXTENDS.search(text) or _TASK_LIST.search(text):
        return True
    if _TASKS.search(text) and _PLAN.search(text):
        return True
    for line in text.splitlines():
        content = line.strip()
        if content and not content.startswith(("#", "---", "%")):
            return content.startswith("{")
    return False


def _json_looks_like_plan(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return True  # not JSON: the check reports what it is
    if not isinstance(document, dict):
        return False
    # As for YAML: a list of tasks, or tasks or extends next to plan (tsconfig.json extends).
    return isinstance(document.get("tasks"), list) or (
        "plan" in document and bool({"tasks", "extends"} & document.keys())
    )
