"""Go/no-go gates and standby branches: checking them, and what a recorded decision means.

A gate is a milestone with ``gate:`` (who decides, on what, which standby ``branch`` rolls
back and by when). A branch is a summary (or task) with ``branch:``: it is not scheduled
until a gate that names it decides no-go. Recording a decision (``decision``,
``decided_by``, ``decided_at``) reaches the gate; a no-go also starts its rollback branch
no earlier than the decision and cancels the forward work that waits for the gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cutover.common.errors import Diagnostic, DocPath
from cutover.common.i18n import _
from cutover.planfile.model_errors import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cutover.planfile.model import Plan, Task
    from cutover.planfile.source import Locator

_DECISION_KEYS = ("decided_by", "decided_at")


def has_runbook(tasks: list[tuple[DocPath, dict[str, Any]]]) -> bool:
    """True when any task of a raw plan has a gate, a branch or a decision."""
    return any("gate" in task or "branch" in task or "decision" in task for _, task in tasks)


def _walk(tasks: tuple[Task, ...], base: DocPath = ("tasks",)) -> Iterator[tuple[DocPath, Task]]:
    for index, task in enumerate(tasks):
        path = (*base, index)
        yield path, task
        if task.tasks:
            yield from _walk(task.tasks, (*path, "tasks"))


def _ids_below(task: Task) -> set[str]:
    return {task.id} | {sub.id for _, sub in _walk(task.tasks or ())}


class _Problems:
    """Collects located diagnostics."""

    def __init__(self, source: Locator) -> None:
        self.source = source
        self.found: list[Diagnostic] = []

    def add(self, code: str, message: str, path: DocPath) -> None:
        self.found.append(Diagnostic(code, message, self.source.locate(path)))


def check_runbook(plan: Plan, source: Locator) -> list[Diagnostic]:
    """Located problems of a plan's gates, branches and decisions (none when they agree)."""
    problems = _Problems(source)
    everything = list(_walk(plan.tasks))
    by_id = {task.id: task for _, task in everything}
    branches = sorted(task.id for _, task in everything if task.branch is not None)
    inside: dict[str, str] = {}
    for branch_id in branches:
        for task_id in _ids_below(by_id[branch_id]):
            inside.setdefault(task_id, branch_id)
    for path, task in everything:
        if task.gate is not None:
            _check_gate(path, task, branches, problems)
        _check_decision(path, task, problems)
        for link, _type, _lag in task.links:
            target_branch = inside.get(link)
            if target_branch is not None and inside.get(task.id) != target_branch:
                problems.add(
                    "waits-for-branch",
                    _(
                        "'{task}' waits for '{link}' of the standby branch '{branch}', which "
                        "runs only after a no-go: forward work cannot wait for it"
                    ).format(task=task.id, link=link, branch=target_branch),
                    (*path, "after"),
                )
    return problems.found


def _check_gate(path: DocPath, task: Task, branches: list[str], problems: _Problems) -> None:
    assert task.gate is not None
    if not task.milestone:
        problems.add(
            "gate-not-milestone",
            _("'{task}' has a gate: make it a milestone").format(task=task.id),
            path,
        )
    rollback = task.gate.rollback
    if rollback is not None and rollback not in branches:
        problems.add(
            "unknown-rollback",
            _(
                "gate '{task}' rolls back with '{rollback}', which is not a task marked with "
                "branch:{hint}"
            ).format(task=task.id, rollback=rollback, hint=did_you_mean(rollback, branches)),
            (*path, "gate", "rollback"),
        )
    if task.gate.rollback_by is not None and rollback is None:
        problems.add(
            "rollback-by-without-rollback",
            _("gate '{task}' has rollback_by but no rollback branch").format(task=task.id),
            (*path, "gate", "rollback_by"),
        )


