"""Start-up stays fast and the core stays free of the CLI (STYLE: import rules)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "cutover.planfile.loader",
    "cutover.engine.graph",
    "cutover.engine.schedule",
    "cutover.findings.checks",
    "cutover.findings.pipeline",
    "cutover.engine.rows",
]


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return set(result.stdout.split())


def test_the_core_never_imports_the_cli_or_renderers() -> None:
    loaded = _modules_after("\n".join(f"import {module}" for module in CORE))
    assert not {"typer", "rich", "click", "cutover.cli"} & loaded
    assert not any(module.startswith(("cutover.render", "cutover.export")) for module in loaded)


def test_help_does_not_load_heavy_modules() -> None:
    loaded = _modules_after(
        "import sys\nsys.argv = ['cutover', '--help']\nfrom cutover.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    for heavy in (
        "networkx", "holidays", "pydantic", "yaml", "numpy", "ruamel", "reportlab", "babel",
        "textual",
        "cutover.planfile.loader", "cutover.engine.graph",
        # typer's rich help formatter and what it imports: most of --help's time once
        "typer.rich_utils", "rich", "rich.markdown", "markdown_it", "pygments",
    ):  # fmt: skip
        assert heavy not in loaded, heavy


def test_version_reads_no_package_metadata() -> None:
    loaded = _modules_after(
        "import sys\nsys.argv = ['cutover', '--version']\nfrom cutover.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    assert "importlib.metadata" not in loaded
    assert "rich" not in loaded


def test_import_cutover_is_lazy() -> None:
    loaded = _modules_after("import cutover")
    assert "cutover.planfile.loader" not in loaded
    assert "pydantic" not in loaded
