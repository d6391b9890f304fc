"""``cutover status`` and ``cutover rollup`` as text tables, JSON, Markdown and CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cutover.common.csvrows import csv_text
from cutover.common.i18n import ENGLISH, _, current_language, n_
from cutover.common.text import display_text
from cutover.findings.wording import day_label, deadline_text, status_line, when, work_amount
from cutover.render.summary import cell

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from cutover.findings.pipeline import PlanCheck
    from cutover.portfolio.rollup import Counts, PlanStatus, Worst


#: The headings of a table as one message, `` · `` between them: translators see the row
#: whole, and a short word ("done") can read one way in a heading and another in a sentence.
_STATUS_HEADINGS = n_("system · tasks · done · delayed · active · not due · finish · least slack")
_ROLLUP_HEADINGS = n_("plan · tasks · done · delayed · within · go-live · least slack · errors")


def headings(row: str) -> list[str]:
    """A table's headings from their one message (see ``_STATUS_HEADINGS``)."""
    return _(row).split(" · ")


def _worst_text(worst: Worst | None) -> str:
    if worst is None:
        return _("no deadline ahead")
    slack = work_amount(worst.slack_minutes, worst.day_minutes)
    return f"{slack} ({worst.task})"


def short(name: str) -> str:
    """A plan's short name: ``Tuyên Quang`` of ``Tuyên Quang — five national systems …``."""
    return name.split(" — ", 1)[0].strip() or name


def _when(status: PlanStatus, minute: int) -> str:
    return day_label(status.analysis.graph.timebase, minute)


def _margin_text(status: PlanStatus) -> str:
    if status.final_deadline is None or status.finish_margin is None:
        return _("no deadline")
    timebase = status.analysis.graph.timebase
    day = status.analysis.graph.calendars["default"].day_minutes
    deadline = deadline_text(
        timebase, status.final_deadline, end_of_day=status.final_deadline % 1440 == 0
    )
    if status.finish_margin < 0:
        return _("{amount} after the final deadline ({deadline})").format(
            amount=work_amount(-status.finish_margin, day), deadline=deadline
        )
    return _("{amount} before the final deadline ({deadline})").format(
        amount=work_amount(status.finish_margin, day), deadline=deadline
    )


# -- one plan ----------------------------------------------------------------------------------


def go_live_text(status: PlanStatus) -> str:
    """``go-live Sun 29 Jun 2025 18:00 (go-live)``, or the finish when no go-live is named."""
    timebase = status.analysis.graph.timebase
    if status.go_live is None:
        return _("no go-live named; forecast finish {when}").format(
            when=when(timebase, status.finish)
        )
    return _("forecast go-live {when} ({task})").format(
        when=when(timebase, status.go_live), task=status.go_live_task
    )


def _sentence_case(text: str) -> str:
    """``Forecast go-live …``: English as it always was; other languages keep their dates."""
    return text.capitalize() if current_language() == ENGLISH else text[:1].upper() + text[1:]


def _indented(text: str | Text, indent: int = 2, style: str = "") -> Padding:
    """A line that wraps under its own first word, not at column 0."""
    body = Text(text, style=style) if isinstance(text, str) else text
    return Padding(body, (0, 0, 0, indent), expand=False)


def system_table(status: PlanStatus, width: int) -> Table:
    """The counts per system; the names wrap inside their cell when the width is short."""
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1), expand=False)
    system, *numbers, finish, least = headings(_STATUS_HEADINGS)
    table.add_column(system, min_width=10, max_width=max(18, width - 62), overflow="fold")
    narrow = width < 90
    for header in numbers:
        table.add_column(
            header if not narrow else header.replace(" ", "\n"),
            justify="right",
            min_width=min(len(header), 5),
            no_wrap=True,
        )
    table.add_column(finish, no_wrap=True)
    table.add_column(
        least.replace(" ", "\n", 1) if narrow else least, no_wrap=True, justify="right"
    )
    for group in status.groups:
        counts = group.counts
        table.add_row(
            Text(display_text(group.name), style="italic" if not group.id else ""),
            str(counts.total),
            str(counts.done),
            Text(str(counts.delayed), style="bold red" if counts.delayed else ""),
            str(counts.in_progress),
            str(counts.not_yet_due),
            _when(status, group.finish),
            ""
            if group.worst is None
            else work_amount(group.worst.slack_minutes, group.worst.day_minutes),
        )
    return table


