"""Streaming: final shifts, gaps and hand-offs from an instant onward, with a resumable cursor.

``iter_final_shifts``, ``iter_gaps`` and ``iter_handoffs`` resolve the schedule chunk by chunk
and yield what one :func:`resolve` over the whole window would give, in its order, holding in
memory only what the schedule needs (rows still open at a chunk's end), not the horizon. The
stream's :meth:`Stream.cursor` is a small JSON-ready mapping; passing it back as ``cursor=``
(with the same schedule and arguments) resumes exactly after the last item yielded.

``strict`` resolution is additive over windows (at each instant the winner depends only on the
intervals active then), so chunks are stitched exactly: a user's row that touches a chunk's end
is held and grows with that user's row at the next chunk's start; gaps join the same way.
``oncall`` reproduces an engine whose answer depends on the window, so its stream is OnCall's
own answers for consecutive 365-day windows (the longest it answers): see DESIGN.md,
"Streaming".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

from ._coverage import coverage
from ._errors import OccurrenceLimitError, ShiftcalcError, ValidationError
from ._expand import MAX_OCCURRENCES, DurationMode, later
from ._model import (
    FinalShift,
    Gap,
    Profile,
    Schedule,
    SkippedComponent,
    UnresolvedName,
    Window,
    utc_instant,
)
from ._resolve import CalendarErrors, Handoff, Resolution, check_arguments, expand, resolve
from ._scenario import ONCALL_MAX_WINDOW, Scenario, dump_scenario

__all__ = [
    "CHUNK_OCCURRENCES",
    "CURSOR_VERSION",
    "ONCALL_CHUNK",
    "Cursor",
    "Stream",
    "iter_final_shifts",
    "iter_gaps",
    "iter_handoffs",
    "last_activity",
]

CURSOR_VERSION = 1
ONCALL_CHUNK = ONCALL_MAX_WINDOW  # a name of its own: tests shorten it
"""The oncall stream's window: the longest final_shifts window Grafana OnCall answers."""
CHUNK_OCCURRENCES = 50_000
"""A strict chunk expands at most this many occurrences before it is cut smaller (memory)."""
FIRST_CHUNK = timedelta(days=1)
MIN_CHUNK = timedelta(hours=1)
MAX_CHUNK = timedelta(days=3_660_000)  # more than the years 1 to 9999: growth stops there
TARGET_ITEMS = 512  # rows and gaps a strict chunk aims at: sizes follow the schedule's density
_GROWTH = 4.0
_SHRINK = 16  # a chunk past the occurrence cap is retried this many times smaller
# Wall-clock values of shifts read as UTC are within a day of their instant (no zone is a day
# off UTC); OnCall's DST corrections and UNTIL + 1 h are hours. Two days cover all of it.
_MARGIN = timedelta(days=2)
_TICK = timedelta(microseconds=1)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)

Kind = Literal["final_shifts", "gaps", "handoffs"]
Cursor = dict[str, Any]
"""A stream's position: a JSON-ready mapping (str, int, None and lists only)."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one stream is of: every argument that decides its items."""

    kind: Kind
    schedule: Schedule
    profile: Profile
    start: datetime
    end: datetime | None
    durations: DurationMode
    calendar_errors: CalendarErrors
    now: datetime | None
    max_occurrences: int
    stop: datetime  # end, else the end of the schedule's last possible activity

    def resolve(self, window: Window, max_occurrences: int) -> Resolution:
        return resolve(
            self.schedule,
            window,
            profile=self.profile,
            durations=self.durations,
            calendar_errors=self.calendar_errors,
            now=self.now,
            max_occurrences=max_occurrences,
        )

    def arguments(self) -> dict[str, Any]:
        """The arguments a cursor records (the schedule goes in as its fingerprint)."""
        return {
            "kind": self.kind,
            "profile": self.profile,
            "start": self.start.isoformat(),
            "end": _text(self.end),
            "durations": self.durations,
            "calendar_errors": self.calendar_errors,
            "now": _text(self.now),
        }


