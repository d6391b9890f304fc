"""How dates and working time read in messages and tables: short, unambiguous, no locale.

"Mon 30 Jun 2025 17:00" reads the same to a planner in Hà Nội and in Berlin; "6/30" does not.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from cutover.worktime.durations import format_minutes

if TYPE_CHECKING:
    from datetime import date

    from cutover.worktime.timebase import TimeBase

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(timebase: TimeBase, minute: int, *, year: bool = True) -> str:
    """``Mon 30 Jun 2025 17:00`` for an instant, on the plan's wall clock."""
    moment = timebase.naive(minute)
    return f"{_day_name(moment.date(), year=year)} {moment.hour:02d}:{moment.minute:02d}"


@lru_cache(maxsize=8192)
def _day_name(moment: date, *, year: bool) -> str:
    day = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
    return f"{day} {moment.year}" if year else day


def day_label(timebase: TimeBase, minute: int) -> str:
    """``Mon 30 Jun`` for the day a minute falls on."""
    moment = timebase.naive(minute)
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def deadline_text(timebase: TimeBase, minute: int, *, end_of_day: bool) -> str:
    """A deadline as written: a date alone is the end of that day."""
    if end_of_day:
        moment = timebase.naive(minute - 1)
        day = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
        return f"end of {day} {moment.year}"
    return when(timebase, minute)


def work_amount(minutes: int, day_minutes: int) -> str:
    """Working time as ``1d 2h`` (a day being the calendar's working day)."""
    return format_minutes(minutes, day_minutes)


def status_line(timebase: TimeBase, as_of: int | None) -> str:
    """``status date Thu 26 Jun 2025 09:00``, or that the plan is shown as planned."""
    if as_of is None:
        return "as planned (no status date)"
    return f"status date {when(timebase, as_of)}"
