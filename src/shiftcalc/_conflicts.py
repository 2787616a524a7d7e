"""Conflicts across schedules and time off: who is on call twice at once, or while away.

Each schedule is resolved over one window (same profile); a user's time on call in a schedule
is the union of their final-shift rows there. People are matched across schedules through the
later schedule's own name index (:meth:`Schedule.find_user`): the earlier schedule's user is
looked up by id, then username, then e-mail, as a scenario names users. Time off is given per
user name (matched the same way in every schedule) as intervals, or as an iCalendar of
absences read as an ``ical`` schedule's calendar (strict profile: all-day events are whole
days in the calendar's zone, else the schedule's).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from ._errors import CalendarError, ValidationError
from ._expand import DurationMode
from ._fairness import merge
from ._model import Profile, Schedule, Window, utc_instant, utc_window
from ._output import for_people, printable, utc_text
from ._resolve import resolve
from ._scenario import Scenario, parse_window

__all__ = ["Conflict", "conflicts", "conflicts_document", "conflicts_table", "read_time_off"]

Spans = list[tuple[datetime, datetime]]
TimeOff = Mapping[str, Iterable[Window | tuple[datetime, datetime]]] | str


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    """A user on call in two schedules at once (``kind="overlap"``, ``schedules=(i, j)``) or
    during their time off (``kind="time_off"``, ``schedules=(i,)``), over ``[start, end)``
    (UTC). ``user`` is their username in the first schedule named, ``user_ids`` their id in
    each schedule named (indices into the ``schedules`` given)."""

    kind: Literal["overlap", "time_off"]
    user: str
    start: datetime
    end: datetime
    schedules: tuple[int, ...]
    user_ids: tuple[str, ...]


def _schedule_of(value: object, name: str) -> Schedule:
    if isinstance(value, Scenario):
        return value.schedule
    if isinstance(value, Schedule):
        return value
    raise ValidationError(name, type(value).__name__, "expected a Schedule or a Scenario")


def _intersect(a: Spans, b: Spans) -> Spans:
    """The overlaps of two sorted lists of disjoint spans, O(len(a) + len(b))."""
    found: Spans = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            found.append((lo, hi))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return found


def _on_call(
    schedule: Schedule, window: Window, profile: Profile, durations: DurationMode, now: Any
) -> dict[str, Spans]:
    rows = resolve(schedule, window, profile=profile, durations=durations, now=now).shifts
    spans: dict[str, Spans] = {}
    for row in rows:
        spans.setdefault(row.user, []).append((row.start, row.end))
    return {user: merge(found) for user, found in spans.items()}


def _match(source: Schedule, user_id: str, target: Schedule) -> str | None:
    """``source``'s user in ``target``: by id, then username, then e-mail."""
    user = source.user(user_id)
    for name in (user.id, user.username, user.email):
        if name:
            found = target.find_user(name)
            if found is not None:
                return found
    return None if target.has_directory else user_id


def _spans(values: Iterable[Window | tuple[datetime, datetime]], field: str) -> Spans:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(field, values, "expected a list of (start, end) intervals")
    spans: Spans = []
    for k, value in enumerate(values):
        where = f"{field}[{k}]"
        if isinstance(value, Window):
            start, end = value.start, value.end
        elif isinstance(value, tuple | list) and len(value) == 2:
            start, end = value
        else:
            raise ValidationError(where, value, "expected a Window or a (start, end) pair")
        start, end = utc_instant(start, f"{where}.start"), utc_instant(end, f"{where}.end")
        if end < start:
            raise ValidationError(f"{where}.end", end, "the interval ends before it starts")
        spans.append((start, end))
    return spans


def _time_off_intervals(
    schedules: Sequence[Schedule], time_off: Mapping[str, Any]
) -> list[dict[str, Spans]]:
    """Per schedule, each user's time off (by id); a name no schedule knows is refused (a
    typo would hide every conflict it should show)."""
    per_schedule: list[dict[str, Spans]] = [{} for _ in schedules]
    for name, values in time_off.items():
        if not isinstance(name, str):
            raise ValidationError("time_off", name, "expected user names as keys")
        spans = _spans(values, f"time_off[{name}]")
        known = False
        for found, schedule in zip(per_schedule, schedules, strict=True):
            user = schedule.find_user(name)
            if user is None and not schedule.users:
                user = name  # no directory and no shifts' names: every name is a user
            if user is not None:
                known = True
                found.setdefault(user, []).extend(spans)
        if not known:
            raise ValidationError(f"time_off[{name}]", name, "matches no user of any schedule")
    return [{user: merge(spans) for user, spans in found.items()} for found in per_schedule]


def _time_off_calendar(schedule: Schedule, text: str, window: Window) -> dict[str, Spans]:
    """Each user's absences in the calendar ``text`` (names as an ``ical`` schedule's)."""
    from .ical import calendar_records  # the iCal module only when it is asked for

    try:
        records = calendar_records(text, schedule, window, profile="strict", overrides=False)
    except CalendarError as exc:
        raise CalendarError(f"time_off {exc.field}", exc.value, exc.reason) from None
    spans: dict[str, Spans] = {}
    for record in records:
        for name in record.users:
            user = schedule.user_named(name) or name
            spans.setdefault(user, []).append((record.start, record.end))
    return {user: merge(found) for user, found in spans.items()}


