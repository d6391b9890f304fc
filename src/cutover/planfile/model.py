"""The plan file, format 1, as typed and immutable pydantic models: the input contract only.

Each field checks its own value and says, in one sentence, what was expected; what depends
on several fields at once (ids that must exist, cycles) is checked in ``validate``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from cutover.common.i18n import _
from cutover.worktime.durations import ZERO, Duration, DurationError, parse_duration
from cutover.worktime.timepoints import TimepointError, parse_clock, parse_timepoint

ID_PATTERN = r"^[A-Za-z0-9_.\-]+$"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION_PATTERN = (
    r"^-?\s*((\d+(\.\d+)?\s*(w|d|h|m|min)\s*)+|P(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$"
)
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$"


def _duration(value: object) -> Duration:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _timepoint(value: object) -> date | datetime:
    try:
        return parse_timepoint(value)
    except TimepointError as exc:
        raise PydanticCustomError("date", str(exc)) from None


def _day(value: object) -> date:
    point = _timepoint(value)
    if isinstance(point, datetime):
        raise PydanticCustomError(
            "date", _("{value} has a time of day: write the date alone").format(value=repr(value))
        )
    return point


def _progress(value: object) -> float:
    text = str(value).strip() if isinstance(value, str) else None
    if text and text.endswith("%"):
        try:
            number = float(text[:-1])
        except ValueError:
            number = -1.0
        if 0 <= number <= 100:
            return number / 100
    raise PydanticCustomError(
        "progress",
        _("expected a percentage from 0% to 100%, such as 60%, got {value}").format(
            value=repr(value)
        ),
    )


def _link_type(value: object) -> str:
    if isinstance(value, str) and value.upper() in {"FS", "SS", "FF", "SF"}:
        return value.upper()
    raise PydanticCustomError(
        "link-type",
        _("{value} is not a link type: use FS (finish-to-start), SS, FF or SF").format(
            value=repr(value)
        ),
    )


def _workdays(value: object) -> tuple[int, ...]:
    if value == "all":
        return tuple(range(7))
    if not isinstance(value, list) or not value:
        raise PydanticCustomError(
            "workdays", _("expected 'all' or a list of days such as [mon, tue, wed, thu, fri]")
        )
    days: list[int] = []
    for item in value:
        name = str(item).strip().lower()[:3]
        if name not in WEEKDAYS:
            raise PydanticCustomError(
                "workdays",
                _("{value} is not a day: use mon, tue, wed, thu, fri, sat, sun").format(
                    value=repr(item)
                ),
            )
        days.append(WEEKDAYS.index(name))
    return tuple(sorted(set(days)))


def _hours(value: object) -> tuple[tuple[int, int], ...]:
    """Working spans in minutes after midnight; a shift over midnight ends after 1440.

    PLAN_FORMAT: ``"22:00-06:00"`` is one shift of the day it starts, (1320, 1800). At most
    one span may run into the next day, and what it takes of that day (00:00-06:00) must
    end before the day's own first span begins.
    """
    if not isinstance(value, list) or not value:
        raise PydanticCustomError(
            "hours", _('expected a list of ranges such as ["08:00-12:00", "13:00-17:00"]')
        )
    ranges = sorted(_hour_range(item) for item in value)
    for (_begin, end), (begin, _end) in pairwise(ranges):
        if begin < end:
            raise PydanticCustomError("hours", _("the ranges of working hours overlap"))
    overnight = [end - _DAY for _start, end in ranges if end > _DAY]
    if len(overnight) > 1:
        raise PydanticCustomError("hours", _("only one range of working hours may cross midnight"))
    if overnight and overnight[0] > ranges[0][0]:
        raise PydanticCustomError(
            "hours",
            _("the range that crosses midnight runs into the next day's first range of hours"),
        )
    return tuple(ranges)


_DAY = 1440


def _hour_range(item: object) -> tuple[int, int]:
    """``"08:00-12:00"`` as minutes after midnight, (480, 720); ``"22:00-06:00"`` (1320, 1800)."""
    parts = str(item).split("-")
    try:
        clocks = [parse_clock(part) for part in parts]
    except TimepointError:
        clocks = []
    if len(clocks) != 2:
        raise PydanticCustomError(
            "hours",
            _('{value} is not a range of hours: write "08:00-12:00"').format(value=repr(item)),
        )
    begin, end = clocks
    if end == begin or (begin == _DAY and end == 0):
        raise PydanticCustomError(
            "hours", _("{value} is empty: it ends when it starts").format(value=repr(item))
        )
    if end < begin:  # a shift over midnight: it belongs to the day it starts
        if begin == _DAY:
            raise PydanticCustomError(
                "hours", _("{value} starts at the end of the day").format(value=repr(item))
            )
        end += _DAY
    return begin, end


def _country(value: object) -> str:
    from cutover.worktime.holidays import supported_country  # noqa: PLC0415 - may import holidays

    code = value.strip().upper() if isinstance(value, str) else ""
    if not re.fullmatch(r"[A-Z]{2,3}(-[A-Z0-9]{1,3})?", code) or not supported_country(code):
        hint = ""
        country, _dash, region = code.partition("-")
        if region and re.fullmatch(r"[A-Z]{2,3}", country) and supported_country(country):
            from cutover.worktime.holidays import regions_of  # noqa: PLC0415

            hint = _(" (the regions of {country}: {regions})").format(
                country=country, regions=", ".join(regions_of(country))
            )
        raise PydanticCustomError(
            "country",
            _(
                "{value} is not a country code or region code that the holidays package "
                "knows: use an ISO 3166 code such as VN, DE or US, or a region such as DE-BY "
                "or GB-ENG"
            ).format(value=repr(value))
            + hint,
        )
    return code


def _timezone(value: object) -> str:
    if isinstance(value, str):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "US" is a folder of zones
            pass
        else:
            return value
    raise PydanticCustomError(
        "timezone",
        _(
            "unknown time zone {value}: use an IANA name such as Asia/Ho_Chi_Minh, "
            "Europe/Berlin or UTC"
        ).format(value=repr(value)),
    )


def _json_schema(schema: dict[str, Any]) -> WithJsonSchema:
    return WithJsonSchema(schema)


DurationValue = Annotated[
    Duration,
    PlainValidator(_duration),
    _json_schema(
        {
            "type": "string",
            "pattern": _DURATION_PATTERN,
            "description": "working time: 30m, 4h, 2d, 1w, 1d4h or ISO 8601 (PT4H, P2D)",
        }
    ),
]
Timepoint = Annotated[
    date | datetime,
    PlainValidator(_timepoint),
    _json_schema(
        {
            "type": "string",
            "pattern": _DATE_PATTERN,
            "description": "YYYY-MM-DD or an ISO 8601 datetime",
        }
    ),
]
Day = Annotated[
    date,
    PlainValidator(_day),
    _json_schema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
#: Free text; numbers and booleans are refused (the loader says to quote them).
Text = Annotated[str, Strict()]
#: A task or calendar id.
TaskId = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN)]
Progress = Annotated[
    float,
    PlainValidator(_progress),
    _json_schema({"type": "string", "pattern": r"^\d+(\.\d+)?%$"}),
]
LinkType = Annotated[
    str,
    PlainValidator(_link_type),
    _json_schema({"enum": ["FS", "SS", "FF", "SF", "fs", "ss", "ff", "sf"]}),
]
Workdays = Annotated[
    tuple[int, ...],
    PlainValidator(_workdays),
    _json_schema(
        {
            "anyOf": [
                {"const": "all"},
                {"type": "array", "items": {"enum": list(WEEKDAYS)}, "minItems": 1},
            ]
        }
    ),
]
Hours = Annotated[
    tuple[tuple[int, int], ...],
    PlainValidator(_hours),
    _json_schema(
        {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"},
        }
    ),
]
TimezoneName = Annotated[
    str,
    PlainValidator(_timezone),
    _json_schema({"type": "string", "pattern": r"^[A-Za-z0-9_+\-/]+$"}),
]
Country = Annotated[
    str,
    PlainValidator(_country),
    _json_schema({"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$"}),
]

Status = Literal["not_started", "in_progress", "done", "cancelled"]
DEFAULT_HOURS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
MON_TO_FRI = (0, 1, 2, 3, 4)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class CalendarSpec(_Strict):
    """A working calendar: which days and hours are worked, and which days are not."""

    workdays: Workdays = Field(MON_TO_FRI, description="days worked: 'all' or [mon, ..., sun]")
    hours: Hours = Field(DEFAULT_HOURS, description="working hours of a workday")
    holidays: tuple[Day, ...] = Field((), description="whole days off")
    holidays_country: Country | None = Field(
        None, description="also take this country's public holidays (ISO 3166 code)"
    )
    extra_workdays: tuple[Day, ...] = Field(
        (), description="days worked although a weekend or a holiday (make-up days)"
    )

    @property
    def day_minutes(self) -> int:
        """Working minutes in one workday: what ``1d`` means on this calendar."""
        return sum(end - begin for begin, end in self.hours)


class Link(_Strict):
    """A dependency on another task: type FS/SS/FF/SF and a lag (negative is a lead)."""

    task: TaskId
    type: LinkType = "FS"
    lag: DurationValue = ZERO


def _link_kind(value: object) -> str:
    return "link" if isinstance(value, dict | Link) else "id"


#: An item of ``after``: a task id (finish-to-start, no lag) or a full link.
AfterItem = Annotated[
    Annotated[TaskId, Tag("id")] | Annotated[Link, Tag("link")],
    Discriminator(_link_kind),
]


class Absence(_Strict):
    """A span when a resource does not work (leave, other duties): ``from`` up to ``to``."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, populate_by_name=True
    )

    begin: Timepoint = Field(alias="from", description="the first moment away")
    end: Timepoint = Field(alias="to", description="back at this moment (a date: after it)")


