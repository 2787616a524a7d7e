"""Hypothesis strategies for shiftcalc's values, for your own property tests.

Needs the ``hypothesis`` extra (``pip install 'shiftcalc[hypothesis]'``). Every value drawn is
valid: dumping it with :func:`shiftcalc.dump_scenario` and loading it back with
:func:`shiftcalc.load_scenario` in the named ``profile`` gives the same value.

Values are kept small so that tests stay fast: starts on whole minutes between 2019 and 2027,
durations from 15 minutes to 14 days, at most a handful of users and rotation groups, and
windows of at most ``max_days`` placed near the shifts (:func:`scenarios`).

>>> from hypothesis import given
>>> from shiftcalc.strategies import schedules, windows
>>> @given(schedules(max_shifts=3), windows(max_days=7))
... def test_resolves(schedule, window): ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "shiftcalc.strategies needs Hypothesis: install it with "
        "pip install 'shiftcalc[hypothesis]'"
    ) from exc

from ._errors import EngineError
from ._model import (
    FREQUENCIES,
    SHIFT_TYPES,
    SOURCES,
    WEEKDAYS,
    Frequency,
    Profile,
    Schedule,
    ScheduleType,
    Shift,
    ShiftSwap,
    ShiftType,
    User,
    Window,
)
from ._recurrence import RecurrenceRule
from ._resolve import resolve
from ._scenario import Scenario
from ._tz import get_zone

__all__ = [
    "DEFAULT_USER_IDS",
    "calendars",
    "recurrence_rules",
    "scenarios",
    "schedules",
    "shift_swaps",
    "shifts",
    "time_zones",
    "users",
    "windows",
]


DEFAULT_USER_IDS: tuple[str, ...] = ("alice", "bob", "carol", "dave", "erin")
"""The user ids :func:`shifts` and :func:`shift_swaps` name when not told otherwise."""

_DST_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "America/Sao_Paulo",  # DST until February 2019
    "Pacific/Chatham",  # UTC+12:45 / +13:45
    "America/Santiago",  # southern-hemisphere DST, changes at midnight
    "Antarctica/Troll",  # a two-hour DST shift: a later wall time can be an earlier instant
)
_FIXED_ZONES: tuple[str, ...] = (
    "UTC",
    "Asia/Kolkata",  # UTC+5:30
    "Asia/Kathmandu",  # UTC+5:45
    "Asia/Tokyo",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Honolulu",  # UTC-10
    "America/Phoenix",
)

_FIRST = datetime(2019, 1, 1)
_LAST = datetime(2027, 12, 31, 23, 59)
_MINUTES = int((_LAST - _FIRST) / timedelta(minutes=1))
_MIN_DURATION = timedelta(minutes=15)
_MAX_DURATION = timedelta(days=14)
# Longest duration per frequency: keeps the number of overlapping occurrences small.
_MAX_DURATION_FOR: dict[str | None, timedelta] = {
    None: _MAX_DURATION,
    "hourly": timedelta(hours=6),
    "daily": timedelta(days=3),
    "weekly": _MAX_DURATION,
    "monthly": _MAX_DURATION,
}


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def _check_profile(profile: str) -> None:
    _check(profile in ("strict", "oncall"), f"profile={profile!r}: expected 'strict' or 'oncall'")


def _check_size(name: str, low: int, high: int, ceiling: int) -> None:
    _check(
        isinstance(low, int) and isinstance(high, int),
        f"{name}: min and max must be integers, got {low!r} and {high!r}",
    )
    _check(0 <= low <= high <= ceiling, f"{name}: need 0 <= {low} <= {high} <= {ceiling}")


# --------------------------------------------------------------------------- time


def time_zones(*, dst: bool | None = None) -> st.SearchStrategy[str]:
    """IANA zone names that every profile accepts.

    ``dst=True``: zones whose UTC offset changes between 2019 and 2027 (including 30-minute
    and midnight changes); ``dst=False``: fixed-offset zones (UTC, +5:30, +5:45, +14, -10...);
    ``None``: both. Shrinks towards ``UTC`` and ``America/New_York``.
    """
    _check(dst in (None, True, False), f"dst={dst!r}: expected True, False or None")
    if dst is None:
        return st.sampled_from(_FIXED_ZONES[:1] + _DST_ZONES + _FIXED_ZONES[1:])
    return st.sampled_from(_DST_ZONES if dst else _FIXED_ZONES)


@lru_cache(maxsize=64)
def _transitions(zone_name: str) -> tuple[datetime, ...]:
    """The wall-clock instants (before the change) at which ``zone_name`` changes offset."""
    zone = get_zone(zone_name)
    found: list[datetime] = []
    step = timedelta(hours=1)
    day = datetime(_FIRST.year, 1, 1, tzinfo=UTC)
    end = datetime(_LAST.year + 1, 1, 1, tzinfo=UTC)
    previous = day.astimezone(zone).utcoffset()
    while day < end:
        following = day + timedelta(days=1)
        offset = following.astimezone(zone).utcoffset()
        if offset != previous:
            probe = day
            while probe.astimezone(zone).utcoffset() == previous:
                probe += step
            found.append(probe.astimezone(zone).replace(tzinfo=None))
            previous = offset
        day = following
    return tuple(found)


def _wall_times(zone_names: Sequence[str] = ()) -> st.SearchStrategy[datetime]:
    """Naive whole-minute wall-clock times in 2019..2027, often close to a DST change."""
    uniform = st.integers(0, _MINUTES).map(lambda m: _FIRST + timedelta(minutes=m))
    changes = sorted({t for name in zone_names for t in _transitions(name)})
    if not changes:
        return uniform
    near = st.builds(
        lambda t, m: t + timedelta(minutes=m),
        st.sampled_from(changes),
        st.integers(-180, 180),
    )
    return st.one_of(uniform, near)


def _instants() -> st.SearchStrategy[datetime]:
    return st.integers(0, _MINUTES).map(
        lambda m: (_FIRST + timedelta(minutes=m)).replace(tzinfo=UTC)
    )


def windows(*, max_days: int = 14) -> st.SearchStrategy[Window]:
    """Query windows ``[start, end)`` in UTC on whole minutes, from 0 to ``max_days`` long.

    ``max_days`` is at most 365, so every window is valid in both profiles.
    """
    _check_size("max_days", 0, max_days, 365)
    return st.builds(
        lambda start, minutes: Window(start=start, end=start + timedelta(minutes=minutes)),
        _instants(),
        st.integers(0, max_days * 1440),
    )


# --------------------------------------------------------------------------- recurrence


_ON_CALL_FREQS = ("DAILY", "WEEKLY", "HOURLY", "MONTHLY")
_ALL_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "SECONDLY")
_MONTHDAYS = st.integers(-31, 31).filter(bool)


def _subset(elements: st.SearchStrategy[int], max_size: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.lists(elements, unique=True, max_size=max_size).map(tuple)


@st.composite
def _rules(draw: st.DrawFn, full_grammar: bool) -> RecurrenceRule:
    freq = draw(st.sampled_from(_ALL_FREQS if full_grammar else _ON_CALL_FREQS))
    rank = _ALL_FREQS.index(freq)
    weekly, monthly, yearly = freq == "WEEKLY", freq == "MONTHLY", freq == "YEARLY"
    interval = draw(st.integers(1, 4))
    wkst = draw(st.integers(0, 6))
    bymonth = draw(_subset(st.integers(1, 12), 3))
    bymonthday: tuple[int, ...] = ()
    if not weekly:
        bymonthday = draw(_subset(_MONTHDAYS, 3))
    if not full_grammar:
        byday = tuple((wd, None) for wd in draw(_subset(st.integers(0, 6), 4)))
        return RecurrenceRule(
            freq=freq,
            interval=interval,
            wkst=wkst,
            byday=byday,
            bymonth=bymonth,
            bymonthday=bymonthday,
        )
    byweekno = draw(_subset(st.integers(-53, 53).filter(bool), 2)) if yearly else ()
    ordinals = (monthly or yearly) and not byweekno
    ordinal = st.none() | st.integers(-5, 5).filter(bool) if ordinals else st.none()
    byday = tuple(draw(st.lists(st.tuples(st.integers(0, 6), ordinal), unique=True, max_size=3)))
    byyearday: tuple[int, ...] = ()
    if rank in (3, 4, 5, 6):  # YEARLY, HOURLY, MINUTELY, SECONDLY (rank order of _ALL_FREQS)
        byyearday = draw(_subset(st.integers(-366, 366).filter(bool), 2))
    byhour = draw(_subset(st.integers(0, 23), 3))
    byminute = draw(_subset(st.integers(0, 59), 2))
    bysecond = draw(_subset(st.integers(0, 60), 2))
    has_parts = bool(
        byday or bymonth or bymonthday or byyearday or byweekno or byhour or byminute or bysecond
    )
    bysetpos = draw(_subset(st.integers(-10, 10).filter(bool), 2)) if has_parts else ()
    end = draw(st.sampled_from(["none", "count", "until"]))
    count = draw(st.integers(1, 20)) if end == "count" else None
    until: datetime | date | None = None
    if end == "until":
        moment = draw(_wall_times())
        until = draw(st.sampled_from([moment, moment.replace(tzinfo=UTC), moment.date()]))
    return RecurrenceRule(
        freq=freq,
        interval=interval,
        count=count,
        until=until,
        wkst=wkst,
        bysecond=bysecond,
        byminute=byminute,
        byhour=byhour,
        byday=byday,
        bymonthday=bymonthday,
        byyearday=byyearday,
        byweekno=byweekno,
        bymonth=bymonth,
        bysetpos=bysetpos,
    )


def recurrence_rules(*, full_grammar: bool = False) -> st.SearchStrategy[RecurrenceRule]:
    """Valid :class:`RecurrenceRule` values.

    By default the on-call subset that shifts use: FREQ hourly, daily, weekly or monthly, with
    INTERVAL, plain BYDAY, BYMONTH, BYMONTHDAY and WKST. ``full_grammar=True`` draws from all
    of RFC 5545: every FREQ, COUNT or UNTIL (floating, UTC or a date), BYSETPOS, BYWEEKNO,
    BYYEARDAY, ordinal BYDAY, BYHOUR, BYMINUTE and BYSECOND. Rules that never match are valid
    and can be drawn.
    """
    _check(isinstance(full_grammar, bool), f"full_grammar={full_grammar!r}: expected a bool")
    return _rules(full_grammar)


# --------------------------------------------------------------------------- users, shifts


def users(*, ids: Sequence[str] = DEFAULT_USER_IDS) -> st.SearchStrategy[User]:
    """:class:`User` values with an id from ``ids``, a username and maybe an e-mail."""
    _check(len(ids) > 0 and all(isinstance(i, str) and i for i in ids), "ids: non-empty strings")
    return st.builds(
        lambda user_id, alias, mail: User(
            id=user_id,
            username=user_id if alias is None else f"{user_id}.{alias}",
            email=f"{user_id}@example.com" if mail else None,
        ),
        st.sampled_from(tuple(ids)),
        st.none() | st.sampled_from(("oncall", "sre")),
        st.booleans(),
    )


def _check_ids(name: str, ids: Sequence[str]) -> None:
    _check(
        not isinstance(ids, str) and len(ids) > 0 and all(isinstance(i, str) and i for i in ids),
        f"{name}={ids!r}: expected a non-empty sequence of user ids",
    )


@st.composite
def _shift(
    draw: st.DrawFn,
    types: tuple[ShiftType, ...],
    user_ids: tuple[str, ...],
    min_groups: int,
    max_groups: int,
    zones: tuple[str, ...],
    profile: Profile,
) -> Shift:
    # The phases draw in a fixed order (the order is the shape of the examples, and shrinking
    # follows it): what every type draws, then the override, or the layer fields, the
    # recurrence fields and the users.
    basics = _draw_basics(draw, types, zones)
    member = st.sampled_from(user_ids)
    if basics.type == "override":
        return _draw_override(draw, basics, member, min_groups, min(max_groups, len(user_ids)))
    layer = _draw_layer_fields(draw, basics, oncall=profile == "oncall")
    if basics.type == "single_event":
        users = tuple(draw(st.lists(member, unique=True, max_size=3)))
        return Shift(**basics.fields(), **layer, users=users)
    recurrence = _draw_recurrence(draw, basics)
    if basics.type == "recurrent_event":
        users = tuple(draw(st.lists(member, unique=True, max_size=3)))
        return Shift(**basics.fields(), **layer, **recurrence, users=users)
    group: st.SearchStrategy[tuple[str, ...]] = st.lists(
        member, unique=True, min_size=0 if profile == "oncall" else 1, max_size=2
    ).map(tuple)
    groups = tuple(draw(st.lists(group, min_size=max(min_groups, 1), max_size=max(max_groups, 1))))
    index = draw(st.integers(0, len(groups) - 1))
    return Shift(
        **basics.fields(),
        **layer,
        **recurrence,
        rolling_users=groups,
        start_rotation_from_user_index=index,
    )


@dataclass(frozen=True, slots=True)
class _Basics:
    """What every shift type draws first."""

    type: ShiftType
    time_zone: str | None
    start: datetime
    frequency: Frequency | None  # None for single events and overrides
    duration: timedelta
    name: str | None

    def fields(self) -> dict[str, Any]:
        """The Shift's fields drawn so far (the frequency goes with the recurrence fields)."""
        return {
            "type": self.type,
            "start": self.start,
            "duration": self.duration,
            "name": self.name,
            "time_zone": self.time_zone,
        }


