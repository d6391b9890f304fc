"""The critical path method with hand-checked answers, starting from PLAN_FORMAT's example.

Unless a test says otherwise: default calendar Mon–Fri 08:00–12:00 and 13:00–17:00, UTC,
start Monday 16 June 2025. A working day is 480 minutes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from cutover.engine.rows import schedule_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.findings.pipeline import Analysis

HEADER = """
plan: test
start: 2025-06-16
tasks:
"""


def run(
    plan_analysis: Callable[..., Analysis],
    tasks: str,
    as_of: datetime | None = None,
    head: str = HEADER,
) -> dict[str, dict[str, object]]:
    analysis = plan_analysis(head + tasks, as_of)
    document = schedule_document(analysis.schedule)
    return {task["id"]: task for task in document["tasks"]} | {"": document}


def hm(value: object) -> str:
    """'2025-06-17T10:00:00+00:00' -> 'Tue 17 10:00' for readable assertions."""
    moment = datetime.fromisoformat(str(value))
    return f"{moment:%a %d %H:%M}"


def test_worked_example_of_plan_format(plan_analysis: Callable[..., Analysis]) -> None:
    got = run(
        plan_analysis,
        """
  - {id: design, duration: 1d}
  - {id: build, duration: 2d, after: [design]}
  - {id: review, duration: 4h, after: [{task: build, type: SS, lag: 1d}]}
  - {id: ship, milestone: true, after: [build, review], deadline: 2025-06-19}
""",
    )
    table = {
        "design": ("Mon 16 08:00", "Mon 16 17:00", 0, 480, True),
        "build": ("Tue 17 08:00", "Wed 18 17:00", 0, 480, True),
        "review": ("Wed 18 08:00", "Wed 18 12:00", 240, 720, False),
        "ship": ("Wed 18 17:00", "Wed 18 17:00", 0, 480, True),
    }
    for task, (start, finish, total, deadline, critical) in table.items():
        row = got[task]
        assert (hm(row["start"]), hm(row["finish"])) == (start, finish), task
        assert row["total_slack_minutes"] == total, task
        assert row["deadline_slack_minutes"] == deadline, task
        assert row["critical"] is critical, task
    assert got[""]["critical_path"] == ["design", "build", "ship"]
    assert got["ship"]["deadline"] == "2025-06-19T23:59:59+00:00"


@pytest.mark.parametrize(
    ("link", "start", "finish"),
    [
        # a runs Mon-Tue. FS, 2h lag: Tue 17:00 + 2h of work = Wed 10:00.
        ("{task: a, lag: 2h}", "Wed 18 10:00", "Wed 18 15:00"),
        # A 4h lead: Tue 17:00 - 4h = Tue 12:00; the first working minute is 13:00.
        ("{task: a, lag: -4h}", "Tue 17 13:00", "Wed 18 12:00"),
        # SS, no lag: starts with a.
        ("{task: a, type: SS}", "Mon 16 08:00", "Mon 16 17:00"),
        # FF: a 1d task that finishes with a (Tue 17:00) starts Tue 08:00.
        ("{task: a, type: FF}", "Tue 17 08:00", "Tue 17 17:00"),
        # SF, 4h lag: finishes no earlier than a's start + 4h = Mon 12:00: no constraint here.
        ("{task: a, type: SF, lag: 4h}", "Mon 16 08:00", "Mon 16 17:00"),
    ],
)
def test_link_types_and_lags(
    plan_analysis: Callable[..., Analysis], link: str, start: str, finish: str
) -> None:
    got = run(
        plan_analysis,
        f"""
  - {{id: a, duration: 2d}}
  - {{id: b, duration: {"4h" if "lag: 2h" in link else "1d"}, after: [{link}]}}
""",
    )
    assert (hm(got["b"]["start"]), hm(got["b"]["finish"])) == (start, finish)


def test_start_to_finish_can_pull_a_short_task_earlier(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d, not_before: 2025-06-17}
  - {id: b, duration: 2h, after: [{task: a, type: SF, lag: 4h}]}
""",
    )
    # a starts Tue 08:00; b must finish by... no earlier than Tue 12:00: 10:00–12:00.
    assert (hm(got["b"]["start"]), hm(got["b"]["finish"])) == ("Tue 17 10:00", "Tue 17 12:00")


def test_durations_in_minutes_weeks_and_iso(plan_analysis: Callable[..., Analysis]) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 30m}
  - {id: b, duration: 1w, after: [a]}
  - {id: c, duration: PT4H, after: [b]}
  - {id: d, duration: P1D, after: [c]}
  - {id: e, duration: 1d4h, after: [d]}
