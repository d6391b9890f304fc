"""Scheduling at the edges: each case of tests/plans/edges with its hand-checked answer.

The cases are copied from the plan-format's edge cases (each file's comment says what it
shows); PLAN_FORMAT, "Scheduling rules", settles each of them. Times are shown as
``Sun 30 13:00+02`` so that a daylight-saving offset is part of the answer.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cutover.engine.rows import schedule_document
from cutover.findings.pipeline import analyse

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.findings.pipeline import Analysis
    from tests.conftest import Cli

EDGES = Path(__file__).parent / "plans" / "edges"


def schedule(name: str, as_of: datetime | None = None) -> dict[str, Any]:
    """The JSON schedule of a case, tasks by id (the whole document under "")."""
    analysis = analyse(EDGES / name, now=None, as_of=as_of)
    document = schedule_document(analysis.schedule)
    return {task["id"]: task for task in document["tasks"]} | {"": document}


def at(value: object) -> str:
    """'2025-03-30T13:00:00+02:00' -> 'Sun 30 13:00+02'."""
    moment = datetime.fromisoformat(str(value))
    offset = moment.utcoffset()
    assert offset is not None
    return f"{moment:%a %d %H:%M}{int(offset.total_seconds() // 3600):+03d}"


def span(task: dict[str, Any]) -> tuple[str, str]:
    return at(task["start"]), at(task["finish"])


def real_hours(task: dict[str, Any]) -> float:
    begin = datetime.fromisoformat(task["start"])
    end = datetime.fromisoformat(task["finish"])
    return (end - begin).total_seconds() / 3600


# -- rule: working time is real time ---------------------------------------------------------


def test_round_the_clock_across_the_spring_change_works_real_hours() -> None:
    got = schedule("01_dst_round_the_clock.yaml")
    assert span(got["a"]) == ("Sat 29 12:00+01", "Sun 30 13:00+02")
    assert real_hours(got["a"]) == 24
    # Night shift: Sat 22-24 (2h), Sun 00-06 without the missing hour (5h), Sun 22-24 (2h),
    # Mon 00-06 (6h), Mon 22-23 (1h): 16 real hours of work.
    assert span(got["b"]) == ("Sat 29 22:00+01", "Mon 31 23:00+02")
    assert span(got["d"]) == ("Mon 31 08:00+02", "Mon 31 10:00+02")
    assert span(got["e"]) == ("Sun 30 15:00+02", "Sun 30 17:00+02")
    assert got[""]["finish"] == "2025-03-31T23:00:00+02:00"
    assert got["d"]["total_slack_minutes"] == 360  # Mon 10-12 and 13-17 before b ends


def test_an_hour_after_the_gap_is_an_hour_and_the_repeated_hour_is_worked_twice() -> None:
    got = schedule("09_dst_gap_zero_length.yaml")
    assert span(got["a"]) == ("Sun 30 00:00+01", "Sun 30 03:30+02")
    assert span(got["b"]) == ("Sun 30 03:30+02", "Sun 30 04:30+02")
    assert real_hours(got["b"]) == 1
    assert span(got["c"]) == ("Sat 25 12:00+02", "Sun 26 13:00+01")
    assert real_hours(got["c"]) == 26


def test_office_hours_on_a_change_day_lose_or_gain_the_hour(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        """
plan: change days
timezone: Europe/Berlin
start: 2025-03-30
calendars:
  early: {workdays: all, hours: ["00:00-06:00"]}
tasks:
  - {id: spring, duration: 6h, calendar: early}
  - {id: autumn, duration: 7h, calendar: early, not_before: 2025-10-26}
