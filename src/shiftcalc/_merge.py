"""The sweep-line merger of the ``strict`` profile.

At every instant the on-call users are those of the highest-ranked *non-empty* layer active
then (overrides rank above every level; equal ranks stack). One sweep over the sorted interval
boundaries gives the timeline as pieces of constant ownership; final shifts are, per user, the
maximal runs of pieces that user owns, and gaps are the pieces nobody owns.

Cost: O(n log n) for the sort plus O(n · r) for the sweep, where r is the number of distinct
ranks active at once (a handful in practice). Where every interval names users, rows and gaps
are painted rank by rank instead (:func:`rows_and_gaps`), the same answer with less work per
interval. The result depends only on the set of intervals, never on their order: owners are
sorted, and rows are sorted by (start, end, user).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import repeat
from operator import eq, itemgetter

from ._model import (
    FinalEvent,
    FinalShift,
    Gap,
    Interval,
    OriginRef,
    Rank,
    ShiftSwap,
    Source,
    Window,
    final_shift_row,
    final_shift_rows,
    rank_of,
    swapped,
    union_of,
)

__all__ = [
    "Merged",
    "Piece",
    "Span",
    "merge",
    "merge_spans",
    "pieces",
    "rows_and_gaps",
    "span_of",
    "span_row",
    "split_for_swaps",
    "timeline_of",
    "timeline_of_spans",
]

# A piece of the timeline: start, end, owners, their rank (None: nobody on call), and the
# names of unresolvable users covering it (None: not covered by any empty interval).
Piece = tuple[datetime, datetime, tuple[str, ...], Rank | None, tuple[str, ...] | None]

_first, _second = itemgetter(0), itemgetter(1)
_two = itemgetter(0, 1)


# What the sweep needs of an interval: start, end, users, rank, and the names of unresolvable
# users (for an interval with no users); last, where it came from (the sweep ignores it: a
# later explain finds the spans covering an instant). The merger owns its input type:
# expansions that feed it directly (_expand.strict_spans) build these.
Span = tuple[datetime, datetime, tuple[str, ...], Rank, tuple[str, ...], OriginRef | None]


def span_of(interval: Interval) -> Span:
    """The sweep's view of an interval."""
    rank = rank_of(interval.is_override, interval.level)
    return (
        interval.start,
        interval.end,
        interval.users,
        rank,
        interval.missing_users,
        interval.origin,
    )


def span_row(
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
) -> Span:
    """The sweep's view of a calendar record, made from its fields (``ical.RecordRow``): what
    :func:`span_of` makes of the Interval with those fields, without the Interval."""
    return (start, end, users, rank_of(is_override, level), missing_users, origin)


def _boundaries(spans: Iterable[Span], window: Window) -> list[tuple[datetime, int, Span]]:
    """Every span's clipped start (+1) and end (-1) inside ``window``, in time order: starts
    before ends at equal times (a stable sort of starts + ends), so a rank handing over from
    one interval to the next stays active."""
    ws, we = window.start, window.end
    bounds: list[tuple[datetime, int, Span]] = []
    ends: list[tuple[datetime, int, Span]] = []
    for span in spans:
        start, end = span[0], span[1]
        if start < ws:
            start = ws
        if end > we:
            end = we
        if start < end:
            bounds.append((start, 1, span))
            ends.append((end, -1, span))
    bounds += ends
    bounds.sort(key=_first)
    return bounds


