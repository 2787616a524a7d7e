"""Expansion in the ``oncall`` profile: Grafana OnCall's engine, quirks included.

Grafana OnCall turns every shift into iCalendar VEVENTs (one per user and rotation group) and
expands them with recurring-ical-events. This module builds the same VEVENTs as values (no text
round trip) and expands them the same way, so that every observable quirk of the engine comes
out: wall-clock starts localised with pytz's ``is_dst=False``, the first-occurrence length rule
across DST, ``DTSTART`` always counting, ``until`` read as a UTC instant in the RRULE, web-source
clipping at ``rotation_start``, the synthetic period start when a period has no occurrence, and
the crashes (raised here as :class:`EngineError`). The reference is
``grafana-oncall-semantics.md`` §2; DESIGN.md lists each rule.
"""

from __future__ import annotations

import calendar
import itertools
import math
import operator
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

import pytz

from ._errors import EngineError
from ._expand import MAX_OCCURRENCES, earlier, later, too_many_occurrences
from ._model import WEEKDAYS, Interval, Schedule, Shift, Window
from ._recurrence import RecurrenceRule, wall_instances
from ._tz import NEAR, as_utc, attach_offset, detach, get_zone, naive_utc

__all__ = ["VEvent", "expand_oncall", "occurrence_spans", "shift_vevents", "steady_runs"]

_FREQ = {"hourly": "HOURLY", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}
_LOOKUP_PADDING = timedelta(days=16)  # OnCall expands the window ± 16 days (§2.10)
# recurring-ical-events 2.1.0 hands dateutil UNTIL plus an hour, and dateutil compares each
# wall-clock start at DTSTART's offset: the expansion stops at the first wall time past that;
# a start (localised) after UNTIL itself is skipped. With an offset that grew by more than an
# hour since DTSTART (Troll, Samoa), starts before UNTIL are lost that way.
_UNTIL_SLACK = timedelta(hours=1)
_WEB_OVERRIDE_LEVEL = 99
# timedelta(days=n) parses keywords on every call; the hot paths multiply these instead
_ZERO, _HOUR, _DAY = timedelta(0), timedelta(hours=1), timedelta(days=1)
_MICROSECOND = timedelta(microseconds=1)
_MARGIN = _DAY  # wall bounds around instants: no zone is a day off UTC
_MONTH_SPANS = {days: _DAY * days for days in (28, 29, 30, 31)}


@lru_cache(maxsize=256)
def _pytz_zone(name: str) -> pytz.BaseTzInfo:
    # OnCall rewrites Etc/UTC to UTC because dateutil breaks on it; the result is the same.
    return pytz.timezone("UTC" if name.lower() == "etc/utc" else name)


def pytz_localize(wall: datetime, zone: str, *, strict: bool, field: str) -> datetime:
    """``wall`` in ``zone`` the way pytz's ``localize`` does it, as a fixed-offset datetime.

    ``strict`` is ``is_dst=None`` (OnCall's DTSTART/DTEND: nonexistent and ambiguous times
    crash the engine); otherwise ``is_dst=False`` (the expansion library: standard time).
    Unambiguous times, nearly all of them, take the fast zoneinfo path.
    """
    tz = get_zone(zone)
    if tz is UTC:
        return as_utc(wall)
    offset_at = tz.utcoffset
    # tzinfo.utcoffset reads a naive wall time directly; one offset NEAR either side means
    # the wall time is neither skipped nor repeated, and is that offset
    offset = offset_at(earlier(wall, NEAR))
    if offset is not None and offset == offset_at(later(wall, NEAR)):
        return attach_offset(wall, offset)
    pytz_zone = _pytz_zone(zone)
    try:
        aware = pytz_zone.localize(wall, is_dst=None if strict else False)
    except pytz.NonExistentTimeError as exc:
        raise EngineError(
            field, wall.isoformat(), f"NonExistentTimeError: {wall} in {zone}"
        ) from exc
    except pytz.AmbiguousTimeError as exc:
        raise EngineError(
            field, wall.isoformat(), f"AmbiguousTimeError: {wall} in {zone}"
        ) from exc
    offset = aware.utcoffset()
    assert offset is not None
    return attach_offset(wall, offset)


def zone_offset_at(instant: datetime, zone: str) -> timedelta:
    offset = instant.astimezone(get_zone(zone)).utcoffset()
    assert offset is not None
    return offset


def _as_utc_pretend(wall: datetime) -> datetime:
    """A naive API value as the Django server stores it: the same digits, in UTC."""
    return as_utc(wall)


class VEvent(NamedTuple):
    """One VEVENT as Grafana OnCall generates it, as a value.

    ``dtstart``/``dtend`` are fixed-offset datetimes (pytz semantics); ``rule`` is ``None`` for
    one-off events; ``rule_until`` is the RRULE UNTIL instant. A named tuple, not a dataclass:
    generation builds one per user and turn, and it never leaves the oncall modules.
    """

    dtstart: datetime
    dtend: datetime
    zone: str
    rule: RecurrenceRule | None
    rule_until: datetime | None
    users: tuple[str, ...]
    level: int
    is_override: bool
    web_source: bool
    rotation_start: datetime  # DTSTAMP: the clipping bound of web-source events (UTC)
    shift_index: int
    shift_id: str


class _Anchor(NamedTuple):
    """The last VEVENT built while generating a rotation: what the next period is searched from.

    Its rule is the shift's with the shift's own interval (OnCall rewrites INTERVAL first).
    """

    dtstart: datetime
    dtend: datetime
    zone: str


