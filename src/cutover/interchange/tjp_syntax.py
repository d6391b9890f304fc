"""TaskJuggler 3 text as statements: a keyword, its arguments, its block, and its line.

Enough of tj3's syntax for projects: comments (``#``, ``//``, ``/* */``), strings (``"…"``,
``'…'`` and ``-8<- … ->8-``), macros (``macro name [ … ]`` and ``${name}``), dates with
times and offsets, durations, and blocks. A statement ends at the end of its line unless
the line ends with a comma or a dash, or at its block's closing brace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cutover.common.errors import Diagnostic, PlanError, SourceLocation

_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<space>[ \t\r]+)
    | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
    | (?P<scissors>-8<-[ \t]*\n?(?P<body>.*?)->8-)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<date>\d{4}-\d{2}-\d{2}(?:-\d{1,2}:\d{2}(?::\d{2})?)?(?:-?[+-]\d{4})?)
    | (?P<time>\d{1,2}:\d{2})
    | (?P<amount>\d+(?:\.\d+)?(?:min|h|d|w|m|y)\b)
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<word>!*[A-Za-z_][\w.]*)
    | (?P<punct>[{}\[\],\-+:])
    """,
    re.VERBOSE | re.DOTALL,
)
#: Statements whose arguments may each carry a block of their own.
_LISTS = frozenset({"depends", "precedes", "allocate"})
_MACRO = re.compile(r"\bmacro\s+(\w+)\s*\[(.*?)\]", re.DOTALL)
_CALL = re.compile(r"\$\{(\w+)[^}]*\}")


@dataclass(frozen=True)
class Token:
    """A token: its kind (``word``, ``string``, ``date``…), text and line."""

    kind: str
    text: str
    line: int


@dataclass
class Statement:
    """``keyword args… { block }`` with the line of its keyword."""

    keyword: str
    line: int
    args: list[Token] = field(default_factory=list)
    block: list[Statement] | None = None
    #: ``depends a { gaplength 2h }, b``: the block of each argument that has one, by index.
    attached: dict[int, list[Statement]] = field(default_factory=dict)

    def words(self) -> list[str]:
        """The arguments' texts, strings without their quotes."""
        return [token_text(token) for token in self.args]


def token_text(token: Token) -> str:
    """A token's value: a string without quotes and escapes."""
    if token.kind == "string":
        return re.sub(r"\\(.)", r"\1", token.text[1:-1])
    return token.text


def parse_tjp(text: str, file: str) -> list[Statement]:
    """The top-level statements of a ``.tjp`` file; raise PlanError at a bad line."""
    tokens = _tokens(_expand_macros(text), file)
    statements, position = _block(tokens, 0, file, top=True)
    assert position == len(tokens)
    return statements


def _expand_macros(text: str) -> str:
    """Replace ``${name}`` by the macro's body; a definition keeps its lines (for numbering)."""
    bodies = {match[1]: match[2] for match in _MACRO.finditer(text)}
    text = _MACRO.sub(lambda match: "\n" * match[0].count("\n"), text)
    return _CALL.sub(lambda match: bodies.get(match[1], "").replace("\n", " "), text)


def _tokens(text: str, file: str) -> list[Token | None]:
    """Tokens, with None for each line break that may end a statement."""
    out: list[Token | None] = []
    line, position = 1, 0
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None:
            raise _error(file, line, f"cannot read {text[position : position + 20]!r}")
        kind = found.lastgroup or ""
        value = found[0]
        if kind == "scissors":
            out.append(Token("string", '"' + found["body"].replace('"', '\\"') + '"', line))
        elif kind == "newline":
            out.append(None)
        elif kind not in {"space", "comment"}:
            out.append(Token(kind, value, line))
        line += value.count("\n")
        position = found.end()
    return out


def _block(
    tokens: list[Token | None], position: int, file: str, *, top: bool = False
) -> tuple[list[Statement], int]:
    statements: list[Statement] = []
    while position < len(tokens):
        token = tokens[position]
        if token is None or token.text == ",":
            position += 1
            continue
        if token.text == "}":
            if top:
                raise _error(file, token.line, "a '}' closes nothing")
            return statements, position + 1
        statement = Statement(token.text, token.line)
        position = _arguments(tokens, position + 1, statement, file)
        statements.append(statement)
    if not top:
        last = next((t for t in reversed(tokens) if t is not None), None)
        raise _error(
            file, last.line if last else 1, "the file ends inside a block: a '}' is missing"
        )
    return statements, position


def _arguments(tokens: list[Token | None], position: int, statement: Statement, file: str) -> int:
    while position < len(tokens):
        token = tokens[position]
        if token is None:
            previous = statement.args[-1].text if statement.args else ""
            if previous not in {",", "-"}:
                return position + 1
            position += 1
            continue
        if token.text == "}":
            return position
        if token.text == "{" and statement.keyword in _LISTS and statement.args:
            block, position = _block(tokens, position + 1, file)
            statement.attached[len(statement.args) - 1] = block
            continue
        if token.text == "{":
            statement.block, position = _block(tokens, position + 1, file)
            return position
        statement.args.append(token)
        position += 1
    return position


def _error(file: str, line: int, message: str) -> PlanError:
    return PlanError([Diagnostic("bad-file", message, SourceLocation(file, line, 1))])
