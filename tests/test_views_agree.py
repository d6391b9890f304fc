"""The views' own defects of issue 12: states, counts, the go-live and empty windows."""

from __future__ import annotations

import io
import json
import re
import sys
import unicodedata
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len
from rich.console import Console

from cutover.findings.pipeline import analyse
from cutover.render.gantt import GanttChart, GanttOptions
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Cli

FLAGSHIP = str(ROOT / "plans" / "tuyenquang.yaml")
AS_OF = ("--as-of", "2025-06-26T09:00")


def _status_cell(output: str, task: str) -> str:
    line = next(line for line in output.splitlines() if line.split()[:1] == [task])
    return line.rstrip().rsplit("  ", 1)[-1].strip()


def test_schedule_shows_every_state_and_never_calls_a_done_task_late(cli: Cli) -> None:
    output = cli("schedule", FLAGSHIP, *AS_OF, env={"COLUMNS": "250"}).output
    # Done, with no deadline of its own: its summary's negative slack does not make it late.
    assert _status_cell(output, "tthc-catalog") == "done"
    assert _status_cell(output, "accounts") == "in progress 60% · late · critical"
    assert _status_cell(output, "dvc-list") == "done · finished late"
    assert _status_cell(output, "tthc-config") == "in progress 60% · at risk"


def test_status_systems_add_up_to_the_headline(cli: Cli) -> None:
    (plan,) = json.loads(cli("status", FLAGSHIP, *AS_OF, "-f", "json").output)["plans"]
    assert plan["counts"]["total"] == 23
    assert sum(system["counts"]["total"] for system in plan["systems"]) == 23
    assert plan["systems"][-1]["name"] == "top level"  # the top-level milestones
    text = cli("status", FLAGSHIP, *AS_OF, env={"COLUMNS": "80"}).output
    assert "top level" in text
    assert "least sla\n" not in text.replace(" ", "")


def test_the_go_live_is_the_named_task_not_the_last_finish(cli: Cli) -> None:
    (plan,) = json.loads(cli("status", FLAGSHIP, *AS_OF, "-f", "json").output)["plans"]
    assert plan["go_live"] == {"task": "go-live", "forecast": "2025-06-29T18:00:00+07:00"}
    assert plan["finish"] == "2025-07-01T00:00:00+07:00"  # the plan runs on after go-live
    text = cli("status", FLAGSHIP, *AS_OF).output
    assert "forecast go-live Sun 29 Jun 2025 18:00 (go-live)" in text
    rolled = cli("rollup", FLAGSHIP, *AS_OF, "-f", "csv").output.splitlines()
    record = dict(zip(rolled[0].split(","), rolled[1].split(","), strict=False))
    assert record["go_live"] == "2025-06-29T18:00:00+07:00"
    assert "Sun 29 Jun" in cli("rollup", FLAGSHIP, *AS_OF).output
    markdown = cli("export", FLAGSHIP, *AS_OF, "-f", "md").output
    assert "- **Forecast go-live:** Sun 29 Jun 2025 18:00 (go-live)" in markdown


def test_a_plan_without_a_go_live_says_so(cli: Cli, write_plan: Callable[..., Path]) -> None:
    path = write_plan("""
        plan: No go-live named
        start: 2025-06-16
        tasks:
          - {id: a, duration: 1d}
          - {id: hypercare, duration: 5d, after: [a]}
    """)
    (plan,) = json.loads(cli("status", str(path), "-f", "json").output)["plans"]
    assert plan["go_live"] is None
    assert "(finish)" in cli("rollup", str(path)).output


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (("--from", "2025-06-29", "--to", "2025-06-20"), "is before --from"),
        (("--from", "2025-08-01"), "after the plan's end"),
        (("--to", "2025-05-01"), "before the plan's start"),
        (("--from", "2025-06-20", "--to", "2025-06-20T00:00"), "is before --from"),
    ],
)
def test_an_empty_window_is_a_usage_error(cli: Cli, window: tuple[str, ...], message: str) -> None:
    result = cli("gantt", FLAGSHIP, *window)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_window_inside_the_plan_is_fine(cli: Cli) -> None:
    assert cli("gantt", FLAGSHIP, "--from", "2025-06-26", "--to", "2025-06-26").exit_code == 0


WIDE = """
    plan: Widths
    timezone: Asia/Ho_Chi_Minh
    start: 2025-06-16
    tasks:
      - {id: cjk, name: 系统切换准备工作和数据迁移验证, duration: 1d}
      - {id: emoji, name: "🚀 Go-live 🎉 launch party", duration: 1d, after: [cjk]}
      - {id: nfd, name: "%s", duration: 2d, after: [emoji]}
      - {id: plain, name: Plain ASCII name, duration: 1d, after: [nfd], deadline: 2025-06-20}
"""
NFD = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Tuyên Quang cấu hình hệ thống")


@pytest.mark.parametrize("width", [80, 120, 200])
def test_every_line_of_the_chart_has_the_same_width_in_cells(
    write_plan: Callable[..., Path], width: int
) -> None:
    path = write_plan(WIDE % NFD)
    console = Console(file=io.StringIO(), width=width, no_color=True, legacy_windows=False)
    console.print(GanttChart(analyse(path, now=None)))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    rows = [line for line in lines if "█" in line and "critical  " not in line]
    assert len(rows) == 4
    assert len({cell_len(line) for line in rows}) == 1, rows
    assert all(cell_len(line) <= width for line in lines)
    # Decomposed Vietnamese is shown composed, so it is not cut early.
    nfc = unicodedata.normalize("NFC", NFD)
    assert nfc[:20] in rows[2]


