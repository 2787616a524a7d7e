"""The sweep-line merger of the ``strict`` profile.

At every instant the on-call users are those of the highest-ranked *non-empty* layer active
then (overrides rank above every level; equal ranks stack). One sweep over the sorted interval
boundaries gives the timeline as segments of constant ownership; final shifts are, per user, the
maximal runs of segments that user owns, and gaps are the segments nobody owns.

Cost: O(n log n) for the sort plus O(n · r) for the sweep, where r is the number of distinct
ranks active at once (a handful in practice). Ties are broken by a total order (instant, then
user id), so the output never depends on the order of the input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ._model import FinalEvent, FinalShift, Gap, Interval, Window

__all__ = ["Segment", "merge", "segments"]

Rank = tuple[int, int]  # (1 for overrides else 0, level): higher wins


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """A piece of the window with constant ownership."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    rank: Rank | None
    unresolved: bool = False  # nobody on call, but shifts with unresolvable users cover it
    missing_users: tuple[str, ...] = ()


def _rank(interval: Interval) -> Rank:
    return (1 if interval.is_override else 0, interval.level)


def segments(intervals: Iterable[Interval], window: Window) -> list[Segment]:
    """The window cut at every boundary, each piece with its owners (sorted user ids)."""
    boundaries: dict[datetime, list[tuple[int, Interval]]] = {}
    for interval in intervals:
        start = max(interval.start, window.start)
        end = min(interval.end, window.end)
        if start >= end:
            continue
        boundaries.setdefault(start, []).append((1, interval))
        boundaries.setdefault(end, []).append((-1, interval))
    times = sorted({window.start, window.end, *boundaries})
    # Per rank, how many active intervals name each user; ranks with no active user are
    # removed at once, so the best rank is simply the largest key.
    active: dict[Rank, Counter[str]] = {}
    missing: Counter[str] = Counter()
    empty_active = 0
    result: list[Segment] = []
    for here, following in zip(times, times[1:], strict=False):
        for step, interval in boundaries.get(here, ()):
            if interval.users:
                rank = _rank(interval)
                counter = active.get(rank)
                if counter is None:
                    counter = active[rank] = Counter()
                for user in interval.users:
                    counter[user] += step
                    if not counter[user]:
                        del counter[user]
                if not counter:
                    del active[rank]
            else:
                empty_active += step
                for user in interval.missing_users:
                    missing[user] += step
                    if not missing[user]:
                        del missing[user]
        if active:
            best = max(active)
            owners = tuple(sorted(active[best]))
            result.append(Segment(start=here, end=following, users=owners, rank=best))
        else:
            result.append(
                Segment(
                    start=here,
                    end=following,
                    users=(),
                    rank=None,
                    unresolved=empty_active > 0,
                    missing_users=tuple(sorted(missing)),
                )
            )
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class Merged:
    """What the merger produces: final shifts, the event timeline and the gaps."""

    shifts: tuple[FinalShift, ...]
    events: tuple[FinalEvent, ...]
    gaps: tuple[Gap, ...]


def merge(intervals: Sequence[Interval], window: Window) -> Merged:
    """Resolve ``intervals`` over ``window`` (strict profile). See the module docstring."""
    pieces = segments(intervals, window)
    open_rows: dict[str, tuple[datetime, Rank]] = {}
    rows: list[FinalShift] = []
    events: list[FinalEvent] = []
    gaps: list[Gap] = []

    def close(user: str, end: datetime) -> None:
        start, rank = open_rows.pop(user)
        rows.append(FinalShift(user=user, start=start, end=end, level=rank[1], is_override=bool(rank[0])))

    previous: Segment | None = None
    for piece in pieces:
        for user in [u for u in open_rows if u not in piece.users]:
            close(user, piece.start)
        for user in piece.users:
            if user not in open_rows:
                assert piece.rank is not None
                open_rows[user] = (piece.start, piece.rank)
        if piece.rank is None:
            kind = "unresolved" if piece.unresolved else "uncovered"
            missing = piece.missing_users
            if gaps and gaps[-1].end == piece.start and gaps[-1].kind == kind and gaps[-1].missing_users == missing:
                last = gaps[-1]
                gaps[-1] = Gap(start=last.start, end=piece.end, kind=last.kind, missing_users=missing)
            else:
                gaps.append(Gap(start=piece.start, end=piece.end, kind=kind, missing_users=missing))
        if (
            previous is not None
            and events
            and events[-1].end == piece.start
            and previous.users == piece.users
            and previous.rank == piece.rank
            and previous.unresolved == piece.unresolved
            and previous.missing_users == piece.missing_users
        ):
            last_event = events[-1]
            events[-1] = FinalEvent(
                start=last_event.start,
                end=piece.end,
                users=last_event.users,
                level=last_event.level,
                is_override=last_event.is_override,
                is_gap=last_event.is_gap,
                missing_users=last_event.missing_users,
            )
        else:
            rank = piece.rank or (0, 0)
            events.append(
                FinalEvent(
                    start=piece.start,
                    end=piece.end,
                    users=piece.users,
                    level=rank[1],
                    is_override=bool(rank[0]),
                    is_gap=piece.rank is None,
                    missing_users=piece.missing_users,
                )
            )
        previous = piece
    for user in list(open_rows):
        close(user, window.end)
    rows.sort(key=lambda row: (row.start, row.end, row.user))
    return Merged(shifts=tuple(rows), events=tuple(events), gaps=tuple(gaps))
