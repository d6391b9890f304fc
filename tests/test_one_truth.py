"""Every view tells the same truth: the tasks marked late, at risk and critical are the same.

``check`` decides which tasks are late and at risk (with its ``--risk-threshold``), the
schedule which are critical; every other view — the terminal chart, the tables, status,
roll-up, risk, what-if and each export — is parsed here and must mark exactly those
tasks. The plans: the flagship at its status date, the examples, Gia Lai (far behind)
and a generated plan of 300 tasks.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from cutover.export import ExportOptions, export
from cutover.export.view import build_view
from cutover.findings.pipeline import analyse
from cutover.findings.states import State, states_of, task_states
from cutover.worktime.durations import parse_duration
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import write_plan

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from cutover.findings.pipeline import Analysis
    from tests.conftest import Cli

#: A mark, and the tasks that carry it.
Marks = dict[str, set[str]]
KINDS = ("late", "at risk", "critical")
AS_OF = "2025-06-26T09:00"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 17, 0))  # plan time


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("one-truth") / "p300.yaml"
    with path.open("w") as out:
        write_plan(out, 300)
    return path


def _plans(generated: Path) -> list[tuple[Path, tuple[str, ...]]]:
    return [
        (ROOT / "plans" / "tuyenquang.yaml", ("--as-of", AS_OF)),
        (ROOT / "plans" / "gialai.yaml", ("--as-of", AS_OF)),
        (ROOT / "examples" / "datacentre-easter.yaml", ("--as-of", "2026-04-03T12:00")),
        (ROOT / "examples" / "erp-go-live.yaml", ()),
        (generated, ()),
        # A tighter threshold: every view must follow check's, not a rule of its own.
        (ROOT / "plans" / "tuyenquang.yaml", ("--as-of", AS_OF, "--risk-threshold", "4h")),
    ]


#: check's codes that make a task late or at risk; a gate's own findings are states too.
LATE_CODES = {"late", "missed-deadline", "undecided-gate", "rollback-impossible", "rollback-late"}
AT_RISK_CODES = {"at-risk", "rollback-at-risk"}

PLAN_IDS = ["flagship", "gialai", "datacentre", "erp", "generated-300", "flagship-4h"]


def _empty() -> Marks:
    return {kind: set() for kind in KINDS}


def _from_words(marks: Marks, task: str, words: str) -> None:
    """``in progress 60% · late · critical`` → the marks it says."""
    parts = {part.strip() for part in words.split("·")}
    if parts & {"late", "deadline missed"}:
        marks["late"].add(task)
    if "at risk" in parts:
        marks["at risk"].add(task)
    if "critical" in parts:
        marks["critical"].add(task)


def _from_states(marks: Marks, task: str, states: Iterable[str]) -> None:
    held = set(states)
    if held & {"late", "missed-deadline"}:
        marks["late"].add(task)
    if "at-risk" in held:
        marks["at risk"].add(task)
    if "critical" in held:
        marks["critical"].add(task)


def _truth(
    cli: Cli, plan: Path, args: tuple[str, ...]
) -> tuple[Marks, dict[str, dict[str, object]]]:
    """What check reports (late, at risk) and the schedule says (critical), and every task."""
    report = json.loads(cli("check", str(plan), *args, "--format", "json").output)
    marks = _empty()
    for finding in report["plans"][0]["findings"]:
        if finding["code"] in LATE_CODES:
            marks["late"].add(finding["task"])
        elif finding["code"] in AT_RISK_CODES:
            marks["at risk"].add(finding["task"])
    document = json.loads(cli("schedule", str(plan), *args, "-f", "json").output)
    tasks = {task["id"]: task for task in document["tasks"]}
    marks["critical"] = {
        task["id"]
        for task in document["tasks"]
        if task["critical"] and task["status"] not in {"done", "cancelled"}
    }
    return marks, tasks


def _only(marks: Marks, tasks: Iterable[str]) -> Marks:
    keep = set(tasks)
    return {kind: found & keep for kind, found in marks.items()}


# -- parsers, one per view ------------------------------------------------------------------


def _schedule_json(cli: Cli, plan: Path, args: tuple[str, ...]) -> Marks:
    marks = _empty()
    for task in json.loads(cli("schedule", str(plan), *args, "-f", "json").output)["tasks"]:
        _from_states(marks, task["id"], task["states"])
    return marks


def _csv(text: str) -> Marks:
    marks = _empty()
    for record in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        _from_states(marks, record["id"], record["states"].split())
    return marks


def _schedule_table(cli: Cli, plan: Path, args: tuple[str, ...], order: list[str]) -> Marks:
    """The table at 250 columns: one line per task, the id first, the status column last."""
    output = cli("schedule", str(plan), *args, env={"COLUMNS": "250"}).output
    lines = output.splitlines()
    header = next(index for index, line in enumerate(lines) if line.lstrip().startswith("task "))
    status_at = lines[header].index(" status") + 1
    marks = _empty()
    rows = [line for line in lines[header + 2 :] if line.strip()][: len(order)]
    for task, line in zip(order, rows, strict=True):
        assert line.split()[0] == task, line
        _from_words(marks, task, line[status_at:])
    return marks


def _gantt(cli: Cli, plan: Path, args: tuple[str, ...], order: list[str]) -> Marks:
    """The chart without colour: three marks before each name (progress, deadline, critical)."""
    output = cli("gantt", str(plan), *args, "--width", "250").output
    lines = output.splitlines()[4 : 4 + len(order)]
    marks = _empty()
    for task, line in zip(order, lines, strict=True):
        if line[1] == "!":
            marks["late"].add(task)
        if line[1] == "~":
            marks["at risk"].add(task)
        if line[2] == "*":
            marks["critical"].add(task)
    return marks


class _Tagged(HTMLParser):
    """Every element with ``data-task`` and ``data-states``, by tag name."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, list[str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("data-task") is not None:
            task = values["data-task"] or ""
            self.found.setdefault(tag, {})[task] = (values.get("data-states") or "").split()


