"""VEVENT → occurrences, as recurring-ical-events 2.1.0 + pytz yield them (OnCall's engine).

The only code of the ``oncall`` profile that expands a VEVENT (:func:`vevent_starts`, for
OnCall's period search, generated VEVENTs and iCal schedules alike): DTSTART always counts, later
starts keep DTSTART's wall clock and are localised with pytz's ``is_dst=False``, UNTIL is an
instant and the expansion stops an hour past it (at DTSTART's offset), an occurrence's end keeps
the first occurrence's elapsed length as wall-clock length, and a negative length is the
library's assertion (raised as :class:`EngineError`). ``grafana-oncall-semantics.md`` §2.
"""

from __future__ import annotations

import itertools
import operator
import sys
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import lru_cache, partial
from typing import NamedTuple

import pytz

from .._errors import EngineError
from .._expand import earlier, later
from .._model import OriginBase, Window
from .._recurrence import RecurrenceRule, wall_instances
from .._recurrence import fixed_step as _fixed_step  # a module name: tests take it away
from .._tz import NEAR, as_utc, attach_offset, detach, get_zone, naive_utc

__all__ = [
    "LOOKUP_PADDING",
    "SteadyRun",
    "VEvent",
    "after_until",
    "dtstart_counts",
    "expand_starts",
    "occurrence_spans",
    "overlaps",
    "pytz_localize",
    "start_after_end",
    "start_walls",
    "steady_runs",
    "until_wall",
    "vevent_starts",
    "wall_clock_end",
    "zone_offset_at",
]

LOOKUP_PADDING = timedelta(days=16)  # OnCall expands the window ± 16 days (§2.10)
# recurring-ical-events 2.1.0 hands dateutil UNTIL plus an hour, and dateutil compares each
# wall-clock start at DTSTART's offset: the expansion stops at the first wall time past that;
# a start (localised) after UNTIL itself is skipped. With an offset that grew by more than an
# hour since DTSTART (Troll, Samoa), starts before UNTIL are lost that way.
_UNTIL_SLACK = timedelta(hours=1)
# timedelta(days=n) parses keywords on every call; the hot paths multiply these instead
_ZERO, _HOUR, _DAY = timedelta(0), timedelta(hours=1), timedelta(days=1)
_MARGIN = _DAY  # wall bounds around instants: no zone is a day off UTC


@lru_cache(maxsize=256)
def _pytz_zone(name: str) -> pytz.BaseTzInfo:
    # OnCall rewrites Etc/UTC to UTC because dateutil breaks on it; the result is the same.
    return pytz.timezone("UTC" if name.lower() == "etc/utc" else name)


def pytz_localize(wall: datetime, zone: str, *, strict: bool, field: str) -> datetime:
    """``wall`` in ``zone`` the way pytz's ``localize`` does it, as a fixed-offset datetime.

    ``strict`` is ``is_dst=None`` (OnCall's DTSTART/DTEND: nonexistent and ambiguous times
    crash the engine); otherwise ``is_dst=False`` (the expansion library: standard time).
    Unambiguous times, nearly all of them, take the fast zoneinfo path.
    """
    tz = get_zone(zone)
    if tz is UTC:
        return as_utc(wall)
    offset_at = tz.utcoffset
    # tzinfo.utcoffset reads a naive wall time directly; one offset NEAR either side means
    # the wall time is neither skipped nor repeated, and is that offset
    try:  # earlier(wall, NEAR) and later(wall, NEAR), written out: a hot path
        before, after = wall - NEAR, wall + NEAR
    except OverflowError:
        before, after = earlier(wall, NEAR), later(wall, NEAR)
    offset = offset_at(before)
    if offset is not None and offset == offset_at(after):
        return attach_offset(wall, offset)
    pytz_zone = _pytz_zone(zone)
    try:
        aware = pytz_zone.localize(wall, is_dst=None if strict else False)
    except pytz.NonExistentTimeError as exc:
        raise EngineError(
            field, wall.isoformat(), f"NonExistentTimeError: {wall} in {zone}"
        ) from exc
    except pytz.AmbiguousTimeError as exc:
        raise EngineError(
            field, wall.isoformat(), f"AmbiguousTimeError: {wall} in {zone}"
        ) from exc
    offset = aware.utcoffset()
    assert offset is not None
    return attach_offset(wall, offset)