class Stream(Generic[T]):
    """An iterator over a stream's items; :meth:`cursor` says where it stands.

    ``skipped`` and ``unresolved`` collect, each once, the calendar components left out and the
    iCal names matching no user in the chunks resolved so far (see :class:`Resolution`).
    """

    __slots__ = ("_items", "_last", "_plan", "_position", "_reports")

    def __init__(
        self,
        plan: _Plan,
        items: Iterator[tuple[T, _Mark]],
        position: dict[str, Any],
        reports: _Reports,
    ) -> None:
        self._plan = plan
        self._items = items
        self._position = position  # where it stands before its first item
        self._last: tuple[T, _Mark] | None = None
        self._reports = reports

    def __iter__(self) -> Stream[T]:
        return self

    def __next__(self) -> T:
        # the position is written only when asked for: most items are never a cursor
        self._last = last = next(self._items)
        return last[0]

    def cursor(self) -> Cursor:
        """A token to resume after the last item yielded (JSON-ready; pass it as ``cursor=``)."""
        return {
            "v": CURSOR_VERSION,
            **self._plan.arguments(),
            "schedule": fingerprint(self._plan.schedule),
            **(self._position if self._last is None else _after(self._plan, *self._last)),
        }

    @property
    def skipped(self) -> tuple[SkippedComponent, ...]:
        return tuple(self._reports.skipped)

    @property
    def unresolved(self) -> tuple[UnresolvedName, ...]:
        return tuple(self._reports.unresolved)


_Mark = tuple[datetime, int] | None  # oncall: the item's chunk and count in it; strict: none


def _after(plan: _Plan, item: object, mark: _Mark) -> dict[str, Any]:
    """The position just after ``item``: strict positions follow from the item itself."""
    if mark is not None:
        return {"chunk": mark[0].isoformat(), "skip": mark[1]}
    if isinstance(item, FinalShift):
        return {"from": item.start.isoformat(), "after": [item.end.isoformat(), item.user]}
    if isinstance(item, Gap):
        return {"from": item.end.isoformat()}
    assert isinstance(item, Handoff)
    return {"from": item.at.isoformat()}


@dataclass(slots=True)
class _Reports:
    """What the chunks report besides items, each once, in order of appearance."""

    skipped: dict[SkippedComponent, None]
    unresolved: dict[UnresolvedName, None]

    def add(self, resolution: Resolution) -> None:
        self.skipped.update(dict.fromkeys(resolution.skipped))
        self.unresolved.update(dict.fromkeys(resolution.unresolved))


def fingerprint(schedule: Schedule) -> str:
    """A hash of the schedule's canonical scenario JSON: a cursor belongs to one schedule."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    data = dump_scenario(Scenario(schedule=schedule, window=Window(start=epoch, end=epoch)))
    del data["window"]
    # the scenario form writes whole seconds; a schedule built in Python may hold microseconds
    exact: list[list[Any]] = [
        [_text(s.start), s.duration // _TICK, _text(s.rotation_start), _text(s.until)]
        for s in schedule.shifts
    ]
    exact += [
        [
            _text(utc_instant(swap.swap_start, "swap_start")),
            _text(utc_instant(swap.swap_end, "swap_end")),
        ]
        for swap in schedule.swaps
    ]
    data["exact"] = exact
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def last_activity(schedule: Schedule, *, on_call_only: bool = False) -> datetime:
    """An instant after which the schedule has nobody on call and nothing changes.

    The end of time when a shift recurs without ``until`` or the schedule has calendar text
    (a calendar's rules are not bounded here); otherwise the latest ``until`` (or ``start`` of
    a one-off shift) plus its duration, read as UTC, plus two days for zone offsets.

    ``on_call_only`` (rows and hand-offs) leaves out the shifts that name nobody: in both
    profiles they put nobody on call (they only hide lower levels and make gaps), so an endless
    one does not make a stream of rows walk to the year 9999 finding none.
    """
    if schedule.ical_overrides or (schedule.type == "ical" and schedule.ical_primary):
        return _MAX_UTC
    latest = datetime.min.replace(tzinfo=UTC)
    for shift in schedule.shifts:
        if on_call_only and not (any(shift.users) or any(shift.rolling_users)):
            continue
        if shift.frequency is not None and shift.until is None:
            return _MAX_UTC
        wall = shift.start if shift.frequency is None or shift.until is None else shift.until
        wall = max(wall, shift.start)
        end = later(later(wall.replace(tzinfo=UTC), max(shift.duration, timedelta(0))), _MARGIN)
        latest = max(latest, end)
    return latest


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _plan(
    kind: Kind,
    schedule: Schedule,
    start: datetime,
    end: datetime | None,
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    now: datetime | None,
    max_occurrences: int,
) -> _Plan:
    """The stream's arguments checked up front, each refusal naming its argument."""
    check_arguments(schedule, profile, max_occurrences, durations, calendar_errors)
    first = utc_instant(start, "start")
    last = None if end is None else utc_instant(end, "end")
    if last is not None and last < first:
        raise ValidationError("end", last.isoformat(), "must not be before start")
    stop = last if last is not None else last_activity(schedule, on_call_only=kind != "gaps")
    return _Plan(
        kind,
        schedule,
        profile,
        first,
        last,
        durations,
        calendar_errors,
        None if now is None else utc_instant(now, "now"),
        max_occurrences,
        stop,
    )


