"""The three oncall start loops as they were before one expansion replaced them (commit
ead7ed6), frozen as the oracle of tests/test_one_expander.py: ``oncall.occurrences``'
``expand_starts`` and ``occurrence_spans``, and ``ical._oncall``'s ``_rule_starts`` with the
``_oncall_timed`` that used it. Only their own loops are copied; the helpers they call are
the library's."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shiftcalc._expand import later
from shiftcalc._model import Window
from shiftcalc._recurrence import RecurrenceRule
from shiftcalc._tz import as_utc, detach, get_zone, naive_utc
from shiftcalc._tz import shifted
from shiftcalc.ical._expansion import Occurrence, as_date, midnight, rule_instances
from shiftcalc.ical._oncall import _oncall_instant, _oncall_until, _oncall_zone
from shiftcalc.ical._read import Event, When
from shiftcalc.ical._zones import Zone
from shiftcalc.oncall.occurrences import (
    _BEFORE_RUNS,
    _MARGIN,
    _NO_RUN,
    _ZERO,
    SteadyRun,
    VEvent,
    _careful_end,
    _careful_offset,
    _crash_if_expanded,
    _start_bounds,
    _walls_after,
    pytz_localize,
    start_after_end,
    until_wall,
    wall_clock_end,
)


def expand_starts(
    rule: RecurrenceRule | None,
    dtstart: datetime,
    zone: str,
    until: datetime | None,
    low: datetime,
    high: datetime,
) -> Iterator[datetime]:
    """Occurrence starts of a VEVENT in ``[low, high]``, as recurring-ical-events yields them.

    DTSTART always counts; later starts keep DTSTART's wall-clock time and are localised with
    pytz's ``is_dst=False``; UNTIL is compared as an instant (DTSTART included), and the
    expansion stops as recurring-ical-events stops it (``_UNTIL_SLACK``).
    """
    if until is not None and dtstart > until:
        return
    if rule is None:
        if low <= dtstart <= high:
            yield dtstart
        return
    wall_low = naive_utc(low) - _MARGIN
    wall_high = naive_utc(high) + _MARGIN
    if until is not None:
        wall_high = min(wall_high, until_wall(until, dtstart))
    if low <= dtstart <= high:
        yield dtstart  # DTSTART always counts, matching the rule or not
    walls = _walls_after(rule, detach(dtstart), wall_low)
    while True:
        try:
            wall = next(walls)
        except (StopIteration, OverflowError):  # OverflowError: the next one is after 9999
            return
        if wall < wall_low:
            continue
        if wall > wall_high:
            return
        start = pytz_localize(wall, zone, strict=False, field="")
        if until is not None and start > until:
            continue
        if start < low:
            continue
        if start > high:
            return
        yield start


def occurrence_spans(
    event: VEvent, window: Window, runs: Sequence[SteadyRun] = (), limit: int = sys.maxsize
) -> list[tuple[datetime, datetime]]:
    """``(start, end)`` (UTC) of each occurrence of ``event`` that OnCall keeps for ``window``;
    the first ``limit + 1`` of them at most (memory stays bounded for a caller that refuses
    more than ``limit``).

    The hot loop of the oncall profile, so the loop works in one function, on wall-clock times
    written as UTC datetimes (``wall - offset`` is then the instant, with no conversion), and
    takes offsets from ``runs`` (:func:`steady_runs` of the event's zone) where it can; the
    rules are those of :func:`expand_starts` and §2.2. Its phases: the crashes and empty
    answers (here), the bounds (:func:`_start_bounds`), the wall-clock starts
    (:func:`_walls_of`), then per start its offset and end, with the careful paths near a
    change of offset (:func:`_careful_offset`, :func:`_careful_end`) out of the loop.
    """
    length = event.dtend - event.dtstart
    if length < _ZERO:
        _crash_if_expanded(event, window, length)
        return []
    until = event.rule_until
    if until is not None and event.dtstart > until:
        return []
    zone = get_zone(event.zone)
    ws, we = window.start, window.end
    lowest, highest, wall_low, wall_high = _start_bounds(event, window, length)
    point = ws == we
    clip = event.rotation_start if event.web_source else None
    walls = _walls_of(event, wall_low)
    remaining_runs = iter(runs)
    run_start = run_end = _BEFORE_RUNS
    run_offset = _ZERO
    spans = []
    try:
        for wall in walls:
            if wall > wall_high:
                break
            if wall < wall_low:
                continue
            while wall >= run_end:
                run_start, run_end, run_offset = next(remaining_runs, _NO_RUN)
            steady = run_start <= wall
            offset = run_offset if steady else _careful_offset(wall, event.zone)
            try:
                start = wall - offset
            except OverflowError:  # before the year 1 in UTC: from the first instant
                start = _BEFORE_RUNS
            if until is not None and start > until:
                continue
            if start < lowest:
                continue
            if start > highest:
                break
            end = later(start, length)
            end_wall = later(end, offset)
            if not (steady and end_wall < run_end):  # else the end is in the start's run
                end = _careful_end(end, end_wall, offset, zone)
            if clip is not None and start < clip:
                start = clip
            if start >= end:
                continue
            if point:
                if not start <= ws < end:
                    continue
            elif not (start < we and ws < end):
                continue
            spans.append((start, end))
            if len(spans) > limit:
                break
    except OverflowError:
        pass  # the rule's next instance would be after the year 9999
    return spans


def _walls_of(event: VEvent, wall_low: datetime) -> Iterable[datetime]:
    """DTSTART's wall clock (it always counts), then the rule's later starts at its wall
    clock from about ``wall_low`` on, as UTC datetimes."""
    dtstart_wall = as_utc(detach(event.dtstart))
    walls: Iterable[datetime] = (dtstart_wall,)
    if event.rule is not None:
        walls = itertools.chain(walls, _walls_after(event.rule, dtstart_wall, wall_low))
    return walls


def _rule_starts(
    event: Event,
    rule: RecurrenceRule,
    dtstart: datetime,
    zone: Zone,
    bounds: tuple[datetime, datetime, datetime | None],
    limit: int,
    starts: dict[datetime, datetime],
) -> None:
    """Adds to ``starts`` the rule's instances between ``bounds`` (low and high instants, and
    the last wall time UNTIL allows), keyed by dateutil's value, localised with is_dst=False."""
    low, high, last = bounds
    margin = timedelta(days=1)
    wall_low = shifted(naive_utc(low), -margin)
    wall_high = shifted(naive_utc(high), margin)
    if last is not None:
        wall_high = min(wall_high, last)
    wall_start = dtstart.replace(tzinfo=None)
    walls = rule_instances(
        event,
        replace(rule, until=None),
        wall_start,
        wall_low,
        wall_high,
        limit,
        end_inclusive=True,
        dtstart_always=True,
    )
    for wall in walls:
        assert isinstance(wall, datetime)
        if wall != wall_start:  # DTSTART is in already
            key = (wall - wall_start) + dtstart
            starts.setdefault(key, zone.pytz_localize(wall))


