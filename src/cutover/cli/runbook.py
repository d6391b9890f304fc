"""Commands for the cutover window itself: record as it happens, decide gates, run, watch.

``start``, ``done``, ``decide``, ``note`` and ``undo`` are thin names over ``update`` that
also keep the audit journal; ``run`` and ``watch`` are full-screen (textual is imported
only by them, so ``--help`` stays fast).
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cutover.cli.base import (
    AsOf,
    Lang,
    PlanPath,
    TranslatedCommand,
    analyse_file,
    app,
    boundary,
    clock_now,
    console,
    print_update,
    speak_for,
)
from cutover.common.i18n import _, n_

if TYPE_CHECKING:
    from datetime import datetime

    from cutover.live.clock import Clock as RunClock
    from cutover.portfolio.actions import Recorded

PANEL = n_("The cutover window")

At = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When it happened: YYYY-MM-DDTHH:MM in the plan's time zone (default: now).",
        show_default=False,
    ),
]
By = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar="CUTOVER_USER",
        help="Who records it (default: $CUTOVER_USER, else your login name).",
        show_default=False,
    ),
]


class Verdict(StrEnum):
    """A gate's decision."""

    go = "go"
    no_go = "no-go"


class JournalFormat(StrEnum):
    """``journal --format``."""

    text = "text"
    json = "json"


def who_records(by: str | None) -> str:
    """``--by``, else the login name."""
    if by and by.strip():
        return by.strip()
    import getpass  # noqa: PLC0415

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no name for this uid
        return f"uid {os.getuid()}"


def plan_zone(plan: Path) -> str:
    """The plan's time zone (the plan is loaded, so a bad plan stops here with exit 2)."""
    from cutover.planfile.loader import load_plan  # noqa: PLC0415

    with boundary():
        loaded = load_plan(plan).plan
    speak_for(loaded.language)
    return loaded.timezone


def do_action(
    plan: Path,
    action: str,
    task: str,
    *,
    by: str | None,
    at: str | None = None,
    now: datetime | None = None,
    **details: str | None,
) -> Recorded:
    """Record one action and print what changed, as ``update`` does."""
    from cutover.portfolio.actions import record  # noqa: PLC0415

    zone = plan_zone(plan)
    with boundary():
        done = record(
            plan, action, task, who=who_records(by), now=now or clock_now(), timezone=zone,
            at=at, **details,
        )  # fmt: skip
    print_recorded(done)
    return done


