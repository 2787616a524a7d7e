"""iCalendar schedules: calendar text in, occurrence records out; final shifts out as ICS.

:func:`calendar_records` reads an ``ical`` schedule's calendar (Google Calendar, Outlook and
Grafana OnCall exports alike) and returns one :class:`~shiftcalc.Interval` per occurrence and
matched user, for the resolution of either profile:

``oncall``
    exactly what Grafana OnCall computes (icalendar 5.0.10 + recurring-ical-events 2.1.0 +
    pytz): DTSTART always an occurrence, floating times in UTC, X-WR-TIMEZONE ignored, starts
    localised with pytz's ``is_dst=False``, ends keeping the master's elapsed length as wall
    clock, modified instances matched by date, one occurrence per UID and day when SEQUENCE is
    set, all-day events as ``00:00:00Z``..``23:59:59Z``, export-style UIDs reduced to their
    first word (``grafana-oncall-semantics.md`` §2.10, §3.1, §8.2).
``strict``
    RFC 5545: floating and all-day values in the calendar's zone (X-WR-TIMEZONE, else the
    schedule's), half-open whole days, DTSTART only when it matches the rule, RECURRENCE-ID
    matched by instant, several ATTENDEEs with ``mailto:`` stripped.

:func:`final_shifts_to_ics` writes final-shift rows as a deterministic calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import Literal, TypeVar

from .._errors import CalendarError
from .._merge import Span
from .._model import (
    Interval,
    OriginBase,
    OriginRef,
    Profile,
    Rank,
    Schedule,
    SkippedComponent,
    Source,
    UnresolvedName,
    Window,
    interval_row,
    origin_of,
    rank_of,
    utc_window,
)
from ._expansion import MAX_OCCURRENCES, Run
from ._names import Users, candidates, shift_id
from ._oncall import oncall_occurrences
from ._parse import parse_calendar
from ._read import Event, Report, When, read_events
from ._strict import StrictContext, strict_occurrences
from ._write import final_shifts_to_ics
from ._zones import WINDOWS_ZONES, Zones

_R = TypeVar("_R")

__all__ = [
    "MAX_OCCURRENCES",
    "WINDOWS_ZONES",
    "RecordRow",
    "SkippedComponent",
    "UnresolvedName",
    "calendar_records",
    "calendar_rows",
    "calendar_spans",
    "final_shifts_to_ics",
    "first_day",
    "floating_zone",
]


def calendar_records(
    text: str,
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile,
    overrides: bool,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[Interval]:
    """The occurrence records of the calendar ``text`` overlapping ``window`` (UTC instants).

    One :class:`~shiftcalc.Interval` per (occurrence, matched user), in calendar order then
    occurrence order; an occurrence matching nobody gives one record with ``users=()`` and the
    unmatched names in ``missing_users``. ``overrides`` marks the records as overrides.

    Users: with a directory (``schedule.users`` not empty) a name matches users by username
    (exactly, else in any letter case) or e-mail (any letter case), and each name of an event
    with an occurrence in the window that matches nobody is appended to ``unresolved``.
    Without one, the names are the users (id = username = the name): the SUMMARY without its
    ``[Ln]`` prefix and the ATTENDEEs the profile reads, ``mailto:`` stripped.

    Raises:
        CalendarError: text that is not an iCalendar, or (unless ``on_error="skip"``, which
            appends a :class:`SkippedComponent` to ``skipped`` instead) a VEVENT with a bad
            property; ``field`` is ``VEVENT[UID=…, line N].PROPERTY``, ``value`` the text.
            A VEVENT whose RRULE generates more than ``max_occurrences`` instances for this
            query (the window, padded by 16 days in ``oncall``) is one such: its ``.RRULE``.
    """
    return calendar_rows(
        text,
        schedule,
        window,
        _interval,
        profile=profile,
        overrides=overrides,
        on_error=on_error,
        skipped=skipped,
        unresolved=unresolved,
        max_occurrences=max_occurrences,
    )


RecordRow = Callable[
    [
        datetime,
        datetime,
        tuple[str, ...],
        int,
        bool,
        str | None,
        bool,
        tuple[str, ...],
        Source | None,
        OriginRef | None,
    ],
    _R,
]
"""What makes one record: ``row(start, end, users, level, is_override, shift_id, all_day,
missing_users, source, origin)``, ``origin`` a reference (:func:`~shiftcalc._model.origin_of`),
None without provenance."""


def _interval(
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
) -> Interval:
    # Interval(start=..., shift_index=-1, ...) in field order
    return interval_row(
        start,
        end,
        users,
        level,
        is_override,
        -1,
        shift_id,
        all_day,
        missing_users,
        source,
        None if origin is None else origin_of(origin),
    )


def calendar_rows(
    text: str,
    schedule: Schedule,
    window: Window,
    row: RecordRow[_R],
    *,
    profile: Profile,
    overrides: bool,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
    provenance: bool = True,
) -> list[_R]:
    """:func:`calendar_records`, each record made by ``row`` (:data:`RecordRow`): the
    resolution makes its own tuples, with no Interval and Origin per record (a big calendar
    has hundreds of thousands). Without ``provenance`` every record's origin is None: a
    record of only atomic values (dates, strings, numbers) is one CPython's cyclic collector
    stops tracking, where an origin made every record one it walks again and again."""
    found = _runs(text, schedule, window, profile, on_error, skipped, max_occurrences)
    heads = _Heads(schedule, profile, overrides, unresolved)
    records: list[_R] = []
    for event, spans, all_day in found:
        groups, missing, shift_id, source, base = heads.of(event)
        level = event.level
        if provenance:
            # one origin per occurrence, shared by its records
            records += [
                row(
                    start, end, group, level, overrides, shift_id, all_day, missing, source, origin
                )
                for start, end in spans
                for origin in ((base, start, None),)
                for group in groups
            ]
        else:
            records += [
                row(start, end, group, level, overrides, shift_id, all_day, missing, source, None)
                for start, end in spans
                for group in groups
            ]
    return records


def calendar_spans(
    text: str,
    schedule: Schedule,
    window: Window,
    *,
    overrides: bool,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[Span]:
    """The strict merger's spans of the calendar ``text``, for resolution: what
    :func:`calendar_rows` with ``_merge.span_row`` gives, without provenance and with the
    spans of equal (start, end, rank) combined. VEVENTs of one timing (a team's day duties)
    give one span per occurrence naming all their users, not one per VEVENT and user, so
    the sweep sees each day once (tests/test_big_calendar.py holds the merger's answer on
    them to its answer on the records).

    Only for ``merge_spans``: a span's users are a set (each named once, in no particular
    order), and an empty span (users matching nobody) names the missing names of all the
    empty records it stands for, which is all the sweep reads of them.
    """
    found = _runs(text, schedule, window, "strict", on_error, skipped, max_occurrences)
    heads = _Heads(schedule, "strict", overrides, unresolved)
    # (the shared list of spans, rank, empty or not) -> the spans, the users or missing names
    combined: dict[tuple[int, Rank, bool], tuple[list[tuple[datetime, datetime]], dict[str, None]]]
    combined = {}
    for event, spans, _ in found:
        groups, missing, _, _, _ = heads.of(event)
        rank = rank_of(overrides, event.level)
        users = [user for group in groups for user in group]
        key = (id(spans), rank, not users)  # a shared list stays alive: its id is its own
        entry = combined.get(key)
        if entry is None:
            entry = combined[key] = (spans, {})
        entry[1].update(dict.fromkeys(users or missing))
    return [
        (start, end, () if empty else names, rank, names if empty else (), None)
        for (_, rank, empty), (spans, found_names) in combined.items()
        for names in (tuple(found_names),)
        for start, end in spans
    ]


def _runs(
    text: str,
    schedule: Schedule,
    window: Window,
    profile: Profile,
    on_error: Literal["raise", "skip"],
    skipped: list[SkippedComponent] | None,
    max_occurrences: int,
) -> list[Run]:
    """The calendar's occurrences in window as runs (see ``_expansion.Run``), checked."""
    if profile not in ("strict", "oncall"):
        raise CalendarError("profile", profile, "expected 'strict' or 'oncall'")
    if on_error not in ("raise", "skip"):
        raise CalendarError("on_error", on_error, "expected 'raise' or 'skip'")
    if isinstance(max_occurrences, bool) or not isinstance(max_occurrences, int):
        raise CalendarError("max_occurrences", max_occurrences, "expected an integer")
    if max_occurrences < 1:
        raise CalendarError("max_occurrences", max_occurrences, "must be at least 1")
    window = utc_window(window)
    root = parse_calendar(text)
    zones = Zones(root, profile)
    report = Report(on_error, skipped)
    events = read_events(root, zones, report)
    if profile == "oncall":
        return oncall_occurrences(events, window, report, max_occurrences)
    context = StrictContext(root, schedule, zones)
    return strict_occurrences(events, context, window, report, max_occurrences)


