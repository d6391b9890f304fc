"""MSPDI calendars read into cutover calendars: workdays, one set of hours, days off.

The project's calendar (``Project/CalendarUID``) becomes ``default``; a calendar a task
names keeps its name, made an id. A derived calendar takes the weekdays it leaves unset
and the exceptions of its base. cutover has one set of hours for every workday: when the
file's weekdays differ, the hours of most of them are taken and the others are noted.
Exceptions are read in both forms: ``Exceptions`` (Project 2007 on) and ``WeekDay`` with
``DayType`` 0 (Project 2003).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.interchange import mspdi_codes as codes
from cutover.interchange.ids import IdMaker
from cutover.interchange.imported import ImportedCalendar
from cutover.interchange.mspdi_values import MspdiError

if TYPE_CHECKING:
    from cutover.interchange.imported import ImportedPlan
    from cutover.interchange.xmltree import Element

Hours = tuple[tuple[int, int], ...]
#: A run of exceptional days: first, last, working hours (None: not worked), line.
Exception_ = tuple[date, date, Hours | None, int]
#: Longest run of exceptional days read (a "holiday" of ten years is a mistake).
MAX_EXCEPTION_DAYS = 3660


@dataclass
class _Raw:
    uid: str
    name: str
    line: int
    base: str | None
    weekdays: dict[int, Hours | None] = field(default_factory=dict)
    exceptions: list[Exception_] = field(default_factory=list)
    #: What could not be read: (line, message), noted when the calendar is used.
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_calendars(
    root: Element, plan: ImportedPlan, used: set[str], absorbed: frozenset[str] = frozenset()
) -> tuple[dict[str, str], list[ImportedCalendar]]:
    """The calendars in use as cutover calendars, and the name each UID got.

    ``absorbed`` are resource calendars read as their base and absences: not noted unused.
    """
    raws = _raws(root)
    project = root.value("CalendarUID") or ""
    if project not in raws:
        project = next(iter(raws), "")
    ids = IdMaker()
    ids.reserve("default")
    names: dict[str, str] = {}
    calendars: list[ImportedCalendar] = []
    for uid, raw in raws.items():
        if uid not in used and uid != project:
            continue
        name = "default" if uid == project else ids.make(raw.name, f"calendar-{uid}")
        names[uid] = name
        weekdays, exceptions = _resolved(raw, raws)
        if not any(weekdays.get(day) for day in range(7)):
            raise MspdiError(
                raw.line, f"calendar {raw.name!r} has no working time", "no-working-time"
            )
        calendars.append(_calendar(plan, raw, name, weekdays, exceptions))
        for line, message in raw.skipped:
            plan.note(
                line,
                "left-out",
                _("calendar {name!r}: {message}").format(name=raw.name, message=message),
            )
    for uid, raw in raws.items():
        if (
            uid not in names
            and uid not in absorbed
            and not any(other.base == uid for other in raws.values())
        ):
            plan.note(
                raw.line, "left-out", _("calendar {name!r}: no task uses it").format(name=raw.name)
            )
    return names, calendars


def _raws(root: Element) -> dict[str, _Raw]:
    return {
        raw.uid: raw for raw in (_read(element) for element in root.path("Calendars", "Calendar"))
    }


@dataclass(frozen=True)
class ResourceCalendar:
    """A resource's calendar: the UID of the calendar it works on, and its own days.

    A resource calendar that only derives from another (as MS Project makes one for each
    resource) is read as that base calendar, its exceptions as the resource's absences.
    """

    uid: str
    #: Its own exceptions: (first day, last day, hours worked or None, line).
    exceptions: tuple[Exception_, ...] = ()
    #: What of its own could not be read: (line, message).
    skipped: tuple[tuple[int, str], ...] = ()


def resource_calendars(root: Element, uids: set[str]) -> dict[str, ResourceCalendar]:
    """How to read each of the resource calendars ``uids`` (see ``ResourceCalendar``)."""
    raws = _raws(root)
    out: dict[str, ResourceCalendar] = {}
    for uid in uids:
        raw = raws.get(uid)
        if raw is None or raw.base is None or raw.weekdays or raw.base not in raws:
            out[uid] = ResourceCalendar(uid)
        else:
            out[uid] = ResourceCalendar(raw.base, tuple(raw.exceptions), tuple(raw.skipped))
    return out


def _resolved(raw: _Raw, raws: dict[str, _Raw]) -> tuple[dict[int, Hours | None], list[Exception_]]:
    """Weekdays and exceptions with the base calendars' filled in (a chain, not a cycle)."""
    weekdays: dict[int, Hours | None] = {}
    exceptions: list[Exception_] = []
    seen: set[str] = set()
    current: _Raw | None = raw
    while current is not None and current.uid not in seen:
        seen.add(current.uid)
        for day, hours in current.weekdays.items():
            weekdays.setdefault(day, hours)
        exceptions = exceptions + [e for e in current.exceptions if not _overlaps(e, exceptions)]
        current = raws.get(current.base or "")
    default = ((480, 720), (780, 1020))
    for day in range(7):
        weekdays.setdefault(day, default if day < 5 else None)
    return weekdays, exceptions


