"""Scenarios: load and validate the scenario JSON document, and write it back.

A scenario is one JSON object with the schedule, its users, its shifts (in Grafana OnCall's
public ``on_call_shifts`` API shape), optional shift swaps and the query window. Loading rejects
exactly what OnCall's public API rejects, with OnCall's own message as the error's ``reason``;
the ``strict`` profile (the default) rejects a few more inputs that the API lets through.

Every problem raises :class:`~shiftcalc.ValidationError` naming the field path
(``shifts[2].by_day[1]``) and the value; no bare ``KeyError``/``TypeError`` escapes.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, cast

import pytz

from ._errors import ValidationError
from ._model import (
    FREQUENCIES,
    PROFILES,
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
    Source,
    User,
    Window,
)
from ._tz import get_zone

__all__ = [
    "Scenario",
    "dump_scenario",
    "load_scenario",
    "parse_schedule",
    "parse_shift",
    "parse_window",
]

SCHEDULE_TYPES: tuple[ScheduleType, ...] = ("calendar", "web", "ical")

# OnCall's messages, word for word (reference §1.4, §1.5).
MSG_REQUIRED = "This field is required."
MSG_NOT_NULL = "This field may not be null."
MSG_TYPE = "Invalid shift type"
MSG_WEEK_START = (
    "Invalid day format for week start field. "
    "Should be one of the following: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'"
)
MSG_FREQUENCY = "Invalid frequency type"
MSG_BY_DAY = (
    "Invalid day value in by_day field. Valid values: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'"
)
MSG_BY_MONTH = "Invalid month value in by_month field. Valid values: from 1 to 12"
MSG_BY_MONTHDAY = (
    "Invalid monthday value in by_monthday field. Valid values: from 1 to 31 and from -31 to -1"
)
MSG_INTERVAL = "Invalid value for interval"
MSG_INTEGER = "A valid integer is required."
MSG_DATETIME = "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""
MSG_TIME_ZONE = "Invalid timezone"
MSG_FREQUENCY_REQUIRED = "Field 'frequency' is required for this on-call shift type"
MSG_WEEK_START_REQUIRED = "Field 'week_start' is required for frequency type 'weekly'"
MSG_INTERVAL_NULL = "Field 'interval' must be a positive integer"
MSG_DAILY_MONTHDAY = (
    "Day limits are temporarily disabled for on-call shifts with type 'rolling_users' "
    "and frequency 'daily'"
)
MSG_DAILY_INTERVAL = "Interval must be less than or equal to the number of selected days"
MSG_START_INDEX_REQUIRED = (
    "Field 'start_rotation_from_user_index' is required for this on-call shift type"
)
MSG_MIN_ZERO = "Ensure this value is greater than or equal to 0."
MSG_DURATION = (
    "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."
)
MSG_WINDOW_ORDER = "start_date must be less than or equal to end_date"
MSG_WINDOW_SPAN = (
    "The difference between start_date and end_date must be less than one year (365 days)"
)
MSG_SWAP_ORDER = "swap_end must occur after swap_start"


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A schedule and the window to compute it over: the content of one scenario file.

    ``now`` is the caller's "now" when the answer depends on it (OnCall ignores untaken swap
    requests that are past due); shiftcalc never reads the clock itself.
    """

    schedule: Schedule
    window: Window
    now: datetime | None = None


# --------------------------------------------------------------------------- small helpers


def _brief(value: Any) -> Any:
    """``value``, or a shortened repr of it when that would flood an error message."""
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _fail(field: str, value: Any, reason: str) -> NoReturn:
    raise ValidationError(field, _brief(value), reason)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _check_profile(profile: str) -> Profile:
    if profile not in PROFILES:
        _fail("profile", profile, "expected 'strict' or 'oncall'")
    return profile


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
    return value


