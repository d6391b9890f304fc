"""Turn pydantic's validation errors into one located sentence each, in a planner's words.

pydantic says "Input should be a valid string"; a planner needs "expected text, got the
boolean false: YAML reads no as a boolean, so put it in quotes", at the right line.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from cutover.errors import Diagnostic, DocPath

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from cutover.source import PlanSource

_PLAN_KEYS = ("plan", "timezone", "start", "as_of", "calendars", "tasks")
_TASK_KEYS = (
    "id", "name", "tasks", "duration", "milestone", "after", "not_before", "deadline",
    "calendar", "owner", "deliverable", "approver", "status", "actual_start", "actual_finish",
    "progress",
)  # fmt: skip
_CALENDAR_KEYS = ("workdays", "hours", "holidays", "holidays_country", "extra_workdays")
_LINK_KEYS = ("task", "type", "lag")
#: Tags of the ``after`` union that pydantic puts in error paths; users never wrote them.
_UNION_TAGS = frozenset({"id", "link"})

_CODES = {
    "extra_forbidden": "unknown-key",
    "missing": "missing-key",
    "duration": "bad-duration",
    "date": "bad-date",
    "timezone": "bad-timezone",
    "string_pattern_mismatch": "bad-id",
}


def known_keys(path: DocPath) -> tuple[str, ...]:
    """The keys allowed in the mapping at ``path`` (the path of a key's parent)."""
    if len(path) >= 2 and path[-2] == "calendars":
        return _CALENDAR_KEYS
    if len(path) >= 3 and path[-3] == "after":
        return _LINK_KEYS
    if len(path) >= 2 and path[-2] == "tasks":
        return _TASK_KEYS
    return _PLAN_KEYS


def user_path(loc: tuple[int | str, ...]) -> DocPath:
    """Drop the union tags pydantic adds (``after.2.link.lag`` is ``after.2.lag``)."""
    out: list[int | str] = []
    for index, part in enumerate(loc):
        if part in _UNION_TAGS and index >= 2 and loc[index - 2] == "after":
            continue
        out.append(part)
    return tuple(out)


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean 'deadline'?)`` when a close match exists, else nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def breadcrumb(path: DocPath, data: object) -> str:
    """Name a place in the plan as a person would: ``tasks[3] (lgsp-sync) → after[1]``."""
    parts: list[str] = []
    node: Any = data
    for part in path:
        if isinstance(part, int):
            label = f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str | int):
                label += f" ({node['id']})"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return " → ".join(parts)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"the boolean {word} (YAML reads yes, no, on and off as booleans: quote the text)"
    if isinstance(value, int | float):
        return f"the number {value} (put it in quotes to make it text)"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _message(error: ErrorDetails, path: DocPath) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "extra_forbidden":
        key = str(path[-1])
        hint = did_you_mean(key, known_keys(path[:-1]))
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"missing the required key '{path[-1]}'"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not an id: use letters, digits, '-', '_' and '.' only"
    if kind == "literal_error":
        allowed = [part.strip(" '") for part in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), allowed)
        return f"{value!r} is not one of {ctx.get('expected')}{hint}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {_describe(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping of keys and values, got {_describe(value)}"
    if kind in {"tuple_type", "list_type"}:
        return f"expected a list, got {_describe(value)}"
    if kind == "too_short":
        return "needs at least one item"
    return str(error["msg"])


def translate(exc: ValidationError, source: PlanSource, data: object) -> list[Diagnostic]:
    """One located diagnostic per pydantic error, naming the place by task id."""
    errors = exc.errors(include_url=False)
    paths = [user_path(error["loc"]) for error in errors]
    diagnostics: list[Diagnostic] = []
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "too_short" and any(
            other[: len(path)] == path and other != path for other in paths
        ):
            continue  # "needs one item" only because its items failed: they say why
        at_key = error["type"] in {"extra_forbidden"}
        where = path[:-1] if error["type"] == "missing" else path
        location = source.locate(where, at_key=at_key)
        place = breadcrumb(path, data)
        message = _message(error, path)
        text = f"{place}: {message}" if place else message
        code = _CODES.get(error["type"], "invalid-value")
        diagnostics.append(Diagnostic(code, text, location))
    return diagnostics
