"""Fuzzed plans: every input is scheduled, or refused with exit 2 and ``file:line:col``.

Hypothesis mutates valid plans: keys dropped or written twice, values retyped (str, int,
list, mapping, bool, null, dates), ids swapped or duplicated, cycles, deep nesting, huge
numbers, odd unicode, random bytes spliced into the text. Each input goes through
``check``, ``schedule --format json`` and ``gantt`` in-process, and through every exporter
when it schedules: never a traceback, never exit 1 or 3 from a crash, never more than a
few seconds. A few inputs run in a subprocess under a memory limit and a timeout.
``tests/plans/regressions/`` keeps the minimal inputs the fuzzer found.

    CUTOVER_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py    # a longer, random run
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
import xmlschema
import yaml
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cutover.cli import app
from cutover.common.errors import CutoverError
from cutover.export import EXPORTERS, EXTENSIONS, ExportOptions, export
from cutover.findings.pipeline import analyse
from tests.conftest import ROOT, WORKED

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import write_plan as write_generated

pytestmark = pytest.mark.slow  # fuzzing, and children bounded in memory and time

if TYPE_CHECKING:
    import resource
    from collections.abc import Callable

    from typer.testing import Result

#: Examples per fuzz test; set CUTOVER_FUZZ_EXAMPLES for a longer, non-repeatable run.
EXAMPLES = int(os.environ.get("CUTOVER_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="CUTOVER_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
AS_OF = "2025-06-20T09:00"
GENERATED_AT = datetime(2025, 6, 20, 9, 0)
#: One command on a small plan takes well under a second; a hang or a blow-up is a bug.
SECONDS_PER_RUN = 10.0
#: Address space a subprocess may map (RLIMIT_AS), and the resident peak it may reach.
MEMORY_LIMIT = 2 << 30
PEAK_MIB = 400
#: A limit a small plan should run in: cutover itself needs about 100 MiB.
SMALL_ADDRESS_SPACE = 768 << 20
#: Seconds a subprocess may run before it is killed as hung.
TIMEOUT = SECONDS_PER_RUN + 2
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("schedule", "--format", "json"),
    ("gantt", "--width", "100"),
)
REGRESSIONS = Path(__file__).parent / "plans" / "regressions"
JUNIT_XSD = ROOT / "tests" / "schemas" / "junit.xsd"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "CUTOVER_AS_OF": ""}

RICH = """
plan: Every feature
timezone: Asia/Ho_Chi_Minh
start: 2025-04-21
as_of: 2025-04-29T09:00
require: [owner]
calendars:
  default:
    workdays: [mon, tue, wed, thu, fri]
    hours: ["07:00-11:30", "13:30-17:00"]
    holidays: [2025-05-05]
    holidays_country: VN
    extra_workdays: [2025-04-26]
  rtc: {workdays: all, hours: ["00:00-24:00"]}
tasks:
  - id: prep
    name: Preparation
    not_before: 2025-04-22
    tasks:
      - {id: a, duration: 2d, owner: A, status: done, actual_start: 2025-04-22,
         actual_finish: 2025-04-23T15:00}
      - {id: b, duration: PT4H, owner: B, after: [a], status: in_progress, progress: 40%}
      - id: c
        owner: C
        estimate: {optimistic: 1d, likely: 2d, pessimistic: 5d}
        distribution: triangular
        after: [{task: b, type: SF, lag: -2h}]
  - {id: d, duration: 16h, owner: D, calendar: rtc, after: [{task: prep, type: FF, lag: 1h}]}
  - {id: e, duration: 1w, owner: E, status: cancelled, after: [{task: d, type: SS, lag: 30m}]}
  - {id: go, milestone: true, owner: F, after: [d, e], deadline: 2025-05-09,
     deliverable: Live, approver: Board}
