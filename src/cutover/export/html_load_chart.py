"""The HTML page's resource section: each resource's load as inline SVG, then who is on what.

One SVG per resource, as wide as the Gantt's bar column and on its date scale (the same
window and pixels per day, so the axis is the chart's own): a bar per time slot as tall
as the units booked at once, a dashed line at the resource's units, over-allocated slots
hatched black over red (a pattern, so a greyscale print keeps them), absences shaded
darker than non-working time. Nothing is fetched: the shapes and their pattern are inline,
as the page's Content-Security-Policy requires. Every text is escaped by ``to_svg.text``
or by Jinja2's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.export.gantt_layout import PALETTE, axis_ticks, chart_layout, off_time, spaced
from cutover.export.load_chart import (
    has_resources,
    load_bands,
    plan_window,
    runs,
    shift_rows,
    slot_minutes,
)
from cutover.export.to_svg import element, text
from cutover.findings.wording import when
from cutover.worktime.timebase import MINUTES_PER_DAY

if TYPE_CHECKING:
    from cutover.export.html_chart import HtmlChart
    from cutover.export.load_chart import ResourceBand, ShiftRow
    from cutover.export.view import ExportView

BAND_HEIGHT = 50
#: The narrowest bar drawn, in pixels: slots are made longer until a bar is this wide.
NARROWEST_BAR = 3.0
BOOKED = "#9ecae1"
AWAY = "url(#away)"
#: The patterns: over-allocation black stripes over red (``url(#overload)``), absences
#: grey stripes the other way (``url(#away)``).
PATTERN = (
    '<pattern id="overload" width="5" height="5" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="5" height="5" fill="{red}"/>'
    '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="1.8"/></pattern>'
    '<pattern id="away" width="5" height="5" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(-45)"><rect width="5" height="5" fill="#e2e2e2"/>'
    '<line x1="0" y1="0" x2="0" y2="5" stroke="#8a8a8a" stroke-width="1"/></pattern>'
).format(red=PALETTE["critical"])


@dataclass(frozen=True, slots=True)
class HtmlBand:
    """One resource's row of the section: its name, its summary and its SVG."""

    label: str
    summary: str
    over: bool
    svg: str


@dataclass(frozen=True)
class HtmlLoads:
    """The section: the chart's axis, a band per resource, the legend and who is on what."""

    axis: str
    bands: list[HtmlBand]
    legend: str
    defs: str
    shifts: list[ShiftRow]
    shifts_title: str


def html_loads(view: ExportView, chart: HtmlChart) -> HtmlLoads | None:
    """The section on the chart's scale, or None for a plan without resources."""
    if not has_resources(view):
        return None
    layout = chart_layout(view)
    scale = _Scale(layout.first, layout.last, chart.width)
    slot = slot_minutes(scale.px_per_day, NARROWEST_BAR)
    bands = [
        HtmlBand(
            band.label, band.summary, bool(band.load.overallocated_minutes), _svg(band, scale, view)
        )
        for band in load_bands(view, layout.first, layout.last, slot)
    ]
    begin, end = plan_window(view)
    title = _("Who is on what, {start} – {end}").format(
        start=when(view.timebase, begin), end=when(view.timebase, end)
    )
    return HtmlLoads(chart.axis, bands, legend(), PATTERN, shift_rows(view), title)


class _Scale:
    """The chart's mapping of minutes to pixels: its window across its width."""

    def __init__(self, first: int, last: int, width: int) -> None:
        self.first, self.last, self.width = first, last, width
        self.px_per_day = width * MINUTES_PER_DAY / max(last - first, 1)

    def x(self, minute: int) -> float:
        return round((minute - self.first) * self.width / max(self.last - self.first, 1), 2)


