"""What a change to a schedule does: the diff of two schedules' final shifts over a window.

Both schedules are resolved (same profile, same window) and compared as step functions: at
each instant, the *set of users on call* is the set of users one of whose final-shift rows
covers it (half-open rows; a user's rows are taken as their union, so in ``oncall`` a
zero-length row counts for nothing and overlapping rows of one user count once). The
comparison is one sweep over the sorted row boundaries of both schedules; users are compared
by id (the two schedules may have different directories and zones).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from operator import itemgetter
from typing import TypeVar

from ._errors import ValidationError
from ._expand import DurationMode
from ._fairness import MAX_WEIGHTED_DAYS, Weights, classify
from ._model import (
    FinalShift,
    Profile,
    Schedule,
    SkippedComponent,
    UnresolvedName,
    Window,
    utc_window,
)
from ._output import for_people, printable, utc_text
from ._resolve import CalendarErrors, Handoff, resolve
from ._scenario import Scenario
from ._tz import get_zone

__all__ = ["Change", "Diff", "MovedHandoff", "UserDelta", "diff"]

Users = tuple[str, ...]
_ZERO = timedelta(0)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """A changed stretch ``[start, end)``: ``before`` were on call, now ``after`` are (ids,
    sorted; both constant over the stretch, and never equal)."""

    start: datetime
    end: datetime
    before: Users
    after: Users


@dataclass(frozen=True, slots=True, kw_only=True)
class UserDelta:
    """What the change does to one user: time on call gained and lost (and weighted, in
    weighted hours, when the diff was given :class:`Weights`)."""

    user: str
    gained: timedelta
    lost: timedelta
    weighted_gained: float | None = None
    weighted_lost: float | None = None

    @property
    def net_hours(self) -> float:
        """Hours gained minus hours lost."""
        return (self.gained - self.lost).total_seconds() / 3600


@dataclass(frozen=True, slots=True, kw_only=True)
class MovedHandoff:
    """A hand-off from ``before`` to ``after`` that the change moves from ``was`` to ``now``
    (``by = now - was``)."""

    was: datetime
    now: datetime
    before: Users
    after: Users

    @property
    def by(self) -> timedelta:
        """How far it moves (negative: earlier)."""
        return self.now - self.was


@dataclass(frozen=True, slots=True, kw_only=True)
class Diff:
    """The difference of two schedules over ``window`` (see :func:`diff`).

    ``opening`` and ``closing`` are the users on call (before, after) at the window's start and
    just before its end: what :meth:`join` needs to see the hand-offs at the seam. ``skipped``
    and ``unresolved`` are the two resolutions' (before, after), as :class:`Resolution` has
    them but each once and sorted by line (:func:`diff` fills them; :func:`compare`, given
    rows, has none).
    """

    profile: Profile
    window: Window
    changes: tuple[Change, ...]
    users: tuple[UserDelta, ...]
    added: tuple[Handoff, ...]
    removed: tuple[Handoff, ...]
    moved: tuple[MovedHandoff, ...]
    opening: tuple[Users, Users] = ((), ())
    closing: tuple[Users, Users] = ((), ())
    weights: Weights | None = field(default=None, repr=False)
    skipped: tuple[tuple[SkippedComponent, ...], tuple[SkippedComponent, ...]] = ((), ())
    unresolved: tuple[tuple[UnresolvedName, ...], tuple[UnresolvedName, ...]] = ((), ())

    @property
    def identical(self) -> bool:
        """Whether the same users are on call at every instant of the window."""
        return not self.changes

    @property
    def first_difference(self) -> datetime | None:
        """The first instant at which the users on call differ (None when identical)."""
        return self.changes[0].start if self.changes else None

    def join(self, later: Diff) -> Diff:
        """The diff over this window followed by ``later``'s (which must start where this one
        ends): the same value as diffing over the joined window."""
        if later.window.start != self.window.end:
            raise ValidationError(
                "later.window.start", later.window.start, "must be this diff's window end"
            )
        if later.profile != self.profile:
            raise ValidationError("later.profile", later.profile, "must be this diff's profile")
        if later.weights != self.weights:
            raise ValidationError("later.weights", later.weights, "must be this diff's weights")
        changes = list(self.changes)
        for change in later.changes:
            last = changes[-1] if changes else None
            if (
                last
                and last.end == change.start
                and (last.before, last.after)
                == (
                    change.before,
                    change.after,
                )
            ):
                changes[-1] = Change(
                    start=last.start, end=change.end, before=last.before, after=last.after
                )
            else:
                changes.append(change)
        seam = self.window.end
        removed = [
            *self.removed,
            *later.removed,
            *_unpair(self.moved, 0),
            *_unpair(later.moved, 0),
        ]
        added = [*self.added, *later.added, *_unpair(self.moved, 1), *_unpair(later.moved, 1)]
        if self.window.start < seam < later.window.end:  # an empty half has no seam
            old = _handoff(seam, self.closing[0], later.opening[0])
            new = _handoff(seam, self.closing[1], later.opening[1])
            if old is not None and old != new:
                removed.append(old)
            if new is not None and old != new:
                added.append(new)
        removed.sort(key=_handoff_key)
        added.sort(key=_handoff_key)
        kept_removed, kept_added, moved = _pair(changes, removed, added)
        empty_first = self.window.start == seam
        empty_last = later.window.end == seam
        return Diff(
            profile=self.profile,
            window=Window(start=self.window.start, end=later.window.end),
            changes=tuple(changes),
            users=_sum_users(self.users, later.users),
            added=kept_added,
            removed=kept_removed,
            moved=moved,
            opening=later.opening if empty_first else self.opening,
            closing=self.closing if empty_last else later.closing,
            weights=self.weights,
            skipped=_each_once(self.skipped, later.skipped),
            unresolved=_each_once(self.unresolved, later.unresolved),
        )


_Reported = TypeVar("_Reported", SkippedComponent, UnresolvedName)


def _reported(items: Iterable[_Reported]) -> tuple[_Reported, ...]:
    """Reported components or names once each, by line (then UID and the rest): one order for a
    window and for its halves joined, whichever half met each first."""
    return tuple(sorted(set(items), key=lambda item: (item.line, item.uid or "", repr(item))))


def _each_once(
    first: tuple[tuple[_Reported, ...], tuple[_Reported, ...]],
    second: tuple[tuple[_Reported, ...], tuple[_Reported, ...]],
) -> tuple[tuple[_Reported, ...], tuple[_Reported, ...]]:
    """Two (before, after) pairs joined side by side (:func:`_reported`)."""
    chain = itertools.chain
    return _reported(chain(first[0], second[0])), _reported(chain(first[1], second[1]))


def _unpair(moved: Iterable[MovedHandoff], side: int) -> Iterator[Handoff]:
    """The removed (side 0) or added (side 1) hand-off of each moved one."""
    for move in moved:
        at = move.was if side == 0 else move.now
        yield Handoff(at=at, before=move.before, after=move.after)


def _handoff(at: datetime, before: Users, after: Users) -> Handoff | None:
    return Handoff(at=at, before=before, after=after) if before != after else None


def _handoff_key(handoff: Handoff) -> tuple[datetime, Users, Users]:
    return handoff.at, handoff.before, handoff.after


def _sum_users(first: Sequence[UserDelta], second: Sequence[UserDelta]) -> tuple[UserDelta, ...]:
    totals: dict[str, UserDelta] = {}
    for delta in itertools.chain(first, second):
        old = totals.get(delta.user)
        totals[delta.user] = delta if old is None else _add(old, delta)
    return tuple(totals[user] for user in sorted(totals))


def _add(a: UserDelta, b: UserDelta) -> UserDelta:
    def plus(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else x + y

    return UserDelta(
        user=a.user,
        gained=a.gained + b.gained,
        lost=a.lost + b.lost,
        weighted_gained=plus(a.weighted_gained, b.weighted_gained),
        weighted_lost=plus(a.weighted_lost, b.weighted_lost),
    )


# --------------------------------------------------------------------------- the sweep


def _boundaries(
    rows: Sequence[FinalShift], window: Window, side: int
) -> list[tuple[datetime, int, int, str]]:
    """``(instant, side, +1/-1, user)`` for each row's clipped start and end; empty rows (and
    oncall rows that end before they start) have none."""
    found: list[tuple[datetime, int, int, str]] = []
    ws, we = window.start, window.end
    for row in rows:
        start = max(row.start, ws)
        end = min(row.end, we)
        if start < end:
            found.append((start, side, 1, row.user))
            found.append((end, side, -1, row.user))
    return found


Piece = tuple[datetime, datetime, Users, Users]


def pieces(
    before: Sequence[FinalShift], after: Sequence[FinalShift], window: Window
) -> Iterator[Piece]:
    """The window cut where either on-call set changes: ``(start, end, before, after)``,
    covering the window without holes (empty sets where nobody is on call)."""
    events = _boundaries(before, window, 0) + _boundaries(after, window, 1)
    events.sort(key=itemgetter(0))
    counts: tuple[dict[str, int], dict[str, int]] = ({}, {})
    old: Users = ()
    new: Users = ()
    at = window.start
    i, n = 0, len(events)
    while i < n:  # one step per instant: all its boundaries, then the sets once
        instant = events[i][0]
        touched = 0  # bit 1: before's set, bit 2: after's
        while i < n and events[i][0] == instant:
            _, side, step, user = events[i]
            i += 1
            mine = counts[side]
            count = mine.get(user, 0) + step
            if count:
                mine[user] = count
            else:
                del mine[user]
            touched |= 1 << side
        now_old = tuple(sorted(counts[0])) if touched & 1 else old
        now_new = tuple(sorted(counts[1])) if touched & 2 else new
        if now_old != old or now_new != new:
            if instant > at:
                yield at, instant, old, new
            at, old, new = instant, now_old, now_new
    if window.end > at:
        yield at, window.end, old, new


def differing_part(
    before: Sequence[FinalShift], after: Sequence[FinalShift], window: Window
) -> Window:
    """The part of ``window`` the sweep must cover: outside it both sides are on call alike,
    with no hand-off on either side that the other lacks. Empty when the sides are alike.

    A schedule change is usually local: the row lists share a prefix and a suffix of rows with
    the same (start, end, user), the only fields the sweep reads, and the rows between them
    (on either side) span ``[first, last)``. Outside it only shared rows count, so the sets
    are equal; the part reaches back to the last boundary of a shared row before ``first``
    (and on to the first after ``last``), so that the hand-offs at ``first`` and ``last``
    have the sets they change from. Cost: a comparison per row instead of the sweep.
    """
    head = _shared(before, after)
    tail = _shared(before[head:][::-1], after[head:][::-1])
    changed = [*before[head : len(before) - tail], *after[head : len(after) - tail]]
    ws, we = window.start, window.end
    first = max(ws, min((row.start for row in changed), default=we))
    last = min(we, max((row.end for row in changed), default=ws))
    if first >= last:
        return Window(start=ws, end=ws)
    shared = [*before[:head], *before[len(before) - tail :]]
    bounds = [t for row in shared for t in (row.start, row.end)]
    return Window(
        start=max([ws, *(t for t in bounds if t < first)]),
        end=min([we, *(t for t in bounds if t > last)]),
    )


def _shared(before: Sequence[FinalShift], after: Sequence[FinalShift]) -> int:
    """How many leading rows the sides share, by (start, end, user)."""
    count = 0
    for old, new in zip(before, after, strict=False):
        if old.start != new.start or old.end != new.end or old.user != new.user:
            break
        count += 1
    return count


def _overlapping(rows: Sequence[FinalShift], part: Window) -> list[FinalShift]:
    return [row for row in rows if row.start < part.end and row.end > part.start]


def _users_at(rows: Sequence[FinalShift], window: Window, instant: datetime) -> Users:
    """Who the sweep has on call at ``instant`` of ``window`` (at its end: just before it)."""
    ws, we = window.start, window.end
    if instant == ws:
        on = {row.user for row in rows if row.start <= ws < min(row.end, we)}
    else:
        on = {row.user for row in rows if max(row.start, ws) < we <= row.end}
    return tuple(sorted(on))


def _ends(piece: Piece) -> tuple[Users, Users]:
    return piece[2], piece[3]


# --------------------------------------------------------------------------- pairing


def _pair(
    changes: Sequence[Change], removed: Sequence[Handoff], added: Sequence[Handoff]
) -> tuple[tuple[Handoff, ...], tuple[Handoff, ...], tuple[MovedHandoff, ...]]:
    """Pair removed and added hand-offs into moved ones.

    The rule: a removed and an added hand-off pair when they have the same users before and
    after, and lie in the same changed region (a maximal run of touching changed stretches,
    its ends included: every changed hand-off lies in exactly one). Among the candidates, the
    nearest pair is taken first (ties: the earlier), then the next nearest of those left, and
    so on; what is left stays removed or added.
    """
    region_of = _regions(changes)
    groups: dict[tuple[int, Users, Users], list[tuple[datetime, int, Handoff]]] = {}
    for side, handoffs in ((0, removed), (1, added)):
        for handoff in handoffs:
            key = (region_of(handoff.at), handoff.before, handoff.after)
            groups.setdefault(key, []).append((handoff.at, side, handoff))
    used: set[int] = set()
    moved: list[MovedHandoff] = []
    for members in groups.values():
        if len({side for _, side, _ in members}) < 2:
            continue  # only removed or only added: nothing to pair (the common case)
        members.sort(key=lambda member: (member[0], member[1]))
        for i, j in _nearest_pairs([(at, side) for at, side, _ in members]):
            a, b = members[i][2], members[j][2]
            was, now = (a, b) if members[i][1] == 0 else (b, a)
            used.update((id(a), id(b)))
            moved.append(MovedHandoff(was=was.at, now=now.at, before=a.before, after=a.after))
    moved.sort(key=lambda move: (min(move.was, move.now), move.was, move.before, move.after))
    return (
        tuple(h for h in removed if id(h) not in used),
        tuple(h for h in added if id(h) not in used),
        tuple(moved),
    )


def _regions(changes: Sequence[Change]) -> _RegionOf:
    """A function: instant -> the index of the changed region whose closure holds it."""
    bounds: list[tuple[datetime, datetime]] = []
    for change in changes:
        if bounds and bounds[-1][1] == change.start:
            bounds[-1] = (bounds[-1][0], change.end)
        else:
            bounds.append((change.start, change.end))
    return _RegionOf(bounds)


@dataclass(frozen=True, slots=True)
class _RegionOf:
    bounds: list[tuple[datetime, datetime]]
    starts: list[datetime] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", [start for start, _ in self.bounds])

    def __call__(self, at: datetime) -> int:
        i = bisect.bisect_right(self.starts, at)
        # the region starting at or before ``at``; -1 for an instant in no region (none is)
        return i - 1 if i and self.bounds[i - 1][1] >= at else -1


def _nearest_pairs(members: Sequence[tuple[datetime, int]]) -> Iterator[tuple[int, int]]:
    """Greedy nearest matching of sides 0 and 1 on a sorted line: the closest opposite pair is
    always adjacent among those left, so a heap of adjacent pairs finds each in log time."""
    n = len(members)
    left = list(range(-1, n - 1))
    right = list(range(1, n + 1))
    alive = [True] * n
    heap: list[tuple[timedelta, datetime, int, int]] = []

    def push(i: int, j: int) -> None:
        if i >= 0 and j < n and members[i][1] != members[j][1]:
            heapq.heappush(heap, (members[j][0] - members[i][0], members[i][0], i, j))

    for i in range(n - 1):
        push(i, i + 1)
    while heap:
        _, _, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j] and right[i] == j):
            continue
        alive[i] = alive[j] = False
        yield i, j
        a, b = left[i], right[j]
        if a >= 0:
            right[a] = b
        if b < n:
            left[b] = a
        push(a, b)


# --------------------------------------------------------------------------- wall clock


def _local(at: datetime, zone: tzinfo) -> datetime:
    try:
        return at.astimezone(zone)
    except OverflowError:  # the zone's wall clock leaves the years 1 to 9999 there
        return at


# --------------------------------------------------------------------------- diff


def _handoffs(sequence: Sequence[Piece], side: int) -> dict[datetime, Handoff]:
    """The hand-offs of one side: where its on-call set changes inside the window."""
    found: dict[datetime, Handoff] = {}
    column = 2 + side
    previous: Users | None = None
    for piece in sequence:
        users: Users = piece[column]  # type: ignore[assignment]  # columns 2, 3 are Users
        if previous is not None and users != previous:
            found[piece[0]] = Handoff(at=piece[0], before=previous, after=users)
        previous = users
    return found


def _user_deltas(
    changes: Sequence[Change], weights: Weights | None, zone: tzinfo
) -> tuple[UserDelta, ...]:
    gained: dict[str, timedelta] = {}
    lost: dict[str, timedelta] = {}
    w_gained: dict[str, float] = {}
    w_lost: dict[str, float] = {}
    for change in changes:
        length = change.end - change.start
        weighted = classify(change.start, change.end, weights, zone).weighted if weights else 0.0
        for user in set(change.after) - set(change.before):
            gained[user] = gained.get(user, _ZERO) + length
            w_gained[user] = w_gained.get(user, 0.0) + weighted
        for user in set(change.before) - set(change.after):
            lost[user] = lost.get(user, _ZERO) + length
            w_lost[user] = w_lost.get(user, 0.0) + weighted
    return tuple(
        UserDelta(
            user=user,
            gained=gained.get(user, _ZERO),
            lost=lost.get(user, _ZERO),
            weighted_gained=w_gained.get(user, 0.0) if weights else None,
            weighted_lost=w_lost.get(user, 0.0) if weights else None,
        )
        for user in sorted(gained.keys() | lost.keys())
    )


def compare(
    before: Sequence[FinalShift],
    after: Sequence[FinalShift],
    window: Window,
    *,
    profile: Profile = "strict",
    weights: Weights | None = None,
    zone: str = "UTC",
) -> Diff:
    """The diff of two lists of final-shift rows over ``window`` (see :func:`diff`)."""
    window = utc_window(window)
    if weights is not None and not isinstance(weights, Weights):
        raise ValidationError("weights", weights, "expected a shiftcalc.Weights or None")
    part = differing_part(before, after, window)
    sequence = list(pieces(_overlapping(before, part), _overlapping(after, part), part))
    changes = _changes(sequence)
    if weights is not None:
        changed_days = sum((c.end - c.start for c in changes), _ZERO) / _DAY + 2 * len(changes)
        if changed_days > MAX_WEIGHTED_DAYS:
            reason = f"weighted hours are summed day by day: at most {MAX_WEIGHTED_DAYS} days"
            raise ValidationError("weights", weights, reason)
    old, new = _handoffs(sequence, 0), _handoffs(sequence, 1)
    removed = sorted((h for at, h in old.items() if new.get(at) != h), key=_handoff_key)
    added = sorted((h for at, h in new.items() if old.get(at) != h), key=_handoff_key)
    kept_removed, kept_added, moved = _pair(changes, removed, added)
    display = get_zone(weights.zone if weights and weights.zone else zone)
    return Diff(
        profile=profile,
        window=window,
        changes=tuple(changes),
        users=_user_deltas(changes, weights, display),
        added=kept_added,
        removed=kept_removed,
        moved=moved,
        opening=_ends(sequence[0])
        if sequence and part.start == window.start
        else (_users_at(before, window, window.start),) * 2,
        closing=_ends(sequence[-1])
        if sequence and part.end == window.end
        else (_users_at(before, window, window.end),) * 2,
        weights=weights,
    )


def _changes(sequence: Sequence[Piece]) -> list[Change]:
    changes: list[Change] = []
    for start, end, old, new in sequence:
        if old == new:
            continue
        # pieces differ in at least one set, so two touching changed pieces never repeat a pair
        changes.append(Change(start=start, end=end, before=old, after=new))
    return changes


def _schedule_of(value: Schedule | Scenario, name: str) -> Schedule:
    if isinstance(value, Scenario):
        return value.schedule
    if isinstance(value, Schedule):
        return value
    raise ValidationError(name, type(value).__name__, "expected a Schedule or a Scenario")


def diff(
    before: Schedule | Scenario,
    after: Schedule | Scenario,
    window: Window | None = None,
    *,
    profile: Profile = "strict",
    weights: Weights | None = None,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
) -> Diff:
    """What changes from ``before`` to ``after`` over ``window``: who is on call when.

    Both are resolved in ``profile`` over ``window`` (None: ``after``'s window when it is a
    :class:`Scenario`), with ``durations`` and ``calendar_errors`` as :func:`resolve` takes
    them, and compared user id by user id. The result lists the changed stretches
    in time order, the time each user gains and loses (weighted too, with ``weights``, in the
    zone of ``weights`` or else of ``after``'s schedule) and the hand-offs added, removed and
    moved (see DESIGN.md, "Diff", for the rules).

    >>> from datetime import datetime, timedelta, UTC
    >>> from shiftcalc import Schedule, Shift, Window
    >>> week = Shift(type="rolling_users", start=datetime(2024, 1, 1, 9),
    ...              duration=timedelta(days=7), frequency="weekly", week_start="MO",
    ...              rolling_users=(("alice",), ("bob",)), start_rotation_from_user_index=0)
    >>> window = Window(start=datetime(2024, 1, 1, 9, tzinfo=UTC),
    ...                 end=datetime(2024, 1, 15, 9, tzinfo=UTC))
    >>> diff(Schedule(shifts=(week,)), Schedule(shifts=(week,)), window).identical
    True
    """
    old_schedule = _schedule_of(before, "before")
    new_schedule = _schedule_of(after, "after")
    if window is None:
        if not isinstance(after, Scenario):
            raise ValidationError("window", None, "required unless `after` is a Scenario")
        window = after.window
    if not isinstance(window, Window):
        raise ValidationError("window", window, "expected a Window")
    old, new = (
        resolve(
            schedule,
            window,
            profile=profile,
            durations=durations,
            calendar_errors=calendar_errors,
            now=_now(side),
        )
        for schedule, side in ((old_schedule, before), (new_schedule, after))
    )
    result = compare(
        old.shifts,
        new.shifts,
        window,
        profile=profile,
        weights=weights,
        zone=new_schedule.time_zone,
    )
    return replace(
        result,
        skipped=(_reported(old.skipped), _reported(new.skipped)),
        unresolved=(_reported(old.unresolved), _reported(new.unresolved)),
    )


def _now(value: Schedule | Scenario) -> datetime | None:
    return value.now if isinstance(value, Scenario) else None


# --------------------------------------------------------------------------- writers


def _names(before: Schedule, after: Schedule) -> dict[str, str]:
    """Usernames by id: ``after``'s directory first, then ``before``'s (users are compared by
    id; a user only one directory knows is still shown by name)."""
    names = {user.id: user.username for user in before.users}
    names.update((user.id, user.username) for user in after.users)
    return names


def _hours(value: timedelta) -> float:
    return round(value.total_seconds() / 3600, 4)


def diff_document(result: Diff, before: Schedule, after: Schedule) -> dict[str, object]:
    """The diff as a JSON-ready document: instants in UTC (``...Z``), users by username in the
    stretches and hand-offs, by id and username in ``users``, hours as numbers."""
    names = _names(before, after)

    def who(users: Users) -> list[str]:
        return [names.get(user, user) for user in users]

    def handoff(h: Handoff) -> dict[str, object]:
        return {"at": utc_text(h.at), "before": who(h.before), "after": who(h.after)}

    return {
        "identical": result.identical,
        "profile": result.profile,
        "window": {"start": utc_text(result.window.start), "end": utc_text(result.window.end)},
        "first_difference": None
        if result.first_difference is None
        else utc_text(result.first_difference),
        "changes": [
            {
                "start": utc_text(c.start),
                "end": utc_text(c.end),
                "before": who(c.before),
                "after": who(c.after),
            }
            for c in result.changes
        ],
        "users": [
            {
                "user_pk": d.user,
                "username": names.get(d.user, d.user),
                "gained_hours": _hours(d.gained),
                "lost_hours": _hours(d.lost),
                "weighted_gained": d.weighted_gained,
                "weighted_lost": d.weighted_lost,
            }
            for d in result.users
        ],
        "handoffs": {
            "added": [handoff(h) for h in result.added],
            "removed": [handoff(h) for h in result.removed],
            "moved": [
                {
                    "from": utc_text(m.was),
                    "to": utc_text(m.now),
                    "by_hours": _hours(m.by),
                    "before": who(m.before),
                    "after": who(m.after),
                }
                for m in result.moved
            ],
        },
    }


CSV_COLUMNS = (
    "kind",
    "start",
    "end",
    "before",
    "after",
    "user_pk",
    "username",
    "gained_hours",
    "lost_hours",
    "weighted_gained",
    "weighted_lost",
)
"""The diff's CSV columns. ``kind`` is ``change`` (a changed stretch: start, end, before,
after), ``added``/``removed`` (a hand-off: start is its instant), ``moved`` (start is where
the hand-off was, end where it is now), ``user`` (user_pk, username and the hours). Users in
before/after are usernames joined by ``;``; instants are UTC; unused cells are empty."""


def diff_csv(result: Diff, before: Schedule, after: Schedule) -> str:
    """The diff as CSV (columns: :data:`CSV_COLUMNS`), in the order changes, hand-offs
    (removed, added, moved), users."""
    import csv
    import io

    names = _names(before, after)

    def who(users: Users) -> str:
        return ";".join(names.get(user, user) for user in users)

    lines: list[tuple[object, ...]] = []
    for c in result.changes:
        lines.append(("change", utc_text(c.start), utc_text(c.end), who(c.before), who(c.after)))
    for kind, handoffs in (("removed", result.removed), ("added", result.added)):
        for h in handoffs:
            lines.append((kind, utc_text(h.at), "", who(h.before), who(h.after)))
    for m in result.moved:
        lines.append(("moved", utc_text(m.was), utc_text(m.now), who(m.before), who(m.after)))
    for d in result.users:
        name = names.get(d.user, d.user)
        gained, lost = _hours(d.gained), _hours(d.lost)
        w_gained = "" if d.weighted_gained is None else round(d.weighted_gained, 4)
        w_lost = "" if d.weighted_lost is None else round(d.weighted_lost, 4)
        lines.append(("user", "", "", "", "", d.user, name, gained, lost, w_gained, w_lost))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(line + ("",) * (len(CSV_COLUMNS) - len(line)) for line in lines)
    return buffer.getvalue()


def _local_text(value: datetime, zone: tzinfo) -> str:
    local = _local(value, zone)
    return f"{local.isoformat(' ', 'minutes')[:16]} {local.tzname() or ''}".rstrip()


def _span_text(value: timedelta) -> str:
    """``+1d 1h``, ``-2h30m``, ``+45m``."""
    sign = "-" if value < _ZERO else "+"
    minutes = int(abs(value).total_seconds()) // 60
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d"] if days else []
    if hours or minutes or not days:
        parts.append(f"{hours}h{minutes:02d}m" if minutes else f"{hours}h")
    return sign + " ".join(parts)


@for_people
def diff_table(result: Diff, before: Schedule, after: Schedule) -> str:
    """The diff for people: the changed stretches (times in ``after``'s zone and in UTC),
    hours per user, then the hand-offs added, removed and moved."""
    # printable before the text is made (for_people works line by line)
    names = {user: printable(name) for user, name in _names(before, after).items()}
    try:
        zone: tzinfo = get_zone(after.time_zone)
    except KeyError:
        zone = UTC

    def who(users: Users) -> str:
        return ", ".join(names.get(user, user) for user in users) or "(nobody)"

    span = f"{utc_text(result.window.start)} to {utc_text(result.window.end)} ({result.profile})"
    if result.identical:
        return f"identical over {span}\n"
    zone_name = after.time_zone
    rows: list[tuple[str, ...]] = [
        (
            f"start ({zone_name})",
            f"end ({zone_name})",
            "start (UTC)",
            "end (UTC)",
            "before",
            "after",
        ),
    ]
    for c in result.changes:
        rows.append(
            (
                _local_text(c.start, zone),
                _local_text(c.end, zone),
                utc_text(c.start)[:16].replace("T", " "),
                utc_text(c.end)[:16].replace("T", " "),
                who(c.before),
                who(c.after),
            )
        )
    text = [f"differs over {span}, first at {utc_text(result.changes[0].start)}", ""]
    text += _columns(rows)
    users = [("user", "gained", "lost", "net")]
    for d in result.users:
        net = d.gained - d.lost
        users.append(
            (
                names.get(d.user, d.user),
                _hours_text(d.gained),
                _hours_text(d.lost),
                ("+" if net >= _ZERO else "-") + _hours_text(abs(net)),
            )
        )
    text += ["", *_columns(users)]
    handoffs = [
        f"removed  {_local_text(h.at, zone)}  {who(h.before)} -> {who(h.after)}"
        for h in result.removed
    ]
    handoffs += [
        f"added    {_local_text(h.at, zone)}  {who(h.before)} -> {who(h.after)}"
        for h in result.added
    ]
    handoffs += [
        f"moved    {_local_text(m.was, zone)} -> {_local_text(m.now, zone)} ({_span_text(m.by)})"
        f"  {who(m.before)} -> {who(m.after)}"
        for m in result.moved
    ]
    if handoffs:
        text += ["", "hand-offs:", *handoffs]
    return "\n".join(text) + "\n"


def _hours_text(value: timedelta) -> str:
    return f"{_hours(value):g}h"


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rows = [rows[0], tuple("-" * w for w in widths), *rows[1:]]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