# --------------------------------------------------------------------------- cursors


def _instant(cursor: dict[str, Any], key: str) -> datetime:
    value = cursor.get(key)
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise ValidationError(f"cursor.{key}", value, "expected an ISO instant with its offset")
    return utc_instant(parsed, f"cursor.{key}")


def _position(plan: _Plan, cursor: object) -> dict[str, Any]:
    """The position a cursor holds, refused unless it was made for this stream."""
    if not isinstance(cursor, dict):
        raise ValidationError("cursor", cursor, "expected the mapping a stream's cursor() gave")
    if type(cursor.get("v")) is not int or cursor.get("v") != CURSOR_VERSION:
        raise ValidationError("cursor.v", cursor.get("v"), f"expected {CURSOR_VERSION}")
    made = fingerprint(plan.schedule)
    if cursor.get("schedule") != made:
        reason = "the cursor was made for another schedule (its fingerprint differs)"
        raise ValidationError("cursor.schedule", cursor.get("schedule"), reason)
    for key, value in plan.arguments().items():
        if cursor.get(key) != value:
            reason = f"the cursor was made for {key}={cursor.get(key)!r}, not {value!r}"
            raise ValidationError(f"cursor.{key}", cursor.get(key), reason)
    keys = {"v", "schedule", *plan.arguments(), *_start_position(plan)}
    for key in cursor:
        if key not in keys:  # not a cursor's part (its arguments matched)
            raise ValidationError(f"cursor.{key}", cursor[key], "not a part of this cursor")
    if plan.profile == "oncall":
        chunk, skip = _instant(cursor, "chunk"), cursor.get("skip")
        offset = chunk - plan.start
        if offset < timedelta(0) or offset % ONCALL_CHUNK or chunk > max(plan.stop, plan.start):
            raise ValidationError(
                "cursor.chunk", cursor.get("chunk"), "not a chunk of this stream"
            )
        if type(skip) is not int or skip < 0:
            raise ValidationError("cursor.skip", skip, "expected a count of rows >= 0")
        return {"chunk": chunk.isoformat(), "skip": skip}
    at = _instant(cursor, "from")
    if not plan.start <= at <= (_MAX_UTC if plan.end is None else plan.end):
        raise ValidationError("cursor.from", cursor.get("from"), "outside the stream's window")
    position: dict[str, Any] = {"from": at.isoformat()}
    if plan.kind == "final_shifts":
        after = cursor.get("after")
        if after is not None:
            if not (isinstance(after, list) and len(after) == 2 and isinstance(after[1], str)):
                raise ValidationError("cursor.after", after, "expected [end instant, user]")
            _instant({"after": after[0]}, "after")
        position["after"] = after
    return position


def _start_position(plan: _Plan) -> dict[str, Any]:
    if plan.profile == "oncall":
        return {"chunk": plan.start.isoformat(), "skip": 0}
    if plan.kind == "final_shifts":
        return {"from": plan.start.isoformat(), "after": None}
    return {"from": plan.start.isoformat()}


# --------------------------------------------------------------------------- entry points


