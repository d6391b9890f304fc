"""Findings are values whose sentence, line and drivers are worked out once, when read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cutover.common.errors import SourceLocation
from cutover.findings.checks import ERROR, WARNING, Details, Finding

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.findings.pipeline import Analysis

HERE = SourceLocation("plan.yaml", 4, 5)


def test_details_are_computed_once_and_only_when_read() -> None:
    calls: list[int] = []

    def details() -> Details:
        calls.append(1)
        return "three days late", HERE, ("a", "b")

    finding = Finding("late", ERROR, "b", minutes=1440, details=details)
    assert finding.is_error
    assert finding.minutes == 1440
    assert calls == []
    assert finding.message == "three days late"
    assert finding.location == HERE
    assert finding.drivers == ("a", "b")
    assert calls == [1]


def test_a_lazy_finding_equals_the_same_finding_given_outright() -> None:
    eager = Finding(
        "late", ERROR, "b", message="three days late", location=HERE, drivers=("a", "b")
    )
    lazy = Finding("late", ERROR, "b", details=lambda: ("three days late", HERE, ("a", "b")))
    assert eager == lazy
    assert hash(eager) == hash(lazy)
    assert repr(eager) == repr(lazy)
    assert "message='three days late'" in repr(eager)
    assert eager != Finding("late", WARNING, "b", message="three days late", location=HERE)


def test_findings_cannot_be_changed() -> None:
    finding = Finding("late", ERROR, "b", message="late", location=HERE)
    with pytest.raises(AttributeError):
        finding.code = "at-risk"
    with pytest.raises(AttributeError):
        finding.message = "fine"  # type: ignore[misc]


def test_a_finding_needs_a_location() -> None:
    with pytest.raises(TypeError, match="location"):
        Finding("late", ERROR, "b", message="late")


def test_check_findings_read_the_same_in_any_order(
    plan_analysis: Callable[..., Analysis],
) -> None:
    """Drivers share memoised chains: reading the last finding first changes nothing."""
    plan = """
        plan: Chain
        timezone: UTC
        start: 2025-06-16
        tasks:
          - {id: a, duration: 2d}
          - {id: b, duration: 2d, after: [a], deadline: 2025-06-17}
          - {id: c, duration: 2d, after: [b], deadline: 2025-06-18}
    """
    forward = plan_analysis(plan).findings
    backward = plan_analysis(plan).findings
    read_backward = [(f.message, f.location.line, f.drivers) for f in reversed(backward)]
    assert [(f.message, f.location.line, f.drivers) for f in forward] == read_backward[::-1]
    assert [f.drivers for f in forward] == [("a", "b", "c"), ("a", "b")]
    assert forward[0].location.line == 7
