"""An imported plan written as plan text (YAML), commented, with a map back to the source.

Names are kept exactly (double-quoted, escaped as JSON escapes, which YAML reads the same);
durations are written in days of the task's calendar when they are whole days, else hours
or minutes, so ``2d`` means the same working time it meant in the file. Every line that
starts a task or a calendar is remembered with the source line it came from, so a problem
found in the written plan is reported at the line of the foreign file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from cutover.common.i18n import _, ngettext
from cutover.planfile.model import WEEKDAYS

if TYPE_CHECKING:
    from cutover.interchange.imported import (
        ImportedCalendar,
        ImportedPlan,
        ImportedResource,
        ImportedTask,
    )


@dataclass
class PlanText:
    """The plan's text and, for the lines that start a task or calendar, the source line."""

    text: str
    source_lines: dict[int, int] = field(default_factory=dict)

    def source_line(self, line: int) -> int:
        """The source line of the task or calendar that plan line ``line`` belongs to."""
        starts = [start for start in self.source_lines if start <= line]
        return self.source_lines[max(starts)] if starts else 0


def quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``."""
    return json.dumps(text, ensure_ascii=False)


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
#: Words YAML 1.1 reads as booleans or null, not text.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def name_text(value: str) -> str:
    """An id or calendar name that YAML reads back as text.

    Quoted when it would read as a number, a date or a boolean (``1.1``, ``2025``, ``no``).
    """
    if _PLAIN.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return quoted(value)


def amount(minutes: int, day_minutes: int | None) -> str:
    """Working time as the plan format writes it: ``2d``, ``90m``, ``-4h``, ``0m``."""
    sign = "-" if minutes < 0 else ""
    rest = abs(minutes)
    if rest == 0:
        return "0m"
    if day_minutes and rest % day_minutes == 0:
        return f"{sign}{rest // day_minutes}d"
    if rest % 60 == 0:
        return f"{sign}{rest // 60}h"
    return f"{sign}{rest}m"


def when(value: datetime, *, end_of_day: bool = False) -> str:
    """A date alone at midnight (the day before it, for an ``end_of_day`` key), else a datetime.

    ``deadline: 2025-06-19`` means the end of the 19th, the same instant as 2025-06-20T00:00.
    """
    if value.time() == time(0, 0):
        day = value.date() - timedelta(days=1) if end_of_day else value.date()
        return day.isoformat()
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def write_plan_text(plan: ImportedPlan) -> PlanText:
    """The plan as YAML text with comments and the source-line map."""
    return _Writer(plan).write()


class _Writer:
    def __init__(self, plan: ImportedPlan) -> None:
        self.plan = plan
        self.lines: list[str] = []
        self.map: dict[int, int] = {}
        self.ids = {task.key: task.id for task in plan.all_tasks()}
        #: A gate's ``rollback`` names the branch by its id in the exporting plan.
        self.wanted = {t.wanted_id: t.id for t in plan.all_tasks() if t.wanted_id is not None}
        self.resource_ids = {resource.key: resource.id for resource in plan.resources}
        self.day = {calendar.name: calendar.day_minutes for calendar in plan.calendars}

    def add(self, line: str, source: int | None = None) -> None:
        self.lines.append(line)
        if source is not None:
            self.map[len(self.lines)] = source

    def write(self) -> PlanText:
        plan = self.plan
        self.add(
            "# "
            + _("Imported by cutover import from {file} ({format}).").format(
                file=plan.file, format=plan.format
            )
        )
        if plan.notes:
            count = len(plan.notes)
            self.add(
                "# "
                + ngettext(
                    "{count} thing was approximated or left out (line of {file}):",
                    "{count} things were approximated or left out (line of {file}):",
                    count,
                ).format(count=count, file=plan.file)
            )
            self.lines.extend(
                f"#   {note.line}: {note.kind}: {note.message}" for note in plan.notes
            )
        self.add(f"plan: {quoted(plan.name)}")
        self.add(f"timezone: {plan.timezone}")
        self.add(f"start: {when(plan.start)}")
        if plan.as_of is not None:
            self.add(f"as_of: {when(plan.as_of)}")
        if plan.level:
            self.add("level: true")
        if plan.calendars:
            self.add("calendars:")
            for calendar in plan.calendars:
                self._calendar(calendar)
        if plan.resources:
            self.add("resources:")
            for resource in plan.resources:
                self._resource(resource)
        self.add("tasks:")
        for task in plan.tasks:
            self._task(task, "  ")
        return PlanText("\n".join(self.lines) + "\n", self.map)

    def _calendar(self, calendar: ImportedCalendar) -> None:
        comment = f"  # {quoted(calendar.source_name)}, line {calendar.line}"
        self.add(f"  {name_text(calendar.name)}:{comment}", calendar.line)
        days = ", ".join(WEEKDAYS[day] for day in calendar.workdays)
        self.add(f"    workdays: [{days}]")
        hours = ", ".join(f'"{_clock(begin)}-{_clock(end)}"' for begin, end in calendar.hours)
        self.add(f"    hours: [{hours}]")
        if calendar.holidays:
            self.add(f"    holidays: [{_days(calendar.holidays)}]")
        if calendar.extra_workdays:
            self.add(f"    extra_workdays: [{_days(calendar.extra_workdays)}]")

    def _resource(self, resource: ImportedResource) -> None:
        self.add(f"  - id: {name_text(resource.id)}  # line {resource.line}", resource.line)
        if resource.name != resource.id:
            self.add(f"    name: {quoted(resource.name)}")
        if resource.units != 1:
            self.add(f"    units: {resource.units}")
        if resource.calendar is not None:
            self.add(f"    calendar: {name_text(resource.calendar)}")
        if resource.unavailable:
            self.add("    unavailable:")
            for begin, end in resource.unavailable:
                self.add(f"      - {{from: {when(begin)}, to: {when(end, end_of_day=True)}}}")

    def _task(self, task: ImportedTask, indent: str) -> None:
        where = f"line {task.line}" + (f", outline {task.outline}" if task.outline else "")
        self.add(f"{indent}- id: {name_text(task.id)}  # {where}", task.line)
        inner = indent + "  "
        if task.notes:
            self.lines.extend(f"{inner}# {line}".rstrip() for line in task.notes.splitlines())
        if task.name != task.id:
            self.add(f"{inner}name: {quoted(task.name)}")
        for key, value in self._fields(task):
            self.add(f"{inner}{key}: {value}")
        if task.children:
            self.add(f"{inner}tasks:")
            for child in task.children:
                self._task(child, inner + "  ")

    def _fields(self, task: ImportedTask) -> list[tuple[str, str]]:
        day = self.day.get(task.calendar or "default")
        out: list[tuple[str, str]] = []
        if task.milestone:
            out.append(("milestone", "true"))
        elif not task.children and task.duration_minutes is not None:
            out.append(("duration", amount(task.duration_minutes, day)))
        if task.links:
            out.append(("after", self._after(task)))
        if task.not_before is not None:
            out.append(("not_before", when(task.not_before)))
        if task.deadline is not None:
            out.append(("deadline", when(task.deadline, end_of_day=True)))
        if task.calendar is not None:
            out.append(("calendar", name_text(task.calendar)))
        for key in ("owner", "deliverable", "approver"):
            value = getattr(task, key)
            if value is not None:
                out.append((key, quoted(value)))
        out += self._resourcing(task) + self._tracking(task) + self._estimate(task, day)
        return out + self._runbook(task)

    def _runbook(self, task: ImportedTask) -> list[tuple[str, str]]:
        """Gate, branch and decision keys, texts quoted; the loader checks the values."""
        out: list[tuple[str, str]] = []
        for key, value in task.runbook.items():
            if key == "gate" and isinstance(value, dict):
                items = []
                for name, item in value.items():
                    if name == "rollback" and isinstance(item, str):
                        item = self.wanted.get(item, item)  # noqa: PLW2901 - the id as written
                    items.append(f"{name}: {_flow(item)}")
                out.append((key, f"{{{', '.join(items)}}}"))
            else:
                out.append((key, _flow(value)))
        return out

    def _resourcing(self, task: ImportedTask) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if task.allocate:
            units = ", ".join(
                f"{name_text(self.resource_ids[key])}: {count}"
                for key, count in task.allocate.items()
            )
            out.append(("allocate", f"{{{units}}}"))
        if task.priority is not None:
            out.append(("priority", str(task.priority)))
        return out

    @staticmethod
    def _estimate(task: ImportedTask, day: int | None) -> list[tuple[str, str]]:
        if task.estimate is None:
            return []
        low, likely, high = (amount(minutes, day) for minutes in task.estimate)
        out = [("estimate", f"{{optimistic: {low}, likely: {likely}, pessimistic: {high}}}")]
        if task.distribution is not None:
            out.append(("distribution", task.distribution))
        return out

    def _after(self, task: ImportedTask) -> str:
        # A summary's lag is counted on each of its tasks' calendars: hours mean the same on all.
        day = None if task.children else self.day.get(task.calendar or "default")
        items = []
        for link in task.links:
            pred = name_text(self.ids[link.pred])
            if link.type == "FS" and link.lag_minutes == 0:
                items.append(pred)
            else:
                lag = amount(link.lag_minutes, day)
                items.append(f"{{task: {pred}, type: {link.type}, lag: {lag}}}")
        return f"[{', '.join(items)}]"

    def _tracking(self, task: ImportedTask) -> list[tuple[str, str]]:
        if task.status == "not_started" or task.children:
            return []
        out = [("status", task.status)]
        if task.actual_start is not None:
            out.append(("actual_start", when(task.actual_start)))
        if task.actual_finish is not None:
            out.append(("actual_finish", when(task.actual_finish, end_of_day=True)))
        if task.status == "in_progress" and task.progress is not None:
            out.append(("progress", f"{task.progress:.6g}%"))
        return out


def _flow(value: object) -> str:
    """A value as YAML flow text that reads back as the same value (texts quoted)."""
    return json.dumps(value, ensure_ascii=False)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days(days: list[date]) -> str:
    return ", ".join(day.isoformat() for day in sorted(set(days)))