def _draw_basics(draw: st.DrawFn, types: tuple[ShiftType, ...], zones: tuple[str, ...]) -> _Basics:
    shift_type = draw(st.sampled_from(types))
    zone = draw(st.none() | time_zones())
    start = draw(_wall_times(zones + (() if zone is None else (zone,))))
    recurring = shift_type in ("recurrent_event", "rolling_users")
    frequency: Frequency | None = draw(st.sampled_from(FREQUENCIES)) if recurring else None
    longest = _MAX_DURATION_FOR[frequency]
    duration = timedelta(minutes=draw(st.integers(15, int(longest / timedelta(minutes=1)))))
    name = draw(st.none() | st.sampled_from(("primary", "secondary")))
    return _Basics(shift_type, zone, start, frequency, duration, name)


def _draw_override(
    draw: st.DrawFn, basics: _Basics, member: st.SearchStrategy[str], fewest: int, most: int
) -> Shift:
    """A web override: its users as one group each, or all in one group."""
    people = draw(st.lists(member, unique=True, min_size=fewest, max_size=most))
    together = len(people) > 1 and draw(st.booleans())
    chosen: tuple[tuple[str, ...], ...] = (
        (tuple(people),) if together else tuple((p,) for p in people)
    )
    return Shift(
        **basics.fields(),
        level=99,
        rotation_start=basics.start,
        rolling_users=chosen,
        source="web",
    )


