"""``drivers``: the chain of links that sets a task's date, and why it is (not) critical."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from rich.console import Console

from cutover.common.errors import UsageError
from cutover.findings.explain import drivers, link_slack
from cutover.render.risk_report import drivers_json, drivers_text
from tests.conftest import WORKED
from tests.test_risk_engine import analyse_tracked, tracked_plans

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.findings.pipeline import Analysis


def text_of(analysis: Analysis, task: str) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False, soft_wrap=False)
    drivers_text(drivers(analysis.schedule, task), analysis.schedule, console)
    return out.getvalue()


def test_the_chain_of_the_worked_example(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(WORKED)
    assert text_of(analysis, "ship") == (
        """\
What sets the date of ship
  design: set by the plan's start (Mon 16 Jun 2025 00:00)
  design  Mon 16 Jun 2025 08:00 – Mon 16 Jun 2025 17:00
    ↓ FS from design, no lag, slack 0
  build  Tue 17 Jun 2025 08:00 – Wed 18 Jun 2025 17:00
    ↓ FS from build, no lag, slack 0
  ship  Wed 18 Jun 2025 17:00

Other links into ship
  FS from review, no lag, slack 4h

Is ship critical?
  yes: its total slack is 0 (zero or less is critical); its latest finish is set by the plan's finish (Wed 18 Jun 2025 17:00). Deadline slack: 1d.
"""  # noqa: E501 - the output is wider than the source
    )
    assert text_of(analysis, "review").splitlines()[-4:] == [
        "  review  Wed 18 Jun 2025 08:00 – Wed 18 Jun 2025 12:00",
        "",
        "Is review critical?",
        (
            "  no: it has 4h of total slack; its latest finish is set by the plan's finish "
            "(Wed 18 Jun 2025 17:00). Deadline slack: 1d 4h."
        ),
    ]
    assert "    ↓ SS from build, lag 1d, slack 0" in text_of(analysis, "review").splitlines()
    assert text_of(analysis, "design").splitlines()[-1] == (
        "  yes: its total slack is 0 (zero or less is critical); its latest finish is set by the "
        "plan's finish (Wed 18 Jun 2025 17:00) through design → build. Deadline slack: 1d."
    )


def test_a_deadline_downstream_bounds_a_task(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        """
plan: test
start: 2025-06-16
tasks:
  - {id: a, duration: 1d}
  - {id: b, duration: 1d, after: [a], deadline: 2025-06-17T12:00}
  - {id: c, duration: 3d}
"""
    )
    explanation = drivers(analysis.schedule, "a")
    assert explanation.critical
    assert explanation.total_slack == explanation.deadline_slack == -240
    assert explanation.bound is not None
    assert (explanation.bound.kind, explanation.bound.task, explanation.bound.through) == (
        "deadline",
        "b",
        ("a", "b"),
    )
    assert text_of(analysis, "a").splitlines()[-1] == (
        "  yes: its total slack is -4h (zero or less is critical); its latest finish is set by "
        "the deadline of b (Tue 17 Jun 2025 12:00) through a → b. Deadline slack: -4h."
    )
    c = drivers(analysis.schedule, "c")
    assert c.bound is not None
    assert (c.bound.kind, c.critical, c.deadline_slack) == ("finish", True, None)


def test_what_sets_a_date_without_links(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(
        """
plan: test
start: 2025-06-16
tasks:
  - {id: a, duration: 1d, status: done, actual_start: 2025-06-16T09:00,
     actual_finish: 2025-06-17T08:30}
  - {id: b, duration: 1d, not_before: 2025-06-18}
  - {id: c, duration: 1d}
  - id: group
    tasks:
      - {id: g1, duration: 1d, after: [b]}
      - {id: g2, duration: 2d}
