"""Findings: what ``cutover check`` reports about a schedule, one small function per code.

PLAN_FORMAT fixes the codes and levels: ``missed-deadline`` and ``late`` are errors;
``finished-late``, ``at-risk``, ``late-start`` and ``overallocated`` (a resource booked
beyond its units) are warnings. A cancelled task raises
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_, ngettext
from cutover.common.text import display_message
from cutover.engine.schedule import driving_chain
from cutover.findings.wording import deadline_text, when, work_amount
from cutover.worktime.calendars import CalendarRangeError
from cutover.worktime.durations import Duration, format_minutes, parse_duration

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.common.errors import SourceLocation
    from cutover.engine.resourcing import Overload
    from cutover.engine.schedule import Schedule

ERROR = "error"
WARNING = "warning"
DEFAULT_RISK_THRESHOLD = parse_duration("1d")


#: What a finding says, where, and the chain of tasks behind it: (message, location, drivers).
Details = tuple[str, "SourceLocation", tuple[str, ...]]


class Finding:
    """One thing ``check`` reports: a code, a level, the task, one sentence and its line.

    ``minutes`` is the working time the finding is about (how late, how little margin);
    ``drivers`` the ids of the chain of tasks that sets this task's date, ending with it.

    A plan of 100,000 tasks can raise 30,000 findings of which the terminal shows fifty, so
    a check may pass ``details`` instead of the message, location and drivers: it is called
    once, when one of them is first read. Findings are immutable and compare by value.
    """

    __slots__ = ("_details", "_known", "code", "level", "minutes", "task")

    code: str
    level: str
    task: str
    minutes: int | None
    _details: Callable[[], Details] | None
    _known: Details | None

    def __init__(
        self,
        code: str,
        level: str,
        task: str,
        *,
        message: str = "",
        location: SourceLocation | None = None,
        minutes: int | None = None,
        drivers: tuple[str, ...] = (),
        details: Callable[[], Details] | None = None,
    ) -> None:
        """Give ``message`` and ``location`` (and ``drivers``), or ``details`` to compute them."""
        if details is None and location is None:
            raise TypeError("a finding needs a location, or details that give one")
        known = None if details is not None else (display_message(message), location, drivers)
        for name, value in (
            ("code", code), ("level", level), ("task", task), ("minutes", minutes),
            ("_details", details), ("_known", known),
        ):  # fmt: skip
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        """Findings are values: refuse changes."""
        raise AttributeError(f"a finding cannot be changed (tried to set {name})")

    def _resolved(self) -> Details:
        known = self._known
        if known is None:
            assert self._details is not None
            message, location, drivers = self._details()
            known = (display_message(message), location, drivers)
            object.__setattr__(self, "_known", known)
            object.__setattr__(self, "_details", None)
        return known

    @property
    def message(self) -> str:
        """One sentence saying what is wrong and by how much."""
        return self._resolved()[0]

    @property
    def location(self) -> SourceLocation:
        """Where the task is written: file, line and column."""
        return self._resolved()[1]

    @property
    def drivers(self) -> tuple[str, ...]:
        """The chain of task ids that sets this task's date, ending with it."""
        return self._resolved()[2]

    @property
    def is_error(self) -> bool:
        """True for findings that fail ``check`` (exit status 1)."""
        return self.level == ERROR

    def _key(self) -> tuple[object, ...]:
        return (self.code, self.level, self.task, self.minutes, *self._resolved())

    def __eq__(self, other: object) -> bool:
        """Equal when every field is."""
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        """Hash of every field, like the dataclass this was."""
        return hash(self._key())

    def __repr__(self) -> str:
        """All fields, as a dataclass shows them."""
        message, location, drivers = self._resolved()
        return (
            f"Finding(code={self.code!r}, level={self.level!r}, task={self.task!r}, "
            f"message={message!r}, location={location!r}, minutes={self.minutes!r}, "
            f"drivers={drivers!r})"
        )


@dataclass(frozen=True)
class _Context:
    schedule: Schedule
    risk_threshold: Duration


def run_checks(
    schedule: Schedule, risk_threshold: Duration = DEFAULT_RISK_THRESHOLD
) -> list[Finding]:
    """Every finding of a schedule: errors first, the worst first, then in file order."""
    context = _Context(schedule, risk_threshold)
    graph = schedule.graph
    findings: list[Finding] = []
    for candidates, check in CHECKS:
        for node in candidates(schedule):
            try:
                finding = check(context, node)
            except CalendarRangeError as error:  # a deadline past the calendar's years
                error.node = node
                raise
            if finding is not None:
                findings.append(finding)
    if graph.plan.resources:  # nothing to sweep in a plan without resources
        findings.extend(check_overallocated(context))
    index = graph.index
    findings.sort(
        key=lambda f: (not f.is_error, -(f.minutes or 0) if f.is_error else 0, index[f.task])
    )
    return findings


