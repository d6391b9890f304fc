"""Build Python data from YAML text, safely and fast, keeping where every mapping starts.

PyYAML's C composer is recursive (a document nested 100,000 deep crashes the interpreter)
and its node tree plus the Python constructor cost three times the parse itself. So we
read libyaml's flat event stream and build the data with an explicit stack: depth is
bounded, duplicate keys and alias bombs are caught as they appear, and only the safe
scalar types are ever constructed (no tag can build an object or run anything).
"""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from yaml import events

from cutover.common.errors import Diagnostic, DocPath, PlanError, SourceLocation
from cutover.common.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

#: Deeper than this is no plan: a plan nests summaries a handful of levels.
MAX_DEPTH = 200
#: Aliases may repeat data, but not blow it up: expanded nodes beyond this many, and beyond
#: ten times the nodes written, are an alias bomb.
MAX_EXPANDED_NODES = 2_000_000

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: The scalar types a plan may hold, besides text: explicit tags name one of these or fail.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
#: Tags whose PyYAML constructor accepts any text (``!!null x`` is None): the text must
#: also read as that type when plain.
_SPELT_TAGS = frozenset(("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"))
_SCALAR_NODE = yaml.ScalarNode

Mark = tuple[int, int]


class YamlDocument(NamedTuple):
    """The data of one YAML document and where each of its mappings starts."""

    data: object
    mapping_marks: dict[int, Any]

    def mark_of(self, mapping: object) -> Mark:
        """Return the 1-based (line, column) where a mapping of the data starts."""
        mark = self.mapping_marks.get(id(mapping))
        return _mark(mark) if mark is not None else (0, 0)


class _Frame:
    """One open mapping or sequence while the document is being built."""

    __slots__ = ("anchor", "container", "key", "key_mark", "merges", "path", "size")

    def __init__(self, container: dict[Any, Any] | list[Any], path: DocPath) -> None:
        self.container = container
        self.path = path
        self.key: object = _NO_KEY
        self.key_mark: Any = None
        self.size = 1
        self.anchor: str | None = None
        self.merges: list[Any] | None = None


_NO_KEY = object()
_NOT_BUILT = object()


