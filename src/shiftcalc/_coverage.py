"""Coverage over unbounded time: is someone (at least ``min_users``) always on call from now on?

The argument (DESIGN.md, "Coverage over unbounded time"): after an instant T0 that follows
every one-off thing (one-off shifts, rotation starts, ``until``, swaps, each zone's explicit
tz transitions), the schedule's picture in UTC repeats with a period P, the lcm of each
shift's wall-clock cycle (rule period and rotation cycle) and, where a zone keeps a DST rule or
a rule depends on the calendar month, the Gregorian 400-year cycle. So ``[since, T0 + P)``
resolved row by row decides all time. For the common case (one zone, wall-clock durations)
the 400 years are not resolved: the wall-clock pattern is checked over one wall period, and
the stretches near each DST change once per distinct (phase, change) pair. Whatever finds a
gap, the first one is found by resolving from ``since`` until it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Literal

from ._errors import ValidationError
from ._expand import MAX_OCCURRENCES, DurationMode, later, shift_rule
from ._model import (
    WEEKDAYS,
    FinalShift,
    Profile,
    Schedule,
    Shift,
    SkippedComponent,
    UnresolvedName,
    Window,
    utc_instant,
)
from ._output import for_people, printable
from ._resolve import CalendarErrors, check_arguments, refuse_limit_skips, resolve
from ._scenario import ONCALL_MAX_WINDOW
from ._tz import explicit_transitions, get_zone, localize, tzif_data

__all__ = ["DEFAULT_HORIZON", "Coverage", "Shortfall", "coverage", "coverage_text"]

Verdict = Literal["covered", "uncovered", "bounded"]

DEFAULT_HORIZON = timedelta(days=36525)
"""How much time :func:`coverage` resolves at most by default (a century): a proof that needs
more falls back to checking ``[since, since + horizon)`` and says so."""

_DAY, _HOUR = timedelta(days=1), timedelta(hours=1)
_CYCLE_DAYS = 146097  # the Gregorian calendar repeats every 400 years: 146,097 days
_CYCLE = timedelta(days=_CYCLE_DAYS)
_CYCLE_HOURS = _CYCLE_DAYS * 24
_CYCLE_MONTHS = 4800
_MARGIN = timedelta(days=3)  # wall clock vs UTC, a DST change inside: no zone is a day off
_MAX_UTC = datetime.max.replace(tzinfo=UTC)
_ONCALL_CHUNK = ONCALL_MAX_WINDOW  # OnCall answers windows of at most 365 days
_MAX_TRANSITIONS = 200_000  # DST changes the short argument may enumerate
_MAX_LISTED = timedelta(days=36525)  # explicit zone history it may read, every 3 days
_MAX_REACH = timedelta(days=366)  # beyond a year-long shift, neighbourhoods hold many changes
_MAX_SPAN_HOURS = 10_000 * 366 * 24  # no span beyond the years 1 to 9999 fits a datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortfall:
    """A stretch ``[start, end)`` with fewer than ``min_users`` on call: ``users`` (ids,
    sorted) are on call throughout it; ``before`` and ``after`` are who is on call just before
    and just after it (None where the checked time begins or ends there)."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None

    @property
    def kind(self) -> Literal["uncovered", "understaffed"]:
        """``uncovered`` when nobody is on call, else ``understaffed``."""
        return "understaffed" if self.users else "uncovered"


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """The answer of :func:`coverage`.

    ``verdict``: ``covered`` (at least ``min_users`` on call at every instant of ``checked``,
    which runs from ``since`` to ``until`` or to the end of representable time: proved),
    ``uncovered`` (``first_gap`` is the earliest stretch with fewer; ``checked`` ends with
    it) or ``bounded`` (no proof within the budget: covered over ``checked`` only, which is
    ``[since, since + horizon)``). ``period`` is the period of the schedule's picture in UTC
    after ``regular_from`` (None when none was found); ``resolved`` the time resolved row by
    row; ``argument`` the facts the answer rests on; ``skipped`` the calendar components its
    resolutions left out with ``calendar_errors="skip"``, ``unresolved`` the calendar names
    they found matching no user; ``until`` the end asked for (UTC; None: all time). A gap
    still open where the check had to stop (the horizon past its start, short of ``until``)
    ends ``checked`` there with ``after`` None: its real end is later or never.
    """

    verdict: Verdict
    min_users: int
    profile: Profile
    checked: Window
    first_gap: Shortfall | None
    period: timedelta | None
    regular_from: datetime | None
    resolved: timedelta
    argument: str
    skipped: tuple[SkippedComponent, ...] = ()
    unresolved: tuple[UnresolvedName, ...] = ()
    until: datetime | None = None

    @property
    def always_covered(self) -> bool:
        """True when the verdict is ``covered`` (proved over all of ``checked``)."""
        return self.verdict == "covered"


