"""``risk``, ``whatif`` and ``drivers`` as text for people and as JSON for tools.

Each result is computed once by the core (``risk.simulate``, ``whatif.apply``,
``explain.drivers``) and serialised here; the JSON of ``risk`` is the object the issue
fixes: ``{"runs", "seed", "deadlines": [{"task", "deadline", "probability", "p50", "p80",
"p95"}], "finish": {"p50", "p80", "p95"}, "tasks": [{"id", "criticality"}]}`` plus extras.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
from rich import box
from rich.table import Table
from rich.text import Text

from cutover.common.i18n import _, current_language, ngettext
from cutover.common.text import display_text
from cutover.findings.states import WORDS, State, TaskStates, ordered, task_states
from cutover.findings.wording import (
    day_label,
    deadline_text,
    number,
    status_line,
    when,
    work_amount,
)
from cutover.render.report import finding_document, print_finding
from cutover.risk.montecarlo import percent

if TYPE_CHECKING:
    from rich.console import Console

    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.findings.explain import Explanation, LinkStep
    from cutover.risk.montecarlo import Outcome, RiskResult
    from cutover.risk.whatif import WhatIf
    from cutover.worktime.timebase import TimeBase

_BAR_WIDTH = 40
_MAX_BINS = 20
_TOP_TASKS = 10


# -- risk ----------------------------------------------------------------------------------


def _state_names(states: TaskStates) -> dict[str, list[str]]:
    return {task: [state.value for state in ordered(held)] for task, held in states.items()}


def risk_document(result: RiskResult, states: TaskStates | None = None) -> dict[str, Any]:
    """The ``risk --format json`` object; ``states`` adds each deadline's states as check says."""
    graph = result.graph
    timebase = graph.timebase
    names = _state_names(states) if states is not None else {}
    return {
        "plan": graph.plan.plan,
        "as_of": None if result.as_of is None else timebase.iso(result.as_of),
        "runs": result.runs,
        "seed": result.seed,
        "sampled_tasks": result.sampled,
        "deadlines": [
            {
                "task": outcome.task,
                "deadline": _deadline_iso(graph, outcome.node),
                "probability": round(outcome.probability or 0.0, 4),
                **_percentiles(outcome, timebase),
                **({"states": names[outcome.task]} if outcome.task in names else {}),
            }
            for outcome in result.deadlines
        ],
        "finish": _percentiles(result.finish, timebase),
        "tasks": [
            {"id": graph.task(node).id, "criticality": round(share, 4), "correlation": r}
            for node, (share, r) in enumerate(
                zip(result.criticality, result.sensitivity, strict=True)
            )
        ],
    }


def _deadline_iso(graph: TaskGraph, node: int | None) -> str | None:
    """A deadline that is a date alone reads as 23:59:59 of that day, as PLAN_FORMAT shows."""
    minute = None if node is None else graph.deadline[node]
    if node is None or minute is None:
        return None
    if hasattr(graph.task(node).deadline, "hour"):
        return graph.timebase.iso(minute)
    last = graph.timebase.aware(minute - 1)
    return last.replace(second=59).isoformat(timespec="seconds")


def _percentiles(outcome: Outcome, timebase: TimeBase) -> dict[str, Any]:
    p50, p80, p95 = outcome.percentiles
    return {
        "p50": timebase.iso(p50),
        "p80": timebase.iso(p80),
        "p95": timebase.iso(p95),
        "forecast": timebase.iso(outcome.scheduled),
        "drivers": [{"task": d.task, "correlation": d.correlation} for d in outcome.drivers],
    }


def risk_json(result: RiskResult, states: TaskStates | None = None) -> str:
    """``risk --format json``: one JSON object."""
    return json.dumps(risk_document(result, states), ensure_ascii=False, indent=2)


def risk_text(result: RiskResult, console: Console, states: TaskStates | None = None) -> None:
    """Deadlines with their chances, the finish and its histogram, the most critical tasks."""
    graph = result.graph
    timebase = graph.timebase
    console.print(
        Text.assemble(
            (display_text(graph.plan.plan), "bold"),
            " — "
            + ngettext(
                "{status} · {runs} runs, seed {seed}, {count} task with estimates",
                "{status} · {runs} runs, seed {seed}, {count} tasks with estimates",
                result.sampled,
            ).format(
                status=status_line(timebase, result.as_of),
                runs=number(result.runs, decimals=0),
                seed=result.seed,
                count=result.sampled,
            ),
        )
    )
    console.print()
    lines = [
        Text(_("Chance of meeting each deadline"), style="bold"),
        *_deadline_table(result, states or {}, console.width),
        Text(),
        *_driver_lines(result, console.width),
        Text(),
        *histogram(result, console.width),
        Text(),
        Text(_("Most critical tasks"), style="bold"),
        *_task_table(result),
    ]
    for line in lines:
        console.print(line, crop=False, soft_wrap=True)


