"""The JSON Schema of the plan format, generated from the pydantic model.

Kept to draft-07 keywords (``definitions``, not ``$defs``), because yaml-language-server
validates with draft-07 semantics. Shipped in the package as ``plan.schema.json`` and in
the repository as ``schema/plan.schema.json``; a test keeps both equal to this output.
"""

from __future__ import annotations

import json
from typing import Any

from cutover.planfile.model import Plan

SCHEMA_ID = "https://github.com/cutover/cutover/raw/main/schema/plan.schema.json"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def plan_schema() -> dict[str, Any]:
    """The schema as a dictionary: draft-07, definitions inline, a title and a description."""
    generated = Plan.model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    schema: dict[str, Any] = {"$schema": DRAFT_07, "$id": SCHEMA_ID}
    schema.update(generated)
    schema["title"] = "cutover plan (format 1)"
    # A plan that extends a template takes start and tasks from it.
    schema["required"] = ["plan"]
    schema["anyOf"] = [{"required": ["extends"]}, {"required": ["start", "tasks"]}]
    schema["definitions"] = definitions
    # Defaults as a plan writes them, not as the model stores them.
    for (model, key), default in _WRITTEN_DEFAULTS.items():
        definitions[model]["properties"][key]["default"] = default
    return schema


_WRITTEN_DEFAULTS: dict[tuple[str, str], object] = {
    ("CalendarSpec", "workdays"): ["mon", "tue", "wed", "thu", "fri"],
    ("CalendarSpec", "hours"): ["08:00-12:00", "13:00-17:00"],
    ("Link", "lag"): "0m",
}


def schema_text() -> str:
    """The schema as the committed file holds it: two-space indent, a final newline."""
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
