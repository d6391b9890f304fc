"""MSPDI resources and assignments read into an ``ImportedPlan``.

A work resource becomes a resource: its ``Code`` the id when it is one (cutover writes the
id there), ``MaxUnits`` its units (1.0 is one unit; a fraction is rounded up and noted),
its calendar the one its resource calendar derives from, and that calendar's exceptions
its ``unavailable`` spans. An assignment becomes an allocation of the task with its
``Units``. Material and cost resources, rates, overtime and effort-driven work have no
place in a plan: each is a note with its line. A levelling delay makes the plan level its
resources (``level: true``), with a note.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.interchange import mspdi_codes as codes
from cutover.interchange.imported import (
    ImportedResource,
    assign,
    day_spans,
    merged_spans,
    whole_units,
)
from cutover.interchange.mspdi_values import MspdiError, parse_pt
from cutover.worktime.durations import format_minutes
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from cutover.interchange.imported import ImportedCalendar, ImportedPlan, ImportedTask
    from cutover.interchange.mspdi_calendars import ResourceCalendar
    from cutover.interchange.xmltree import Element

#: MS Project's stand-in for "no resource" in an assignment.
UNASSIGNED = "-65535"
#: Rates and costs of a resource that a plan cannot carry.
_COSTS = ("StandardRate", "OvertimeRate", "CostPerUse")


def work_resources(root: Element) -> list[Element]:
    """The resources that are work resources with a name (not the null resource 0)."""
    out = []
    for element in root.path("Resources", "Resource"):
        kind = element.value("Type") or codes.RESOURCE_WORK
        if element.value("IsNull") == "1" or not element.value("Name"):
            continue
        if kind == codes.RESOURCE_WORK:
            out.append(element)
    return out


def read_resources(
    plan: ImportedPlan,
    root: Element,
    calendars: tuple[dict[str, ResourceCalendar], dict[str, str]],
) -> None:
    """Every resource and assignment of the file into ``plan`` (its tasks read already).

    ``calendars``: how each resource calendar is read, and the name each calendar got.
    """
    read_as, names = calendars
    found: dict[str, ImportedResource] = {}
    others: dict[str, str] = {}
    for element in root.path("Resources", "Resource"):
        uid, name = element.value("UID") or "", element.value("Name") or ""
        kind = element.value("Type") or codes.RESOURCE_WORK
        if element.value("IsNull") == "1" or not name:
            continue
        if kind != codes.RESOURCE_WORK:
            others[uid] = name
            message = (
                _("resource {name!r} is a material: a plan has only work resources")
                if kind == codes.RESOURCE_MATERIAL
                else _("resource {name!r} is a cost resource: a plan has only work resources")
            )
            plan.note(element.line, "left-out", message.format(name=name))
            continue
        resource = _resource(plan, element, uid, name)
        calendar = read_as.get(element.value("CalendarUID") or "")
        if calendar is not None:
            _calendar(plan, resource, calendar, names)
        found[uid] = resource
        plan.resources.append(resource)
    _assignments(plan, root, found, others)


def _resource(plan: ImportedPlan, element: Element, uid: str, name: str) -> ImportedResource:
    resource = ImportedResource(key=uid, name=name, line=element.line)
    resource.wanted_id = element.value("Code") or None
    text = element.value("MaxUnits")
    what = _("resource {name!r}").format(name=name)
    if text:
        try:
            units = whole_units(plan, element.line, float(text), what)
        except ValueError:
            units = None
            plan.note(
                element.line, "left-out", _("{what}: units {text!r}").format(what=what, text=text)
            )
        resource.units = units or 1
    for key in _COSTS:
        if float(element.value(key) or 0):
            plan.note(
                element.line,
                "left-out",
                _("resource {name!r}: {key} (a plan has no costs)").format(name=name, key=key),
            )
    if element.find("AvailabilityPeriods") is not None:
        plan.note(
            element.line,
            "left-out",
            _("resource {name!r}: units that change over time (its maximum is kept)").format(
                name=name
            ),
        )
    return resource


def _calendar(
    plan: ImportedPlan,
    resource: ImportedResource,
    calendar: ResourceCalendar,
    names: dict[str, str],
) -> None:
    """The resource's calendar by its name, and its own exceptions as absences."""
    name = names.get(calendar.uid)
    resource.calendar = None if name in {None, "default"} else name
    base = next((c for c in plan.calendars if c.name == (name or "default")), None)
    for line, message in calendar.skipped:
        plan.note(
            line,
            "left-out",
            _("calendar of resource {name!r}: {message}").format(
                name=resource.name, message=message
            ),
        )
    spans: list[tuple[datetime, datetime]] = []
    for first, last, hours, line in calendar.exceptions:
        day = first
        while day <= last:
            usual = base is not None and _works(base, day)
            if usual and base is not None:
                spans.extend(day_spans(base.hours, hours or (), day))
            elif hours:
                plan.note(
                    line,
                    "left-out",
                    _("resource {name!r} works on {day}, which its calendar does not").format(
                        name=resource.name, day=day
                    ),
                )
            day += timedelta(days=1)
    resource.unavailable = merged_spans(spans)


