"""Checks that span several keys of a plan: ids, calendars, durations, tracking fields.

Ids must exist and be unique, calendars be defined, a leaf needs a duration, and tracking
fields must agree with the status.

They read the raw document, so they run even when some values are malformed, and a user
sees every mistake of a file in one run (PLAN_FORMAT: an unknown id, a duplicate id, an
unknown calendar ... is an error that names the file, line and column).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cutover.common.errors import Diagnostic, DocPath
from cutover.common.i18n import _
from cutover.planfile.model_errors import did_you_mean
from cutover.planfile.tasktree import raw_tasks
from cutover.worktime.timebase import MissingTimeError, TimeBase, zone_changes_near
from cutover.worktime.timepoints import TimepointError, parse_timepoint

if TYPE_CHECKING:
    from cutover.planfile.source import Locator

#: Keys that hold a time point of a task (checked against the zone's daylight saving).
_TIMES = ("not_before", "deadline", "actual_start", "actual_finish")
#: Keys whose agreement with the status ``_check_tracking`` looks at.
_TRACKING = frozenset({"actual_start", "actual_finish", "progress"})
_LEAF_ONLY = (
    "duration", "milestone", "status", "actual_start", "actual_finish", "progress", "estimate",
    "distribution",
)  # fmt: skip


class _Report:
    def __init__(self, source: Locator) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    def add(self, code: str, message: str, path: DocPath, *, at_key: bool = False) -> None:
        self.diagnostics.append(Diagnostic(code, message, self.source.locate(path, at_key=at_key)))


def check_references(
    data: dict[str, Any],
    source: Locator,
    tasks: list[tuple[DocPath, dict[str, Any]]] | None = None,
) -> list[Diagnostic]:
    """Cross-reference problems of a raw plan document, each located.

    ``tasks`` are the document's task mappings (``raw_tasks``) when already walked. Each
    check looks only at tasks that have its keys: at 100,000 tasks most have no
    calendar and no tracking fields, and asking them costs more than the answers.
    """
    report = _Report(source)
    if tasks is None:
        tasks = list(raw_tasks(data))
    ids = _check_ids(tasks, report)
    clock = _PlanClock.of(data, report)
    calendars = data.get("calendars")
    calendar_names = [str(name) for name in calendars] if isinstance(calendars, dict) else []
    units = _check_resources(data, calendar_names, report) if "resources" in data else {}
    for path, task in tasks:
        if "allocate" in task:
            _check_allocation(path, task, units, report)
        if "after" in task:
            _check_links(path, task, ids, report)
        if "calendar" in task:
            _check_calendar(path, task, calendar_names, report)
        _check_shape(path, task, report)
        if not _TRACKING.isdisjoint(task):
            _check_tracking(path, task, report)
            if clock is not None:
                clock.check_progress(path, task, report)
        if clock is not None and clock.changes:
            clock.check_times(path, task, report)
    _check_go_live(data, tasks, ids, report)
    return report.diagnostics


def _check_go_live(
    data: dict[str, Any],
    tasks: list[tuple[DocPath, dict[str, Any]]],
    ids: set[str],
    report: _Report,
) -> None:
    """``go_live: TASK`` names a task, and a plan has one go-live at most."""
    named = data.get("go_live")
    if isinstance(named, str) and named not in ids:
        hint = did_you_mean(named, sorted(ids))
        report.add(
            "unknown-task", f"go_live names '{named}', but no task has that id{hint}", ("go_live",)
        )
    flagged = [path for path, task in tasks if task.get("go_live") is True]
    if len(flagged) + (named is not None) > 1:
        first = "the plan's go_live" if named is not None else "another task"
        report.add(
            "go-live",
            f"more than one go-live: {first} already names one; keep a single go_live",
            (*flagged[-1], "go_live"),
            at_key=True,
        )


class _PlanClock:
    """The plan's time zone and status date, for checks that compare times."""

    def __init__(self, timebase: TimeBase, as_of: date | datetime | None, *, changes: bool) -> None:
        self.timebase = timebase
        self.as_of = as_of
        #: Whether the zone changes its offset near the plan's start (daylight saving).
        self.changes = changes

    @classmethod
    def of(cls, data: dict[str, Any], report: _Report) -> _PlanClock | None:
        """The plan's clock, or None when its zone or start is malformed (reported elsewhere)."""
        try:
            start = parse_timepoint(data.get("start"))
            timebase = TimeBase(str(data.get("timezone", "UTC")), start)
        except (TimepointError, ValueError, OSError, LookupError, TypeError):
            return None  # ZoneInfoNotFoundError is a KeyError
        changes = zone_changes_near(timebase.name, start.year)
        clock = cls(timebase, None, changes=changes)
        for key in ("start", "as_of"):
            if clock.changes and isinstance(data.get(key), str):
                clock.check_point(data[key], (key,), report)
        try:
            clock.as_of = parse_timepoint(data["as_of"]) if data.get("as_of") else None
        except TimepointError:
            clock.as_of = None
        return clock

    def check_point(self, value: object, path: DocPath, report: _Report) -> None:
        """PLAN_FORMAT: a wall time in the hour a daylight-saving change skips is an error."""
        try:
            point = parse_timepoint(value)
        except TimepointError:
            return  # the model reports it
        if isinstance(point, datetime):
            try:
                self.timebase.check_exists(point)
            except MissingTimeError as exc:
                report.add("missing-time", str(exc), path)

    def check_times(self, path: DocPath, task: dict[str, Any], report: _Report) -> None:
        """Every time point of a task must exist on the plan's wall clock."""
        for key in _TIMES:
            value = task.get(key)
            if isinstance(value, str) and len(value) > 10:  # a date alone always exists
                self.check_point(value, (*path, key), report)

    def check_progress(self, path: DocPath, task: dict[str, Any], report: _Report) -> None:
        """PLAN_FORMAT: recorded progress cannot lie in the plan's own future."""
        if "tasks" in task:
            return
        points: dict[str, date | datetime] = {}
        for key in ("actual_start", "actual_finish"):
            if key in task:
                try:
                    points[key] = parse_timepoint(task[key])
                except TimepointError:
                    continue
        if self.as_of is not None:
            for key, point in points.items():
                if self._after(point, self.as_of):
                    report.add(
                        "progress-after-as-of",
                        _(
                            "{task} has an {key} ({value}) after the plan's status date as_of "
                            "({as_of}): progress cannot be recorded before it happens; move "
                            "as_of, or correct the date"
                        ).format(
                            task=_label(task),
                            key=key,
                            value=task[key],
                            as_of=self.as_of.isoformat(),
                        ),
                        (*path, key),
                    )

    def _after(self, point: date | datetime, limit: date | datetime) -> bool:
        """Whether ``point`` is after ``limit``; a date alone is compared as a day."""
        if not isinstance(point, datetime) or not isinstance(limit, datetime):
            return _day(point) > _day(limit)
        return self.timebase.minute(point) > self.timebase.minute(limit)