""",
    )
    assert hm(got["a"]["finish"]) == "Mon 16 08:30"
    # 1w = five working days = 2400 minutes: Mon 08:30 -> Mon 23 08:30.
    assert hm(got["b"]["finish"]) == "Mon 23 08:30"
    assert hm(got["c"]["finish"]) == "Mon 23 13:30"
    assert hm(got["d"]["finish"]) == "Tue 24 13:30"
    assert hm(got["e"]["finish"]) == "Thu 26 08:30"
    assert got["e"]["duration_minutes"] == 720


def test_a_milestone_sits_at_its_constraint_and_the_start_without_one(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: kickoff, milestone: true}
  - {id: a, duration: 1d, after: [kickoff]}
  - {id: done, milestone: true, after: [a]}
  - {id: next, duration: 1h, after: [done]}
""",
    )
    assert hm(got["kickoff"]["start"]) == "Mon 16 00:00"
    assert hm(got["a"]["start"]) == "Mon 16 08:00"
    # PLAN_FORMAT: the finish is 17:00, not 08:00 the next working day.
    assert hm(got["done"]["start"]) == hm(got["done"]["finish"]) == "Mon 16 17:00"
    assert hm(got["next"]["start"]) == "Tue 17 08:00"


def test_not_before_a_date_is_the_start_of_that_day(plan_analysis: Callable[..., Analysis]) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 2h, not_before: 2025-06-18}
  - {id: b, duration: 2h, not_before: 2025-06-18T14:30}
""",
    )
    assert hm(got["a"]["start"]) == "Wed 18 08:00"
    assert (hm(got["b"]["start"]), hm(got["b"]["finish"])) == ("Wed 18 14:30", "Wed 18 16:30")


def test_holidays_weekends_and_make_up_days(plan_analysis: Callable[..., Analysis]) -> None:
    head = """
plan: test
start: 2025-06-16
calendars:
  default:
    holidays: [2025-06-17]
    extra_workdays: [2025-06-21]
tasks:
"""
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 2d}
  - {id: b, duration: 4d, after: [a]}
""",
        head=head,
    )
    # Tuesday is a holiday: Mon + Wed.
    assert (hm(got["a"]["start"]), hm(got["a"]["finish"])) == ("Mon 16 08:00", "Wed 18 17:00")
    # Thu, Fri, Saturday (a make-up day), Mon.
    assert hm(got["b"]["finish"]) == "Mon 23 17:00"


def test_viet_nam_national_day_comes_from_the_holidays_package(
    plan_analysis: Callable[..., Analysis],
) -> None:
    head = """
plan: test
timezone: Asia/Ho_Chi_Minh
start: 2025-08-29
calendars:
  default:
    holidays_country: VN
tasks:
"""
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d}
  - {id: b, duration: 1d, after: [a]}
""",
        head=head,
    )
    # Fri 29 Aug, then Mon 1 and Tue 2 September are National Day: Wed 3 September.
    assert got["b"]["start"] == "2025-09-03T08:00:00+07:00"


def test_calendars_per_task_and_breaks(plan_analysis: Callable[..., Analysis]) -> None:
    head = """
plan: test
start: 2025-06-16
calendars:
  default:
    hours: ["07:00-11:30", "13:30-17:00"]
  round-the-clock:
    workdays: all
    hours: ["00:00-24:00"]
tasks:
"""
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d}
  - {id: b, duration: 1d, calendar: round-the-clock, after: [a]}
  - {id: c, duration: 4h, after: [b]}
""",
        head=head,
    )
    assert got["a"]["duration_minutes"] == 480
    assert hm(got["a"]["finish"]) == "Mon 16 17:00"
    # A round-the-clock day is 24 hours: Mon 17:00 -> Tue 17:00.
    assert (hm(got["b"]["start"]), hm(got["b"]["finish"])) == ("Mon 16 17:00", "Tue 17 17:00")
    assert got["b"]["duration_minutes"] == 1440
    assert (hm(got["c"]["start"]), hm(got["c"]["finish"])) == ("Wed 18 07:00", "Wed 18 11:00")


def test_summaries_span_their_tasks_and_links_to_them_apply_inside(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: first, duration: 1d}
  - id: group
    after: [first]
    not_before: 2025-06-18
    tasks:
      - {id: g1, duration: 1d}
      - {id: g2, duration: 2d}
  - {id: last, duration: 1d, after: [group]}