def iter_final_shifts(
    schedule: Schedule,
    start: datetime,
    *,
    end: datetime | None = None,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    now: datetime | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
    cursor: Cursor | None = None,
) -> Stream[FinalShift]:
    """The final shifts from ``start`` onward (to ``end``, or for as long as any exist).

    strict: exactly ``resolve(schedule, Window(start, end)).shifts``, in that order, with
    ``end=None`` meaning the end of time; memory holds the rows still open at a chunk's end
    (and those sorting after them), not the horizon. ``max_occurrences`` applies per chunk.
    oncall: OnCall's rows for the windows ``[start + k·365 d, start + (k+1)·365 d)`` in turn,
    the last cut at ``end`` (so exactly one resolve for a window OnCall accepts).

    ``cursor``: a token from :meth:`Stream.cursor` of a stream with the same schedule and
    arguments; the stream resumes after the last row that stream had yielded.

    >>> from datetime import datetime, timedelta, UTC
    >>> from shiftcalc import Schedule, Shift
    >>> rotation = Shift(type="rolling_users", start=datetime(2024, 1, 1), frequency="daily",
    ...                  duration=timedelta(days=1), rolling_users=(("a",), ("b",)),
    ...                  start_rotation_from_user_index=0)
    >>> stream = iter_final_shifts(Schedule(shifts=(rotation,)), datetime(2024, 1, 1, tzinfo=UTC))
    >>> [row.user for row in (next(stream), next(stream))]
    ['a', 'b']
    >>> token = stream.cursor()
    >>> again = iter_final_shifts(Schedule(shifts=(rotation,)), datetime(2024, 1, 1, tzinfo=UTC),
    ...                           cursor=token)
    >>> next(again).start
    datetime.datetime(2024, 1, 3, 0, 0, tzinfo=datetime.timezone.utc)
    """
    plan = _plan(
        "final_shifts",
        schedule,
        start,
        end,
        profile,
        durations,
        calendar_errors,
        now,
        max_occurrences,
    )
    return _stream(plan, cursor)


def iter_gaps(
    schedule: Schedule,
    start: datetime,
    *,
    end: datetime | None = None,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    now: datetime | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
    cursor: Cursor | None = None,
) -> Stream[Gap]:
    """The gaps from ``start`` onward, as :func:`iter_final_shifts` streams rows.

    strict, ``end=None``: the time after the schedule's last activity is one last gap to the
    end of time. oncall: OnCall's gaps of each 365-day window (OnCall finds none in a window
    without records).
    """
    plan = _plan(
        "gaps", schedule, start, end, profile, durations, calendar_errors, now, max_occurrences
    )
    return _stream(plan, cursor)


def iter_handoffs(
    schedule: Schedule,
    start: datetime,
    *,
    end: datetime | None = None,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    max_occurrences: int = MAX_OCCURRENCES,
    cursor: Cursor | None = None,
) -> Stream[Handoff]:
    """The instants strictly after ``start`` (and before ``end``) at which the set of users on
    call changes, with the sets before and after (strict, as :func:`next_handoffs`)."""
    plan = _plan(
        "handoffs",
        schedule,
        start,
        end,
        "strict",
        durations,
        calendar_errors,
        None,
        max_occurrences,
    )
    return _stream(plan, cursor)


def _stream(plan: _Plan, cursor: Cursor | None) -> Stream[Any]:
    position = _start_position(plan) if cursor is None else _position(plan, cursor)
    reports = _Reports({}, {})
    items: Iterator[tuple[Any, _Mark]]
    if plan.profile == "oncall":
        items = _oncall_items(plan, position, reports)
    else:
        at = datetime.fromisoformat(position["from"])
        if plan.kind == "final_shifts":
            after = position["after"]
            key = None if after is None else (datetime.fromisoformat(after[0]), after[1])
            items = _strict_rows(plan, at, key, reports)
        elif plan.kind == "gaps":
            items = _strict_gaps(plan, at, reports)
        else:
            items = _strict_handoffs(plan, at, reports)
    return Stream(plan, items, position, reports)


# --------------------------------------------------------------------------- strict chunks


def _strict_chunks(
    plan: _Plan, at: datetime, reports: _Reports
) -> Iterator[tuple[Window, Resolution, bool]]:
    """Resolutions of consecutive windows from ``at`` to the plan's stop, each with whether it
    is the last. Sizes follow the density: about TARGET_ITEMS rows and gaps a chunk, growing
    at most fourfold a step (so an empty future ends in a few dozen chunks), and a chunk whose
    shifts expand past CHUNK_OCCURRENCES is retried smaller: memory stays bounded by it."""
    size = FIRST_CHUNK
    while at < plan.stop:
        resolution, size = _chunk(plan, at, size, reports.skipped)
        reports.add(resolution)
        window = resolution.window
        yield window, resolution, window.end >= plan.stop
        found = len(resolution.shifts) + len(resolution.gaps)
        factor = _GROWTH if not found else min(_GROWTH, max(1 / _GROWTH, TARGET_ITEMS / found))
        size = min(max(size * factor, MIN_CHUNK), MAX_CHUNK)
        at = window.end