def _day(point: date | datetime) -> date:
    return point.date() if isinstance(point, datetime) else point


def _label(task: dict[str, Any]) -> str:
    """How messages name a task: by its id, when it has a usable one."""
    name = task.get("id")
    return _("task '{id}'").format(id=name) if isinstance(name, str) else _("this task")


def _check_ids(tasks: list[tuple[DocPath, dict[str, Any]]], report: _Report) -> set[str]:
    first: dict[str, DocPath] = {}
    for path, task in tasks:
        task_id = task.get("id")
        if not isinstance(task_id, str):
            continue
        if task_id not in first:
            first[task_id] = path
            continue
        line = report.source.locate(first[task_id]).line
        report.add(
            "duplicate-id",
            _(
                "the id '{id}' is already used by the task on line {line}: "
                "ids are unique in the whole plan"
            ).format(id=task_id, line=line),
            (*path, "id"),
        )
    return set(first)


def _check_links(path: DocPath, task: dict[str, Any], ids: set[str], report: _Report) -> None:
    after = task.get("after")
    if not isinstance(after, list):
        return
    summary = "tasks" in task
    for index, item in enumerate(after):
        if isinstance(item, str) and item in ids:
            continue  # the common case: a known id
        if (
            summary
            and isinstance(item, dict)
            and str(item.get("type", "FS")).upper() in {"FF", "SF"}
        ):
            report.add(
                "summary-link",
                _(
                    "{task} is a summary: its finish comes from its sub-tasks, so a link "
                    "to it must be FS or SS (link its sub-tasks instead)"
                ).format(task=_label(task)),
                (*path, "after", index, "type"),
            )
        target = item.get("task") if isinstance(item, dict) else item
        if not isinstance(target, str) or target in ids:
            continue
        hint = did_you_mean(target, sorted(ids))
        report.add(
            "unknown-task",
            _("{task} comes after '{target}', but no task has that id{hint}").format(
                task=_label(task), target=target, hint=hint
            ),
            (*path, "after", index),
        )


