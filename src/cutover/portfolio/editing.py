"""Record a task's status, dates or progress in its plan file, touching only the changed lines.

``cutover update`` edits the text, never a re-dumped document: ruamel.yaml's round-trip
composer says where the task and each of its keys start and end, and whether a mapping is
written ``{...}`` or in blocks; only those spans change. Comments, blank lines, quoting,
key order, line endings and the final newline stay byte for byte. Before the atomic write,
the new text must hold exactly the old data plus the change, load as a valid plan, and the
file must still hold what was read (another writer wins; nothing is overwritten).
"""

from __future__ import annotations

import codecs
import json
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cutover.common.errors import (
    CutoverError,
    DocPath,
    PlanError,
    SourceLocation,
    UsageError,
)
from cutover.common.files import atomic_write, locked
from cutover.common.i18n import _
from cutover.planfile.jsondoc import looks_like_json
from cutover.planfile.loader import LoadedPlan, load_plan_text
from cutover.planfile.model_errors import did_you_mean
from cutover.planfile.source import MAX_PLAN_BYTES, display_path, read_plan_text
from cutover.planfile.yamldoc import parse_yaml
from cutover.worktime.durations import Duration, parse_duration
from cutover.worktime.timepoints import TimepointError, parse_timepoint

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cutover.planfile.model import Task

STATUSES = ("not_started", "in_progress", "done", "cancelled")
#: The keys ``update`` writes, in the order it adds them (PLAN_FORMAT's order).
KEYS = ("status", "actual_start", "actual_finish", "progress")
#: Keys a runbook action may also set or remove (gate decisions; undo restores any of them).
RUNBOOK_KEYS = ("decision", "decided_by", "decided_at")
#: Values written as typed (times, statuses, percentages); others are quoted where needed.
_AS_TYPED = frozenset({*KEYS, "decision", "decided_at"})
#: A line break as YAML (and ruamel's line count) knows it.
_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)%")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: A block scalar header that keeps trailing blank lines (``|+``, ``>2+``).
_KEEP = re.compile(r"[|>][1-9]?\+")
_NULLS = ("", "~", "null", "Null", "NULL")
#: YAML 1.1's other line breaks, as ``\n`` for ruamel (which reads YAML 1.2).
_ONE_BREAK = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


class UpdateError(CutoverError):
    """The plan file cannot be changed as asked; it was left as it was."""


class FileChangedError(UpdateError):
    """Another program changed the plan file meanwhile; its content was kept, nothing written."""


class InvalidChangeError(PlanError):
    """The change would make a valid plan invalid; nothing was written."""


@dataclass(frozen=True, slots=True)
class Change:
    """What ``cutover update`` records, one field per option (None: not given).

    A time ``T`` is ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM`` or ``today``; it is written as typed.
    """

    done: bool = False  # --done: status done, actual_finish ``on`` (default today)
    on: str | None = None  # --on T: when the task finished, with --done
    start: str | None = None  # --start T: status in_progress, actual_start T
    progress: str | None = None  # --progress 60%: status in_progress, progress 60%
    status: str | None = None  # --status S: only the status, alone
    extra: tuple[tuple[str, str], ...] = ()  # other keys (RUNBOOK_KEYS) and their values
    unset: tuple[str, ...] = ()  # keys to take out of the task (an undo of their adding)


@dataclass(frozen=True, slots=True)
class KeyChange:
    """One key of the task: its value before (None: none) and after, and its line now."""

    key: str
    old: str | None
    new: str
    line: int

    def __str__(self) -> str:
        """``status: in_progress → done``."""
        old = self.old if self.old is not None else _("(none)")
        return f"{self.key}: {old} → {self.new}"


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What ``update_plan`` wrote: no change (already so) or these keys on these lines."""

    file: str
    task_id: str
    changes: tuple[KeyChange, ...]
    lines: tuple[int, ...]  # every line of the new file that was written, 1-based
    override: bool  # the task comes from a template: an override entry was added


class _Snapshot(NamedTuple):
    """The file's bytes as read, and how to turn edited text back into bytes like them."""

    data: bytes
    text: str
    bom: bytes
    codec: str

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


