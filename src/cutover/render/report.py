"""The findings of ``cutover check`` as text for people and as JSON (PLAN_FORMAT's shape)."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from cutover.common.i18n import _, n_, ngettext
from cutover.common.text import display_text
from cutover.findings.pipeline import outcome
from cutover.findings.wording import number, status_line, when

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from cutover.common.errors import Diagnostic
    from cutover.findings.checks import Finding
    from cutover.findings.pipeline import PlanCheck

_MARK = {"error": ("✗", "bold red"), "warning": ("!", "yellow")}


def counts(results: Sequence[PlanCheck]) -> tuple[int, int, int]:
    """Errors (invalid-plan diagnostics included), warnings and invalid plans."""
    errors = warnings = invalid = 0
    for result in results:
        if result.analysis is None:
            invalid += 1
            errors += len(result.diagnostics)
            continue
        for finding in result.analysis.findings:
            if finding.is_error:
                errors += 1
            else:
                warnings += 1
    return errors, warnings, invalid


def verdict(results: Sequence[PlanCheck], fail_on: str = "error") -> str:
    """The one-line summary that ends the text report: OK, FAIL or INVALID, and counts."""
    errors, warnings, invalid = counts(results)
    plans = ngettext("{count} plan", "{count} plans", len(results)).format(count=len(results))
    parts = [
        ngettext("{count} error", "{count} errors", errors).format(count=errors),
        ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
    ]
    if invalid:
        parts.append(
            ngettext("{count} invalid plan", "{count} invalid plans", invalid).format(count=invalid)
        )
    word = _(_VERDICTS[outcome(results, fail_on)])
    return _("{verdict}: {counts} in {plans}").format(
        verdict=word, counts=", ".join(parts), plans=plans
    )


#: The word that starts the verdict, by outcome.
_VERDICTS = {"ok": n_("OK"), "fail": n_("FAIL"), "invalid": n_("INVALID")}


def print_text(
    results: Sequence[PlanCheck], console: Console, *, limit: int = 0, fail_on: str = "error"
) -> None:
    """A report a person takes in at a glance: per plan, what is late, by how much, why, where.

    With ``limit`` only that many findings per plan are shown, the worst first.
    """
    for result in results:
        _print_plan(result, console, limit)
        console.print()
    line = verdict(results, fail_on)
    ok = outcome(results, fail_on) == "ok"
    console.print(Text(("✓ " if ok else "✗ ") + line, style="bold green" if ok else "bold red"))


def _print_plan(result: PlanCheck, console: Console, limit: int) -> None:
    analysis = result.analysis
    if analysis is None:
        console.print(
            Text.assemble(
                (display_text(result.file), "bold"),
                ("  " + _("invalid plan: not scheduled"), "bold red"),
            )
        )
        for diagnostic in result.diagnostics:
            _print_diagnostic(diagnostic, console)
        return
    schedule, graph = analysis.schedule, analysis.graph
    timebase = graph.timebase
    console.print(plan_heading(result.file, graph.plan.plan))
    _indented(
        console,
        _("{status} · forecast finish {when} · {zone}").format(
            status=status_line(timebase, schedule.as_of),
            when=when(timebase, schedule.finish),
            zone=timebase.name,
        ),
        2,
        style="dim",
    )
    if not analysis.findings:
        console.print(Text("  " + _("no findings"), style="green"))
    shown = analysis.findings if limit <= 0 else analysis.findings[:limit]
    for finding in shown:
        name = graph.task(graph.index[finding.task]).display_name
        print_finding(finding, console, name)
    hidden = len(analysis.findings) - len(shown)
    if hidden:
        console.print(
            Text(
                "  "
                + _(
                    "… and {count} more findings, less severe (all of them: --max-findings 0, "
                    "or --format json)"
                ).format(count=number(hidden, decimals=0)),
                style="dim",
            )
        )


def plan_heading(file: str, plan: str) -> Table:
    """``file  plan name``: a long plan name wraps beside the file name, not under it."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text(display_text(file), style="bold"), Text(display_text(plan)))
    return grid


