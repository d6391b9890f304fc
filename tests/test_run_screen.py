"""The run screen driven headlessly (textual's pilot), and once in a real terminal (tmux)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.live.clock import Clock
from cutover.live.screen import RunOptions, RunScreen
from cutover.portfolio.journal import read_journal

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.pilot import Pilot

OUTAGE = Path(__file__).parent / "plans" / "runbook" / "outage.yaml"
ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / "outage.yaml"
    copy.write_bytes(OUTAGE.read_bytes())
    return copy


def drive(
    plan: Path,
    steps: Callable[[RunScreen, Pilot[None]], Awaitable[None]],
    *,
    at: datetime = datetime(2025, 8, 23, 18, 5),
    who: str = "tester",
    read_only: bool = False,
) -> RunScreen:
    """Run the screen on a stopped drill clock (speed 0) and play ``steps`` against it."""
    app = RunScreen(RunOptions(plan, Clock(ZONE, at, 0.0), who, read_only=read_only))

    async def main() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await steps(app, pilot)
            await pilot.pause()

    asyncio.run(main())
    return app


async def select(app: RunScreen, pilot: Pilot[None], task: str, section: int = 0) -> None:
    """Put the cursor on the ``section``-th row of ``task``."""
    from textual.widgets import DataTable  # noqa: PLC0415

    rows = [index for index, name in enumerate(app.row_tasks) if name == task]
    app.query_one("#tasks", DataTable).move_cursor(row=rows[section])
    await pilot.pause()


def message(app: RunScreen) -> str:
    return str(app.query_one("#message").render())


def test_start_and_finish_the_selected_task(plan: Path) -> None:
    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        assert app.row_tasks[0] == "freeze"
        await pilot.press("s")
        assert "start freeze" in message(app)
        await select(app, pilot, "freeze")
        await pilot.press("t")
        await pilot.press(*"2025-08-23T19:02", "enter")
        await pilot.press("d")

    drive(plan, steps)
    text = plan.read_text()
    assert "actual_start: 2025-08-23T18:05" in text
    assert "actual_finish: 2025-08-23T19:02" in text
    assert [(e.action, e.who, e.claimed) for e in read_journal(plan)] == [
        ("start", "tester", "2025-08-23T18:05"),
        ("done", "tester", "2025-08-23T19:02"),
    ]


def test_progress_note_and_undo(plan: Path) -> None:
    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        await pilot.press("p", *"40%", "enter")
        await select(app, pilot, "freeze")
        await pilot.press("n", *"payments queue drained", "enter")
        await pilot.press("u")
        assert "undid progress of freeze" in message(app)

    drive(plan, steps)
    assert "progress" not in plan.read_text()
    actions = [(e.action, e.note) for e in read_journal(plan)]
    assert actions == [
        ("progress", None),
        ("note", "payments queue drained"),
        ("undo", "undid progress of freeze"),
    ]


def test_decide_a_gate_from_the_screen(plan: Path) -> None:
    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        await pilot.press("g")  # on a task that is not a gate: refused
        assert "select a gate" in message(app)
        await select(app, pilot, "gonogo")
        await pilot.press("x")
        assert app.board is not None
        assert app.board.rolling_back
        header = str(app.query_one("#header").render())
        assert "ROLLING BACK" in header

    drive(plan, steps, who="Chief Information Officer")
    text = plan.read_text()
    assert "decision: no-go" in text
    assert "decided_by: Chief Information Officer" in text


def test_the_point_of_no_return_counts_down(plan: Path) -> None:
    async def steps(app: RunScreen, _pilot: Pilot[None]) -> None:
        gates = str(app.query_one("#gates").render())
        assert "point of no return in 9h 25m" in gates

    drive(plan, steps)


def test_a_change_made_underneath_is_shown_and_a_stale_write_is_refused(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        # Another operator records from the command line: the next tick shows it.
        _start_freeze_elsewhere(plan)
        app.refresh_board()
        await pilot.pause()
        assert app.board is not None
        assert [item.row.id for item in app.board.running] == ["freeze"]
        # A write that finds the file changed since it was read is refused, then reloaded.
        from cutover.portfolio import editing  # noqa: PLC0415

        real = editing._read_bytes
        calls = iter([False, True])

        def racing(path: Path) -> bytes:
            data = real(path)
            return data + b"# changed meanwhile\n" if next(calls, False) else data

        monkeypatch.setattr(editing, "_read_bytes", racing)
        await select(app, pilot, "freeze")
        await pilot.press("d")
        monkeypatch.undo()
        assert "changed by another program" in message(app)
        assert "reloaded" in message(app)

    drive(plan, steps)
    assert "actual_finish" not in plan.read_text()
    assert [e.action for e in read_journal(plan)] == []


def _start_freeze_elsewhere(plan: Path) -> None:
    other = plan.read_text().replace(
        "    calendar: night\n  - id: migrate",
        "    calendar: night\n    status: in_progress\n    actual_start: 2025-08-23T18:00\n"
        "  - id: migrate",
        1,
    )
    plan.write_text(other)
    os.utime(plan, (time.time() + 5, time.time() + 5))


def test_a_crash_mid_write_leaves_the_plan_whole(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails while the new plan is being written: the old one stays, unjournalled."""
    before = plan.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        monkeypatch.setattr(os, "fsync", crash)
        await pilot.press("s")
        monkeypatch.undo()
        assert "error" in message(app).lower() or "Input/output" in message(app)

    drive(plan, steps)
    assert plan.read_bytes() == before
    assert read_journal(plan) == []