def _deadline_table(result: RiskResult, states: TaskStates, width: int = 200) -> list[Text]:
    """Per deadline: the chance, the percentiles and the forecast as ``check`` judges it.

    When the table is wider than the console, each deadline becomes a block of two lines:
    the task, its deadline, forecast and chance, then its P50, P80 and P95 indented.
    """
    graph = result.graph
    timebase = graph.timebase
    rows = [[_("task"), _("deadline"), _("forecast"), _("chance"), "P50", "P80", "P95"]]
    shown = [0, 1, 2, 3, 4, 5, 6] if states else [0, 1, 3, 4, 5, 6]
    styles = ["bold"]
    for outcome in [*result.deadlines, result.finish]:
        share = outcome.probability
        styles.append(
            "" if share is None or share >= 0.8 else ("bold red" if share < 0.5 else "yellow")
        )
        rows.append(
            [
                outcome.task or _("(plan finish)"),
                "" if outcome.node is None else _deadline(graph, outcome.node, year=False),
                _forecast_word(states.get(outcome.task or "")),
                "" if share is None else percent(share),
                *(when(timebase, value, year=False) for value in outcome.percentiles),
            ]
        )
    rows = [[row[column] for column in shown] for row in rows]
    if len(_aligned(rows, right=set())[1 if len(rows) > 1 else 0]) > width:
        return _deadline_blocks(rows, styles)
    return [
        Text(line, style=style)
        for line, style in zip(_aligned(rows, right={shown.index(3)}), styles, strict=True)
    ]


def _forecast_word(held: frozenset[State] | None) -> str:
    """How the deterministic forecast stands against the deadline: check's own word."""
    if not held:
        return ""
    for state in (State.MISSED_DEADLINE, State.LATE, State.FINISHED_LATE, State.AT_RISK):
        if state in held:
            return _(WORDS[state])
    return _("done") if State.DONE in held else _("on time")


def _deadline_blocks(rows: list[list[str]], styles: list[str]) -> list[Text]:
    """The deadline table for a narrow console: two lines per deadline."""
    head = [row[:-3] for row in rows]
    lines = _aligned(head, right={len(head[0]) - 1})
    out = [Text(lines[0], style="bold")]
    for line, row, style in zip(lines[1:], rows[1:], styles[1:], strict=True):
        out.append(Text(line, style=style))
        p50, p80, p95 = row[-3:]
        out.append(Text(f"    P50 {p50} · P80 {p80} · P95 {p95}", style="dim"))
    return out


def _aligned(rows: list[list[str]], right: set[int]) -> list[str]:
    """Rows as lines of columns two spaces apart, without trailing spaces."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _deadline(graph: TaskGraph, node: int, *, year: bool = True) -> str:
    """A task's deadline as written: a date alone is the end of that day."""
    minute = graph.deadline[node]
    assert minute is not None
    written = graph.task(node).deadline
    if hasattr(written, "hour"):
        return when(graph.timebase, minute, year=year)
    if not year and current_language() != "en":
        return _("end of {day}").format(day=day_label(graph.timebase, minute - 1))
    text = deadline_text(graph.timebase, minute, end_of_day=True)
    return text if year else text.rsplit(" ", 1)[0]


def _driver_lines(result: RiskResult, width: int = 200) -> list[Text]:
    """Per open deadline (and the finish), the tasks whose durations move it most."""
    lines = [
        Text(_("What drives each date (correlation of a task's duration with it)"), style="bold")
    ]
    for outcome in [*result.deadlines, result.finish]:
        if not outcome.drivers:
            continue
        share = outcome.probability
        name = outcome.task or _("(plan finish)")
        if share is not None:
            name += f" ({percent(share)})"
        drivers = ", ".join(f"{d.task} {d.correlation:.2f}" for d in outcome.drivers)
        wrapped = textwrap.wrap(f"{name}: {drivers}", max(width - 2, 30), subsequent_indent="    ")
        lines += [Text(f"  {line}") for line in wrapped]
    if len(lines) == 1:
        lines.append(
            Text("  " + _("nothing: no task with an estimate moves a deadline or the finish"))
        )
    return lines


