"""Many plans and their history: roll-up, diff, update and new plans.

The steering committee's roll-up, plan diffs (also against git revisions), in-place updates
of a plan file and new plans from a template.
It may import every core layer below it, up to ``risk``; never a renderer or the CLI.
"""
