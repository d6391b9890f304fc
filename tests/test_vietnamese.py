"""Every command and export in Vietnamese: nothing of ours left in English, same verdicts.

The English sentences cutover can print are the catalog's message ids; a piece of one longer
than two words showing up verbatim in Vietnamese output is a string that escaped the catalog
(or a translation that was never filled in).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile
from rich.cells import cell_len

from cutover.common import i18n
from tests.conftest import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli

FLAGSHIP = "plans/tuyenquang.yaml"
AS_OF = ("--as-of", "2025-06-26T09:00")
PO = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "cutover.po"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
#: Views drawn to the terminal's width (risk, whatif and drivers print long lines on purpose
#: and let the terminal wrap them, in English too).
TABLE_VIEWS = ("status", "rollup", "check", "lint", "schedule", "gantt", "diff")
INVALID = """
plan: Kế hoạch lỗi
start: 2025-06-23
tasks:
  - {id: a, duration: 1d, ownr: Sở Nội vụ}
  - {id: b, duration: 1d, after: [c]}
"""


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.speak("en")


@cache
def _catalog() -> list[tuple[str, str]]:
    """(English id, Vietnamese translation) of every message, plural forms included."""
    with PO.open("rb") as stream:
        catalog = read_po(stream, locale="vi")
    pairs: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(str(english), str(strings[0])) for english in ids]
    return pairs


@cache
def english_fragments() -> tuple[str, ...]:
    """Pieces of our English sentences, between placeholders, longer than two words.

    A piece the translation keeps as it is (an option such as ``--format json``) is left out.
    """
    pieces = set()
    for english, vietnamese in _catalog():
        for piece in PLACEHOLDER.split(english):
            words = piece.strip(" .,:;()|·-–—…").strip()
            if len(words.split()) > 2 and words not in vietnamese:
                pieces.add(words)
    return tuple(sorted(pieces))


def english_left(text: str) -> list[str]:
    """The English pieces of ours found in ``text``."""
    return [piece for piece in english_fragments() if piece in text]


def _vi(cli: Cli, *args: str, columns: int = 100) -> tuple[int, str]:
    result = cli(*args, "--lang", "vi", env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout + result.stderr


def _runs(tmp_path: Path) -> dict[str, tuple[str, ...]]:
    """Every command, with arguments that make it print most of what it can say."""
    invalid = tmp_path / "invalid.yaml"
    copy = tmp_path / "plans" / "tuyenquang.yaml"
    window = str(tmp_path / "run" / "tuyenquang.yaml")  # the cutover window's commands record here
    template = ROOT / "plans" / "templates" / "national-2025.yaml"
    return {
        "check": ("check", FLAGSHIP, *AS_OF, "--lint", "--max-findings", "5"),
        "check-md": ("check", FLAGSHIP, *AS_OF, "-f", "markdown", "-f", "junit", "-f", "github"),
        "check-invalid": ("check", str(invalid), FLAGSHIP, *AS_OF),
        "check-unlikely": (
            "check",
            FLAGSHIP,
            *AS_OF,
            "--min-probability",
            "0.9",
            "--runs",
            "200",
            "--seed",
            "1",
        ),
        "lint": ("lint", "plans"),
        "status": ("status", FLAGSHIP, *AS_OF),
        "status-md": ("status", FLAGSHIP, *AS_OF, "-f", "md"),
        "rollup": ("rollup", "plans", *AS_OF),
        "rollup-md": ("rollup", "plans", *AS_OF, "-f", "md"),
        "schedule": ("schedule", FLAGSHIP, *AS_OF),
        "gantt": ("gantt", FLAGSHIP, *AS_OF),
        "diff": ("diff", str(template), FLAGSHIP, *AS_OF),
        "risk": ("risk", FLAGSHIP, *AS_OF, "--runs", "200", "--seed", "1"),
        "whatif": ("whatif", FLAGSHIP, "--delay", "lgsp-sync=1d", "--done", "accounts", *AS_OF),
        "drivers": ("drivers", FLAGSHIP, "go-live", *AS_OF),
        "drivers-done": ("drivers", FLAGSHIP, "province-plan", *AS_OF),
        "drivers-unknown": ("drivers", FLAGSHIP, "go-lve", *AS_OF),
        "update": ("update", str(copy), "accounts", "--done", "--on", "2025-06-26T11:00"),
        "new": ("new", "-t", str(template), "-n", "Hà Giang"),
        "convert": ("convert", str(invalid)),
        "check-gates": ("check", FLAGSHIP, "--as-of", "2025-06-29T23:00", "--no-level"),
        "check-not-counted": ("check", FLAGSHIP, "--as-of", "2025-06-20T09:00"),
        "level": ("level", FLAGSHIP, *AS_OF),
        "resources": ("resources", FLAGSHIP, *AS_OF),
        "calendar": ("calendar", FLAGSHIP, "--from", "2025-08-28", "--to", "2025-09-03"),
        "calendar-unknown": ("calendar", FLAGSHIP, "--resource", "it-centr"),
        "gates": ("gates", FLAGSHIP, *AS_OF),
        "journal-empty": ("journal", window),
        "start": ("start", window, "accounts", "--at", "2025-06-26T08:00", "--by", "Trần Minh"),
        "done": ("done", window, "accounts", "--at", "2025-06-26T11:00", "--by", "Trần Minh"),
        "note": ("note", window, "accounts", "xong sớm", "--by", "Tổ công tác"),
        "undo": ("undo", window, "--by", "Trần Minh"),
        "decide": (
            "decide",
            window,
            "readiness-count",
            "go",
            "--at",
            "2025-06-28T06:00",
            "--by",
            "Ban",
        ),
        "journal": ("journal", window),
        "compare": ("compare", FLAGSHIP, window),
        "import": ("import", str(ROOT / "tests" / "interchange" / "features.tjp")),
        "no-go": (
            "decide",
            window,
            "go-live",
            "no-go",
            "--at",
            "2025-06-29T18:00",
            "--by",
            "Chủ tịch",
        ),
        "status-rolling-back": ("status", window),
        "gantt-rolling-back": ("gantt", window),
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """What every command prints in Vietnamese, at 100 columns and (table views) at 80."""
    from tests.conftest import Cli as Runner  # noqa: PLC0415

    cli = Runner()
    tmp_path = tmp_path_factory.mktemp("vi")
    (tmp_path / "invalid.yaml").write_text(INVALID, encoding="utf-8")
    shutil.copytree(ROOT / "plans", tmp_path / "plans")  # update changes a copy
    shutil.copytree(ROOT / "plans", tmp_path / "run")  # and start, done, decide another
    found = {name: _vi(cli, *args) for name, args in _runs(tmp_path).items()}
    for name, args in _runs(tmp_path).items():
        if name in TABLE_VIEWS or name == "check-invalid":
            found[f"{name}@80"] = _vi(cli, *args, columns=80)
    i18n.speak("en")
    return found


def test_the_detector_finds_english(outputs: dict[str, tuple[int, str]]) -> None:
    assert len(english_fragments()) > 100
    assert english_left("finished Thu 26 Jun, 3h of working time after its deadline")
    assert not english_left(outputs["status"][1])


@pytest.mark.parametrize("name", sorted(_runs(Path("/nonexistent")).keys()))
def test_every_command_speaks_vietnamese(outputs: dict[str, tuple[int, str]], name: str) -> None:
    _, text = outputs[name]
    assert text.strip(), name
    assert english_left(text) == [], text[:3000]


def test_a_rollback_and_the_journal_in_vietnamese(outputs: dict[str, tuple[int, str]]) -> None:
    text = " ".join(outputs["status-rolling-back"][1].split())
    assert "ĐANG QUAY LUI: 'Go-live of the five systems' đã quyết định dừng" in text
    assert re.search(r"nhật ký: \d+ bản ghi của \d+ người; gần nhất: Chủ tịch decide go-live", text)
    gantt = " ".join(outputs["gantt-rolling-back"][1].split())
    assert "ĐANG QUAY LUI (go-live đã quyết định dừng)" in gantt


def test_the_committee_headline(outputs: dict[str, tuple[int, str]]) -> None:
    text = " ".join(outputs["status"][1].split())
    assert (
        "23 nhiệm vụ: 7 nhiệm vụ đã hoàn thành, 1 nhiệm vụ chậm tiến độ, 15 nhiệm vụ đang trong "
        "thời hạn (4 đang thực hiện, 11 chưa đến hạn)"
    ) in text
    assert "ngày báo cáo tình trạng Thứ Năm, 26/06/2025 09:00" in text
    assert "-3 giờ 36 phút" in text


def test_errors_and_usage_errors_in_vietnamese(outputs: dict[str, tuple[int, str]]) -> None:
    code, text = outputs["check-invalid"]
    assert code == 2
    assert "khóa không hợp lệ 'ownr' (có phải ý bạn là 'owner'?)" in text
    assert "đi sau 'c', nhưng không nhiệm vụ nào có mã đó" in text
    code, text = outputs["drivers-unknown"]
    assert code == 2
    assert "lỗi: không có nhiệm vụ 'go-lve' (có phải ý bạn là 'go-live'?)" in text


@pytest.mark.parametrize("view", TABLE_VIEWS)
def test_vietnamese_fits_80_columns(outputs: dict[str, tuple[int, str]], view: str) -> None:
    for name, (_, text) in outputs.items():
        if name.endswith("@80") and name.split("-")[0].split("@")[0] == view:
            widest = max(cell_len(line) for line in text.splitlines())
            assert widest <= 80, f"{name}: a line of {widest} cells"


@pytest.mark.parametrize(
    "command",
    [
        ("check", FLAGSHIP, *AS_OF, "--lint", "-f", "json"),
        ("check", "plans", *AS_OF, "-f", "json"),
        ("whatif", FLAGSHIP, "--delay", "lgsp-sync=1d", *AS_OF, "-f", "json"),
    ],
)
def test_the_same_findings_and_exit_codes_in_both_languages(
    cli: Cli, command: tuple[str, ...]
) -> None:
    def findings(language: str) -> tuple[int, list[tuple[str, str, str, int]]]:
        result = cli(*command, "--lang", language)
        document = json.loads(result.stdout)
        plans = document.get("plans", [document])
        found = [
            (f["code"], f["level"], f["task"], f["line"])
            for plan in plans
            for f in plan.get("findings", [])
        ]
        return result.exit_code, found

    english, vietnamese = findings("en"), findings("vi")
    assert english[1], "no findings to compare"
    assert vietnamese == english


def test_every_export_speaks_vietnamese(cli: Cli, tmp_path: Path) -> None:
    for extension in ("pdf", "html", "svg", "csv", "ics", "mermaid", "md", "json"):
        target = tmp_path / f"schedule.{extension}"
        result = cli("export", FLAGSHIP, *AS_OF, "--lang", "vi", "-o", str(target))
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("đã ghi ")
        if extension == "pdf":
            pages = PdfReader(io.BytesIO(target.read_bytes())).pages
            text = "\n".join(" ".join(page.extract_text().split()) for page in pages)
            assert "trang 1/" in text
            assert "Biểu đồ Gantt" in text
        else:
            text = target.read_text(encoding="utf-8-sig")
        if extension == "html":  # the page's script is code: its comments are for developers
            text = re.sub(r"<script>.*?</script>", "", text, flags=re.DOTALL)
        assert english_left(text) == [], extension
        if extension in {"html", "md", "pdf"}:
            assert "Thứ Năm, 26/06/2025 09:00" in text
    html = (tmp_path / "schedule.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html


def test_csv_and_json_keep_their_column_ids_and_keys(cli: Cli) -> None:
    english = cli("export", FLAGSHIP, *AS_OF, "-f", "csv").stdout.splitlines()[0]
    vietnamese = cli("export", FLAGSHIP, *AS_OF, "-f", "csv", "--lang", "vi").stdout
    assert vietnamese.splitlines()[0] == english
    keys_en = json.loads(cli("status", FLAGSHIP, *AS_OF, "-f", "json").stdout)
    keys_vi = json.loads(cli("status", FLAGSHIP, *AS_OF, "-f", "json", "--lang", "vi").stdout)
    assert keys_vi.keys() == keys_en.keys()
    assert keys_vi["plans"][0].keys() == keys_en["plans"][0].keys()
    assert keys_vi["plans"][0]["counts"] == keys_en["plans"][0]["counts"]


def test_table_headings_translate_to_as_many_columns() -> None:
    for english, vietnamese in _catalog():
        if " · " in english and not PLACEHOLDER.search(english):
            assert len(vietnamese.split(" · ")) == len(english.split(" · ")), english


def test_placeholders_survive_translation() -> None:
    for english, vietnamese in _catalog():
        assert set(PLACEHOLDER.findall(vietnamese)) == set(PLACEHOLDER.findall(english)), english


def test_the_html_and_svg_fonts_cover_vietnamese() -> None:
    """The stacks start with fonts that have every Vietnamese letter (the PDF embeds one)."""
    template = (ROOT / "src/cutover/export/templates/schedule.html.j2").read_text()
    svg = (ROOT / "src/cutover/export/to_svg.py").read_text()
    for text in (template, svg):
        assert "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Arial, sans-serif" in text
    cmap = TTFontFile(str(ROOT / "src/cutover/export/fonts/DejaVuSans.ttf")).charToGlyph
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    missing = [ch for ch in letters + letters.upper() if ord(ch) not in cmap]
    assert missing == []


def test_plan_mistakes_are_told_in_vietnamese(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "mistakes.yaml"
    plan.write_text(
        "plan: Lỗi\ntimezone: Asia/Hanoi_X\nstart: 2025-06-20\n"
        'calendars:\n  default: {hours: ["25:00-26:00"]}\n'
        "tasks:\n  - {id: a, duration: 2x}\n"
        "  - {id: b, duration: 1d, deadline: tomorrow, status: doing}\n",
        encoding="utf-8",
    )
    result = cli("check", str(plan), "--lang", "vi")
    assert result.exit_code == 2
    text = " ".join(result.stdout.split())
    assert english_left(text) == [], text
    assert "không có múi giờ 'Asia/Hanoi_X'" in text
    assert "'2x' không phải thời lượng" in text
    assert "'doing' không phải một trong 'not_started', 'in_progress', 'done' hoặc" in text
    english = " ".join(cli("check", str(plan)).stdout.split())
    assert "unknown time zone 'Asia/Hanoi_X'" in english
    assert "'done' or 'cancelled'" in english


def test_every_help_speaks_vietnamese(cli: Cli) -> None:
    """``--help`` of cutover and of each command, wide enough that no sentence wraps."""
    import typer  # noqa: PLC0415

    from cutover.cli import app  # noqa: PLC0415

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for command in ([], *([name] for name in group.commands)):
        result = cli(*command, "--help", env={"CUTOVER_LANG": "vi", "COLUMNS": "400"})
        assert result.exit_code == 0
        assert "Cách dùng: cutover" in result.stdout
        assert english_left(result.stdout) == [], command


EXAMPLE = "examples/mot-cua-xa.yaml"


@pytest.mark.parametrize(
    "command",
    [
        ("check", EXAMPLE, "--lint"),
        ("check", EXAMPLE, "--min-probability", "0.9", "--runs", "200", "--seed", "1"),
        ("status", EXAMPLE),
        ("schedule", EXAMPLE),
        ("gantt", EXAMPLE),
        ("risk", EXAMPLE, "--runs", "200", "--seed", "1"),
        ("whatif", EXAMPLE, "--delay", "cau-hinh=1d", "--done", "tai-khoan"),
        ("drivers", EXAMPLE, "van-hanh"),
        ("diff", EXAMPLE, EXAMPLE),
        ("export", EXAMPLE, "-f", "md"),
        ("export", EXAMPLE, "-f", "ics"),
    ],
)
def test_a_plan_in_vietnamese_speaks_vietnamese_without_lang(
    cli: Cli, command: tuple[str, ...]
) -> None:
    """``language: vi`` in the plan is enough, deadlines and the whatif's changes included."""
    result = cli(*command, env={"COLUMNS": "100"})
    text = result.stdout + result.stderr
    assert english_left(text) == [], text[:3000]
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d", text), text[:3000]
    english = cli(*command, "--lang", "en", env={"COLUMNS": "100"})
    assert english.exit_code == result.exit_code


