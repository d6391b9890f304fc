"""Never lose a file: ``atomic_write`` leaves the old file or the new one, whatever happens.

A writer process is killed with SIGKILL at random moments, and at fixed ones (just after
the temporary file is made, once it is written and synced, just after the rename); the
target is always byte-identical to one complete version. A killed writer may leave its
temporary file behind: that is accepted when it is hidden (``.<name>.<random>.tmp``, in the
target's folder), at most one per killed write, and never at the target's own path.
Writing into a missing, read-only or full folder raises OutputError and changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.common.files import OutputError, atomic_write

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Size of each version written by the killed process (CUTOVER_ATOMIC_MB=200 for a long run).
SIZE = int(os.environ.get("CUTOVER_ATOMIC_MB", "32")) << 20
KILLS = 6
NAME = "plan.pdf"
TEMPORARY = re.compile(rf"^\.{re.escape(NAME)}\.[A-Za-z0-9_]+\.tmp$")

#: Writes the two versions in turn for ever; with a pause point, stops there instead.
WRITER = r"""
import os, sys, tempfile, time
from pathlib import Path
from cutover.common import files

target, size, pause = sys.argv[1], int(sys.argv[2]), sys.argv[3]
versions = [b"old-" * (size // 4), b"NEW!" * (size // 4) + b"longer"]

def stop(*_args):
    sys.stdout.write("paused\n")
    sys.stdout.flush()
    time.sleep(3600)

def pause_after(function):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        stop()
        return result
    return wrapper

if pause == "created":
    tempfile.mkstemp = pause_after(tempfile.mkstemp)  # what atomic_write imports
elif pause == "synced":
    files.os.fsync = pause_after(os.fsync)
elif pause == "replaced":
    files.Path.replace = pause_after(Path.replace)
sys.stdout.write("ready\n")
sys.stdout.flush()
turn = 1
while True:
    files.atomic_write(target, versions[turn % 2])
    turn += 1
"""


def _versions(size: int) -> tuple[bytes, bytes]:
    return b"old-" * (size // 4), b"NEW!" * (size // 4) + b"longer"


@pytest.fixture
def folder() -> Iterator[Path]:
    """A fresh folder anyone may enter (the read-only test runs a writer as nobody)."""
    path = Path(tempfile.mkdtemp(prefix="cutover-atomic-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        path.chmod(0o755)
        for child in path.iterdir():
            child.unlink() if not child.is_dir() else child.rmdir()
        path.rmdir()


def _start_writer(target: Path, size: int, pause: str) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), str(size), pause],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    if pause != "none":
        assert writer.stdout.readline().strip() == "paused"
    return writer


def _kill(writer: subprocess.Popen[str]) -> None:
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    if writer.stdout is not None:
        writer.stdout.close()


def _leftovers(folder: Path) -> list[str]:
    """The files besides the target, each of which must be a hidden temporary file."""
    others = sorted(path.name for path in folder.iterdir() if path.name != NAME)
    assert all(TEMPORARY.match(name) for name in others), others
    return others


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_never_leaves_half_a_file(folder: Path) -> None:
    target = folder / NAME
    old, new = _versions(SIZE)
    atomic_write(target, old)
    chance = random.Random(os.environ.get("CUTOVER_ATOMIC_SEED", "2025"))  # noqa: S311 - timing
    for kill in range(1, KILLS + 1):
        writer = _start_writer(target, SIZE, "none")
        with contextlib.suppress(subprocess.TimeoutExpired):
            writer.wait(timeout=chance.uniform(0.0, 0.8))
        _kill(writer)
        content = target.read_bytes()
        assert content in {old, new}, f"kill {kill}: {len(content)} bytes, neither version"
        assert len(_leftovers(folder)) <= kill


@pytest.mark.parametrize(
    ("pause", "survivor"), [("created", "old"), ("synced", "old"), ("replaced", "new")]
)
def test_a_writer_killed_at_each_step_leaves_one_whole_version(
    folder: Path, pause: str, survivor: str
) -> None:
    target = folder / NAME
    size = 1 << 20
    old, new = _versions(size)
    atomic_write(target, old)
    _kill(_start_writer(target, size, pause))
    assert target.read_bytes() == (old if survivor == "old" else new)
    expected = 0 if pause == "replaced" else 1
    assert len(_leftovers(folder)) == expected


def test_a_writer_killed_before_its_first_rename_leaves_no_target(folder: Path) -> None:
    target = folder / NAME
    _kill(_start_writer(target, 1 << 20, "synced"))
    assert not target.exists()
    assert len(_leftovers(folder)) == 1


def test_a_later_write_succeeds_beside_a_leftover(folder: Path) -> None:
    target = folder / NAME
    _kill(_start_writer(target, 1 << 20, "synced"))
    atomic_write(target, b"fresh")
    assert target.read_bytes() == b"fresh"
    assert len(_leftovers(folder)) == 1


# -- errors: OutputError, and the old file untouched -----------------------------------------


def test_a_missing_folder_is_an_output_error(folder: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write(folder / "missing" / NAME, b"data")
    assert list(folder.iterdir()) == []


def test_a_folder_as_target_is_an_output_error_and_no_temporary_is_left(folder: Path) -> None:
    target = folder / NAME
    target.mkdir()
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write(target, b"data")
    assert target.is_dir()
    assert _leftovers(folder) == []


def _write_as_nobody(target: Path) -> str:
    """Try one write in a forked child that has given up root; return what happened.

    Root ignores permissions, so a read-only folder means nothing to it; the child needs no
    new program (nobody may not be able to run this Python), only the modules loaded here.
    """
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(reader)
        outcome = "written"
        try:
            os.setgid(65534)
            os.setuid(65534)
            atomic_write(target, b"new content")
        except OutputError as error:
            outcome = f"OutputError: {error}"
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            outcome = f"{type(error).__name__}: {error}"
        os.write(writer, outcome.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(child, 0)
    return outcome


def test_a_read_only_folder_is_an_output_error_and_the_old_file_stays(folder: Path) -> None:
    target = folder / NAME
    atomic_write(target, b"old content")
    folder.chmod(0o555)
    if os.geteuid() == 0:
        outcome = _write_as_nobody(target)
    else:
        try:
            atomic_write(target, b"new content")
        except OutputError as error:
            outcome = f"OutputError: {error}"
        else:
            outcome = "written"
    assert outcome.startswith("OutputError: cannot write"), outcome
    assert "Permission denied" in outcome
    assert target.read_bytes() == b"old content"
    assert _leftovers(folder) == []


#: Writes more than RLIMIT_FSIZE allows: the disk is "full" after 64 KiB.
TOO_BIG = r"""
import resource, signal, sys
from cutover.common.files import OutputError, atomic_write
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))
try:
    atomic_write(sys.argv[1], b"x" * (1 << 20))
