"""The README and docs/*.md link only to what the repository holds.

A relative link must name a file or folder inside the repository that exists, and a link
with ``#anchor`` a heading of the page it points to. Links to other sites are fine; a link
to our own repository by URL is not (it would show another version than the one read).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_OWN_REPOSITORY = (
    "https://github.com/cutover/cutover/blob",
    "https://github.com/cutover/cutover/tree",
)


def prose_lines(text: str) -> list[str]:
    """The lines of a Markdown page outside fenced code blocks."""
    lines: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, no punctuation, dashes."""
    found: set[str] = set()
    for line in prose_lines(text):
        heading = re.match(r"#{1,6} (.+)", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        number, unique = 0, slug
        while unique in found:
            number += 1
            unique = f"{slug}-{number}"
        found.add(unique)
    return found


def broken_links(page: Path, text: str) -> list[str]:
    """Each link of a page that leaves the repository, names nothing, or a missing heading."""
    return [
        f"{target}: {problem}"
        for line in prose_lines(text)
        for target in _LINK.findall(line)
        if (problem := link_problem(page, text, target))
    ]


def link_problem(page: Path, text: str, target: str) -> str | None:
    """What is wrong with one link target of a page, or None."""
    if target.startswith(_OWN_REPOSITORY):
        return "link our own file instead"
    if re.match(r"[a-z]+:", target):
        return None  # another site
    path, _, anchor = target.partition("#")
    if not path:
        return None if anchor in anchors(text) else "no such heading"
    return file_problem((page.parent / path).resolve(), anchor)


def file_problem(resolved: Path, anchor: str) -> str | None:
    """What is wrong with a link to a file of the repository (and a heading in it), or None."""
    if not resolved.is_relative_to(ROOT):
        return "outside the repository"
    if not resolved.exists():
        return "no such file"
    wanted = anchor and resolved.suffix == ".md"
    if wanted and anchor not in anchors(resolved.read_text(encoding="utf-8")):
        return "no such heading"
    return None


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_link_resolves_inside_the_repository(page: Path) -> None:
    assert broken_links(page, page.read_text(encoding="utf-8")) == []


def test_the_docs_exist_and_the_readme_points_to_them() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("plan-format.md", "architecture.md"):
        assert (ROOT / "docs" / name).is_file(), name
        assert f"](docs/{name})" in readme, name


def test_no_page_sends_readers_to_a_file_the_repository_does_not_have() -> None:
    """The format's contract page lives outside the repository: our docs replace it."""
    for page in PAGES:
        assert "PLAN_FORMAT" not in page.read_text(encoding="utf-8"), page.name


def test_the_link_check_finds_each_kind_of_broken_link() -> None:
    """The test of the test: each kind of bad link is reported, good ones are not."""
    page = ROOT / "docs" / "example.md"
    text = """# Title
[ok](../README.md#commands) [ok](#title) [ok](https://pypi.org/project/holidays/)
[up](../../elsewhere.md) [gone](missing.md) [anchor](../README.md#no-such-part)
[ours](https://github.com/cutover/cutover/blob/main/README.md) [nothing](#nothing)
```
[in code](not-checked.md)
```
"""
    assert broken_links(page, text) == [
        "../../elsewhere.md: outside the repository",
        "missing.md: no such file",
        "../README.md#no-such-part: no such heading",
        "https://github.com/cutover/cutover/blob/main/README.md: link our own file instead",
        "#nothing: no such heading",
    ]