"""
    )
    document = schedule_document(analysis.schedule)
    got = {task["id"]: task for task in document["tasks"]}
    # 30 Mar: 00:00-06:00 holds 5 real hours, so the sixth is on Monday.
    assert span(got["spring"]) == ("Sun 30 00:00+01", "Mon 31 01:00+02")
    # 26 Oct: 00:00-06:00 holds 7 real hours (02:00-03:00 twice).
    assert span(got["autumn"]) == ("Sun 26 00:00+02", "Sun 26 06:00+01")
    assert real_hours(got["autumn"]) == 7


# -- times written in the repeated or missing hour -----------------------------------------


def test_an_offset_fixes_the_instant_in_the_repeated_hour(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        """
plan: repeated hour
timezone: Europe/Berlin
start: 2025-10-20
tasks:
  - {id: second, milestone: true, deadline: 2025-10-26T02:30+01:00}
  - {id: first, milestone: true, not_before: 2025-10-26T02:30}
  - {id: named, milestone: true, not_before: 2025-10-26T02:30+02:00}
"""
    )
    document = schedule_document(analysis.schedule)
    got = {task["id"]: task for task in document["tasks"]}
    assert got["second"]["deadline"] == "2025-10-26T02:30:00+01:00"
    assert got["first"]["start"] == "2025-10-26T02:30:00+02:00"  # no offset: the first
    assert got["named"]["start"] == "2025-10-26T02:30:00+02:00"


def test_a_time_in_the_missing_hour_is_a_located_error(
    write_plan: Callable[..., Path], cli: Cli
) -> None:
    path = write_plan(
        """plan: missing hour
timezone: Europe/Berlin
start: 2025-03-24
tasks:
  - {id: a, duration: 1h, not_before: 2025-03-30T02:30}
"""
    )
    result = cli("schedule", str(path), "--format", "json")
    assert result.exit_code == 2
    assert ":5:" in result.stderr
    assert "error[missing-time]" in result.stderr
    assert "2025-03-30 02:30 does not exist in Europe/Berlin" in result.stderr
    assert "from 02:00 to 03:00" in result.stderr


# -- shifts over midnight ----------------------------------------------------------------------


def test_a_night_shift_belongs_to_the_day_it_starts() -> None:
    got = schedule("10_night_shift_crosses_midnight.yaml")
    assert span(got["a"]) == ("Mon 16 22:00+00", "Fri 20 06:00+00")
    assert span(got["b"]) == ("Fri 20 22:00+00", "Sat 21 06:00+00")
    assert span(got["c"]) == ("Mon 23 08:00+00", "Mon 23 10:00+00")
    assert got[""]["critical_path"] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (["22:00-06:00", "05:00-08:00"], "runs into the next day's first range"),
        (["22:00-02:00", "23:00-04:00"], "overlap"),
        (["20:00-01:00", "23:00-02:00"], "overlap"),
        (["08:00-08:00"], "is empty"),
    ],
)
def test_shifts_over_midnight_must_not_overlap(
    write_plan: Callable[..., Path], cli: Cli, hours: list[str], message: str
) -> None:
    path = write_plan(
        f"""plan: shifts
start: 2025-06-16
calendars:
  n: {{workdays: all, hours: {json.dumps(hours)}}}
tasks:
  - {{id: a, duration: 1h, calendar: n}}
"""
    )
    result = cli("schedule", str(path), "--format", "json")
    assert result.exit_code == 2
    assert message in result.stderr


# -- milestones: the calendar their slacks are counted on ------------------------------------


def test_a_milestone_with_its_own_calendar_keeps_it() -> None:
    got = schedule("02_milestone_own_calendar_slack.yaml")
    assert got["m"]["total_slack_minutes"] == 360


def test_a_milestone_set_by_two_links_takes_its_own_first() -> None:
    got = schedule("08_milestone_setter_tie.yaml")
    assert got["t51"]["total_slack_minutes"] == 210


def test_a_named_calendar_wins_over_the_setter(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        """
plan: named
start: 2025-07-02
calendars:
  night: {workdays: all, hours: ["00:00-06:00", "22:00-24:00"]}
tasks:
  - {id: x, duration: 1h}
  - {id: m, milestone: true, calendar: night, after: [x]}
  - {id: y, duration: 2h}
