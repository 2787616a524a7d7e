"""The ``strict`` profile: RFC 5545 expansion (floating and all-day values in the calendar's
zone, half-open whole days, RECURRENCE-ID matched by instant, RANGE=THISANDFUTURE moving the
later instances, EXDATE/RDATE/PERIOD, an end before the start refused)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from .._errors import CalendarError, RecurrenceError
from .._model import Schedule, Window
from .._tz import detach, get_zone, shifted
from ._expansion import (
    MAX_OCCURRENCES,
    Run,
    Span,
    Timing,
    as_date,
    local_date,
    rule_instances,
    timing,
)
from ._parse import Node, PropertyError
from ._read import Event, Report, When, duration_text, when_text
from ._zones import Zone, Zones

# the first and last instants (strict cuts an occurrence past them)
_EDGES = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
# RFC 5545 §3.8.2.2, §3.8.2.5, §3.3.9: an end (DTEND, DURATION, a PERIOD) is not before the start
_ENDS_BEFORE = "the event ends before it starts"
_THISANDFUTURE = "THISANDFUTURE"


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


def _timed_length(event: Event, ctx: StrictContext, dtstart: datetime) -> timedelta:
    """A timed VEVENT's length from its DTSTART (zoned, ``dtstart``): to its DTEND, else its
    DURATION, else none; an end before the start is refused (RFC 5545 §3.6.1: DTEND later
    than DTSTART). Measured as written, so an end past the ends of time is no error."""
    if event.end is not None:
        length = ctx.since(dtstart, event.end)
        if length < timedelta(0):
            raise PropertyError("DTEND", when_text(event.end), _ENDS_BEFORE)
        return length
    if event.duration is None:
        return timedelta(0)
    if event.duration < timedelta(0):
        raise PropertyError("DURATION", duration_text(event.duration), _ENDS_BEFORE)
    return event.duration


def _strict_expand(
    event: Event, ctx: StrictContext, window: Window, limit: int
) -> Iterator[tuple[datetime, datetime]]:
    """Instances of a master VEVENT as (start, end) instants, RFC 5545 (EXDATE/RDATE included)."""
    if event.start.kind == "date":
        first = as_date(event.start)
        if event.end is not None:
            days = (as_date(event.end) - first).days
            if days < 0:
                raise PropertyError("DTEND", when_text(event.end), _ENDS_BEFORE)
        elif event.duration is not None:
            if event.duration < timedelta(0):
                raise PropertyError("DURATION", duration_text(event.duration), _ENDS_BEFORE)
            days = event.duration.days
        else:
            days = 1  # RFC 5545 §3.6.1: a DATE DTSTART alone lasts one day
        lo = shifted(local_date(window.start, ctx.zone.tzinfo), -timedelta(days=max(days, 0) + 1))
        # the last day the window can touch, inclusive: "the day after" does not exist for
        # 31 December 9999, whose events would be left out
        last = local_date(window.end, ctx.zone.tzinfo)
        exdates = [as_date(w) for w in event.exdates]
        rdates = [as_date(w) for w, _ in event.rdates]
        if event.rule is None:
            instances: list[date] = sorted({first, *rdates} - set(exdates))
        else:
            found = rule_instances(
                event,
                event.rule,
                first,
                lo,
                last,
                limit,
                exdates=exdates,
                rdates=rdates,
                end_inclusive=True,
            )
            instances = [d for d in found if isinstance(d, date)]
        length = timedelta(days=days)
        for day in instances:
            if lo <= day <= last:
                yield ctx.midnight(day), ctx.midnight_after(day, length)
        return
    dtstart = ctx.local(event.start)
    length = _timed_length(event, ctx, dtstart)
    explicit: dict[datetime, datetime] = {}
    rdates_at: list[datetime] = []
    for (when, period), days in zip(event.rdates, event.rdate_days, strict=True):
        start = ctx.instant_or_none(when)
        if start is None:
            continue  # no instance exists past the ends of time
        rdates_at.append(start)
        if period is None:
            continue
        # a PERIOD's length as written (an end past the ends of time is cut there, as any is)
        if isinstance(period, When):
            span, shown = ctx.since(start, period), when_text(period)
        else:
            span, shown = period, duration_text(period)
        if span < timedelta(0):
            raise PropertyError("RDATE", f"{when_text(when)}/{shown}", _ENDS_BEFORE)
        nominal = days and isinstance(period, timedelta) and when.kind != "utc"
        explicit[start] = (
            _nominal_end(ctx, when, start, days, span) if nominal else shifted(start, span)
        )
    # an EXDATE past the ends of time excludes nothing
    exdates_at: list[datetime | date] = []
    for when in event.exdates:
        excluded_at = ctx.instant_or_none(when) if when.kind != "date" else as_date(when)
        if excluded_at is not None:
            exdates_at.append(excluded_at)
    # a nominal day is at most a day longer than 24 hours (Samoa skipped one)
    reach = length + timedelta(days=1 if event.duration_days else 0)
    low = shifted(window.start, -max(reach, *(e - s for s, e in explicit.items()), timedelta(0)))
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
    # DTEND gives every instance the same exact length; DURATION the same nominal one
    # (RFC 5545 §3.8.5.3), whose weeks and days are wall-clock days (§3.3.6)
    nominal = event.end is None and event.duration_days and event.start.kind != "utc"
    for start in starts:
        utc = start.astimezone(UTC)
        end = explicit.get(utc)
        if end is None:
            # after 9999: cut at the last instant, as a shift is
            end = (
                _nominal_end(ctx, event.start, utc, event.duration_days, length)
                if nominal
                else shifted(utc, length)
            )
        yield utc, end


def _nominal_end(
    ctx: StrictContext, written: When, utc: datetime, days: int, length: timedelta
) -> datetime:
    """The end of an instance starting at ``utc`` whose duration (``length``, its ``days``
    counted as 24 hours) has weeks or days, a DURATION's or an RDATE PERIOD's: the same wall
    time that many days later in the zone the start is ``written`` in (placed by §3.3.5),
    then the hours, minutes and seconds exactly, so that P1D ends at the same local time across
    a DST change (a day of 23 or 25 hours)."""
    nominal = timedelta(days=days)
    try:
        wall = detach(utc.astimezone(ctx.local(written).tzinfo)) + nominal
        placed = ctx.local(When(wall, written.kind, written.zone))
        return placed.astimezone(UTC) + (length - nominal)
    except OverflowError:  # a wall clock or an instant past 9999: the exact length, cut there
        return shifted(utc, length)


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
        if event.recurrence_range not in (None, _THISANDFUTURE):
            continue  # reported below, in calendar order
        key = (event.uid, ctx.recurrence_key(event.recurrence_id))
        other = modified.get(key)
        if other is None or (event.sequence or 0) >= (other.sequence or 0):
            modified[key] = event
    modified_uids = {uid for uid, _ in modified}
    masters = {event.uid: event for event in events if event.recurrence_id is None}
    futures, refused = _futures(modified, masters, ctx, limit)
    # the spans of each timing expanded so far (events of equal timing share them)
    expanded: dict[Timing, list[Span]] = {}
    result: list[Run] = []
    for event in events:
        if event.recurrence_range not in (None, _THISANDFUTURE):
            # RFC 5545 §3.2.13 knows THISANDFUTURE only (RFC 2445's THISANDPRIOR is gone)
            reason = "only RANGE=THISANDFUTURE is supported (RFC 5545 §3.2.13)"
            error = PropertyError("RECURRENCE-ID", f"RANGE={event.recurrence_range}", reason)
            report.fail(event.uid, "VEVENT", event.line, error)
            continue
        if event.cancelled:
            continue  # a cancelled series, or a cancelled instance (its RECURRENCE-ID counts)
        later: list[Span] = []  # the later instances a THISANDFUTURE instance moves
        if event.recurrence_id is not None:
            if modified.get((event.uid, ctx.recurrence_key(event.recurrence_id))) is not event:
                continue  # superseded by a higher SEQUENCE
            master, written = masters.get(event.uid), event
            if event.index in refused:
                report.expansion(event, refused[event.index])
                continue
            try:
                if event.end is None and event.duration is None and master is not None:
                    event = _with_length_of(master, event, ctx)
                event = replace(event, rule=None, rdates=(), rdate_days=(), exdates=())
                if master is not None:
                    later = _moved(
                        event,
                        written,
                        master,
                        futures.get(event.uid, ()),
                        modified,
                        ctx,
                        window,
                        limit,
                    )
            except (PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
                report.expansion(event, exc)
                continue
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
            ranges = futures.get(event.uid)
            moved = _EDGES[1] if not ranges else ranges[0][0]  # THISANDFUTURE's from here
            spans = [
                (start, end)
                for start, end in spans
                if (event.uid, start) not in modified and start < moved
            ]
        if later:
            spans = sorted([*spans, *later])
        if spans:
            result.append((event, spans, event.start.kind == "date"))
    return result


def _futures(
    modified: dict[tuple[str, datetime | When], Event],
    masters: dict[str, Event],
    ctx: StrictContext,
    limit: int,
) -> tuple[dict[str, list[tuple[datetime, Event]]], dict[int, PropertyError]]:
    """Per UID, its RANGE=THISANDFUTURE instances (their RECURRENCE-ID instants, in order)
    whose RECURRENCE-ID is an instance of the series: each moves the series' instances from
    there until the next (RFC 5545 §3.8.4.4). One that matches no instance (or no series)
    moves nothing and stands on its own, as an instance of one RECURRENCE-ID does. And, by
    VEVENT index, those that could not be matched for the occurrence cap (to report)."""
    found: dict[str, list[tuple[datetime, Event]]] = {}
    refused: dict[int, PropertyError] = {}
    for (uid, key), event in modified.items():
        master = masters.get(uid)
        if (
            event.recurrence_range != _THISANDFUTURE
            or not isinstance(key, datetime)
            or master is None
        ):
            continue
        try:
            if _is_instance(master, key, ctx, limit):
                found.setdefault(uid, []).append((key, event))
        except PropertyError as exc:
            refused[event.index] = exc
    for ranges in found.values():
        ranges.sort(key=lambda item: item[0])
    return found, refused


def _is_instance(master: Event, at: datetime, ctx: StrictContext, limit: int) -> bool:
    """Whether the series ``master`` has an instance starting at ``at``: no, for a series
    that cannot be expanded (it is reported on its own); more instances than ``limit`` to
    reach it (a COUNT rule walks from DTSTART) raise the cap's PropertyError."""
    around = Window(start=at, end=shifted(at, timedelta(microseconds=1)))
    try:
        return any(start == at for start, _ in _strict_expand(master, ctx, around, limit))
    except PropertyError as exc:
        if exc.limit:
            raise
        return False
    except (RecurrenceError, ValueError, OverflowError):
        return False


