"""The value types of shiftcalc: users, shifts, schedules, swaps, windows and results.

All are frozen, slotted, keyword-only dataclasses. Shift times (``start``, ``rotation_start``,
``until``) are naive *wall-clock* values, as Grafana OnCall's API takes them; which zone they are
read in is decided by the expansion profile (DESIGN.md). Every other instant is an aware
datetime, and every interval is half-open ``[start, end)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import repeat
from operator import itemgetter
from typing import Any, Literal, NoReturn, TypeVar, cast

import pytz

from ._errors import ValidationError, shortened
from ._tz import get_zone

_V = TypeVar("_V")

__all__ = [
    "FREQUENCIES",
    "PROFILES",
    "SCHEDULE_TYPES",
    "SHIFT_TYPES",
    "SOURCES",
    "WEEKDAYS",
    "FinalEvent",
    "FinalShift",
    "Frequency",
    "Gap",
    "Interval",
    "Origin",
    "OriginBase",
    "OriginRef",
    "Profile",
    "Schedule",
    "ScheduleType",
    "Shift",
    "ShiftSwap",
    "ShiftType",
    "SkippedComponent",
    "Source",
    "SwapMark",
    "SwapSplit",
    "User",
    "Window",
    "check_primary",
    "check_profile",
    "check_unicode",
    "origin_of",
    "swapped",
    "utc_instant",
    "utc_window",
    "validate",
]

ShiftType = Literal["single_event", "recurrent_event", "rolling_users", "override"]
Frequency = Literal["hourly", "daily", "weekly", "monthly"]
Source = Literal["web", "api", "slack", "terraform"]
ScheduleType = Literal["calendar", "web", "ical"]
SCHEDULE_TYPES: tuple[ScheduleType, ...] = ("calendar", "web", "ical")
Profile = Literal["strict", "oncall"]
"""``strict``: the documented behaviour (DESIGN.md); ``oncall``: Grafana OnCall's answers."""

SHIFT_TYPES: tuple[ShiftType, ...] = (
    "single_event",
    "recurrent_event",
    "rolling_users",
    "override",
)
FREQUENCIES: tuple[Frequency, ...] = ("hourly", "daily", "weekly", "monthly")
SOURCES: tuple[Source, ...] = ("web", "api", "slack", "terraform")
WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PROFILES: tuple[Profile, ...] = ("strict", "oncall")


# --------------------------------------------------------------------------- validation rules
#
# One home for each rule on a value: the constructors below run them (so a Schedule built in
# Python is as valid as a loaded one), the scenario loader runs the same functions at the point
# where Grafana OnCall's serializer checks the field (so the first failure is the one OnCall
# reports), and validate() adds the profile's rules. Fields are named relative to the value
# (``duration``, ``by_day[1]``); the loader and validate() prefix them (``shifts[2].duration``).

# OnCall's messages, word for word (reference §1.4); Django REST framework's for the limits.
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
MSG_TIME_ZONE = "Invalid timezone"
MSG_FREQUENCY_REQUIRED = "Field 'frequency' is required for this on-call shift type"
MSG_WEEK_START_REQUIRED = "Field 'week_start' is required for frequency type 'weekly'"
MSG_DAILY_MONTHDAY = (
    "Day limits are temporarily disabled for on-call shifts with type 'rolling_users' "
    "and frequency 'daily'"
)
MSG_DAILY_INTERVAL = "Interval must be less than or equal to the number of selected days"
MSG_START_INDEX_REQUIRED = (
    "Field 'start_rotation_from_user_index' is required for this on-call shift type"
)
MSG_MIN_ZERO = "Ensure this value is greater than or equal to 0."
MSG_SWAP_ORDER = "swap_end must occur after swap_start"