class _Heads:
    """What every record of an event shares (:func:`_head`), made once per event."""

    def __init__(
        self,
        schedule: Schedule,
        profile: Profile,
        overrides: bool,
        unresolved: list[UnresolvedName] | None,
    ) -> None:
        self.users = Users(schedule)
        self.profile = profile
        self.calendar: Literal["primary", "overrides"] = "overrides" if overrides else "primary"
        self.unresolved = unresolved
        self.heads: dict[int, _Head] = {}

    def of(self, event: Event) -> _Head:
        head = self.heads.get(event.index)
        if head is None:
            head = self.heads[event.index] = _head(
                event, self.profile, self.users, self.calendar, self.unresolved
            )
        return head


_Head = tuple[tuple[tuple[str, ...], ...], tuple[str, ...], str | None, Source | None, OriginBase]


def _head(
    event: Event,
    profile: Profile,
    users: Users,
    calendar: Literal["primary", "overrides"],
    unresolved: list[UnresolvedName] | None,
) -> _Head:
    """What every record of ``event`` shares: one user group per record (``()`` for the one
    record of an event that matches nobody), the missing names, the shift id, the source and
    what their origins share.

    Reports each name that matches nobody to ``unresolved`` (once per event).
    """
    matched: list[str] = []
    missing: list[str] = []
    for prop, name in candidates(event, profile, directory=users.directory):
        found = users.find(name)
        matched.extend(found)
        if not found:
            missing.append(name)
            if unresolved is not None:
                unresolved.append(
                    UnresolvedName(
                        name=name,
                        calendar=calendar,
                        uid=event.uid or None,
                        line=event.line,
                        property=prop,
                    )
                )
    shift, source = shift_id(event, profile)
    groups = tuple((user,) for user in dict.fromkeys(matched)) or ((),)
    base = OriginBase(
        kind="ical",
        shift_id=shift,
        uid=event.uid,
        recurrence_id=_as_written(event.recurrence_id),
        calendar=calendar,
        line=event.line,
    )
    return groups, tuple(missing), shift, source, base