def _draw_layer_fields(draw: st.DrawFn, basics: _Basics, *, oncall: bool) -> dict[str, Any]:
    """level, source, rotation_start, until and week_start of a shift that is no override."""
    start = basics.start
    level = draw(st.integers(0, 3))
    source = draw(st.sampled_from(SOURCES))
    late = st.integers(0, 60 * 24 * 21).map(lambda m: start + timedelta(minutes=m))
    rotation_start = draw(st.none() | late)
    until = draw(
        st.none() | st.integers(0, 60 * 24 * 60).map(lambda m: start + timedelta(minutes=m))
    )
    if oncall and until is not None and draw(st.booleans()):
        until = start - (until - start)  # the API does not check until >= start
    week_start = draw(st.none() | st.sampled_from(WEEKDAYS))
    if basics.frequency == "weekly" and week_start is None:
        week_start = draw(st.sampled_from(WEEKDAYS))
    return {
        "level": level,
        "source": source,
        "rotation_start": rotation_start,
        "until": until,
        "week_start": week_start,
    }


def _draw_recurrence(draw: st.DrawFn, basics: _Basics) -> dict[str, Any]:
    """frequency, interval, by_day, by_month and by_monthday of a recurring shift."""
    by_day = tuple(draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=4)))
    by_month = tuple(draw(st.lists(st.integers(1, 12), unique=True, max_size=3)))
    by_monthday: tuple[int, ...] = ()
    # a daily rotation takes no by_monthday, and an interval of at most its by_day's length
    daily_rotation = basics.type == "rolling_users" and basics.frequency == "daily"
    if not daily_rotation:
        by_monthday = tuple(draw(st.lists(_MONTHDAYS, unique=True, max_size=3)))
    top = min(3, len(by_day)) if daily_rotation and by_day else 3
    interval = draw(st.integers(1, top))
    return {
        "frequency": basics.frequency,
        "interval": interval,
        "by_day": by_day,
        "by_month": by_month,
        "by_monthday": by_monthday,
    }


