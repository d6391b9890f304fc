"""MPXJ, the independent reader, run in a child process (one JVM per run).

``python tests/mpxj_probe.py read FILE...`` prints what MPXJ understood of each file as a
JSON list: tasks with outline, duration, links, whether active, custom fields Text1 and
Text7, start and levelling delay; calendars with working hours and exceptions; resources
with their code, maximum units and calendar; assignments with their units.
``python tests/mpxj_probe.py schedule FILE`` schedules the file with MPXJ's MS Project-like
scheduler and prints each task's start and finish.
``python tests/mpxj_probe.py convert IN OUT FORMAT`` writes a file MPXJ reads in another
format (MSPDI, XER, MPX, PLANNER, PMXML).
Needs ``pip install mpxj`` and a Java runtime; tests skip when either is missing.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _minutes(duration: Any, properties: Any) -> float | None:
    if duration is None:
        return None
    from org.mpxj import TimeUnit  # noqa: PLC0415

    return float(duration.convertUnits(TimeUnit.MINUTES, properties).getDuration())


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _elapsed_minutes(duration: Any, properties: Any) -> float | None:
    """A levelling delay in wall-clock minutes (MS Project counts it as elapsed time)."""
    if duration is None:
        return None
    from org.mpxj import TimeUnit  # noqa: PLC0415

    elapsed = TimeUnit.ELAPSED_MINUTES
    return float(duration.convertUnits(elapsed, properties).getDuration())


def _calendar(calendar: Any) -> dict[str, Any]:
    from java.time import DayOfWeek  # noqa: PLC0415

    days = {}
    for day in DayOfWeek.values():
        hours = calendar.getCalendarHours(day)
        working = calendar.isWorkingDay(day)
        spans = [[str(r.getStart()), str(r.getEnd())] for r in hours] if hours else []
        days[str(day)[:3].lower()] = spans if working else []
    exceptions = [
        [str(e.getFromDate()), str(e.getToDate()), bool(e.getWorking())]
        for e in calendar.getCalendarExceptions()
    ]
    hours = [
        [str(e.getFromDate()), [[str(r.getStart()), str(r.getEnd())] for r in e]]
        for e in calendar.getCalendarExceptions()
    ]
    return {
        "name": str(calendar.getName()),
        "days": days,
        "exceptions": exceptions,
        "exception_hours": hours,
    }


def _resource(resource: Any) -> dict[str, Any]:
    calendar = resource.getCalendar()
    parent = None if calendar is None else calendar.getParent()
    return {
        "name": str(resource.getName()),
        "code": None if resource.getCode() is None else str(resource.getCode()),
        "short_name": None if resource.getResourceID() is None else str(resource.getResourceID()),
        "max_units": None if resource.getMaxUnits() is None else float(resource.getMaxUnits()),
        "calendar": None if calendar is None else _calendar(calendar),
        "base_calendar": None if parent is None else str(parent.getName()),
    }


def read(path: str) -> dict[str, Any]:
    """What MPXJ reads from a file."""
    from org.mpxj.reader import UniversalProjectReader  # noqa: PLC0415

    project = UniversalProjectReader().read(path)
    properties = project.getProjectProperties()
    tasks = []
    for task in project.getTasks():
        if task.getOutlineLevel() is None or int(task.getOutlineLevel()) == 0:
            continue
        links = [
            {
                "pred": str(r.getPredecessorTask().getName()),
                "type": str(r.getType()),
                "lag_minutes": _minutes(r.getLag(), properties),
            }
            for r in task.getPredecessors()
        ]
        calendar = task.getCalendar()
        tasks.append(
            {
                "name": str(task.getName()),
                "text1": None if task.getText(1) is None else str(task.getText(1)),
                "text7": None if task.getText(7) is None else str(task.getText(7)),
                "active": bool(task.getActive()),
                "outline_level": int(task.getOutlineLevel()),
                "summary": bool(task.getSummary()),
                "milestone": bool(task.getMilestone()),
                "duration_minutes": _minutes(task.getDuration(), properties),
                "calendar": None if calendar is None else str(calendar.getName()),
                "constraint": str(task.getConstraintType()),
                "predecessors": links,
                "start": None if task.getStart() is None else str(task.getStart()),
                "leveling_delay_minutes": _elapsed_minutes(task.getLevelingDelay(), properties),
                "preleveled_start": _text(task.getPreleveledStart()),
            }
        )
    return {
        "tasks": tasks,
        "resources": [_resource(r) for r in project.getResources() if r.getName() is not None],
        "assignments": [
            {
                "task": str(a.getTask().getName()),
                "resource": str(a.getResource().getName()),
                "units": float(a.getUnits()),
            }
            for a in project.getResourceAssignments()
            if a.getResource() is not None and a.getTask() is not None
        ],
        "calendars": [_calendar(c) for c in project.getCalendars()],
        "default_calendar": str(project.getDefaultCalendar().getName()),
    }


def schedule(path: str) -> list[dict[str, Any]]:
    """Each task's start and finish once MPXJ's MS Project-like scheduler has placed it.

    MS Project writes a task's actual and remaining duration even before it starts, and
    the scheduler needs them: a task without them gets 0 and its duration.
    """
    from org.mpxj import Duration, TimeUnit  # noqa: PLC0415
    from org.mpxj.cpm import MicrosoftScheduler  # noqa: PLC0415
    from org.mpxj.reader import UniversalProjectReader  # noqa: PLC0415

    project = UniversalProjectReader().read(path)
    for task in project.getTasks():
        if task.getActualDuration() is None:
            task.setActualDuration(Duration.getInstance(0, TimeUnit.HOURS))
        if task.getRemainingDuration() is None:
            task.setRemainingDuration(task.getDuration())
    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    return [
        {
            "name": str(task.getName()),
            "start": str(task.getStart()),
            "finish": str(task.getFinish()),
        }
        for task in project.getTasks()
        if task.getOutlineLevel() is not None and int(task.getOutlineLevel()) > 0
    ]


def convert(source: str, target: str, fmt: str) -> None:
    """Read ``source`` in any format MPXJ knows and write ``target`` in ``fmt``."""
    from org.mpxj.reader import UniversalProjectReader  # noqa: PLC0415
    from org.mpxj.writer import FileFormat, UniversalProjectWriter  # noqa: PLC0415

    project = UniversalProjectReader().read(source)
    UniversalProjectWriter(getattr(FileFormat, fmt)).write(project, target)


def main() -> None:
    """Start the JVM and run the command named on the command line."""
    import jpype  # noqa: PLC0415
    import mpxj  # noqa: F401, PLC0415 - puts MPXJ's jars on the class path

    jpype.startJVM("-Djava.awt.headless=true")
    if sys.argv[1] == "read":
        sys.stdout.write(json.dumps([read(path) for path in sys.argv[2:]], ensure_ascii=False))
    elif sys.argv[1] == "schedule":
        sys.stdout.write(json.dumps(schedule(sys.argv[2]), ensure_ascii=False))
    else:
        convert(sys.argv[2], sys.argv[3], sys.argv[4])


if __name__ == "__main__":
    main()