"""
    )
    got = {task["id"]: task for task in schedule_document(analysis.schedule)["tasks"]}
    # m sits at 09:00 (x's finish); y ends 10:00: no night hours between, so no slack.
    assert got["m"]["total_slack_minutes"] == 0
    assert got["m"]["critical"] is True


# -- cancelled work ------------------------------------------------------------------------


def test_a_cancelled_task_never_sets_the_finish() -> None:
    got = schedule("04_cancelled_sets_finish.yaml")
    assert got[""]["finish"] == "2025-06-16T17:00:00+00:00"
    assert got[""]["critical_path"] == ["a"]
    assert got["b"]["critical"] is False
    assert span(got["b"]) == ("Tue 17 17:00+00", "Tue 17 17:00+00")


def test_a_cancelled_task_extends_nothing() -> None:
    got = schedule("11_cancelled_end_of_chain.yaml")
    assert got[""]["finish"] == "2025-06-18T17:00:00+00:00"
    assert got[""]["critical_path"] == ["x"]
    assert got["c"]["critical"] is False
    assert span(got["c"]) == ("Thu 19 17:00+00", "Thu 19 17:00+00")
    assert got["a"]["total_slack_minutes"] == 960
    assert got["a"]["critical"] is False
    assert span(got["S"]) == ("Mon 16 08:00+00", "Mon 16 17:00+00")
    assert got["S"]["late_finish"] == "2025-06-18T17:00:00+00:00"


def test_a_cancelled_sub_task_does_not_stretch_its_summary() -> None:
    got = schedule("cancel-min.yaml")
    assert span(got["s"]) == ("Mon 01 08:00+00", "Mon 01 17:00+00")
    # PLAN_FORMAT: a summary's late finish is its finish plus its total slack (0 here).
    assert got["s"]["total_slack_minutes"] == 0
    assert got["s"]["late_finish"] == got["s"]["finish"]


def test_successors_still_wait_through_a_cancelled_task(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        """
plan: through
start: 2025-06-16
tasks:
  - {id: a, duration: 1d}
  - {id: b, duration: 2d, after: [a], status: cancelled}
  - {id: c, duration: 1d, after: [b]}