# --------------------------------------------------------------------------- scanning


Piece = tuple[datetime, datetime, tuple[str, ...]]


def _sweep(rows: Sequence[FinalShift], low: datetime, high: datetime) -> Iterator[Piece]:
    """The pieces of ``[low, high)`` from rows clipped to it (a user counted once however many
    of their rows overlap, as in ``oncall``; empty rows count for nothing)."""
    bounds: list[tuple[datetime, int, str]] = []
    for row in rows:
        if row.end > row.start:
            bounds.append((row.start, 1, row.user))
            bounds.append((row.end, -1, row.user))
    bounds.sort(key=lambda item: (item[0], item[1]))
    counts: dict[str, int] = {}
    at = low
    i = 0
    while at < high:
        while i < len(bounds) and bounds[i][0] <= at:
            _, step, user = bounds[i]
            counts[user] = counts.get(user, 0) + step
            if not counts[user]:
                del counts[user]
            i += 1
        following = bounds[i][0] if i < len(bounds) else high
        following = min(following, high)
        yield at, following, tuple(sorted(counts))
        at = following


def _first_shortfall(pieces: Iterator[Piece], min_users: int, since: datetime) -> Shortfall | None:
    """The first piece with fewer than ``min_users``, with its neighbours."""
    before: tuple[str, ...] | None = None
    for start, end, users in pieces:
        if len(users) < min_users:
            after = next(pieces, None)
            return Shortfall(
                start=start,
                end=end,
                users=users,
                before=None if start == since else before,
                after=None if after is None else after[2],
            )
        before = users
    return None


# --------------------------------------------------------------------------- the period


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    """What the schedule's definition says about its repetition."""

    regular_from: datetime  # T0: after it, nothing happens that does not repeat
    shifts_regular: datetime  # the same without the zones' explicit transitions
    period: timedelta | None  # of the UTC picture after T0
    wall_period: timedelta | None  # of the wall-clock pattern (the short argument)
    zone: str | None  # the one zone of every shift, when the short argument applies
    longest: timedelta  # the longest shift duration
    facts: tuple[str, ...]
    why_none: str | None  # why there is no period


def _lcm(*values: int) -> int:
    return math.lcm(*values)


def _months_in_hours(months: int) -> int:
    """Hours of a whole number of 400-year cycles covering ``lcm(months, 4800)`` months."""
    return _lcm(months, _CYCLE_MONTHS) // _CYCLE_MONTHS * _CYCLE_HOURS