def shifts(
    *,
    types: Sequence[ShiftType] = SHIFT_TYPES,
    users: Sequence[str] = DEFAULT_USER_IDS,
    min_groups: int = 1,
    max_groups: int = 4,
    time_zones: Sequence[str] = (),
    profile: Profile = "strict",
) -> st.SearchStrategy[Shift]:
    """:class:`Shift` values of the given ``types``, naming only the user ids in ``users``.

    Rotations (``rolling_users``) get ``min_groups`` to ``max_groups`` groups of one or two
    users (``oncall`` profile: possibly empty groups, which the API accepts); overrides get
    ``min_groups`` to ``max_groups`` users, as one group each or all in one group. Starts are
    often drawn close to a DST change of the shift's zone or of one of ``time_zones`` (pass the
    schedule's zone). Valid in ``profile`` as a shift of a scenario whose users include
    ``users``.
    """
    _check_profile(profile)
    _check(
        not isinstance(types, str) and len(types) > 0 and all(t in SHIFT_TYPES for t in types),
        f"types={types!r}: expected a non-empty sequence of {SHIFT_TYPES}",
    )
    _check_ids("users", users)
    _check_size("min_groups/max_groups", min_groups, max_groups, 8)
    _check(
        not isinstance(time_zones, str) and all(_known_zone(z) for z in time_zones),
        f"time_zones={time_zones!r}: expected IANA zone names",
    )
    if "override" in types:
        _check(
            min_groups <= len(set(users)),
            f"min_groups={min_groups} exceeds the {len(set(users))} users an override can use",
        )
    return _shift(
        tuple(dict.fromkeys(types)),
        tuple(dict.fromkeys(users)),
        min_groups,
        max_groups,
        tuple(time_zones),
        profile,
    )