def conflicts(
    schedules: Sequence[Schedule | Scenario],
    window: Window | None = None,
    *,
    time_off: TimeOff | None = None,
    profile: Profile = "strict",
    durations: DurationMode = "wall",
) -> tuple[Conflict, ...]:
    """Users on call in two schedules at once, or during their time off, over ``window``.

    ``window`` defaults to the first scenario's; each schedule is resolved in ``profile`` with
    ``durations`` (as :func:`resolve` takes them). ``time_off`` maps a user name to intervals
    (``(start, end)`` aware instants or :class:`Window` values, half-open), or is iCalendar text
    whose VEVENTs (all-day or timed) name the absent users in SUMMARY or ATTENDEE. Sorted by
    (start, end, kind, schedules, user). Cost: one resolution per schedule, then linear merges
    of sorted spans per pair of schedules and user.

    >>> from datetime import UTC, datetime, timedelta
    >>> from shiftcalc import Shift
    >>> def team(user):
    ...     week = Shift(type="single_event", start=datetime(2024, 1, 1, 9),
    ...                  duration=timedelta(days=7), users=(user,))
    ...     return Schedule(shifts=(week,))
    >>> window = Window(start=datetime(2024, 1, 1, tzinfo=UTC),
    ...                 end=datetime(2024, 1, 8, tzinfo=UTC))
    >>> [(c.kind, c.user, c.schedules) for c in conflicts([team("ann"), team("ann")], window)]
    [('overlap', 'ann', (0, 1))]

    Raises:
        ValidationError: not a schedule or scenario, no window, a bad interval, a time-off
            name that matches no user of any schedule, or an invalid schedule.
        CalendarError: a time-off calendar that cannot be used (``time_off VEVENT[…]``).
    """
    if isinstance(schedules, str | bytes) or not isinstance(schedules, Sequence):
        raise ValidationError("schedules", schedules, "expected a list of schedules")
    items = [_schedule_of(value, f"schedules[{i}]") for i, value in enumerate(schedules)]
    if window is None:
        first = schedules[0] if schedules else None
        if not isinstance(first, Scenario):
            raise ValidationError("window", None, "required unless the first is a Scenario")
        window = first.window
    window = utc_window(window)
    nows = [value.now if isinstance(value, Scenario) else None for value in schedules]
    on_call = [
        _on_call(s, window, profile, durations, now) for s, now in zip(items, nows, strict=True)
    ]
    found = list(_overlaps(items, on_call))
    if time_off is not None:
        found.extend(_absences(items, on_call, time_off, window))
    found.sort(key=lambda c: (c.start, c.end, c.kind, c.schedules, c.user, c.user_ids))
    return tuple(found)


def _overlaps(
    items: Sequence[Schedule], on_call: Sequence[dict[str, Spans]]
) -> Iterable[Conflict]:
    for i, j in itertools.combinations(range(len(items)), 2):
        for user, spans in sorted(on_call[i].items()):
            other = _match(items[i], user, items[j])
            if other is None or other not in on_call[j]:
                continue
            for lo, hi in _intersect(spans, on_call[j][other]):
                yield Conflict(
                    kind="overlap",
                    user=items[i].user(user).username,
                    start=lo,
                    end=hi,
                    schedules=(i, j),
                    user_ids=(user, other),
                )


def _absences(
    items: Sequence[Schedule],
    on_call: Sequence[dict[str, Spans]],
    time_off: TimeOff,
    window: Window,
) -> Iterable[Conflict]:
    if isinstance(time_off, str):
        away = [_time_off_calendar(s, time_off, window) for s in items]
    elif isinstance(time_off, Mapping):
        away = _time_off_intervals(items, time_off)
    else:
        raise ValidationError("time_off", time_off, "expected a mapping or iCalendar text")
    for i, schedule in enumerate(items):
        for user, spans in sorted(on_call[i].items()):
            for lo, hi in _intersect(spans, away[i].get(user, [])):
                yield Conflict(
                    kind="time_off",
                    user=schedule.user(user).username,
                    start=lo,
                    end=hi,
                    schedules=(i,),
                    user_ids=(user,),
                )


# --------------------------------------------------------------------------- CLI helpers


def read_time_off(data: Any) -> dict[str, list[tuple[datetime, datetime]]]:
    """A time-off JSON object: ``{"alice": [{"start": ..., "end": ...}, ...]}``, bounds as a
    scenario's window takes them (instants with ``Z`` or an offset, or dates)."""
    if not isinstance(data, Mapping):
        raise ValidationError("time_off", type(data).__name__, "expected an object of users")
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    for name, values in data.items():
        if not isinstance(values, list):
            raise ValidationError(f"time_off[{name}]", values, "expected a list of intervals")
        spans = []
        for k, value in enumerate(values):
            try:
                window = parse_window(value)
            except ValidationError as exc:
                field = exc.field.removeprefix("window")
                raise type(exc)(f"time_off[{name}][{k}]{field}", exc.value, exc.reason) from None
            spans.append((window.start, window.end))
        found[name] = spans
    return found


def conflicts_document(found: Sequence[Conflict], window: Window, names: Sequence[str]) -> Any:
    """The conflicts as a JSON-ready object; ``names`` label the schedules (file names)."""
    return {
        "window": {"start": utc_text(window.start), "end": utc_text(window.end)},
        "conflicts": [
            {
                "kind": c.kind,
                "user": c.user,
                "user_ids": list(c.user_ids),
                "schedules": [names[i] for i in c.schedules],
                "start": utc_text(c.start),
                "end": utc_text(c.end),
                "hours": round((c.end - c.start).total_seconds() / 3600, 4),
            }
            for c in found
        ],
    }


@for_people
def conflicts_table(found: Sequence[Conflict], names: Sequence[str]) -> str:
    """The conflicts, one line each (UTC), or a line saying there are none."""
    if not found:
        return "no conflicts\n"
    lines = [
        f"{c.kind:<8}  {printable(c.user)}  {utc_text(c.start)} -> {utc_text(c.end)}  "
        + " + ".join(names[i] for i in c.schedules)
        for c in found
    ]
    return "\n".join(lines) + "\n"