except OutputError as error:
    print("OutputError:", error)
"""


def test_a_full_disk_is_an_output_error_and_the_temporary_is_removed(folder: Path) -> None:
    target = folder / NAME
    atomic_write(target, b"old content")
    result = subprocess.run(
        [sys.executable, "-c", TOO_BIG, str(target)], capture_output=True, text=True, check=False
    )
    assert result.stdout.startswith("OutputError: cannot write"), result.stdout + result.stderr
    assert target.read_bytes() == b"old content"
    assert _leftovers(folder) == []


def test_an_interrupt_while_writing_removes_the_temporary(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / NAME
    atomic_write(target, b"old content")

    def interrupted(_descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old content"
    assert _leftovers(folder) == []


def test_a_replaced_file_keeps_its_permissions(folder: Path) -> None:
    target = folder / NAME
    atomic_write(target, b"old")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_text_that_cannot_be_encoded_is_an_output_error(folder: Path) -> None:
    target = folder / NAME
    atomic_write(target, b"old content")
    with pytest.raises(OutputError):
        atomic_write(target, "a lone surrogate \ud800")
    assert target.read_bytes() == b"old content"
    assert _leftovers(folder) == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name descriptors")
def test_the_rename_is_flushed_by_syncing_the_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the file's own fsync, the folder is synced too, so the new name is on disk."""
    synced: list[bool] = []
    real_fsync = os.fsync

    def spy(descriptor: int) -> None:
        synced.append(os.path.isdir(f"/proc/self/fd/{descriptor}"))  # noqa: PTH112
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write(folder / NAME, b"new")
    assert synced == [False, True]
