"""Resolution in the ``oncall`` profile: Grafana OnCall's ``_resolve_schedule``, exactly.

From occurrence records (one per occurrence and user) to final events and final-shift rows:
same-start records of one shift merge into one event (§3.2), gaps are detected on the raw
records (§3.3), swaps split events before resolution (§3.4), and the rank sweep of §3.5 keeps
each event's time not taken by events of strictly higher rank. Equal ranks stack, events are
not clipped to the window, and rows are not merged (§3.7).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Final, cast

from .._expand import MAX_OCCURRENCES, too_many_occurrences
from .._model import (
    FinalEvent,
    FinalShift,
    Gap,
    Interval,
    OriginRef,
    ShiftSwap,
    Source,
    Window,
    final_shift_row,
    swapped,
    union_of,
)
from .occurrences import SteadyRun, VEvent, occurrence_spans, steady_runs

__all__ = [
    "OncallEvent",
    "calendar_record",
    "detect_gaps",
    "events_of",
    "gaps_of",
    "merge_records",
    "oncall_event",
    "resolve_calendars",
    "resolve_events",
    "rows_of",
    "sweep_input",
]

_CONTIGUOUS = timedelta(minutes=1)  # OnCall ignores holes shorter than a minute (§3.3)


# An event record as OnCall's resolution sees it: (start, end, users, level, calendar_type,
# shift_id, all_day, missing_users, is_gap, origin), calendar_type 0 for primary, 1 for
# overrides and None for gaps, origin where it came from (None for gaps; a merged record keeps
# its first record's; a cut keeps its event's; a swapped middle adds the swap's mark).
# A plain tuple, not a named one or a dataclass: resolution makes one per
# occurrence and cut, and a plain tuple is three times cheaper to make. It never leaves this
# module (FinalEvent does).
OncallEvent = tuple[
    datetime,
    datetime,
    tuple[str, ...],
    int,
    int | None,
    str | None,
    bool,
    tuple[str, ...],
    bool,
    OriginRef | None,
]
# its fields' positions (Final, so that type checkers know each field's type)
START: Final = 0
END: Final = 1
USERS: Final = 2
LEVEL: Final = 3
CALENDAR_TYPE: Final = 4
SHIFT_ID: Final = 5
ALL_DAY: Final = 6
MISSING_USERS: Final = 7
IS_GAP: Final = 8
ORIGIN: Final = 9
_start = itemgetter(START)
_span = itemgetter(START, END)
_shift_id = itemgetter(SHIFT_ID)
_band_and_shift = itemgetter(CALENDAR_TYPE, LEVEL, SHIFT_ID)
_all_day = itemgetter(ALL_DAY)


def oncall_event(
    start: datetime,
    end: datetime,
    users: tuple[str, ...],
    level: int,
    calendar_type: int | None,
    shift_id: str | None,
    *,
    all_day: bool = False,
    missing_users: tuple[str, ...] = (),
    is_gap: bool = False,
    origin: OriginRef | None = None,
) -> OncallEvent:
    """An :data:`OncallEvent` with its fields named."""
    return (
        start,
        end,
        users,
        level,
        calendar_type,
        shift_id,
        all_day,
        missing_users,
        is_gap,
        origin,
    )


def _event_of(record: Interval) -> OncallEvent:
    return calendar_record(
        record.start,
        record.end,
        record.users,
        record.level,
        record.is_override,
        record.shift_id,
        record.all_day,
        record.missing_users,
        record.source,
        record.origin,
    )


def calendar_record(
    start: datetime,
    end: datetime,
    users: tuple[str, ...],
    level: int,
    is_override: bool,
    shift_id: str | None,
    all_day: bool,
    missing_users: tuple[str, ...],
    source: Source | None,
    origin: OriginRef | None,
) -> OncallEvent:
    """A calendar record as OnCall's resolution sees it, made from its fields
    (``ical.RecordRow``): what :func:`records_of` makes of the Interval with those fields."""
    calendar_type = 1 if is_override else 0
    # oncall_event(start, end, users, level, calendar_type, shift_id, all_day=..., ...), whose
    # keywords cost more than the tuple
    return (
        start,
        end,
        users,
        level,
        calendar_type,
        shift_id,
        all_day,
        missing_users,
        False,
        origin,
    )


def vevent_records(
    events: Iterable[VEvent], window: Window, max_occurrences: int = MAX_OCCURRENCES
) -> list[OncallEvent]:
    """One record per occurrence and user of generated VEVENTs, in calendar order."""
    return _records(events, window, {}, [max_occurrences, max_occurrences])


def _records(
    items: Iterable[OncallEvent | VEvent],
    window: Window,
    runs: dict[str, list[SteadyRun]],
    room: list[int],
) -> list[OncallEvent]:
    """Records as they are and VEVENTs' records, in order; ``runs`` keeps each zone's steady
    runs for the next call; ``room`` is [occurrences still allowed, the limit], shared by the
    calls of one resolution (past the limit, a ValidationError naming the shift)."""
    records: list[OncallEvent] = []
    # records come in long runs (a big calendar's hundreds of thousands): each run at once
    for is_vevent, run in groupby(items, VEvent.__instancecheck__):
        if not is_vevent:
            records += cast(Iterable[OncallEvent], run)
            continue
        for item in run:
            _vevent_records(cast(VEvent, item), window, runs, room, records)
    return records


def _vevent_records(
    item: VEvent,
    window: Window,
    runs: dict[str, list[SteadyRun]],
    room: list[int],
    records: list[OncallEvent],
) -> None:
    """The records of one VEVENT added to ``records`` (see :func:`_records`)."""
    zone_runs = runs.get(item.zone)
    if zone_runs is None:
        zone_runs = runs[item.zone] = steady_runs(item.zone, window)
    # one record per occurrence and user, in that order (a lone user's tuple is reused)
    users = [item.users] if len(item.users) == 1 else [(user,) for user in item.users]
    calendar_type = 1 if item.is_override else 0
    level, shift_id = item.level, item.shift_id
    base, turn = item.origin, item.turn
    spans = occurrence_spans(item, window, zone_runs, room[0])
    room[0] -= len(spans)
    if room[0] < 0:
        raise too_many_occurrences(item.shift_index, room[1])
    if base is None:  # resolve's VEVENTs: no origin (shift_vevents(origins=False))
        records += [
            (start, end, user, level, calendar_type, shift_id, False, (), False, None)
            for start, end in spans
            for user in users
        ]
        return
    records += [
        (
            start,
            end,
            user,
            level,
            calendar_type,
            shift_id,
            False,
            (),
            False,
            (base, start, turn),
        )
        for start, end in spans
        for user in users
    ]


def records_of(intervals: Iterable[Interval]) -> list[OncallEvent]:
    """Occurrence records (e.g. from iCalendar) as OnCall's resolution sees them."""
    return [_event_of(record) for record in intervals]