def _name(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        _fail(field, value, "expected a user name (a non-empty string)")
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for key in data:
        if key not in allowed:
            _fail(_join(prefix, key), data[key], "unknown field")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(value: Any, field: str, *, profile: Profile, reason: str = MSG_INTEGER) -> int:
    """An integer field: strict takes JSON integers only; oncall coerces as DRF does."""
    if _is_int(value):
        return cast(int, value)
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
        except (ValueError, OverflowError):
            pass
    _fail(field, value, "expected an instant with Z or a UTC offset, or a date YYYY-MM-DD")


def _zone_name(value: Any, field: str) -> str:
    """A time zone name as pytz accepts it, returned in its canonical spelling."""
    if not isinstance(value, str) or not value:
        _fail(field, value, MSG_TIME_ZONE)
    try:
        name = str(pytz.timezone(value).zone)
        get_zone(name)
    except (pytz.UnknownTimeZoneError, KeyError, ValueError, OSError):
        _fail(field, value, MSG_TIME_ZONE)
    return name


def _duration(value: Any, field: str) -> timedelta:
    """Integer seconds, or one of the Django duration formats that OnCall's API accepts."""
    try:
        if _is_int(value):
            return timedelta(0, value)  # (days, seconds): positional is cheaper
        if isinstance(value, float) and math.isfinite(value):
            return timedelta(seconds=value)
        if isinstance(value, str):
            match = _DURATION_STANDARD.fullmatch(value) or _DURATION_ISO.fullmatch(value)
            if match:
                return _duration_from_match(match)
    except (OverflowError, ValueError):
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
    """Name → user id lookup: by id, then username, then e-mail (case-insensitive).

    Without a ``users`` list (``implicit``), every name is a user; the names registered in
    order of first use become the schedule's users.
    """

    __slots__ = ("by_email", "by_id", "by_username", "implicit", "seen")

    def __init__(self, users: Sequence[User] | None) -> None:
        self.implicit = users is None
        self.seen: dict[str, None] = {}
        self.by_id: dict[str, str] = {}
        self.by_username: dict[str, str] = {}
        self.by_email: dict[str, str] = {}
        for user in users or ():
            self.by_id[user.id] = user.id
            self.by_username.setdefault(user.username, user.id)
            if user.email:
                self.by_email.setdefault(user.email.casefold(), user.id)

    def resolve(self, name: str, *, register: bool = True) -> str | None:
        """The id of the user called ``name``, or None when there is none."""
        if self.implicit:
            if register:
                self.seen.setdefault(name)
            return name
        found = self.by_id.get(name) or self.by_username.get(name)
        return found if found is not None else self.by_email.get(name.casefold())

    def users(self) -> tuple[User, ...]:
        """The users of an implicit directory, in order of first use."""
        return tuple(User(id=name, username=name) for name in self.seen)


def _parse_users(value: Any, *, profile: Profile) -> tuple[User, ...]:
    users: list[User] = []
    ids: set[str] = set()
    for i, entry in enumerate(_list(value, "users")):
        field = f"users[{i}]"
        if isinstance(entry, str):
            user = User(id=_name(entry, field), username=entry)
        else:
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
        if user.id in ids:
            _fail(f"{field}.id", user.id, "duplicate user id")
        ids.add(user.id)
        users.append(user)
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
        profile=_check_profile(profile),
        schedule_type=schedule_type,
    )


