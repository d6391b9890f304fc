"""The package's walls: imports run one way, down the flow, and no modules import in a circle.

Every ``cutover.*`` import counts, also one inside a function or under ``TYPE_CHECKING``:
a lazy import still makes the lower layer depend on the higher one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cutover"

#: The layers, bottom first. A module may import its own layer and any layer before it.
LAYERS = (
    "common",
    "worktime",
    "planfile",
    "engine",
    "findings",
    "risk",
    "portfolio",
    "render",
    "export",
    "live",
    "cli",
)
#: The package's own front doors sit above every layer.
TOP = ("cutover", "cutover.__main__")


def module_name(path: Path) -> str:
    """The dotted name of a source file under ``src/cutover``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(source: str, importer: str) -> set[str]:
    """Every ``cutover`` module that ``source`` imports, resolving relative imports."""
    found: set[str] = set()
    package = importer if importer.count(".") < 2 else importer.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "cutover" or name.startswith("cutover.")}


def layer_of(module: str) -> int | None:
    """The rank of a module's layer, or None for the package's front doors."""
    if module in TOP:
        return None
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        pytest.fail(f"{module} is in no layer: put it in one of {', '.join(LAYERS)}")
    return LAYERS.index(parts[1])


def crossings(modules: dict[str, str]) -> list[str]:
    """Each import from a layer above the importer's own, as 'importer -> imported'."""
    found = []
    for importer, source in sorted(modules.items()):
        own = layer_of(importer)
        if own is None:
            continue
        for imported in sorted(imported_modules(source, importer)):
            if imported == "cutover":
                found.append(f"{importer} -> cutover")  # the front door loads every layer
                continue
            rank = layer_of(imported) if imported.split(".")[1] in LAYERS else None
            shown = [line for line in found if line.startswith(f"{importer} -> ")]
            already = any(imported.startswith(line.split(" -> ")[1] + ".") for line in shown)
            if rank is not None and rank > own and not already:
                found.append(f"{importer} -> {imported}")
    return found


def package_sources() -> dict[str, str]:
    """Every module of the package, by dotted name."""
    return {module_name(path): path.read_text() for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    sources = package_sources()
    # ``from cutover import __version__`` is the one name every layer may read: it is a
    # constant of the front door, not a way up.
    cleaned = {
        name: source.replace("from cutover import __version__", "")
        for name, source in sources.items()
    }
    assert crossings(cleaned) == []


def test_the_layer_test_fails_when_a_layer_is_crossed() -> None:
    """The test of the test: an engine module that imports a renderer is caught."""
    modules = {
        "cutover.engine.schedule": "from cutover.render.gantt import render_gantt\n",
        "cutover.findings.checks": "def f():\n    from cutover.cli import main\n",
        "cutover.render.gantt": "from cutover.engine.schedule import Schedule\n",
        "cutover.worktime.calendars": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from cutover.planfile.model import CalendarSpec\n"
        ),
    }
    assert crossings(modules) == [
        "cutover.engine.schedule -> cutover.render.gantt",
        "cutover.findings.checks -> cutover.cli",
        "cutover.worktime.calendars -> cutover.planfile.model",
    ]


def test_no_import_circles_between_modules() -> None:
    sources = package_sources()
    graph = nx.DiGraph()
    for importer, source in sources.items():
        graph.add_node(importer)
        for imported in imported_modules(source, importer):
            if imported in sources and imported != importer:
                graph.add_edge(importer, imported)
    # A package's __init__ re-exporting its own modules is not a circle of meaning.
    for importer in list(graph):
        for imported in list(graph.successors(importer)):
            if importer.startswith(imported + "."):
                graph.remove_edge(importer, imported)
    assert list(nx.simple_cycles(graph)) == []


def test_every_subpackage_says_what_it_owns_and_may_import() -> None:
    for layer in LAYERS:
        docstring = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text()))
        assert docstring, f"{layer}/__init__.py has no docstring"
        assert "import" in docstring, f"{layer}/__init__.py does not say what it may import"
