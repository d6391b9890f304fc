"""Choosing the language on the command line: --lang, CUTOVER_LANG and the plan's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import typer

from cutover.cli import app
from cutover.common import i18n

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import Cli

PLAN = """
plan: Chuyển đổi
timezone: Asia/Ho_Chi_Minh
start: 2025-06-23
{language}tasks:
  - {{id: prepare, duration: 1d}}
  - {{id: go-live, milestone: true, after: [prepare], deadline: 2025-06-23T12:00}}
"""


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.speak("en")


def _plan(write_plan: Callable[..., Path], language: str | None) -> str:
    line = f"language: {language}\n" if language else ""
    return str(write_plan(PLAN.format(language=line)))


def test_every_command_takes_lang() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, command in group.commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--lang" in options, name


def test_the_plan_language_speaks_unless_the_option_or_environment_says_otherwise(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    plan = _plan(write_plan, "vi")
    result = cli("check", plan, "--as-of", "2025-06-23T09:00")
    assert result.exit_code == 1
    assert "dự báo hoàn thành" in result.stdout
    english = cli("check", plan, "--as-of", "2025-06-23T09:00", "--lang", "en")
    assert "forecast to finish" in english.stdout
    assert english.exit_code == 1
    environment = cli("check", plan, "--as-of", "2025-06-23T09:00", env={"CUTOVER_LANG": "en"})
    assert "forecast to finish" in environment.stdout


def test_lang_vi_on_an_english_plan(cli: Cli, write_plan: Callable[..., Path]) -> None:
    plan = _plan(write_plan, None)
    result = cli("check", plan, "--as-of", "2025-06-23T09:00", "--lang", "vi")
    assert "dự báo hoàn thành" in result.stdout
    assert "forecast to finish" in cli("check", plan, "--as-of", "2025-06-23T09:00").stdout


@pytest.mark.parametrize("command", [["schema"], ["check", "x.yaml"], ["status", "x.yaml"]])
def test_an_unknown_language_is_a_usage_error(cli: Cli, command: list[str]) -> None:
    result = cli(*command, "--lang", "fr")
    assert result.exit_code == 2
    assert "'fr' is not a language cutover speaks: use en, vi" in result.output
    assert cli(*command, env={"CUTOVER_LANG": "xx"}).exit_code == 2


def test_a_plan_language_other_than_en_or_vi_is_invalid(
    cli: Cli, write_plan: Callable[..., Path]
) -> None:
    result = cli("check", _plan(write_plan, "fr"))
    assert result.exit_code == 2
    assert "language" in result.output


def test_help_speaks_the_environment_language_and_lang_when_it_comes_first(cli: Cli) -> None:
    result = cli("--help", env={"CUTOVER_LANG": "vi"})
    assert "Cách dùng: cutover" in result.stdout
    assert "Kiểm soát hạn chót trong CI" in result.stdout
    assert "Tùy chọn" in result.stdout
    command = cli("status", "--lang", "vi", "--help")
    assert "Báo cáo cho Ban Chỉ đạo" in command.stdout
    # Plain help (as on main): the options' help and typer's own words, translated.
    assert "Ngày báo cáo tình trạng: YYYY-MM-DD" in command.stdout
    assert "[mặc định: text]" in command.stdout
    english = cli("status", "--help")
    assert "The committee's summary" in english.stdout
    assert "Options" in english.stdout
    assert "Tùy chọn" not in english.stdout


def test_a_bad_cutover_lang_leaves_help_in_english(cli: Cli) -> None:
    result = cli("--help", env={"CUTOVER_LANG": "xx"})
    assert result.exit_code == 0
    assert "Usage: cutover" in result.stdout
