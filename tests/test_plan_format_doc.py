"""docs/plan-format.md tells the truth: its keys, its worked example and its smaller rules.

The document's key tables, the pydantic model and the JSON Schema must list the same keys
(each by its YAML name), with the same defaults; the worked example must print what the
document shows; and every rule of "Smaller rules" is run with the example it gives.
"""

from __future__ import annotations

import json
import re
import types
import typing
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pydantic import BaseModel

from cutover.common.errors import PlanError
from cutover.engine.rows import schedule_document
from cutover.findings.pipeline import analyse
from cutover.planfile.model import CalendarSpec, Estimate, Gate, Link, Plan, Task
from cutover.planfile.schema import plan_schema
from tests.conftest import ROOT, WORKED

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from cutover.findings.pipeline import Analysis
    from tests.conftest import Cli

DOC = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
#: Each heading under "## Keys", the model it documents and its schema definition.
SECTIONS: dict[str, tuple[type[BaseModel], str | None]] = {
    "Top level": (Plan, None),
    "Calendars": (CalendarSpec, "CalendarSpec"),
    "Tasks": (Task, "Task"),
    "Links": (Link, "Link"),
    "Estimates": (Estimate, "Estimate"),
    "Gates": (Gate, "Gate"),
}


def section(text: str, heading: str) -> str:
    """The body of a ``## heading`` section, up to the next heading of that level."""
    match = re.search(
        rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL
    )
    assert match, f"docs/plan-format.md has no section '## {heading}'"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as stripped cells."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) >= 3, "no table with a header, a rule and a row"
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def key_tables(text: str) -> dict[str, dict[str, list[str]]]:
    """Under ``## Keys``, each ``### part``: its keys (first column, in backticks) and rows."""
    parts = re.split(r"^### (.+)\n", section(text, "Keys"), flags=re.MULTILINE)
    tables: dict[str, dict[str, list[str]]] = {}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        rows: dict[str, list[str]] = {}
        for cells in table_rows(body):
            key = re.fullmatch(r"`([a-z_]+)`", cells[0])
            assert key, f"'{cells[0]}' under '### {heading}' is not one key in backticks"
            assert key.group(1) not in rows, f"{key.group(1)} twice under '### {heading}'"
            rows[key.group(1)] = cells
        tables[heading] = rows
    return tables


def model_keys(model: type[BaseModel]) -> set[str]:
    """The keys a plan writes for a model: each field's alias, else its name."""
    return {field.alias or name for name, field in model.model_fields.items()}


def schema_part(definition: str | None) -> dict[str, Any]:
    """The schema of the plan itself or of one of its definitions."""
    schema = plan_schema()
    return schema if definition is None else schema["definitions"][definition]