def shift_swaps(*, users: Sequence[str] = DEFAULT_USER_IDS) -> st.SearchStrategy[ShiftSwap]:
    """:class:`ShiftSwap` values between users of ``users`` (taken or still open).

    Both bounds are UTC instants on whole minutes, at most 7 days apart.
    """
    _check_ids("users", users)
    return _swaps(tuple(users), _instants())


def _swaps(
    user_ids: tuple[str, ...], starts: st.SearchStrategy[datetime]
) -> st.SearchStrategy[ShiftSwap]:
    return st.builds(
        lambda who, by, start, minutes: ShiftSwap(
            beneficiary=who,
            benefactor=by,
            swap_start=start,
            swap_end=start + timedelta(minutes=minutes),
        ),
        st.sampled_from(user_ids),
        st.none() | st.sampled_from(user_ids),
        starts,
        st.integers(0, 7 * 1440),
    )


# --------------------------------------------------------------------------- calendars

_ICAL_FIRST = datetime(2024, 1, 1)
_ICAL_DAYS = 28
"""Calendars drawn by :func:`calendars` start their events in the 28 days from 2024-01-01."""
_ICAL_RULES = ("", "daily", "weekly", "monthly")


def _ical_stamp(wall: datetime, zone: str | None) -> str:
    """A DATE-TIME property's parameters and value: in ``zone`` (TZID), else UTC (``Z``)."""
    text = f"{wall:%Y%m%dT%H%M%S}"
    return f";TZID={zone}:{text}" if zone is not None else f":{text}Z"


