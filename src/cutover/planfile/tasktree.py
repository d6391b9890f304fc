"""The tasks of a plan as one flat list in file order, each knowing its path and parent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from cutover.planfile.runbook import standby_ids

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cutover.common.errors import DocPath
    from cutover.planfile.model import Plan, Task


class FlatTask(NamedTuple):
    """A task of the plan with its document path, its parent's index (-1 at the top) and depth."""

    task: Task
    path: DocPath
    parent: int
    depth: int


def flatten(plan: Plan) -> list[FlatTask]:
    """Every task of the plan, summaries before their sub-tasks, in the order of the file.

    Tasks of a standby branch that no gate has sent into action are left out: they are not
    scheduled (their paths, and so the lines of the others, stay as in the file).
    """
    out, branched = _flatten(plan, frozenset())
    if branched:
        out, _ = _flatten(plan, standby_ids(plan))
    return out


def _flatten(plan: Plan, standby: frozenset[str]) -> tuple[list[FlatTask], bool]:
    """The tasks but ``standby``, and whether any task is a branch."""
    branched = False
    out: list[FlatTask] = []
    # Depth-first in file order without recursion: children are pushed in reverse.
    pending: list[tuple[Task, DocPath, int, int]] = [
        (task, ("tasks", index), -1, 0) for index, task in reversed(list(enumerate(plan.tasks)))
    ]
    while pending:
        task, path, parent, depth = pending.pop()
        if task.branch is not None:
            branched = True
            if task.id in standby:
                continue
        if standby and task.id in standby:
            continue
        me = len(out)
        out.append(FlatTask(task, path, parent, depth))
        if task.tasks:
            children = (*path, "tasks")
            pending.extend(
                (child, (*children, index), me, depth + 1)
                for index, child in reversed(list(enumerate(task.tasks)))
            )
    return out, branched


def raw_tasks(data: dict[str, Any]) -> Iterator[tuple[DocPath, dict[str, Any]]]:
    """Every task mapping of a raw (not yet validated) plan document with its path.

    In file order, as ``flatten`` gives the validated tasks: a summary, its sub-tasks, then
    the next task. Items that are not mappings are skipped (the model reports them).
    """
    top = data.get("tasks")
    if not isinstance(top, list):
        return
    # Depth-first without recursion: one iterator per open list of tasks.
    stack: list[tuple[DocPath, Iterator[tuple[int, object]]]] = [(("tasks",), enumerate(top))]
    while stack:
        base, items = stack[-1]
        for index, task in items:
            if isinstance(task, dict):
                path = (*base, index)
                yield path, task
                kids = task.get("tasks")
                if isinstance(kids, list) and kids:
                    stack.append(((*path, "tasks"), enumerate(kids)))
                    break  # its sub-tasks first; this list resumes after them
        else:
            stack.pop()