def _sweep(spans: Iterable[Span], window: Window) -> Iterator[Piece]:
    """The window cut at every boundary, in order, each piece with its owners (neighbours may
    be equal): the one sweep behind :func:`pieces` and :func:`rows_and_gaps`."""
    ws, we = window.start, window.end
    # Per rank, how many active intervals name each user; a rank whose users all left is
    # removed at once, so the best rank is the largest key, kept up to date as ranks come
    # and go.
    active: dict[Rank, dict[str, int]] = {}
    best: Rank | None = None
    missing: dict[str, int] = {}
    empty_active = 0
    here = ws
    # The piece from ``here`` is written when the next boundary moves on from it, with the
    # owners every boundary at ``here`` has left in place.
    for at, step, span in _boundaries(spans, window):
        if at != here:
            users: tuple[str, ...] = ()
            names: tuple[str, ...] | None = None
            if best is not None:
                owners = active[best]
                users = tuple(sorted(owners)) if len(owners) > 1 else (*owners,)
            elif empty_active:
                names = tuple(sorted(missing))
            yield here, at, users, best, names
            if at >= we:
                return
            here = at
        named = span[2]
        if named:
            rank = span[3]
            counts = active.get(rank)
            if counts is None:
                counts = active[rank] = {}
                if best is None or rank > best:
                    best = rank
            for user in named:
                left = counts.get(user, 0) + step
                if left:
                    counts[user] = left
                else:
                    del counts[user]
            if not counts:
                del active[rank]
                if rank == best:
                    best = max(active) if active else None
        else:
            empty_active += step
            for user in span[4]:
                left = missing.get(user, 0) + step
                if left:
                    missing[user] = left
                else:
                    del missing[user]
    if here < we:  # every interval ended before the window's end: nobody from here on
        yield here, we, (), None, None


def pieces(spans: Iterable[Span], window: Window) -> list[Piece]:
    """The window cut at every boundary, each piece with its owners, adjacent equals joined."""
    result: list[Piece] = []
    last: Piece | None = None
    for piece in _sweep(spans, window):
        if last is not None and piece[2:] == last[2:]:
            piece = (last[0], *piece[1:])
            result[-1] = piece
        else:
            result.append(piece)
        last = piece
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class Merged:
    """What the merger produces: final shifts, gaps, and the timeline (built on demand)."""

    shifts: tuple[FinalShift, ...]
    gaps: tuple[Gap, ...]
    pieces: tuple[Piece, ...]

    def timeline(self) -> tuple[FinalEvent, ...]:
        """The pieces as events (:func:`timeline_of`)."""
        return timeline_of(self.pieces)


def timeline_of(pieces: Iterable[Piece]) -> tuple[FinalEvent, ...]:
    """Pieces as events: owners, their rank, gaps with any unresolvable names."""
    events = []
    for start, end, users, rank, names in pieces:
        override, level = rank if rank is not None else (0, 0)
        events.append(
            FinalEvent(
                start=start,
                end=end,
                users=users,
                level=level,
                is_override=bool(override),
                is_gap=rank is None,
                missing_users=names or (),
            )
        )
    return tuple(events)


def merge(intervals: Sequence[Interval], window: Window) -> Merged:
    """Resolve ``intervals`` over ``window`` (strict profile). See the module docstring."""
    return merge_spans([span_of(interval) for interval in intervals], window)


def merge_spans(spans: Sequence[Span], window: Window) -> Merged:
    """:func:`merge` on the sweep's view of the intervals."""
    timeline = pieces(spans, window) if window.end > window.start else []
    # A user's row grows while the pieces naming them touch; it keeps the rank it opened with.
    rows: list[tuple[datetime, datetime, str, Rank]] = []
    last_row: dict[str, int] = {}  # user -> index of their latest row
    gaps: list[Gap] = []
    for start, end, users, rank, names in timeline:
        if rank is None:
            gaps.append(
                Gap(
                    start=start,
                    end=end,
                    kind="uncovered" if names is None else "unresolved",
                    missing_users=names or (),
                )
            )
            continue
        for user in users:
            k = last_row.get(user)
            if k is not None and rows[k][1] == start:
                rows[k] = (rows[k][0], end, user, rows[k][3])
            else:
                last_row[user] = len(rows)
                rows.append((start, end, user, rank))
    rows.sort()  # by (start, end, user): a user's rows never share both ends
    shifts = tuple(
        [
            final_shift_row(user, start, end, rank[1], rank[0] == 1, None)
            for start, end, user, rank in rows
        ]
    )
    return Merged(shifts=shifts, gaps=tuple(gaps), pieces=tuple(timeline))


def timeline_of_spans(spans: Sequence[Span], window: Window) -> tuple[FinalEvent, ...]:
    """The timeline of ``spans`` over ``window`` (:func:`timeline_of` of :func:`pieces`): what
    a resolution that made its rows by :func:`rows_and_gaps` builds when asked for events."""
    return timeline_of(pieces(spans, window) if window.end > window.start else ())


