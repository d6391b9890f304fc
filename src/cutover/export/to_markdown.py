"""The schedule as Markdown for reports and wikis: the title block, a Mermaid chart, the table.

Plan text is backslash-escaped (CommonMark lets any ASCII punctuation be escaped), so a
task named ``<script>`` or ``a | b`` stays text and cannot break the table.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.export.to_mermaid import mermaid_gantt
from cutover.export.view import TABLE_HEADERS

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView, TableRow

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")
_SPACE = re.compile(r"\s+")
_INDENT = "\u2003"  # an em space: CommonMark trims ASCII spaces from a cell, not this


def export_markdown(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """A Markdown document: heading, title block, the chart as Mermaid, the task table."""
    lines = [f"# {md_text(view.title.plan)}", ""]
    lines += [f"- **{label}:** {md_text(value)}" for label, value in view.title.lines()]
    lines += ["", "## " + _("Gantt chart"), "", "```mermaid", mermaid_gantt(view).rstrip("\n")]
    lines += ["```", ""]
    lines += ["## Tasks", "", *markdown_table(view.table), ""]
    return "\n".join(lines).encode()


def markdown_table(table: list[TableRow]) -> list[str]:
    """The task table as GitHub-flavoured Markdown lines; summaries in bold."""
    headers = [_(header) for header in TABLE_HEADERS]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(TABLE_HEADERS)]
    lines += ["| " + " | ".join(_cells(item)) + " |" for item in table]
    return lines


def _cells(item: TableRow) -> list[str]:
    row = item.row
    name = md_text(item.task) + (" ◆" if row.milestone else "")
    if row.summary:
        name = f"**{name}**"
    status = md_text(item.status)
    if item.late:
        status = f"**{status}**"
    cells = [md_text(value) for value in item.cells()]
    cells[0] = f"`{row.id}`"
    cells[1] = _INDENT * row.depth + name
    cells[7] = status
    return cells


def md_text(value: str) -> str:
    """Plan text as one line of Markdown that renders as exactly that text."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", value).strip())