"""


def _base_plans() -> list[dict[str, Any]]:
    generated = io.StringIO()
    write_generated(generated, 50)  # benchmarks/generate.py: tracking, FF, VN holidays
    return [yaml.safe_load(text) for text in (WORKED, RICH, generated.getvalue())]


BASES = _base_plans()

# -- values ------------------------------------------------------------------------------------

ODD_TEXT = [
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark inside the text
    "e\u0301",  # combining accent
    "\U0001f680",  # an emoji, outside the BMP
    "\u2028",  # line separator
    "\x85",  # next line
    "\x00",
    "\x1b[31m",  # an ANSI escape
    "\ud800",  # a lone surrogate: not UTF-8 at all
    "\uffff",
    "İ",  # lower() makes it two characters
    "٣",  # an Arabic-Indic digit: \d matches it
    "１２",  # fullwidth digits
    "[bold]",  # rich markup
    "%s{0}",
    "\n",
    "\r\n",
    "\t",
    "</script><b>",  # HTML, SVG
    '"`|;#:%%',  # CSV, Markdown and Mermaid specials
]
AWKWARD_STRINGS = [
    "3",
    "1:30",
    "-2h",
    "0m",
    "P0D",
    "PT",
    "1e309d",
    "9" * 400 + "d",
    "99999999999999999999w",
    "0.0000001m",
    "P99999999999W",
    "٣d",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "2025-02-30",
    "2025-06-16T24:00",
    "2025-06-16T08:00+14:00",
    "2025-06-16 08:00Z",
    "9999-12-31T23:59-01:00",
    "0001-01-01T00:00+01:00",
    "٢٠٢٥-٠٦-١٦",
    "24:00-24:00",
    "00:00-24:00",
    "23:59-00:01",
    "all",
    "XX",
    "VN",
    "US",
    "FS",
    "ss",
    "100%",
    "101%",
    "-0%",
    "nan%",
    "UTC",
    "Etc/GMT+14",
    "../../etc/passwd",
    "*",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([10**100, -(10**100), 2**63, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(AWKWARD_STRINGS),
    st.lists(st.sampled_from(["a", "-", ".", " ", "1", *ODD_TEXT]), max_size=8).map("".join),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "tasks", "after", "duration", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)

# -- mutations of the data ---------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _paths(data: object, prefix: Path_ = ()) -> list[Path_]:
    """Every path into the document, the root excluded."""
    out: list[Path_] = []
    items: list[tuple[str | int, object]] = []
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    for key, value in items:
        out.append((*prefix, key))
        out += _paths(value, (*prefix, key))
    return out


def _parent(data: object, path: Path_) -> Any:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    return node


def _tasks(data: object) -> list[dict[str, Any]]:
    """Every task mapping of the plan, summaries included."""
    out: list[dict[str, Any]] = []
    pending = [data.get("tasks")] if isinstance(data, dict) else []
    while pending:
        tasks = pending.pop()
        for task in tasks if isinstance(tasks, list) else []:
            if isinstance(task, dict):
                out.append(task)
                pending.append(task.get("tasks"))
    return out


def _drop(draw: st.DrawFn, data: dict[str, Any]) -> None:
    paths = _paths(data)
    if paths:
        path = draw(st.sampled_from(paths))
        del _parent(data, path)[path[-1]]


def _retype(draw: st.DrawFn, data: dict[str, Any]) -> None:
    paths = _paths(data)
    if paths:
        path = draw(st.sampled_from(paths))
        _parent(data, path)[path[-1]] = draw(VALUES)


def _swap_ids(draw: st.DrawFn, data: dict[str, Any]) -> None:
    tasks = [task for task in _tasks(data) if "id" in task]
    if len(tasks) >= 2:
        first, second = draw(st.lists(st.sampled_from(tasks), min_size=2, max_size=2))
        if draw(st.booleans()):
            first["id"], second["id"] = second["id"], first["id"]
        else:
            second["id"] = first["id"]


def _cycle(draw: st.DrawFn, data: dict[str, Any]) -> None:
    tasks = [task for task in _tasks(data) if isinstance(task.get("id"), str)]
    if tasks:
        first, second = draw(st.lists(st.sampled_from(tasks), min_size=2, max_size=2))
        for task, other in ((first, second), (second, first)):
            after = task.get("after")
            task["after"] = [*(after if isinstance(after, list) else []), other["id"]]


def _huge(draw: st.DrawFn, data: dict[str, Any]) -> None:
    tasks = _tasks(data)
    if tasks:
        task = draw(st.sampled_from(tasks))
        key = draw(st.sampled_from(["duration", "not_before", "deadline", "after"]))
        value = draw(st.sampled_from(AWKWARD_STRINGS))
        other = draw(st.sampled_from(tasks)).get("id")
        task[key] = [{"task": other, "type": "SS", "lag": value}] if key == "after" else value


def _odd_unicode(draw: st.DrawFn, data: dict[str, Any]) -> None:
    paths = [path for path in _paths(data) if isinstance(_parent(data, path)[path[-1]], str)]
    if paths:
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        text = parent[path[-1]]
        at = draw(st.integers(0, len(text)))
        parent[path[-1]] = text[:at] + draw(st.sampled_from(ODD_TEXT)) + text[at:]


#: Where ``extends`` may point: itself, a folder, devices, nothing, far away.
TEMPLATES = [
    "plan.yaml",
    ".",
    "",
    "/dev/null",
    "/dev/zero",
    "/dev/urandom",
    "/proc/self/status",
    "../../../../../../etc/hostname",
    "missing.yaml",
    "x" * 5000,
    "nul\x00byte.yaml",
]


def _extends(draw: st.DrawFn, data: dict[str, Any]) -> None:
    data["extends"] = draw(st.sampled_from(TEMPLATES) | VALUES)
    if draw(st.booleans()):
        data["remove"] = draw(st.lists(st.sampled_from(["design", "a", "s0", "zzz"]), max_size=2))


MUTATIONS: dict[str, Callable[[st.DrawFn, dict[str, Any]], None]] = {
    "extends": _extends,
    "drop": _drop,
    "retype": _retype,
    "swap-ids": _swap_ids,
    "cycle": _cycle,
    "huge": _huge,
    "odd-unicode": _odd_unicode,
}

# -- mutations of the text ---------------------------------------------------------------------


def _duplicate_line(draw: st.DrawFn, text: bytes) -> bytes:
    lines = text.split(b"\n")
    at = draw(st.integers(0, len(lines) - 1))
    line = re.sub(rb"^(\s*)- ", rb"\1  ", lines[at])
    return b"\n".join([*lines[: at + 1], line, *lines[at + 1 :]])


def _splice(draw: st.DrawFn, text: bytes) -> bytes:
    at = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 4))
    return text[:at] + draw(st.binary(max_size=8)) + text[at + cut :]


def _deep_tasks(draw: st.DrawFn, text: bytes) -> bytes:
    """Append a summary nested ``depth`` deep (tasks is the last key of every base plan)."""
    depth = draw(st.integers(1, 120))
    lines = [f"{'  ' * level}- id: n{level}\n{'  ' * level}  tasks:" for level in range(depth)]
    lines.append(f"{'  ' * depth}- {{id: leaf, duration: 1d}}")
    return text.rstrip(b"\n") + b"\n" + "\n".join(lines).encode() + b"\n"


def _deep_value(draw: st.DrawFn, text: bytes) -> bytes:
    depth = draw(st.sampled_from([50, 199, 200, 201, 5000]))
    kind = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
    return text + f"x: {kind[0] * depth}{kind[1] * depth}\n".encode()


def _encoding(draw: st.DrawFn, text: bytes) -> bytes:
    choice = draw(st.sampled_from(["bom", "utf-16", "latin-1", "truncate"]))
    if choice == "bom":
        return b"\xef\xbb\xbf" + text
    if choice == "utf-16":
        return text.decode("utf-8", "surrogateescape").encode("utf-16", "surrogatepass")
    if choice == "latin-1":
        return text.decode("utf-8", "surrogateescape").encode("latin-1", "replace")
    return text[: draw(st.integers(0, len(text)))]


TEXT_MUTATIONS: dict[str, Callable[[st.DrawFn, bytes], bytes]] = {
    "duplicate-line": _duplicate_line,
    "splice": _splice,
    "deep-tasks": _deep_tasks,
    "deep-value": _deep_value,
    "encoding": _encoding,
}


def _dump(data: object) -> bytes:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_plans(draw: st.DrawFn) -> bytes:
    """A valid plan after one to three mutations of its data and up to two of its text."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for name in draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=0, max_size=3)):
        MUTATIONS[name](draw, data)
    text = _dump(data)
    for name in draw(st.lists(st.sampled_from(sorted(TEXT_MUTATIONS)), max_size=2)):
        text = TEXT_MUTATIONS[name](draw, text)
    return text