""",
    )
    # not_before and the link reach every task inside the summary.
    assert hm(got["g1"]["start"]) == hm(got["g2"]["start"]) == "Wed 18 08:00"
    assert (hm(got["group"]["start"]), hm(got["group"]["finish"])) == (
        "Wed 18 08:00",
        "Thu 19 17:00",
    )
    assert got["group"]["summary"] is True
    # A link from a summary waits for all of its tasks.
    assert hm(got["last"]["start"]) == "Fri 20 08:00"
    assert got["g1"]["total_slack_minutes"] == 480
    assert got["group"]["total_slack_minutes"] == 0


def test_deadlines_give_negative_slack_never_a_moved_date(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d, deadline: 2025-06-16T12:00}
  - {id: b, duration: 1d, after: [a]}
  - {id: c, duration: 1h}
""",
    )
    assert hm(got["a"]["finish"]) == "Mon 16 17:00"
    assert got["a"]["total_slack_minutes"] == -240
    assert got["a"]["deadline_slack_minutes"] == -240
    assert got["a"]["critical"] is True
    # b has no deadline after it: no deadline slack.
    assert got["b"]["deadline_slack_minutes"] is None
    assert got["b"]["total_slack_minutes"] == 0
    assert got["c"]["total_slack_minutes"] == 900


def test_free_slack_is_room_before_a_successor_moves(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d}
  - {id: b, duration: 2d}
  - {id: c, duration: 1d, after: [a, b]}
  - {id: d, duration: 1d, after: [a]}
""",
    )
    assert got["a"]["free_slack_minutes"] == 0  # d starts right after it
    assert got["b"]["free_slack_minutes"] == 0
    assert got["d"]["free_slack_minutes"] == 480  # the plan ends Wed 17:00, d ends Tue 17:00
    assert got["d"]["total_slack_minutes"] == 480
    assert got["a"]["total_slack_minutes"] == 480


def test_the_critical_path_is_the_first_chain_by_file_order(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: x, duration: 1d}
  - {id: y, duration: 1d}
  - {id: z, duration: 1d, after: [y, x]}
""",
    )
    assert got[""]["critical_path"] == ["x", "z"]


def test_tracking_keeps_actuals_and_forecasts_what_is_left(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d, status: done,
     actual_start: 2025-06-16T09:00, actual_finish: 2025-06-17T10:00}
  - {id: b, duration: 2d, after: [a], status: in_progress,
     actual_start: 2025-06-17T10:00, progress: 50%}
  - {id: c, duration: 1d, after: [b]}
  - {id: d, duration: 1d}
  - {id: e, duration: 1d, status: done}
  - {id: f, duration: 1d, status: cancelled}
  - {id: g, duration: 1h, after: [f, a]}
""",
        as_of=datetime(2025, 6, 18, 8, 0),
    )
    assert (hm(got["a"]["start"]), hm(got["a"]["finish"])) == ("Mon 16 09:00", "Tue 17 10:00")
    # Half of 2d is left at Wed 08:00: one day, Wed 17:00.
    assert hm(got["b"]["start"]) == "Tue 17 10:00"
    assert hm(got["b"]["finish"]) == "Wed 18 17:00"
    assert hm(got["c"]["start"]) == "Thu 19 08:00"
    # Not started: nothing is forecast before the status date.
    assert hm(got["d"]["start"]) == "Wed 18 08:00"
    # Done without actual dates: as scheduled, never after the status date.
    assert (hm(got["e"]["start"]), hm(got["e"]["finish"])) == ("Mon 16 08:00", "Mon 16 17:00")
    assert got["e"]["critical"] is False
    # Cancelled takes no time; links through it still hold.
    assert got["f"]["start"] == got["f"]["finish"]
    assert hm(got["g"]["start"]) == "Wed 18 08:00"
    assert got[""]["as_of"] == "2025-06-18T08:00:00+00:00"


def test_progress_out_of_sequence_ends_the_link_in_the_backward_pass(
    plan_analysis: Callable[..., Analysis],
) -> None:
    """b was done, and d started, before a began: neither asks a to have finished first.

    Status Wed 08:00 (8h days): a runs Wed 08:00 to Thu 17:00, the plan's finish, so its
    slack is 0. Were the links kept, a would have to finish by c's late start less b's day
    (Wed 08:00) and by d's late start (Wed 08:00): -2d of slack and a late start.
    """
    tasks = """
  - {id: a, duration: 2d}
  - {id: b, duration: 1d, after: [a], status: done,
     actual_start: 2025-06-16T08:00, actual_finish: 2025-06-16T17:00}
  - {id: c, duration: 1d, after: [b], deadline: 2025-06-20}
  - {id: d, duration: 1d, after: [a], status: in_progress,
     actual_start: 2025-06-17T08:00, progress: 50%, deadline: 2025-06-18}