@st.composite
def _vevent_lines(
    draw: st.DrawFn, index: int, names: Sequence[str], zones: Sequence[str], attendees: bool
) -> str:
    """One VEVENT (and perhaps a moved instance of it) as content lines."""
    all_day = draw(st.integers(0, 4)) == 0
    start = _ICAL_FIRST + timedelta(minutes=15 * draw(st.integers(0, _ICAL_DAYS * 96 - 1)))
    zone = None if all_day else draw(st.sampled_from([None, *zones]))
    uid = f"UID:event-{index}@shiftcalc.strategies"
    if all_day:
        days = draw(st.integers(1, 7))
        when = [
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + timedelta(days=days):%Y%m%d}",
        ]
    else:
        minutes = draw(st.integers(1, 4 * 24)) * 15
        end = _ical_stamp(start + timedelta(minutes=minutes), zone)
        by_dtend = draw(st.booleans())
        when = [f"DTSTART{_ical_stamp(start, zone)}"]
        when.append(f"DTEND{end}" if by_dtend else f"DURATION:PT{minutes}M")
    rule = draw(st.sampled_from(_ICAL_RULES))
    lines = [uid, *when]
    interval = draw(st.integers(1, 3))
    if rule == "daily":
        lines.append(f"RRULE:FREQ=DAILY;INTERVAL={interval}" + draw(_ical_limit(start, all_day)))
    elif rule == "weekly":
        picked = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True))
        by_day = ",".join(sorted(picked, key=WEEKDAYS.index))
        lines.append(f"RRULE:FREQ=WEEKLY;INTERVAL={interval};BYDAY={by_day}")
    elif rule == "monthly":
        lines.append(f"RRULE:FREQ=MONTHLY;BYMONTHDAY={min(start.day, 28)}")
    moved = ""
    if rule == "daily" and not all_day:
        # an instance of a daily rule by construction (DTSTART + n * INTERVAL days)
        instance = start + timedelta(days=interval * draw(st.integers(1, 4)))
        if draw(st.booleans()):
            lines.append(f"EXDATE{_ical_stamp(instance, zone)}")
        else:
            shift = timedelta(minutes=15 * draw(st.integers(-8, 8)))
            who = draw(_ical_names(names, attendees))
            moved = _moved_instance(uid, instance, shift, zone, who)
    lines += draw(_ical_names(names, attendees))
    return _component(lines) + moved


def _component(lines: Sequence[str]) -> str:
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


def _moved_instance(
    uid: str, instance: datetime, shift: timedelta, zone: str | None, names: list[str]
) -> str:
    """A RECURRENCE-ID override: ``instance`` moved by ``shift``, one hour long."""
    return _component(
        [
            uid,
            f"RECURRENCE-ID{_ical_stamp(instance, zone)}",
            f"DTSTART{_ical_stamp(instance + shift, zone)}",
            f"DTEND{_ical_stamp(instance + shift + timedelta(hours=1), zone)}",
            *names,
        ]
    )


@st.composite
def _ical_limit(draw: st.DrawFn, start: datetime, all_day: bool) -> str:
    """Nothing, a COUNT or an UNTIL (a day boundary after the start) for a daily rule."""
    kind = draw(st.sampled_from(["", "count", "until"]))
    if kind == "count":
        return f";COUNT={draw(st.integers(1, 30))}"
    if kind == "until":
        until = datetime.combine(start.date() + timedelta(days=draw(st.integers(1, 40))), time())
        return f";UNTIL={until:%Y%m%d}" if all_day else f";UNTIL={until:%Y%m%dT%H%M%S}Z"
    return ""


@st.composite
def _ical_names(draw: st.DrawFn, names: Sequence[str], attendees: bool) -> list[str]:
    """Who the event names: a SUMMARY (perhaps with a ``[Ln]`` level) or ATTENDEEs."""
    if not attendees or draw(st.booleans()):
        level = draw(st.sampled_from(["", "[L1] ", "[L2] "]))
        return [f"SUMMARY:{level}{draw(st.sampled_from(tuple(names)))}"]
    picked = draw(st.lists(st.sampled_from(tuple(names)), min_size=1, max_size=2, unique=True))
    return [f"ATTENDEE:mailto:{name}" for name in picked]