def test_the_wall_screen_is_read_only(plan: Path) -> None:
    before = plan.read_bytes()

    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        await pilot.press("s")
        assert "read-only" in message(app)

    drive(plan, steps, read_only=True)
    assert plan.read_bytes() == before


def test_a_team_sees_its_own_lane(tmp_path: Path) -> None:
    plan = tmp_path / "teams.yaml"
    plan.write_text(
        OUTAGE.read_text()
        .replace("    name: Freeze payments\n", "    name: Freeze payments\n    owner: Payments\n")
        .replace("    name: Migrate the ledger\n", "    name: Migrate the ledger\n    owner: DBA\n")
    )

    async def steps(app: RunScreen, pilot: Pilot[None]) -> None:
        await pilot.press("o")  # the first team in name order: DBA
        assert app.options.owner == "DBA"
        assert "freeze" not in app.row_tasks
        await pilot.press("o", "o")  # Payments, then everyone again
        assert app.options.owner is None

    drive(plan, steps)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_in_a_real_terminal(plan: Path) -> None:
    """Type the keys into ``cutover run`` in tmux and read the screen back."""
    session = f"cutover-test-{os.getpid()}"
    command = f"{sys.executable} -m cutover run {plan} --clock 2025-08-23T18:05 --speed 0 --by tmux"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "40", command],
        check=True,
        env=env,
    )
    try:
        screen = _wait_for(session, "Freeze payments")
        assert "point of no return" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "s"], check=True)
        _wait_for(session, "#1 start freeze")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    assert "actual_start: 2025-08-23T18:05" in plan.read_text()
    assert [e.who for e in read_journal(plan)] == ["tmux"]


def _wait_for(session: str, text: str, tries: int = 150) -> str:
    screen = ""
    for _ in range(tries):
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    pytest.fail(f"{text!r} never appeared on the screen:\n{screen}")


def test_the_board_counts_down_to_the_plans_named_go_live(tmp_path: Path) -> None:
    """Was: the board guessed go-live from names (the gate here), not the plan's go_live."""
    from cutover.findings.pipeline import analyse  # noqa: PLC0415
    from cutover.live.board import build_board  # noqa: PLC0415

    plan = tmp_path / "named.yaml"
    plan.write_text(OUTAGE.read_text().replace("tasks:\n", "go_live: open\ntasks:\n", 1))
    board = build_board(analyse(plan, now=None, as_of=datetime(2025, 8, 23, 18, 5)))
    assert board.go_live is not None
    assert board.go_live.id == "open"


def test_the_wall_screen_draws_the_gantt(plan: Path) -> None:
    """Was: the wall screen's Gantt was given a schedule, and the chart wants the analysis."""
    options = RunOptions(plan, Clock(ZONE, datetime(2025, 8, 23, 18, 5), 0.0), "wall")
    app = RunScreen(replace(options, read_only=True, view="gantt"))

    async def main() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            screen = app.export_screenshot().replace("&#160;", " ")
            assert "Migrate the ledger" in screen  # the chart's row, painted

    asyncio.run(main())