def _oncall_timed(event: Event, low: datetime, high: datetime, limit: int) -> Iterator[Occurrence]:
    dtstart = _oncall_instant(event.start)
    zone = _oncall_zone(event.start)
    if event.end is not None and event.end.kind != "date":
        length = _oncall_instant(event.end) - dtstart
    elif event.end is not None:
        length = midnight(as_date(event.end)) - dtstart
    else:
        length = event.duration if event.duration is not None else timedelta(0)
    search_low = shifted(low, -max(length, timedelta(0)))
    # Each occurrence's start, by dateutil's value (a rule's wall time at DTSTART's offset),
    # which is what it sorts and de-duplicates: two wall times that localise to one instant
    # across a DST gap are two occurrences.
    starts: dict[datetime, datetime] = {dtstart: dtstart}
    rule = event.rule
    until = None if rule is None else _oncall_until(rule, dtstart)
    # recurring-ical-events re-localises starts, and drops those after UNTIL that are not
    # RDATEs, only when the event has a pytz zone: that of its first TZID or UTC value
    # (DTSTART, DTEND, EXDATE, RDATE) in icalendar 5; an all-floating event has none
    pytz_zoned = any(
        when is not None and when.kind in ("utc", "zoned")
        for when in (event.start, event.end, *event.exdates, *(w for w, _ in event.rdates))
    )
    if rule is not None:
        last = None
        if until is not None:
            # dateutil stops past UNTIL: given an hour more and compared at DTSTART's offset
            # in a pytz zone (as oncall.occurrences does), as written for a floating start
            last = until_wall(until, dtstart) if pytz_zoned else naive_utc(until)
        _rule_starts(event, rule, dtstart, zone, (search_low, high, last), limit, starts)
    # an RDATE PERIOD sets the end of every occurrence starting at its instant (the library
    # looks its ends up by start), a series' own one included
    period_ends: dict[datetime, timedelta | When] = {}
    rdates: set[datetime] = set()
    for when, period in event.rdates:
        if when.kind == "date":
            continue
        start = _oncall_instant(when)
        starts[start] = start  # dateutil keeps one of equal values: the RDATE's, read as written
        rdates.add(start)
        if period is not None and not (isinstance(period, When) and period.kind == "date"):
            period_ends[start] = period
    excluded = {_oncall_instant(w) for w in event.exdates if w.kind != "date"}
    for key, start in sorted(starts.items()):
        # dateutil drops an EXDATE equal to its value, the library one equal to the start
        if start in excluded or key in excluded or not search_low <= start <= high:
            continue
        if pytz_zoned and until is not None and start > until and start not in rdates:
            continue
        explicit = period_ends.get(start)
        # the library's end: the start plus the length (at the start's offset), or a PERIOD's
        # end as written (then read in its own zone)
        end_zone = zone
        if isinstance(explicit, When):
            raw_end = _oncall_instant(explicit)
            end_zone = _oncall_zone(explicit)
        else:
            raw_end = start + (length if explicit is None else explicit)
        if raw_end < start:
            field = f"VEVENT[UID={event.uid or '?'}, line {event.line}].DTEND"
            raise start_after_end(field, raw_end.isoformat())
        offset = raw_end.utcoffset()
        assert offset is not None
        end = wall_clock_end(raw_end, offset, end_zone.offset_at(raw_end))
        local_day = start.date()
        yield Occurrence(event, start, end, False, local_day)
