"""Plan files as text, and where things are in them.

Reading never raises an OSError or a UnicodeError at the caller: a missing, unreadable or
binary file becomes a located PlanError like any other mistake in a plan.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cutover.common.errors import Diagnostic, DocPath, PlanError, SourceLocation
from cutover.common.i18n import _
from cutover.planfile.yamldoc import Mark, PathIndex, index_paths

#: Refuse files larger than this: no plan is 1 GiB, and reading one would exhaust memory.
MAX_PLAN_BYTES = 1 << 30


def display_path(path: Path) -> str:
    """The path as a user wrote it, relative to the working directory when it is inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_plan_text(path: Path, file: str | None = None) -> str:
    """Read a plan file as text (UTF-8, a BOM allowed); raise PlanError if that fails."""
    name = file or display_path(path)
    return decode_plan_bytes(_read_bytes(path, name), name)


def decode_plan_bytes(data: bytes, name: str) -> str:
    """A plan's bytes as text, as a plan file is read: UTF-8, or UTF-16 with its BOM."""
    encoding = "utf-8-sig"  # plain UTF-8, with or without a byte order mark
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError(
            [
                Diagnostic(
                    "not-text",
                    _(
                        "this is not UTF-8 text (byte 0x{byte}): is it a plan file? "
                        "Save it as UTF-8"
                    ).format(byte=f"{data[exc.start]:02x}"),
                    SourceLocation(name, line, column),
                )
            ]
        ) from None


def _read_bytes(path: Path, name: str) -> bytes:
    def fail(message: str) -> PlanError:
        return PlanError([Diagnostic("unreadable", message, SourceLocation(name))])

    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise fail(_("this is a folder, not a plan file"))
        if not stat.S_ISREG(mode):
            raise fail(_("this is not a regular file (a device or a pipe?): a plan is a file"))
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PLAN_BYTES:
                raise fail(_("the file is larger than 1 GiB: no plan is that big"))
            data = handle.read()
    except FileNotFoundError:
        raise fail(_("no such file")) from None
    except PermissionError:
        raise fail(_("permission denied: cannot read this file")) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        why = getattr(exc, "strerror", None) or exc
        raise fail(_("cannot read this file: {why}").format(why=why)) from None
    return data


@dataclass
class PlanSource:
    """The text of a plan file and where its tasks are, to point messages at lines."""

    file: str
    text: str
    task_marks: dict[DocPath, Mark] = field(default_factory=dict)
    _index: PathIndex | None = None

    def locate(self, path: DocPath, *, at_key: bool = False) -> SourceLocation:
        """The file, line and column of a path of the document (its key with ``at_key``)."""
        mark = None if at_key else self.task_marks.get(path)
        if mark is None:
            if self._index is None:
                self._index = index_paths(self.text, self.file)
            mark = self._index.locate(path, at_key=at_key)
        return SourceLocation(self.file, *mark)


class Locator(Protocol):
    """Anything that says where a path of a plan document was written."""

    file: str

    def locate(self, path: DocPath, *, at_key: bool = False) -> SourceLocation:
        """The file, line and column of a path (of its key with ``at_key``)."""
        ...


#: Where a piece of a merged plan came from: the document it was written in, and its path there.
Origin = tuple[Locator, DocPath]


@dataclass
class MergedSource:
    """The source of a plan merged from templates: each piece points into its own file."""

    file: str
    origins: dict[DocPath, Origin]
    fallback: Locator

    def locate(self, path: DocPath, *, at_key: bool = False) -> SourceLocation:
        """Resolve through the longest prefix of ``path`` whose origin is known."""
        for end in range(len(path), -1, -1):
            origin = self.origins.get(path[:end])
            if origin is not None:
                locator, written = origin
                return locator.locate((*written, *path[end:]), at_key=at_key)
        return self.fallback.locate(path, at_key=at_key)
