"""``--help`` prints every docstring and option help as written, and flags are flags.

Rich markup once ate ``[owner, ...]`` from ``lint --help`` and showed ``<bool>`` beside
every flag; each command's help is rendered here at a fixed width and compared, word for
word, with the text it comes from.
"""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING, Any

import pytest
import typer
from typer.testing import CliRunner

from cutover import __version__
from cutover.cli import app

if TYPE_CHECKING:
    from pathlib import Path

GROUP: Any = typer.main.get_command(app)
COMMANDS: dict[str, Any] = GROUP.commands
#: Flags that are actions, with no "off" form worth a name.
SINGLE_FLAGS = {"--help", "--version", "--done"}


def _help(*args: str, width: int = 80) -> str:
    result = CliRunner().invoke(
        app, [*args, "--help"], env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == 0, result.output
    return result.output


def _squash(text: str) -> str:
    """The text without white space (wrapping moves it) and click's no-rewrap marks."""
    return re.sub(r"\s+", "", text.replace("\b", ""))


def _texts(command: Any) -> list[str]:
    """The docstring and the help of every parameter of a command."""
    helps = [parameter.help for parameter in command.params if getattr(parameter, "help", None)]
    return [inspect.cleandoc(command.help), *helps]


def test_every_command_has_help_with_an_example() -> None:
    assert len(COMMANDS) >= 15
    for name, command in COMMANDS.items():
        assert command.help, name
        if name != "schema":
            assert "Example:" in command.help, name


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_prints_the_docstring_and_option_help_as_written(name: str, width: int) -> None:
    output = _help(name, width=width)
    for text in _texts(COMMANDS[name]):
        assert _squash(text) in _squash(output), f"{name}: {text!r} is not in\n{output}"
        for bracketed in re.findall(r"\[[^\]]*\]", text):
            assert _squash(bracketed) in _squash(output), f"{name}: {bracketed} was eaten"
    assert "<bool>" not in output
    assert "[bold]" not in output


def test_examples_are_printed_on_one_line() -> None:
    output = _help("check", width=60)
    assert "\n    cutover check plans/ --as-of 2025-06-26T09:00 -f text -f junit:report.xml\n" in (
        output
    )
    assert "A plan's require: [owner, ...] makes" in _help("lint", width=200)


def test_the_command_list_is_grouped_and_not_cut_short() -> None:
    output = _help()
    for heading in (
        "Gate deadlines in CI:",
        "See and share a plan:",
        "Many plans and their changes:",
        "Risk and explanations:",
    ):
        assert f"\n{heading}\n" in output
    for name, command in COMMANDS.items():
        assert f"\n  {name} " in output
        assert _squash(command.get_short_help_str(10_000)) in _squash(output), name
    assert "..." not in output.split("\n", 1)[1]  # the usage line ends with ARGS...


def test_every_boolean_option_is_a_flag_with_an_off_form() -> None:
    seen = set()
    for name, command in COMMANDS.items():
        for parameter in command.params:
            if not getattr(parameter, "is_flag", False):
                continue
            (option,) = [opt for opt in parameter.opts if opt.startswith("--")]
            seen.add(option)
            if option not in SINGLE_FLAGS:
                assert parameter.secondary_opts, f"{name} {option} has no off form"
    assert {"--lint", "--skip-non-plans", "--force", "--portrait", "--excel"} <= seen


def test_a_value_after_a_flag_is_a_usage_error_not_a_missing_plan(cli: Any) -> None:
    result = cli("check", "plans/tuyenquang.yaml", "--lint", "true", "--as-of", "2025-06-26")
    assert result.exit_code == 2
    assert "true is not a plan file: flags take no value" in result.output
    assert "--lint or --no-lint" in result.output


def test_the_off_forms_turn_the_flags_off(cli: Any, tmp_path: Path) -> None:
    plan = "tests/plans/ci/late.yaml"  # no owners
    on = cli("check", plan, "--as-of", "2025-06-19", "--lint")
    off = cli("check", plan, "--as-of", "2025-06-19", "--lint", "--no-lint")
    assert "missing-owner" in on.output
    assert "missing-owner" not in off.output
    landscape = tmp_path / "landscape.pdf"
    result = cli("export", "plans/tuyenquang.yaml", "-o", str(landscape), "--landscape")
    assert result.exit_code == 0, result.output


def test_version_is_the_package_version(cli: Any) -> None:
    assert cli("--version").output == f"cutover {__version__}\n"