def _works(calendar: ImportedCalendar, day: date) -> bool:
    if day in calendar.extra_workdays:
        return True
    return day.weekday() in calendar.workdays and day not in calendar.holidays


def _assignments(
    plan: ImportedPlan,
    root: Element,
    resources: dict[str, ImportedResource],
    others: dict[str, str],
) -> None:
    tasks = {task.key: task for task in plan.all_tasks()}
    for element in root.path("Assignments", "Assignment"):
        task_uid = element.value("TaskUID") or ""
        resource_uid = element.value("ResourceUID") or ""
        if resource_uid == UNASSIGNED:
            continue  # MS Project's "no resource"
        task, resource = tasks.get(task_uid), resources.get(resource_uid)
        if resource_uid in others:
            plan.note(
                element.line,
                "left-out",
                _("assignment of {name!r} to {name2!r}").format(
                    name=others[resource_uid], name2=task.name if task else task_uid
                ),
            )
            continue
        if task is None or resource is None:
            plan.note(
                element.line,
                "left-out",
                _(
                    "an assignment of resource UID {resource} to task UID {task}, which "
                    "the file lacks"
                ).format(resource=resource_uid, task=task_uid),
            )
            continue
        _assignment(plan, element, task, resource)


def _assignment(
    plan: ImportedPlan, element: Element, task: ImportedTask, resource: ImportedResource
) -> None:
    if not assign(plan, element.line, task, resource, element.value("Units") or "1"):
        return
    what = _("assignment of {name!r} to {name2!r}").format(name=resource.name, name2=task.name)
    if task.children:
        plan.note(
            element.line,
            "approximated",
            _("{what}: a summary's allocation applies to each of its tasks").format(what=what),
        )
    if _minutes(element.value("OvertimeWork")) > 0:
        plan.note(element.line, "left-out", _("{what}: overtime work").format(what=what))


def _minutes(text: str | None) -> int:
    """The minutes of a PT duration (0 when it is none or unreadable)."""
    if not text:
        return 0
    try:
        minutes, _rounded = parse_pt(text, 0)
    except MspdiError:
        return 0
    return minutes


def note_effort(plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
    """A task whose duration MS Project derives from work: cutover keeps the duration."""
    if not task.allocate:
        return
    kind = element.value("Type") or "1"
    if element.value("EffortDriven") == "1" or kind in {"0", "2"}:
        plan.note(
            element.line,
            "approximated",
            _(
                "task {name!r} is effort-driven or of fixed work: cutover keeps its "
                "duration, whatever its resources"
            ).format(name=task.name),
        )


def note_levelling_delay(plan: ImportedPlan, task: ImportedTask, element: Element) -> None:
    """A task a leveller delayed: the plan levels its resources instead, and says so.

    The plan format has no per-task delay. A task with resources makes the imported plan
    ``level: true``, so that cutover levels it again (its dates may differ from the
    file's); a delay on a task without resources is left out.
    """
    found = element.find("LevelingDelay")
    if found is None or not found.text.strip():
        return
    try:
        tenths = float(found.text)
    except ValueError:
        raise MspdiError(
            found.line,
            _("LevelingDelay {text!r} is not a number of tenths of a minute").format(
                text=found.text.strip()
            ),
        ) from None
    minutes = round(tenths / 10)
    if minutes <= 0:
        return
    delay = format_minutes(minutes, MINUTES_PER_DAY)
    if task.allocate:
        plan.level = True
        plan.note(
            found.line,
            "approximated",
            _(
                "task {name!r} has a levelling delay of {delay}: the plan format has no "
                "per-task delay, so the plan levels its resources (level: true) and cutover "
                "places the task again"
            ).format(name=task.name, delay=delay),
        )
    else:
        plan.note(
            found.line,
            "left-out",
            _(
                "task {name!r} has a levelling delay of {delay} but no resources to level: "
                "the plan has no per-task delay"
            ).format(name=task.name, delay=delay),
        )
