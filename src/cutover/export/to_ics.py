"""Milestones and deadlines as an iCalendar file (RFC 5545) for the planners' calendars.

One event per milestone (at its forecast date) and one per deadline, each with a reminder
the day before (at 09:00 for an all-day deadline, not at midnight). UIDs are derived from
the plan's name, the task id and the kind of event, so importing a newer export updates
the events instead of adding copies. Times carry the plan's time zone, with its
VTIMEZONE; a deadline that is a date alone is an all-day event.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from cutover import __version__
from cutover.common.i18n import _
from cutover.findings.wording import deadline_text, when

if TYPE_CHECKING:
    from icalendar import Event

    from cutover.engine.rows import ScheduleRow
    from cutover.export.view import ExportOptions, ExportView, TableRow

PRODID = f"-//cutover//cutover {__version__}//EN"
#: Reminders the day before: at the same time, or at 09:00 for an all-day deadline, and at
#: 09:00 too when the same time the day before is at night (no alarm at midnight).
REMINDER = timedelta(days=-1)
ALL_DAY_REMINDER = timedelta(hours=-15)
REMINDER_HOURS = range(8, 20)
#: SEQUENCE counts minutes since this instant: each export's is higher than the last one's,
#: so a calendar replaces an invitation whose forecast moved (RFC 5545 §3.8.7.4).
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
#: Namespace of the events' UIDs; never change it, or every calendar gets duplicates.
UID_NAMESPACE = uuid.UUID("6f1d3a52-6a0b-5b8e-9d0e-2c6b5b0c7e11")


def event_uid(plan: str, task_id: str, kind: str) -> str:
    """The stable UID of one event: the same plan, task and kind give the same UID."""
    name = f"{plan}\n{task_id}\n{kind}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@cutover"


def export_ics(view: ExportView, options: ExportOptions, /) -> bytes:
    """A VCALENDAR with the plan's milestone and deadline events."""
    from icalendar import Calendar  # noqa: PLC0415 - imported by the one exporter that needs it

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is not escaped like TEXT: a plan name on several lines becomes one line.
    calendar.add("x-wr-calname", " ".join(view.title.plan.split()))
    calendar.add("x-wr-timezone", view.timebase.name)
    stamp = _utc(view, options.generated_at)
    for item in view.table:
        if item.row.milestone:
            calendar.add_component(_milestone(view, item, stamp))
        if item.row.deadline is not None:
            calendar.add_component(_deadline(view, item, stamp))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _utc(view: ExportView, moment: datetime) -> datetime:
    """DTSTAMP is UTC; a naive ``generated_at`` is in the plan's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=view.timebase.zone)
    return moment.astimezone(UTC)


def _milestone(view: ExportView, item: TableRow, stamp: datetime) -> Event:
    """A milestone at its date: done, or a forecast that each export recalculates."""
    row = item.row
    summary = _("Milestone: {name}").format(name=row.name)
    if row.status not in {"done", "cancelled"}:
        summary += " " + _("(forecast)")
    event = _event(view, item, "milestone", stamp, summary)
    event.add("dtstart", view.timebase.aware(row.start))  # no DTEND: an instant (RFC 5545 §3.6.1)
    return event


def _deadline(view: ExportView, item: TableRow, stamp: datetime) -> Event:
    row = item.row
    assert row.deadline is not None
    event = _event(view, item, "deadline", stamp, _("Deadline: {name}").format(name=row.name))
    if row.deadline_is_date:
        day = view.timebase.day_of(row.deadline - 1)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        event.add("dtstart", view.timebase.aware(row.deadline))
    return event


def _event(view: ExportView, item: TableRow, kind: str, stamp: datetime, summary: str) -> Event:
    from icalendar import Alarm, Event  # noqa: PLC0415

    row = item.row
    event = Event()
    event.add("uid", event_uid(view.title.plan, row.id, kind))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", max(int((stamp - SEQUENCE_EPOCH).total_seconds()) // 60, 0))
    event.add("summary", summary)
    event.add("description", _description(view, item))
    event.add("transp", "TRANSPARENT")
    if row.status == "cancelled":
        event.add("status", "CANCELLED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Tomorrow: {summary}").format(summary=summary))
    alarm.add("trigger", _reminder(view, row, kind))
    event.add_component(alarm)
    return event


def _reminder(view: ExportView, row: ScheduleRow, kind: str) -> timedelta:
    """The day before at the same time, unless that is at night: then 09:00 the day before."""
    if row.deadline_is_date and kind == "deadline":
        return ALL_DAY_REMINDER
    at = row.deadline if kind == "deadline" and row.deadline is not None else row.start
    moment = view.timebase.naive(at)
    if (moment - REMINDER).hour in REMINDER_HOURS:
        return REMINDER
    nine = (moment + REMINDER).replace(hour=9, minute=0, second=0, microsecond=0)
    return nine - moment


def _description(view: ExportView, item: TableRow) -> str:
    row, timebase = item.row, view.timebase
    lines = [f"{view.title.plan}", _("Task {id}: {name}").format(id=row.id, name=row.name)]
    if row.owner:
        lines.append(_("Owner: {name}").format(name=row.owner))
    if row.approver:
        lines.append(_("Approver: {name}").format(name=row.approver))
    if row.deliverable:
        lines.append(_("Deliverable: {name}").format(name=row.deliverable))
    if row.status == "done":
        lines.append(_("Finished: {when}").format(when=when(timebase, row.finish)))
    else:
        lines.append(
            _(
                "Forecast finish: {when} (a forecast: exported again, this event moves with "
                "the plan)"
            ).format(when=when(timebase, row.finish))
        )
    if row.deadline is not None:
        deadline = deadline_text(timebase, row.deadline, end_of_day=row.deadline_is_date)
        lines.append(_("Deadline: {name}").format(name=deadline))
    lines.append(_("Status: {status}").format(status=item.status))
    lines.append(
        _("Schedule: {status}, exported {when}").format(
            status=view.title.status, when=view.title.generated
        )
    )
    return "\n".join(lines)
