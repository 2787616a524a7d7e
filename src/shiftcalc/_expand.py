"""Expansion in the ``strict`` profile: shift definitions to ``[start, end)`` intervals.

The contract is DESIGN.md's "strict profile". In short: every wall-clock value of a shift
(``start``, ``rotation_start``, ``until``) is read in one zone (the shift's, else the
schedule's); occurrences follow RFC 5545 on that wall clock (DTSTART counts only when it matches
the rule); turns are assigned by arithmetic on the period index, never by walking from
``start``; ``until`` clips; an empty group's turn is an empty slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import islice
from typing import Literal

from ._errors import OccurrenceLimitError
from ._merge import Span
from ._model import WEEKDAYS, Interval, OriginBase, Rank, Schedule, Shift, Window, rank_of
from ._recurrence import RecurrenceRule, wall_instances
from ._rotation import recurrence_rule, rotation_queue
from ._tz import NEAR, STEADY_SPAN, as_utc, get_zone, localize, wall_clock

__all__ = [
    "MAX_OCCURRENCES",
    "DurationMode",
    "earlier",
    "expand_shift",
    "expand_strict",
    "later",
    "one_off_spans",
    "rule_spans",
    "spans",
    "strict_spans",
    "too_many_occurrences",
    "wall_or_edge",
]

DurationMode = Literal["wall", "elapsed"]

_NAIVE_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # as_utc(t) is _UTC_EPOCH + (t - _NAIVE_EPOCH)

MAX_OCCURRENCES = 1_000_000
"""The default cap on the occurrences one resolution expands (``max_occurrences``): a million
rows are a few hundred megabytes; an hourly rotation over a century is about 877,000."""


def too_many_occurrences(index: int, limit: int) -> OccurrenceLimitError:
    """The error of a resolution whose shifts expand to more than ``limit`` occurrences; the
    shift at ``index`` is the one that went past it."""
    return OccurrenceLimitError(
        f"shifts[{index}]",
        limit,
        f"the window holds more than {limit} occurrences (max_occurrences): "
        "ask for a shorter window or raise the limit",
    )


_MARGIN = timedelta(days=1)  # wall-clock bounds around instants: no zone is a day off UTC
_ZERO, _HOUR, _DAY = timedelta(0), timedelta(hours=1), timedelta(days=1)
_MIN_UTC, _MAX_UTC = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)


# Bounds and margins are computed with these near the years 1 and 9999: nothing exists before
# the first or after the last representable time, so a bound past them is that time. (A try
# costs nothing when it does not raise, and the hot loops use them.)
def earlier(value: datetime, delta: timedelta) -> datetime:
    """``value - delta``, or the first time of ``value``'s kind when that is before it."""
    try:
        return value - delta
    except OverflowError:
        edge = datetime.min if delta > _ZERO else datetime.max
        return edge.replace(tzinfo=value.tzinfo)


def later(value: datetime, delta: timedelta) -> datetime:
    """``value + delta``, or the last time of ``value``'s kind when that is after it."""
    try:
        return value + delta
    except OverflowError:
        edge = datetime.max if delta > _ZERO else datetime.min
        return edge.replace(tzinfo=value.tzinfo)


def wall_or_edge(instant: datetime, zone: tzinfo) -> datetime:
    """:func:`wall_clock`, or the first (last) wall time for an instant whose wall-clock
    reading is before year 1 (after 9999)."""
    try:
        return wall_clock(instant, zone)
    except OverflowError:
        return datetime.min if instant.year == 1 else datetime.max


def _utc_or_edge(aware: datetime) -> datetime:
    """``aware`` in UTC, or the first (last) UTC instant when it is before (after) them."""
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        return _MIN_UTC if aware.year == 1 else _MAX_UTC


def shift_rule(shift: Shift) -> RecurrenceRule | None:
    """The RFC 5545 rule of a shift's occurrences (``None`` for one-off shifts).

    A daily rotation with ``by_day`` recurs on every selected day: its ``interval`` counts
    selected days per turn, not days between occurrences (DESIGN.md).
    """
    if shift.frequency is None or shift.type in ("single_event", "override"):
        return None
    interval = shift.interval or 1
    if shift.type == "rolling_users" and shift.frequency == "daily" and shift.by_day:
        interval = 1
    return recurrence_rule(shift, interval=interval, week_start="MO")


