"""Task ids made from task names: ASCII, unique in the plan, the same for the same file.

Vietnamese (and most Latin-script) names lose their marks: "Chuyển đổi hệ thống" becomes
``chuyen-doi-he-thong``. ``đ`` has no decomposition in Unicode, so it is mapped by hand, as
are a few letters that NFKD leaves whole (``ß``, ``æ``, ``ø``, ``ł``).
"""

from __future__ import annotations

import re
import unicodedata

#: Letters that Unicode does not decompose into an ASCII base and a mark.
_LETTERS = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "ð": "d",
    }
)
_NOT_ID = re.compile(r"[^a-z0-9]+")
#: Longest id made from a name; longer names are cut at a word boundary.
MAX_LENGTH = 48
_VALID = re.compile(r"^[A-Za-z0-9_.\-]+$")


def ascii_text(text: str) -> str:
    """``text`` with its letters' marks removed and anything else non-ASCII dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(char for char in decomposed if ord(char) < 128)


def slug(name: str) -> str:
    """The id a name suggests: lower case ASCII words joined by ``-`` (may be empty)."""
    words = _NOT_ID.sub("-", ascii_text(name).lower()).strip("-")
    if len(words) > MAX_LENGTH:
        cut = words[:MAX_LENGTH]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return words


def is_valid_id(text: str) -> bool:
    """True when ``text`` is a valid task id of the plan format."""
    return bool(_VALID.match(text))


class IdMaker:
    """Hands out unique ids in file order: the same names in the same order give the same ids."""

    def __init__(self) -> None:
        """Start with no id taken."""
        self.taken: set[str] = set()

    def reserve(self, wanted: str) -> bool:
        """Take an id given by the file itself; False when it is invalid or already taken."""
        if not is_valid_id(wanted) or wanted in self.taken:
            return False
        self.taken.add(wanted)
        return True

    def make(self, name: str, fallback: str) -> str:
        """A new id from ``name`` (``fallback`` when the name has no letter or digit).

        A second task of the same name gets ``-2``, a third ``-3``, and so on.
        """
        base = slug(name) or fallback
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.taken.add(candidate)
        return candidate