# -- the oracle --------------------------------------------------------------------------------

#: ``file:line:col`` in the plan, or in a template it extends (named by its absolute path).
LOCATED = re.compile(r"(?:plan\.yaml|/[^\s:]+):[1-9]\d*:[1-9]\d*")


def _invoke(path: Path, command: tuple[str, ...]) -> Result:
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(app, [*command, str(path), "--as-of", AS_OF], env=ENV)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_RUN, f"{command[0]} took {elapsed:.1f} s"
    return result


class UnsoundError(AssertionError):
    """A command broke the contract on an input; ``known`` names the regression it repeats."""

    def __init__(self, message: str) -> None:
        """Word the problem and match it against the known ones."""
        super().__init__(message)
        self.known = next(
            (
                name
                for name, pattern in KNOWN_PROBLEMS.items()
                if re.search(pattern, message, re.DOTALL)
            ),
            None,
        )


#: Problems already kept in tests/plans/regressions/ (with their xfail reason in KNOWN_BUGS):
#: the fuzzer skips inputs that only repeat them, to look for new ones.
KNOWN_PROBLEMS: dict[str, str] = {}


def _crash(command: str, crash: BaseException) -> UnsoundError:
    frames = traceback.extract_tb(crash.__traceback__)
    where = f" in {frames[-1].name} ({Path(frames[-1].filename).name})" if frames else ""
    trace = "".join(traceback.format_exception(crash))
    return UnsoundError(f"{command} crashed: {crash!r}{where}\n{trace}")


