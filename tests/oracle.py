"""A brute-force oracle for the strict profile, independent of ``_expand`` and ``_merge``.

It walks each shift's occurrences from ``start`` one by one with dateutil's rrule (DTSTART
dropped when it does not match, which is dateutil's own behaviour), counts rotation turns by
walking periods (or selected days) from the first occurrence, and answers ``owners(t)`` for
one instant by looking at every occurrence: the users of the highest-ranked non-empty layer
active at ``t``. Slow on purpose; only for the small inputs of the property tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from shiftcalc import Schedule, Shift, Window

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQ = {
    "hourly": rrule.HOURLY,
    "daily": rrule.DAILY,
    "weekly": rrule.WEEKLY,
    "monthly": rrule.MONTHLY,
}


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: ``users`` on call ``[start, end)`` (UTC) at ``rank``."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    rank: tuple[int, int]


def zone_of(name: str) -> ZoneInfo | type[UTC]:  # type: ignore[valid-type]
    return UTC if name == "UTC" else ZoneInfo(name)


def to_instant(wall: datetime, zone: object) -> datetime:
    """A wall-clock time as a UTC instant: skipped times take the offset before the gap."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)  # type: ignore[arg-type]


def walls(shift: Shift, last: datetime) -> list[datetime]:
    """Occurrence wall-clock starts up to ``last`` (wall clock), walking from DTSTART."""
    if shift.frequency is None or shift.type in ("single_event", "override"):
        return [shift.start] if shift.start <= last else []
    interval = shift.interval or 1
    if shift.type == "rolling_users" and shift.frequency == "daily" and shift.by_day:
        interval = 1  # one occurrence per selected day; interval counts days per turn
    rule = rrule.rrule(
        FREQ[shift.frequency],
        dtstart=shift.start,
        interval=interval,
        wkst=DAYS.index(shift.week_start or "MO"),
        byweekday=[DAYS.index(d) for d in shift.by_day] or None,
        bymonth=list(shift.by_month) or None,
        bymonthday=list(shift.by_monthday) or None,
        until=last,
        cache=False,
    )
    return list(rule)


class Turns:
    """Rotation turns counted by walking from the first occurrence, at ``first`` (DESIGN,
    strict rule 7); walls must be asked in order."""

    def __init__(self, shift: Shift, first: datetime) -> None:
        self.shift = shift
        self.interval = shift.interval or 1
        start = first
        self.count = 0
        if shift.frequency == "daily" and shift.by_day:
            self.selected = {DAYS.index(d) for d in shift.by_day}
            self.day = start.date()  # next day not yet counted
        elif shift.frequency == "hourly":
            self.here: datetime | date = start.replace(minute=0, second=0, microsecond=0)
        elif shift.frequency == "daily":
            self.here = start.date()
        elif shift.frequency == "weekly":
            week_start = DAYS.index(shift.week_start or "MO")
            day = start.date()
            while day.weekday() != week_start:
                day -= timedelta(days=1)
            self.here = day
        else:
            self.here = date(start.year, start.month, 1)

    def _next(self, here: datetime | date) -> datetime | date:
        frequency, interval = self.shift.frequency, self.interval
        if frequency == "hourly":
            return here + timedelta(hours=interval)
        if frequency == "daily":
            return here + timedelta(days=interval)
        if frequency == "weekly":
            return here + timedelta(days=7 * interval)
        y, m = divmod(here.month - 1 + interval, 12)
        return date(here.year + y, m + 1, 1)

    def __call__(self, wall: datetime) -> int:
        """The turn of the occurrence starting at ``wall``."""
        if self.shift.frequency == "daily" and self.shift.by_day:
            while self.day < wall.date():
                self.count += self.day.weekday() in self.selected
                self.day += timedelta(days=1)
            return self.count // self.interval
        target: datetime | date = wall if self.shift.frequency == "hourly" else wall.date()
        while self._next(self.here) <= target:  # type: ignore[operator]
            self.here = self._next(self.here)
            self.count += 1
        return self.count


def occurrences(schedule: Schedule, window: Window) -> list[Occurrence]:
    """Every occurrence of every shift that may touch ``window`` (not clipped)."""
    result: list[Occurrence] = []
    for shift in schedule.shifts:
        zone = zone_of(shift.time_zone or schedule.time_zone)
        last = window.end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)  # type: ignore[arg-type]
        until = None if shift.until is None else to_instant(shift.until, zone)
        rotation_start = shift.rotation_start or shift.start
        rank = (1 if shift.type == "override" else 0, shift.level)
        found = walls(shift, last)
        turn = Turns(shift, found[0] if found else shift.start)
        for wall in found:
            if wall < rotation_start:
                continue
            start = to_instant(wall, zone)
            wall_start = start.astimezone(zone).replace(tzinfo=None)  # type: ignore[arg-type]
            end = to_instant(wall_start + shift.duration, zone)
            if until is not None:
                if start >= until:
                    continue
                end = min(end, until)
            if end <= start:
                continue
            if shift.type == "rolling_users":
                groups = shift.rolling_users
                index = turn(wall) + (shift.start_rotation_from_user_index or 0)
                users = groups[index % len(groups)] if groups else ()
            elif shift.type == "override":
                # strict: every user an override lists is on call
                users = [u for group in shift.rolling_users for u in group] or list(shift.users)
            else:
                users = shift.users
            result.append(Occurrence(start=start, end=end, users=tuple(users), rank=rank))
    return result


def owners(schedule: Schedule, found: list[Occurrence], at: datetime) -> tuple[str, ...]:
    """Who is on call at the instant ``at`` (sorted ids), swaps applied."""
    best: tuple[int, int] | None = None
    people: set[str] = set()
    for item in found:
        if not item.start <= at < item.end:
            continue
        users = list(item.users)
        for swap in schedule.swaps:
            if swap.benefactor is not None and swap.swap_start <= at < swap.swap_end:
                users = list(
                    dict.fromkeys(swap.benefactor if u == swap.beneficiary else u for u in users)
                )
        if not users:
            continue
        if best is None or item.rank > best:
            best, people = item.rank, set(users)
        elif item.rank == best:
            people |= set(users)
    return tuple(sorted(people))