def detect_gaps(records: Sequence[OncallEvent], window: Window) -> list[OncallEvent]:
    """Gap events of §3.3: none without records or with any all-day record."""
    if not records or any(map(_all_day, records)):
        return []
    gaps: list[OncallEvent] = []
    ordered = sorted(records, key=_start)

    def gap(start: datetime, end: datetime) -> OncallEvent:
        return (start, end, (), 0, None, None, False, (), True, None)

    first_start = ordered[0][START]
    if first_start > window.start:
        gaps.append(gap(window.start, first_start))
    covered_until = ordered[0][END]
    for record in ordered:
        start, end = record[START], record[END]
        if start - covered_until >= _CONTIGUOUS:
            gaps.append(gap(covered_until, start))
        if end > covered_until:
            covered_until = end
    if covered_until < window.end:
        gaps.append(gap(covered_until, window.end))
    return gaps


def merge_records(records: Iterable[OncallEvent]) -> list[OncallEvent]:
    """Sort by start (stable) and merge consecutive same-start records of one shift (§3.2).

    Record by record: looking first whether any two records can merge at all (in C, among
    sorted neighbours or in a set) costs as much as this loop on a big calendar, each a
    pass over records all over memory (measured)."""
    merged: list[OncallEvent] = []
    last: OncallEvent | None = None
    for event in sorted(records, key=_start):
        if (
            last is not None
            and event[SHIFT_ID] is not None
            and last[START] == event[START]
            and last[SHIFT_ID] == event[SHIFT_ID]
        ):
            users = last[USERS] + tuple(u for u in event[USERS] if u not in last[USERS])
            missing = last[MISSING_USERS] + tuple(
                u for u in event[MISSING_USERS] if u not in last[MISSING_USERS]
            )
            start, end, _, level, calendar_type, shift_id, all_day, _, is_gap, origin = last
            last = merged[-1] = (
                start,
                end,
                users,
                level,
                calendar_type,
                shift_id,
                all_day,
                missing,
                is_gap,
                origin,
            )
        else:
            last = event
            merged.append(event)
    return merged


