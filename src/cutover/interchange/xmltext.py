"""Writing XML text by hand: escaped text, characters XML 1.0 forbids dropped, indented.

The MSPDI schema fixes the order of every element, so the writers list them in that order
themselves; a general serialiser would add nothing but a dependency.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped, forbidden characters gone."""
    cleaned = _FORBIDDEN.sub("", text)
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class XmlText:
    """Lines of an XML document being written, with the indentation of the open elements."""

    def __init__(self) -> None:
        """Start with the XML declaration."""
        self.lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>']
        self._open: list[str] = []

    def open(self, tag: str, attributes: str = "") -> None:
        """Open an element; ``attributes`` is written as given (already escaped)."""
        self.lines.append(f"{'  ' * len(self._open)}<{tag}{attributes}>")
        self._open.append(tag)

    def close(self) -> None:
        """Close the innermost open element."""
        tag = self._open.pop()
        self.lines.append(f"{'  ' * len(self._open)}</{tag}>")

    def leaf(self, tag: str, value: str | int | None) -> None:
        """An element with text; nothing at all when ``value`` is None."""
        if value is None:
            return
        self.lines.append(f"{'  ' * len(self._open)}<{tag}>{escape(str(value))}</{tag}>")

    def text(self) -> str:
        """The document, every element closed."""
        assert not self._open, f"unclosed elements: {self._open}"
        return "\n".join(self.lines) + "\n"