def _tagged(text: str) -> dict[str, Marks]:
    parser = _Tagged()
    parser.feed(text)
    out = {}
    for tag, tasks in parser.found.items():
        marks = _empty()
        for task, states in tasks.items():
            _from_states(marks, task, states)
        out[tag] = marks
    return out


def _markdown(text: str) -> Marks:
    marks = _empty()
    for line in text.splitlines():
        found = re.match(r"\| `([^`]+)` \|", line)
        if found:
            status = line.rstrip(" |").rsplit(" | ", 1)[1].strip("*")
            _from_words(marks, found.group(1), status)
    return marks


def _mermaid(text: str, names: dict[str, str]) -> Marks:
    """Leaves only (summaries are sections): ``crit``, and the states said after the name."""
    marks = _empty()
    by_name = {name: task for task, name in names.items()}
    for line in text.splitlines():
        if " :" not in line or line.strip().startswith(("title", "section")):
            continue
        label, _, data = line.strip().partition(" :")
        said = re.search(r" \(([^()]*)\)$", label)
        words = said.group(1).split(", ") if said else []
        name = label[: said.start()] if said else label
        task = by_name.get(name.replace("#58;", ":").replace("#35;", "#").replace("#59;", ";"))
        if task is None:
            continue
        if {"late", "deadline missed"} & set(words):
            marks["late"].add(task)
        if "at risk" in words:
            marks["at risk"].add(task)
        if "crit" in data.split(", "):
            marks["critical"].add(task)
    return marks


def _ics(text: str) -> Marks:
    """Each event's description: ``Task ID: name`` and ``Status: words``."""
    marks = _empty()
    unfolded = text.replace("\r\n ", "").replace("\r\n", "\n")
    for description in re.findall(r"^DESCRIPTION:(.*)$", unfolded, flags=re.MULTILINE):
        fields = description.replace("\\,", ",").replace("\\;", ";").split("\\n")
        task = next((f[5:].split(":", 1)[0] for f in fields if f.startswith("Task ")), None)
        status = next((f[8:] for f in fields if f.startswith("Status: ")), None)
        if task is not None and status is not None:
            _from_words(marks, task, status)
    return marks


# -- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(6), ids=PLAN_IDS)
def test_every_view_marks_the_same_tasks(cli: Cli, generated: Path, index: int) -> None:
    plan, args = _plans(generated)[index]
    truth, tasks = _truth(cli, plan, args)
    order = list(tasks)
    assert truth["critical"], "every plan has a critical path"
    views: dict[str, tuple[Marks, Iterable[str]]] = {
        "schedule json": (_schedule_json(cli, plan, args), order),
        "schedule csv": (_csv(cli("schedule", str(plan), *args, "-f", "csv").output), order),
        "schedule table": (_schedule_table(cli, plan, args, order), order),
        "gantt": (_gantt(cli, plan, args, order), order),
    }
    as_of = args[args.index("--as-of") + 1] if "--as-of" in args else None
    threshold = args[args.index("--risk-threshold") + 1] if "--risk-threshold" in args else "1d"
    analysis = analyse(
        plan,
        now=None,
        as_of=None if as_of is None else datetime.fromisoformat(as_of),
        risk_threshold=parse_duration(threshold),
    )
    views.update(_export_views(analysis, tasks))
    for name, (marks, shown) in views.items():
        assert marks == _only(truth, shown), name
    assert {"html <tr>", "svg <g>"} <= set(views)