def _task_table(result: RiskResult) -> list[Text]:
    graph = result.graph
    rows = [[_("task"), _("critical in"), _("correlation with the finish")]]
    ranked = sorted(
        (node for node in range(len(graph)) if not graph.is_summary[node]),
        key=lambda node: (-result.criticality[node], node),
    )
    for node in ranked[:_TOP_TASKS]:
        r = result.sensitivity[node]
        rows.append(
            [
                graph.task(node).id,
                _("{share} of runs").format(share=percent(result.criticality[node])),
                _("fixed") if r is None else f"{r:.2f}",
            ]
        )
    lines = _aligned(rows, right={1, 2})
    return [Text(lines[0], style="bold"), *(Text(line) for line in lines[1:])]


def histogram(result: RiskResult, columns: int = 200) -> list[Text]:
    """The plan's finish over the runs: one bar per day (or group of days), with shares."""
    timebase = result.graph.timebase
    days = (result.finish.finishes - 1) // 1440  # a finish at midnight ends the day before
    first, last = int(days.min()), int(days.max())
    width = math.ceil((last - first + 1) / _MAX_BINS)
    counts = np.bincount((days - first) // width)
    forecast_bin = ((result.finish.scheduled - 1) // 1440 - first) // width
    labels = []
    for index in range(len(counts)):
        day = (first + index * width) * 1440
        label = _day(timebase, day)
        if width > 1:
            label += f" – {_day(timebase, day + (width - 1) * 1440)}"
        labels.append(label)
    label_width = max(len(label) for label in labels)
    # The bar shrinks to fit the console: label, bar, count, shares and "← forecast".
    bar_width = max(min(_BAR_WIDTH, columns - label_width - 4 - 24 - 12), 10)
    lines = [
        Text(
            _("Finish of the plan over {runs} runs").format(runs=number(result.runs, decimals=0)),
            style="bold",
        )
    ]
    total, running, top = int(counts.sum()), 0, max(int(counts.max()), 1)
    for index, (label, count) in enumerate(zip(labels, counts.tolist(), strict=True)):
        running += count
        bar = "█" * round(bar_width * count / top)
        line = Text(f"  {label:<{label_width}}  ")
        line.append(f"{bar:<{bar_width}}", style="red" if index > forecast_bin else "")
        line.append(
            f" {number(count, decimals=0):>7} {percent(count / total):>6} "
            f"{percent(running / total):>7}"
        )
        if index == forecast_bin:
            line.append("  ← " + _("forecast"), style="dim")
        lines.append(line)
    return lines


def _day(timebase: TimeBase, minute: int) -> str:
    return when(timebase, minute, year=False)[:-6]


# -- whatif ----------------------------------------------------------------------------------


def whatif_document(what: WhatIf) -> dict[str, Any]:
    """The ``whatif --format json`` object."""
    from cutover.engine.rows import schedule_document  # noqa: PLC0415 - a core module

    timebase = what.before.graph.timebase
    before, after = what.before.schedule, what.after.schedule
    return {
        "changes": list(what.changes),
        "as_of": None if after.as_of is None else timebase.iso(after.as_of),
        "finish": {
            "before": timebase.iso(before.finish),
            "after": timebase.iso(after.finish),
            "moved_minutes": what.finish_moved,
        },
        "moved": [
            {
                "id": move.task,
                "start_before": timebase.iso(move.start_before),
                "start_after": timebase.iso(move.start_after),
                "finish_before": timebase.iso(move.finish_before),
                "finish_after": timebase.iso(move.finish_after),
                "start_moved_minutes": move.start_moved,
                "finish_moved_minutes": move.finish_moved,
            }
            for move in what.moved
        ],
        "deadlines": [
            {
                "task": change.task,
                "deadline": _deadline_iso(what.before.graph, what.before.graph.index[change.task]),
                "finish_before": timebase.iso(change.finish_before),
                "finish_after": timebase.iso(change.finish_after),
                "met_before": change.met_before,
                "met_after": change.met_after,
            }
            for change in what.deadlines
        ],
        "appeared": [finding_document(f) for f in what.appeared],
        "resolved": [finding_document(f) for f in what.resolved],
        "ok": what.after.ok,
        "findings": [finding_document(f) for f in what.after.findings],
        "schedule": schedule_document(after, states=_state_names(task_states(what.after))),
    }


def whatif_json(what: WhatIf) -> str:
    """``whatif --format json``: one JSON object."""
    return json.dumps(whatif_document(what), ensure_ascii=False, indent=2)


def whatif_text(what: WhatIf, console: Console) -> None:
    """The new finish, what moved, which deadlines break, which findings come and go."""
    graph = what.before.graph
    timebase = graph.timebase
    before, after = what.before.schedule, what.after.schedule
    console.print(
        Text(_("What if {changes}").format(changes=", ".join(what.changes)), style="bold")
    )
    console.print(f"{status_line(timebase, after.as_of)}")
    console.print(
        _("forecast finish {before} → {after} ({moved})").format(
            before=when(timebase, before.finish),
            after=when(timebase, after.finish),
            moved=_moved(what.finish_moved, graph.calendars["default"].day_minutes),
        )
    )
    if what.moved:
        console.print()
        console.print(Text(_("What moved"), style="bold"))
        _print_trimmed(console, _moves_table(what))
    for title, changes in (
        (_("deadlines that break"), [c for c in what.deadlines if c.breaks]),
        (
            _("deadlines met again"),
            [c for c in what.deadlines if c.met_after and not c.met_before],
        ),
    ):
        if changes:
            console.print()
            console.print(Text(title, style="bold"))
            for change in changes:
                before_at, after_at = change.finish_before, change.finish_after
                # Two short lines, so that no date is split at 80 columns.
                deadline = _("{task}: deadline {deadline}").format(
                    task=change.task, deadline=_deadline(graph, graph.index[change.task])
                )
                console.print(f"  {deadline}", crop=False, soft_wrap=True)
                forecast = _("forecast {before} → {after}").format(
                    before=when(timebase, before_at), after=when(timebase, after_at)
                )
                console.print(f"      {forecast}", crop=False, soft_wrap=True)
    for title, findings in (
        (_("new findings"), what.appeared),
        (_("findings gone"), what.resolved),
    ):
        if findings:
            console.print()
            console.print(Text(title, style="bold"))
            for finding in findings:
                name = graph.task(graph.index[finding.task]).display_name
                print_finding(finding, console, name)
    console.print()
    verdict = (
        _("OK: no error finding") if what.after.ok else _("FAIL: error findings with these changes")
    )
    console.print(Text(verdict, style="bold green" if what.after.ok else "bold red"))


def _print_trimmed(console: Console, table: Table) -> None:
    """Print a table without the spaces rich pads its lines with (clean in a CI log)."""
    with console.capture() as capture:
        console.print(table)
    for line in capture.get().splitlines():
        console.print(Text.from_ansi(line.rstrip()), crop=False, soft_wrap=True)


def _moves_table(what: WhatIf) -> Table:
    timebase = what.before.graph.timebase
    table = Table(pad_edge=False, box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column(_("task"), overflow="fold", min_width=8)
    for header in (_("start"), _("finish")):
        table.add_column(header, no_wrap=True)
    table.add_column(_("moved"), justify="right", no_wrap=True)
    for move in what.moved:
        table.add_row(
            move.task,
            _from_to(timebase, move.start_before, move.start_after),
            _from_to(timebase, move.finish_before, move.finish_after),
            _moved(move.finish_moved, move.day_minutes),
        )
    return table


def _from_to(timebase: TimeBase, before: int, after: int) -> str:
    """The date, or the old date above ``→ new date``: each cell stays narrow."""
    if before == after:
        return when(timebase, after, year=False)
    return f"{when(timebase, before, year=False)}\n→ {when(timebase, after, year=False)}"


def _moved(minutes: int, day_minutes: int) -> str:
    text = work_amount(minutes, day_minutes)
    return "+" + text if minutes > 0 else text


# -- drivers ---------------------------------------------------------------------------------


def drivers_document(explanation: Explanation, schedule: Schedule) -> dict[str, Any]:
    """The ``drivers --format json`` object."""
    timebase = schedule.graph.timebase
    bound = explanation.bound
    return {
        "task": explanation.task,
        "origin": {
            "reason": explanation.origin,
            "at": None if explanation.origin_at is None else timebase.iso(explanation.origin_at),
        },
        "chain": [
            {
                "task": step.task,
                "start": timebase.iso(step.start),
                "finish": timebase.iso(step.finish),
                "link": None if step.link is None else _link_document(step.link),
                "subtask": step.subtask,
            }
            for step in explanation.chain
        ],
        "other_links": [_link_document(link) for link in explanation.other_links],
        "critical": explanation.critical,
        "status": explanation.status,
        "total_slack_minutes": explanation.total_slack,
        "deadline_slack_minutes": explanation.deadline_slack,
        "bound": None
        if bound is None
        else {
            "kind": bound.kind,
            "task": bound.task,
            "at": timebase.iso(bound.at),
            "through": list(bound.through),
        },
        "why": why_critical(explanation, schedule.graph),
    }


def _link_document(link: LinkStep) -> dict[str, Any]:
    return {
        "from": link.pred,
        "to": link.succ,
        "type": link.type,
        "lag_minutes": link.lag,
        "slack_minutes": link.slack,
        "via": link.via,
    }


def drivers_json(explanation: Explanation, schedule: Schedule) -> str:
    """``drivers --format json``: one JSON object."""
    return json.dumps(drivers_document(explanation, schedule), ensure_ascii=False, indent=2)


def drivers_text(explanation: Explanation, schedule: Schedule, console: Console) -> None:
    """The chain that sets the task's date, its other links, and why it is (not) critical."""
    graph = schedule.graph
    timebase, day = graph.timebase, explanation.day_minutes
    console.print(
        Text(_("What sets the date of {task}").format(task=explanation.task), style="bold")
    )
    origin = _(explanation.origin)
    if explanation.origin_at is not None:
        origin += f" ({when(timebase, explanation.origin_at)})"
    set_by = _("{task}: set by {origin}").format(task=explanation.chain[0].task, origin=origin)
    console.print(f"  {set_by}")
    for step in explanation.chain:
        if step.link is not None:
            console.print(Text(f"    ↓ {_link_text(step.link, day)}", style="dim"))
        dates = when(timebase, step.start)
        if step.finish != step.start:
            dates += f" – {when(timebase, step.finish)}"
        line = Text.assemble("  ", (step.task, "bold"), f"  {dates}")
        if step.subtask is not None:
            line.append(
                "  " + _("(finishes with its sub-task {task})").format(task=step.subtask),
                style="dim",
            )
        console.print(line)
    if explanation.other_links:
        console.print()
        console.print(
            Text(_("Other links into {task}").format(task=explanation.task), style="bold")
        )
        for link in explanation.other_links:
            console.print(f"  {_link_text(link, day)}")
    console.print()
    console.print(Text(_("Is {task} critical?").format(task=explanation.task), style="bold"))
    console.print(Text(f"  {why_critical(explanation, graph)}"), crop=False, soft_wrap=True)


def _link_text(link: LinkStep, day_minutes: int) -> str:
    source = (
        link.pred
        if link.via is None
        else _("{task} (set by {via})").format(task=link.pred, via=link.via)
    )
    lag = (
        _("no lag")
        if link.lag == 0
        else _("lag {amount}").format(amount=work_amount(link.lag, day_minutes))
    )
    return _("{type} from {source}, {lag}, slack {slack}").format(
        type=link.type, source=source, lag=lag, slack=work_amount(link.slack, day_minutes)
    )


def why_critical(explanation: Explanation, graph: TaskGraph) -> str:
    """One or two sentences: critical or not, by how much, and what bounds the task."""
    day = explanation.day_minutes
    timebase = graph.timebase
    if explanation.status in {"done", "cancelled"}:
        return _("no: it is {status}, and {status} tasks are never critical.").format(
            status=explanation.status
        )
    slack = work_amount(explanation.total_slack, day)
    head = (
        _("yes: its total slack is {slack} (zero or less is critical)").format(slack=slack)
        if explanation.critical
        else _("no: it has {slack} of total slack").format(slack=slack)
    )
    bound = explanation.bound
    if bound is not None:
        what = (
            _("the deadline of {task} ({deadline})").format(
                task=bound.task, deadline=_deadline(graph, graph.index[bound.task])
            )
            if bound.task is not None
            else _("the plan's finish ({when})").format(when=when(timebase, bound.at))
        )
        path = " → ".join(bound.through)
        head += (
            _("; its latest finish is set by {what} through {path}").format(what=what, path=path)
            if len(bound.through) > 1
            else _("; its latest finish is set by {what}").format(what=what)
        )
    if explanation.deadline_slack is None:
        return head + _(". No deadline depends on it.")
    return head + _(". Deadline slack: {slack}.").format(
        slack=work_amount(explanation.deadline_slack, day)
    )
