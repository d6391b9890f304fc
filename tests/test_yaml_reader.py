"""The plan reader builds exactly what PyYAML's safe loader builds, for any document."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover.common.errors import PlanError
from cutover.planfile.yamldoc import parse_yaml

#: Texts YAML 1.1 reads as something other than a string when plain.
TRICKY = st.sampled_from(
    ["no", "yes", "on", "off", "~", "null", "010", "0x1F", "1:30", "1_000", ".inf", "1e3",
     "2025-06-30", "2025-06-30T09:00:00", "<<", "=", "", " x ", "a: b", "- a", "#c"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
    | st.text(max_size=12)
    | TRICKY
)
KEYS = st.text(min_size=1, max_size=8) | TRICKY
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(data=DATA, flow=st.sampled_from([None, True, False]), anchors=st.booleans())
def test_documents_read_as_pyyaml_reads_them(
    data: object, flow: bool | None, anchors: bool
) -> None:
    """Block, flow and mixed styles; shared values become anchors and aliases."""
    document = {"plan": data, "again": data} if anchors else data
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    assert parse_yaml(text, "generated.yaml").data == yaml.safe_load(text)


def test_merge_keys_tags_and_nested_collections_read_as_pyyaml_reads_them() -> None:
    text = """
base: &base {calendar: office, hours: [8, 17], nested: {deep: [[1, 2], {x: y}]}}
task:
  <<: *base
  hours: [9, 18]
  list: !!seq [a, b]
  map: !!map {k: v}
  items:
    - [1, [2, [3]]]
    - {a: {b: {c: d}}}
    - *base
"""
    assert parse_yaml(text, "merge.yaml").data == yaml.safe_load(text)


# -- hostile documents: every one refused with a location, never an internal error ------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("a: !!bool maybe", (1, 4)),
        ("a: !!bool ''", (1, 4)),
        ("a: !!int ''", (1, 4)),
        ("a: !!int '-'", (1, 4)),
        ("a: !!int +", (1, 4)),
        ("a: !!float", (1, 4)),
        ("a: !!float ''", (1, 4)),
        ("a: !!timestamp x", (1, 4)),
        ("a: !!timestamp ''", (1, 4)),
        ("a: !!null x", (1, 4)),
        ("a: !!binary '@@'", (1, 4)),
        ("a: !!set x", (1, 4)),
        ("a: !!omap x", (1, 4)),
    ],
)
def test_explicit_tags_with_bad_values_are_located(text: str, mark: tuple[int, int]) -> None:
    """Was: KeyError, IndexError or AttributeError escaped the reader (exit 3)."""
    with pytest.raises(PlanError) as raised:
        parse_yaml(text, "t.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code in {"yaml-value", "yaml-tag"}
    assert (diagnostic.location.line, diagnostic.location.column) == mark


@pytest.mark.parametrize(
    "text", ["a: !!bool yes", "a: !!int 10", "a: !!float 1", "a: !!null ''", "a: !!str 1"]
)
def test_explicit_tags_with_good_values_read_as_pyyaml_reads_them(text: str) -> None:
    assert parse_yaml(text, "t.yaml").data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("a: <<", (1, 4)),
        ("a: [x, <<]", (1, 8)),
        ("- <<", (1, 3)),
        ("<<", (1, 1)),
        ("a:\n  b: <<", (2, 6)),
    ],
)
def test_a_merge_key_as_a_value_is_refused(text: str, mark: tuple[int, int]) -> None:
    """Was: the reader's internal merge placeholder object leaked into the data."""
    with pytest.raises(PlanError) as raised:
        parse_yaml(text, "t.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "yaml-merge"
    assert (diagnostic.location.line, diagnostic.location.column) == mark
    assert "'<<'" in diagnostic.message  # says how to write the text itself


def test_a_quoted_merge_key_is_text() -> None:
    assert parse_yaml("a: '<<'\nb: ['<<']", "t.yaml").data == {"a": "<<", "b": ["<<"]}


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("a: &x 1\nb: &x 2\nc: *x", (2, 4)),
        ("a: &x [1]\nb: &x {k: v}\nc: *x", (2, 4)),
        ("a: &x [1]\nb: [&x 2]", (2, 5)),
    ],
)
def test_an_anchor_defined_twice_is_refused(text: str, mark: tuple[int, int]) -> None:
    """Was: the second anchor silently replaced the first for every later alias."""
    with pytest.raises(PlanError) as raised:
        parse_yaml(text, "t.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "yaml-anchor"
    assert (diagnostic.location.line, diagnostic.location.column) == mark
    assert "line 1" in diagnostic.message
