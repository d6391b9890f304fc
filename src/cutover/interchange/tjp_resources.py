"""A plan's resources and allocations as TaskJuggler 3 text (part of ``tjp_writer``).

What tj3 3.7.1 does, read in its scheduler (``TaskScenario#scheduleSlot``,
``#bookResources``) and tried:

- A ``length`` task never waits for its resources: each slot it counts its length on its
  shift or the project's working time and books those of its resources that are free.
  So a ``length`` task with ``allocate`` keeps the dates of the unlevelled plan, and tj3
  may leave it without its team. Only an ``effort`` task waits: its slots are the ones
  where its resources are free, until their bookings add up to the effort.
- ``mandatory`` on an allocation books a slot only when every mandatory allocation finds
  a free resource, so a task of ``units`` members progresses ``units`` at a time or not
  at all. An effort of ``units`` × the duration then takes the task's duration of
  booked slots. tj3 still may book them with a gap (a task that waits, mid-way, for a
  team another task holds, or for a leave), where cutover never splits a task: the
  schedule read back shows it as a task longer than its duration.
- A resource of ``units: N > 1`` is a group of N members. Allocating all N is the group,
  ``mandatory`` (every member must be free); allocating u < N is u allocations of one
  member each with the others as ``alternative``: tj3 takes, per slot, u distinct free
  members. Members are interchangeable, as cutover's units are.
- A resource's calendar other than the default one is its ``shifts`` (the same macros as
  a task's); ``unavailable`` spans are ``leaves unpaid``. tj3 also applies the project's
  global leaves (the default calendar's holidays) to every resource, which cutover does
  not for a resource on another calendar: such a resource loses those days in tj3.
- ``priority`` is tj3's ``priority`` (1 to 1000, as cutover's 500 default; values beyond
  are clamped).
- tj3 books a resource only in the slots a task works; cutover holds it from the task's
  start to its finish. A task on office hours from Friday to Monday leaves its team free
  on Saturday in tj3 (another task may take it, or its leave may fall there), not in
  cutover.

Which of the two the file says follows the schedule exported: a levelled one (``cutover
export --level``, or ``level: true``) is written as ``effort`` for tj3 to level, any other
as ``length`` with cutover's unlevelled dates. A comment in the file says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover.engine.graph import DEFAULT_PRIORITY
from cutover.engine.resourcing import away_spans, resources_of
from cutover.interchange.tjp_values import ID_ATTRIBUTE
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.engine.graph import TaskGraph
    from cutover.planfile.model import Resource
    from cutover.worktime.calendars import WorkCalendar

#: tj3's range of priorities.
PRIORITIES = (1, 1000)

#: The comment at the head of the resources, for a reader of the file.
NOTE_LENGTH = """\
# Resources: a team of N units is a group of N members. Tasks keep cutover's durations
# as 'length', which tj3 does not delay for resources (it books those that are free):
# these are the dates of the plan without levelling. Export a levelled schedule
# (cutover export --level) for tasks that wait for their teams ('effort')."""
NOTE_EFFORT = """\
# Resources: a team of N units is a group of N members. The schedule is levelled, so a
# task that allocates is an 'effort' of its units x its duration with every allocation
# 'mandatory': it works only when all its members are free, which is the nearest tj3 has
# to cutover's rule (tj3 may split such a task around a busy period; cutover does not)."""


class TjpResources:
    """The tj3 ids of a plan's resources, their blocks and each task's ``allocate``."""

    def __init__(self, graph: TaskGraph) -> None:
        """Number the resources ``r0``, ``r1``… in the plan's order."""
        self.graph = graph
        self.resources: dict[str, Resource] = {r.id: r for r in resources_of(graph)}
        self.ids = {resource_id: f"r{n}" for n, resource_id in enumerate(self.resources)}

    def blocks(
        self,
        *,
        time: Callable[[int], str],
        shift_macro: Callable[[WorkCalendar], str],
        window: tuple[int, int],
        quantities: list[int],
    ) -> list[str]:
        """One ``resource`` block each; ``window``: the project's span in wall minutes."""
        graph = self.graph
        lines: list[str] = []
        for resource_id, resource in self.resources.items():
            tj_id, name = self.ids[resource_id], tj_string(resource.name or resource.id)
            inner: list[str] = [f'{ID_ATTRIBUTE} "{tj_string(resource.id)}"']
            calendar = graph.calendars[resource.calendar or "default"]
            if calendar is not graph.calendars["default"]:
                inner.append(f"${{{shift_macro(calendar)}}}")
            for away, back in away_spans(graph, resource):
                begin, end = max(away, window[0]), min(back, window[1])
                if begin < end:
                    quantities.extend((begin % MINUTES_PER_DAY, end % MINUTES_PER_DAY))
                    inner.append(f"leaves unpaid {time(begin)} - {time(end)}")
            if resource.units > 1:
                inner += [
                    f'resource {tj_id}_{k} "{name} {k}"' for k in range(1, resource.units + 1)
                ]
            lines += [f'resource {tj_id} "{name}" {{', *(f"  {x}" for x in inner), "}"]
        return lines

    def allocate(self, node: int) -> str | None:
        """The task's ``allocate`` line (see the module), or None when it allocates no one."""
        allocate = self.graph.allocate[node] if self.graph.allocate else None
        if not allocate:
            return None
        items: list[str] = []
        for resource_id, resource in self.resources.items():
            units = allocate.get(resource_id, 0)
            tj_id = self.ids[resource_id]
            if units <= 0:
                continue
            if units >= resource.units:
                items.append(f"{tj_id} {{ mandatory }}")
                continue
            others = ", ".join(f"{tj_id}_{k}" for k in range(2, resource.units + 1))
            items += [f"{tj_id}_1 {{ alternative {others} mandatory }}"] * units
        return "allocate " + ", ".join(items)

    def units(self, node: int) -> int:
        """How many members the task holds at once (0 when it allocates no one)."""
        allocate = self.graph.allocate[node] if self.graph.allocate else None
        return sum((allocate or {}).values())

    def priority(self, node: int) -> str | None:
        """``priority N`` when the task's levelling priority is not the default."""
        if not self.graph.priority or self.graph.priority[node] == DEFAULT_PRIORITY:
            return None
        low, high = PRIORITIES
        return f"priority {min(max(self.graph.priority[node], low), high)}"


def tj_string(value: str) -> str:
    """A tj3 string: no quotes, backslashes, macro signs or line breaks."""
    return value.translate(str.maketrans('"\\$[]\r\n', "       "))
