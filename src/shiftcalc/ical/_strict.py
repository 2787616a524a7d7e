"""The ``strict`` profile: RFC 5545 expansion (floating and all-day values in the calendar's
zone, half-open whole days, RECURRENCE-ID matched by instant, EXDATE/RDATE/PERIOD)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from .._errors import CalendarError, RecurrenceError
from .._model import Schedule, Window
from .._tz import detach, get_zone
from ._expansion import (
    MAX_OCCURRENCES,
    Run,
    Span,
    Timing,
    as_date,
    local_date,
    rule_instances,
    shifted,
    timing,
)
from ._parse import Node, PropertyError
from ._read import Event, Report, When
from ._zones import Zone, Zones

# the first and last instants (strict cuts an occurrence past them)
_EDGES = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


class StrictContext:
    """The calendar's zone for floating and all-day values: X-WR-TIMEZONE, else the schedule's."""

    def __init__(self, root: Node, schedule: Schedule, zones: Zones) -> None:
        self.midnights: dict[date, datetime] = {}
        name = root.text("X-WR-TIMEZONE")
        if name is not None and name.strip():
            try:
                self.zone: Zone = zones.get(name)
            except (PropertyError, KeyError):
                raise CalendarError("VCALENDAR.X-WR-TIMEZONE", name, "unknown time zone") from None
            return
        try:
            get_zone(schedule.time_zone)
            self.zone = Zone(name=schedule.time_zone)
        except KeyError:
            raise CalendarError(
                "schedule.time_zone", schedule.time_zone, "unknown time zone"
            ) from None

    def local(self, when: When) -> datetime:
        """The value in its own zone (RFC 5545 §3.3.5 for skipped and repeated times)."""
        value = when.value
        if not isinstance(value, datetime):
            return self.zone.local(datetime.combine(value, time()))
        if when.kind == "utc":
            return value.replace(tzinfo=UTC)
        if when.kind == "zoned" and when.zone is not None:
            return when.zone.local(value)
        return self.zone.local(value)

    def instant(self, when: When) -> datetime:
        """The value as a UTC instant (arithmetic on zoned datetimes is wall-clock arithmetic)."""
        return self.local(when).astimezone(UTC)

    def since(self, start: datetime, when: When) -> timedelta:
        """The time from the zoned ``start`` to the value, also where the value is no UTC
        instant (in the last hours of 9999 west of UTC): wall times and offsets apart."""
        end = self.local(when)
        end_offset, start_offset = end.utcoffset(), start.utcoffset()
        assert end_offset is not None and start_offset is not None  # both zoned
        return (detach(end) - detach(start)) - (end_offset - start_offset)

    def instant_or_none(self, when: When) -> datetime | None:
        """:meth:`instant`, or None for a value that is no UTC instant (in the first or last
        hours of the years 1-9999, past them in UTC): no instance starts there."""
        try:
            return self.instant(when)
        except OverflowError:
            return None

    def recurrence_key(self, when: When) -> datetime | When:
        """What a RECURRENCE-ID matches an instance by: its instant, or, when it is no UTC
        instant, the value as written, which matches no instance (each is an instant) and
        only the same value written again."""
        found = self.instant_or_none(when)
        return when if found is None else found

    def midnight(self, day: date) -> datetime:
        """The instant the day starts in the calendar's zone (all-day events share few days),
        held at the first or last instant where that is outside the years 1-9999 in UTC:
        strict cuts an occurrence there, as it does a timed one."""
        found = self.midnights.get(day)
        if found is None:
            try:
                found = self.instant(When(day, "date"))
            except OverflowError:
                found = _EDGES[day.year != 1]
            self.midnights[day] = found
        return found

    def midnight_after(self, day: date, days: timedelta) -> datetime:
        """:meth:`midnight` of the day ``days`` after ``day``, also past the ends of time."""
        try:
            later = day + days
        except OverflowError:
            return _EDGES[days > timedelta(0)]
        return self.midnight(later)


def _strict_expand(
    event: Event, ctx: StrictContext, window: Window, limit: int
) -> Iterator[tuple[datetime, datetime]]:
    """Instances of a master VEVENT as (start, end) instants, RFC 5545 (EXDATE/RDATE included)."""
    if event.start.kind == "date":
        first = as_date(event.start)
        if event.end is not None:
            days = (as_date(event.end) - first).days
        elif event.duration is not None:
            days = event.duration.days
        else:
            days = 1  # RFC 5545 §3.6.1: a DATE DTSTART alone lasts one day
        lo = shifted(local_date(window.start, ctx.zone.tzinfo), -timedelta(days=max(days, 0) + 1))
        hi = shifted(local_date(window.end, ctx.zone.tzinfo), timedelta(days=1))
        exdates = [as_date(w) for w in event.exdates]
        rdates = [as_date(w) for w, _ in event.rdates]
        if event.rule is None:
            instances: list[date] = sorted({first, *rdates} - set(exdates))
        else:
            found = rule_instances(
                event, event.rule, first, lo, hi, limit, exdates=exdates, rdates=rdates
            )
            instances = [d for d in found if isinstance(d, date)]
        length = timedelta(days=days)
        for day in instances:
            if lo <= day < hi:
                yield ctx.midnight(day), ctx.midnight_after(day, length)
        return
    dtstart = ctx.local(event.start)
    if event.end is not None:
        length = ctx.since(dtstart, event.end)
    else:
        length = event.duration if event.duration is not None else timedelta(0)
    explicit: dict[datetime, datetime] = {}
    rdates_at: list[datetime] = []
    for when, period in event.rdates:
        start = ctx.instant_or_none(when)
        if start is None:
            continue  # no instance exists past the ends of time
        rdates_at.append(start)
        if isinstance(period, When):
            explicit[start] = ctx.instant(period)
        elif isinstance(period, timedelta):
            explicit[start] = start + period
    # an EXDATE past the ends of time excludes nothing
    exdates_at: list[datetime | date] = []
    for when in event.exdates:
        excluded_at = ctx.instant_or_none(when) if when.kind != "date" else as_date(when)
        if excluded_at is not None:
            exdates_at.append(excluded_at)
    low = shifted(window.start, -max(length, *(e - s for s, e in explicit.items()), timedelta(0)))
    if event.rule is None:
        excluded = set(exdates_at)
        own = ctx.instant_or_none(event.start)  # None: DTSTART is past the ends of time
        starts = sorted(
            s
            for s in {*([] if own is None else [own]), *rdates_at}
            if s not in excluded and s.date() not in excluded
        )
    else:
        found = rule_instances(
            event,
            event.rule,
            dtstart,
            low,
            window.end,
            limit,
            exdates=exdates_at,
            rdates=rdates_at,
        )
        starts = [s for s in found if isinstance(s, datetime)]
    for start in starts:
        utc = start.astimezone(UTC)
        end = explicit.get(utc)
        if end is None:
            try:
                end = utc + length
            except OverflowError:  # after 9999: cut at the last instant, as a shift is
                end = shifted(utc, length)
        yield utc, end


def strict_occurrences(
    events: list[Event], ctx: StrictContext, window: Window, report: Report, limit: int
) -> list[Run]:
    """Each VEVENT's occurrences overlapping ``window``, in calendar order (cancelled and
    superseded ones left out; a bad one reported)."""
    # The latest SEQUENCE (then the last in the file) of each (UID, RECURRENCE-ID instant).
    modified: dict[tuple[str, datetime | When], Event] = {}
    for event in events:
        if event.recurrence_id is None:
            continue
        key = (event.uid, ctx.recurrence_key(event.recurrence_id))
        other = modified.get(key)
        if other is None or (event.sequence or 0) >= (other.sequence or 0):
            modified[key] = event
    modified_uids = {uid for uid, _ in modified}
    masters = {event.uid: event for event in events if event.recurrence_id is None}
    # the spans of each timing expanded so far (events of equal timing share them)
    expanded: dict[Timing, list[Span]] = {}
    result: list[Run] = []
    for event in events:
        if event.cancelled:
            continue  # a cancelled series, or a cancelled instance (its RECURRENCE-ID counts)
        if event.recurrence_id is not None:
            if modified.get((event.uid, ctx.recurrence_key(event.recurrence_id))) is not event:
                continue  # superseded by a higher SEQUENCE
            master = masters.get(event.uid)
            if event.end is None and event.duration is None and master is not None:
                event = replace(event, duration=_strict_length(master, ctx))
            event = replace(event, rule=None, rdates=(), exdates=())
        same = timing(event)
        spans = expanded.get(same)
        if spans is None:
            try:
                spans = [
                    (start, end)
                    for start, end in _strict_expand(event, ctx, window, limit)
                    if start < end and start < window.end and window.start < end
                ]
            except (PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
                report.expansion(event, exc)
                continue
            expanded[same] = spans
        if event.recurrence_id is None and event.uid in modified_uids:
            spans = [(start, end) for start, end in spans if (event.uid, start) not in modified]
        if spans:
            result.append((event, spans, event.start.kind == "date"))
    return result


def _strict_length(master: Event, ctx: StrictContext) -> timedelta:
    """The master's duration, for an instance that has no end of its own: a timed master's
    from DTSTART to DTEND (else its DURATION), as its expansion measures it but never cut at
    the end of time; an all-day master's first day, as its expansion places it."""
    if master.start.kind != "date":
        if master.end is not None:
            return ctx.since(ctx.local(master.start), master.end)
        return master.duration if master.duration is not None else timedelta(0)
    single = replace(master, rule=None, rdates=(), exdates=())
    spans = list(_strict_expand(single, ctx, _ALL, MAX_OCCURRENCES))
    return spans[0][1] - spans[0][0] if spans else timedelta(0)


_ALL = Window(start=datetime(1, 1, 2, tzinfo=UTC), end=datetime(9999, 12, 30, tzinfo=UTC))
