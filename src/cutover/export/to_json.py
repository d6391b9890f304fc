"""The schedule as PLAN_FORMAT's JSON object, the same as ``cutover schedule --format json``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cutover.engine.rows import schedule_document
from cutover.findings.states import ordered

if TYPE_CHECKING:
    from cutover.export.view import ExportOptions, ExportView


def export_json(view: ExportView, options: ExportOptions, /) -> bytes:  # noqa: ARG001 - the Exporter signature
    """``schedule_document`` as indented UTF-8 JSON, with non-ASCII text left readable."""
    states = {task: [state.value for state in ordered(held)] for task, held in view.states.items()}
    document = schedule_document(view.schedule, view.rows, states)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