def print_status(
    statuses: Sequence[PlanStatus], invalid: Sequence[PlanCheck], console: Console
) -> None:
    """Per plan: the headline counts, a table per system, the go-live, finish, worst slack."""
    for status in statuses:
        timebase = status.analysis.graph.timebase
        head = Table.grid(padding=(0, 2))
        head.add_column(no_wrap=True)
        head.add_column()
        head.add_row(Text(display_text(status.file), style="bold"), Text(display_text(status.plan)))
        console.print(head)
        console.print(_indented(status_line(timebase, status.analysis.schedule.as_of), style="dim"))
        console.print(_indented(status.counts.sentence(), style="bold"))
        console.print(system_table(status, console.width))
        console.print(_indented(go_live_text(status)))
        for line in _runbook_lines(status):
            console.print(_indented(display_text(line, limit=300)))
        console.print(
            _indented(
                _("forecast finish {when}: {margin}").format(
                    when=when(timebase, status.finish), margin=_margin_text(status)
                )
            )
        )
        if status.worst is not None:
            chain = " → ".join(status.worst.drivers[-6:])
            console.print(
                _indented(
                    _("least deadline slack: {slack} (driven by {chain})").format(
                        slack=_worst_text(status.worst), chain=chain
                    )
                )
            )
        console.print()
    for result in invalid:
        console.print(
            Text.assemble(
                (display_text(result.file), "bold"),
                ("  " + _("invalid plan: not scheduled"), "bold red"),
            )
        )
        for diagnostic in result.diagnostics:
            console.print(_indented(str(diagnostic)))


def _runbook_lines(status: PlanStatus) -> list[str]:
    """A rollback under way (every view says so), and what the run journal recorded."""
    from cutover.portfolio.journal import journal_summary  # noqa: PLC0415 - small

    lines = [
        _("ROLLING BACK: {message}").format(message=finding.message)
        for finding in status.analysis.findings
        if finding.code == "rolling-back"
    ]
    summary = journal_summary(Path(status.file))
    if summary is not None:
        lines.append(summary)
    return lines


def _counts(counts: Counts) -> dict[str, int]:
    return {
        "total": counts.total,
        "done": counts.done,
        "delayed": counts.delayed,
        "within_deadline": counts.within,
        "in_progress": counts.in_progress,
        "not_yet_due": counts.not_yet_due,
        "at_risk": counts.at_risk,
    }


def _worst(worst: Worst | None) -> dict[str, Any] | None:
    if worst is None:
        return None
    return {
        "task": worst.task,
        "name": worst.name,
        "slack_minutes": worst.slack_minutes,
        "drivers": list(worst.drivers),
    }


def status_document(status: PlanStatus) -> dict[str, Any]:
    """One plan's status as JSON."""
    timebase = status.analysis.graph.timebase
    as_of = status.analysis.schedule.as_of
    return {
        "file": status.file,
        "plan": status.plan,
        "as_of": None if as_of is None else timebase.iso(as_of),
        "counts": _counts(status.counts),
        "finish": timebase.iso(status.finish),
        "go_live": None
        if status.go_live is None
        else {"task": status.go_live_task, "forecast": timebase.iso(status.go_live)},
        "final_deadline": None
        if status.final_deadline is None
        else timebase.iso(status.final_deadline),
        "finish_margin_minutes": status.finish_margin,
        "least_deadline_slack": _worst(status.worst),
        "errors": status.errors,
        "warnings": status.warnings,
        "systems": [
            {
                "id": group.id,
                "name": group.name,
                "counts": _counts(group.counts),
                "finish": timebase.iso(group.finish),
                "least_deadline_slack": _worst(group.worst),
            }
            for group in status.groups
        ],
        "tasks": status.states,
    }


