"""The clock of a live run: the real one, or a simulated one for drills and tests.

``--clock 2025-06-28T18:00 --speed 60`` starts at that wall time in the plan's zone and
runs sixty times faster than real time, so a night's drill takes minutes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass
class Clock:
    """Now, in the plan's time zone: real, or simulated from ``start`` at ``speed``."""

    timezone: str
    start: datetime | None = None  # naive: a wall time in the plan's zone
    speed: float = 1.0
    _origin: float = field(default_factory=time.monotonic, repr=False)

    def now(self) -> datetime:
        """The current moment, aware, in the plan's zone."""
        zone = ZoneInfo(self.timezone)
        if self.start is None:
            return datetime.now(UTC).astimezone(zone)
        elapsed = (time.monotonic() - self._origin) * self.speed
        begin = self.start if self.start.tzinfo else self.start.replace(tzinfo=zone)
        return (begin + timedelta(seconds=elapsed)).astimezone(zone)

    @property
    def simulated(self) -> bool:
        """True for a drill's clock."""
        return self.start is not None

    def minute_key(self) -> str:
        """``2025-06-28T18:07``: changes once a (simulated) minute, to know when to redraw."""
        return self.now().strftime("%Y-%m-%dT%H:%M")
