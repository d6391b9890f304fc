"""A plan read from a foreign file, before it is plan text: what every reader produces.

Readers fill these with the file's own values and the line each came from; ``planyaml``
writes them as a plan, and ``importing`` checks that plan with cutover's own loader. What
a reader cannot carry over exactly becomes a ``Note`` with its line, never silence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from cutover.common.i18n import _

#: ``approximated``: carried over with a different meaning; ``left-out``: not carried over.
NoteKind = Literal["approximated", "left-out", "converted"]


@dataclass(frozen=True)
class Note:
    """One thing the import approximated or left out, and where it is in the source file."""

    line: int
    kind: NoteKind
    message: str


@dataclass
class ImportedCalendar:
    """A working calendar: workdays (Monday 0), hours of a workday, days off and make-up days."""

    name: str
    line: int
    source_name: str
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    hours: tuple[tuple[int, int], ...] = ((480, 720), (780, 1020))
    holidays: list[date] = field(default_factory=list)
    extra_workdays: list[date] = field(default_factory=list)

    @property
    def day_minutes(self) -> int:
        """Working minutes in one workday."""
        return sum(end - begin for begin, end in self.hours)


@dataclass
class ImportedLink:
    """A link from the predecessor with source key ``pred`` (resolved to an id on writing)."""

    pred: str
    type: str
    lag_minutes: int
    line: int


@dataclass
class ImportedTask:
    """A task as the file gives it; ``key`` is its identity in the file (UID, task_id...)."""

    key: str
    name: str
    line: int
    id: str = ""
    wanted_id: str | None = None
    outline: str = ""
    children: list[ImportedTask] = field(default_factory=list)
    duration_minutes: int | None = None
    milestone: bool = False
    links: list[ImportedLink] = field(default_factory=list)
    not_before: datetime | None = None
    deadline: datetime | None = None
    calendar: str | None = None
    owner: str | None = None
    deliverable: str | None = None
    approver: str | None = None
    status: str = "not_started"
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    progress: float | None = None
    estimate: tuple[int, int, int] | None = None
    distribution: str | None = None
    notes: str | None = None
    #: Resources the task needs: the resource's key in the file -> units (1 and up).
    allocate: dict[str, int] = field(default_factory=dict)
    #: Levelling priority (higher first); None: the default, 500.
    priority: int | None = None
    #: Gate, branch and decision keys as the plan format writes them (``runbook_keys``).
    runbook: dict[str, Any] = field(default_factory=dict)

    def walk(self) -> list[ImportedTask]:
        """This task and every task inside it, in file order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class ImportedResource:
    """A resource (a team, a person) as the file gives it; ``key`` is its identity there."""

    key: str
    name: str
    line: int
    id: str = ""
    wanted_id: str | None = None
    units: int = 1
    calendar: str | None = None
    #: Spans it does not work: (from, to), wall-clock times of the plan's zone.
    unavailable: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass
class ImportedPlan:
    """Everything a reader found, ready to be written as plan text."""

    file: str
    format: str
    name: str
    start: datetime
    timezone: str = "UTC"
    as_of: datetime | None = None
    calendars: list[ImportedCalendar] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    resources: list[ImportedResource] = field(default_factory=list)
    #: The plan levels resources (``level: true``).
    level: bool = False
    notes: list[Note] = field(default_factory=list)

    def all_tasks(self) -> list[ImportedTask]:
        """Every task in file order, summaries before their sub-tasks."""
        return [item for task in self.tasks for item in task.walk()]

    def note(self, line: int, kind: NoteKind, message: str) -> None:
        """Record something approximated or left out."""
        self.notes.append(Note(line, kind, message))


def working_minutes(calendar: ImportedCalendar, start: datetime, end: datetime) -> int:
    """Working minutes of ``calendar`` between two wall-clock times (a reader's estimate)."""
    total, day = 0, start.date()
    holidays, extra = set(calendar.holidays), set(calendar.extra_workdays)
    while day <= end.date():
        works = day in extra or (day.weekday() in calendar.workdays and day not in holidays)
        if works:
            midnight = datetime.combine(day, datetime.min.time())
            for begin, finish in calendar.hours:
                low = max(start, midnight + timedelta(minutes=begin))
                high = min(end, midnight + timedelta(minutes=finish))
                total += max(int((high - low).total_seconds() // 60), 0)
        day += timedelta(days=1)
    return total


def whole_units(plan: ImportedPlan, line: int, units: float, what: str) -> int | None:
    """Units as a whole number, rounded up with a note; None (noted) when not above zero.

    ``what`` names what the units belong to in the note (a resource, an assignment).
    """
    if units <= 0:
        plan.note(line, "left-out", _("{what}: {units:g} units").format(what=what, units=units))
        return None
    whole = math.ceil(round(units, 6))
    if whole != units:
        plan.note(
            line,
            "approximated",
            _("{what}: {units:g} units are counted as {whole}").format(
                what=what, units=units, whole=whole
            ),
        )
    return whole


def assign(
    plan: ImportedPlan, line: int, task: ImportedTask, resource: ImportedResource, text: str
) -> bool:
    """Add an assignment's units (``text``) to the task's allocation; False if left out.

    Every reader's rule: an unreadable value is one unit, a fraction is rounded up, none
    or fewer is left out, more than the resource has is its units, each with a note.
    """
    what = _("assignment of {name!r} to {name2!r}").format(name=resource.name, name2=task.name)
    try:
        raw = float(text)
    except ValueError:
        raw = 1.0
        plan.note(line, "approximated", _("{what}: 1 unit").format(what=what))
    units = whole_units(plan, line, raw, what)
    if units is None:
        return False
    units += task.allocate.get(resource.key, 0)
    if units > resource.units:
        plan.note(
            line,
            "approximated",
            _("{what}: {units} units, more than the {most} the resource has").format(
                what=what, units=units, most=resource.units
            ),
        )
        units = resource.units
    task.allocate[resource.key] = units
    return True


def day_spans(
    hours: tuple[tuple[int, int], ...], remaining: tuple[tuple[int, int], ...], day: date
) -> list[tuple[datetime, datetime]]:
    """The spans of ``day`` in ``hours`` but not in ``remaining``: time a resource is away.

    A resource calendar that works fewer hours on a day than the calendar it derives from
    says the resource is away then; these spans are its ``unavailable``. A day it does
    not work at all is the whole day, so consecutive days off read as one span of dates.
    """
    midnight = datetime.combine(day, datetime.min.time())
    if not remaining:  # the day off: written as the date, whatever the hours
        return [(midnight, midnight + timedelta(days=1))]
    out: list[tuple[int, int]] = []
    for begin, end in hours:
        cuts = sorted((max(b, begin), min(e, end)) for b, e in remaining if b < end and e > begin)
        position = begin
        for low, high in cuts:
            if low > position:
                out.append((position, low))
            position = max(position, high)
        if position < end:
            out.append((position, end))
    joined: list[tuple[int, int]] = []
    for begin, end in out:  # away across a break it does not work in: one span
        if joined and not any(b < begin and e > joined[-1][1] for b, e in remaining):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((begin, end))
    return [(midnight + timedelta(minutes=b), midnight + timedelta(minutes=e)) for b, e in joined]


def merged_spans(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Spans sorted, those that touch or overlap joined (a night across midnight is one)."""
    out: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(spans):
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((begin, end))
    return out