"""
    )
    got = {task["id"]: task for task in schedule_document(analysis.schedule)["tasks"]}
    assert span(got["b"]) == ("Mon 16 17:00+00", "Mon 16 17:00+00")
    assert span(got["c"]) == ("Tue 17 08:00+00", "Tue 17 17:00+00")
    assert got["a"]["critical"] is True
    assert analysis.schedule.critical_path == (0, 2)


# -- tasks in progress -----------------------------------------------------------------------


def test_free_slack_of_a_task_in_progress_counts_from_its_start() -> None:
    got = schedule("03_in_progress_free_slack.yaml")
    assert got["t24"]["free_slack_minutes"] == 240
    assert got["t24"]["total_slack_minutes"] == 240


def test_an_ss_link_from_a_task_in_progress_counts_from_its_actual_start() -> None:
    got = schedule("12_in_progress_ss_slack.yaml")
    assert span(got["a"]) == ("Mon 16 08:00+00", "Wed 18 17:00+00")
    assert span(got["b"]) == ("Tue 17 13:00+00", "Fri 20 12:00+00")
    assert got["b"]["critical"] is True
    # Latest start of a by the SS link: b's latest start Tue 13:00 less 4h = Tue 08:00,
    # one working day after its real start Mon 08:00.
    assert got["a"]["total_slack_minutes"] == 480
    assert got["a"]["critical"] is False


def test_a_done_task_without_actual_start_started_its_duration_before() -> None:
    got = schedule("07_done_without_actual_start.yaml")
    assert span(got["t30"]) == ("Wed 25 10:30+07", "Fri 27 10:30+07")


# -- progress and the status date ------------------------------------------------------------


def test_a_status_date_before_the_start_forecasts_nothing_before_the_start() -> None:
    got = schedule("13_as_of_before_start.yaml")
    assert span(got["a"]) == ("Mon 16 08:00+00", "Mon 16 12:00+00")
    assert span(got["b"]) == ("Mon 16 13:00+00", "Tue 17 12:00+00")


def test_an_earlier_status_date_shows_the_plan_as_it_stood(cli: Cli) -> None:
    got = schedule("14_cli_as_of_before_progress.yaml", datetime(2025, 6, 18, 9))
    assert span(got["a"]) == ("Mon 16 08:00+00", "Tue 17 17:00+00")
    assert got["a"]["status"] == "done"
    assert span(got["b"]) == ("Wed 18 09:00+00", "Thu 19 09:00+00")
    assert got["b"]["status"] == "not_started"
    assert span(got["c"]) == ("Thu 19 09:00+00", "Fri 20 09:00+00")
    plan = str(EDGES / "14_cli_as_of_before_progress.yaml")
    result = cli("schedule", plan, "--as-of", "2025-06-18T09:00", "--format", "json")
    assert result.exit_code == 0
    assert "progress recorded after the status date 2025-06-18 09:00 is not counted" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith(": b")
    checked = cli("check", plan, "--as-of", "2025-06-18T09:00", "--format", "json")
    findings = json.loads(checked.stdout)["plans"][0]["findings"]
    assert [(f["code"], f["task"]) for f in findings] == [("progress-not-counted", "b")]
    # At the plan's own status date the progress counts, and nothing is said.
    later = cli("schedule", plan, "--format", "json")
    assert "not counted" not in later.stderr
    assert json.loads(later.stdout)["tasks"][1]["status"] == "done"


def test_a_finish_after_an_earlier_status_date_is_in_progress_again() -> None:
    got = schedule("14_cli_as_of_before_progress.yaml", datetime(2025, 6, 19, 12))
    assert got["b"]["status"] == "in_progress"
    assert at(got["b"]["start"]) == "Thu 19 10:00+00"
    assert at(got["b"]["finish"]) == "Fri 20 12:00+00"  # 1d from the status date Thu 12:00


@pytest.mark.parametrize(
    ("name", "code", "where"),
    [
        ("15_progress_after_as_of.yaml", "progress-after-as-of", ":10:"),
        ("16_milestone_in_progress.yaml", "milestone-in-progress", ":9:"),
    ],
)
def test_progress_that_cannot_be_true_is_a_located_error(
    cli: Cli, name: str, code: str, where: str
) -> None:
    for command in ("schedule", "check"):
        result = cli(command, str(EDGES / name), "--format", "json")
        assert result.exit_code == 2, command
        text = result.stderr if command == "schedule" else result.stdout
        assert code in text
        if command == "schedule":
            assert f"{name}{where}" in text


def test_an_actual_start_after_the_status_date_is_an_error(
    write_plan: Callable[..., Path], cli: Cli
) -> None:
    path = write_plan(
        """plan: future start
start: 2025-06-16
as_of: 2025-06-17
tasks:
  - {id: a, duration: 2d, status: in_progress, actual_start: 2025-06-18}
  - {id: b, duration: 2d, status: in_progress, actual_start: 2025-06-17}
"""
    )
    result = cli("schedule", str(path), "--format", "json")
    assert result.exit_code == 2
    assert "5:" in result.stderr
    assert "task 'a' has an actual_start (2025-06-18) after the plan's status date" in (
        result.stderr
    )
    assert "task 'b'" not in result.stderr  # a date alone on the status date's day is fine


def test_an_actual_finish_before_the_start_is_an_error(
    write_plan: Callable[..., Path], cli: Cli
) -> None:
    path = write_plan(
        """plan: backwards
start: 2025-06-16
tasks:
  - {id: a, duration: 2d, status: done, actual_start: 2025-06-18T10:00,
     actual_finish: 2025-06-17T10:00}