def _chunk(
    plan: _Plan, at: datetime, size: timedelta, accepted: Container[SkippedComponent]
) -> tuple[Resolution, timedelta]:
    """One chunk's resolution from ``at``, and the size it took.

    A calendar component skipped for the chunk's size alone (``SkippedComponent.limit``: its
    rule past a query's occurrences) is retried smaller too, as its CalendarLimitError is
    without ``calendar_errors="skip"``: else the stream would keep it in some chunks and not
    in others. Only one past the cap even in MIN_CHUNK is skipped, and once skipped there it
    is ``accepted`` (the stream's skips so far) and not retried again."""
    cap = min(plan.max_occurrences, CHUNK_OCCURRENCES)
    while True:
        window = Window(start=at, end=min(later(at, size), plan.stop))
        try:
            resolution = plan.resolve(window, cap)
        except OccurrenceLimitError:
            if size > MIN_CHUNK:
                size = max(size / _SHRINK, MIN_CHUNK)
            elif cap < plan.max_occurrences:
                cap = plan.max_occurrences  # an hour holds that much: the caller's limit rules
            else:
                raise
            continue
        if size <= MIN_CHUNK or not any(
            skip.limit and skip not in accepted for skip in resolution.skipped
        ):
            return resolution, size
        size = max(size / _SHRINK, MIN_CHUNK)


def _row_key(item: tuple[FinalShift, bool]) -> tuple[datetime, datetime, str]:
    row = item[0]
    return row.start, row.end, row.user


def _strict_rows(
    plan: _Plan,
    at: datetime,
    after: tuple[datetime, str] | None,
    reports: _Reports,
) -> Iterator[tuple[FinalShift, None]]:
    """Rows in resolve's order (start, end, user), from the rows that start at or after ``at``
    (those at ``at`` past ``after``, the (end, user) of the last row yielded before).

    Held rows: those touching the chunk's end (they may go on) and every row sorting after the
    first of them. A row resumed at ``at`` whose user was on call just before began earlier and
    was yielded then: it is held as a ghost, so that its continuation is not taken for a row.
    """
    carried: frozenset[str] = frozenset()
    if at > plan.start:
        before = plan.resolve(Window(start=at - _TICK, end=at), plan.max_occurrences)
        carried = frozenset(row.user for row in before.shifts)
    held: list[tuple[FinalShift, bool]] = []
    for window, resolution, last in _strict_chunks(plan, at, reports):
        boundary = window.start
        going_on = {row.user: i for i, (row, _) in enumerate(held) if row.end == boundary}
        for row in resolution.shifts:
            i = going_on.get(row.user) if row.start == boundary else None
            if i is None:
                held.append((row, row.start == at and row.user in carried))
            else:
                # the same user goes on: one row, as one resolve gives it (it keeps the level
                # it opened with)
                previous, ghost = held[i]
                held[i] = (replace(previous, end=row.end), ghost)
        held.sort(key=_row_key)
        cut = len(held)
        if not last:
            cut = next((k for k, (row, _) in enumerate(held) if row.end == window.end), cut)
        for row, ghost in held[:cut]:
            if ghost or (after is not None and row.start == at and (row.end, row.user) <= after):
                continue
            yield row, None
        del held[:cut]


def _strict_gaps(plan: _Plan, at: datetime, reports: _Reports) -> Iterator[tuple[Gap, None]]:
    """Gaps from ``at``; one touching a chunk's end is held to join the next chunk's first gap
    when that has the same kind and names (the merger joins such pieces).

    An endless stream (``end=None``, a shift without end) would walk chunks to the end of
    time: after ten years without a gap it asks :func:`coverage` whether someone is on call
    at every instant from there on, and where that is proved, no gap is left and the stream
    ends (an endless 24×7 rotation). Without a proof it asks again when the stretch is five
    times longer."""
    pending: Gap | None = None
    endless = plan.end is None and plan.stop < _MAX_UTC  # a last gap to the end of time follows
    quiet_since, ask_at = at, later(at, _QUIET)  # where the gapless stretch began; next proof
    for window, resolution, last in _strict_chunks(plan, at, reports):
        gaps = list(resolution.gaps)
        if pending is not None and gaps and _joins(pending, gaps[0]):
            gaps[0] = replace(pending, end=gaps[0].end)
        elif pending is not None:
            yield pending, None
        pending = None
        if gaps and (endless or not last) and gaps[-1].end == window.end:
            pending = gaps.pop()
        for gap in gaps:
            yield gap, None
        if resolution.gaps:
            quiet_since, ask_at = window.end, later(window.end, _QUIET)
        elif window.end >= ask_at and _covered_for_ever(
            plan, window.end, window.end - quiet_since
        ):
            break
        elif window.end >= ask_at:  # no proof: ask again when the stretch is five times longer
            ask_at = later(window.end, 4 * (window.end - quiet_since))
    if endless:
        # nothing happens after the last activity: nobody is on call to the end of time
        tail = Gap(start=max(plan.stop, at), end=_MAX_UTC)
        if tail.start == tail.end:
            return  # resumed after the last gap
        if pending is not None and _joins(pending, tail):
            tail, pending = replace(pending, end=_MAX_UTC), None
        if pending is not None:
            yield pending, None
            pending = None
        yield tail, None
    if pending is not None:
        yield pending, None


