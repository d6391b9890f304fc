"""Plans that adapt a template: ``extends: templates/national-2025.yaml``.

The national steering committee issues one standard cutover; each province adapts it. A
plan that ``extends`` a template (a path relative to the plan; templates may extend
templates) starts from the template's plan and:

- overrides top-level keys (``plan``, ``start``, ``as_of``, ...) and calendar keys;
- overrides any key of a template task by writing an entry with its ``id``; an override
  of a summary may list ``tasks`` in turn, which override or add inside that summary;
- adds tasks: an entry with a new id is placed after the entry written before it (or at
  the end); a new task must be complete (a duration, ``milestone: true``, an estimate or
  sub-tasks), so a misspelt id is an error with "did you mean", not a silent addition;
- drops tasks with ``remove: [ids]`` (with their sub-tasks, and the links to them).

The merge works on the raw documents, before validation, and remembers where each piece
was written: every error of the merged plan names the file and line it lives in, the
template's or the plan's.

A plan may come from a pull request, so what it can make cutover read is confined: the
template, once its links are resolved, must lie in the plan's git repository (outside git:
the plan's folder and below), never inside a ``.git`` folder, or in a folder the user allowed
(``allow_extends_from``, the command line's ``--allow-extends-from``). A file read that is
not a plan is named and said not to be one; its content is never quoted.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cutover.common.errors import Diagnostic, DocPath, PlanError, SourceLocation
from cutover.common.i18n import _
from cutover.planfile.model_errors import did_you_mean
from cutover.planfile.source import Locator, MergedSource, Origin

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Keys of an extending plan that steer the merge and are not copied into the result.
MERGE_KEYS = ("extends", "remove")
#: How deep templates may extend templates.
MAX_CHAIN = 16
_COMPLETE = ("duration", "milestone", "estimate", "tasks")
#: Folders besides the plan's repository that templates may be read from (resolved).
_ALLOWED: ContextVar[tuple[Path, ...]] = ContextVar("extends_allowed_from", default=())
#: The keys a template may have at its top level (Plan's fields; kept in step by a test).
PLAN_KEYS = frozenset(
    (
        "plan", "timezone", "start", "as_of", "go_live", "calendars", "require", "extends",
        "remove", "tasks", "resources", "level", "language",
    )
)  # fmt: skip


def allow_extends_from(folders: Iterable[Path]) -> None:
    """Let ``extends`` read templates from these folders too (and below), after links."""
    _ALLOWED.set(tuple(Path(folder).resolve() for folder in folders))


def confinement_root(plan: Path | None) -> Path:
    """Where a plan's templates must lie: its git repository, or else its own folder."""
    folder = (plan.parent if plan is not None else Path()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _inside(target: Path, folder: Path) -> bool:
    try:
        relative = target.relative_to(folder)
    except ValueError:
        return False
    return ".git" not in relative.parts


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a message: at most ``limit`` characters, on one line."""
    flat = text.encode("unicode_escape").decode("ascii")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class RawPlan(NamedTuple):
    """A parsed plan document, where it was written, and the path to find its template.

    ``tasks`` are its task mappings in file order (``tasktree.raw_tasks``) when they have
    been walked already, so that the cross-checks need not walk 100,000 tasks again.
    """

    data: dict[str, Any]
    source: Locator
    path: Path | None
    tasks: list[tuple[DocPath, dict[str, Any]]] | None = None


def merge_templates(
    raw: RawPlan,
    read: Callable[[Path], RawPlan],
    chain: tuple[Path, ...] = (),
    *,
    root: Path | None = None,
) -> RawPlan:
    """The plan with every template it extends merged in; a plan without ``extends`` as is.

    ``root`` is the folder templates must lie in (by default ``confinement_root`` of the
    first plan); templates of templates stay in the same one.
    """
    reference = raw.data.get("extends")
    if reference is None:
        return raw
    where = raw.source.locate(("extends",))
    if not isinstance(reference, str) or not reference.strip():
        raise PlanError(
            [Diagnostic("bad-extends", _("extends takes the path of a template plan"), where)]
        )
    if root is None:
        root = confinement_root(raw.path)
    base = raw.path.parent if raw.path is not None else Path()
    try:
        target = (base / reference).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a loop of links ...
        message = _("extends names a path that cannot be opened: {why}").format(why=exc)
        raise PlanError([Diagnostic("bad-extends", message, where)]) from None
    if not any(_inside(target, folder) for folder in (root, *_ALLOWED.get())):
        message = _(
            "extends names '{reference}', which is outside {root}: a template must "
            "be in the plan's git repository (outside git, the plan's folder), and not in .git"
            "; to allow another folder, use cutover --allow-extends-from DIR"
        ).format(reference=shorten(reference), root=root)
        raise PlanError([Diagnostic("extends-outside", message, where)])
    here = raw.path.resolve() if raw.path is not None else None
    seen = (*chain, *([here] if here is not None else []))
    if target in seen:
        names = " → ".join(path.name for path in (*seen, target))
        raise PlanError(
            [
                Diagnostic(
                    "extends-cycle",
                    _("templates extend each other in a cycle: {names}").format(names=names),
                    where,
                )
            ]
        )
    if len(seen) >= MAX_CHAIN:
        message = _(
            "too many levels of templates: a plan may extend at most {count} in a row"
        ).format(count=MAX_CHAIN)
        raise PlanError([Diagnostic("extends-too-deep", message, where)])
    template = _read_template(read, target, reference, where)
    template = merge_templates(template, read, seen, root=root)
    return _Merger(template, raw).merge()


def _read_template(
    read: Callable[[Path], RawPlan], target: Path, reference: str, where: SourceLocation
) -> RawPlan:
    """The template, or an error that names the file and says why it is not a plan.

    A file that is not a plan may be anything (a key, a password file), so no message
    quotes it: a syntax error points at its line only.
    """
    try:
        template = read(target)
    except PlanError as error:
        if any(d.code == "unreadable" for d in error.diagnostics):
            message = _("cannot read the template {template}: {why}").format(
                template=reference, why=error.diagnostics[0].message
            )
            raise PlanError([Diagnostic("bad-extends", message, where)]) from None
        raise PlanError(
            [
                Diagnostic(
                    "not-a-plan",
                    "this template cannot be read as a plan (YAML or JSON) here; "
                    "run cutover check on it to see why",
                    d.location,
                )
                for d in error.diagnostics
            ]
        ) from None
    strange = [key for key in template.data if key not in PLAN_KEYS]
    if strange:
        raise PlanError(
            [
                Diagnostic(
                    "not-a-plan", _strange_key(key), template.source.locate((key,), at_key=True)
                )
                for key in strange
            ]
        )
    return template


def _strange_key(key: object) -> str:
    """Why a template's key is wrong; the key is named only when it is a misspelt plan key.

    Any other key may be content of a file that is no plan (a password file's account, a
    configuration's token), so it is pointed at, not quoted.
    """
    if isinstance(key, str) and len(key) <= 20 and key.isidentifier():
        hint = did_you_mean(key, sorted(PLAN_KEYS))
        if hint:
            return _("this template has the key '{key}', which no plan has{hint}").format(
                key=key, hint=hint
            )
    return _(
        "this template has a key that no plan has (a plan has plan, start, tasks ...): "
        "is it a plan?"
    )


class _Merger:
    """Merges one plan into its (already merged) template, keeping every piece's origin."""

    def __init__(self, template: RawPlan, child: RawPlan) -> None:
        self.template = template
        self.child = child
        self.problems: list[Diagnostic] = []
        self.task_origin: dict[int, Origin] = {}
        self.key_origin: dict[tuple[int, str], Origin] = {}
        self.index: dict[str, tuple[dict[str, Any], list[Any]]] = {}

    def merge(self) -> RawPlan:
        """The merged document and a source that points each piece into its own file."""
        template, child = self.template, self.child
        data: dict[str, Any] = {}
        top: dict[DocPath, Origin] = {}
        for key, value in template.data.items():
            if key not in MERGE_KEYS:
                data[key], top[(key,)] = value, (template.source, (key,))
        for key, value in child.data.items():
            if key not in ("tasks", "calendars", "remove"):
                data[key], top[(key,)] = value, (child.source, (key,))
        data["calendars"] = self._calendars(top)
        tasks = self._copy_tasks(template.data.get("tasks"), ("tasks",))
        self._remove(tasks)
        self._apply(child.data.get("tasks"), ("tasks",), tasks)
        data["tasks"] = tasks
        top[("tasks",)] = (
            (child.source, ("tasks",)) if "tasks" in child.data else (template.source, ("tasks",))
        )
        if self.problems:
            raise PlanError(self.problems)
        origins = {**top, **self._task_origins(tasks)}
        file = child.source.file
        return RawPlan(data, MergedSource(file, origins, child.source), child.path)

    # -- calendars ------------------------------------------------------------------------

    def _calendars(self, top: dict[DocPath, Origin]) -> dict[str, Any]:
        """Calendars merged by name, key by key."""
        merged: dict[str, Any] = {}
        for source, document in (
            (self.template.source, self.template.data),
            (self.child.source, self.child.data),
        ):
            calendars = document.get("calendars")
            if not isinstance(calendars, dict):
                continue
            for name, spec in calendars.items():
                if isinstance(spec, dict) and isinstance(merged.get(name), dict):
                    merged[name] = {**merged[name], **spec}
                    for key in spec:
                        top[("calendars", name, key)] = (source, ("calendars", name, key))
                else:
                    merged[name] = spec
                    top[("calendars", name)] = (source, ("calendars", name))
        return merged

    # -- tasks ------------------------------------------------------------------------------

    def _copy_tasks(self, tasks: object, path: DocPath) -> list[Any]:
        """A fresh copy of the template's task tree, each task knowing where it was written."""
        if not isinstance(tasks, list):
            return []
        copied: list[Any] = []
        for index, task in enumerate(tasks):
            if not isinstance(task, dict):
                copied.append(task)
                continue
            written = (*path, index)
            fresh = dict(task)
            self.task_origin[id(fresh)] = (self.template.source, written)
            for key in task:
                self.key_origin[(id(fresh), key)] = (self.template.source, (*written, key))
            if isinstance(task.get("tasks"), list):
                fresh["tasks"] = self._copy_tasks(task["tasks"], (*written, "tasks"))
            copied.append(fresh)
            if isinstance(task.get("id"), str):
                self.index[task["id"]] = (fresh, copied)
        return copied

    def _remove(self, tasks: list[Any]) -> None:
        """Drop the tasks of ``remove``, their sub-tasks, and the links that point at them."""
        remove = self.child.data.get("remove")
        if remove is None:
            return
        if not isinstance(remove, list):
            where = self.child.source.locate(("remove",))
            self.problems.append(
                Diagnostic("bad-remove", _("remove takes a list of task ids"), where)
            )
            return
        gone: set[str] = set()
        for position, task_id in enumerate(remove):
            found = self.index.get(task_id) if isinstance(task_id, str) else None
            if found is None:
                hint = did_you_mean(str(task_id), sorted(self.index))
                where = self.child.source.locate(("remove", position))
                self.problems.append(
                    Diagnostic(
                        "unknown-task",
                        _("remove names '{id}', which the template does not have{hint}").format(
                            id=task_id, hint=hint
                        ),
                        where,
                    )
                )
                continue
            task, siblings = found
            siblings[:] = [item for item in siblings if item is not task]
            gone |= _ids_within(task)
        for task_id in gone:
            self.index.pop(task_id, None)
        _drop_links(tasks, gone)

    def _apply(self, entries: object, path: DocPath, target: list[Any]) -> None:
        """Overrides and additions of the plan's ``tasks`` list into ``target``."""
        if not isinstance(entries, list):
            return
        anchor: tuple[list[Any], dict[str, Any]] | None = None
        for index, entry in enumerate(entries):
            written = (*path, index)
            task_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not isinstance(task_id, str):
                self.problems.append(
                    Diagnostic(
                        "bad-override",
                        _("each task entry needs an id"),
                        self.child.source.locate(written),
                    )
                )
                continue
            found = self.index.get(task_id)
            if found is not None:
                anchor = self._override(found, entry, written)
            elif self._complete(entry, written, task_id):
                anchor = self._add(entry, written, anchor, target)

    def _override(
        self, found: tuple[dict[str, Any], list[Any]], entry: dict[str, Any], written: DocPath
    ) -> tuple[list[Any], dict[str, Any]]:
        task, siblings = found
        self.task_origin[id(task)] = (self.child.source, written)
        for key, value in entry.items():
            if key == "tasks" and isinstance(task.get("tasks"), list):
                self._apply(value, (*written, "tasks"), task["tasks"])
                continue
            task[key] = value
            self.key_origin[(id(task), key)] = (self.child.source, (*written, key))
        return siblings, task

    def _complete(self, entry: dict[str, Any], written: DocPath, task_id: str) -> bool:
        if any(key in entry for key in _COMPLETE):
            return True
        hint = did_you_mean(task_id, sorted(self.index))
        self.problems.append(
            Diagnostic(
                "unknown-task",
                _(
                    "'{id}' is not a task of the template{hint}; a new task needs a duration, "
                    "milestone: true or sub-tasks"
                ).format(id=task_id, hint=hint),
                self.child.source.locate((*written, "id")),
            )
        )
        return False

    def _add(
        self,
        entry: dict[str, Any],
        written: DocPath,
        anchor: tuple[list[Any], dict[str, Any]] | None,
        target: list[Any],
    ) -> tuple[list[Any], dict[str, Any]]:
        """Place a new task after the entry written before it, or at the end."""
        siblings = target
        position = len(target)
        if anchor is not None:
            siblings, previous = anchor
            position = next(i for i, item in enumerate(siblings) if item is previous) + 1
        siblings.insert(position, entry)
        self.task_origin[id(entry)] = (self.child.source, written)
        for task_id in _ids_within(entry):
            self.index.setdefault(task_id, (entry, siblings))
        return siblings, entry

    def _task_origins(self, tasks: list[Any]) -> dict[DocPath, Origin]:
        """Origins by path in the merged tree: each task, and each key the merge set."""
        origins: dict[DocPath, Origin] = {}
        pending: list[tuple[DocPath, list[Any]]] = [(("tasks",), tasks)]
        while pending:
            base, items = pending.pop()
            for index, task in enumerate(items):
                if not isinstance(task, dict):
                    continue
                path = (*base, index)
                if id(task) in self.task_origin:
                    origins[path] = self.task_origin[id(task)]
                for key in task:
                    origin = self.key_origin.get((id(task), key))
                    if origin is not None:
                        origins[(*path, key)] = origin
                if isinstance(task.get("tasks"), list):
                    pending.append(((*path, "tasks"), task["tasks"]))
        return origins


def _ids_within(task: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    pending = [task]
    while pending:
        current = pending.pop()
        if isinstance(current.get("id"), str):
            ids.add(current["id"])
        children = current.get("tasks")
        if isinstance(children, list):
            pending.extend(child for child in children if isinstance(child, dict))
    return ids


def _drop_links(tasks: list[Any], gone: set[str]) -> None:
    """Links to removed tasks go with them (as in MS Project when a task is deleted)."""
    pending = list(tasks)
    while pending:
        task = pending.pop()
        if not isinstance(task, dict):
            continue
        after = task.get("after")
        if isinstance(after, list):
            kept = [
                link
                for link in after
                if (link.get("task") if isinstance(link, dict) else link) not in gone
            ]
            if len(kept) != len(after):
                task["after"] = kept
        if isinstance(task.get("tasks"), list):
            pending.extend(task["tasks"])


def rebase_extends(document: dict[str, Any], written_in: Path, moved_to: Path) -> dict[str, Any]:
    """The document with its ``extends`` path rewritten for a copy in another folder.

    ``extends`` is relative to the plan file; a plan written elsewhere (``cutover convert
    -o``) must still find its template. An absolute path is kept as it is.
    """
    reference = document.get("extends")
    if not isinstance(reference, str) or Path(reference).is_absolute():
        return document
    template = (written_in / reference).resolve()
    moved = os.path.relpath(template, moved_to.resolve())
    return {**document, "extends": Path(moved).as_posix()}
