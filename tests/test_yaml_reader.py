"""The plan reader builds exactly what PyYAML's safe loader builds, for any document."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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
