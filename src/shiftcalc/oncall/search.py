"""The period search of OnCall's rotation generation, and its jumps (§2.5–§2.9).

OnCall finds each rotation period's start by expanding the shift's rule from the previous
VEVENT (``get_rotation_date``); a period with no eligible start starts synthetically (the week's
first day, the month's 1st, a unit on). :class:`PeriodSearch` does that search, with exact
shortcuts for the common rotations, and jumps over the periods before ``rotation_start`` by
arithmetic where OnCall walks them (:class:`UnitWalk` counts the calendar-dependent walks).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from .._errors import EngineError
from .._expand import earlier, later
from .._model import WEEKDAYS, Shift
from .._recurrence import RecurrenceRule
from .._rotation import recurrence_rule
from .._tz import as_utc, detach, naive_utc
from .occurrences import expand_starts, pytz_localize, until_wall

__all__ = ["Anchor", "PeriodSearch", "UnitWalk", "as_utc_pretend"]

_WEB_OVERRIDE_LEVEL = 99
# timedelta(days=n) parses keywords on every call; the hot paths multiply these instead
_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)
_MICROSECOND = timedelta(microseconds=1)
_MARGIN = _DAY  # wall bounds around instants: no zone is a day off UTC
_MONTH_SPANS = {days: _DAY * days for days in (28, 29, 30, 31)}


def as_utc_pretend(wall: datetime) -> datetime:
    """A naive API value as the Django server stores it: the same digits, in UTC."""
    return as_utc(wall)


class Anchor(NamedTuple):
    """The last VEVENT built while generating a rotation: what the next period is searched from.

    Its rule is the shift's with the shift's own interval (OnCall rewrites INTERVAL first).
    """

    dtstart: datetime
    dtend: datetime
    zone: str


class PeriodSearch:
    """The period search of one rolling-users or override shift: its rule, its VEVENT times,
    the start of a rotation period, and the jump over ineligible periods."""

    def __init__(self, shift: Shift, zone: str, index: int, shift_id: str) -> None:
        self.shift = shift
        self.zone = zone
        self.index = index
        self.shift_id = shift_id
        # as_utc_pretend, without the call: a generator is made per shift and resolution
        self.start = as_utc(shift.start)
        self.rotation_start = as_utc(shift.effective_rotation_start)
        self.until = None if shift.until is None else as_utc(shift.until)
        self.web = shift.source == "web"
        self.week_start = WEEKDAYS.index(shift.week_start or "SU")
        self.interval = shift.interval or 1
        self.level = _WEB_OVERRIDE_LEVEL if shift.is_override else max(shift.level, 0)
        self.weekdays = frozenset(map(WEEKDAYS.index, shift.by_day)) if shift.by_day else None
        self.fields = (f"shifts[{index}].start", f"shifts[{index}].duration")  # for crashes
        self._rules: dict[tuple[int, str | None, tuple[str, ...]], RecurrenceRule] = {}

    # -- the VEVENT texts OnCall would write -------------------------------------------------

    def rule(
        self, interval: int, freq: str | None = None, by_day: tuple[str, ...] = ()
    ) -> RecurrenceRule:
        """The shift's RRULE with ``interval`` (and ``freq``, ``by_day`` if given), memoised:
        WKST defaults to SU in OnCall (MO in strict)."""
        key = (interval, freq, by_day)
        rule = self._rules.get(key)
        if rule is None:
            rule = self._rules[key] = recurrence_rule(
                self.shift, interval=interval, week_start="SU", freq=freq, by_day=by_day
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

    def anchor(self, start: datetime, zone: str) -> Anchor:
        dtstart, dtend = self.event_times(start, zone)
        return Anchor(dtstart, dtend, zone)

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
        self, anchor: Anchor, *, next_period: bool, interval: int | None = None
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

    def search(self, anchor: Anchor, *, next_period: bool, interval: int) -> datetime | None:
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
        for start in expand_starts(
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

    def next_day(self, anchor: Anchor, interval: int) -> datetime | None:
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
        last_step = earlier(datetime.max, step)  # past it, the next day is after 9999
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
            if wall > last_step:
                break  # the rule's next day is after 9999
            wall += step
        result = low if found is None else found
        if until is not None and result > until:
            return None
        return result

    def next_week(self, anchor: Anchor, interval: int) -> datetime | None:
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
        interval between 28 and 31 days): :class:`UnitWalk` counts the walk's periods."""
        limit = min(self.last_ineligible(), _LAST_JUMP)
        if self.until is not None:
            limit = min(limit, self.until)
        if limit <= start:
            return start, 0
        unit = _HOUR if self.shift.frequency == "hourly" else _DAY
        walk = UnitWalk(self, start, (limit - start) // unit)
        n, k = walk.run()
        return start + walk.unit * n, k


_FAR = 1 << 62  # a piece of the calendar without end, in units
_LAST_JUMP = datetime.max.replace(tzinfo=UTC) - _DAY * 40  # the walk's own horizon stays < 9999


class UnitWalk:
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

    def __init__(self, generator: PeriodSearch, base: datetime, last: int) -> None:
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
