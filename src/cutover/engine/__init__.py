"""The scheduling engine: graph, passes, schedule and rows.

The task graph, the forward and backward passes, the schedule with its slacks and critical
path, and the rows every view shows.
It turns a ``LoadedPlan`` into dates and nothing else: no judgement, no wording. It may
import ``common``, ``worktime`` and ``planfile``.
"""
