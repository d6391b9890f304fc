"""Durations and dates as plans write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cutover.worktime.durations import DurationError, format_minutes, parse_duration
from cutover.worktime.timepoints import TimepointError, parse_clock, parse_timepoint


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30m", 30), ("4h", 240), ("2d", 960), ("1w", 2400), ("1d4h", 720), ("1.5d", 720),
        ("1h30m", 90), ("90min", 90), ("PT4H", 240), ("P2D", 960), ("P1W", 2400),
        ("P1DT4H", 720), ("PT30M", 30), ("-1d", -480), ("-PT2H", -120), ("0d", 0),
    ],
)  # fmt: skip
def test_durations_in_working_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text).in_minutes(480, 2400) == minutes


def test_a_day_means_the_calendars_day() -> None:
    assert parse_duration("1d").in_minutes(1440, 10080) == 1440
    assert parse_duration("1w").in_minutes(450, 2250) == 2250


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (3, "'3d'"),
        (90, "1h30m"),  # YAML 1.1 reads 1:30 as 90
        ("3", "'3d'"),
        ("three days", "'3d'"),
        ("P1M", "months"),
        ("P1Y", "months"),
        (True, "booleans"),
        (None, "nothing"),
        ([1], "a list"),
    ],
)
def test_bad_durations_say_how_to_write_one(value: object, hint: str) -> None:
    with pytest.raises(DurationError, match=hint):
        parse_duration(value)


def test_format_minutes() -> None:
    assert format_minutes(0) == "0"
    assert format_minutes(540, 480) == "1d 1h"
    assert format_minutes(-45) == "-45m"
    assert format_minutes(1500, 1440) == "1d 1h"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("2025-06-30T07:00", datetime(2025, 6, 30, 7, 0)),
        ("2025-06-30 07:00:30", datetime(2025, 6, 30, 7, 0, 30)),
        (
            "2025-06-30T07:00+07:00",
            datetime(2025, 6, 30, 7, 0, tzinfo=timezone(timedelta(hours=7))),
        ),
        ("2025-06-30T00:00Z", datetime(2025, 6, 30, tzinfo=UTC)),
    ],
)
def test_iso_dates(text: str, value: object) -> None:
    assert parse_timepoint(text) == value


@pytest.mark.parametrize(
    "text", ["6/7/2025", "30.06.2025", "2025-13-01", "20250630", "June 30", "2025-06-30T25:00"]
)
def test_other_spellings_are_errors_never_guesses(text: str) -> None:
    with pytest.raises(TimepointError):
        parse_timepoint(text)


def test_clock_times() -> None:
    assert parse_clock("08:00") == 480
    assert parse_clock("24:00") == 1440
    for bad in ("24:30", "8h", "12:60"):
        with pytest.raises(TimepointError):
            parse_clock(bad)


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59-01:00",
        "0001-01-01T00:00+01:00",
        "9999-12-31T12:00Z",
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-1))),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_an_instant_no_time_zone_can_show_is_an_error(value: object) -> None:
    """Was: accepted, then OverflowError when moved into the plan's zone (exit 3)."""
    with pytest.raises(TimepointError, match="too close to the year 1 or 9999"):
        parse_timepoint(value)


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:59", "9999-12-31", "0001-01-01T00:00", "0001-01-02T00:00Z"]
)
def test_dates_and_wall_clock_times_at_the_calendars_ends_still_read(text: str) -> None:
    assert parse_timepoint(text)
