"""A schedule as MS Project XML (MSPDI), which MS Project, ProjectLibre and MPXJ open.

Each task keeps its cutover id in the custom field Text1 (alias "cutover id") and the plan's
time zone is Text2 of the project summary task (``level: true`` is its Text6), so
``cutover import`` finds them again. A gate's and a branch's keys are JSON in Text7
("cutover runbook"); the tasks of a standby branch, which are in no schedule, are written
as inactive tasks (``Active`` 0: MS Project keeps them without scheduling them), with
their plan durations, after the scheduled ones' UIDs. Resources keep their id in
``Code``, their units in ``MaxUnits`` (1.0 is one unit) and work on a resource calendar
derived from theirs whose exceptions are their absences; a task's allocations are
``Assignments`` on its leaf tasks (a summary's apply to each of its tasks) with their
``Units``.
A levelled schedule is written with its levelled dates and each task's own levelling delay
(``LevelingDelay``, elapsed time as MS Project counts it: ``levelling_delays``), so that a
tool that schedules the file again starts each task where cutover's levelling put it;
given the unlevelled schedule, the dates before levelling are ``PreLeveledStart`` and
``PreLeveledFinish``.
Durations, lags and slacks are working time; dates are wall-clock times of the plan's zone
(MSPDI has no zone). The element order is the schema's, which MS Project enforces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.errors import UsageError
from cutover.common.i18n import _
from cutover.engine.passes import levelling_delays
from cutover.interchange import mspdi_codes as codes
from cutover.interchange.resource_days import away_days
from cutover.interchange.runbook_keys import runbook_text
from cutover.interchange.xmltext import XmlText
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from datetime import date, datetime

    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.planfile.model import Resource, Task
    from cutover.worktime.calendars import WorkCalendar
    from cutover.worktime.durations import Duration

    #: A row of the task list: the task, its graph node (None: standby), depth, outline
    #: number and the calendar it names or inherits.
    _Row = tuple[Task, int | None, int, str, str | None]


def write_mspdi(schedule: Schedule, *, unlevelled: Schedule | None = None) -> bytes:
    """The whole MSPDI document of a scheduled plan, as UTF-8.

    ``unlevelled``, the schedule a levelled one came from, gives each task's
    ``PreLeveledStart`` and ``PreLeveledFinish`` (MS Project's leveling Gantt shows them).
    """
    return _Writer(schedule, unlevelled).write().encode()


def pt(minutes: int) -> str:
    """A working time as MSPDI writes it: ``PT16H30M0S`` (negative: ``-PT2H0M0S``)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}PT{hours}H{rest}M0S"


def duration_format(minutes: int, day_minutes: int) -> str:
    """Days when the time is whole days of the calendar, else hours or minutes."""
    if minutes == 0 or (day_minutes and minutes % day_minutes == 0):
        return codes.FORMAT_DAYS
    return codes.FORMAT_HOURS if minutes % 60 == 0 else codes.FORMAT_MINUTES


def elapsed_format(minutes: int) -> str:
    """Elapsed days when the time is whole days of 24 hours, else elapsed hours or minutes."""
    if minutes % MINUTES_PER_DAY == 0:
        return codes.FORMAT_ELAPSED_DAYS
    return codes.FORMAT_ELAPSED_HOURS if minutes % 60 == 0 else codes.FORMAT_ELAPSED_MINUTES