MAX_DURATION = datetime.max - datetime.min
"""The longest duration (either sign): from the first instant of year 1 to the last of 9999."""
MAX_DURATION_SECONDS = MAX_DURATION // timedelta(seconds=1)
LEVEL_LIMITS = (-(2**31), 2**31 - 1)
"""The range of OnCall's ``priority_level`` database column (a 32-bit integer)."""
MAX_START_INDEX = 2**31 - 1
"""The largest ``start_rotation_from_user_index`` (OnCall's 32-bit column)."""
_PERIODS: dict[str, timedelta] = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
}
MAX_INTERVAL: dict[str, int] = {
    **{name: MAX_DURATION // period for name, period in _PERIODS.items()},
    "monthly": 9999 * 12 - 1,
}
"""Per frequency, the number of periods between year 1 and year 9999: a larger interval puts
the second occurrence after year 9999 whatever the start, so it can only mean one occurrence."""
_MONTHDAYS = frozenset(range(-31, 32)) - {0}


def fail(field: str, value: Any, reason: str) -> NoReturn:
    """Raise a :class:`ValidationError` for ``field``, its value shortened for the message."""
    raise ValidationError(field, shortened(value), reason)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def at_most(limit: int) -> str:
    """Django REST framework's message for a value above ``limit``."""
    return f"Ensure this value is less than or equal to {limit}."


def at_least(limit: int) -> str:
    """Django REST framework's message for a value below ``limit``."""
    return f"Ensure this value is greater than or equal to {limit}."


def check_shift_type(value: Any) -> None:
    """``type`` is one of :data:`SHIFT_TYPES`."""
    if not isinstance(value, str) or value not in SHIFT_TYPES:
        fail("type", value, MSG_TYPE)


def canonical_zone(value: Any, field: str = "time_zone") -> str:
    """The canonical spelling of a zone name pytz knows (in any case, as OnCall's API takes it)."""
    if isinstance(value, tzinfo):  # only Python callers pass one: JSON has no zone objects
        fail(field, value, "expected the zone's name, e.g. 'Europe/London', not a tzinfo")
    if not isinstance(value, str) or not value:
        fail(field, value, MSG_TIME_ZONE)
    try:
        return str(pytz.timezone(value).zone)
    except (pytz.UnknownTimeZoneError, KeyError, ValueError, OSError):
        fail(field, value, MSG_TIME_ZONE)


def check_zone(value: Any, field: str = "time_zone") -> None:
    """A zone name both pytz (the oncall engine) and zoneinfo (the strict one) know as it is."""
    canonical_zone(value, field)
    try:
        get_zone(value)
    except KeyError:
        fail(field, value, MSG_TIME_ZONE)


def check_level(value: Any) -> None:
    """``level`` is an integer within OnCall's 32-bit column."""
    if not _is_int(value):
        fail("level", value, MSG_INTEGER)
    if value < LEVEL_LIMITS[0]:
        fail("level", value, at_least(LEVEL_LIMITS[0]))
    if value > LEVEL_LIMITS[1]:
        fail("level", value, at_most(LEVEL_LIMITS[1]))


def check_wall_clock(value: Any, field: str, *, nullable: bool = False) -> None:
    """A naive wall-clock datetime (shift times are read in the shift's zone)."""
    if value is None and nullable:
        return
    if not isinstance(value, datetime) or value.tzinfo is not None:
        fail(field, value, "expected a naive datetime (a wall-clock time in the shift's zone)")


def check_folds(shift: Shift, zone_name: str) -> None:
    """No shift time has ``fold=1`` where its zone places it elsewhere than ``fold=0``.

    A shift's times are wall-clock values, a repeated one read as its first instance (RFC
    5545), and nothing could keep a fold: the scenario format, iCalendar's DTSTART and OnCall
    write none. Where ``fold=1`` changes nothing (any time but a repeated or skipped one, as
    Hypothesis draws them) it is let through; where it would, it is refused, not misread."""
    zone = get_zone(zone_name)
    for name in ("start", "rotation_start", "until"):
        wall = getattr(shift, name)
        if (
            wall is not None
            and wall.fold
            and zone.utcoffset(wall) != zone.utcoffset(wall.replace(fold=0))
        ):
            fail(
                name,
                wall,
                f"fold=1 names the second pass of a wall time that {zone_name} repeats (or one "
                "it skips), which a shift's wall-clock times cannot keep (RFC 5545 reads a "
                "repeated time as its first instance): give fold=0, or time_zone 'UTC' and the "
                "time in UTC",
            )


def duration_limit_reason() -> str:
    """Why a duration beyond :data:`MAX_DURATION` is refused."""
    return (
        f"Ensure the duration is between -{MAX_DURATION_SECONDS} and {MAX_DURATION_SECONDS} "
        "seconds (the span from year 1 to year 9999)."
    )


def check_duration(value: Any) -> None:
    """A timedelta no longer than the span of datetimes (either sign; strict wants > 0)."""
    if not isinstance(value, timedelta):
        fail("duration", value, "expected a timedelta")
    if abs(value) > MAX_DURATION:
        fail("duration", value.total_seconds(), duration_limit_reason())


def check_frequency(value: Any) -> None:
    """``frequency`` is None or one of :data:`FREQUENCIES`."""
    if value is not None and (not isinstance(value, str) or value not in FREQUENCIES):
        fail("frequency", value, MSG_FREQUENCY)


def interval_limit(frequency: str | None) -> int:
    """The largest interval for ``frequency`` (without one, the loosest: hourly)."""
    return MAX_INTERVAL.get(frequency or "hourly", MAX_INTERVAL["hourly"])


def check_interval(value: Any, frequency: str | None) -> None:
    """None, or a positive integer small enough to repeat before year 9999."""
    if value is None:
        return
    if not _is_int(value) or value <= 0:
        fail("interval", value, MSG_INTERVAL)
    limit = interval_limit(frequency)
    if value > limit:
        fail(
            "interval",
            value,
            f"{at_most(limit)} A larger {frequency or 'hourly'} interval repeats only after "
            "year 9999.",
        )


def check_week_start(value: Any) -> None:
    """``week_start`` is None or a two-letter day code."""
    if value is not None and (not isinstance(value, str) or value not in WEEKDAYS):
        fail("week_start", value, MSG_WEEK_START)


def check_by_day(values: Sequence[Any]) -> None:
    """Each ``by_day`` entry is a two-letter day code."""
    for i, item in enumerate(values):
        if not isinstance(item, str) or item not in WEEKDAYS:
            fail(f"by_day[{i}]", item, MSG_BY_DAY)


def check_by_month(values: Sequence[Any]) -> None:
    """Each ``by_month`` entry is a month number."""
    for i, item in enumerate(values):
        if not _is_int(item) or not 1 <= item <= 12:
            fail(f"by_month[{i}]", item, MSG_BY_MONTH)


def check_by_monthday(values: Sequence[Any]) -> None:
    """Each ``by_monthday`` entry is a day of the month, counted from either end."""
    for i, item in enumerate(values):
        if not _is_int(item) or item not in _MONTHDAYS:
            fail(f"by_monthday[{i}]", item, MSG_BY_MONTHDAY)


def check_start_index(value: Any) -> None:
    """``start_rotation_from_user_index`` is None or an integer within 0 .. 2**31 - 1."""
    if value is None:
        return
    if not _is_int(value):
        fail("start_rotation_from_user_index", value, MSG_INTEGER)
    if value < 0:
        fail("start_rotation_from_user_index", value, MSG_MIN_ZERO)
    if value > MAX_START_INDEX:
        fail("start_rotation_from_user_index", value, at_most(MAX_START_INDEX))


def check_source(value: Any) -> None:
    """``source`` is one of :data:`SOURCES`."""
    if not isinstance(value, str) or value not in SOURCES:
        fail("source", value, f"expected one of {', '.join(SOURCES)}")


def check_name(value: Any, field: str) -> None:
    """A user name or id: a non-empty string of Unicode text."""
    if not isinstance(value, str) or not value:
        fail(field, value, "expected a user name (a non-empty string)")
    check_unicode(value, field)


def check_text(value: Any, field: str) -> None:
    """None or a string of Unicode text (ids, names, labels)."""
    if value is not None:
        if not isinstance(value, str):
            fail(field, value, "expected a string")
        check_unicode(value, field)


def check_unicode(value: str, field: str) -> None:
    """``value`` is text every output can write: JSON's ``"\\ud800"`` reads as a lone
    surrogate, which no UTF-8 output can encode (the CSV stopped half-written)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            fail(field, value, "not Unicode text: a lone surrogate (\\ud800-\\udfff)")


def _check_names(values: Any, field: str) -> None:
    """A tuple of user names; the per-name check (and its message) only when one is wrong."""
    _check_tuple(values, field)
    if not all(type(value) is str and value and value.isascii() for value in values):
        for i, value in enumerate(values):
            check_name(value, f"{field}[{i}]")


def _check_tuple(value: Any, field: str) -> None:
    if not isinstance(value, tuple):
        fail(field, value, "expected a tuple")


def check_api_rules(shift: Shift) -> None:
    """The cross-field rules of OnCall's create(), on a shift's final values (both profiles).

    Rules of the API's entry, not of the value: OnCall's engine holds shifts that break them
    (made before a rule existed, or edited), so the loader checks them and construction does not.
    """
    if shift.type in ("recurrent_event", "rolling_users") and shift.frequency is None:
        fail("frequency", None, MSG_FREQUENCY_REQUIRED)
    if shift.frequency == "weekly" and shift.week_start is None:
        fail("week_start", None, MSG_WEEK_START_REQUIRED)
    if shift.type != "rolling_users":
        return
    if shift.start_rotation_from_user_index is None:
        fail("start_rotation_from_user_index", None, MSG_START_INDEX_REQUIRED)
    if shift.frequency == "daily":
        if shift.by_monthday:
            fail("by_monthday", list(shift.by_monthday), MSG_DAILY_MONTHDAY)
        if shift.by_day and shift.interval is not None and shift.interval > len(shift.by_day):
            fail("interval", shift.interval, MSG_DAILY_INTERVAL)


def _check_shift(shift: Shift) -> None:
    """Every rule both profiles share, field by field in declaration order."""
    check_shift_type(shift.type)
    check_wall_clock(shift.start, "start")
    check_duration(shift.duration)
    for name in ("id", "name", "team_id"):
        check_text(getattr(shift, name), name)
    if shift.time_zone is not None:
        check_zone(shift.time_zone)
    check_level(shift.level)
    check_wall_clock(shift.rotation_start, "rotation_start", nullable=True)
    check_frequency(shift.frequency)
    check_interval(shift.interval, shift.frequency)
    check_wall_clock(shift.until, "until", nullable=True)
    check_week_start(shift.week_start)
    for name, check in (
        ("by_day", check_by_day),
        ("by_month", check_by_month),
        ("by_monthday", check_by_monthday),
    ):
        _check_tuple(getattr(shift, name), name)
        check(getattr(shift, name))
    _check_names(shift.users, "users")
    _check_tuple(shift.rolling_users, "rolling_users")
    for g, group in enumerate(shift.rolling_users):
        _check_names(group, f"rolling_users[{g}]")
    check_start_index(shift.start_rotation_from_user_index)
    check_source(shift.source)


def check_strict_shift(shift: Shift) -> None:
    """What the ``strict`` profile adds: what OnCall's API forgets to reject (reference §1.4)."""
    if shift.duration <= timedelta(0):
        fail("duration", shift.duration.total_seconds(), "duration must be positive")
    if shift.duration.microseconds:
        # every output writes whole seconds: 0.4 s came out as a row from 09:00:00 to 09:00:00
        fail("duration", shift.duration.total_seconds(), "duration must be whole seconds")
    if shift.until is not None and shift.until < shift.start:
        fail("until", shift.until.isoformat(), "until must not be before start")
    if shift.rotation_start is not None and shift.rotation_start < shift.start:
        fail(
            "rotation_start",
            shift.rotation_start.isoformat(),
            "rotation_start must not be before start",
        )
    if shift.type == "rolling_users":
        groups = shift.rolling_users
        if not groups:
            fail("rolling_users", [], "a rotation needs at least one group of users")
        for g, group in enumerate(groups):
            if not group:
                fail(f"rolling_users[{g}]", [], "empty rotation group")
        index = shift.start_rotation_from_user_index
        if index is not None and index >= len(groups):
            fail(
                "start_rotation_from_user_index", index, f"out of range for {len(groups)} group(s)"
            )


_AS_IS: Any = object()


def within(prefix: str, check: Callable[..., None], *args: Any, shown: Any = _AS_IS) -> None:
    """Run ``check(*args)``, naming the failing field under ``prefix`` (``shifts[2].``).

    ``shown`` replaces the value in the error (the loader shows what the input said).
    """
    try:
        check(*args)
    except ValidationError as error:
        value = error.value if shown is _AS_IS else shortened(shown)
        raise ValidationError(f"{prefix}.{error.field}", value, error.reason) from None


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """A person who can be on call. Shifts refer to users by ``id``."""

    id: str
    username: str
    email: str | None = None

    def __post_init__(self) -> None:
        check_name(self.id, "id")
        check_name(self.username, "username")
        check_text(self.email, "email")


class UserIndex:
    """A user directory's lookup: names to user ids, as shifts and swaps name users.

    A name is matched first exactly against the ids (ids are opaque keys, as in OnCall), then
    against the usernames and e-mails in any case (``str.casefold``). Building the index
    refuses a directory in which a name would be ambiguous: a repeated id, or a username or
    e-mail that equals another user's in any case.
    """

    __slots__ = ("by_id", "by_name")

    def __init__(self, users: Sequence[User]) -> None:
        self.by_id: dict[str, User] = {}
        self.by_name: dict[str, str] = {}
        owners: dict[str, int] = {}  # name key -> index of the user it belongs to
        by_id = self.by_id
        for i, user in enumerate(users):
            if user.id in by_id:
                fail(f"users[{i}].id", user.id, "duplicate user id")
            by_id[user.id] = user
            self._claim(owners, i, "username", user.username, user.id)
            if user.email is not None:
                self._claim(owners, i, "email", user.email, user.id)

    def _claim(self, owners: dict[str, int], i: int, key: str, name: str, user_id: str) -> None:
        """``name`` (the ``key`` of users[i]) for ``user_id``, in any case; refused when it
        names another user (``owners``: each name key's user index so far)."""
        folded = name.casefold()
        owner = owners.setdefault(folded, i)
        if owner != i:
            fail(
                f"users[{i}].{key}",
                name,
                f"already the username or e-mail of users[{owner}] (names match in any case)",
            )
        self.by_name.setdefault(folded, user_id)

    def find(self, name: str) -> str | None:
        """The id of the user called ``name`` (id, then username or e-mail in any case)."""
        if name in self.by_id:
            return name
        return self.by_name.get(name.casefold())

    def find_by_name(self, name: str) -> str | None:
        """The id of the user whose username or e-mail is ``name`` in any case (no ids: a
        calendar names people, as Grafana OnCall matches them)."""
        return self.by_name.get(name.casefold())


@dataclass(frozen=True, slots=True, kw_only=True)
class Shift:
    """One on-call shift, with exactly the fields of Grafana OnCall's ``on_call_shifts`` API.

    ``users`` (single and recurrent events) and ``rolling_users`` (rotations and overrides) hold
    user ids. ``by_day`` and ``week_start`` use the two-letter codes ``MO`` .. ``SU``.
    ``rotation_start`` defaults to ``start``; ``interval`` to 1 when a frequency is set.
    """

    type: ShiftType
    start: datetime
    duration: timedelta
    id: str | None = None
    name: str | None = None
    team_id: str | None = None
    time_zone: str | None = None
    level: int = 0
    rotation_start: datetime | None = None
    frequency: Frequency | None = None
    interval: int | None = None
    until: datetime | None = None
    week_start: str | None = None
    by_day: tuple[str, ...] = ()
    by_month: tuple[int, ...] = ()
    by_monthday: tuple[int, ...] = ()
    users: tuple[str, ...] = ()
    rolling_users: tuple[tuple[str, ...], ...] = ()
    start_rotation_from_user_index: int | None = None
    source: Source = "api"

    def __post_init__(self) -> None:
        _check_shift(self)

    @property
    def effective_rotation_start(self) -> datetime:
        """``rotation_start``, or ``start`` when it is not set."""
        return self.start if self.rotation_start is None else self.rotation_start

    @property
    def is_override(self) -> bool:
        """True for override shifts, which beat every level."""
        return self.type == "override"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftSwap:
    """A shift swap request: ``beneficiary`` gives away their shifts in ``[swap_start, swap_end)``.

    ``benefactor`` is the user taking them, or ``None`` while the request is not taken.
    Swaps apply in the order they are listed (Grafana OnCall applies them by creation time).
    """

    beneficiary: str
    benefactor: str | None
    swap_start: datetime
    swap_end: datetime

    def __post_init__(self) -> None:
        check_name(self.beneficiary, "beneficiary")
        if self.benefactor is not None:
            check_name(self.benefactor, "benefactor")
        for name in ("swap_start", "swap_end"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.utcoffset() is None:
                fail(name, value, "expected an aware datetime")
        if self.swap_end < self.swap_start:
            fail("swap_end", self.swap_end.isoformat(), MSG_SWAP_ORDER)

    def split(self, start: datetime, end: datetime) -> SwapSplit | None:
        """``[start, end)`` cut at the swap's bounds: the part before the swap (or ``None``),
        the part during it (handed over), the part after it (or ``None``); ``None`` when the
        span does not overlap the swap.

        Both profiles split this way; which swaps and spans take part, and who is on call
        during the swap, are each profile's own rules (``_merge.split_for_swaps``,
        ``oncall.resolution.apply_swaps``).
        """
        swap_start, swap_end = self.swap_start, self.swap_end
        if not (start < swap_end and swap_start < end):
            return None
        return (
            (start, swap_start) if start < swap_start else None,
            (max(start, swap_start), min(end, swap_end)),
            (swap_end, end) if end > swap_end else None,
        )


# ShiftSwap.split's answer: before, during, after the swap (half-open (start, end) spans)
SwapSplit = tuple[
    tuple[datetime, datetime] | None, tuple[datetime, datetime], tuple[datetime, datetime] | None
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """A schedule: its type and zone, its user directory, shifts, swaps and calendars.

    ``ical_primary`` and ``ical_overrides`` are iCalendar *text*. Override shifts are the
    schedule's overrides whatever its type. ``implicit_users``: ``users`` is not a directory
    but the names the shifts use, and any other name is a user too.
    """

    type: ScheduleType = "calendar"
    time_zone: str = "UTC"
    name: str | None = None
    users: tuple[User, ...] = ()
    shifts: tuple[Shift, ...] = ()
    swaps: tuple[ShiftSwap, ...] = ()
    ical_primary: str | None = None
    ical_overrides: str | None = None
    enable_web_overrides: bool = False
    # True when ``users`` only lists the names the shifts use (a scenario without ``users``):
    # then every name is a user, as when loading (take_oncall's taker)
    implicit_users: bool = field(default=False, compare=False)
    # the directory's lookup, for user() and find_user(): outputs look a user up per row
    _index: UserIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.type, str) or self.type not in SCHEDULE_TYPES:
            fail("type", self.type, f'"{self.type}" is not a valid choice.')
        check_zone(self.time_zone)
        for name in ("name", "ical_primary", "ical_overrides"):
            check_text(getattr(self, name), name)
        if not isinstance(self.enable_web_overrides, bool):
            fail("enable_web_overrides", self.enable_web_overrides, "expected a boolean")
        for name, kind in (("users", User), ("shifts", Shift), ("swaps", ShiftSwap)):
            values = getattr(self, name)
            _check_tuple(values, name)
            for i, value in enumerate(values):
                if not isinstance(value, kind):
                    fail(f"{name}[{i}]", value, f"expected a {kind.__name__}")
        for i, shift in enumerate(self.shifts):
            until, rotation_start = shift.until, shift.rotation_start
            if (
                shift.start.fold
                or (until is not None and until.fold)
                or (rotation_start is not None and rotation_start.fold)
            ):
                within(f"shifts[{i}]", check_folds, shift, shift.time_zone or self.time_zone)
        object.__setattr__(self, "_index", UserIndex(self.users))

    def user(self, user_id: str) -> User:
        """The user with this id (a bare user named by the id when the directory lacks it)."""
        found = self._index.by_id.get(user_id)
        return found if found is not None else User(id=user_id, username=user_id)

    @property
    def has_directory(self) -> bool:
        """Whether ``users`` is a directory that names must match (not empty, not implicit)."""
        return bool(self.users) and not self.implicit_users

    def find_user_by_name(self, name: str) -> str | None:
        """The id of the user whose username or e-mail is ``name`` in any case (ids are not
        tried: see :meth:`UserIndex.find_by_name`)."""
        return self._index.find_by_name(name)

    def find_user(self, name: str) -> str | None:
        """The id of the user a shift or swap calls ``name``, or None when none is called so.

        Exact id first (ids are opaque keys), then username or e-mail in any case; the
        directory guarantees at most one user matches (see :class:`UserIndex`).
        """
        return self._index.find(name)

    def user_named(self, name: str) -> str | None:
        """The id of the user ``name`` names in a query (``explain``, ``take_oncall``,
        ``conflicts``): :meth:`find_user`; without a directory (:attr:`has_directory`:
        none, or a loaded scenario's implicit one) every name is a user, its own id."""
        found = self._index.find(name)
        return found if found is not None or self.has_directory else name


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A query window ``[start, end)`` of aware instants (checked on construction: aware
    datetimes, ``end`` not before ``start``)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start = utc_instant(self.start, "window.start")
        if utc_instant(self.end, "window.end") < start:
            raise ValidationError("window.end", self.end, "the window ends before it starts")

    @property
    def duration(self) -> timedelta:
        """The window's length."""
        return self.end - self.start


def utc_instant(value: object, field: str) -> datetime:
    """A caller's instant, read once where it enters: as UTC.

    Arithmetic on a zoned datetime works on its wall clock and drops ``fold``, and comparisons
    of two values of one zone ignore ``fold`` too, so the repeated hour of a fall-back night
    would mean its first instance; in UTC every instant means itself.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "an aware datetime is required")
    if isinstance(value.tzinfo, pytz.tzinfo.DstTzInfo) and _unlocalized(value):
        reason = (
            f"a pytz zone given as tzinfo= has its first offset "
            f"({value.replace(microsecond=0).isoformat()[19:]}, local mean time), not the one "
            "in force then: use the zone's localize(), or a zoneinfo zone"
        )
        raise ValidationError(field, value, reason)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        reason = "the instant is outside the years 1 to 9999 in UTC"
        raise ValidationError(field, value.isoformat(), reason) from None


def _unlocalized(value: datetime) -> bool:
    """Whether a pytz ``value`` carries its zone's own object where ``localize`` would put
    another offset (``datetime(2024, 1, 1, tzinfo=pytz.timezone("America/New_York"))`` is
    at -04:56, New York's local mean time of 1883)."""
    zone = cast(Any, value.tzinfo)
    if zone is not pytz.timezone(zone.zone):
        return False
    try:
        placed = zone.localize(value.replace(tzinfo=None))
    except OverflowError:
        return False
    return bool(placed.utcoffset() != value.utcoffset())


def utc_window(window: Window) -> Window:
    """``window`` with its bounds in UTC (:func:`utc_instant`): the one conversion of a
    caller's window, for resolution and calendar queries alike."""
    if not isinstance(window, Window):
        raise ValidationError("window", window, "expected a Window")
    start = utc_instant(window.start, "window.start")
    end = utc_instant(window.end, "window.end")
    if end < start:
        raise ValidationError("window.end", window.end, "the window ends before it starts")
    return Window(start=start, end=end)


_first = itemgetter(0)


def union_of(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The union of non-empty ``[start, end)`` intervals as disjoint intervals in order,
    overlapping and touching ones joined: the strict painter's and OnCall's blocks alike."""
    ordered = sorted(intervals, key=_first)  # the ends of equal starts may come in any order
    union: list[tuple[datetime, datetime]] = []
    if not ordered:
        return union
    start, end = ordered[0]
    for next_start, next_end in ordered:
        if next_start > end:
            union.append((start, end))
            start, end = next_start, next_end
        elif next_end > end:
            end = next_end
    union.append((start, end))
    return union


Rank = tuple[int, int]
"""A layer's rank in resolution, ``(1 for overrides else 0, level)``: the larger wins."""


def rank_of(is_override: bool, level: int) -> Rank:
    """The rank of a shift, interval or event: overrides above every level, then by level.

    >>> rank_of(True, 0) > rank_of(False, 99)
    True
    """
    return (1 if is_override else 0, level)


@dataclass(frozen=True, slots=True)
class SwapMark:
    """A taken swap that put ``benefactor`` on a piece in place of ``beneficiary``;
    ``index`` is the swap's position in ``Schedule.swaps``."""

    index: int
    beneficiary: str
    benefactor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where an occurrence came from (provenance), carried through expansion and resolution.

    ``kind`` ``"shift"``: the shift at ``shift_index`` of the schedule (``shift_id`` its id, or
    ``shift-<index>``); for a rotation, ``turn`` (0 for the rotation's first turn: strict counts
    it from ``start``; oncall numbers the VEVENTs OnCall writes, one per turn of its queue) and
    ``group``, the index of the group on call in ``rolling_users``. ``kind`` ``"ical"``: the
    VEVENT ``uid`` (as written), its RECURRENCE-ID (``recurrence_id``, as written: a naive
    wall time, a UTC instant or a date), the ``calendar`` it came from and its ``line``.
    ``occurrence_start`` is the occurrence's own start (UTC), before any clipping, cut or
    split; ``swaps`` the taken swaps that replaced a user on this piece, in order.
    """

    kind: Literal["shift", "ical"]
    occurrence_start: datetime
    shift_index: int = -1
    shift_id: str | None = None
    turn: int | None = None
    group: int | None = None
    uid: str | None = None
    recurrence_id: datetime | date | None = None
    calendar: Literal["primary", "overrides"] | None = None
    line: int | None = None
    swaps: tuple[SwapMark, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginBase:
    """What the occurrences of one shift, generated VEVENT or iCal component share of their
    :class:`Origin`, built once per source; ``groups`` maps a rotation's turn to its group
    index (turn t has group ``groups[t % len(groups)]``)."""

    kind: Literal["shift", "ical"]
    shift_index: int = -1
    shift_id: str | None = None
    groups: tuple[int, ...] = ()
    uid: str | None = None
    recurrence_id: datetime | date | None = None
    calendar: Literal["primary", "overrides"] | None = None
    line: int | None = None

    def at(self, occurrence_start: datetime, turn: int | None = None) -> Origin:
        """The origin of the occurrence starting at ``occurrence_start`` (in ``turn``)."""
        groups = self.groups
        # Origin(kind=..., ..., swaps=()) in field order: a big calendar makes one per day
        return _origin(
            self.kind,
            occurrence_start,
            self.shift_index,
            self.shift_id,
            turn,
            groups[turn % len(groups)] if turn is not None and groups else None,
            self.uid,
            self.recurrence_id,
            self.calendar,
            self.line,
            (),
        )


OriginRef = Origin | tuple[OriginBase, datetime, int | None]
"""Provenance as the hot paths carry it: an :class:`Origin`, or ``(base, occurrence start,
turn)``, a plain tuple that costs a twentieth of an Origin to make (:func:`origin_of`)."""


def swapped(ref: OriginRef | None, index: int, swap: ShiftSwap) -> Origin | None:
    """The origin of the piece the taken swap at ``index`` gave its benefactor."""
    if ref is None or swap.benefactor is None:
        return None if ref is None else origin_of(ref)
    origin = origin_of(ref)
    mark = SwapMark(index, swap.beneficiary, swap.benefactor)
    return replace(origin, swaps=(*origin.swaps, mark))


def origin_of(ref: OriginRef) -> Origin:
    """The :class:`Origin` a reference stands for."""
    if isinstance(ref, Origin):
        return ref
    base, occurrence_start, turn = ref
    return base.at(occurrence_start, turn)


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """One expanded occurrence: who is on call ``[start, end)`` (UTC) at which rank.

    ``shift_index`` is the position of the shift in its schedule (``-1`` for iCal events);
    ``shift_id`` the shift's id (or the iCal UID). ``missing_users`` are names that matched no
    user (such intervals are *empty* when ``users`` is empty too). ``origin`` is where the
    occurrence came from (every expansion fills it; ``None`` for hand-built intervals).
    """

    start: datetime
    end: datetime
    users: tuple[str, ...]
    level: int = 0
    is_override: bool = False
    shift_index: int = -1
    shift_id: str | None = None
    all_day: bool = False
    missing_users: tuple[str, ...] = ()
    source: Source | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FinalEvent:
    """One resolved event: an on-call interval with its users, or a gap (``is_gap``)."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    level: int = 0
    is_override: bool = False
    is_gap: bool = False
    shift_id: str | None = None
    all_day: bool = False
    missing_users: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FinalShift:
    """One row of the final schedule: ``user`` is on call ``[start, end)`` (UTC)."""

    user: str
    start: datetime
    end: datetime
    level: int = 0
    is_override: bool = False
    shift_id: str | None = None

    @property
    def duration(self) -> timedelta:
        """The row's length."""
        return self.end - self.start


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """An interval of the window with nobody on call.

    ``kind`` is ``"uncovered"`` when no shift covers it, ``"unresolved"`` when it is covered
    only by shifts whose users could not be resolved (strict profile).
    """

    start: datetime
    end: datetime
    kind: Literal["uncovered", "unresolved"] = "uncovered"
    missing_users: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedComponent:
    """A calendar component left out by ``on_error="skip"``: which one, and why.

    ``limit`` is true where it was left out for the window's size alone (its rule has more
    than a query's occurrences, :data:`shiftcalc.ical.MAX_OCCURRENCES`), not for its text: a
    shorter window keeps it, and a stream resolves in chunks small enough to keep it.
    """

    uid: str | None
    line: int
    property: str
    reason: str
    limit: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class UnresolvedName:
    """A name an iCal component gives that matches no user of the schedule's directory.

    ``calendar`` is the schedule's calendar it is in, ``uid`` and ``line`` the VEVENT (its
    UID, None when it has none, and the line of its BEGIN), ``property`` where the name is
    written: ``SUMMARY`` (without its ``[Ln]`` prefix), ``DESCRIPTION`` or ``ATTENDEE``.
    """

    name: str
    calendar: Literal["primary", "overrides"]
    uid: str | None
    line: int
    property: str


def check_profile(profile: object) -> Profile:
    """``profile``, refused (naming ``profile``) unless it is ``strict`` or ``oncall``."""
    if profile not in PROFILES:
        fail("profile", profile, "expected 'strict' or 'oncall'")
    return profile


def check_schedule(schedule: object) -> None:
    """``schedule`` is a Schedule, else a ValidationError naming ``schedule``."""
    if not isinstance(schedule, Schedule):
        fail("schedule", schedule, "expected a Schedule")


def check_primary(schedule_type: str, ical_primary: str | None) -> None:
    """strict: an ``ical`` schedule has a primary calendar, and only it. OnCall's other types
    never read one, so a calendar given there was dropped without a word (``ical_overrides``
    is read on every type); a blank one on an ical schedule read as a calendar without events,
    where any other text that is no calendar is refused."""
    blank = ical_primary is None or not ical_primary.strip()
    if schedule_type == "ical" and blank:
        fail("ical_primary", ical_primary, "an ical schedule needs its calendar's text")
    if not blank and schedule_type != "ical":
        fail(
            "ical_primary",
            ical_primary,
            f"only an ical schedule reads a primary calendar (this one is {schedule_type!r}): "
            "make it type 'ical', or give the events as ical_overrides",
        )


def check_rows(rows: object, kind: type = FinalShift, field: str = "rows") -> None:
    """``rows`` is a collection (or a stream) of ``kind`` values (final-shift rows), else a
    ValidationError naming ``field``, or ``field[i]`` for the first value of another type in a
    sequence (one C-level pass; the values of a stream are read as they come, not ahead)."""
    if isinstance(rows, str | bytes) or not isinstance(rows, Iterable):
        fail(field, rows, f"expected {kind.__name__} values")
    if isinstance(rows, Sequence) and not all(map(isinstance, rows, repeat(kind))):
        i, value = next((i, row) for i, row in enumerate(rows) if not isinstance(row, kind))
        fail(f"{field}[{i}]", value, f"expected a {kind.__name__}")


def validate(schedule: Schedule, *, profile: Profile = "strict") -> None:
    """Check ``schedule`` for ``profile``, with the errors :func:`load_scenario` gives.

    Construction already checks what both profiles share (types, codes, naive wall-clock times,
    known zones, sizes within their limits, OnCall's API rules); ``strict`` adds what OnCall's
    API forgets to reject (a duration <= 0 or of part of a second, ``until`` or
    ``rotation_start`` before ``start``,
    an empty rotation group, a start index out of range, a primary calendar on a schedule
    that is not ``ical``). Checked on every call, which the
    pipeline makes on every run: a memo keyed by the schedule cost more (hashing and comparing
    every shift) than the checks themselves, and nothing for ``oncall``.

    Raises:
        ValidationError: the first rule broken, naming the field (``shifts[2].duration``).
    """
    check_profile(profile)
    check_schedule(schedule)
    if profile == "strict":
        check_primary(schedule.type, schedule.ical_primary)
        for i, shift in enumerate(schedule.shifts):
            within(f"shifts[{i}]", check_strict_shift, shift)


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


def _row_builder() -> Callable[[str, datetime, datetime, int, bool, str | None], FinalShift]:
    # A frozen dataclass sets each field through object.__setattr__ in __init__; filling the
    # slots directly makes the same value at half the cost, and rows are most of every answer.
    new = object.__new__
    set_user, set_start, set_end, set_level, set_override, set_id = (
        _slot_setter(FinalShift, name)
        for name in ("user", "start", "end", "level", "is_override", "shift_id")
    )

    def row(
        user: str,
        start: datetime,
        end: datetime,
        level: int,
        is_override: bool,
        shift_id: str | None,
    ) -> FinalShift:
        value: FinalShift = new(FinalShift)
        set_user(value, user)
        set_start(value, start)
        set_end(value, end)
        set_level(value, level)
        set_override(value, is_override)
        set_id(value, shift_id)
        return value

    return row


# FinalShift(user=, start=, end=, level=, is_override=, shift_id=), positionally and faster
final_shift_row = _row_builder()


_ROW_SETTERS = tuple(
    _slot_setter(FinalShift, name)
    for name in ("user", "start", "end", "level", "is_override", "shift_id")
)


def final_shift_rows(
    count: int,
    users: Iterable[str],
    starts: Iterable[datetime],
    ends: Iterable[datetime],
    levels: Iterable[int],
    overrides: Iterable[bool],
    shift_ids: Iterable[str | None],
) -> tuple[FinalShift, ...]:
    """``count`` rows, :func:`final_shift_row` of the columns' values taken in step.

    The objects are made, then each field filled for all of them, by ``map`` over the slot's
    setter: C loops without a Python frame per row, about half the cost of a call per row
    (an answer is mostly rows). Every column must hold ``count`` values."""
    rows = list(map(object.__new__, repeat(FinalShift, count)))
    for setter, column in zip(
        _ROW_SETTERS, (users, starts, ends, levels, overrides, shift_ids), strict=True
    ):
        deque(map(setter, rows, column), maxlen=0)
    return tuple(rows)


def _positional(cls: type[_V]) -> Callable[..., _V]:
    """``cls(**dict(zip(fields, values)))`` for a frozen slotted dataclass without checks,
    every field given in declaration order: filling the slots directly costs half as much as
    the generated ``__init__``, which sets each one through ``object.__setattr__``."""
    names = [field.name for field in dataclass_fields(cast(Any, cls))]
    # Straight-line code, one setter call per field, as dataclasses writes its __init__: a
    # loop over the setters cost a third more (a shift has twenty fields, and the loader and
    # big calendars build one value per shift or occurrence).
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope.update((f"set_{i}", _slot_setter(cls, name)) for i, name in enumerate(names))
    arguments = ", ".join(f"v{i}" for i in range(len(names)))
    body = "".join(f"    set_{i}(value, v{i})\n" for i in range(len(names)))
    exec(f"def build({arguments}):\n    value = new(cls)\n{body}    return value\n", scope)
    build: Callable[..., _V] = scope["build"]
    return build


_origin = _positional(Origin)
interval_row = _positional(Interval)
"""``Interval(start=, end=, users=, level=, is_override=, shift_index=, shift_id=, all_day=,
missing_users=, source=, origin=)``, positionally and faster (a big calendar makes one per
occurrence and user)."""


_shift = _positional(Shift)
_SHIFT_FIELDS = tuple(field.name for field in dataclass_fields(Shift))
_shift_values = itemgetter(*_SHIFT_FIELDS)  # a mapping's values in field order, in one call


_user = _positional(User)


def named_user(name: str) -> User:
    """``User(id=name, username=name)`` without construction's checks, for the loader only:
    ``name`` is a user name it has checked (a non-empty string). A scenario without ``users``
    makes one per name its shifts use (tests/test_perf_paths.py holds it to construction)."""
    return _user(name, name, None)


loaded_shift_row = _shift
"""``Shift`` of every field's value positionally, in declaration order, without construction's
checks: for the scenario loader's plain path only, whose values passed construction's rules
(see :func:`loaded_shift`)."""


def loaded_shift(fields: Mapping[str, Any]) -> Shift:
    """``Shift(**fields)`` without construction's checks, for the scenario loader only.

    ``fields`` holds every field, each already checked by the loader with the rule construction
    applies (the loader checks them in OnCall's serializer order and names them by scenario
    path). tests/test_load_speed_paths.py holds every loaded shift equal to the checked
    construction of its fields, and every bad field refused under its scenario path.
    """
    return _shift(*_shift_values(fields))
