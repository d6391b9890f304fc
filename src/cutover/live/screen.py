"""The run screen (``cutover run``) and the wall screen (``cutover watch``), in textual.

One table of the tasks that matter now, by section (running, can start, gates, late or at
risk, next), a header with the clock and countdowns, the gates' points of no return and
the critical path of what remains. Keys record what happens through the same code as
``cutover update`` and journal it; a change made by another operator or program shows on
the next tick, and a change refused because the file moved underneath is reloaded and
said. The wall screen is the same board, read-only, or the status or Gantt view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static

from cutover.common.errors import CutoverError
from cutover.common.i18n import _, n_
from cutover.findings.checks import DEFAULT_RISK_THRESHOLD
from cutover.findings.pipeline import analyse
from cutover.findings.wording import when, work_amount
from cutover.live.board import Board, build_board

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from cutover.engine.rows import ScheduleRow
    from cutover.findings.pipeline import Analysis
    from cutover.live.clock import Clock
    from cutover.worktime.durations import Duration


@dataclass
class RunOptions:
    """How a run screen was started."""

    plan: Path
    clock: Clock
    who: str
    owner: str | None = None
    read_only: bool = False
    view: str = "run"  # run, status or gantt (the wall screen)
    risk_threshold: Duration | None = None


def _span(minutes: int | None) -> str:
    """A countdown: ``2h 05m``, ``in 3d 4h``, or how long ago."""
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else ""
    rest = abs(minutes)
    days, rest = divmod(rest, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    return f"{sign}{hours}h {mins:02d}m"


Cells = tuple[str, str, str, Text | str]


def _table_rows(board: Board, analysis: Analysis) -> Iterator[tuple[str, str, Cells]]:
    """(section, task id, cells) for each row of the run screen's table, in order."""
    timebase = analysis.graph.timebase

    def at(minute: int) -> str:
        return when(timebase, minute, year=False)

    for item in board.running:
        row = item.row
        shown = Text(
            _("{elapsed} of {planned}").format(
                elapsed=_span(item.elapsed), planned=_span(item.planned)
            )
        )
        if item.overrun:
            shown.stylize("bold red")
            shown.append(" " + _("overrun"))
        yield _("running"), row.id, (row.name, row.owner or "", at(item.started), shown)
    for row in board.ready:
        yield _("can start"), row.id, (row.name, row.owner or "", at(row.start), _("ready"))
    for state in board.gates:
        if not state.decision:
            cells = (state.name, state.decider, at(state.forecast), _("decide: g go / x no-go"))
            yield _("gate"), state.task, cells
    errors = {"late", "missed-deadline", "rollback-impossible", "rollback-late"}
    for row, codes in _grouped(board.trouble):
        style = "bold red" if errors & set(codes) else "yellow"
        text = Text(", ".join(codes), style=style)
        yield _("attention"), row.id, (row.name, row.owner or "", at(row.finish), text)
    gate_ids = {state.task for state in board.gates}
    for row in board.upcoming:
        if row.id not in gate_ids:
            yield _("next"), row.id, (row.name, row.owner or "", at(row.start), _("planned"))


def _grouped(
    trouble: tuple[tuple[ScheduleRow, str, str], ...],
) -> list[tuple[ScheduleRow, list[str]]]:
    """One entry per task with every finding code it has, in the order first seen."""
    found: dict[str, tuple[ScheduleRow, list[str]]] = {}
    for row, code, _message in trouble:
        found.setdefault(row.id, (row, []))[1].append(code)
    return list(found.values())


