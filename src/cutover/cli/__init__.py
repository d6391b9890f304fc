"""The ``cutover`` command line: parse options, call the core once, render, return an exit code.

Only typer and the standard library are imported at start-up, so ``cutover --help``
stays instant; each command imports what it needs. ``main`` is the one error boundary:
a bad plan exits 2 with located messages, an internal error 3, and never a traceback.
Commands live in small modules by theme and register themselves on ``app``.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import NoReturn

# isort: off
# The commands register themselves on ``app``, and ``--help`` lists them in this order.
from cutover.cli import gate  # noqa: F401
from cutover.cli import views  # noqa: F401
from cutover.cli import portfolio  # noqa: F401
from cutover.cli import interchange  # noqa: F401
from cutover.cli import risk  # noqa: F401
from cutover.cli import runbook  # noqa: F401

# isort: on
from cutover.cli.base import ExitCode, app, report_error

__all__ = ["ExitCode", "app", "main"]


class _Interrupted(BaseException):
    """^C, raised instead of KeyboardInterrupt, which click would turn into exit status 1."""


def _on_interrupt(_signum: int, _frame: object) -> NoReturn:
    raise _Interrupted


def internal_error_line(error: BaseException) -> str:
    """The one line an internal error prints: what broke, and that it is ours to fix."""
    from cutover.common.i18n import _  # noqa: PLC0415 - tiny module
    from cutover.common.text import display_message  # noqa: PLC0415 - tiny module

    what = display_message(f"{type(error).__name__}: {error}")
    return _("internal error (a bug in cutover; please report it with the plan): {what}").format(
        what=what
    )


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command line; every failure becomes a message and an exit status."""
    from cutover.common.errors import CutoverError  # noqa: PLC0415 - tiny module

    signal.signal(signal.SIGINT, _on_interrupt)
    # A command lives for seconds and builds millions of small objects that reference
    # counting frees; the cyclic collector would re-scan them again and again.
    gc.disable()
    try:
        app(args=argv, prog_name="cutover", standalone_mode=True)
    except SystemExit:
        raise
    except CutoverError as error:
        sys.exit(report_error(error))
    except _Interrupted:
        from cutover.common.i18n import _  # noqa: PLC0415

        sys.stderr.write(_("interrupted") + "\n")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (``cutover schedule ... | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the one boundary: no traceback reaches users
        sys.stderr.write(internal_error_line(error) + "\n")
        sys.exit(ExitCode.INTERNAL)
    sys.exit(ExitCode.OK)
