"""Public holidays by country and year, kept on disk between runs.

Importing the holidays package and building one country's table costs about 90 ms, a
fifth of checking a small plan, on every run. The answers change only when the package
does, so they are kept in one JSON file per installed package version, in
``$CUTOVER_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/cutover``, else
``~/.cache/cutover``. A cache that cannot be read or written is ignored and the package
is asked instead; the file is replaced atomically, so a reader never sees half of one.

A cache is trusted only when it is whole and current: the file names the holidays version
that wrote it and carries a SHA-256 of its entries. A file of another version, of another
shape, or whose entries do not match their checksum (edited, truncated, poisoned to move
a holiday and with it every finish date) is ignored and rewritten from the package.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import zlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

_FORMAT = 2


def country_days(code: str, years: Iterable[int]) -> tuple[set[date], set[date]]:
    """``package_country_days``, answered from the cache where it can be."""
    store = _Store.open()
    days: set[date] = set()
    makeup: set[date] = set()
    for year in years:
        key = f"{code}/{year}"
        found = _read_days(store.days(key))
        if found is None:
            found = package_country_days(code, [year])
            store.put(key, [sorted(day.isoformat() for day in part) for part in found])
        days |= found[0]
        makeup |= found[1]
    store.save()
    return days, makeup


def _read_days(entry: list[list[str]] | None) -> tuple[set[date], set[date]] | None:
    """A cached year as dates, or None when it is missing or not dates (an edited file)."""
    if entry is None:
        return None
    try:
        return {date.fromisoformat(day) for day in entry[0]}, {
            date.fromisoformat(day) for day in entry[1]
        }
    except (TypeError, ValueError):
        return None


def supported_country(code: str) -> bool:
    """True when the holidays package knows the country code (or alias, such as UK)."""
    store = _Store.open()
    codes = store.codes()
    if codes is None:
        codes = sorted(package_country_codes())
        store.put("codes", codes)
        store.save()
    return code in codes


class _Store:
    """The cache file of the installed holidays package, read once per process."""

    _opened: _Store | None = None

    def __init__(self, path: Path | None, package: str = "") -> None:
        self.path = path
        self.package = package
        self.entries: dict[str, Any] = {}
        self.changed = False
        if path is not None:
            self.entries = _trusted_entries(path, package)

    @classmethod
    def open(cls) -> _Store:
        """The store for this process (a new one when the cache folder setting changed)."""
        path, package = _cache_file()
        if cls._opened is None or cls._opened.path != path:
            cls._opened = cls(path, package)
        return cls._opened

    def days(self, key: str) -> list[list[str]] | None:
        """A year's holidays and make-up days as ISO dates, or None (also when malformed)."""
        value = self.entries.get(key)
        if isinstance(value, list) and len(value) == 2 and all(_texts(part) for part in value):
            return value
        return None

    def codes(self) -> list[str] | None:
        """The country codes, or None."""
        value = self.entries.get("codes")
        return value if _texts(value) else None

    def put(self, key: str, value: list[str] | list[list[str]]) -> None:
        """Remember a value until ``save``."""
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:
        """Write what is new; a folder that cannot be written only costs the next run."""
        if not self.changed or self.path is None:
            return
        self.changed = False
        # Only a run that learnt something writes: the writer's imports stay off the others.
        from cutover.common.files import OutputError, atomic_write  # noqa: PLC0415

        with contextlib.suppress(OSError, OutputError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            document = {
                "format": _FORMAT,
                "package": self.package,
                "checksum": _checksum(self.entries),
                "entries": self.entries,
            }
            atomic_write(self.path, json.dumps(document))


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _checksum(entries: dict[str, Any]) -> str:
    """SHA-256 of the entries in one canonical spelling."""
    text = json.dumps(entries, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _trusted_entries(path: Path, package: str) -> dict[str, Any]:
    """The entries of a cache file written by this holidays version and unchanged since.

    Anything else (unreadable, not JSON, another format or version, entries that are not
    a mapping or do not match their checksum) is no cache: {} and the package is asked.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    entries = data.get("entries")
    if (
        data.get("package") != package
        or not isinstance(entries, dict)
        or data.get("checksum") != _checksum(entries)
    ):
        return {}
    return entries


def _cache_file() -> tuple[Path | None, str]:
    """The cache file for the installed holidays package and its version (None: no cache)."""
    folder = _cache_folder()
    if folder is None:
        return None, ""
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return None, ""
    try:
        stat = Path(origin).stat()
    except OSError:
        return None, ""
    package = _package_version(Path(origin))
    # pip rewrites the package when it changes version: its version, path, size and time
    # name it (importing it, or importlib.metadata, would cost what the cache saves).
    stamp = f"{package}|{origin}|{stat.st_size}|{stat.st_mtime_ns}".encode()
    return folder / f"holidays-{zlib.crc32(stamp):08x}.json", package


@functools.lru_cache(maxsize=4)
def _package_version(origin: Path) -> str:
    """The installed holidays version, from the name of its ``dist-info`` folder."""
    with contextlib.suppress(OSError):
        names = sorted(
            entry.name.removeprefix("holidays-").removesuffix(".dist-info")
            for entry in origin.parent.parent.glob("holidays-*.dist-info")
        )
        if names:
            return ",".join(names)
    return "unknown"


def _cache_folder() -> Path | None:
    setting = os.environ.get("CUTOVER_CACHE_DIR")
    if setting is not None:
        return Path(setting) if setting else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found
            return None
    return Path(base) / "cutover"


def package_country_days(code: str, years: Iterable[int]) -> tuple[set[date], set[date]]:
    """Public holidays of a country, and the make-up working days the holidays package records.

    ``country_days`` keeps the answers between runs.

    Viet Nam swaps days (2 May 2025 off, Saturday 26 April worked); the package keeps the
    worked day only inside its table of substituted holidays, so we read it from there.
    """
    import holidays  # noqa: PLC0415 - 60 ms to import: only plans that name a country pay

    table = holidays.country_holidays(code, years=list(years))
    days = set(table.keys())
    makeup: set[date] = set()
    special = getattr(table, "special_public_holidays", None) or {}
    for year in table.years:
        entries = special.get(year, ())
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            if isinstance(entry, tuple) and len(entry) in (4, 5):
                from_year = entry[4] if len(entry) == 5 else year
                makeup.add(date(from_year, entry[2], entry[3]))
    return days, makeup


def package_country_codes() -> frozenset[str]:
    """The country codes (and aliases such as UK) the holidays package knows.

    ``list_supported_countries`` imports every country's module to list subdivisions:
    80 ms of a check's start-up. The registry has the codes without importing any.
    """
    import holidays  # noqa: PLC0415

    try:
        from holidays.registry import EntityLoader  # noqa: PLC0415

        return frozenset(EntityLoader.get_country_codes())
    except (ImportError, AttributeError):  # pragma: no cover - an older or newer package
        return frozenset(holidays.list_supported_countries())