def rows_and_gaps(
    spans: Sequence[Span], window: Window
) -> tuple[tuple[FinalShift, ...], tuple[Gap, ...]]:
    """:func:`merge_spans`' shifts and gaps from the same sweep, without keeping the pieces.

    Where a piece's owners differ from the last piece's, the users who left close their rows
    and the newcomers open theirs (a row keeps the rank it opened with), and a gap opens,
    closes or changes its names; or, where every span names users, painted rank by rank
    (:func:`_painted`). Equal to merge_spans (tests/test_cost_per_row.py); resolve builds the
    timeline from the spans on demand.
    """
    if not window.start < window.end:
        return (), ()
    layers = _layers(spans, window)
    if layers is not None:
        return _painted(layers, window)
    rows: list[tuple[datetime, datetime, str, Rank]] = []
    opened: dict[str, tuple[datetime, Rank]] = {}  # the open rows: always last_users' users
    last_users: tuple[str, ...] = ()
    gaps: list[tuple[datetime, datetime, tuple[str, ...] | None]] = []
    gap_start: datetime | None = None  # the open gap's start and names
    gap_names: tuple[str, ...] | None = None
    for here, _, users, best, names in _sweep(spans, window):
        if best is not None:
            if users != last_users:
                for user in last_users:
                    if user not in users:
                        began, rank = opened.pop(user)
                        rows.append((began, here, user, rank))
                for user in users:
                    if user not in opened:
                        opened[user] = (here, best)
                last_users = users
            if gap_start is not None:
                gaps.append((gap_start, here, gap_names))
                gap_start = None
        else:
            for user in last_users:
                began, rank = opened.pop(user)
                rows.append((began, here, user, rank))
            last_users = ()
            if gap_start is None or names != gap_names:
                if gap_start is not None:
                    gaps.append((gap_start, here, gap_names))
                gap_start, gap_names = here, names
    return _closed(rows, opened, gaps, gap_start, gap_names, window.end)


# A rank as painting reads it: its spans clipped to the window, with their users.
_Layer = list[tuple[datetime, datetime, tuple[str, ...]]]


def _layers(spans: Sequence[Span], window: Window) -> dict[Rank, _Layer] | None:
    """The spans clipped to ``window``, by rank; or None where a span names nobody: the sweep
    counts its names (they make the gaps under it "unresolved")."""
    ws, we = window.start, window.end
    layers: dict[Rank, _Layer] = {}
    for start, end, users, rank, _, _ in spans:
        if not users:
            return None
        if start < ws:
            start = ws
        if end > we:
            end = we
        if start < end:
            layer = layers.get(rank)
            if layer is None:
                layer = layers[rank] = []
            layer.append((start, end, users))
    return layers


def _painted(
    layers: dict[Rank, _Layer], window: Window
) -> tuple[tuple[FinalShift, ...], tuple[Gap, ...]]:
    """:func:`rows_and_gaps` where every span names users: from the highest rank down, each
    span's users own the parts of it that no higher rank has taken (a bisection into the
    union taken so far), so equal ranks stack and nothing is counted per boundary. A user's
    row grows while their parts touch or overlap and keeps the rank it opened with, as in
    the sweep; the gaps are what no rank took. tests/test_cost_per_row.py holds it to the
    sweep."""
    taken_starts: list[datetime] = []  # the union of the higher ranks: disjoint, in order
    taken_ends: list[datetime] = []
    parts: list[tuple[datetime, datetime, tuple[str, ...], Rank]] = []
    for rank in sorted(layers, reverse=True):
        layer = layers[rank]
        count = len(taken_starts)
        for start, end, users in layer:
            here = start
            at = bisect_right(taken_ends, start)  # the first taken interval ending after start
            while at < count and taken_starts[at] < end:
                if taken_starts[at] > here:
                    parts.append((here, taken_starts[at], users, rank))
                here = taken_ends[at]  # > start, and every earlier end is <= start
                at += 1
            if here < end:
                parts.append((here, end, users, rank))
        taken = union_of([*zip(taken_starts, taken_ends, strict=True), *map(_two, layer)])
        taken_starts, taken_ends = list(map(_first, taken)), list(map(_second, taken))
    return _closed(
        _joined_rows(parts), {}, _holes(taken_starts, taken_ends, window), None, None, window.end
    )