def _with_deadline(schedule: Schedule) -> list[int]:
    return [node for node, minute in enumerate(schedule.graph.deadline) if minute is not None]


def _behind(schedule: Schedule) -> list[int]:
    """Not started, and with negative total slack: the only ones that can start late."""
    status = schedule.status
    return [
        node
        for node, slack in enumerate(schedule.total_slack)
        if slack < 0 and status[node] == "not_started"
    ]


def _deadline(context: _Context, node: int) -> tuple[int, Callable[[], str]] | None:
    """The task's own deadline, and how it reads (worded when the message is, in its language)."""
    graph = context.schedule.graph
    minute = graph.deadline[node]
    if minute is None:
        return None
    written = graph.task(node).deadline
    return minute, lambda: deadline_text(
        graph.timebase, minute, end_of_day=not isinstance(written, datetime)
    )


def _finding(
    context: _Context,
    node: int,
    *,
    code: str,
    level: str,
    message: Callable[[], str],
    minutes: int | None,
) -> Finding:
    """A finding whose sentence, line and drivers are worked out when first read."""
    schedule = context.schedule
    graph = schedule.graph

    def details() -> Details:
        drivers = tuple(graph.task(step).id for step in driving_chain(schedule, node))
        return message(), graph.source.locate(graph.tasks[node].path), drivers

    return Finding(code, level, graph.task(node).id, minutes=minutes, details=details)


def _day_minutes(context: _Context, node: int) -> tuple[int, int]:
    calendar = context.schedule.early.slack_calendar[node]
    return calendar.day_minutes, calendar.week_minutes


def _working_gap(context: _Context, node: int, begin: int, end: int) -> int:
    """Working minutes from ``begin`` to ``end`` on the task's (slack) calendar."""
    calendar = context.schedule.early.slack_calendar[node]
    return calendar.position(end) - calendar.position(begin)


def _gap_text(context: _Context, node: int, begin: int, end: int) -> str:
    """How far apart two instants are: in working time, or in clock time when no work fits."""
    working = _working_gap(context, node, begin, end)
    if working:
        amount = work_amount(working, _day_minutes(context, node)[0])
        return _("{amount} of working time").format(amount=amount)
    return _("{amount} (outside working hours)").format(amount=format_minutes(end - begin, 1440))


def check_deadline(context: _Context, node: int) -> Finding | None:
    """A task's own deadline: ``finished-late``, ``missed-deadline``, ``late`` or ``at-risk``."""
    deadline = _deadline(context, node)
    status = context.schedule.status[node]
    if deadline is None or status == "cancelled":
        return None
    if status == "done":
        return _finished_late(context, node, *deadline)
    return _open_deadline(context, node, *deadline)


def _finished_late(
    context: _Context, node: int, minute: int, written: Callable[[], str]
) -> Finding | None:
    finish = context.schedule.early.finish[node]
    if finish <= minute:
        return None
    return _finding(
        context, node, code="finished-late", level=WARNING,
        message=lambda: _("finished {when}, {gap} after its deadline ({deadline})").format(
            when=when(context.schedule.graph.timebase, finish),
            gap=_gap_text(context, node, minute, finish),
            deadline=written(),
        ),
        minutes=_working_gap(context, node, minute, finish),
    )  # fmt: skip


def _open_deadline(
    context: _Context, node: int, minute: int, written: Callable[[], str]
) -> Finding | None:
    schedule = context.schedule
    timebase = schedule.graph.timebase
    finish = schedule.early.finish[node]
    if schedule.as_of is not None and minute < schedule.as_of:
        return _finding(
            context, node, code="missed-deadline", level=ERROR,
            message=lambda: _(
                "its deadline ({deadline}) has passed and it is not done; forecast finish {when}"
            ).format(deadline=written(), when=when(timebase, finish)),
            minutes=max(_working_gap(context, node, minute, max(finish, schedule.as_of)), 0),
        )  # fmt: skip
    if finish > minute:
        return _finding(
            context, node, code="late", level=ERROR,
            message=lambda: _(
                "forecast to finish {when}, {gap} after its deadline ({deadline})"
            ).format(
                when=when(timebase, finish),
                gap=_gap_text(context, node, minute, finish),
                deadline=written(),
            ),
            minutes=_working_gap(context, node, minute, finish),
        )  # fmt: skip
    margin = _working_gap(context, node, finish, minute)
    if margin >= context.risk_threshold.in_minutes(*_day_minutes(context, node)):
        return None
    day = _day_minutes(context, node)[0]

    def message() -> str:
        room = (
            _("only {amount} of working time before its deadline").format(
                amount=work_amount(margin, day)
            )
            if margin
            else _("with no working time to spare before its deadline")
        )
        return _(
            "forecast to finish {when}, {room} ({deadline}); the risk threshold is {threshold}"
        ).format(
            when=when(timebase, finish),
            room=room,
            deadline=written(),
            threshold=context.risk_threshold.text,
        )

    return _finding(
        context, node, code="at-risk", level=WARNING,
        message=message,
        minutes=margin,
    )  # fmt: skip