class _Generator:
    """Rotation generation of one rolling-users or override shift (§2.5–§2.9)."""

    def __init__(self, shift: Shift, zone: str, index: int, shift_id: str) -> None:
        self.shift = shift
        self.zone = zone
        self.index = index
        self.shift_id = shift_id
        self.start = _as_utc_pretend(shift.start)
        self.rotation_start = _as_utc_pretend(shift.effective_rotation_start)
        self.until = None if shift.until is None else _as_utc_pretend(shift.until)
        self.web = shift.source == "web"
        self.week_start = WEEKDAYS.index(shift.week_start or "SU")
        self.interval = shift.interval or 1
        self.level = _WEB_OVERRIDE_LEVEL if shift.is_override else max(shift.level, 0)
        self.weekdays = frozenset(WEEKDAYS.index(day) for day in shift.by_day) or None
        self.fields = (f"shifts[{index}].start", f"shifts[{index}].duration")  # for crashes
        self._rules: dict[tuple[int, str | None, tuple[str, ...]], RecurrenceRule] = {}

    # -- the VEVENT texts OnCall would write -------------------------------------------------

    def rule(
        self, interval: int, freq: str | None = None, by_day: tuple[str, ...] = ()
    ) -> RecurrenceRule:
        key = (interval, freq, by_day)
        rule = self._rules.get(key)
        if rule is None:
            shift = self.shift
            assert shift.frequency is not None
            days = by_day or shift.by_day
            rule = self._rules[key] = RecurrenceRule(
                freq=freq or _FREQ[shift.frequency],
                interval=interval,
                wkst=self.week_start,
                byday=tuple((WEEKDAYS.index(day), None) for day in days),
                bymonth=shift.by_month,
                bymonthday=shift.by_monthday,
            )
        return rule

    def event_times(self, start: datetime, zone: str) -> tuple[datetime, datetime]:
        """DTSTART and DTEND of a VEVENT starting at ``start`` (§2.1: DTEND capped by until)."""
        try:
            end = start + self.shift.duration
        except OverflowError:  # OnCall's own start + duration raises it: a crash
            raise EngineError(
                self.fields[1], self.shift.duration, "OverflowError: the end is after 9999"
            ) from None
        if self.until is not None:
            end = min(end, self.until)
        return (
            pytz_localize(detach(start), zone, strict=True, field=self.fields[0]),
            pytz_localize(detach(end), zone, strict=True, field=self.fields[1]),
        )

    def anchor(self, start: datetime, zone: str) -> _Anchor:
        dtstart, dtend = self.event_times(start, zone)
        return _Anchor(dtstart, dtend, zone)

    # -- period search ----------------------------------------------------------------------

    def week_end(self, day: datetime) -> datetime:
        """The last day (same time of day) of ``day``'s week, weeks beginning on week_start."""
        return day + _DAY * (6 - (day.weekday() - self.week_start) % 7)

    def next_week_bounds(self, current: datetime, interval: int) -> tuple[datetime, datetime]:
        """The first and last day (``current``'s time of day) of the week ``interval`` weeks
        after ``current``'s: the next period of a weekly rotation."""
        days = 7 - current.weekday() + self.week_start
        if days > 7:
            days %= 7
        try:
            low = current + _DAY * (days + 7 * (interval - 1))
        except OverflowError:  # OnCall's own date arithmetic raises it: a crash
            raise self.period_overflow() from None
        return low, self.week_end(low)

    def next_month_start(self, current: datetime, interval: int) -> datetime:
        """The first day (``current``'s time of day) of the month ``interval`` months after
        ``current``'s: the next period of a monthly rotation, by month arithmetic."""
        year, month = divmod(current.year * 12 + current.month - 1 + interval, 12)
        if year > datetime.max.year:  # OnCall's relativedelta raises it: a crash
            raise self.period_overflow()
        return current + _DAY * (date(year, month + 1, 1) - current.date()).days

    def period_overflow(self) -> EngineError:
        return EngineError(
            f"shifts[{self.index}].interval",
            self.interval,
            "OverflowError: the next rotation period is after 9999",
        )

    def eligible(self, start: datetime, stop: datetime) -> bool:
        if self.web:
            return stop > self.rotation_start
        return start >= self.rotation_start

    def rotation_date(
        self, anchor: _Anchor, *, next_period: bool, interval: int | None = None
    ) -> datetime | None:
        """The start of the current (or next) rotation period, searched from ``anchor``."""
        interval = self.interval if interval is None else interval
        shift = self.shift
        if next_period and not (shift.by_month or shift.by_monthday):
            if shift.frequency == "daily":
                return self.next_day(anchor, interval)
            if shift.frequency == "weekly" and not shift.by_day:
                return self.next_week(anchor, interval)
        return self.search(anchor, next_period=next_period, interval=interval)

    def search(self, anchor: _Anchor, *, next_period: bool, interval: int) -> datetime | None:
        """:meth:`rotation_date` as OnCall does it: expand the rule from ``anchor`` and take
        the first start in the period (weekly and monthly: the first eligible one).

        Bounded however rarely the rule meets: the search reads instances only up to its
        horizon (a week or a month, never past one month after the period), and stops at the
        first wall time past it. The rule's pattern repeats: the Gregorian calendar does every
        400 years (146097 days = 20871 weeks = 4800 months, so weekdays, month lengths and leap
        days come back), and a rule of step ``s`` (hours, days, weeks or months) anchored at
        DTSTART is back at the same place of the calendar after ``lcm(C, s) / s`` steps (``C``
        the cycle in the rule's unit); so a rule with no instance in one such cycle has none
        ever (February 30th), and the next instance of one that has (Friday the 13th every
        seventh month) is within a cycle. ``_recurrence`` finds it (or that there is none)
        without iterating to 9999; a step past 9999 ends the rule, as in dateutil.
        """
        frequency = self.shift.frequency
        current = anchor.dtstart
        low = current
        if next_period:
            if frequency == "hourly":
                low = current + _HOUR
            elif frequency == "daily":
                low = current + _DAY
            elif frequency == "weekly":
                low, _ = self.next_week_bounds(current, interval)
            else:
                low = self.next_month_start(current, interval)

        period_end: datetime | None = None
        if frequency == "weekly":
            period_end = self.week_end(low)
            horizon = period_end
        elif frequency == "monthly":
            period_end = low + _DAY * (_days_in_month(low) - low.day)
            horizon = period_end
        else:
            horizon = low + _DAY * _days_in_month(current)

        found: datetime | None = None
        length = anchor.dtend - anchor.dtstart
        # the shift's own interval, not the VEVENT's (OnCall rewrites INTERVAL before searching)
        rule = self.rule(interval)
        for start in _expand_starts(
            rule, anchor.dtstart, anchor.zone, self.until, low - _DAY, horizon
        ):
            if period_end is not None:
                if start > period_end:
                    break
                if start >= low and self.eligible(start, start + length):
                    found = start
                    break
            elif start >= low:
                found = start
                break
        result = low if found is None else found
        if self.until is not None and result > self.until:
            return None
        return result

    def next_day(self, anchor: _Anchor, interval: int) -> datetime | None:
        """:meth:`rotation_date`'s next period of a daily rotation without BYMONTH or
        BYMONTHDAY, by stepping days instead of expanding the rule: the same answer.

        The search looks from a day after DTSTART to a month later for the first day the rule
        keeps (``interval`` days apart, on a ``by_day`` weekday), at DTSTART's wall time,
        localised with ``is_dst=False`` and compared as an instant; ``until`` is inclusive.
        """
        current = anchor.dtstart
        low = current + _DAY
        horizon = low + _MONTH_SPANS[_days_in_month(current)]
        until = self.until
        wall_high = naive_utc(horizon) + _MARGIN
        if until is not None:
            wall_high = min(wall_high, until_wall(until, current))
        found: datetime | None = None
        try:
            step = _DAY if interval == 1 else _DAY * interval
            wall = detach(current) + step
        except OverflowError:  # the rule's next day is after 9999: dateutil has none
            wall = datetime.max
        while wall <= wall_high:
            if self.weekdays is None or wall.weekday() in self.weekdays:
                start = pytz_localize(wall, anchor.zone, strict=False, field="")
                if until is not None and start > until:
                    pass  # skipped, not the end: a later wall time may be an earlier instant
                elif start > horizon:
                    break
                elif start >= low:
                    found = start
                    break
            if wall > datetime.max - step:
                break  # the rule's next day is after 9999
            wall += step
        result = low if found is None else found
        if until is not None and result > until:
            return None
        return result

    def next_week(self, anchor: _Anchor, interval: int) -> datetime | None:
        """:meth:`rotation_date`'s next period of a weekly rotation without BY-rules, by
        stepping weeks instead of expanding the rule: the same answer.

        The period is the week ``interval`` weeks on from DTSTART's (weeks begin on
        ``week_start``). The search takes the first start in it (a day's slack before) that
        is no earlier than the period's first day at DTSTART's time as a fixed-offset
        instant, and eligible; starts are ``interval`` weeks apart at DTSTART's wall time,
        localised with ``is_dst=False``; DTSTART itself is always too early; ``until`` is
        inclusive.
        """
        current = anchor.dtstart
        low, period_end = self.next_week_bounds(current, interval)
        until = self.until
        found: datetime | None = None
        if until is None or current <= until:
            earliest = low - _DAY
            length = anchor.dtend - current
            step = _DAY * (7 * interval)
            wall = detach(current)
            last = None if until is None else until_wall(until, current)
            while True:
                wall += step
                if last is not None and wall > last:
                    break  # where recurring-ical-events stops (_UNTIL_SLACK)
                start = pytz_localize(wall, anchor.zone, strict=False, field="")
                if until is not None and start > until:
                    break  # and so are the later ones, a week on
                if start < earliest:
                    continue
                if start > period_end:
                    break
                if start >= low and self.eligible(start, start + length):
                    found = start
                    break
        result = low if found is None else found
        if until is not None and result > until:
            return None
        return result

    # -- generation ---------------------------------------------------------------------------

    def groups(self) -> list[tuple[str, ...]]:
        """The rotation queue: groups rotated by the start index, empty groups left out."""
        groups = list(self.shift.rolling_users)
        k = self.shift.start_rotation_from_user_index
        if k is not None:
            groups = groups[k:] + groups[:k]
        return [group for group in groups if group]

    def vevent(
        self,
        start: datetime,
        users: tuple[str, ...],
        rule: RecurrenceRule | None,
        times: tuple[datetime, datetime] | None = None,
    ) -> VEvent:
        """The VEVENT starting at ``start``; ``times`` are its DTSTART/DTEND if known."""
        dtstart, dtend = self.event_times(start, self.zone) if times is None else times
        return VEvent(  # positional, in field order: a keyword call costs twice as much
            dtstart,
            dtend,
            self.zone,
            rule,
            None if rule is None else self.until,  # OnCall writes UNTIL only in an RRULE
            users,
            self.level,
            self.shift.is_override,
            self.web,
            self.rotation_start,
            self.index,
            self.shift_id,
        )

    def generate(self) -> list[VEvent]:
        shift = self.shift
        queue = self.groups()
        if not queue:
            return []
        if shift.frequency is None:
            return [self.vevent(self.start, queue[0], None)]

        anchor = self.anchor(self.start, "UTC")
        start: datetime | None
        if self.start == self.rotation_start:
            start = self.start
        else:
            start = self.rotation_date(anchor, next_period=False)

        if shift.by_day and start is not None and WEEKDAYS[start.weekday()] not in shift.by_day:
            # OnCall moves to the first selected day in week order from week_start (§2.5 quirk).
            order = [(self.week_start + i) % 7 for i in range(7)]
            first = next(day for day in order if WEEKDAYS[day] in shift.by_day)
            start = start + _DAY * ((first - start.weekday()) % 7)

        if shift.frequency == "daily" and shift.by_day:
            return self.daily_by_day(start, queue)

        event_rule = self.rule(self.interval * len(shift.rolling_users))
        events: list[VEvent] = []
        made = 0
        turn = 0
        if start is not None:
            start, turn = self.skip_ineligible(start)
        while True:
            users = queue[turn % len(queue)]
            turn += 1
            if start is None:
                return events
            if (self.web and start + shift.duration > self.rotation_start) or (
                start >= self.rotation_start
            ):
                event = self.vevent(start, users, event_rule)
                events.append(event)
                anchor = _Anchor(event.dtstart, event.dtend, self.zone)
                made += 1
            else:
                anchor = self.anchor(start, "UTC")
            if made == len(queue):
                return events
            start = self.rotation_date(anchor, next_period=True)

    def skip_ineligible(self, start: datetime) -> tuple[datetime, int]:
        """Jump over the periods before ``rotation_start``, and say how many were skipped.

        OnCall walks them one by one from ``start``, each from a UTC helper VEVENT. Where that
        walk is arithmetic, the jump lands on the last period ``k`` it would reach with every
        period so far ineligible and no start after ``until``, and the walk resumes there
        (``k`` turns later):

        * weekly and monthly: a period whose every start is ineligible has no eligible
          candidate, so its start is the synthetic one (the ``week_start`` day, the 1st): from
          the first step on, the periods are ``7·interval`` days or ``interval`` months apart,
          whatever the BY-rules;
        * hourly and daily without BY-rules: the next period is DTSTART plus ``interval``
          units when that is within the search's horizon (a unit plus a month), which for
          every month means ``interval`` units at most a unit plus 28 days;
        * hourly and daily with an interval longer than a unit plus 31 days, BY-rules or not:
          the rule's next start is past every horizon, the period is the synthetic one, a unit
          on (OnCall's walk does not step by the interval there).

        Other rotations (hourly with BY-rules, daily with BY-month rules, and the few
        intervals between 28 and 31 days whose step depends on the month) keep the walk.
        """
        if self.can_be_eligible(start):
            return start, 0
        frequency = self.shift.frequency
        try:
            if frequency == "weekly":
                first = self.next_week_bounds(start, self.interval)[0]
                return self.skip_weeks(start, first)
            if frequency == "monthly":
                return self.skip_months(start)
            return self.skip_steps(start)
        except (OverflowError, EngineError):
            return start, 0  # the walk meets (and raises) the same thing itself

    def can_be_eligible(self, start: datetime) -> bool:
        """generate()'s test for a period starting at ``start``."""
        return start >= self.rotation_start or (
            self.web and later(start, self.shift.duration) > self.rotation_start
        )

    def last_ineligible(self) -> datetime:
        """The latest start that is ineligible in generate() and in the period search."""
        last = earlier(self.rotation_start, _MICROSECOND)
        if self.web:
            last = min(last, earlier(self.rotation_start, self.shift.duration))
        return last

    def skip_weeks(self, start: datetime, first: datetime) -> tuple[datetime, int]:
        """The weekly jump: ``first`` is period 1 (the week after start's), and period ``k``
        starts ``7·interval·(k - 1)`` days after it."""
        period = _DAY * (7 * self.interval)
        # every candidate of a period is at most six days after its first day
        k = (self.last_ineligible() - first - 6 * _DAY) // period
        if self.until is not None:
            k = min(k, (self.until - first) // period)
        if k < 0:
            return start, 0
        return first + period * k, k + 1

    def skip_months(self, start: datetime) -> tuple[datetime, int]:
        """The monthly jump: period ``k`` is the month ``k·interval`` months after start's."""
        last = self.last_ineligible()
        interval = self.interval

        def months_to(value: datetime) -> int:  # an upper bound of k: periods to value's month
            return ((value.year - start.year) * 12 + value.month - start.month) // interval

        def period(k: int) -> datetime:
            return self.next_month_start(start, k * interval)

        def fits(k: int) -> bool:
            low = period(k)
            if self.until is not None and low > self.until:
                return False
            # every candidate of a period is at most its last day at the same time
            return low + _DAY * (_days_in_month(low) - 1) <= last

        k = months_to(last) if self.until is None else min(months_to(last), months_to(self.until))
        while k > 0 and not fits(k):
            k -= 1
        return (period(k), k) if k > 0 else (start, 0)

    def skip_steps(self, start: datetime) -> tuple[datetime, int]:
        """The hourly and daily jump (no BY-rules): periods a fixed step apart."""
        shift = self.shift
        unit = _HOUR if shift.frequency == "hourly" else _DAY
        if self.interval > (unit + _DAY * 31) // unit:
            # the rule's next start is past every horizon, whatever the BY-rules: the
            # synthetic one, a unit on
            step = unit
        elif shift.by_day or shift.by_month or shift.by_monthday:
            return self.skip_units(start)
        elif self.interval <= (unit + _DAY * 28) // unit:
            step = unit * self.interval
        else:
            return self.skip_units(start)
        k = (self.last_ineligible() - start) // step
        if self.until is not None:
            k = min(k, (self.until - start) // step)
        if k <= 0:
            return start, 0
        return start + step * k, k

    def skip_units(self, start: datetime) -> tuple[datetime, int]:
        """The hourly and daily jump where the step depends on the calendar (BY-rules, or an
        interval between 28 and 31 days): :class:`_UnitWalk` counts the walk's periods."""
        limit = min(self.last_ineligible(), _LAST_JUMP)
        if self.until is not None:
            limit = min(limit, self.until)
        if limit <= start:
            return start, 0
        unit = _HOUR if self.shift.frequency == "hourly" else _DAY
        walk = _UnitWalk(self, start, (limit - start) // unit)
        n, k = walk.run()
        return start + walk.unit * n, k

    def daily_by_day(self, start: datetime | None, queue: list[tuple[str, ...]]) -> list[VEvent]:
        """Daily rotation with by_day: one turn per selected-day occurrence (§2.7)."""
        shift = self.shift
        combinations: dict[tuple[int, str, int], None] = {}  # ordered, with O(1) membership
        starts: list[datetime] = []
        times: list[tuple[datetime, datetime]] = []
        done = False
        group = 0
        while not done:
            for position in range(self.interval):
                if start is None:
                    done = True
                    break
                day = WEEKDAYS[start.weekday()]
                selected = day in shift.by_day
                if selected and (group, day, position) in combinations:
                    done = True
                    break
                anchor = self.anchor(start, self.zone)
                if selected:
                    starts.append(start)
                    times.append((anchor.dtstart, anchor.dtend))
                    combinations[group, day, position] = None
                start = self.rotation_date(anchor, next_period=True, interval=1)
            group = (group + 1) % len(queue)

        # Each (group, day, position) combination comes back after lcm(N·I, days) selected
        # days, that is after that many weeks over the number of selected days (§2.7).
        cycle = math.lcm(len(queue) * self.interval, len(shift.by_day))
        week_interval = max(cycle // len(shift.by_day), 1)
        rules = {day: self.rule(week_interval, "WEEKLY", (day,)) for day in shift.by_day}
        return [
            self.vevent(event_start, queue[group_index], rules[day], event_times)
            for (group_index, day, _), event_start, event_times in zip(
                combinations, starts, times, strict=True
            )
        ]


_FAR = 1 << 62  # a piece of the calendar without end, in units
_LAST_JUMP = datetime.max.replace(tzinfo=UTC) - _DAY * 40  # the walk's own horizon stays < 9999


class _UnitWalk:
    """OnCall's walk over ineligible hourly or daily periods, counted instead of walked.

    Positions are whole units (hours or days) after the walk's first period ``base``, all in
    UTC (the walk's helper VEVENTs are UTC). From position ``n`` the search takes the first
    instance ``n + j·I`` (``j >= 1``) of the rule that lies on a matching day (``by_day``,
    ``by_month``, ``by_monthday``) within its horizon ``(n, n + W]``, ``W`` one unit plus the
    days of ``n``'s month; without one, the synthetic period ``n + 1``. Matching days come in
    runs (``pieces``); within a month ``W`` is constant, so

    * a rule step of ``I`` whose target stays in its run repeats while both stay in the run and
      the month: those steps are counted by division;
    * between rule steps the walk steps one unit at a time until the first position that has
      an instance in its horizon: for each run ``[a, b)`` that is the first ``m`` from
      ``max(n, a - q·I)`` on (``q = W // I``) whose first instance at or after ``a`` is before
      ``b``, found by residues.

    The cost is proportional to the runs of matching days and the months on the way, not to
    the periods (hours) walked.
    """

    def __init__(self, generator: _Generator, base: datetime, last: int) -> None:
        shift = generator.shift
        self.base = base
        self.hourly = shift.frequency == "hourly"
        self.unit = _HOUR if self.hourly else _DAY
        self.interval = generator.interval
        self.last = last
        until = generator.until
        self.until_end = _FAR if until is None else (until - base) // self.unit + 1
        self.weekdays = generator.weekdays
        self.months = frozenset(shift.by_month)
        self.monthdays = frozenset(shift.by_monthday)
        self.filtered = bool(self.weekdays or self.months or self.monthdays)
        self._month_runs: dict[tuple[int, bool, int], tuple[tuple[int, int], ...]] = {}

    def units_to(self, instant: datetime) -> int:
        """The first position at or after ``instant``."""
        return -((self.base - instant) // self.unit)

    def segment(self, n: int) -> tuple[int, int]:
        """The end (exclusive) of the positions in ``n``'s month, and the horizon ``W``."""
        day = (self.base + self.unit * n).date()
        days = calendar.monthrange(day.year, day.month)[1]
        year, month = divmod(day.year * 12 + day.month, 12)
        if year > datetime.max.year:
            end = _FAR
        else:
            end = self.units_to(datetime(year, month + 1, 1, tzinfo=UTC))
        return end, 1 + days * (24 if self.hourly else 1)

    def month_runs(self, year: int, month: int) -> tuple[tuple[int, int], ...]:
        """Runs ``[first, last + 1)`` of matching days of the month (days of the month)."""
        first_weekday, days = calendar.monthrange(year, month)
        key = (month, days == 29, first_weekday)
        runs = self._month_runs.get(key)
        if runs is None:
            found: list[tuple[int, int]] = []
            for day in range(1, days + 1):
                if self.weekdays is not None and (first_weekday + day - 1) % 7 not in (
                    self.weekdays
                ):
                    continue
                if self.monthdays and not (
                    day in self.monthdays or day - days - 1 in self.monthdays
                ):
                    continue
                if found and found[-1][1] == day:
                    found[-1] = (found[-1][0], day + 1)
                else:
                    found.append((day, day + 1))
            runs = self._month_runs[key] = tuple(found)
        return runs

    def pieces(self, n: int, stop: int) -> Iterator[tuple[int, int]]:
        """Runs ``[a, b)`` of matching positions that end after ``n + 1``, in order, up to
        the first that starts at or after ``stop``; none at or after ``until``."""
        if not self.filtered:
            yield -_FAR, self.until_end
            return
        day = (self.base + self.unit * n).date()
        year, month = day.year, day.month
        skip_before = day.day
        while year <= datetime.max.year:
            if not self.months or month in self.months:
                for low, high in self.month_runs(year, month):
                    if high <= skip_before:
                        continue  # the run is over before n's day
                    a = self.units_to(datetime(year, month, low, tzinfo=UTC))
                    if a >= stop or a >= self.until_end:
                        return
                    b = self.units_to(datetime(year, month, 1, tzinfo=UTC) + _DAY * (high - 1))
                    b = min(b, self.until_end)  # the midnight after the run
                    if b > n + 1:
                        yield a, b
            month += 1
            skip_before = 0
            if month == 13:
                year, month = year + 1, 1
            if (
                year <= datetime.max.year
                and self.units_to(datetime(year, month, 1, tzinfo=UTC)) >= stop
            ):
                return

    def first_from(self, m0: int, a: int, b: int) -> int | None:
        """The first ``m >= m0`` whose first instance at or after ``a`` (and after ``m``)
        is before ``b``."""
        step = self.interval
        if m0 >= a:
            return m0 if m0 + step < b else None
        r = (m0 - a) % step
        if a + r < b:
            return m0
        m1 = m0 + step - r  # the next m on a's residue: at most a
        if m1 < a:
            return m1
        return a if a + step < b else None

    def target(self, m: int, a: int) -> int:
        """The first instance of position ``m``'s rule at or after ``a``, after ``m``."""
        if m >= a:
            return m + self.interval
        return a + (m - a) % self.interval

    def period(self) -> int:
        """A shift ``T`` (in units) under which the walk is invariant: a position ``T`` later
        steps to a position ``T`` later. The calendar repeats every 400 years (146097 days:
        weekdays, month lengths and leap days come back); a rule with ``by_day`` alone repeats
        every week when no search depends on its month's length: when from every position of
        the week the first instance on a matching day is either within the shortest horizon
        (a unit plus 28 days) or beyond the longest (a unit plus 31 days)."""
        per_day = 24 if self.hourly else 1
        cycle = 146097 * per_day
        if self.months or self.monthdays or self.weekdays is None:
            return cycle
        week = 7 * per_day
        first = self.base.weekday() * per_day + (self.base.hour if self.hourly else 0)
        shortest, longest = 1 + 28 * per_day, 1 + 31 * per_day
        for r in range(week):
            distance = self.interval
            while distance <= longest:
                if (first + r + distance) // per_day % 7 in self.weekdays:
                    break
                distance += self.interval
            if shortest < distance <= longest:
                return cycle
        return week

    def run(self) -> tuple[int, int]:
        """The last position the walk reaches at or before ``last``, and the steps to it.

        Once the walk is at a position that is a multiple of :meth:`period` after one it was
        at, it repeats itself: the repeats that end by ``last`` are counted at once (where no
        search reaches ``until``, which breaks the repetition).
        """
        n = k = 0
        step = self.interval
        last = self.last
        period = self.period()
        repeat_end = min(last, self.until_end - 2 - 31 * (24 if self.hourly else 1))
        seen: dict[int, tuple[int, int]] = {}
        while n < last:
            earlier_visit = seen.get(n % period)
            if earlier_visit is None:
                seen[n % period] = (n, k)
            else:
                span, steps = n - earlier_visit[0], k - earlier_visit[1]
                repeats = (repeat_end - n) // span
                if repeats > 0:
                    n += span * repeats
                    k += steps * repeats
                seen.clear()
                seen[n % period] = (n, k)
            seg_end, width = self.segment(n)
            reach = width // step * step  # the farthest instance in a horizon, as a distance
            best: int | None = None
            piece = (0, 0)
            if reach:
                for a, b in self.pieces(n, min(seg_end, last + 1) + reach):
                    if a - reach >= min(seg_end, last + 1) or (
                        best is not None and a - reach >= best
                    ):
                        break
                    m = self.first_from(max(n, a - reach), a, b)
                    if m is not None and m < seg_end and (best is None or m < best):
                        best, piece = m, (a, b)
                        if m == n:
                            break  # and the first such run has the nearest instance
            if best is None or best > n:  # synthetic periods, a unit apart
                ahead = min(seg_end if best is None else best, last)
                k += ahead - n
                n = ahead
                continue
            a, b = piece
            target = self.target(n, a)
            if target > last:
                break
            if target == n + step:  # steps of I within the run and the month
                steps = min((b - 1 - n) // step, (seg_end - 1 - n) // step + 1, (last - n) // step)
                n += step * steps
                k += steps
            else:
                n = target
                k += 1
        return n, k


def _days_in_month(value: datetime) -> int:
    if value.month == 2:
        return 29 if calendar.isleap(value.year) else 28
    return _MONTH_DAYS[value.month]


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def until_wall(until: datetime, dtstart: datetime) -> datetime:
    """The last naive wall time recurring-ical-events expands to for an RRULE with UNTIL
    ``until`` and DTSTART ``dtstart`` (``_UNTIL_SLACK``): one hour past UNTIL at DTSTART's
    offset."""
    offset = dtstart.utcoffset()
    assert offset is not None
    return naive_utc(until) + _UNTIL_SLACK + offset


def _expand_starts(
    rule: RecurrenceRule | None,
    dtstart: datetime,
    zone: str,
    until: datetime | None,
    low: datetime,
    high: datetime,
) -> Iterator[datetime]:
    """Occurrence starts of a VEVENT in ``[low, high]``, as recurring-ical-events yields them.

    DTSTART always counts; later starts keep DTSTART's wall-clock time and are localised with
    pytz's ``is_dst=False``; UNTIL is compared as an instant (DTSTART included), and the
    expansion stops as recurring-ical-events stops it (``_UNTIL_SLACK``).
    """
    if until is not None and dtstart > until:
        return
    if rule is None:
        if low <= dtstart <= high:
            yield dtstart
        return
    wall_low = naive_utc(low) - _MARGIN
    wall_high = naive_utc(high) + _MARGIN
    if until is not None:
        wall_high = min(wall_high, until_wall(until, dtstart))
    if low <= dtstart <= high:
        yield dtstart  # DTSTART always counts, matching the rule or not
    walls = _walls_after(rule, detach(dtstart), wall_low)
    while True:
        try:
            wall = next(walls)
        except (StopIteration, OverflowError):  # OverflowError: the next one is after 9999
            return
        if wall < wall_low:
            continue
        if wall > wall_high:
            return
        start = pytz_localize(wall, zone, strict=False, field="")
        if until is not None and start > until:
            continue
        if start < low:
            continue
        if start > high:
            return
        yield start


def _effective_zone(shift: Shift, schedule: Schedule) -> str:
    if shift.time_zone is not None:
        return shift.time_zone
    if schedule.type == "calendar" and not shift.is_override:
        return schedule.time_zone
    return "UTC"  # web schedules and web overrides compute in UTC (§2.2)


def shift_vevents(schedule: Schedule) -> tuple[list[VEvent], list[VEvent]]:
    """The primary and overrides VEVENTs of a schedule's shifts, in calendar order."""
    primary: list[VEvent] = []
    overrides: list[VEvent] = []
    for index, shift in enumerate(schedule.shifts):
        zone = _effective_zone(shift, schedule)
        shift_id = shift.id or f"shift-{index}"
        target = overrides if shift.is_override else primary
        generator = _Generator(shift, zone, index, shift_id)
        if shift.type in ("rolling_users", "override"):
            target.extend(generator.generate())
            continue
        if not shift.users:
            continue
        rule = None
        if shift.type == "recurrent_event" and shift.frequency is not None:
            rule = generator.rule(shift.interval or 1)
        # OnCall writes one VEVENT per user; they merge back into one event (§3.2).
        target.extend(generator.vevent(generator.start, (user,), rule) for user in shift.users)
    return primary, overrides


# A run of steady offset: wall-clock times in [start, end), written as UTC datetimes with the
# wall clock's digits (so that ``wall - offset`` is the instant), none skipped or repeated,
# all reading ``offset``.
SteadyRun = tuple[datetime, datetime, timedelta]
_SAMPLE_STEP = _DAY  # no change of offset is longer; two steps fit between changes (_tz)
_NO_RUN: SteadyRun = (datetime.max.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), _ZERO)
_BEFORE_RUNS = datetime.min.replace(tzinfo=UTC)
_LAST_READING = datetime.max - 2 * _LOOKUP_PADDING - 4 * _SAMPLE_STEP


def steady_runs(zone_name: str, window: Window) -> list[SteadyRun]:
    """The runs of steady offset of a zone around ``window`` (OnCall's padded range, and the
    ends of occurrences that start in it), sorted and disjoint.

    The zone's offset is read every day. Three equal readings in a row mean that no change
    touches the first day: its wall-clock span (a skipped or repeated stretch, at most a day)
    would end before the third reading and leave the new offset there, and two changes never
    fit in three days (``_tz``). Walls outside the runs take the careful path.
    """
    zone = get_zone(zone_name)
    if zone is UTC:
        return [(_BEFORE_RUNS, _NO_RUN[0], _ZERO)]
    low = earlier(naive_utc(window.start), _LOOKUP_PADDING + _MARGIN)
    # readings go two steps past high: they must exist
    high = min(naive_utc(window.end), _LAST_READING) + 2 * _LOOKUP_PADDING + _MARGIN
    # readings at low, low + step, ... up to two steps past high (timedelta * int is slow)
    offset_at = zone.utcoffset
    readings = [
        offset_at(wall)
        for wall in itertools.accumulate(
            itertools.repeat(_SAMPLE_STEP, (high - low) // _SAMPLE_STEP + 2),
            operator.add,
            initial=low,
        )
    ]
    # Reading k starts a steady stretch when k + 1 and k + 2 read the same: all k but those
    # just before and at a change (reading c differs from reading c + 1).
    changes = [k for k, (a, b) in enumerate(itertools.pairwise(readings)) if a != b]
    runs: list[SteadyRun] = []
    first = 0
    for last in [change - 1 for change in changes] + [len(readings) - 2]:
        if last > first:  # steady from reading first to reading last
            offset = readings[first]
            assert offset is not None
            runs.append(
                (as_utc(low + _SAMPLE_STEP * first), as_utc(low + _SAMPLE_STEP * last), offset)
            )
        first = last + 2
    return runs


def occurrence_spans(
    event: VEvent, window: Window, runs: Sequence[SteadyRun] = (), limit: int = sys.maxsize
) -> list[tuple[datetime, datetime]]:
    """``(start, end)`` (UTC) of each occurrence of ``event`` that OnCall keeps for ``window``;
    the first ``limit + 1`` of them at most (memory stays bounded for a caller that refuses
    more than ``limit``).

    The hot loop of the oncall profile, so it works in one function, on wall-clock times
    written as UTC datetimes (``wall - offset`` is then the instant, with no conversion), and
    takes offsets from ``runs`` (:func:`steady_runs` of the event's zone) where it can; the
    rules are those of :func:`_expand_starts` and §2.2.
    """
    length = event.dtend - event.dtstart
    if length < _ZERO:
        # recurring-ical-events asserts start <= end on every occurrence it looks at: from
        # midnight (UTC) of the padded window's first day, moved by the (negative) length when
        # that is after DTSTART, to the padded window's end
        low = naive_utc(window.start - _LOOKUP_PADDING)
        low = as_utc(datetime.combine(low.date(), time()))
        if low > event.dtstart:
            low -= length
        high = window.end + _LOOKUP_PADDING
        for _ in _expand_starts(
            event.rule, event.dtstart, event.zone, event.rule_until, low, high
        ):
            raise EngineError(
                f"shifts[{event.shift_index}].until",
                detach(event.dtend).isoformat(),  # the until that cut DTEND
                "AssertionError: the event must start before it ends",
            )
        return []
    until = event.rule_until
    if until is not None and event.dtstart > until:
        return []
    zone = get_zone(event.zone)
    offset_at = zone.utcoffset
    ws, we = window.start, window.end
    # OnCall looks at starts in the padded window, then keeps what overlaps the window. The
    # padding only serves modified instances, which generated VEVENTs never have: starts a day
    # (more than any change of offset) beyond what can overlap the window are enough.
    lowest = earlier(earlier(ws, length), _MARGIN)
    highest = later(we, _MARGIN)
    point = ws == we
    clip = event.rotation_start if event.web_source else None
    # DTSTART always counts, then the rule's later starts at its wall clock (the wall bounds
    # are a day wider than the instants). Each start is localised like recurring-ical-events
    # (pytz's is_dst=False; DTSTART is never skipped or repeated, or OnCall would have crashed
    # writing it, so this gives its own offset).
    wall_low, wall_high = earlier(lowest, _MARGIN), later(highest, _MARGIN)
    if until is not None:
        wall_high = min(wall_high, as_utc(until_wall(until, event.dtstart)))
    dtstart_wall = as_utc(detach(event.dtstart))
    walls: Iterable[datetime] = (dtstart_wall,)
    if event.rule is not None:
        walls = itertools.chain(walls, _walls_after(event.rule, dtstart_wall, wall_low))
    remaining_runs = iter(runs)
    run_start = run_end = _BEFORE_RUNS
    run_offset = _ZERO
    spans = []
    try:
        for wall in walls:
            if wall > wall_high:
                break
            if wall < wall_low:
                continue
            while wall >= run_end:
                run_start, run_end, run_offset = next(remaining_runs, _NO_RUN)
            steady = run_start <= wall
            if steady:
                offset = run_offset
            else:  # near a DST change, perhaps in its gap or fold: as pytz localises it
                localised = pytz_localize(naive_utc(wall), event.zone, strict=False, field="")
                offset_or_none = localised.utcoffset()
                assert offset_or_none is not None
                offset = offset_or_none
            try:
                start = wall - offset
            except OverflowError:  # before the year 1 in UTC: from the first instant
                start = _BEFORE_RUNS
            if until is not None and start > until:
                continue
            if start < lowest:
                continue
            if start > highest:
                break
            end = later(start, length)
            # OnCall keeps the first occurrence's elapsed length as wall-clock length (PR #5266):
            # the end moves by the change of offset between start and end, if any
            end_wall = later(end, offset)
            if not (steady and end_wall < run_end):  # else the end is in the start's run
                naive_end = naive_utc(end_wall)
                if not (
                    offset_at(earlier(naive_end, NEAR))
                    == offset_at(later(naive_end, NEAR))
                    == offset
                ):
                    end_offset = end.astimezone(zone).utcoffset()
                    assert end_offset is not None
                    end -= end_offset - offset
            if clip is not None and start < clip:
                start = clip
            if start >= end:
                continue
            if point:
                if not start <= ws < end:
                    continue
            elif not (start < we and ws < end):
                continue
            spans.append((start, end))
            if len(spans) > limit:
                break
    except OverflowError:
        pass  # the rule's next instance would be after the year 9999
    return spans


def _walls_after(rule: RecurrenceRule, dtstart: datetime, low: datetime) -> Iterator[datetime]:
    """The wall-clock instances of ``rule`` after ``dtstart``, sorted, from about ``low`` on
    (a few earlier ones may come: callers filter). ``dtstart`` and ``low`` are naive, or
    both wall clocks written as UTC datetimes, and so are the instances."""
    try:
        step = _fixed_step(rule, dtstart)
        if step is not None:
            # the first step at or after low (a search starts at DTSTART: no need to divide),
            # then every step by addition (timedelta * int and // go through Python integers)
            first = dtstart + (step if dtstart >= low else step * -((dtstart - low) // step))
    except OverflowError:  # the next instance is after 9999, where dateutil stops: none
        return iter(())
    if step is None:
        if dtstart.tzinfo is not None:
            naive = _walls_after(rule, naive_utc(dtstart), naive_utc(low))
            return map(as_utc, naive)
        # the rule's own instances include DTSTART when it matches
        return itertools.dropwhile(dtstart.__ge__, wall_instances(rule, dtstart, after=low))
    # callers stop at the OverflowError of a step past 9999
    return itertools.accumulate(itertools.repeat(step), operator.add, initial=first)


def _fixed_step(rule: RecurrenceRule, dtstart: datetime) -> timedelta | None:
    """The wall-clock distance between consecutive instances of ``rule`` from ``dtstart``,
    when it is constant: HOURLY or DAILY without BY-parts, WEEKLY whose only BY-part is
    DTSTART's weekday. OnCall's generated VEVENTs are of these kinds, and stepping is much
    cheaper than expanding the rule."""
    if (
        rule.count is not None
        or rule.until is not None
        or rule.bysecond
        or rule.byminute
        or rule.byhour
        or rule.bymonthday
        or rule.byyearday
        or rule.byweekno
        or rule.bymonth
        or rule.bysetpos
    ):
        return None
    freq = rule.freq
    if freq == "WEEKLY" and (not rule.byday or rule.byday == ((dtstart.weekday(), None),)):
        return _DAY * (7 * rule.interval)
    if rule.byday:
        return None
    if freq == "DAILY":
        return _DAY * rule.interval
    if freq == "HOURLY":
        return _HOUR * rule.interval
    return None


def _expand_vevent(event: VEvent, window: Window, limit: int) -> Iterator[Interval]:
    spans = occurrence_spans(event, window, limit=limit)
    if len(spans) > limit:
        raise too_many_occurrences(event.shift_index, limit)
    for start, end in spans:
        for user in event.users:
            yield Interval(
                start=start,
                end=end,
                users=(user,),
                level=event.level,
                is_override=event.is_override,
                shift_index=event.shift_index,
                shift_id=event.shift_id,
                source="web" if event.web_source else "api",
            )


def overlaps(window: Window, start: datetime, end: datetime) -> bool:
    """recurring-ical-events' span test (both bounds of a point window inclusive)."""
    if start == end:
        if window.start == window.end:
            return start == window.start
        return window.start <= start < window.end
    if window.start == window.end:
        return start <= window.start < end
    return start < window.end and window.start < end


def expand_oncall(
    schedule: Schedule, window: Window, max_occurrences: int = MAX_OCCURRENCES
) -> tuple[list[Interval], list[Interval]]:
    """Primary and override occurrence records of the schedule's shifts overlapping ``window``.

    One record per (occurrence, user), in the order OnCall's calendar produces them; a
    ValidationError naming the shift past which there are more than ``max_occurrences``.
    """
    primary, overrides = shift_vevents(schedule)
    found: tuple[list[Interval], list[Interval]] = ([], [])
    seen = 0
    for events, records in zip((primary, overrides), found, strict=True):
        for event in events:
            before = len(records)
            records.extend(_expand_vevent(event, window, max_occurrences - seen))
            seen += (len(records) - before) // max(len(event.users), 1)
    return found