def _turn_counter(shift: Shift) -> Callable[[datetime], int]:
    """The turn (0 for the first) of an occurrence of a rolling-users ``shift`` starting at a
    wall time: occurrences fall every I periods (I the interval), so it is the index of the
    wall time's period, counted from the first occurrence's, over I. Periods are whole hours,
    days, weeks from ``week_start`` or calendar months; for a daily rotation with ``by_day``
    they are the selected days in ``[the first occurrence's day, the wall time's day)``, so
    each turn gets I selected days.

    Counting from the first occurrence, not from ``start``'s period, gives the first
    occurrence to the group ``start_rotation_from_user_index`` names also when ``start`` is no
    occurrence (a Wednesday start of a Monday rotation); occurrences fall every I periods from
    ``start``'s, so they still fall every I periods from the first one's.

    What does not depend on the wall time is worked out once per shift; days count by
    ordinal, and the division is in the one closure (it runs once per occurrence).
    """
    start = _first_occurrence(shift)
    interval = shift.interval or 1
    if shift.frequency == "hourly":
        floor = start.replace(minute=0, second=0, microsecond=0)
        return lambda wall: (wall - floor) // _HOUR // interval
    first_day = start.toordinal()
    if shift.frequency == "daily" and shift.by_day:
        selected = {WEEKDAYS.index(day) for day in shift.by_day}
        # prefix[r]: selected days among the first r days of a week starting on start's weekday
        prefix = [0]
        for offset in range(7):
            prefix.append(prefix[-1] + ((start.weekday() + offset) % 7 in selected))
        per_week = len(selected)

        def selected_days(wall: datetime) -> int:
            weeks, rest = divmod(wall.toordinal() - first_day, 7)
            return (weeks * per_week + prefix[rest]) // interval

        return selected_days
    if shift.frequency == "daily":
        return lambda wall: (wall.toordinal() - first_day) // interval
    if shift.frequency == "weekly":
        week_start = WEEKDAYS.index(shift.week_start or "MO")
        first_week = first_day - (start.weekday() - week_start) % 7
        return lambda wall: (wall.toordinal() - first_week) // 7 // interval
    return lambda wall: ((wall.year - start.year) * 12 + wall.month - start.month) // interval


@lru_cache(maxsize=1024)
def _first_occurrence(shift: Shift) -> datetime:
    """The wall time of a shift's first occurrence (``start`` when its rule has none): where
    its turns count from. Memoised, as :func:`origin_base` is: a stream asks once per chunk,
    and proving a rare rule empty may scan to the year 9999 (DESIGN, "Recurrence engine
    decisions")."""
    rule = shift_rule(shift)
    if rule is None:
        return shift.start
    return next(wall_instances(rule, shift.start, after=shift.start), shift.start)


def _first_group(shift: Shift) -> int:
    """The group of a rotation's first turn: the start index modulo the groups."""
    return (shift.start_rotation_from_user_index or 0) % max(len(shift.rolling_users), 1)


@lru_cache(maxsize=1024)
def origin_base(shift: Shift, index: int) -> OriginBase:
    """What every occurrence of ``shift`` (at ``index``) has in its origin: for a rotation,
    turn t's group is (t + start_rotation_from_user_index) mod N (strict reads the start
    index modulo the groups; validation keeps it in range anyway).

    Memoised (a pure function of frozen values): a resolution makes one per shift, and a
    new object per shift and resolution costs the cyclic collector a pass (DESIGN, Speed)."""
    groups: tuple[int, ...] = ()
    if shift.type == "rolling_users" and shift.rolling_users:
        groups = tuple(rotation_queue(range(len(shift.rolling_users)), _first_group(shift)))
    return OriginBase(
        kind="shift", shift_index=index, shift_id=shift.id or f"shift-{index}", groups=groups
    )


def expand_shift(
    shift: Shift,
    zone_name: str,
    window: Window,
    *,
    index: int = -1,
    durations: DurationMode = "wall",
) -> Iterator[Interval]:
    """The intervals of one shift that overlap ``window``, in start order."""
    base = origin_base(shift, index)
    shift_id = base.shift_id
    for start, end, users, turn in spans(shift, zone_name, window, durations=durations):
        yield Interval(
            start=start,
            end=end,
            users=users,
            level=shift.level,
            is_override=shift.is_override,
            shift_index=index,
            shift_id=shift_id,
            source=shift.source,
            origin=base.at(start, turn),
        )


ShiftSpan = tuple[datetime, datetime, tuple[str, ...], int | None]


