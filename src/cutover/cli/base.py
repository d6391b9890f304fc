"""The command line's shared parts: the app, exit codes and common options.

Also the one place that reads the clock, the consoles, and the boundary that turns
cutover's errors into messages and exit status 2.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from cutover import __version__
from cutover.cli.helptext import ThemedGroup

# Marks help texts for the catalog; they are translated when help is shown (help_language).
from cutover.common.i18n import n_

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console
    from typer._click.core import Command, Context
    from typer._click.formatting import HelpFormatter

    from cutover.common.errors import CutoverError
    from cutover.findings.pipeline import Analysis
    from cutover.portfolio.editing import UpdateResult
    from cutover.worktime.durations import Duration


class ExitCode(IntEnum):
    """Exit statuses of PLAN_FORMAT's command-line contract (and two of our own)."""

    OK = 0
    FINDINGS = 1
    INVALID = 2
    INTERNAL = 3
    INTERRUPTED = 130


class FailPolicy(StrEnum):
    """``--fail-on``: which findings make ``check`` exit 1."""

    error = "error"
    warning = "warning"
    invalid = "invalid"


def _translate_help(command: Command, ctx: Context) -> None:
    """Put ``command``'s help, its options' and typer's headings in the reader's language.

    Help texts stay English in the code (typer reads them at import, before any option is
    parsed) and are looked up only when help is shown, in the language ``--lang`` chose if
    it came first, else the one the environment and locale give. English costs nothing.
    """
    import typer.core  # noqa: PLC0415 - loaded already: it is what runs the command line

    from cutover.common.i18n import (  # noqa: PLC0415 - light: click loads gettext already
        ENGLISH,
        _,
        current_language,
        help_language,
        set_language,
    )

    set_language(help_language())
    # typer's plain help words its headings and an option's "[default: …]", "[env var: …]"
    # and "[required]" through the gettext function it imported as ``_``; ours speaks the
    # reader's language and gives English back unchanged.
    typer.core._ = _  # type: ignore[attr-defined]
    if current_language() == ENGLISH:
        return
    commands = getattr(command, "commands", {})
    for item in (command, *commands.values()):
        item.help = _(item.help) if item.help else item.help
        item.short_help = _(item.short_help) if item.short_help else item.short_help
        panel = getattr(item, "rich_help_panel", None)
        if panel:
            item.rich_help_panel = _(panel)
    for param in command.get_params(ctx):
        text = getattr(param, "help", None)
        if text:
            param.help = _(text)  # type: ignore[attr-defined]


#: click's and typer's own words in every help, for the catalog.
_CLICK_WORDS = (
    n_("Show this message and exit."),
    n_("Arguments"),
    n_("Options"),
    n_("Commands"),
    n_("default: {default}"),
    n_("env var: {var}"),
    n_("required"),
)