def assert_sound(path: Path) -> None:
    """Every command runs, or exits 2 with a located message; exporters never crash."""
    scheduled: dict[str, object] | None = None
    for command in COMMANDS:
        result = _invoke(path, command)
        crash = result.exception
        if crash is not None and not isinstance(crash, SystemExit):
            raise _crash(command[0], crash)
        allowed = {0, 1, 2} if command[0] == "check" else {0, 2}
        if result.exit_code not in allowed:
            raise UnsoundError(f"{command[0]}: exit {result.exit_code}\n{result.output}")
        if result.exit_code == 2 and not LOCATED.search(result.output):
            raise UnsoundError(f"{command[0]}: exit 2 without a location: {result.output}")
        if command[0] != "schedule":  # the JSON keeps the text; JSON escapes controls itself
            assert_terminal_safe(result.output, command)
        if result.exit_code == 0 and command[0] == "schedule":
            scheduled = json.loads(result.stdout)
            assert scheduled["tasks"]
    if scheduled is not None:
        _assert_exports(path)
        _assert_export_command(path)
        _assert_convert_round_trip(path, scheduled)


def _assert_convert_round_trip(path: Path, scheduled: dict[str, object]) -> None:
    """``convert`` writes JSON that schedules exactly as the plan did (lines aside)."""
    target = path.with_name(f"{path.stem}-converted.json")
    result = CliRunner().invoke(app, ["convert", str(path), "-o", str(target), "--force"], env=ENV)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise _crash("convert", result.exception)
    if result.exit_code != 0:
        raise UnsoundError(f"convert: exit {result.exit_code}: {result.output}")
    again = _invoke(target, COMMANDS[1])
    if again.exit_code != 0:
        raise UnsoundError(f"schedule of the converted plan: exit {again.exit_code}")

    def without_lines(document: dict[str, object]) -> dict[str, object]:
        tasks = document["tasks"]
        assert isinstance(tasks, list)
        return {**document, "tasks": [{**task, "line": 0} for task in tasks]}

    if without_lines(json.loads(again.stdout)) != without_lines(scheduled):
        raise UnsoundError(f"the converted plan schedules differently: {target.read_text()}")


#: Export formats that may refuse a valid plan (issue 16): another tool's limits, not ours.
REFUSING_FORMATS = frozenset({"tjp", "mspdi"})


def _assert_exports(path: Path) -> None:
    analysis = analyse(path, now=None, as_of=datetime.fromisoformat(AS_OF))
    options = ExportOptions(generated_at=GENERATED_AT)
    for fmt in EXPORTERS:
        started = time.perf_counter()
        try:
            data = export(analysis, fmt, options)
        except Exception as crash:  # any exception is the finding, but for a refusal:
            # interchange formats refuse what the other tool cannot express, by design and
            # with a message (exit 2): tj3 has no lead, MSPDI no shift across midnight.
            if fmt in REFUSING_FORMATS and isinstance(crash, CutoverError):
                continue
            raise _crash(f"export {fmt}", crash) from crash
        assert time.perf_counter() - started < SECONDS_PER_RUN, fmt
        assert isinstance(data, bytes), fmt
        assert data, fmt


#: The ``export`` command, when the command line has one (it arrived while this was written).
HAS_EXPORT_COMMAND = any(
    (command.name or getattr(command.callback, "__name__", "")) == "export"
    for command in app.registered_commands
)


def _assert_export_command(path: Path) -> None:
    """``cutover export PLAN -o FILE`` in one format, chosen by the plan: 0, the whole file."""
    if not HAS_EXPORT_COMMAND:
        return
    extension = sorted(EXTENSIONS)[zlib.crc32(path.read_bytes()) % len(EXTENSIONS)]
    target = path.with_name(f"export{extension}")
    result = _invoke(path, ("export", "-o", str(target)))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise _crash(f"export {extension}", result.exception)
    if result.exit_code != 0 or not target.stat().st_size:
        raise UnsoundError(f"export -o {target.name}: exit {result.exit_code}: {result.output}")


def assert_sound_or_known(path: Path) -> None:
    """As assert_sound, but an input that only repeats a known regression is rejected."""
    try:
        assert_sound(path)
    except UnsoundError as problem:
        if problem.known is None:
            raise
        reject()


def _write(folder: str, data: bytes) -> Path:
    path = Path(folder) / "plan.yaml"
    path.write_bytes(data)
    return path


@FUZZ
@given(plan=mutated_plans())
def test_mutated_plans_run_or_are_refused_with_a_location(plan: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert_sound_or_known(_write(folder, plan))


@FUZZ
@given(value=VALUES, key=st.sampled_from(["plan", "start", "timezone", "tasks", "calendars"]))
def test_any_value_at_the_top_is_refused_or_run(value: object, key: str) -> None:
    data = copy.deepcopy(BASES[0])
    data[key] = value
    with tempfile.TemporaryDirectory() as folder:
        assert_sound_or_known(_write(folder, _dump(data)))


@FUZZ
@given(text=st.binary(max_size=200))
def test_random_bytes_are_refused_with_a_location(text: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert_sound_or_known(_write(folder, text))


AS_OF_VALUES = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "9998-12-31T23:59", "2025-06-16T08:00+14:00",
                     "2025-13-01", "", " ", "2025-06-16T24:00", "٢٠٢٥-٠٦-١٦",
                     "9999-12-31T23:59-01:00", "0001-01-01T00:00+01:00"]),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda moment: moment.isoformat(timespec="minutes")
    ),
    st.text(max_size=12),
)  # fmt: skip


