"""TaskJuggler import: the subset cutover expresses, what it notes, and the round trip."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import PlanError
from cutover.findings.pipeline import Analysis, analyse, analyse_loaded
from cutover.interchange.importing import import_file
from cutover.interchange.tjp_writer import write_tjp
from cutover.planfile.loader import load_plan_text
from tests.conftest import ROOT, WORKED

sys.path.insert(0, str(ROOT / "benchmarks"))
from taskjuggler import write_plan as write_generated

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Cli

FIXTURES = ROOT / "tests" / "interchange"


def by_name(analysis: Analysis) -> dict[str, tuple[int, int]]:
    """Each task's start and finish by name (the ids of a .tjp are its own).

    Slacks are not compared: deadlines do not travel through a .tjp (tj3's ``maxend`` is a
    hard limit that fails the run when missed, not a deadline that can be late).
    """
    graph, schedule = analysis.graph, analysis.schedule
    return {
        graph.task(node).display_name: (schedule.start(node), schedule.finish_of(node))
        for node in range(len(graph))
    }


def round_trip(plan: Path, folder: Path) -> tuple[Analysis, Analysis]:
    before = analyse(plan, now=None)
    exported = folder / "plan.tjp"
    exported.write_bytes(write_tjp(before.schedule))
    after = analyse_loaded(load_plan_text(import_file(exported).text, "back.yaml"), now=None)
    return before, after


def test_the_worked_example_comes_back_from_tjp(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    before, after = round_trip(write_plan(WORKED), tmp_path)
    assert by_name(after) == by_name(before)


@pytest.mark.parametrize("shape", ["systems", "layered"])
def test_a_generated_plan_comes_back_from_tjp(shape: str, tmp_path: Path) -> None:
    """Three hundred tasks with holidays, lags, SS links and summaries (not_before anchors
    come back as milestones of their own, which change no date)."""
    text = io.StringIO()
    write_generated(text, 300, 5, shape=shape, rich=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.getvalue(), encoding="utf-8")
    before, after = round_trip(plan, tmp_path)
    theirs = by_name(after)
    assert {name: theirs[name] for name in by_name(before)} == by_name(before)
    assert set(by_id(before)) <= set(by_id(after))  # the anchors are tasks of their own


def by_id(analysis: Analysis) -> dict[str, tuple[int, int]]:
    """Each task's start and finish by its id."""
    graph, schedule = analysis.graph, analysis.schedule
    return {
        graph.task(node).id: (schedule.start(node), schedule.finish_of(node))
        for node in range(len(graph))
    }


@pytest.mark.parametrize("level", [False, True], ids=["as-planned", "levelled"])
def test_ids_of_tasks_and_resources_come_back_from_tjp(level: bool, tmp_path: Path) -> None:
    """tj3's ids allow no hyphen; cutover's travel in a CutoverId attribute of each."""
    plan = ROOT / "examples" / "weekend-teams.yaml"
    before = analyse(plan, now=None, level=level)
    exported = tmp_path / "plan.tjp"
    exported.write_bytes(write_tjp(before.schedule))
    assert 'CutoverId "migrate-dvc"' in exported.read_text(encoding="utf-8")
    imported = import_file(exported).text
    after = analyse_loaded(load_plan_text(imported, "back.yaml"), now=None, level=level)
    assert by_id(after) == by_id(before)
    assert [r.id for r in after.loaded.plan.resources] == [
        r.id for r in before.loaded.plan.resources
    ]


def test_the_subset_and_the_notes() -> None:
    result = import_file(FIXTURES / "features.tjp")
    text = result.text
    for line in (
        'plan: "Chuyển đổi hệ thống"',
        "timezone: Asia/Ho_Chi_Minh",
        "as_of: 2025-06-18T12:00",
        "    holidays: [2025-09-01, 2025-09-02]",
        '    hours: ["22:00-24:00"]',
        "      - id: review  # line 23",
        "        after: [{task: plan, type: SS, lag: 2h}]",
        "        status: done",
        "    not_before: 2025-06-20T09:00",
        "    deadline: 2025-06-29",
        "    # Cần xác nhận của Sở.",
        "    calendar: ca-dem",
    ):
        assert line in text.splitlines(), line
    notes = [(note.line, note.kind, note.message) for note in result.notes]
    assert notes == [
        (30, "approximated", "task 'Xây dựng': effort (work of resources) is read as working time"),
        (37, "approximated", "task 'Chuyển dữ liệu': an elapsed duration is read as working time"),
        (40, "left-out", "task 'Chuyển dữ liệu': 'scheduling'"),
    ]


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("unclosed.tjp", 4, "a '}' is missing"),
        ("no-working-time.tjp", 1, "has no working time"),
    ],
)
def test_a_bad_tjp_is_exit_2_with_its_line(cli: Cli, fixture: str, line: int, words: str) -> None:
    path = FIXTURES / "bad" / fixture
    with pytest.raises(PlanError) as raised:
        import_file(path)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.location.line == line
    assert words in diagnostic.message
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}:1: error[bad-file]" in result.stderr


def test_times_off_tj3_s_grid_are_written_at_the_steps_around_them() -> None:
    """The flagship's 'accounts' is forecast to finish at 10:36 (60 % of its work done):
    tj3 counts in 5-minute steps at best, so its end is written at 10:40, with a comment,
    rather than the whole export refused."""
    flagship = analyse(ROOT / "plans" / "tuyenquang.yaml", now=None)
    assert flagship.schedule.times_of("accounts").finish % 5 != 0
    text = write_tjp(flagship.schedule).decode()
    block = text[text.index('"Accounts and digital') :]
    block = block[: block.index("}")]
    assert "end 2025-06-27-10:40-+0700" in block
    assert "2025-06-27-10:36-+0700 is written as the steps around it" in block