def _moved(
    event: Event,
    written: Event,
    master: Event,
    ranges: Iterable[tuple[datetime, Event]],
    modified: dict[tuple[str, datetime | When], Event],
    ctx: StrictContext,
    window: Window,
    limit: int,
) -> list[Span]:
    """The later instances of ``master`` that the RANGE=THISANDFUTURE instance ``written``
    (``event``: its end its own or the master's) moves, overlapping ``window``: those from its
    RECURRENCE-ID until the next THISANDFUTURE one's, but those with a RECURRENCE-ID of their
    own, each moved by as much as ``event`` moved its own (its DTSTART less its RECURRENCE-ID;
    whole days for an all-day series and instance) and lasting as ``event`` does."""
    ordered = list(ranges)
    mine = [i for i, (_, other) in enumerate(ordered) if other is written]
    if not mine:
        return []  # no THISANDFUTURE, or one that matches no instance
    index = mine[0]
    at = ordered[index][0]
    until = ordered[index + 1][0] if index + 1 < len(ordered) else _EDGES[1]
    zone = ctx.zone.tzinfo
    by_days = event.start.kind == "date" and master.start.kind == "date"
    if by_days:
        first = as_date(event.start)
        days = _days(event)
        offset = timedelta(days=(first - local_date(at, zone)).days)
        length = timedelta(days=days)
        margin = timedelta(days=2)  # a day's instants in the calendar's zone, either side
    else:
        offset = ctx.since(at, event.start)
        if event.start.kind != "date":
            length = _timed_length(event, ctx, ctx.local(event.start))
        else:  # an all-day instance of a timed series: its own span's length
            own = list(_strict_expand(event, ctx, _ALL, MAX_OCCURRENCES))
            length = own[0][1] - own[0][0] if own else timedelta(0)
        margin = timedelta(0)
    low = max(at, shifted(shifted(shifted(window.start, -offset), -length), -margin))
    high = min(until, shifted(shifted(window.end, -offset), margin))
    if not low < high:
        return []
    spans: list[Span] = []
    for start, _ in _strict_expand(master, ctx, Window(start=low, end=high), limit):
        if not at < start < until or (master.uid, start) in modified:
            continue
        if by_days:
            day = local_date(start, zone)
            span = (ctx.midnight_after(day, offset), ctx.midnight_after(day, offset + length))
        else:
            begin = shifted(start, offset)
            span = (begin, shifted(begin, length))
        if span[0] < span[1] and span[0] < window.end and window.start < span[1]:
            spans.append(span)
    return spans