def events_of(records: Sequence[OncallEvent], window: Window) -> list[OncallEvent]:
    """The events resolution starts from: merged records and gaps, by start."""
    events = merge_records(records) + detect_gaps(records, window)
    events.sort(key=_start)
    return events


def apply_swaps(
    events: list[OncallEvent],
    swaps: Sequence[ShiftSwap],
    window: Window,
    now: datetime | None = None,
) -> list[OncallEvent]:
    """Shift swaps of §3.4, in order: split the beneficiary's events, hand the middle over.

    An untaken request that is past due (``now`` after its start) is ignored, as OnCall does;
    without ``now`` every request counts.
    """
    for index, swap in enumerate(swaps):
        if swap.benefactor is None and now is not None and now > swap.swap_start:
            continue
        # OnCall loads the swaps that start before the window and end in or after its start,
        # or that start inside it
        ws, we = window.start, window.end
        if not ((swap.swap_start < ws <= swap.swap_end) or ws <= swap.swap_start <= we):
            continue
        result: list[OncallEvent] = []
        for event in events:
            users = event[USERS]
            # the split is ShiftSwap.split, as in strict; the oncall rules are the swaps
            # loaded above, gaps left alone, an open request splitting too (its middle keeps
            # the beneficiary) and no deduplication of users (strict: _merge.split_for_swaps)
            split = None
            if not event[IS_GAP] and swap.beneficiary in users:
                split = swap.split(event[START], event[END])
            if split is None:
                result.append(event)
                continue
            before, (middle_start, middle_end), after = split
            if before is not None:
                result.append(_with_span(event, *before))
            middle_users = users
            if swap.benefactor is not None:
                middle_users = tuple(
                    swap.benefactor if user == swap.beneficiary else user for user in users
                )
            _, _, _, level, calendar_type, shift_id, all_day, missing, is_gap, origin = event
            result.append(
                (
                    middle_start,
                    middle_end,
                    middle_users,
                    level,
                    calendar_type,
                    shift_id,
                    all_day,
                    missing,
                    is_gap,
                    swapped(origin, index, swap),
                )
            )
            if after is not None:
                result.append(_with_span(event, *after))
        events = result
    return events


def _with_span(event: OncallEvent, start: datetime, end: datetime) -> OncallEvent:
    """``event`` from ``start`` to ``end``."""
    return (start, end, *event[USERS:])


# A band: the events of one rank, (-1 for overrides else 0, -level); sorted, the sweep's order.
# Levels are never negative, so gaps (level 0, not overrides) are in the last band.
Band = tuple[int, int]
GAP_BAND: Final = (0, 0)


def _band(calendar_type: int | None, level: int) -> Band:
    return (-1 if calendar_type == 1 else 0, -level)


