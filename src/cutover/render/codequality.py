"""Findings as GitLab Code Quality JSON, so they show in the merge-request widget at their line.

Each issue is ``{description, check_name, fingerprint, severity, location: {path, lines:
{begin}}}`` (GitLab's subset of the CodeClimate format). The fingerprint is stable for the
same plan, code and task, so GitLab can tell new findings from old ones.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.common.errors import SourceLocation
    from cutover.findings.pipeline import PlanCheck

#: GitLab's severities: info, minor, major, critical, blocker.
SEVERITY = {"missed-deadline": "blocker", "invalid-plan": "blocker", "unlikely": "major"}


def _issue(code: str, level: str, task: str, message: str, where: SourceLocation) -> dict[str, Any]:
    severity = SEVERITY.get(code, "critical" if level == "error" else "minor")
    key = task or f"{message}@{where.line}"  # invalid-plan problems have no task
    digest = hashlib.sha256(f"{where.file}\n{code}\n{key}".encode()).hexdigest()
    return {
        "description": f"{code}: {task}: {message}" if task else f"{code}: {message}",
        "check_name": code,
        "fingerprint": digest,
        "severity": severity,
        "location": {"path": where.file, "lines": {"begin": max(where.line, 1)}},
    }


def code_quality(results: Sequence[PlanCheck]) -> str:
    """The JSON array GitLab reads from a ``codequality`` report artifact."""
    issues: list[dict[str, Any]] = []
    for result in results:
        issues += [
            _issue("invalid-plan", "error", "", f"{d.message} [{d.code}]", d.location)
            for d in result.diagnostics
        ]
        issues += [_issue(f.code, f.level, f.task, f.message, f.location) for f in result.findings]
    return json.dumps(issues, ensure_ascii=False, indent=2)