_MONTHDAYS = frozenset(range(-31, 32)) - {0}


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
    del schedule_type  # every type takes the same shift fields; kept for the API's shape
    prefix = f"shifts[{index}]"
    data = _object(raw, prefix)
    if profile == "strict":
        _unknown_keys(data, _SHIFT_KEYS, prefix)

    # the serializer reads the datetime formats first; the values are kept for below
    times: dict[str, datetime] = {}
    for key in ("start", "rotation_start", "until"):
        if data.get(key) is not None:
            times[key] = _naive_datetime(data[key], f"{prefix}.{key}", profile=profile)

    type_ = data.get("type", _MISSING)
    if type_ is _MISSING:
        _fail(f"{prefix}.type", None, MSG_REQUIRED)
    if type_ is None:
        _fail(f"{prefix}.type", None, MSG_NOT_NULL)
    if type_ not in SHIFT_TYPES:
        _fail(f"{prefix}.type", type_, MSG_TYPE)
    shift_type = cast(ShiftType, type_)

    time_zone = data.get("time_zone", _MISSING)
    time_zone = (
        None if time_zone in (_MISSING, None) else _zone_name(time_zone, f"{prefix}.time_zone")
    )

    level = 0
    if data.get("level", _MISSING) is not _MISSING:
        if data["level"] is None:
            _fail(f"{prefix}.level", None, MSG_NOT_NULL)
        level = _integer(data["level"], f"{prefix}.level", profile=profile)

    if data.get("start", _MISSING) in (_MISSING, None):
        _fail(
            f"{prefix}.start",
            None,
            MSG_REQUIRED if data.get("start", _MISSING) is _MISSING else MSG_NOT_NULL,
        )
    start = times["start"]

    if data.get("duration", _MISSING) in (_MISSING, None):
        reason = MSG_REQUIRED if data.get("duration", _MISSING) is _MISSING else MSG_NOT_NULL
        _fail(f"{prefix}.duration", None, reason)
    duration = _duration(data["duration"], f"{prefix}.duration")

    rotation_start = None
    if data.get("rotation_start", _MISSING) not in (_MISSING, None):
        rotation_start = times["rotation_start"]

    frequency: Frequency | None = None
    if data.get("frequency", _MISSING) not in (_MISSING, None):
        if data["frequency"] not in FREQUENCIES:
            _fail(f"{prefix}.frequency", data["frequency"], MSG_FREQUENCY)
        frequency = cast(Frequency, data["frequency"])

    interval: int | None = None
    if data.get("interval", _MISSING) not in (_MISSING, None):
        interval = _integer(
            data["interval"], f"{prefix}.interval", profile=profile, reason=MSG_INTERVAL
        )
        if interval <= 0:
            _fail(f"{prefix}.interval", data["interval"], MSG_INTERVAL)

    until = None
    if data.get("until", _MISSING) not in (_MISSING, None):
        until = times["until"]

    week_start: str | None = None
    if data.get("week_start", _MISSING) is not _MISSING:
        if data["week_start"] is None:
            _fail(f"{prefix}.week_start", None, MSG_NOT_NULL)
        if data["week_start"] not in WEEKDAYS:
            _fail(f"{prefix}.week_start", data["week_start"], MSG_WEEK_START)
        week_start = data["week_start"]

    by_day = tuple(_codes(data.get("by_day", _MISSING), f"{prefix}.by_day", WEEKDAYS, MSG_BY_DAY))
    by_month = tuple(
        _numbers(data.get("by_month", _MISSING), f"{prefix}.by_month", range(1, 13), MSG_BY_MONTH)
    )
    by_monthday = tuple(
        _numbers(
            data.get("by_monthday", _MISSING), f"{prefix}.by_monthday", _MONTHDAYS, MSG_BY_MONTHDAY
        )
    )

    source = _source(data.get("source", _MISSING), f"{prefix}.source", profile=profile)

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
        if start_index < 0:
            _fail(key, start_index, MSG_MIN_ZERO)

    shift_id = _string(data.get("id"), f"{prefix}.id", nullable=True)
    name = _string(data.get("name"), f"{prefix}.name", nullable=True)
    team_id = _string(data.get("team_id"), f"{prefix}.team_id", nullable=True)

    # create(): frequency/week_start/interval, checked on the values as sent.
    if shift_type in ("recurrent_event", "rolling_users"):
        if frequency is None:
            _fail(f"{prefix}.frequency", None, MSG_FREQUENCY_REQUIRED)
        if frequency == "weekly" and week_start is None:
            _fail(f"{prefix}.week_start", None, MSG_WEEK_START_REQUIRED)
        if "interval" in data and data["interval"] is None:
            _fail(f"{prefix}.interval", None, MSG_INTERVAL_NULL)

    # The type-specific resets.
    if "frequency" in resets:
        frequency, interval = None, None
        by_day, by_month, by_monthday = (), (), ()
    if "start_rotation_from_user_index" in resets:
        start_index = None
    if "until" in resets:
        until = None
    if "level" in resets:
        level = 0
    if "users" in resets:
        users = ()
    rolling: tuple[tuple[str, ...], ...] = groups
    if shift_type == "override":
        # Web overrides: one group per user, level 99, rotation from the start.
        rolling = tuple((user,) for user in users) if users else groups
        users = ()
        level = OVERRIDE_LEVEL
        rotation_start = start
        source = "web"
    elif "rolling_users" in resets:
        rolling = ()
    if frequency is not None and interval is None:
        interval = 1

    if shift_type == "rolling_users":
        if start_index is None:
            _fail(f"{prefix}.start_rotation_from_user_index", None, MSG_START_INDEX_REQUIRED)
        if frequency == "daily":
            if by_monthday:
                _fail(f"{prefix}.by_monthday", list(by_monthday), MSG_DAILY_MONTHDAY)
            if by_day and interval is not None and interval > len(by_day):
                _fail(f"{prefix}.interval", interval, MSG_DAILY_INTERVAL)

    if profile == "strict":
        _strict_shift_checks(
            prefix,
            shift_type=shift_type,
            start=start,
            duration=duration,
            rotation_start=rotation_start,
            until=until,
            groups=rolling,
            start_index=start_index,
        )

    return Shift(
        type=shift_type,
        start=start,
        duration=duration,
        id=shift_id,
        name=name,
        team_id=team_id,
        time_zone=time_zone,
        level=level,
        rotation_start=rotation_start,
        frequency=frequency,
        interval=interval,
        until=until,
        week_start=week_start,
        by_day=by_day,
        by_month=by_month,
        by_monthday=by_monthday,
        users=users,
        rolling_users=rolling,
        start_rotation_from_user_index=start_index,
        source=source,
    )