@FUZZ
@given(as_of=AS_OF_VALUES, base=st.integers(0, len(BASES) - 1), command=st.sampled_from(COMMANDS))
def test_any_status_date_is_refused_or_run(as_of: str, base: int, command: tuple[str, ...]) -> None:
    """A status date anywhere in (or out of) the calendar: a run, or exit 2 with a reason."""
    assume("\x00" not in as_of)  # an argument cannot hold NUL: the OS refuses it
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, _dump(BASES[base]))
        result = CliRunner().invoke(app, [*command, str(path), "--as-of", as_of], env=ENV)
    crash = result.exception
    if crash is not None and not isinstance(crash, SystemExit):
        raise _crash(command[0], crash)
    assert result.exit_code in ({0, 1, 2} if command[0] == "check" else {0, 2}), result.output
    if result.exit_code == 2:
        assert LOCATED.search(result.output) or "Invalid value" in result.output, result.output


# -- hostile text: every command and exporter, names built to attack a terminal or a CI log --

#: Pieces of text that attack a terminal, a CI log or a machine format when shown raw.
HOSTILE_PIECES = [
    *ODD_TEXT,
    "\x1b]0;title\x07",  # set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[8m",  # conceal
    "\x9b31m",  # a C1 CSI
    "\x01", "\x0b", "\x0c", "\x7f", "\u2029", "\u061c", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069",
    "\n::warning file=x::injected", "::error::x", " ##[error]legacy", ":::",
    "[/]", "[link=https://example.invalid]x",
    "=HYPERLINK(1)", "+1", "-1", "@x",
    "]]>", "&amp;", "<x/>",
]  # fmt: skip
HOSTILE_TEXT = st.one_of(
    st.lists(st.sampled_from([*HOSTILE_PIECES, "a", " ", "Tuyên Quang"]), max_size=12).map("".join),
    st.sampled_from(HOSTILE_PIECES).map(lambda piece: "x" * 20_000 + piece + "y " * 5_000),
)
#: Raw in no terminal output: C0 (but the line feed ending each line), DEL, C1, bidi controls.
RAW_IN_TERMINAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
TERMINAL_OUTPUTS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("check", "--format", "markdown"),
    ("lint",),
    ("schedule",),
    ("gantt", "--width", "100"),
    ("status",),
    ("rollup",),
    ("risk", "--runs", "20"),
    ("drivers", "{plan}", "a"),
)
MACHINE_OUTPUTS: tuple[tuple[str, ...], ...] = (
    ("check", "--format", "json"),
    ("check", "--format", "github"),
    ("check", "--format", "codequality"),
    ("schedule", "--format", "json"),
    ("schedule", "--format", "csv"),
)


def _hostile_plan(name: str, task_name: str, owner: str) -> bytes:
    document = {
        "plan": name,
        "start": "2025-06-16",
        "tasks": [
            {"id": "a", "name": task_name, "duration": "1d", "owner": owner},
            {"id": "m", "name": task_name, "milestone": True, "after": ["a"],
             "deadline": "2025-06-16", "deliverable": owner},
        ],
    }  # fmt: skip
    return json.dumps(document).encode()


def _run_output(path: Path, command: tuple[str, ...]) -> Result:
    name, *rest = command
    args = [str(path) if arg == "{plan}" else arg for arg in rest]
    if "{plan}" not in rest:
        args.insert(0, str(path))
    if name != "lint":
        args += ["--as-of", AS_OF]
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(app, [name, *args], env=ENV)
    assert time.perf_counter() - started < SECONDS_PER_RUN, command
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise _crash(" ".join(command), result.exception)
    assert result.exit_code in {0, 1}, (command, result.output)
    return result


def assert_terminal_safe(output: str, command: tuple[str, ...]) -> None:
    """One visible line per line: nothing a terminal acts on, nothing GitHub would run."""
    raw = RAW_IN_TERMINAL.findall(output)
    assert not raw, (command, raw)
    assert not re.search(r"##\[(?!\\)", output), command
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), (command, line)


def assert_machine_formats_hold(path: Path, plan: dict[str, Any]) -> None:
    """JSON keeps the text exactly; annotations one per line; JUnit well formed and valid."""
    as_json = json.loads(_run_output(path, ("schedule", "--format", "json")).stdout)
    assert as_json["plan"] == plan["plan"]
    assert as_json["tasks"][0]["name"] == plan["tasks"][0]["name"]
    json.loads(_run_output(path, ("check", "--format", "json")).stdout)
    json.loads(_run_output(path, ("check", "--format", "codequality")).stdout)
    for line in _run_output(path, ("check", "--format", "github")).stdout.splitlines():
        assert re.fullmatch(r"::(error|warning|notice) [^\r\n]*", line), line
    rows = _run_output(path, ("schedule", "--format", "csv")).stdout
    assert len(list(csv.reader(io.StringIO(rows, newline="")))) == 1 + len(plan["tasks"])
    report = path.with_name("junit.xml")
    _run_output(path, ("check", "-f", f"junit:{report}"))
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(report))