def _check_calendar(path: DocPath, task: dict[str, Any], names: list[str], report: _Report) -> None:
    name = task.get("calendar")
    if not isinstance(name, str) or name in names or name == "default":
        return
    hint = did_you_mean(name, names) or (
        _(" (the plan defines {names})").format(names=", ".join(names))
        if names
        else _(" (the plan defines none)")
    )
    report.add(
        "unknown-calendar",
        _("{task} uses the calendar '{name}', which the plan does not define{hint}").format(
            task=_label(task), name=name, hint=hint
        ),
        (*path, "calendar"),
    )


def _check_resources(data: dict[str, Any], calendars: list[str], report: _Report) -> dict[str, int]:
    """Resource ids unique, units at least one, calendars defined; returns id -> units."""
    resources = data.get("resources")
    known: dict[str, int] = {}
    if not isinstance(resources, list):
        return known
    first: dict[str, DocPath] = {}
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        path: DocPath = ("resources", index)
        name = resource.get("id")
        units = resource.get("units", 1)
        if isinstance(name, str):
            if name in first:  # located only now: finding lines costs a pass over the file
                line = report.source.locate(first[name]).line
                report.add(
                    "duplicate-resource",
                    _("the resource id '{name}' is already used on line {line}").format(
                        name=name, line=line
                    ),
                    (*path, "id"),
                )
            first.setdefault(name, (*path, "id"))
            known[name] = units if isinstance(units, int) and units > 0 else 1
        if isinstance(units, int) and not isinstance(units, bool) and units < 1:
            report.add(
                "bad-units",
                _(
                    "the resource '{name}' has {units} units: a resource has at least 1 "
                    "(how many of it can work at once)"
                ).format(name=name, units=units),
                (*path, "units"),
            )
        calendar = resource.get("calendar")
        if isinstance(calendar, str) and calendar not in calendars and calendar != "default":
            hint = did_you_mean(calendar, calendars) or (
                _(" (the plan defines {names})").format(names=", ".join(calendars))
                if calendars
                else ""
            )
            report.add(
                "unknown-calendar",
                _(
                    "the resource '{name}' works on the calendar '{calendar}', which the plan "
                    "does not define{hint}"
                ).format(name=name, calendar=calendar, hint=hint),
                (*path, "calendar"),
            )
    return known


