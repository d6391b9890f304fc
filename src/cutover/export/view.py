"""What every export shows, computed once: options, the title block and the task table as text.

Each ``to_*`` module serialises this view (STYLE: compute the view once and serialise it
many ways), so the PDF, the HTML page and the Markdown table cannot disagree about a date,
a slack or which task is late.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from cutover.common.errors import UsageError
from cutover.common.i18n import _, n_
from cutover.engine.rows import ScheduleRow, schedule_rows
from cutover.findings.states import (
    LATE_STATES,
    State,
    TaskStates,
    counts,
    go_live_node,
    is_late,
    marked,
    ordered,
    state_words,
    task_states,
)
from cutover.findings.wording import deadline_text, status_line, when, work_amount

if TYPE_CHECKING:
    from datetime import datetime

    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.findings.pipeline import Analysis
    from cutover.worktime.timebase import TimeBase

Paper = Literal["a4", "a3"]
PAPERS: tuple[Paper, ...] = ("a4", "a3")
#: The separators ``--delimiter`` accepts (``\t``: tab).
DELIMITERS = (",", ";", "\t", "|")
#: The eight columns of the printable table (issue: id, task, owner, ... status).
#: Translate each with ``_()`` where it is shown.
TABLE_HEADERS = (
    n_("id"), n_("task"), n_("owner"), n_("start"), n_("finish"), n_("deadline"), n_("slack"),
    n_("status"),
)  # fmt: skip


@dataclass(frozen=True)
class ExportOptions:
    """How to export: paper for the PDF, the CSV's BOM, and when the export was made.

    ``generated_at`` is passed in, never read from the clock here, so that an export is
    reproducible; a naive value is read in the plan's time zone.
    """

    generated_at: datetime
    paper: Paper = "a4"
    landscape: bool = True
    #: CSV for Excel: a byte order mark, and dates Excel reads as dates (plan's local time).
    excel_bom: bool = False
    #: The CSV's separator: ``;`` where the list separator is (Vietnamese, German Excel).
    delimiter: str = ","

    def __post_init__(self) -> None:
        """Reject a paper size the PDF cannot print on, and a separator CSV cannot use."""
        if self.paper not in PAPERS:
            raise UsageError(
                _("unknown paper '{paper}'; choose one of {papers}").format(
                    paper=self.paper, papers=", ".join(PAPERS)
                )
            )
        if self.delimiter not in DELIMITERS:
            shown = ", ".join(repr(d) for d in DELIMITERS)
            raise UsageError(
                _("unknown CSV delimiter {delimiter}; choose one of {shown}").format(
                    delimiter=repr(self.delimiter), shown=shown
                )
            )


@dataclass(frozen=True, slots=True)
class TableRow:
    """One line of the printable task table, every cell already worded."""

    row: ScheduleRow
    task: str
    owner: str
    start: str
    finish: str
    deadline: str
    slack: str
    status: str
    states: frozenset[State]

    @property
    def late(self) -> bool:
        """Late or past its deadline, as ``check`` says."""
        return is_late(self.states)

    @property
    def states_text(self) -> str:
        """The states as their names, space-separated (``in-progress at-risk critical``)."""
        return " ".join(ordered(self.states))

    @property
    def at_risk(self) -> bool:
        """At risk, as ``check`` says with its ``--risk-threshold``."""
        return State.AT_RISK in self.states

    def cells(self) -> tuple[str, ...]:
        """The cells in TABLE_HEADERS order."""
        return (
            self.row.id,
            self.task,
            self.owner,
            self.start,
            self.finish,
            self.deadline,
            self.slack,
            self.status,
        )


@dataclass(frozen=True)
class TitleBlock:
    """The head of a printed schedule: plan, status date, when generated, finish, counts."""

    plan: str
    status: str
    generated: str
    finish: str
    verdict: str
    go_live: str | None
    delayed: int
    at_risk: int
    tasks: int
    critical_path: tuple[str, ...]

    def lines(self) -> list[tuple[str, str]]:
        """Label and value pairs, in the order every format prints them."""
        lines = [(_("Status"), self.status), (_("Generated"), self.generated)]
        if self.go_live is not None:
            lines.append((_("Forecast go-live"), self.go_live))
        return [
            *lines,
            (_("Forecast finish"), f"{self.finish} — {self.verdict}"),
            (_("Delayed tasks"), str(self.delayed)),
            (_("At-risk tasks"), str(self.at_risk)),
            (_("Tasks"), str(self.tasks)),
            (_("Critical path"), " → ".join(self.critical_path) or _("none")),
        ]


@dataclass(frozen=True, eq=False)
class ExportView:
    """A schedule with its rows, findings by task and worded table: the input of every exporter."""

    analysis: Analysis
    rows: list[ScheduleRow]
    states: TaskStates
    late: frozenset[str]
    at_risk: frozenset[str]
    title: TitleBlock
    table: list[TableRow] = field(repr=False)

    @property
    def schedule(self) -> Schedule:
        """The schedule being exported."""
        return self.analysis.schedule

    @property
    def graph(self) -> TaskGraph:
        """The plan's task graph (links, calendars)."""
        return self.analysis.graph

    @property
    def timebase(self) -> TimeBase:
        """Converts the rows' wall-clock minutes to datetimes."""
        return self.analysis.graph.timebase


