"""Public holidays by country and year, kept on disk between runs.

Importing the holidays package and building one country's table costs about 90 ms, a
fifth of checking a small plan, on every run. The answers change only when the package
does, so they are kept in one JSON file per installed package version, in
``$CUTOVER_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/cutover``, else
``~/.cache/cutover``. A cache that cannot be read or written is ignored and the package
is asked instead; the file is replaced atomically, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import zlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

_FORMAT = 1


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
    """True when the holidays package knows the country code (or alias, such as UK).

    A region is written after its country and a hyphen, as ISO 3166-2 does: ``DE-BY``
    (Bavaria), ``GB-ENG`` (England); the package must know the region too.
    """
    country, _, region = code.partition("-")
    store = _Store.open()
    codes = store.codes()
    if codes is None:
        codes = sorted(package_country_codes())
        store.put("codes", codes)
        store.save()
    if country not in codes:
        return False
    return not region or region in regions_of(country)


def regions_of(country: str) -> list[str]:
    """The regions (subdivisions) of a country the holidays package knows, cached."""
    store = _Store.open()
    key = f"regions/{country}"
    known = store.codes(key)
    if known is not None:
        return known
    import holidays  # noqa: PLC0415 - only a plan that names a region pays

    regions = sorted(holidays.country_holidays(country).subdivisions)
    store.put(key, regions)
    store.save()
    return regions


class _Store:
    """The cache file of the installed holidays package, read once per process."""

    _opened: _Store | None = None

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.changed = False
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("format") == _FORMAT:
                    self.entries = data.get("entries") or {}

    @classmethod
    def open(cls) -> _Store:
        """The store for this process (a new one when the cache folder setting changed)."""
        path = _cache_file()
        if cls._opened is None or cls._opened.path != path:
            cls._opened = cls(path)
        return cls._opened

    def days(self, key: str) -> list[list[str]] | None:
        """A year's holidays and make-up days as ISO dates, or None (also when malformed)."""
        value = self.entries.get(key)
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(part, list) for part in value)
        ):
            return value
        return None

    def codes(self, key: str = "codes") -> list[str] | None:
        """A list of codes (the countries, or a country's regions), or None."""
        value = self.entries.get(key)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None

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
            atomic_write(self.path, json.dumps({"format": _FORMAT, "entries": self.entries}))


def _cache_file() -> Path | None:
    """The cache file for the installed holidays package, or None without a cache."""
    folder = _cache_folder()
    if folder is None:
        return None
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return None
    try:
        stat = Path(origin).stat()
    except OSError:
        return None
    # pip rewrites the package when it changes version: its path, size and time name it.
    stamp = f"{origin}|{stat.st_size}|{stat.st_mtime_ns}".encode()
    return folder / f"holidays-{zlib.crc32(stamp):08x}.json"


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

    country, _, region = code.partition("-")
    table = holidays.country_holidays(country, subdiv=region or None, years=list(years))
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
