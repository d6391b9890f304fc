"""One fixture per diagnostic code, each carrying its expected ``line:col code text``.

Checked both ways: every expected diagnostic is reported, and nothing else is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cutover.common.errors import PlanError
from cutover.engine.graph import build_graph
from cutover.planfile.loader import load_plan

FIXTURES = sorted((Path(__file__).parent / "plans" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# EXPECT: (\d+):(\d+) (\S+)(?: (.*))?$", re.MULTILINE)


def diagnostics(path: Path) -> list[tuple[int, int, str, str]]:
    try:
        build_graph(load_plan(path))
    except PlanError as error:
        return [(d.location.line, d.location.column, d.code, d.message) for d in error.diagnostics]
    pytest.fail(f"{path.name} is valid")


@pytest.mark.parametrize("path", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_each_diagnostic_is_located_and_explained(path: Path) -> None:
    expected = [(int(m[1]), int(m[2]), m[3], m[4] or "") for m in EXPECT.finditer(path.read_text())]
    assert expected, f"{path.name} has no EXPECT comment"
    got = diagnostics(path)
    assert [(line, col, code) for line, col, code, _ in got] == [
        (line, col, code) for line, col, code, _ in expected
    ], got
    for (_, _, _, message), (_, _, _, text) in zip(got, expected, strict=True):
        assert text in message, message


def test_every_fixture_names_a_code_that_exists_in_the_source() -> None:
    source = "\n".join(p.read_text() for p in Path("src/cutover").rglob("*.py"))
    for path in FIXTURES:
        for match in EXPECT.finditer(path.read_text()):
            assert f'"{match[3]}"' in source, match[3]
