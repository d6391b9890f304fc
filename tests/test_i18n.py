"""The language cutover speaks: choosing it, the catalogs, and Vietnamese dates and numbers."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cutover.common import i18n
from cutover.findings import wording
from cutover.worktime.durations import format_minutes
from cutover.worktime.timebase import TimeBase

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "catalog.py"


@pytest.fixture
def vietnamese() -> Iterator[None]:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def _catalog_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalog", TOOLS)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog"] = module
    spec.loader.exec_module(module)
    return module


def test_the_option_beats_the_environment_the_plan_and_the_locale() -> None:
    env = {"CUTOVER_LANG": "en", "LANG": "vi_VN.UTF-8"}
    assert i18n.choose_language("vi", "en", env) == "vi"
    assert i18n.choose_language(None, "vi", env) == "en"
    assert i18n.choose_language(None, "vi", {"LANG": "en_GB.UTF-8"}) == "vi"
    assert i18n.choose_language(None, None, {"LANG": "vi_VN.UTF-8"}) == "vi"
    assert i18n.choose_language(None, None, {"LC_ALL": "en_US", "LANG": "vi_VN"}) == "en"
    assert i18n.choose_language(None, None, {"LC_MESSAGES": "vi_VN.utf8"}) == "vi"
    assert i18n.choose_language(None, None, {}) == "en"


def test_a_locale_without_a_catalog_is_english_but_an_unknown_option_is_an_error() -> None:
    assert i18n.choose_language(None, None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.choose_language(None, None, {"LANG": "C.UTF-8"}) == "en"
    with pytest.raises(
        i18n.LanguageError, match="'fr' is not a language cutover speaks: use en, vi"
    ):
        i18n.choose_language("fr", None, {})
    with pytest.raises(i18n.LanguageError):
        i18n.choose_language(None, None, {"CUTOVER_LANG": "xx"})


def test_every_message_of_the_code_is_in_each_catalog_and_translated() -> None:
    tool = _catalog_tool()
    code = tool.extract()
    assert code, "no message ids found: the extractor is broken"
    for language in i18n.available_languages():
        if language == "en":
            continue
        po = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "cutover.po"
        with po.open("rb") as stream:
            catalog = tool.read_po(stream, locale=language)
        ids = {m.id for m in catalog if m.id}
        assert ids == set(code), f"run python tools/catalog.py: {language} is out of step"
        untranslated = [
            m.id
            for m in catalog
            if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
        ]
        assert untranslated == [], f"{language}: untranslated messages"
        assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_compiled_catalog_is_the_po_file_compiled() -> None:
    tool = _catalog_tool()
    for language in i18n.available_languages():
        if language == "en":
            continue
        folder = i18n.LOCALE_DIR / language / "LC_MESSAGES"
        with (folder / "cutover.po").open("rb") as stream:
            catalog = tool.read_po(stream, locale=language)
        with (folder / "cutover.mo").open("rb") as stream:
            compiled = gettext.GNUTranslations(stream)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                assert compiled.gettext(message.id) == message.string, message.id


@pytest.mark.usefixtures("vietnamese")
def test_durations_are_exact_in_vietnamese() -> None:
    assert format_minutes(216) == "3 giờ 36 phút"
    assert format_minutes(480 + 120) == "1 ngày 2 giờ"
    assert format_minutes(-45) == "-45 phút"
    assert format_minutes(0) == "0"


def test_durations_stay_short_in_english() -> None:
    assert format_minutes(216) == "3h 36m"
    assert format_minutes(600) == "1d 2h"


def test_compact_durations_have_one_letter_a_unit_in_each_language() -> None:
    """For a tight column: the same rule in both languages, the letters from the catalog."""
    assert format_minutes(480 + 390, compact=True) == "1d 6h 30m"
    assert format_minutes(-216, compact=True) == "-3h 36m"
    assert format_minutes(0, compact=True) == "0"
    i18n.set_language("vi")
    try:
        assert format_minutes(480 + 390) == "1 ngày 6 giờ 30 phút"
        assert format_minutes(480 + 390, compact=True) == "1n 6g 30p"
        assert format_minutes(-216, compact=True) == "-3g 36p"
        assert format_minutes(45, compact=True) == "45p"
    finally:
        i18n.set_language("en")


@pytest.mark.usefixtures("vietnamese")
def test_dates_and_numbers_the_vietnamese_way() -> None:
    base = TimeBase("Asia/Ho_Chi_Minh")
    minute = base.minute(datetime(2025, 6, 26, 9, 0))
    assert wording.when(base, minute) == "Thứ Năm, 26/06/2025 09:00"
    assert wording.status_line(base, minute) == "ngày báo cáo tình trạng Thứ Năm, 26/06/2025 09:00"
    assert wording.number(1234.5) == "1.234,5"


def test_english_dates_do_not_change() -> None:
    base = TimeBase("Asia/Ho_Chi_Minh")
    minute = base.minute(datetime(2025, 6, 26, 9, 0))
    assert wording.when(base, minute) == "Thu 26 Jun 2025 09:00"
    assert wording.number(1234.5) == "1,234.5"