class _Sweep:
    """OnCall's ``_resolve_schedule`` (§3.5), step for step, fed one band at a time.

    OnCall keeps one queue sorted by rank (overrides first, then higher level, then start),
    takes events from its head, and puts a cut-off rest (or an event that moved on to the
    next block) back after the queued events of equal rank. A rest keeps its event's rank, so
    the queue is worked through one band of equal (override, level) at a time, each band a
    list sorted by start; and a rest that would go straight back to the head is worked on at
    once. Same steps, same order, less shuffling (tests/oncall_literal.py is the literal
    transcription the tests compare with).

    Like OnCall's, the sweep never ends when a zero-length event starts where a gap starts
    (each moves the shared block cursor back for the other); no such input reaches it, since
    zero-length occurrences are dropped at expansion and gaps never start inside coverage.
    """

    __slots__ = ("blocked", "blocked_upto", "resolved", "window")

    def __init__(self, window: Window) -> None:
        self.window = window
        self.resolved: list[OncallEvent] = []
        self.blocked: list[tuple[datetime, datetime]] = []
        self.blocked_upto = 0  # resolved[:blocked_upto] is in ``blocked``

    def blocks(self) -> list[tuple[datetime, datetime]]:
        """The union of the resolved events' spans (OnCall's blocks)."""
        if self.blocked_upto < len(self.resolved):
            added = map(_span, self.resolved[self.blocked_upto :])
            self.blocked = union_of([*self.blocked, *added])
            self.blocked_upto = len(self.resolved)
        return self.blocked

    def hides_lower_bands(self) -> bool:
        """True when one block covers the window and starts before it. An event of a lower
        band is then cut away whole: a piece before a block is kept only when the block
        starts inside the window, and a rest after the block starts at or after its end."""
        blocks = self.blocks()
        window = self.window
        return len(blocks) == 1 and blocks[0][0] < window.start and blocks[0][1] >= window.end

    def band(self, queue: list[OncallEvent]) -> None:
        """Resolve the events of a band lower than all before (``queue`` is changed)."""
        queue.sort(key=_start)  # stable: equal starts keep their order, as in OnCall's sort
        if not self.unblocked(queue):
            self.cut(queue)

    def unblocked(self, queue: list[OncallEvent]) -> bool:
        """:meth:`cut` of a band that nothing resolved blocks, at once (True), if its events
        are of one (level, calendar type): the blocks are then made once, empty, and every
        event not skipped is kept as it is, in order (a big calendar's one band). Else
        False, and nothing is done. One pass: a big band's events are all over memory."""
        if not queue or self.blocks():
            return not queue
        ws, we = self.window.start, self.window.end
        level, calendar_type = queue[0][LEVEL], queue[0][CALENDAR_TYPE]
        kept: list[OncallEvent] = []
        keep = kept.append
        for event in queue:
            if event[LEVEL] != level or event[CALENDAR_TYPE] != calendar_type:
                return False
            if (event[USERS] or event[IS_GAP]) and event[START] < we and ws < event[END]:
                keep(event)
        self.resolved += kept
        return True

    def cut(self, queue: list[OncallEvent]) -> None:
        """Resolve the events of a band lower than all before, sorted by start, step by step
        (``queue`` is changed)."""
        ws, we = self.window.start, self.window.end
        resolved = self.resolved
        blocked: list[tuple[datetime, datetime]] = []
        blocks = 0  # len(blocked)
        idx = 0
        current_level: int | None = None  # the (level, calendar type) the blocks were made for
        current_type: int | None = -1
        starts = list(map(_start, queue))
        head = 0
        while head < len(queue):
            event = queue[head]
            head += 1
            start, end, users, level, calendar_type, _, _, _, is_gap, _ = event
            if not users and not is_gap:
                continue  # empty events never block lower levels
            if start >= we or end <= ws:
                continue
            if level != current_level or calendar_type != current_type:
                # the blocks are what resolved so far
                blocked = self.blocks()
                blocks = len(blocked)
                idx = 0
                current_level, current_type = level, calendar_type
            # The event against the blocks from idx on; ``start`` moves past them. Where OnCall
            # puts the rest back in the queue, it goes there only when a queued event starts no
            # later (bisect_right); otherwise it would be taken next: go on with it.
            moved = False
            while True:
                if idx >= blocks:
                    resolved.append(_with_span(event, start, end) if moved else event)
                    break
                block_start, block_end = blocked[idx]
                if end <= block_start:
                    resolved.append(_with_span(event, start, end) if moved else event)
                    break
                cut = False  # a rest from this block's end on
                if start < block_start:
                    if block_start >= ws:
                        resolved.append(_with_span(event, start, block_start))
                    if end <= block_end or block_end >= we:
                        break
                    start, moved, cut = block_end, True, True
                elif end <= block_end:
                    break  # covered
                elif start < block_end:
                    start, moved, cut = block_end, True, True
                else:
                    idx += 1
                if head < len(queue) and starts[head] <= start:
                    position = bisect.bisect_right(starts, start, head)
                    starts.insert(position, start)
                    queue.insert(position, _with_span(event, start, end) if moved else event)
                    break
                if start >= we:
                    break  # a rest after the window: OnCall drops it when it comes back
                if cut:
                    # taken at once, the rest starts where the block ends: it moves on to the
                    # next block (the step after this one), and again nothing queued goes first
                    idx += 1

    def result(self, named: bool | None = None) -> list[OncallEvent]:
        """The resolved events, by (start, shift id), ties as resolved (stable sorts);
        ``named``: whether every event has a shift id, if the caller knows."""
        resolved = self.resolved
        if named is None:
            named = None not in map(_shift_id, resolved)
        # by the shift id itself (a key in C) when every event has one (none is a gap)
        resolved.sort(key=_shift_id if named else _shift_id_or_empty)
        resolved.sort(key=_start)
        return resolved


