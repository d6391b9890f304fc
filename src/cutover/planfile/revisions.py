"""Plans read from git revisions: ``HEAD~1:plans/tuyenquang.yaml`` (for ``cutover diff``).

A plan at a revision is read with ``git cat-file blob COMMIT:PATH``, and so are the
templates it extends, at the same revision. A revision is data, never an option: it is
first verified as a commit (``git rev-parse --verify --end-of-options REV^{commit}``) and
git is then given the commit's hash. The bytes are decoded as a plan file on disk is.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.planfile.loader import LoadedPlan, load_plan, load_plan_text, parse_plan
from cutover.planfile.source import decode_plan_bytes

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
    root = _git(["rev-parse", "--show-toplevel"], spec).decode("utf-8", "replace").strip()
    commit = _commit(revision, spec)
    text = _show(commit, path, spec, revision)
    plan_path = Path(root) / path

    def read_template(template: Path) -> RawPlan:
        try:
            relative = template.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:  # pragma: no cover - merge_templates confines extends first
            message = f"{template} is outside the git repository {root}"
            raise PlanError([Diagnostic("unreadable", message, SourceLocation(spec))]) from None
        name = f"{revision}:{relative}"
        return parse_plan(_show(commit, relative, name, revision), name, template)

    return load_plan_text(text, spec, path=plan_path, read_template=read_template)


def _commit(revision: str, name: str) -> str:
    """The hash of the commit ``revision`` names; an error for anything else (an option)."""
    found = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        name,
        why=f"there is no commit {revision} in this repository",
    )
    return found.decode("ascii", "replace").strip()


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


def _show(commit: str, path: str, name: str, revision: str) -> str:
    """The file at ``path`` in ``commit``; messages name ``revision`` as the user wrote it."""
    try:
        data = _git(["cat-file", "blob", "--end-of-options", f"{commit}:{path}"], name)
    except PlanError as error:
        raise PlanError(
            [replace(d, message=d.message.replace(commit, revision)) for d in error.diagnostics]
        ) from None
    return decode_plan_bytes(data, name)


def _git(arguments: list[str], name: str, *, why: str | None = None) -> bytes:
    """What git prints; a located error (``why``, or git's last line) when it fails."""
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
        lines = result.stderr.decode(errors="replace").strip().splitlines()
        message = why or (_plain(lines[-1]) if lines else "git could not read it")
        raise PlanError(
            [
                Diagnostic(
                    "unreadable", f"cannot read {name} from git: {message}", SourceLocation(name)
                )
            ]
        )
    return result.stdout
