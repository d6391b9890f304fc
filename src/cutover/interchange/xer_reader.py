"""Primavera P6 XER read into an ``ImportedPlan``: the subset cutover can express.

The project (its data date is the status date, its calendar ``default``), the WBS as
summary tasks, activities (``target_drtn_hr_cnt`` hours of working time, milestones),
relationships of the four types with their lag in hours, calendars (weekly hours and
exceptions from ``clndr_data``), start-on-or-after as ``not_before``, progress (status,
actual dates, percent complete) and the ``cutover id`` user field. Everything else is a
``Note`` with the line of its record: other constraints, level-of-effort and WBS-summary
activities. Resources and their assignments are read by ``xer_resources``.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _
from cutover.interchange.ids import IdMaker
from cutover.interchange.imported import ImportedCalendar, ImportedLink, ImportedPlan, ImportedTask
from cutover.interchange.xer_resources import (
    note_work_driven,
    read_resources,
    resource_calendars,
)
from cutover.interchange.xer_tables import (
    SERIAL_EPOCH,
    CalendarNode,
    Row,
    calendar_nodes,
    read_tables,
)
from cutover.interchange.xer_tables import hours_of as _hours

LINK_TYPES = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
#: P6 numbers the days of the week from Sunday = 1; cutover from Monday = 0.
_WEEKDAY = {str(code): (code + 5) % 7 for code in range(1, 8)}
_SERIAL_EPOCH = SERIAL_EPOCH
_CONSTRAINTS = {
    "CS_MSO": "must start on",
    "CS_MANDSTART": "mandatory start",
    "CS_MEO": "must finish on",
    "CS_MANDFIN": "mandatory finish",
    "CS_MEOB": "finish on or before",
    "CS_MSOB": "start on or before",
    "CS_MEOA": "finish on or after",
    "CS_ALAP": "as late as possible",
}
Hours = tuple[tuple[int, int], ...]
#: A task's priority when the file gives none (MS Project's default, and cutover's).
DEFAULT_PRIORITY = 500
#: P6's priority types other than normal, as cutover priorities (higher goes first).
_PRIORITIES = {"PT_Lowest": 100, "PT_Low": 300, "PT_High": 700, "PT_Top": 900}


class XerError(Exception):
    """A record the reader cannot use, with its line."""

    def __init__(self, line: int, message: str, code: str = "bad-file") -> None:
        """Keep the line and the diagnostic code."""
        super().__init__(message)
        self.line, self.code = line, code


def read_xer(data: bytes, file: str) -> ImportedPlan:
    """Read the first project of an XER file; raise PlanError (file, line) when unusable."""
    tables = read_tables(data, file)
    try:
        return _Reader(tables, file).read()
    except XerError as exc:
        raise PlanError(
            [Diagnostic(exc.code, str(exc), SourceLocation(file, exc.line, 1))]
        ) from None


def parse_when(text: str, line: int) -> datetime:
    """An XER date and time: ``2025-07-28 08:00``."""
    try:
        return datetime.fromisoformat(text.strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise XerError(
            line, _("{text!r} is not a date such as 2025-07-28 08:00").format(text=text)
        ) from None


class _Reader:
    def __init__(self, tables: dict[str, list[Row]], file: str) -> None:
        self.tables = tables
        self.file = file
        projects = tables.get("PROJECT", [])
        if not projects:
            raise XerError(1, _("the file has no PROJECT table"))
        self.project = projects[0]
        if len(projects) > 1:
            self.extra_projects = projects[1:]
        else:
            self.extra_projects = []
        self.project_id = self.project.get("proj_id")

    def rows(self, table: str) -> list[Row]:
        """The table's rows of this project (rows without a project column are shared)."""
        return [
            row for row in self.tables.get(table, []) if row.get("proj_id") in {"", self.project_id}
        ]

    def read(self) -> ImportedPlan:
        project = self.project
        start_text = project.get("plan_start_date") or project.get("last_recalc_date")
        if not start_text:
            raise XerError(project.line, _("the project has no plan_start_date"))
        wbs = self.rows("PROJWBS")
        root = next((row for row in wbs if row.get("proj_node_flag") == "Y"), None)
        name = (root.get("wbs_name") if root else "") or project.get("proj_short_name") or self.file
        plan = ImportedPlan(self.file, "Primavera XER", name, parse_when(start_text, project.line))
        if project.get("last_recalc_date"):
            plan.as_of = parse_when(project.get("last_recalc_date"), project.line)
        zone = self._user_field("PROJECT", "cutover time zone").get(self.project_id, "")
        if _is_zone(zone):
            plan.timezone = zone
        else:
            plan.note(
                project.line,
                "converted",
                _("XER has no time zone: the plan is in UTC, with the file's wall-clock times"),
            )
        for extra in self.extra_projects:
            plan.note(
                extra.line,
                "left-out",
                _("project {get!r}: only the first project is read").format(
                    get=extra.get("proj_short_name")
                ),
            )
        calendar_rows = {row.get("clndr_id"): row for row in self.tables.get("CALENDAR", [])}
        read_as = resource_calendars(self.tables.get("RSRC", []), calendar_rows)
        self.calendar_names = self._calendars(plan, {c.calendar_id for c in read_as.values()})
        self._tasks(plan, wbs, root)
        self._links(plan)
        plan.level = self._user_field("PROJECT", "cutover level").get(self.project_id) == "true"
        read_resources(
            plan, self.tables, self.rows("TASKRSRC"), self.tasks, (read_as, self.calendar_names)
        )
        for row in self.rows("TASK"):
            task = self.tasks.get(row.get("task_id"))
            if task is not None:
                note_work_driven(plan, task, row)
        return plan

    # -- calendars ---------------------------------------------------------------------------

    def _calendars(self, plan: ImportedPlan, resources: set[str]) -> dict[str, str]:
        """The calendars activities and resources work on; ``resources`` are the latter."""
        rows = {row.get("clndr_id"): row for row in self.tables.get("CALENDAR", [])}
        used = {row.get("clndr_id") for row in self.rows("TASK")} | resources
        project = self.project.get("clndr_id")
        if project not in rows:
            project = next((key for key, row in rows.items() if row.get("default_flag") == "Y"), "")
        ids = IdMaker()
        ids.reserve("default")
        names: dict[str, str] = {}
        for key, row in rows.items():
            if key != project and key not in used:
                continue
            name = (
                "default" if key == project else ids.make(row.get("clndr_name"), f"calendar-{key}")
            )
            names[key] = name
            plan.calendars.append(self._calendar(plan, row, name))
        if not names:
            plan.calendars.append(ImportedCalendar("default", self.project.line, "(none)"))
        return names

    def _calendar(self, plan: ImportedPlan, row: Row, name: str) -> ImportedCalendar:
        nodes = calendar_nodes(row.get("clndr_data"))
        data = next((node for node in nodes if node.name == "CalendarData"), None)
        weekdays: dict[int, Hours | None] = {}
        days = data.child("DaysOfWeek") if data else None
        for day in days.children if days else []:
            if day.name in _WEEKDAY:
                weekdays[_WEEKDAY[day.name]] = _hours(day) or None
        source = row.get("clndr_name")
        working = {day: hours for day, hours in weekdays.items() if hours}
        if not working:
            if days is not None:
                raise XerError(
                    row.line, f"calendar {source!r} has no working time", "no-working-time"
                )
            hours_per_day = float(row.get("day_hr_cnt") or 8)
            working = {day: ((480, 480 + round(hours_per_day * 60)),) for day in range(5)}
            plan.note(
                row.line,
                "approximated",
                _(
                    "calendar {source!r} has no weekly hours: Monday to Friday from 08:00 "
                    "is assumed"
                ).format(source=source),
            )
        common, _count = Counter(working.values()).most_common(1)[0]
        for weekday, hours in sorted(working.items()):
            if hours != common:
                plan.note(
                    row.line,
                    "approximated",
                    _(
                        "calendar {source!r}: weekday {value} (Monday 1) has other hours than "
                        "the other workdays"
                    ).format(source=source, value=weekday + 1),
                )
        calendar = ImportedCalendar(name, row.line, source, tuple(sorted(working)), common)
        exceptions = data.child("Exceptions") if data else None
        for exception in exceptions.children if exceptions else []:
            self._exception(plan, calendar, exception, row.line)
        return calendar

    @staticmethod
    def _exception(
        plan: ImportedPlan, calendar: ImportedCalendar, node: CalendarNode, line: int
    ) -> None:
        try:
            day = _SERIAL_EPOCH + timedelta(days=int(node.params.get("d", "")))
        except ValueError:
            return
        hours = _hours(node)
        usual = day.weekday() in calendar.workdays
        if not hours:
            if usual:
                calendar.holidays.append(day)
            return
        if not usual:
            calendar.extra_workdays.append(day)
        if hours != calendar.hours:
            plan.note(
                line,
                "approximated",
                _("calendar {source_name!r}: {day} works other hours").format(
                    source_name=calendar.source_name, day=day
                ),
            )

    # -- tasks -------------------------------------------------------------------------------

    def _tasks(self, plan: ImportedPlan, wbs: list[Row], root: Row | None) -> None:
        nodes: dict[str, ImportedTask] = {}
        ordered = sorted(wbs, key=lambda row: float(row.get("seq_num") or 0))
        for row in ordered:
            if row is root:
                continue
            nodes[row.get("wbs_id")] = ImportedTask(
                wanted_id=row.get("wbs_short_name") or None,
                key=f"wbs-{row.get('wbs_id')}",
                name=row.get("wbs_name") or row.get("wbs_short_name"),
                line=row.line,
            )
        root_id = root.get("wbs_id") if root else None
        for row in ordered:
            node = nodes.get(row.get("wbs_id"))
            if node is None:
                continue
            parent = nodes.get(row.get("parent_wbs_id"))
            (parent.children if parent else plan.tasks).append(node)
        self.tasks: dict[str, ImportedTask] = {}
        udf = self._user_field("TASK", "cutover id")
        cancelled = self._user_field("TASK", "cutover status")
        priorities = self._user_field("TASK", "cutover priority")
        for row in self.rows("TASK"):
            task = self._task(plan, row)
            task.wanted_id = udf.get(row.get("task_id")) or row.get("task_code") or None
            self._priority(plan, task, row, priorities.get(row.get("task_id")))
            if cancelled.get(row.get("task_id")) == "cancelled":
                task.status, task.actual_start, task.actual_finish = "cancelled", None, None
            self.tasks[row.get("task_id")] = task
            parent = nodes.get(row.get("wbs_id"))
            if parent is None and row.get("wbs_id") not in {root_id, ""}:
                plan.note(
                    row.line,
                    "approximated",
                    _("activity {name!r}: its WBS is not in the file; put at the top").format(
                        name=task.name
                    ),
                )
            (parent.children if parent else plan.tasks).append(task)
        self._prune(plan)

    @staticmethod
    def _priority(plan: ImportedPlan, task: ImportedTask, row: Row, exact: str | None) -> None:
        """The ``cutover priority`` user field, else P6's priority type as a number."""
        if exact is not None and exact.isdigit():
            task.priority = None if int(exact) == DEFAULT_PRIORITY else int(exact)
            return
        kind = row.get("priority_type")
        if kind in _PRIORITIES:
            task.priority = _PRIORITIES[kind]
            plan.note(
                row.line,
                "converted",
                _("activity {name!r}: priority {kind} is priority {number}").format(
                    name=task.name, kind=kind, number=task.priority
                ),
            )

    def _prune(self, plan: ImportedPlan) -> None:
        """A WBS node without activities is no task: cutover needs work or a milestone."""

        def keep(task: ImportedTask) -> bool:
            task.children = [child for child in task.children if keep(child)]
            return bool(task.children) or not task.key.startswith("wbs-")

        plan.tasks = [task for task in plan.tasks if keep(task)]

    def _user_field(self, table: str, label: str) -> dict[str, str]:
        """The values of the user field with that label, by the id of their record."""
        types = {
            row.get("udf_type_id")
            for row in self.tables.get("UDFTYPE", [])
            if row.get("table_name") == table and row.get("udf_type_label").lower() == label
        }
        return {
            row.get("fk_id"): row.get("udf_text")
            for row in self.tables.get("UDFVALUE", [])
            if row.get("udf_type_id") in types and row.get("udf_text")
        }

    def _task(self, plan: ImportedPlan, row: Row) -> ImportedTask:
        name = row.values.get("task_name", "") or f"Activity {row.get('task_code')}"
        task = ImportedTask(key=row.get("task_id"), name=name, line=row.line)
        kind = row.get("task_type")
        hours = row.get("target_drtn_hr_cnt") or row.get("remain_drtn_hr_cnt") or "0"
        task.duration_minutes = round(float(hours) * 60)
        task.milestone = kind in {"TT_Mile", "TT_FinMile"} or task.duration_minutes == 0
        if kind in {"TT_LOE", "TT_WBS"}:
            what = "level of effort" if kind == "TT_LOE" else "a WBS summary"
            plan.note(
                row.line,
                "approximated",
                _("activity {name!r} is {what}: imported as a plain task").format(
                    name=name, what=what
                ),
            )
        calendar = self.calendar_names.get(row.get("clndr_id"))
        if calendar not in {None, "default"}:  # every activity names one: keep the others
            task.calendar = calendar
        self._constraint(plan, task, row)
        self._progress(task, row)
        return task

    def _constraint(self, plan: ImportedPlan, task: ImportedTask, row: Row) -> None:
        for suffix in ("", "2"):  # the primary constraint and the secondary one
            self._one_constraint(
                plan, task, row, (row.get(f"cstr_type{suffix}"), row.get(f"cstr_date{suffix}"))
            )

    def _one_constraint(
        self, plan: ImportedPlan, task: ImportedTask, row: Row, constraint: tuple[str, str]
    ) -> None:
        kind, when_text = constraint
        if not kind:
            return
        when = parse_when(when_text, row.line) if when_text else None
        if kind == "CS_MSOA" and when is not None:
            task.not_before = when
        elif kind in {"CS_MSO", "CS_MANDSTART"} and when is not None:
            task.not_before = when
            plan.note(
                row.line,
                "approximated",
                _("activity {name!r}: {kind} is written as not_before").format(
                    name=task.name, kind=_CONSTRAINTS[kind]
                ),
            )
        elif kind in {"CS_MEOB", "CS_MEO", "CS_MANDFIN"} and when is not None:
            task.deadline = when if task.deadline is None else min(task.deadline, when)
            plan.note(
                row.line,
                "approximated",
                _("activity {name!r}: {kind} is written as a deadline").format(
                    name=task.name, kind=_CONSTRAINTS[kind]
                ),
            )
        else:
            plan.note(
                row.line,
                "left-out",
                _("activity {name!r}: {get}").format(
                    name=task.name, get=_CONSTRAINTS.get(kind, kind)
                ),
            )

    @staticmethod
    def _progress(task: ImportedTask, row: Row) -> None:
        status = row.get("status_code")
        start = (
            parse_when(row.get("act_start_date"), row.line) if row.get("act_start_date") else None
        )
        if status == "TK_Complete":
            finish = (
                parse_when(row.get("act_end_date"), row.line) if row.get("act_end_date") else None
            )
            task.status, task.actual_start, task.actual_finish = "done", start, finish
        elif status == "TK_Active" and not task.milestone:
            task.status, task.actual_start = "in_progress", start
            task.progress = _percent(row)

    def _links(self, plan: ImportedPlan) -> None:
        for row in self.rows("TASKPRED"):
            successor = self.tasks.get(row.get("task_id"))
            predecessor = self.tasks.get(row.get("pred_task_id"))
            kind = row.get("pred_type")
            if kind not in LINK_TYPES:
                raise XerError(
                    row.line,
                    f"relationship type {kind!r} is not PR_FS, PR_SS, PR_FF or PR_SF",
                    "unknown-link-type",
                )
            if successor is None or predecessor is None:
                missing = row.get("pred_task_id") if predecessor is None else row.get("task_id")
                plan.note(
                    row.line,
                    "left-out",
                    _(
                        "a relationship with activity {missing}, which is not an activity of "
                        "this project"
                    ).format(missing=missing),
                )
                continue
            lag = round(float(row.get("lag_hr_cnt") or 0) * 60)
            if lag and predecessor.calendar != successor.calendar:
                plan.note(
                    row.line,
                    "approximated",
                    _(
                        "activity {name!r}: a lag P6 may count on the predecessor's calendar "
                        "is counted on this activity's"
                    ).format(name=successor.name),
                )
            successor.links.append(ImportedLink(predecessor.key, LINK_TYPES[kind], lag, row.line))


def _is_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _percent(row: Row) -> float:
    """Percent complete: physical when the activity says so, else by duration."""
    if row.get("complete_pct_type") == "CP_Phys" and row.get("phys_complete_pct"):
        return float(row.get("phys_complete_pct"))
    target = float(row.get("target_drtn_hr_cnt") or 0)
    remaining = float(row.get("remain_drtn_hr_cnt") or 0)
    if target <= 0:
        return 0.0
    return round(max(0.0, min(100.0, (target - remaining) * 100 / target)), 6)
