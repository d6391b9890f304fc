"""Writing files so that a reader never sees half of one, and nothing is replaced by mistake.

``atomic_write`` writes a regular file to a temporary file in the target's folder, flushes
it to disk, renames it over the target and flushes the folder: an error (or a kill) leaves
the old file or none, never part of the new one, and after the call returns a power loss
cannot bring the old one back. What is not a plain, singly linked regular file is never
replaced:

- a symbolic link is followed: the file it points to is written, the link stays a link;
  ``/dev/stdout`` (or ``/dev/stderr``) while that stream is a file writes to the stream,
  at its place, rather than replace what the shell wrote there before;
- a device, a FIFO or a terminal (``/dev/null``, ``/dev/stdout``, a named pipe) is opened
  and written through, as the shell's ``>`` would; a FIFO's reader is waited for a few
  seconds, never for ever;
- a regular file keeps its permissions and its owner; one with other hard links, or whose
  owner cannot be kept, is written in place (the links stay one file);
- a folder or a socket is an OutputError, and so is a full disk ("no space left").

``write_output`` is the same for a file named on the command line, where ``-`` means
standard output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.common.errors import CutoverError
from cutover.common.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterator

#: What a reader of an OSError should be told, by errno; the default is its strerror.
_WHY = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "no space left: the disk quota is used up",
    errno.ENXIO: "no program is reading from it (a pipe without a reader, or a socket)",
    errno.EISDIR: "it is a folder",
    errno.EAGAIN: "it does not take more output now (a full pipe)",
    errno.EPIPE: "the program reading from it has stopped",
}


#: Open without waiting (a FIFO) and without becoming a terminal's process; 0 where the
#: system has no such flag (Windows), which has no FIFOs or terminals to open either.
NO_WAIT = getattr(os, "O_NONBLOCK", 0)
_NO_TERMINAL = getattr(os, "O_NOCTTY", 0)
#: How long writing to a FIFO waits for a program to open it for reading, in seconds.
FIFO_WAIT = 5.0


class OutputError(CutoverError):
    """A file could not be written; nothing was changed (or, for a device, written in part)."""


def output_error(target: Path | str, exc: OSError) -> OutputError:
    """An OutputError naming the target and saying why, in words, without a traceback."""
    why = _WHY.get(exc.errno or 0) or exc.strerror or str(exc)
    return OutputError(_("cannot write {target}: {why}").format(target=target, why=why))


def write_output(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Write a command's output file; ``-`` is standard output. See ``atomic_write``."""
    if str(path) == "-":
        payload = _encode(path, data, encoding)
        sys.stdout.flush()
        try:
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        except OSError as exc:
            raise output_error("standard output", exc) from None
        return
    atomic_write(path, data, encoding=encoding)