def _usage(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    """``Usage: cutover status [OPTIONS] {plans}...``, its first word in the reader's language."""
    from cutover.common.i18n import _  # noqa: PLC0415

    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class TranslatedCommand(TyperCommand):
    """A command whose ``--help`` speaks the reader's language (see ``_translate_help``)."""

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The usage line, as click writes it but for its first word."""
        _usage(self, ctx, formatter)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Translate, then draw as typer does."""
        _translate_help(self, ctx)
        super().format_help(ctx, formatter)


class TranslatedGroup(ThemedGroup):
    """``cutover --help`` in the reader's language, its commands grouped by theme."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,  # noqa: ANN401 - click's own signature
    ) -> Context:
        """Start each run in English with nothing asked, whatever ran before in this process."""
        from cutover.common.i18n import forget  # noqa: PLC0415

        forget()
        return super().make_context(info_name, args, parent, **extra)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The usage line, as click writes it but for its first word."""
        _usage(self, ctx, formatter)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Translate, then draw as typer does."""
        _translate_help(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    name="cutover",
    # Plain help grouped by theme (see helptext), in the reader's language.
    cls=TranslatedGroup,
    help=n_(
        "Deadline and cutover planner: critical path, slack and Gantt charts for go-live plans."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help (see helptext): docstrings print as written, and --help stays fast.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        # The package's own version, not an installed distribution's metadata: the
        # distribution is named cutover-planner, and "cutover" on PyPI is another project.
        typer.echo(f"cutover {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    _version_flag: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    allow_extends_from: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-extends-from",
            envvar="CUTOVER_ALLOW_EXTENDS_FROM",
            help="A folder outside the plan's git repository that extends may read templates "
            "from (repeatable). Without it a template must be in the plan's repository.",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """Plan a cutover in YAML: critical path, slack, Gantt chart, and a CI gate on deadlines."""
    # Imported only when needed (or to reset an earlier run in this process): --help stays fast.
    if allow_extends_from or "cutover.planfile.templates" in sys.modules:
        from cutover.planfile.templates import allow_extends_from as allow  # noqa: PLC0415

        allow(allow_extends_from or ())


#: ``--as-of plan``: each plan's own ``as_of``, and without one the plan as planned; never
#: the clock, so a commit hook gives a commit the same answer on every day.
PLAN_AS_OF = "plan"


def parse_as_of(value: str | None, option: str = "--as-of") -> date | datetime | None:
    """A status date from an option: ISO date or datetime, ``now`` or ``plan`` (None).

    Errors name ``option``.
    """
    if value is None or value == "" or value.strip().lower() == PLAN_AS_OF:
        return None
    if value.strip().lower() == "now":
        return clock_now()
    from cutover.worktime.timepoints import TimepointError, parse_timepoint  # noqa: PLC0415

    try:
        return parse_timepoint(value)
    except TimepointError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


def parse_duration(value: str, option: str) -> Duration:
    """A duration from an option, such as ``2d``; errors name ``option``."""
    from cutover.worktime.durations import DurationError, parse_duration  # noqa: PLC0415

    try:
        return parse_duration(value)
    except DurationError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


#: The argument of the commands that read one plan file.
PlanPath = Annotated[Path, typer.Argument(help="The plan file.", show_default=False)]

#: The argument of the commands that read many: files, or folders to look in.
PlanPaths = Annotated[
    list[Path], typer.Argument(help="Plan files or folders of them.", show_default=False)
]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="T",
        envvar="CUTOVER_AS_OF",
        help="Status date: YYYY-MM-DD, YYYY-MM-DDTHH:MM (in the plan's time zone) or 'now'. "
        "Default: the plan's as_of; without one, check uses now and schedule/gantt show the "
        "plan as planned. 'plan': the plan's as_of, else as planned, never now.",
        show_default=False,
    ),
]


RiskThreshold = Annotated[
    str,
    typer.Option(
        "--risk-threshold",
        metavar="DURATION",
        help="Warn (at-risk) when a deadline is met by less working time than this.",
    ),
]


FailOn = Annotated[
    FailPolicy,
    typer.Option(
        "--fail-on",
        envvar="CUTOVER_FAIL_ON",
        help="Exit 1 on error findings, on any finding (warning), or only exit 2 for an "
        "invalid plan (invalid).",
    ),
]


Runs = Annotated[
    int,
    typer.Option("--runs", min=1, help="Monte Carlo runs (10,000 give about ±1% on a chance)."),
]


Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        min=0,
        help="Random seed (0 or more); the default (2025) gives the same answer every time.",
        show_default=False,
    ),
]


LevelOption = Annotated[
    bool | None,
    typer.Option(
        "--level/--no-level",
        help="Use the resource-levelled schedule (default: as the plan's level: says).",
        show_default=False,
    ),
]


def _speak(value: str | None) -> str | None:
    """``--lang``: choose the language before the command prints anything (exit 2 if unknown)."""
    from cutover.common.i18n import LanguageError, speak  # noqa: PLC0415 - only when run

    try:
        speak(value)
    except LanguageError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--lang' or CUTOVER_LANG") from None
    return value


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_speak,
        is_eager=True,
        help="Language of the output: en or vi. Default: CUTOVER_LANG, else the plan's "
        "language, else the locale (LC_ALL, LC_MESSAGES, LANG), else English.",
        show_default=False,
    ),
]


def speak_for(*languages: str | None) -> None:
    """Speak the language of the plans read, unless --lang or CUTOVER_LANG chose one.

    Several plans: the first that names a language decides, so one report has one language.
    """
    from cutover.common.i18n import speak_for_plan  # noqa: PLC0415

    speak_for_plan(next((language for language in languages if language), None))


def clock_now() -> datetime:
    """The one place that reads the clock: the default status date."""
    return datetime.now(UTC)


def clock_unless_plan(as_of: str | None) -> datetime | None:
    """The status date of a plan without ``as_of``: now, or none at all for ``--as-of plan``."""
    if as_of is not None and as_of.strip().lower() == PLAN_AS_OF:
        return None
    return clock_now()


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A rich console for the command's output (stdout unless ``stderr``).

    Markup is off: plan text such as ``[/]`` or ``[link=…]`` is text, never a style or a
    crash (renderers style with ``Text``, not with markup in strings).
    """
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False, markup=False)


