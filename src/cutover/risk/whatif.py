"""What if a task takes longer, or is done now? The plan re-scheduled with those changes.

``apply(loaded, delays=..., done=..., as_of=...)`` changes a copy of the plan (never the
file), runs the normal pipeline on the plan as it stands and on the changed one, and
reports what moved, which deadlines now break, which findings appeared or went away,
and the new finish.

A delay adds working time to a task: to its duration if it has not started, to its
remaining work if it is in progress (what is done stays done). ``done`` marks a task
(or every open task inside a summary) done at the status date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.common.errors import UsageError
from cutover.common.i18n import _
from cutover.findings.checks import DEFAULT_RISK_THRESHOLD
from cutover.findings.pipeline import Analysis, analyse_loaded
from cutover.planfile.model_errors import did_you_mean
from cutover.worktime.durations import Duration, DurationError, format_minutes, parse_duration

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime

    from cutover.findings.checks import Finding
    from cutover.planfile.loader import LoadedPlan
    from cutover.planfile.model import Task


@dataclass(frozen=True, slots=True)
class Move:
    """A task whose dates moved; ``*_moved`` in working minutes of its (slack) calendar."""

    task: str
    start_before: int
    start_after: int
    finish_before: int
    finish_after: int
    start_moved: int
    finish_moved: int
    day_minutes: int


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    """A task with a deadline whose forecast finish moved."""

    task: str
    deadline: int
    finish_before: int
    finish_after: int

    @property
    def met_before(self) -> bool:
        """The deadline was met as the plan stands."""
        return self.finish_before <= self.deadline

    @property
    def met_after(self) -> bool:
        """The deadline is met with the changes."""
        return self.finish_after <= self.deadline

    @property
    def breaks(self) -> bool:
        """Met as the plan stands, missed with the changes."""
        return self.met_before and not self.met_after


@dataclass(frozen=True, eq=False)
class WhatIf:
    """The plan as it stands and with the changes, and what differs between them."""

    before: Analysis
    after: Analysis
    #: How each change reads: ``build +2d``, ``design done``.
    changes: tuple[str, ...]
    moved: tuple[Move, ...]
    deadlines: tuple[DeadlineChange, ...]
    appeared: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    #: The plan's finish moved by this much working time of the default calendar.
    finish_moved: int


def parse_delay(text: str) -> tuple[str, Duration]:
    """``TASK=2d`` as the task id and its delay; anything else is a usage error."""
    task, sep, amount = text.partition("=")
    if not sep or not task.strip() or not amount.strip():
        raise UsageError(
            _("--delay expects TASK=DURATION, such as build=2d, got {text}").format(text=repr(text))
        )
    try:
        return task.strip(), parse_duration(amount.strip())
    except DurationError as exc:
        raise UsageError(_("--delay {text}: {exc}").format(text=text, exc=exc)) from None


def apply(
    loaded: LoadedPlan,
    *,
    delays: Sequence[tuple[str, Duration]] = (),
    done: Sequence[str] = (),
    as_of: date | datetime | None = None,
    now: datetime | None = None,
    risk_threshold: Duration = DEFAULT_RISK_THRESHOLD,
) -> WhatIf:
    """Schedule the plan as it stands and with the changes; compare the two."""
    if not delays and not done:
        raise UsageError(_("nothing to change: give --delay TASK=DURATION or --done TASK"))
    before = analyse_loaded(loaded, now=now, as_of=as_of, risk_threshold=risk_threshold)
    updates, changes = _Updates(before).build(delays, done)
    plan = loaded.plan.model_copy(update={"tasks": _rewrite(loaded.plan.tasks, updates)})
    after = analyse_loaded(
        loaded._replace(plan=plan), now=now, as_of=as_of, risk_threshold=risk_threshold
    )
    return _compare(before, after, tuple(changes))


class _Updates:
    """The field changes per task id that the requested delays and completions make."""

    def __init__(self, before: Analysis) -> None:
        self.graph, self.as_of = before.graph, before.schedule.as_of
        self.updates: dict[str, dict[str, object]] = {}

    def build(
        self, delays: Sequence[tuple[str, Duration]], done: Sequence[str]
    ) -> tuple[dict[str, dict[str, object]], list[str]]:
        changes: list[str] = []
        extra: dict[int, int] = {}
        for task_id, delay in delays:
            node = self._node(task_id)
            calendar = self.graph.calendar[node]
            self._delayable(node)
            extra[node] = extra.get(node, 0) + delay.in_minutes(
                calendar.day_minutes, calendar.week_minutes
            )
            changes.append(f"{task_id} {'' if delay.text.startswith('-') else '+'}{delay.text}")
        for node, minutes in extra.items():
            self._delay(node, minutes)
        for task_id in done:
            node = self._node(task_id)
            self._done(node, delayed=set(extra))
            changes.append(_("{task} done").format(task=task_id))
        return self.updates, changes

    def _node(self, task_id: str) -> int:
        node = self.graph.index.get(task_id)
        if node is None:
            raise UsageError(
                _("unknown task '{task_id}'{did_you_mean}").format(
                    task_id=task_id, did_you_mean=did_you_mean(task_id, list(self.graph.index))
                )
            )
        return node

    def _delayable(self, node: int) -> None:
        graph, task = self.graph, self.graph.task(node)
        problem = None
        if graph.is_summary[node]:
            problem = "is a summary: delay one of its tasks"
        elif task.status in {"done", "cancelled"}:
            problem = f"is {task.status}: a delay cannot move it"
        elif graph.is_instant[node]:
            problem = "is a milestone and takes no time: delay a task before it"
        if problem is not None:
            raise UsageError(_("task '{id}' {problem}").format(id=task.id, problem=problem))

    def _delay(self, node: int, minutes: int) -> None:
        """Add working time to the duration, or to the remaining work of a task in progress."""
        graph, task = self.graph, self.graph.task(node)
        duration = graph.duration[node]
        total = duration + minutes
        update: dict[str, object] = {"estimate": None}
        if task.status == "in_progress" and self.as_of is not None:
            remaining = round(duration * (1.0 - (task.progress or 0.0)))
            worked = duration - remaining  # what is done stays done: only the rest grows
            if remaining + minutes <= 0:
                raise UsageError(
                    _("task '{id}' has only {remaining} minutes left to shorten").format(
                        id=task.id, remaining=remaining
                    )
                )
            update["progress"] = worked / total
        elif total <= 0:
            raise UsageError(_("task '{id}' would take no time at all").format(id=task.id))
        day = graph.calendar[node].day_minutes
        update["duration"] = Duration(minutes=float(total), text=format_minutes(total, day))
        self.updates[task.id] = update

    def _done(self, node: int, delayed: set[int]) -> None:
        graph = self.graph
        if self.as_of is None:
            raise UsageError(_("--done needs a status date: give --as-of or an as_of in the plan"))
        leaves = [
            leaf for leaf in graph.leaves(node) if graph.status[leaf] not in {"done", "cancelled"}
        ]
        if not leaves:
            raise UsageError(
                _("task '{id}' is already {status}").format(
                    id=graph.task(node).id, status=graph.status[node]
                )
            )
        for leaf in leaves:
            if leaf in delayed:
                raise UsageError(
                    _("task '{id}' cannot be both delayed and done").format(id=graph.task(leaf).id)
                )
            self.updates[graph.task(leaf).id] = {
                "status": "done",
                "actual_finish": graph.timebase.naive(self.as_of),
            }


def _rewrite(tasks: tuple[Task, ...], updates: dict[str, dict[str, object]]) -> tuple[Task, ...]:
    """The task tree with the updates applied; untouched tasks are the same objects."""
    out: list[Task] = []
    for task in tasks:
        changed = dict(updates.get(task.id, {}))
        if task.tasks is not None:
            kids = _rewrite(task.tasks, updates)
            if any(new is not old for new, old in zip(kids, task.tasks, strict=True)):
                changed["tasks"] = kids
        out.append(task.model_copy(update=changed) if changed else task)
    return tuple(out)


def _compare(before: Analysis, after: Analysis, changes: tuple[str, ...]) -> WhatIf:
    graph = before.graph
    early, later = before.schedule.early, after.schedule.early
    moved: list[Move] = []
    deadlines: list[DeadlineChange] = []
    for node in range(len(graph)):
        starts, finishes = (
            (early.start[node], later.start[node]),
            (early.finish[node], later.finish[node]),
        )
        if starts[0] == starts[1] and finishes[0] == finishes[1]:
            continue
        calendar = early.slack_calendar[node]
        moved.append(
            Move(
                graph.task(node).id, *starts, *finishes,
                start_moved=calendar.position(starts[1]) - calendar.position(starts[0]),
                finish_moved=calendar.position(finishes[1]) - calendar.position(finishes[0]),
                day_minutes=calendar.day_minutes,
            )
        )  # fmt: skip
        deadline = graph.deadline[node]
        if deadline is not None and finishes[0] != finishes[1]:
            deadlines.append(DeadlineChange(graph.task(node).id, deadline, *finishes))
    keys_before = {(f.code, f.task) for f in before.findings}
    keys_after = {(f.code, f.task) for f in after.findings}
    default = graph.calendars["default"]
    return WhatIf(
        before=before,
        after=after,
        changes=changes,
        moved=tuple(moved),
        deadlines=tuple(deadlines),
        appeared=tuple(f for f in after.findings if (f.code, f.task) not in keys_before),
        resolved=tuple(f for f in before.findings if (f.code, f.task) not in keys_after),
        finish_moved=default.position(after.schedule.finish)
        - default.position(before.schedule.finish),
    )