def _joined_rows(
    parts: list[tuple[datetime, datetime, tuple[str, ...], Rank]],
) -> list[tuple[datetime, datetime, str, Rank]]:
    """Each user's parts joined where they touch or overlap (parts of different ranks never
    overlap), a row keeping the rank of its first part."""
    parts.sort(key=_first)  # stable; a user's parts that start together have one rank
    rows: list[tuple[datetime, datetime, str, Rank]] = []
    last_row: dict[str, int] = {}  # user -> index of their latest row
    for start, end, users, rank in parts:
        for user in users:
            k = last_row.get(user)
            if k is None or rows[k][1] < start:
                last_row[user] = len(rows)
                rows.append((start, end, user, rank))
            elif rows[k][1] < end:
                rows[k] = (rows[k][0], end, user, rows[k][3])
    return rows


def _holes(
    starts: list[datetime], ends: list[datetime], window: Window
) -> list[tuple[datetime, datetime, tuple[str, ...] | None]]:
    """The window's parts outside the intervals ``zip(starts, ends)`` (disjoint, in order), as
    uncovered gaps."""
    gaps: list[tuple[datetime, datetime, tuple[str, ...] | None]] = []
    here = window.start
    for start, end in zip(starts, ends, strict=True):
        if start > here:
            gaps.append((here, start, None))
        here = end
    if here < window.end:
        gaps.append((here, window.end, None))
    return gaps


def _closed(
    rows: list[tuple[datetime, datetime, str, Rank]],
    opened: dict[str, tuple[datetime, Rank]],
    gaps: list[tuple[datetime, datetime, tuple[str, ...] | None]],
    gap_start: datetime | None,
    gap_names: tuple[str, ...] | None,
    end: datetime,
) -> tuple[tuple[FinalShift, ...], tuple[Gap, ...]]:
    """:func:`rows_and_gaps`' answer: the rows and the gap still open end at ``end``."""
    for user, (began, rank) in opened.items():
        rows.append((began, end, user, rank))
    if gap_start is not None:
        gaps.append((gap_start, end, gap_names))
    rows.sort()  # by (start, end, user): a user's rows never share both ends
    shifts: tuple[FinalShift, ...] = ()
    if rows:
        starts, stops, users, ranks = zip(*rows, strict=True)
        levels = map(_second, ranks)
        overrides = map(eq, map(_first, ranks), repeat(1))  # rank[0] == 1
        shifts = final_shift_rows(
            len(rows), users, starts, stops, levels, overrides, repeat(None, len(rows))
        )
    return shifts, tuple(
        Gap(
            start=start,
            end=stop,
            kind="uncovered" if names is None else "unresolved",
            missing_users=names or (),
        )
        for start, stop, names in gaps
    )


def split_for_swaps(intervals: list[Interval], swaps: Sequence[ShiftSwap]) -> list[Interval]:
    """Strict swaps, in order: the beneficiary's time inside a taken swap goes to the benefactor.

    The split is :meth:`ShiftSwap.split`, as in the oncall profile; the strict rules are here:
    an open request (no benefactor) changes nobody's shifts, and a benefactor already on the
    interval is named once (oncall: an open request still splits, gaps are never split, and
    the users are not deduplicated; ``oncall.resolution.apply_swaps``).
    """
    for index, swap in enumerate(swaps):
        if swap.benefactor is None:
            continue
        beneficiary, benefactor = swap.beneficiary, swap.benefactor
        result: list[Interval] = []
        for item in intervals:
            split = swap.split(item.start, item.end) if beneficiary in item.users else None
            if split is None:
                result.append(item)
                continue
            before, (start, end), after = split
            if before is not None:
                result.append(replace(item, end=before[1]))
            users = tuple(dict.fromkeys(benefactor if u == beneficiary else u for u in item.users))
            origin = swapped(item.origin, index, swap)
            result.append(replace(item, start=start, end=end, users=users, origin=origin))
            if after is not None:
                result.append(replace(item, start=after[0]))
        intervals = result
    return intervals
