"""cutover: a deadline and cutover planner.

The library API, for tools that embed cutover::

    from cutover import load_plan, build_graph, build_schedule, run_checks

Names are imported on first use, so ``import cutover`` (and ``cutover --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "load_plan": "cutover.planfile.loader",
    "build_graph": "cutover.engine.graph",
    "build_schedule": "cutover.engine.schedule",
    "run_checks": "cutover.findings.checks",
    "analyse": "cutover.findings.pipeline",
    "PlanError": "cutover.common.errors",
}
__all__ = [
    "PlanError",
    "__version__",
    "analyse",
    "build_graph",
    "build_schedule",
    "load_plan",
    "run_checks",
]

if TYPE_CHECKING:
    from cutover.common.errors import PlanError
    from cutover.engine.graph import build_graph
    from cutover.engine.schedule import build_schedule
    from cutover.findings.checks import run_checks
    from cutover.findings.pipeline import analyse
    from cutover.planfile.loader import load_plan


def __getattr__(name: str) -> Any:  # noqa: ANN401 - returns functions and classes
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cutover' has no attribute {name!r}")
    return getattr(import_module(module), name)
