"""The one-call pipeline: schedule + window → final shifts, events and gaps; and the queries.

``profile="strict"`` (the default) is the documented behaviour of DESIGN.md; ``"oncall"``
reproduces Grafana OnCall's engine. Both take the same model values and give the same result
types, so callers switch profiles with one argument.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from ._errors import NotOnCallError, ValidationError
from ._expand import DurationMode, expand_strict, strict_spans
from ._merge import merge, merge_spans, span_of
from ._model import (
    PROFILES,
    FinalEvent,
    FinalShift,
    Gap,
    Interval,
    Profile,
    Schedule,
    Shift,
    ShiftSwap,
    SkippedComponent,
    Window,
)
from ._oncall import expand_oncall, shift_vevents
from ._oncall_resolve import final_events, gaps_of, records_of, resolve_calendars, rows_of
from .ical import UnresolvedName

__all__ = [
    "Handoff",
    "Profile",
    "Resolution",
    "expand",
    "final_shifts",
    "gaps",
    "hours_on_call",
    "next_handoffs",
    "on_call_at",
    "resolve",
    "take_oncall",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """The answer for one schedule and window.

    ``shifts`` are the final-shift rows (strict: per user, maximal, disjoint, inside the window;
    oncall: one row per final event and user, as Grafana OnCall's final_shifts endpoint gives
    them). ``events`` is the resolved timeline including gaps; ``gaps`` the uncovered intervals;
    ``skipped`` the calendar components left out with ``calendar_errors="skip"``;
    ``unresolved`` the iCal names that match no user (once per VEVENT occurring in the window).
    """

    profile: Profile
    window: Window
    shifts: tuple[FinalShift, ...]
    gaps: tuple[Gap, ...]
    skipped: tuple[SkippedComponent, ...] = ()
    unresolved: tuple[UnresolvedName, ...] = ()
    # The timeline is built on first use: most callers want rows only, and building a value
    # per piece of the window is a good part of the work. Same answer whenever it is built.
    timeline: Callable[[], tuple[FinalEvent, ...]] = field(
        default=tuple, compare=False, repr=False
    )
    _built: list[tuple[FinalEvent, ...]] = field(default_factory=list, compare=False, repr=False)

    @property
    def events(self) -> tuple[FinalEvent, ...]:
        """The resolved timeline, gaps included (oncall: OnCall's final events, unclipped)."""
        if not self._built:
            self._built.append(self.timeline())
        return self._built[0]


def _check(schedule: Schedule, window: Window, profile: str) -> None:
    if profile not in PROFILES:
        raise ValidationError("profile", profile, "expected 'strict' or 'oncall'")
    for name in ("start", "end"):
        value = getattr(window, name)
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(f"window.{name}", value, "an aware datetime is required")
    if window.end < window.start:
        raise ValidationError("window.end", window.end, "the window ends before it starts")


def _utc_window(window: Window) -> Window:
    return Window(start=window.start.astimezone(UTC), end=window.end.astimezone(UTC))


CalendarErrors = Literal["raise", "skip"]


def _ical_records(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    on_error: CalendarErrors = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
) -> tuple[list[Interval], list[Interval]]:
    """Occurrence records of the schedule's iCalendar texts (primary, overrides)."""
    if not schedule.ical_primary and not schedule.ical_overrides:
        return [], []
    from .ical import calendar_records  # iCal support lives in its own module

    def records(text: str, overrides: bool) -> list[Interval]:
        return calendar_records(
            text,
            schedule,
            window,
            profile=profile,
            overrides=overrides,
            on_error=on_error,
            skipped=skipped,
            unresolved=unresolved,
        )

    # Only an ical schedule takes its rotations from a calendar; every type may take overrides.
    primary = (
        records(schedule.ical_primary, False)
        if schedule.type == "ical" and schedule.ical_primary
        else []
    )
    overrides = records(schedule.ical_overrides, True) if schedule.ical_overrides else []
    return primary, overrides


def expand(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
) -> list[Interval]:
    """Every occurrence of the schedule overlapping ``window``, before resolution.

    One :class:`Interval` per occurrence (oncall: per occurrence and user), from shifts and
    iCalendar texts alike.
    """
    _check(schedule, window, profile)
    window = _utc_window(window)
    with _date_range(window):
        ical_primary, ical_overrides = _ical_records(schedule, window, profile)
        if profile == "oncall":
            primary, overrides = expand_oncall(schedule, window)
            return ical_primary + primary + ical_overrides + overrides
        strict = expand_strict(schedule, window, durations=durations)
        return ical_primary + ical_overrides + strict


@contextmanager
def _date_range(window: Window) -> Iterator[None]:
    """Turn datetime overflow (years beyond 1..9999) into a ValidationError naming the window."""
    try:
        yield
    except OverflowError as exc:
        span = f"{window.start.isoformat()}/{window.end.isoformat()}"
        reason = f"the computation leaves the years 1 to 9999 ({exc})"
        raise ValidationError("window", span, reason) from None


def _split_for_swaps(intervals: list[Interval], swaps: Sequence[ShiftSwap]) -> list[Interval]:
    """Strict swaps: the beneficiary's time inside a taken swap goes to the benefactor."""
    for swap in swaps:
        if swap.benefactor is None:
            continue  # an open request changes nobody's shifts
        result: list[Interval] = []
        for item in intervals:
            if swap.beneficiary not in item.users or not (
                item.start < swap.swap_end and swap.swap_start < item.end
            ):
                result.append(item)
                continue
            if item.start < swap.swap_start:
                result.append(replace(item, end=swap.swap_start))
            users = tuple(
                dict.fromkeys(swap.benefactor if u == swap.beneficiary else u for u in item.users)
            )
            result.append(
                replace(
                    item,
                    start=max(item.start, swap.swap_start),
                    end=min(item.end, swap.swap_end),
                    users=users,
                )
            )
            if item.end > swap.swap_end:
                result.append(replace(item, start=swap.swap_end))
        intervals = result
    return intervals


def resolve(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    now: datetime | None = None,
) -> Resolution:
    """Resolve ``schedule`` over ``window``: final shifts, the event timeline and gaps.

    ``now`` (oncall) is the caller's clock for OnCall's rule that untaken swap requests past
    their start are ignored; shiftcalc never reads the clock.

    >>> from datetime import datetime, timedelta, UTC
    >>> from shiftcalc import Schedule, Shift, Window, resolve
    >>> shift = Shift(
    ...     type="rolling_users", start=datetime(2024, 1, 1, 9), duration=timedelta(days=7),
    ...     frequency="weekly", week_start="MO", rolling_users=(("alice",), ("bob",)),
    ...     start_rotation_from_user_index=0,
    ... )
    >>> window = Window(
    ...     start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 15, tzinfo=UTC)
    ... )
    >>> rows = resolve(Schedule(shifts=(shift,)), window).shifts
    >>> [(row.user, row.start.day, row.end.day) for row in rows]
    [('alice', 1, 8), ('bob', 8, 15)]
    """
    _check(schedule, window, profile)
    if now is not None and now.utcoffset() is None:
        raise ValidationError("now", now, "an aware datetime is required")
    window = _utc_window(window)
    with _date_range(window):
        return _resolve(schedule, window, profile, durations, calendar_errors, now)


def _resolve(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    now: datetime | None,
) -> Resolution:
    skipped: list[SkippedComponent] = []
    unresolved: list[UnresolvedName] = []
    if profile == "oncall":
        ical_primary, ical_overrides = _ical_records(
            schedule, window, profile, calendar_errors, skipped, unresolved
        )
        primary, overrides = shift_vevents(schedule)
        calendars = [(records_of(ical_primary), primary), (records_of(ical_overrides), overrides)]
        resolved = resolve_calendars(calendars, window, schedule.swaps, now)
        return Resolution(
            profile=profile,
            window=window,
            shifts=rows_of(resolved, window),
            gaps=gaps_of(resolved, window),
            timeline=lambda: final_events(resolved),
            skipped=tuple(skipped),
            unresolved=tuple(unresolved),
        )
    ical_primary, ical_overrides = _ical_records(
        schedule, window, profile, calendar_errors, skipped, unresolved
    )
    if schedule.swaps:
        # swaps split intervals, so they work on the full values
        intervals = (
            ical_primary + ical_overrides + expand_strict(schedule, window, durations=durations)
        )
        merged = merge(_split_for_swaps(intervals, schedule.swaps), window)
    else:
        found = [span_of(interval) for interval in ical_primary + ical_overrides]
        found += strict_spans(schedule, window, durations=durations)
        merged = merge_spans(found, window)
    return Resolution(
        profile=profile,
        window=window,
        shifts=merged.shifts,
        gaps=merged.gaps,
        timeline=merged.timeline,
        skipped=tuple(skipped),
        unresolved=tuple(unresolved),
    )


def final_shifts(
    schedule: Schedule, window: Window, *, profile: Profile = "strict"
) -> tuple[FinalShift, ...]:
    """The final-shift rows of ``schedule`` over ``window`` (see :class:`Resolution`)."""
    return resolve(schedule, window, profile=profile).shifts


def gaps(schedule: Schedule, window: Window, *, profile: Profile = "strict") -> tuple[Gap, ...]:
    """The parts of ``window`` with nobody on call."""
    return resolve(schedule, window, profile=profile).gaps


def on_call_at(
    schedule: Schedule, at: datetime, *, profile: Profile = "strict"
) -> tuple[str, ...]:
    """The ids of the users on call at the instant ``at`` (sorted).

    Strict: a shift covers ``start <= at < end``. Oncall: Grafana OnCall's point window, in
    which nobody is on call at the exact instant of a hand-off.
    """
    if profile == "oncall":
        events = resolve(schedule, Window(start=at, end=at), profile=profile).events
        return tuple(
            sorted({user for event in events if not event.is_gap for user in event.users})
        )
    window = Window(start=at, end=at + timedelta(microseconds=1))
    return tuple(sorted({row.user for row in resolve(schedule, window).shifts}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Handoff:
    """The on-call set changes at ``at`` from ``before`` to ``after`` (user ids)."""

    at: datetime
    before: tuple[str, ...]
    after: tuple[str, ...]


def next_handoffs(
    schedule: Schedule,
    after: datetime,
    count: int = 1,
    *,
    horizon: timedelta = timedelta(days=366),
) -> tuple[Handoff, ...]:
    """The next ``count`` instants after ``after`` at which the on-call set changes (strict).

    Looks ahead at most ``horizon``; searches in growing windows, so a near hand-off is cheap.
    """
    if count < 1:
        raise ValidationError("count", count, "must be at least 1")
    found: list[Handoff] = []
    span = timedelta(days=7)
    start = after.astimezone(UTC)
    limit = start + horizon
    while not found or len(found) < count:
        end = min(start + span, limit)
        events = resolve(schedule, Window(start=start, end=end)).events
        found = []
        for before, now in itertools.pairwise(events):
            if before.users != now.users and now.start > start:
                found.append(Handoff(at=now.start, before=before.users, after=now.users))
        if end >= limit:
            break
        span *= 4
    return tuple(found[:count])


def hours_on_call(rows: Sequence[FinalShift]) -> dict[str, float]:
    """Hours on call per user id, summed over ``rows``."""
    totals: dict[str, float] = {}
    for row in rows:
        totals[row.user] = totals.get(row.user, 0.0) + (row.end - row.start).total_seconds() / 3600
    return dict(sorted(totals.items()))


def take_oncall(
    schedule: Schedule,
    *,
    taker: str,
    relieved: str,
    at: datetime,
    until: datetime | None = None,
) -> Shift:
    """An override that puts ``taker`` on call from ``at`` in place of ``relieved`` (strict).

    It lasts until ``until`` or, by default, until the end of ``relieved``'s current final shift.
    Add the returned shift to the schedule's shifts. Raises :class:`NotOnCallError` when
    ``relieved`` is not on call at ``at``.
    """
    at = at.astimezone(UTC)
    window = Window(start=at, end=at + timedelta(days=366))
    rows = resolve(schedule, window).shifts
    current = [row for row in rows if row.user == relieved and row.start <= at < row.end]
    if not current:
        raise NotOnCallError(f"{relieved!r} is not on call at {at.isoformat()}")
    end = current[0].end if until is None else until.astimezone(UTC)
    if end <= at:
        raise ValidationError("until", until, "must be after the take-over instant")
    return Shift(
        type="override",
        start=at.replace(tzinfo=None),
        duration=end - at,
        time_zone="UTC",
        users=(taker,),
        rolling_users=((taker,),),
        rotation_start=at.replace(tzinfo=None),
        level=max((shift.level for shift in schedule.shifts if shift.is_override), default=0),
        source="web",
        name=f"{taker} takes over from {relieved}",
    )