def print_recorded(done: Recorded) -> None:
    """``plans/x.yaml:42: task: status: in_progress → done`` per change, and the journal."""
    entry = done.entry
    if done.result is not None:
        print_update(done.result)
    typer.echo(
        _("journal #{id}: {who} {action} {task}").format(
            id=entry.id, who=entry.who, action=entry.action, task=entry.task
        )
    )


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def start(plan: PlanPath, task: Annotated[str, typer.Argument(help="The task.")],
          at: At = None, by: By = None, lang: Lang = None) -> None:  # fmt: skip
    """Record that a task has started (now, or --at), in the plan and the journal.

    \b
    Example:
      cutover start plans/tuyenquang.yaml migrate-network --at 2025-06-28T08:10
    """
    do_action(plan, "start", task, by=by, at=at)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def done(plan: PlanPath, task: Annotated[str, typer.Argument(help="The task.")],
         at: At = None, by: By = None, lang: Lang = None) -> None:  # fmt: skip
    """Record that a task is done (now, or --at), in the plan and the journal.

    \b
    Example:
      cutover done plans/tuyenquang.yaml migrate-network --at 2025-06-28T11:40
    """
    do_action(plan, "done", task, by=by, at=at)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def decide(
    plan: PlanPath,
    gate: Annotated[str, typer.Argument(help="The gate (a milestone with gate:).")],
    verdict: Annotated[Verdict, typer.Argument(help="go or no-go.")],
    by: By = None,
    at: At = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why, for the journal.", show_default=False)
    ] = None,
    lang: Lang = None,
) -> None:
    """Record a go/no-go decision on a gate: no-go starts its rollback branch.

    The decision, who took it and when are written on the gate's lines; the note goes to the
    journal. check then reports a decision by someone other than the gate's decider.

    \b
    Example:
      cutover decide plans/tuyenquang.yaml gonogo-golive go --by "Chủ tịch UBND"
    """
    do_action(plan, "decide", gate, by=by, at=at, verdict=verdict.value, note=note)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def note(
    plan: PlanPath,
    task: Annotated[str, typer.Argument(help="The task.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    by: By = None,
    lang: Lang = None,
) -> None:
    """Add a note on a task to the journal (the plan file is not changed).

    \b
    Example:
      cutover note plans/tuyenquang.yaml trial "endpoint in Lâm Bình rebooted" --by "Tổ công tác"
    """
    do_action(plan, "note", task, by=by, note=text)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def undo(plan: PlanPath, by: By = None, lang: Lang = None) -> None:
    """Undo the latest recorded change to the plan that is not undone yet.

    \b
    Example:
      cutover undo plans/tuyenquang.yaml --by "Trần Minh"
    """
    from cutover.portfolio.actions import undo as undo_last  # noqa: PLC0415

    plan_zone(plan)  # the plan's own language, and a plan that does not load stops here
    with boundary():
        done_ = undo_last(plan, who=who_records(by), now=clock_now())
    print_recorded(done_)


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def journal(
    plan: PlanPath,
    output_format: Annotated[
        JournalFormat, typer.Option("--format", help="text or json.")
    ] = JournalFormat.text,
    lang: Lang = None,
) -> None:
    """Print the audit journal: who reported what, when, and the time they claimed.

    \b
    Example:
      cutover journal plans/tuyenquang.yaml --format json
    """
    from dataclasses import asdict  # noqa: PLC0415

    from cutover.portfolio.journal import read_journal  # noqa: PLC0415

    entries = read_journal(plan)
    if output_format is JournalFormat.json:
        typer.echo(json.dumps([asdict(entry) for entry in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        typer.echo(_("{file}: nothing recorded yet").format(file=plan))
        return
    none = _("(none)")
    for entry in entries:
        what = ", ".join(f"{key} {old or none} → {new}" for key, old, new in entry.changes)
        claimed = _(" (at {when})").format(when=entry.claimed) if entry.claimed else ""
        line = f"#{entry.id} {entry.recorded_at} {entry.who}: {entry.action} {entry.task}{claimed}"
        typer.echo(
            line + (f": {what}" if what else "") + (f" — {entry.note}" if entry.note else "")
        )


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def gates(plan: PlanPath, as_of: AsOf = None, lang: Lang = None) -> None:
    """The go/no-go gates: forecast time, decision, and the point of no return of each.

    The point of no return is the latest time a gate can still say no-go and have its
    rollback branch finish by rollback_by.

    \b
    Example:
      cutover gates plans/tuyenquang.yaml --as-of 2025-06-29T16:00
    """
    from cutover.findings.gates import gate_states  # noqa: PLC0415
    from cutover.findings.wording import when  # noqa: PLC0415

    analysis = analyse_file(plan, as_of)
    base = analysis.graph.timebase
    out = console()
    states = gate_states(analysis.schedule)
    if not states:
        out.print(_("{file}: no gates").format(file=plan), markup=False)
        return
    for state in states:
        decided = (
            _("{decision} by {who}").format(decision=state.decision, who=state.decided_by)
            if state.decision
            else _("not decided yet")
        )
        out.print(f"{state.task} {state.name}", markup=False)
        out.print(
            "  " + _("decider {who}; {decided}").format(who=state.decider, decided=decided),
            markup=False,
        )
        out.print("  " + _("forecast {when}").format(when=when(base, state.forecast)), markup=False)
        if state.rollback_by is not None:
            out.print(
                "  "
                + _("rollback '{rollback}' must be done by {when}").format(
                    rollback=state.rollback, when=when(base, state.rollback_by)
                ),
                markup=False,
            )
            no_return = (
                when(base, state.point_of_no_return)
                if state.point_of_no_return is not None
                else _("none: the rollback cannot make it")
            )
            out.print("  " + _("point of no return {when}").format(when=no_return), markup=False)
        for criterion in state.criteria:
            out.print(f"  · {criterion}", markup=False)


Clock = Annotated[
    str | None,
    typer.Option(
        "--clock",
        help="Run a drill on a simulated clock from this wall time (YYYY-MM-DDTHH:MM).",
        show_default=False,
    ),
]
Speed = Annotated[
    float, typer.Option("--speed", min=0.0, help="With --clock: how many times faster.")
]


def _clock(plan: Path, start: str | None, speed: float) -> RunClock:
    """The real clock, or a drill's from ``--clock`` at ``--speed``."""
    from datetime import datetime, time  # noqa: PLC0415

    from cutover.cli.base import parse_as_of  # noqa: PLC0415
    from cutover.live.clock import Clock as RunClock  # noqa: PLC0415

    zone = plan_zone(plan)
    moment = parse_as_of(start, "--clock") if start else None
    if moment is not None and not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    return RunClock(zone, moment, speed if start else 1.0)


class View(StrEnum):
    """``watch --view``."""

    run = "run"
    status = "status"
    gantt = "gantt"


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def run(
    plan: PlanPath,
    clock: Clock = None,
    speed: Speed = 1.0,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Show one team's lane.", show_default=False)
    ] = None,
    by: By = None,
    rehearsal: Annotated[
        Path | None,
        typer.Option(
            "--rehearsal",
            help="Record into this copy of the plan (made from the plan on first use).",
            show_default=False,
        ),
    ] = None,
    lang: Lang = None,
) -> None:
    """Run the cutover window live, full screen: start, finish, note, decide, undo.

    Keys: s start, d done, p progress, n note, g go, x no-go, t time of the next action,
    u undo, o next team, r reload, q quit. Every action changes only the task's lines and
    is journalled beside the plan.

    \b
    Example:
      cutover run plans/tuyenquang.yaml --clock 2025-06-28T07:30 --speed 60
    """
    from cutover.live.screen import RunOptions, RunScreen  # noqa: PLC0415

    target = plan
    if rehearsal is not None:
        target = _rehearsal_copy(plan, rehearsal)
    options = RunOptions(target, _clock(target, clock, speed), who_records(by), owner)
    RunScreen(options).run()


def _rehearsal_copy(plan: Path, rehearsal: Path) -> Path:
    """The rehearsal's plan file: made as a copy of the plan the first time."""
    if not rehearsal.exists():
        from cutover.common.files import atomic_write  # noqa: PLC0415

        with boundary():
            plan_zone(plan)  # a plan that does not load is not copied
            atomic_write(rehearsal, plan.read_bytes())
        typer.echo(
            _("{rehearsal}: a new rehearsal of {plan}").format(rehearsal=rehearsal, plan=plan),
            err=True,
        )
    return rehearsal


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def watch(
    plan: PlanPath,
    view: Annotated[View, typer.Option("--view", help="run, status or gantt.")] = View.run,
    clock: Clock = None,
    speed: Speed = 1.0,
    lang: Lang = None,
) -> None:
    """The wall screen: a read-only view that redraws when the plan changes (or each minute).

    \b
    Example:
      cutover watch plans/tuyenquang.yaml --view gantt
    """
    from cutover.live.screen import RunOptions, RunScreen  # noqa: PLC0415

    options = RunOptions(
        plan,
        _clock(plan, clock, speed),
        "watch",
        read_only=True,
        view=view.value,
    )
    RunScreen(options).run()


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def compare(
    plan: PlanPath,
    rehearsal: Annotated[Path, typer.Argument(help="The rehearsal's copy of the plan.")],
    apply: Annotated[
        bool,
        typer.Option(
            "--apply/--no-apply",
            help="Write the rehearsed times back as the plan's estimates (comments kept).",
        ),
    ] = False,
    output_format: Annotated[
        JournalFormat, typer.Option("--format", help="text or json.")
    ] = JournalFormat.text,
    lang: Lang = None,
) -> None:
    """Compare a rehearsal with its plan: task times, deadlines at stake, recovery time.

    Per task the planned against the rehearsed working time; the deadlines the plan would
    miss if the rehearsed times recurred, and which overruns drive them; and for each gate
    with a rollback the recovery time objective (rollback_by minus the gate) against the
    time the rehearsed rollback took.

    \b
    Example:
      cutover compare plans/tuyenquang.yaml rehearsal-1.yaml --apply
    """
    from dataclasses import asdict  # noqa: PLC0415

    from cutover.portfolio.rehearsal import apply_rehearsal  # noqa: PLC0415
    from cutover.portfolio.rehearsal import compare as compare_runs  # noqa: PLC0415
    from cutover.worktime.durations import format_minutes  # noqa: PLC0415

    with boundary():
        result = compare_runs(plan, rehearsal)
    if output_format is JournalFormat.json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        out = console()
        out.print(
            _("{plan} against the rehearsal {rehearsal}").format(plan=plan, rehearsal=rehearsal),
            markup=False,
            highlight=False,
        )
        for timing in result.timings:
            if timing.rehearsed is None:
                continue
            day = timing.day_minutes
            sign = "+" if timing.overrun > 0 else ""
            delta = format_minutes(timing.overrun, day)
            out.print(
                f"  {timing.task:<24} "
                + _("planned {planned}  rehearsed {rehearsed}  ({delta})").format(
                    planned=f"{format_minutes(timing.planned, day):>8}",
                    rehearsed=f"{format_minutes(timing.rehearsed, day):>8}",
                    delta=f"{sign}{delta}",
                ),
                markup=False,
            )
        if not any(t.rehearsed is not None for t in result.timings):
            out.print("  " + _("no task of the rehearsal has both an actual start and finish"))
        for broken in result.broken:
            because = ", ".join(broken.because) or _("the rehearsed times together")
            late = format_minutes(-broken.deadline_slack, broken.day_minutes)
            out.print(
                "  "
                + _("would miss: {task} by {late} if it went as rehearsed ({because})").format(
                    task=broken.task, late=late, because=because
                ),
                markup=False,
            )
        for recovery in result.recoveries:
            rehearsed_text = (
                format_minutes(recovery.rehearsed, 1440)
                if recovery.rehearsed is not None
                else _("not rehearsed")
            )
            verdict = (
                ""
                if recovery.rehearsed is None
                else " " + _("OK")
                if recovery.rehearsed <= recovery.objective
                else " " + _("TOO SLOW")
            )
            out.print(
                "  "
                + _(
                    "recovery: {gate} → {rollback}: objective {objective}, rehearsed "
                    "{rehearsed}{verdict}"
                ).format(
                    gate=recovery.gate,
                    rollback=recovery.rollback,
                    objective=format_minutes(recovery.objective, 1440),
                    rehearsed=rehearsed_text,
                    verdict=verdict,
                ),
                markup=False,
            )
    if apply:
        with boundary():
            for line in apply_rehearsal(plan, result, today=clock_now()):
                typer.echo(line)
