"""Keep the message catalogs in step with the code: extract, merge and compile.

    python tools/catalog.py            # update every .po from the code, compile every .mo

Message ids are the English texts passed to ``_()``, ``ngettext()`` and ``n_()`` in
``src/cutover``. A new id is added to each ``.po`` untranslated (the catalog test then fails
until a translator fills it in); an id no longer in the code is dropped. The ``.mo`` files
are committed, so an install from a fresh clone needs no build step.
"""

from __future__ import annotations

import ast
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "cutover"
LOCALE = SOURCE / "common" / "locale"
DOMAIN = "cutover"
#: ``_("…")`` in a Jinja template (the HTML export's), which the Python parser does not see.
TEMPLATE_CALL = re.compile(r"""\b_\("((?:[^"\\]|\\.)*)"\)""")
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def extract(source: Path = SOURCE) -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """Every message id in the code, with the places it is used."""
    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id in {"_", "n_"} and texts and isinstance(texts[0], str):
                key: str | tuple[str, str] = texts[0]
            elif node.func.id == "ngettext" and len(texts) >= 2:
                key = (str(texts[0]), str(texts[1]))
            else:
                continue
            found.setdefault(key, []).append((str(path.relative_to(ROOT)), node.lineno))
    for path in sorted((source / "cli").glob("*.py")):
        for text, line in _help_texts(ast.parse(path.read_text(), str(path))):
            found.setdefault(text, []).append((str(path.relative_to(ROOT)), line))
    for path in sorted(source.rglob("*.j2")):
        for text, line in _template_texts(path.read_text()):
            found.setdefault(text, []).append((str(path.relative_to(ROOT)), line))
    return found


def _template_texts(text: str) -> list[tuple[str, int]]:
    """``_("…")`` calls in a Jinja template, with their line numbers."""
    return [
        (match.group(1), number)
        for number, line in enumerate(text.splitlines(), start=1)
        for match in TEMPLATE_CALL.finditer(line)
    ]


def _help_texts(tree: ast.Module) -> list[tuple[str, int]]:
    """``--help`` texts: ``help="…"`` of typer's options and the docstrings of commands."""
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "help" and isinstance(value, ast.Constant):
                    texts.append((str(value.value), node.lineno))
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in {"command", "callback"}
            for decorator in node.decorator_list
        ):
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                texts.append((docstring, node.lineno))
    return texts


def update(language: str, messages: dict[str | tuple[str, str], list[tuple[str, int]]]) -> Catalog:
    """The language's catalog with exactly the code's ids, keeping existing translations."""
    po_path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    old = read_po(po_path.open("rb"), locale=language) if po_path.exists() else None
    # Fixed header dates: the file changes only when a message does.
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        project="cutover",
        version="",
        copyright_holder="the cutover developers",
        msgid_bugs_address="",
        creation_date=STAMP,
        revision_date=STAMP,
        last_translator="the cutover developers",
        language_team=language,
        fuzzy=False,
    )
    for key, places in messages.items():
        previous = old.get(key if isinstance(key, str) else key[0]) if old else None
        string = (
            previous.string if previous is not None else ("" if isinstance(key, str) else ("", ""))
        )
        catalog.add(key, string, locations=places)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as stream:
        write_po(stream, catalog, width=100, omit_header=False, sort_output=True)
    with po_path.with_suffix(".mo").open("wb") as stream:
        write_mo(stream, catalog)
    return catalog


def untranslated(catalog: Catalog) -> list[object]:
    """The ids of ``catalog`` that have no translation (or lack a plural form)."""
    return [
        message.id
        for message in catalog
        if message.id
        and not all(message.string if isinstance(message.string, tuple) else [message.string])
    ]


def main() -> int:
    """Update and compile every language's catalog; print what is left to translate."""
    messages = extract()
    missing = 0
    for folder in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        catalog = update(folder.name, messages)
        empty = [
            m.id
            for m in catalog
            if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
        ]
        missing += len(empty)
        print(f"{folder.name}: {len(catalog)} messages, {len(empty)} untranslated")
        for message_id in empty:
            print(f"  {message_id!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
