"""Plain help text: ``--help`` as written, fast, with the commands grouped by theme.

The help is click's plain formatter, not typer's rich one. Rich markup read docstrings as
markup (``require: [owner, ...]`` vanished from ``lint --help``), showed ``<bool>`` beside
every flag, and importing typer's rich help module (rich's Markdown, Syntax and Traceback
among it) cost more than everything else ``cutover --help`` does. What rich gave that
plain help lacks, the command list under themed headings, is kept here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer.core import TyperGroup

from cutover.common.i18n import _

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter

#: The heading of commands registered without a ``rich_help_panel``.
OTHER = "Commands"


class ThemedGroup(TyperGroup):
    """The ``cutover`` group: its commands listed under their panels, in registration order."""

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """One section per theme, each command with the whole first sentence of its help."""
        sections: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            heading = getattr(command, "rich_help_panel", None) or _(OTHER)
            # No truncation: the dl wraps a long sentence instead of cutting it with "...".
            sections.setdefault(heading, []).append((name, command.get_short_help_str(10_000)))
        for heading, rows in sections.items():
            with formatter.section(heading):
                formatter.write_dl(rows)
