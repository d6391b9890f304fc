"""Dates and datetimes as a plan writes them: ISO 8601 only, never a guess.

``6/7/2025`` is 6 July in Viet Nam and 7 June in the United States, so any spelling other
than ``YYYY-MM-DD`` (with an optional ISO time and offset) is an error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

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
    if isinstance(value, datetime):
        return _movable(value)
    if isinstance(value, date):
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
        moment = datetime.fromisoformat(text.upper()) if _ISO_DATETIME.match(text) else None
    except ValueError as exc:
        raise TimepointError(
            _("{value} is not a real date or time: {why}").format(value=repr(value), why=exc)
        ) from None
    if moment is not None:
        return _movable(moment)
    raise TimepointError(
        _(
            "{value} is not an ISO date: write YYYY-MM-DD (2025-06-30) or "
            "YYYY-MM-DDTHH:MM (2025-06-30T07:00); other spellings are ambiguous"
        ).format(value=repr(value))
    )


#: Any time zone is less than a day from UTC: an instant this far from the calendar's ends
#: can be moved into any zone.
_EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def _movable(moment: datetime) -> datetime:
    """A datetime with an offset that every time zone can show; else TimepointError.

    ``9999-12-31T23:59-01:00`` is in the year 10000 in UTC: no datetime holds it, and
    moving it into the plan's zone would overflow.
    """
    if moment.tzinfo is None:
        return moment
    try:
        movable = _EARLIEST <= moment.astimezone(UTC) <= _LATEST
    except OverflowError:
        movable = False
    if not movable:
        raise TimepointError(
            f"{moment.isoformat()!r} is too close to the year 1 or 9999 to be moved into "
            "another time zone; write a time between 0001-01-02 and 9999-12-30"
        )
    return moment


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
