"""The marks of a Gantt chart and their names, shared by the terminal chart and the exports.

The terminal, SVG, HTML and PDF charts draw the same things; naming them once keeps their
legends the same.
"""

from __future__ import annotations

#: Mark kinds and their names, in legend order.
LEGEND = (
    ("critical", "critical"),
    ("work", "other work"),
    ("done", "done"),
    ("slack", "slack"),
    ("milestone", "milestone"),
    ("summary", "summary"),
    ("deadline", "deadline"),
    ("status", "status date"),
    ("off", "non-working time"),
)