def models_within(annotation: object) -> set[type[BaseModel]]:
    """Every pydantic model a field's annotation mentions, however deeply nested."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    found: set[type[BaseModel]] = set()
    for argument in typing.get_args(annotation):
        found |= models_within(argument)
    if isinstance(annotation, types.UnionType):
        for argument in annotation.__args__:
            found |= models_within(argument)
    return found


def test_the_doc_has_one_key_table_per_model_of_the_plan() -> None:
    assert set(key_tables(DOC)) == set(SECTIONS)
    reachable: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [Plan]
    while pending:
        model = pending.pop()
        reachable.add(model)
        for field in model.model_fields.values():
            pending.extend(models_within(field.annotation) - reachable)
    assert reachable == {model for model, _ in SECTIONS.values()}


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_the_doc_the_model_and_the_schema_list_the_same_keys(heading: str) -> None:
    model, definition = SECTIONS[heading]
    documented = set(key_tables(DOC)[heading])
    assert documented == model_keys(model), heading
    assert set(schema_part(definition)["properties"]) == model_keys(model), heading


def test_the_key_check_notices_a_key_missing_or_unknown() -> None:
    """The test of the test: a doc that drops ``lag`` and invents ``lagg`` fails it."""
    row = next(line for line in DOC.splitlines() if line.startswith("| `lag` |"))
    wrong = DOC.replace(row, row.replace("`lag`", "`lagg`"))
    assert set(key_tables(wrong)["Links"]) != model_keys(Link)
    assert set(key_tables(DOC.replace(row + "\n", ""))["Links"]) != model_keys(Link)


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_the_doc_gives_each_key_the_default_of_the_model_and_schema(heading: str) -> None:
    model, definition = SECTIONS[heading]
    properties = schema_part(definition)["properties"]
    rows = key_tables(DOC)[heading]
    for name, field in model.model_fields.items():
        key = field.alias or name
        default = rows[key][2]
        if field.is_required():
            assert default == "required", key
            continue
        expected = properties[key].get("default", field.get_default(call_default_factory=True))
        if expected is None:
            assert default == "none", key
            continue
        written = re.match(r"`([^`]+)`", default)
        assert written, f"{key}: the default should be a value in backticks, not '{default}'"
        assert yaml.safe_load(written.group(1)) == expected, key


def yaml_blocks(text: str) -> list[str]:
    """Every fenced YAML block of a text."""
    return re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def test_every_plan_the_doc_shows_is_valid(tmp_path: Path) -> None:
    plans = [block for block in yaml_blocks(DOC) if "tasks:" in block and "plan:" in block]
    assert len(plans) >= 2
    for number, block in enumerate(plans):
        path = tmp_path / f"plan{number}.yaml"
        path.write_text(block, encoding="utf-8")
        analyse(path, now=None, as_of=None)  # raises PlanError for an invalid plan


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    """The worked example of the doc, written to a file."""
    (block,) = yaml_blocks(section(DOC, "A worked example"))
    path = tmp_path / "worked.yaml"
    path.write_text(block, encoding="utf-8")
    return path


def test_the_worked_example_is_the_one_the_tests_share(worked: Path) -> None:
    assert yaml.safe_load(worked.read_text()) == yaml.safe_load(WORKED)


def test_the_worked_example_prints_the_table_the_doc_shows(cli: Cli, worked: Path) -> None:
    text = section(DOC, "A worked example")
    assert "`cutover schedule worked.yaml --as-of 2025-06-16` in a terminal 120" in text
    shown = re.search(r"^```text\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert shown
    result = cli("schedule", str(worked), "--as-of", "2025-06-16", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    printed = [line.rstrip() for line in result.output.strip("\n").splitlines()]
    assert printed == shown.group(1).strip("\n").splitlines()


def test_the_worked_example_has_the_minutes_the_doc_shows(cli: Cli, worked: Path) -> None:
    rows = table_rows(section(DOC, "A worked example"))
    result = cli("schedule", str(worked), "--as-of", "2025-06-16", "--format", "json")
    tasks = {task["id"]: task for task in json.loads(result.output)["tasks"]}
    header = [
        "start", "finish", "total_slack_minutes", "free_slack_minutes",
        "deadline_slack_minutes", "critical",
    ]  # fmt: skip
    assert [row[0] for row in rows] == list(tasks)
    for task_id, *cells in rows:
        got = [json.dumps(tasks[task_id][key]).strip('"') for key in header]
        assert got == cells, task_id


def test_the_worked_example_checks_as_the_doc_says(cli: Cli, worked: Path) -> None:
    def findings(*options: str) -> list[tuple[str, str]]:
        result = cli("check", str(worked), "--as-of", "2025-06-16", "-f", "json", *options)
        assert result.exit_code == 0
        (plan,) = json.loads(result.output)["plans"]
        return [(finding["code"], finding["task"]) for finding in plan["findings"]]

    assert findings() == []
    assert findings("--risk-threshold", "2d") == [("at-risk", "ship")]


def rows_of(analysis: Analysis) -> dict[str, dict[str, Any]]:
    """The tasks of ``schedule --format json``, by id."""
    return {row["id"]: row for row in schedule_document(analysis.schedule)["tasks"]}


# -- "Smaller rules": each with the example the doc gives --------------------------------


def test_the_smaller_rules_are_the_ones_tested_here() -> None:
    body = section(DOC, "Smaller rules")
    rules = re.findall(r"^- \*\*(.+?)\*\*", body, re.MULTILINE | re.DOTALL)
    assert len(rules) == 5
    assert "`tests/test_plan_format_doc.py` holds each" in body


def test_an_ff_bound_is_counted_in_the_successors_working_time(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis("""
        plan: FF across calendars
        start: 2025-06-20
        calendars:
          round-the-clock: {workdays: all, hours: ["00:00-24:00"]}
        tasks:
          - {id: weekend, duration: 28h, calendar: round-the-clock, not_before: 2025-06-20T08:00}
          - {id: office, duration: 4h, after: [{task: weekend, type: FF}]}
    """)
    rows = rows_of(analysis)
    assert rows["weekend"]["finish"] == "2025-06-21T12:00:00+00:00"  # Sat 12:00
    assert rows["office"]["finish"] == "2025-06-20T17:00:00+00:00"  # Fri 17:00


def test_an_ss_link_from_a_summary_binds_the_sub_tasks_that_start_with_it(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis(
        """
        plan: SS from a summary
        start: 2025-06-16
        tasks:
          - id: s
            tasks:
              - {id: a, duration: 1d}
              - {id: b, duration: 1d, not_before: 2025-06-17}
          - {id: x, duration: 1d, after: [{task: s, type: SS}], deadline: 2025-06-16}
        """,
        as_of=None,
    )
    rows = rows_of(analysis)
    assert rows["a"]["deadline_slack_minutes"] == 0
    assert rows["b"]["deadline_slack_minutes"] is None


def test_a_done_task_without_actual_start_started_its_duration_before_its_finish(
    plan_analysis: Callable[..., Analysis],
) -> None:
    analysis = plan_analysis("""
        plan: Done early
        start: 2025-06-16
        tasks:
          - {id: a, duration: 2d, status: done, actual_finish: 2025-06-19T12:00}
    """)
    (row,) = rows_of(analysis).values()
    assert row["start"] == "2025-06-17T13:00:00+00:00"  # 16 working hours before Thu 12:00


@pytest.mark.parametrize("link_type", ["FF", "SF", "ff"])
def test_ff_and_sf_are_refused_in_a_summarys_after(
    plan_analysis: Callable[..., Analysis], link_type: str
) -> None:
    text = f"""
        plan: Summary link
        start: 2025-06-16
        tasks:
          - {{id: a, duration: 1d}}
          - id: s
            after: [{{task: a, type: {link_type}}}]
            tasks:
              - {{id: b, duration: 1d}}
    """
    with pytest.raises(PlanError) as raised:
        plan_analysis(text)
    assert [diagnostic.code for diagnostic in raised.value.diagnostics] == ["summary-link"]


def test_progress_is_rounded_half_to_even(
    plan_analysis: Callable[..., Analysis], cli: Cli, write_plan: Callable[..., Path]
) -> None:
    text = """
        plan: Rounding
        start: 2025-06-16
        tasks:
          - {id: five, duration: 5m, status: in_progress, progress: 50%}
          - {id: seven, duration: 7m, status: in_progress, progress: 50%}
          - {id: third, duration: 1d, status: in_progress, progress: 33.3%}
          - {id: eighth, duration: 1d, status: in_progress, progress: 12.5%}
    """
    analysis = plan_analysis(text, as_of=datetime(2025, 6, 16, 8, 0))
    rows = rows_of(analysis)
    assert rows["five"]["finish"] == "2025-06-16T08:02:00+00:00"
    assert rows["seven"]["finish"] == "2025-06-16T08:04:00+00:00"
    assert rows["third"]["progress"] == pytest.approx(0.333)
    csv = cli("schedule", str(write_plan(text)), "--as-of", "2025-06-16T08:00", "-f", "csv")
    shares = {line.split(",")[0]: line.split(",")[15] for line in csv.output.splitlines()[1:]}
    assert shares == {"five": "50%", "seven": "50%", "third": "33%", "eighth": "12%"}
