"""Findings: checks, lint, explanations, wording and the pipeline that runs the flow.

The checks judge a schedule (late, at risk, missed deadlines); lint asks for the six
clarities; explanations say what drives a date; the pipeline runs the whole flow from file
to findings (``analyse``).
It may import every layer below it: ``common``, ``worktime``, ``planfile`` and ``engine``.
"""