@contextmanager
def boundary() -> Iterator[None]:
    """Turn cutover's own errors into located messages on stderr and exit status 2."""
    from cutover.common.errors import CutoverError  # noqa: PLC0415 - tiny module

    try:
        yield
    except CutoverError as error:
        raise typer.Exit(report_error(error)) from None


def analyse_file(
    plan: Path,
    as_of: str | None,
    risk_threshold: str = "1d",
    *,
    level: bool | None = None,
    time_limit: float | None = None,
) -> Analysis:
    """Load, schedule and check one plan, as planned unless a status date is given.

    Views pass the ``--risk-threshold`` they were given, so they mark at risk exactly the
    tasks ``check`` would warn about with it. ``level``: level resources (None: as the plan
    says), searching ``time_limit`` seconds.
    """
    from cutover.findings.pipeline import analyse  # noqa: PLC0415

    threshold = parse_duration(risk_threshold, "--risk-threshold")
    with boundary():
        analysis = analyse(
            plan,
            now=None,
            as_of=parse_as_of(as_of),
            risk_threshold=threshold,
            level=level,
            time_limit=time_limit,
        )
    speak_for(analysis.loaded.plan.language)
    note_not_counted(analysis)
    return analysis


def note_not_counted(analysis: Analysis) -> None:
    """Say on stderr when recorded progress after the status date is not counted."""
    from cutover.common.i18n import _  # noqa: PLC0415

    schedule = analysis.schedule
    if not schedule.not_counted or schedule.as_of is None:
        return
    ids = ", ".join(schedule.graph.task(node).id for node in schedule.not_counted)
    when = schedule.graph.timebase.naive(schedule.as_of).isoformat(sep=" ", timespec="minutes")
    sys.stderr.write(
        _(
            "note: progress recorded after the status date {when} is not counted "
            "(shown as it stood then): {ids}"
        ).format(when=when, ids=ids)
        + "\n"
    )


def report_error(error: CutoverError) -> ExitCode:
    """Print an error of cutover's own (every diagnostic of a plan) and return exit 2."""
    from cutover.common.errors import PlanError  # noqa: PLC0415
    from cutover.common.i18n import _, ngettext  # noqa: PLC0415
    from cutover.common.text import display_message  # noqa: PLC0415

    if isinstance(error, PlanError):
        for diagnostic in error.diagnostics:
            sys.stderr.write(f"{diagnostic}\n")
        # A file or git revision that could not be read holds no plan to call invalid.
        if any(diagnostic.code != "unreadable" for diagnostic in error.diagnostics):
            count = len(error.diagnostics)
            summary = ngettext(
                "{count} error: the plan is not valid",
                "{count} errors: the plan is not valid",
                count,
            )
            sys.stderr.write(summary.format(count=count) + "\n")
    else:
        sys.stderr.write(_("error: {message}").format(message=display_message(str(error))) + "\n")
    return ExitCode.INVALID


def print_update(result: UpdateResult) -> None:
    """``FILE:LINE: TASK: key: old → new`` per change a plan edit made, or that none was needed.

    ``update`` and the cutover-window commands (start, done, decide, undo) print the same.
    """
    from cutover.common.i18n import _  # noqa: PLC0415
    from cutover.common.text import display_message  # noqa: PLC0415

    if not result.changes:
        message = _("{file}: {task}: nothing to change").format(
            file=result.file, task=result.task_id
        )
        typer.echo(display_message(message))
        return
    for change in result.changes:
        where = f"{result.file}:{change.line}" if change.line else result.file
        typer.echo(display_message(f"{where}: {result.task_id}: {change}"))
