"""Invariants of the scheduler over random valid plans (hypothesis)."""

from __future__ import annotations

import itertools
import json
import random  # noqa: TC003 - hypothesis resolves the annotation at run time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.engine.graph import FROM_FINISH, TO_START
from cutover.findings.pipeline import Analysis, analyse_loaded
from cutover.planfile.loader import load_plan_text

pytestmark = pytest.mark.slow  # hypothesis: hundreds of generated plans

DURATIONS = ["30m", "2h", "4h", "1d", "3d", "0.5d"]
LAGS = ["0m", "2h", "-2h", "1d", "-1d", "3h"]
CALENDARS = {
    "rtc": {"workdays": "all", "hours": ["00:00-24:00"]},
    "odd": {"workdays": ["mon", "wed", "thu", "sat"], "hours": ["07:00-11:30", "13:30-17:00"]},
}


@st.composite
def plans(draw: st.DrawFn, *, deadlines: bool = False) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=12))
    tasks: list[dict[str, Any]] = []
    for index in range(count):
        task: dict[str, Any] = {"id": f"t{index}"}
        if draw(st.integers(0, 9)) == 0:
            task["milestone"] = True
        else:
            task["duration"] = draw(st.sampled_from(DURATIONS))
        calendar = draw(st.sampled_from([None, None, "rtc", "odd"]))
        if calendar:
            task["calendar"] = calendar
        links = []
        for pred in sorted(draw(st.sets(st.integers(0, index - 1), max_size=3)) if index else []):
            kind = draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"]))
            lag = draw(st.sampled_from(LAGS))
            links.append(
                f"t{pred}"
                if (kind, lag) == ("FS", "0m")
                else {"task": f"t{pred}", "type": kind, "lag": lag}
            )
        if links:
            task["after"] = links
        if deadlines and draw(st.integers(0, 3)) == 0:
            task["deadline"] = f"2025-06-{draw(st.integers(16, 30)):02d}"
        tasks.append(task)
    # Wrap a run of tasks into a summary; later tasks may wait for it.
    if count >= 3 and draw(st.booleans()):
        first = draw(st.integers(0, count - 2))
        last = draw(st.integers(first + 1, count - 1))
        group = {"id": "group", "tasks": tasks[first : last + 1]}
        tasks = [*tasks[:first], group, *tasks[last + 1 :]]
        if last + 1 < len(tasks) + (last - first):
            follower = next((t for t in tasks[first + 1 :] if "tasks" not in t), None)
            if follower is not None:
                follower.setdefault("after", []).append("group")
    return {
        "plan": "random",
        "timezone": "UTC",
        "start": "2025-06-16",
        "calendars": CALENDARS,
        "tasks": tasks,
    }


def analyse_data(data: dict[str, Any]) -> Analysis:
    return analyse_loaded(load_plan_text(json.dumps(data), "random.yaml"), now=None)


def check_links(analysis: Analysis) -> None:
    graph, schedule = analysis.graph, analysis.schedule
    early = schedule.early
    for node in range(len(graph)):
        for edge in graph.preds[node]:
            anchor = early.finish[edge.pred] if edge.type in FROM_FINISH else early.start[edge.pred]
            calendar = graph.calendar[node]
            end = early.start[node] if edge.type in TO_START else early.finish[node]
            if graph.is_instant[node]:
                wanted = (
                    anchor
                    if edge.lag == 0
                    else calendar.end_at(calendar.position(anchor) + edge.lag)
                )
                assert end >= wanted, (graph.task(node).id, edge)
            else:
                assert calendar.position(end) >= calendar.position(anchor) + edge.lag, (
                    graph.task(node).id,
                    edge,
                )


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(plans())
def test_every_link_is_respected(data: dict[str, Any]) -> None:
    check_links(analyse_data(data))


@SETTINGS
@given(plans())
def test_earliest_is_never_after_latest_and_slack_is_their_distance(data: dict[str, Any]) -> None:
    analysis = analyse_data(data)
    graph, schedule = analysis.graph, analysis.schedule
    for node in range(len(graph)):
        times = schedule.times(node)
        assert times.start <= times.late_start
        assert times.finish <= times.late_finish
        assert times.total_slack >= 0  # no deadlines: nothing can be late
        assert 0 <= times.free_slack <= times.total_slack or graph.is_summary[node]
        if not (graph.is_summary[node] or graph.is_instant[node]):
            calendar = graph.calendar[node]
            assert times.total_slack == calendar.position(times.late_finish) - calendar.position(
                times.finish
            )


