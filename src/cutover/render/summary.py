"""Findings as a Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a merge-request comment.

A verdict, a table with one row per plan, then each plan's findings, worst first. GitHub
refuses a step summary over 1 MiB, so the findings are cut to fit, saying how many more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.common.text import display_message
from cutover.findings.wording import number, when
from cutover.render.report import counts, verdict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.findings.checks import Finding
    from cutover.findings.pipeline import PlanCheck

#: GitHub's limit for one step's summary is 1024 KiB; stay well inside it.
MAX_BYTES = 1000 * 1024
_ICON = {"error": "❌", "warning": "⚠️"}


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks, no raw HTML.

    Control and bidirectional characters become visible first (common.text), as on a terminal.
    """
    return (
        display_message(str(text))
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def markdown_summary(results: Sequence[PlanCheck], *, limit: int = MAX_BYTES) -> str:
    """The whole summary, at most ``limit`` bytes of UTF-8."""
    errors = counts(results)[0]
    head = [
        f"## {'✅' if not errors else '❌'} cutover check: {verdict(results)}",
        "",
        _("| plan | status date | forecast finish | errors | warnings |"),
        "| --- | --- | --- | ---: | ---: |",
        *(_plan_row(result) for result in results),
        "",
        "",
    ]
    text = "\n".join(head)
    for result in results:
        section = _plan_section(result)
        if len((text + section).encode()) > limit:
            return text + _truncated(results, limit - len(text.encode()))
        text += section
    return text


def _plan_row(result: PlanCheck) -> str:
    if result.analysis is None:
        return _("| `{file}` | – | – | {count} (invalid plan) | 0 |").format(
            file=cell(result.file), count=len(result.diagnostics)
        )
    schedule = result.analysis.schedule
    timebase = result.analysis.graph.timebase
    as_of = when(timebase, schedule.as_of) if schedule.as_of is not None else "–"
    errors = sum(finding.is_error for finding in result.findings)
    warnings = len(result.findings) - errors
    return (
        f"| `{cell(result.file)}` | {as_of} | {when(timebase, schedule.finish)} | "
        f"{errors} | {warnings} |"
    )


def _plan_section(result: PlanCheck) -> str:
    lines = [f"### `{cell(result.file)}`", ""]
    if result.analysis is None:
        lines += [_("The plan is not valid; it was not scheduled."), ""]
        lines += [_("| line | problem | message |"), "| ---: | --- | --- |"]
        lines += [
            f"| {d.location.line} | `{d.code}` | {cell(d.message)} |" for d in result.diagnostics
        ]
    elif not result.findings:
        lines.append(_("No findings: every deadline is met with room to spare."))
    else:
        lines += [_("| | code | task | line | message |"), "| --- | --- | --- | ---: | --- |"]
        lines += [_finding_row(finding) for finding in result.findings]
    return "\n".join([*lines, "", ""])


def _finding_row(finding: Finding) -> str:
    return (
        f"| {_ICON[finding.level]} | `{finding.code}` | `{cell(finding.task)}` | "
        f"{finding.location.line} | {cell(finding.message)} |"
    )


def _truncated(results: Sequence[PlanCheck], room: int) -> str:
    """As many finding rows as fit in ``room`` bytes, then how many were left out."""
    out: list[str] = []
    used = 200  # the closing note
    shown = 0
    total = sum(len(result.findings) + len(result.diagnostics) for result in results)
    for result in results:
        rows = [_finding_row(f) for f in result.findings] or [
            f"| ❌ | `invalid-plan` | | {d.location.line} | {cell(d.message)} |"
            for d in result.diagnostics
        ]
        header = (
            f"### `{cell(result.file)}`\n\n{_('| | code | task | line | message |')}\n"
            "| --- | --- | --- | ---: | --- |"
        )
        if used + len(header.encode()) > room:
            break
        out.append(header)
        used += len(header.encode()) + 1
        for row in rows:
            size = len(row.encode()) + 1
            if used + size > room:
                break
            out.append(row)
            used += size
            shown += 1
        out.append("")
    out.append(
        "*"
        + _(
            "{count} more findings are not shown here (GitHub keeps a step summary "
            "under 1 MiB): see the JUnit report or `cutover check --format json`."
        ).format(count=number(total - shown, decimals=0))
        + "*\n"
    )
    return "\n".join(out)
