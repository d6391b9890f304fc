"""Primavera XER: the round trip, a file MPXJ wrote from a cutover export, bad files.

XER has no links, constraints or calendars on a WBS node: the export writes a summary's
on its tasks (a link from it from each of its tasks), so what is counted on the links
rewritten is not compared: a summary's slacks (its dates are), the free slack of a task
inside a summary that is a predecessor, and its slacks when it is done or in progress
(see ``interchange_support.differences``). Everything else is, for every task.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings

from cutover.common.errors import PlanError
from cutover.findings.pipeline import Analysis, analyse, analyse_loaded
from cutover.interchange.importing import import_file
from cutover.interchange.xer_writer import XerConversionError, write_xer
from cutover.planfile.loader import load_plan_text
from tests.conftest import AS_OF, ROOT
from tests.interchange_support import differences, xer_round_trip
from tests.test_interchange_mspdi import REPOSITORY_PLANS, tracked_plans

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Cli

FIXTURES = ROOT / "tests" / "interchange"


def leaves(analysis: Analysis) -> dict[str, tuple[int, str | None, str]]:
    """Each leaf task by id: working minutes, calendar as the plan names it, and status."""
    graph = analysis.graph
    return {
        graph.task(node).id: (graph.duration[node], graph.task(node).calendar, graph.status[node])
        for node in range(len(graph))
        if not graph.is_summary[node]
    }


def leaf_links(analysis: Analysis) -> set[tuple[str, str, str, int]]:
    """Links between leaf tasks: (predecessor, successor, type, lag in minutes)."""
    graph = analysis.graph
    out = set()
    for node in range(len(graph)):
        task, calendar = graph.task(node), graph.calendar[node]
        for pred, kind, lag in task.links:
            if not graph.is_summary[graph.index[pred]]:
                minutes = lag.in_minutes(calendar.day_minutes, calendar.week_minutes)
                out.add((pred, task.id, kind, minutes))
    return out


def test_an_xer_written_by_mpxj_keeps_ids_durations_calendars_links_and_progress() -> None:
    original = analyse(ROOT / "examples" / "erp-go-live.yaml", now=None)
    result = import_file(FIXTURES / "mpxj" / "erp-go-live.xer")
    theirs = analyse_loaded(load_plan_text(result.text, "imported.yaml"), now=None)
    expected = leaves(original)
    minutes, calendar, _ = expected["reports-legacy"]  # P6 has no inactive activity
    expected["reports-legacy"] = (minutes, calendar, "not_started")
    assert leaves(theirs) == expected
    assert leaf_links(theirs) == leaf_links(original)
    assert theirs.graph.plan.plan == original.graph.plan.plan  # cp1252's em dash read back
    assert theirs.graph.plan.as_of == original.graph.plan.as_of
    for name, work in original.graph.calendars.items():
        spec = theirs.graph.calendars[name].spec
        assert (spec.workdays, spec.hours) == (work.spec.workdays, work.spec.hours)
    notes = [f"{note.line} {note.kind}: {note.message}" for note in result.notes]
    assert (
        "63 left-out: a relationship with activity 6, which is not an activity of this project"
        in notes
    )


@pytest.mark.parametrize(
    ("fixture", "line", "code", "words"),
    [
        ("not-xer.xer", 1, "bad-file", "must start with ERMHDR"),
        ("unknown-link-type.xer", 49, "unknown-link-type", "'PR_XX'"),
        ("cycle.xer", 34, "cycle", "'blueprint' (line 34) → 'configure' (line 35)"),
        ("no-working-time.xer", 21, "no-working-time", "'factory' has no working time"),
    ],
)
def test_a_bad_xer_is_exit_2_with_its_line(
    cli: Cli, fixture: str, line: int, code: str, words: str
) -> None:
    path = FIXTURES / "bad" / fixture
    with pytest.raises(PlanError) as raised:
        import_file(path)
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.location.line, diagnostic.code) == (line, code)
    assert words in diagnostic.message
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}:1: error[{code}]" in result.stderr


@pytest.mark.parametrize("plan", REPOSITORY_PLANS, ids=lambda path: path.name)
@pytest.mark.parametrize("as_of", [None, AS_OF], ids=["planned", "tracked"])
def test_every_repository_plan_survives_the_xer_round_trip(
    plan: Path, as_of: object, tmp_path: Path
) -> None:
    before = analyse(plan, now=None, as_of=as_of)  # type: ignore[arg-type]
    after, _ = xer_round_trip(before, tmp_path)
    assert differences(before, after, summary_links=False) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tracked_plans())
def test_generated_plans_survive_the_xer_round_trip(data: dict[str, Any]) -> None:
    before = analyse_loaded(load_plan_text(json.dumps(data), "random.yaml"), now=None)
    with tempfile.TemporaryDirectory() as folder:
        after, text = xer_round_trip(before, Path(folder))
    assert differences(before, after, summary_links=False) == [], text


def test_a_start_link_from_a_summary_is_refused(
    cli: Cli, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    plan = write_plan(
        "plan: x\nstart: 2025-06-16\ntasks:\n"
        "  - {id: g, tasks: [{id: a, duration: 1d}, {id: b, duration: 2d}]}\n"
        "  - {id: c, duration: 1d, after: [{task: g, type: SS}]}\n"
    )
    with pytest.raises(XerConversionError, match="starts from the start of summary 'g' \\(SS\\)"):
        write_xer(analyse(plan, now=None).schedule)
    result = cli("export", str(plan), "-o", str(tmp_path / "plan.xer"))
    assert result.exit_code == 2
    assert "task 'c' starts from the start of summary 'g'" in result.stderr
    assert not (tmp_path / "plan.xer").exists()
