"""Shared fixtures: plans written to tmp files, a CLI runner with a pinned width, goldens."""

from __future__ import annotations

import os
import textwrap
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from cutover.cli import app
from cutover.findings.pipeline import Analysis, analyse

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer.testing import Result

#: The suite draws the same hypothesis examples on every run, so that a red build is the
#: code's doing, not the draw's; ``CUTOVER_HYPOTHESIS=explore`` draws new ones, and more.
settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=500)
settings.load_profile(os.environ.get("CUTOVER_HYPOTHESIS", "default"))

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
#: Tests never depend on today: every analysis gets an explicit status date or none.
AS_OF = datetime(2025, 6, 26, 9, 0)
#: PLAN_FORMAT.md's worked example: four tasks, an SS link with a lag, a deadline met exactly.
WORKED = """
plan: Worked example
timezone: UTC
start: 2025-06-16
tasks:
  - {id: design, duration: 1d}
  - {id: build, duration: 2d, after: [design]}
  - {id: review, duration: 4h, after: [{task: build, type: SS, lag: 1d}]}
  - {id: ship, milestone: true, after: [build, review], deadline: 2025-06-19}
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files")


@pytest.fixture(autouse=True, scope="session")
def _private_holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the commands they start) keep the holidays cache out of the home folder."""
    os.environ["CUTOVER_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens")) or bool(
        os.environ.get("UPDATE_GOLDENS")
    )


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) to a file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"plan{next(counter)}.yaml")
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def plan_analysis(write_plan: Callable[..., Path]) -> Callable[..., Analysis]:
    """Analyse YAML text: ``plan_analysis(text, as_of=None)``."""

    def run(text: str, as_of: datetime | None = None) -> Analysis:
        return analyse(write_plan(text), now=None, as_of=as_of)

    return run


class Cli:
    """Run the command line in-process with a fixed width and no colour."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        environment = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "CUTOVER_AS_OF": ""}
        environment.update(env or {})
        return self.runner.invoke(app, list(args), env=environment, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def check_golden(path: Path, text: str, *, update: bool) -> None:
    """Compare text with a golden file (or rewrite it with --update-goldens)."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run pytest --update-goldens and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"differs from {path}; rerun with --update-goldens"
    )
