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
from functools import partial
from typing import Any, Literal

from ._errors import CalendarLimitError, NotOnCallError, ValidationError
from ._expand import MAX_OCCURRENCES, DurationMode, expand_strict, later, strict_spans
from ._merge import (
    Span,
    rows_and_gaps,
    span_of,
    span_row,
    split_for_swaps,
    timeline_of_spans,
)
from ._model import (
    FinalEvent,
    FinalShift,
    Gap,
    Interval,
    Profile,
    Schedule,
    Shift,
    SkippedComponent,
    UnresolvedName,
    Window,
    check_profile,
    check_rows,
    final_shift_row,
    utc_instant,
    utc_window,
    validate,
)
from .oncall.generation import expand_oncall, shift_vevents
from .oncall.occurrences import VEvent
from .oncall.resolution import (
    OncallEvent,
    calendar_record,
    final_events,
    gaps_of,
    resolve_calendars,
    rows_of,
    sweep_input,
)

__all__ = [
    "Handoff",
    "Layers",
    "Profile",
    "Resolution",
    "expand",
    "final_shifts",
    "gaps",
    "hours_on_call",
    "layers",
    "next_handoffs",
    "on_call_at",
    "queried_user",
    "resolution_layers",
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
    ``durations`` and ``calendar_errors`` are the options it was computed with: a picture of
    it draws its layers with them (:func:`resolution_layers`).
    """

    profile: Profile
    window: Window
    shifts: tuple[FinalShift, ...]
    gaps: tuple[Gap, ...]
    skipped: tuple[SkippedComponent, ...] = ()
    unresolved: tuple[UnresolvedName, ...] = ()
    durations: DurationMode = "wall"
    calendar_errors: CalendarErrors = "raise"
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

    def __reduce__(self) -> tuple[Any, ...]:
        # For resolve_many's pool and Dask: the rows travel as plain tuples (a frozen slotted
        # dataclass pickles field by field, which cost more than computing the rows) and the
        # timeline as its recipe (a picklable callable), never as built events.
        rows = [
            (row.user, row.start, row.end, row.level, row.is_override, row.shift_id)
            for row in self.shifts
        ]
        parts = (self.profile, self.window, rows, self.gaps, self.skipped, self.unresolved)
        return (_unpickled, (*parts, self.durations, self.calendar_errors, self.timeline))


def _unpickled(
    profile: Profile,
    window: Window,
    rows: list[tuple[str, datetime, datetime, int, bool, str | None]],
    gaps: tuple[Gap, ...],
    skipped: tuple[SkippedComponent, ...],
    unresolved: tuple[UnresolvedName, ...],
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    timeline: Callable[[], tuple[FinalEvent, ...]],
) -> Resolution:
    """A Resolution from its :meth:`Resolution.__reduce__` parts."""
    return Resolution(
        profile=profile,
        window=window,
        shifts=tuple([final_shift_row(*row) for row in rows]),
        gaps=gaps,
        skipped=skipped,
        unresolved=unresolved,
        durations=durations,
        calendar_errors=calendar_errors,
        timeline=timeline,
    )


def check_arguments(
    schedule: Schedule,
    profile: str,
    max_occurrences: int = MAX_OCCURRENCES,
    durations: str = "wall",
    calendar_errors: str = "raise",
) -> None:
    """The arguments every entry point takes (resolve, the queries, streams, coverage),
    checked before any work, each refusal naming its argument."""
    validate(schedule, profile=profile)  # type: ignore[arg-type]  # validate checks the name
    if isinstance(max_occurrences, bool) or not isinstance(max_occurrences, int):
        raise ValidationError("max_occurrences", max_occurrences, "must be a positive integer")
    if max_occurrences < 1:
        raise ValidationError("max_occurrences", max_occurrences, "must be a positive integer")
    _check_modes(durations, calendar_errors)


def check_options(profile: str, durations: str = "wall", calendar_errors: str = "raise") -> None:
    """The options of a resolution checked before any work, without a schedule (the many
    schedules of resolve_many and Dask), each refusal naming its argument."""
    check_profile(profile)
    _check_modes(durations, calendar_errors)


def refuse_limit_skips(resolution: Resolution, analysis: str, remedy: str) -> None:
    """A calendar component that ``resolution`` skipped for its window's size alone
    (``SkippedComponent.limit``) raised as its CalendarLimitError, naming the window: for an
    analysis that resolves windows of its own choosing (coverage's chunks, explain's search
    for a user's turns), where a component kept in some windows and skipped in others would
    give a wrong answer (gaps that are not, a turn missed). The stream retries smaller
    instead; these do not, as a rule that dense checked in small windows over their reach
    would take hours, where a shorter span answers."""
    for skip in resolution.skipped:
        if skip.limit:
            window = resolution.window
            raise CalendarLimitError(
                f"VEVENT[UID={skip.uid or '?'}, line {skip.line}].{skip.property}",
                f"{window.start.isoformat()}/{window.end.isoformat()}",
                f"{skip.reason}, in a window that {analysis} resolves: a component is not"
                f" skipped for its size there (it would change the answer); {remedy}",
            )


def _check_modes(durations: str, calendar_errors: str) -> None:
    if durations not in ("wall", "elapsed"):
        raise ValidationError("durations", durations, "expected 'wall' or 'elapsed'")
    if calendar_errors not in ("raise", "skip"):
        raise ValidationError("calendar_errors", calendar_errors, "expected 'raise' or 'skip'")


_MAX_UTC = datetime.max.replace(tzinfo=UTC)


def _utc_swaps(schedule: Schedule) -> Schedule:
    """``schedule`` with its swaps' bounds in UTC (see :func:`utc_instant`)."""
    swaps = tuple(
        replace(
            swap,
            swap_start=utc_instant(swap.swap_start, f"swaps[{i}].swap_start"),
            swap_end=utc_instant(swap.swap_end, f"swaps[{i}].swap_end"),
        )
        for i, swap in enumerate(schedule.swaps)
    )
    return replace(schedule, swaps=swaps) if swaps != schedule.swaps else schedule


CalendarErrors = Literal["raise", "skip"]


def _ical_records(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    on_error: CalendarErrors = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
    row: Callable[..., Any] | None = None,
    resolving: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Occurrence records of the schedule's iCalendar texts (primary, overrides): Intervals,
    or what ``row`` makes of each (``ical.RecordRow``: the resolution's own tuples).

    ``resolving`` (resolve only: its answer reads no provenance): oncall records without
    origins, and strict the merger's spans combined (``ical.calendar_spans``, ``row`` unused).
    """
    if not schedule.ical_primary and not schedule.ical_overrides:
        return [], []
    from .ical import calendar_records, calendar_rows, calendar_spans  # iCal in its own module

    def records(text: str, overrides: bool) -> list[Any]:
        options: dict[str, Any] = {
            "overrides": overrides,
            "on_error": on_error,
            "skipped": skipped,
            "unresolved": unresolved,
        }
        if resolving and profile == "strict":
            return calendar_spans(text, schedule, window, **options)
        options["profile"] = profile
        if row is None:
            return calendar_records(text, schedule, window, **options)
        return calendar_rows(text, schedule, window, row, provenance=not resolving, **options)

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
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[Interval]:
    """Every occurrence of the schedule overlapping ``window``, before resolution.

    One :class:`Interval` per occurrence (oncall: per occurrence and user), from shifts and
    iCalendar texts alike. More than ``max_occurrences`` occurrences of the shifts is a
    ValidationError naming the shift that goes past it (see :func:`resolve`).
    """
    check_arguments(schedule, profile, max_occurrences, durations)
    return _expanded(schedule, utc_window(window), profile, durations, "raise", max_occurrences)


def resolution_layers(resolution: Resolution, schedule: Schedule) -> list[Interval]:
    """The occurrences ``resolution`` (of ``schedule``) was resolved from: :func:`expand` over
    its window with its options. The calendar components its ``calendar_errors="skip"`` left
    out are left out again, and are those ``resolution.skipped`` lists."""
    check_arguments(schedule, resolution.profile, MAX_OCCURRENCES, resolution.durations)
    return _expanded(
        schedule,
        resolution.window,
        resolution.profile,
        resolution.durations,
        resolution.calendar_errors,
        MAX_OCCURRENCES,
    )


def _expanded(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    max_occurrences: int,
) -> list[Interval]:
    with _date_range(window):
        ical_primary, ical_overrides = _ical_records(
            schedule, window, profile, calendar_errors, []
        )
        if profile == "oncall":
            primary, overrides = expand_oncall(schedule, window, max_occurrences)
            return ical_primary + primary + ical_overrides + overrides
        strict = expand_strict(
            schedule, window, durations=durations, max_occurrences=max_occurrences
        )
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


def resolve(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    now: datetime | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> Resolution:
    """Resolve ``schedule`` over ``window``: final shifts, the event timeline and gaps.

    ``now`` (oncall) is the caller's clock for OnCall's rule that untaken swap requests past
    their start are ignored; shiftcalc never reads the clock. Instants may be in any zone
    (and fold): each means its UTC instant.

    ``max_occurrences`` caps the occurrences of the schedule's shifts that the window may
    hold (default a million; iCalendar events are not counted): past it, a ValidationError
    names the shift (``shifts[i]``) and the limit, raised as expansion goes, so memory stays
    bounded.

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
    schedule, window, now = _prepared(
        schedule, window, profile, now, max_occurrences, durations, calendar_errors
    )
    with _date_range(window):
        return _resolve(
            schedule, window, profile, durations, calendar_errors, now, max_occurrences
        )


def _resolve(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    now: datetime | None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> Resolution:
    skipped: list[SkippedComponent] = []
    unresolved: list[UnresolvedName] = []
    if profile == "oncall":
        calendars = _oncall_calendars(
            schedule, window, calendar_errors, skipped, unresolved, origins=False
        )
        resolved = resolve_calendars(calendars, window, schedule.swaps, now, max_occurrences)
        # the records are resolved: a big calendar's list of them would only be walked by the
        # cyclic collector while the rows are made
        del calendars
        return Resolution(
            profile=profile,
            window=window,
            shifts=rows_of(resolved, window),
            gaps=gaps_of(resolved, window),
            # a partial, not a lambda: a Resolution pickles (resolve_many's pool, Dask)
            timeline=partial(final_events, resolved),
            skipped=tuple(skipped),
            unresolved=tuple(unresolved),
            durations=durations,
            calendar_errors=calendar_errors,
        )
    found = _strict_input(
        schedule, window, durations, calendar_errors, max_occurrences, skipped, unresolved, True
    )
    shifts, gaps = rows_and_gaps(found, window)
    return Resolution(
        profile=profile,
        window=window,
        shifts=shifts,
        gaps=gaps,
        timeline=partial(timeline_of_spans, found, window),  # pickles without the rows
        skipped=tuple(skipped),
        unresolved=tuple(unresolved),
        durations=durations,
        calendar_errors=calendar_errors,
    )


def _oncall_calendars(
    schedule: Schedule,
    window: Window,
    calendar_errors: CalendarErrors,
    skipped: list[SkippedComponent],
    unresolved: list[UnresolvedName],
    *,
    origins: bool = True,
) -> list[tuple[list[OncallEvent], list[VEvent]]]:
    """OnCall's calendars: each its iCalendar records, then its generated VEVENTs (whose
    records carry their origin with ``origins``: explain reads them, resolve does not)."""
    ical_primary, ical_overrides = _ical_records(
        schedule,
        window,
        "oncall",
        calendar_errors,
        skipped,
        unresolved,
        calendar_record,
        not origins,
    )
    primary, overrides = shift_vevents(schedule, origins=origins)
    return [(ical_primary, primary), (ical_overrides, overrides)]


def _strict_input(
    schedule: Schedule,
    window: Window,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
    max_occurrences: int,
    skipped: list[SkippedComponent],
    unresolved: list[UnresolvedName],
    leave_hidden: bool,
) -> list[Span]:
    """The strict merger's input: every occurrence overlapping ``window``, swaps applied.

    ``leave_hidden`` (resolve; not explain, which lists every layer) leaves out the ranks
    hidden under a shift that covers the window alone (``strict_spans``), when the shifts'
    spans are all there is to merge (a calendar's rank could sit between)."""
    # swaps split intervals, so they work on the full values; else the sweep's own spans
    row = None if schedule.swaps else span_row
    # resolve's own spans (leave_hidden) need no provenance, and equal ones combine
    ical_primary, ical_overrides = _ical_records(
        schedule,
        window,
        "strict",
        calendar_errors,
        skipped,
        unresolved,
        row,
        leave_hidden and row is not None,
    )
    if schedule.swaps:
        intervals = (
            ical_primary
            + ical_overrides
            + expand_strict(schedule, window, durations=durations, max_occurrences=max_occurrences)
        )
        return [span_of(interval) for interval in split_for_swaps(intervals, schedule.swaps)]
    found = ical_primary + ical_overrides
    found += strict_spans(
        schedule,
        window,
        durations=durations,
        max_occurrences=max_occurrences,
        leave_hidden=leave_hidden and not found,
        origins=not leave_hidden,  # resolve's rows and timeline never read them; explain does
    )
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class Layers:
    """What resolving ``window`` starts from, before ranks decide (what explain reads).

    ``spans`` (strict): the merger's input, every occurrence overlapping the window, swaps
    applied; ``merge_spans(spans, window)`` is :func:`resolve`'s answer. ``events`` (oncall):
    OnCall's events before its sweep, every band expanded (records merged, gaps, swaps
    applied); ``resolve_events(events, window)`` is :func:`resolve`'s answer. ``window`` and
    ``now`` are in UTC, as resolution used them. ``skipped`` and ``unresolved`` are as in
    :class:`Resolution`.
    """

    profile: Profile
    window: Window
    schedule: Schedule
    spans: tuple[Span, ...] = ()
    events: tuple[OncallEvent, ...] = ()
    unresolved: tuple[UnresolvedName, ...] = ()
    skipped: tuple[SkippedComponent, ...] = ()


def layers(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    now: datetime | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> Layers:
    """The occurrences :func:`resolve` starts from over ``window`` (see :class:`Layers`),
    with its checks, conversions, limits and options."""
    schedule, window, now = _prepared(
        schedule, window, profile, now, max_occurrences, durations, calendar_errors
    )
    skipped: list[SkippedComponent] = []
    unresolved: list[UnresolvedName] = []
    spans: list[Span] = []
    events: list[OncallEvent] = []
    with _date_range(window):
        if profile == "oncall":
            calendars = _oncall_calendars(schedule, window, calendar_errors, skipped, unresolved)
            events = sweep_input(calendars, window, schedule.swaps, now, max_occurrences)
        else:
            spans = _strict_input(
                schedule,
                window,
                durations,
                calendar_errors,
                max_occurrences,
                skipped,
                unresolved,
                False,
            )
    return Layers(
        profile=profile,
        window=window,
        schedule=schedule,
        spans=tuple(spans),
        events=tuple(events),
        unresolved=tuple(unresolved),
        skipped=tuple(skipped),
    )


def _prepared(
    schedule: Schedule,
    window: Window,
    profile: Profile,
    now: datetime | None,
    max_occurrences: int,
    durations: str = "wall",
    calendar_errors: str = "raise",
) -> tuple[Schedule, Window, datetime | None]:
    """What resolving starts from: the arguments checked, instants in UTC, swaps too."""
    check_arguments(schedule, profile, max_occurrences, durations, calendar_errors)
    window = utc_window(window)
    now = None if now is None else utc_instant(now, "now")
    return _utc_swaps(schedule), window, now


def final_shifts(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    now: datetime | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> tuple[FinalShift, ...]:
    """The final-shift rows of ``schedule`` over ``window`` (see :class:`Resolution`; the
    options are :func:`resolve`'s: a calendar's bad component raises)."""
    return resolve(
        schedule,
        window,
        profile=profile,
        durations=durations,
        now=now,
        max_occurrences=max_occurrences,
    ).shifts


def gaps(
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
    max_occurrences: int = MAX_OCCURRENCES,
) -> tuple[Gap, ...]:
    """The parts of ``window`` with nobody on call (the options: see :func:`resolve`)."""
    return resolve(
        schedule, window, profile=profile, durations=durations, max_occurrences=max_occurrences
    ).gaps


def on_call_at(
    schedule: Schedule,
    at: datetime,
    *,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
) -> tuple[str, ...]:
    """The ids of the users on call at the instant ``at`` (sorted).

    Strict: a shift covers ``start <= at < end``. Oncall: Grafana OnCall's point window, in
    which nobody is on call at the exact instant of a hand-off. ``durations``: see
    :func:`resolve`.
    """
    check_arguments(schedule, profile, durations=durations)
    at = utc_instant(at, "at")
    if profile == "oncall":
        events = resolve(schedule, Window(start=at, end=at), profile=profile).events
        return tuple(
            sorted({user for event in events if not event.is_gap for user in event.users})
        )
    if at == _MAX_UTC:
        return ()  # every interval ends by then: none covers the last instant
    window = Window(start=at, end=at + timedelta(microseconds=1))
    return tuple(
        sorted({row.user for row in resolve(schedule, window, durations=durations).shifts})
    )


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
    durations: DurationMode = "wall",
) -> tuple[Handoff, ...]:
    """The next ``count`` instants after ``after`` at which the on-call set changes (strict,
    with ``durations``: see :func:`resolve`).

    Looks ahead at most ``horizon``; searches in growing windows, so a near hand-off is cheap.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValidationError("count", count, "must be an integer of at least 1")
    if not isinstance(horizon, timedelta) or horizon < timedelta(0):
        raise ValidationError("horizon", horizon, "must be a timedelta of at least 0")
    found: list[Handoff] = []
    span = timedelta(days=7)
    start = utc_instant(after, "after")
    limit = later(start, horizon)
    while not found or len(found) < count:
        end = min(later(start, span), limit)
        events = resolve(schedule, Window(start=start, end=end), durations=durations).events
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
    check_rows(rows)
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
    durations: DurationMode = "wall",
) -> Shift:
    """An override that puts ``taker`` on call from ``at`` in place of ``relieved`` (strict,
    the schedule resolved with ``durations``: see :func:`resolve`).

    Names are read as a scenario reads them (id, username or e-mail). Only ``relieved`` is
    replaced: whoever is on call with them stays on call. The override lasts until ``until``
    or, by default, until the end of ``relieved``'s current final shift, but ends earlier
    where the users on call besides ``relieved`` change (one override cannot follow their
    hand-offs: take over again from there). Add the returned shift to the schedule's shifts.

    Raises:
        NotOnCallError: ``relieved`` is not on call at ``at``.
        ValidationError: an unknown ``taker`` or ``relieved``, or ``until`` not after ``at``.
    """
    taker_id = queried_user(schedule, taker, "taker")
    relieved_id = queried_user(schedule, relieved, "relieved")
    at = utc_instant(at, "at")
    end = None if until is None else utc_instant(until, "until")
    if end is not None and end <= at:
        raise ValidationError("until", until, "must be after the take-over instant")
    window = Window(start=at, end=later(at, _TAKE_HORIZON))
    resolution = resolve(schedule, window, durations=durations)
    current = [
        row for row in resolution.shifts if row.user == relieved_id and row.start <= at < row.end
    ]
    if not current:
        raise NotOnCallError(f"{relieved!r} is not on call at {at.isoformat()}")
    if end is None:
        end = current[0].end
    others: tuple[str, ...] | None = None
    for event in resolution.events:
        if event.end <= at:
            continue
        if event.start >= end:
            break
        besides = tuple(user for user in event.users if user != relieved_id)
        if others is None:
            others = besides
        elif besides != others:
            end = event.start  # the others hand over here
            break
    levels = [shift.level for shift in schedule.shifts if shift.is_override]
    return Shift(
        type="override",
        start=at.replace(tzinfo=None),
        duration=end - at,
        time_zone="UTC",
        users=(taker_id, *(others or ())),
        rolling_users=((taker_id, *(others or ())),),
        rotation_start=at.replace(tzinfo=None),
        # above every override, so that one listing ``relieved`` does not stack with it
        level=max(levels) + 1 if levels else 0,
        source="web",
        name=f"{taker_id} takes over from {relieved_id}",
    )


_TAKE_HORIZON = timedelta(days=366)  # how far take_oncall looks for the end of a shift


def queried_user(schedule: Schedule, name: object, field: str) -> str:
    """The id of the user a query's ``name`` names (:meth:`Schedule.user_named`: as a scenario
    names users), or a ValidationError naming ``field``: take_oncall's and explain's."""
    if not isinstance(name, str):
        raise ValidationError(field, name, "expected a user's id, username or e-mail")
    found = schedule.user_named(name)
    if found is None:
        raise ValidationError(field, name, "unknown user")
    return found
