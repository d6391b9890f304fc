"""The language cutover speaks: which one, and the catalog that translates its messages.

English text stays in the code as the message ids; ``_("…")`` looks each up in the gettext
catalog of the chosen language (``common/locale/LANG/LC_MESSAGES/cutover.mo``, compiled from
the ``.po`` beside it). Adding a language is adding a catalog. The language is chosen once
per command (``choose_language``) and read by everything that words or formats text.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

DOMAIN = "cutover"
ENGLISH = "en"
LOCALE_DIR = Path(__file__).with_name("locale")
#: Where the language comes from, strongest first, after ``--lang`` and before the plan.
LANGUAGE_VARIABLE = "CUTOVER_LANG"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_state: dict[str, str] = {"language": ENGLISH}
#: What the command line asked for (``--lang``), kept so a plan read later cannot override it.
_asked: dict[str, str | None] = {"option": None}


class LanguageError(ValueError):
    """A language was asked for that has no catalog."""


def available_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalog, sorted."""
    found = (
        {
            folder.name
            for folder in LOCALE_DIR.iterdir()
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
        }
        if LOCALE_DIR.is_dir()
        else set()
    )
    return tuple(sorted(found | {ENGLISH}))


def normalise(code: str) -> str:
    """``vi_VN.UTF-8`` → ``vi``; ``EN`` → ``en``: the language part of a locale name."""
    return code.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def check_language(code: str) -> str:
    """A language code the catalogs know, or ``LanguageError`` naming the ones they do."""
    language = normalise(code)
    known = available_languages()
    if language not in known:
        raise LanguageError(f"{code!r} is not a language cutover speaks: use {', '.join(known)}")
    return language


def choose_language(
    option: str | None,
    plan_language: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to speak: ``--lang``, else ``CUTOVER_LANG``, else the plan's, else the locale.

    ``--lang`` and ``CUTOVER_LANG`` must name a known language (``LanguageError``); the
    plan's ``language`` is checked by the plan model; a locale whose language has no
    catalog (``fr_FR.UTF-8``) falls back to English, as every program does.
    """
    env = os.environ if environ is None else environ
    if option:
        return check_language(option)
    if env.get(LANGUAGE_VARIABLE):
        return check_language(env[LANGUAGE_VARIABLE])
    if plan_language:
        return check_language(plan_language)
    for variable in _LOCALE_VARIABLES:
        value = env.get(variable)
        if value:
            language = normalise(value)
            return language if language in available_languages() else ENGLISH
    return ENGLISH


def set_language(language: str) -> None:
    """Speak ``language`` from now on (a known code: see ``check_language``)."""
    _state["language"] = language


def speak(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Choose and set the language from ``--lang``, the environment and the locale.

    The command line calls this before any output; ``speak_for_plan`` may then switch to a
    plan's own ``language`` when neither ``--lang`` nor ``CUTOVER_LANG`` chose one.
    """
    _asked["option"] = option
    language = choose_language(option, None, environ)
    set_language(language)
    return language


def forget() -> None:
    """Back to English with no ``--lang`` asked: the state a command starts from."""
    _asked["option"] = None
    set_language(ENGLISH)


def speak_for_plan(plan_language: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Speak the plan's ``language`` unless ``--lang`` or ``CUTOVER_LANG`` said otherwise."""
    language = choose_language(_asked["option"], plan_language, environ)
    set_language(language)
    return language


def help_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of ``--help``: ``--lang``'s if it was parsed first, else the environment's.

    A bad ``CUTOVER_LANG`` is reported by the command, not by its help.
    """
    if _asked["option"]:
        return current_language()
    try:
        return choose_language(None, None, environ)
    except LanguageError:
        return ENGLISH


def current_language() -> str:
    """The language in use: ``en`` unless a command chose another."""
    return _state["language"]


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog has no translation)."""
    language = _state["language"]
    if language == ENGLISH:
        return message
    return _catalog(language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    language = _state["language"]
    if language == ENGLISH:
        return singular if count == 1 else plural
    return _catalog(language).ngettext(singular, plural, count)


def n_(message: str) -> str:
    """Mark a message for the catalog without translating it yet (a table of labels)."""
    return message
