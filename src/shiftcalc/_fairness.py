"""Fairness: the one home of the weights and of the night / weekend / holiday classification.

Both the quality report's fairness figures and the diff's weighted hours classify time here.
Every instant is classified by the wall clock of the zone it is counted in:

* a *night* instant reads a time of day in ``[night_start, night_end)`` (across midnight when
  ``night_end <= night_start``; equal bounds make every instant a night one);
* a *holiday* instant falls on a date of ``holidays``;
* a *weekend* instant falls on a Saturday or Sunday that is not a holiday (so weekend and
  holiday time never overlap; night time overlaps both).

Time is elapsed time: a fall-back night of 22:00-06:00 holds nine hours, a spring-forward one
seven. The classification is exact per instant: pieces are cut at local midnights, at both
readings of each night bound and at the zone's offset changes, so a repeated hour is
classified by the wall clock it shows the second time too.
"""

from __future__ import annotations

import bisect
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from ._errors import CalendarError, ValidationError, shortened
from ._expand import earlier, later
from ._model import FinalEvent, Schedule, Window, utc_window
from ._tz import get_zone, shifted

__all__ = [
    "MAX_HOLIDAYS",
    "MAX_WEIGHTED_DAYS",
    "Classifier",
    "Fairness",
    "Split",
    "Spread",
    "UserFairness",
    "Weights",
    "classify",
    "fairness",
    "gini",
    "holidays_from_ical",
    "is_night",
]

MAX_WEIGHTED_DAYS = 100_000
"""Time is classified day by day: at most 100,000 days (274 years) of time on call, summed over
users (about a second: a steady day after the first of its kind costs a few microseconds)."""
MAX_HOLIDAYS = 36_525
"""At most 100 years of holiday dates: more is not a calendar of public holidays."""

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_TWO_DAYS = timedelta(days=2)
_TICK = timedelta(microseconds=1)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)
_MIN_UTC = datetime.min.replace(tzinfo=UTC)
_PAD = timedelta(days=2)  # a holiday calendar is read over the window padded by this


def _holiday_set(value: object) -> frozenset[date]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("weights.holidays", value, "expected a collection of dates")
    days: set[date] = set()
    for i, day in enumerate(value):
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError(f"weights.holidays[{i}]", day, "expected a date")
        days.add(day)
        if len(days) > MAX_HOLIDAYS:
            reason = f"at most {MAX_HOLIDAYS} holiday dates"
            raise ValidationError("weights.holidays", f"{i + 1}+ dates", reason)
    return frozenset(days)


