"""Plans written as JSON: the format machine-generated national plans use, read fast.

JSON is a subset of YAML, so a ``.json`` plan means the same as the YAML one; the
standard library's C parser reads it in a tenth of the time any YAML parser needs.
Duplicate keys are refused, as in YAML plans. Only where tasks start is indexed on the
way (the n-th ``"id"`` key is the n-th task, in document order); any other position a
message needs is recovered by reading the text as YAML, on the error path only.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from cutover.common.errors import Diagnostic, PlanError, SourceLocation
from cutover.common.i18n import _

if TYPE_CHECKING:
    from cutover.common.errors import DocPath
    from cutover.planfile.yamldoc import Mark

_ID_KEY = re.compile(r'"id"\s*:')
#: An escape from D800 to DFFF that is not half of a pair, after an even run of backslashes
#: (an escaped backslash then ``ud800`` is text): JSON lets it through, UTF-8 cannot encode it.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<![\\]u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
#: Digits Python converts to an int at most; no plan value comes near.
MAX_DIGITS = 4_300


class _ValueError(ValueError):
    """A JSON value that parses but no plan can hold; ``text`` finds where it is."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.message = message
        self.text = text


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def looks_like_json(file: str, text: str) -> bool:
    """A ``.json`` file, or text that opens with ``{``: try JSON first."""
    return file.lower().endswith(".json") or text.lstrip("\ufeff \t\r\n").startswith("{")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return mapping


def _integer(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        message = f"a number of {len(digits):,} digits is not a value a plan can hold"
        raise _ValueError(message, digits)
    return int(digits)


def _check_surrogates(text: str, file: str) -> None:
    """Refuse an escape of half a surrogate pair: it is no character, and no output takes it."""
    if "\\u" not in text:
        return
    match = _LONE_SURROGATE.search(text)
    if match is not None:
        where = SourceLocation(file, *_position(text, match.start(1)))
        message = _(
            "{escape} is half of a UTF-16 surrogate pair, not a character; "
            "write the character itself"
        ).format(escape=match[1])
        raise PlanError([Diagnostic("json-value", message, where)])


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_json(text: str, file: str) -> object:
    """The data of a JSON plan; PlanError with line and column when it is not valid JSON."""
    try:
        data = json.loads(text.lstrip("\ufeff"), object_pairs_hook=_unique, parse_int=_integer)
    except _ValueError as exc:
        where = SourceLocation(file, *_position(text, text.find(exc.text)))
        raise PlanError([Diagnostic("json-value", exc.message, where)]) from None
    except json.JSONDecodeError as exc:
        where = SourceLocation(file, exc.lineno, exc.colno)
        raise PlanError(
            [
                Diagnostic(
                    "json-syntax", _("this is not valid JSON: {why}").format(why=exc.msg), where
                )
            ]
        ) from None
    except _DuplicateKeyError as exc:
        # The YAML reader finds the same duplicate with its line and column.
        from cutover.planfile.yamldoc import parse_yaml  # noqa: PLC0415

        parse_yaml(text, file)
        where = SourceLocation(file, 1, 1)
        message = _("the key {key} appears twice in one object").format(key=repr(exc.key))
        raise PlanError([Diagnostic("duplicate-key", message, where)]) from None
    except RecursionError:
        where = SourceLocation(file, 1, 1)
        raise PlanError([Diagnostic("too-deep", _("the document nests too deep"), where)]) from None
    _check_surrogates(text, file)
    return data


def task_marks(text: str, tasks: list[tuple[DocPath, dict[str, Any]]]) -> dict[DocPath, Mark]:
    """Where each task starts (the line of its ``"id"``), by path, in document order.

    ``tasks`` are the document's task mappings in file order (``tasktree.raw_tasks``).
    """
    paths = [path for path, _ in tasks]
    positions = [match.start() for match in _ID_KEY.finditer(text)]
    if len(positions) != len(paths):
        return {}  # an "id" somewhere else: let the error path find positions
    marks: dict[DocPath, Mark] = {}
    line, last = 1, 0
    line_start = 0
    for path, position in zip(paths, positions, strict=True):
        newlines = text.count("\n", last, position)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, position) + 1
        last = position
        marks[path] = (line, position - line_start + 1)
    return marks


def plan_json(data: dict[str, Any]) -> str:
    """A plan document as JSON that means what the YAML meant: dates as ISO 8601 text.

    YAML 1.1 has already decided what each plain value is (``no`` is false, ``2025-06-30``
    a date), so the JSON keeps those answers; a date or datetime becomes the text the plan
    format reads back as the same instant. Each top-level key and each task gets a line of
    its own (a summary's sub-tasks the lines after it), so that messages and annotations
    still point at the task they are about.
    """
    lines = ["{"]
    for number, (key, value) in enumerate(data.items()):
        comma = "," if number < len(data) - 1 else ""
        if key == "tasks" and isinstance(value, list):
            lines.append(f"{_json(key)}: [")
            _task_lines(value, 1, lines)
            lines.append(f"]{comma}")
        else:
            lines.append(f"{_json(key)}: {_json(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _task_lines(tasks: list[Any], depth: int, lines: list[str]) -> None:
    """One line per task; a summary opens its sub-tasks' list at the end of its line."""
    indent = " " * depth
    for number, task in enumerate(tasks):
        comma = "," if number < len(tasks) - 1 else ""
        subtasks = task.get("tasks") if isinstance(task, dict) else None
        if not isinstance(subtasks, list):
            lines.append(f"{indent}{_json(task)}{comma}")
            continue
        own = ", ".join(
            f"{_json(key)}: {_json(value)}" for key, value in task.items() if key != "tasks"
        )
        lines.append(f'{indent}{{{own}{", " if own else ""}"tasks": [')
        _task_lines(subtasks, depth + 1, lines)
        lines.append(f"{indent}]}}{comma}")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_value)


def _json_value(value: object) -> str:
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form")  # pragma: no cover