def calendars(
    *,
    names: Sequence[str] = DEFAULT_USER_IDS,
    max_events: int = 4,
    time_zones: Sequence[str] = ("Europe/London", "America/New_York", "UTC"),
    profile: Profile = "strict",
) -> st.SearchStrategy[str]:
    """iCalendar text for an ``ical`` schedule: one to ``max_events`` VEVENTs starting in the
    28 days from 2024-01-01, timed (in one of ``time_zones`` or in UTC) or all-day, once or
    recurring (DAILY with INTERVAL, COUNT or UNTIL; WEEKLY with BYDAY; MONTHLY), with EXDATEs
    and RECURRENCE-ID overrides of daily ones, naming ``names`` in SUMMARY (with ``[Ln]``
    levels) or, in ``strict``, as ATTENDEEs (``mailto:``). Both profiles read every one
    without a CalendarError; in ``oncall`` names are only written in SUMMARY, since Grafana
    OnCall compares an ATTENDEE's value whole, ``mailto:`` included, and a standard ATTENDEE
    names nobody there.
    """
    _check_profile(profile)
    _check_ids("names", names)
    _check(
        all(name == name.strip() and name.isprintable() and name[:2] != "[L" for name in names),
        f"names={names!r}: expected printable names without spaces at either end or a leading "
        "level tag ([L2]), which a SUMMARY cannot carry as they are",
    )
    _check_size("max_events", 1, max_events, 50)
    _check(
        not isinstance(time_zones, str) and all(_known_zone(z) for z in time_zones),
        f"time_zones={time_zones!r}: expected IANA zone names",
    )
    zones = tuple(time_zones)
    return (
        st.integers(1, max_events)
        .flatmap(
            lambda count: st.tuples(
                *(_vevent_lines(i, tuple(names), zones, profile == "strict") for i in range(count))
            )
        )
        .map(
            lambda events: (
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//shiftcalc//strategies//EN"
                "\r\n" + "".join(events) + "END:VCALENDAR\r\n"
            )
        )
    )


def _known_zone(name: object) -> bool:
    try:
        get_zone(str(name))
    except (KeyError, ValueError):
        return False
    return isinstance(name, str)


# --------------------------------------------------------------------------- schedules


@st.composite
def _schedule(
    draw: st.DrawFn,
    min_shifts: int,
    max_shifts: int,
    types: tuple[ShiftType, ...],
    max_swaps: int,
    profile: Profile,
    schedule_types: tuple[ScheduleType, ...],
) -> Schedule:
    people = draw(st.lists(users(), min_size=1, max_size=4, unique_by=lambda u: u.id))
    ids = tuple(u.id for u in people)
    zone = draw(time_zones())
    schedule_type: ScheduleType = draw(st.sampled_from(schedule_types))
    if schedule_type == "ical":  # its rotations are its calendar's events
        names = [u.username for u in people] + [u.email for u in people if u.email]
        return Schedule(
            type="ical",
            time_zone=zone,
            users=tuple(people),
            ical_primary=draw(calendars(names=names, profile=profile)),
        )
    groups = min(4, len(ids))
    shift_list = draw(
        st.lists(
            shifts(
                types=types,
                users=ids,
                min_groups=1,
                max_groups=groups,
                time_zones=(zone,),
                profile=profile,
            ),
            min_size=min_shifts,
            max_size=max_shifts,
        )
    )
    starts = [(s.start - timedelta(days=1)).replace(tzinfo=UTC) for s in shift_list] or [
        _FIRST.replace(tzinfo=UTC)
    ]
    near = st.builds(
        lambda base, m: base + timedelta(minutes=m),
        st.sampled_from(starts),
        st.integers(0, 30 * 1440),
    )
    swaps = draw(st.lists(_swaps(ids, near), max_size=max_swaps))
    return Schedule(
        type=schedule_type,
        time_zone=zone,
        name=draw(st.none() | st.just("team")),
        users=tuple(people),
        shifts=tuple(shift_list),
        swaps=tuple(swaps),
        enable_web_overrides=draw(st.booleans()),
    )


