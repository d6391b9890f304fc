"""A levelled schedule as data: ``level --format json`` and ``csv``.

The JSON is ``schedule --format json`` plus, per task, ``leveling_delay_minutes`` (wall
minutes levelling moved its start) and ``allocate``, and at the top ``"leveled": true``,
the unlevelled finish, ``resources`` (units, peak, minutes over) and the deadlines that
levelling breaks with the resource behind each.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from cutover.engine.resourcing import broken_deadlines, loads
from cutover.engine.rows import CSV_COLUMNS, csv_record, schedule_document, schedule_rows

if TYPE_CHECKING:
    from cutover.engine.resourcing import Levelled


def levelled_document(levelled: Levelled) -> dict[str, Any]:
    """The JSON object of ``level --format json``."""
    schedule = levelled.schedule
    graph = schedule.graph
    timebase = graph.timebase
    rows = schedule_rows(schedule)
    document = schedule_document(schedule, rows)
    for node, task in enumerate(document["tasks"]):
        task["leveling_delay_minutes"] = levelled.delay(node)
        task["unleveled_finish"] = timebase.iso(levelled.unlevelled.early.finish[node])
        task["allocate"] = (graph.allocate[node] if graph.allocate else None) or {}
    document["leveled"] = True
    document["unleveled_finish"] = timebase.iso(levelled.unlevelled.finish)
    document["resources"] = [load._asdict() for load in loads(schedule)]
    document["broken_deadlines"] = [
        {
            "task": graph.task(node).id,
            "deadline": timebase.iso(graph.deadline[node] or 0),
            "resource": None if wait is None else wait.resource,
            "waiting_task": None if wait is None else graph.task(wait.node).id,
            "busy_with": None if wait is None or wait.blocker < 0 else graph.task(wait.blocker).id,
        }
        for node, wait in broken_deadlines(levelled)
    ]
    result = levelled.result
    document["search"] = {
        "schedules": result.schedules,
        "seconds": round(result.seconds, 3),
        "proved_optimal": result.optimal,
    }
    return document


LEVELLED_COLUMNS = (*CSV_COLUMNS, "leveling_delay_minutes", "unleveled_finish", "allocate")


def levelled_csv(levelled: Levelled) -> str:
    """The levelled schedule as CSV: the schedule's columns, then the levelling ones."""
    schedule = levelled.schedule
    graph = schedule.graph
    timebase = graph.timebase
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LEVELLED_COLUMNS)
    for node, row in enumerate(schedule_rows(schedule)):
        allocate = (graph.allocate[node] if graph.allocate else None) or {}
        writer.writerow(
            [
                *csv_record(timebase, row),
                levelled.delay(node),
                timebase.iso(levelled.unlevelled.early.finish[node]),
                " ".join(f"{name}:{units}" for name, units in allocate.items()),
            ]
        )
    return out.getvalue()
