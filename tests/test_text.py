"""display_text: plan text on a terminal or in a CI log is one line with nothing hidden."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutover.common.text import ELLIPSIS, MESSAGE_LIMIT, TEXT_LIMIT, display_message, display_text

#: What no terminal line may hold raw: C0, DEL, C1, bidi controls, separators, surrogates.
HIDDEN = {
    *map(chr, range(0x20)),
    *map(chr, range(0x7F, 0xA0)),
    "\u061c", "\u200e", "\u200f", "\u2028", "\u2029",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    chr(0xD800), chr(0xDFFF),
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Go-live Cổng Dịch vụ công", "Go-live Cổng Dịch vụ công"),
        ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
        ("clear\x1b[2J", "clear\\x1b[2J"),
        ("two\nlines\r\tend", "two\\nlines\\r\\tend"),
        ("del\x7f c1\x85\x9b", "del\\x7f c1\\x85\\x9b"),
        ("abc\u202edcba\u2066x\u2069", "abc\\u202edcba\\u2066x\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
        ("lone \ud800", "lone \\ud800"),
        ("x\n::warning file=x::hi", "x\\n:\\:warning file=x:\\:hi"),
        (":::", ":\\:\\:"),
        ("see ##[error]boom", "see ##[\\error]boom"),
        ("a: b, c", "a: b, c"),
    ],
)
def test_hidden_characters_and_ci_commands_are_made_visible(text: str, shown: str) -> None:
    assert display_text(text) == shown


def test_a_long_text_is_cut_at_the_limit() -> None:
    shown = display_text("x" * 10_000_000)
    assert len(shown) == TEXT_LIMIT
    assert shown.endswith(ELLIPSIS)
    assert display_text("x" * TEXT_LIMIT) == "x" * TEXT_LIMIT
    assert len(display_text("y" * 5, limit=3)) == 3
    assert len(display_message("z" * 10**6)) == MESSAGE_LIMIT


@given(st.text())
def test_any_text_shows_as_one_line_of_visible_characters(text: str) -> None:
    shown = display_text(text)
    assert not set(shown) & HIDDEN
    assert "::" not in shown
    assert "##[" not in shown
    shown.encode("utf-8")  # always writable
    assert len(display_text(text, limit=50)) <= 50 * 6