class _Builder:
    """Turns libyaml events into dicts, lists and safe scalars; collects located problems."""

    def __init__(self, text: str, file: str, *, record_paths: bool) -> None:
        self.file = file
        self.text = text
        self.loader = _Loader(text)
        self.record_paths = record_paths
        self.value_marks: dict[DocPath, Mark] = {}
        self.key_marks: dict[DocPath, Mark] = {}
        self.mapping_marks: dict[int, Any] = {}
        self.anchors: dict[str, tuple[object, int]] = {}
        self.open_anchors: set[str] = set()
        self.anchor_lines: dict[str, int] = {}
        self.stack: list[_Frame] = []
        self.root: object = None
        self.events = 0
        self.documents = 0
        self.problems: list[Diagnostic] = []
        self.tag_cache: dict[str, str] = {}
        self.resolved_first = frozenset(
            key for key in self.loader.yaml_implicit_resolvers if key is not None
        )

    # -- reporting -------------------------------------------------------------------------

    def problem(self, code: str, message: str, mark: Mark) -> None:
        """Record a problem at a 1-based mark."""
        self.problems.append(Diagnostic(code, message, SourceLocation(self.file, *mark)))

    def fatal(self, code: str, message: str, mark: Mark) -> PlanError:
        """Return the error that stops reading, with every problem found so far."""
        self.problem(code, message, mark)
        return PlanError(self.problems)

    # -- the event loop --------------------------------------------------------------------

    def build(self) -> object:
        """Read every event; return the document's data or raise PlanError."""
        try:
            self._read_events()
        except yaml.MarkedYAMLError as exc:
            raise self.fatal("yaml-syntax", _yaml_message(exc), _error_mark(exc)) from None
        except yaml.reader.ReaderError as exc:
            where = _position_mark(self.text, exc.position)
            char = exc.character
            code = char if isinstance(char, int) else ord(char[:1] or "?")
            message = _("the character U+{code} is not allowed in a plan file ({why})").format(
                code=f"{code:04X}", why=exc.reason
            )
            raise self.fatal("not-text", message, where) from None
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
            raise self.fatal("yaml-syntax", str(exc), (0, 0)) from None
        finally:
            self.loader.dispose()
        if self.problems:
            raise PlanError(self.problems)
        return self.root

    def _read_events(self) -> None:
        """The hot loop: plain scalars go straight into their collection, the rest to a handler.

        Written flat on purpose: it runs once per value of a 100,000-task plan.
        """
        get_event = self.loader.get_event
        handlers: dict[type, Callable[[Any], None]] = {
            events.ScalarEvent: self.on_scalar,
            events.MappingStartEvent: self.on_mapping_start,
            events.SequenceStartEvent: self.on_sequence_start,
            events.MappingEndEvent: self.on_collection_end,
            events.SequenceEndEvent: self.on_collection_end,
            events.AliasEvent: self.on_alias,
            events.DocumentStartEvent: self.on_document_start,
        }
        scalar_event, stream_end = events.ScalarEvent, events.StreamEndEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
        stack, plain_value, no_key = self.stack, self.plain_value, _NO_KEY
        fast = not self.record_paths
        count = 0
        while True:
            event = get_event()
            count += 1
            kind = type(event)
            if (
                fast
                and kind is scalar_event
                and event.tag is None
                and event.anchor is None
                and stack
            ):
                frame = stack[-1]
                frame.size += 1
                value = plain_value(event)
                container = frame.container
                if type(container) is list:
                    container.append(value)
                elif frame.key is no_key:
                    frame.key, frame.key_mark = value, event.start_mark
                elif frame.key in container or frame.key is _MERGE_KEY:
                    self.set_item(frame, value, event.start_mark)
                else:
                    container[frame.key] = value  # type: ignore[call-overload]
                    frame.key = no_key
                continue
            if fast and (
                ((kind is mapping_end or kind is sequence_end) and self.close_plain())
                or (
                    (kind is mapping_start or kind is sequence_start)
                    and self.open_plain(event, mapping=kind is mapping_start)
                )
            ):
                continue
            self.events = count
            if kind is stream_end:
                return
            handler = handlers.get(kind)
            if handler is not None:
                handler(event)

    def open_plain(self, event: events.CollectionStartEvent, *, mapping: bool) -> bool:
        """Open a collection without tag or anchor in a value slot, as open_collection does.

        False, having done nothing, when the event needs the full handler: a tag, an anchor,
        the root, the depth limit, a collection as a key, a duplicate key or a merge.
        """
        stack = self.stack
        if event.anchor is not None or event.tag is not None or not 0 < len(stack) < MAX_DEPTH:
            return False
        frame = stack[-1]
        container = frame.container
        value: dict[Any, Any] | list[Any] = {} if mapping else []
        if type(container) is list:
            container.append(value)
        elif frame.key is _NO_KEY or frame.key is _MERGE_KEY or frame.key in container:
            return False
        else:
            container[frame.key] = value  # type: ignore[call-overload]
            frame.key = _NO_KEY
        if mapping:
            self.mapping_marks[id(value)] = event.start_mark
        stack.append(_Frame(value, ()))
        return True

    def close_plain(self) -> bool:
        """Close a nested collection that has no merges and no anchor, as on_collection_end."""
        stack = self.stack
        frame = stack[-1]
        if frame.merges is not None or frame.anchor is not None or len(stack) < 2:
            return False
        stack.pop()
        stack[-1].size += frame.size
        return True

    def on_document_start(self, event: events.DocumentStartEvent) -> None:
        """A plan is one document: a second ``---`` is an error."""
        self.documents += 1
        if self.documents > 1:
            raise self.fatal(
                "yaml-syntax",
                _(
                    "the file holds more than one YAML document (a second '---'); "
                    "a plan is one document"
                ),
                _mark(event.start_mark),
            )

    # -- events ----------------------------------------------------------------------------

    def plain_value(self, event: events.ScalarEvent) -> object:
        """Resolve an untagged scalar as YAML 1.1 does, remembering each text's type."""
        value: str = event.value
        if not event.implicit[0] or (value and value[0] not in self.resolved_first):
            return value  # quoted, or no implicit type starts with this character
        tag = self.tag_cache.get(value)
        if tag is None:
            tag = self.loader.resolve(_SCALAR_NODE, value, (True, False))
            if len(self.tag_cache) < 100_000:
                self.tag_cache[value] = tag
        if tag == _STR_TAG:
            return value
        if tag == _MERGE_TAG:
            return self.merge_key(event)
        return self.construct_scalar(tag, event)

    def merge_key(self, event: events.ScalarEvent) -> object:
        """``<<`` is the merge key where a mapping key goes; anywhere else it is refused.

        Letting it through as a value would put the reader's placeholder into the data.
        """
        stack = self.stack
        if stack and type(stack[-1].container) is dict and stack[-1].key is _NO_KEY:
            return _MERGE_KEY
        self.problem(
            "yaml-merge",
            "<< is YAML's merge key and only stands as a mapping key; "
            "to mean the text, quote it: '<<'",
            _mark(event.start_mark),
        )
        return "<<"

    def on_scalar(self, event: events.ScalarEvent) -> None:
        """Resolve a tagged or anchored scalar."""
        tag = event.tag
        if tag is None or tag == "!":
            value = self.plain_value(event)
        elif tag == _STR_TAG:
            value = event.value
        else:
            value = self.construct_scalar(tag, event)
        if event.anchor is not None:
            self.define_anchor(event.anchor, event.start_mark)
        self.add(value, event.start_mark, 1, event.anchor)

    def define_anchor(self, anchor: str, mark: object) -> None:
        """An anchor names one value: a second ``&name`` would silently re-point aliases."""
        first = self.anchor_lines.get(anchor)
        if first is None:
            self.anchor_lines[anchor] = _mark(mark)[0]
            return
        self.problem(
            "yaml-anchor",
            f"the anchor &{_shown(anchor)} is defined twice (first on line {first}); "
            "give each anchor its own name",
            _mark(mark),
        )

    def construct_scalar(self, tag: str, event: events.ScalarEvent) -> object:
        """Build a non-string scalar of one of the plain types; refuse every other tag.

        Only the types a plan can hold are built (no bytes, sets or ordered pairs), and a
        value that does not spell its type is a located problem, whatever PyYAML's
        constructor would have raised (KeyError, IndexError, AttributeError on bad text).
        """
        mark = _mark(event.start_mark)
        if tag not in _SCALAR_TAGS:
            self.problem(
                "yaml-tag",
                _(
                    "the tag {tag} is not allowed here: a plan holds plain text, "
                    "numbers, dates and lists"
                ).format(tag=event.tag or tag),
                mark,
            )
            return None
        built = self.build_scalar(tag, event.value)
        if built is _NOT_BUILT:
            self.problem(
                "yaml-value",
                _("{value} is not a valid {kind}").format(
                    value=_shown(event.value), kind=tag.rsplit(":", 1)[-1]
                ),
                mark,
            )
            return None
        return built

    def build_scalar(self, tag: str, value: str) -> object:
        """PyYAML's constructor for the tag on the text, or _NOT_BUILT if it does not fit."""
        if tag in _SPELT_TAGS and self.loader.resolve(_SCALAR_NODE, value, (True, False)) != tag:
            return _NOT_BUILT
        constructor = self.loader.yaml_constructors[tag]
        try:
            return constructor(self.loader, _SCALAR_NODE(tag, value, None, None))
        except Exception:  # noqa: BLE001 - PyYAML's constructors raise anything on bad text
            return _NOT_BUILT

    def on_mapping_start(self, event: events.MappingStartEvent) -> None:
        """Open a mapping."""
        self.check_tag(event, "map")
        self.open_collection({}, event)

    def on_sequence_start(self, event: events.SequenceStartEvent) -> None:
        """Open a sequence."""
        self.check_tag(event, "seq")
        self.open_collection([], event)

    def check_tag(self, event: events.CollectionStartEvent, kind: str) -> None:
        """Refuse explicit tags on collections other than the plain ones."""
        if event.tag not in (None, "!", f"tag:yaml.org,2002:{kind}"):
            self.problem(
                "yaml-tag",
                _("the tag {tag} is not allowed here").format(tag=event.tag),
                _mark(event.start_mark),
            )

    def open_collection(
        self, container: dict[Any, Any] | list[Any], event: events.CollectionStartEvent
    ) -> None:
        """Push a new mapping or sequence, refusing nesting beyond MAX_DEPTH."""
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            raise self.fatal(
                "too-deep",
                _("the document nests deeper than {depth} levels").format(depth=MAX_DEPTH),
                _mark(mark),
            )
        path = self.child_path() if self.record_paths else ()
        self.add(container, mark, 0, None)
        frame = _Frame(container, path)
        if event.anchor is not None:
            self.define_anchor(event.anchor, mark)
            frame.anchor = event.anchor
            self.open_anchors.add(event.anchor)
        if type(container) is dict:
            self.mapping_marks[id(container)] = mark
        self.stack.append(frame)

    def on_collection_end(self, _event: object) -> None:
        """Close the innermost collection: apply merge keys, register its anchor, count it."""
        frame = self.stack.pop()
        if frame.merges:
            self.apply_merges(frame)
        if self.stack:
            self.stack[-1].size += frame.size
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.size)

    def on_alias(self, event: events.AliasEvent) -> None:
        """Reuse an anchored value, counting what it would expand to."""
        mark = event.start_mark
        if event.anchor in self.open_anchors:
            raise self.fatal(
                "yaml-alias",
                _("the alias *{name} refers to a value that contains it").format(name=event.anchor),
                _mark(mark),
            )
        value, size = self.anchors.get(event.anchor or "", (None, 0))
        if size == 0:  # pragma: no cover - libyaml rejects unknown anchors itself
            raise self.fatal(
                "yaml-alias", _("unknown alias *{name}").format(name=event.anchor), _mark(mark)
            )
        self.add(value, mark, size, None)
        total = sum(frame.size for frame in self.stack)
        if total > MAX_EXPANDED_NODES and total > 10 * self.events:
            raise self.fatal(
                "alias-bomb",
                _(
                    "aliases expand this document to over {limit} values from {written} "
                    "written: refusing it as an alias bomb"
                ).format(limit=f"{MAX_EXPANDED_NODES:,}", written=f"{self.events:,}"),
                _mark(mark),
            )

    # -- building --------------------------------------------------------------------------

    def child_path(self) -> DocPath:
        """Return the document path of the value about to be added (only when recording)."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if type(frame.container) is list:
            return (*frame.path, len(frame.container))
        key = frame.key
        return (*frame.path, key) if isinstance(key, str | int) else frame.path

    def add(self, value: object, mark: object, size: int, anchor: str | None) -> None:
        """Put a value into the innermost open collection (as a key or a value)."""
        if anchor is not None:
            self.anchors[anchor] = (value, max(size, 1))
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.container
        if type(container) is list:
            if self.record_paths:
                self.value_marks[(*frame.path, len(container))] = _mark(mark)
            container.append(value)
        elif frame.key is _NO_KEY:
            self.take_key(frame, value, mark)
        else:
            self.set_item(frame, value, mark)

    def take_key(self, frame: _Frame, key: object, mark: object) -> None:
        """Remember a mapping key until its value arrives; keys must be plain scalars."""
        if isinstance(key, dict | list):
            self.problem(
                "yaml-key", _("a key must be plain text, not a list or a mapping"), _mark(mark)
            )
            key = f"<complex key at line {_mark(mark)[0]}>"
        frame.key = key
        frame.key_mark = mark

    def set_item(self, frame: _Frame, value: object, mark: object) -> None:
        """Store key: value, refusing a key that the mapping already has."""
        key, container = frame.key, frame.container
        assert isinstance(container, dict)
        frame.key = _NO_KEY
        if key is _MERGE_KEY:
            frame.merges = [*(frame.merges or ()), (value, mark)]
            return
        if self.record_paths:
            path = (*frame.path, key)
            self.value_marks[path] = _mark(mark)  # type: ignore[index]
            self.key_marks[path] = _mark(frame.key_mark)  # type: ignore[index]
        if key in container:
            self.problem(
                "duplicate-key",
                _(
                    "the key {key} appears twice in this mapping (YAML would silently keep "
                    "the last one)"
                ).format(key=repr(key)),
                _mark(frame.key_mark),
            )
        container[key] = value

    def apply_merges(self, frame: _Frame) -> None:
        """Apply YAML merge keys (``<<: *base``): keys written in the mapping win."""
        container = frame.container
        assert isinstance(container, dict)
        for value, mark in frame.merges or ():
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self.problem(
                        "yaml-merge",
                        _("a merge key (<<) takes a mapping or a list of them"),
                        _mark(mark),
                    )
                    continue
                for key, item in source.items():
                    container.setdefault(key, item)


class _MergeKey:
    """Stands for the YAML merge key ``<<`` while a mapping is built."""

    def __repr__(self) -> str:
        return "'<<'"


_MERGE_KEY = _MergeKey()


def _shown(text: str) -> str:
    """A scalar's text quoted for a message, shortened: a message is no place for a file."""
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


