"""The marks of a Gantt chart and their names, shared by the terminal chart and the exports.

The terminal, SVG, HTML and PDF charts draw the same things; naming them once keeps their
legends the same.
"""

from __future__ import annotations

from cutover.common.i18n import n_

#: Mark kinds and their names, in legend order (translate a name with ``_()`` when shown).
LEGEND = (
    ("critical", n_("critical")),
    ("work", n_("other work")),
    ("done", n_("done")),
    ("slack", n_("slack")),
    ("milestone", n_("milestone")),
    ("summary", n_("summary")),
    ("deadline", n_("deadline")),
    ("status", n_("status date")),
    ("off", n_("non-working time")),
)
