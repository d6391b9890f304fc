"""Primavera P6 resources (``RSRC``, ``RSRCRATE``) and assignments (``TASKRSRC``) read.

A labour or equipment resource becomes a resource: ``rsrc_short_name`` its id when it is
one, the highest ``max_qty_per_hr`` of its rates its units (one unit per hour is one
person; a fraction is rounded up and noted), its calendar the one it works on. A resource
calendar that keeps the weekly hours of its base calendar is read as that base, and the
days it changes as the resource's absences. An assignment's units per hour are its units.
Materials, costs and P6's work-driven durations are notes with their lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.interchange.imported import (
    ImportedResource,
    assign,
    day_spans,
    merged_spans,
    whole_units,
)
from cutover.interchange.xer_tables import SERIAL_EPOCH, Row, calendar_nodes, hours_of

if TYPE_CHECKING:
    from cutover.interchange.imported import ImportedCalendar, ImportedPlan, ImportedTask

Hours = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ResourceCalendar:
    """The calendar a resource works on (its ``clndr_id``) and the days of its own."""

    calendar_id: str
    #: Days the resource's own calendar changes: (day, hours worked, line).
    days: tuple[tuple[date, Hours, int], ...] = ()


def resource_calendars(
    resources: list[Row], calendars: dict[str, Row]
) -> dict[str, ResourceCalendar]:
    """How each resource's calendar is read, by the resource's ``rsrc_id``."""
    out: dict[str, ResourceCalendar] = {}
    for row in resources:
        key = row.get("clndr_id")
        own = calendars.get(key)
        base = calendars.get(own.get("base_clndr_id")) if own is not None else None
        if own is None or base is None or own.get("clndr_type") != "CA_Rsrc":
            out[row.get("rsrc_id")] = ResourceCalendar(key)
            continue
        own_week, own_days = _calendar_data(own)
        base_week, base_days = _calendar_data(base)
        if own_week != base_week:
            out[row.get("rsrc_id")] = ResourceCalendar(key)
            continue
        changed = tuple(
            (day, hours, own.line)
            for day, hours in sorted(own_days.items())
            if base_days.get(day) != hours
        )
        out[row.get("rsrc_id")] = ResourceCalendar(base.get("clndr_id"), changed)
    return out


def _calendar_data(row: Row) -> tuple[dict[str, Hours], dict[date, Hours]]:
    nodes = calendar_nodes(row.get("clndr_data"))
    data = next((node for node in nodes if node.name == "CalendarData"), None)
    week: dict[str, Hours] = {}
    days: dict[date, Hours] = {}
    if data is None:
        return week, days
    weekly = data.child("DaysOfWeek")
    for day in weekly.children if weekly else []:
        week[day.name] = hours_of(day)
    exceptions = data.child("Exceptions")
    for node in exceptions.children if exceptions else []:
        try:
            days[SERIAL_EPOCH + timedelta(days=int(node.params.get("d", "")))] = hours_of(node)
        except ValueError:
            continue
    return week, days


def read_resources(
    plan: ImportedPlan,
    tables: dict[str, list[Row]],
    assignments: list[Row],
    tasks: dict[str, ImportedTask],
    calendars: tuple[dict[str, ResourceCalendar], dict[str, str]],
) -> None:
    """Every resource and the project's assignments into ``plan`` (tasks read already)."""
    read_as, names = calendars
    rates: dict[str, list[float]] = {}
    for rate in tables.get("RSRCRATE", []):
        try:
            rates.setdefault(rate.get("rsrc_id"), []).append(float(rate.get("max_qty_per_hr")))
        except ValueError:
            continue
        if float(rate.get("cost_per_qty") or 0):
            plan.note(rate.line, "left-out", _("a resource's cost per unit (a plan has no costs)"))
    found: dict[str, ImportedResource] = {}
    materials: dict[str, str] = {}
    for row in tables.get("RSRC", []):
        key, name = row.get("rsrc_id"), row.get("rsrc_name") or row.get("rsrc_short_name")
        if row.get("rsrc_type") == "RT_Mat":
            materials[key] = name
            plan.note(
                row.line,
                "left-out",
                _("resource {name!r} is a material: a plan has only work resources").format(
                    name=name
                ),
            )
            continue
        resource = ImportedResource(key=key, name=name or key, line=row.line)
        resource.wanted_id = row.get("rsrc_short_name") or None
        resource.units = _units(plan, row, rates.get(key, []), resource.name)
        calendar = read_as.get(key)
        if calendar is not None:
            _calendar(plan, resource, calendar, names)
        found[key] = resource
        plan.resources.append(resource)
    for row in assignments:
        _assignment(plan, row, tasks, found, materials)


def _units(plan: ImportedPlan, row: Row, rates: list[float], name: str) -> int:
    what = _("resource {name!r}").format(name=name)
    if len(set(rates)) > 1:
        plan.note(
            row.line,
            "approximated",
            _("{what}: units that change over time (its maximum is kept)").format(what=what),
        )
    if not rates:
        return 1
    return whole_units(plan, row.line, max(rates), what) or 1


def _calendar(
    plan: ImportedPlan,
    resource: ImportedResource,
    calendar: ResourceCalendar,
    names: dict[str, str],
) -> None:
    name = names.get(calendar.calendar_id)
    resource.calendar = None if name in {None, "default"} else name
    base = next((c for c in plan.calendars if c.name == (name or "default")), None)
    spans: list[tuple[datetime, datetime]] = []
    for day, hours, line in calendar.days:
        if base is not None and _works(base, day):
            spans.extend(day_spans(base.hours, hours, day))
        elif hours:
            plan.note(
                line,
                "left-out",
                _("resource {name!r} works on {day}, which its calendar does not").format(
                    name=resource.name, day=day
                ),
            )
    resource.unavailable = merged_spans(spans)


def _works(calendar: ImportedCalendar, day: date) -> bool:
    if day in calendar.extra_workdays:
        return True
    return day.weekday() in calendar.workdays and day not in calendar.holidays


def _assignment(
    plan: ImportedPlan,
    row: Row,
    tasks: dict[str, ImportedTask],
    resources: dict[str, ImportedResource],
    materials: dict[str, str],
) -> None:
    task, resource = tasks.get(row.get("task_id")), resources.get(row.get("rsrc_id"))
    if not row.get("rsrc_id"):
        plan.note(
            row.line,
            "left-out",
            _("activity {name!r}: a role assigned without a resource").format(
                name=task.name if task else row.get("task_id")
            ),
        )
        return
    if row.get("rsrc_id") in materials:
        plan.note(
            row.line,
            "left-out",
            _("assignment of {name!r} to {name2!r}").format(
                name=materials[row.get("rsrc_id")],
                name2=task.name if task else row.get("task_id"),
            ),
        )
        return
    if task is None or resource is None:
        plan.note(
            row.line,
            "left-out",
            _(
                "an assignment of resource {resource} to activity {task}, which the file lacks"
            ).format(resource=row.get("rsrc_id"), task=row.get("task_id")),
        )
        return
    text = row.get("remain_qty_per_hr") or row.get("target_qty_per_hr") or "1"
    assign(plan, row.line, task, resource, text)


def note_work_driven(plan: ImportedPlan, task: ImportedTask, row: Row) -> None:
    """An activity whose duration P6 derives from its units or work: cutover keeps it."""
    kind = row.get("duration_type")
    if task.allocate and kind and kind != "DT_FixedDrtn":
        plan.note(
            row.line,
            "approximated",
            _(
                "activity {name!r}: its duration type {kind} derives the duration from "
                "units or work; cutover keeps its duration"
            ).format(name=task.name, kind=kind),
        )