def _shift_cycle(shift: Shift) -> tuple[int, str]:
    """The wall-clock cycle of a recurring shift in hours, and the fact that gives it."""
    interval = shift.interval or 1
    groups = len(shift.rolling_users) if shift.type == "rolling_users" else 1
    groups = max(groups, 1)
    by_calendar = bool(shift.by_month or shift.by_monthday)
    frequency = shift.frequency
    if frequency == "monthly":
        hours = _months_in_hours(interval * groups)
        return hours, f"monthly every {interval} × {groups} groups: 400 Gregorian years"
    if frequency == "hourly":
        rule, turn = interval, interval * groups
        if shift.by_day:
            rule = _lcm(rule, 168)
    elif frequency == "daily" and shift.type == "rolling_users" and shift.by_day:
        selected = len({WEEKDAYS.index(day) for day in shift.by_day})
        rule = 168
        turn = 168 * (interval * groups // math.gcd(selected, interval * groups))
    elif frequency == "daily":
        rule, turn = 24 * interval, 24 * interval * groups
        if shift.by_day:
            rule = _lcm(rule, 168)
    else:  # weekly
        rule, turn = 168 * interval, 168 * interval * groups
    hours = _lcm(rule, turn)
    fact = f"{frequency} every {interval}, {groups} group(s): {_span_text(hours)}"
    if by_calendar:
        hours = _lcm(hours, _CYCLE_HOURS)
        fact += ", by month or month day: with 400 Gregorian years"
    return hours, fact


def _span_text(hours: int) -> str:
    if hours % 24:
        return f"{hours} h"
    days = hours // 24
    if days % _CYCLE_DAYS == 0:
        return f"{days // _CYCLE_DAYS} × 400 years"
    return f"{days // 7} weeks" if days % 7 == 0 else f"{days} days"


def _plan(schedule: Schedule, since: datetime, durations: DurationMode) -> _Plan:
    facts: list[str] = []
    ends = [since]
    cycles: list[int] = []
    zones: set[str] = set()
    longest = timedelta(0)
    for index, shift in enumerate(schedule.shifts):
        zone_name = shift.time_zone or schedule.time_zone
        zone = get_zone(zone_name)
        if shift_rule(shift) is None:
            ends.append(later(_utc(localize(shift.start, zone)), shift.duration))
            continue
        if shift.until is not None:
            ends.append(_utc(localize(shift.until, zone)))
            facts.append(f"shifts[{index}] ends at until {shift.until.isoformat()}")
            continue
        regular = max(shift.start, shift.effective_rotation_start)
        ends.append(later(_utc(localize(regular, zone)), shift.duration))
        longest = max(longest, shift.duration)  # of what repeats: how far a DST change reaches
        hours, fact = _shift_cycle(shift)
        cycles.append(hours)
        zones.add(zone_name)  # only the zones of what repeats matter after T0
        facts.append(f"shifts[{index}] ({zone_name}): {fact}")
    ends += [swap.swap_end for swap in schedule.swaps]
    shifts_regular = later(max(_utc(end) for end in ends), _MARGIN)
    dst_zones = []
    for name in sorted(zones):
        last, _, changes = _zone_rule(name)
        if last is not None:
            ends.append(last)
        if changes:
            dst_zones.append(name)
            facts.append(f"{name}: a DST rule after {_date(last)}: repeats every 400 years")
    regular_from = later(max(_utc(end) for end in ends), _MARGIN)
    if schedule.ical_primary or schedule.ical_overrides:
        why = "the schedule has iCalendar calendars, whose repetition is not analysed"
        return _Plan(
            regular_from=regular_from,
            shifts_regular=shifts_regular,
            period=None,
            wall_period=None,
            zone=None,
            longest=longest,
            facts=tuple(facts),
            why_none=why,
        )
    if not cycles:
        facts.append("no shift repeats after T0: what is on call then is nothing, for ever")
    wall_hours = _lcm(*cycles) if cycles else 1
    utc_hours = _lcm(wall_hours, _CYCLE_HOURS) if dst_zones else wall_hours
    single = durations == "wall" and len(zones) == 1 and bool(dst_zones) and wall_hours < utc_hours
    return _Plan(
        regular_from=regular_from,
        shifts_regular=shifts_regular,
        period=_hours(utc_hours),
        wall_period=_hours(wall_hours) if single else None,
        zone=next(iter(zones)) if single else None,
        longest=longest,
        facts=tuple(facts),
        why_none=None,
    )


def _hours(hours: int) -> timedelta | None:
    """``hours`` as a timedelta, or None when no datetime span is that long."""
    return timedelta(hours=hours) if hours <= 10_000 * 366 * 24 else None


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return _MAX_UTC if value.year > 1 else datetime.min.replace(tzinfo=UTC)


def _date(value: datetime | None) -> str:
    return "its start" if value is None else f"{value:%Y-%m-%d}"


# --------------------------------------------------------------------------- zones


def _last_explicit(data: bytes) -> datetime | None:
    """The last explicit transition of a TZif file; after it zoneinfo follows the file's
    footer rule (a POSIX TZ string: a fixed offset or a yearly DST rule)."""
    changes = explicit_transitions(data)
    if not changes:
        return None
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=changes[-1][0])