class _Located(NamedTuple):
    """The task's mapping in the file, and its path in the plain data."""

    node: MappingNode
    path: DocPath


class _Current(NamedTuple):
    """The task as it is now (with what its template gives), each key as text."""

    values: dict[str, str]
    summary: bool


class _Style(NamedTuple):
    """How new text is written: as YAML, or (a JSON plan) as JSON; and the text edited."""

    json: bool
    text: str

    def token(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=False) if self.json else value

    def key(self, key: str) -> str:
        return json.dumps(key) if self.json else key


def _is_json(name: str, text: str) -> bool:
    """True for a plan the loader reads as JSON: its edits must stay JSON."""
    if not looks_like_json(name, text):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class _Edit(NamedTuple):
    """Replace ``text[start:end]``; ``key``/``token``: the key it writes and its value."""

    start: int
    end: int
    text: str
    key: str | None = None
    token: str = ""
    lead: int = 0  # line breaks in ``text`` before its own line


def update_plan(path: Path | str, task_id: str, change: Change, *, today: date) -> UpdateResult:
    """Record ``change`` on the task ``task_id`` of the plan file ``path``, in place.

    ``today`` is the default time of the change (a datetime counts by its day in the plan's
    time zone): the core never reads the clock. Raises UsageError for a bad request or an
    unknown id, PlanError for an invalid plan, InvalidChangeError when the change would
    make the plan invalid, and UpdateError or FileChangedError; the file is then untouched.
    """
    path = Path(path)
    request = _normalise(change)
    name = display_path(path)
    with locked(path.resolve()):  # read, check and write as one step among cutover commands
        snapshot = _read(path, name)
        loaded, problem = _load(snapshot.text, name, path)
        root = _compose(snapshot.text, name, problem)
        located, current = _target(root, task_id, name, loaded, problem)
        values = _assignments(request, current, _day(today, loaded))
        unset = [key for key in request.unset if key in current.values and key not in values]
        if unset and located is None:
            raise UpdateError(
                _("'{task_id}' comes from a template: take {unset} out by hand").format(
                    task_id=task_id, unset=unset[0]
                )
            )
        if not values and not unset:
            return UpdateResult(name, task_id, (), (), override=located is None)
        style = _Style(json=_is_json(name, snapshot.text), text=snapshot.text)
        edits = (
            _task_edits(style, located.node, values)
            if located is not None
            else _override_edits(style, root, task_id, values)
        )
        if unset and located is not None:
            if style.json:
                raise UpdateError(
                    _("take {unset} out of the JSON plan by hand").format(unset=unset[0])
                )
            edits += _removal_edits(snapshot.text, located.node, unset)
        status_date = _status_date_edit(style, root, values, loaded)
        moved = [] if status_date is None else [status_date[0]]
        new_text, lines = _apply(snapshot.text, [*edits, *moved])
        _check_data(snapshot.text, new_text, name, located, edits, top=moved, unset=unset)
        _check_valid(new_text, name, path, was_valid=problem is None)
        _write(path, name, snapshot, new_text)
    known = dict(current.values)
    if status_date is not None:
        values = {**values, "as_of": status_date[0].token}
        known["as_of"] = status_date[1]
    changes = sorted(
        (
            KeyChange(edit.key, known.get(edit.key), values[edit.key], line)
            for edit, line in zip([*edits, *moved], lines, strict=True)
            if edit.key in values
        ),
        key=lambda change: change.line,
    ) + [KeyChange(key, current.values[key], "(none)", 0) for key in unset]
    return UpdateResult(name, task_id, tuple(changes), tuple(sorted(set(lines))), located is None)


def _target(
    root: MappingNode, task_id: str, name: str, loaded: LoadedPlan | None, problem: PlanError | None
) -> tuple[_Located | None, _Current]:
    """The task in the file (None: only in a template) and its values now; refuse summaries."""
    located = _find(root, task_id)
    task = _model_task(loaded.plan.tasks, task_id) if loaded is not None else None
    if located is None and task is None:
        raise problem or _unknown(task_id, name, loaded)
    current = _current(located, task)
    if current.summary:
        raise UsageError(
            _(
                "'{task_id}' is a summary task: its status and dates come from its "
                "sub-tasks, so update those"
            ).format(task_id=task_id)
        )
    return located, current


