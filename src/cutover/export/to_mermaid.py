"""The schedule as Mermaid ``gantt`` text, which GitHub renders in Markdown.

Design: every task carries its computed end, and its computed start too unless a
finish-to-start link explains it. Mermaid's own scheduling (``after x, 3d`` with
``excludes weekends``) cannot express working hours, make-up Saturdays or the status date
(FIELD_NOTES §4), so durations are never handed to it. A task is written ``after a b``
only when those predecessors end exactly when it starts, where Mermaid places it as
cutover does: the links show and the picture still matches the CPM result. Otherwise it
gets an explicit start. Summaries become sections; done tasks are ``done``, started ones
``active``, critical ones ``crit`` (the states of ``findings.states``); what Mermaid has no
tag for (late, deadline missed, at risk, cancelled) is said after the task's name.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from cutover.common.i18n import _, current_language, n_
from cutover.findings.states import WORDS, State

if TYPE_CHECKING:
    from cutover.engine.rows import ScheduleRow
    from cutover.export.view import ExportOptions, ExportView
    from cutover.worktime.timebase import TimeBase

DATE_FORMAT = "YYYY-MM-DD HH:mm"
TOP_SECTION = n_("Other tasks")
#: (longest span in minutes, tick interval, label format), the first that fits.
_AXES = (
    (3 * 1440, "6hour", "%a %d %H:%M"),
    (31 * 1440, "1day", "%d %b"),
    (183 * 1440, "1week", "%d %b"),
)
#: Words Mermaid reads as tags (or ``after``/``until``) in the task data, never as an id.
_RESERVED = frozenset({"active", "done", "crit", "milestone", "after", "until", "vert"})
_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]")
# Mermaid splits a task line at ':', reads '#...;' as an entity and ';' as a statement end,
# and skips lines that start with '%' (FIELD_NOTES §4: "Task: with colon" silently
# re-parses). Its entity codes keep the text exact: "13#58;00" shows as "13:00".
_ENTITIES = str.maketrans({"#": "#35;", ":": "#58;", ";": "#59;", "%": "#37;"})
#: Words that start a statement, not a task, at the beginning of a line.
_KEYWORDS = (
    "accdescr", "acctitle", "axisformat", "click", "dateformat", "displaymode", "excludes", "gantt",
    "inclusiveenddates", "includes", "section", "tickinterval", "title", "todaymarker", "topaxis",
    "weekday", "weekend",
)  # fmt: skip


def export_mermaid(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """The chart as a ``.mmd`` file (no Markdown fence)."""
    return mermaid_gantt(view).encode()


def mermaid_gantt(view: ExportView) -> str:
    """``gantt`` text: title, date format, one section per summary, one line per task."""
    timebase = view.timebase
    drawn = [row for row in view.rows if not row.summary]
    ids = mermaid_ids(drawn)
    interval, label = _axis(drawn)
    if current_language() != "en":
        # Mermaid names days and months in English: numbers read the same in any language.
        label = label.replace("%a ", "").replace("%d %b", "%d/%m").replace("%b %Y", "%m/%Y")
    by_node = {row.node: row for row in drawn}
    lines = [
        "gantt",
        f"    title {mermaid_text(view.title.plan)} ({mermaid_text(view.title.status)})",
        f"    dateFormat {DATE_FORMAT}",
        f"    tickInterval {interval}",
        f"    axisFormat {label}",
        "    todayMarker off",
        *_markers(view, set(ids.values())),
    ]
    seen = Counter[str]()
    for wanted, run in _runs(view, drawn):
        seen[wanted] += 1
        # Mermaid merges sections of the same name, moving tasks away from their place.
        suffix = f" ({seen[wanted]})" if seen[wanted] > 1 else ""
        lines.append(f"    section {mermaid_text(wanted)}{suffix}")
        lines += [f"    {_task_line(view, row, ids, by_node, timebase)}" for row in run]
    return "\n".join(lines) + "\n"


def _runs(view: ExportView, rows: list[ScheduleRow]) -> list[tuple[str, list[ScheduleRow]]]:
    """Consecutive tasks under the same summaries, each run with its section's name.

    Tasks at the top level, outside every summary, are named for what they are: the one
    task's own name, or "Milestones" when all of them are, or "Other tasks".
    """
    runs: list[tuple[str | None, list[ScheduleRow]]] = []
    for row in rows:
        key = _section(view, row)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(row)
        else:
            runs.append((key, [row]))
    named = []
    for key, run in runs:
        if key is not None:
            named.append((key, run))
        elif len(run) == 1:
            named.append((run[0].name, run))
        elif all(row.milestone for row in run):
            named.append((_("Milestones"), run))
        else:
            named.append((_(TOP_SECTION), run))
    return named


def _markers(view: ExportView, used: set[str]) -> list[str]:
    """Mermaid 11 ``vert`` lines: the status date and each deadline (one line a moment)."""
    timebase = view.timebase
    moments: dict[int, list[str]] = {}
    for row in view.rows:
        if row.deadline is not None and row.status != "cancelled":
            moments.setdefault(row.deadline, []).append(row.id)
    lines = []
    if view.schedule.as_of is not None:
        lines.append(_vert("Status date", "status_date", timebase, view.schedule.as_of, used))
    for number, (minute, tasks) in enumerate(sorted(moments.items()), start=1):
        label = "Deadline " + ", ".join(tasks[:3]) + (f" (+{len(tasks) - 3})" if tasks[3:] else "")
        # A date alone is the end of that day: the line sits at 23:59 of it, not the next day.
        at = minute - 1 if minute % 1440 == 0 else minute
        lines.append(_vert(label, f"deadline_{number}", timebase, at, used))
    return lines


def _vert(label: str, base: str, timebase: TimeBase, minute: int, used: set[str]) -> str:
    mark, number = f"v_{base}", 2
    while mark in used:
        mark, number = f"v_{base}_{number}", number + 1
    used.add(mark)
    return f"    {task_name(label)} :vert, {mark}, {_stamp(timebase, minute)}, 0d"


def _task_line(
    view: ExportView,
    row: ScheduleRow,
    ids: dict[int, str],
    by_node: dict[int, ScheduleRow],
    timebase: TimeBase,
) -> str:
    tags = []
    states = view.states[row.id]
    if row.milestone or (row.finish == row.start and State.CANCELLED not in states):
        tags.append("milestone")
    if State.DONE in states or State.CANCELLED in states:
        tags.append("done")  # Mermaid has no cancelled tag: greyed as done, and named so
    elif State.IN_PROGRESS in states:
        tags.append("active")
    if State.CRITICAL in states:
        tags.append("crit")
    after = _after(view, row, ids, by_node)
    start = f"after {' '.join(after)}" if after else _stamp(timebase, row.start)
    end = "0d" if "milestone" in tags else _stamp(timebase, row.finish)
    name = row.name + _state_suffix(states)
    return f"{task_name(name)} :{', '.join([*tags, ids[row.node], start, end])}"


#: States Mermaid has no tag for, said after the task's name.
_SAID = (State.CANCELLED, State.MISSED_DEADLINE, State.LATE, State.FINISHED_LATE, State.AT_RISK)


def _state_suffix(states: frozenset[State]) -> str:
    """`` (late)``, `` (cancelled)``: what the tags cannot show, in words after the name."""
    words = [_(WORDS[state]) for state in _SAID if state in states]
    return f" ({', '.join(words)})" if words else ""


def _after(
    view: ExportView, row: ScheduleRow, ids: dict[int, str], by_node: dict[int, ScheduleRow]
) -> list[str]:
    """Finish-to-start predecessors, when the latest of them ends exactly at this start."""
    graph = view.graph
    preds = [
        by_node[leaf]
        for edge in graph.preds[row.node]
        if edge.type == "FS" and edge.lag == 0
        for leaf in graph.leaves(edge.pred)  # a link from a summary waits for all its tasks
        if leaf in by_node and by_node[leaf].finish <= row.start
    ]
    if not preds or max(pred.finish for pred in preds) != row.start:
        return []
    return list(dict.fromkeys(ids[pred.node] for pred in preds))


def _section(view: ExportView, row: ScheduleRow) -> str | None:
    """The names of the summaries above a task, outermost first (None at the top level)."""
    names = []
    parent = row.parent
    while parent is not None:
        above = view.rows[view.graph.index[parent]]
        names.append(above.name)
        parent = above.parent
    return " / ".join(reversed(names)) or None


def _stamp(timebase: TimeBase, minute: int) -> str:
    return f"{timebase.naive(minute):%Y-%m-%d %H:%M}"


def _axis(rows: list[ScheduleRow]) -> tuple[str, str]:
    """Mermaid's tick interval and axis label format for the plan's span (one label a tick)."""
    span = max(row.finish for row in rows) - min(row.start for row in rows) if rows else 0
    for longest, interval, label in _AXES:
        if span <= longest:
            return interval, label
    return "1month", "%b %Y"


def mermaid_ids(rows: list[ScheduleRow]) -> dict[int, str]:
    """A Mermaid-safe, unique id per task: the task's own id where Mermaid can read it."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for row in rows:
        base = _ID_CHARACTERS.sub("_", row.id)
        if base.lower() in _RESERVED or not base[:1].isalpha():
            base = f"t_{base}"
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        used.add(candidate)
        out[row.node] = candidate
    return out


def mermaid_text(value: str) -> str:
    """Plan text that Mermaid shows exactly as written, on one line."""
    cleaned = " ".join(value.split()).translate(_ENTITIES)
    return cleaned or "-"


def task_name(value: str) -> str:
    """A task's name to start its line; a leading keyword gets its first letter as an entity."""
    cleaned = mermaid_text(value)
    if cleaned.lower().startswith(_KEYWORDS):  # an entity shows the same letter
        cleaned = f"#{ord(cleaned[0])};{cleaned[1:]}"
    return cleaned
