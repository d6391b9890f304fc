"""Output targets: what ``-o``, ``--format FMT:PATH`` and ``$GITHUB_STEP_SUMMARY`` may write.

An output is never a reason to destroy what is at its path: ``-`` is standard output, a
device or a FIFO is written through (never replaced by a regular file), a symbolic link is
followed (the link stays), a replaced file keeps its mode and owner, a hard-linked file is
written in place. A full device is exit 2 "no space left", without a traceback. Devices
are made with ``os.mknod`` in a temporary folder (as root), never taken from ``/dev``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.common import files
from cutover.common.files import OutputError, atomic_write
from tests.conftest import ROOT, WORKED

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod and chown need root")
NOBODY = 65534
AS_OF = "2025-06-17T09:00"


@pytest.fixture
def folder() -> Iterator[Path]:
    """A fresh folder anyone may use (some tests run cutover as nobody)."""
    path = Path(tempfile.mkdtemp(prefix="cutover-targets-"))
    path.chmod(0o777)
    (path / "plan.yaml").write_text(WORKED, encoding="utf-8")
    (path / "plan.yaml").chmod(0o644)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _device(path: Path, minor: int) -> Path:
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return path


def _is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(path.lstat().st_mode)


class _Reader(threading.Thread):
    """Reads a FIFO to its end in the background, as a program at its other end would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.data = b""

    def run(self) -> None:
        with self.path.open("rb") as handle:
            self.data = handle.read()


def _export(cli: Cli, folder: Path, target: str, *extra: str) -> tuple[int, str, str]:
    result = cli("export", str(folder / "plan.yaml"), "-f", "json", "-o", target, *extra)
    return result.exit_code, result.stdout, result.stderr


def test_a_dash_is_standard_output(cli: Cli, folder: Path) -> None:
    code, out, _ = _export(cli, folder, "-")
    assert code == 0
    assert json.loads(out)["plan"] == "Worked example"
    assert not (folder / "-").exists()


