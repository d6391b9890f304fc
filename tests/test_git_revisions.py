"""``REV:PATH`` plans read from git: a revision is data, never an option, and is decoded as a file.

``cutover diff -- '--output=/x:plan.yaml' plan.yaml`` once made git write a file; a
revision is now verified as a commit first and handed to git after ``--end-of-options``.
A UTF-16 plan read from a revision is decoded as the same file on disk would be.
"""

from __future__ import annotations

import codecs
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.conftest import WORKED

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture(autouse=True)
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "plan.yaml").write_text(WORKED, encoding="utf-8")
    (folder / "wide.yaml").write_bytes(codecs.BOM_UTF16_LE + WORKED.encode("utf-16-le"))
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-qm", "plans")
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize(
    "revision",
    [
        "--output={out}/written",
        "--output={out}/written:plan.yaml",
        "-o{out}/written",
        "--exec-path={out}",
    ],
)
def test_a_revision_that_looks_like_an_option_is_refused(
    cli: Cli, tmp_path: Path, revision: str
) -> None:
    spec = revision.format(out=tmp_path)
    if ":" not in spec:
        spec += ":plan.yaml"
    result = cli("diff", "--", spec, "plan.yaml")
    assert result.exit_code == 2, result.output
    assert "in this repository" in result.output
    assert not (tmp_path / "written").exists()
    assert "Traceback" not in result.output


def test_a_revision_that_is_not_a_commit_is_refused(cli: Cli, repo: Path) -> None:
    tree = subprocess.run(
        ["git", "rev-parse", "HEAD^{tree}"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    result = cli("diff", f"{tree}:plan.yaml", "plan.yaml")
    assert result.exit_code == 2
    assert f"there is no commit {tree} in this repository" in result.output


def test_a_utf16_plan_reads_from_a_revision_as_from_disk(cli: Cli) -> None:
    result = cli("diff", "HEAD:wide.yaml", "wide.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    on_disk = cli("check", "wide.yaml", "--as-of", "2025-06-16", "--fail-on", "invalid")
    assert on_disk.exit_code == 0, on_disk.output


def test_a_plain_revision_still_works(cli: Cli) -> None:
    result = cli("diff", "HEAD:plan.yaml", "plan.yaml")
    assert result.exit_code == 0, result.output
