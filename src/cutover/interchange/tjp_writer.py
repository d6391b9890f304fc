"""A scheduled plan as a TaskJuggler 3 project (``.tjp``): ``cutover export --format tjp``.

    cutover export plan.yaml -o plan.tjp
    tj3 --silent -o out plan.tjp          # writes out/dates.csv (id;start;end)

The plan is read with cutover's own loader and graph, so the calendars, durations and links
are exactly the ones cutover schedules. The mapping, checked against tj3 3.7.1:

- The ``default`` calendar is the project's working time: ``workinghours`` per day,
  ``dailyworkinghours`` from its day, and one global ``leaves holiday`` per holiday
  (its own and the country holidays the calendar resolved) that falls on a workday.
- Any other calendar is a ``shift`` with its hours, put on its tasks with ``shifts``
  assignments over the project window: on its holidays an ``off`` shift, on its make-up
  days a shift that works every day. tj3 counts a task's ``length`` in its shift's hours
  and ignores every leave on a shifted task, so holidays must be spelt out this way.
- A duration is ``length`` (working time); a milestone, a zero duration or a cancelled task
  is a ``milestone``; a summary is a container task.
- FS is ``depends X``, SS is ``depends X { onstart }``; a lag is ``gaplength`` (working
  time) when the successor is on the default calendar, ``gapduration`` when its calendar
  works round the clock with no day off in the window.
- FF and SF: tj3 refuses on-end dependencies on as-soon-as-possible tasks ("Tasks with
  on-end dependencies must be ALAP scheduled"), and so does a second dependency on the
  same task. Between two tasks with working time on one calendar every link is a start
  offset in working time (FS lag L is SS lag ``duration(pred) + L``, FF is SS
  ``duration(pred) + L - duration(succ)``, SF is SS ``L - duration(succ)``), so these are
  written as SS with that gap; to a milestone FF is FS and SF is SS.
- ``not_before`` is a dependency on a milestone fixed at that instant (a fixed ``start``
  on a task with dependencies is an error in tj3); so is the status date, for every task
  not yet started (nothing is forecast before it).
- A task done or in progress has fixed ``start`` and ``end`` (its actual dates, or the
  forecast finish of its remaining work) and ``complete`` with its share done, and no
  ``depends``: tj3 refuses both on one task, and its links no longer move it. Those
  times are to the minute, tj3's at best to 5: a start off that grid is written at the
  step before, a finish at the step after, with a comment.
- Dates carry the zone's UTC offset: tj3 reads the header's dates before its ``timezone``,
  and its report prints them with the offset, so the hour a daylight-saving change
  repeats reads back unambiguously. Both tools count real time across a change.
- Every task and resource carries cutover's id in a ``CutoverId`` attribute (tj3's ids
  allow no hyphen, so the tj3 ids are ``t<n>`` and ``r<n>``); the import reads it back.
- A shift over midnight (``22:00-06:00``) on another calendar: tj3's hours stay within a
  day, so each day gets its own hours, the morning of the shift that started the day
  before, or both, by whether it and the day before are workdays.

- Resources and ``allocate`` (``tjp_resources``, whose docstring says what tj3 really
  does with them): a resource of N units is a group of N members, its calendar its
  ``shifts``, its ``unavailable`` spans ``leaves``; a task allocates its units with
  ``mandatory`` allocations. A task that allocates works on the joint calendar of it and
  its resources, written as a shift like any other. tj3 delays only ``effort`` tasks for
  their resources: an unlevelled schedule keeps ``length`` (tj3 then keeps cutover's
  unlevelled dates and books whoever is free), a levelled one is written as ``effort``
  of units × duration for tj3 to level, which may split a task where cutover does not.
  Plans without resources are written as they were before resources existed.

What tj3 cannot express raises ConversionError, and the comparison is restricted to it:
negative lags (tj3 gaps are never negative); lags on a calendar other than the default or
one that works round the clock (tj3 counts ``gaplength`` on the project's working time);
FF/SF links other than the cases above; make-up days on the default calendar; times
(also forecast finishes) off tj3's 5-minute grid; a shift over midnight on the default
calendar. Deadlines are left out:
they do not move early dates, and tj3 only warns about them.

The file has a CSV report, ``dates``, of every task's start and end. tj3 prints a
dependent task's start as the instant its constraint allows (Fri 17:00 for a task that
works from Mon 08:00): ``benchmarks/tjp.py: normalise`` moves the start of every task
with working time to its first working minute, as cutover defines it. Ends are the end
of the last working minute in both tools.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cutover.common.errors import CutoverError
from cutover.common.i18n import _
from cutover.engine.schedule import build_schedule
from cutover.interchange.runbook_keys import left_out
from cutover.interchange.tjp_resources import NOTE_EFFORT, NOTE_LENGTH, TjpResources, tj_string
from cutover.interchange.tjp_values import ID_ATTRIBUTE
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cutover.engine.graph import Edge, TaskGraph
    from cutover.engine.schedule import Schedule
    from cutover.worktime.calendars import WorkCalendar

#: The report ``convert`` adds: ``dates.csv`` in tj3's ``-o`` folder.
REPORT = "dates"
#: Timing resolutions tj3 accepts, coarsest first: a coarser one schedules faster.
RESOLUTIONS = (60, 30, 20, 15, 10, 5)
#: Days added after cutover's finish so that tj3 has room to place every task.
WINDOW_MARGIN_DAYS = 30
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


_KEPT_IDS = ("task", "resource")


class ConversionError(CutoverError):
    """The plan uses something tj3 cannot express; the message names the task."""


@dataclass(frozen=True)
class Conversion:
    """A plan as tj3 text, with the tj3 id of every node."""

    graph: TaskGraph
    text: str
    tj_ids: dict[int, str]
    resolution: int
    #: The tj3 id of each resource (cutover id -> ``r0``…); empty for a plan without.
    resource_ids: dict[str, str] = field(default_factory=dict)
    #: Whether allocating tasks are ``effort`` that tj3 levels (see ``tjp_resources``).
    levelled: bool = False


def convert(
    graph: TaskGraph,
    *,
    report: bool = True,
    window_end: date | None = None,
    schedule: Schedule | None = None,
    level: bool | None = None,
) -> Conversion:
    """Write ``graph`` as a tj3 project; add the CSV report ``dates`` when ``report``.

    ``schedule`` gives the status date and the dates of tasks done or in progress
    (default: the plan scheduled as planned). ``level``: write allocating tasks as
    ``effort`` that tj3 levels (default: when ``schedule`` is levelled), else as
    ``length`` that keep the unlevelled dates (``tjp_resources``).
    """
    if schedule is None:
        schedule = build_schedule(graph, None)
    if window_end is None:
        last = max([schedule.finish, *(nb for nb in graph.not_before if nb is not None)])
        window_end = graph.timebase.day_of(last) + timedelta(days=WINDOW_MARGIN_DAYS)
    if level is None:
        level = bool(schedule.graph.level_floor)
    return _Writer(schedule, window_end, level=level).write(report=report)


def write_tjp(schedule: Schedule) -> bytes:
    """The ``.tjp`` of a scheduled plan, with the ``dates`` CSV report; raise ConversionError.

    A levelled schedule (``--level``, ``level: true``) is written for tj3 to level.
    """
    return convert(schedule.graph, schedule=schedule).text.encode()


# -- writing -----------------------------------------------------------------------------------


class _Writer:
    """Builds the .tjp text of one graph over the window [plan start, ``window_end``)."""

    def __init__(self, schedule: Schedule, window_end: date, *, level: bool) -> None:
        graph = schedule.graph
        self.level = level
        self.resources = TjpResources(graph) if graph.plan.resources else None
        self.schedule = schedule
        self.graph = graph
        self.default = graph.calendars["default"]
        self.first_day = graph.timebase.day_of(graph.start)
        self.days = [
            self.first_day + timedelta(days=n) for n in range((window_end - self.first_day).days)
        ]
        self.window_end = window_end
        self.shifts: dict[int, str] = {}  # id(calendar) -> macro name
        self.anchors: dict[int, str] = {}  # not_before minute -> anchor task id
        self.tj_ids: dict[int, str] = {}
        self.full: dict[int, bool] = {}  # id(calendar) -> works round the clock
        self.quantities: list[int] = [graph.start % MINUTES_PER_DAY]
        for calendar in graph.calendars.values():  # load country holidays for the window
            calendar.position(graph.timebase.minute(window_end))

    def write(self, *, report: bool) -> Conversion:
        """The whole project text."""
        body = self._tasks()
        resources = self._resource_blocks()
        resolution = self._resolution()
        parts = [self._header(resolution), *self._holidays(), *self._shift_blocks(), *resources]
        omitted = left_out(self.graph.plan, "TaskJuggler")
        if omitted is not None:  # said on stderr by the export too: never dropped silently
            parts.insert(0, "# " + omitted)
        parts += [self._anchor_block(minute, name) for minute, name in self.anchors.items()]
        parts += body
        if report:
            parts.append(
                f'taskreport {REPORT} "{REPORT}" {{\n  formats csv\n  columns id, start, end\n'
                '  timeformat "%Y-%m-%d %H:%M %z"\n}'
            )
        return Conversion(
            self.graph,
            "\n".join(parts) + "\n",
            self.tj_ids,
            resolution,
            dict(self.resources.ids) if self.resources else {},
            levelled=self.level and self.resources is not None,
        )

    # -- project, calendars ------------------------------------------------------------------

    def _time(self, minute: int) -> str:
        moment = self.graph.timebase.aware(minute)
        return moment.strftime("%Y-%m-%d-%H:%M-%z")

    def _day(self, day: date) -> str:
        return self._time(self.graph.timebase.minute(day))

    def _header(self, resolution: int) -> str:
        graph, default = self.graph, self.default
        if _crosses_midnight(default):
            raise ConversionError(
                _(
                    "the default calendar has a shift over midnight: tj3's project working "
                    "hours stay within a day"
                )
            )
        start, end = self._time(graph.start), self._day(self.window_end)
        lines = [
            f'project cutover "{tj_string(graph.plan.plan)}" {start} - {end} {{',
            f'  timezone "{graph.timebase.name}"',
            f"  timingresolution {resolution}min",
            f"  now {start if self.schedule.as_of is None else self._time(self.schedule.as_of)}",
            f"  dailyworkinghours {default.day_minutes / 60:g}",
            *_working_hours(default, indent="  "),
            # each task and resource keeps cutover's id, for an import to find it again
            *(
                f'  extend {kind} {{ text {ID_ATTRIBUTE} "cutover id" }}'
                for kind in _KEPT_IDS
                if kind == "task" or graph.plan.resources
            ),
            "}",
        ]
        return "\n".join(lines)

    def _holidays(self) -> list[str]:
        default, lines = self.default, []
        for day in self.days:
            weekly = day.weekday() in default.workdays
            if weekly and not default.is_workday(day):
                nxt = self._day(day + timedelta(days=1))
                lines.append(f'leaves holiday "holiday" {self._day(day)} - {nxt}')
            elif not weekly and default.is_workday(day):
                raise ConversionError(
                    _(
                        "the default calendar works on {day}, not one of its workdays: tj3 "
                        "cannot add working days to the project's working time"
                    ).format(day=day)
                )
        return lines

    def _shift_macro(self, calendar: WorkCalendar) -> str:
        """The name of a macro that puts the calendar's shifts on a task."""
        known = self.shifts.get(id(calendar))
        if known is not None:
            return known
        name = f"cal{len(self.shifts)}"
        self.shifts[id(calendar)] = name
        self.quantities += [m % MINUTES_PER_DAY for span in calendar.spec.hours for m in span]
        return name

    def _shift_blocks(self) -> list[str]:
        blocks = ['shift off "off" {\n  workinghours mon - sun off\n}']
        for calendar in self.graph.all_calendars().values():  # joint ones: tasks that allocate
            name = self.shifts.get(id(calendar))
            if name is None:
                continue
            if _crosses_midnight(calendar):
                blocks += self._night_shift_blocks(calendar, name)
                continue
            hours = _hours(calendar)
            blocks += [
                f'shift {name} "{tj_string(calendar.name)}" {{',
                *_working_hours(calendar, indent="  "),
                "}",
                f'shift {name}x "{tj_string(calendar.name)} make-up day" {{',
                f"  workinghours mon - sun {hours}",
                "}",
                f"macro {name} [ shifts {', '.join(self._assignments(calendar, name))} ]",
            ]
        return blocks

    def _night_shift_blocks(self, calendar: WorkCalendar, name: str) -> list[str]:
        """A calendar with a shift over midnight: tj3's hours stay within a day.

        Each day gets one of three shifts (or ``off``): its own hours up to midnight, the
        morning of the shift that started the day before, or both, by whether it and the
        day before are workdays (cutover: a shift belongs to the day it starts).
        """
        own = [(begin, min(end, MINUTES_PER_DAY)) for begin, end in calendar.spec.hours]
        spill = [
            (0, end - MINUTES_PER_DAY) for _, end in calendar.spec.hours if end > MINUTES_PER_DAY
        ]
        variants = {(True, False): "o", (False, True): "s", (True, True): "b"}
        spans = {"o": own, "s": spill, "b": spill + own}
        blocks = [
            f'shift {name}{key} "{tj_string(calendar.name)} {key}" {{\n'
            f"  workinghours mon - sun {_spans(spans[key])}\n}}"
            for key in ("o", "s", "b")
        ]
        runs: list[tuple[str, date, date]] = []
        for day in self.days:
            key = (calendar.is_workday(day), calendar.is_workday(day - timedelta(days=1)))
            shift = f"{name}{variants[key]}" if key in variants else "off"
            if runs and runs[-1][0] == shift:
                runs[-1] = (shift, runs[-1][1], day)
            else:
                runs.append((shift, day, day))
        assignments = [
            f"{shift} {self._day(first)} - {self._day(last + timedelta(days=1))}"
            for shift, first, last in runs
        ]
        return [*blocks, f"macro {name} [ shifts {', '.join(assignments)} ]"]

    def _assignments(self, calendar: WorkCalendar, name: str) -> list[str]:
        """Runs of days with one shift each: its own, ``off`` on holidays, make-up days."""
        runs: list[tuple[str, date, date]] = []
        for day in self.days:
            weekly = day.weekday() in calendar.workdays
            working = calendar.is_workday(day)
            shift = (name if working else "off") if weekly else (f"{name}x" if working else name)
            if runs and runs[-1][0] == shift:
                runs[-1] = (shift, runs[-1][1], day)
            else:
                runs.append((shift, day, day))
        return [
            f"{shift} {self._day(first)} - {self._day(last + timedelta(days=1))}"
            for shift, first, last in runs
        ]

    def _resolution(self) -> int:
        step = math.gcd(*self.quantities, MINUTES_PER_DAY)
        for resolution in RESOLUTIONS:
            if step % resolution == 0:
                return resolution
        raise ConversionError(
            _(
                "a time or duration is not a multiple of 5 minutes (greatest common "
                "step {step} min): tj3's finest timing resolution is 5 minutes"
            ).format(step=step)
        )

    def _resource_blocks(self) -> list[str]:
        """The resources, after a comment on how they are mapped (``tjp_resources``)."""
        if self.resources is None:
            return []
        window = (self.graph.start, self.graph.timebase.minute(self.window_end))
        blocks = self.resources.blocks(
            time=self._time,
            shift_macro=self._shift_macro,
            window=window,
            quantities=self.quantities,
        )
        return [NOTE_EFFORT if self.level else NOTE_LENGTH, *blocks]

    # -- tasks -------------------------------------------------------------------------------

    def _tasks(self) -> list[str]:
        graph = self.graph
        self.quantities += [m for span in self.default.spec.hours for m in span]
        for node, item in enumerate(graph.tasks):
            parent = item.parent
            local = f"t{node}"
            self.tj_ids[node] = f"{self.tj_ids[parent]}.{local}" if parent >= 0 else local
        lines: list[str] = []
        pending: list[tuple[int, bool]] = [
            (node, False) for node in reversed(range(len(graph))) if graph.tasks[node].parent < 0
        ]
        while pending:
            node, closing = pending.pop()
            indent = "  " * graph.tasks[node].depth
            if closing:
                lines.append(f"{indent}}}")
                continue
            name = tj_string(graph.task(node).display_name)
            lines.append(f'{indent}task t{node} "{name}" {{')
            lines.append(f'{indent}  {ID_ATTRIBUTE} "{tj_string(graph.task(node).id)}"')
            if graph.is_summary[node]:
                pending.append((node, True))
                pending.extend((kid, False) for kid in reversed(graph.children[node]))
                continue
            lines += [f"{indent}  {line}" for line in self._leaf(node)]
            lines.append(f"{indent}}}")
        return lines

    def _leaf(self, node: int) -> list[str]:
        graph = self.graph
        if graph.status[node] in {"in_progress", "done"}:
            return self._tracked(node) + self._allocation(node)
        calendar = graph.calendar[node]
        lines: list[str] = []
        if graph.is_instant[node]:
            lines.append("milestone")
        else:
            minutes = graph.duration[node]
            self.quantities.append(minutes)
            units = self.resources.units(node) if self.level and self.resources else 0
            if units:  # tj3 levels effort only: see tjp_resources
                lines.append(f"effort {_amount(units * minutes)}")
            else:
                lines.append(f"length {self._length(minutes, calendar)}")
            if calendar is not self.default:
                lines.append(f"${{{self._shift_macro(calendar)}}}")
            lines += self._allocation(node)
        depends = self._depends(node)
        if depends:
            lines.append("depends " + ", ".join(depends))
        return lines

    def _allocation(self, node: int) -> list[str]:
        """The task's priority and ``allocate`` (nothing for a plan without resources)."""
        if self.resources is None or self.graph.is_instant[node]:
            return []
        found = (self.resources.priority(node), self.resources.allocate(node))
        return [line for line in found if line is not None]

    def _tracked(self, node: int) -> list[str]:
        """A task done or in progress: fixed at its actual (or forecast) dates, its share done.

        tj3 refuses ``depends`` on a task with a fixed start; its links are what put it
        where it was, so cutover's dates stand for them (PLAN_FORMAT: tracking).
        """
        graph, schedule = self.graph, self.schedule
        start, finish = schedule.start(node), schedule.finish_of(node)
        # Recorded times and forecasts are to the minute; tj3 counts in 5-minute steps at
        # best: the start is written at the step before, the finish at the step after.
        step = min(RESOLUTIONS)
        lines = []
        if start % step or finish % step:
            lines.append(
                f"# tj3 counts in {step}-minute steps: {self._time(start)} - "
                f"{self._time(finish)} is written as the steps around it"
            )
            start, finish = start - start % step, finish + (-finish) % step
        self.quantities += [start % MINUTES_PER_DAY, finish % MINUTES_PER_DAY]
        task = graph.task(node)
        share = 100 if graph.status[node] == "done" else round((task.progress or 0) * 100)
        if graph.is_instant[node]:
            return [*lines, "milestone", f"start {self._time(start)}", f"complete {share}"]
        return [
            *lines,
            f"start {self._time(start)}",
            f"end {self._time(finish)}",
            f"complete {share}",
        ]

    def _length(self, minutes: int, calendar: WorkCalendar) -> str:
        day = calendar.day_minutes
        if calendar is self.default and minutes % day == 0 and day % 60 == 0:
            return f"{minutes // calendar.day_minutes}d"
        return _amount(minutes)

    def _depends(self, node: int) -> list[str]:
        """Each predecessor once: ``id { onstart gap... }``, plus a not_before anchor."""
        graph = self.graph
        by_pred: dict[int, list[Edge]] = {}
        for edge in graph.preds[node]:
            by_pred.setdefault(edge.pred, []).append(edge)
        items: list[str] = []
        for pred, edges in by_pred.items():
            on_start, gap = self._link(node, pred, edges)
            if on_start:
                self._check_start_anchor(node, pred, gap)
            attributes = ["onstart"] if on_start else []
            if gap:
                attributes.append(self._gap(node, gap))
            block = f" {{ {' '.join(attributes)} }}" if attributes else ""
            items.append(self.tj_ids[pred] + block)
        not_before = _latest(graph.not_before[node], self.schedule.as_of)
        if not_before is not None and not_before > graph.start:
            self.quantities.append(not_before % MINUTES_PER_DAY)
            items.append(self.anchors.setdefault(not_before, f"nb{len(self.anchors)}"))
        return items

    def _link(self, node: int, pred: int, edges: list[Edge]) -> tuple[bool, int]:
        """One tj3 dependency for the links from ``pred``: (on its start?, gap minutes)."""
        graph = self.graph
        if len(edges) == 1:
            edge = edges[0]
            if edge.type in {"FS", "SS"} or graph.is_instant[node]:
                return edge.type in {"SS", "SF"}, edge.lag
        if not (graph.plain[node] and graph.plain[pred]) or (
            graph.calendar[pred] is not graph.calendar[node]
        ):
            raise ConversionError(
                _(
                    "task '{id}' has an FF/SF link or several links from '{id2}' that tj3 "
                    "cannot express (see the module docstring)"
                ).format(id=graph.task(node).id, id2=graph.task(pred).id)
            )
        mine, theirs = graph.duration[node], graph.duration[pred]
        offsets = {
            "SS": 0,
            "FS": theirs,
            "FF": theirs - mine,
            "SF": -mine,
        }
        gap = max(offsets[edge.type] + edge.lag for edge in edges)
        if gap < 0:
            raise ConversionError(
                _(
                    "task '{id}': its links from '{id2}' come to a start offset of {gap} "
                    "min, and tj3 has no lead"
                ).format(id=graph.task(node).id, id2=graph.task(pred).id, gap=gap)
            )
        return True, gap

    def _round_the_clock(self, calendar: WorkCalendar) -> bool:
        """True when every minute of the window is working time: tj3's start is its own."""
        known = self.full.get(id(calendar))
        if known is None:
            known = calendar.day_minutes == MINUTES_PER_DAY and all(
                calendar.is_workday(day) for day in self.days
            )
            self.full[id(calendar)] = known
        return known

    def _check_start_anchor(self, node: int, pred: int, gap: int) -> None:
        """Refuse a start-anchored link whose anchor tj3 and cutover place differently.

        tj3 anchors SS on the start it prints (Fri 17:00), cutover on the first working
        minute (Mon 08:00). Both count the same working time from either when the
        successor counts on the calendar of every task under the predecessor; when a
        task there works round the clock, or is a milestone, the two starts are one.
        """
        graph = self.graph
        calendar = graph.calendar[node]
        wall = graph.is_instant[node] and gap == 0
        for leaf in graph.leaves(pred):
            leaf_calendar = graph.calendar[leaf]
            if graph.is_instant[leaf] or self._round_the_clock(leaf_calendar):
                continue
            if wall or leaf_calendar is not calendar:
                raise ConversionError(
                    _(
                        "task '{id}' starts from the start of '{id2}', whose task '{id3}' is "
                        "on calendar '{name}': tj3 anchors on the start before it is moved to "
                        "working time"
                    ).format(
                        id=graph.task(node).id,
                        id2=graph.task(pred).id,
                        id3=graph.task(leaf).id,
                        name=leaf_calendar.name,
                    )
                )

    def _gap(self, node: int, minutes: int) -> str:
        graph = self.graph
        task_id = graph.task(node).id
        if minutes < 0:
            raise ConversionError(
                _("task '{task_id}' has a lead (negative lag): tj3 has no lead").format(
                    task_id=task_id
                )
            )
        self.quantities.append(minutes)
        calendar = graph.calendar[node]
        if calendar is self.default:
            return f"gaplength {_amount(minutes)}"
        if self._round_the_clock(calendar):
            return f"gapduration {_amount(minutes)}"
        raise ConversionError(
            _(
                "task '{task_id}' has a lag on calendar '{name}': tj3 counts gaps on "
                "the project's working time only"
            ).format(task_id=task_id, name=calendar.name)
        )

    def _anchor_block(self, minute: int, name: str) -> str:
        return f'task {name} "not_before" {{\n  milestone\n  start {self._time(minute)}\n}}'


def _latest(first: int | None, second: int | None) -> int | None:
    """The later of two instants, either of which may be missing."""
    if first is None or second is None:
        return first if second is None else second
    return max(first, second)


def _working_hours(calendar: WorkCalendar, *, indent: str) -> list[str]:
    days = [name for number, name in enumerate(_DAY_NAMES) if number in calendar.workdays]
    off = [name for number, name in enumerate(_DAY_NAMES) if number not in calendar.workdays]
    lines = [f"{indent}workinghours {', '.join(days)} {_hours(calendar)}"] if days else []
    if off:
        lines.append(f"{indent}workinghours {', '.join(off)} off")
    return lines


def _hours(calendar: WorkCalendar) -> str:
    return _spans(calendar.spec.hours)


def _spans(spans: Iterable[tuple[int, int]]) -> str:
    return ", ".join(
        f"{begin // 60}:{begin % 60:02d} - {end // 60}:{end % 60:02d}" for begin, end in spans
    )


def _crosses_midnight(calendar: WorkCalendar) -> bool:
    return any(end > MINUTES_PER_DAY for _, end in calendar.spec.hours)


def _amount(minutes: int) -> str:
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}min"
