"""The ``oncall`` profile: what Grafana OnCall computes from a calendar (icalendar 5.0.10 +
recurring-ical-events 2.1.0 + pytz; ``grafana-oncall-semantics.md`` §2.10, §3.1, §8.2)."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple, cast

from .._errors import RecurrenceError
from .._model import Window
from .._recurrence import RecurrenceRule
from .._tz import as_utc_each, naive_utc, shifted
from ..oncall.occurrences import (
    LOOKUP_PADDING,
    overlaps,
    start_after_end,
    start_walls,
    until_wall,
    vevent_starts,
    wall_clock_end,
)
from ._expansion import (
    Occurrence,
    Run,
    Span,
    Timing,
    as_date,
    midnight,
    rule_instances,
    timing,
)
from ._parse import PropertyError
from ._read import Event, Report, When
from ._zones import UTC_ZONE, Zone

_SECOND = timedelta(seconds=1)
_YEAR_1 = midnight(date.min)
_MARGIN = timedelta(days=1)  # wall bounds around instants: no zone is a day off UTC


def _oncall_instant(when: When) -> datetime:
    """A DATE-TIME as icalendar 5 + pytz read it (floating = UTC, TZID localised is_dst=False)."""
    assert isinstance(when.value, datetime)
    if when.kind == "zoned" and when.zone is not None:
        return when.zone.pytz_localize(when.value)
    return when.value.replace(tzinfo=UTC)


def _oncall_zone(when: When) -> Zone:
    """The zone :func:`_oncall_instant` reads ``when`` in (UTC for UTC and floating values)."""
    return when.zone if when.kind == "zoned" and when.zone is not None else UTC_ZONE


_PAST_9999 = "the event ends after the year 9999 in UTC"


def _dtend_field(event: Event) -> str:
    """What OnCall's crash on an event that ends before it starts names (timed or all-day)."""
    return f"VEVENT[UID={event.uid or '?'}, line {event.line}].DTEND"


def _length_property(event: Event, period: object = None) -> str:
    """The property that sets an occurrence's length: an RDATE's PERIOD, else DURATION or
    DTEND (also when neither is written: the length then follows DTSTART's kind)."""
    if period is not None:
        return "RDATE"
    return "DURATION" if event.end is None and event.duration is not None else "DTEND"


def _ends_after_9999(
    event: Event, start: datetime | date, length: object, period: object = None
) -> PropertyError:
    """OnCall's crash where an occurrence's end, its start plus its length, passes the year
    9999 (Python's arithmetic overflows)."""
    shown = start.replace(tzinfo=None) if isinstance(start, datetime) else start
    value = f"{shown.isoformat()} + {length}"
    return PropertyError(_length_property(event, period), value, _PAST_9999)


def _oncall_until(rule: RecurrenceRule, dtstart: datetime) -> datetime | None:
    until = rule.until
    if until is None:
        return None
    if not isinstance(until, datetime):  # recurring-ical-events appends T000000Z
        return midnight(until)
    if until.tzinfo is None:
        # dateutil refuses a floating UNTIL with a zoned DTSTART; recurring-ical-events then
        # appends the Z (and a floating DTSTART reads as UTC anyway)
        return until.replace(tzinfo=UTC)
    return until


def _wall_bounds(
    bounds: tuple[datetime, datetime, datetime | None, datetime | None],
) -> tuple[datetime, datetime]:
    """The wall times (naive) the rule's instances are looked for between (``_starts``)."""
    low, high, last, _ = bounds
    wall_low = shifted(naive_utc(low), -_MARGIN)
    wall_high = shifted(naive_utc(high), _MARGIN)
    if last is not None:
        wall_high = min(wall_high, last)
    return wall_low, wall_high


def _rule_walls(
    event: Event, wall_start: datetime, wall_bounds: tuple[datetime, datetime], limit: int
) -> Iterable[datetime]:
    """The wall times of the rule's instances within ``wall_bounds``, refused past ``limit``."""
    rule = event.rule
    if rule is None:
        return ()
    if rule.until is not None:  # (replace builds a rule anew, checks and all: a VEVENT's cost)
        rule = replace(rule, until=None)
    walls = rule_instances(
        event,
        rule,
        wall_start,
        *wall_bounds,
        limit,
        end_inclusive=True,
        dtstart_always=True,
    )
    return cast(Iterable[datetime], walls)


