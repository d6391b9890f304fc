"""Findings as GitHub workflow commands: each one annotates its line of the plan file.

``::error file=plans/x.yaml,line=42,col=5,title=late: go-live::forecast …`` with the
escaping of ``@actions/core``. GitHub shows only the first 10 error (and 10 warning)
annotations of a step, so they come worst first and a notice says how many more there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.common.i18n import _, n_
from cutover.common.text import display_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.common.errors import SourceLocation
    from cutover.findings.pipeline import PlanCheck

#: GitHub shows this many annotations of each level per step.
SHOWN_PER_LEVEL = 10


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, where: SourceLocation, title: str, message: str) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` with the toolkit's escaping."""
    properties = (
        f"file={_escape_property(display_text(where.file))},line={where.line},col={where.column},"
        f"title={_escape_property(title)}"
    )
    return f"::{level} {properties}::{_escape_data(message)}"


_MORE_ERRORS = n_(
    "{count} more errors than GitHub shows as annotations: see the job summary or the JUnit report"
)
_MORE_WARNINGS = n_(
    "{count} more warnings than GitHub shows as annotations: see the job summary or the JUnit "
    "report"
)


def github_annotations(results: Sequence[PlanCheck]) -> str:
    """Workflow commands that put each finding on its line of the plan file, worst first."""
    ranked: list[tuple[tuple[int, int], str, str]] = []
    for result in results:
        for diagnostic in result.diagnostics:
            title = _("invalid plan: {code}").format(code=diagnostic.code)
            command = _command("error", diagnostic.location, title, diagnostic.message)
            ranked.append(((0, 0), "error", command))
        for finding in result.findings:
            title = f"{finding.code}: {finding.task}"
            command = _command(finding.level, finding.location, title, finding.message)
            rank = (1, -(finding.minutes or 0)) if finding.is_error else (2, 0)
            ranked.append((rank, finding.level, command))
    ranked.sort(key=lambda item: item[0])
    lines = [command for _rank, _kind, command in ranked]
    for level, more in (("error", _MORE_ERRORS), ("warning", _MORE_WARNINGS)):
        hidden = sum(1 for _rank, kind, _command in ranked if kind == level) - SHOWN_PER_LEVEL
        if hidden > 0:
            lines.append("::notice title=cutover::" + _(more).format(count=hidden))
    return "\n".join(lines)
