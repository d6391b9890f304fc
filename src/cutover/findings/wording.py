"""How dates and working time read in messages and tables: short and unambiguous.

In English "Mon 30 Jun 2025 17:00" reads the same to a planner in Hà Nội and in Berlin;
"6/30" does not. In another language dates follow that language's own conventions from
Babel's locale data ("Thứ Năm, 26/06/2025 09:00" in Vietnamese), always on a 24-hour clock.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from cutover.common.i18n import _, current_language
from cutover.worktime.durations import format_minutes

if TYPE_CHECKING:
    from cutover.worktime.timebase import TimeBase

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(timebase: TimeBase, minute: int, *, year: bool = True) -> str:
    """``Mon 30 Jun 2025 17:00`` for an instant, on the plan's wall clock."""
    moment = timebase.naive(minute)
    name = _day_name(moment.date(), year=year, language=current_language())
    return f"{name} {moment.hour:02d}:{moment.minute:02d}"


@lru_cache(maxsize=8192)
def _day_name(moment: date, *, year: bool, language: str) -> str:
    if language != "en":
        # Without the year the date sits in a table: "T5 26/06", as Vietnamese tables write it.
        return _babel_date(moment, "EEEE, dd/MM/yyyy" if year else "EEEEEE dd/MM", language)
    day = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
    return f"{day} {moment.year}" if year else day


def day_label(timebase: TimeBase, minute: int) -> str:
    """``Mon 30 Jun`` for the day a minute falls on."""
    moment = timebase.naive(minute)
    if current_language() != "en":
        return _babel_date(moment, "EEEEEE dd/MM", current_language())
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def day_text(day: date) -> str:
    """A whole day in the reader's language: ``Thứ Năm, 26/06/2025`` (not for English)."""
    return _babel_date(day, "EEEE, dd/MM/yyyy", current_language())


def month_label(month: int) -> str:
    """``Jun`` for June: a month's short name in the reader's language (``thg 6``)."""
    if current_language() == "en":
        return _MONTHS[month - 1]
    from babel.dates import format_date  # noqa: PLC0415 - only when not English

    return format_date(date(2000, month, 1), "MMM", locale=current_language())


def deadline_text(timebase: TimeBase, minute: int, *, end_of_day: bool) -> str:
    """A deadline as written: a date alone is the end of that day."""
    if end_of_day:
        moment = timebase.naive(minute - 1)
        if current_language() != "en":
            day = _babel_date(moment, "EEEE, dd/MM/yyyy", current_language())
            return _("end of {day}").format(day=day)
        day = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
        return _("end of {day}").format(day=f"{day} {moment.year}")
    return when(timebase, minute)


def work_amount(minutes: int, day_minutes: int, *, compact: bool = False) -> str:
    """Working time as ``1d 2h`` (a day being the calendar's working day).

    ``compact``: one letter a unit in every language, for a tight column (``1n 2g``).
    """
    return format_minutes(minutes, day_minutes, compact=compact)


def status_line(timebase: TimeBase, as_of: int | None) -> str:
    """``status date Thu 26 Jun 2025 09:00``, or that the plan is shown as planned."""
    if as_of is None:
        return _("as planned (no status date)")
    return _("status date {when}").format(when=when(timebase, as_of))


def _babel_date(moment: date, pattern: str, language: str) -> str:
    """A date in ``language`` through Babel's locale data (imported only for other languages)."""
    from babel.dates import format_datetime  # noqa: PLC0415 - 15 ms: only when not English

    return format_datetime(moment, pattern, locale=language)


def number(value: float, *, decimals: int = 1) -> str:
    """A number the reader's way: ``1,234.5`` in English, ``1.234,5`` in Vietnamese."""
    if current_language() == "en":
        return f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    from babel.numbers import format_decimal  # noqa: PLC0415

    return format_decimal(round(value, decimals), locale=current_language())