def test_names_use_the_width_there_is(cli: Cli) -> None:
    output = cli("gantt", FLAGSHIP, "--width", "200").output
    assert "Ủy ban nhân dân tỉnh issues the provincial cutover plan" in output


def test_a_month_that_begins_inside_the_chart_is_named(cli: Cli) -> None:
    erp = str(ROOT / "examples" / "erp-go-live.yaml")
    for width in (80, 100, 120, 160):
        for scale in ("auto", "week", "day"):
            output = cli("gantt", erp, "--width", str(width), "--scale", scale).output
            lines = output.splitlines()
            first_row = next(i for i, line in enumerate(lines) if "Design and config" in line)
            header = lines[first_row - 2]
            assert "Aug" in header, (width, scale)
            assert "Sep" in header, (width, scale)


def test_the_critical_path_survives_no_color(cli: Cli) -> None:
    output = cli("gantt", FLAGSHIP, *AS_OF, "--width", "100").output
    rows = output.splitlines()
    prep = next(line for line in rows if "Plans and preparation" in line)
    assert "═" in prep  # a critical summary has a glyph of its own
    new_model = next(line for line in rows if "Two-tier local government" in line)
    assert "◈" in new_model  # so has a critical milestone
    assert new_model[2] == "*"


def test_filters_keep_the_summaries_above(cli: Cli) -> None:
    output = cli("gantt", FLAGSHIP, *AS_OF, "--filter", "lgsp-*", "--width", "100").output
    rows = [line for line in output.splitlines()[4:] if line.strip()]
    assert "LGSP integration platform" in rows[0]
    assert "Coordinate LGSP" in rows[1]
    assert "Move LGSP connections" in rows[2]
    assert rows[3] == "" or "█ critical" in rows[3]
    by_owner = cli("gantt", FLAGSHIP, *AS_OF, "--filter", "viettel", "--width", "100").output
    assert "Install meeting endpoints" in by_owner
    assert "Standardise the catalogue" not in by_owner
    top = cli("gantt", FLAGSHIP, *AS_OF, "--depth", "1", "--width", "100").output
    assert "Plans and preparation" in top
    assert "Accounts and digital" not in top
    urgent = cli("gantt", FLAGSHIP, *AS_OF, "--critical", "--width", "100").output
    assert "Accounts and digital" in urgent
    assert "Standardise the catalogue" not in urgent  # done, neither critical nor at risk


def test_the_chart_follows_the_risk_threshold(cli: Cli) -> None:
    loose = cli("gantt", FLAGSHIP, *AS_OF, "--width", "120").output
    tight = cli("gantt", FLAGSHIP, *AS_OF, "--width", "120", "--risk-threshold", "1h").output
    row = "Configure units, workflows"
    assert next(line for line in loose.splitlines() if row in line)[1] == "~"
    assert next(line for line in tight.splitlines() if row in line)[1] == " "
    assert GanttOptions().depth is None


@pytest.mark.parametrize(
    "command",
    [
        ("schedule", FLAGSHIP, *AS_OF),
        ("status", FLAGSHIP, *AS_OF),
        ("rollup", str(ROOT / "plans"), *AS_OF),
        ("risk", FLAGSHIP, *AS_OF, "--runs", "200"),
        ("whatif", FLAGSHIP, *AS_OF, "--delay", "lgsp-sync=1d"),
        ("check", FLAGSHIP, *AS_OF),
    ],
    ids=["schedule", "status", "rollup", "risk", "whatif", "check"],
)
def test_reports_are_readable_at_80_columns(cli: Cli, command: tuple[str, ...]) -> None:
    output = cli(*command, env={"COLUMNS": "80"}).output
    lines = output.splitlines()
    assert all(cell_len(line.rstrip()) <= 80 for line in lines), [
        line for line in lines if cell_len(line.rstrip()) > 80
    ]
    # Nothing is cut (cells wrap instead); only a long chain of drivers starts with "… →".
    assert "…" not in output.replace("driven by … →", "")
    assert "least sla " not in output
    # No date or number is split over two lines: a line never ends inside "Fri 27 Jun 2025".
    for line in lines:
        assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}$", line.rstrip()), line


def test_findings_name_the_task(cli: Cli) -> None:
    output = cli("check", FLAGSHIP, *AS_OF, env={"COLUMNS": "120"}).output
    assert "accounts — Accounts and digital signatures for the new commune officials" in output


def test_a_long_chart_can_repeat_its_axis(tmp_path: Path) -> None:
    """What the pager shows: the axis again on every screenful of rows."""
    from generate import write_plan  # noqa: PLC0415

    path = tmp_path / "p300.yaml"
    with path.open("w") as out:
        write_plan(out, 300)
    console = Console(file=io.StringIO(), width=120, no_color=True, legacy_windows=False)
    console.print(GanttChart(analyse(path, now=None), GanttOptions(repeat_axis=40)))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    axis = lines[2]
    assert sum(line == axis for line in lines) == len(range(0, 312, 40))
