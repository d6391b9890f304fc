"""Writing files so that a reader never sees half of one.

``atomic_write`` writes to a temporary file in the target's folder, flushes it to disk,
renames it over the target and flushes the folder: an error (or a kill) leaves the old
file or none, never part of the new one, and after the call returns a power loss cannot
bring the old one back.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cutover.common.errors import CutoverError


class OutputError(CutoverError):
    """A file could not be written; nothing was changed."""


def atomic_write(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` in one step; raise OutputError if that cannot be done."""
    import tempfile  # noqa: PLC0415 - 4 ms that only a command that writes should pay

    target = Path(path)
    try:
        payload = data.encode(encoding) if isinstance(data, str) else data
    except UnicodeEncodeError as exc:
        raise OutputError(f"cannot write {target}: {exc.reason} in the text") from None
    folder = target.parent if str(target.parent) else Path()
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(target, temporary)
        Path(temporary).replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk; where folders cannot be opened (Windows) the OS does it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _keep_mode(target: Path, temporary: str) -> None:
    """A replaced file keeps its permissions; a new one gets the usual 0666 & ~umask."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)  # noqa: PTH101 - a str path from mkstemp
