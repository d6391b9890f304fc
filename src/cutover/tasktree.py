"""The tasks of a plan as one flat list in file order, each knowing its path and parent."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cutover.errors import DocPath
    from cutover.model import Plan, Task


class FlatTask(NamedTuple):
    """A task of the plan with its document path, its parent's index (-1 at the top) and depth."""

    task: Task
    path: DocPath
    parent: int
    depth: int


def flatten(plan: Plan) -> list[FlatTask]:
    """Every task of the plan, summaries before their sub-tasks, in the order of the file."""
    out: list[FlatTask] = []
    # Depth-first in file order without recursion: children are pushed in reverse.
    pending: list[tuple[Task, DocPath, int, int]] = [
        (task, ("tasks", index), -1, 0) for index, task in reversed(list(enumerate(plan.tasks)))
    ]
    while pending:
        task, path, parent, depth = pending.pop()
        me = len(out)
        out.append(FlatTask(task, path, parent, depth))
        if task.tasks:
            children = (*path, "tasks")
            pending.extend(
                (child, (*children, index), me, depth + 1)
                for index, child in reversed(list(enumerate(task.tasks)))
            )
    return out