def resolve_events(events: Sequence[OncallEvent], window: Window) -> list[OncallEvent]:
    """OnCall's ``_resolve_schedule`` (§3.5) of ``events`` (merged, with gaps, swapped)."""
    bands: dict[Band, list[OncallEvent]] = {}
    for event in events:
        bands.setdefault(_band(event[CALENDAR_TYPE], event[LEVEL]), []).append(event)
    sweep = _Sweep(window)
    for band in sorted(bands):
        sweep.band(bands[band])
    return sweep.result()


def resolve_calendars(
    calendars: Sequence[tuple[Sequence[OncallEvent], Sequence[VEvent]]],
    window: Window,
    swaps: Sequence[ShiftSwap],
    now: datetime | None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> tuple[OncallEvent, ...]:
    """OnCall's calendars (each its iCalendar records, then its generated VEVENTs) resolved
    over ``window``: records merged (§3.2), gaps (§3.3), swaps (§3.4) and the sweep (§3.5).

    The sweep takes bands from the highest, so each band's VEVENTs are expanded only when it
    is reached; once the resolved events cover the window from before its start, nothing of
    a lower band can show and the records have no gap (they all overlap the window), so the
    bands left are not expanded. Same-start records of one shift merge whatever their band:
    when a shift id is in two bands, every band is expanded first, as OnCall does.
    """
    # OnCall crashes on a VEVENT that ends before it starts, skipped or not: first, in order
    for _, vevents in calendars:
        for vevent in vevents:
            if vevent.dtend < vevent.dtstart:
                occurrence_spans(vevent, window)
    parts: dict[Band, list[OncallEvent | VEvent]] = {}
    band_of_shift: dict[str, Band] = {}
    one_band_per_shift = True
    named = True  # every record has a shift id (and so every resolved event, but gaps)

    def add(item: OncallEvent | VEvent, band: Band, shift_id: str | None) -> None:
        nonlocal one_band_per_shift, named
        parts.setdefault(band, []).append(item)
        named = named and shift_id is not None
        if shift_id is not None and band_of_shift.setdefault(shift_id, band) != band:
            one_band_per_shift = False

    for records, vevents in calendars:
        # a calendar's records come in runs of one event (a big calendar has hundreds of
        # thousands): each run is added at once
        for (calendar_type, level, shift_id), run in groupby(records, _band_and_shift):
            band = _band(calendar_type, level)
            parts.setdefault(band, []).extend(run)
            named = named and shift_id is not None
            if shift_id is not None and band_of_shift.setdefault(shift_id, band) != band:
                one_band_per_shift = False
        for vevent in vevents:
            add(vevent, _band(1 if vevent.is_override else 0, vevent.level), vevent.shift_id)
    if not one_band_per_shift:
        return _resolve_all(calendars, window, swaps, now, max_occurrences)
    sweep = _Sweep(window)
    runs: dict[str, list[SteadyRun]] = {}
    room = [max_occurrences, max_occurrences]
    expanded: list[OncallEvent] = []  # every record so far, for the gaps
    for band in sorted({*parts, GAP_BAND}):
        if sweep.hides_lower_bands():
            break
        records = _records(parts.get(band, ()), window, runs, room)
        expanded += records
        events = merge_records(records)
        if band == GAP_BAND:
            gaps = detect_gaps(expanded, window)
            named = named and not gaps
            events += gaps
            events.sort(key=_start)
        sweep.band(apply_swaps(events, swaps, window, now))
    # A tuple: one of records of atomic values is untracked by CPython's cyclic collector at
    # its first pass, where a list of them (a big calendar's hundreds of thousands) is walked
    # element by element by every full pass while the rows are made (about an eighth of
    # rows_of's time for the all-day rota, measured)
    return tuple(sweep.result(named))


def _resolve_all(
    calendars: Sequence[tuple[Sequence[OncallEvent], Sequence[VEvent]]],
    window: Window,
    swaps: Sequence[ShiftSwap],
    now: datetime | None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> tuple[OncallEvent, ...]:
    """:func:`resolve_calendars` with every VEVENT expanded: OnCall's pipeline as it is."""
    events = sweep_input(calendars, window, swaps, now, max_occurrences)
    return tuple(resolve_events(events, window))


def sweep_input(
    calendars: Sequence[tuple[Sequence[OncallEvent], Sequence[VEvent]]],
    window: Window,
    swaps: Sequence[ShiftSwap],
    now: datetime | None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[OncallEvent]:
    """The events OnCall's sweep starts from, every band expanded: records merged (§3.2),
    gaps (§3.3), swaps applied (§3.4); :func:`resolve_events` of them is
    :func:`resolve_calendars`'s answer. Explain reads the events covering an instant here."""
    records: list[OncallEvent] = []
    room = [max_occurrences, max_occurrences]
    for calendar_records, vevents in calendars:
        records += calendar_records
        records += _records(vevents, window, {}, room)
    return apply_swaps(events_of(records, window), swaps, window, now)


def _shift_id_or_empty(event: OncallEvent) -> str:
    return event[SHIFT_ID] or ""


def final_events(events: Sequence[OncallEvent]) -> tuple[FinalEvent, ...]:
    """The resolved events as public values."""
    return tuple(
        FinalEvent(
            start=start,
            end=end,
            users=users,
            level=level,
            is_override=calendar_type == 1,
            is_gap=is_gap,
            shift_id=shift_id,
            all_day=all_day,
            missing_users=missing_users,
        )
        for (
            start,
            end,
            users,
            level,
            calendar_type,
            shift_id,
            all_day,
            missing_users,
            is_gap,
            _,
        ) in events
    )


def gaps_of(events: Sequence[OncallEvent], window: Window) -> tuple[Gap, ...]:
    """The resolved gap events, clipped to the window."""
    ws, we = window.start, window.end
    return tuple(
        Gap(start=max(event[START], ws), end=min(event[END], we))
        for event in events
        if event[IS_GAP]
    )


def rows_of(events: Sequence[OncallEvent], window: Window) -> tuple[FinalShift, ...]:
    """The final_shifts rows (§3.7): one per (event, user), clipped to the window, not merged."""
    ws, we = window.start, window.end
    # one call per row, one pass: filling columns (final_shift_rows) walks the events once
    # per column, and a big calendar's events, sorted, are all over memory (measured slower)
    return tuple(
        [
            final_shift_row(
                user,
                start if start > ws else ws,
                end if end < we else we,
                level,
                calendar_type == 1,
                shift_id,
            )
            for start, end, users, level, calendar_type, shift_id, _, _, is_gap, _ in events
            if not is_gap
            for user in users
        ]
    )
