"""TaskJuggler ``resource`` definitions and ``allocate`` read into an ``ImportedPlan``.

A resource without members is a resource of one unit. A group (a resource with members)
is one resource whose units are its number of people (the members without members of
their own), since allocating a group allocates all of them; a member allocated alone is
one unit of its group, noted. ``vacation`` and ``leaves`` of a resource are its absences,
its ``workinghours`` or ``shifts`` its calendar. Rates, efficiency, limits, a member's own
absences and allocation options are notes with their lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cutover.common.i18n import _
from cutover.interchange.imported import ImportedResource, merged_spans
from cutover.interchange.tjp_syntax import token_text
from cutover.interchange.tjp_values import ID_ATTRIBUTE

if TYPE_CHECKING:
    from collections.abc import Callable

    from cutover.interchange.imported import ImportedPlan, ImportedTask
    from cutover.interchange.tjp_syntax import Statement, Token

#: Resource attributes that say nothing about scheduling (read silently); the others that
#: are not read (rate, efficiency, limits, managers, bookings...) are noted.
_SILENT = frozenset({"email", "flags", "purge", "journalentry", "supplement"})


@dataclass
class Resources:
    """The resources read so far and, by TaskJuggler id, the resource each id counts for."""

    plan: ImportedPlan
    #: tj3's dates as wall-clock times of the project.
    when: Callable[[Token], datetime]
    #: The calendar of a ``workinghours``/``shifts`` statement list, by its name (or None).
    calendar: Callable[[ImportedPlan, list[Statement], str], str | None]
    owner: dict[str, ImportedResource] = field(default_factory=dict)

    def define(self, statement: Statement) -> None:
        """A top-level ``resource`` (and its members)."""
        words = statement.words()
        if not words:
            return
        local = words[0]
        name = words[1] if len(words) > 1 and statement.args[1].kind == "string" else local
        resource = ImportedResource(key=local, name=name, line=statement.line, wanted_id=local)
        members = [inner for inner in statement.block or [] if inner.keyword == "resource"]
        resource.units = max(self._members(resource, members), 1)
        self.owner[local] = resource
        self._attributes(resource, statement)
        self.plan.resources.append(resource)

    def _members(self, group: ImportedResource, members: list[Statement]) -> int:
        """The people of a group: its members without members, at any depth."""
        count = 0
        for member in members:
            words = member.words()
            if words:
                self.owner[words[0]] = group
            inner = [item for item in member.block or [] if item.keyword == "resource"]
            count += self._members(group, inner) if inner else 1
            for item in member.block or []:
                if item.keyword != "resource":
                    self.plan.note(
                        item.line,
                        "left-out",
                        _("member {name!r} of {group!r}: '{keyword}' of one member").format(
                            name=words[-1] if words else "?", group=group.name, keyword=item.keyword
                        ),
                    )
        return count

    def _attributes(self, resource: ImportedResource, statement: Statement) -> None:
        timing: list[Statement] = []
        for inner in statement.block or []:
            keyword = inner.keyword
            if keyword == "resource":
                continue
            if keyword in {"vacation", "leaves"}:
                self._absence(resource, inner)
            elif keyword in {"workinghours", "shifts"}:
                timing.append(inner)
            elif keyword == ID_ATTRIBUTE and inner.args and inner.args[0].kind == "string":
                resource.wanted_id = token_text(inner.args[0])  # written by cutover's export
            elif keyword not in _SILENT:
                self.plan.note(
                    inner.line,
                    "left-out",
                    _("resource {name!r}: '{keyword}'").format(name=resource.name, keyword=keyword),
                )
        if timing:
            resource.calendar = self.calendar(self.plan, timing, resource.key)
        resource.unavailable = merged_spans(resource.unavailable)

    def _absence(self, resource: ImportedResource, statement: Statement) -> None:
        dates = [token for token in statement.args if token.kind == "date"]
        if not dates:
            return
        first = self.when(dates[0])
        end = self.when(dates[1]) if len(dates) > 1 else first + timedelta(days=1)
        if end > first:
            resource.unavailable.append((first, end))

    def allocate(self, task: ImportedTask, statement: Statement) -> None:
        """``allocate a { mandatory }, b_1 { alternative b_2, b_3 }``: units per resource.

        A group is all its people. A member with the other members of its group as
        alternatives is one unit of the group exactly (as cutover's exporter writes u
        units); a member alone is one unit of its group too, noted.
        """
        for index, token in enumerate(statement.args):
            if token.kind != "word":
                continue
            resource = self.owner.get(token.text)
            options = self._options(task, statement.attached.get(index, []))
            if resource is None:
                self.plan.note(
                    token.line,
                    "left-out",
                    _("task {name!r}: '{text}' names no resource of this file").format(
                        name=task.name, text=token.text
                    ),
                )
                continue
            whole = resource.key == token.text
            units = resource.units if whole else task.allocate.get(resource.key, 0) + 1
            task.allocate[resource.key] = min(units, resource.units)
            members = not whole and all(self.owner.get(name) is resource for name in options)
            if options and not members:
                self.plan.note(
                    token.line,
                    "left-out",
                    _("task {name!r}: allocation option '{keyword}'").format(
                        name=task.name, keyword="alternative"
                    ),
                )
            if not whole and not (options and members):
                self.plan.note(
                    token.line,
                    "approximated",
                    _(
                        "task {name!r}: member '{text}' is allocated as one unit of {group!r}"
                    ).format(name=task.name, text=token.text, group=resource.name),
                )

    def _options(self, task: ImportedTask, options: list[Statement]) -> list[str]:
        """The alternatives an allocation names; options cutover has no use for are noted.

        ``mandatory`` is what cutover does anyway (a task works only when all its
        resources do).
        """
        words = [(option.line, option.keyword) for option in options]
        words += [(token.line, token.text) for option in options for token in option.args]
        alternatives: list[str] = []
        for line, word in words:
            if word in {"alternative", "mandatory", ","}:
                continue
            if word in self.owner:
                alternatives.append(word)
            else:
                self.plan.note(
                    line,
                    "left-out",
                    _("task {name!r}: allocation option '{keyword}'").format(
                        name=task.name, keyword=word
                    ),
                )
        return alternatives