def spans(
    shift: Shift, zone_name: str, window: Window, *, durations: DurationMode = "wall"
) -> Iterator[ShiftSpan]:
    """``(start, end, users, turn)`` of each occurrence of ``shift`` overlapping ``window``
    (UTC; ``turn`` for rotations, else None). ``start`` is the occurrence's own start: only
    ``end`` is clipped (by ``until``).

    A one-off shift without ``until`` (an override, a single event) has one occurrence, at its
    start: it is placed directly (:func:`one_off_spans`), without the rule's setup."""
    if shift.until is None and shift.type in ("single_event", "override"):
        return iter(one_off_spans(shift, zone_name, window, durations == "elapsed"))
    return rule_spans(shift, zone_name, window, durations=durations)


def _override_users(shift: Shift) -> tuple[str, ...]:
    """Who an override puts on call: every user it lists (OnCall itself keeps only the first
    group), else its ``users``."""
    if shift.type == "override" and shift.rolling_users:
        return tuple(dict.fromkeys(user for group in shift.rolling_users for user in group))
    return shift.users


def one_off_spans(shift: Shift, zone_name: str, window: Window, elapsed: bool) -> list[ShiftSpan]:
    """:func:`rule_spans` of a shift without a rule or ``until``: its one occurrence, at
    ``start``, if it overlaps ``window`` (none when ``rotation_start`` is after ``start``).
    tests/test_cost_per_row.py holds it to rule_spans."""
    wall = shift.start
    if shift.rotation_start is not None and wall < shift.rotation_start:
        return []
    zone = get_zone(zone_name)
    duration = shift.duration
    offset = zone.utcoffset(wall)
    assert offset is not None
    try:
        start = _UTC_EPOCH + (wall - offset - _NAIVE_EPOCH)
        end = start + duration
        if not elapsed and (
            zone.utcoffset(wall + duration) != offset
            or (
                duration > STEADY_SPAN
                and zone.utcoffset(earlier(wall, NEAR)) != zone.utcoffset(later(wall, NEAR))
            )
        ):
            moved = start.astimezone(zone).replace(tzinfo=None) - wall  # as in rule_spans
            end = (wall + duration + moved).replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        start, end = _edge_span(wall, offset, duration)
    if start >= window.end or end <= start or end <= window.start:
        return []
    return [(start, end, _override_users(shift), None)]


def rule_spans(
    shift: Shift, zone_name: str, window: Window, *, durations: DurationMode = "wall"
) -> Iterator[ShiftSpan]:
    """:func:`spans` of any shift, through its rule's walls (one-off shifts: their start)."""
    zone = get_zone(zone_name)
    rule = shift_rule(shift)
    until = None if shift.until is None else _utc_or_edge(localize(shift.until, zone))
    rotation_start = shift.effective_rotation_start
    duration = shift.duration
    wall_low = earlier(earlier(wall_or_edge(window.start, zone), duration), _MARGIN)
    wall_high = later(wall_or_edge(window.end, zone), _MARGIN)
    if rule is None:
        walls: Iterable[datetime] = [shift.start] if wall_low <= shift.start <= wall_high else []
    else:
        walls = wall_instances(rule, shift.start, after=max(wall_low, shift.start))
    turn_of = _turn_counter(shift) if shift.type == "rolling_users" else None
    queue = rotation_queue(shift.rolling_users, _first_group(shift))
    groups = len(queue)
    users = _override_users(shift)
    elapsed = durations == "elapsed"
    # equal offsets at both ends of a longer span may hide two changes (_tz)
    long = duration > STEADY_SPAN
    window_start, window_end = window.start, window.end
    lowest = max(wall_low, rotation_start)
    # tzinfo.utcoffset reads a naive wall time directly; RFC 5545 §3.3.5 is its fold 0: a
    # skipped time takes the offset before the gap
    offset_at = zone.utcoffset
    for wall in walls:
        if wall > wall_high:
            break
        if wall < lowest:
            continue
        offset = offset_at(wall)
        assert offset is not None
        try:
            start = _UTC_EPOCH + (wall - offset - _NAIVE_EPOCH)  # as_utc, without a call
            if elapsed:
                end = start + duration
            else:
                end_wall = wall + duration
                if offset_at(end_wall) != offset or (
                    long and offset_at(earlier(wall, NEAR)) != offset_at(later(wall, NEAR))
                ):
                    # a DST change in between, or a start in a gap: the careful way, where a
                    # start that a DST gap moved forward moves its end with it (with equal
                    # offsets at both ends and a start in no gap, it gives start + duration)
                    moved = start.astimezone(zone).replace(tzinfo=None) - wall
                    end = (end_wall + moved).replace(tzinfo=zone).astimezone(UTC)
                else:
                    end = start + duration
        except OverflowError:
            # within a day of the years 1 or 9999: the instants past them are cut off
            start, end = _edge_span(wall, offset, duration)
        if start >= window_end or (until is not None and start >= until):
            # Later starts are later still, unless a DST gap begins within a day: a time in a
            # gap takes the offset before it, so a later wall time can come out earlier (an
            # hourly shift across Troll's two-hour gap, Samoa's skipped day)
            if offset_at(later(wall, _DAY)) == offset:
                break
            continue
        if until is not None:
            end = min(end, until)
        if end <= start or end <= window_start:
            continue
        if turn_of is None:
            yield start, end, users, None
        elif queue:
            turn = turn_of(wall)
            yield start, end, queue[turn % groups], turn  # turn_group, without a call
        else:
            yield start, end, (), None


