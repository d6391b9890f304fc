"""``whatif``: delays and completions on a copy of the plan, compared with the plan as it is.

The plan is PLAN_FORMAT's worked example (default calendar, start Monday 16 June 2025):
design Mon, build Tue–Wed, review Wed morning, ship Wed 17:00 with a deadline at the end of
Thursday.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from cutover.common.errors import UsageError
from cutover.planfile.loader import load_plan
from cutover.render.risk_report import whatif_json, whatif_text
from cutover.risk.whatif import apply, parse_delay
from cutover.worktime.durations import parse_duration
from tests.conftest import WORKED

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from cutover.planfile.loader import LoadedPlan

MONDAY = datetime(2025, 6, 16, 8, 0)


@pytest.fixture
def example(write_plan: Callable[..., Path]) -> LoadedPlan:
    return load_plan(write_plan(WORKED), file="plan.yaml")


def text_of(render: Callable[[Console], None]) -> str:
    out = io.StringIO()
    render(Console(file=out, width=100, color_system=None, highlight=False, soft_wrap=False))
    return out.getvalue()


def test_a_delay_on_the_critical_path_breaks_the_deadline(example: LoadedPlan) -> None:
    what = apply(example, delays=[parse_delay("build=2d")], as_of=MONDAY)
    assert what.changes == ("build +2d",)
    assert [(m.task, m.start_moved, m.finish_moved) for m in what.moved] == [
        ("build", 0, 960),
        ("ship", 960, 960),
    ]
    assert what.finish_moved == 960
    assert [(c.task, c.breaks) for c in what.deadlines] == [("ship", True)]
    assert [(f.code, f.task) for f in what.appeared] == [("late", "ship"), ("late-start", "design")]
    assert what.resolved == ()
    assert not what.after.ok
    assert what.before.ok
    assert text_of(lambda console: whatif_text(what, console)) == (
        """\
What if build +2d
status date Mon 16 Jun 2025 08:00
forecast finish Wed 18 Jun 2025 17:00 → Fri 20 Jun 2025 17:00 (+2d)

What moved
task       start                finish               moved
──────────────────────────────────────────────────────────
build      Tue 17 Jun 08:00     Wed 18 Jun 17:00       +2d
                                → Fri 20 Jun 17:00
ship       Wed 18 Jun 17:00     Wed 18 Jun 17:00       +2d
           → Fri 20 Jun 17:00   → Fri 20 Jun 17:00

deadlines that break
  ship: deadline end of Thu 19 Jun 2025
      forecast Wed 18 Jun 2025 17:00 → Fri 20 Jun 2025 17:00

new findings
  ✗ error   late                ship  plan.yaml:8:5
      forecast to finish Fri 20 Jun 2025 17:00, 1d of working time after its deadline (end of Thu 19
      Jun 2025)
      driven by design → build → ship
  ! warning late-start          design  plan.yaml:5:5
      not started, but it had to start by Fri 13 Jun 2025 08:00 to keep its deadlines; forecast
      start Mon 16 Jun 2025 08:00

FAIL: error findings with these changes
"""
    )


def test_a_delay_off_the_critical_path_uses_up_slack(example: LoadedPlan) -> None:
    what = apply(example, delays=[parse_delay("review=3h")], as_of=MONDAY)
    assert [(m.task, m.finish_moved) for m in what.moved] == [("review", 180)]
    assert what.finish_moved == 0
    assert what.deadlines == ()
    assert what.appeared == what.resolved == ()
    # Two delays of one task add up; a negative delay is a task that goes faster.
    what = apply(
        example, delays=[("build", parse_duration("1d")), ("build", parse_duration("-4h"))]
    )
    assert [(m.task, m.finish_moved) for m in what.moved] == [("build", 240), ("ship", 240)]
    assert [(f.code, f.task) for f in what.appeared] == [("at-risk", "ship")]


def test_a_delay_of_a_task_in_progress_adds_to_what_is_left(
    write_plan: Callable[..., Path],
) -> None:
    loaded = load_plan(
        write_plan(
            """
plan: test
start: 2025-06-16
tasks:
  - {id: a, duration: 2d, status: in_progress, progress: 50%, actual_start: 2025-06-16T08:00}
  - {id: b, duration: 1d, after: [a]}
"""
        )
    )
    # At Tue 08:00 one day is left: a ends Tue 17:00. With 1d more, Wed 17:00.
    what = apply(loaded, delays=[parse_delay("a=1d")], as_of=datetime(2025, 6, 17, 8, 0))
    schedule = what.after.schedule
    timebase = what.after.graph.timebase
    assert timebase.iso(what.before.schedule.finish_of(0)) == "2025-06-17T17:00:00+00:00"
    assert timebase.iso(schedule.finish_of(0)) == "2025-06-18T17:00:00+00:00"
    assert timebase.iso(schedule.start(0)) == "2025-06-16T08:00:00+00:00"
    assert [(m.task, m.finish_moved) for m in what.moved] == [("a", 480), ("b", 480)]


def test_done_marks_tasks_done_at_the_status_date(example: LoadedPlan) -> None:
    wednesday = datetime(2025, 6, 18, 12, 0)
    what = apply(example, done=["design", "build"], as_of=wednesday)
    assert what.changes == ("design done", "build done")
    after = what.after.schedule
    index = what.after.graph.index
    assert after.status[index["build"]] == "done"
    timebase = what.after.graph.timebase
    assert timebase.iso(after.finish_of(index["build"])) == "2025-06-18T12:00:00+00:00"
    # review waits one working day after build's start (Tue 12:00 + 1d = Wed 12:00): 13:00.
    assert timebase.iso(after.start(index["review"])) == "2025-06-18T13:00:00+00:00"
    assert [c.task for c in what.deadlines if c.met_after and not c.met_before] == ["ship"]
    assert ("late", "ship") in [(f.code, f.task) for f in what.resolved]


def test_done_on_a_summary_finishes_every_open_task_inside(
    write_plan: Callable[..., Path],
) -> None:
    loaded = load_plan(
        write_plan(
            """