def _export_views(
    analysis: Analysis, tasks: dict[str, dict[str, object]]
) -> dict[str, tuple[Marks, Iterable[str]]]:
    """Each export, parsed, with the tasks it shows."""
    order = list(tasks)
    leaves = [task for task, row in tasks.items() if not row["summary"]]
    text = {fmt: export(analysis, fmt, OPTIONS).decode() for fmt in EXPORTS}
    json_marks = _empty()
    for task in json.loads(text["json"])["tasks"]:
        _from_states(json_marks, task["id"], task["states"])
    names = {task: str(row["name"]) for task, row in tasks.items() if task in leaves}
    views: dict[str, tuple[Marks, Iterable[str]]] = {
        "export csv": (_csv(text["csv"]), order),
        "export json": (json_marks, order),
        "markdown": (_markdown(text["md"]), order),
        "mermaid": (_mermaid(text["mermaid"], names), leaves),
        "ics": (_ics(text["ics"]), _ics_tasks(text["ics"])),
    }
    for fmt in ("html", "svg"):
        for tag, marks in _tagged(text[fmt]).items():
            views[f"{fmt} <{tag}>"] = (marks, order)
    # The PDF draws its table and chart from this view model.
    pdf = _empty()
    for item in build_view(analysis, OPTIONS).table:
        _from_words(pdf, item.row.id, item.status)
    views["pdf table"] = (pdf, order)
    return views


EXPORTS = ("csv", "html", "svg", "md", "mermaid", "ics", "json")


def _ics_tasks(text: str) -> list[str]:
    unfolded = text.replace("\r\n ", "")
    return re.findall(r"\\nTask ([^:]+):", unfolded)


@pytest.mark.parametrize("index", [0, 1, 4], ids=["flagship", "gialai", "generated-300"])
def test_status_rollup_risk_and_whatif_agree_with_check(
    cli: Cli, generated: Path, index: int
) -> None:
    plan, args = _plans(generated)[index]
    truth, tasks = _truth(cli, plan, args)
    leaves = {task for task, row in tasks.items() if not row["summary"]}
    analysis = analyse(plan, now=None, as_of=datetime.fromisoformat(AS_OF) if args else None)
    states = task_states(analysis)
    late_starts = {task for task, held in states.items() if State.LATE_START in held}
    open_leaves = {task for task in leaves if tasks[task]["status"] not in {"done", "cancelled"}}
    (status,) = json.loads(cli("status", str(plan), *args, "-f", "json").output)["plans"]
    delayed = {task for task, state in status["tasks"].items() if state == "delayed"}
    assert delayed == (truth["late"] | late_starts) & open_leaves
    at_risk = truth["at risk"] & open_leaves - delayed
    assert status["counts"]["at_risk"] == len(at_risk)
    assert status["counts"]["delayed"] == len(delayed)
    assert status["counts"]["total"] == sum(s["counts"]["total"] for s in status["systems"])
    (rolled,) = json.loads(cli("rollup", str(plan), *args, "-f", "json").output)["plans"]
    assert rolled["counts"] == status["counts"]
    risk = json.loads(cli("risk", str(plan), *args, "--runs", "20", "-f", "json").output)
    marks = _empty()
    for deadline in risk["deadlines"]:
        _from_states(marks, deadline["task"], deadline["states"])
    assert marks == _only(truth, [d["task"] for d in risk["deadlines"]])
    some = min(open_leaves)
    what = json.loads(cli("whatif", str(plan), *args, "--delay", f"{some}=0m", "-f", "json").output)
    marks = _empty()
    for task in what["schedule"]["tasks"]:
        _from_states(marks, task["id"], task["states"])
    assert marks == truth


@pytest.mark.parametrize(
    ("as_of", "code", "state"),
    [
        (AS_OF, "rollback-at-risk", State.AT_RISK),
        ("2025-06-29T20:00", "rollback-impossible", State.LATE),
    ],
)
def test_a_gate_finding_is_a_state_of_the_gate(as_of: str, code: str, state: State) -> None:
    """Was: check reported the gate, and every view showed it as on track.

    The flagship's gate is also its go-live, with a deadline of its own: only the gate's
    finding is kept here, so the state can come from nothing else.
    """
    analysis = analyse(
        ROOT / "plans" / "tuyenquang.yaml", now=None, as_of=datetime.fromisoformat(as_of)
    )
    found = [finding for finding in analysis.findings if finding.code == code]
    assert found
    states = states_of(analysis.schedule, found)
    assert all(state in states[finding.task] for finding in found)
    assert state not in states_of(analysis.schedule, [])[found[0].task]