@settings(FUZZ, max_examples=min(EXAMPLES, 12))
@given(name=HOSTILE_TEXT, task_name=HOSTILE_TEXT, owner=HOSTILE_TEXT)
def test_hostile_text_is_shown_visibly_and_machine_formats_hold(
    name: str, task_name: str, owner: str
) -> None:
    """Control characters, bidi overrides, CI commands, markup and huge texts in names."""
    assume(not any("\ud800" <= char <= "\udfff" for char in name + task_name + owner))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_bytes(_hostile_plan(name, task_name, owner))
        plan = json.loads(path.read_bytes())
        for command in TERMINAL_OUTPUTS:
            assert_terminal_safe(_run_output(path, command).output, command)
        assert_machine_formats_hold(path, plan)
        _assert_exports(path)
        _assert_export_command(path)


# -- regressions: minimal inputs the fuzzer found -----------------------------------------------

#: Regressions whose fix is in src/ and not yet made: name -> the bug. They flip to pass.
KNOWN_BUGS: dict[str, str] = {}


def _regressions() -> list[Any]:
    return [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[path.stem])]
            if path.stem in KNOWN_BUGS
            else [],
        )
        for path in sorted(REGRESSIONS.glob("*.yaml"))
    ]


@pytest.mark.parametrize("regression", _regressions())
def test_regressions_run_or_are_refused_with_a_location(regression: Path, tmp_path: Path) -> None:
    assert_sound(_write(str(tmp_path), regression.read_bytes()))


# -- in a real process: a memory bound and a time limit -----------------------------------------


class Bounded(NamedTuple):
    """A finished cutover process: exit status, output, wall seconds and peak resident MiB."""

    returncode: int
    output: str
    seconds: float
    peak_mib: float


#: Runs the command in a grandchild forked from this small, fresh interpreter and writes
#: its exit status and peak resident memory to a file. Linux starts a forked child's peak
#: at its parent's resident set and keeps it over exec, so a child forked from pytest
#: late in a full run "peaked" at pytest's size (450-850 MiB), not at its own.
_SPAWN = """
import os, resource, sys
report, limit, *command = sys.argv[1:]
pid = os.fork()
if pid == 0:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(f"{status} {usage.ru_maxrss}")
"""


