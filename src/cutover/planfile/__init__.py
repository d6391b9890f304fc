"""Reading a plan file: readers, templates, the typed model, validation and the schema.

Text and positions, the YAML and JSON readers, templates, the typed model, validation and
the JSON Schema made from it.
The first step of the flow: a file on disk (or at a git revision) becomes a ``LoadedPlan``
or a list of located diagnostics. It may import ``common`` and ``worktime``.
"""