class _Writer:
    def __init__(self, schedule: Schedule, unlevelled: Schedule | None) -> None:
        self.schedule = schedule
        self.unlevelled = unlevelled if schedule.graph.level_floor else None
        self.graph: TaskGraph = schedule.graph
        self.out = XmlText()
        self.calendar_uid = {name: uid for uid, name in enumerate(self._calendar_names(), 1)}
        self.resources = self.graph.plan.resources
        #: Each resource's own calendar, numbered after the plan's.
        self.resource_calendar_uid = {
            resource.id: len(self.calendar_uid) + number
            for number, resource in enumerate(self.resources, 1)
        }
        self.explicit = self._explicit_calendars()
        #: Each task's own levelling delay, in wall-clock (elapsed) minutes; 0 unlevelled.
        self.delays = levelling_delays(schedule.graph, schedule.early, schedule.as_of)
        self.rows = self._rows()
        self.uid = self._uids()

    def _calendar_names(self) -> list[str]:
        """The plan's calendars (a task with resources works on theirs too, as it reads)."""
        names = list(self.graph.calendars)
        names.remove("default")
        return ["default", *names]

    def _explicit_calendars(self) -> list[str | None]:
        """Each task's calendar as the plan names it, on the task or a summary above it."""
        named: list[str | None] = []
        for item in self.graph.tasks:
            inherited = named[item.parent] if item.parent >= 0 else None
            named.append(item.task.calendar or inherited)
        return named

    def at(self, minute: int) -> str:
        return self.graph.timebase.naive(minute).isoformat(timespec="seconds")

    def point(self, value: date | datetime, *, end_of_day: bool = False) -> str:
        return self.at(self.graph.timebase.minute(value, end_of_day=end_of_day))

    # -- the document ------------------------------------------------------------------------

    def write(self) -> str:
        out, graph, schedule = self.out, self.graph, self.schedule
        default = graph.calendars["default"]
        out.open("Project", f' xmlns="{codes.NAMESPACE}"')
        out.leaf("SaveVersion", 14)
        out.leaf("Name", graph.plan.plan)
        out.leaf("Title", graph.plan.plan)
        out.leaf("ScheduleFromStart", 1)
        out.leaf("StartDate", self.at(graph.start))
        out.leaf("FinishDate", self.at(schedule.finish))
        out.leaf("CalendarUID", 1)
        if default.spec.hours:
            out.leaf("DefaultStartTime", _clock(default.spec.hours[0][0]))
            out.leaf("DefaultFinishTime", _clock(default.spec.hours[-1][1]))
        out.leaf("MinutesPerDay", default.day_minutes)
        out.leaf("MinutesPerWeek", default.week_minutes)
        if schedule.as_of is not None:
            out.leaf("StatusDate", self.at(schedule.as_of))
        self._custom_fields()
        out.open("Calendars")
        for name, uid in self.calendar_uid.items():
            self._calendar(uid, graph.calendars[name])
        for resource in self.resources:
            self._resource_calendar(resource)
        out.close()
        out.open("Tasks")
        self._project_task()
        for number, (task, node, depth, outline, named) in enumerate(self.rows, 1):
            if node is None:
                self._standby_task(number, task, depth, outline, named)
            else:
                self._task(node, number, outline)
        out.close()
        if self.resources:
            self._resources()
            self._assignments()
        out.close()
        return out.text()

    # -- resources ---------------------------------------------------------------------------

    def _resource_calendar(self, resource: Resource) -> None:
        """The resource's calendar: its base's hours, its absences as exceptions."""
        out, graph = self.out, self.graph
        base = resource.calendar or "default"
        calendar = graph.calendars[base]
        out.open("Calendar")
        out.leaf("UID", self.resource_calendar_uid[resource.id])
        out.leaf("Name", resource.name or resource.id)
        out.leaf("IsBaseCalendar", 0)
        out.leaf("BaseCalendarUID", self.calendar_uid[base])
        days = away_days(resource, calendar, graph.timebase)
        if days:
            out.open("Exceptions")
            for day, hours in days.items():
                out.open("Exception")
                out.leaf("EnteredByOccurrences", 0)
                out.open("TimePeriod")
                out.leaf("FromDate", f"{day.isoformat()}T00:00:00")
                out.leaf("ToDate", f"{day.isoformat()}T23:59:00")
                out.close()
                out.leaf("Occurrences", 1)
                out.leaf("Name", "Unavailable")
                out.leaf("Type", 1)
                out.leaf("DayWorking", int(bool(hours)))
                if hours:
                    self._working_times(hours)
                out.close()
            out.close()
        out.close()

    def _resources(self) -> None:
        out = self.out
        out.open("Resources")
        for number, resource in enumerate(self.resources, 1):
            out.open("Resource")
            out.leaf("UID", number)
            out.leaf("ID", number)
            out.leaf("Name", resource.name or resource.id)
            out.leaf("Type", codes.RESOURCE_WORK)
            out.leaf("IsNull", 0)
            out.leaf("Code", resource.id)
            out.leaf("MaxUnits", f"{resource.units:.2f}")
            out.leaf("CalendarUID", self.resource_calendar_uid[resource.id])
            out.close()
        out.close()

    def _assignments(self) -> None:
        """One assignment per leaf task and resource it allocates (its own or its summary's)."""
        graph, out, schedule = self.graph, self.out, self.schedule
        number = {resource.id: uid for uid, resource in enumerate(self.resources, 1)}
        out.open("Assignments")
        uid = 0
        for node in range(len(graph)):
            allocate = graph.allocate[node] if graph.allocate else None
            if not allocate or graph.is_summary[node]:
                continue
            times = schedule.times(node)
            for name, units in allocate.items():
                uid += 1
                out.open("Assignment")
                out.leaf("UID", uid)
                out.leaf("TaskUID", node + 1)
                out.leaf("ResourceUID", number[name])
                out.leaf("Finish", self.at(times.finish))
                out.leaf("Start", self.at(times.start))
                out.leaf("Units", f"{units:.2f}")
                out.leaf("Work", pt(graph.duration[node] * units))
                out.close()
        out.close()

    def _custom_fields(self) -> None:
        self.out.open("ExtendedAttributes")
        for field_id, field_name, alias in codes.CUSTOM_FIELDS:
            self.out.open("ExtendedAttribute")
            self.out.leaf("FieldID", field_id)
            self.out.leaf("FieldName", field_name)
            self.out.leaf("Alias", alias)
            self.out.close()
        self.out.close()

    # -- calendars ---------------------------------------------------------------------------

    def _calendar(self, uid: int, calendar: WorkCalendar) -> None:
        out = self.out
        hours = calendar.spec.hours
        if any(end > MINUTES_PER_DAY for _, end in hours):
            raise UsageError(
                _(
                    "calendar '{name}' has hours across midnight, which MSPDI cannot "
                    "express: split the shift at 24:00"
                ).format(name=calendar.name)
            )
        out.open("Calendar")
        out.leaf("UID", uid)
        out.leaf("Name", calendar.name)
        out.leaf("IsBaseCalendar", 1)
        out.leaf("BaseCalendarUID", -1)
        out.open("WeekDays")
        for weekday in (6, 0, 1, 2, 3, 4, 5):  # DayType 1 is Sunday
            out.open("WeekDay")
            out.leaf("DayType", codes.DAY_TYPE_OF_WEEKDAY[weekday])
            working = weekday in calendar.workdays
            out.leaf("DayWorking", int(working))
            if working:
                self._working_times(hours)
            out.close()
        out.close()
        self._exceptions(calendar)
        out.close()

    def _working_times(self, hours: tuple[tuple[int, int], ...]) -> None:
        self.out.open("WorkingTimes")
        for begin, end in hours:
            self.out.open("WorkingTime")
            self.out.leaf("FromTime", _clock(begin))
            self.out.leaf("ToTime", _clock(end % MINUTES_PER_DAY))
            self.out.close()
        self.out.close()

    def _exceptions(self, calendar: WorkCalendar) -> None:
        """Holidays and make-up days, consecutive days as one period.

        A country's holidays are written as resolved for the years around the plan.
        """
        off = sorted(calendar.holidays - calendar.extra_workdays)
        extra = sorted(calendar.extra_workdays)
        if not off and not extra:
            return
        out = self.out
        out.open("Exceptions")
        for working, days in ((False, off), (True, extra)):
            for first, last in _runs(days):
                out.open("Exception")
                out.leaf("EnteredByOccurrences", 0)
                out.open("TimePeriod")
                out.leaf("FromDate", f"{first.isoformat()}T00:00:00")
                out.leaf("ToDate", f"{last.isoformat()}T23:59:00")
                out.close()
                out.leaf("Occurrences", 1)
                out.leaf("Name", "Make-up day" if working else "Holiday")
                out.leaf("Type", 1)
                out.leaf("DayWorking", int(working))
                if working:
                    self._working_times(calendar.spec.hours)
                out.close()
        out.close()

    # -- tasks -------------------------------------------------------------------------------

    def _project_task(self) -> None:
        graph, out = self.graph, self.out
        out.open("Task")
        out.leaf("UID", 0)
        out.leaf("ID", 0)
        out.leaf("Name", graph.plan.plan)
        out.leaf("Type", 1)
        out.leaf("WBS", 0)
        out.leaf("OutlineNumber", 0)
        out.leaf("OutlineLevel", 0)
        out.leaf("Start", self.at(graph.start))
        out.leaf("Finish", self.at(self.schedule.finish))
        out.leaf("Summary", 1)
        self._attribute(codes.TEXT2, graph.timebase.name)
        if graph.plan.level:
            self._attribute(codes.TEXT6, "true")
        out.close()

    def _rows(self) -> list[_Row]:
        """Every task of the plan in file order, standby ones too (see ``_Row``)."""
        rows: list[_Row] = []
        index = self.graph.index

        def walk(tasks: tuple[Task, ...], depth: int, prefix: str, named: str | None) -> None:
            for number, task in enumerate(tasks, 1):
                outline = f"{prefix}{number}"
                own = task.calendar or named
                rows.append((task, index.get(task.id), depth, outline, own))
                walk(task.tasks or (), depth + 1, f"{outline}.", own)

        walk(self.graph.plan.tasks, 0, "", None)
        return rows

    def _uids(self) -> dict[str, int]:
        """Each task's UID: a scheduled one's node + 1, a standby one's after them all."""
        uid = {item.task.id: node + 1 for node, item in enumerate(self.graph.tasks)}
        for task, node, *_rest in self.rows:
            if node is None:
                uid[task.id] = len(uid) + 1
        return uid

    def _task(self, node: int, number: int, outline: str) -> None:
        graph, schedule, out = self.graph, self.schedule, self.out
        task = graph.task(node)
        calendar = graph.calendar[node]
        times = schedule.times(node)
        out.open("Task")
        out.leaf("UID", node + 1)
        out.leaf("ID", number)
        out.leaf("Name", task.display_name)
        out.leaf("Active", 0 if task.status == "cancelled" else 1)
        out.leaf("Manual", 0)
        out.leaf("Type", 1)  # fixed duration
        out.leaf("Contact", task.owner)
        out.leaf("WBS", outline)
        out.leaf("OutlineNumber", outline)
        out.leaf("OutlineLevel", graph.tasks[node].depth + 1)
        if graph.priority:
            out.leaf("Priority", graph.priority[node])
        out.leaf("Start", self.at(times.start))
        out.leaf("Finish", self.at(times.finish))
        minutes = self._duration(node)
        out.leaf("Duration", pt(minutes))
        out.leaf("DurationFormat", duration_format(minutes, calendar.day_minutes))
        instant = not task.is_summary and graph.duration[node] == 0
        out.leaf("Milestone", int(task.milestone or instant))
        out.leaf("Summary", int(task.is_summary))
        out.leaf("Critical", int(times.critical))
        out.leaf("EarlyStart", self.at(times.start))
        out.leaf("EarlyFinish", self.at(times.finish))
        out.leaf("LateStart", self.at(times.late_start))
        out.leaf("LateFinish", self.at(times.late_finish))
        out.leaf("FreeSlack", times.free_slack * 10)
        out.leaf("TotalSlack", times.total_slack * 10)
        self._progress(node, task, minutes)
        self._constraint(task)
        named = self.explicit[node]
        out.leaf("CalendarUID", self.calendar_uid[named] if named is not None else -1)
        if task.not_before is not None:
            out.leaf("ConstraintDate", self.point(task.not_before))
        if task.deadline is not None:
            out.leaf("Deadline", self.point(task.deadline, end_of_day=True))
        if self.delays[node]:
            out.leaf("LevelingDelay", self.delays[node] * 10)
            out.leaf("LevelingDelayFormat", elapsed_format(self.delays[node]))
        if self.unlevelled is not None and not task.is_summary:
            out.leaf("PreLeveledStart", self.at(self.unlevelled.early.start[node]))
            out.leaf("PreLeveledFinish", self.at(self.unlevelled.early.finish[node]))
        for pred, kind, lag in task.links:
            self._link(calendar, pred, kind, lag)
        self._attributes(task, calendar)
        out.close()

    def _standby_task(
        self, number: int, task: Task, depth: int, outline: str, named: str | None
    ) -> None:
        """A task of a standby branch: inactive, at the plan start, with its plan duration."""
        out = self.out
        calendar = self.graph.calendars[named or "default"]
        duration = task.planned_duration
        minutes = 0
        if duration is not None and not task.is_summary:
            minutes = duration.in_minutes(calendar.day_minutes, calendar.week_minutes)
        out.open("Task")
        out.leaf("UID", self.uid[task.id])
        out.leaf("ID", number)
        out.leaf("Name", task.display_name)
        out.leaf("Active", 0)
        out.leaf("Manual", 0)
        out.leaf("Type", 1)
        out.leaf("Contact", task.owner)
        out.leaf("WBS", outline)
        out.leaf("OutlineNumber", outline)
        out.leaf("OutlineLevel", depth + 1)
        if task.priority is not None:
            out.leaf("Priority", task.priority)
        out.leaf("Start", self.at(self.graph.start))
        out.leaf("Finish", self.at(self.graph.start))
        out.leaf("Duration", pt(minutes))
        out.leaf("DurationFormat", duration_format(minutes, calendar.day_minutes))
        out.leaf("Milestone", int(task.milestone or (not task.is_summary and minutes == 0)))
        out.leaf("Summary", int(task.is_summary))
        out.leaf("Critical", 0)
        out.leaf("PercentComplete", 0)
        self._constraint(task)
        out.leaf("CalendarUID", self.calendar_uid[named] if named is not None else -1)
        if task.not_before is not None:
            out.leaf("ConstraintDate", self.point(task.not_before))
        if task.deadline is not None:
            out.leaf("Deadline", self.point(task.deadline, end_of_day=True))
        for pred, kind, lag in task.links:
            self._link(calendar, pred, kind, lag)
        self._attributes(task, calendar)
        out.close()

    def _duration(self, node: int) -> int:
        graph = self.graph
        if not graph.is_summary[node]:
            return graph.duration[node]
        calendar = graph.calendar[node]
        early = self.schedule.early
        return max(calendar.working_minutes(early.start[node], early.finish[node]), 0)

    def _progress(self, node: int, task: Task, minutes: int) -> None:
        out, early = self.out, self.schedule.early
        if task.is_summary:
            return
        # The status as it stood at the status date: progress recorded later is not counted.
        status = self.schedule.status[node]
        if status == "done":
            out.leaf("PercentComplete", 100)
            start = task.actual_start
            out.leaf("ActualStart", self.point(start) if start else self.at(early.start[node]))
            finish = task.actual_finish
            at_end = self.point(finish, end_of_day=True) if finish else self.at(early.finish[node])
            out.leaf("ActualFinish", at_end)
            out.leaf("ActualDuration", pt(minutes))
            out.leaf("RemainingDuration", pt(0))
        elif status == "in_progress":
            share = task.progress or 0.0
            out.leaf("PercentComplete", round(share * 100))
            start = task.actual_start
            out.leaf("ActualStart", self.point(start) if start else self.at(early.start[node]))
            done = round(minutes * share)
            out.leaf("ActualDuration", pt(done))
            out.leaf("RemainingDuration", pt(minutes - done))
        else:
            out.leaf("PercentComplete", 0)

    def _constraint(self, task: Task) -> None:
        self.out.leaf("ConstraintType", codes.SNET if task.not_before is not None else codes.ASAP)

    def _link(self, calendar: WorkCalendar, pred: str, kind: str, lag: Duration) -> None:
        out = self.out
        minutes = lag.in_minutes(calendar.day_minutes, calendar.week_minutes)
        out.open("PredecessorLink")
        out.leaf("PredecessorUID", self.uid[pred])
        out.leaf("Type", codes.LINK_CODES[kind])
        out.leaf("CrossProject", 0)
        out.leaf("LinkLag", minutes * 10)
        out.leaf("LagFormat", duration_format(minutes, calendar.day_minutes))
        out.close()

    def _attributes(self, task: Task, calendar: WorkCalendar) -> None:
        self._attribute(codes.TEXT1, task.id)
        self._attribute(codes.TEXT3, task.deliverable)
        self._attribute(codes.TEXT4, task.approver)
        estimate = task.estimate
        if estimate is not None:
            day, week = calendar.day_minutes, calendar.week_minutes
            for field, value in zip(
                (codes.DURATION1, codes.DURATION2, codes.DURATION3),
                (estimate.optimistic, estimate.likely, estimate.pessimistic),
                strict=True,
            ):
                self._attribute(field, pt(value.in_minutes(day, week)))
            self._attribute(codes.TEXT5, task.distribution)
        self._attribute(codes.TEXT7, runbook_text(task))

    def _attribute(self, field: tuple[str, str, str], value: str | None) -> None:
        if value is None:
            return
        self.out.open("ExtendedAttribute")
        self.out.leaf("FieldID", field[0])
        self.out.leaf("Value", value)
        self.out.close()


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
