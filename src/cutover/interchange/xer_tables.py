"""Primavera P6 XER files as tables of rows, each row knowing its line.

An XER is tab-separated text: ``%T`` names a table, ``%F`` its fields, ``%R`` a row,
``%E`` ends the file. P6 writes it in the Windows code page of the machine (usually
cp1252); UTF-8 is tried first. Calendars keep their working time in ``clndr_data``, a
nested ``(0||name(key|value…)(children…))`` notation, read here by ``calendar_nodes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cutover.common.errors import Diagnostic, PlanError, SourceLocation

#: Dates in ``clndr_data`` count days from 1899-12-30 (as spreadsheets do).
SERIAL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Row:
    """One ``%R`` record: its values by field name, and its line."""

    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        """A field's value, stripped; empty when absent."""
        return self.values.get(name, "").strip()


@dataclass
class CalendarNode:
    """A node of ``clndr_data``: its name, its key/value parameters and its children."""

    name: str
    params: dict[str, str]
    children: list[CalendarNode] = field(default_factory=list)

    def child(self, name: str) -> CalendarNode | None:
        """The first child of that name."""
        return next((node for node in self.children if node.name == name), None)


def read_tables(data: bytes, file: str) -> dict[str, list[Row]]:
    """Every table of an XER file; raise PlanError when it is not one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    tables: dict[str, list[Row]] = {}
    fields: list[str] = []
    rows: list[Row] | None = None
    lines = text.splitlines()
    if not lines or not lines[0].startswith("ERMHDR"):
        raise _error(file, 1, "not a Primavera XER file: it must start with ERMHDR")
    for number, line in enumerate(lines, 1):
        parts = line.split("\t")
        if parts[0] == "%T" and len(parts) > 1:
            rows = tables.setdefault(parts[1].strip(), [])
            fields = []
        elif parts[0] == "%F":
            fields = [name.strip() for name in parts[1:]]
        elif parts[0] == "%R":
            if rows is None or not fields:
                raise _error(file, number, "a %R record before its table's %T and %F lines")
            rows.append(Row(number, dict(zip(fields, parts[1:], strict=False))))
    return tables


def calendar_nodes(text: str) -> list[CalendarNode]:
    """The nodes of a ``clndr_data`` value (empty when it cannot be read)."""
    nodes: list[CalendarNode] = []
    position = 0
    try:
        while position < len(text):
            if text[position] == "(":
                node, position = _node(text, position)
                nodes.append(node)
            else:
                position += 1
    except (IndexError, ValueError):
        return nodes
    return nodes


def _node(text: str, position: int) -> tuple[CalendarNode, int]:
    """``(0||name(params)(children))`` from ``position`` (at its ``(``)."""
    bars = text.index("||", position)
    open_params = text.index("(", bars)
    name = text[bars + 2 : open_params].strip()
    close_params = text.index(")", open_params)
    pieces = text[open_params + 1 : close_params].split("|")
    params = {pieces[i].strip(): pieces[i + 1].strip() for i in range(0, len(pieces) - 1, 2)}
    node = CalendarNode(name, params)
    position = text.index("(", close_params)  # the children's list
    position += 1
    while text[position] != ")":
        if text[position] == "(":
            child, position = _node(text, position)
            node.children.append(child)
        else:
            position += 1
    position += 1  # the children's ")"
    while text[position] != ")":
        position += 1
    return node, position + 1


def _error(file: str, line: int, message: str) -> PlanError:
    return PlanError([Diagnostic("bad-file", message, SourceLocation(file, line, 1))])


def hours_of(node: CalendarNode) -> tuple[tuple[int, int], ...]:
    """The working spans of a day or an exception node, in minutes from midnight."""
    spans = []
    for child in node.children:
        begin, end = _clock(child.params.get("s")), _clock(child.params.get("f"))
        if begin is not None and end is not None:
            spans.append((begin, end if end > begin else end + 1440))
    return tuple(sorted(spans))


def _clock(text: str | None) -> int | None:
    if not text or ":" not in text:
        return None
    hours, minutes = text.split(":")[:2]
    return int(hours) * 60 + int(minutes)