_SHOWN = 60


def _mark(mark: object) -> Mark:
    """A libyaml mark (0-based line and column) as a 1-based (line, column)."""
    return (getattr(mark, "line", -1) + 1, getattr(mark, "column", -1) + 1)


def _position_mark(text: str, position: int) -> Mark:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _error_mark(exc: yaml.MarkedYAMLError) -> Mark:
    mark = exc.problem_mark or exc.context_mark
    return _mark(mark) if mark is not None else (0, 0)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (exc.context, exc.problem) if part]
    return "; ".join(parts) if parts else _("this is not valid YAML")


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; raise PlanError (every problem located) if it is not sound.

    The cyclic garbage collector is paused while building: it would otherwise re-scan the
    growing data again and again and cost more than half of a large load.
    """
    builder = _Builder(text, file, record_paths=False)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = builder.build()
    finally:
        if gc_was_enabled:
            gc.enable()
    return YamlDocument(data, builder.mapping_marks)


class PathIndex(NamedTuple):
    """Where every value, and every mapping key, of a document is (1-based line, column)."""

    values: dict[DocPath, Mark]
    keys: dict[DocPath, Mark]

    def locate(self, path: DocPath, *, at_key: bool = False) -> Mark:
        """Return the mark of the path, or of its nearest ancestor that has one."""
        table = self.keys if at_key else self.values
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.values.get(path[:end])
            if found:
                return found
        return (1, 1)


def index_paths(text: str, file: str) -> PathIndex:
    """Index the position of every path of a document that parsed once already.

    Only called on the error path, so a valid plan never pays for it.
    """
    builder = _Builder(text, file, record_paths=True)
    builder.value_marks[()] = (1, 1)
    with contextlib.suppress(PlanError):  # the document parsed before: this is for marks
        builder.build()
    return PathIndex(builder.value_marks, builder.key_marks)
