"""The values of an MSPDI file: durations (``PT16H30M0S``) and dates, and their errors."""

from __future__ import annotations

import re
from datetime import datetime

from cutover.common.i18n import _

_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


class MspdiError(Exception):
    """A value the reader cannot use, with the line of its element."""

    def __init__(self, line: int, message: str, code: str = "bad-file") -> None:
        """Keep the line and the diagnostic code."""
        super().__init__(message)
        self.line, self.code = line, code


def parse_pt(text: str, line: int) -> tuple[int, bool]:
    """Minutes of an MSPDI duration (``PT16H30M0S``) and whether seconds were rounded off."""
    found = _DURATION.match(text.strip())
    if not found:
        raise MspdiError(line, _("{text!r} is not a duration such as PT8H0M0S").format(text=text))
    sign, years, months, days, hours, minutes, seconds = found.groups()
    if years or months:
        raise MspdiError(
            line, _("{text!r}: years and months are not working time").format(text=text)
        )
    total = (
        float(days or 0) * 1440 + float(hours or 0) * 60 + float(minutes or 0)
        + float(seconds or 0) / 60
    )  # fmt: skip
    rounded = round(total)
    return (-rounded if sign else rounded), abs(total - rounded) > 1e-6


def parse_when(text: str, line: int) -> datetime:
    """An MSPDI date and time (``2025-06-16T08:00:00``), to the minute."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise MspdiError(
            line, _("{text!r} is not a date and time such as 2025-06-16T08:00:00").format(text=text)
        ) from None
    return value.replace(tzinfo=None, second=0, microsecond=0)


_HOURS = re.compile(r"^(\d+(?:\.\d+)?)\s*(h|m)$")


def custom_minutes(text: str) -> int | None:
    """A custom duration field's minutes: ``PT16H0M0S``, or ``16.0h`` as MPXJ writes it."""
    try:
        return parse_pt(text, 0)[0]
    except MspdiError:
        pass
    found = _HOURS.match(text.strip())
    if found is None:
        return None
    return round(float(found[1]) * (60 if found[2] == "h" else 1))