"""
    as_of = datetime(2025, 6, 18, 8, 0)
    got = run(plan_analysis, tasks, as_of=as_of)
    assert (hm(got["a"]["start"]), hm(got["a"]["finish"])) == ("Wed 18 08:00", "Thu 19 17:00")
    assert got["a"]["total_slack_minutes"] == 0
    assert got["a"]["deadline_slack_minutes"] is None  # c waits for b, which is done
    # A done task still takes its bound from what waits for it: c starts by Thu 08:00,
    # so b finishes by the end of Wed's work.
    assert hm(got["b"]["late_finish"]) == "Wed 18 17:00"
    assert got["b"]["total_slack_minutes"] == 960
    findings = plan_analysis(HEADER + tasks, as_of).findings
    assert [(f.code, f.task) for f in findings if f.task == "a"] == []


def test_a_link_from_a_summary_set_aside_by_progress_still_bounds_its_done_tasks(
    plan_analysis: Callable[..., Analysis],
) -> None:
    """d (done Tue) waits for g; in g, b is done (Mon) and a not started (Wed).

    Progress sets the link aside for a and for g, which are not done, but b's slack is
    still measured against d, as with the link written from each task: d's latest start
    is Wed 08:00 (the plan's finish, Wed 17:00, less its day), so b may finish by the end
    of Tue: 480 minutes of slack, not 960.
    """
    done = "status: done, actual_start: 2025-06-{day}T08:00, actual_finish: 2025-06-{day}T17:00"
    group = f"""
  - id: g
    tasks:
      - {{id: a, duration: 1d}}
      - {{id: b, duration: 1d, {done.format(day=16)}}}
  - {{id: d, duration: 1d, after: [{{after}}], {done.format(day=17)}}}
"""
    as_of = datetime(2025, 6, 18, 8, 0)
    for after in ("g", "a, b"):
        got = run(plan_analysis, group.replace("{after}", after), as_of=as_of)
        assert hm(got["b"]["late_finish"]) == "Tue 17 17:00", after
        assert got["b"]["total_slack_minutes"] == 480, after
        assert got["a"]["total_slack_minutes"] == 0, after


def test_a_finish_link_into_a_task_in_progress_still_holds(
    plan_analysis: Callable[..., Analysis],
) -> None:
    """e is in progress, but its finish is still ahead: FF from a bounds a by e's deadline.

    e's finish waits for a's (Thu 17:00) and its deadline is the end of Wed (17:00 of
    work): a must finish by Wed 17:00, one day before it can: -1d.
    """
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 2d}
  - {id: e, duration: 1d, after: [{task: a, type: FF}], status: in_progress,
     actual_start: 2025-06-17T08:00, progress: 50%, deadline: 2025-06-18}
""",
        as_of=datetime(2025, 6, 18, 8, 0),
    )
    assert hm(got["e"]["finish"]) == "Thu 19 17:00"
    assert hm(got["a"]["late_finish"]) == "Wed 18 17:00"
    assert got["a"]["total_slack_minutes"] == -480


def test_done_is_never_after_the_status_date(plan_analysis: Callable[..., Analysis]) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 3d, status: done}
""",
        as_of=datetime(2025, 6, 17, 12, 0),
    )
    assert hm(got["a"]["finish"]) == "Tue 17 12:00"


def test_without_a_status_date_the_plan_is_shown_as_planned(
    plan_analysis: Callable[..., Analysis],
) -> None:
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d}
  - {id: b, duration: 2d, after: [a], status: in_progress, progress: 50%}
""",
    )
    assert got[""]["as_of"] is None
    assert (hm(got["b"]["start"]), hm(got["b"]["finish"])) == ("Tue 17 08:00", "Wed 18 17:00")


def test_milestone_slack_is_counted_on_its_predecessors_calendar(
    plan_analysis: Callable[..., Analysis],
) -> None:
    head = """
plan: test
start: 2025-06-16
calendars:
  round-the-clock: {workdays: all, hours: ["00:00-24:00"]}
tasks:
"""
    got = run(
        plan_analysis,
        """
  - {id: a, duration: 1d, calendar: round-the-clock}
  - {id: m, milestone: true, after: [a], deadline: 2025-06-17T12:00}
""",
        head=head,
    )
    # a ends Tue 00:00; the deadline is Tue 12:00: 12 hours on a's round-the-clock calendar.
    assert got["m"]["deadline_slack_minutes"] == 720
