r"""Plan text made safe to show on a terminal or in a CI log: one line, nothing hidden.

A plan from a pull request is hostile input, and its names reach terminals and CI logs. An
escape sequence there can set the window title, clear the screen or hide text; a line break
lets a name start a line of its own, where GitHub runs ``::warning …`` as a workflow
command; a right-to-left override makes text read differently from what it is. So every
piece of plan text shown to a person goes through ``display_text``: control characters
(C0, DEL, C1), bidirectional controls, line and paragraph separators and lone surrogates
are written as visible escapes (``\x1b``, ``\n``, ``\u202e``), and the text is cut at a
limit, because a 10 MB name is no name and would make wrapping it take minutes.

GitHub also runs ``::command::`` where a line starts with it after spaces, and the legacy
``##[command]`` anywhere in a line. A terminal or log wraps long text at any space (and a
long word anywhere), so no line is safe from plan text: every ``::`` is written ``:\:`` and
every ``##[`` is written ``##[\`` (the runner's own defence for its markers), which no CI
system reads as a command.

The escapes are for reading, not for round trips: a backslash in a name is left alone.
Machine formats (JSON, JUnit XML, workflow commands) keep their own escaping on top.
"""

from __future__ import annotations

import re

#: Characters of one piece of plan text shown at most (a name, an owner, a file name).
TEXT_LIMIT = 200
#: Characters of one message shown at most: a sentence that may quote a few texts.
MESSAGE_LIMIT = 1_000
#: What stands for the part of a text that is cut off.
ELLIPSIS = "…"

#: Never shown as they are: C0 controls (tab and line feed too: one line), DEL, C1
#: controls, the Arabic letter mark, left-to-right and right-to-left marks, the line and
#: paragraph separators, the bidirectional embeddings, overrides and isolates
#: (U+202A-U+202E, U+2066-U+2069), and lone surrogates (no encoding can write them).
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
#: A colon that starts ``::`` (GitHub's workflow commands), and the legacy ``##[`` prefix.
_COMMAND = re.compile(r":(?=:)|##\[")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """Plan text as one line that shows every character it holds, at most ``limit`` long.

    ``limit`` counts the characters of the text before escaping; a longer text keeps its
    first ``limit - 1`` and ends in an ellipsis. Text without anything to escape comes
    back unchanged (ASCII and Vietnamese names look exactly as written).
    """
    text = shorten(text, limit)
    if _HIDDEN.search(text) is not None:
        text = _HIDDEN.sub(_visible, text)
    if "::" in text or "##[" in text:
        text = _COMMAND.sub(_inert, text)
    return text


def _inert(match: re.Match[str]) -> str:
    return ":\\" if match.group() == ":" else "##[\\"


def shorten(text: str, limit: int) -> str:
    """The text, or its first ``limit - 1`` characters and an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def display_message(text: str) -> str:
    """A message (one sentence that may quote plan text) as one visible line."""
    return display_text(text, MESSAGE_LIMIT)