def zone_offset_at(instant: datetime, zone: str) -> timedelta:
    offset = instant.astimezone(get_zone(zone)).utcoffset()
    assert offset is not None
    return offset


class VEvent(NamedTuple):
    """One VEVENT as Grafana OnCall generates it, as a value.

    ``dtstart``/``dtend`` are fixed-offset datetimes (pytz semantics); ``rule`` is ``None`` for
    one-off events; ``rule_until`` is the RRULE UNTIL instant. A named tuple, not a dataclass:
    generation builds one per user and turn, and it never leaves the oncall modules.
    """

    dtstart: datetime
    dtend: datetime
    zone: str
    rule: RecurrenceRule | None
    rule_until: datetime | None
    users: tuple[str, ...]
    level: int
    is_override: bool
    web_source: bool
    rotation_start: datetime  # DTSTAMP: the clipping bound of web-source events (UTC)
    shift_index: int
    shift_id: str
    origin: OriginBase | None = None  # where its occurrences came from (provenance)
    turn: int | None = None  # a rotation's turn in OnCall's queue that this VEVENT holds
    # DTEND is the shift's until, not its start plus duration (§2.1): what a crash names
    until_cut: bool = False


def until_wall(until: datetime, dtstart: datetime) -> datetime:
    """The last naive wall time recurring-ical-events expands to for an RRULE with UNTIL
    ``until`` and DTSTART ``dtstart`` (``_UNTIL_SLACK``): one hour past UNTIL at DTSTART's
    offset."""
    offset = dtstart.utcoffset()
    assert offset is not None
    return naive_utc(until) + _UNTIL_SLACK + offset


def vevent_starts(
    dtstart: datetime,
    dtstart_wall: datetime,
    later_walls: Iterable[datetime],
    localize: Callable[[datetime], datetime],
    until: datetime | None,
    wall_bounds: tuple[datetime, datetime],
    kept: Container[datetime] = (),
) -> Iterator[tuple[datetime, datetime]]:
    """``(wall clock, start)`` of each start recurring-ical-events 2.1.0 + pytz yields for a
    VEVENT, in the rule's order: the one expansion of the ``oncall`` profile (OnCall's period
    search, the generated VEVENTs' hot loop and iCal schedules all read their starts here).

    DTSTART always counts, first (``dtstart``, at ``dtstart_wall``), matching the rule or not.
    Then each of ``later_walls`` (the rule's wall-clock instances, sorted; those not after
    DTSTART's are passed over) within ``wall_bounds`` (inclusive, the callers' low and high;
    the high bound includes where recurring-ical-events stops for UNTIL, :func:`until_wall`),
    localised by ``localize`` (pytz's ``is_dst=False``); a start after ``until`` is skipped,
    not the end (a later wall time may be an earlier instant), unless it is in ``kept`` (an
    iCal event's RDATE instants: the library drops starts after UNTIL that are not RDATEs,
    and a start a DST gap moved onto an RDATE stays beside it). DTSTART after ``until`` drops
    itself and, with nothing ``kept``, every later start. Walls are naive, or wall clocks
    written as UTC datetimes, as the caller's ``localize`` takes them; the caller keeps what
    it needs of the wall (the iCal path keys its starts by dateutil's value, the wall at
    DTSTART's offset).
    """
    if dtstart_counts(dtstart, until):
        yield dtstart_wall, dtstart
    elif not kept:
        return  # and so are the later starts, but for those a DST gap moved onto a kept one
    for wall in start_walls(dtstart_wall, later_walls, wall_bounds):
        start = localize(wall)
        if until is not None and after_until(start, until, kept):
            continue
        yield wall, start


def dtstart_counts(dtstart: datetime, until: datetime | None) -> bool:
    """True when recurring-ical-events yields DTSTART (always, unless after UNTIL)."""
    return until is None or dtstart <= until