"""
    )
    result = cli("schedule", str(path), "--format", "json")
    assert result.exit_code == 2
    assert "actual_finish before its actual_start" in result.stderr


# -- smaller readings ----------------------------------------------------------------------


def test_an_sf_bound_is_counted_in_the_successors_working_time() -> None:
    got = schedule("05_ff_across_calendars.yaml")
    assert at(got["t9"]["start"]) == "Thu 24 00:00+07"
    assert span(got["t23"]) == ("Wed 23 15:00+07", "Wed 23 17:00+07")


def test_an_ss_link_from_a_summary_binds_every_task_starting_with_it() -> None:
    got = schedule("06_ss_from_summary_tie.yaml")
    assert got["t95"]["total_slack_minutes"] == 0
    assert got["t98"]["total_slack_minutes"] == 0
    assert got["t106"]["critical"] is True


def test_ff_and_sf_are_refused_in_a_summarys_after(
    write_plan: Callable[..., Path], cli: Cli
) -> None:
    path = write_plan(
        """plan: summary link
start: 2025-06-16
tasks:
  - {id: a, duration: 1d}
  - id: s
    after: [{task: a, type: FF}]
    tasks:
      - {id: b, duration: 1d}
"""
    )
    result = cli("schedule", str(path), "--format", "json")
    assert result.exit_code == 2
    assert "error[summary-link]" in result.stderr
    assert ":6:" in result.stderr


@pytest.mark.parametrize(
    ("progress", "finish"),
    [
        ("12.5%", "Mon 16 16:52+00"),  # 52.5 minutes left: halves round to even, 52
        ("37.5%", "Mon 16 16:38+00"),  # 37.5 minutes left: 38
        ("1%", "Mon 16 16:59+00"),  # 59.4 minutes left: 59
    ],
)
def test_progress_rounds_the_remaining_work_to_whole_minutes(
    plan_analysis: Callable[..., Analysis], progress: str, finish: str
) -> None:
    analysis = plan_analysis(
        f"""
plan: rounding
start: 2025-06-16
tasks:
  - {{id: a, duration: 1h, status: in_progress, progress: "{progress}",
     actual_start: 2025-06-16T08:00}}
""",
        datetime(2025, 6, 16, 16, 0),
    )
    got = schedule_document(analysis.schedule)["tasks"][0]
    assert at(got["finish"]) == finish


@pytest.mark.parametrize(
    "name",
    [
        "01_dst_round_the_clock.yaml",
        "09_dst_gap_zero_length.yaml",
        "10_night_shift_crosses_midnight.yaml",
        "11_cancelled_end_of_chain.yaml",
        "12_in_progress_ss_slack.yaml",
        "cancel-min.yaml",
    ],
)
def test_the_risk_engine_runs_the_same_rules(name: str) -> None:
    """Sampled runs are schedules of their durations on these calendars and rules too."""
    from cutover.risk.sampling import Engine  # noqa: PLC0415 - the risk layer, only here
    from tests.test_risk_engine import assert_runs_are_schedules, random_durations  # noqa: PLC0415

    analysis = analyse(EDGES / name, now=None)
    durations = random_durations(analysis, 6, seed=7)
    runs = Engine(analysis.graph, analysis.schedule.as_of).run(durations, 6)
    assert_runs_are_schedules(analysis, runs, durations)


def test_a_command_line_status_date_in_the_skipped_hour_is_refused(
    write_plan: Callable[..., Path], cli: Cli
) -> None:
    path = write_plan(
        """plan: missing hour
timezone: Europe/Berlin
start: 2025-03-24
tasks:
  - {id: a, duration: 1h}
"""
    )
    result = cli("schedule", str(path), "--as-of", "2025-03-30T02:15", "--format", "json")
    assert result.exit_code == 2
    assert "--as-of: 2025-03-30 02:15 does not exist in Europe/Berlin" in result.stderr
