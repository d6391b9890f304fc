"""Turn pydantic's validation errors into one located sentence each, in a planner's words.

pydantic says "Input should be a valid string"; a planner needs "expected text, got the
boolean false: YAML reads no as a boolean, so put it in quotes", at the right line.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from cutover.common.errors import Diagnostic, DocPath
from cutover.common.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from cutover.planfile.source import Locator

_PLAN_KEYS = (
    "plan", "timezone", "start", "as_of", "go_live", "calendars", "require", "extends", "remove",
    "language", "tasks",
)  # fmt: skip
_TASK_KEYS = (
    "id", "name", "tasks", "duration", "milestone", "after", "not_before", "deadline",
    "calendar", "owner", "deliverable", "approver", "status", "actual_start", "actual_finish",
    "progress", "estimate", "distribution",
)  # fmt: skip
_ESTIMATE_KEYS = ("optimistic", "likely", "pessimistic")
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
    if path and path[-1] == "estimate":
        return _ESTIMATE_KEYS
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
    return _(" (did you mean '{word}'?)").format(word=close[0]) if close else ""


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
        return _(
            "the boolean {word} (YAML reads yes, no, on and off as booleans: quote the text)"
        ).format(word=word)
    if isinstance(value, int | float):
        return _("the number {value} (put it in quotes to make it text)").format(value=value)
    if value is None:
        return _("nothing")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return repr(value)


def _unknown_key(_value: object, path: DocPath, __: dict[str, Any]) -> str:
    key = str(path[-1])
    hint = did_you_mean(key, known_keys(path[:-1]))
    return _("unknown key '{key}'{hint}").format(key=key, hint=hint)


def _not_allowed(value: object, _path: DocPath, ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    allowed = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
    hint = did_you_mean(str(value), allowed)
    return _("{value} is not one of {expected}{hint}").format(
        value=repr(value), expected=expected.replace(" or ", _(" or ")), hint=hint
    )


_MESSAGES: dict[str, Callable[[object, DocPath, dict[str, Any]], str]] = {
    "extra_forbidden": _unknown_key,
    "missing": lambda _value, path, __: _("missing the required key '{key}'").format(key=path[-1]),
    "string_type": lambda value, _path, __: _("expected text, got {what}").format(
        what=_describe(value)
    ),
    "string_pattern_mismatch": lambda value, _path, __: _(
        "{value} is not an id: use letters, digits, '-', '_' and '.' only"
    ).format(value=repr(value)),
    "literal_error": _not_allowed,
    "bool_type": lambda value, _path, __: _("expected true or false, got {what}").format(
        what=_describe(value)
    ),
    "bool_parsing": lambda value, _path, __: _("expected true or false, got {what}").format(
        what=_describe(value)
    ),
    "model_type": lambda value, _path, __: _(
        "expected a mapping of keys and values, got {what}"
    ).format(what=_describe(value)),
    "dict_type": lambda value, _path, __: _(
        "expected a mapping of keys and values, got {what}"
    ).format(what=_describe(value)),
    "tuple_type": lambda value, _path, __: _("expected a list, got {what}").format(
        what=_describe(value)
    ),
    "list_type": lambda value, _path, __: _("expected a list, got {what}").format(
        what=_describe(value)
    ),
    "too_short": lambda _value, __, ___: _("needs at least one item"),
}


def _message(error: ErrorDetails, path: DocPath) -> str:
    explain = _MESSAGES.get(error["type"])
    if explain is None:
        return str(error["msg"])
    return explain(error.get("input"), path, dict(error.get("ctx") or {}))


def translate(exc: ValidationError, source: Locator, data: object) -> list[Diagnostic]:
    """One located diagnostic per pydantic error, naming the place by task id."""
    errors = exc.errors(include_url=False)
    paths = [user_path(error["loc"]) for error in errors]
    diagnostics: list[Diagnostic] = []
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "too_short" and any(
            other[: len(path)] == path and other != path for other in paths
        ):
            continue  # "needs one item" only because its items failed: they say why
        at_key = error["type"] == "extra_forbidden"
        where = path[:-1] if error["type"] == "missing" else path
        location = source.locate(where, at_key=at_key)
        place = breadcrumb(path, data)
        message = _message(error, path)
        text = f"{place}: {message}" if place else message
        code = _CODES.get(error["type"], "invalid-value")
        diagnostics.append(Diagnostic(code, text, location))
    return diagnostics
