"""Findings as JUnit XML, the test report GitLab, Jenkins and GitHub actions all read.

One testsuite per plan, one testcase per task that has a deadline or a finding; error
findings are failures, warnings go to system-out. GitLab ignores a failure's ``message``
attribute, so the readable text is in the element body too (FIELD_NOTES, "CI gating").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.common.text import display_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cutover.findings.checks import Finding
    from cutover.findings.pipeline import PlanCheck


def junit_xml(results: Sequence[PlanCheck]) -> str:
    """One testsuite per plan, one testcase per task with a deadline or a finding."""
    root = ET.Element("testsuites", name="cutover check")
    total = failed = 0
    for result in results:
        suite = _suite(result)
        root.append(suite)
        total += int(suite.get("tests", "0"))
        failed += int(suite.get("failures", "0"))
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _NOT_XML.sub(_visible, xml)


#: Characters XML 1.0 forbids in a document even as references (§2.2 ``Char``): ElementTree
#: writes them as they are, and every reader then rejects the file. Names and messages are
#: display text already; this catches whatever else gets in.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _suite(result: PlanCheck) -> ET.Element:
    file = display_text(result.file)
    suite = ET.Element("testsuite", name=file)
    cases: list[ET.Element] = []
    if result.analysis is None:
        case = ET.Element("testcase", classname=file, name=_("plan is valid"), time="0")
        text = "\n".join(str(d) for d in result.diagnostics)
        failure = ET.SubElement(
            case, "failure", type="invalid-plan", message=_("the plan is not valid")
        )
        failure.text = text
        cases.append(case)
    else:
        graph = result.analysis.graph
        by_task: dict[str, list[Finding]] = {}
        for finding in result.analysis.findings:
            by_task.setdefault(finding.task, []).append(finding)
        for node in range(len(graph)):
            task = graph.task(node)
            findings = by_task.get(task.id, [])
            if graph.deadline[node] is None and not findings:
                continue
            cases.append(_case(file, task.id, display_text(task.display_name), findings))
    failures = sum(1 for case in cases if case.find("failure") is not None)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.extend(cases)
    return suite


def _case(file: str, task_id: str, name: str, findings: list[Finding]) -> ET.Element:
    label = task_id if name == task_id else f"{task_id} {name}"
    case = ET.Element("testcase", classname=file, name=label, time="0")
    errors = [f for f in findings if f.is_error]
    if errors:
        first = errors[0]
        failure = ET.SubElement(case, "failure", type=first.code, message=first.message)
        failure.text = "\n".join(f"{f.location}: {f.code}: {f.message}" for f in errors)
    warnings = [f for f in findings if not f.is_error]
    if warnings:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(
            _("{location}: warning {code}: {message}").format(
                location=f.location, code=f.code, message=f.message
            )
            for f in warnings
        )
    return case
