"""Helpers of the interchange tests: export, import back, and compare two schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.findings.pipeline import Analysis, analyse_loaded
from cutover.interchange.importing import import_file
from cutover.interchange.mspdi_writer import write_mspdi
from cutover.planfile.loader import load_plan_text

if TYPE_CHECKING:
    from pathlib import Path

Row = tuple[int, int, int, int, int | None, bool, str]


def schedule_table(analysis: Analysis) -> dict[str, Row]:
    """Every task's start, finish, total, free and deadline slack, critical flag and status."""
    graph, schedule = analysis.graph, analysis.schedule
    return {
        graph.task(node).id: (
            schedule.early.start[node], schedule.early.finish[node], schedule.total_slack[node],
            schedule.free_slack[node], schedule.deadline_slack[node], schedule.critical[node],
            schedule.status[node],
        )
        for node in range(len(graph))
    }  # fmt: skip


def xer_round_trip(analysis: Analysis, folder: Path) -> tuple[Analysis, str]:
    """Export a plan to XER, import it back; the imported plan analysed, and its text."""
    from cutover.interchange.xer_writer import write_xer  # noqa: PLC0415

    exported = folder / "plan.xer"
    exported.write_bytes(write_xer(analysis.schedule))
    result = import_file(exported)
    loaded = load_plan_text(result.text, "imported.yaml")
    as_of = analysis.schedule.as_of
    status = None if as_of is None else analysis.graph.timebase.naive(as_of)
    return analyse_loaded(loaded, now=None, as_of=status), result.text


def mspdi_round_trip(analysis: Analysis, folder: Path) -> tuple[Analysis, str]:
    """Export a plan to MSPDI, import it back; the imported plan analysed, and its text."""
    exported = folder / "plan.xml"
    exported.write_bytes(write_mspdi(analysis.schedule))
    result = import_file(exported)
    loaded = load_plan_text(result.text, "imported.yaml")
    as_of = analysis.schedule.as_of
    status = None if as_of is None else analysis.graph.timebase.naive(as_of)
    return analyse_loaded(loaded, now=None, as_of=status), result.text


def differences(before: Analysis, after: Analysis, *, summary_links: bool = True) -> list[str]:
    """Each task whose schedule differs between two analyses, worded.

    Without ``summary_links`` (a format with no links on summaries, which writes a link
    from a summary from each of its tasks), a summary's slacks are not compared, only its
    dates, nor the free slack of a task inside a summary that is a predecessor (it is
    counted on the links rewritten), nor any slack of such a task when it is done or in
    progress: whether a link still bounds a predecessor depends on the predecessor's
    status (``bounds_predecessor``), the summary's before, the task's after.
    """
    first, second = schedule_table(before), schedule_table(after)
    if not summary_links:
        graph = before.graph
        rewritten = {
            leaf
            for node in range(len(graph))
            for edge in graph.preds[node]
            if graph.is_summary[edge.pred]
            for leaf in graph.leaves(edge.pred)
        }
        for table in (first, second):
            for node in range(len(graph)):
                key, row = graph.task(node).id, table.get(graph.task(node).id)
                if row is None:
                    continue
                tracked = graph.status[node] in {"done", "in_progress"}
                # A cancelled task's slack is what bounds its point, which a link rewritten
                # from its summary changes; its dates stay the same and are compared.
                cancelled = graph.status[node] == "cancelled" and graph.tasks[node].parent >= 0
                if graph.is_summary[node] or cancelled or (node in rewritten and tracked):
                    table[key] = (*row[:2], 0, 0, None, False, row[6])
                elif node in rewritten:
                    table[key] = (*row[:3], 0, *row[4:])
    out = [f"missing: {key}" for key in first.keys() - second.keys()]
    out += [f"added: {key}" for key in second.keys() - first.keys()]
    out += [
        f"{key}: {first[key]} != {second[key]}"
        for key in first
        if key in second and first[key] != second[key]
    ]
    return out