def _check_decision(path: DocPath, task: Task, problems: _Problems) -> None:
    recorded = task.decision is not None or any(getattr(task, k) for k in _DECISION_KEYS)
    if recorded and task.gate is None:
        problems.add(
            "decision-without-gate",
            _("'{task}' records a decision but has no gate").format(task=task.id),
            path,
        )
    elif task.decision is not None and task.decided_at is None:
        problems.add(
            "decision-without-time",
            _("the decision on '{task}' needs decided_at").format(task=task.id),
            path,
        )
    elif task.decision is None and recorded:
        problems.add(
            "decision-missing",
            _("'{task}' has decided_by/decided_at but no decision").format(task=task.id),
            path,
        )


def standby_ids(plan: Plan) -> frozenset[str]:
    """Ids of the tasks in branches that no gate has sent into action (not scheduled)."""
    everything = list(_walk(plan.tasks))
    if not any(task.branch is not None for _, task in everything):
        return frozenset()
    active = {
        task.gate.rollback
        for _, task in everything
        if task.gate is not None and task.decision == "no-go" and task.gate.rollback
    }
    standby: set[str] = set()
    for _path, task in everything:
        if task.branch is not None and task.id not in active:
            standby |= _ids_below(task)
    return frozenset(standby)


def apply_decisions(plan: Plan) -> Plan:
    """The plan as its recorded decisions make it: gates reached, no-go branches under way.

    A decided gate is done at ``decided_at``. After a no-go, its rollback branch starts no
    earlier than the decision, and the forward tasks that wait for the gate (directly, via
    other tasks, or as sub-tasks of a summary that does) and have not started are cancelled.
    """
    everything = list(_walk(plan.tasks))
    decided = {task.id: task for _, task in everything if task.decision is not None}
    if not decided:
        return plan
    updates: dict[str, dict[str, Any]] = {}
    for gate in decided.values():
        if gate.status != "done":
            updates[gate.id] = {"status": "done", "actual_finish": gate.decided_at}
        if gate.decision == "no-go" and gate.gate is not None and gate.gate.rollback:
            rollback = gate.gate.rollback
            branch = next(task for _, task in everything if task.id == rollback)
            start = gate.decided_at
            if branch.not_before is not None and start is not None:
                start = max(branch.not_before, start, key=_instant)
            updates.setdefault(rollback, {})["not_before"] = start
            for task_id in _waiting_for(gate.id, everything, _ids_below(branch)):
                task = next(task for _, task in everything if task.id == task_id)
                if task.status == "not_started" and not task.tasks:
                    updates.setdefault(task_id, {})["status"] = "cancelled"
    return plan.model_copy(update={"tasks": _rebuilt(plan.tasks, updates)})


def _instant(value: object) -> tuple[int, ...]:
    from datetime import date, datetime  # noqa: PLC0415 - only for decided plans

    if isinstance(value, datetime):
        return (value.year, value.month, value.day, value.hour, value.minute)
    assert isinstance(value, date)
    return (value.year, value.month, value.day, 0, 0)


def _waiting_for(
    gate_id: str, everything: list[tuple[DocPath, Task]], excluded: set[str]
) -> set[str]:
    """Every task that waits for ``gate_id``, through links and summaries, outside a branch."""
    children: dict[str, list[str]] = {}
    waiters: dict[str, list[str]] = {}
    for _path, task in everything:
        for sub in task.tasks or ():
            children.setdefault(task.id, []).append(sub.id)
        for link, _type, _lag in task.links:
            waiters.setdefault(link, []).append(task.id)
    found: set[str] = set()
    pending = list(waiters.get(gate_id, ()))
    while pending:
        task_id = pending.pop()
        if task_id in found or task_id in excluded:
            continue
        found.add(task_id)
        pending.extend(waiters.get(task_id, ()))
        pending.extend(children.get(task_id, ()))
    return found


def _rebuilt(tasks: tuple[Task, ...], updates: dict[str, dict[str, Any]]) -> tuple[Task, ...]:
    out = []
    for task in tasks:
        change = dict(updates.get(task.id, {}))
        if task.tasks:
            change["tasks"] = _rebuilt(task.tasks, updates)
        out.append(task.model_copy(update=change) if change else task)
    return tuple(out)