def _write(path: Path, name: str, snapshot: _Snapshot, text: str) -> None:
    """Replace the file atomically, unless another program changed it since it was read."""
    if _read_bytes(path) != snapshot.data:
        raise FileChangedError(
            _(
                "{name} was changed by another program while cutover updated it; "
                "nothing was written: run the command again"
            ).format(name=name)
        )
    atomic_write(path.resolve(), snapshot.encode(text))  # through a symlink, not over it


# -- the request -----------------------------------------------------------------------------


def _normalise(change: Change) -> Change:
    """Check the combination and each value; return the values stripped."""
    asked = [
        option
        for option, given in (
            ("--done", change.done),
            ("--start", change.start is not None),
            ("--progress", change.progress is not None),
            ("--status", change.status is not None),
        )
        if given
    ]
    if not asked and (change.extra or change.unset):
        return Change(extra=change.extra, unset=change.unset)
    if not asked:
        raise UsageError(
            _("say what changed: --done [--on T], --start T, --progress 60% or --status S")
        )
    if change.status is not None and len(asked) > 1:
        raise UsageError(_("--status goes alone, not with {asked}").format(asked=asked[0]))
    if change.done and change.progress is not None:
        raise UsageError(_("--done sets the progress to 100%: leave out --progress"))
    if change.on is not None and not change.done:
        raise UsageError(_("--on says when the task finished and goes with --done; use --start T"))
    return Change(
        done=change.done,
        on=_when(change.on, "--on"),
        start=_when(change.start, "--start"),
        progress=_percent(change.progress),
        status=_status(change.status),
        extra=change.extra,
        unset=change.unset,
    )


