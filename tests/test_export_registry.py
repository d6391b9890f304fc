"""The export entry points: formats, extensions, options, atomic writes and lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cutover.common.errors import UsageError
from cutover.engine.rows import schedule_document
from cutover.export import (
    EXPORTERS,
    EXTENSIONS,
    ExportOptions,
    export,
    format_for_path,
    write_export,
)
from cutover.findings.pipeline import Analysis, analyse
from cutover.findings.states import ordered, task_states

GOLDEN = Path(__file__).parent / "golden" / "export"
AS_OF = datetime(2025, 6, 26, 9, 0)
OPTIONS = ExportOptions(generated_at=datetime(2025, 6, 26, 10, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(GOLDEN / "tuyenquang.yaml", now=None, as_of=AS_OF)


def test_every_format_named_in_the_issue_is_registered() -> None:
    assert set(EXPORTERS) == {
        "pdf",
        "html",
        "svg",
        "csv",
        "ics",
        "mermaid",
        "md",
        "json",
        "mspdi",  # issue 16: the interchange formats
        "tjp",
        "xer",
    }
    assert set(EXTENSIONS.values()) == set(EXPORTERS)


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.pdf", "pdf"),
        ("out.html", "html"),
        ("OUT.HTM", "html"),
        ("chart.svg", "svg"),
        ("table.csv", "csv"),
        ("dates.ics", "ics"),
        ("chart.mmd", "mermaid"),
        ("chart.mermaid", "mermaid"),
        ("report.md", "md"),
        ("dir.v2/schedule.json", "json"),
        ("schedule", None),
        ("schedule.txt", None),
    ],
)
def test_format_for_path(path: str, fmt: str | None) -> None:
    assert format_for_path(path) == fmt


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_exports_bytes(analysis: Analysis, fmt: str) -> None:
    if fmt == "tjp":  # Tuyên Quang's forecast is off tj3's 5-minute grid: Gia Lai's is on it
        analysis = analyse(GOLDEN.parents[2] / "plans" / "gialai.yaml", now=None, as_of=AS_OF)
    data = export(analysis, fmt, OPTIONS)
    assert isinstance(data, bytes)
    assert len(data) > 100


def test_json_is_the_schedule_document(analysis: Analysis) -> None:
    data = export(analysis, "json", OPTIONS)
    states = {
        task: [s.value for s in ordered(held)] for task, held in task_states(analysis).items()
    }
    assert json.loads(data) == schedule_document(analysis.schedule, states=states)
    assert "Tuyên Quang".encode() in data  # readable UTF-8, not \u escapes


def test_unknown_format_is_a_usage_error(analysis: Analysis) -> None:
    with pytest.raises(UsageError, match=r"unknown export format 'docx'; choose one of pdf, html"):
        export(analysis, "docx", OPTIONS)


def test_unknown_paper_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown paper 'letter'; choose one of a4, a3"):
        ExportOptions(generated_at=datetime(2025, 6, 26, tzinfo=UTC), paper="letter")  # type: ignore[arg-type]


def test_write_export_takes_the_format_from_the_extension(
    analysis: Analysis, tmp_path: Path
) -> None:
    target = tmp_path / "schedule.ics"
    assert write_export(analysis, target, None, OPTIONS) == "ics"
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_write_export_without_a_format_or_extension_is_a_usage_error(
    analysis: Analysis, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match=r"cannot tell the format from 'schedule\.txt'"):
        write_export(analysis, tmp_path / "schedule.txt", None, OPTIONS)
    assert list(tmp_path.iterdir()) == []


def test_an_error_leaves_the_existing_file_byte_identical(
    analysis: Analysis, tmp_path: Path
) -> None:
    target = tmp_path / "schedule.pdf"
    target.write_bytes(b"the previous, complete export")
    with pytest.raises(UsageError):
        write_export(analysis, target, "docx", OPTIONS)
    assert target.read_bytes() == b"the previous, complete export"
    assert [path.name for path in tmp_path.iterdir()] == ["schedule.pdf"]


def test_an_exporter_that_fails_leaves_no_half_file(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> bytes:
        raise RuntimeError("half way")

    monkeypatch.setitem(EXPORTERS, "csv", broken)
    target = tmp_path / "schedule.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half way"):
        write_export(analysis, target, None, OPTIONS)
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["schedule.csv"]


def test_an_existing_file_is_replaced_by_the_complete_export(
    analysis: Analysis, tmp_path: Path
) -> None:
    target = tmp_path / "schedule.md"
    target.write_bytes(b"old")
    write_export(analysis, target, None, OPTIONS)
    assert target.read_bytes() == export(analysis, "md", OPTIONS)


def test_importing_the_exporters_loads_no_heavy_library() -> None:
    code = (
        "import sys, cutover, cutover.export\n"
        "heavy = [m for m in ('reportlab', 'icalendar', 'jinja2', 'pypdf') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_importing_cutover_does_not_load_the_exporters() -> None:
    code = "import sys, cutover\nprint('cutover.export' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
