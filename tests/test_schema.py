"""The JSON Schema editors and CI validators use: generated, committed, and true to the loader."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

from cutover.planfile.schema import schema_text
from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

COPIES = [
    ROOT / "schema" / "plan.schema.json",
    ROOT / "src" / "cutover" / "planfile" / "plan.schema.json",
]
PLANS = sorted(
    [
        *ROOT.glob("plans/**/*.yaml"),
        *ROOT.glob("examples/*.yaml"),
        *ROOT.glob("tests/plans/valid/*.yaml"),
    ]
)
MODELINE = "# yaml-language-server: $schema=../schema/plan.schema.json"
#: Keywords of JSON Schema draft-07 (what yaml-language-server validates with).
DRAFT_07_KEYWORDS = {
    "$schema", "$id", "$ref", "title", "description", "default", "type", "properties",
    "required", "additionalProperties", "patternProperties", "items", "minItems", "enum",
    "const", "anyOf", "pattern", "definitions", "minLength", "maxLength", "minimum",
    "maximum", "propertyNames", "oneOf", "allOf", "not",
}  # fmt: skip


class _Yaml12Dates(yaml.SafeLoader):
    """Like an editor: dates stay strings (no YAML 1.1 timestamp type)."""


_Yaml12Dates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(COPIES[0].read_text()))


@pytest.mark.parametrize("path", COPIES, ids=["schema/", "package"])
def test_the_committed_schema_is_the_generated_one(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == schema_text(), "run: cutover schema > " + str(path)


def test_the_schema_uses_draft_07_keywords_only() -> None:
    schema = json.loads(schema_text())
    jsonschema.Draft7Validator.check_schema(schema)

    def keywords(node: Any, under_properties: bool = False) -> set[str]:
        if isinstance(node, list):
            return set().union(*(keywords(item) for item in node)) if node else set()
        if not isinstance(node, dict):
            return set()
        found = set() if under_properties else set(node)
        for key, value in node.items():
            names_container = key in {"properties", "definitions", "patternProperties"}
            found |= keywords(value, under_properties=names_container)
        return found

    assert keywords(schema) <= DRAFT_07_KEYWORDS


@pytest.mark.parametrize("path", PLANS, ids=[path.name for path in PLANS])
def test_every_plan_in_the_repository_is_valid_by_the_schema(path: Path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Dates)  # noqa: S506 - a SafeLoader
    errors = [error.message for error in _validator().iter_errors(data)]
    assert not errors, errors


def test_the_schema_catches_what_the_loader_catches() -> None:
    validator = _validator()
    good = {"plan": "x", "start": "2025-06-16", "tasks": [{"id": "a", "duration": "1d"}]}
    assert not list(validator.iter_errors(good))
    bad_tasks = [
        {"id": "a", "duration": "1d", "deadlin": "2025-06-20"},
        {"id": "a", "duration": 3},
        {"id": "a b", "duration": "1d"},
        {"id": "a", "duration": "1d", "status": "finished"},
    ]
    for bad_task in bad_tasks:
        assert list(validator.iter_errors({**good, "tasks": [bad_task]})), bad_task


def test_plans_carry_the_modeline_and_the_readme_shows_it() -> None:
    for path in [*ROOT.glob("plans/*.yaml"), *ROOT.glob("examples/*.yaml")]:
        assert path.read_text(encoding="utf-8").startswith(MODELINE), path
    assert "# yaml-language-server: $schema=" in (ROOT / "README.md").read_text()


def test_the_schema_command(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.output == schema_text()