def _invalid_document(result: PlanCheck) -> dict[str, Any]:
    return {
        "file": result.file,
        "valid": False,
        "problems": [
            {"code": d.code, "message": d.message, "line": d.location.line}
            for d in result.diagnostics
        ],
    }


def status_json(statuses: Sequence[PlanStatus], invalid: Sequence[PlanCheck]) -> str:
    """``cutover status --format json``."""
    plans = [status_document(status) for status in statuses] + [
        _invalid_document(r) for r in invalid
    ]
    return json.dumps({"plans": plans}, ensure_ascii=False, indent=2)


def status_markdown(statuses: Sequence[PlanStatus], invalid: Sequence[PlanCheck]) -> str:
    """``cutover status --format md``: a report to paste into a meeting's minutes."""
    lines: list[str] = []
    for status in statuses:
        timebase = status.analysis.graph.timebase
        lines += [f"## {cell(status.plan)}", "", f"**{status.counts.sentence()}**", ""]
        lines += [
            _(
                "| system | tasks | done | delayed | in progress | not yet due | finish "
                "| least deadline slack |"
            )
        ]
        lines += ["| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
        for group in status.groups:
            c = group.counts
            lines.append(
                f"| {cell(group.name)} | {c.total} | {c.done} | {c.delayed} | {c.in_progress} | "
                f"{c.not_yet_due} | {when(timebase, group.finish)} | "
                f"{cell(_worst_text(group.worst))} |"
            )
        lines += [
            "",
            f"{_sentence_case(cell(go_live_text(status)))}.",
            "",
            _("Forecast finish {when}: {margin}.").format(
                when=when(timebase, status.finish), margin=cell(_margin_text(status))
            ),
            "",
        ]
    for result in invalid:
        lines += [_("## `{file}`: invalid plan").format(file=cell(result.file)), ""]
        lines += [
            _("- line {line}: {message}").format(line=d.location.line, message=cell(d.message))
            for d in result.diagnostics
        ]
        lines.append("")
    return "\n".join(lines)


# -- many plans ----------------------------------------------------------------------------------

ROLLUP_COLUMNS = (
    "plan", "file", "tasks", "done", "delayed", "within_deadline", "in_progress",
    "not_yet_due", "forecast_finish", "go_live", "go_live_task", "final_deadline",
    "finish_margin_minutes", "least_slack_minutes", "least_slack_task", "errors", "warnings",
)  # fmt: skip


def _rollup_record(status: PlanStatus) -> list[object]:
    timebase = status.analysis.graph.timebase
    c = status.counts
    return [
        status.plan, status.file, c.total, c.done, c.delayed, c.within, c.in_progress,
        c.not_yet_due, timebase.iso(status.finish),
        "" if status.go_live is None else timebase.iso(status.go_live), status.go_live_task or "",
        "" if status.final_deadline is None else timebase.iso(status.final_deadline),
        "" if status.finish_margin is None else status.finish_margin,
        "" if status.worst is None else status.worst.slack_minutes,
        "" if status.worst is None else status.worst.task,
        status.errors, status.warnings,
    ]  # fmt: skip


def _go_live_cell(status: PlanStatus, *, long: bool = False) -> str:
    """The go-live the plan names, or its forecast finish marked as such."""
    timebase = status.analysis.graph.timebase
    minute = status.finish if status.go_live is None else status.go_live
    text = when(timebase, minute) if long else _when(status, minute)
    return _("{when} (finish)").format(when=text) if status.go_live is None else text


def print_rollup(
    statuses: Sequence[PlanStatus], totals: Counts, invalid: Sequence[PlanCheck], console: Console
) -> None:
    """One row per plan, riskiest first, and the totals."""
    table = Table(title=_("Roll-up, riskiest first"), title_justify="left", pad_edge=False)
    plan, *numbers, go_live, least, errors = headings(_ROLLUP_HEADINGS)
    table.add_column(plan, min_width=10, overflow="fold")
    for header in numbers:
        table.add_column(header, justify="right", min_width=len(header), no_wrap=True)
    table.add_column(go_live, min_width=10)
    table.add_column(least, min_width=8, overflow="fold")
    table.add_column(errors, justify="right", min_width=6, no_wrap=True)
    for result in invalid:
        table.add_row(
            Text(_("{file} (invalid)").format(file=display_text(result.file)), style="bold red"),
            "",
            "",
            "",
            "",
            "",
            "",
            str(len(result.diagnostics)),
        )
    for status in statuses:
        c = status.counts
        late = status.worst is not None and status.worst.slack_minutes < 0
        table.add_row(
            Text(display_text(short(status.plan)), style="bold red" if late else ""),
            str(c.total),
            str(c.done),
            Text(str(c.delayed), style="bold red" if c.delayed else ""),
            str(c.within),
            _go_live_cell(status),
            _worst_text(status.worst),
            str(status.errors),
        )
    table.add_section()
    table.add_row(
        Text(_("all plans"), style="bold"),
        str(totals.total),
        str(totals.done),
        str(totals.delayed),
        str(totals.within),
        "",
        "",
        "",
    )
    console.print(table)
    overall = _("{sentence} in {count} plans").format(
        sentence=totals.sentence(), count=len(statuses)
    )
    console.print(Text(overall, style="bold"))


def rollup_json(
    statuses: Sequence[PlanStatus], totals: Counts, invalid: Sequence[PlanCheck]
) -> str:
    """``cutover rollup --format json``."""
    document = {
        "totals": _counts(totals),
        "plans": [
            {key: value for key, value in status_document(s).items() if key != "tasks"}
            for s in statuses
        ],
        "invalid": [_invalid_document(result) for result in invalid],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def rollup_markdown(
    statuses: Sequence[PlanStatus], totals: Counts, invalid: Sequence[PlanCheck]
) -> str:
    """``cutover rollup --format md``."""
    lines = [
        "**"
        + _("{sentence} in {count} plans").format(sentence=totals.sentence(), count=len(statuses))
        + "**",
        "",
        _(
            "| plan | tasks | done | delayed | within deadline | forecast go-live "
            "| least deadline slack | errors |"
        ),
        "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    lines += [
        _("| `{file}` (invalid) | | | | | | | {count} |").format(
            file=cell(r.file), count=len(r.diagnostics)
        )
        for r in invalid
    ]
    for s in statuses:
        c = s.counts
        lines.append(
            f"| {cell(short(s.plan))} | {c.total} | {c.done} | {c.delayed} | {c.within} | "
            f"{cell(_go_live_cell(s, long=True))} | {cell(_worst_text(s.worst))} | "
            f"{s.errors} |"
        )
    lines.append(
        f"| **{_('all plans')}** | {totals.total} | {totals.done} | {totals.delayed} | "
        f"{totals.within} | | | |"
    )
    return "\n".join(lines) + "\n"


def rollup_csv(statuses: Sequence[PlanStatus], totals: Counts, invalid: Sequence[PlanCheck]) -> str:
    """``cutover rollup --format csv``: one row per plan (invalid ones with their errors)."""
    rows: list[Sequence[object]] = [ROLLUP_COLUMNS]
    rows += [_rollup_record(status) for status in statuses]
    rows += [["", result.file, *[""] * 13, len(result.diagnostics), 0] for result in invalid]
    rows.append(
        [
            "all plans",
            "",
            totals.total,
            totals.done,
            totals.delayed,
            totals.within,
            totals.in_progress,
            totals.not_yet_due,
            *[""] * 9,
        ]
    )
    return csv_text(rows)
