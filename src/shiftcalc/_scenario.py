"""Scenarios: load and validate the scenario JSON document, and write it back.

A scenario is one JSON object with the schedule, its users, its shifts (in Grafana OnCall's
public ``on_call_shifts`` API shape), optional shift swaps and the query window. Loading rejects
exactly what OnCall's public API rejects, with OnCall's own message as the error's ``reason``;
the ``strict`` profile (the default) rejects a few more inputs that the API lets through.

Every problem raises :class:`~shiftcalc.ValidationError` naming the field path
(``shifts[2].by_day[1]``) and the value; no bare ``KeyError``/``TypeError`` escapes.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, cast

from ._errors import ValidationError, shortened
from ._model import (
    FREQUENCIES,
    MAX_DURATION,
    MAX_DURATION_SECONDS,
    MSG_BY_DAY,
    MSG_BY_MONTH,
    MSG_BY_MONTHDAY,
    MSG_DAILY_INTERVAL,
    MSG_DAILY_MONTHDAY,
    MSG_FREQUENCY,
    MSG_FREQUENCY_REQUIRED,
    MSG_INTEGER,
    MSG_INTERVAL,
    MSG_START_INDEX_REQUIRED,
    MSG_SWAP_ORDER,
    MSG_TIME_ZONE,
    MSG_TYPE,
    MSG_WEEK_START,
    MSG_WEEK_START_REQUIRED,
    SCHEDULE_TYPES,
    SOURCES,
    Frequency,
    Profile,
    Schedule,
    ScheduleType,
    Shift,
    ShiftSwap,
    ShiftType,
    Source,
    User,
    UserIndex,
    Window,
    canonical_zone,
    check_api_rules,
    check_by_day,
    check_by_month,
    check_by_monthday,
    check_interval,
    check_level,
    check_primary,
    check_profile,
    check_schedule,
    check_shift_type,
    check_start_index,
    check_strict_shift,
    check_unicode,
    check_week_start,
    check_zone,
    duration_limit_reason,
    loaded_shift,
    loaded_shift_row,
    named_user,
    within,
)

__all__ = [
    "ONCALL_MAX_WINDOW",
    "Scenario",
    "dump_scenario",
    "load_scenario",
    "parse_schedule",
    "parse_shift",
    "parse_window",
]

ONCALL_MAX_WINDOW = timedelta(days=365)
"""The longest window OnCall's API answers (``MSG_WINDOW_SPAN``); streaming and coverage walk
longer spans in windows of this length in the ``oncall`` profile."""

# the names of OnCall's messages, importable from here as they always were
_MESSAGES = (
    MSG_BY_DAY,
    MSG_BY_MONTH,
    MSG_BY_MONTHDAY,
    MSG_DAILY_INTERVAL,
    MSG_DAILY_MONTHDAY,
    MSG_FREQUENCY,
    MSG_FREQUENCY_REQUIRED,
    MSG_INTERVAL,
    MSG_START_INDEX_REQUIRED,
    MSG_TIME_ZONE,
    MSG_TYPE,
    MSG_WEEK_START,
    MSG_WEEK_START_REQUIRED,
)

# OnCall's messages, word for word (reference §1.4, §1.5); those of rules on a value live
# with the rule in _model.
MSG_REQUIRED = "This field is required."
MSG_NOT_NULL = "This field may not be null."
MSG_DATETIME = "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""
MSG_INTERVAL_NULL = "Field 'interval' must be a positive integer"
MSG_DURATION = (
    "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."
)
MSG_WINDOW_ORDER = "start_date must be less than or equal to end_date"
MSG_WINDOW_SPAN = (
    "The difference between start_date and end_date must be less than one year (365 days)"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SHIFT_KEYS = _words(
    "type name id team_id time_zone level start duration rotation_start frequency interval until"
    " week_start by_day by_month by_monthday users rolling_users start_rotation_from_user_index"
    " source"
)
_SCHEDULE_KEYS = _words("type time_zone name ical_primary ical_overrides enable_web_overrides")
_USER_KEYS = frozenset({"id", "username", "email"})
_SWAP_KEYS = frozenset({"beneficiary", "benefactor", "swap_start", "swap_end"})
_WINDOW_KEYS = frozenset({"start", "end"})

# Fields the public API forces to null/empty per type (reference §1.1).
_RESETS: dict[ShiftType, frozenset[str]] = {
    "single_event": _words(
        "frequency interval by_day by_month by_monthday rolling_users"
        " start_rotation_from_user_index"
    ),
    "recurrent_event": frozenset({"rolling_users", "start_rotation_from_user_index"}),
    "rolling_users": frozenset({"users"}),
    "override": _words(
        "level frequency interval by_day by_month by_monthday rolling_users"
        " start_rotation_from_user_index until"
    ),
}

# What a reset field becomes (a key for every field named in _RESETS).
_RESET_TO: dict[str, Any] = {
    "frequency": None,
    "interval": None,
    "until": None,
    "by_day": (),
    "by_month": (),
    "by_monthday": (),
    "users": (),
    "rolling_users": (),
    "start_rotation_from_user_index": None,
    "level": 0,
}

OVERRIDE_LEVEL = 99
"""The level OnCall gives web overrides, which every scenario override is."""

_NAIVE_STRICT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
# Django's duration formats, which OnCall's DurationField accepts besides integer seconds.
_DURATION_STANDARD = re.compile(
    r"(?:(?P<days>-?\d+) (?:days?, )?)?(?P<sign>-?)(?:(?P<hours>\d+):(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?(?P<seconds>\d+)(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?",
    re.ASCII,
)
_DURATION_ISO = re.compile(
    r"(?P<sign>[-+]?)P(?:(?P<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?",
    re.ASCII,
)
_MISSING: Any = object()
_DURATION_TEXT = 100  # characters: longer duration text is no duration Django reads either
_BEYOND = 10**100  # stands in for a JSON integer too long for int: beyond every limit


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A schedule and the window to compute it over: the content of one scenario file.

    ``now`` is the caller's "now" when the answer depends on it (OnCall ignores untaken swap
    requests that are past due); shiftcalc never reads the clock itself.
    """

    schedule: Schedule
    window: Window
    now: datetime | None = None

    def __post_init__(self) -> None:
        # as Shift and Schedule check theirs: a Scenario of None was taken, and refused later
        check_schedule(self.schedule)
        if not isinstance(self.window, Window):
            _fail("window", self.window, "expected a Window")
        if self.now is not None and (
            not isinstance(self.now, datetime) or self.now.utcoffset() is None
        ):
            _fail("now", self.now, "an aware datetime is required")


