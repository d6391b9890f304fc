"""A scheduled plan as a Primavera P6 XER file: ``cutover export --format xer``.

Summaries become WBS nodes (``PROJWBS``, the plan's id in ``wbs_short_name``), tasks
activities (``TASK``) with the cutover id in the user field ``cutover id``. P6 has no
links, constraints or calendars on a WBS node, so what a summary says is written on its
tasks, as cutover reads it (PLAN_FORMAT, keys of a task): its calendar, its
``not_before``, its deadline (as the secondary constraint finish-on-or-before), a link to
it (on each of its tasks) and a finish link from it (from each of its tasks, as a summary
finishes with the last of them). A start link from a summary waits for the first of its
tasks to start, which P6 cannot say: it is refused with a message, as are hours across
midnight. What is counted on a summary's own links (its slacks, the free slack of its
tasks) may differ after the trip through XER; every date is the same. A cancelled
task keeps its duration and says ``cancelled`` in the user field ``cutover status``. The
plan's time zone is the project's user field ``cutover time zone`` (``level: true`` is
``cutover level``). Resources are ``RSRC`` rows (the id in ``rsrc_short_name``, the units
as ``RSRCRATE.max_qty_per_hr``, one unit per hour being one person), a resource with
absences works on its own resource calendar whose exceptions they are, and allocations
are ``TASKRSRC`` rows with their units per hour; priorities are the activity user field
``cutover priority``, and P6's nearest ``priority_type``. Written as UTF-8.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cutover.common.errors import CutoverError
from cutover.common.i18n import _
from cutover.interchange.resource_days import away_days
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.planfile.model import Resource

#: Relationship types by cutover's link type.
PRED_TYPES = {"FS": "PR_FS", "SS": "PR_SS", "FF": "PR_FF", "SF": "PR_SF"}
_SERIAL_EPOCH = date(1899, 12, 30)
#: The user fields: (udf_type_id, table, label).
UDF_ID = ("1", "TASK", "cutover id")
UDF_STATUS = ("2", "TASK", "cutover status")
UDF_ZONE = ("3", "PROJECT", "cutover time zone")
UDF_LEVEL = ("4", "PROJECT", "cutover level")
UDF_PRIORITY = ("5", "TASK", "cutover priority")
UDFS = (UDF_ID, UDF_STATUS, UDF_ZONE, UDF_LEVEL, UDF_PRIORITY)
#: P6's levelling priorities, the highest cutover priority each stands for.
PRIORITY_TYPES = (
    (199, "PT_Lowest"), (399, "PT_Low"), (600, "PT_Normal"), (799, "PT_High"), (1000, "PT_Top"),
)  # fmt: skip
PROJECT_ID = "1"


class XerConversionError(CutoverError):
    """The plan says something an XER file cannot; the message names the task."""


def write_xer(schedule: Schedule) -> bytes:
    """The XER text of a scheduled plan."""
    return _Writer(schedule).write().encode()


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


class _Writer:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.graph: TaskGraph = schedule.graph
        self.lines: list[str] = []
        names = [name for name in self.graph.calendars if name != "default"]
        self.calendar_ids = {
            name: str(number) for number, name in enumerate(["default", *names], 1)
        }
        self.resources = self.graph.plan.resources
        #: Resources with absences work on their own calendar, numbered after the plan's.
        self.resource_calendar_ids = {
            resource.id: str(len(self.calendar_ids) + number)
            for number, resource in enumerate(
                [resource for resource in self.resources if resource.unavailable], 1
            )
        }

    def at(self, minute: int) -> str:
        return self.graph.timebase.naive(minute).strftime("%Y-%m-%d %H:%M")

    def table(self, name: str, fields: list[str], rows: Iterable[list[str]]) -> None:
        self.lines.append(f"%T\t{name}")
        self.lines.append("%F\t" + "\t".join(fields))
        for row in rows:
            self.lines.append("%R\t" + "\t".join(_clean(value) for value in row))

    def write(self) -> str:
        graph, schedule = self.graph, self.schedule
        self.lines.append(
            f"ERMHDR\t20.12\t{self.at(graph.start)[:10]}\tProject\tcutover\tcutover\t"
            "dbxDatabaseNoName\tProject Management\tUSD"
        )
        self.table(
            "UDFTYPE",
            ["udf_type_id", "table_name", "udf_type_name", "udf_type_label", "logical_data_type"],
            [[uid, table, f"user_field_{uid}", label, "FT_TEXT"] for uid, table, label in UDFS],
        )
        as_of = "" if schedule.as_of is None else self.at(schedule.as_of)
        self.table(
            "PROJECT",
            [
                "proj_id",
                "proj_short_name",
                "clndr_id",
                "plan_start_date",
                "plan_end_date",
                "last_recalc_date",
            ],
            [
                [
                    PROJECT_ID,
                    graph.plan.plan[:40],
                    "1",
                    self.at(graph.start),
                    self.at(schedule.finish),
                    as_of,
                ]
            ],
        )
        self.table(
            "CALENDAR",
            [
                "clndr_id",
                "default_flag",
                "clndr_name",
                "proj_id",
                "base_clndr_id",
                "clndr_type",
                "day_hr_cnt",
                "week_hr_cnt",
                "clndr_data",
            ],
            [
                *(self._calendar(name) for name in self.calendar_ids),
                *(self._resource_calendar(resource) for resource in self.resources
                  if resource.id in self.resource_calendar_ids),
            ],
        )  # fmt: skip
        self.table(
            "PROJWBS",
            [
                "wbs_id",
                "proj_id",
                "seq_num",
                "proj_node_flag",
                "wbs_short_name",
                "wbs_name",
                "parent_wbs_id",
            ],
            self._wbs(),
        )
        self.table("TASK", _TASK_FIELDS, [self._task(node) for node in self._leaves()])
        self.table(
            "TASKPRED",
            [
                "task_pred_id",
                "task_id",
                "pred_task_id",
                "proj_id",
                "pred_proj_id",
                "pred_type",
                "lag_hr_cnt",
            ],
            self._relationships(),
        )
        if self.resources:
            self._resource_tables()
        self.table("UDFVALUE", ["udf_type_id", "fk_id", "proj_id", "udf_text"], self._user_values())
        self.lines.append("%E")
        return "\n".join(self.lines) + "\n"

    # -- calendars ---------------------------------------------------------------------------

    def _calendar(self, name: str, resource: Resource | None = None) -> list[str]:
        calendar = self.graph.calendars[name]
        if any(end > MINUTES_PER_DAY for _, end in calendar.spec.hours):
            raise XerConversionError(
                _(
                    "calendar '{name}' has hours across midnight, which XER cannot "
                    "express: split the shift at 24:00"
                ).format(name=name)
            )
        hours = _spans(calendar.spec.hours)
        days = "".join(
            f"(0||{number}()({hours if (number + 5) % 7 in calendar.workdays else ''}))"
            for number in range(1, 8)
        )
        off = sorted(calendar.holidays - calendar.extra_workdays)
        exceptions = [(day, "") for day in off] + [
            (day, hours) for day in sorted(calendar.extra_workdays)
        ]
        if resource is not None:
            away = away_days(resource, calendar, self.graph.timebase)
            exceptions = [item for item in exceptions if item[0] not in away]
            exceptions += [(day, _spans(left)) for day, left in away.items()]
        exception_text = "".join(
            f"(0||{index}(d|{(day - _SERIAL_EPOCH).days})({spans}))"
            for index, (day, spans) in enumerate(exceptions)
        )
        data = f"(0||CalendarData()((0||DaysOfWeek()({days}))(0||Exceptions()({exception_text}))))"
        if resource is not None:
            return [
                self.resource_calendar_ids[resource.id], "N", resource.name or resource.id, "",
                self.calendar_ids[name], "CA_Rsrc", _number(calendar.day_minutes / 60),
                _number(calendar.week_minutes / 60), data,
            ]  # fmt: skip
        return [
            self.calendar_ids[name], "Y" if name == "default" else "N", name, "", "", "CA_Base",
            _number(calendar.day_minutes / 60), _number(calendar.week_minutes / 60), data,
        ]  # fmt: skip

    def _resource_calendar(self, resource: Resource) -> list[str]:
        """The resource's own calendar: its base's, with its absences as exceptions."""
        return self._calendar(resource.calendar or "default", resource)

    # -- resources ---------------------------------------------------------------------------

    def _resource_tables(self) -> None:
        graph, number = self.graph, {r.id: str(n) for n, r in enumerate(self.resources, 1)}
        self.table(
            "RSRC",
            ["rsrc_id", "clndr_id", "rsrc_seq_num", "rsrc_name", "rsrc_short_name",
             "def_qty_per_hr", "active_flag", "rsrc_type"],
            [
                [number[r.id], self.resource_calendar_ids.get(r.id)
                 or self.calendar_ids[r.calendar or "default"], number[r.id], r.name or r.id,
                 r.id, "1", "Y", "RT_Labor"]
                for r in self.resources
            ],
        )  # fmt: skip
        self.table(
            "RSRCRATE",
            ["rsrc_rate_id", "rsrc_id", "max_qty_per_hr", "cost_per_qty", "start_date"],
            [
                [number[r.id], number[r.id], _number(r.units), "0", self.at(graph.start)]
                for r in self.resources
            ],
        )
        rows: list[list[str]] = []
        for node in self._leaves():
            allocate = graph.allocate[node] if graph.allocate else None
            hours = graph.duration[node] / 60
            for name, units in (allocate or {}).items():
                rows.append([
                    str(len(rows) + 1), str(node + 1), PROJECT_ID, number[name], _number(units),
                    _number(units), _number(hours * units), _number(hours * units), "RT_Labor",
                ])  # fmt: skip
        self.table(
            "TASKRSRC",
            ["taskrsrc_id", "task_id", "proj_id", "rsrc_id", "remain_qty_per_hr",
             "target_qty_per_hr", "remain_qty", "target_qty", "rsrc_type"],
            rows,
        )  # fmt: skip

    # -- the WBS and the activities ----------------------------------------------------------

    def _wbs(self) -> list[list[str]]:
        graph = self.graph
        rows = [["0", PROJECT_ID, "0", "Y", "", graph.plan.plan, ""]]
        for node in range(len(graph)):
            if graph.is_summary[node]:
                item = graph.tasks[node]
                parent = str(item.parent + 1) if item.parent >= 0 else "0"
                task = item.task
                rows.append(
                    [
                        str(node + 1),
                        PROJECT_ID,
                        str(node + 1),
                        "N",
                        task.id,
                        task.display_name,
                        parent,
                    ]
                )
        return rows

    def _leaves(self) -> list[int]:
        return [node for node in range(len(self.graph)) if not self.graph.is_summary[node]]

    def _inherited(self, node: int) -> list[int]:
        """The node and the summaries above it, innermost first."""
        out = [node]
        parent = self.graph.tasks[node].parent
        while parent >= 0:
            out.append(parent)
            parent = self.graph.tasks[parent].parent
        return out

    def _task(self, node: int) -> list[str]:
        graph, schedule = self.graph, self.schedule
        task = graph.task(node)
        parent = graph.tasks[node].parent
        minutes = graph.duration[node]
        milestone = task.milestone or (minutes == 0 and task.status != "cancelled")
        values = dict.fromkeys(_TASK_FIELDS, "")
        values.update(
            task_id=str(node + 1), proj_id=PROJECT_ID,
            wbs_id=str(parent + 1) if parent >= 0 else "0",
            clndr_id=self.calendar_ids[self._own_calendar(node)], task_code=task.id,
            task_name=task.display_name, duration_type="DT_FixedDrtn",
            task_type="TT_Mile" if milestone else self._task_type(node),
            target_drtn_hr_cnt=_number(minutes / 60),
            early_start_date=self.at(schedule.start(node)),
            early_end_date=self.at(schedule.finish_of(node)),
        )  # fmt: skip
        if graph.priority:
            values["priority_type"] = next(
                kind for most, kind in PRIORITY_TYPES if graph.priority[node] <= most
            )
        self._constraints(node, values)
        self._progress(node, values)
        return [values[name] for name in _TASK_FIELDS]

    def _task_type(self, node: int) -> str:
        """Resource dependent when its resources' calendars narrow its own, as in cutover.

        P6 then runs it only when they work; a task-dependent activity (``TT_Task``)
        would follow its own calendar alone.
        """
        graph = self.graph
        joint = graph.calendar[node] is not graph.calendars[self._own_calendar(node)]
        return "TT_Rsrc" if joint else "TT_Task"

    def _own_calendar(self, node: int) -> str:
        """The calendar the task or a summary above it names (its resources add theirs)."""
        graph = self.graph
        named = (graph.task(up).calendar for up in self._inherited(node))
        return next((name for name in named if name is not None), "default")

    def _constraints(self, node: int, values: dict[str, str]) -> None:
        graph = self.graph
        not_before = graph.not_before[node]
        if not_before is not None:
            values.update(cstr_type="CS_MSOA", cstr_date=self.at(not_before))
        deadlines = [
            graph.deadline[up] for up in self._inherited(node) if graph.deadline[up] is not None
        ]
        if deadlines:
            values.update(
                cstr_type2="CS_MEOB", cstr_date2=self.at(min(d for d in deadlines if d is not None))
            )

    def _progress(self, node: int, values: dict[str, str]) -> None:
        graph, schedule = self.graph, self.schedule
        task, minutes = graph.task(node), graph.duration[node]
        start, finish = schedule.start(node), schedule.finish_of(node)
        timebase = graph.timebase
        status = schedule.status[node]  # as it stood at the status date
        if status == "done":
            actual_start = timebase.minute(task.actual_start) if task.actual_start else start
            actual_finish = (
                timebase.minute(task.actual_finish, end_of_day=True)
                if task.actual_finish
                else finish
            )
            values.update(
                status_code="TK_Complete", act_start_date=self.at(actual_start),
                act_end_date=self.at(actual_finish), remain_drtn_hr_cnt="0",
                complete_pct_type="CP_Phys", phys_complete_pct="100",
            )  # fmt: skip
        elif status == "in_progress":
            share = task.progress or 0.0
            actual_start = timebase.minute(task.actual_start) if task.actual_start else start
            values.update(
                status_code="TK_Active", act_start_date=self.at(actual_start),
                remain_drtn_hr_cnt=_number(minutes * (1 - share) / 60),
                complete_pct_type="CP_Phys", phys_complete_pct=_number(share * 100),
            )  # fmt: skip
        else:
            values.update(status_code="TK_NotStart", remain_drtn_hr_cnt=_number(minutes / 60))

    # -- relationships and user fields -------------------------------------------------------

    def _relationships(self) -> list[list[str]]:
        graph = self.graph
        rows: list[list[str]] = []
        for node in self._leaves():
            for edge in graph.preds[node]:
                for pred in self._finish_sources(edge.pred, edge.type, node):
                    rows.append([
                        str(len(rows) + 1), str(node + 1), str(pred + 1), PROJECT_ID, PROJECT_ID,
                        PRED_TYPES[edge.type], _number(edge.lag / 60),
                    ])  # fmt: skip
        return rows

    def _finish_sources(self, pred: int, kind: str, node: int) -> list[int]:
        """The activities a link from ``pred`` is written from (a summary's tasks)."""
        graph = self.graph
        if not graph.is_summary[pred]:
            return [pred]
        if kind in {"SS", "SF"}:
            raise XerConversionError(
                _(
                    "task '{id}' starts from the start of summary '{id2}' ({kind}), which "
                    "XER cannot express: link one of its tasks"
                ).format(id=graph.task(node).id, id2=graph.task(pred).id, kind=kind)
            )
        # A summary finishes with the last of its tasks that are not cancelled (a cancelled
        # task extends nothing), so the link is written from every one of those; from all
        # of them when every one is cancelled (the summary is then a cancelled point too).
        leaves = graph.leaves(pred)
        active = [leaf for leaf in leaves if graph.status[leaf] != "cancelled"]
        return active or leaves

    def _user_values(self) -> list[list[str]]:
        graph = self.graph
        rows = [[UDF_ZONE[0], PROJECT_ID, PROJECT_ID, graph.timebase.name]]
        if graph.plan.level:
            rows.append([UDF_LEVEL[0], PROJECT_ID, PROJECT_ID, "true"])
        for node in self._leaves():
            rows.append([UDF_ID[0], str(node + 1), PROJECT_ID, graph.task(node).id])
            if graph.priority:
                rows.append([UDF_PRIORITY[0], str(node + 1), PROJECT_ID, str(graph.priority[node])])
            if graph.status[node] == "cancelled":
                rows.append([UDF_STATUS[0], str(node + 1), PROJECT_ID, "cancelled"])
        return rows


_TASK_FIELDS = [
    "task_id", "proj_id", "wbs_id", "clndr_id", "phys_complete_pct", "complete_pct_type",
    "task_type", "duration_type", "status_code", "task_code", "task_name",
    "remain_drtn_hr_cnt", "target_drtn_hr_cnt", "cstr_date", "act_start_date", "act_end_date",
    "early_start_date", "early_end_date", "cstr_type", "cstr_date2", "cstr_type2", "priority_type",
]  # fmt: skip


def _spans(hours: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        f"(0||{index}(s|{_clock(begin)}|f|{_clock(end)})())"
        for index, (begin, end) in enumerate(hours)
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _clean(value: str) -> str:
    """A field value: tabs and line breaks would end the field or the record."""
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