def _starts(
    event: Event,
    dtstart: datetime,
    zone: Zone,
    bounds: tuple[datetime, datetime, datetime | None, datetime | None],
    rdates: set[datetime],
    limit: int,
) -> dict[datetime, datetime]:
    """DTSTART and the rule's instances between ``bounds`` (low and high instants, the last
    wall time UNTIL allows, and the UNTIL that drops later starts other than ``rdates``), as
    the one expansion (:func:`vevent_starts`) yields them, localised with is_dst=False, each
    keyed by dateutil's value (its wall time at DTSTART's offset)."""
    until = bounds[3]
    wall_start = dtstart.replace(tzinfo=None)
    wall_bounds = _wall_bounds(bounds)
    walls = _rule_walls(event, wall_start, wall_bounds, limit)
    found = vevent_starts(
        dtstart, wall_start, walls, zone.pytz_localize, until, wall_bounds, rdates
    )
    starts: dict[datetime, datetime] = {}
    for wall, start in found:
        starts.setdefault((wall - wall_start) + dtstart, start)
    return starts


class _Timed(NamedTuple):
    """What the expansion of a timed VEVENT reads before its starts: DTSTART (as icalendar
    and pytz read it) and its zone, the length, the starts' bounds (``_starts``) and the
    RDATEs (instants and PERIODs)."""

    dtstart: datetime
    zone: Zone
    length: timedelta
    bounds: tuple[datetime, datetime, datetime | None, datetime | None]
    rdates: list[tuple[datetime, timedelta | When | None]]


def _timed(event: Event, low: datetime, high: datetime) -> _Timed:
    dtstart = _oncall_instant(event.start)
    zone = _oncall_zone(event.start)
    if event.end is not None and event.end.kind != "date":
        length = _oncall_instant(event.end) - dtstart
    elif event.end is not None:
        length = midnight(as_date(event.end)) - dtstart
    else:
        length = event.duration if event.duration is not None else timedelta(0)
    search_low = shifted(low, -max(length, timedelta(0)))
    rule = event.rule
    until = None if rule is None else _oncall_until(rule, dtstart)
    # recurring-ical-events re-localises starts, and drops those after UNTIL that are not
    # RDATEs, only when the event has a pytz zone: that of its first TZID or UTC value
    # (DTSTART, DTEND, EXDATE, RDATE) in icalendar 5; an all-floating event has none
    pytz_zoned = any(
        when is not None and when.kind in ("utc", "zoned")
        for when in (event.start, event.end, *event.exdates, *(w for w, _ in event.rdates))
    )
    last = None
    if until is not None:
        # dateutil stops past UNTIL: given an hour more and compared at DTSTART's offset in
        # a pytz zone (until_wall), as written for a floating start
        last = until_wall(until, dtstart) if pytz_zoned else naive_utc(until)
    rdates = [(_oncall_instant(w), period) for w, period in event.rdates if w.kind != "date"]
    drop_after = until if pytz_zoned else None
    return _Timed(dtstart, zone, length, (search_low, high, last, drop_after), rdates)


def _excluded(event: Event) -> set[datetime]:
    """The EXDATE instants of a timed VEVENT (a DATE excludes nothing of it)."""
    return {_oncall_instant(w) for w in event.exdates if w.kind != "date"}


def _oncall_timed(event: Event, low: datetime, high: datetime, limit: int) -> Iterator[Occurrence]:
    dtstart, zone, length, bounds, rdates = _timed(event, low, high)
    search_low = bounds[0]
    # Each occurrence's start, by dateutil's value (a rule's wall time at DTSTART's offset),
    # which is what it sorts and de-duplicates: two wall times that localise to one instant
    # across a DST gap are two occurrences.
    starts = _starts(event, dtstart, zone, bounds, {start for start, _ in rdates}, limit)
    # an RDATE PERIOD sets the end of every occurrence starting at its instant (the library
    # looks its ends up by start), a series' own one included
    period_ends: dict[datetime, timedelta | When] = {}
    for start, period in rdates:
        starts[start] = start  # dateutil keeps one of equal values: the RDATE's, read as written
        if period is not None and not (isinstance(period, When) and period.kind == "date"):
            period_ends[start] = period
    excluded = _excluded(event)
    for key, start in sorted(starts.items()):
        # dateutil drops an EXDATE equal to its value, the library one equal to the start
        if start in excluded or key in excluded or not search_low <= start <= high:
            continue
        explicit = period_ends.get(start)
        # the library's end: the start plus the length (at the start's offset), or a PERIOD's
        # end as written (then read in its own zone)
        end_zone = zone
        if isinstance(explicit, When):
            raw_end = _oncall_instant(explicit)
            end_zone = _oncall_zone(explicit)
        else:
            step = length if explicit is None else explicit
            try:
                raw_end = start + step
            except OverflowError:
                raise _ends_after_9999(event, start, step, explicit) from None
        if raw_end < start:
            field = _dtend_field(event)
            raise start_after_end(field, raw_end.isoformat())
        offset = raw_end.utcoffset()
        assert offset is not None
        try:
            end = wall_clock_end(raw_end, offset, end_zone.offset_at(raw_end))
        except OverflowError:  # the library's arithmetic past 9999: OnCall's crash
            shown = raw_end.replace(tzinfo=None).isoformat()
            raise PropertyError(_length_property(event, explicit), shown, _PAST_9999) from None
        local_day = start.date()
        yield Occurrence(event, start, end, False, local_day)