def _svg(band: ResourceBand, scale: _Scale, view: ExportView) -> str:
    """One resource's histogram: shading, absences, bars, the units line, the status date."""
    timebase = view.timebase
    per_unit = (BAND_HEIGHT - 6) / band.top
    label = text(_("{resource}: units booked against {units} available").format(
        resource=band.resource.id, units=band.resource.units
    ))  # fmt: skip
    opening = (
        f'<svg class="load" width="{scale.width}" height="{BAND_HEIGHT}" '
        f'viewBox="0 0 {scale.width} {BAND_HEIGHT}" role="img" aria-label="{label}">'
    )
    parts = [opening]
    hours = scale.px_per_day >= 120  # as the chart: below, nights would stripe it
    off = off_time(band.calendar, scale.first, scale.last, hours=hours)
    parts += [
        _box(scale, span, y=0, height=BAND_HEIGHT, fill=PALETTE["off"], kind="off") for span in off
    ]
    parts += [
        _box(scale, span, y=0, height=BAND_HEIGHT, fill=AWAY, kind="away") for span in band.away
    ]
    _upper, lower = axis_ticks(timebase, scale.first, scale.last, scale.px_per_day)
    parts += [  # the axis's finer lines, so a bar's day or hour reads across the section
        element("line", x1=x, y1=0, x2=x, y2=BAND_HEIGHT, stroke=PALETTE["grid"], stroke_width=0.6)
        for x in (
            scale.x(tick.minute) for tick in spaced(lower, scale.x, lambda label: 7.0 * len(label))
        )
    ]
    for begin, end, units, over in runs(band):
        height = round(units * per_unit, 2)
        words = _("{start} – {end}: {units} of {available} units").format(
            start=when(timebase, begin, year=False), end=when(timebase, end, year=False),
            units=units, available=band.resource.units,
        )  # fmt: skip
        fill = "url(#overload)" if over else BOOKED
        kind = "over" if over else "booked"
        parts.append(
            _box(scale, (begin, end), y=BAND_HEIGHT - height, height=height, fill=fill,
                 kind=kind, words=words)
        )  # fmt: skip
    units_y = round(BAND_HEIGHT - band.resource.units * per_unit, 2)
    parts.append(
        element(
            "line", x1=0, y1=units_y, x2=scale.width, y2=units_y, stroke="#000",
            stroke_width=1, stroke_dasharray="4 3", **{"class": "units"},
        )
    )  # fmt: skip
    parts.append(
        element(
            "line", x1=0, y1=BAND_HEIGHT - 0.5, x2=scale.width, y2=BAND_HEIGHT - 0.5, stroke="#888"
        )
    )
    as_of = view.schedule.as_of
    if as_of is not None and scale.first <= as_of <= scale.last:
        x = scale.x(as_of)
        parts.append(
            element(
                "line", x1=x, y1=0, x2=x, y2=BAND_HEIGHT, stroke=PALETTE["status"],
                stroke_width=1.5, stroke_dasharray="4 3", **{"class": "status-date"},
            )
        )  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _box(
    scale: _Scale,
    span: tuple[int, int],
    *,
    y: float,
    height: float,
    fill: str,
    kind: str,
    words: str = "",
) -> str:
    """A rectangle over a span of time, with its hover text when it has one."""
    begin, end = span
    x = scale.x(begin)
    width = max(round(scale.x(end) - x, 2), 1.0)
    content = element("title", text(words)) if words else None
    return element(
        "rect", content, x=x, y=y, width=width, height=height, fill=fill, **{"class": kind}
    )


def legend() -> str:
    """Each mark of the bands drawn as they draw it, with its name."""

    def swatch(body: str, label: str) -> str:
        icon = f'<svg width="26" height="14" viewBox="0 0 26 14" aria-hidden="true">{body}</svg>'
        return f"<span>{icon} {text(label)}</span>"

    return "".join(
        [
            swatch(element("rect", x=1, y=2, width=24, height=10, fill=BOOKED),
                   _("units booked at once")),
            swatch(element("rect", x=1, y=2, width=24, height=10, fill="url(#overload)"),
                   _("over its units, or booked while away")),
            swatch(element("line", x1=1, y1=7, x2=25, y2=7, stroke="#000", stroke_dasharray="4 3"),
                   _("units available")),
            swatch(element("rect", x=1, y=0, width=24, height=14, fill=AWAY), _("away")),
            swatch(element("rect", x=1, y=0, width=24, height=14, fill=PALETTE["off"]),
                   _("non-working time")),
            swatch(element("line", x1=13, y1=0, x2=13, y2=14, stroke=PALETTE["status"],
                           stroke_width=1.5, stroke_dasharray="4 3"), _("status date")),
        ]
    )  # fmt: skip
