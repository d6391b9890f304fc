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
from cutover.findings.wording import deadline_text, status_line, when, work_amount

if TYPE_CHECKING:
    from datetime import datetime

    from cutover.engine.graph import TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.findings.pipeline import Analysis
    from cutover.worktime.timebase import TimeBase

Paper = Literal["a4", "a3"]
PAPERS: tuple[Paper, ...] = ("a4", "a3")
#: Finding codes counted as late, and as at risk, in the title block and the status column.
LATE_CODES = frozenset({"late", "missed-deadline"})
AT_RISK_CODES = frozenset({"at-risk"})
#: The eight columns of the printable table (issue: id, task, owner, ... status).
#: Translate each with ``_()`` where it is shown.
TABLE_HEADERS = (
    n_("id"), n_("task"), n_("owner"), n_("start"), n_("finish"), n_("deadline"), n_("slack"),
    n_("status"),
)  # fmt: skip
_STATUS_WORDS = {
    "not_started": n_("not started"),
    "in_progress": n_("in progress"),
    "done": n_("done"),
    "cancelled": n_("cancelled"),
}


@dataclass(frozen=True)
class ExportOptions:
    """How to export: paper for the PDF, the CSV's BOM, and when the export was made.

    ``generated_at`` is passed in, never read from the clock here, so that an export is
    reproducible; a naive value is read in the plan's time zone.
    """

    generated_at: datetime
    paper: Paper = "a4"
    landscape: bool = True
    excel_bom: bool = False

    def __post_init__(self) -> None:
        """Reject a paper size the PDF cannot print on."""
        if self.paper not in PAPERS:
            raise UsageError(
                _("unknown paper '{paper}'; choose one of {papers}").format(
                    paper=self.paper, papers=", ".join(PAPERS)
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
    late: bool
    at_risk: bool

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
    late: int
    at_risk: int
    tasks: int
    critical_path: tuple[str, ...]

    def lines(self) -> list[tuple[str, str]]:
        """Label and value pairs, in the order every format prints them."""
        return [
            (_("Status"), self.status),
            (_("Generated"), self.generated),
            (_("Forecast finish"), f"{self.finish} — {self.verdict}"),
            (_("Late tasks"), str(self.late)),
            (_("At-risk tasks"), str(self.at_risk)),
            (_("Tasks"), str(self.tasks)),
            (_("Critical path"), " → ".join(self.critical_path) or _("none")),
        ]


@dataclass(frozen=True, eq=False)
class ExportView:
    """A schedule with its rows, findings by task and worded table: the input of every exporter."""

    analysis: Analysis
    rows: list[ScheduleRow]
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
    """Compute the rows, the late and at-risk tasks, the title block and the table once."""
    rows = schedule_rows(analysis.schedule)
    late = frozenset(f.task for f in analysis.findings if f.code in LATE_CODES)
    at_risk = frozenset(f.task for f in analysis.findings if f.code in AT_RISK_CODES) - late
    timebase = analysis.graph.timebase
    table = [
        _table_row(timebase, row, late=row.id in late, at_risk=row.id in at_risk) for row in rows
    ]
    title = _title_block(analysis, rows, late, at_risk, options)
    return ExportView(analysis, rows, late, at_risk, title, table)


def status_text(row: ScheduleRow, *, late: bool, at_risk: bool) -> str:
    """``in progress 60% · late · critical``: the status with what a planner must act on."""
    words = [_(_STATUS_WORDS[row.status]) if row.status in _STATUS_WORDS else row.status]
    if row.status == "in_progress" and row.progress is not None:
        words[0] += f" {round(row.progress * 100)}%"
    if late:
        words.append(_("late"))
    elif at_risk:
        words.append(_("at risk"))
    if row.critical:
        words.append(_("critical"))
    return " · ".join(words)


def _table_row(timebase: TimeBase, row: ScheduleRow, *, late: bool, at_risk: bool) -> TableRow:
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
        status=status_text(row, late=late, at_risk=at_risk),
        late=late,
        at_risk=at_risk,
    )


def _title_block(
    analysis: Analysis,
    rows: list[ScheduleRow],
    late: frozenset[str],
    at_risk: frozenset[str],
    options: ExportOptions,
) -> TitleBlock:
    schedule, timebase = analysis.schedule, analysis.graph.timebase
    generated = options.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(timebase.zone).replace(tzinfo=None)
    return TitleBlock(
        plan=analysis.graph.plan.plan,
        status=status_line(timebase, schedule.as_of),
        generated=f"{when(timebase, timebase.minute(generated))} ({timebase.name})",
        finish=when(timebase, schedule.finish),
        verdict=finish_verdict(timebase, rows, schedule.finish),
        late=len(late),
        at_risk=len(at_risk),
        tasks=len(rows),
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
