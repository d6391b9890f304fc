"""Plans read from git revisions: ``HEAD~1:plans/tuyenquang.yaml`` (for ``cutover diff``).

A plan at a revision is read with ``git show REV:PATH``, and so are the templates it
extends, at the same revision.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.planfile.loader import LoadedPlan, load_plan, load_plan_text, parse_plan

if TYPE_CHECKING:
    from cutover.planfile.templates import RawPlan


def is_revision(spec: str) -> bool:
    """True for ``REV:PATH`` (and not for a file that exists under that name)."""
    return ":" in spec and not Path(spec).exists() and not spec.startswith(("/", "./"))


def load_spec(spec: str) -> LoadedPlan:
    """Load a plan from a file, or from ``REV:PATH`` in the git repository here."""
    if not is_revision(spec):
        return load_plan(spec)
    revision, _, path = spec.partition(":")
    root = _git(["rev-parse", "--show-toplevel"], spec).strip()
    text = _show(revision, path, spec)
    plan_path = Path(root) / path

    def read_template(template: Path) -> RawPlan:
        relative = template.resolve().relative_to(Path(root).resolve()).as_posix()
        name = f"{revision}:{relative}"
        return parse_plan(_show(revision, relative, name), name, template)

    return load_plan_text(text, spec, path=plan_path, read_template=read_template)


def _show(revision: str, path: str, name: str) -> str:
    return _git(["show", f"{revision}:{path}"], name)


#: git's words for what is missing, and ours.
_GIT_SAYS = (
    (re.compile(r"invalid object name '(.*)'\.?$"), "there is no revision {0} in this repository"),
    (re.compile(r"path '(.*)' does not exist in '(.*)'$"), "there is no file {0} at {1}"),
    (re.compile(r"path '(.*)' exists on disk, but not in '(.*)'$"), "{0} is not in git at {1}"),
    (re.compile(r"not a git repository"), "this folder is not in a git repository"),
)


def _plain(said: str) -> str:
    """The last line git complained with, in a planner's words where we know them."""
    said = said.removeprefix("fatal: ")
    for pattern, plain in _GIT_SAYS:
        if found := pattern.search(said):
            return plain.format(*found.groups())
    return said


def _git(arguments: list[str], name: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments are data
            ["git", *arguments],  # noqa: S607 - git from PATH, as the user runs it
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise PlanError(
            [Diagnostic("unreadable", f"cannot run git: {exc.strerror}", SourceLocation(name))]
        ) from None
    if result.returncode != 0:
        why = result.stderr.decode(errors="replace").strip().splitlines()
        message = _plain(why[-1]) if why else "git could not read it"
        raise PlanError(
            [
                Diagnostic(
                    "unreadable", f"cannot read {name} from git: {message}", SourceLocation(name)
                )
            ]
        )
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(
            [Diagnostic("not-text", f"{name} is not UTF-8 text", SourceLocation(name))]
        ) from None