def _run_bounded(
    path: Path, *command: str, limit: int = MEMORY_LIMIT, timeout: float = TIMEOUT
) -> Bounded:
    """Run cutover with an address-space limit; kill it after TIMEOUT seconds."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage"
        child = subprocess.Popen(
            [sys.executable, "-c", _SPAWN, str(report), str(limit),
             sys.executable, "-m", "cutover", *command, str(path), "--as-of", AS_OF],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=path.parent,
            env={**os.environ, **ENV}, start_new_session=True,
        )  # fmt: skip
        status, usage = _reap(child, started + timeout)
        out.seek(0)
        output = out.read().decode(errors="replace")
        peak_kib = usage.ru_maxrss  # killed at the deadline: the spawner's own, an upper bound
        if report.exists():
            status, peak_kib = (int(word) for word in report.read_text().split())
    return Bounded(
        os.waitstatus_to_exitcode(status), output, time.perf_counter() - started, peak_kib / 1024
    )


def _reap(child: subprocess.Popen[bytes], deadline: float) -> tuple[int, resource.struct_rusage]:
    """Wait for the child (killing its session at the deadline): its status and rusage."""
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.01)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return status, usage


def assert_bounded(path: Path, *command: str, timeout: float = TIMEOUT) -> None:
    """Exit 0, 1 (check) or 2 with a location, within the timeout and PEAK_MIB."""
    result = _run_bounded(path, *command, timeout=timeout)
    assert result.seconds < min(timeout, SECONDS_PER_RUN), f"{command[0]}: {result.seconds:.1f} s"
    assert "Traceback" not in result.output, result.output
    assert result.returncode in {0, 1, 2}, (result.returncode, result.output)
    if result.returncode == 2:
        assert LOCATED.search(result.output), result.output
    assert result.peak_mib < PEAK_MIB, f"{command[0]} peaked at {result.peak_mib:.0f} MiB"


HEAVY = {
    "alias-bomb": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(f"a{i}: &a{i} [{', '.join(['*a' if i == 1 else f'*a{i - 1}'] * 10)}]\n".encode()
               for i in range(1, 9))
    + b"plan: x\nstart: 2025-06-16\ntasks: *a8\n",
    "runaway-holidays": b"plan: x\nstart: 2025-06-16\ncalendars:\n"
    + b"".join(f"  c{i}: {{holidays_country: {c}}}\n".encode()
               for i, c in enumerate(["VN", "US", "DE"]))
    + b"tasks:\n"
    + b"".join(f"  - {{id: t{i}, duration: 2000000d, calendar: c{i}}}\n".encode()
               for i in range(3)),
    "long-cycle": b"plan: x\nstart: 2025-06-16\ntasks:\n"
    + b"".join(f"  - {{id: t{i}, duration: 1d, after: [t{i - 1}]}}\n".encode()
               for i in range(1, 20000))
    + b"  - {id: t0, duration: 1d, after: [t19999]}\n",
    "extends-device": b"plan: x\nstart: 2025-06-16\nextends: /dev/zero\n"
    b"tasks:\n  - {id: a, duration: 1d}\n",
}  # fmt: skip
#: Heavy inputs that break a bound today, and why; they flip to pass when fixed.
HEAVY_BUGS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.xfail(strict=True, reason=HEAVY_BUGS[name])])
        if name in HEAVY_BUGS
        else name
        for name in sorted(HEAVY)
    ],
)
def test_heavy_inputs_stay_within_memory_and_time(name: str, tmp_path: Path) -> None:
    assert_bounded(_write(str(tmp_path), HEAVY[name]), "check")


@settings(max_examples=3, deadline=None, derandomize=True)
@given(plan=mutated_plans())
def test_a_few_mutated_plans_in_a_bounded_process(plan: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, plan)
        assert_sound_or_known(path)  # in-process first: known problems are skipped
        assert_bounded(path, "check")


def test_a_template_that_is_a_pipe_is_refused_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    plan = b"plan: x\nstart: 2025-06-16\nextends: pipe.yaml\ntasks:\n  - {id: a, duration: 1d}\n"
    assert_bounded(_write(str(tmp_path), plan), "check", timeout=5)


def test_a_small_plan_runs_under_a_small_address_space(tmp_path: Path) -> None:
    path = _write(str(tmp_path), WORKED.encode())
    result = _run_bounded(path, "check", limit=SMALL_ADDRESS_SPACE)
    assert result.returncode == 1, result.output  # ship's deadline has passed at AS_OF
    assert "missed-deadline" in result.output


# -- extends paths: a plan never makes cutover read (or print) what is outside its repository --

#: Bait in every file a plan has no business reading; it must never be printed.
BAIT = "BAIT-9c1e-not-for-the-log"
#: Pieces of an ``extends`` path: climbs, links in and out of the repository, git's folder.
EXTENDS_PARTS = st.sampled_from(
    [
        "..",
        ".",
        "inside",
        "link-in",
        "link-out",
        "out",
        "repo",
        ".git",
        "config",
        "t.yaml",
        "secret.txt",
        "secret-link.yaml",
        "notplan.txt",
        "keys.yaml",
    ]
)
#: Escapes that must always be tried, then random walks over the parts.
EXTENDS_ESCAPES = [
    "../out/t.yaml",
    "link-out/t.yaml",
    "secret-link.yaml",
    "inside/secret-link.yaml",
    "{root}/out/secret.txt",
    "link-in/../../out/t.yaml",
    ".git/config",
    "inside/notplan.txt",
    "inside/keys.yaml",
]
EXTENDS_PATHS = st.sampled_from(EXTENDS_ESCAPES) | st.tuples(
    st.sampled_from(["", "/", "{root}/", "{root}/repo/"]),
    st.lists(EXTENDS_PARTS, min_size=1, max_size=6),
).map(lambda pair: pair[0] + "/".join(pair[1]))


def _hostile_layout(root: Path) -> Path:
    """``root/repo`` (a git repository) beside ``root/out``, with bait around and inside."""
    repo = root / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "config").write_text(f"[http]\n\textraheader = {BAIT}\n", encoding="utf-8")
    (repo / "inside").mkdir()
    (repo / "inside" / "t.yaml").write_text(
        "plan: T\nstart: 2025-06-16\ntasks: [{id: a, duration: 1d}]\n", encoding="utf-8"
    )
    (repo / "inside" / "notplan.txt").write_text(f"{BAIT}\n", encoding="utf-8")
    (repo / "inside" / "keys.yaml").write_text(f"{BAIT}: 1\nother: {BAIT}\n", encoding="utf-8")
    (root / "out").mkdir()
    (root / "out" / "secret.txt").write_text(f"-----BEGIN-----\n{BAIT}\n", encoding="utf-8")
    (root / "out" / "t.yaml").write_text(
        f"plan: {BAIT}\nstart: 2025-06-16\ntasks: [{{id: {BAIT}, duration: 1d}}]\n",
        encoding="utf-8",
    )
    (repo / "link-in").symlink_to("inside")
    (repo / "link-out").symlink_to("../out")
    (repo / "secret-link.yaml").symlink_to("../out/secret.txt")
    (repo / "inside" / "secret-link.yaml").symlink_to("../../out/t.yaml")
    return repo


@FUZZ
@given(extends=EXTENDS_PATHS, fmt=st.sampled_from(["github", "text", "json"]))
def test_extends_never_reads_outside_the_repository_nor_prints_bait(extends: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        repo = _hostile_layout(root)
        reference = extends.format(root=root)
        plan = repo / "plan.yaml"
        plan.write_text(f"extends: {json.dumps(reference)}\nplan: P\n", encoding="utf-8")
        result = CliRunner().invoke(
            app, ["check", str(plan), "--as-of", AS_OF, "--format", fmt], env=ENV
        )
        crash = result.exception
        if crash is not None and not isinstance(crash, SystemExit):
            raise _crash("check", crash)
        assert BAIT not in result.output, (reference, result.output)
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code != 2:
            target = (repo / reference).resolve()
            assert target.is_relative_to(repo), reference
            assert ".git" not in target.relative_to(repo).parts, reference


# -- output targets: nothing at an output's path is replaced unless it is a regular file -------

TARGET_KINDS = st.sampled_from(
    ["missing", "regular", "hard-linked", "link", "dangling-link", "fifo-read", "fifo", "folder"]
    + (["null", "full"] if os.geteuid() == 0 else [])
)


def _make_target(folder: Path, kind: str, mode: int) -> Path:
    target = folder / "out"
    if kind in ("regular", "hard-linked", "link"):
        real = folder / "real"
        real.write_bytes(b"old")
        real.chmod(mode)
        if kind == "hard-linked":
            (folder / "other").hardlink_to(real)
        if kind == "link":
            target.symlink_to("real")
            return target
        real.rename(target)
        if kind == "hard-linked":
            (folder / "other").unlink()
            (folder / "other").hardlink_to(target)
    elif kind == "dangling-link":
        target.symlink_to("made")
    elif kind in ("fifo", "fifo-read"):
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind in ("null", "full"):
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3 if kind == "null" else 7))
    return target


def _drain(path: Path) -> threading.Thread:
    def read() -> None:
        with path.open("rb") as handle:
            handle.read()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@FUZZ
@given(
    kind=TARGET_KINDS,
    data=st.binary(max_size=3000),
    mode=st.sampled_from([0o600, 0o640, 0o644, 0o664, 0o755]),
)
def test_an_output_never_replaces_what_is_not_a_regular_file(
    kind: str, data: bytes, mode: int
) -> None:
    from cutover.common import files  # noqa: PLC0415
    from cutover.common.files import OutputError, write_output  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        target = _make_target(folder, kind, mode)
        before = target.lstat() if kind != "missing" else None
        reader = _drain(target) if kind == "fifo-read" else None
        refused: OutputError | None = None
        waited = files.FIFO_WAIT
        files.FIFO_WAIT = 0.1 if kind == "fifo" else waited  # no reader will come
        try:
            write_output(target, data)
        except OutputError as error:
            refused = error
        finally:
            files.FIFO_WAIT = waited
        must_fail = kind in ("fifo", "folder") or (kind == "full" and bool(data))
        assert (refused is not None) == must_fail, f"{kind}: {refused}"
        if reader is not None:
            reader.join(timeout=30)
        after = target.lstat()
        if before is not None:
            assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), kind
        if kind in ("regular", "hard-linked", "link", "missing", "dangling-link"):
            assert target.read_bytes() == data
        if kind in ("regular", "hard-linked", "link"):
            assert stat.S_IMODE(target.stat().st_mode) == mode
        if kind == "hard-linked":
            assert (folder / "other").read_bytes() == data
            assert target.stat().st_nlink == 2


# -- names written by ``cutover new``: any text reads back as itself, and adds no key -----------


@FUZZ
@given(name=st.text(max_size=40) | st.sampled_from(ODD_TEXT + AWKWARD_STRINGS))
def test_a_new_plan_reads_its_name_back_whatever_the_name(name: str) -> None:
    from cutover.common.errors import PlanError  # noqa: PLC0415
    from cutover.planfile.loader import load_plan_text  # noqa: PLC0415
    from cutover.portfolio.scaffold import new_plan_text  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "base.yaml"
        template.write_text(
            "plan: T\nstart: 2025-06-16\ntasks: [{id: a, duration: 1d}]\n", encoding="utf-8"
        )
        target = Path(folder) / "new.yaml"
        refused: PlanError | None = None
        try:
            text = new_plan_text(template, name, target)
        except PlanError as error:  # a name the format refuses (empty, say): located
            refused = error
        if refused is not None:
            assert all(d.location.line >= 1 for d in refused.diagnostics), refused
            return
        loaded = load_plan_text(text, "new.yaml", path=target).plan
        assert loaded.plan == name
        assert [task.id for task in loaded.tasks] == ["a"]
        assert str(loaded.start).startswith("2025-06-16")
