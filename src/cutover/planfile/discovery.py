"""Which files a command checks: plan files given, and the plans inside folders given."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cutover.common.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

_PLAN_KEYS = (re.compile(r"^plan\s*:", re.MULTILINE), re.compile(r"^tasks\s*:", re.MULTILINE))


def plan_files(paths: list[Path], *, skip_non_plans: bool = False) -> list[Path]:
    """Files as given; folders searched recursively for ``*.yaml`` and ``*.yml``, sorted.

    A folder named ``templates`` holds templates that plans extend, not plans of their
    own: it is left out of the search (name a template on the command line to check it).
    Hidden folders are left out too. With ``skip_non_plans``, YAML files in folders that
    lack the top-level keys ``plan`` and ``tasks`` (other configuration kept next to
    plans) are left out; files named on the command line are always checked. A link found
    in a folder that points outside it is left out: a pull request cannot make a check
    read the runner's files by committing a link.
    """
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
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
            raise UsageError(f"no plan files (*.yaml, *.yml) in the folder {path}")
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
    """True when the file has the top-level keys of a plan (or cannot be read: then say so)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return all(pattern.search(text) for pattern in _PLAN_KEYS)
