"""The iCalendar export, parsed back: one event per milestone and deadline, stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from cutover.export import ExportOptions, export
from cutover.findings.pipeline import Analysis, analyse

GOLDEN = Path(__file__).parent / "golden" / "export"
PLAN = GOLDEN / "tuyenquang.yaml"
AS_OF = datetime(2025, 6, 26, 9, 0)
GENERATED_AT = datetime(2025, 6, 26, 10, 0, tzinfo=UTC)
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(PLAN, now=None, as_of=AS_OF)


def _ics(analysis: Analysis, generated_at: datetime = GENERATED_AT) -> bytes:
    return export(analysis, "ics", ExportOptions(generated_at=generated_at))


def _events(data: bytes) -> dict[str, Component]:
    """Events by summary."""
    calendar = Calendar.from_ical(data)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_has_the_required_properties(analysis: Analysis) -> None:
    calendar = Calendar.from_ical(_ics(analysis))
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//cutover//")
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]


def test_one_event_per_milestone_and_per_deadline(analysis: Analysis) -> None:
    plan = analysis.graph
    milestones = sum(plan.task(node).milestone for node in range(len(plan)))
    deadlines = sum(deadline is not None for deadline in plan.deadline)
    events = Calendar.from_ical(_ics(analysis)).walk("VEVENT")
    assert len(events) == milestones + deadlines == 6 + 17
    assert sum(str(event["summary"]).startswith("Milestone: ") for event in events) == milestones


def test_a_milestone_is_an_instant_in_the_plans_time_zone(analysis: Analysis) -> None:
    event = _events(_ics(analysis))["Milestone: Go-live of the five systems (forecast)"]
    assert event.decoded("dtstart") == datetime(2025, 6, 29, 18, 0, tzinfo=HO_CHI_MINH)
    assert "dtend" not in event


def test_a_deadline_that_is_a_date_is_an_all_day_event(analysis: Analysis) -> None:
    event = _events(_ics(analysis))["Deadline: Trial operation of the five systems"]
    assert event.decoded("dtstart") == date(2025, 6, 29)
    assert event.decoded("dtend") == date(2025, 6, 30)
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(hours=-15)  # 09:00 the day before


def test_a_deadline_with_a_time_keeps_it_and_reminds_a_day_before(analysis: Analysis) -> None:
    event = _events(_ics(analysis))[
        "Deadline: National Public Service Portal becomes the only gateway"
    ]
    assert event.decoded("dtstart") == datetime(2025, 6, 27, 18, 0, tzinfo=HO_CHI_MINH)
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert str(alarm["description"]).startswith("Tomorrow: Deadline: National Public Service")
    assert alarm.decoded("trigger") == timedelta(days=-1)


def test_every_event_has_a_uid_a_stamp_and_a_reminder(analysis: Analysis) -> None:
    for event in Calendar.from_ical(_ics(analysis)).walk("VEVENT"):
        assert str(event["uid"]).endswith("@cutover")
        assert event.decoded("dtstamp") == GENERATED_AT
        assert len(event.walk("VALARM")) == 1


def test_uids_are_stable_across_exports_and_status_dates(analysis: Analysis) -> None:
    later = analyse(PLAN, now=None, as_of=datetime(2025, 6, 27, 16, 0))
    first = _events(_ics(analysis))
    second = _events(_ics(later, datetime(2025, 6, 27, 16, 5, tzinfo=UTC)))
    assert {name: str(event["uid"]) for name, event in first.items()} == {
        name: str(event["uid"]) for name, event in second.items()
    }
    assert len({str(event["uid"]) for event in first.values()}) == len(first)


def test_vietnamese_text_round_trips(analysis: Analysis) -> None:
    event = _events(_ics(analysis))[
        "Deadline: Ủy ban nhân dân tỉnh issues the provincial cutover plan"
    ]
    assert "Owner: Provincial People's Committee Office (Văn phòng UBND tỉnh)" in str(
        event["description"]
    )


def test_the_file_follows_rfc_5545_line_rules(analysis: Analysis) -> None:
    data = _ics(analysis)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_a_naive_generated_at_is_in_the_plans_time_zone(analysis: Analysis) -> None:
    event = next(iter(_events(_ics(analysis, datetime(2025, 6, 26, 17, 0))).values()))
    assert event.decoded("dtstamp") == GENERATED_AT


def test_a_later_export_has_a_higher_sequence_and_says_when_it_changed(analysis: Analysis) -> None:
    first = _events(_ics(analysis))
    later = _events(_ics(analysis, datetime(2025, 6, 27, 10, 0, tzinfo=UTC)))
    for name, event in first.items():
        assert int(str(later[name]["sequence"])) > int(str(event["sequence"])) >= 0
        assert event.decoded("last-modified") == GENERATED_AT


def test_forecast_milestones_say_so_and_done_ones_do_not(analysis: Analysis) -> None:
    events = _events(_ics(analysis))
    assert "Milestone: Localities issue their detailed plans" in events  # done
    assert "Milestone: Two-tier local government in operation (forecast)" in events
    description = str(events["Milestone: Go-live of the five systems (forecast)"]["description"])
    assert "(a forecast: exported again, this event moves with the plan)" in description


def test_no_reminder_fires_at_night(analysis: Analysis) -> None:
    for event in Calendar.from_ical(_ics(analysis)).walk("VEVENT"):
        start = event.decoded("dtstart")
        if not isinstance(start, datetime):
            start = datetime.combine(start, datetime.min.time(), tzinfo=HO_CHI_MINH)
        [alarm] = event.walk("VALARM")
        fires = start.astimezone(HO_CHI_MINH) + alarm.decoded("trigger")
        assert 8 <= fires.hour < 20, (str(event["summary"]), fires)