def _utc_spans(
    event: Event, window: Window, low: datetime, high: datetime, limit: int
) -> list[Span] | None:
    """OnCall's filter (:func:`_kept`) of the occurrences of a timed VEVENT in UTC (or
    floating, read as UTC) without RDATEs, straight from its starts; None for any other
    VEVENT (and one that ends before it starts), which takes the careful path.

    In UTC a wall time is its instant, every offset is zero and dateutil's value is the
    start: the starts come sorted and distinct (DTSTART, then the rule's later walls), and
    an occurrence ends ``length`` after its start. No Occurrence, localisation, offset or
    dict per start (a calendar of distinct times has one start per occurrence). Held equal
    to the careful path by tests/test_oncall_fast_paths.py.
    """
    if event.start.kind == "date" or event.rdates:
        return None
    dtstart, zone, length, bounds, _ = _timed(event, low, high)
    if zone.name != "UTC" or zone.pytz_zone is not None or length < timedelta(0):
        return None
    search_low, high, _, until = bounds
    wall_start = dtstart.replace(tzinfo=None)
    wall_bounds = _wall_bounds(bounds)
    walls = _rule_walls(event, wall_start, wall_bounds, limit)
    # (a DTSTART after UNTIL drops itself and every later start: the filter below does)
    starts: Iterable[datetime] = itertools.chain(
        (dtstart,), as_utc_each(start_walls(wall_start, walls, wall_bounds))
    )
    if until is not None:
        starts = filter(until.__ge__, starts)
    excluded = _excluded(event)
    if excluded:
        starts = itertools.filterfalse(excluded.__contains__, starts)
    ordered = list(starts)
    # the starts the careful path ends (every one of them: an end past 9999 raises alike)
    kept = ordered[bisect_left(ordered, search_low) : bisect_right(ordered, high)]
    ws, we = window.start, window.end
    if not length:
        return []  # overlaps(window, start, end) and start < end: never for start == end
    try:
        if ws == we:
            return [(s, end) for s in kept for end in (s + length,) if s <= ws < end]
        return [(s, end) for s in kept for end in (s + length,) if s < we and ws < end]
    except OverflowError:  # the careful path raises at the first such start
        late = next(s for s in kept if s > datetime.max.replace(tzinfo=UTC) - length)
        raise _ends_after_9999(event, late, length) from None


def _oncall_all_day(
    event: Event, low: datetime, high: datetime, limit: int
) -> Iterator[Occurrence]:
    first = as_date(event.start)
    if event.end is not None:
        length = (as_date(event.end) - first).days
    elif event.duration is not None:
        length = event.duration.days
    else:
        length = 0  # the engine's end = DTSTART (ENGINE QUIRK, see the module docs)
    days: set[date] = {first}  # DTSTART always counts, UNTIL or not: dates have no zone
    lo = shifted(low.date(), -timedelta(days=max(length, 0) + 1))
    hi = shifted(high.date(), timedelta(days=1))
    rule = event.rule
    if rule is not None:
        until = rule.until
        until_day = (
            None if until is None else (until.date() if isinstance(until, datetime) else until)
        )
        instances = rule_instances(
            event,
            replace(rule, until=None),
            first,
            lo,
            hi,
            limit,
            end_inclusive=True,
            dtstart_always=True,
        )
        for day in instances:
            assert isinstance(day, date)
            if until_day is None or day <= until_day:
                days.add(day)
    days.update(as_date(w) for w, _ in event.rdates)
    excluded = {as_date(w) for w in event.exdates}
    span = timedelta(days=length)
    for day in sorted(days):
        if day in excluded or not lo <= day <= hi:
            continue
        try:
            end = midnight(day + span)
        except OverflowError:
            raise _ends_after_9999(event, day, span) from None
        if span < timedelta(0):
            # recurring-ical-events checks every occurrence it looks at, dates as times
            # (start <= end): OnCall's crash, as for a timed VEVENT
            field = _dtend_field(event)
            raise start_after_end(field, end.isoformat())
        yield Occurrence(event, midnight(day), end, True, day)


