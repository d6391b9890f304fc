"""TaskJuggler 3 (``.tjp``) read into an ``ImportedPlan``: the subset cutover expresses.

The project (name, start, time zone, ``now`` as the status date, working hours, global
``leaves``), tasks nested in tasks, ``length`` (working time), ``milestone``, ``depends``
with ``gaplength`` and ``onstart``, ``start`` as start-no-earlier-than, ``maxend`` as a
deadline, ``complete`` as progress, ``shifts`` as task calendars, notes. ``duration``
(elapsed) and ``effort`` are read as working time and noted; ``priority`` is kept.
Resources and ``allocate`` are read by ``tjp_resource_reader``; reports are skipped and
everything else is listed as left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _
from cutover.interchange.ids import IdMaker
from cutover.interchange.imported import (
    ImportedCalendar,
    ImportedLink,
    ImportedPlan,
    ImportedTask,
    working_minutes,
)
from cutover.interchange.tjp_resource_reader import Resources
from cutover.interchange.tjp_syntax import Statement, Token, parse_tjp, token_text
from cutover.interchange.tjp_values import (
    DAYS,
    ID_ATTRIBUTE,
    Hours,
    TjpError,
    moment,
    resolve,
    working_hours,
    zone_named,
)

_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)(min|h|d|w|m|y)$")
#: tj3's defaults: Monday to Friday, 9:00-12:00 and 13:00-18:00, 8 hours a day.
_TJ3_HOURS = ((540, 720), (780, 1080))
#: Task attributes cutover has nothing for; read silently.
_TIMING = frozenset(
    {"milestone", "length", "duration", "effort", "complete", "start", "end", "maxend"}
)
_IGNORED = frozenset({"flags", "purge", "journalentry", "chargeset", "charge"})
#: tj3's priority when a task gives none (as cutover's).
_DEFAULT_PRIORITY = 500


@dataclass
class _Shift:
    name: str
    line: int
    weekdays: dict[int, Hours | None]


@dataclass
class _Project:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    daily_minutes: int = 480
    weekdays: dict[int, Hours | None] = field(
        default_factory=lambda: {day: (_TJ3_HOURS if day < 5 else None) for day in range(7)}
    )
    holidays: list[date] = field(default_factory=list)
    shifts: dict[str, _Shift] = field(default_factory=dict)


def read_tjp(data: bytes, file: str) -> ImportedPlan:
    """Read a ``.tjp`` file; raise PlanError (file and line) when it cannot be used."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            [Diagnostic("bad-file", f"not UTF-8 text: {exc.reason}", SourceLocation(file))]
        ) from None
    statements = parse_tjp(text, file)
    try:
        return _Reader(file).read(statements)
    except TjpError as exc:
        raise PlanError(
            [Diagnostic("bad-file", str(exc), SourceLocation(file, exc.line, 1))]
        ) from None


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.project = _Project()
        self.plan: ImportedPlan | None = None
        self.pending: list[tuple[ImportedTask, Statement, str]] = []
        self.calendars: dict[tuple[object, ...], ImportedCalendar] = {}
        self.calendar_ids = IdMaker()
        self.calendar_ids.reserve("default")
        self.spans: list[tuple[ImportedTask, datetime, datetime]] = []

    def read(self, statements: list[Statement]) -> ImportedPlan:
        header = next((s for s in statements if s.keyword == "project"), None)
        if header is None:
            raise TjpError(
                1, _("no project: a .tjp file starts with 'project id \"name\" start - end'")
            )
        plan = self._project(header)
        self.plan = plan
        self.resources = Resources(plan, self._when, self._resource_calendar)
        for statement in statements:
            self._top(plan, statement)
        default = self._calendar_of(self.project.weekdays, plan, header.line, "default", "project")
        default.holidays.extend(
            day for day in self.project.holidays if day.weekday() in default.workdays
        )
        plan.calendars.insert(0, default)
        for task, statement, path in self.pending:
            self._links(plan, task, statement, path)
        calendars = {calendar.name: calendar for calendar in plan.calendars}
        for task, start, end in self.spans:
            task.duration_minutes = working_minutes(
                calendars[task.calendar or "default"], start, end
            )
        return plan

    # -- the project -------------------------------------------------------------------------

    def _project(self, header: Statement) -> ImportedPlan:
        words = header.words()
        for statement in header.block or []:
            if statement.keyword == "timezone" and statement.args:
                self.project.zone = zone_named(token_text(statement.args[0]), statement.line)
        dates = [token for token in header.args if token.kind == "date"]
        if not dates:
            raise TjpError(header.line, _("the project has no start date"))
        name = words[1] if len(words) > 1 and header.args[1].kind == "string" else words[0]
        plan = ImportedPlan(self.file, "TaskJuggler", name, self._when(dates[0]))
        plan.timezone = str(self.project.zone.key)
        for statement in header.block or []:
            self._project_attribute(plan, statement)
        return plan

    def _project_attribute(self, plan: ImportedPlan, statement: Statement) -> None:
        keyword = statement.keyword
        if keyword == "now" and statement.args:
            plan.as_of = self._when(statement.args[0])
        elif keyword == "dailyworkinghours" and statement.args:
            self.project.daily_minutes = round(float(statement.args[0].text) * 60)
        elif keyword == "workinghours":
            working_hours(statement, self.project.weekdays)
        elif keyword not in {
            "timezone",
            "timingresolution",
            "currency",
            "timeformat",
            "numberformat",
            "currencyformat",
            "weekstartsmonday",
            "weekstartssunday",
            "scenario",
            "extend",
        }:
            plan.note(
                statement.line,
                "left-out",
                _("project attribute '{keyword}'").format(keyword=keyword),
            )

    def _top(self, plan: ImportedPlan, statement: Statement) -> None:
        keyword = statement.keyword
        if keyword == "project":
            return
        if keyword == "task":
            plan.tasks.append(self._task(plan, statement, ""))
        elif keyword in {"leaves", "vacation"}:
            self._leaves(statement)
        elif keyword == "shift":
            self._shift(statement)
        elif keyword == "resource":
            self.resources.define(statement)
        elif keyword.endswith("report") or keyword in {"navigator", "export", "icalreport"}:
            return
        else:
            plan.note(
                statement.line,
                "left-out",
                _("'{keyword}' is not something cutover reads").format(keyword=keyword),
            )

    def _leaves(self, statement: Statement) -> None:
        dates = [token for token in statement.args if token.kind == "date"]
        if not dates:
            return
        first = self._when(dates[0])
        end = self._when(dates[1]) if len(dates) > 1 else first + timedelta(days=1)
        day = first.date()
        while datetime.combine(day, datetime.min.time()) < end:
            self.project.holidays.append(day)
            day += timedelta(days=1)

    def _shift(self, statement: Statement) -> None:
        words = statement.words()
        weekdays: dict[int, Hours | None] = dict(self.project.weekdays)
        for inner in statement.block or []:
            if inner.keyword == "workinghours":
                working_hours(inner, weekdays)
        name = words[1] if len(words) > 1 else words[0]
        self.project.shifts[words[0]] = _Shift(name, statement.line, weekdays)

    def _when(self, token: Token) -> datetime:
        return moment(token, self.project.zone)

    # -- calendars ---------------------------------------------------------------------------

    def _calendar_of(
        self,
        weekdays: dict[int, Hours | None],
        plan: ImportedPlan,
        line: int,
        name: str,
        source: str,
    ) -> ImportedCalendar:
        working = {day: hours for day, hours in weekdays.items() if hours}
        if not working:
            raise TjpError(
                line, _("{source} {name!r} has no working time").format(source=source, name=name)
            )
        common, _count = Counter(working.values()).most_common(1)[0]
        for day, hours in sorted(working.items()):
            if hours != common:
                plan.note(
                    line,
                    "approximated",
                    _("{source} {name!r}: {day} has other hours than the other workdays").format(
                        source=source, name=name, day=DAYS[day]
                    ),
                )
        return ImportedCalendar(name, line, name, tuple(sorted(working)), common)

    def _task_calendar(self, plan: ImportedPlan, statement: Statement) -> str | None:
        """The calendar of ``shifts a 2025-06-16 - 2025-06-21, off …``.

        The shift most days follow is the calendar; days on a shift without work are its
        holidays, days on another working shift its make-up days.
        """
        runs = self._shift_runs(statement)
        if not runs:
            plan.note(statement.line, "left-out", _("shifts that name no known shift"))
            return None
        span: Counter[str] = Counter()
        for shift, first, last in runs:
            if any(shift.weekdays.values()):
                span[shift.name] += (last - first).days
        main = next(shift for shift, _, _ in runs if shift.name == span.most_common(1)[0][0])
        calendar = self._calendar_of(main.weekdays, plan, main.line, main.name, "shift")
        for shift, first, last in runs:
            if shift is not main:
                _exceptions(calendar, shift, first, last)
        return self._register(plan, calendar, main.name)

    def _register(self, plan: ImportedPlan, calendar: ImportedCalendar, name: str) -> str:
        """The calendar's name: a new one made from ``name``, or an equal one's."""
        key = (
            calendar.workdays,
            calendar.hours,
            tuple(calendar.holidays),
            tuple(calendar.extra_workdays),
        )
        known = self.calendars.get(key)
        if known is None:
            calendar.name = self.calendar_ids.make(name, "shift")
            self.calendars[key] = calendar
            plan.calendars.append(calendar)
            known = calendar
        return known.name

    def _resource_calendar(
        self, plan: ImportedPlan, statements: list[Statement], name: str
    ) -> str | None:
        """A resource's ``shifts`` or ``workinghours`` as a calendar (None: the project's)."""
        shifts = [statement for statement in statements if statement.keyword == "shifts"]
        if shifts:
            return self._task_calendar(plan, shifts[0])
        weekdays = dict(self.project.weekdays)
        for statement in statements:
            working_hours(statement, weekdays)
        if weekdays == self.project.weekdays:
            return None
        calendar = self._calendar_of(weekdays, plan, statements[0].line, name, "resource")
        return self._register(plan, calendar, name)

    def _shift_runs(self, statement: Statement) -> list[tuple[_Shift, date, date]]:
        """Each shift named with its days [first, last); without dates, its whole project."""
        runs: list[tuple[_Shift, date, date]] = []
        args = statement.args
        for index, token in enumerate(args):
            shift = self.project.shifts.get(token.text) if token.kind == "word" else None
            if shift is None:
                continue
            dates = [t for t in args[index + 1 : index + 4] if t.kind == "date"]
            if len(dates) < 2:
                runs.append((shift, date(1, 1, 1), date(1, 1, 1)))
            else:
                runs.append((shift, self._when(dates[0]).date(), self._when(dates[1]).date()))
        return runs

    # -- tasks -------------------------------------------------------------------------------

    def _task(self, plan: ImportedPlan, statement: Statement, parent: str) -> ImportedTask:
        words = statement.words()
        if not words:
            raise TjpError(statement.line, _("a task without an id"))
        local = words[0]
        path = f"{parent}.{local}" if parent else local
        name = words[1] if len(words) > 1 and statement.args[1].kind == "string" else local
        task = ImportedTask(key=path, name=name, line=statement.line, wanted_id=local)
        state: dict[str, object] = {}
        for inner in statement.block or []:
            if inner.keyword == "task":
                task.children.append(self._task(plan, inner, path))
            else:
                self._attribute(plan, task, inner, state)
        self.pending.append((task, statement, path))
        self._finish(plan, task, state)
        span = state.get("span")
        if isinstance(span, tuple):
            self.spans.append((task, span[0], span[1]))
        return task

    def _attribute(
        self, plan: ImportedPlan, task: ImportedTask, statement: Statement, state: dict[str, object]
    ) -> None:
        keyword = statement.keyword
        if keyword in {"depends", "precedes"}:
            return  # read once every task is known (``_links``)
        if keyword in _TIMING:
            self._timing(plan, task, statement, state)
        elif keyword == "priority" and statement.args and statement.args[0].text.isdigit():
            number = int(statement.args[0].text)
            task.priority = None if number == _DEFAULT_PRIORITY else number
        elif keyword in {"note", "shifts", "responsible", "allocate"}:
            self._who(plan, task, statement)
        elif keyword == ID_ATTRIBUTE and statement.args and statement.args[0].kind == "string":
            task.wanted_id = token_text(statement.args[0])  # written by cutover's export
        elif keyword not in _IGNORED:
            plan.note(
                statement.line,
                "left-out",
                _("task {name!r}: '{keyword}'").format(name=task.name, keyword=keyword),
            )

    def _timing(
        self, plan: ImportedPlan, task: ImportedTask, statement: Statement, state: dict[str, object]
    ) -> None:
        keyword, args = statement.keyword, statement.args
        if keyword == "milestone":
            task.milestone = True
        elif not args:
            return
        elif keyword == "effort":  # its note waits for the allocations (``_effort``)
            task.duration_minutes = self._amount(args[0])
            state["effort"] = statement.line
        elif keyword in {"length", "duration"}:
            task.duration_minutes = self._amount(args[0])
            if keyword != "length":
                kind = (
                    "an elapsed duration" if keyword == "duration" else "effort (work of resources)"
                )
                message = f"task {task.name!r}: {kind} is read as working time"
                plan.note(statement.line, "approximated", message)
        elif keyword == "complete":
            state["complete"] = float(args[0].text)
        else:  # start, end, maxend
            state[keyword] = self._when(args[0])
            if keyword == "maxend":
                task.deadline = self._when(args[0])

    def _who(self, plan: ImportedPlan, task: ImportedTask, statement: Statement) -> None:
        keyword, args = statement.keyword, statement.args
        if keyword == "shifts":
            task.calendar = self._task_calendar(plan, statement)
        elif not args:
            return
        elif keyword == "note":
            task.notes = token_text(args[0])
        elif keyword == "responsible":
            task.owner = token_text(args[0])
        else:  # allocate
            self.resources.allocate(task, statement)

    @staticmethod
    def _effort(plan: ImportedPlan, task: ImportedTask, line: int) -> None:
        """An effort is work: with U people allocated (all needed at once), U-th of it.

        tj3 books every mandatory allocation in each slot the task works, so an effort of
        U people takes effort / U of working time (cutover's exporter writes it so).
        """
        units = sum(task.allocate.values())
        effort = task.duration_minutes or 0
        if not units:
            message = f"task {task.name!r}: effort (work of resources) is read as working time"
            plan.note(line, "approximated", message)
            return
        task.duration_minutes = round(effort / units)
        if units > 1:
            plan.note(
                line,
                "converted",
                _(
                    "task {name!r}: an effort of {effort} minutes by {units} people at once "
                    "is a duration of {minutes} minutes"
                ).format(name=task.name, effort=effort, units=units, minutes=task.duration_minutes),
            )

    def _finish(self, plan: ImportedPlan, task: ImportedTask, state: dict[str, object]) -> None:
        effort_line = state.get("effort")
        if isinstance(effort_line, int):
            self._effort(plan, task, effort_line)
        start, end = state.get("start"), state.get("end")
        start = start if isinstance(start, datetime) else None
        end = end if isinstance(end, datetime) else None
        if task.children:
            task.not_before = start
            return
        complete = state.get("complete")
        if isinstance(complete, float) and complete > 0:
            _tracking(plan, task, complete, (start, end))
        elif start is not None:
            task.not_before = start
        if end is not None and task.status == "not_started":
            plan.note(task.line, "left-out", _("task {name!r}: a fixed end").format(name=task.name))
        if task.duration_minutes is not None or task.milestone:
            return
        if start is None or end is None or end <= start:
            task.milestone = True
            return
        state["span"] = (start, end)  # measured on its calendar once calendars are known
        if task.status != "done":
            message = f"task {task.name!r}: its length is the working time from start to end"
            plan.note(task.line, "approximated", message)

    def _amount(self, token: Token) -> int:
        found = _AMOUNT.match(token.text)
        if found is None:
            raise TjpError(
                token.line, _("{text!r} is not a duration such as 3d or 4h").format(text=token.text)
            )
        number, unit = float(found[1]), found[2]
        day = self.project.daily_minutes
        per_unit = {"min": 1, "h": 60, "d": day, "w": 5 * day, "m": 21 * day, "y": 260 * day}
        return round(number * per_unit[unit])

    def _links(
        self, plan: ImportedPlan, task: ImportedTask, statement: Statement, path: str
    ) -> None:
        keys = {item.key for item in plan.all_tasks()}
        for inner in statement.block or []:
            if inner.keyword not in {"depends", "precedes"}:
                continue
            for index, token in enumerate(inner.args):
                if token.kind != "word":
                    continue
                target = resolve(token.text, path)
                if target not in keys:
                    plan.note(
                        token.line,
                        "left-out",
                        _("task {name!r}: '{text}' names no task of this file").format(
                            name=task.name, text=token.text
                        ),
                    )
                    continue
                kind, lag = self._link_options(plan, task, inner.attached.get(index, []))
                if inner.keyword == "depends":
                    task.links.append(ImportedLink(target, kind, lag, token.line))
                else:
                    successor = next(item for item in plan.all_tasks() if item.key == target)
                    successor.links.append(ImportedLink(task.key, kind, lag, token.line))

    def _link_options(
        self, plan: ImportedPlan, task: ImportedTask, options: list[Statement]
    ) -> tuple[str, int]:
        kind, lag = "FS", 0
        tokens: list[Token] = []
        for option in options:  # "gaplength 2h onstart" on one line is one statement
            tokens += [Token("word", option.keyword, option.line), *option.args]
        for index, token in enumerate(tokens):
            if token.text == "onstart":
                kind = "SS"
            elif token.text in {"gaplength", "gapduration"} and index + 1 < len(tokens):
                lag = self._amount(tokens[index + 1])
                if token.text == "gapduration":
                    plan.note(
                        token.line,
                        "approximated",
                        _("task {name!r}: an elapsed gap is read as working time").format(
                            name=task.name
                        ),
                    )
            elif token.kind == "word" and token.text != "onend":
                plan.note(
                    token.line,
                    "left-out",
                    _("task {name!r}: dependency option '{text}'").format(
                        name=task.name, text=token.text
                    ),
                )
        return kind, lag


def _tracking(
    plan: ImportedPlan,
    task: ImportedTask,
    complete: float,
    dates: tuple[datetime | None, datetime | None],
) -> None:
    """``complete``: done at 100 % (its start and end are its actual dates), else in progress."""
    start, end = dates
    if complete >= 100:
        task.status, task.actual_start, task.actual_finish = "done", start, end
    elif task.milestone:
        plan.note(
            task.line,
            "left-out",
            _("milestone {name!r}: {complete:g}% complete").format(
                name=task.name, complete=complete
            ),
        )
    else:
        task.status, task.progress, task.actual_start = "in_progress", complete, start


def _exceptions(calendar: ImportedCalendar, shift: _Shift, first: date, last: date) -> None:
    """Days in [first, last) on another shift: holidays when it has no work, else make-up."""
    day = first
    while day < last:
        works = bool(shift.weekdays.get(day.weekday()))
        if not works and day.weekday() in calendar.workdays:
            calendar.holidays.append(day)
        elif works and day.weekday() not in calendar.workdays:
            calendar.extra_workdays.append(day)
        day += timedelta(days=1)