def _check_allocation(
    path: DocPath, task: dict[str, Any], resources: dict[str, int], report: _Report
) -> None:
    """Every allocated resource exists, with at least one unit and no more than it has."""
    allocate = task.get("allocate")
    if isinstance(allocate, list):
        items = [(name, 1, (*path, "allocate", i)) for i, name in enumerate(allocate)]
    elif isinstance(allocate, dict):
        items = [(name, units, (*path, "allocate", name)) for name, units in allocate.items()]
    else:
        return
    for name, units, where in items:
        if not isinstance(name, str):
            continue
        if name not in resources:
            hint = did_you_mean(name, sorted(resources)) or (
                _(" (the plan's resources: {names})").format(names=", ".join(sorted(resources)))
                if resources
                else _(" (the plan has no resources: add them under resources:)")
            )
            report.add(
                "unknown-resource",
                _("{task} allocates '{name}', but no resource has that id{hint}").format(
                    task=_label(task), name=name, hint=hint
                ),
                where,
            )
            continue
        if not isinstance(units, int) or isinstance(units, bool):
            continue  # the model says what a unit count is
        if units < 1:
            report.add(
                "bad-units",
                _(
                    "{task} allocates {units} units of '{name}': allocate at least 1 (or remove it)"
                ).format(task=_label(task), units=units, name=name),
                where,
            )
        elif units > resources[name]:
            report.add(
                "too-many-units",
                _(
                    "{task} allocates {units} units of '{name}', which has only {has}: it "
                    "could never start"
                ).format(task=_label(task), units=units, name=name, has=resources[name]),
                where,
            )


def _check_shape(path: DocPath, task: dict[str, Any], report: _Report) -> None:
    """Summaries take their dates from sub-tasks; leaves need a duration or to be milestones."""
    if "tasks" in task:
        if task["tasks"] == [] or task["tasks"] is None:
            report.add(
                "empty-summary",
                _("{task} has an empty list of sub-tasks").format(task=_label(task)),
                (*path, "tasks"),
            )
        for key in _LEAF_ONLY:
            if key in task:
                report.add(
                    "summary-field",
                    _(
                        "{task} is a summary (it has tasks): its {key} comes from its "
                        "sub-tasks, so remove it"
                    ).format(task=_label(task), key=key),
                    (*path, key),
                    at_key=True,
                )
        return
    milestone = task.get("milestone") is True
    duration = task.get("duration")
    if milestone and task.get("status") == "in_progress":
        report.add(
            "milestone-in-progress",
            f"{_label(task)} is a milestone: it takes no time, so it cannot be in progress "
            "(use status: done or not_started)",
            (*path, "status"),
        )
    if milestone and duration not in (None, "0", "0m", "0h", "0d", "PT0M", "P0D"):
        report.add(
            "milestone-duration",
            _(
                "{task} is a milestone and has a duration: a milestone takes no time "
                "(remove the duration or milestone: true)"
            ).format(task=_label(task)),
            (*path, "duration"),
        )
    if duration is None and not milestone and "estimate" not in task:
        report.add(
            "missing-duration",
            _("{task} has no duration: add one (such as duration: 2d), or milestone: true").format(
                task=_label(task)
            ),
            path,
        )
    elif isinstance(duration, str) and duration.strip().startswith("-"):
        report.add(
            "bad-duration",
            _("{task} has a negative duration").format(task=_label(task)),
            (*path, "duration"),
        )


def _check_tracking(path: DocPath, task: dict[str, Any], report: _Report) -> None:
    """Actual dates and progress must agree with the status (never guess which is right)."""
    if "tasks" in task:
        return
    status = task.get("status", "not_started")
    if not isinstance(status, str):
        return  # the model refuses a status that is not a word; nothing to compare here
    if "actual_finish" in task and status != "done":
        report.add(
            "status-mismatch",
            _(
                "{task} has an actual_finish but its status is {status}: "
                "set status: done, or remove actual_finish"
            ).format(task=_label(task), status=status),
            (*path, "actual_finish"),
        )
    if "actual_start" in task and status in {"not_started", "cancelled"}:
        report.add(
            "status-mismatch",
            _(
                "{task} has an actual_start but its status is {status}: "
                "set status: in_progress (or done)"
            ).format(task=_label(task), status=status),
            (*path, "actual_start"),
        )
    if (
        "progress" in task
        and status != "in_progress"
        and not (status == "done" and str(task["progress"]).strip() == "100%")
    ):
        report.add(
            "status-mismatch",
            _(
                "{task} has progress but its status is {status}: "
                "progress is for status: in_progress"
            ).format(task=_label(task), status=status),
            (*path, "progress"),
        )