def _widths(screen: int) -> tuple[int, int]:
    """The task and owner columns' widths: 34 and 18 when the screen has room.

    At 80 columns they shrink so that the state column (22 cells) still shows beside the
    section (9) and the time (16).
    """
    room = max(screen - 9 - 16 - 22 - 10, 24)
    task = min(34, max(16, room * 2 // 3))
    return task, min(18, max(8, room - task))


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


class RunScreen(App[None]):
    """The live run of a cutover plan."""

    TITLE = "cutover run"
    CSS = """
    #header { height: auto; padding: 0 1; background: $boost; }
    #gates { height: auto; padding: 0 1; }
    #critical { height: auto; padding: 0 1; color: $text-muted; }
    #message { height: auto; padding: 0 1; }
    #prompt { display: none; }
    #prompt.asking { display: block; }
    DataTable { height: 1fr; }
    """
    #: The key bar, bound when the screen is made (``__init__``): its words are translated then.
    KEYS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("s", "record('start')", n_("Start")),
        ("d", "record('done')", n_("Done")),
        ("p", "ask('progress')", n_("Progress")),
        ("n", "ask('note')", n_("Note")),
        ("g", "decide('go')", n_("Go")),
        ("x", "decide('no-go')", n_("No-go")),
        ("t", "ask('at')", n_("Time…")),
        ("u", "undo", n_("Undo")),
        ("o", "owner", n_("Team")),
        ("r", "reload", n_("Reload")),
        ("q", "quit", n_("Quit")),
    )

    def __init__(self, options: RunOptions) -> None:
        """A screen for ``options.plan``; nothing is read until it is mounted."""
        super().__init__()
        for key, action, description in self.KEYS:
            self.bind(key, action, description=_(description))
        self.options = options
        self.board: Board | None = None
        self.analysis: Analysis | None = None
        self.pending_at: str | None = None
        self.asking: str | None = None
        self._seen: tuple[str, float] = ("", 0.0)
        self.row_tasks: list[str] = []
        self._widths: tuple[int, int] = (34, 18)
        if options.read_only:
            self.TITLE = "cutover watch"

    def compose(self) -> ComposeResult:
        """Header, gates, the table, the critical path, a message line and the key bar."""
        with Vertical():
            yield Static(id="header")
            yield Static(id="gates")
            if self.options.view == "run":
                yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
            else:
                yield Static(id="view")
            yield Static(id="critical")
            yield Static(id="message")
            yield Input(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        """Read the plan and redraw each second when the plan or the minute changed."""
        if self.options.view == "run":
            table = self.query_one("#tasks", DataTable)
            self._add_columns(table)
        self.refresh_board(force=True)
        self.set_interval(1.0, self.refresh_board)

    # -- reading -----------------------------------------------------------------------

    def refresh_board(self, *, force: bool = False) -> None:
        """Recompute when the plan file or the clock's minute changed (or when forced)."""
        try:
            stamp = self.options.plan.stat().st_mtime
        except OSError:
            stamp = 0.0
        seen = (self.options.clock.minute_key(), stamp)
        if not force and seen == self._seen:
            return
        self._seen = seen
        now = self.options.clock.now()
        threshold = self.options.risk_threshold or DEFAULT_RISK_THRESHOLD
        try:
            self.analysis = analyse(self.options.plan, now=now, as_of=now, risk_threshold=threshold)
        except CutoverError as error:
            self.say(_("the plan cannot be read now: {error}").format(error=error), error=True)
            return
        self.board = build_board(self.analysis, self.options.owner)
        self.draw()

    # -- drawing -----------------------------------------------------------------------

    def draw(self) -> None:
        """Put the board on the screen."""
        board, analysis = self.board, self.analysis
        if board is None or analysis is None:
            return
        base = analysis.graph.timebase
        clock = self.options.clock
        header = Text()
        header.append(board.plan, style="bold")
        header.append("   " + _("now {when}").format(when=when(base, board.now)))
        if clock.simulated:
            drill = _("(drill ×{speed})").format(speed=f"{clock.speed:g}")
            header.append(f"  {drill}", style="yellow")
        if board.rolling_back:
            header.append("   " + _("ROLLING BACK"), style="bold reverse red")
        header.append("\n")
        if board.next_deadline is not None:
            row, minute = board.next_deadline
            header.append(
                _("next deadline {name} in {left}").format(
                    name=row.name, left=_span(board.countdown(minute))
                )
                + "   "
            )
        if board.go_live is not None:
            live = board.go_live
            header.append(
                _("go-live {when} in {left}").format(
                    when=when(base, live.finish), left=_span(live.finish - board.now)
                )
            )
            if live.deadline_slack is not None:
                calendar = analysis.graph.calendar[live.node]
                slack = work_amount(live.deadline_slack, calendar.day_minutes) or "0"
                style = "red" if live.deadline_slack < 0 else ""
                header.append("  " + _("deadline slack {slack}").format(slack=slack), style=style)
        if self.options.owner:
            header.append("   " + _("team: {owner}").format(owner=self.options.owner), style="cyan")
        if self.pending_at:
            header.append(
                "   " + _("next action at {when}").format(when=self.pending_at), style="magenta"
            )
        self.query_one("#header", Static).update(header)
        self.query_one("#gates", Static).update(self._gates_text(board, analysis))
        path = " → ".join(row.id for row in board.critical[:12])
        more = " …" if len(board.critical) > 12 else ""
        self.query_one("#critical", Static).update(
            Text(_("critical path of what remains: {path}").format(path=(path or "—") + more))
        )
        if self.options.view == "run":
            self._fill_table(board, analysis)
        else:
            self._fill_view(analysis)

    def _gates_text(self, board: Board, analysis: Analysis) -> Text:
        base = analysis.graph.timebase
        text = Text()
        for state in board.gates:
            text.append(_("gate {name}: ").format(name=state.name), style="bold")
            if state.decision:
                text.append(
                    _("{decision} by {who}").format(decision=state.decision, who=state.decided_by)
                )
            else:
                text.append(
                    _("due {when} ({decider})").format(
                        when=when(base, state.forecast), decider=state.decider
                    )
                )
                if state.point_of_no_return is not None:
                    left = state.point_of_no_return - board.now
                    style = "bold red" if left < 60 else "yellow" if left < 240 else ""
                    text.append(
                        "  " + _("point of no return in {left}").format(left=_span(left)),
                        style=style,
                    )
                elif state.has_rollback_deadline:
                    text.append("  " + _("rollback can no longer make it"), style="bold red")
            text.append("\n")
        return text

    def _add_columns(self, table: DataTable[object]) -> None:
        """The table's columns, the task and owner as wide as the screen allows."""
        self._widths = _widths(self.size.width)
        name_width, owner_width = self._widths
        table.add_column("", width=9)
        table.add_column(_("task"), width=name_width)
        table.add_column(_("owner"), width=owner_width)
        table.add_column(_("when"), width=16)
        table.add_column(_("state"))

    def on_resize(self) -> None:
        """Fit the table to the new width."""
        if self.board is not None and self.analysis is not None and self.options.view == "run":
            self._fill_table(self.board, self.analysis)

    def _fill_table(self, board: Board, analysis: Analysis) -> None:
        table = self.query_one("#tasks", DataTable)
        keep = table.cursor_row
        if _widths(self.size.width) != self._widths:
            table.clear(columns=True)
            self._add_columns(table)
        else:
            table.clear()
        name_width, owner_width = self._widths
        self.row_tasks = []
        for section, task, (name, owner, moment, state) in _table_rows(board, analysis):
            table.add_row(section, _cut(name, name_width), _cut(owner, owner_width), moment, state)
            self.row_tasks.append(task)
        if self.row_tasks:
            table.move_cursor(row=min(keep, len(self.row_tasks) - 1))

    def _fill_view(self, analysis: Analysis) -> None:
        view = self.query_one("#view", Static)
        if self.options.view == "gantt":
            from cutover.render.gantt import GanttChart, GanttOptions  # noqa: PLC0415

            view.update(GanttChart(analysis, GanttOptions()))
        else:
            lines = [f"{finding.code}: {finding.task}: {finding.message}"
                     for finding in analysis.findings]  # fmt: skip
            view.update(Text("\n".join(lines) or _("no findings: on track")))

    def say(self, message: str, *, error: bool = False) -> None:
        """Show one line under the table."""
        self.query_one("#message", Static).update(
            Text(message, style="bold red" if error else "green")
        )

    # -- actions -----------------------------------------------------------------------

    def selected(self) -> str | None:
        """The id of the task under the cursor."""
        if self.options.view != "run" or not self.row_tasks:
            return None
        row = self.query_one("#tasks", DataTable).cursor_row
        return self.row_tasks[row] if 0 <= row < len(self.row_tasks) else None

    def _record(self, action: str, task: str, **details: str | None) -> None:
        from cutover.portfolio.actions import record  # noqa: PLC0415
        from cutover.portfolio.editing import FileChangedError  # noqa: PLC0415

        if self.options.read_only:
            self.say(_("the wall screen is read-only"), error=True)
            return
        assert self.analysis is not None
        try:
            done = record(
                self.options.plan, action, task, who=self.options.who,
                now=self.options.clock.now(), timezone=self.analysis.graph.plan.timezone,
                at=self.pending_at, **details,
            )  # fmt: skip
        except FileChangedError as error:
            self.refresh_board(force=True)
            self.say(_("{error}; the plan was reloaded").format(error=error), error=True)
            return
        except CutoverError as error:
            self.say(str(error), error=True)
            return
        self.pending_at = None
        changed = ", ".join(str(change) for change in done.result.changes) if done.result else ""
        self.say(f"#{done.entry.id} {action} {task}" + (f": {changed}" if changed else ""))
        self.refresh_board(force=True)

    def action_record(self, action: str) -> None:
        """Start or finish the selected task."""
        task = self.selected()
        if task is None:
            self.say(_("select a task first"), error=True)
            return
        self._record(action, task)

    def action_decide(self, verdict: str) -> None:
        """Decide the selected gate."""
        task = self.selected()
        if task is None or self.board is None or task not in {g.task for g in self.board.gates}:
            self.say(_("select a gate (a row marked gate) to decide it"), error=True)
            return
        self._record("decide", task, verdict=verdict)

    def action_undo(self) -> None:
        """Undo the latest change to the plan."""
        from cutover.portfolio.actions import undo  # noqa: PLC0415

        if self.options.read_only:
            self.say(_("the wall screen is read-only"), error=True)
            return
        try:
            done = undo(self.options.plan, who=self.options.who, now=self.options.clock.now())
        except CutoverError as error:
            self.say(str(error), error=True)
            return
        self.say(f"#{done.entry.id} {done.entry.note}")
        self.refresh_board(force=True)

    def action_ask(self, what: str) -> None:
        """Ask for a value: a progress, a note's text, or the time of the next action."""
        if what != "at" and self.selected() is None:
            self.say(_("select a task first"), error=True)
            return
        prompt = self.query_one("#prompt", Input)
        prompt.placeholder = {
            "progress": _("how far, such as 60%"),
            "note": _("the note"),
            "at": _("when the next action happened: YYYY-MM-DDTHH:MM"),
        }[what]
        prompt.value = ""
        self.asking = what
        prompt.add_class("asking")
        prompt.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The answer to ``action_ask``."""
        prompt = self.query_one("#prompt", Input)
        prompt.remove_class("asking")
        what, self.asking = self.asking, None
        value = event.value.strip()
        if self.options.view == "run":
            self.query_one("#tasks", DataTable).focus()
        if not value or what is None:
            return
        if what == "at":
            self.pending_at = value
            self.draw()
            return
        task = self.selected()
        if task is not None and what == "progress":
            self._record("progress", task, progress=value)
        elif task is not None:
            self._record("note", task, note=value)

    def action_owner(self) -> None:
        """Show the next team's lane (then everyone again)."""
        if self.board is None:
            return
        owners = [None, *self.board.owners]
        at = owners.index(self.options.owner) if self.options.owner in owners else 0
        self.options.owner = owners[(at + 1) % len(owners)]
        self.refresh_board(force=True)

    def action_reload(self) -> None:
        """Read the plan again now."""
        self.refresh_board(force=True)
        self.say(_("reloaded"))
