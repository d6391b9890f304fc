"""Where ``check`` and ``lint`` reports go: ``--format FMT[:FILE]``, repeated.

Each format goes to stdout (no file, or ``-``) or to its own file (``common.files``: written
atomically, a device or FIFO written through); at most one goes to stdout. When
``$GITHUB_STEP_SUMMARY`` names a file, the Markdown summary is appended to it too, kept
under GitHub's 1 MiB limit; the file is never read (only its size is looked at) and never
waited on.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from cutover.common.errors import UsageError
from cutover.common.files import NO_WAIT, OutputError, output_error, write_output
from cutover.common.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from cutover.findings.pipeline import PlanCheck

FORMATS = ("text", "json", "junit", "github", "markdown", "codequality")


@dataclass(frozen=True)
class Output:
    """One requested report: a format and a file (None: standard output)."""

    format: str
    path: Path | None


def parse_outputs(values: Sequence[str]) -> list[Output]:
    """``["text", "junit:out.xml"]`` → outputs; a usage error for unknown formats."""
    outputs: list[Output] = []
    for value in values or ["text"]:
        name, _colon, target = value.partition(":")
        if name not in FORMATS:
            raise UsageError(
                _("unknown format '{name}' in --format {value}: use {formats}").format(
                    name=name, value=value, formats=", ".join(FORMATS)
                )
            )
        outputs.append(Output(name, Path(target) if target not in ("", "-") else None))
    # GitHub's workflow commands may share standard output with one report: the runner
    # takes them out of the log and turns them into annotations.
    if sum(output.path is None and output.format != "github" for output in outputs) > 1:
        raise UsageError(
            _(
                "only one --format (besides github) can go to standard output: give the others "
                "a file (FMT:FILE)"
            )
        )
    return outputs


def render(fmt: str, results: Sequence[PlanCheck], *, limit: int, fail_on: str) -> str:
    """A report as text (for ``text``, without colour, as written to a file)."""
    renderers: Mapping[str, Callable[[Sequence[PlanCheck]], str]] = _renderers()
    if fmt == "text":
        from cutover.render.report import print_text  # noqa: PLC0415

        buffer = io.StringIO()
        print_text(
            results,
            Console(file=buffer, width=100, color_system=None, markup=False, highlight=False),
            limit=limit,
            fail_on=fail_on,
        )
        return buffer.getvalue()
    return renderers[fmt](results)


def _renderers() -> dict[str, Callable[[Sequence[PlanCheck]], str]]:
    from cutover.render.annotations import github_annotations  # noqa: PLC0415
    from cutover.render.codequality import code_quality  # noqa: PLC0415
    from cutover.render.junit import junit_xml  # noqa: PLC0415
    from cutover.render.report import report_json  # noqa: PLC0415
    from cutover.render.summary import markdown_summary  # noqa: PLC0415

    return {
        "json": report_json,
        "junit": junit_xml,
        "github": github_annotations,
        "markdown": markdown_summary,
        "codequality": code_quality,
    }


def write_outputs(
    outputs: Sequence[Output],
    results: Sequence[PlanCheck],
    console: Console,
    *,
    limit: int,
    fail_on: str,
) -> None:
    """Write every requested report; text to a terminal keeps its colours."""
    for output in outputs:
        if output.path is None and output.format == "text":
            from cutover.render.report import print_text  # noqa: PLC0415

            print_text(results, console, limit=limit, fail_on=fail_on)
            continue
        text = render(output.format, results, limit=limit, fail_on=fail_on)
        if output.path is None:
            console.file.write(text if text.endswith("\n") else text + "\n")
        else:
            write_output(output.path, text if text.endswith("\n") else text + "\n")
    append_step_summary(results, os.environ)


def append_step_summary(results: Sequence[PlanCheck], environ: Mapping[str, str]) -> None:
    """Add the Markdown summary to ``$GITHUB_STEP_SUMMARY`` when the variable is set.

    The file is opened to append, without waiting (a FIFO with no reader is an error, not a
    hang), and never read: a regular file's size says how much room is left under GitHub's
    limit, and its last byte whether a line break is needed. A device or a FIFO gets the
    summary written to it, at most the limit.
    """
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from cutover.render.summary import MAX_BYTES, markdown_summary  # noqa: PLC0415

    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | NO_WAIT | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(target, flags, 0o666)
    except OSError as exc:
        raise _summary_error(target, exc) from None
    try:
        status = os.fstat(descriptor)
        separator = b""
        room = MAX_BYTES
        if stat.S_ISREG(status.st_mode):
            room = max(MAX_BYTES - status.st_size, 0)
            if status.st_size:
                os.lseek(descriptor, status.st_size - 1, os.SEEK_SET)  # appends go to the end
                separator = b"" if os.read(descriptor, 1) == b"\n" else b"\n"
        elif stat.S_ISDIR(status.st_mode):  # pragma: no cover - open refuses a folder first
            raise OutputError(
                _("cannot write $GITHUB_STEP_SUMMARY ({target}): it is a folder").format(
                    target=target
                )
            )
        summary = separator + markdown_summary(results, limit=room).encode()
        view = memoryview(summary)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as exc:
        raise _summary_error(target, exc) from None
    finally:
        os.close(descriptor)


def _summary_error(target: str, exc: OSError) -> OutputError:
    return output_error(f"$GITHUB_STEP_SUMMARY ({target})", exc)