Change = tuple[datetime, timedelta, timedelta]  # UTC instant, offset before, offset after


@lru_cache(maxsize=64)
def _zone_rule(name: str) -> tuple[datetime | None, datetime, tuple[Change, ...]]:
    """The zone's last explicit transition (None: none, or a fixed zone), the instant from
    which its footer rule holds, and its offset changes during the first 400-year cycle from
    there (empty: a fixed offset from then on).

    The footer is a POSIX TZ rule: at most two changes a year, each at a fixed local time on
    a date rule (``Jn``, ``n``, ``Mm.w.d``) that moves by at most a week from one year to the
    next. So the first year is read every three days (changes are more than 3 days 23 hours
    apart, ``_tz``) and bisected to the second; each later change is looked for at the same
    time of day within 8 days of a year after the previous one and checked to the second.
    Where that fails, the whole cycle is read every three days instead.
    """
    zone = get_zone(name)
    if zone is UTC:
        return None, _MAX_UTC, ()
    data = tzif_data(name)
    if data is None:  # unreadable: nothing is known to repeat, so no period
        return _MAX_UTC, _MAX_UTC, ()
    last = _last_explicit(data)
    # the footer rule holds for every instant after the last explicit transition
    origin = datetime(1970, 1, 1, tzinfo=UTC) if last is None else last + timedelta(seconds=1)
    origin = origin.replace(microsecond=0)
    end = origin + _CYCLE
    # a year and the 8 days a change may move: each change of the rule is seen at least once
    found = _probed(zone, origin, min(origin + timedelta(days=375), end))
    known = set(found)
    while found:
        following = [_next_year(zone, change) for change in found]
        if any(change is None for change in following):
            return last, origin, tuple(_probed(zone, origin, end))
        found = [c for c in following if c is not None and c[0] < end and c not in known]
        known.update(found)
    return last, origin, tuple(sorted(known))


def _offset(zone: tzinfo, at: datetime) -> timedelta:
    found = at.astimezone(zone).utcoffset()
    assert found is not None
    return found


