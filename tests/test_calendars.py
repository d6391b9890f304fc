"""Working calendars: hand-checked jumps, and agreement with a minute-by-minute count."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover.planfile.model import CalendarSpec
from cutover.worktime.calendars import CalendarRangeError, WorkCalendar
from cutover.worktime.holidays import package_country_days
from cutover.worktime.timebase import TimeBase

UTC = TimeBase("UTC")
ORIGIN = UTC.minute(date(2025, 6, 16)) // 1440  # Monday


def at(text: str) -> int:
    return UTC.minute(datetime.fromisoformat(text))


def show(minute: int) -> str:
    return f"{UTC.naive(minute):%a %d %H:%M}"


def calendar(**spec: object) -> WorkCalendar:
    return WorkCalendar("test", CalendarSpec.model_validate(spec), ORIGIN, package_country_days)


def test_default_calendar_days_and_breaks() -> None:
    cal = calendar()
    assert cal.day_minutes == 480
    assert cal.week_minutes == 2400
    monday = at("2025-06-16T08:00")
    assert cal.position(monday) == 0
    assert show(cal.start_at(0)) == "Mon 16 08:00"
    assert show(cal.end_at(480)) == "Mon 16 17:00"  # the end of the last minute, not Tue 08:00
    assert show(cal.start_at(480)) == "Tue 17 08:00"
    assert show(cal.start_at(240)) == "Mon 16 13:00"  # lunch is skipped
    assert show(cal.end_at(240)) == "Mon 16 12:00"
    assert show(cal.add(at("2025-06-20T16:00"), 120)) == "Mon 23 09:00"  # over the weekend


def test_positions_before_the_origin_are_negative() -> None:
    cal = calendar()
    assert cal.position(at("2025-06-13T17:00")) == 0
    assert cal.position(at("2025-06-13T16:00")) == -60
    assert show(cal.start_at(-1)) == "Fri 13 16:59"


def test_latest_start_position() -> None:
    cal = calendar()
    assert cal.latest_start_position(at("2025-06-17T08:00")) == 480
    assert cal.latest_start_position(at("2025-06-16T17:00")) == 479
    assert cal.latest_start_position(at("2025-06-16T12:30")) == 239


def test_make_up_days_of_viet_nam_come_from_the_holidays_package() -> None:
    cal = calendar(holidays_country="VN")
    assert cal.is_workday(date(2025, 4, 26))  # Saturday worked for Friday 2 May
    assert not cal.is_workday(date(2025, 5, 2))
    assert not cal.is_workday(date(2025, 1, 29))  # Tết
    assert not cal.is_workday(date(2025, 9, 2))  # National Day
    friday = at("2025-04-25T17:00")
    assert show(cal.add(friday, 3 * 480)) == "Tue 29 17:00"


def test_a_plan_may_override_the_country_both_ways() -> None:
    cal = calendar(holidays_country="VN", extra_workdays=["2025-09-02"], holidays=["2025-04-26"])
    assert cal.is_workday(date(2025, 9, 2))
    assert not cal.is_workday(date(2025, 4, 26))


def test_tables_grow_for_far_dates_and_stop_at_runaway_ones() -> None:
    cal = calendar()
    far = cal.start_at(480 * 260 * 40)  # forty years of work
    assert UTC.naive(far).year >= 2065
    assert cal.position(far) == 480 * 260 * 40
    with pytest.raises(CalendarRangeError):
        cal.start_at(480 * 260 * 9000)


def test_a_calendar_of_saturdays_only() -> None:
    cal = calendar(workdays=["sat"], holidays=[])
    assert cal.week_minutes == 480
    assert show(cal.start_at(0)) == "Sat 21 08:00"


def _brute_position(spec: dict[str, object], minute: int) -> int:
    """Count working minutes from the origin one by one (slow, obviously right)."""
    cal = calendar(**spec)
    origin = ORIGIN * 1440
    step = 1 if minute >= origin else -1
    count = 0
    for moment in range(origin, minute, step) if step == 1 else range(minute, origin):
        day = UTC.naive(moment)
        clock = moment % 1440
        working = cal.is_workday(day.date()) and any(b <= clock < e for b, e in cal.spec.hours)
        count += working
    return count if step == 1 else -count


SPECS = st.sampled_from(
    [
        {},
        {"hours": ["00:00-24:00"], "workdays": "all"},
        {"hours": ["07:00-11:30", "13:30-17:00"], "holidays": ["2025-06-18"]},
        {"hours": ["22:00-24:00", "00:00-06:00"], "workdays": ["mon", "wed", "sat"]},
    ]
)


@settings(max_examples=60, deadline=None)
@given(spec=SPECS, offset=st.integers(min_value=-3 * 1440, max_value=9 * 1440))
def test_position_agrees_with_counting_minutes(spec: dict[str, object], offset: int) -> None:
    minute = ORIGIN * 1440 + offset
    assert calendar(**spec).position(minute) == _brute_position(spec, minute)


@settings(max_examples=200, deadline=None)
@given(spec=SPECS, position=st.integers(min_value=-20_000, max_value=60_000))
def test_start_at_and_end_at_invert_position(spec: dict[str, object], position: int) -> None:
    cal = calendar(**spec)
    start = cal.start_at(position)
    assert cal.position(start) == position
    assert cal.is_working_minute(start)
    end = cal.end_at(position)
    assert cal.position(end) == position
    assert cal.is_working_minute(end - 1)
    assert cal.latest_start_position(start) == position


@settings(max_examples=100, deadline=None)
@given(
    start=st.integers(-300_000, 300_000),
    length=st.integers(1, 300_000),
    hours=st.sampled_from([["08:00-12:00", "13:00-17:00"], ["00:00-24:00"], ["22:00-23:30"]]),
)
def test_span_at_is_start_at_and_end_at(start: int, length: int, hours: list[str]) -> None:
    """Placing a task in one call gives what the two calls give, also beyond the tables."""
    cal = calendar(hours=hours, workdays=["mon", "wed", "sat"], holidays=["2025-06-18"])
    expected = cal.start_at(start), cal.end_at(start + length)
    fresh = calendar(hours=hours, workdays=["mon", "wed", "sat"], holidays=["2025-06-18"])
    assert fresh.span_at(start, start + length) == expected