def build_view(analysis: Analysis, options: ExportOptions) -> ExportView:
    """Compute the rows, every task's states, the title block and the table once."""
    rows = schedule_rows(analysis.schedule)
    states = task_states(analysis)
    late = frozenset(marked(states, *LATE_STATES))
    at_risk = frozenset(marked(states, State.AT_RISK))
    timebase = analysis.graph.timebase
    table = [_table_row(timebase, row, states[row.id]) for row in rows]
    title = _title_block(analysis, rows, states, options)
    return ExportView(analysis, rows, states, late, at_risk, title, table)


def status_text(row: ScheduleRow, states: frozenset[State]) -> str:
    """``in progress 60% · late · critical``: every state that holds, or ``not started``."""
    return state_words(states, row.progress) or _("not started")


def _table_row(timebase: TimeBase, row: ScheduleRow, states: frozenset[State]) -> TableRow:
    deadline = ""
    if row.deadline is not None:
        deadline = deadline_text(timebase, row.deadline, end_of_day=row.deadline_is_date)
    return TableRow(
        row=row,
        task=row.name,
        owner=row.owner or "",
        start=when(timebase, row.start),
        finish=when(timebase, row.finish),
        deadline=deadline,
        slack=work_amount(row.total_slack, row.day_minutes),
        status=status_text(row, states),
        states=states,
    )


def _with_rollback(verdict: str, analysis: Analysis) -> str:
    """The finish's verdict, led by ``ROLLING BACK`` when a gate decided no-go."""
    from cutover.findings.gates import rolling_back  # noqa: PLC0415 - runbooks only

    back = rolling_back(analysis.findings)
    return verdict if back is None else f"{back} — {verdict}"


def _title_block(
    analysis: Analysis, rows: list[ScheduleRow], states: TaskStates, options: ExportOptions
) -> TitleBlock:
    """The head of the page; tasks are counted as ``status`` counts them (no summaries)."""
    schedule, timebase = analysis.schedule, analysis.graph.timebase
    generated = options.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(timebase.zone).replace(tzinfo=None)
    total = counts(analysis, states)
    live = go_live_node(analysis)
    go_live = None
    if live is not None:
        go_live = f"{when(timebase, schedule.early.finish[live])} ({analysis.graph.task(live).id})"
    return TitleBlock(
        plan=analysis.graph.plan.plan,
        status=status_line(timebase, schedule.as_of),
        generated=f"{when(timebase, timebase.minute(generated))} ({timebase.name})",
        finish=when(timebase, schedule.finish),
        verdict=_with_rollback(finish_verdict(timebase, rows, schedule.finish), analysis),
        go_live=go_live,
        delayed=total.delayed,
        at_risk=total.at_risk,
        tasks=total.total,
        critical_path=tuple(analysis.graph.task(node).id for node in schedule.critical_path),
    )


def finish_verdict(timebase: TimeBase, rows: list[ScheduleRow], finish: int) -> str:
    """The forecast finish against the plan's last deadline: on time for it, or after it."""
    dated = [row for row in rows if row.deadline is not None]
    if not dated:
        return _("no deadline")
    last = max(dated, key=lambda row: row.deadline or 0)
    assert last.deadline is not None
    written = deadline_text(timebase, last.deadline, end_of_day=last.deadline_is_date)
    if finish <= last.deadline:
        return _("on time for the deadline {deadline} ({task})").format(
            deadline=written, task=last.id
        )
    return _("after the deadline {deadline} ({task})").format(deadline=written, task=last.id)


def outline_numbers(view: ExportView) -> dict[str, str]:
    """``1``, ``1.2``, ``1.2.3``: each task's place under its summaries, as MS Project numbers."""
    numbers: dict[str, str] = {}
    children: dict[str | None, int] = {}
    for row in view.rows:
        count = children.get(row.parent, 0) + 1
        children[row.parent] = count
        prefix = numbers[row.parent] + "." if row.parent is not None else ""
        numbers[row.id] = f"{prefix}{count}"
    return numbers
