"""MS Project XML (MSPDI) read into an ``ImportedPlan``: the subset cutover can express.

Tasks and their outline, durations, milestones, links of the four types with lags and
leads, calendars (the project's base calendar becomes ``default``; task calendars keep
their names), start-no-earlier-than, deadlines, progress and the status date. Everything
else is a ``Note`` with its line: other constraints, elapsed lags, baselines. Resources
and assignments are read by ``mspdi_resources``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _
from cutover.interchange import mspdi_codes as codes
from cutover.interchange.imported import ImportedLink, ImportedPlan, ImportedTask
from cutover.interchange.mspdi_calendars import read_calendars, resource_calendars
from cutover.interchange.mspdi_resources import (
    note_effort,
    note_levelling_delay,
    read_resources,
    work_resources,
)
from cutover.interchange.mspdi_values import MspdiError, custom_minutes, parse_pt, parse_when
from cutover.interchange.runbook_keys import read_runbook
from cutover.interchange.xmltree import Element, parse_xml

if TYPE_CHECKING:
    from datetime import datetime


def read_mspdi(data: bytes, file: str) -> ImportedPlan:
    """Read an MSPDI document; raise PlanError (file and line) when it cannot be used."""
    root = parse_xml(data, file)
    if root.tag != "Project":
        raise PlanError(
            [_error(file, root.line, f"expected MS Project XML (<Project>), got <{root.tag}>")]
        )
    reader = _Reader(root, file)
    try:
        plan = reader.read()
    except MspdiError as exc:
        reader.errors.append(Diagnostic(exc.code, str(exc), SourceLocation(file, exc.line, 1)))
    if reader.errors:
        raise PlanError(reader.errors)
    return plan


#: Custom text fields read as they are: alias -> the ImportedTask attribute.
_TEXTS = {codes.TEXT1[2]: "wanted_id", codes.TEXT3[2]: "deliverable", codes.TEXT4[2]: "approver"}


def _error(file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic("bad-file", message, SourceLocation(file, line, 1))


class _Reader:
    def __init__(self, root: Element, file: str) -> None:
        self.root = root
        self.file = file
        self.errors: list[Diagnostic] = []
        self.aliases = self._aliases()

    def _aliases(self) -> dict[str, str]:
        """Custom field id → its alias (``cutover id``), from the project's definitions."""
        out: dict[str, str] = {}
        for attribute in self.root.path("ExtendedAttributes", "ExtendedAttribute"):
            field_id, alias = attribute.value("FieldID"), attribute.value("Alias")
            if field_id and alias:
                out[field_id] = alias.lower()
        return out

    def read(self) -> ImportedPlan:
        root = self.root
        start_text = root.value("StartDate")
        task_elements = root.path("Tasks", "Task")
        start = self._project_start(start_text, task_elements)
        name = root.value("Title") or root.value("Name") or self.file
        plan = ImportedPlan(file=self.file, format="MS Project XML", name=name, start=start)
        status = root.find("StatusDate")
        if status is not None and status.text.strip():
            plan.as_of = parse_when(status.text, status.line)
        resources = work_resources(root)
        read_as = resource_calendars(root, {r.value("CalendarUID") or "" for r in resources})
        used = self._used_calendars(task_elements) | {c.uid for c in read_as.values()}
        absorbed = frozenset(uid for uid, calendar in read_as.items() if calendar.uid != uid)
        calendar_uids, plan.calendars = read_calendars(root, plan, used, absorbed)
        self.calendar_uids = calendar_uids
        self.zone_line = 0
        self._tasks(plan, task_elements)
        if not self.zone_line:
            plan.note(
                root.line, "converted",
                _(
                    "MSPDI has no time zone: the plan is in UTC, with the file's "
                    "wall-clock times"
                ),
            )  # fmt: skip
        read_resources(plan, root, (read_as, calendar_uids))
        for task, element in self.elements:
            note_effort(plan, task, element)
            note_levelling_delay(plan, task, element)
        return plan

    def _project_start(self, text: str | None, tasks: list[Element]) -> datetime:
        if text:
            return parse_when(text, self.root.find("StartDate").line)  # type: ignore[union-attr]
        starts = [parse_when(s, t.line) for t in tasks if (s := t.value("Start"))]
        if not starts:
            raise MspdiError(
                self.root.line, _("the project has no StartDate and no task has a Start")
            )
        return min(starts)

    def _used_calendars(self, tasks: list[Element]) -> set[str]:
        used = {self.root.value("CalendarUID") or ""}
        used.update(uid for task in tasks if (uid := task.value("CalendarUID")) not in {None, "-1"})
        return used

    # -- tasks -------------------------------------------------------------------------------

    def _tasks(self, plan: ImportedPlan, elements: list[Element]) -> None:
        stack: list[ImportedTask] = []
        by_key: dict[str, tuple[ImportedTask, Element]] = {}
        for element in elements:
            written = element.value("OutlineLevel")
            level = int(written or "1")
            if level == 0 or (written is None and element.value("UID") == "0"):
                self._project_task(plan, element)
                continue
            if element.value("IsNull") == "1":
                continue
            task = self._task(plan, element)
            by_key[task.key] = (task, element)
            del stack[max(level - 1, 0) :]
            if level - 1 > len(stack):
                plan.note(
                    element.line,
                    "approximated",
                    _("task {name!r} skips an outline level").format(name=task.name),
                )
            (stack[-1].children if stack else plan.tasks).append(task)
            stack.append(task)
        self.elements = list(by_key.values())
        _standby(plan.tasks, inactive={task.key for task, e in self.elements if _inactive(e)})
        for task, element in by_key.values():
            self._links(plan, task, element, by_key)
            if task.children:
                self._summary(task)

    def _project_task(self, plan: ImportedPlan, element: Element) -> None:
        for field_id, value in self._attributes(element):
            if self.aliases.get(field_id) == codes.TEXT6[2]:
                plan.level = value.strip().lower() == "true"
            elif self.aliases.get(field_id) == codes.TEXT2[2]:
                if _is_zone(value):
                    plan.timezone = value
                    self.zone_line = element.line
                else:
                    plan.note(
                        element.line,
                        "left-out",
                        _("{value!r} is not a time zone").format(value=value),
                    )

    def _attributes(self, element: Element) -> list[tuple[str, str]]:
        return [
            (attribute.value("FieldID") or "", attribute.value("Value") or "")
            for attribute in element.findall("ExtendedAttribute")
        ]

    def _task(self, plan: ImportedPlan, element: Element) -> ImportedTask:
        uid = element.value("UID") or element.value("ID") or str(element.line)
        name = element.raw("Name")  # kept exactly, spaces and all
        if not name or not name.strip():
            name = f"Task {uid}"
            plan.note(
                element.line,
                "approximated",
                _("task UID {uid} has no name: named {name!r}").format(uid=uid, name=name),
            )
        task = ImportedTask(key=uid, name=name, line=element.line)
        task.outline = element.value("OutlineNumber") or ""
        task.owner = element.value("Contact") or None
        priority = element.value("Priority")
        if priority and priority.isdigit() and priority != str(codes.DEFAULT_PRIORITY):
            task.priority = int(priority)
        self._custom(plan, task, element)
        self._duration(plan, task, element)
        self._calendar(plan, task, element)
        self._constraint(plan, task, element)
        deadline = element.find("Deadline")
        if deadline is not None and deadline.text.strip():
            task.deadline = _earliest(task.deadline, parse_when(deadline.text, deadline.line))
        self._progress(task, element)
        notes = element.value("Notes")
        task.notes = notes or None
        if element.value("Manual") == "1":
            plan.note(
                element.line,
                "approximated",
                _(
                    "task {name!r} is manually scheduled: cutover schedules it from its links"
                ).format(name=name),
            )
        for flag, what in (
            ("ExternalTask", "an external task"),
            ("IsSubproject", "a subproject"),
            ("Recurring", "a recurring task"),
        ):
            if element.value(flag) == "1":
                plan.note(
                    element.line,
                    "approximated",
                    _("task {name!r} is {what}: imported as a plain task").format(
                        name=name, what=what
                    ),
                )
        baseline = element.find("Baseline")
        if baseline is not None:
            plan.note(
                baseline.line,
                "left-out",
                _("baseline of task {name!r}: the plan format has no baseline").format(name=name),
            )
        return task

    def _custom(self, plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
        estimate: dict[str, int] = {}
        for field_id, value in self._attributes(element):
            alias = self.aliases.get(field_id)
            if alias in _TEXTS:
                setattr(task, _TEXTS[alias], value)
            elif alias == codes.TEXT5[2]:
                task.distribution = value if value in {"pert", "triangular"} else None
            elif alias == codes.TEXT7[2]:
                self._runbook(plan, task, element, value)
            elif alias in {codes.DURATION1[2], codes.DURATION2[2], codes.DURATION3[2]}:
                minutes = custom_minutes(value)
                if minutes is None:
                    plan.note(
                        element.line,
                        "left-out",
                        _("task {name!r}: {alias} {value!r}").format(
                            name=task.name, alias=alias, value=value
                        ),
                    )
                else:
                    estimate[alias] = minutes
        if len(estimate) == 3:
            task.estimate = (
                estimate[codes.DURATION1[2]],
                estimate[codes.DURATION2[2]],
                estimate[codes.DURATION3[2]],
            )
        elif estimate:
            plan.note(
                element.line,
                "left-out",
                _("task {name!r} has part of a three-point estimate").format(name=task.name),
            )

    @staticmethod
    def _runbook(plan: ImportedPlan, task: ImportedTask, element: Element, value: str) -> None:
        """A gate's or branch's keys; text that is not such keys is noted, never dropped."""
        keys = read_runbook(value)
        if keys is None:
            plan.note(
                element.line,
                "left-out",
                _("task {name!r}: {alias} {value!r}").format(
                    name=task.name, alias=codes.TEXT7[2], value=value
                ),
            )
        else:
            task.runbook = keys

    def _duration(self, plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
        text = element.find("Duration")
        minutes = 0
        if text is not None and text.text.strip():
            minutes, rounded = parse_pt(text.text, text.line)
            if rounded:
                plan.note(
                    text.line,
                    "approximated",
                    _("duration of {name!r} rounded to the minute").format(name=task.name),
                )
            if minutes < 0:
                raise MspdiError(
                    text.line, _("task {name!r} has a negative duration").format(name=task.name)
                )
        form = element.value("DurationFormat") or ""
        if form in codes.ELAPSED_FORMATS and minutes:
            plan.note(
                element.line, "approximated",
                _(
                    "task {name!r} has an elapsed duration: its {minutes} minutes are "
                    "counted as working time"
                ).format(name=task.name, minutes=minutes),
            )  # fmt: skip
        task.duration_minutes = minutes
        task.milestone = element.value("Milestone") == "1" or minutes == 0
        if element.value("Milestone") == "1" and minutes:
            plan.note(
                element.line,
                "approximated",
                _("milestone {name!r} has a duration: it takes none in cutover").format(
                    name=task.name
                ),
            )

    def _calendar(self, plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
        uid = element.value("CalendarUID")
        if uid in {None, "", "-1"}:
            return
        name = self.calendar_uids.get(uid or "")
        if name is None:
            plan.note(
                element.line,
                "left-out",
                _("task {name!r} names calendar UID {uid}, which the file lacks").format(
                    name=task.name, uid=uid
                ),
            )
        task.calendar = name

    def _constraint(self, plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
        kind = element.value("ConstraintType") or codes.ASAP
        if kind == codes.ASAP:
            return
        date_element = element.find("ConstraintDate")
        when = (
            parse_when(date_element.text, date_element.line)
            if date_element is not None and date_element.text.strip()
            else None
        )
        what = codes.CONSTRAINT_NAMES.get(kind, f"constraint type {kind}")
        if kind in {codes.SNET, codes.MSO} and when is not None:
            task.not_before = when
            if kind == codes.MSO:
                plan.note(
                    element.line,
                    "approximated",
                    _("task {name!r}: {what} is written as not_before (it may start later)").format(
                        name=task.name, what=what
                    ),
                )
        elif kind in {codes.FNLT, codes.MFO} and when is not None:
            task.deadline = _earliest(task.deadline, when)
            plan.note(
                element.line,
                "approximated",
                _("task {name!r}: {what} {when:%Y-%m-%d %H:%M} is written as a deadline").format(
                    name=task.name, what=what, when=when
                ),
            )
        else:
            plan.note(
                element.line,
                "left-out",
                _("task {name!r}: {what} has no equivalent in cutover").format(
                    name=task.name, what=what
                ),
            )

    def _progress(self, task: ImportedTask, element: Element) -> None:
        if element.value("Active") == "0":
            task.status = "cancelled"
            return
        percent = float(element.value("PercentComplete") or 0)
        start = element.find("ActualStart")
        finish = element.find("ActualFinish")
        actual_start = (
            parse_when(start.text, start.line) if start is not None and start.text.strip() else None
        )
        actual_finish = (
            parse_when(finish.text, finish.line)
            if finish is not None and finish.text.strip()
            else None
        )
        if percent >= 100 or actual_finish is not None:
            task.status, task.actual_start, task.actual_finish = "done", actual_start, actual_finish
        elif percent > 0 or actual_start is not None:
            task.status, task.actual_start = "in_progress", actual_start
            task.progress = self._exact_share(element, percent)

    def _exact_share(self, element: Element, percent: float) -> float:
        """The percentage done, to more than MSPDI's whole percent when the durations say so."""
        done, total = element.value("ActualDuration"), element.value("Duration")
        if done and total:
            minutes, _ = parse_pt(total, element.line)
            worked, _ = parse_pt(done, element.line)
            if minutes > 0 and abs(worked * 100 / minutes - percent) < 1:
                return round(worked * 100 / minutes, 6)
        return percent

    def _links(
        self,
        plan: ImportedPlan,
        task: ImportedTask,
        element: Element,
        by_key: dict[str, tuple[ImportedTask, Element]],
    ) -> None:
        for link in element.findall("PredecessorLink"):
            pred = link.value("PredecessorUID") or ""
            kind = link.value("Type") or "1"
            if kind not in codes.LINK_TYPES:
                self.errors.append(
                    Diagnostic(
                        "unknown-link-type",
                        f"task {task.name!r}: link type {kind!r} is not 0 (FF), 1 (FS), "
                        "2 (SF) or 3 (SS)",
                        SourceLocation(self.file, link.line, 1),
                    )
                )
                continue
            if link.value("CrossProject") == "1" or pred not in by_key:
                plan.note(
                    link.line,
                    "left-out",
                    _("task {name!r}: link to a task not in this file (UID {pred})").format(
                        name=task.name, pred=pred
                    ),
                )
                continue
            lag = self._lag(plan, task, link, by_key[pred][0])
            task.links.append(ImportedLink(pred, codes.LINK_TYPES[kind], lag, link.line))

    def _lag(
        self, plan: ImportedPlan, task: ImportedTask, link: Element, pred: ImportedTask
    ) -> int:
        raw = float(link.value("LinkLag") or 0)
        form = link.value("LagFormat") or codes.FORMAT_DAYS
        if form in codes.PERCENT_FORMATS:
            share = raw / 100
            minutes = round((pred.duration_minutes or 0) * share)
            plan.note(
                link.line,
                "converted",
                _(
                    "task {name!r}: a lag of {raw:g}% of {name2!r} is {minutes} working minutes"
                ).format(name=task.name, raw=raw, name2=pred.name, minutes=minutes),
            )
            return minutes
        minutes = round(raw / 10)
        if raw % 10:
            plan.note(
                link.line,
                "approximated",
                _("task {name!r}: lag rounded to the minute").format(name=task.name),
            )
        if form in codes.ELAPSED_FORMATS and minutes and not _round_the_clock(plan, task):
            plan.note(
                link.line,
                "approximated",
                _(
                    "task {name!r}: an elapsed lag of {minutes} minutes is counted as working time"
                ).format(name=task.name, minutes=minutes),
            )
        return minutes

    @staticmethod
    def _summary(task: ImportedTask) -> None:
        """A summary takes its dates from its tasks: its own duration and progress go."""
        task.milestone = False
        task.duration_minutes = None
        if task.status in {"in_progress", "done"}:
            task.status, task.actual_start, task.actual_finish = "not_started", None, None
            task.progress = None


def _inactive(element: Element) -> bool:
    return element.value("Active") == "0"


def _standby(tasks: list[ImportedTask], inactive: set[str], *, within: bool = False) -> None:
    """Inactive tasks of an inactive branch are standby, not cancelled: not started.

    cutover writes a standby branch (not scheduled until a no-go) as inactive tasks below
    an inactive task with a ``branch`` key; an inactive task elsewhere is cancelled.
    """
    for task in tasks:
        standby = within or ("branch" in task.runbook and task.key in inactive)
        if standby and task.key in inactive and task.status == "cancelled":
            task.status = "not_started"
        _standby(task.children, inactive, within=standby)


def _round_the_clock(plan: ImportedPlan, task: ImportedTask) -> bool:
    """True when every minute is working time on the task's calendar: elapsed is working."""
    name = task.calendar or "default"
    calendar = next((c for c in plan.calendars if c.name == name), None)
    return (
        calendar is not None
        and len(calendar.workdays) == 7
        and calendar.hours == ((0, 1440),)
        and not calendar.holidays
    )


def _is_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _earliest(first: datetime | None, second: datetime) -> datetime:
    return second if first is None else min(first, second)