def _strict_shift_checks(
    prefix: str,
    *,
    shift_type: ShiftType,
    start: datetime,
    duration: timedelta,
    rotation_start: datetime | None,
    until: datetime | None,
    groups: tuple[tuple[str, ...], ...],
    start_index: int | None,
) -> None:
    """What the API forgets to reject (reference §1.4, "not validated at all")."""
    if duration <= timedelta(0):
        _fail(f"{prefix}.duration", int(duration.total_seconds()), "duration must be positive")
    if until is not None and until < start:
        _fail(f"{prefix}.until", _format_naive(until), "until must not be before start")
    if rotation_start is not None and rotation_start < start:
        _fail(
            f"{prefix}.rotation_start",
            _format_naive(rotation_start),
            "rotation_start must not be before start",
        )
    if shift_type == "rolling_users":
        if not groups:
            _fail(f"{prefix}.rolling_users", [], "a rotation needs at least one group of users")
        if start_index is not None and start_index >= len(groups):
            _fail(
                f"{prefix}.start_rotation_from_user_index",
                start_index,
                f"out of range for {len(groups)} group(s)",
            )


def _codes(value: Any, field: str, allowed: Sequence[str], reason: str) -> Iterable[str]:
    if value in (_MISSING, None):
        return ()
    items = _list(value, field)
    for i, item in enumerate(items):
        if not isinstance(item, str) or item not in allowed:
            _fail(f"{field}[{i}]", item, reason)
    return tuple(dict.fromkeys(items))


def _numbers(value: Any, field: str, allowed: Iterable[int], reason: str) -> Iterable[int]:
    if value in (_MISSING, None):
        return ()
    items = _list(value, field)
    valid = set(allowed)
    for i, item in enumerate(items):
        if not _is_int(item) or item not in valid:
            _fail(f"{field}[{i}]", item, reason)
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
    for i, item in enumerate(_list(value, field)):
        name = _name(item, f"{field}[{i}]")
        user_id = directory.resolve(name, register=register)
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
    for g, group in enumerate(_list(value, field)):
        # field names are built only to report a failure: this runs for every group and name
        if not isinstance(group, list | tuple):
            _list(group, f"{field}[{g}]")  # raises, naming the group
        for j, item in enumerate(group):
            if not isinstance(item, str) or not item:
                _name(item, f"{field}[{g}][{j}]")  # raises, naming the item
        names = list(group)
        ids = [directory.resolve(name, register=register) for name in names]
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
        groups.append(tuple(dict.fromkeys(cast(list[str], ids))))
    return tuple(groups)


# --------------------------------------------------------------------------- schedule, swaps


def parse_schedule(data: Mapping[str, Any], *, profile: Profile = "strict") -> Schedule:
    """Parse a scenario mapping's ``schedule``, ``users``, ``shifts`` and ``swaps``.

    Raises:
        ValidationError: a field is missing, of the wrong type or rejected (see the module doc).
    """
    profile = _check_profile(profile)
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
    ical_overrides = _string(head.get("ical_overrides"), "schedule.ical_overrides", nullable=True)
    web_overrides = head.get("enable_web_overrides", False)
    if web_overrides is None:
        web_overrides = False
    if not isinstance(web_overrides, bool):
        _fail("schedule.enable_web_overrides", web_overrides, "expected a boolean")
    name = _string(head.get("name"), "schedule.name", nullable=True)

    users = None if data.get("users") is None else _parse_users(data["users"], profile=profile)
    directory = _Directory(users)
    ical = bool(ical_overrides) or (schedule_type == "ical" and bool(ical_primary))
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
        # without a users list a calendar's names are users too: no directory to match them to
        users=users if users is not None else () if ical else directory.users(),
        shifts=shifts,
        swaps=swaps,
        ical_primary=ical_primary,
        ical_overrides=ical_overrides,
        enable_web_overrides=web_overrides,
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
    profile = _check_profile(profile)
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
    if profile == "oncall" and end - start > timedelta(days=365):
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


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if text.strip() else text
        _fail(
            "scenario",
            line.strip(),
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        )
    except RecursionError:
        _fail("scenario", text[:40], "invalid JSON: nested too deeply")


def load_scenario(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any],
    *,
    profile: Profile = "strict",
) -> Scenario:
    """Load a scenario from a file path, JSON text, bytes or an already-parsed mapping.

    A ``str`` that starts with ``{`` is JSON text; any other ``str`` is a path.

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
    profile = _check_profile(profile)
    data = _object(_read_source(source), "scenario")
    schedule = parse_schedule(data, profile=profile)
    if "window" not in data:
        _fail("window", None, MSG_REQUIRED)
    now = None if data.get("now") is None else _instant(data["now"], "now")
    return Scenario(
        schedule=schedule, window=parse_window(data["window"], profile=profile), now=now
    )


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
        out["interval"] = shift.interval
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
