"""Short forms of owners' names for a narrow printed column, with the key to read them.

``Department of Science and Technology (Sở Khoa học và Công nghệ)`` becomes ``DST``: the
part in brackets goes, words in capitals stay whole (``VNPT``), other capitalised words
give their initial, small words (``of``, ``and``) give nothing. A printed column of
``Depart…``, ``Depart…`` cannot tell two departments apart; ``DST`` and ``DHA`` can,
and the key under the title says which is which. When two owners would get the same
short form, or a name has no capitals to make one from, there is no short form.
"""

from __future__ import annotations

import re

_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")


#: Words that give no letter even when every word counts (English and Vietnamese).
SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "và", "của"})


def initials(name: str, *, every_word: bool = False) -> str:
    """``Provincial People's Committee`` → ``PPC``; ``VNPT Tuyên Quang`` → ``VNPT TQ``.

    Only capitalised words count, unless ``every_word`` (then all but SMALL_WORDS do:
    ``Provincial Steering Committee task force`` → ``PSCTF``).
    """
    parts: list[str] = []
    run = ""
    for word in _BRACKETS.sub("", name).split():
        letters = "".join(char for char in word if char.isalnum())
        if len(letters) > 1 and letters.isupper():  # an acronym or a code: kept whole
            if run:
                parts.append(run)
                run = ""
            parts.append(letters)
        elif letters[:1].isdigit():
            run += letters
        elif letters[:1].isupper() or (every_word and letters and word not in SMALL_WORDS):
            run += letters[0].upper()
    if run:
        parts.append(run)
    return " ".join(parts)


def abbreviate(names: set[str], fits: int) -> dict[str, str]:
    """Short forms of the names longer than ``fits`` characters: each unique, or none at all.

    A name whose bracketed part alone makes it long is first shown without it. Two names
    may share a short form only when they differ in their brackets alone (the same body,
    once with a gloss in another language).
    """
    short: dict[str, str] = {}
    for name in names:
        if len(name) <= fits:
            continue
        plain = _BRACKETS.sub("", name)
        short[name] = plain if len(plain) <= fits else initials(name)
    for tries in range(2):
        meaning: dict[str, set[str]] = {}
        for name in names:
            meaning.setdefault(short.get(name, name), set()).add(_BRACKETS.sub("", name))
        clashes = {value for value, meant in meaning.items() if len(meant) > 1}
        if not clashes:
            break
        if tries:
            return {}
        for name, value in short.items():  # the clashing ones spelled out more
            if value in clashes:
                short[name] = initials(name, every_word=True)
    if any(len(value) < 2 for value in short.values()):
        return {}
    return short


def key(short: dict[str, str]) -> list[tuple[str, str]]:
    """Each short form once with the longest name it stands for, by short form."""
    longest: dict[str, str] = {}
    for name, value in short.items():
        if len(name) > len(longest.get(value, "")):
            longest[value] = name
    return sorted(longest.items())
