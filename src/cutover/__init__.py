"""cutover: a deadline and cutover planner.

The library API, for tools that embed cutover::

    from cutover import load_plan, build_graph, build_schedule, run_checks

Names are imported on first use, so ``import cutover`` (and ``cutover --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_plan": "cutover.loader",
    "build_graph": "cutover.graph",
    "build_schedule": "cutover.schedule",
    "run_checks": "cutover.checks",
    "analyse": "cutover.pipeline",
    "PlanError": "cutover.errors",
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
    from cutover.checks import run_checks
    from cutover.errors import PlanError
    from cutover.graph import build_graph
    from cutover.loader import load_plan
    from cutover.pipeline import analyse
    from cutover.schedule import build_schedule


def __getattr__(name: str) -> Any:  # noqa: ANN401 - returns functions and classes
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cutover' has no attribute {name!r}")
    return getattr(import_module(module), name)