def _probed(zone: tzinfo, start: datetime, end: datetime) -> list[Change]:
    """The offset changes in ``[start, end)``, read every three days and bisected to the
    second (changes fall on whole seconds: the probes do too, from ``start``'s second)."""
    step, second = timedelta(days=3), timedelta(seconds=1)
    changes: list[Change] = []
    at = start - timedelta(microseconds=start.microsecond)
    current = _offset(zone, at)
    while at < end:
        probe = min(at + step, end)
        now = _offset(zone, probe)
        if now != current:
            low, high = at, probe  # the offset at low is current, at high it is not
            while high - low > second:
                # at least a second on: a half of under a second made no progress (a
                # ``since`` with microseconds hung here when ``end`` was not on a second)
                middle = low + max((high - low) // 2 // second, 1) * second
                if _offset(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            changes.append((high, current, now))
            current = now
        at = probe
    return changes


def _next_year(zone: tzinfo, change: Change) -> Change | None:
    """The same change about a year later: at the same time of day, within 8 days of 365
    days later, checked to the second (None when it is not there)."""
    at, before, after = change
    guess = at + timedelta(days=365)
    low, high = -9, 8  # days from the guess: the change has not happened at low, has at high
    if _offset(zone, guess + low * _DAY) != before or _offset(zone, guess + high * _DAY) != after:
        return None
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, guess + middle * _DAY) == after:
            high = middle
        else:
            low = middle
    instant = guess + high * _DAY
    if _offset(zone, instant - timedelta(seconds=1)) != before:
        return None
    return instant, before, after


# --------------------------------------------------------------------------- the check


def coverage(
    schedule: Schedule,
    since: datetime,
    *,
    min_users: int = 1,
    until: datetime | None = None,
    profile: Profile = "strict",
    horizon: timedelta = DEFAULT_HORIZON,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
    max_occurrences: int = MAX_OCCURRENCES,
) -> Coverage:
    """Whether at least ``min_users`` are on call at every instant from ``since`` (to
    ``until``, else for all time), or the first stretch where they are not.

    A user is on call at an instant when one of their final-shift rows covers it (half-open).
    ``strict`` proves the answer for all time by the schedule's period (DESIGN.md, "Coverage
    over unbounded time"), resolving at most ``horizon`` of time; where the proof needs more,
    or no period exists, the answer is ``bounded``: checked over ``[since, since + horizon)``.
    ``oncall`` has no period argument (OnCall answers windows of at most 365 days, and its
    quirks are not shown to repeat): it checks ``[since, until)`` or ``[since, since +
    horizon)`` in windows of 365 days, what OnCall shows window by window. ``durations`` and
    ``calendar_errors`` are :func:`resolve`'s, for every resolution made (a schedule with
    iCalendar calendars is always checked window by window: ``bounded`` at best).
    """
    check_arguments(schedule, profile, max_occurrences, durations, calendar_errors)
    start = utc_instant(since, "since")
    end = _MAX_UTC if until is None else utc_instant(until, "until")
    if end <= start:
        raise ValidationError("until", until, "must be after since")
    if not isinstance(min_users, int) or isinstance(min_users, bool) or min_users < 1:
        raise ValidationError("min_users", min_users, "must be a positive integer")
    if not isinstance(horizon, timedelta) or horizon <= timedelta(0):
        raise ValidationError("horizon", horizon, "must be a positive timedelta")
    check = _Check(
        schedule,
        start,
        end,
        min_users,
        profile,
        durations,
        calendar_errors,
        max_occurrences,
        horizon,
    )
    if profile == "oncall":
        return check.bounded(None, ("oncall: no period argument, checked window by window",))
    plan = _plan(schedule, start, durations)
    return check.run(plan)


@dataclass(slots=True)
class _Check:
    schedule: Schedule
    since: datetime
    end: datetime
    min_users: int
    profile: Profile
    durations: DurationMode
    calendar_errors: CalendarErrors
    max_occurrences: int
    horizon: timedelta
    resolved: timedelta = timedelta(0)  # the time resolved so far, by every scan
    # the calendar components the resolutions skipped, and the names they found matching
    # nobody, in order, once each
    skipped: dict[SkippedComponent, None] = field(default_factory=dict)
    unresolved: dict[UnresolvedName, None] = field(default_factory=dict)

    def pieces(self, schedule: Schedule, start: datetime, end: datetime) -> Iterator[Piece]:
        """``[start, end)`` cut into maximal pieces of one set of users on call (a user is on
        call where one of their final-shift rows covers the instant), resolved in growing
        chunks so that a near gap is cheap; in ``oncall`` no chunk is longer than OnCall's 365
        days."""
        chunk = timedelta(days=7)
        # at most half a year per resolution: 200 hourly shifts stay under max_occurrences
        cap = _ONCALL_CHUNK if self.profile == "oncall" else timedelta(days=183)
        pending: Piece | None = None
        low = start
        while low < end:
            high = min(later(low, chunk), end)
            resolution = resolve(
                schedule,
                Window(start=low, end=high),
                profile=self.profile,
                durations=self.durations,
                calendar_errors=self.calendar_errors,
                max_occurrences=self.max_occurrences,
            )
            refuse_limit_skips(resolution, "coverage", "check a shorter span (until)")
            self.skipped.update(dict.fromkeys(resolution.skipped))
            self.unresolved.update(dict.fromkeys(resolution.unresolved))
            self.resolved += high - low
            for piece in _sweep(resolution.shifts, low, high):
                if pending is not None and pending[2] == piece[2] and pending[1] == piece[0]:
                    pending = (pending[0], piece[1], pending[2])
                    continue
                if pending is not None:
                    yield pending
                pending = piece
            low = high
            chunk = min(chunk * 4, cap)
        if pending is not None:
            yield pending

    def scan(
        self, start: datetime, end: datetime, schedule: Schedule | None = None
    ) -> Shortfall | None:
        pieces = self.pieces(schedule or self.schedule, start, end)
        return _first_shortfall(pieces, self.min_users, start)

    def answer(
        self,
        verdict: Verdict,
        checked_end: datetime,
        gap: Shortfall | None,
        plan: _Plan | None,
        lines: tuple[str, ...],
    ) -> Coverage:
        facts = plan.facts if plan is not None else ()
        return Coverage(
            verdict=verdict,
            min_users=self.min_users,
            profile=self.profile,
            checked=Window(start=self.since, end=checked_end),
            first_gap=gap,
            period=None if plan is None else plan.period,
            regular_from=None if plan is None else plan.regular_from,
            resolved=self.resolved,
            argument="\n".join((*facts, *lines)),
            skipped=tuple(self.skipped),
            unresolved=tuple(self.unresolved),
            until=None if self.end == _MAX_UTC else self.end,
        )

    def gap(self, gap: Shortfall, plan: _Plan | None, lines: tuple[str, ...]) -> Coverage:
        gap = self.extend(gap, plan)
        return self.answer("uncovered", gap.end, gap, plan, lines)

    def extend(self, gap: Shortfall, plan: _Plan | None) -> Shortfall:
        """A gap cut by the end of a scan, run on to its real end: forever when it spans a
        whole period of the regular part, else as far as the horizon reaches."""
        if gap.after is not None or gap.end >= self.end:
            return gap
        if plan is not None and plan.period is not None:
            regular, period = plan.regular_from, plan.period
            if gap.start <= regular and gap.end >= later(regular, period):  # a whole period
                return replace(gap, end=self.end)
        stop = min(later(gap.end, self.horizon), self.end)
        for start, end, users in self.pieces(self.schedule, gap.end, stop):
            if users != gap.users:
                return replace(gap, end=start, after=users)
            gap = replace(gap, end=end)
        return gap

    def bounded(self, plan: _Plan | None, lines: tuple[str, ...]) -> Coverage:
        """Check ``[since, since + horizon)`` (or to the end asked for, when nearer)."""
        stop = min(later(self.since, self.horizon), self.end)
        found = self.scan(self.since, stop)
        if found is not None:
            return self.gap(found, plan, (*lines, "first gap found by resolving from since"))
        if stop == self.end:
            lines = (*lines, "every instant up to the end was resolved: covered")
            return self.answer("covered", stop, None, plan, lines)
        lines = (*lines, f"covered over the horizon of {self.horizon.days} days only")
        return self.answer("bounded", stop, None, plan, lines)

    def run(self, plan: _Plan) -> Coverage:
        if plan.period is None:
            why = plan.why_none or "the period is longer than representable time"
            return self.bounded(plan, (f"no period: {why}",))
        proof_end = later(plan.regular_from, plan.period)
        needed = min(proof_end, self.end) - self.since
        short = self.short_argument(plan)
        if short is not None and short[0] < needed and short[0] <= self.horizon:
            return self.run_short(plan, short[1])
        if needed > self.horizon:
            lines = (
                f"the proof needs {needed.days} days resolved from since, more than the"
                f" horizon of {self.horizon.days} days",
            )
            return self.bounded(plan, lines)
        found = self.scan(self.since, min(proof_end, self.end))
        if found is not None:
            return self.gap(found, plan, ("first gap found by resolving from since",))
        lines = (
            f"regular from {plan.regular_from.isoformat()}: one period of"
            f" {_period_text(plan.period)} resolved after it, no gap: covered for all time",
        )
        if self.end <= proof_end:
            lines = ("every instant up to the end was resolved: covered",)
        return self.answer("covered", self.end, None, plan, lines)

    # ---------------------------------------------------------------- the short argument

    def short_argument(self, plan: _Plan) -> tuple[timedelta, list[datetime]] | None:
        """The cost of the one-zone argument and the DST changes it checks (one per distinct
        phase and neighbourhood), or None when it does not apply.

        Changes from ``first`` to ``base`` are listed as they are (the zone's explicit ones
        included); from ``base``, where the zone's rule holds over every neighbourhood, the
        picture repeats every ``span``, so one span of them stands for all later ones.
        """
        if plan.wall_period is None or plan.zone is None or plan.shifts_regular.year < 2:
            return None  # (near the year 1 the wall clock may read before it)
        reach = plan.longest + _MARGIN  # a change moves instants within this of it
        hours = _lcm(plan.wall_period // _HOUR, _CYCLE_HOURS)
        if reach > _MAX_REACH or hours > _MAX_SPAN_HOURS:
            return None  # neighbourhoods or a period of both beyond representable time
        first = later(plan.shifts_regular, reach)
        span = timedelta(hours=hours)
        cycles = span // _CYCLE
        _, origin, changes = _zone_rule(plan.zone)
        zone = get_zone(plan.zone)
        base = max(first, later(origin, 2 * reach))
        if cycles * len(changes) > _MAX_TRANSITIONS or later(base, span + 6 * reach) >= _MAX_UTC:
            return None
        listed_from = first - 2 * reach
        if origin - listed_from > _MAX_LISTED:
            return None  # centuries of explicit history to read: the brute force decides
        listed = _probed(zone, listed_from, origin) if listed_from < origin else []
        skip = max(0, (max(listed_from, origin) - origin) // _CYCLE)
        if later(origin, (skip + cycles + 3) * _CYCLE) - base < span + 2 * reach:
            return None  # the end of time comes first
        # whole seconds from here on: thousands of changes, compared and hashed
        stamps = [_seconds(at) for at, _, _ in listed]
        offsets = [(_seconds_of(b), _seconds_of(a)) for _, b, a in listed]
        low_limit = _seconds(listed_from)
        rule = _rule_seconds(plan.zone)
        for k in range(skip, skip + cycles + 3):
            shift = _CYCLE_DAYS * 86400 * k
            for stamp, pair in rule:
                if stamp + shift >= low_limit:
                    stamps.append(stamp + shift)
                    offsets.append(pair)
        lowest, highest = _seconds(first), _seconds(base + span)
        near_span, wall_period = _seconds_of(2 * reach), _seconds_of(plan.wall_period)
        seen: set[object] = set()
        chosen: list[datetime] = []
        for i in range(bisect.bisect_left(stamps, lowest), bisect.bisect_left(stamps, highest)):
            stamp = stamps[i]
            low = bisect.bisect_left(stamps, stamp - near_span)
            high = bisect.bisect_right(stamps, stamp + near_span)
            near = tuple((stamps[j] - stamp, *offsets[j]) for j in range(low, high))
            key = ((stamp + offsets[i][1]) % wall_period, near)  # the wall phase, the changes
            if key not in seen:
                seen.add(key)
                chosen.append(_EPOCH + timedelta(seconds=stamp))
        cost = (first + reach - self.since) + plan.wall_period + 2 * reach * len(chosen)
        return cost, chosen

    def run_short(self, plan: _Plan, chosen: list[datetime]) -> Coverage:
        assert plan.wall_period is not None and plan.zone is not None
        reach = plan.longest + _MARGIN
        prefix_end = min(later(plan.shifts_regular, 2 * reach), self.end)
        found = self.scan(self.since, prefix_end)
        if found is not None:
            return self.gap(found, plan, ("first gap found by resolving from since",))
        if prefix_end == self.end:
            lines = ("every instant up to the end was resolved: covered",)
            return self.answer("covered", self.end, None, plan, lines)
        steady = _steady(self.schedule)
        wall = plan.shifts_regular.astimezone(get_zone(plan.zone))
        wall_start = (wall - _DAY).replace(tzinfo=UTC)
        steady_gap = self.scan(wall_start, wall_start + plan.wall_period, steady)
        known: datetime | None = None
        for at in chosen:
            window_gap = self.scan(at - reach, at + reach)
            if window_gap is not None:
                known = window_gap.end
                break
        if steady_gap is None and known is None:
            lines = (
                f"one zone ({plan.zone}), wall-clock durations: the wall-clock pattern repeats"
                f" every {_period_text(plan.wall_period)} and has no gap; away from DST"
                f" changes (farther than the longest shift, {plan.longest}, plus 3 days) the"
                " schedule is that pattern; near them it was resolved once per distinct"
                f" pair of phase and neighbouring changes ({len(chosen)} of them) in one"
                " period of both: covered for all time",
            )
            return self.answer("covered", self.end, None, plan, lines)
        # a gap exists: the first one is found by resolving from since, up to a known one
        where = "in the wall-clock pattern" if steady_gap is not None else "near a DST change"
        stop = min(self.end, max(later(self.since, self.horizon), known or self.since))
        found = self.scan(self.since, stop)
        if found is not None:
            lines = (
                f"the one-zone argument found a gap {where}; the first one found by"
                " resolving from since",
            )
            return self.gap(found, plan, lines)
        if stop == self.end:
            lines = ("every instant up to the end was resolved: covered",)
            return self.answer("covered", stop, None, plan, lines)
        lines = (
            "the wall-clock pattern has a gap that the DST changes may hide: no proof;"
            f" covered over the horizon of {self.horizon.days} days only",
        )
        return self.answer("bounded", stop, None, plan, lines)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _seconds(at: datetime) -> int:
    """An instant as whole seconds from the epoch (changes fall on whole seconds)."""
    return (at - _EPOCH) // timedelta(seconds=1)


def _seconds_of(span: timedelta) -> int:
    return span // timedelta(seconds=1)


@lru_cache(maxsize=64)
def _rule_seconds(name: str) -> tuple[tuple[int, tuple[int, int]], ...]:
    """:func:`_zone_rule`'s changes in whole seconds: (instant, (offset before, after))."""
    return tuple(
        (_seconds(at), (_seconds_of(before), _seconds_of(after)))
        for at, before, after in _zone_rule(name)[2]
    )


def _steady(schedule: Schedule) -> Schedule:
    """The repeating part of the schedule read on a clock without DST: its wall-clock
    pattern, in UTC (one-off shifts and shifts with ``until`` are over by T0)."""
    shifts = tuple(
        replace(shift, time_zone="UTC")
        for shift in schedule.shifts
        if shift_rule(shift) is not None and shift.until is None
    )
    return replace(schedule, time_zone="UTC", shifts=shifts, swaps=())


def _period_text(period: timedelta) -> str:
    hours = period // _HOUR
    return _span_text(hours)


def _names(schedule: Schedule, users: tuple[str, ...] | None) -> str:
    if users is None:
        return "-"
    # printable before the text is made (for_people works line by line)
    return ", ".join(printable(schedule.user(user).username) for user in users) or "nobody"


def _open(result: Coverage, gap: Shortfall) -> bool:
    """Whether the gap was still open where the check stopped, short of the end asked for."""
    asked = _MAX_UTC if result.until is None else result.until
    return gap.after is None and gap.end < asked


def _after(schedule: Schedule, result: Coverage, gap: Shortfall) -> str:
    if gap.after is not None:
        return _names(schedule, gap.after)
    if _open(result, gap):
        return "(not found: the gap goes on past the horizon, maybe for ever)"
    return "(for ever)" if gap.end == _MAX_UTC else "(the end asked for)"


@for_people
def coverage_text(result: Coverage, schedule: Schedule) -> str:
    """The CLI's report of a coverage check: the verdict, the first gap with who is on call
    around it, the period and the argument (times in UTC)."""
    since = f"{result.checked.start:%Y-%m-%d %H:%M}Z"
    end = result.checked.end
    to = "for all time" if end == _MAX_UTC else f"until {end:%Y-%m-%d %H:%M}Z"
    gap = result.first_gap
    if result.verdict == "covered":
        lines = [f"covered: at least {result.min_users} on call from {since} {to}"]
    elif gap is not None:
        lines = [
            f"{gap.kind}: {_names(schedule, gap.users)} on call from"
            f" {gap.start:%Y-%m-%d %H:%M:%S}Z to {'at least ' if _open(result, gap) else ''}"
            f"{gap.end:%Y-%m-%d %H:%M:%S}Z (fewer than {result.min_users})",
            f"before: {_names(schedule, gap.before) if gap.before is not None else '(since)'}",
            f"after: {_after(schedule, result, gap)}",
        ]
    else:
        lines = [
            f"not proved: covered from {since} until {end:%Y-%m-%d %H:%M}Z only (the horizon)"
        ]
    if result.period is not None:
        lines.append(f"period: {_period_text(result.period)}")
    lines.append(f"resolved: {result.resolved.days} days")
    lines += [f"  {line}" for line in result.argument.splitlines()]
    return "\n".join(lines) + "\n"