""",
        datetime(2025, 6, 17, 9, 0),
    )
    schedule = analysis.schedule
    origins = {task: drivers(schedule, task).origin for task in ("a", "b", "c")}
    assert origins == {"a": "its actual dates", "b": "its not_before", "c": "the status date"}
    assert drivers(schedule, "b").origin_at == analysis.graph.not_before[1]
    assert drivers(schedule, "c").origin_at == schedule.as_of
    group = drivers(schedule, "group")
    assert [(step.task, step.subtask) for step in group.chain] == [
        ("b", None),
        ("g1", None),
        ("group", "g1"),
    ]
    assert group.other_links == ()
    done = drivers(schedule, "a")
    assert not done.critical
    assert text_of(analysis, "a").splitlines()[-1] == (
        "  no: it is done, and done tasks are never critical."
    )


def test_a_link_from_a_summary_names_the_task_inside_that_sets_it(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        """
plan: test
start: 2025-06-16
tasks:
  - id: group
    tasks:
      - {id: g1, duration: 1d}
      - {id: g2, duration: 2d}
  - {id: next, duration: 1d, after: [{task: group, lag: 2h}]}
"""
    )
    explanation = drivers(analysis.schedule, "next")
    assert [step.task for step in explanation.chain] == ["g2", "next"]
    link = explanation.chain[-1].link
    assert link is not None
    assert (link.pred, link.via, link.type, link.lag, link.slack) == ("group", "g2", "FS", 120, 0)
    document = json.loads(drivers_json(explanation, analysis.schedule))
    assert document["chain"][-1]["link"] == {
        "from": "group",
        "to": "next",
        "type": "FS",
        "lag_minutes": 120,
        "slack_minutes": 0,
        "via": "g2",
    }
    assert document["origin"] == {"reason": "the plan's start", "at": "2025-06-16T00:00:00+00:00"}
    assert document["critical"] is True
    assert document["bound"] == {
        "kind": "finish",
        "task": None,
        "at": "2025-06-19T10:00:00+00:00",
        "through": ["next"],
    }
    assert document["why"].startswith("yes: its total slack is 0")


def test_an_unknown_task_is_a_usage_error(plan_analysis: Callable[..., Analysis]) -> None:
    analysis = plan_analysis(WORKED)
    with pytest.raises(UsageError) as caught:
        drivers(analysis.schedule, "bild")
    assert str(caught.value) == "unknown task 'bild' (did you mean 'build'?)"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_plans())
@example(  # a done task bounded through its in-progress summary's link (a newer draw found it)
    {
        "plan": "random",
        "timezone": "UTC",
        "start": "2025-06-16",
        "tasks": [
            {
                "id": "group",
                "tasks": [
                    {"id": "t0", "milestone": True, "deadline": "2025-06-16"},
                    {
                        "id": "t8",
                        "milestone": True,
                        "status": "done",
                        "actual_finish": "2025-06-17",
                    },
                ],
            },
            {"id": "t9", "duration": "30m", "after": ["group"], "status": "in_progress"},
        ],
    }
)
def test_every_task_has_a_chain_and_a_bound(data: dict[str, Any]) -> None:
    analysis = analyse_tracked(data)
    schedule, graph = analysis.schedule, analysis.graph
    tracked = {node for node in range(len(graph)) if graph.status[node] != "not_started"}
    for node in range(len(graph)):
        explanation = drivers(schedule, graph.task(node).id)
        assert explanation.chain[-1].task == graph.task(node).id
        bound = explanation.bound
        assert bound is not None, graph.task(node).id
        if bound.kind == "deadline" and not graph.is_summary[node]:
            assert explanation.deadline_slack == explanation.total_slack
        for step in explanation.chain:
            if step.link is not None:
                assert step.link.slack == 0
        if not tracked:
            assert all(link.slack >= 0 for link in explanation.other_links)
    for node in range(len(graph)):
        for edge in graph.preds[node]:
            if edge in schedule.early.tight[node]:
                assert link_slack(schedule, edge) == 0