def schedules(
    *,
    min_shifts: int = 0,
    max_shifts: int = 4,
    types: Sequence[ShiftType] = SHIFT_TYPES,
    max_swaps: int = 2,
    profile: Profile = "strict",
    schedule_types: Sequence[ScheduleType] = ("calendar", "web"),
) -> st.SearchStrategy[Schedule]:
    """:class:`Schedule` values of ``schedule_types``: a ``calendar`` or ``web`` schedule has
    ``min_shifts`` to ``max_shifts`` shifts (of ``types``), one to four users and at most
    ``max_swaps`` swaps near the shifts; an ``ical`` one has one to four users and a calendar
    from :func:`calendars` naming them by username or e-mail (and no shifts).

    Every shift names only the schedule's users; the schedule's zone is drawn from
    :func:`time_zones`. Valid in ``profile``.
    """
    _check_profile(profile)
    _check_size("min_shifts/max_shifts", min_shifts, max_shifts, 50)
    _check_size("max_swaps", 0, max_swaps, 20)
    _check(
        not isinstance(types, str) and len(types) > 0 and all(t in SHIFT_TYPES for t in types),
        f"types={types!r}: expected a non-empty sequence of {SHIFT_TYPES}",
    )
    kinds = ("calendar", "web", "ical")
    _check(
        not isinstance(schedule_types, str)
        and len(schedule_types) > 0
        and all(t in kinds for t in schedule_types),
        f"schedule_types={schedule_types!r}: expected a non-empty sequence of {kinds}",
    )
    return _schedule(
        min_shifts,
        max_shifts,
        tuple(dict.fromkeys(types)),
        max_swaps,
        profile,
        tuple(dict.fromkeys(schedule_types)),
    )


@st.composite
def _scenario(draw: st.DrawFn, schedule: st.SearchStrategy[Schedule], max_days: int) -> Scenario:
    drawn = draw(schedule)
    anchors = [(s.start - timedelta(days=2)).replace(tzinfo=UTC) for s in drawn.shifts] or [
        (_ICAL_FIRST if drawn.type == "ical" else _FIRST).replace(tzinfo=UTC)
    ]
    # an ical schedule's events start in _ICAL_DAYS days: mostly a window among them
    near = _ICAL_DAYS if drawn.type == "ical" else 40
    start = draw(
        st.builds(
            lambda base, m: base + timedelta(minutes=m),
            st.sampled_from(anchors),
            st.integers(0, near * 1440) | st.integers(0, 400 * 1440),
        )
    )
    length = timedelta(minutes=draw(st.integers(0, max_days * 1440)))
    return Scenario(schedule=drawn, window=Window(start=start, end=start + length))


def scenarios(
    *,
    min_shifts: int = 0,
    max_shifts: int = 4,
    types: Sequence[ShiftType] = SHIFT_TYPES,
    max_days: int = 14,
    profile: Profile = "strict",
    resolvable: bool = False,
    schedule_types: Sequence[ScheduleType] = ("calendar", "web"),
) -> st.SearchStrategy[Scenario]:
    """:class:`~shiftcalc.Scenario` values: a schedule from :func:`schedules` and a window of
    at most ``max_days`` days starting near one of its shifts (so that it is not empty; for an
    ``ical`` schedule, near its calendar's first events), of ``schedule_types``.

    In the ``oncall`` profile some drawn scenarios make :func:`shiftcalc.resolve` raise
    :class:`~shiftcalc.EngineError`, as Grafana OnCall's engine crashes on them (a start in a
    DST gap or fold, an ``until`` before the start): about one in fifteen. They are kept by
    default, since an embedder must handle them; ``resolvable=True`` draws only scenarios that
    resolve in ``profile``.
    """
    _check_size("max_days", 0, max_days, 365)
    drawn = _scenario(
        schedules(
            min_shifts=min_shifts,
            max_shifts=max_shifts,
            types=types,
            profile=profile,
            schedule_types=schedule_types,
        ),
        max_days,
    )
    return drawn.filter(lambda scenario: _resolves(scenario, profile)) if resolvable else drawn


def _resolves(scenario: Scenario, profile: Profile) -> bool:
    try:
        resolve(scenario.schedule, scenario.window, profile=profile)
    except EngineError:  # the engine's own crash, reproduced: not a resolvable scenario
        return False
    return True