def _as_written(when: When | None) -> datetime | date | None:
    """A RECURRENCE-ID as written: a UTC one as an aware instant, else its naive wall time
    (its TZID's or floating) or its date."""
    if when is None:
        return None
    if when.kind == "utc" and isinstance(when.value, datetime):
        return when.value.replace(tzinfo=UTC)
    return when.value


def floating_zone(text: str, schedule: Schedule) -> tzinfo:
    """The zone the strict profile reads the calendar's floating and all-day values in: its
    X-WR-TIMEZONE, else the schedule's ``time_zone`` (an all-day occurrence runs from a
    midnight there to a midnight there: its dates are read there).

    Raises:
        CalendarError: text that is not a calendar, or an unknown X-WR-TIMEZONE.
    """
    root = parse_calendar(text)
    return StrictContext(root, schedule, Zones(root, "strict")).zone.tzinfo


def first_day(text: str) -> date | None:
    """The earliest day on which a VEVENT of the calendar starts (its DTSTART's date as
    written), or None for a calendar without one; components that cannot be read are passed
    over. The command line starts its default window for a calendar file there.

    Raises:
        CalendarError: text that is not a calendar at all.
    """
    root = parse_calendar(text)
    events = read_events(root, Zones(root, "strict"), Report("skip", []))
    days = [_day_of(event.start.value) for event in events]
    return min(days, default=None)


def _day_of(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
