"""A plan read from a foreign file, before it is plan text: what every reader produces.

Readers fill these with the file's own values and the line each came from; ``planyaml``
writes them as a plan, and ``importing`` checks that plan with cutover's own loader. What
a reader cannot carry over exactly becomes a ``Note`` with its line, never silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

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

    def walk(self) -> list[ImportedTask]:
        """This task and every task inside it, in file order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


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