def start_walls(
    dtstart_wall: datetime, later_walls: Iterable[datetime], wall_bounds: tuple[datetime, datetime]
) -> Iterator[datetime]:
    """The walls of ``later_walls`` that :func:`vevent_starts` localises: after DTSTART's and
    at or above the low bound, up to the first one past the high bound. Built of itertools
    and operator functions: no Python frame per wall (the hot loop's walls come from here)."""
    wall_low, wall_high = wall_bounds
    # at or above wall_low and after dtstart_wall: one test, the stricter of the two
    if wall_low > dtstart_wall:
        kept = filter(partial(operator.le, wall_low), later_walls)
    else:
        kept = filter(partial(operator.lt, dtstart_wall), later_walls)
    return itertools.takewhile(partial(operator.ge, wall_high), kept)


def after_until(start: datetime, until: datetime, kept: Container[datetime] = ()) -> bool:
    """True when recurring-ical-events drops ``start`` for the VEVENT's UNTIL: a start after
    UNTIL, unless it is in ``kept``."""
    return start > until and start not in kept


def expand_starts(
    rule: RecurrenceRule | None,
    dtstart: datetime,
    zone: str,
    until: datetime | None,
    low: datetime,
    high: datetime,
) -> Iterator[datetime]:
    """Occurrence starts of a VEVENT in ``[low, high]``, as recurring-ical-events yields them
    (:func:`vevent_starts`, localised in the named ``zone``), up to the first later start
    after ``high``."""
    wall_low = earlier(naive_utc(low), _MARGIN)  # at the ends of time: those ends
    wall_high = later(naive_utc(high), _MARGIN)
    if until is not None:
        wall_high = min(wall_high, until_wall(until, dtstart))
    dtstart_wall = detach(dtstart)
    rule_walls = () if rule is None else _walls_after(rule, dtstart_wall, wall_low)
    starts = vevent_starts(
        dtstart,
        dtstart_wall,
        rule_walls,
        lambda wall: pytz_localize(wall, zone, strict=False, field=""),
        until,
        (wall_low, wall_high),
    )
    if next(starts, None) is None:
        return
    if low <= dtstart <= high:
        yield dtstart  # DTSTART always counts, matching the rule or not
    try:
        for _, start in starts:
            if start < low:
                continue
            if start > high:
                return
            yield start
    except OverflowError:  # the rule's next wall time would be after 9999
        return


# A run of steady offset: wall-clock times in [start, end), written as UTC datetimes with the
# wall clock's digits (so that ``wall - offset`` is the instant), none skipped or repeated,
# and the offset all of them take.
SteadyRun = tuple[datetime, datetime, timedelta]
_SAMPLE_STEP = _DAY  # no change of offset is longer; two steps fit between changes (_tz)
_NO_RUN: SteadyRun = (datetime.max.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), _ZERO)
_BEFORE_RUNS = datetime.min.replace(tzinfo=UTC)
_LAST_READING = datetime.max - 2 * LOOKUP_PADDING - 4 * _SAMPLE_STEP


