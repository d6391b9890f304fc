"""A safe XML reader that remembers the line of every element.

``xml.etree`` forgets where an element was; expat knows. This builds a small tree of
``Element`` with their lines. A document type declaration is refused outright, so no
entity can be declared: no external entity is fetched and no "billion laughs" expands
(the attacks defusedxml guards against; MSPDI files never need a DTD).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.parsers import expat

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(eq=False)
class Element:
    """An XML element: its local name (namespace dropped), text, children and line."""

    tag: str
    line: int
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> Element | None:
        """The first child named ``tag``."""
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> Iterator[Element]:
        """Every child named ``tag``."""
        return (child for child in self.children if child.tag == tag)

    def value(self, tag: str) -> str | None:
        """The stripped text of the first child named ``tag``, or None when it is absent."""
        child = self.find(tag)
        return None if child is None else child.text.strip()

    def raw(self, tag: str) -> str | None:
        """The text of the first child named ``tag`` exactly as written, or None."""
        child = self.find(tag)
        return None if child is None else child.text

    def path(self, *tags: str) -> list[Element]:
        """The elements at a path of child names (``Tasks``, ``Task``)."""
        found = [self]
        for tag in tags:
            found = [child for parent in found for child in parent.findall(tag)]
        return found


class _RefusedError(Exception):
    """A construct the reader refuses (a DTD, an entity)."""


def parse_xml(data: bytes, file: str) -> Element:
    """The root element of an XML document; raise PlanError with the line if it is bad."""
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[Element] = []
    parts: list[list[str]] = []
    root: list[Element] = []

    def start(name: str, _attributes: dict[str, str]) -> None:
        element = Element(name.rsplit("}", 1)[-1], parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)
        parts.append([])

    def end(_name: str) -> None:
        stack.pop().text = "".join(parts.pop())

    def text(data: str) -> None:
        if parts:
            parts[-1].append(data)

    def refuse_dtd(*_args: object) -> None:
        raise _RefusedError(_("a document type declaration (DOCTYPE) is not accepted"))

    def refuse_entity(*_args: object) -> None:
        raise _RefusedError(_("entity declarations are not accepted"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = lambda *_args: 0  # never fetched
    try:
        parser.Parse(data, True)  # noqa: FBT003 - expat's own signature
    except expat.ExpatError as exc:
        message = f"not well-formed XML: {expat.errors.messages[exc.code]}"
        raise PlanError([_diagnostic(file, exc.lineno, exc.offset + 1, message)]) from None
    except _RefusedError as exc:
        line = parser.CurrentLineNumber
        raise PlanError([_diagnostic(file, line, 1, f"unsafe XML: {exc}")]) from None
    assert root
    return root[0]


def _diagnostic(file: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic("bad-file", message, SourceLocation(file, line, column))