# --------------------------------------------------------------------------- small helpers


def _fail(field: str, value: Any, reason: str) -> NoReturn:
    # the value, or a shortened repr of it when it would flood (or break) the message
    raise ValidationError(field, shortened(value), reason)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _object(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(field, value, "expected an object")
    for key in value:
        if not isinstance(key, str):
            _fail(field, key, "expected string keys")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        _fail(field, value, "expected a list")
    return list(value)


def _string(value: Any, field: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        _fail(field, value, "expected a string")
    check_unicode(value, field)
    return value


def _name(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        _fail(field, value, "expected a user name (a non-empty string)")
    check_unicode(value, field)
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for key in data:
        if key not in allowed:
            _fail(_join(prefix, key), data[key], "unknown field")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(value: Any, field: str, *, profile: Profile, reason: str = MSG_INTEGER) -> int:
    """An integer field: strict takes JSON integers only; oncall coerces as DRF does.

    A JSON number too long for ``int`` comes back as a stand-in beyond every limit, with its
    sign, so that the field's limit check refuses it.
    """
    if _is_int(value):
        return cast(int, value)
    if isinstance(value, _Digits):
        return _BEYOND if value.text[:1] != "-" else -_BEYOND
    if profile == "oncall":
        # DRF's IntegerField: int(str(value)) after dropping a trailing ".000".
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            text = re.sub(r"\.0*\s*$", "", value)
            try:
                return int(text)
            except ValueError:
                pass
        _fail(field, value, MSG_INTEGER)
    _fail(field, value, reason)


def _naive_datetime(value: Any, field: str, *, profile: Profile) -> datetime:
    """A wall-clock ``YYYY-MM-DDTHH:MM:SS`` as the API takes it (``strptime`` in ``oncall``)."""
    if not isinstance(value, str):
        _fail(field, value, MSG_DATETIME)
    padded = _NAIVE_STRICT.fullmatch(value)
    if profile == "strict" and not padded:
        _fail(field, value, MSG_DATETIME)
    try:
        if padded:  # the usual, zero-padded form: fromisoformat reads it many times faster
            return datetime.fromisoformat(value)
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        _fail(field, value, MSG_DATETIME)


def _instant(value: Any, field: str) -> datetime:
    """An instant with ``Z`` or an offset, or a date (midnight UTC); returned in UTC."""
    if isinstance(value, str):
        try:
            if _DATE.fullmatch(value):
                return datetime.fromisoformat(value).replace(tzinfo=UTC)
            if _INSTANT.fullmatch(value):
                return datetime.fromisoformat(value).astimezone(UTC)
        except ValueError:
            pass
        except OverflowError:  # well written, but its UTC instant is before 1 or after 9999
            _fail(field, value, "the instant is outside the years 1 to 9999 in UTC")
    _fail(field, value, "expected an instant with Z or a UTC offset, or a date YYYY-MM-DD")


def _zone_name(value: Any, field: str) -> str:
    """A time zone name as pytz accepts it, returned in its canonical spelling."""
    name = canonical_zone(value, field)
    check_zone(name, field)
    return name


def _duration(value: Any, field: str) -> timedelta:
    """Integer seconds, or one of the Django duration formats that OnCall's API accepts.

    A duration longer than :data:`MAX_DURATION` (either sign) is refused, naming the limit.
    """
    if isinstance(value, _Digits) or (
        (_is_int(value) or isinstance(value, float)) and abs(value) > MAX_DURATION_SECONDS
    ):
        _fail(field, value, duration_limit_reason())
    try:
        if _is_int(value):
            return timedelta(0, value)  # (days, seconds): positional is cheaper
        if isinstance(value, float) and math.isfinite(value):
            return timedelta(seconds=value)
        if isinstance(value, str) and len(value) <= _DURATION_TEXT:
            match = _DURATION_STANDARD.fullmatch(value) or _DURATION_ISO.fullmatch(value)
            if match:
                duration = _duration_from_match(match)
                if abs(duration) > MAX_DURATION:
                    _fail(field, value, duration_limit_reason())
                return duration
    except OverflowError:  # a text duration of more than 999,999,999 days
        _fail(field, value, duration_limit_reason())
    except ValueError:
        pass
    _fail(field, value, MSG_DURATION)


def _duration_from_match(match: re.Match[str]) -> timedelta:
    parts = {k: v for k, v in match.groupdict().items() if v is not None}
    sign = -1 if parts.pop("sign", "") == "-" else 1
    micro = parts.pop("microseconds", None)
    days = float(parts.pop("days", "0").replace(",", "."))
    rest = timedelta(**{k: float(v.replace(",", ".")) for k, v in parts.items()})
    if micro is not None:
        rest += timedelta(microseconds=int(micro.ljust(6, "0")))
    return timedelta(days=days) + sign * rest


def _format_naive(value: datetime) -> str:
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )


def _format_instant(value: datetime) -> str:
    utc = value.astimezone(UTC)
    text = _format_naive(utc)
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


# --------------------------------------------------------------------------- users


class _Directory:
    """Name → user id lookup, as :meth:`Schedule.find_user` matches names.

    Without a ``users`` list (``implicit``), every name is a user; the names registered in
    order of first use become the schedule's users, and names that differ only in case are
    the same user (the first spelling is its id).
    """

    __slots__ = ("implicit", "index", "seen")

    def __init__(self, users: Sequence[User] | None) -> None:
        self.implicit = users is None
        self.seen: dict[str, str] = {}  # casefolded name -> the user's id
        self.index = UserIndex(users or ())

    def resolve(self, name: str, register: bool = True) -> str | None:
        """The id of the user called ``name``, or None when there is none."""
        if self.implicit:
            folded = name.casefold()
            found = self.seen.get(folded)
            if found is None:
                if not register:
                    return name
                found = self.seen[folded] = name
            return found
        return self.index.find(name)

    def users(self) -> tuple[User, ...]:
        """The users of an implicit directory, in order of first use."""
        # each name passed the loader's check of a user name: construction's would repeat it
        return tuple(map(named_user, self.seen.values()))


def _parse_users(value: Any, *, profile: Profile) -> tuple[User, ...]:
    users: list[User] = []
    for i, entry in enumerate(_list(value, "users")):
        field = f"users[{i}]"
        if isinstance(entry, str):
            user = User(id=_name(entry, field), username=entry)
        else:
            if not isinstance(entry, Mapping):
                _fail(field, entry, "expected a username or a user object")
            data = _object(entry, field)
            if profile == "strict":
                _unknown_keys(data, _USER_KEYS, field)
            if "id" not in data:
                _fail(f"{field}.id", None, MSG_REQUIRED)
            user_id = _name(data["id"], f"{field}.id")
            username = data.get("username")
            username = user_id if username is None else _name(username, f"{field}.username")
            email = _string(data.get("email"), f"{field}.email", nullable=True)
            user = User(id=user_id, username=username, email=email or None)
        users.append(user)
    UserIndex(users)  # refuses a repeated id, or a name two users share (users[i])
    return tuple(users)


# --------------------------------------------------------------------------- shifts


def parse_shift(
    data: Any,
    *,
    index: int,
    directory: Sequence[User] | None,
    profile: Profile = "strict",
    schedule_type: ScheduleType = "calendar",
) -> Shift:
    """Parse and validate one shift object (``shifts[index]`` of a scenario).

    ``directory`` is the schedule's users, or None when every name is a user.

    Raises:
        ValidationError: the API would reject the shift (``reason`` is OnCall's message), or
            the ``strict`` profile does.
    """
    return _parse_shift(
        data,
        index=index,
        directory=_Directory(directory),
        profile=check_profile(profile),
        schedule_type=schedule_type,
    )


_MONTHDAYS = frozenset(range(-31, 32)) - {0}
_LABELS = ("id", "name", "team_id")  # a shift's optional texts, checked in this order


def _parse_shift(
    raw: Any,
    *,
    index: int,
    directory: _Directory,
    profile: Profile,
    schedule_type: ScheduleType,
) -> Shift:
    # The checks run in the order of OnCall's serializer: datetime formats, then each field in
    # declaration order, then the cross-field checks of create(); the first failure is reported.
    # Each phase below checks its fields in that order, and the phases run in that order.
    del schedule_type  # every type takes the same shift fields; kept for the API's shape
    prefix = f"shifts[{index}]"
    plain = _plain_shift(raw, prefix, directory, profile)
    if plain is not None:
        return plain
    data = _object(raw, prefix)
    if profile == "strict":
        _unknown_keys(data, _SHIFT_KEYS, prefix)
    times = _shift_times(data, prefix, profile=profile)
    common = _common_fields(data, prefix, times, profile=profile)
    recurrence = _recurrence_fields(data, prefix, times, profile=profile)
    source = _source(data.get("source", _MISSING), f"{prefix}.source", profile=profile)
    assignment = _assignment(data, prefix, common.type, directory=directory, profile=profile)
    labels = {key: data.get(key) for key in _LABELS}
    for key, label in labels.items():
        if label is not None and not isinstance(label, str):
            _string(label, f"{prefix}.{key}")  # raises, naming the field (built only then)
    _check_create(data, prefix, common.type, recurrence)
    fields = _with_type_resets(common, recurrence, assignment, source)
    # Every field has passed its rule above, and a type's resets and an override's fixed
    # values pass them too: construction's checks would only run them again (they were a
    # fifth of the loader), so the checked values are assembled as they are.
    fields.update(labels)
    shift = loaded_shift(fields)
    within(prefix, check_api_rules, shift)
    if profile == "strict":
        within(prefix, check_strict_shift, shift)
    return shift


# The shapes the plain path reads (:func:`_plain_shift`): every other key sends a shift down
# the careful path. Rotations without until, by_month, by_monthday or users; overrides that
# name their users (the fields an override resets are checked as sent, so none may be there).
_PLAIN_KEYS: dict[Any, frozenset[str]] = {
    "rolling_users": _words(
        "type name id team_id time_zone level start rotation_start duration frequency interval"
        " week_start by_day rolling_users start_rotation_from_user_index source"
    ),
    "override": _words("type name id team_id time_zone start duration users source"),
}


def _plain_shift(data: Any, prefix: str, directory: _Directory, profile: Profile) -> Shift | None:
    """The shift a plain rotation or override document makes, read with the careful path's
    rules on values of the exact JSON types, without its phases; None (nothing registered)
    whenever anything is off, and the careful path reads the shift and names any failure.
    tests/test_load_speed_paths.py holds every shift made here to the careful path's."""
    shift_type = data.get("type") if type(data) is dict else None
    allowed = _PLAIN_KEYS.get(shift_type) if type(shift_type) is str else None
    if allowed is None or not allowed.issuperset(data):
        return None
    get = data.get
    start, duration = get("start"), get("duration")
    if type(start) is not str or not _NAIVE_STRICT.fullmatch(start) or type(duration) is not int:
        return None
    try:
        wall = datetime.fromisoformat(start)
        rotation_start = get("rotation_start")
        if rotation_start is not None:
            if type(rotation_start) is not str or not _NAIVE_STRICT.fullmatch(rotation_start):
                return None
            rotation_start = datetime.fromisoformat(rotation_start)
        time_zone = get("time_zone")
        if time_zone is not None:
            time_zone = _zone_name(time_zone, "time_zone")
    except (ValueError, ValidationError):
        return None
    shift_id, name, team_id, source = get("id"), get("name"), get("team_id"), get("source")
    if (
        abs(duration) > MAX_DURATION_SECONDS
        or (shift_id is not None and type(shift_id) is not str)
        or (name is not None and type(name) is not str)
        or (team_id is not None and type(team_id) is not str)
        or (source is not None and source not in SOURCES)
    ):
        return None
    head = (shift_type, wall, timedelta(0, duration), shift_id, name, team_id, time_zone)
    if shift_type == "override":
        groups = _plain_override(get("users"), directory)
        if groups is None:
            return None
        # the fields an override resets, at their reset values (_RESETS); level 99, web
        shift = loaded_shift_row(
            *head,
            OVERRIDE_LEVEL,
            wall,
            None,
            None,
            None,
            None,
            (),
            (),
            (),
            (),
            groups,
            None,
            "web",
        )
    else:
        found = _plain_rotation(get, directory)
        if found is None:
            return None
        level, frequency, interval, week_start, by_day, groups, start_index = found
        shift = loaded_shift_row(
            *head,
            level,
            rotation_start,
            frequency,
            interval,
            None,  # until
            week_start,
            by_day,
            (),  # by_month
            (),  # by_monthday
            (),  # users: a rotation's are reset
            groups,
            start_index,
            source or "api",
        )
    within(prefix, check_api_rules, shift)
    if profile == "strict":
        within(prefix, check_strict_shift, shift)
    return shift


def _plain_override(names: Any, directory: _Directory) -> tuple[tuple[str, ...], ...] | None:
    """An override's groups from its ``users`` (names, each made a group of its own), or
    None."""
    if type(names) is not list or not names:
        return None
    for name in names:
        if type(name) is not str or not name or not name.isascii():
            return None  # the careful path checks it (a lone surrogate is no text)
    resolve = directory.resolve
    if not directory.implicit:
        for name in names:
            if resolve(name, False) is None:
                return None  # an unknown user: the careful path refuses or drops it
    ids = cast("list[str]", [resolve(name) for name in names])  # each found, checked above
    return tuple([(user,) for user in dict.fromkeys(ids)])


_PlainRotation = tuple[
    int, str, int, "str | None", tuple[str, ...], tuple[tuple[str, ...], ...], "int | None"
]


def _plain_rotation(get: Callable[..., Any], directory: _Directory) -> _PlainRotation | None:
    """A rotation's level, frequency, interval, week_start, by_day, groups and start index,
    each checked by the careful path's rule, or None."""
    frequency, interval, week_start = get("frequency"), get("interval", 1), get("week_start")
    level, start_index, by_day = (
        get("level", 0),
        get("start_rotation_from_user_index"),
        get("by_day"),
    )
    groups = get("rolling_users")
    if (
        type(frequency) is not str
        or frequency not in FREQUENCIES
        or type(interval) is not int
        or type(level) is not int
        or (week_start is None and (frequency == "weekly" or get("week_start", 0) is None))
        or (start_index is not None and type(start_index) is not int)
        or (by_day is not None and type(by_day) is not list)
        or type(groups) is not list
    ):
        return None
    for group in groups:
        if type(group) is not list or not group:
            return None
        for name in group:
            if type(name) is not str or not name or not name.isascii():
                return None  # the careful path checks it (a lone surrogate is no text)
    try:
        check_level(level)
        check_interval(interval, frequency)
        if week_start is not None:
            check_week_start(week_start)
        if by_day:
            check_by_day(by_day)
        if start_index is not None:
            check_start_index(start_index)
    except ValidationError:
        return None
    resolve = directory.resolve
    if not directory.implicit:
        for group in groups:
            for name in group:
                if resolve(name, False) is None:
                    return None
    rolling = []
    for group in groups:
        ids = cast("list[str]", [resolve(name) for name in group])  # each found, checked above
        rolling.append(tuple(ids if len(ids) == 1 else dict.fromkeys(ids)))
    days = tuple(dict.fromkeys(by_day)) if by_day else ()
    return level, frequency, interval, week_start, days, tuple(rolling), start_index


class _Common(NamedTuple):
    """The fields every shift type keeps, as sent (named as the Shift's fields)."""

    type: ShiftType
    time_zone: str | None
    level: int
    start: datetime
    duration: timedelta
    rotation_start: datetime | None


class _Recurrence(NamedTuple):
    """The recurrence fields as sent, before the type's resets."""

    frequency: Frequency | None
    interval: int | None
    until: datetime | None
    week_start: str | None
    by_day: tuple[str, ...]
    by_month: tuple[int, ...]
    by_monthday: tuple[int, ...]


class _Assignment(NamedTuple):
    """Who the shift puts on call, as sent (user ids), before the type's resets."""

    users: tuple[str, ...]
    rolling_users: tuple[tuple[str, ...], ...]
    start_rotation_from_user_index: int | None


def _shift_times(data: Mapping[str, Any], prefix: str, *, profile: Profile) -> dict[str, datetime]:
    """The datetime fields present: the serializer reads their formats before any field."""
    return {
        key: _naive_datetime(data[key], f"{prefix}.{key}", profile=profile)
        for key in ("start", "rotation_start", "until")
        if data.get(key) is not None
    }


def _required(data: Mapping[str, Any], key: str, prefix: str) -> Any:
    """``data[key]``; missing or null, the serializer's error for it."""
    value = data.get(key, _MISSING)
    if value is _MISSING:
        _fail(f"{prefix}.{key}", None, MSG_REQUIRED)
    if value is None:
        _fail(f"{prefix}.{key}", None, MSG_NOT_NULL)
    return value


def _common_fields(
    data: Mapping[str, Any], prefix: str, times: Mapping[str, datetime], *, profile: Profile
) -> _Common:
    """type, time_zone, level, start, duration and rotation_start, checked in that order."""
    shift_type = _required(data, "type", prefix)
    within(prefix, check_shift_type, shift_type)

    time_zone = data.get("time_zone", _MISSING)
    time_zone = (
        None if time_zone in (_MISSING, None) else _zone_name(time_zone, f"{prefix}.time_zone")
    )

    level = 0
    if data.get("level", _MISSING) is not _MISSING:
        if data["level"] is None:
            _fail(f"{prefix}.level", None, MSG_NOT_NULL)
        level = _integer(data["level"], f"{prefix}.level", profile=profile)
        within(prefix, check_level, level, shown=data["level"])

    _required(data, "start", prefix)
    duration = _duration(_required(data, "duration", prefix), f"{prefix}.duration")
    return _Common(
        type=cast(ShiftType, shift_type),
        time_zone=time_zone,
        level=level,
        start=times["start"],
        duration=duration,
        rotation_start=times.get("rotation_start"),
    )


def _recurrence_fields(
    data: Mapping[str, Any], prefix: str, times: Mapping[str, datetime], *, profile: Profile
) -> _Recurrence:
    """frequency, interval, until, week_start, by_day, by_month and by_monthday, in order."""
    frequency: Frequency | None = None
    if data.get("frequency", _MISSING) not in (_MISSING, None):
        if not isinstance(data["frequency"], str) or data["frequency"] not in FREQUENCIES:
            _fail(f"{prefix}.frequency", data["frequency"], MSG_FREQUENCY)
        frequency = data["frequency"]

    interval: int | None = None
    if data.get("interval", _MISSING) not in (_MISSING, None):
        interval = _integer(
            data["interval"], f"{prefix}.interval", profile=profile, reason=MSG_INTERVAL
        )
        within(prefix, check_interval, interval, frequency, shown=data["interval"])

    week_start: str | None = None
    if data.get("week_start", _MISSING) is not _MISSING:
        if data["week_start"] is None:
            _fail(f"{prefix}.week_start", None, MSG_NOT_NULL)
        within(prefix, check_week_start, data["week_start"])
        week_start = data["week_start"]

    # keyword arguments are evaluated in the order written: by_day, by_month, by_monthday
    return _Recurrence(
        frequency=frequency,
        interval=interval,
        until=times.get("until"),
        week_start=week_start,
        # (each a tuple of checked codes: no cast, whose subscripted type is built per call)
        by_day=_codes(data, prefix, "by_day", check_by_day),
        by_month=_codes(data, prefix, "by_month", check_by_month),
        by_monthday=_codes(data, prefix, "by_monthday", check_by_monthday),
    )


def _assignment(
    data: Mapping[str, Any],
    prefix: str,
    shift_type: ShiftType,
    *,
    directory: _Directory,
    profile: Profile,
) -> _Assignment:
    """users, rolling_users and start_rotation_from_user_index, in that order.

    Names in a field the type resets are looked up but, unknown, not made users.
    """
    resets = _RESETS[shift_type]
    users = _shift_users(
        data.get("users", _MISSING),
        f"{prefix}.users",
        directory=directory,
        profile=profile,
        register="users" not in resets,
    )
    groups = _rolling_users(
        data.get("rolling_users", _MISSING),
        f"{prefix}.rolling_users",
        directory=directory,
        profile=profile,
        # overrides read their groups from rolling_users only when no users are given
        register="rolling_users" not in resets or (shift_type == "override" and not users),
    )
    start_index = None
    if data.get("start_rotation_from_user_index", _MISSING) not in (_MISSING, None):
        key = f"{prefix}.start_rotation_from_user_index"
        start_index = _integer(data["start_rotation_from_user_index"], key, profile=profile)
        shown = data["start_rotation_from_user_index"]
        within(prefix, check_start_index, start_index, shown=shown)
    return _Assignment(users, groups, start_index)


def _check_create(
    data: Mapping[str, Any], prefix: str, shift_type: ShiftType, recurrence: _Recurrence
) -> None:
    """create()'s rules on frequency, week_start and interval, on the values as sent."""
    if shift_type not in ("recurrent_event", "rolling_users"):
        return
    if recurrence.frequency is None:
        _fail(f"{prefix}.frequency", None, MSG_FREQUENCY_REQUIRED)
    if recurrence.frequency == "weekly" and recurrence.week_start is None:
        _fail(f"{prefix}.week_start", None, MSG_WEEK_START_REQUIRED)
    if "interval" in data and data["interval"] is None:
        _fail(f"{prefix}.interval", None, MSG_INTERVAL_NULL)


# each type's resets with their values ({key: _RESET_TO[key] for key in _RESETS[type]})
_RESET_VALUES = {
    shift_type: {key: _RESET_TO[key] for key in keys} for shift_type, keys in _RESETS.items()
}
_PHASE_FIELDS = (*_Common._fields, *_Recurrence._fields, *_Assignment._fields, "source")


def _with_type_resets(
    common: _Common, recurrence: _Recurrence, assignment: _Assignment, source: Source
) -> dict[str, Any]:
    """The Shift's fields after its type's resets: OnCall empties the fields a type does not
    use (``_RESETS``) and makes every override a web override."""
    # {**common._asdict(), **recurrence._asdict(), **assignment._asdict(), "source": source}
    fields: dict[str, Any] = dict(
        zip(_PHASE_FIELDS, (*common, *recurrence, *assignment, source), strict=True)
    )
    fields.update(_RESET_VALUES[common.type])
    if common.type == "override":
        # Web overrides: one group per user (else the groups sent), level 99, rotation from
        # the start.
        users = assignment.users
        fields.update(
            users=(),
            rolling_users=tuple((user,) for user in users) if users else assignment.rolling_users,
            level=OVERRIDE_LEVEL,
            rotation_start=common.start,
            source="web",
        )
    if fields["frequency"] is not None and fields["interval"] is None:
        fields["interval"] = 1
    return fields


def _codes(
    data: Mapping[str, Any], prefix: str, key: str, check: Callable[[Sequence[Any]], None]
) -> tuple[Any, ...]:
    """A list field of codes or numbers (``by_day``...), checked, repeats dropped."""
    value = data.get(key, _MISSING)
    if value in (_MISSING, None):
        return ()
    items = _list(value, f"{prefix}.{key}")
    within(f"{prefix}", lambda: check(items))
    return tuple(dict.fromkeys(items))


def _source(value: Any, field: str, *, profile: Profile) -> Source:
    if value in (_MISSING, None):
        return "api"
    if value not in SOURCES:
        if profile == "oncall":
            return "api"  # the API turns every other source into "api"
        _fail(field, value, f"expected one of {', '.join(SOURCES)}")
    return cast(Source, value)


def _shift_users(
    value: Any, field: str, *, directory: _Directory, profile: Profile, register: bool
) -> tuple[str, ...]:
    if value in (_MISSING, None):
        return ()
    ids: list[str] = []
    for i, name in enumerate(_list(value, field)):
        if not isinstance(name, str) or not name or not name.isascii():
            _name(name, f"{field}[{i}]")  # checks, naming the item (built only then)
        user_id = directory.resolve(name, register)
        if user_id is None:
            if profile == "oncall":
                continue  # the API silently drops unknown users here
            _fail(f"{field}[{i}]", name, "unknown user")
        ids.append(user_id)
    return tuple(dict.fromkeys(ids))


def _rolling_users(
    value: Any, field: str, *, directory: _Directory, profile: Profile, register: bool
) -> tuple[tuple[str, ...], ...]:
    if value in (_MISSING, None):
        return ()
    groups: list[tuple[str, ...]] = []
    resolve = directory.resolve
    for g, group in enumerate(_list(value, field)):
        # field names are built only to report a failure: this runs for every group and name
        if not isinstance(group, _GROUP_TYPES):
            _list(group, f"{field}[{g}]")  # raises, naming the group
        for j, item in enumerate(group):
            if not isinstance(item, str) or not item or not item.isascii():
                _name(item, f"{field}[{g}][{j}]")  # checks, naming the item
        names = list(group)
        ids = [resolve(name, register) for name in names]
        if None in ids:
            unknown = sorted(
                {name for name, user_id in zip(names, ids, strict=True) if user_id is None}
            )
            listed = ", ".join(repr(name) for name in unknown)
            _fail(
                f"{field}[{g}]",
                unknown[0] if len(unknown) == 1 else unknown,
                f"User does not exist {{{listed}}}",
            )
        if not names and profile == "strict":
            _fail(f"{field}[{g}]", [], "empty rotation group")
        # a lone name has no repeat to drop (most groups are one user)
        kept = ids if len(ids) == 1 else dict.fromkeys(ids)
        groups.append(tuple(cast("list[str]", kept)))
    return tuple(groups)


_GROUP_TYPES = (list, tuple)  # isinstance(group, list | tuple) builds the union every time


# --------------------------------------------------------------------------- schedule, swaps


def parse_schedule(data: Mapping[str, Any], *, profile: Profile = "strict") -> Schedule:
    """Parse a scenario mapping's ``schedule``, ``users``, ``shifts`` and ``swaps``.

    Raises:
        ValidationError: a field is missing, of the wrong type or rejected (see the module doc).
    """
    profile = check_profile(profile)
    data = _object(data, "scenario")
    raw = data.get("schedule")
    head = {} if raw is None else _object(raw, "schedule")
    if profile == "strict":
        _unknown_keys(head, _SCHEDULE_KEYS, "schedule")

    schedule_type = head.get("type", "calendar")
    if schedule_type is None:
        schedule_type = "calendar"
    if schedule_type not in SCHEDULE_TYPES:
        _fail("schedule.type", schedule_type, f'"{schedule_type}" is not a valid choice.')
    time_zone = head.get("time_zone")
    time_zone = "UTC" if time_zone is None else _zone_name(time_zone, "schedule.time_zone")
    ical_primary = _string(head.get("ical_primary"), "schedule.ical_primary", nullable=True)
    if schedule_type == "ical" and ical_primary is None:
        _fail("schedule.ical_primary", None, MSG_REQUIRED)
    if profile == "strict":
        within("schedule", check_primary, schedule_type, ical_primary)
    ical_overrides = _string(head.get("ical_overrides"), "schedule.ical_overrides", nullable=True)
    web_overrides = head.get("enable_web_overrides", False)
    if web_overrides is None:
        web_overrides = False
    if not isinstance(web_overrides, bool):
        _fail("schedule.enable_web_overrides", web_overrides, "expected a boolean")
    name = _string(head.get("name"), "schedule.name", nullable=True)

    users = None if data.get("users") is None else _parse_users(data["users"], profile=profile)
    directory = _Directory(users)
    if "shifts" not in data:
        _fail("shifts", None, MSG_REQUIRED)
    raw_shifts = [] if data["shifts"] is None else _list(data["shifts"], "shifts")
    shifts = tuple(
        _parse_shift(
            item,
            index=i,
            directory=directory,
            profile=profile,
            schedule_type=cast(ScheduleType, schedule_type),
        )
        for i, item in enumerate(raw_shifts)
    )
    raw_swaps = data.get("swaps")
    swaps = tuple(
        _parse_swap(item, index=i, directory=directory, profile=profile)
        for i, item in enumerate([] if raw_swaps is None else _list(raw_swaps, "swaps"))
    )
    return Schedule(
        type=cast(ScheduleType, schedule_type),
        time_zone=time_zone,
        name=name,
        users=directory.users() if users is None else users,
        shifts=shifts,
        swaps=swaps,
        ical_primary=ical_primary,
        ical_overrides=ical_overrides,
        enable_web_overrides=web_overrides,
        implicit_users=users is None,
    )


def _parse_swap(raw: Any, *, index: int, directory: _Directory, profile: Profile) -> ShiftSwap:
    prefix = f"swaps[{index}]"
    data = _object(raw, prefix)
    if profile == "strict":
        _unknown_keys(data, _SWAP_KEYS, prefix)

    def user(key: str, *, nullable: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if nullable:
                return None
            _fail(f"{prefix}.{key}", None, MSG_REQUIRED)
        found = directory.resolve(_name(value, f"{prefix}.{key}"))
        if found is None:
            _fail(f"{prefix}.{key}", value, "unknown user")
        return found

    beneficiary = cast(str, user("beneficiary", nullable=False))
    benefactor = user("benefactor", nullable=True)
    bounds = []
    for key in ("swap_start", "swap_end"):
        if data.get(key) is None:
            _fail(f"{prefix}.{key}", None, MSG_REQUIRED)
        bounds.append(_instant(data[key], f"{prefix}.{key}"))
    if bounds[1] < bounds[0]:
        _fail(f"{prefix}.swap_end", data["swap_end"], MSG_SWAP_ORDER)
    return ShiftSwap(
        beneficiary=beneficiary, benefactor=benefactor, swap_start=bounds[0], swap_end=bounds[1]
    )


def parse_window(data: Any, *, profile: Profile = "strict") -> Window:
    """Parse a ``{"start", "end"}`` window (instants with ``Z``/offset, or dates).

    Raises:
        ValidationError: a bound is missing or malformed, ``end < start``, or (``oncall``)
            the window spans more than 365 days.
    """
    profile = check_profile(profile)
    window = _object(data, "window")
    if profile == "strict":
        _unknown_keys(window, _WINDOW_KEYS, "window")
    bounds = []
    for key in ("start", "end"):
        if window.get(key) is None:
            _fail(f"window.{key}", None, MSG_REQUIRED)
        bounds.append(_instant(window[key], f"window.{key}"))
    start, end = bounds
    if end < start:
        _fail("window.end", window["end"], MSG_WINDOW_ORDER)
    if profile == "oncall" and end - start > ONCALL_MAX_WINDOW:
        _fail("window.end", window["end"], MSG_WINDOW_SPAN)
    return Window(start=start, end=end)


# --------------------------------------------------------------------------- load, dump


def _read_source(source: Any) -> Any:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, bytes | bytearray):
        try:
            return _parse_json(bytes(source).decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            _fail("scenario", bytes(source[:20]), f"not UTF-8 text ({exc.reason})")
    if isinstance(source, os.PathLike):
        return _parse_json(_read_file(Path(source)))
    if isinstance(source, str):
        if source.lstrip().startswith(("{", "[")):
            return _parse_json(source)
        return _parse_json(_read_file(Path(source)))
    _fail("scenario", type(source).__name__, "expected a path, JSON text, bytes or a mapping")


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _fail("scenario", str(path), "no such file")
    except UnicodeDecodeError as exc:
        _fail("scenario", str(path), f"not UTF-8 text ({exc.reason})")
    except (OSError, ValueError) as exc:
        _fail(
            "scenario",
            str(path),
            f"cannot read the file ({getattr(exc, 'strerror', None) or exc})",
        )


class _Digits:
    """A JSON number too long for ``int`` (Python refuses more than 4,300 digits by default).

    It is no valid value of any field, so the field that holds it is refused, by name.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"{self.text[:20]}...({len(self.text)} digits)"


def _json_int(text: str) -> int | _Digits:
    try:
        return int(text)
    except ValueError:
        return _Digits(text)


def _parse_json(text: str) -> Any:
    try:
        try:
            return json.loads(text)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise
            # an integer of thousands of digits: read again, keeping it as text to refuse later
            return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if text.strip() else text
        _fail(
            "scenario",
            line.strip(),
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        )
    except RecursionError:
        field, depth = _deepest(text)
        _fail(field, text[:40], f"invalid JSON: nested too deeply ({depth} levels)")


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')
_PATH_PARTS = 6  # components of a too-deep path worth naming


def _deepest(text: str) -> tuple[str, int]:
    """The path of the first container at the document's greatest depth, and that depth.

    A scan of the tokens that matter (strings, brackets, commas, colons) without recursion,
    for JSON text that ``json.loads`` cannot read because it recurses once per level.
    """
    stack: list[list[Any]] = []  # per open container: [is_object, key or index]
    path: list[list[Any]] = []
    deepest = 0
    key_next = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("{", "["):
            stack.append([token == "{", None if token == "{" else 0])
            key_next = token == "{"
            if len(stack) > deepest:
                deepest, path = len(stack), [frame[:] for frame in stack[: _PATH_PARTS + 1]]
        elif token in ("}", "]"):
            if stack:
                stack.pop()
        elif token == ",":
            if stack and not stack[-1][0]:
                stack[-1][1] += 1
            key_next = bool(stack) and stack[-1][0]
        elif token == ":":
            key_next = False
        elif key_next and stack:
            stack[-1][1] = token[1:-1]
    parents = path if deepest > len(path) else path[:-1]
    parts = "".join(
        f".{key}" if is_object else f"[{key}]" for is_object, key in parents if key is not None
    ).lstrip(".")
    if deepest > len(path):
        parts += "..."
    return parts or "scenario", deepest


def load_scenario(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any],
    *,
    profile: Profile = "strict",
    window: Window | None = None,
) -> Scenario:
    """Load a scenario from a file path, JSON text, bytes or an already-parsed mapping.

    A ``str`` that starts with ``{`` is JSON text; any other ``str`` is a path. ``window``,
    when given, is the scenario's window instead of the document's, which is then not read
    (the CLI's ``--window``: a document whose own window ``oncall`` refuses, longer than 365
    days, can be resolved over another).

    >>> scenario = load_scenario('''{"shifts": [
    ...     {"type": "single_event", "start": "2024-01-01T09:00:00", "duration": 3600,
    ...      "users": ["alice"]}],
    ...   "window": {"start": "2024-01-01", "end": "2024-01-02"}}''')
    >>> scenario.schedule.users
    (User(id='alice', username='alice', email=None),)

    Raises:
        ValidationError: unreadable or malformed input, or a rejected field (the ``field``
            attribute is its path, e.g. ``shifts[2].by_day[1]``).
    """
    profile = check_profile(profile)
    if window is not None and not isinstance(window, Window):
        _fail("window", window, "expected a Window")
    data = _object(_read_source(source), "scenario")
    if profile == "strict":
        _misspelt_keys(data)
    schedule = parse_schedule(data, profile=profile)
    if window is None:
        if "window" not in data:
            _fail("window", None, MSG_REQUIRED)
        window = parse_window(data["window"], profile=profile)
    now = None if data.get("now") is None else _instant(data["now"], "now")
    return Scenario(schedule=schedule, window=window, now=now)


_SCENARIO_KEYS = ("schedule", "users", "shifts", "swaps", "window", "now")


def _misspelt_keys(data: Mapping[str, Any]) -> None:
    """Refuse a top-level key that is not the format's but close to one of its keys (``swap``,
    ``Users``): a typo that would drop what it holds. Other keys are annotations, which the
    format lets documents carry (the vectors' ``name``, ``tags`` and expected answers)."""
    for key in data:
        if key in _SCENARIO_KEYS or not isinstance(key, str):
            continue
        close = difflib.get_close_matches(key.lower(), _SCENARIO_KEYS, n=1, cutoff=0.75)
        if close:
            reason = f"unknown field (did you mean {close[0]!r}? other keys are annotations)"
            _fail(key, data[key], reason)


def _seconds(value: timedelta) -> int | float:
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _dump_shift(shift: Shift) -> dict[str, Any]:
    out: dict[str, Any] = {"type": shift.type}
    for key, value in (("id", shift.id), ("name", shift.name), ("team_id", shift.team_id)):
        if value is not None:
            out[key] = value
    if shift.time_zone is not None:
        out["time_zone"] = shift.time_zone
    out["start"] = _format_naive(shift.start)
    out["duration"] = _seconds(shift.duration)
    if shift.is_override:
        if all(len(group) == 1 for group in shift.rolling_users):
            out["users"] = [group[0] for group in shift.rolling_users]
        else:
            out["rolling_users"] = [list(group) for group in shift.rolling_users]
        return out
    out["level"] = shift.level
    if shift.rotation_start is not None:
        out["rotation_start"] = _format_naive(shift.rotation_start)
    if shift.until is not None:
        out["until"] = _format_naive(shift.until)
    if shift.frequency is not None:
        out["frequency"] = shift.frequency
        # None is 1 to both engines (a Shift built in Python may leave it out); the API wants
        # a positive integer beside a frequency, so the document says 1
        out["interval"] = shift.interval or 1
    if shift.week_start is not None:
        out["week_start"] = shift.week_start
    for key, values in (
        ("by_day", shift.by_day),
        ("by_month", shift.by_month),
        ("by_monthday", shift.by_monthday),
    ):
        if values:
            out[key] = list(values)
    if shift.type == "rolling_users":
        out["rolling_users"] = [list(group) for group in shift.rolling_users]
        out["start_rotation_from_user_index"] = shift.start_rotation_from_user_index
    else:
        out["users"] = list(shift.users)
    if shift.source != "api":
        out["source"] = shift.source
    return out


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready mapping, so that ``load_scenario(dump_scenario(s)) == s``.

    Users are written as objects, shifts with the API's field names (naive
    ``YYYY-MM-DDTHH:MM:SS`` times, durations in seconds), instants in UTC with ``Z``.
    """
    if not isinstance(scenario, Scenario):
        _fail("scenario", scenario, "expected a Scenario")
    schedule = scenario.schedule
    head: dict[str, Any] = {"type": schedule.type, "time_zone": schedule.time_zone}
    if schedule.name is not None:
        head["name"] = schedule.name
    if schedule.ical_primary is not None:
        head["ical_primary"] = schedule.ical_primary
    if schedule.ical_overrides is not None:
        head["ical_overrides"] = schedule.ical_overrides
    if schedule.enable_web_overrides:
        head["enable_web_overrides"] = True
    out: dict[str, Any] = {"schedule": head}
    if schedule.users:
        out["users"] = [
            {"id": user.id, "username": user.username}
            | ({} if user.email is None else {"email": user.email})
            for user in schedule.users
        ]
    out["shifts"] = [_dump_shift(shift) for shift in schedule.shifts]
    if schedule.swaps:
        out["swaps"] = [
            {
                "beneficiary": swap.beneficiary,
                "benefactor": swap.benefactor,
                "swap_start": _format_instant(swap.swap_start),
                "swap_end": _format_instant(swap.swap_end),
            }
            for swap in schedule.swaps
        ]
    out["window"] = {
        "start": _format_instant(scenario.window.start),
        "end": _format_instant(scenario.window.end),
    }
    if scenario.now is not None:
        out["now"] = _format_instant(scenario.now)
    return out