@SETTINGS
@given(plans())
def test_a_connected_critical_path_ends_at_the_finish(data: dict[str, Any]) -> None:
    analysis = analyse_data(data)
    graph, schedule = analysis.graph, analysis.schedule
    path = schedule.critical_path
    assert path, "a plan always has a critical path"
    assert schedule.early.finish[path[-1]] == schedule.finish
    for node in path:
        assert schedule.critical[node]
    for before, after in itertools.pairwise(path):
        linked = {edge.pred for edge in graph.preds[after]}
        ancestors = set()
        parent = graph.tasks[before].parent
        while parent >= 0:
            ancestors.add(parent)
            parent = graph.tasks[parent].parent
        assert before in linked or linked & ancestors, (graph.task(before).id, graph.task(after).id)


@SETTINGS
@given(plans(deadlines=True), st.randoms(use_true_random=False))
def test_the_order_of_tasks_in_the_file_does_not_change_the_schedule(
    data: dict[str, Any], shuffler: random.Random
) -> None:
    first = analyse_data(data)
    shuffled = dict(data, tasks=shuffler.sample(data["tasks"], len(data["tasks"])))
    second = analyse_data(shuffled)

    def table(analysis: Analysis) -> dict[str, tuple[object, ...]]:
        graph, schedule = analysis.graph, analysis.schedule
        return {
            graph.task(node).id: (
                schedule.early.start[node], schedule.early.finish[node], schedule.total_slack[node],
                schedule.deadline_slack[node], schedule.free_slack[node],
            )
            for node in range(len(graph))
        }  # fmt: skip

    assert table(first) == table(second)


@SETTINGS
@given(plans(deadlines=True))
def test_deadlines_only_tighten_slack(data: dict[str, Any]) -> None:
    with_deadlines = analyse_data(data)
    without = analyse_data(
        dict(data, tasks=json.loads(json.dumps(data["tasks"]).replace('"deadline"', '"owner"')))
    )
    for node in range(len(with_deadlines.graph)):
        assert with_deadlines.schedule.early.finish[node] == without.schedule.early.finish[node]
        assert with_deadlines.schedule.total_slack[node] <= without.schedule.total_slack[node]


def _waited_for(data: dict[str, Any]) -> set[str]:
    """Ids some task waits for, and every task inside a summary some task waits for."""
    named: set[str] = set()
    pending = list(data["tasks"])
    while pending:
        task = pending.pop()
        for link in task.get("after", []):
            named.add(link if isinstance(link, str) else link["task"])
        pending.extend(task.get("tasks", []))
    out = set(named)
    pending = [task for task in data["tasks"] if "tasks" in task]
    while pending:
        summary = pending.pop()
        for kid in summary["tasks"]:
            if summary["id"] in out:
                out.add(kid["id"])
            if "tasks" in kid:
                pending.append(kid)
    return out


def _leaves(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for task in tasks:
        out.extend(_leaves(task["tasks"]) if "tasks" in task else [task])
    return out


@SETTINGS
@given(plans(deadlines=True), st.randoms(use_true_random=False))
def test_cancelling_a_task_nobody_waits_for_moves_nothing_else(
    data: dict[str, Any], chooser: random.Random
) -> None:
    """PLAN_FORMAT: cancelled work takes no time and extends nothing.

    Cancelling a task that no other task waits for (directly or through a summary) leaves
    every other task's dates where they were, and the critical path is empty only when no
    unfinished, not-cancelled task is left.
    """
    waited = _waited_for(data)
    free = [task for task in _leaves(data["tasks"]) if task["id"] not in waited]
    if not free:
        return
    chosen = chooser.choice(free)
    before = analyse_data(data)
    chosen["status"] = "cancelled"
    after = analyse_data(data)
    graph = after.graph
    for node in range(len(graph)):
        task_id = graph.task(node).id
        if graph.is_summary[node] or task_id == chosen["id"]:
            continue
        assert (after.schedule.start(node), after.schedule.finish_of(node)) == (
            before.schedule.start(node),
            before.schedule.finish_of(node),
        ), task_id
    left = [node for node in range(len(graph)) if not graph.is_summary[node]]
    if any(after.schedule.status[node] != "cancelled" for node in left):
        assert after.schedule.critical_path, "unfinished work left, but no critical path"
        assert chosen["id"] not in {graph.task(node).id for node in after.schedule.critical_path}
    assert not after.schedule.critical[graph.index[chosen["id"]]]
