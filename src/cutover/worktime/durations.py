"""Durations and lags as planners write them: ``30m``, ``4h``, ``2d``, ``1w``, ``1d4h``, ``PT4H``.

A duration is kept in its units, because a working day and a working week mean different
minutes on different calendars (PLAN_FORMAT: ``1d`` is one working day of that calendar).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from cutover.common.i18n import _, current_language

_SHORT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(w|d|h|m|min)\s*", re.IGNORECASE)
_SHORT_WHOLE = re.compile(r"^(?:\s*\d+(?:\.\d+)?\s*(?:w|d|h|m|min)\s*)+$", re.IGNORECASE)
_ISO = re.compile(
    r"^P(?:(?P<years>\d+(?:[.,]\d+)?)Y)?(?:(?P<months>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$",
    re.IGNORECASE,
)


class Duration(NamedTuple):
    """Working time in weeks, days and minutes; ``text`` is how the plan wrote it."""

    weeks: float = 0.0
    days: float = 0.0
    minutes: float = 0.0
    text: str = "0m"

    def in_minutes(self, day_minutes: int, week_minutes: int) -> int:
        """Working minutes on a calendar whose day and week hold these many minutes."""
        return round(self.weeks * week_minutes + self.days * day_minutes + self.minutes)

    @property
    def is_zero(self) -> bool:
        """True when the duration is no time at all."""
        return not (self.weeks or self.days or self.minutes)


ZERO = Duration()
#: Durations and lags are at most this long (a century): longer is a typo, not a plan.
MAX_DAYS = 36_600


class DurationError(ValueError):
    """A value that is not a duration; the message says how to write one."""


def parse_duration(value: object) -> Duration:
    """Parse a duration or lag; a leading ``-`` makes a lead (negative lag).

    >>> parse_duration("1d4h")
    Duration(weeks=0.0, days=1.0, minutes=240.0, text='1d4h')
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DurationError(
            _("expected a duration such as '3d', '4h', '30m' or 'PT4H', got {what}").format(
                what=_kind(value)
            )
        )
    raise DurationError(
        _(
            "{value} has no unit: write '{number}d' (working days), '{number}h' "
            "or '{number}m' (YAML reads 1:30 as the number 90: write 1h30m)"
        ).format(value=repr(value), number=_num(value))
    )


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> Duration:
    """Parse the text of a duration; plans repeat a few spellings, so remember them."""
    text = value.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-").strip()
    parsed = _parse_short(body) or _parse_iso(body, text)
    if parsed is None:
        raise DurationError(
            _(
                "{value} is not a duration: write a number and a unit, such as '3d', '4h', "
                "'30m', '1w' or '1d4h', or ISO 8601 such as 'PT4H' or 'P2D'"
            ).format(value=repr(value))
        )
    weeks, days, minutes = parsed
    if max(weeks * 7, days, minutes / 1440) > MAX_DAYS:
        raise DurationError(
            _("{value} is longer than {days} days: no cutover takes that long").format(
                value=repr(value), days=f"{MAX_DAYS:,}"
            )
        )
    return Duration(sign * weeks, sign * days, sign * minutes, text)


def _parse_short(body: str) -> tuple[float, float, float] | None:
    if not body or not _SHORT_WHOLE.match(body):
        if body.replace(".", "", 1).isdigit():
            raise DurationError(
                _(
                    "'{number}' has no unit: write '{number}d' (working days), '{number}h' or "
                    "'{number}m'"
                ).format(number=body)
            )
        return None
    weeks = days = minutes = 0.0
    for number, unit in _SHORT.findall(body):
        amount = float(number)
        match unit.lower():
            case "w":
                weeks += amount
            case "d":
                days += amount
            case "h":
                minutes += amount * 60
            case _:
                minutes += amount
    return weeks, days, minutes


def _parse_iso(body: str, original: str) -> tuple[float, float, float] | None:
    match = _ISO.match(body)
    if match is None or body.upper() in {"P", "PT"} or body.upper().endswith("T"):
        return None
    parts = {key: float(val.replace(",", ".")) for key, val in match.groupdict().items() if val}
    if "years" in parts or "months" in parts:
        raise DurationError(
            _(
                "{value} counts years or months, which have no fixed working length: "
                "use weeks (P4W) or days (P20D)"
            ).format(value=repr(original))
        )
    minutes = parts.get("hours", 0.0) * 60 + parts.get("minutes", 0.0)
    minutes += parts.get("seconds", 0.0) / 60
    return parts.get("weeks", 0.0), parts.get("days", 0.0), minutes


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _kind(value: object) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("{word} (YAML reads yes/no/on/off as booleans)").format(
            word="true" if value else "false"
        )
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


def format_minutes(minutes: int, day_minutes: int = 480, *, compact: bool = False) -> str:
    """Say an amount of working time the way planners write it: ``2d 3h``, ``-45m``, ``0``.

    ``compact`` writes each unit as one letter in every language (``1d 6h 30m``; in
    Vietnamese ``1n 6g 30p`` rather than ``1 ngày 6 giờ 30 phút``), for a column that
    has no room for the words.
    """
    if minutes == 0:
        return "0"
    sign = "-" if minutes < 0 else ""
    rest = abs(minutes)
    days, rest = divmod(rest, day_minutes) if day_minutes > 0 else (0, rest)
    hours, mins = divmod(rest, 60)
    if compact:
        parts = [
            _("{days}d").format(days=days) if days else "",
            _("{hours}h").format(hours=hours) if hours else "",
            _("{minutes}m").format(minutes=mins) if mins else "",
        ]
        return sign + " ".join(part for part in parts if part)
    words = _UNITS.get(current_language(), _UNITS["en"])
    parts = [
        f"{count}{unit}" for count, unit in zip((days, hours, mins), words, strict=True) if count
    ]
    return sign + " ".join(parts)


#: Units of ``format_minutes`` by language: exact, never rounded (Babel's own duration
#: formatter says 3h 36m as "4 tiếng"). The compact ones go through the catalog.
_UNITS = {"en": ("d", "h", "m"), "vi": (" ngày", " giờ", " phút")}
