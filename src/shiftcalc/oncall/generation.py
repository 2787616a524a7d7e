"""Shift → the VEVENTs Grafana OnCall writes for it, and their occurrence records.

Grafana OnCall turns every shift into iCalendar VEVENTs (one per user and rotation group) and
expands them with recurring-ical-events. This module builds the same VEVENTs as values (no text
round trip): the rotation queue, the first-occurrence quirks (by_day moves, web-source
clipping at ``rotation_start``), daily rotations by selected day; :mod:`.search` finds each
period's start and :mod:`.occurrences` expands the VEVENTs. The reference is
``grafana-oncall-semantics.md`` §2; DESIGN.md lists each rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache

from .._expand import MAX_OCCURRENCES, too_many_occurrences
from .._model import WEEKDAYS, Interval, OriginBase, Schedule, Shift, Window
from .._recurrence import RecurrenceRule
from .._rotation import rotation_queue, turn_group
from .occurrences import VEvent, occurrence_spans
from .search import Anchor, PeriodSearch

__all__ = ["effective_zone", "expand_oncall", "shift_vevents"]

_DAY = timedelta(days=1)
_new_tuple = tuple.__new__


class _Generator(PeriodSearch):
    """Rotation generation of one rolling-users or override shift (§2.5–§2.9)."""

    def groups(self) -> list[tuple[str, ...]]:
        """The rotation queue: groups rotated by the start index, empty groups left out."""
        # OnCall drops empty groups after rotating the queue (strict refuses them)
        queue = rotation_queue(
            self.shift.rolling_users, self.shift.start_rotation_from_user_index or 0
        )
        return [group for group in queue if group]

    def vevent(
        self,
        start: datetime,
        users: tuple[str, ...],
        rule: RecurrenceRule | None,
        times: tuple[datetime, datetime] | None = None,
        turn: int | None = None,
    ) -> VEvent:
        """The VEVENT starting at ``start``; ``times`` are its DTSTART/DTEND if known;
        ``turn`` the rotation queue's turn it holds."""
        dtstart, dtend = self.event_times(start, self.zone) if times is None else times
        until = self.until
        until_cut = until is not None and until < start + self.shift.duration  # event_times'
        # the named tuple made by tuple.__new__ (its generated __new__ is a Python frame more),
        # the values in field order
        return _new_tuple(
            VEvent,
            (
                dtstart,
                dtend,
                self.zone,
                rule,
                None if rule is None else self.until,  # OnCall writes UNTIL only in an RRULE
                users,
                self.level,
                self.shift.is_override,
                self.web,
                self.rotation_start,
                self.index,
                self.shift_id,
                self.origin_base,
                turn,
                until_cut,
            ),
        )

    def __init__(
        self, shift: Shift, zone: str, index: int, shift_id: str, origins: bool = True
    ) -> None:
        super().__init__(shift, zone, index, shift_id)
        self.origin_base = _origin_base(shift, index, shift_id) if origins else None

    def generate(self) -> list[VEvent]:
        shift = self.shift
        queue = self.groups()
        if not queue:
            return []
        if shift.frequency is None:
            return [self.vevent(self.start, queue[0], None, turn=0)]

        anchor = self.anchor(self.start, "UTC")
        start: datetime | None
        if self.start == self.rotation_start:
            start = self.start
        else:
            start = self.rotation_date(anchor, next_period=False)

        if shift.by_day and start is not None and WEEKDAYS[start.weekday()] not in shift.by_day:
            # OnCall moves to the first selected day in week order from week_start (§2.5 quirk).
            order = [(self.week_start + i) % 7 for i in range(7)]
            first = next(day for day in order if WEEKDAYS[day] in shift.by_day)
            start = start + _DAY * ((first - start.weekday()) % 7)

        if shift.frequency == "daily" and shift.by_day:
            return self.daily_by_day(start, queue)

        event_rule = self.rule(self.interval * len(shift.rolling_users))
        events: list[VEvent] = []
        made = 0
        turn = 0
        if start is not None:
            start, turn = self.skip_ineligible(start)
        while True:
            users = turn_group(queue, turn)
            turn += 1
            if start is None:
                return events
            if (self.web and start + shift.duration > self.rotation_start) or (
                start >= self.rotation_start
            ):
                event = self.vevent(start, users, event_rule, turn=turn - 1)
                events.append(event)
                anchor = Anchor(event.dtstart, event.dtend, self.zone)
                made += 1
            else:
                anchor = self.anchor(start, "UTC")
            if made == len(queue):
                return events
            start = self.rotation_date(anchor, next_period=True)

    def daily_by_day(self, start: datetime | None, queue: list[tuple[str, ...]]) -> list[VEvent]:
        """Daily rotation with by_day: one turn per selected-day occurrence (§2.7)."""
        shift = self.shift
        combinations: dict[tuple[int, str, int], None] = {}  # ordered, with O(1) membership
        starts: list[datetime] = []
        times: list[tuple[datetime, datetime]] = []
        done = False
        group = 0
        while not done:
            for position in range(self.interval):
                if start is None:
                    done = True
                    break
                day = WEEKDAYS[start.weekday()]
                selected = day in shift.by_day
                if selected and (group, day, position) in combinations:
                    done = True
                    break
                anchor = self.anchor(start, self.zone)
                if selected:
                    starts.append(start)
                    times.append((anchor.dtstart, anchor.dtend))
                    combinations[group, day, position] = None
                start = self.rotation_date(anchor, next_period=True, interval=1)
            group = (group + 1) % len(queue)

        # Each (group, day, position) combination comes back after lcm(N·I, days) selected
        # days, that is after that many weeks over the number of selected days (§2.7).
        cycle = math.lcm(len(queue) * self.interval, len(shift.by_day))
        week_interval = max(cycle // len(shift.by_day), 1)
        rules = {day: self.rule(week_interval, "WEEKLY", (day,)) for day in shift.by_day}
        return [
            self.vevent(event_start, queue[group_index], rules[day], event_times, group_index)
            for (group_index, day, _), event_start, event_times in zip(
                combinations, starts, times, strict=True
            )
        ]


@lru_cache(maxsize=1024)
def _origin_base(shift: Shift, index: int, shift_id: str) -> OriginBase:
    """What the VEVENTs' occurrences of ``shift`` have in their origin: for a rotation, the
    index in ``rolling_users`` of each turn's group (the queue of ``_Generator.groups``).
    Memoised, as ``_expand.origin_base``: a pure function of frozen values."""
    rolling = shift.rolling_users
    indices = rotation_queue(range(len(rolling)), shift.start_rotation_from_user_index or 0)
    groups = tuple(indices) if all(rolling) else tuple(i for i in indices if rolling[i])
    return OriginBase(kind="shift", shift_index=index, shift_id=shift_id, groups=groups)


def effective_zone(shift: Shift, schedule: Schedule) -> str:
    """The zone OnCall reads ``shift``'s wall-clock times in: its own, else the schedule's for
    a calendar schedule's rotations, else UTC."""
    if shift.time_zone is not None:
        return shift.time_zone
    if schedule.type == "calendar" and not shift.is_override:
        return schedule.time_zone
    return "UTC"  # web schedules and web overrides compute in UTC (§2.2)


def shift_vevents(
    schedule: Schedule, *, origins: bool = True
) -> tuple[list[VEvent], list[VEvent]]:
    """The primary and overrides VEVENTs of a schedule's shifts, in calendar order; without
    ``origins``, their records carry no origin (resolve's rows and events never read one)."""
    primary: list[VEvent] = []
    overrides: list[VEvent] = []
    for index, shift in enumerate(schedule.shifts):
        zone = effective_zone(shift, schedule)
        shift_id = shift.id or f"shift-{index}"
        target = overrides if shift.is_override else primary
        generator = _Generator(shift, zone, index, shift_id, origins)
        if shift.type in ("rolling_users", "override"):
            target.extend(generator.generate())
            continue
        if not shift.users:
            continue
        rule = None
        if shift.type == "recurrent_event" and shift.frequency is not None:
            rule = generator.rule(shift.interval or 1)
        # OnCall writes one VEVENT per user; they merge back into one event (§3.2).
        target.extend(generator.vevent(generator.start, (user,), rule) for user in shift.users)
    return primary, overrides


def _expand_vevent(event: VEvent, window: Window, limit: int) -> Iterator[Interval]:
    spans = occurrence_spans(event, window, limit=limit)
    if len(spans) > limit:
        raise too_many_occurrences(event.shift_index, limit)
    for start, end in spans:
        for user in event.users:
            yield Interval(
                start=start,
                end=end,
                users=(user,),
                level=event.level,
                is_override=event.is_override,
                shift_index=event.shift_index,
                shift_id=event.shift_id,
                source="web" if event.web_source else "api",
                origin=None if event.origin is None else event.origin.at(start, event.turn),
            )


def expand_oncall(
    schedule: Schedule, window: Window, max_occurrences: int = MAX_OCCURRENCES
) -> tuple[list[Interval], list[Interval]]:
    """Primary and override occurrence records of the schedule's shifts overlapping ``window``.

    One record per (occurrence, user), in the order OnCall's calendar produces them; a
    ValidationError naming the shift past which there are more than ``max_occurrences``.
    """
    primary, overrides = shift_vevents(schedule)
    found: tuple[list[Interval], list[Interval]] = ([], [])
    seen = 0
    for events, records in zip((primary, overrides), found, strict=True):
        for event in events:
            before = len(records)
            records.extend(_expand_vevent(event, window, max_occurrences - seen))
            seen += (len(records) - before) // max(len(event.users), 1)
    return found