def _screen_text(folder: Path, *, read_only: bool, view: str = "run") -> str:
    """Everything the run (or wall) screen shows in Vietnamese, driven by textual's pilot."""
    import asyncio  # noqa: PLC0415
    from datetime import datetime  # noqa: PLC0415

    from textual.widgets import DataTable, Footer, Static  # noqa: PLC0415

    from cutover.live.clock import Clock  # noqa: PLC0415
    from cutover.live.screen import RunOptions, RunScreen  # noqa: PLC0415

    shutil.copytree(ROOT / "plans", folder / "plans")  # undo may write the journal beside it
    plan = folder / "plans" / "tuyenquang.yaml"
    clock = Clock("Asia/Ho_Chi_Minh", datetime(2025, 6, 28, 5, 0), 0.0)
    i18n.speak("vi")
    app = RunScreen(RunOptions(plan, clock, "tester", read_only=read_only, view=view))
    shown: list[str] = []

    async def main() -> None:
        async with app.run_test(size=(200, 60)) as pilot:
            await pilot.pause()
            shown.extend(str(static.render()) for static in app.query(Static))
            if view == "run":
                table = app.query_one("#tasks", DataTable)
                shown.extend(str(column.label) for column in table.columns.values())
                shown.extend(
                    " ".join(str(cell) for cell in table.get_row_at(row))
                    for row in range(table.row_count)
                )
            keys = [active.binding for active in app.active_bindings.values()]
            shown.append(" ".join(key.description for key in keys if key.description))
            assert app.query_one(Footer) is not None
            app.action_undo()  # the wall screen is read-only; the run screen has nothing to undo
            await pilot.pause()
            shown.append(str(app.query_one("#message").render()))

    asyncio.run(main())
    return "\n".join(shown)


@pytest.mark.parametrize(("read_only", "view"), [(False, "run"), (True, "status")])
def test_the_run_and_wall_screens_speak_vietnamese(
    tmp_path: Path,
    read_only: bool,
    view: str,
) -> None:
    """cutover run and watch: the board, the gates, the table and the key bar."""
    text = _screen_text(tmp_path, read_only=read_only, view=view)
    assert english_left(text) == [], text
    assert "bây giờ Thứ Bảy, 28/06/2025 05:00" in text
    assert "cổng National readiness count" in text
    if view == "run":
        assert "có thể bắt đầu" in text or "đang thực hiện" in text
        assert "Hoàn tác" in text
        assert "không có gì để hoàn tác" in text
    else:
        assert "màn hình treo tường chỉ để xem" in text
