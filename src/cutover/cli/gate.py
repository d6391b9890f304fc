"""``check`` and ``lint``: the CI gate, its report formats and its policy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cutover.cli.base import (
    AsOf,
    ExitCode,
    FailOn,
    FailPolicy,
    Lang,
    LevelOption,
    PlanPaths,
    RiskThreshold,
    Runs,
    Seed,
    TranslatedCommand,
    app,
    boundary,
    clock_unless_plan,
    console,
    parse_as_of,
    parse_duration,
    speak_for,
)
from cutover.common.i18n import n_

if TYPE_CHECKING:
    from cutover.findings.pipeline import PlanCheck
    from cutover.render.outputs import Output

#: The heading these commands are listed under in ``cutover --help``.
PANEL = n_("Gate deadlines in CI")

Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FMT[:FILE]",
        help="Report format, to stdout or to a file with FMT:FILE; repeat for several: "
        "text, json, junit, github, markdown, codequality.",
        show_default=False,
    ),
]


MaxFindings = Annotated[
    int,
    typer.Option(
        "--max-findings", help="Text format: at most this many findings per plan (0: all)."
    ),
]


SkipNonPlans = Annotated[
    bool,
    typer.Option(
        "--skip-non-plans/--no-skip-non-plans",
        help="Leave out YAML files that are not plans (at the top level no extends, no list "
        "of tasks, no tasks beside plan), in folders and among the files named.",
        show_default=False,
    ),
]


@app.command(cls=TranslatedCommand, rich_help_panel=PANEL)
def check(
    plans: PlanPaths,
    as_of: AsOf = None,
    output_format: Formats = None,
    risk_threshold: RiskThreshold = "1d",
    fail_on: FailOn = FailPolicy.error,
    lint: Annotated[
        bool,
        typer.Option(
            "--lint/--no-lint",
            help="Also report the six-clarities lint (see lint).",
            show_default=False,
        ),
    ] = False,
    max_findings: MaxFindings = 50,
    skip_non_plans: SkipNonPlans = False,
    min_probability: Annotated[
        str | None,
        typer.Option(
            "--min-probability",
            help="Also simulate each plan (see risk) and report an error (unlikely) for each "
            "deadline met in fewer runs than this share: 0.8 or 80%.",
            show_default=False,
        ),
    ] = None,
    runs: Runs = 10_000,
    seed: Seed = None,
    level: LevelOption = None,
    lang: Lang = None,
) -> None:
    """Schedule each plan and report late, at-risk and missed deadlines.

    Exit status: 0 no error finding, 1 at least one error finding, 2 a plan is invalid.

    \b
    Example:
      cutover check plans/ --as-of 2025-06-26T09:00 -f text -f junit:report.xml
    """
    from cutover.findings.pipeline import check_plan  # noqa: PLC0415

    with boundary():
        outputs = parse_formats(output_format)
        files = plan_files(plans, skip_non_plans=skip_non_plans)
        status_date = parse_as_of(as_of)
        threshold = parse_duration(risk_threshold, "--risk-threshold")
        now = clock_unless_plan(as_of)
        results = [
            check_plan(
                path, now=now, as_of=status_date, risk_threshold=threshold, lint=lint, level=level
            )
            for path in files
        ]
        if min_probability is not None:
            from cutover.risk.montecarlo import gate, parse_probability  # noqa: PLC0415

            share = parse_probability(min_probability)
            results = [gate(result, share, runs, seed) for result in results]
    finish(results, outputs, fail_on, max_findings)


@app.command(cls=TranslatedCommand, name="lint", rich_help_panel=PANEL)
def lint_command(
    plans: PlanPaths,
    output_format: Formats = None,
    fail_on: FailOn = FailPolicy.error,
    max_findings: MaxFindings = 50,
    skip_non_plans: SkipNonPlans = False,
    lang: Lang = None,
) -> None:
    """Six clarities: warn about every task without an owner, deliverable, approver or deadline.

    The steering committee's rule: a clear person, task, time, responsibility, result and
    authority for every task. A plan's require: [owner, ...] makes those errors.
    Codes: missing-owner, missing-deliverable, missing-approver, missing-deadline.

    \b
    Example:
      cutover lint plans/
    """
    from cutover.findings.pipeline import lint_plan  # noqa: PLC0415

    with boundary():
        outputs = parse_formats(output_format)
        results = [lint_plan(path) for path in plan_files(plans, skip_non_plans=skip_non_plans)]
    finish(results, outputs, fail_on, max_findings)


def parse_formats(values: list[str] | None) -> list[Output]:
    """The reports asked for with ``--format FMT[:FILE]`` (default: text to stdout)."""
    from cutover.render.outputs import parse_outputs  # noqa: PLC0415

    return parse_outputs(values or [])


#: What a value given to a flag looks like when it lands among the plan files.
FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0"})


def plan_files(paths: list[Path], *, skip_non_plans: bool) -> list[Path]:
    """The plan files named, and those inside the folders named.

    A flag takes no value, so in ``check plan.yaml --lint true`` the ``true`` is a file
    name: when no such file exists, say what happened rather than report a missing plan.
    """
    from cutover.planfile.discovery import plan_files  # noqa: PLC0415

    for path in paths:
        if str(path).lower() in FLAG_VALUES and not path.exists():
            raise typer.BadParameter(
                f"{path!s} is not a plan file: flags take no value (write --lint or --no-lint, "
                f"never --lint {path!s})",
                param_hint="'PLANS...'",
            )
    return plan_files(paths, skip_non_plans=skip_non_plans)


def finish(
    results: list[PlanCheck], outputs: list[Output], fail_on: FailPolicy, max_findings: int
) -> None:
    """Write the reports and exit with the status the gate policy gives."""
    from cutover.findings.pipeline import outcome  # noqa: PLC0415
    from cutover.render.outputs import write_outputs  # noqa: PLC0415

    speak_for(*(r.analysis.loaded.plan.language for r in results if r.analysis is not None))
    with boundary():
        write_outputs(outputs, results, console(), limit=max_findings, fail_on=fail_on.value)
    verdict = outcome(results, fail_on.value)
    if verdict == "invalid":
        raise typer.Exit(ExitCode.INVALID)
    if verdict == "fail":
        raise typer.Exit(ExitCode.FINDINGS)