def _overlaps(exception: Exception_, others: list[Exception_]) -> bool:
    return any(first <= exception[1] and exception[0] <= last for first, last, _, _ in others)


def _calendar(
    plan: ImportedPlan,
    raw: _Raw,
    name: str,
    weekdays: dict[int, Hours | None],
    exceptions: list[Exception_],
) -> ImportedCalendar:
    working = {day: hours for day, hours in weekdays.items() if hours}
    common, _count = Counter(working.values()).most_common(1)[0]
    for day, hours in sorted(working.items()):
        if hours != common:
            plan.note(
                raw.line, "approximated",
                _(
                    "calendar {name!r}: {day} has other hours than the other workdays; it "
                    "is given {hours}"
                ).format(name=raw.name, day=_DAY_NAMES[day], hours=_hours_text(common)),
            )  # fmt: skip
    calendar = ImportedCalendar(
        name=name, line=raw.line, source_name=raw.name,
        workdays=tuple(sorted(working)), hours=common,
    )  # fmt: skip
    for first, last, exception_hours, line in exceptions:
        when = first
        while when <= last:
            _exception_day(plan, raw, calendar, when, (exception_hours, line))
            when += timedelta(days=1)
    return calendar


def _exception_day(
    plan: ImportedPlan,
    raw: _Raw,
    calendar: ImportedCalendar,
    day: date,
    exception: tuple[Hours | None, int],
) -> None:
    hours, line = exception
    usual = day.weekday() in calendar.workdays
    if hours is None:
        if usual:
            calendar.holidays.append(day)
        return
    if not usual:
        calendar.extra_workdays.append(day)
    if hours != calendar.hours:
        plan.note(
            line, "approximated",
            _(
                "calendar {name!r}: {day} works other hours; it is given {hours}"
            ).format(name=raw.name, day=day, hours=_hours_text(calendar.hours)),
        )  # fmt: skip


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hours_text(hours: Hours) -> str:
    return ", ".join(f"{b // 60:02d}:{b % 60:02d}-{e // 60:02d}:{e % 60:02d}" for b, e in hours)


def _read(element: Element) -> _Raw:
    base = element.value("BaseCalendarUID")
    raw = _Raw(
        uid=element.value("UID") or "",
        name=element.value("Name") or f"Calendar {element.value('UID')}",
        line=element.line,
        base=None if element.value("IsBaseCalendar") == "1" or base in {None, "-1"} else base,
    )
    for weekday in element.path("WeekDays", "WeekDay"):
        kind = weekday.value("DayType") or ""
        hours = _working_times(weekday)
        if kind == "0":
            _add_exception(raw, weekday, hours)
        elif kind in codes.WEEKDAY_OF_DAY_TYPE:
            raw.weekdays[codes.WEEKDAY_OF_DAY_TYPE[kind]] = hours
    for week in element.path("WorkWeeks", "WorkWeek"):
        raw.skipped.append((week.line, "a work week with its own hours"))
    for exception in element.path("Exceptions", "Exception"):
        if (exception.value("Type") or "1") != "1":
            raw.skipped.append((exception.line, "an exception that recurs by week, month or year"))
            continue
        _add_exception(raw, exception, _working_times(exception))
    return raw


def _add_exception(raw: _Raw, element: Element, hours: Hours | None) -> None:
    period = element.find("TimePeriod")
    days = None if period is None else _period(period)
    if days is None:
        raw.skipped.append((element.line, "an exception without a valid FromDate and ToDate"))
        return
    raw.exceptions.append((*days, hours, element.line))


def _working_times(element: Element) -> Hours | None:
    """The working hours of a day or an exception; None when it is not worked."""
    if element.value("DayWorking") != "1":
        return None
    spans = []
    for span in element.path("WorkingTimes", "WorkingTime"):
        begin, end = _clock(span.value("FromTime")), _clock(span.value("ToTime"))
        if begin is None or end is None:
            continue
        spans.append((begin, end if end > begin else end + 1440))
    return tuple(sorted(spans)) or None


def _clock(text: str | None) -> int | None:
    if not text:
        return None
    parts = text.strip().split(":")
    try:
        return int(parts[0]) * 60 + int(parts[1])
    except (IndexError, ValueError):
        return None


def _period(period: Element) -> tuple[date, date] | None:
    """The first and last day of a period; a ToDate at midnight ends the day before."""
    first = _moment(period.value("FromDate"))
    last = _moment(period.value("ToDate"))
    if first is None or last is None or last < first:
        return None
    end = last.date()
    if last.time() == datetime.min.time() and end > first.date():
        end -= timedelta(days=1)
    return first.date(), min(end, first.date() + timedelta(days=MAX_EXCEPTION_DAYS))


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None
