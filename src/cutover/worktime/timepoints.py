"""Dates and datetimes as a plan writes them: ISO 8601 only, never a guess.

``6/7/2025`` is 6 July in Viet Nam and 7 June in the United States, so any spelling other
than ``YYYY-MM-DD`` (with an optional ISO time and offset) is an error.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from cutover.common.i18n import _

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


class TimepointError(ValueError):
    """A value that is not an ISO date or datetime; the message says how to write one."""


def parse_timepoint(value: object) -> date | datetime:
    """Return a ``date`` (a whole day) or a ``datetime`` (naive means the plan's zone)."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        raise TimepointError(
            _("expected a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDTHH:MM), got {value}").format(
                value=repr(value)
            )
        )
    text = value.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.match(text):
            return datetime.fromisoformat(text.upper())
    except ValueError as exc:
        raise TimepointError(
            _("{value} is not a real date or time: {why}").format(value=repr(value), why=exc)
        ) from None
    raise TimepointError(
        _(
            "{value} is not an ISO date: write YYYY-MM-DD (2025-06-30) or "
            "YYYY-MM-DDTHH:MM (2025-06-30T07:00); other spellings are ambiguous"
        ).format(value=repr(value))
    )


def parse_clock(value: object) -> int:
    """Parse ``HH:MM`` (``24:00`` allowed) into minutes after midnight."""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match:
        raise TimepointError(
            _("{value} is not a time of day: write HH:MM, such as 08:00").format(value=repr(value))
        )
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise TimepointError(
            _("{value} is not a time of day between 00:00 and 24:00").format(value=repr(value))
        )
    return hours * 60 + minutes


def start_of(value: date | datetime) -> datetime:
    """A date alone as a start or ``not_before`` means the start of that day."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time())
