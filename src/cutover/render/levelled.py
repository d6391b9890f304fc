"""``cutover level`` in the terminal: what levelling moved, the new finish, what it breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from cutover.common.i18n import _, n_, ngettext
from cutover.engine.resourcing import broken_deadlines, loads, waits_for
from cutover.findings.wording import status_line, when

if TYPE_CHECKING:
    from rich.console import Console

    from cutover.engine.resourcing import Levelled, Wait


_DELAY = n_("delay")
#: From this many columns the table shows starts as well as finishes.
_WIDE = 110


def clock_span(minutes: int) -> str:
    """Wall-clock time as ``+2d 3h 30m`` (levelling delays are in calendar time)."""
    if minutes == 0:
        return ""
    days, rest = divmod(abs(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return ("+" if minutes > 0 else "-") + " ".join(part for part in parts if part)


def print_levelled(levelled: Levelled, console: Console) -> None:
    """The tasks with their levelled dates, then the finish, the resources, broken deadlines."""
    schedule = levelled.schedule
    graph = schedule.graph
    timebase = graph.timebase
    table = Table(
        title=_("{plan} — levelled — {status}").format(
            plan=graph.plan.plan, status=status_line(timebase, schedule.as_of)
        ),
        title_justify="left",
        pad_edge=False,
        box=box.SIMPLE_HEAD,
    )
    table.add_column(_("task"), min_width=10, no_wrap=True, overflow="ellipsis")
    wide = console.width >= _WIDE
    headers = (
        n_("start"),
        n_("finish"),
        _DELAY,
        n_("unlevelled finish"),
        n_("resources"),
    )
    for header in headers if wide else headers[1:]:
        table.add_column(
            _(header),
            no_wrap=True,
            justify="right" if header == "delay" else "left",
            min_width=7 if header == "delay" else 12,
        )
    years = {timebase.naive(minute).year for minute in (schedule.finish, graph.start)}
    year = len(years) > 1
    for node, (task, _path, _parent, depth) in enumerate(graph.tasks):
        allocate = (graph.allocate[node] if graph.allocate else None) or {}
        delay = levelled.delay(node)
        name = Text("  " * depth)
        name.append(task.id, style="bold" if graph.is_summary[node] else "")
        start = [when(timebase, schedule.early.start[node], year=year)] if wide else []
        table.add_row(
            name,
            *start,
            when(timebase, schedule.early.finish[node], year=year),
            clock_span(delay),
            when(timebase, levelled.unlevelled.early.finish[node], year=year),
            ", ".join(f"{key}×{units}" if units > 1 else key for key, units in allocate.items()),
            style="yellow" if delay > 0 else "",
        )
    console.print(table)
    before, after = levelled.unlevelled.finish, schedule.finish
    console.print(
        _("finish {after}, unlevelled {before}").format(
            after=when(timebase, after), before=when(timebase, before)
        )
        + (f" ({clock_span(after - before)})" if after != before else " " + _("(unchanged)"))
    )
    moved = [node for node in range(len(graph)) if levelled.delay(node) > 0]
    console.print(
        ngettext(
            "{count} task moved to free resources", "{count} tasks moved to free resources",
            len(moved),
        ).format(count=len(moved))
    )  # fmt: skip
    _print_resources(levelled, console)
    _print_broken(levelled, console)
    result = levelled.result
    proof = _(", makespan proved optimal") if result.optimal else ""
    searched = _("{count} schedules searched in {seconds} s{proof}").format(
        count=result.schedules, seconds=f"{result.seconds:.1f}", proof=proof
    )
    console.print(Text(searched, style="dim"))


def _print_resources(levelled: Levelled, console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=_("resources"), title_justify="left")
    headers = (n_("resource"), n_("units"), n_("peak"), n_("over its units"))
    for header in headers:
        table.add_column(_(header), justify="left" if header == headers[0] else "right")
    for load in loads(levelled.schedule):
        over = clock_span(load.overallocated_minutes).lstrip("+") or "0"
        table.add_row(load.id, str(load.units), str(load.peak), over)
    console.print(table)


def _print_broken(levelled: Levelled, console: Console) -> None:
    graph = levelled.schedule.graph
    timebase = graph.timebase
    broken = broken_deadlines(levelled)
    if not broken:
        console.print(_("levelling breaks no deadline"))
        return
    for node, wait in broken:
        deadline = graph.deadline[node] or 0
        cause = ""
        if wait is not None:
            cause = _(": {task} waits for {what}").format(
                task=graph.task(wait.node).id, what=_busy(levelled, wait)
            )
        line = _("levelling breaks the deadline of {task} ({when}){cause}").format(
            task=graph.task(node).id, when=when(timebase, deadline), cause=cause
        )
        console.print(Text(line, style="red"))


def wait_sentence(levelled: Levelled, node: int) -> str | None:
    """``waits for it-centre, busy with m1 until Fri 27 Jun 2025 17:00`` for ``drivers``."""
    wait = waits_for(levelled, node)
    if wait is None:
        return None
    moved = clock_span(levelled.delay(node))
    return _("levelling moved it {moved}: it waits for {what}").format(
        moved=moved, what=_busy(levelled, wait)
    )


def _busy(levelled: Levelled, wait: Wait) -> str:
    """``it-centre, busy with m1 until …`` or ``ministry-systems, away until …``."""
    graph = levelled.schedule.graph
    until = when(graph.timebase, wait.until)
    if wait.blocker < 0:
        return _("{resource}, away until {until}").format(resource=wait.resource, until=until)
    return _("{resource}, busy with {task} until {until}").format(
        resource=wait.resource, task=graph.task(wait.blocker).id, until=until
    )


def print_waits(levelled: Levelled, tasks: list[str], console: Console) -> None:
    """For ``drivers``: each task of the chain that levelling moved, and what it waited for."""
    graph = levelled.schedule.graph
    lines = []
    for task in tasks:
        node = graph.index[task]
        sentence = wait_sentence(levelled, node)
        if sentence is not None:
            lines.append(f"  {task}: {sentence}")
        elif levelled.delay(node) > 0 and graph.level_floor[node] is not None:
            moved = _("levelling moved it {moved}").format(moved=clock_span(levelled.delay(node)))
            lines.append(f"  {task}: {moved}")
    if lines:
        console.print()
        console.print(Text(_("Moved by resource levelling"), style="bold"))
        for line in lines:
            console.print(Text(line), crop=False, soft_wrap=True)