class Resource(_Strict):
    """A team or a person that tasks allocate: how many can work at once, and when."""

    id: TaskId
    name: Text | None = None
    units: Annotated[int, Strict()] = Field(
        1, description="how many units (people) can work at once; default 1"
    )
    calendar: Text | None = Field(
        None, description="the calendar the resource works on; default: the plan's default"
    )
    unavailable: tuple[Absence, ...] = Field((), description="spans when it does not work")


def _allocation(value: object) -> dict[str, int]:
    """``{it-centre: 2}`` as it is, ``[it-centre, vnpt]`` as one unit of each."""
    if isinstance(value, list):
        value = dict.fromkeys(value, 1) if all(isinstance(v, str) for v in value) else None
    if isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(units, int) and not isinstance(units, bool)
        for key, units in value.items()
    ):
        return dict(value)
    raise PydanticCustomError(
        "allocate",
        "expected a mapping of resource ids to units, such as {it-centre: 2}, "
        "or a list of resource ids, such as [it-centre]",
    )


Allocation = Annotated[
    dict[str, int],
    PlainValidator(_allocation),
    _json_schema(
        {
            "description": "resources the task needs: {id: units} or a list of ids (1 unit each)",
            "anyOf": [
                {
                    "type": "object",
                    "propertyNames": {"pattern": ID_PATTERN},
                    "additionalProperties": {"type": "integer"},
                },
                {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
            ],
        }
    ),
]


class Estimate(_Strict):
    """A three-point estimate of a task's working time (for ``cutover risk``)."""

    optimistic: DurationValue
    likely: DurationValue
    pessimistic: DurationValue


class Gate(_Strict):
    """A go/no-go decision point: who decides, on what, and the way back if it is no-go."""

    decider: Text = Field(description="who decides go or no-go (a role or a person)")
    criteria: tuple[Text, ...] = Field((), description="what must hold for a go")
    rollback: TaskId | None = Field(
        None, description="the id of the standby branch that restores the old system on no-go"
    )
    rollback_by: Timepoint | None = Field(
        None, description="the old system must be back by then: gives the point of no return"
    )


Verdict = Literal["go", "no-go"]
Distribution = Literal["triangular", "pert"]
#: Facts the "six clarities" lint can require of every leaf task.
Requirement = Literal["owner", "deliverable", "approver", "deadline"]
#: Languages a plan can ask its output in (the catalogs under common/locale, and English).
Language = Literal["en", "vi"]


class Task(_Strict):
    """A task, a milestone or a summary (a task with sub-tasks) of a plan."""

    id: TaskId
    name: Text | None = None
    tasks: tuple[Task, ...] | None = Field(None, description="sub-tasks: makes a summary task")
    duration: DurationValue | None = None
    milestone: Annotated[bool, Strict()] = False
    go_live: Annotated[bool, Strict()] = Field(
        default=False, description="this milestone is the go-live: status and reports show its date"
    )
    after: tuple[AfterItem, ...] = ()
    not_before: Timepoint | None = None
    deadline: Timepoint | None = None
    calendar: Text | None = None
    owner: Text | None = None
    deliverable: Text | None = None
    approver: Text | None = None
    status: Status = "not_started"
    actual_start: Timepoint | None = None
    actual_finish: Timepoint | None = None
    progress: Progress | None = None
    estimate: Estimate | None = Field(
        None, description="optimistic, likely and pessimistic working time, for risk analysis"
    )
    distribution: Distribution | None = Field(
        None, description="how the estimate is sampled: pert (default) or triangular"
    )
    gate: Gate | None = Field(None, description="makes a milestone a go/no-go gate")
    branch: Text | None = Field(
        None, description="a standby leg (such as rollback): scheduled only after a no-go"
    )
    decision: Verdict | None = Field(None, description="a gate's decision: go or no-go")
    decided_by: Text | None = Field(None, description="who took the gate's decision")
    decided_at: Timepoint | None = Field(None, description="when the gate's decision was taken")
    allocate: Allocation | None = Field(
        None, description="resources the task needs; a summary's apply to its sub-tasks"
    )
    priority: Annotated[int, Strict()] | None = Field(
        None, description="levelling order: higher goes first (default 500, as MS Project)"
    )

    @property
    def planned_duration(self) -> Duration | None:
        """The duration the deterministic schedule uses: ``duration``, else the likely one."""
        if self.duration is None and self.estimate is not None:
            return self.estimate.likely
        return self.duration

    @property
    def links(self) -> list[tuple[str, str, Duration]]:
        """The predecessors as (task id, link type, lag); a bare id is finish-to-start."""
        return [
            (item.task, item.type, item.lag) if isinstance(item, Link) else (item, "FS", ZERO)
            for item in self.after
        ]

    @property
    def display_name(self) -> str:
        """The name, or the id when the plan gives none."""
        return self.name if self.name is not None else self.id

    @property
    def is_summary(self) -> bool:
        """A task with sub-tasks takes its dates from them."""
        return self.tasks is not None


class Plan(_Strict):
    """A cutover plan: its time zone, start, status date, calendars and tasks."""

    plan: Text = Field(description="the plan's name (free text)")
    timezone: TimezoneName = Field("UTC", description="IANA time zone, such as Asia/Ho_Chi_Minh")
    start: Timepoint = Field(description="no task starts before this")
    as_of: Timepoint | None = Field(None, description="status date; --as-of overrides it")
    calendars: dict[TaskId, CalendarSpec] = Field(default_factory=dict)
    require: tuple[Requirement, ...] = Field(
        (), description="six clarities: make a missing owner, deliverable, ... an error"
    )
    extends: Text | None = Field(
        None, description="a template plan this plan adapts (a path relative to this file)"
    )
    remove: tuple[TaskId, ...] = Field((), description="ids of the template's tasks to drop")
    resources: tuple[Resource, ...] = Field(
        (), description="teams and people that tasks allocate (see allocate)"
    )
    level: Annotated[bool, Strict()] = Field(
        default=False, description="every command uses the resource-levelled schedule"
    )
    go_live: TaskId | None = Field(
        None, description="the id of the go-live task: status and reports show its date"
    )
    language: Language | None = Field(
        None, description="language of cutover's output for this plan; --lang overrides it"
    )
    tasks: tuple[Task, ...] = Field(min_length=1)
