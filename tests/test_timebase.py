"""Instants are real-time minutes: wall clocks, offsets and daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from cutover.worktime.timebase import MissingTimeError, TimeBase

BERLIN = TimeBase("Europe/Berlin", date(2025, 3, 1))


def test_a_zone_without_changes_counts_wall_clock_minutes() -> None:
    saigon = TimeBase("Asia/Ho_Chi_Minh", date(2025, 6, 16))
    monday = saigon.minute(date(2025, 6, 16))
    assert monday % 1440 == 0  # an instant is its wall-clock minute, as before
    assert saigon.minute(datetime(2025, 6, 16, 8)) == monday + 480
    assert saigon.iso(monday + 480) == "2025-06-16T08:00:00+07:00"


def test_the_spring_day_has_23_hours_and_the_autumn_day_25() -> None:
    spring = BERLIN.minute(date(2025, 3, 30))
    assert BERLIN.minute(date(2025, 3, 30), end_of_day=True) - spring == 23 * 60
    autumn = BERLIN.minute(date(2025, 10, 26))
    assert BERLIN.minute(date(2025, 10, 26), end_of_day=True) - autumn == 25 * 60
    assert BERLIN.iso(spring + 120) == "2025-03-30T03:00:00+02:00"
    assert BERLIN.iso(autumn + 150) == "2025-10-26T02:30:00+02:00"
    assert BERLIN.iso(autumn + 210) == "2025-10-26T02:30:00+01:00"


def test_an_offset_fixes_the_instant_and_a_wall_time_is_the_first() -> None:
    second = datetime(2025, 10, 26, 2, 30, tzinfo=timezone(timedelta(hours=1)))
    first = datetime(2025, 10, 26, 2, 30, tzinfo=timezone(timedelta(hours=2)))
    assert BERLIN.minute(second) - BERLIN.minute(first) == 60
    assert BERLIN.minute(datetime(2025, 10, 26, 2, 30)) == BERLIN.minute(first)
    assert BERLIN.aware(BERLIN.minute(second)).isoformat() == "2025-10-26T02:30:00+01:00"


def test_hours_map_through_the_zone() -> None:
    day = (date(2025, 10, 26) - date(1970, 1, 1)).days
    # A start in the repeated hour is its first moment, an end its second.
    assert BERLIN.wall(day, 150, end=True) - BERLIN.wall(day, 150) == 60
    spring = (date(2025, 3, 30) - date(1970, 1, 1)).days
    # The skipped hour is the moment of the change.
    assert BERLIN.wall(spring, 150) == BERLIN.wall(spring, 120) == BERLIN.wall(spring, 180)


def test_a_wall_time_in_the_skipped_hour_is_refused_with_the_change() -> None:
    with pytest.raises(MissingTimeError, match="jump from 02:00 to 03:00"):
        BERLIN.check_exists(datetime(2025, 3, 30, 2, 30))
    BERLIN.check_exists(datetime(2025, 3, 30, 3, 0))
    BERLIN.check_exists(datetime(2025, 10, 26, 2, 30))


def test_the_ends_of_the_years_still_show() -> None:
    base = TimeBase("Asia/Ho_Chi_Minh", date(2025, 6, 16))
    first = base.minute(datetime(1, 1, 1))
    assert base.naive(first - 10_000).year == 1
    assert base.iso(base.minute(datetime(9999, 12, 31, 23))).startswith("9999-12-31")