_QUIET = timedelta(days=3653)  # gapless time a gap stream walks before it asks for a proof


def _covered_for_ever(plan: _Plan, since: datetime, budget: timedelta) -> bool:
    """Whether :func:`coverage` proves someone on call at every instant from ``since`` for all
    time, resolving at most ``budget`` (the gapless stretch walked so far: a proof never costs
    more than the walk that led to it). Asked only of an endless stream (its stop is the end
    of time); any error: no proof (the chunks will say)."""
    if plan.stop < _MAX_UTC:
        return False
    try:
        answer = coverage(
            plan.schedule,
            since,
            profile=plan.profile,
            horizon=budget,
            durations=plan.durations,
            calendar_errors=plan.calendar_errors,
            max_occurrences=plan.max_occurrences,
        )
    except ShiftcalcError:
        return False
    return answer.verdict == "covered"


def _joins(first: Gap, second: Gap) -> bool:
    return (
        first.end == second.start
        and first.kind == second.kind
        and first.missing_users == second.missing_users
    )


def _strict_handoffs(
    plan: _Plan, at: datetime, reports: _Reports
) -> Iterator[tuple[Handoff, None]]:
    """Changes of the on-call set between consecutive timeline pieces, across chunks too."""
    users: tuple[str, ...] | None = None
    for _, resolution, _ in _strict_chunks(plan, at, reports):
        for event in resolution.events:
            if users is not None and event.users != users and event.start > at:
                handoff = Handoff(at=event.start, before=users, after=event.users)
                yield handoff, None
            users = event.users


# --------------------------------------------------------------------------- oncall chunks


def _oncall_items(
    plan: _Plan, position: dict[str, Any], reports: _Reports
) -> Iterator[tuple[Any, _Mark]]:
    """OnCall's answers for consecutive 365-day windows from ``start``: its rows (or gaps) of
    each, in its order, the first ``skip`` of the cursor's chunk left out. With ``end=None``
    the windows go on until one starts after the schedule's last activity."""
    chunk = datetime.fromisoformat(position["chunk"])
    skip: int = position["skip"]
    limit = plan.end if plan.end is not None else _MAX_UTC
    probe = _FIRST_PROBE
    while True:
        window = Window(start=chunk, end=min(later(chunk, ONCALL_CHUNK), limit))
        resolution = plan.resolve(window, plan.max_occurrences)
        reports.add(resolution)
        items = resolution.shifts if plan.kind == "final_shifts" else resolution.gaps
        for index in range(skip, len(items)):
            yield items[index], (chunk, index + 1)
        if window.end >= plan.stop:
            return
        chunk, skip = window.end, 0
        if resolution.shifts or resolution.gaps:
            probe = _FIRST_PROBE
        else:
            chunk = _past_empty_chunks(plan, window.start, chunk, probe)
            probe = min(probe * 4, _LAST_PROBE)


_FIRST_PROBE, _LAST_PROBE = 8, 8 * 4**8  # chunks an oncall probe looks ahead (to 190,000 y)


def _past_empty_chunks(plan: _Plan, empty: datetime, following: datetime, chunks: int) -> datetime:
    """The next oncall chunk worth resolving after the empty chunk starting at ``empty``.

    When no occurrence of the schedule (in any band, calendars included) overlaps the next
    ``chunks`` chunks, OnCall's answer for each of them is empty (no records: no rows, no
    gaps), so the grid jumps to the last of them but one: a record touching the probe's end
    is never skipped. Any error or occurrence in the probe: no jump (the chunks will say).
    """
    probe = Window(start=empty, end=min(later(empty, ONCALL_CHUNK * chunks), plan.stop))
    try:
        found = expand(
            plan.schedule, probe, profile="oncall", durations=plan.durations, max_occurrences=1
        )
    except ShiftcalcError:
        return following
    if found:
        return following
    whole = (probe.end - empty) // ONCALL_CHUNK
    return max(following, empty + ONCALL_CHUNK * (whole - 2))