def test_a_dash_in_a_check_format_is_standard_output(cli: Cli, folder: Path) -> None:
    result = cli(
        "check",
        str(folder / "plan.yaml"),
        "--as-of",
        AS_OF,
        "--fail-on",
        "invalid",
        "--format",
        "json:-",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["plans"]
    assert not (folder / "-").exists()


@ROOT_ONLY
@pytest.mark.parametrize("command", ["export", "check", "convert"])
def test_a_null_device_is_written_through_and_stays_a_device(
    cli: Cli, folder: Path, command: str
) -> None:
    null = _device(folder / "null", 3)
    plan = str(folder / "plan.yaml")
    arguments = {
        "export": ["export", plan, "-f", "json", "-o", str(null)],
        "check": [
            "check",
            plan,
            "--as-of",
            AS_OF,
            "--fail-on",
            "invalid",
            "--format",
            f"junit:{null}",
        ],
        "convert": ["convert", plan, "-o", str(null)],
    }[command]
    result = cli(*arguments)
    assert result.exit_code == 0, result.output
    assert _is_char_device(null)


@ROOT_ONLY
@pytest.mark.parametrize("command", ["export", "check", "convert"])
def test_a_full_device_is_exit_2_no_space_left(cli: Cli, folder: Path, command: str) -> None:
    full = _device(folder / "full", 7)
    plan = str(folder / "plan.yaml")
    arguments = {
        "export": ["export", plan, "-f", "json", "-o", str(full)],
        "check": [
            "check",
            plan,
            "--as-of",
            AS_OF,
            "--fail-on",
            "invalid",
            "--format",
            f"junit:{full}",
        ],
        "convert": ["convert", plan, "-o", str(full)],
    }[command]
    result = cli(*arguments)
    assert result.exit_code == 2, result.output
    assert f"cannot write {full}: no space left on the device" in result.stderr
    assert "Traceback" not in result.output
    assert _is_char_device(full)


def test_a_fifo_is_written_through_to_its_reader(cli: Cli, folder: Path) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    reader = _Reader(fifo)
    reader.start()
    code, _, err = _export(cli, folder, str(fifo))
    reader.join(timeout=30)
    assert code == 0, err
    assert json.loads(reader.data)["plan"] == "Worked example"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_without_a_reader_is_exit_2_not_a_hang(
    cli: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "FIFO_WAIT", 0.2)
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    code, _, err = _export(cli, folder, str(fifo))
    assert code == 2
    assert "no program is reading from it" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_socket_is_exit_2_and_stays(cli: Cli, folder: Path) -> None:
    import socket  # noqa: PLC0415

    path = folder / "sock"
    with contextlib.closing(socket.socket(socket.AF_UNIX)) as server:
        server.bind(str(path))
        code, _, err = _export(cli, folder, str(path))
    assert code == 2
    assert f"cannot write {path}" in err
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_symbolic_link_is_followed_and_stays_a_link(cli: Cli, folder: Path) -> None:
    real = folder / "real.json"
    real.write_text("old", encoding="utf-8")
    link = folder / "link.json"
    link.symlink_to(real.name)
    code, _, err = _export(cli, folder, str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["plan"] == "Worked example"


def test_a_dangling_link_creates_the_file_it_names(folder: Path) -> None:
    link = folder / "link.json"
    link.symlink_to("made.json")
    atomic_write(link, "new")
    assert link.is_symlink()
    assert (folder / "made.json").read_text(encoding="utf-8") == "new"


def test_a_link_to_standard_output_prints(folder: Path) -> None:
    """``-o /dev/stdout``, with the link made in the temporary folder."""
    link = folder / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = _run_cutover(["export", str(folder / "plan.yaml"), "-f", "json", "-o", str(link)])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plan"] == "Worked example"
    assert link.is_symlink()


def test_a_hard_linked_file_is_written_in_place(folder: Path) -> None:
    first = folder / "a.json"
    first.write_text("old", encoding="utf-8")
    second = folder / "b.json"
    second.hardlink_to(first)
    atomic_write(first, "new content")
    assert second.read_text(encoding="utf-8") == "new content"
    assert first.stat().st_ino == second.stat().st_ino
    assert first.stat().st_nlink == 2


def test_a_replaced_file_keeps_its_mode(folder: Path) -> None:
    target = folder / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == "new"


@ROOT_ONLY
def test_a_replaced_file_keeps_its_owner(folder: Path) -> None:
    target = folder / "out.json"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 1234, 4321)
    target.chmod(0o600)
    atomic_write(target, "new")
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (1234, 4321)
    assert stat.S_IMODE(status.st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == "new"


@ROOT_ONLY
def test_as_a_normal_user_a_file_of_another_owner_is_written_in_place(folder: Path) -> None:
    """The owner cannot be kept by a rename: the file is written in place instead."""
    target = folder / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o666)
    code, _, err = _run_as_nobody(
        ["export", str(folder / "plan.yaml"), "-f", "json", "-o", str(target)]
    )
    assert code == 0, err
    assert target.stat().st_uid == 0
    assert json.loads(target.read_text(encoding="utf-8"))["plan"] == "Worked example"


@ROOT_ONLY
@pytest.mark.parametrize("kind", ["fifo", "stdout", "dash"])
def test_as_a_normal_user_special_targets_work(folder: Path, kind: str) -> None:
    plan = str(folder / "plan.yaml")
    reader = None
    if kind == "fifo":
        target = folder / "pipe"
        os.mkfifo(target, 0o666)
        target.chmod(0o666)
        reader = _Reader(target)
        reader.start()
    elif kind == "stdout":
        target = folder / "stdout"
        target.symlink_to("/proc/self/fd/1")
    else:
        target = Path("-")
    code, out, err = _run_as_nobody(["export", plan, "-f", "json", "-o", str(target)])
    assert code == 0, err
    printed = out
    if reader is not None:
        reader.join(timeout=30)
        printed = reader.data
    assert json.loads(printed)["plan"] == "Worked example"


def test_a_folder_is_an_output_error(folder: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        atomic_write(folder, "x")


def test_convert_writes_through_a_device_without_force(cli: Cli, folder: Path) -> None:
    """A FIFO is not a file to replace: --force is not needed to write to it."""
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    reader = _Reader(fifo)
    reader.start()
    result = cli("convert", str(folder / "plan.yaml"), "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert json.loads(reader.data)["plan"] == "Worked example"


# -- $GITHUB_STEP_SUMMARY ---------------------------------------------------------------------


def _check_with_summary(cli: Cli, folder: Path, summary: Path) -> tuple[int, str]:
    result = cli(
        "check",
        str(folder / "plan.yaml"),
        "--as-of",
        AS_OF,
        "--fail-on",
        "invalid",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    return result.exit_code, result.output


def test_the_step_summary_is_appended_without_reading_it(cli: Cli, folder: Path) -> None:
    summary = folder / "summary.md"
    summary.write_bytes(b"earlier step")
    code, output = _check_with_summary(cli, folder, summary)
    assert code == 0, output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ")


@ROOT_ONLY
def test_a_step_summary_on_an_endless_device_is_not_read(cli: Cli, folder: Path) -> None:
    """``/dev/zero``: reading it never ends; writing to it is harmless."""
    zero = _device(folder / "zero", 5)
    code, output = _check_with_summary(cli, folder, zero)
    assert code == 0, output
    assert _is_char_device(zero)


def test_a_step_summary_on_a_fifo_does_not_hang(folder: Path) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    result = _run_cutover(
        ["check", str(folder / "plan.yaml"), "--as-of", AS_OF, "--fail-on", "invalid"],
        env={"GITHUB_STEP_SUMMARY": str(fifo)},
        timeout=60,
    )
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# -- helpers ----------------------------------------------------------------------------------


#: What an export imports lazily, loaded before root is dropped.
_PRELOAD = (
    "cutover.cli",
    "cutover.export",
    "cutover.findings.pipeline",
    "typer.rich_utils",
    "rich.traceback",
    "rich.markdown",
    "encodings.idna",
)


def _run_as_nobody(arguments: list[str]) -> tuple[int, bytes, str]:
    """cutover run in a forked child that has dropped root for nobody (no groups).

    Forked rather than executed: nobody may not be allowed to run this Python.
    """
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    os.fchmod(out_write, 0o666)  # nobody may open its standard output again by name
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        code = 99
        try:
            os.dup2(out_write, 1)
            os.dup2(err_write, 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            os.environ["CUTOVER_AS_OF"] = ""
            for module in _PRELOAD:  # nobody may not read the site-packages of root
                importlib.import_module(module)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            from cutover.cli import main  # noqa: PLC0415

            main(arguments)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    os.close(out_write)
    os.close(err_write)
    with os.fdopen(out_read, "rb") as out, os.fdopen(err_read, "rb") as err:
        printed = out.read()
        said = err.read().decode(errors="replace")
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), printed, said


def _run_cutover(
    arguments: list[str], *, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """cutover in a child process, with its own standard output and error."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src")),
        "CUTOVER_AS_OF": "",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "cutover", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
        cwd=tempfile.gettempdir(),
    )


def test_a_link_to_standard_output_that_is_a_log_file_appends_to_it(folder: Path) -> None:
    """``-o /dev/stdout >> log``: the log keeps what was in it, the export follows."""
    link = folder / "stdout"
    link.symlink_to("/proc/self/fd/1")
    log = folder / "log.txt"
    log.write_bytes(b"earlier lines\n")
    command = ["export", str(folder / "plan.yaml"), "-f", "json", "-o", str(link)]
    with log.open("ab") as handle:
        result = subprocess.run(
            [sys.executable, "-m", "cutover", *command],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))},
            check=False,
        )
    assert result.returncode == 0, result.stderr
    written = log.read_bytes()
    assert written.startswith(b"earlier lines\n{")
    assert json.loads(written.removeprefix(b"earlier lines\n"))["plan"] == "Worked example"
    assert link.is_symlink()