def _edge_span(
    wall: datetime, offset: timedelta, duration: timedelta
) -> tuple[datetime, datetime]:
    """An occurrence's ``(start, end)`` in UTC at a steady ``offset``, cut to the instants that
    exist: one starting before year 1 in UTC starts at its first instant, one ending after
    9999 ends at its last (no zone changes its offset within a day of either)."""
    start = as_utc(earlier(wall, offset)) if offset > _ZERO else as_utc(later(wall, -offset))
    return start, later(start, duration)


def strict_spans(
    schedule: Schedule,
    window: Window,
    *,
    durations: DurationMode = "wall",
    max_occurrences: int = MAX_OCCURRENCES,
    leave_hidden: bool = False,
    origins: bool = True,
) -> list[Span]:
    """The merger's view of every occurrence of the schedule's shifts overlapping ``window``,
    each with its origin (``origins``; else None: rows and the timeline never read them).

    Raises a ValidationError naming the shift past which there are more than
    ``max_occurrences``, having expanded at most one more.

    ``leave_hidden`` (for the merger, when these spans are all it merges) expands the shifts by
    rank, highest first (schedule order within a rank), and stops before a lower rank once one
    shift's occurrences, with users, cover the whole window without a hole (a 24×7 rotation):
    the merger's best rank is then that shift's or higher at every instant, so no lower rank
    owns a piece and there is no gap; the merger's answer is the same without them.
    """
    shifts = schedule.shifts
    ranks = [rank_of(shift.is_override, shift.level) for shift in shifts]
    order: Iterable[int] = range(len(shifts))
    if leave_hidden:
        order = sorted(order, key=ranks.__getitem__, reverse=True)  # stable: schedule order
    found: list[Span] = []
    covered_by: Rank | None = None  # the rank of a shift that covers the window alone
    for index in order:
        shift, rank = shifts[index], ranks[index]
        if covered_by is not None and rank < covered_by:
            break  # this rank and every one after it are hidden
        zone = shift.time_zone or schedule.time_zone
        room = max_occurrences - len(found) + 1
        found_here = islice(spans(shift, zone, window, durations=durations), room)
        mine: list[Span]
        if origins:
            base = origin_base(shift, index)
            mine = [
                (start, end, users, rank, (), (base, start, turn))
                for start, end, users, turn in found_here
            ]
        else:
            mine = [(start, end, users, rank, (), None) for start, end, users, _ in found_here]
        found += mine
        if len(found) > max_occurrences:
            raise too_many_occurrences(index, max_occurrences)
        if leave_hidden and covered_by is None and _covers(mine, window):
            covered_by = rank
    return found


def _covers(found: Sequence[Span], window: Window) -> bool:
    """Whether ``found`` (one shift's spans, in start order) chain with users from the window's
    start to its end. Spans out of order only make it answer False, never wrongly True."""
    reach = window.start
    for start, end, users, _, _, _ in found:
        if start > reach or not users:
            return False
        if end > reach:
            reach = end
            if reach >= window.end:
                return True
    return False


def expand_strict(
    schedule: Schedule,
    window: Window,
    *,
    durations: DurationMode = "wall",
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[Interval]:
    """Every interval of the schedule's shifts overlapping ``window`` (strict profile); at
    most ``max_occurrences`` (:func:`strict_spans`)."""
    intervals: list[Interval] = []
    for index, shift in enumerate(schedule.shifts):
        zone = shift.time_zone or schedule.time_zone
        room = max_occurrences - len(intervals) + 1
        found = expand_shift(shift, zone, window, index=index, durations=durations)
        intervals.extend(islice(found, room))
        if len(intervals) > max_occurrences:
            raise too_many_occurrences(index, max_occurrences)
    return intervals
