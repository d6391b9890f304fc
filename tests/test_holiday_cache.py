"""The holidays cache answers as the package does, and never stands in a run's way."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from cutover.worktime import holidays as holiday_cache
from cutover.worktime.holidays import package_country_codes, package_country_days

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Cli

YEARS = [2024, 2025, 2026]


def use_cache(monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> None:
    monkeypatch.setenv("CUTOVER_CACHE_DIR", str(folder))


def test_cached_days_are_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cache(monkeypatch, tmp_path)
    first = holiday_cache.country_days("VN", YEARS)
    assert first == package_country_days("VN", YEARS)
    assert date(2025, 9, 2) in first[0]  # National Day
    assert date(2025, 4, 26) in first[1]  # the Saturday worked for 2 May 2025
    (cache,) = tmp_path.glob("holidays-*.json")
    holiday_cache._Store._opened = None
    assert holiday_cache.country_days("VN", YEARS) == first
    assert holiday_cache.supported_country("VN")
    assert holiday_cache.supported_country("UK")
    assert not holiday_cache.supported_country("XX")
    entries = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert sorted(entries) == ["VN/2024", "VN/2025", "VN/2026", "codes"]
    assert set(entries["codes"]) == package_country_codes()


def test_a_second_run_does_not_import_the_holidays_package(tmp_path: Path) -> None:
    code = (
        "import sys; from cutover.worktime.holidays import country_days, supported_country; "
        "days, _ = country_days('VN', [2025]); assert supported_country('VN'); "
        "print(len(days), 'holidays' in sys.modules)"
    )
    env = {"CUTOVER_CACHE_DIR": str(tmp_path), "PATH": ""}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][1] == "True"
    assert runs[1] == [runs[0][0], "False"]


def test_a_broken_cache_is_asked_again_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_cache(monkeypatch, tmp_path)
    holiday_cache.country_days("VN", [2025])
    (cache,) = tmp_path.glob("holidays-*.json")
    for broken in (
        "{not json",
        '{"format": 1, "entries": {"VN/2025": [1, 2]}}',
        '{"format": 1, "entries": {"VN/2025": [["not a date"], [3]]}}',
        "[]",
    ):
        cache.write_text(broken, encoding="utf-8")
        holiday_cache._Store._opened = None
        assert holiday_cache.country_days("VN", [2025]) == package_country_days("VN", [2025])
        assert json.loads(cache.read_text(encoding="utf-8"))["format"] == holiday_cache._FORMAT


def test_a_folder_that_cannot_be_written_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    use_cache(monkeypatch, blocker / "cache")
    assert holiday_cache.country_days("VN", [2025]) == package_country_days("VN", [2025])
    use_cache(monkeypatch, "")  # no cache at all
    assert holiday_cache.supported_country("DE")
    assert not list(tmp_path.glob("**/holidays-*.json"))


def _rewrite(cache: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change a cache file's document as a careless tool or a hostile job would."""
    document = json.loads(cache.read_text(encoding="utf-8"))
    change(document)
    cache.write_text(json.dumps(document), encoding="utf-8")
    holiday_cache._Store._opened = None


def _entries_list(document: dict[str, Any]) -> None:
    document["entries"] = [["VN/2025", [[], []]]]


def _codes_poisoned(document: dict[str, Any]) -> None:
    document["entries"]["codes"] = ["XX"]  # VN unknown, XX known


def _codes_not_text(document: dict[str, Any]) -> None:
    document["entries"]["codes"] = [["VN"], {"a": 1}]


def _holiday_moved(document: dict[str, Any]) -> None:
    days, makeup = document["entries"]["VN/2025"]
    document["entries"]["VN/2025"] = [[*days, "2025-06-17"], makeup]


def _other_version(document: dict[str, Any]) -> None:
    document["package"] = "0.1"
    document["checksum"] = holiday_cache._checksum(document["entries"])


@pytest.mark.parametrize(
    "change", [_entries_list, _codes_poisoned, _codes_not_text, _holiday_moved, _other_version]
)
def test_a_poisoned_cache_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[dict[str, Any]], None]
) -> None:
    """Was: entries that are a list crashed every run (AttributeError, exit 3); a country
    list or a holiday edited in the file was believed, and moved finish dates silently."""
    use_cache(monkeypatch, tmp_path)
    holiday_cache.country_days("VN", [2025])
    assert holiday_cache.supported_country("VN")
    (cache,) = tmp_path.glob("holidays-*.json")
    _rewrite(cache, change)
    assert holiday_cache.supported_country("VN")
    assert not holiday_cache.supported_country("XX")
    assert holiday_cache.country_days("VN", [2025]) == package_country_days("VN", [2025])
    document = json.loads(cache.read_text(encoding="utf-8"))  # rewritten, and trusted again
    assert document["checksum"] == holiday_cache._checksum(document["entries"])
    assert "2025-06-17" not in document["entries"]["VN/2025"][0]
    assert document["package"] == holiday_cache._cache_file()[1] != "unknown"


def test_a_poisoned_cache_moves_no_finish_date(tmp_path: Path, cli: Cli) -> None:
    """The whole way: a holiday slipped into the cache does not move a plan's dates."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "plan: x\nstart: 2025-06-16\ncalendars:\n  default: {holidays_country: VN}\n"
        "tasks:\n  - {id: a, duration: 3d}\n",
        encoding="utf-8",
    )
    env = {"CUTOVER_CACHE_DIR": str(tmp_path / "cache")}
    args = ("schedule", str(plan), "--format", "json")
    before = json.loads(cli(*args, env=env).stdout)["finish"]
    (cache,) = (tmp_path / "cache").glob("holidays-*.json")
    _rewrite(cache, _holiday_moved)
    assert json.loads(cli(*args, env=env).stdout)["finish"] == before