def atomic_write(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` in one step; raise OutputError if that cannot be done."""
    target = Path(path)
    payload = _encode(target, data, encoding)
    try:
        status = target.stat()  # follows a symbolic link to what it points at
    except FileNotFoundError:
        status = None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise _error(target, exc) from None
    if status is not None and not stat.S_ISREG(status.st_mode):
        if stat.S_ISDIR(status.st_mode):
            raise OutputError(_("cannot write {target}: it is a folder").format(target=target))
        _write_through(target, payload, fifo=stat.S_ISFIFO(status.st_mode))
        return
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    stream = _standard_stream(status) if real != target else None
    if stream is not None:  # /dev/stdout while stdout is a file: write where it writes
        _write_stream(target, stream, payload)
        return
    if status is not None and status.st_nlink > 1:
        _write_in_place(real, payload)
        return
    _replace(real, payload, status, shown=target)


def _encode(target: Path | str, data: bytes | str, encoding: str) -> bytes:
    try:
        return data.encode(encoding) if isinstance(data, str) else data
    except UnicodeEncodeError as exc:
        raise OutputError(
            _("cannot write {target}: {reason} in the text").format(
                target=target, reason=exc.reason
            )
        ) from None


def _error(target: Path, exc: Exception) -> OutputError:
    if isinstance(exc, OSError):
        return output_error(target, exc)
    return OutputError(_("cannot write {target}: {exc}").format(target=target, exc=exc))


def _write_all(descriptor: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _write_through(target: Path, payload: bytes, *, fifo: bool) -> None:
    """A device or a FIFO: open it and write to it.

    Opening a FIFO waits at most ``FIFO_WAIT`` seconds for its reader (one started just
    before cutover may not have opened it yet), never for ever.
    """
    import time  # noqa: PLC0415

    deadline = time.monotonic() + FIFO_WAIT
    while True:
        try:
            descriptor = os.open(target, os.O_WRONLY | NO_WAIT | _NO_TERMINAL)
            break
        except OSError as exc:
            if not (fifo and exc.errno == errno.ENXIO and time.monotonic() < deadline):
                raise output_error(target, exc) from None
            time.sleep(0.02)
    try:
        if NO_WAIT:
            os.set_blocking(descriptor, True)  # a reader is there: wait for it as a pipe does
        _write_all(descriptor, payload)
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        os.close(descriptor)


def _standard_stream(status: os.stat_result | None) -> int | None:
    """1 or 2 when a link (``/dev/stdout``, ``/dev/stderr``) leads to that stream's file.

    Replacing that file would throw away what the shell wrote to it before (``>> log``):
    the output goes to the stream itself, at its place in the file.
    """
    if status is None:
        return None
    for descriptor in (1, 2):
        try:
            stream = os.fstat(descriptor)
        except OSError:
            continue
        if (stream.st_dev, stream.st_ino) == (status.st_dev, status.st_ino):
            return descriptor
    return None


def _write_stream(target: Path, descriptor: int, payload: bytes) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        _write_all(descriptor, payload)
    except OSError as exc:
        raise output_error(target, exc) from None


def _write_in_place(target: Path, payload: bytes) -> None:
    """Overwrite the file itself, so every hard link to it sees the new content."""
    try:
        descriptor = os.open(target, os.O_WRONLY | _NO_TERMINAL)
    except OSError as exc:
        raise output_error(target, exc) from None
    try:
        _write_all(descriptor, payload)
        os.ftruncate(descriptor, len(payload))
        os.fsync(descriptor)
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        os.close(descriptor)


def _replace(target: Path, payload: bytes, status: os.stat_result | None, *, shown: Path) -> None:
    """Write a temporary file beside the target and rename it over the target."""
    import tempfile  # noqa: PLC0415 - 4 ms that only a command that writes should pay

    folder = target.parent if str(target.parent) else Path()
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=folder
        )
    except (OSError, ValueError) as exc:
        raise _error(shown, exc) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if not _keep_mode_and_owner(status, temporary):
            Path(temporary).unlink()
            _write_in_place(target, payload)
            return
        Path(temporary).replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        if isinstance(exc, OSError):
            raise output_error(shown, exc) from None
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


def _keep_mode_and_owner(status: os.stat_result | None, temporary: str) -> bool:
    """Give the temporary file the replaced file's mode and owner; False if it cannot be.

    A new file gets the usual 0666 & ~umask. Only root can give a file to another owner:
    when the owner cannot be kept the caller writes the old file in place instead.
    """
    if status is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # noqa: PTH101 - a str path from mkstemp
        return True
    mine = os.stat(temporary)  # noqa: PTH116 - a str path from mkstemp
    if (mine.st_uid, mine.st_gid) != (status.st_uid, status.st_gid):
        try:
            os.chown(temporary, status.st_uid, status.st_gid)
        except OSError:
            return False
    os.chmod(temporary, status.st_mode & 0o7777)  # noqa: PTH101 - after chown, which clears setuid
    return True


#: How long a command waits for another one that holds a plan's lock, in seconds.
LOCK_WAIT = 60.0


class LockedError(OutputError):
    """Another cutover process held the file's lock for longer than ``LOCK_WAIT``."""


@contextlib.contextmanager
def locked(path: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for read-check-write of ``path``, waiting for another holder.

    The lock is ``fcntl.flock`` on the file's folder: the file itself is replaced by each
    write, so a lock on it would not be one, and a lock file beside it would be litter in
    the user's repository. Every cutover command that changes a plan takes it, so two of
    them (``update`` from two terminals) never lose each other's change; they take turns,
    plans of one folder included. The lock goes when the process ends, however it ends.
    Where ``fcntl`` does not exist (Windows), nothing is locked and the check that the file
    is unchanged still guards it.
    """
    try:
        import fcntl  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    import time  # noqa: PLC0415

    folder = path.parent if str(path.parent) else Path()
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(
            _("cannot lock {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from None
    try:
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        _(
                            "{path} is being changed by another cutover command (it holds the lock "
                            "of its folder); nothing was written: run the command again"
                        ).format(path=path)
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(descriptor)
