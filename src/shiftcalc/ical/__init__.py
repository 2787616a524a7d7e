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
from datetime import UTC, date, datetime
from typing import Literal, TypeVar

from .._errors import CalendarError
from .._model import (
    Interval,
    OriginBase,
    OriginRef,
    Profile,
    Schedule,
    SkippedComponent,
    Source,
    UnresolvedName,
    Window,
    interval_row,
    origin_of,
    utc_window,
)
from ._expansion import MAX_OCCURRENCES
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
    "final_shifts_to_ics",
    "first_day",
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
        OriginRef,
    ],
    _R,
]
"""What makes one record: ``row(start, end, users, level, is_override, shift_id, all_day,
missing_users, source, origin)``, ``origin`` a reference (:func:`~shiftcalc._model.origin_of`)."""


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
    origin: OriginRef,
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
        origin_of(origin),
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
) -> list[_R]:
    """:func:`calendar_records`, each record made by ``row`` (:data:`RecordRow`): the
    resolution makes its own tuples, with no Interval and Origin per record (a big calendar
    has hundreds of thousands)."""
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
        found = oncall_occurrences(events, window, report, max_occurrences)
    else:
        context = StrictContext(root, schedule, zones)
        found = strict_occurrences(events, context, window, report, max_occurrences)
    users = Users(schedule)
    calendar: Literal["primary", "overrides"] = "overrides" if overrides else "primary"
    heads: dict[int, _Head] = {}
    records: list[_R] = []
    append = records.append
    for occ in found:
        event = occ.event
        head = heads.get(event.index)
        if head is None:
            head = heads[event.index] = _head(event, profile, users, calendar, unresolved)
        groups, missing, shift_id, source, base = head
        start, end = occ.start.astimezone(UTC), occ.end.astimezone(UTC)
        origin = (base, start, None)  # one per occurrence, shared by its records
        level, all_day = event.level, occ.all_day
        for group in groups:
            append(
                row(
                    start, end, group, level, overrides, shift_id, all_day, missing, source, origin
                )
            )
    return records


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
