"""CSV, Mermaid, Markdown and SVG exports: golden files, escaping and Mermaid's syntax.

Regenerate the golden files after an intended change with
``pytest tests/test_export_text.py --update-goldens`` (or ``UPDATE_GOLDENS=1``) and review
the diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutover.common.csvrows import csv_text
from cutover.common.errors import UsageError
from cutover.export import ExportOptions, export
from cutover.export.to_markdown import md_text
from cutover.export.to_mermaid import mermaid_text
from cutover.findings.pipeline import Analysis, analyse
from cutover.render.tables import schedule_csv

GOLDEN = Path(__file__).parent / "golden" / "export"
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))
#: Each golden plan with its status date.
PLANS = {
    "tuyenquang": datetime(2025, 6, 26, 9, 0),
    "edge-cases": datetime(2025, 6, 18, 9, 0),
}
SUFFIX = {"csv": "csv", "mermaid": "mmd", "md": "md"}


def _analysis(plan: str) -> Analysis:
    return analyse(GOLDEN / f"{plan}.yaml", now=None, as_of=PLANS[plan])


@pytest.fixture(scope="module")
def flagship() -> Analysis:
    return _analysis("tuyenquang")


@pytest.fixture(scope="module")
def edge() -> Analysis:
    return _analysis("edge-cases")


@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(plan: str, fmt: str, update_goldens: bool) -> None:
    path = GOLDEN / f"{plan}.{SUFFIX[fmt]}"
    actual = export(_analysis(plan), fmt, OPTIONS)
    if update_goldens:
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path}: run pytest --update-goldens and review it"
    assert actual.decode() == path.read_bytes().decode(), (
        f"{path} differs; rerun with --update-goldens"
    )


# -- CSV -----------------------------------------------------------------------------------


def test_csv_is_the_same_as_schedule_format_csv(flagship: Analysis) -> None:
    assert export(flagship, "csv", OPTIONS).decode() == schedule_csv(flagship)


def test_csv_has_no_bom_unless_asked_for_excel(flagship: Analysis) -> None:
    plain = export(flagship, "csv", OPTIONS)
    excel = export(
        flagship, "csv", ExportOptions(generated_at=OPTIONS.generated_at, excel_bom=True)
    )
    assert plain.startswith(b"id,name,")
    assert excel.startswith(b"\xef\xbb\xbfid,name,")
    rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig"))))
    assert rows[1]["name"] == "Ủy ban nhân dân tỉnh issues the provincial cutover plan"
    # Dates Excel reads as dates: local time without the offset it would keep as text.
    assert rows[1]["start"] == "2025-06-17 07:00:00"
    assert rows[1]["deadline"] == "2025-06-19 23:59:59"
    plain_rows = list(csv.DictReader(io.StringIO(plain.decode())))
    assert plain_rows[1]["start"] == "2025-06-17T07:00:00+07:00"


def test_csv_takes_the_delimiter_of_the_region(flagship: Analysis) -> None:
    options = ExportOptions(generated_at=OPTIONS.generated_at, delimiter=";")
    text = export(flagship, "csv", options).decode()
    assert text.startswith("id;name;parent;")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[4]["id"] == "accounts"
    assert rows[4]["states"] == "in-progress late critical"
    with pytest.raises(UsageError, match="delimiter"):
        ExportOptions(generated_at=OPTIONS.generated_at, delimiter=":")


def test_mermaid_marks_deadlines_and_the_status_date(flagship: Analysis) -> None:
    text = export(flagship, "mermaid", OPTIONS).decode()
    assert "    Status date :vert, v_status_date, 2025-06-26 09:00, 0d\n" in text
    assert "    Deadline go-live :vert, " in text
    assert "    Deadline accounts :vert, v_deadline_4, 2025-06-26 23:59, 0d\n" in text
    assert "    section System coordination finished\n" in text  # one top-level task, by name


def test_csv_quotes_commas_and_quotes(edge: Analysis) -> None:
    rows = list(csv.DictReader(io.StringIO(export(edge, "csv", OPTIONS).decode())))
    by_id = {row["id"]: row for row in rows}
    assert by_id["design"]["owner"] == "A | B <team> & co"
    assert by_id["2nd.review"]["name"] == "<script>alert(1)</script>"


FORMULAS = {
    "eq": '=HYPERLINK("https://example.invalid","x")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1,1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    tasks = "".join(
        f"  - {{id: {key}, name: {json.dumps(text)}, owner: {json.dumps(text)}, duration: 1d}}\n"
        for key, text in FORMULAS.items()
    )
    path = tmp_path_factory.mktemp("csv") / "formulas.yaml"
    path.write_text(f"plan: x\nstart: 2025-06-16\ntasks:\n{tasks}", encoding="utf-8")
    return analyse(path, now=None)


def test_csv_for_excel_makes_formulas_text(formulas: Analysis) -> None:
    """Was: a cell starting with =, +, -, @ went to Excel as it is, and ran as a formula."""
    options = ExportOptions(generated_at=OPTIONS.generated_at, excel_bom=True)
    text = export(formulas, "csv", options).decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    for key, formula in FORMULAS.items():
        assert rows[key]["name"] == "'" + formula
        assert rows[key]["owner"] == "'" + formula
    assert all(not row["total_slack_minutes"].startswith("'") for row in rows.values())


def test_plain_csv_keeps_the_text_as_written(formulas: Analysis) -> None:
    text = export(formulas, "csv", OPTIONS).decode()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert {key: rows[key]["name"] for key in FORMULAS} == FORMULAS
    assert text.count("\n") == len(FORMULAS) + 1  # was: the \r cell split its row


def test_a_carriage_return_in_a_name_does_not_split_a_row(formulas: Analysis) -> None:
    """Was: written unquoted, so every CSV reader ended the row at it."""
    for text in (export(formulas, "csv", OPTIONS).decode(), schedule_csv(formulas)):
        lines = text.split("\n")
        assert '"\r=1+1"' in text
        assert len([line for line in lines if line]) == len(FORMULAS) + 1


def test_csv_for_excel_with_a_delimiter_keeps_every_guard(formulas: Analysis) -> None:
    """Both sides of a merge at once: ';', Excel dates, states, formulas quoted, \r quoted."""
    options = ExportOptions(generated_at=OPTIONS.generated_at, excel_bom=True, delimiter=";")
    text = export(formulas, "csv", options).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    rows = {row["id"]: row for row in reader}
    assert reader.fieldnames is not None
    assert reader.fieldnames[-1] == "states"
    for key, formula in FORMULAS.items():
        assert rows[key]["name"] == "'" + formula
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[key]["start"])
    assert len([line for line in text.split("\n") if line]) == len(FORMULAS) + 1


def test_csv_text_takes_a_delimiter() -> None:
    assert csv_text([["a;b", "c\rd", 1]], ";") == '"a;b";"c\rd";1\n'


def test_csv_rows_quote_a_carriage_return_and_nothing_else_changes() -> None:
    assert csv_text([["a\rb", 1, "c,d"], ["e", -2, ""]]) == '"a\rb",1,"c,d"\ne,-2,\n'


# -- Mermaid -------------------------------------------------------------------------------


def _task_lines(text: str) -> dict[str, str]:
    """Task id -> the data after the colon, for each task line."""
    out = {}
    for line in text.splitlines()[1:]:
        if " :" in line:
            data = line.split(" :", 1)[1].split(", ")
            ids = [
                item
                for item in data
                if re.fullmatch(r"[A-Za-z][\w-]*", item)
                and item not in {"done", "crit", "active", "milestone"}
            ]
            out[ids[0]] = ", ".join(data)
    return out


def test_mermaid_marks_done_active_critical_and_milestones(flagship: Analysis) -> None:
    lines = _task_lines(export(flagship, "mermaid", OPTIONS).decode())
    assert lines["province-plan"] == "done, province-plan, 2025-06-17 07:00, 2025-06-18 17:00"
    assert lines["accounts"].startswith("active, crit, accounts, ")
    assert lines["new-model"] == "milestone, crit, new-model, 2025-07-01 00:00, 0d"
    assert lines["plan-issued"] == "milestone, done, plan-issued, after commune-plans, 0d"


def test_mermaid_uses_after_only_where_the_link_sets_the_start(flagship: Analysis) -> None:
    lines = _task_lines(export(flagship, "mermaid", OPTIONS).decode())
    # meet-test starts when meet-endpoints ends: the link is shown, the date is the same.
    assert lines["meet-test"] == "meet-test, after meet-endpoints, 2025-06-27 14:00"
    # lgsp-migrate waits for not_before and an SS link: Mermaid gets its computed start.
    assert lines["lgsp-migrate"] == "lgsp-migrate, 2025-06-28 02:00, 2025-06-28 18:00"


def test_mermaid_ids_and_names_survive_mermaids_syntax(edge: Analysis) -> None:
    text = export(edge, "mermaid", OPTIONS).decode()
    assert "    Design#58; phase #35;1#59; draft :done, design, " in text
    assert ":active, crit, t_done, 2025-06-17 08:00, " in text  # 'done' is a tag, not an id
    assert ":t_2nd_review, " in text  # Mermaid ids cannot start with a digit or hold a dot
    assert "    A cancelled task (cancelled) :done, dropped, " in text  # shown, not dropped
    assert "    section Phase / Nested\n" in text
    assert "    #37;#37; not a comment :" in text  # a line starting with % is a comment
    assert "    #83;ection review#58; go/no-go :milestone, " in text  # not a new section
    for line in filter(lambda line: " :" in line, text.splitlines()):
        name, _, _ = line.partition(" :")
        assert ":" not in name
        assert ";" not in re.sub(r"#\d+;", "", name)


@pytest.mark.slow
@given(st.text())
def test_mermaid_text_is_one_line_without_separators(value: str) -> None:
    cleaned = mermaid_text(value)
    assert cleaned
    assert not set(re.sub(r"#\d+;", "", cleaned)) & set(":#;%\n\r")
    assert len(cleaned.splitlines()) == 1


# -- Markdown ------------------------------------------------------------------------------


def test_markdown_table_escapes_markup_and_pipes(edge: Analysis) -> None:
    text = export(edge, "md", OPTIONS).decode()
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "<script>" not in text.split("```")[2]  # outside the Mermaid block
    assert "A \\| B \\<team\\> \\& co" in text
    table = [line for line in text.splitlines() if line.startswith("| `")]
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 9 for line in table)


@given(st.text())
def test_md_text_stays_in_its_cell(value: str) -> None:
    cleaned = md_text(value)
    assert "\n" not in cleaned
    assert not re.search(r"(?<!\\)[|<>`]", cleaned.replace("\\\\", ""))


# -- SVG -----------------------------------------------------------------------------------


def test_svg_is_well_formed_and_escaped(edge: Analysis) -> None:
    data = export(edge, "svg", OPTIONS)
    root = ET.fromstring(data)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>alert(1)</script>" in texts
    assert b"<script" not in data


def test_svg_of_the_flagship_holds_vietnamese(flagship: Analysis) -> None:
    data = export(flagship, "svg", OPTIONS).decode()
    assert "Ủy ban nhân dân tỉnh issues the provincial cutover plan" in data
    assert 'stroke-dasharray="4 3"' in data  # the status date


def test_svg_marks_differ_by_shape_as_well_as_colour(flagship: Analysis) -> None:
    svg = export(flagship, "svg", OPTIONS).decode()
    assert '<pattern id="hatch"' in svg
    accounts = svg[svg.index('data-task="accounts"') :]
    accounts = accounts[: accounts.index("</g>")]
    assert 'fill="url(#hatch)"' in accounts  # critical work is hatched, not only red
    assert 'fill="#ffffff" stroke="#1f77b4"' in svg  # other work is outlined
    # Nights are not shaded at this scale: whole days off only, no barcode.
    assert svg.count('fill="#ececec"') < 60
