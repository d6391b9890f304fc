"""The values of a ``.tjp`` file: dates with offsets, working hours, task references."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cutover.common.i18n import _

#: The attribute (user-defined: tj3 wants a capital first) that carries cutover's id of a
#: task or resource through a ``.tjp`` file, whose ids allow no hyphen.
ID_ATTRIBUTE = "CutoverId"

if TYPE_CHECKING:
    from cutover.interchange.tjp_syntax import Statement, Token

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:-(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:-?([+-])(\d{2})(\d{2}))?$"
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Working hours of a day: (begin, end) minutes after midnight.
Hours = tuple[tuple[int, int], ...]


class TjpError(Exception):
    """A value the reader cannot use, with its line."""

    def __init__(self, line: int, message: str) -> None:
        """Keep the line."""
        super().__init__(message)
        self.line = line


def resolve(reference: str, path: str) -> str:
    """``!b`` from ``p.a`` is ``p.b``; each further ``!`` goes one level up; else absolute."""
    ups = len(reference) - len(reference.lstrip("!"))
    if not ups:
        return reference
    scope = path.split(".")[:-ups]
    return ".".join([*scope, reference[ups:]])


def working_hours(statement: Statement, weekdays: dict[int, Hours | None]) -> None:
    """Apply ``workinghours mon - fri 8:00 - 12:00, 13:00 - 17:00`` (or ``… off``)."""
    days: list[int] = []
    tokens = statement.args
    index = 0
    while index < len(tokens) and tokens[index].text[:3].lower() in DAYS:
        first = DAYS.index(tokens[index].text[:3].lower())
        last = first
        if (
            index + 2 < len(tokens)
            and tokens[index + 1].text == "-"
            and tokens[index + 2].text[:3].lower() in DAYS
        ):
            last = DAYS.index(tokens[index + 2].text[:3].lower())
            index += 2
        days.extend(range(first, last + 1))
        index += 1
        if index < len(tokens) and tokens[index].text == ",":
            index += 1
    rest = [t for t in tokens[index:] if t.kind == "time"]
    hours: Hours | None = None
    if rest:
        clocks = [int(t.text.split(":")[0]) * 60 + int(t.text.split(":")[1]) for t in rest]
        hours = tuple(zip(clocks[::2], clocks[1::2], strict=False))
    for day in days:
        weekdays[day] = hours


def zone_named(name: str, line: int) -> ZoneInfo:
    """The time zone a ``timezone`` statement names; an unknown one is an error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TjpError(line, _("unknown time zone {name!r}").format(name=name)) from None


def moment(token: Token, zone: ZoneInfo) -> datetime:
    """A tj3 date (``2025-06-16-08:00-+0700``) as a wall-clock time in ``zone``."""
    found = _DATE.match(token.text)
    if found is None:
        raise TjpError(
            token.line, _("{text!r} is not a date such as 2025-06-16-08:00").format(text=token.text)
        )
    year, month, day, hour, minute, _second, sign, off_h, off_m = found.groups()
    value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))  # noqa: DTZ001
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
        value = (
            (value - offset).replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
        )
    return value