def check_late_start(context: _Context, node: int) -> Finding | None:
    """``late-start``: not started although its latest start is before the status date."""
    schedule = context.schedule
    graph = schedule.graph
    if graph.is_summary[node] or schedule.status[node] != "not_started" or schedule.as_of is None:
        return None
    if schedule.total_slack[node] >= 0:
        return None  # its latest start is at or after its forecast start, itself >= as_of
    latest_start = schedule.late_dates(node)[0]
    if latest_start >= schedule.as_of:
        return None
    timebase = graph.timebase
    return _finding(
        context, node, code="late-start", level=WARNING,
        message=lambda: _(
            "not started, but it had to start by {latest} to keep its deadlines; "
            "forecast start {start}"
        ).format(
            latest=when(timebase, latest_start), start=when(timebase, schedule.early.start[node])
        ),
        minutes=None,
    )  # fmt: skip


def _not_counted(schedule: Schedule) -> list[int]:
    return list(schedule.not_counted)


#: A task's status as a message says it.
_STATUS_WORDS = {
    "not_started": n_("not started"),
    "in_progress": n_("in progress"),
    "done": n_("done"),
    "cancelled": n_("cancelled"),
}


def check_not_counted(context: _Context, node: int) -> Finding | None:
    """``progress-not-counted``: progress recorded after the status date is left out.

    PLAN_FORMAT: a status date earlier than recorded progress shows the plan as it stood
    then, and the output says so.
    """
    schedule = context.schedule
    if schedule.as_of is None:
        return None
    task = schedule.graph.task(node)
    timebase = schedule.graph.timebase
    as_of = schedule.as_of
    now = schedule.status[node]
    return _finding(
        context, node, code="progress-not-counted", level=WARNING,
        message=lambda: _(
            "recorded as {recorded}, but the status date {when} is before that progress: "
            "shown as {now} as it stood then"
        ).format(
            recorded=_(_STATUS_WORDS.get(task.status, task.status)),
            when=when(timebase, as_of),
            now=_(_STATUS_WORDS.get(now, now)),
        ),
        minutes=None,
    )  # fmt: skip


def check_overallocated(context: _Context) -> list[Finding]:
    """``overallocated``: a resource booked beyond its units, at the task that came last.

    Spans made only of done or in-progress tasks are history, not a plan to change, and
    are left out. The finding sits at the line of the collision's latest-starting task
    (the one levelling would move) and names the others with their lines.
    """
    from cutover.engine.resourcing import overloads  # noqa: PLC0415 - plans with resources only

    schedule = context.schedule
    graph = schedule.graph
    timebase = graph.timebase
    found = []
    for overload in overloads(schedule):
        open_nodes = [n for n in overload.nodes if schedule.status[n] == "not_started"]
        if not open_nodes:
            continue
        node = max(open_nodes, key=lambda n: (schedule.early.start[n], n))

        def message(overload: Overload = overload) -> str:
            tasks = ", ".join(
                _("{task} (line {line})").format(
                    task=graph.task(n).id, line=graph.source.locate(graph.tasks[n].path).line
                )
                for n in overload.nodes
            )
            away = _(" (it is away then)") if overload.available == 0 else ""
            verb = _("collide") if len(overload.nodes) > 1 else _("needs it then")
            return ngettext(
                "{resource} is booked for {needed} unit but has {available}{away} from "
                "{start} to {finish}: {tasks} {verb}; run cutover level",
                "{resource} is booked for {needed} units but has {available}{away} from "
                "{start} to {finish}: {tasks} {verb}; run cutover level",
                overload.needed,
            ).format(
                resource=overload.resource,
                needed=overload.needed,
                available=overload.available,
                away=away,
                start=when(timebase, overload.start),
                finish=when(timebase, overload.finish),
                tasks=tasks,
                verb=verb,
            )

        found.append(
            _finding(
                context, node, code="overallocated", level=WARNING, message=message,
                minutes=overload.finish - overload.start,
            )
        )  # fmt: skip
    return found


#: Each check with the nodes it needs to look at (a cheap filter, so a plan of 100,000
#: tasks is not asked 100,000 times a question only a few can answer).
CHECKS: tuple[
    tuple[Callable[[Schedule], list[int]], Callable[[_Context, int], Finding | None]], ...
] = (
    (_with_deadline, check_deadline),
    (_behind, check_late_start),
    (_not_counted, check_not_counted),
)