def steady_runs(zone_name: str, window: Window) -> list[SteadyRun]:
    """The runs of steady offset of a zone around ``window`` (OnCall's padded range, and the
    ends of occurrences that start in it), sorted and disjoint.

    The zone's offset is read every day. Three equal readings in a row mean that no change
    touches the first day: its wall-clock span (a skipped or repeated stretch, at most a day)
    would end before the third reading and leave the new offset there, and two changes never
    fit in three days (``_tz``). Walls outside the runs take the careful path.
    """
    zone = get_zone(zone_name)
    if zone is UTC:
        return [(_BEFORE_RUNS, _NO_RUN[0], _ZERO)]
    low = earlier(naive_utc(window.start), LOOKUP_PADDING + _MARGIN)
    # readings go two steps past high: they must exist
    high = min(naive_utc(window.end), _LAST_READING) + 2 * LOOKUP_PADDING + _MARGIN
    # readings at low, low + step, ... up to two steps past high (timedelta * int is slow)
    offset_at = zone.utcoffset
    # (map, compress: loops in C, no Python step per day; a resolution reads a year or more)
    walls = itertools.accumulate(
        itertools.repeat(_SAMPLE_STEP, (high - low) // _SAMPLE_STEP + 2), operator.add, initial=low
    )
    readings = list(map(offset_at, walls))
    # Reading k starts a steady stretch when k + 1 and k + 2 read the same: all k but those
    # just before and at a change (reading c differs from reading c + 1).
    differs = map(operator.ne, readings, itertools.islice(readings, 1, None))
    changes = list(itertools.compress(itertools.count(), differs))
    runs: list[SteadyRun] = []
    first = 0
    for last in [change - 1 for change in changes] + [len(readings) - 2]:
        if last > first:  # steady from reading first to reading last
            offset = readings[first]
            assert offset is not None
            runs.append(
                (as_utc(low + _SAMPLE_STEP * first), as_utc(low + _SAMPLE_STEP * last), offset)
            )
        first = last + 2
    return runs


def start_after_end(field: str, end: str) -> EngineError:
    """recurring-ical-events asserts start <= end on every occurrence it looks at: OnCall's
    crash, for a generated VEVENT and an imported one alike (``end`` names the culprit)."""
    return EngineError(field, end, "AssertionError: the event must start before it ends")


def wall_clock_end(end: datetime, start_offset: timedelta, end_offset: timedelta) -> datetime:
    """An occurrence's end as OnCall keeps it: the first occurrence's elapsed length is kept as
    wall-clock length (PR #5266), so ``end`` (start plus that length) moves by the change of
    offset between the start (``start_offset``) and the end (``end_offset``), if any."""
    return end - (end_offset - start_offset)


def _crash_if_expanded(event: VEvent, window: Window, length: timedelta) -> None:
    """The crash of a VEVENT that ends before it starts, if recurring-ical-events looks at one
    of its occurrences: from midnight (UTC) of the padded window's first day, moved by the
    (negative) length when that is after DTSTART, to the padded window's end."""
    # near the years 1 and 9999 the bounds stop at the ends of time (OnCall's own sums there
    # overflow; what it would look at is everything up to those ends)
    low = naive_utc(earlier(window.start, LOOKUP_PADDING))
    low = as_utc(datetime.combine(low.date(), time()))
    if low > event.dtstart:
        low = later(low, -length)
    high = later(window.end, LOOKUP_PADDING)
    for _ in expand_starts(event.rule, event.dtstart, event.zone, event.rule_until, low, high):
        # the culprit: the until that made DTEND, else the (negative) duration
        field = f"shifts[{event.shift_index}].{'until' if event.until_cut else 'duration'}"
        raise start_after_end(field, detach(event.dtend).isoformat())


def occurrence_spans(
    event: VEvent, window: Window, runs: Sequence[SteadyRun] = (), limit: int = sys.maxsize
) -> list[tuple[datetime, datetime]]:
    """``(start, end)`` (UTC) of each occurrence of ``event`` that OnCall keeps for ``window``;
    the first ``limit + 1`` of them at most (memory stays bounded for a caller that refuses
    more than ``limit``).

    The hot loop of the oncall profile: the starts are the one expansion's
    (:func:`vevent_starts`), on wall-clock times written as UTC datetimes (``wall - offset``
    is then the instant, with no conversion), localised with offsets from ``runs``
    (:func:`steady_runs` of the event's zone) where they hold; the rules
    are §2.2's. Its phases: the crashes and empty answers (here), the bounds
    (:func:`_start_bounds`), the starts, then per start its end, with the careful paths near a
    change of offset (:func:`_careful_offset`, :func:`_careful_end`) out of the loop.
    """
    length = event.dtend - event.dtstart
    if length < _ZERO:
        _crash_if_expanded(event, window, length)
        return []
    zone = get_zone(event.zone)
    ws, we = window.start, window.end
    lowest, highest, wall_low, wall_high = _start_bounds(event, window, length)
    point = ws == we
    clip = event.rotation_start if event.web_source else None
    until = event.rule_until
    # DTSTART's own rule (it always counts, unless after UNTIL: then nothing does)
    if until is not None and not dtstart_counts(event.dtstart, until):
        return []  # and so are the later starts (:func:`vevent_starts`)
    plain = _plain_arithmetic(lowest, highest, length)
    walls = _event_walls(event, wall_low, wall_high, plain)
    # The localisation: walls come sorted, so the runs are walked once, in step; a wall in a
    # run takes its offset (and ``steady_end``, the run's end: an end before it is in the same
    # run, and stays on the cheap path), any other the careful path's (_careful_offset). The
    # steady run of the last wall localised is kept in locals (``kept_*``): a later wall inside
    # it takes that offset by a comparison; a run near the year 1 is not kept (``wall -
    # offset`` could pass the first instant, which the walk handles). tests/test_perf_paths.py
    # holds this to the walk for every wall. (Written out: an object per VEVENT and a method
    # call per run were a good part of a VEVENT's cost, and OnCall makes one per user and turn.)
    remaining = iter(runs)
    run_start = run_end = kept_low = kept_high = _BEFORE_RUNS
    run_offset = kept_offset = _ZERO
    spans = []
    try:
        for wall in walls:
            if kept_low <= wall < kept_high:
                offset = kept_offset
                steady_end = kept_high
                start = wall - offset
            else:
                while wall >= run_end:
                    run_start, run_end, run_offset = next(remaining, _NO_RUN)
                if run_start <= wall:
                    offset = run_offset
                    steady_end = run_end
                    if run_start > _SAFE_LOW:
                        kept_low, kept_high, kept_offset = run_start, run_end, offset
                else:
                    steady_end = _BEFORE_RUNS
                    offset = _careful_offset(wall, event.zone)
                try:
                    start = wall - offset
                except OverflowError:  # before the year 1 in UTC: from the first instant
                    start = _BEFORE_RUNS
            if until is not None and after_until(start, until):
                continue
            if start < lowest:
                continue
            if start > highest:
                break
            if plain:
                end = start + length
                end_wall = end + offset
            else:
                end = later(start, length)
                end_wall = later(end, offset)
            if not end_wall < steady_end:  # else in the start's run
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
        pass  # the rule's next wall time would be after the year 9999
    return spans


def _event_walls(
    event: VEvent, wall_low: datetime, wall_high: datetime, plain: bool
) -> Iterable[datetime]:
    """The wall clocks (as UTC datetimes) :func:`occurrence_spans` localises: DTSTART's, if
    at or above ``wall_low``, then the rule's later ones (:func:`start_walls`), sorted."""
    dtstart_wall = as_utc(detach(event.dtstart))
    rule_walls: Iterable[datetime] = ()
    filtered = True  # every wall of rule_walls is after DTSTART's and at or above wall_low
    if event.rule is not None:
        rule_walls, filtered = _walls_from(event.rule, dtstart_wall, wall_low)
    walls: Iterable[datetime] = rule_walls
    if not (filtered and event.rule_until is None and plain):
        walls = start_walls(dtstart_wall, rule_walls, (wall_low, wall_high))
    # else start_walls would keep them all: the loop stops at the first start past highest,
    # before the walls pass wall_high (a day later, and no offset is a day); held equal by
    # tests/test_perf_paths.py
    if dtstart_wall >= wall_low:
        # DTSTART read like the later starts (a DTSTART OnCall could write is neither skipped
        # nor repeated, so this is its own offset, and never after UNTIL: the caller's test)
        walls = itertools.chain((dtstart_wall,), walls)
    return walls


_SAFE_LOW = _BEFORE_RUNS + 2 * _DAY  # past it, adding or taking an offset cannot overflow
_SAFE_HIGH = _NO_RUN[0] - 2 * _DAY


def _plain_arithmetic(lowest: datetime, highest: datetime, length: timedelta) -> bool:
    """True when every start in ``[lowest, highest]``, its end (``length`` later) and their
    walls (an offset, less than a day, away) are within the years 1-9999: then ``+`` needs
    none of :func:`later`'s care at the edges."""
    return lowest > _SAFE_LOW and highest < _SAFE_HIGH and length < _SAFE_HIGH - highest


def _start_bounds(
    event: VEvent, window: Window, length: timedelta
) -> tuple[datetime, datetime, datetime, datetime]:
    """The instants a kept start lies between, and the wall clocks (as UTC datetimes) the
    rule's starts are looked for between: ``(lowest, highest, wall_low, wall_high)``.

    OnCall looks at starts in the padded window, then keeps what overlaps the window. The
    padding only serves modified instances, which generated VEVENTs never have: starts a day
    (more than any change of offset) beyond what can overlap the window are enough. The wall
    bounds are a day wider than the instants, and stop where recurring-ical-events stops for
    UNTIL (:func:`until_wall`).
    """
    try:  # plain sums, unless one passes the year 1 or 9999 (then earlier/later clamp)
        lowest = window.start - length - _MARGIN
        highest = window.end + _MARGIN
        wall_low, wall_high = lowest - _MARGIN, highest + _MARGIN
    except OverflowError:
        lowest = earlier(earlier(window.start, length), _MARGIN)
        highest = later(window.end, _MARGIN)
        wall_low, wall_high = earlier(lowest, _MARGIN), later(highest, _MARGIN)
    until = event.rule_until
    if until is not None:
        wall_high = min(wall_high, as_utc(until_wall(until, event.dtstart)))
    return lowest, highest, wall_low, wall_high


def _careful_offset(wall: datetime, zone: str) -> timedelta:
    """The offset of a start near a change of offset, perhaps in its gap or fold: as
    recurring-ical-events localises it (pytz's is_dst=False; DTSTART is never skipped or
    repeated, or OnCall would have crashed writing it, so this gives its own offset)."""
    offset = pytz_localize(naive_utc(wall), zone, strict=False, field="").utcoffset()
    assert offset is not None
    return offset


def _careful_end(end: datetime, end_wall: datetime, offset: timedelta, zone: tzinfo) -> datetime:
    """:func:`wall_clock_end` of an occurrence whose end is outside its start's steady run:
    ``end`` unless the offset near ``end_wall`` differs from the start's ``offset``."""
    offset_at = zone.utcoffset
    naive_end = naive_utc(end_wall)
    if offset_at(earlier(naive_end, NEAR)) == offset_at(later(naive_end, NEAR)) == offset:
        return end
    end_offset = end.astimezone(zone).utcoffset()
    assert end_offset is not None
    return wall_clock_end(end, offset, end_offset)


def _walls_after(rule: RecurrenceRule, dtstart: datetime, low: datetime) -> Iterator[datetime]:
    """The wall-clock instances of ``rule`` after ``dtstart``, sorted, from about ``low`` on
    (a few earlier ones may come: callers filter). ``dtstart`` and ``low`` are naive, or both
    wall clocks written as UTC datetimes, and so are the instances. Past the year 9999, where
    dateutil stops, comes an OverflowError: callers stop there."""
    return _walls_from(rule, dtstart, low)[0]


def _walls_from(
    rule: RecurrenceRule, dtstart: datetime, low: datetime
) -> tuple[Iterator[datetime], bool]:
    """:func:`_walls_after`, and True when every one of them is after ``dtstart`` and at or
    above ``low`` (a fixed step from the first at or after ``low``): no need to filter."""
    try:
        step = _fixed_step(rule, dtstart)
        if step is not None:
            # the first step at or after low (a search starts at DTSTART: no need to divide),
            # then every step by addition (timedelta * int and // go through Python integers)
            first = dtstart + (step if dtstart >= low else step * -((dtstart - low) // step))
    except OverflowError:  # the next instance is after 9999, where dateutil stops: none
        return iter(()), True
    if step is None:
        if dtstart.tzinfo is not None:
            naive = _walls_after(rule, naive_utc(dtstart), naive_utc(low))
            return map(as_utc, naive), False
        # the rule's own instances include DTSTART when it matches
        walls = itertools.dropwhile(dtstart.__ge__, wall_instances(rule, dtstart, after=low))
        return walls, False
    return itertools.accumulate(itertools.repeat(step), operator.add, initial=first), True


def overlaps(window: Window, start: datetime, end: datetime) -> bool:
    """recurring-ical-events' span test (both bounds of a point window inclusive)."""
    if start == end:
        if window.start == window.end:
            return start == window.start
        return window.start <= start < window.end
    if window.start == window.end:
        return start <= window.start < end
    return start < window.end and window.start < end