def _when(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if text.lower() == "today":
        return "today"
    try:
        parse_timepoint(text)
    except TimepointError as exc:
        raise UsageError(_("{option}: {exc}").format(option=option, exc=exc)) from None
    return text


def _percent(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    match = _PERCENT.fullmatch(text)
    if match is None or float(match.group(1)) > 100:
        raise UsageError(
            _(
                "--progress: expected a percentage from 0% to 100%, such as 60%, got {value!r}"
            ).format(value=value)
        )
    return text


def _status(value: str | None) -> str | None:
    if value is None or value.strip() in STATUSES:
        return value.strip() if value is not None else None
    raise UsageError(
        _("--status: {value!r} is not one of {join}{did_you_mean}").format(
            value=value, join=", ".join(STATUSES), did_you_mean=did_you_mean(value, STATUSES)
        )
    )


def _assignments(change: Change, current: _Current, today: str) -> dict[str, str]:
    """The keys to write and their new values (``KEYS`` order), leaving out those already so."""
    values = {"status": change.status} if change.status is not None else {}
    if not values and (change.done or change.start or change.progress):
        values = _tracking(change, current, today)
    values.update(
        {key: value if key in _AS_TYPED else _scalar_token(value) for key, value in change.extra}
    )
    return {key: value for key, value in values.items() if current.values.get(key) != value}


def _tracking(change: Change, current: _Current, today: str) -> dict[str, str]:
    """``--done``, ``--start`` and ``--progress``; a done task keeps its start, or none.

    A done task without ``actual_start`` is taken to have started as scheduled, so --done
    adds none. --progress on a task not yet started starts it today, unless --start says when.
    """

    def when(value: str | None) -> str:
        return today if value in (None, "today") else str(value)

    values = {"status": "done" if change.done else "in_progress"}
    if change.start is not None:
        values["actual_start"] = when(change.start)
    elif (
        change.progress is not None
        and "actual_start" not in current.values
        and current.values["status"] == "not_started"
    ):
        values["actual_start"] = today
    if change.done:
        values["actual_finish"] = when(change.on)
        if "progress" in current.values:
            values["progress"] = "100%"  # the validator allows only 100% on a done task
    elif change.progress is not None:
        values["progress"] = change.progress
    return values


def _day(today: date, loaded: LoadedPlan | None) -> str:
    if isinstance(today, datetime):
        if today.tzinfo is not None and loaded is not None:
            today = today.astimezone(ZoneInfo(loaded.plan.timezone))
        return today.date().isoformat()
    return today.isoformat()


# -- reading and finding -----------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _read(path: Path, name: str) -> _Snapshot:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_PLAN_BYTES:
            raise UpdateError(
                _("{name} is not a plan file: update changes regular files up to 1 GiB").format(
                    name=name
                )
            )
        data = _read_bytes(path)
        bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", "utf-8"))
        return _Snapshot(data, data[len(bom) :].decode(codec), bom, codec)
    except (OSError, UnicodeDecodeError):
        read_plan_text(path, name)  # raises the loader's located error for the same problem
        raise FileChangedError(
            _("{name} changed while it was read: run the command again").format(name=name)
        ) from None


def _load(text: str, name: str, path: Path) -> tuple[LoadedPlan | None, PlanError | None]:
    try:
        return load_plan_text(text, name, path=path), None
    except PlanError as error:
        return None, error


def _compose(text: str, name: str, problem: PlanError | None) -> MappingNode:
    """The document's nodes; the loader's own error first when it could not read the plan."""
    try:
        # The loader reads YAML 1.1, where NEL, LS and PS break lines; ruamel reads 1.2,
        # where they do not. One character for one keeps every index the same.
        root = YAML(typ="rt").compose(text.translate(_ONE_BREAK))
    except YAMLError as exc:
        if problem is not None:
            raise problem from None
        mark = getattr(exc, "problem_mark", None)
        where = (
            SourceLocation(name, mark.line + 1, mark.column + 1) if mark else SourceLocation(name)
        )
        reason = " ".join(str(getattr(exc, "problem", None) or "unexpected text").split())
        raise UpdateError(
            _(
                "{where}: cutover update cannot read this to edit it ({reason}): change it by hand"
            ).format(where=where, reason=reason)
        ) from None
    if not isinstance(root, MappingNode):  # pragma: no cover - the loader refuses it first
        raise problem or UpdateError(
            _("{name} is not a plan: its top level is not a mapping").format(name=name)
        )
    return root


def _pair(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _find(root: MappingNode, task_id: str) -> _Located | None:
    """The task's mapping in the file, searching summaries' ``tasks`` depth first."""
    pending: list[tuple[DocPath, MappingNode]] = [((), root)]
    while pending:
        base, parent = pending.pop()
        pair = _pair(parent, "tasks")
        if pair is None or not isinstance(pair[1], SequenceNode):
            continue
        for index, item in enumerate(pair[1].value):
            if not isinstance(item, MappingNode):
                continue
            path = (*base, "tasks", index)
            ident = _pair(item, "id")
            if ident is not None and isinstance(ident[1], ScalarNode) and ident[1].value == task_id:
                return _Located(item, path)
            pending.append((path, item))
    return None


def _walk(tasks: tuple[Task, ...]) -> Iterator[Task]:
    for task in tasks:
        yield task
        yield from _walk(task.tasks or ())


def _model_task(tasks: tuple[Task, ...], task_id: str) -> Task | None:
    return next((task for task in _walk(tasks) if task.id == task_id), None)


def _unknown(task_id: str, name: str, loaded: LoadedPlan | None) -> UsageError:
    """An id the plan does not have: the command's mistake, not the plan's (exit 2)."""
    ids = sorted(task.id for task in _walk(loaded.plan.tasks)) if loaded is not None else []
    return UsageError(
        _("{name}: no task has the id '{task_id}'{did_you_mean}").format(
            name=name, task_id=task_id, did_you_mean=did_you_mean(task_id, ids)
        )
    )


def _current(located: _Located | None, task: Task | None) -> _Current:
    """Values from the merged plan (templates included), then as written in the file."""
    values = {"status": "not_started"}
    summary = False
    if task is not None:
        values.update(
            {
                key: _text(getattr(task, key))
                for key in (*KEYS, *RUNBOOK_KEYS)
                if getattr(task, key) is not None
            }
        )
        summary = task.is_summary
    if located is not None:
        for key in (*KEYS, *RUNBOOK_KEYS):
            pair = _pair(located.node, key)
            if pair is not None and isinstance(pair[1], ScalarNode) and pair[1].value not in _NULLS:
                values[key] = pair[1].value
        summary = summary or _pair(located.node, "tasks") is not None
    return _Current(values, summary)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(
            timespec="minutes" if value.second == value.microsecond == 0 else "auto"
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value * 100:g}%"
    return str(value)


# -- editing the text --------------------------------------------------------------------------


def _task_edits(style: _Style, mapping: MappingNode, values: dict[str, str]) -> list[_Edit]:
    """Replace the keys the task has; add the others after its last key (or before ``}``)."""
    text = style.text
    edits: list[_Edit] = []
    missing: list[tuple[str, str]] = []
    for key, value in values.items():
        pair = _pair(mapping, key)
        if pair is None:
            missing.append((key, value))
        else:
            edits.append(_replace(style, *pair, key, value))
    if not missing:
        return edits
    if mapping.flow_style:
        at = _flow_end(mapping)
        separator = ", "
        if style.json and _BREAK.search(text, mapping.start_mark.index, at) is not None:
            separator = "," + _eol(text) + " " * mapping.value[-1][0].start_mark.column
        return edits + [
            _Edit(
                at,
                at,
                f"{separator}{style.key(key)}: {style.token(value)}",
                key,
                style.token(value),
            )
            for key, value in missing
        ]
    indent = " " * mapping.value[0][0].start_mark.column
    return edits + _lines_after(
        text, _content_end(text, mapping), [(indent, key, value) for key, value in missing]
    )


def _eol(text: str) -> str:
    first = _BREAK.search(text)
    return first.group() if first is not None else "\n"


def _replace(style: _Style, key_node: Node, value_node: Node, key: str, value: str) -> _Edit:
    """The new value in place of the old, in the same quotes; a trailing comment stays."""
    text = style.text
    if not isinstance(value_node, ScalarNode) or value_node.style not in (None, "'", '"'):
        raise UpdateError(
            _("the {key} of this task is not a single value: change it by hand").format(key=key)
        )
    quote = value_node.style or ""
    token = style.token(value) if style.json else f"{quote}{value}{quote}"
    start, end = value_node.start_mark.index, value_node.end_mark.index
    if start == end:  # ``key:`` with no value (null): write after the colon
        colon = text.index(":", key_node.end_mark.index) + 1
        return _Edit(colon, colon, f" {token}", key, token)
    return _Edit(start, end, token, key, token)


def _override_edits(
    style: _Style, root: MappingNode, task_id: str, values: dict[str, str]
) -> list[_Edit]:
    """An entry ``- id: TASK`` with the changed keys, at the end of the top-level tasks."""
    text = style.text
    pair = _pair(root, "tasks")
    if style.json:
        return _json_override(style, pair, task_id, values)
    ident = _scalar_token(task_id)
    if root.flow_style:
        raise UpdateError(_("the plan is one {...} mapping: add the override entry by hand"))
    indent = " " * root.value[0][0].start_mark.column
    rows: list[tuple[str, str, str | None]] = [(f"{indent}  - ", "id", ident)]
    rows += [(f"{indent}    ", key, value) for key, value in values.items()]
    if pair is None:  # no tasks yet: a tasks list after the last line of the plan
        return _lines_after(text, _content_end(text, root), [(indent, "tasks", None), *rows])
    key_node, tasks = pair
    if isinstance(tasks, ScalarNode) and tasks.value in _NULLS and tasks.style is None:
        return _lines_after(text, key_node.end_mark.index, rows)  # ``tasks:`` with no value
    if not isinstance(tasks, SequenceNode):
        raise UpdateError(_("the plan's tasks is not a list: add the override entry by hand"))
    if tasks.flow_style:
        at = tasks.value[-1].end_mark.index if tasks.value else tasks.end_mark.index - 1
        first = f"{', ' if tasks.value else ''}{{id: {ident}"
        edits = [_Edit(at, at, first, "id", ident)]
        edits += [_Edit(at, at, f", {key}: {value}", key, value) for key, value in values.items()]
        return [*edits, _Edit(at, at, "}")]
    dash = tasks.start_mark.column
    last = tasks.value[-1]
    offset = last.value[0][0].start_mark.column - dash if _is_block_mapping(last) else 2
    rows = [(" " * dash + "-" + " " * (offset - 1), "id", ident)]
    rows += [(" " * (dash + offset), key, value) for key, value in values.items()]
    return _lines_after(text, _content_end(text, tasks), rows)


def _json_override(
    style: _Style, pair: tuple[Node, Node] | None, task_id: str, values: dict[str, str]
) -> list[_Edit]:
    """``{"id": TASK, ...}`` at the end of a JSON plan's top-level ``tasks`` list."""
    if pair is None or not isinstance(pair[1], SequenceNode):
        raise UpdateError(_("the plan's tasks is not a list: add the override entry by hand"))
    tasks = pair[1]
    ident = style.token(task_id)
    if tasks.value:
        at = int(tasks.value[-1].end_mark.index)
        last = tasks.value[-1].start_mark
        separator = ", "
        if _BREAK.search(style.text, tasks.start_mark.index, at) is not None:
            separator = "," + _eol(style.text) + " " * last.column
    else:
        at, separator = int(tasks.end_mark.index) - 1, ""
    edits = [_Edit(at, at, f'{separator}{{"id": {ident}', "id", ident)]
    edits += [
        _Edit(at, at, f", {style.key(key)}: {style.token(value)}", key, style.token(value))
        for key, value in values.items()
    ]
    return [*edits, _Edit(at, at, "}")]


def _removal_edits(text: str, mapping: MappingNode, keys: list[str]) -> list[_Edit]:
    """Take each key's whole line out of a block mapping (a key set by an action undone)."""
    if mapping.flow_style:
        raise UpdateError(_("the task is one {...} mapping: take the key out by hand"))
    edits = []
    for key in keys:
        pair = _pair(mapping, key)
        if pair is None:
            continue
        key_node, value_node = pair
        if not isinstance(value_node, ScalarNode) or value_node.style in ("|", ">"):
            raise UpdateError(
                _("the {key} of this task is not a single value: change it by hand").format(key=key)
            )
        begin = text.rfind("\n", 0, key_node.start_mark.index) + 1
        if text[begin : key_node.start_mark.index].strip():
            raise UpdateError(
                _("the {key} of this task shares its line: change it by hand").format(key=key)
            )
        found = _BREAK.search(text, value_node.end_mark.index)
        end = found.end() if found is not None else len(text)
        edits.append(_Edit(begin, end, ""))
    return edits


def _is_block_mapping(node: Node) -> bool:
    return isinstance(node, MappingNode) and not node.flow_style and bool(node.value)


def _scalar_token(value: str) -> str:
    """``value`` plain if YAML reads it back as that text, else in single quotes."""
    return value if _parse_token(value) == value else "'" + value.replace("'", "''") + "'"


def _flow_end(mapping: MappingNode) -> int:
    """Just after the last value of a ``{...}`` mapping, before any comma, comment or ``}``."""
    return int(mapping.value[-1][1].end_mark.index)


def _content_end(text: str, node: Node) -> int:
    """Where the last value inside a block collection ends: its last scalar or {...}/[...]."""
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        if isinstance(node, SequenceNode):
            node = node.value[-1]
            continue
        key_node, node = node.value[-1]
        if isinstance(node, ScalarNode) and node.start_mark.index == node.end_mark.index:
            return int(key_node.end_mark.index)  # ``key:`` with no value ends at the key
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    if isinstance(node, ScalarNode) and node.style in ("|", ">") and not _KEEP.match(text, start):
        return start + len(text[start:end].rstrip())  # its trailing blank lines are not its own
    return end


def _lines_after(text: str, end: int, rows: list[tuple[str, str, str | None]]) -> list[_Edit]:
    """New lines ``{prefix}{key}: {value}`` after the line where ``end`` falls."""
    first = _BREAK.search(text)
    eol = first.group() if first is not None else "\n"
    found = _BREAK.search(text, max(end - 1, 0))
    at = found.end() if found is not None else len(text)
    edits = []
    for prefix, key, value in rows:
        line = f"{prefix}{key}:" + (f" {value}" if value is not None else "")
        if found is None:  # the last line has no line break: keep it so
            edits.append(_Edit(at, at, eol + line, key if value else None, value or "", 1))
        else:
            edits.append(_Edit(at, at, line + eol, key if value else None, value or ""))
    return edits


def _apply(text: str, edits: list[_Edit]) -> tuple[str, list[int]]:
    """The edited text, and the line (1-based) each edit's own line has in it."""
    order = sorted(range(len(edits)), key=lambda index: (edits[index].start, index))
    pieces: list[str] = []
    starts = [0] * len(edits)
    cursor = length = 0
    for index in order:
        edit = edits[index]
        pieces.append(text[cursor : edit.start])
        length += edit.start - cursor
        starts[index] = length
        pieces.append(edit.text)
        length += len(edit.text)
        cursor = edit.end
    pieces.append(text[cursor:])
    new_text = "".join(pieces)
    lines = [
        len(_BREAK.findall(new_text, 0, starts[i])) + 1 + edits[i].lead for i in range(len(edits))
    ]
    return new_text, lines


# -- checks before writing ---------------------------------------------------------------------


def _parse_token(token: str) -> object:
    data = parse_yaml(f"value: {token}\n", "value").data
    assert isinstance(data, dict)
    return data["value"]


def _status_date_edit(
    style: _Style, root: MappingNode, values: dict[str, str], loaded: LoadedPlan | None
) -> tuple[_Edit, str] | None:
    """Move the plan's ``as_of`` to progress recorded after it (and its old value).

    PLAN_FORMAT: recorded progress cannot lie in the plan's own future, so recording that a
    task finished at 11:00 on a plan whose status date is 09:00 moves the status date too.
    """
    pair = _pair(root, "as_of")
    if pair is None or loaded is None or loaded.plan.as_of is None:
        return None
    from cutover.worktime.timebase import TimeBase  # noqa: PLC0415 - only for this case

    timebase = TimeBase(loaded.plan.timezone, loaded.plan.start)
    as_of = loaded.plan.as_of
    latest: tuple[int, str] | None = None
    for key in ("actual_start", "actual_finish", "decided_at"):
        if key not in values:
            continue
        try:
            point = parse_timepoint(values[key])
        except TimepointError:
            continue
        if isinstance(point, datetime) and isinstance(as_of, datetime):
            after = timebase.minute(point) > timebase.minute(as_of)
        else:
            after = _calendar_day(point) > _calendar_day(as_of)
        if after and (latest is None or timebase.minute(point) > latest[0]):
            latest = (timebase.minute(point), values[key])
    if latest is None:
        return None
    old = pair[1].value if isinstance(pair[1], ScalarNode) else ""
    return _replace(style, *pair, "as_of", latest[1]), str(old)


def _calendar_day(point: date) -> date:
    return point.date() if isinstance(point, datetime) else point


def _check_data(
    old: str,
    new: str,
    name: str,
    located: _Located | None,
    edits: list[_Edit],
    *,
    top: list[_Edit] | None = None,
    unset: list[str] | None = None,
) -> None:
    """The new text must hold the old data plus the change, and nothing else."""
    expected: Any = parse_yaml(old, name).data
    for edit in top or []:
        expected[edit.key] = _parse_token(edit.token)
    try:
        after = parse_yaml(new, name).data
    except PlanError:  # pragma: no cover - an edit that breaks the YAML is a bug of ours
        after = None
    written = {edit.key: _parse_token(edit.token) for edit in edits if edit.key is not None}
    if located is not None:
        target = expected
        for part in located.path:
            target = target[part]
        target.update(written)
        for key in unset or ():
            target.pop(key, None)
    else:  # an override entry at the end of the top-level tasks
        if not isinstance(expected.get("tasks"), list):
            expected["tasks"] = []
        expected["tasks"].append(written)
    if after != expected:
        raise UpdateError(
            _(
                "{name}: cannot make this change without touching other lines (an "
                "alias, a merge key or an unusual layout): change it by hand"
            ).format(name=name)
        )


def _check_valid(text: str, name: str, path: Path, *, was_valid: bool) -> None:
    """The new text must load and schedule, as every command will read it: else no write."""
    from cutover.findings.pipeline import analyse_loaded  # noqa: PLC0415 - networkx

    try:
        loaded = load_plan_text(text, name, path=path)
    except PlanError as error:
        if was_valid:
            raise InvalidChangeError(error.diagnostics) from None
        raise
    try:
        analyse_loaded(loaded, now=None)
    except PlanError as error:  # loads, but does not schedule (a date beyond the calendars)
        if was_valid:
            raise InvalidChangeError(error.diagnostics) from None
        raise
    except CutoverError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure means the plan must not be written
        raise UpdateError(
            _(
                "{name}: the change was not written: cutover could not schedule the "
                "plan with it ({__name__}: {join})"
            ).format(name=name, __name__=type(exc).__name__, join=" ".join(str(exc).split())[:200])
        ) from None


def set_likely(path: Path | str, task_id: str, likely: str, *, today: object) -> UpdateResult:
    """Make ``likely`` the task's expected working time: its estimate's, else its duration.

    A rehearsal's measured time written back (``compare --apply``): in a three-point
    ``estimate`` the ``likely`` value changes, and ``optimistic`` or ``pessimistic`` too
    where the new value falls outside them; a task without one gets ``duration``.
    """
    path = Path(path)
    if not _has_estimate(path, task_id):
        change = Change(extra=(("duration", likely),))
        return update_plan(path, task_id, change, today=today)  # type: ignore[arg-type]
    with locked(path.resolve()):
        return _set_estimate(path, task_id, likely)


def _has_estimate(path: Path, task_id: str) -> bool:
    """True when the task in the file has an ``estimate`` mapping of its own."""
    name = display_path(path)
    snapshot = _read(path, name)
    loaded, problem = _load(snapshot.text, name, path)
    located = _find(_compose(snapshot.text, name, problem), task_id)
    pair = _pair(located.node, "estimate") if located is not None else None
    return pair is not None and isinstance(pair[1], MappingNode) and loaded is not None


def _set_estimate(path: Path, task_id: str, likely: str) -> UpdateResult:
    """``set_likely`` on a task with an estimate, under the plan's lock."""
    name = display_path(path)
    snapshot = _read(path, name)
    loaded, problem = _load(snapshot.text, name, path)
    root = _compose(snapshot.text, name, problem)
    located = _find(root, task_id)
    task = _model_task(loaded.plan.tasks, task_id) if loaded is not None else None
    pair = _pair(located.node, "estimate") if located is not None else None
    if task is None or pair is None or not isinstance(pair[1], MappingNode):
        raise FileChangedError(
            _("{name} changed while cutover read it: run the command again").format(name=name)
        )
    estimate = pair[1]
    assert task.estimate is not None
    style = _Style(json=_is_json(name, snapshot.text), text=snapshot.text)

    def minutes(value: Duration) -> int:  # compared on the default 8-hour day
        return value.in_minutes(480, 2400)

    new = minutes(parse_duration(likely))
    values = {"likely": likely}
    if new < minutes(task.estimate.optimistic):
        values["optimistic"] = likely
    if new > minutes(task.estimate.pessimistic):
        values["pessimistic"] = likely
    edits = []
    for key, value in values.items():
        found = _pair(estimate, key)
        if found is None:
            raise UpdateError(
                _("the estimate of '{task_id}' has no {key}: change it by hand").format(
                    task_id=task_id, key=key
                )
            )
        edits.append(_replace(style, *found, key, value))
    new_text, lines = _apply(snapshot.text, edits)
    _check_valid(new_text, name, path, was_valid=problem is None)
    _write(path, name, snapshot, new_text)
    old = {key: getattr(task.estimate, key).text for key in values}
    changes = tuple(
        KeyChange(f"estimate.{edit.key}", old[str(edit.key)], edit.token, line)
        for edit, line in zip(edits, lines, strict=True)
    )
    return UpdateResult(name, task_id, changes, tuple(sorted(set(lines))), override=False)