def _days(event: Event) -> int:
    """An all-day VEVENT's whole days, as its expansion counts them."""
    if event.end is not None:
        return (as_date(event.end) - as_date(event.start)).days
    return event.duration.days if event.duration is not None else 1


def _with_length_of(master: Event, instance: Event, ctx: StrictContext) -> Event:
    """``instance``, which has no end of its own, with its master's length: a timed master's
    DURATION as written (nominal days and all) for a timed instance, else
    :func:`_strict_length`."""
    timed = master.start.kind != "date" and instance.start.kind != "date"
    days = master.duration_days if timed and master.end is None else 0
    return replace(instance, duration=_strict_length(master, instance, ctx), duration_days=days)


def _strict_length(master: Event, instance: Event, ctx: StrictContext) -> timedelta:
    """The master's duration, for an ``instance`` that has no end of its own: a timed
    master's from DTSTART to DTEND (else its DURATION), as its expansion measures it but never
    cut at the end of time; an all-day master's whole days for an all-day instance (its first
    day's hours would be 23 on a spring-forward day: 0 days, and the instance was dropped),
    else its first day's length, as its expansion places it. A master that ends before it
    starts is refused (the instance's end would be its)."""
    try:
        if master.start.kind != "date":
            return _timed_length(master, ctx, ctx.local(master.start))
        single = replace(master, rule=None, rdates=(), rdate_days=(), exdates=())
        spans = list(_strict_expand(single, ctx, _ALL, MAX_OCCURRENCES))
    except PropertyError as exc:
        reason = f"{exc.reason} (its master's, line {master.line}, which it takes)"
        raise PropertyError(exc.prop, exc.value, reason) from None
    if instance.start.kind == "date":
        return timedelta(days=_days(master))
    return spans[0][1] - spans[0][0] if spans else timedelta(0)


_ALL = Window(start=datetime(1, 1, 2, tzinfo=UTC), end=datetime(9999, 12, 30, tzinfo=UTC))
