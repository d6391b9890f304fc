"""The "six clarities" lint: a clear person, task, time, responsibility, result, authority.

The steering committee's rule for the 2025 cutover, for every task.

A leaf task without an owner (clear person), a deliverable (clear result), an approver
(clear responsibility and authority) or a deadline (clear time) gets a warning with its
line; a plan's ``require: [owner, ...]`` makes the missing ones errors. The task itself is
its id and name. Owners and approvers may be given once on a summary for all of its
tasks; a deadline counts when the task has one, its summary has one, or a later task's
deadline depends on it. A resource that tasks allocate should have a name
(``unnamed-resource``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_
from cutover.findings.checks import ERROR, WARNING, Details, Finding

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.common.errors import SourceLocation
    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule

#: What each missing fact is called, in the finding's code and in its message.
CLARITIES = {
    "owner": ("missing-owner", n_("no owner: who does it? (clear person)")),
    "deliverable": (
        "missing-deliverable",
        n_("no deliverable: what does it yield? (clear result)"),
    ),
    "approver": (
        "missing-approver",
        n_("no approver: who signs it off? (clear responsibility and authority)"),
    ),
    "deadline": (
        "missing-deadline",
        n_(
            "no deadline, of its own, of its summary or of a later task that depends on it "
            "(clear time)"
        ),
    ),
}
LINT_CODES = tuple(code for code, _text in CLARITIES.values())


def lint_schedule(
    schedule: Schedule, require: tuple[str, ...] = (), *, only: tuple[str, ...] | None = None
) -> list[Finding]:
    """A finding per leaf task and missing clarity; those in ``require`` are errors.

    ``only`` limits the lint to some clarities (``check`` asks only for the required ones).
    """
    graph = schedule.graph
    inherited = _inherited(schedule)
    findings: list[Finding] = []
    for node in range(len(graph)):
        if graph.is_summary[node] or schedule.status[node] == "cancelled":
            continue
        for key, present in inherited[node].items():
            if present or (only is not None and key not in only):
                continue
            code, text = CLARITIES[key]
            findings.append(
                Finding(
                    code=code,
                    level=ERROR if key in require else WARNING,
                    task=graph.task(node).id,
                    # Worded when read: the plan's own language is known only after the lint.
                    details=_worded(text, graph.source.locate(graph.tasks[node].path)),
                )
            )
    if only is None and graph.plan.resources and graph.allocate:
        findings.extend(_unnamed_resources(graph))
    findings.sort(key=lambda finding: (finding.level != ERROR, graph.index[finding.task]))
    return findings


def _worded_resource(resource: str, location: SourceLocation) -> Callable[[], Details]:
    """unnamed-resource's sentence, worded when first read (as ``_worded``)."""
    return lambda: (
        _(
            "resource '{resource}' is allocated but has no name: which team or person is it? "
            "(clear person)"
        ).format(resource=resource),
        location,
        (),
    )


def _worded(text: str, location: SourceLocation) -> Callable[[], Details]:
    """The finding's sentence in the language spoken when it is first read."""
    return lambda: (_(text), location, ())


def _unnamed_resources(graph: TaskGraph) -> list[Finding]:
    """A warning at each allocated resource without a name: a team nobody can call.

    A task with an owner and no allocation is fine: allocating is for levelling.
    """
    first_user: dict[str, int] = {}
    for node, allocate in enumerate(graph.allocate):
        for name in allocate or {}:
            first_user.setdefault(name, node)
    return [
        Finding(
            code="unnamed-resource",
            level=WARNING,
            task=graph.task(first_user[resource.id]).id,
            details=_worded_resource(resource.id, graph.source.locate(("resources", index))),
        )
        for index, resource in enumerate(graph.plan.resources)
        if resource.name is None and resource.id in first_user
    ]


def _inherited(schedule: Schedule) -> list[dict[str, bool]]:
    """For each node, whether it has (or inherits) each clarity."""
    graph = schedule.graph
    facts: list[dict[str, bool]] = []
    downstream = _deadline_downstream(graph)
    for node, item in enumerate(graph.tasks):
        task = item.task
        above = facts[item.parent] if item.parent >= 0 else dict.fromkeys(CLARITIES, False)
        facts.append(
            {
                "owner": bool(task.owner) or above["owner"],
                "approver": bool(task.approver) or above["approver"],
                "deliverable": bool(task.deliverable),
                "deadline": task.deadline is not None
                or above["deadline"]
                # a later deadline depends on it (a summary's own would mix siblings)
                or (not graph.is_summary[node] and downstream[node]),
            }
        )
    return facts


def _deadline_downstream(graph: TaskGraph) -> list[bool]:
    """For each node, whether a deadline is on it or on a task that waits for it.

    The links of the plan decide, not its progress: the deadline backward pass stops at
    tasks already done, but a task that feeds a deadline has a clear time all the same.
    """
    reached = [minute is not None for minute in graph.deadline]
    for node in reversed(graph.order):  # successors and summaries before their tasks
        if not reached[node]:
            continue
        if graph.is_summary[node]:
            for kid in graph.children[node]:
                reached[kid] = True
        else:
            for edge in graph.preds[node]:
                reached[edge.pred] = True
    return reached