def print_finding(finding: Finding, console: Console, name: str | None = None) -> None:
    """Level, code, the task's id and name, where it is written, the sentence, the chain.

    Lines too long for the console wrap under the message, never at column 0.
    """
    mark, style = _MARK[finding.level]
    shown = None if name is None or name == finding.task else display_text(name)
    who = finding.task if shown is None else f"{finding.task} — {shown}"
    head = Text.assemble(
        "  ",
        (f"{mark} {level_label(finding.level)}", style),
        " ",
        (f"{finding.code:<19}", style),
        " ",
        (who, "bold"),
    )
    where = str(finding.location)
    if head.cell_len + 2 + len(where) <= console.width:
        head.append("  ")
        head.append(where, style="dim")
        console.print(head, crop=False, soft_wrap=True)
    else:
        prefix = head.plain[: len(head.plain) - len(who)]
        lines = textwrap.wrap(
            who, max(console.width - len(prefix), 20), break_on_hyphens=False
        ) or [""]
        first = Text(prefix)
        first.stylize(style, 2, len(prefix))
        first.append(lines[0], style="bold")
        console.print(first, crop=False, soft_wrap=True)
        for line in lines[1:]:
            console.print(Text(" " * 6 + line, style="bold"), crop=False, soft_wrap=True)
        _indented(console, where, 6, style="dim")
    _indented(console, finding.message, 6)
    if len(finding.drivers) > 1:
        chain = " → ".join(finding.drivers[-6:])
        if len(finding.drivers) > 6:
            chain = "… → " + chain
        _indented(console, _("driven by {chain}").format(chain=chain), 6, style="dim")


def level_label(level: str) -> str:
    """``error  `` or ``warning``: the level in the reader's language, padded to the longest."""
    words = {name: _(word) for name, word in _LEVELS.items()}
    return words[level].ljust(max(len(word) for word in words.values()))


#: How the levels read in the text report (the codes and JSON keep ``error``/``warning``).
_LEVELS = {"error": n_("error"), "warning": n_("warning")}


def _print_diagnostic(diagnostic: Diagnostic, console: Console) -> None:
    console.print(
        Text.assemble(
            "  ",
            (f"✗ {level_label('error')}", "bold red"),
            (f"{diagnostic.code:<19}", "bold red"),
            " ",
            (str(diagnostic.location), "dim"),
        )
    )
    _indented(console, diagnostic.message, 6)


def _indented(console: Console, text: str, indent: int, style: str = "") -> None:
    """Print text wrapped to the console with a hanging indent (no trailing spaces)."""
    width = max(console.width - indent, 20)
    for line in textwrap.wrap(text, width, break_on_hyphens=False) or [""]:
        console.print(Text(" " * indent + line, style=style), crop=False, soft_wrap=True)


def finding_document(finding: Finding) -> dict[str, Any]:
    """One finding as PLAN_FORMAT's JSON: code, level, task, message, line (plus extras)."""
    return {
        "code": finding.code,
        "level": finding.level,
        "task": finding.task,
        "message": finding.message,
        "line": finding.location.line,
        "column": finding.location.column,
        "minutes": finding.minutes,
        "drivers": list(finding.drivers),
    }


def diagnostic_document(diagnostic: Diagnostic) -> dict[str, Any]:
    """An error of an invalid plan as a finding with code ``invalid-plan``."""
    return {
        "code": "invalid-plan",
        "level": "error",
        "task": None,
        "message": f"{diagnostic.message} [{diagnostic.code}]",
        "line": diagnostic.location.line,
        "column": diagnostic.location.column,
        "problem": diagnostic.code,
    }


def plan_document(result: PlanCheck) -> dict[str, Any]:
    """One plan of the ``check --format json`` report."""
    analysis = result.analysis
    if analysis is None:
        return {
            "file": result.file,
            "ok": False,
            "valid": False,
            "findings": [diagnostic_document(d) for d in result.diagnostics],
        }
    timebase = analysis.graph.timebase
    return {
        "file": result.file,
        "ok": analysis.ok,
        "valid": True,
        "plan": analysis.graph.plan.plan,
        "as_of": None if analysis.schedule.as_of is None else timebase.iso(analysis.schedule.as_of),
        "finish": timebase.iso(analysis.schedule.finish),
        "findings": [finding_document(f) for f in analysis.findings],
    }


def report_json(results: Sequence[PlanCheck]) -> str:
    """PLAN_FORMAT's ``check --format json`` object."""
    plans = [plan_document(result) for result in results]
    document = {"ok": all(result.ok for result in results), "plans": plans}
    return dump_json(document, sum(len(plan["findings"]) for plan in plans))


def dump_json(document: object, size: int) -> str:
    """JSON for people when small (indented), for machines when large (compact).

    The standard library's fast C encoder does not indent: at 100,000 tasks that matters.
    """
    if size > 2000:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(document, ensure_ascii=False, indent=2)