def oncall_occurrences(
    events: list[Event], window: Window, report: Report, limit: int
) -> list[Run]:
    """recurring-ical-events 2.1.0's ``between`` over the padded window, then OnCall's filter.

    The occurrences come in the library's order: by event, then by start, an occurrence that
    replaces another (a modified instance, a higher SEQUENCE) moved to the end. A VEVENT alone
    with its UID, without RECURRENCE-ID and SEQUENCE, neither replaces nor is replaced: its
    occurrences keep their places as one block, filtered once for every VEVENT of its timing.
    """
    low, high = shifted(window.start, -LOOKUP_PADDING), shifted(window.end, LOOKUP_PADDING)
    uids = Counter(event.uid for event in events)
    # the last one kept per UID and day, with its place in ``order`` (a dict, so that a
    # replaced occurrence leaves in constant time); a block's place holds the whole block
    latest: dict[tuple[str, date], tuple[int, Occurrence]] = {}
    order: dict[int, Occurrence | Run] = {}
    places = itertools.count()
    expanded: dict[Timing, list[Occurrence]] = {}
    filtered: dict[Timing, list[Span] | None] = {}

    def add(occ: Occurrence) -> None:
        # recurring-ical-events compares each occurrence with the last one it kept for the
        # same UID and day only: a modified instance replaces that one, not every one that day
        event = occ.event
        rid = event.recurrence_id
        key = (event.uid, occ.day if rid is None else as_date(rid))
        kept = latest.get(key)
        if kept is not None:
            place, other = kept
            modified = rid is not None
            other_modified = other.event.recurrence_id is not None
            if modified and not other_modified:
                del order[place]
            elif other_modified and not modified:
                return
            elif event.sequence is not None and other.event.sequence is not None:
                if event.sequence < other.event.sequence:
                    return
                del order[place]
        place = next(places)
        latest[key] = (place, occ)
        order[place] = occ

    keys = [timing(event) for event in events]
    # only a timing of several VEVENTs is kept for the next (a big calendar's occurrences,
    # each holding its VEVENT, would be walked by the cyclic collector again and again)
    shared = {key for key, count in Counter(keys).items() if count > 1}
    for event, key in zip(events, keys, strict=True):
        alone = _alone(event, uids)
        if alone:  # a UTC event's spans straight from its starts, or its timing's
            spans = filtered.get(key)
            if spans is None and key not in filtered:
                try:
                    spans = _utc_spans(event, window, low, high, limit)
                except (PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
                    report.expansion(event, exc)
                    continue
                if spans is not None and key in shared:
                    filtered[key] = spans
            if spans is not None:
                if spans and not event.cancelled:
                    order[next(places)] = (event, spans, event.start.kind == "date")
                continue
        found = expanded.get(key)
        if found is None:
            expand = _oncall_all_day if event.start.kind == "date" else _oncall_timed
            try:
                found = list(expand(event, low, high, limit))
            except (PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
                report.expansion(event, exc)
                continue
            if key in shared:
                expanded[key] = found
        if alone:
            spans = filtered.get(key) if key in filtered else _kept(found, window)
            if key in shared:
                filtered[key] = spans
            if spans is not None:
                if spans and not event.cancelled:
                    order[next(places)] = (event, spans, event.start.kind == "date")
                continue
        for occ in found:
            add(occ if occ.event is event else occ._replace(event=event))
    return _runs(order.values(), window, report)


def _alone(event: Event, uids: Counter[str]) -> bool:
    """A VEVENT whose occurrences neither replace nor are replaced by another's: its UID is
    its own, and it has no RECURRENCE-ID or SEQUENCE."""
    return uids[event.uid] == 1 and event.recurrence_id is None and event.sequence is None


def _kept(found: list[Occurrence], window: Window) -> list[Span] | None:
    """OnCall's filter of the occurrences of one timing, as UTC spans; None when an
    occurrence would be reported (each VEVENT then reports its own)."""
    spans: list[Span] = []
    for _, start, end, all_day, _ in found:
        if all_day:
            if overlaps(window, start, end):
                if end == _YEAR_1:
                    return None
                spans.append((start, end - _SECOND))
        elif overlaps(window, start, end) and start < end:
            spans.append((start.astimezone(UTC), end.astimezone(UTC)))
    return spans


def _runs(kept: Iterable[Occurrence | Run], window: Window, report: Report) -> list[Run]:
    """The kept occurrences and blocks as runs, OnCall's filter applied to the occurrences."""
    result: list[Run] = []
    last: Event | None = None  # the event of the last run of lone occurrences
    for item in kept:
        if not isinstance(item, Occurrence):
            result.append(item)
            last = None
            continue
        event, start, end, all_day, _ = item
        if event.cancelled:
            continue
        if all_day:
            if not overlaps(window, start, end):
                continue
            # §3.1: all-day events end at 23:59:59Z of their last day.
            if end == _YEAR_1:
                reason = "the all-day event ends a second before year 1"
                report.expansion(event, PropertyError("DTEND", None, reason))
                continue
            span = (start, end - _SECOND)
        elif overlaps(window, start, end) and start < end:
            span = (start.astimezone(UTC), end.astimezone(UTC))
        else:
            continue
        if event is last:
            result[-1][1].append(span)
        else:
            result.append((event, [span], all_day))
            last = event
    return result