@dataclass(frozen=True, slots=True, kw_only=True)
class Weights:
    """Fairness weights: how much an hour of nights, weekends and public holidays counts.

    An hour counts its day's factor (``holiday_factor`` on a date of ``holidays``, else
    ``weekend_factor`` on a Saturday or Sunday, else 1), times ``night_factor`` when its wall
    clock is in ``[night_start, night_end)`` (across midnight when ``night_end <=
    night_start``). Wall clocks are read in ``zone`` (None: the schedule's zone). The defaults
    are a common on-call compensation scale: nights 22:00-06:00 and weekends count 1.5,
    public holidays 2 (a holiday night 3).

    >>> from datetime import date, time
    >>> Weights(night_start=time(23), holidays=[date(2024, 12, 25)]).holidays
    frozenset({datetime.date(2024, 12, 25)})
    """

    night_start: time = time(22)
    night_end: time = time(6)
    night_factor: float = 1.5
    weekend_factor: float = 1.5
    holiday_factor: float = 2.0
    holidays: frozenset[date] = field(default=frozenset())
    zone: str | None = None

    def __post_init__(self) -> None:
        for name in ("night_start", "night_end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ValidationError(f"weights.{name}", value, "expected a naive time of day")
        for name in ("night_factor", "weekend_factor", "holiday_factor"):
            value = getattr(self, name)
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not 0 <= value < float("inf"):
                raise ValidationError(f"weights.{name}", value, "expected a finite number >= 0")
        object.__setattr__(self, "holidays", _holiday_set(self.holidays))
        if self.zone is not None:
            try:
                get_zone(self.zone)
            except (KeyError, TypeError, ValueError):
                raise ValidationError("weights.zone", self.zone, "unknown time zone") from None

    def night(self, clock: time) -> bool:
        """Whether a wall-clock time of day is in the night."""
        start, end = self.night_start, self.night_end
        return start <= clock < end if start < end else clock >= start or clock < end

    def factor(self, local: datetime) -> float:
        """The weight of the instant whose wall clock reads ``local``."""
        day = local.date()
        if day in self.holidays:
            base = self.holiday_factor
        elif day.weekday() >= 5:
            base = self.weekend_factor
        else:
            base = 1.0
        return base * (self.night_factor if self.night(local.time()) else 1.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Split:
    """Hours of some time by category (night overlaps weekend and holiday; those two are
    disjoint) and their weighted sum."""

    hours: float = 0.0
    night: float = 0.0
    weekend: float = 0.0
    holiday: float = 0.0
    weighted: float = 0.0

    def __add__(self, other: Split) -> Split:
        return Split(
            hours=self.hours + other.hours,
            night=self.night + other.night,
            weekend=self.weekend + other.weekend,
            holiday=self.holiday + other.holiday,
            weighted=self.weighted + other.weighted,
        )


# --------------------------------------------------------------------------- classification


def _local(at: datetime, zone: tzinfo) -> datetime:
    try:
        return at.astimezone(zone)
    except OverflowError:  # the zone's wall clock leaves the years 1 to 9999 there
        return at


def _instant(day: date, clock: time, zone: tzinfo, fold: int = 0) -> datetime:
    """``clock`` on ``day`` in ``zone`` (reading ``fold``) as UTC, clamped to the
    representable instants."""
    try:
        return datetime.combine(day, clock.replace(fold=fold), zone).astimezone(UTC)
    except OverflowError:
        return _MAX_UTC if day.year > 1 else _MIN_UTC


def _next_midnight(day: date, zone: tzinfo) -> datetime:
    if day == date.max:
        return _MAX_UTC
    return _instant(day + _DAY, time(0), zone)


def _offset(at: datetime, zone: tzinfo) -> timedelta | None:
    return _local(at, zone).utcoffset()


def _transition(lo: datetime, hi: datetime, zone: tzinfo) -> datetime | None:
    """The instant in ``(lo, hi)`` at which the zone's offset changes, if it does (at most
    once a day: offset changes are days apart, see ``_tz``)."""
    if hi - lo <= _TICK or _offset(lo, zone) == _offset(hi - _TICK, zone):
        return None
    before = _offset(lo, zone)
    while hi - lo > _TICK:  # bisect: first instant with another offset is in (lo, hi]
        mid = lo + (hi - lo) // 2
        if _offset(mid, zone) == before:
            lo = mid
        else:
            hi = mid
    return hi


class Classifier:
    """Classifies time for one ``weights`` and zone; each local day's cuts (its midnights,
    both readings of each night bound, the zone's offset change) are found once and reused by
    every span that crosses the day (every user of a report shares the same days).

    A whole day with a steady offset (its midnight to the next, 24 hours, no change) splits
    like every other steady day of its kind (weekday, weekend, holiday): the first one is
    classified piece by piece and the others add its figures, so a long stretch costs a
    couple of offset readings a day instead of its pieces."""

    __slots__ = ("_days", "_locals", "_steady_days", "_whole", "weights", "zone")

    def __init__(self, weights: Weights, zone: tzinfo) -> None:
        self.weights, self.zone = weights, zone
        self._days: dict[date, tuple[datetime, tuple[datetime, ...]]] = {}
        self._locals: dict[datetime, datetime] = {}
        self._steady_days: dict[date, tuple[datetime, int] | None] = {}
        self._whole: dict[int, list[float]] = {}  # kind -> a steady day's figures

    def _day(self, day: date) -> tuple[datetime, tuple[datetime, ...]]:
        """The instant the day ends (next local midnight) and its cuts, sorted."""
        found = self._days.get(day)
        if found is None:
            zone, weights = self.zone, self.weights
            end = _next_midnight(day, zone)
            clocks = (time(0), weights.night_start, weights.night_end)
            cuts = {_instant(day, clock, zone, fold) for clock in clocks for fold in (0, 1)}
            begin = min(cuts)
            change = _transition(begin, end, zone) if begin < end else None
            if change is not None:
                # a change of offset can show a neighbouring day's clock readings again
                cuts.add(change)
                for other in (day - _DAY, day + _DAY) if date.min < day < date.max else ():
                    cuts.update(_instant(other, c, zone, fold) for c in clocks for fold in (0, 1))
            found = self._days[day] = (end, tuple(sorted(cuts)))
        return found

    def _wall(self, at: datetime) -> datetime:
        local = self._locals.get(at)
        if local is None:
            local = self._locals[at] = _local(at, self.zone)
        return local

    def _day_pieces(
        self, day: date, start: datetime, end: datetime
    ) -> tuple[datetime, list[datetime]]:
        """Where ``day`` ends, and the cut points of ``[start, end)``'s part in it."""
        day_end, cuts = self._day(day)
        lo, hi = start, min(end, day_end)
        if lo >= hi:
            return day_end, []
        inside = cuts[bisect.bisect_right(cuts, lo) : bisect.bisect_left(cuts, hi)]
        points = [lo, *inside, hi]
        if cuts and lo < cuts[0]:  # before the day's first cut: its own offset check
            change = _transition(lo, min(cuts[0], hi), self.zone)
            if change is not None:
                points = sorted({*points, change})
        return day_end, points

    def pieces(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """``[start, end)`` cut wherever a category may change, every day piece by piece: the
        careful path that :meth:`split`'s whole-day shortcut is held to (test_fairness.py)."""
        day = _local(start, self.zone).date()
        while True:
            day_end, points = self._day_pieces(day, start, end)
            yield from itertools.pairwise(points)
            if day_end >= end or day == date.max:
                return
            start, day = max(start, day_end), day + _DAY

    def _steady(self, day: date) -> tuple[datetime, int] | None:
        """``day``'s first instant and kind (0 weekday, 1 weekend, 2 holiday) when it is a
        steady day: it starts at midnight and has one offset from there to the instant 24
        hours later, both ends included (offset changes are days apart, ``_tz``: equal
        offsets at both ends mean none between), so the next midnight is that instant (a
        change at the day's last midnight, as Santiago's, makes a 23- or 25-hour day). Found
        once per day for every span."""
        if day in self._steady_days:
            return self._steady_days[day]
        found: tuple[datetime, int] | None = None
        if date.min < day < date.max:
            start = _instant(day, time(0), self.zone)
            local = _local(start, self.zone)
            steady = _offset(start + _DAY, self.zone) == local.utcoffset()
            if steady and local.date() == day and local.time() == time(0):
                kind = 1 if day.weekday() >= 5 else 0
                found = (start, 2 if day in self.weights.holidays else kind)
        self._steady_days[day] = found
        return found

    def _classify(self, points: list[datetime], into: list[float]) -> None:
        """Adds the pieces between ``points`` to the figures ``into`` (hours, night,
        weekend, holiday, weighted), piece by piece."""
        weights, holidays = self.weights, self.weights.holidays
        for lo, hi in itertools.pairwise(points):
            local = self._wall(lo)
            length = (hi - lo).total_seconds() / 3600
            into[0] += length
            if weights.night(local.time()):
                into[1] += length
            day = local.date()
            if day in holidays:
                into[3] += length
            elif day.weekday() >= 5:
                into[2] += length
            into[4] += length * weights.factor(local)

    def split(self, start: datetime, end: datetime) -> Split:
        """The hours of ``[start, end)`` by category."""
        into = [0.0] * 5
        day = _local(start, self.zone).date()
        while start < end:
            steady = self._steady(day)
            if steady is None or steady[0] != start or end - start < _DAY:
                day_end, points = self._day_pieces(day, start, end)
                self._classify(points, into)
            else:
                day_end, kind = start + _DAY, steady[1]
                whole = self._whole.get(kind)
                if whole is None:  # the first steady day of its kind, piece by piece
                    whole = self._whole[kind] = [0.0] * 5
                    self._classify(self._day_pieces(day, start, end)[1], whole)
                for i, value in enumerate(whole):
                    into[i] += value
            if day == date.max:
                break
            start, day = max(start, day_end), day + _DAY
        hours, night, weekend, holiday, weighted = into
        return Split(hours=hours, night=night, weekend=weekend, holiday=holiday, weighted=weighted)


def classify(start: datetime, end: datetime, weights: Weights, zone: tzinfo) -> Split:
    """The hours of ``[start, end)`` by category, in ``zone``'s wall clock.

    Day by day: cost grows with the days of ``[start, end)`` (see :class:`Classifier` to
    classify many spans over the same days).
    """
    return Classifier(weights, zone).split(start, end)


def is_night(at: datetime, weights: Weights, zone: tzinfo) -> bool:
    """Whether the instant ``at`` reads a night time on ``zone``'s wall clock."""
    return weights.night(_local(at, zone).time())


# --------------------------------------------------------------------------- holidays


def holidays_from_ical(text: str, window: Window, *, time_zone: str = "UTC") -> frozenset[date]:
    """The dates of a calendar's all-day events (recurring ones included) in ``window``.

    The calendar is read by :mod:`shiftcalc.ical` in the strict profile (floating and date
    values in its X-WR-TIMEZONE, else ``time_zone``). An event's dates are its own DATE values
    (DTSTART to DTEND, each occurrence's), whatever zone the calendar is in; a date counts when
    any part of that day in ``time_zone`` (its local midnight to the next) is inside the
    window, as the same dates given as a list would weigh time there. A timed event in the
    window is refused.

    Raises:
        CalendarError: text that is not a calendar, a bad VEVENT, or a timed one
            (``VEVENT[UID=…, line N].DTSTART``).
        ValidationError: more than :data:`MAX_HOLIDAYS` dates.
    """
    # the iCal module only when it is asked for
    from .ical import calendar_records, floating_zone

    window = utc_window(window)
    schedule = Schedule(time_zone=time_zone)  # checks the zone: a ValidationError names it
    zone = get_zone(schedule.time_zone)
    # A date's day in the calendar's zone and in ``time_zone`` are less than two days apart
    # (offsets are under 24 hours): read the calendar over the window padded by that much.
    padded = Window(start=earlier(window.start, _PAD), end=later(window.end, _PAD))
    records = calendar_records(text, schedule, padded, profile="strict", overrides=False)
    # the dates any instant of the window reads lie between these (a clock set back at
    # midnight reads the day before again)
    first = shifted(_local(window.start, zone).date(), -_TWO_DAYS)
    last = shifted(_local(window.end, zone).date(), _TWO_DAYS)
    calendar_zone: tzinfo | None = None
    days: set[date] = set()
    for record in records:
        if not record.all_day:
            if record.start < window.end and window.start < record.end:
                origin = record.origin
                where = f"VEVENT[UID={origin.uid}, line {origin.line}]" if origin else "VEVENT"
                reason = "a holiday is an all-day event"
                raise CalendarError(f"{where}.DTSTART", record.start, reason)
            continue
        if calendar_zone is None:
            calendar_zone = floating_zone(text, schedule)
        # the occurrence runs from its first date's midnight to the midnight after its last,
        # in the calendar's zone: its dates are those wall-clock dates there
        day = max(_local(record.start, calendar_zone).date(), first)
        end = min(_local(record.end - _TICK, calendar_zone).date(), last)
        while day <= end:
            lo = max(_instant(day, time(0), zone), window.start)
            if lo < min(_next_midnight(day, zone), window.end):
                days.add(day)
                if len(days) > MAX_HOLIDAYS:
                    reason = f"at most {MAX_HOLIDAYS} holiday dates"
                    raise ValidationError("holidays", f"{len(days)}+ dates", reason)
            if day == date.max:
                break
            day += _DAY
    return frozenset(days)


def holiday_weights(text: str, path: str, scenario: Any) -> Weights:
    """The CLI's ``--holidays FILE`` (its ``text``): default weights with the holidays of an
    iCalendar of all-day events (read over the scenario's window in its schedule's zone) or of
    a JSON list of ``YYYY-MM-DD`` dates."""
    if text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        try:
            days = holidays_from_ical(text, scenario.window, time_zone=scenario.schedule.time_zone)
        except ValidationError as exc:
            raise type(exc)(f"--holidays {exc.field}", exc.value, exc.reason) from None
        return Weights(holidays=days)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise ValidationError("--holidays", path, reason) from None
    if not isinstance(data, list):
        raise ValidationError("--holidays", path, "expected a list of YYYY-MM-DD dates")
    found = []
    for i, value in enumerate(data):
        try:
            found.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise ValidationError(f"--holidays[{i}]", value, "expected YYYY-MM-DD") from None
    try:
        return Weights(holidays=frozenset(found))
    except ValidationError as exc:
        raise ValidationError("--holidays", exc.value, exc.reason) from None


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True, kw_only=True)
class Spread:
    """How unevenly a figure is shared: the largest over the smallest value (None when the
    smallest is 0 or nobody has any) and the Gini coefficient (0 equal, towards 1 one person
    has it all)."""

    max_over_min: float | None
    gini: float


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFairness:
    """One user's share: hours by category, weighted burden, and the shape of their time.

    ``longest_stretch``: the longest continuous time on call (back-to-back rows are one
    stretch; clipped to the window). ``shortest_rest``: the shortest time between two of their
    stretches (None with fewer than two). ``night_handoffs``: starts and ends of their
    stretches strictly inside the window whose wall clock is at night.
    """

    user: str
    hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float
    weighted: float
    longest_stretch: timedelta
    shortest_rest: timedelta | None
    night_handoffs: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Fairness:
    """The fairness figures of a resolution: per user (sorted by id) and the spreads."""

    zone: str
    weights: Weights
    users: tuple[UserFairness, ...]
    hours: Spread
    weighted: Spread


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient: the mean absolute difference over twice the mean (0 when there is
    nothing to share). O(n log n), by the sorted-rank formula.

    >>> gini([1, 1, 1]), gini([0, 0, 3]), gini([])
    (0.0, 0.6666666666666666, 0.0)
    """
    n, total = len(values), float(sum(values))
    if n == 0 or total <= 0:
        return 0.0
    ranked = sum((2 * i - n - 1) * x for i, x in enumerate(sorted(values), start=1))
    return max(0.0, ranked / (n * total))


def _spread(values: Sequence[float]) -> Spread:
    low = min(values, default=0.0)
    ratio = max(values) / low if values and low > 0 else None
    return Spread(max_over_min=ratio, gini=gini(values))


def stretches(
    events: Iterable[FinalEvent], window: Window
) -> dict[str, list[tuple[datetime, datetime]]]:
    """Each user's time on call as sorted, disjoint stretches inside ``window``: the union of
    the events naming them, touching events joined (in ``oncall`` events may overlap)."""
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for event in events:
        if event.is_gap:
            continue
        lo, hi = max(event.start, window.start), min(event.end, window.end)
        if lo >= hi:
            continue
        for user in event.users:
            spans.setdefault(user, []).append((lo, hi))
    return {user: merge(found) for user, found in sorted(spans.items())}


def merge(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, disjoint spans: overlapping and touching ones joined, empty ones dropped."""
    joined: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(spans):
        if lo >= hi:
            continue
        if joined and lo <= joined[-1][1]:
            if hi > joined[-1][1]:
                joined[-1] = (joined[-1][0], hi)
        else:
            joined.append((lo, hi))
    return joined


def _user(
    user: str,
    spans: list[tuple[datetime, datetime]],
    window: Window,
    classifier: Classifier,
) -> UserFairness:
    weights, zone = classifier.weights, classifier.zone
    split = sum((classifier.split(lo, hi) for lo, hi in spans), Split())
    rests = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    ends = [at for span in spans for at in span if window.start < at < window.end]
    return UserFairness(
        user=user,
        hours=split.hours,
        night_hours=split.night,
        weekend_hours=split.weekend,
        holiday_hours=split.holiday,
        weighted=split.weighted,
        longest_stretch=max((hi - lo for lo, hi in spans), default=_ZERO),
        shortest_rest=min(rests, default=None),
        night_handoffs=sum(1 for at in ends if is_night(at, weights, zone)),
    )


def fairness(
    events: Iterable[FinalEvent],
    window: Window,
    *,
    zone: str = "UTC",
    weights: Weights | None = None,
) -> Fairness:
    """The fairness figures of resolved ``events`` over ``window``, classified on the wall
    clock of ``weights.zone``, else ``zone`` (the schedule's).

    Raises:
        ValidationError: ``weights`` that is not a :class:`Weights`, an unknown zone, or more
            than :data:`MAX_WEIGHTED_DAYS` days of time on call to classify (summed over
            users) — the figures are summed day by day.
    """
    return fairness_plan(events, window, zone=zone, weights=weights).figures()


@dataclass(frozen=True, slots=True)
class FairnessPlan:
    """Checked input of the fairness figures: each user's stretches, the weights and the zone.

    Making it is cheap and raises every error :func:`fairness` can; :meth:`figures` does the
    day-by-day work (the quality report calls it on first use of ``fairness``).
    """

    window: Window
    zone: str
    weights: Weights
    per_user: dict[str, list[tuple[datetime, datetime]]]

    def figures(self) -> Fairness:
        classifier = Classifier(self.weights, get_zone(self.zone))
        users = tuple(
            _user(user, spans, self.window, classifier) for user, spans in self.per_user.items()
        )
        return Fairness(
            zone=self.zone,
            weights=self.weights,
            users=users,
            hours=_spread([u.hours for u in users]),
            weighted=_spread([u.weighted for u in users]),
        )


def fairness_plan(
    events: Iterable[FinalEvent],
    window: Window,
    *,
    zone: str = "UTC",
    weights: Weights | None = None,
) -> FairnessPlan:
    """The checked plan of :func:`fairness` (same arguments, same errors)."""
    if weights is None:
        weights = Weights()
    elif not isinstance(weights, Weights):
        raise ValidationError("weights", weights, "expected a shiftcalc.Weights or None")
    window = utc_window(window)
    name = weights.zone or zone
    if not isinstance(name, str):  # a tzinfo, say: the zone is named
        raise ValidationError(
            "zone", shortened(name), "expected a zone name, e.g. 'Europe/London'"
        )
    try:
        get_zone(name)
    except (KeyError, TypeError, ValueError):
        raise ValidationError("zone", name, "unknown time zone") from None
    per_user = stretches(events, window)
    # the days are the work beyond the output (each stretch is one more day at most: rows)
    days = sum(((hi - lo) / _DAY for spans in per_user.values() for lo, hi in spans), 0.0)
    if days > MAX_WEIGHTED_DAYS:
        reason = f"fairness is summed day by day: at most {MAX_WEIGHTED_DAYS} days on call"
        raise ValidationError("window", f"{window.start} .. {window.end}", reason)
    return FairnessPlan(window=window, zone=name, weights=weights, per_user=per_user)


# --------------------------------------------------------------------------- writer


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 4)


def fairness_document(figures: Fairness, schedule: Schedule) -> dict[str, object]:
    """The fairness figures as a JSON-ready object, users shown by username, hours rounded to
    4 decimals."""
    w = figures.weights
    return {
        "zone": figures.zone,
        "weights": {
            "night_start": w.night_start.isoformat(),
            "night_end": w.night_end.isoformat(),
            "night_factor": w.night_factor,
            "weekend_factor": w.weekend_factor,
            "holiday_factor": w.holiday_factor,
            "holidays": [day.isoformat() for day in sorted(w.holidays)],
        },
        "users": [
            {
                "user_pk": u.user,
                "username": schedule.user(u.user).username,
                "hours": _round(u.hours),
                "night_hours": _round(u.night_hours),
                "weekend_hours": _round(u.weekend_hours),
                "holiday_hours": _round(u.holiday_hours),
                "weighted": _round(u.weighted),
                "longest_stretch_hours": _hours(u.longest_stretch),
                "shortest_rest_hours": _hours(u.shortest_rest),
                "night_handoffs": u.night_handoffs,
            }
            for u in figures.users
        ],
        "spread": {
            name: {"max_over_min": _round(spread.max_over_min), "gini": _round(spread.gini)}
            for name, spread in (("hours", figures.hours), ("weighted", figures.weighted))
        },
    }
