"""The value types of shiftcalc: users, shifts, schedules, swaps, windows and results.

All are frozen, slotted, keyword-only dataclasses. Shift times (``start``, ``rotation_start``,
``until``) are naive *wall-clock* values, as Grafana OnCall's API takes them; which zone they are
read in is decided by the expansion profile (DESIGN.md). Every other instant is an aware
datetime, and every interval is half-open ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

__all__ = [
    "FREQUENCIES",
    "PROFILES",
    "SHIFT_TYPES",
    "SOURCES",
    "WEEKDAYS",
    "FinalEvent",
    "FinalShift",
    "Frequency",
    "Gap",
    "Interval",
    "Profile",
    "Schedule",
    "ScheduleType",
    "Shift",
    "ShiftSwap",
    "ShiftType",
    "SkippedComponent",
    "Source",
    "User",
    "Window",
]

ShiftType = Literal["single_event", "recurrent_event", "rolling_users", "override"]
Frequency = Literal["hourly", "daily", "weekly", "monthly"]
Source = Literal["web", "api", "slack", "terraform"]
ScheduleType = Literal["calendar", "web", "ical"]
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


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """A person who can be on call. Shifts refer to users by ``id``."""

    id: str
    username: str
    email: str | None = None


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
    # the directory by id, for user(): outputs look a user up per row
    _by_id: dict[str, User] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, User] = {}
        for user in self.users:
            by_id.setdefault(user.id, user)  # the first of a repeated id, as a scan finds it
        object.__setattr__(self, "_by_id", by_id)

    def user(self, user_id: str) -> User:
        """The user with this id (a bare user named by the id when the directory lacks it)."""
        found = self._by_id.get(user_id)
        return found if found is not None else User(id=user_id, username=user_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A query window ``[start, end)`` of aware instants."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """The window's length."""
        return self.end - self.start


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """One expanded occurrence: who is on call ``[start, end)`` (UTC) at which rank.

    ``shift_index`` is the position of the shift in its schedule (``-1`` for iCal events);
    ``shift_id`` the shift's id (or the iCal UID). ``missing_users`` are names that matched no
    user (such intervals are *empty* when ``users`` is empty too).
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
    """A calendar component left out by ``on_error="skip"``: which one, and why."""

    uid: str | None
    line: int
    property: str
    reason: str


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