plan: test
start: 2025-06-16
tasks:
  - id: group
    tasks:
      - {id: g1, duration: 1d, status: done}
      - {id: g2, duration: 2d}
      - {id: g3, duration: 1d, status: cancelled}
  - {id: after, duration: 1d, after: [group]}
"""
        )
    )
    what = apply(loaded, done=["group"], as_of=datetime(2025, 6, 17, 12, 0))
    statuses = dict(zip(what.after.graph.index, what.after.schedule.status, strict=True))
    assert statuses == {
        "group": "done",
        "g1": "done",
        "g2": "done",
        "g3": "cancelled",
        "after": "not_started",
    }


def test_the_plan_file_is_never_changed(write_plan: Callable[..., Path]) -> None:
    path = write_plan(WORKED, name="untouched.yaml")
    before = path.read_text(encoding="utf-8")
    apply(load_plan(path), delays=[parse_delay("build=1w")], done=["design"], as_of=MONDAY)
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("delays", "done", "as_of", "message"),
    [
        ([("biuld", "1d")], [], MONDAY, "unknown task 'biuld' (did you mean 'build'?)"),
        ([], ["shipp"], MONDAY, "unknown task 'shipp' (did you mean 'ship'?)"),
        ([("ship", "1d")], [], MONDAY,
         "task 'ship' is a milestone and takes no time: delay a task before it"),
        ([("build", "-2d")], [], MONDAY, "task 'build' would take no time at all"),
        ([], ["build"], None, "--done needs a status date: give --as-of or an as_of in the plan"),
        ([("build", "1d")], ["build"], MONDAY, "task 'build' cannot be both delayed and done"),
        ([], [], MONDAY, "nothing to change: give --delay TASK=DURATION or --done TASK"),
    ],
)  # fmt: skip
def test_impossible_changes_are_usage_errors(
    example: LoadedPlan,
    delays: list[tuple[str, str]],
    done: list[str],
    as_of: datetime | None,
    message: str,
) -> None:
    parsed = [(task, parse_duration(amount)) for task, amount in delays]
    with pytest.raises(UsageError) as caught:
        apply(example, delays=parsed, done=done, as_of=as_of)
    assert str(caught.value) == message


def test_summaries_done_and_cancelled_tasks_cannot_be_delayed(
    write_plan: Callable[..., Path],
) -> None:
    loaded = load_plan(
        write_plan(
            """
plan: test
start: 2025-06-16
tasks:
  - id: group
    tasks:
      - {id: g1, duration: 1d, status: done}
      - {id: g2, duration: 1d, status: cancelled}
"""
        )
    )
    expected = {
        "group": "task 'group' is a summary: delay one of its tasks",
        "g1": "task 'g1' is done: a delay cannot move it",
        "g2": "task 'g2' is cancelled: a delay cannot move it",
    }
    for task, message in expected.items():
        with pytest.raises(UsageError) as caught:
            apply(loaded, delays=[(task, parse_duration("1d"))], as_of=MONDAY)
        assert str(caught.value) == message
    with pytest.raises(UsageError, match="task 'g1' is already done"):
        apply(loaded, done=["g1"], as_of=MONDAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("build", "--delay expects TASK=DURATION, such as build=2d, got 'build'"),
        ("=2d", "--delay expects TASK=DURATION, such as build=2d, got '=2d'"),
        ("build=2", "--delay build=2: '2' has no unit: write '2d' (working days), '2h' or '2m'"),
    ],
)
def test_a_bad_delay_is_a_usage_error(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_delay(text)
    assert str(caught.value) == message


def test_the_json_says_what_moved_and_what_broke(example: LoadedPlan) -> None:
    document = json.loads(
        whatif_json(apply(example, delays=[parse_delay("build=2d")], as_of=MONDAY))
    )
    assert document["changes"] == ["build +2d"]
    assert document["finish"] == {
        "before": "2025-06-18T17:00:00+00:00",
        "after": "2025-06-20T17:00:00+00:00",
        "moved_minutes": 960,
    }
    assert [move["id"] for move in document["moved"]] == ["build", "ship"]
    assert document["deadlines"] == [
        {
            "task": "ship",
            "deadline": "2025-06-19T23:59:59+00:00",
            "finish_before": "2025-06-18T17:00:00+00:00",
            "finish_after": "2025-06-20T17:00:00+00:00",
            "met_before": True,
            "met_after": False,
        }
    ]
    assert [f["code"] for f in document["appeared"]] == ["late", "late-start"]
    assert document["ok"] is False
    assert document["schedule"]["finish"] == "2025-06-20T17:00:00+00:00"
