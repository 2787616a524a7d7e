"""RFC 5545 recurrence: RRULE text → validated rule → occurrence starts inside a window.

This is the only module of shiftcalc that imports :mod:`dateutil.rrule`. dateutil generates the
wall-clock candidates of one rule; this module decides what they mean:

* every BY-part that RFC 5545 derives from DTSTART is passed explicitly, and iteration starts
  from a synthetic DTSTART at the beginning of a FREQ*INTERVAL period. That fixes dateutil's
  partial first week under BYSETPOS (dateutil issue 1398) and lets a query jump straight to the
  period of its window: the cost follows the window, not the age of the rule;
* UNTIL, COUNT, DTSTART, EXDATE, RDATE and the window are applied here, on instants after
  wall-clock times have been localised by RFC 5545 §3.3.5 (``_tz.localize``);
* inputs dateutil refuses or misreads (a trailing ``;``, ``BYDAY=3MO,WE``, a floating DTSTART
  with a UTC UNTIL, a DATE UNTIL on a DATE-TIME start, BYHOUR on a DATE start, BYWEEKNO with
  INTERVAL across ISO week-years) are normalised before dateutil sees them.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final, final

from dateutil import rrule as _du

from ._errors import RecurrenceError
from ._tz import as_utc, as_zone, detach, is_utc, localize, naive_utc

__all__ = [
    "RecurrenceRule",
    "format_instance",
    "occurrences",
    "parse_instance",
    "wall_instances",
]

FREQUENCIES: Final = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_YEARLY, _MONTHLY, _WEEKLY, _DAILY, _HOURLY, _MINUTELY, _SECONDLY = range(7)
_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# name → (attribute, minimum absolute value, maximum, may be negative); RFC 5545 §3.3.10.
_INT_PARTS: Final[dict[str, tuple[str, int, int, bool]]] = {
    "BYSECOND": ("bysecond", 0, 60, False),
    "BYMINUTE": ("byminute", 0, 59, False),
    "BYHOUR": ("byhour", 0, 23, False),
    "BYMONTHDAY": ("bymonthday", 1, 31, True),
    "BYYEARDAY": ("byyearday", 1, 366, True),
    "BYWEEKNO": ("byweekno", 1, 53, True),
    "BYMONTH": ("bymonth", 1, 12, False),
    "BYSETPOS": ("bysetpos", 1, 366, True),
}
# Canonical order of to_ical(): the order of the RFC's own examples.
_ICAL_ORDER: Final = (
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
)
_INT_RE: Final = re.compile(r"[+-]?\d{1,3}")
_DAY_RE: Final = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")


def _fail(part: str, value: object, reason: str) -> RecurrenceError:
    return RecurrenceError(f"rrule.{part}", value, reason)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class RecurrenceRule:
    """A validated RFC 5545 RRULE value.

    Weekdays are ``0`` (MO) to ``6`` (SU); ``byday`` holds ``(weekday, ordinal or None)``.
    ``until`` is kept as written: naive (floating), aware (UTC) or a ``date``.

    >>> RecurrenceRule.parse("rrule:freq=monthly;byday=-1fr;count=3;").to_ical()
    'FREQ=MONTHLY;COUNT=3;BYDAY=-1FR'

    Raises:
        RecurrenceError: a part out of its RFC 5545 range or used with the wrong FREQ.
    """

    freq: str
    interval: int = 1
    count: int | None = None
    until: datetime | date | None = None
    wkst: int = 0
    bysecond: tuple[int, ...] = ()
    byminute: tuple[int, ...] = ()
    byhour: tuple[int, ...] = ()
    byday: tuple[tuple[int, int | None], ...] = ()
    bymonthday: tuple[int, ...] = ()
    byyearday: tuple[int, ...] = ()
    byweekno: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.freq not in FREQUENCIES:
            raise _fail("FREQ", self.freq, f"must be one of {', '.join(FREQUENCIES)}")
        rank = FREQUENCIES.index(self.freq)
        if self.interval < 1:
            raise _fail("INTERVAL", self.interval, "must be a positive integer")
        if self.count is not None and self.count < 1:
            raise _fail("COUNT", self.count, "must be a positive integer")
        if self.count is not None and self.until is not None:
            raise _fail("COUNT", self.count, "COUNT and UNTIL must not occur together")
        if not 0 <= self.wkst <= 6:
            raise _fail("WKST", self.wkst, "must be a weekday 0 (MO) to 6 (SU)")
        for name, (attr, low, high, signed) in _INT_PARTS.items():
            for v in getattr(self, attr):
                if not (low <= abs(v) <= high and (signed or v >= 0)):
                    span = f"±{low}..{high}" if signed else f"{low}..{high}"
                    raise _fail(name, v, f"must be in {span}")
        for wd, n in self.byday:
            if not 0 <= wd <= 6:
                raise _fail("BYDAY", wd, "weekday must be 0 (MO) to 6 (SU)")
            if n is not None:
                if not 1 <= abs(n) <= 53:
                    raise _fail("BYDAY", n, "ordinal must be in ±1..53")
                if rank not in (_YEARLY, _MONTHLY):
                    raise _fail("BYDAY", n, "an ordinal day needs FREQ=MONTHLY or YEARLY")
                if self.byweekno:
                    raise _fail("BYDAY", n, "an ordinal day must not be used with BYWEEKNO")
        if self.byweekno and rank != _YEARLY:
            raise _fail("BYWEEKNO", self.byweekno[0], "is only allowed with FREQ=YEARLY")
        if self.byyearday and rank in (_MONTHLY, _WEEKLY, _DAILY):
            raise _fail("BYYEARDAY", self.byyearday[0], f"is not allowed with FREQ={self.freq}")
        # BYMONTHDAY with WEEKLY, which RFC 5545 forbids, is read as dateutil reads it (a filter
        # on the week's days): Grafana OnCall's API accepts weekly shifts with by_monthday.
        others = [getattr(self, attr) for attr, *_ in _INT_PARTS.values() if attr != "bysetpos"]
        if self.bysetpos and not (self.byday or any(others)):
            raise _fail("BYSETPOS", self.bysetpos[0], "needs another BYxxx rule part")
        if self.until is not None and not isinstance(self.until, date):
            raise _fail("UNTIL", self.until, "must be a date or a datetime")

    @classmethod
    def parse(cls, text: str) -> RecurrenceRule:
        """Parse an RRULE value (``RRULE:`` prefix, trailing ``;``, any case and order allowed).

        Raises:
            RecurrenceError: unknown, repeated, malformed or out-of-range parts.
        """
        if not isinstance(text, str):
            raise RecurrenceError("rrule", text, "must be a string")
        return _parse_cached(text)

    def to_ical(self) -> str:
        """The canonical RRULE value text (no prefix); ``parse(r.to_ical()) == r``."""
        parts = [f"FREQ={self.freq}"]
        if self.until is not None:
            parts.append(f"UNTIL={_until_text(self.until)}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        for name in _ICAL_ORDER:
            if name == "BYDAY":
                values = [f"{'' if n is None else n}{_DAYS[wd]}" for wd, n in self.byday]
            else:
                values = [str(v) for v in getattr(self, _INT_PARTS[name][0])]
            if values:
                parts.append(f"{name}={','.join(values)}")
        if self.wkst:
            parts.append(f"WKST={_DAYS[self.wkst]}")
        return ";".join(parts)


def _until_text(until: datetime | date) -> str:
    if not isinstance(until, datetime):
        return until.strftime("%Y%m%d")
    if until.tzinfo is None:
        return until.strftime("%Y%m%dT%H%M%S")
    return until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@lru_cache(maxsize=256)
def _parse_cached(text: str) -> RecurrenceRule:
    body = text.strip().upper()
    body = body.removeprefix("RRULE:")
    body = body.removesuffix(";")  # Google Calendar writes one
    if not body:
        raise RecurrenceError("rrule", text, "is empty")
    seen: dict[str, str] = {}
    for part in body.split(";"):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name or not value:
            raise RecurrenceError("rrule", text, f"malformed rule part {part!r}")
        if name in seen:
            raise _fail(name, value, "occurs more than once")
        seen[name] = value.strip()
    if "FREQ" not in seen:
        raise _fail("FREQ", None, "is required")
    kwargs: dict[str, object] = {"freq": seen.pop("FREQ")}
    for name, value in seen.items():
        if name in ("COUNT", "INTERVAL"):
            if not value.isdigit():
                raise _fail(name, value, "must be a positive integer")
            kwargs[name.lower()] = int(value)
        elif name == "UNTIL":
            kwargs["until"] = _parse_until(value)
        elif name == "WKST":
            if value not in _DAYS:
                raise _fail(name, value, "must be one of MO TU WE TH FR SA SU")
            kwargs["wkst"] = _DAYS.index(value)
        elif name == "BYDAY":
            kwargs["byday"] = tuple(_parse_day(v) for v in value.split(","))
        elif name in _INT_PARTS:
            items = value.split(",")
            for v in items:
                if not _INT_RE.fullmatch(v):
                    raise _fail(name, v, "must be a comma-separated list of integers")
            kwargs[_INT_PARTS[name][0]] = tuple(int(v) for v in items)
        else:
            raise _fail(name, value, "unknown rule part")
    return RecurrenceRule(**kwargs)  # type: ignore[arg-type]


def _parse_day(text: str) -> tuple[int, int | None]:
    m = _DAY_RE.fullmatch(text)
    if m is None:
        raise _fail("BYDAY", text, "must be [+|-][ordinal]MO..SU")
    n = None if m.group(1) is None else int(m.group(1))
    if n == 0:
        raise _fail("BYDAY", text, "ordinal must not be 0")
    return _DAYS.index(m.group(2)), n


def _parse_until(text: str) -> datetime | date:
    m = _UNTIL_RE.fullmatch(text)
    if m is None:
        raise _fail("UNTIL", text, "must be YYYYMMDD or YYYYMMDDTHHMMSS[Z]")
    try:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if m.group(4) is None:
            return date(y, mo, d)
        hms = int(m.group(4)), int(m.group(5)), int(m.group(6))
        return datetime(y, mo, d, *hms, tzinfo=UTC if m.group(7) else None)
    except ValueError as exc:
        raise _fail("UNTIL", text, str(exc)) from None


# --------------------------------------------------------------------------- instances


def format_instance(value: datetime | date) -> str:
    """The CLI and vector form of one instance.

    >>> from zoneinfo import ZoneInfo
    >>> format_instance(datetime(1997, 9, 2, 9, tzinfo=ZoneInfo("America/New_York")))
    '1997-09-02T09:00:00-04:00'
    >>> format_instance(datetime(1997, 9, 2, 13, tzinfo=UTC)), format_instance(date(1997, 9, 2))
    ('1997-09-02T13:00:00Z', '1997-09-02')
    """
    if not isinstance(value, datetime):
        return value.isoformat()
    text = value.replace(microsecond=0, tzinfo=None).isoformat()
    if value.tzinfo is None:
        return text
    if is_utc(value.tzinfo):
        return text + "Z"
    return value.replace(microsecond=0).isoformat()


_EXT_RE: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?)?"
)
_BASIC_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?")


def parse_instance(text: str, tz: tzinfo | None) -> datetime | date:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SS[Z|±HH:MM]`` or the iCal basic forms.

    A time without ``Z`` or offset is floating when ``tz`` is None, else local time in ``tz``
    (attached by RFC 5545 §3.3.5, wall clock kept as written).

    Raises:
        RecurrenceError: text in none of these forms, or not a real date.
    """
    m = _EXT_RE.fullmatch(text.strip()) or _BASIC_RE.fullmatch(text.strip())
    if m is None:
        raise RecurrenceError("instance", text, "must be YYYY-MM-DD[THH:MM:SS[Z]] (or basic)")
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m.group(4) is None:
            return day
        wall = datetime.combine(day, time(int(m.group(4)), int(m.group(5)), int(m.group(6))))
    except ValueError as exc:
        raise RecurrenceError("instance", text, str(exc)) from None
    suffix = m.group(7)
    if suffix == "Z":
        return wall.replace(tzinfo=UTC)
    if suffix:
        sign = -1 if suffix[0] == "-" else 1
        offset = timedelta(hours=int(suffix[1:3]), minutes=int(suffix[4:6])) * sign
        fixed = wall.replace(tzinfo=timezone(offset))
        return fixed if tz is None else fixed.astimezone(as_zone(tz))
    return wall if tz is None else localize(wall, tz)


# --------------------------------------------------------------------------- expansion


def _utc(wall: datetime, zone: tzinfo, fold: int = 0) -> datetime:
    """Naive UTC instant of ``wall`` in ``zone`` (fold 0 = RFC 5545 §3.3.5)."""
    # tzinfo.utcoffset reads the wall fields and fold of its argument: no aware copy needed
    offset = zone.utcoffset(wall.replace(fold=1) if fold else wall)
    assert offset is not None
    return wall - offset


@dataclass(frozen=True, slots=True, kw_only=True)
class _Start:
    """DTSTART read once: its kind decides keys, bounds and the output type.

    A *key* is what instances are ordered and compared by: a naive UTC instant for an aware
    start, the naive wall clock for a floating one, midnight of the day for a date start.
    """

    kind: str  # "aware" | "floating" | "date"
    wall: datetime
    zone: tzinfo | None

    @classmethod
    def of(cls, dtstart: datetime | date) -> _Start:
        if isinstance(dtstart, datetime):
            wall = dtstart if dtstart.tzinfo is None else detach(dtstart)
            if wall.microsecond or wall.fold:
                wall = wall.replace(microsecond=0, fold=0)
            if dtstart.tzinfo is None:
                return cls(kind="floating", wall=wall, zone=None)
            return cls(kind="aware", wall=wall, zone=as_zone(dtstart.tzinfo))
        if isinstance(dtstart, date):
            return cls(kind="date", wall=datetime.combine(dtstart, time()), zone=None)
        raise RecurrenceError("dtstart", dtstart, "must be a date or a datetime")

    def key(self, wall: datetime) -> datetime:
        return wall if self.zone is None else _utc(wall, self.zone)

    def key_and_floor(self, wall: datetime) -> tuple[datetime, datetime]:
        """The key of ``wall`` and a key no later wall-clock time can go below.

        Fold 1 gives the floor: in a DST gap it is the (earlier) instant after the gap.
        """
        if self.zone is None:
            return wall, wall
        key, other = _utc(wall, self.zone), _utc(wall, self.zone, 1)
        return key, min(key, other)

    def key_of(self, value: datetime | date, field: str) -> datetime:
        """Key of a bound, EXDATE or RDATE given in any kind."""
        if isinstance(value, datetime):
            if self.kind == "date":
                return datetime.combine(value.date(), time())
            if value.tzinfo is None:
                return self.key(value.replace(fold=0))
            if self.zone is None:
                # floating: compare wall values as written (a UTC value by its digits)
                return value.replace(tzinfo=None)
            return naive_utc(value)
        if isinstance(value, date):
            return self.key(datetime.combine(value, time()))
        raise RecurrenceError(field, value, "must be a date or a datetime")

    def output(self, key: datetime) -> datetime | date:
        if self.kind == "date":
            return key.date()
        if self.zone is None:
            return key
        return as_utc(key).astimezone(self.zone)

    def local_date(self, key: datetime) -> date:
        if self.zone is None:
            return key.date()
        return as_utc(key).astimezone(self.zone).date()


def _weekyear(day: date, wkst: int) -> int:
    """The year whose week numbering (weeks starting on ``wkst``) holds ``day``."""
    week_start = day - timedelta(days=(day.weekday() - wkst) % 7)
    return (week_start + timedelta(days=3)).year


# The arithmetic form of a plain rule: (rank, minute, second, hour or None, weekdays or None).
_Simple = tuple[int, int, int, int | None, frozenset[int] | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    """A rule made explicit for dateutil: every BY-part set, periods aligned to ``origin``."""

    rank: int
    interval: int  # the rule's INTERVAL, in periods
    step: int  # the interval given to dateutil (1 when week-years are filtered here)
    origin: datetime  # start of DTSTART's period
    first: datetime  # DTSTART's wall clock: earlier candidates are dropped
    wkst: int
    parts: dict[str, object]  # dateutil keyword arguments, all explicit
    weekyear_base: int | None  # BYWEEKNO with INTERVAL > 1: keep week-years base + k*INTERVAL
    empty: bool
    simple: _Simple | None = None  # the arithmetic form, when the rule has one

    def periods_to(self, wall: datetime) -> int:
        """Whole dateutil periods from ``origin`` to ``wall`` (floor)."""
        o = self.origin
        if self.rank == _YEARLY:
            units = wall.year - o.year
        elif self.rank == _MONTHLY:
            units = (wall.year - o.year) * 12 + wall.month - o.month
        else:
            seconds = (wall - o) // _SECOND
            units = seconds // _UNIT_SECONDS[self.rank]
        return units // self.step

    def advanced(self, periods: int) -> datetime:
        units = periods * self.step
        o = self.origin
        if self.rank == _YEARLY:
            return o.replace(year=o.year + units)
        if self.rank == _MONTHLY:
            y, m = divmod(o.month - 1 + units, 12)
            return o.replace(year=o.year + y, month=m + 1)
        return o + _SECOND * (units * _UNIT_SECONDS[self.rank])

    def walls(self, lower: datetime | None) -> Iterator[datetime]:
        """Wall-clock instances ≥ DTSTART, from the period before the one holding ``lower``."""
        if self.empty:
            return iter(())
        anchor = self.origin
        if lower is not None and lower > self.origin:
            n = self.periods_to(lower) - 1  # one period of margin for DST and week edges
            if n > 0:
                try:
                    anchor = self.advanced(n)
                except (OverflowError, ValueError):
                    return iter(())
        simple = _simple_walls(self, anchor)
        if simple is not None:
            # increasing, so dropping those before DTSTART is a dropwhile (no Python frame)
            return itertools.dropwhile(self.first.__gt__, simple)
        source = _dateutil_walls(self, anchor)
        if source is None:
            return iter(())
        return self._checked(source)

    def _checked(self, source: Iterator[datetime]) -> Iterator[datetime]:
        """dateutil's instances from DTSTART on, week-years filtered, its errors ending them."""
        first, base = self.first, self.weekyear_base
        while True:
            try:
                wall = next(source)
            except (StopIteration, ValueError):  # ValueError: unreachable BY-part (dateutil)
                return
            if wall < first:
                continue
            if base is not None and (_weekyear(wall.date(), self.wkst) - base) % self.interval:
                continue
            yield wall


def _single(value: object) -> int | None:
    """The one value of a BY-part tuple, or None when it has several or none."""
    if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], int):
        return value[0]
    return None


def _simple_form(rank: int, parts: dict[str, object]) -> _Simple | None:
    """The rules on-call shifts use, in a form ``_simple_walls`` generates by arithmetic.

    DAILY, WEEKLY and HOURLY rules whose only BY-parts are the time of day taken from DTSTART
    and plain weekdays; None for anything else.
    """
    if rank not in (_DAILY, _WEEKLY, _HOURLY):
        return None
    if any(parts[name] for name in ("bymonthday", "byyearday", "byweekno", "bymonth", "bysetpos")):
        return None
    weekdays_part = parts["byweekday"]
    weekdays: frozenset[int] | None = None
    if weekdays_part:
        assert isinstance(weekdays_part, list)
        if any(day.n for day in weekdays_part):
            return None
        weekdays = frozenset(day.weekday for day in weekdays_part)
    minute, second = _single(parts["byminute"]), _single(parts["bysecond"])
    if minute is None or second is None:
        return None
    if rank == _HOURLY:
        return None if parts["byhour"] else (rank, minute, second, None, weekdays)
    hour = _single(parts["byhour"])
    if hour is None or (rank == _WEEKLY and not weekdays):
        return None
    return (rank, minute, second, hour, weekdays)


def _simple_walls(plan: _Plan, anchor: datetime) -> Iterator[datetime] | None:
    """Wall-clock instances of a plain rule by arithmetic: same output as dateutil, about ten
    times cheaper; None when the rule has no simple form. The hot path of expansion."""
    if plan.simple is None:
        return None
    rank, minute, second, hour, weekdays = plan.simple
    if hour is None:
        return _hourly(anchor.replace(minute=minute, second=second), plan.step, weekdays)
    at = time(hour, minute, second)
    if rank == _DAILY:
        return _daily(anchor.date(), at, plan.step, weekdays)
    assert weekdays is not None
    offsets = sorted((day - plan.wkst) % 7 for day in weekdays)
    return _weekly(anchor.date(), at, plan.step, offsets)


def _hourly(first: datetime, step: int, weekdays: frozenset[int] | None) -> Iterator[datetime]:
    delta = _HOUR * step
    wall = first
    while True:
        if weekdays is None or wall.weekday() in weekdays:
            yield wall
        wall += delta


def _daily(day: date, at: time, step: int, weekdays: frozenset[int] | None) -> Iterator[datetime]:
    delta = _DAY * step
    while True:
        if weekdays is None or day.weekday() in weekdays:
            yield datetime.combine(day, at)
        day += delta


def _weekly(week: date, at: time, step: int, offsets: list[int]) -> Iterator[datetime]:
    delta = _DAY * (7 * step)
    days = [_DAY * offset for offset in offsets]
    while True:
        for offset in days:
            yield datetime.combine(week + offset, at)
        week += delta


def _dateutil_walls(plan: _Plan, anchor: datetime) -> Iterator[datetime] | None:
    """dateutil's wall-clock instances from the period-aligned ``anchor``."""
    try:
        return iter(
            _du.rrule(
                _DU_FREQ[plan.rank],
                dtstart=anchor,
                interval=plan.step,
                wkst=plan.wkst,
                cache=False,
                **plan.parts,  # type: ignore[arg-type]
            )
        )
    except ValueError:  # dateutil: no BYHOUR/BYMINUTE/BYSECOND value reachable
        return None


_DU_FREQ: Final = (
    _du.YEARLY,
    _du.MONTHLY,
    _du.WEEKLY,
    _du.DAILY,
    _du.HOURLY,
    _du.MINUTELY,
    _du.SECONDLY,
)
_UNIT_SECONDS: Final = {
    _WEEKLY: 7 * 86400,
    _DAILY: 86400,
    _HOURLY: 3600,
    _MINUTELY: 60,
    _SECONDLY: 1,
}
# timedelta(hours=n) parses keywords on every call; the generators multiply these instead
_SECOND, _HOUR, _DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)


@lru_cache(maxsize=1024)  # a pure function of frozen values: a memo, not state
def _plan(rule: RecurrenceRule, start: _Start) -> _Plan:
    rank = FREQUENCIES.index(rule.freq)
    w = start.wall
    if start.kind == "date":
        if rank > _DAILY:
            raise _fail("FREQ", rule.freq, "a DATE DTSTART needs FREQ=DAILY or coarser")
        # RFC 5545 §3.3.10: BYSECOND, BYMINUTE and BYHOUR MUST be ignored for a DATE start
        bysecond: tuple[int, ...] = (0,)
        byminute: tuple[int, ...] = (0,)
        byhour: tuple[int, ...] = (0,)
    else:
        bysecond = tuple(s for s in rule.bysecond if s < 60)  # a leap second cannot be shown
        if rule.bysecond and not bysecond:
            return _empty_plan(rule, rank, w)
        bysecond = bysecond or ((w.second,) if rank < _SECONDLY else ())
        byminute = rule.byminute or ((w.minute,) if rank < _MINUTELY else ())
        byhour = rule.byhour or ((w.hour,) if rank < _HOURLY else ())
    bymonth, bymonthday, byday = rule.bymonth, rule.bymonthday, rule.byday
    if not (rule.byweekno or rule.byyearday or bymonthday or byday):
        # RFC 5545 §3.3.10: information the rule lacks comes from DTSTART
        if rank == _YEARLY:
            bymonth = bymonth or (w.month,)
            bymonthday = (w.day,)
        elif rank == _MONTHLY:
            bymonthday = (w.day,)
        elif rank == _WEEKLY:
            byday = ((w.weekday(), None),)
    elif rank == _YEARLY and rule.byweekno and not (rule.byyearday or bymonthday or byday):
        # a week number names a week, as BYMONTH names a month: the day comes from DTSTART
        byday = ((w.weekday(), None),)
    if any(n is not None for _, n in byday) and any(n is None for _, n in byday):
        # dateutil intersects plain and ordinal days; RFC: a plain day is every such weekday
        # of the period, i.e. all its ordinals
        top = 5 if rank == _MONTHLY or bymonth else 53
        byday = tuple(
            sorted({(wd, k) for wd, n in byday for k in ((n,) if n else range(1, top + 1))})
        )
    weekdays = [_du.weekday(wd, n) for wd, n in byday]
    parts: dict[str, object] = {
        "bysecond": bysecond or None,
        "byminute": byminute or None,
        "byhour": byhour or None,
        "byweekday": weekdays or None,
        "bymonthday": bymonthday or None,
        "byyearday": rule.byyearday or None,
        "byweekno": rule.byweekno or None,
        "bymonth": bymonth or None,
        "bysetpos": rule.bysetpos or None,
    }
    if rank == _YEARLY:
        origin = datetime(w.year, 1, 1)
    elif rank == _MONTHLY:
        origin = datetime(w.year, w.month, 1)
    elif rank == _WEEKLY:
        origin = datetime.combine(w.date() - timedelta(days=(w.weekday() - rule.wkst) % 7), time())
    elif rank == _DAILY:
        origin = datetime.combine(w.date(), time())
    elif rank == _HOURLY:
        origin = w.replace(minute=0, second=0)
    elif rank == _MINUTELY:
        origin = w.replace(second=0)
    else:
        origin = w
    weekyear = rank == _YEARLY and bool(rule.byweekno) and rule.interval > 1
    return _Plan(
        rank=rank,
        interval=rule.interval,
        step=1 if weekyear else rule.interval,
        origin=origin,
        first=w,
        wkst=rule.wkst,
        parts=parts,
        weekyear_base=_weekyear(w.date(), rule.wkst) if weekyear else None,
        empty=_never(rank, rule.interval, w, parts, byday),
        simple=_simple_form(rank, parts),
    )


def _empty_plan(rule: RecurrenceRule, rank: int, w: datetime) -> _Plan:
    return _Plan(
        rank=rank,
        interval=rule.interval,
        step=rule.interval,
        origin=w,
        first=w,
        wkst=rule.wkst,
        parts={},
        weekyear_base=None,
        empty=True,
    )


_MONTH_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _never(
    rank: int,
    interval: int,
    w: datetime,
    parts: dict[str, object],
    byday: tuple[tuple[int, int | None], ...],
) -> bool:
    """True for rules that can never match.

    dateutil only checks UNTIL on generated candidates, so such a rule would make it iterate
    to year 9999 before giving up. Cheap checks first; a 28-year scan (every kind of year)
    just below 9999 for the rare rules that combine day-level parts.
    """

    def ints(name: str) -> tuple[int, ...]:
        value = parts[name]
        return tuple(value) if isinstance(value, tuple) else ()

    bymonth, bymonthday = ints("bymonth"), ints("bymonthday")
    months = bymonth or tuple(range(1, 13))
    if bymonthday and not any(abs(d) <= _MONTH_DAYS[m - 1] for m in months for d in bymonthday):
        return True
    if rank == _MONTHLY and bymonth:
        reachable = {(w.month - 1 + j * interval) % 12 + 1 for j in range(12)}
        if not reachable & set(bymonth):
            return True
    if rank == _DAILY and byday and interval % 7 == 0 and w.weekday() not in dict(byday):
        return True
    setpos = ints("bysetpos")
    if setpos and rank >= _WEEKLY:
        # an upper bound of the candidates in one period
        per_period = len(byday) or 7 if rank == _WEEKLY else 1
        for name, part_rank, full in (("byhour", _HOURLY, 24), ("byminute", _MINUTELY, 60)):
            if part_rank > rank:
                per_period *= len(ints(name)) or full
        if rank < _SECONDLY:
            per_period *= len(ints("bysecond")) or 60
        if min(abs(p) for p in setpos) > per_period:
            return True
    day_parts = [ints("byweekno"), ints("byyearday"), bymonthday, bymonth, byday]
    risky = sum(1 for p in day_parts if p) >= 2 or bool(ints("byweekno") or ints("byyearday"))
    risky = risky or any(n is not None and abs(n) >= 5 for _, n in byday)
    if not risky:
        return False
    check_rank = _MONTHLY if rank == _MONTHLY else _YEARLY
    scan = _du.rrule(
        _DU_FREQ[check_rank],
        dtstart=datetime(9972, 1, 1),
        byweekday=parts["byweekday"],  # type: ignore[arg-type]
        bymonthday=parts["bymonthday"],  # type: ignore[arg-type]
        byyearday=parts["byyearday"],  # type: ignore[arg-type]
        byweekno=parts["byweekno"],  # type: ignore[arg-type]
        bymonth=parts["bymonth"],  # type: ignore[arg-type]
        bysetpos=parts["bysetpos"] if rank == check_rank else None,  # type: ignore[arg-type]
        byhour=0,
        byminute=0,
        bysecond=0,
        cache=False,
    )
    return next(iter(scan), None) is None


def _rule_keys(
    plan: _Plan,
    start: _Start,
    *,
    count: int | None,
    until: datetime | date | None,
    lower: datetime | None,
    stop: datetime | None,
) -> Iterator[datetime]:
    """Keys of the rule's instances, sorted and unique, with UNTIL and COUNT applied.

    Localising wall-clock times can reorder them (a time in a DST gap takes the offset before
    the gap) and merge them (02:30 and 03:30 on a spring-forward night), so instances wait in
    a heap until no later wall-clock time can produce a smaller key.
    """
    until_wall: datetime | None = None  # compared on the wall clock
    until_key: datetime | None = None  # compared as a key (an instant for aware starts)
    if isinstance(until, datetime):
        if start.kind == "aware":
            until_key = start.key_of(until, "rrule.UNTIL")
        else:  # floating or date start: a UTC UNTIL is read on the wall clock (libical)
            until_wall = until.astimezone(UTC).replace(tzinfo=None) if until.tzinfo else until
    elif until is not None:
        # a DATE UNTIL covers its whole day (also on a DATE-TIME start)
        until_wall = datetime.combine(until, time.max)
    pending: list[datetime] = []
    last: datetime | None = None
    emitted = 0

    def ready(bound: datetime | None) -> Iterator[datetime]:
        nonlocal last, emitted
        # a key equal to the floor may still come again: ``last`` drops that duplicate
        while pending and (bound is None or pending[0] <= bound):
            key = heapq.heappop(pending)
            if key == last or (until_key is not None and key > until_key):
                continue
            last = key
            emitted += 1
            yield key

    for wall in plan.walls(lower):
        if until_wall is not None and wall > until_wall:
            break
        key, floor = start.key_and_floor(wall)
        if (stop is not None and floor > stop) or (until_key is not None and floor > until_key):
            break
        heapq.heappush(pending, key)
        for key in ready(floor):
            yield key
            if count is not None and emitted >= count:
                return
    for key in ready(None):
        yield key
        if count is not None and emitted >= count:
            return


def _jump_wall(start: _Start, lower: datetime) -> datetime:
    """A wall-clock time no instance with a key ≥ ``lower`` can precede."""
    if start.zone is None:
        return lower
    zone = start.zone
    offsets = []
    # offsets change at most once in a few days: the smaller of the two ends bounds them all
    for days in (-1, 2):
        instant = (lower + timedelta(days=days)).replace(tzinfo=UTC)
        offset = instant.astimezone(zone).utcoffset()
        assert offset is not None
        offsets.append(offset)
    return lower + min(offsets)


def wall_instances(
    rule: RecurrenceRule, dtstart: datetime, *, after: datetime | None = None
) -> Iterator[datetime]:
    """Wall-clock instances of ``rule`` from the naive ``dtstart``: the expansion hot path.

    Sorted naive datetimes, DTSTART only when it matches. From the period before the one
    holding ``after`` on, so a few instances before ``after`` may still come: callers filter.
    COUNT and UNTIL are the caller's business (schedule rules carry neither), EXDATE and RDATE
    too; use :func:`occurrences` for a whole RFC 5545 recurrence set.
    """
    if rule.count is not None or rule.until is not None:
        raise RecurrenceError("rrule", rule.to_ical(), "wall_instances takes no COUNT or UNTIL")
    if dtstart.tzinfo is not None:
        dtstart = dtstart.replace(tzinfo=None)
    return _floating_plan(rule, dtstart).walls(after)


@lru_cache(maxsize=1024)  # the hot path's plans, keyed by the naive DTSTART itself
def _floating_plan(rule: RecurrenceRule, dtstart: datetime) -> _Plan:
    return _plan(rule, _Start.of(dtstart))


def occurrences(
    rule: RecurrenceRule | str,
    dtstart: datetime | date,
    *,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    end_inclusive: bool = False,
    exdates: Iterable[datetime | date] = (),
    rdates: Iterable[datetime | date] = (),
    dtstart_always: bool = False,
) -> Iterator[datetime | date]:
    """The instances of ``rule`` from ``dtstart``, sorted and unique, lazily.

    The kind of ``dtstart`` decides the output: aware → aware in its zone (zoneinfo), naive →
    floating naive datetimes, ``date`` → dates. Recurrence runs on the wall clock of the zone
    (also for HOURLY and finer); wall times are then placed by RFC 5545 §3.3.5 (a skipped time
    takes the offset before the gap, a repeated one its first instance). Bounds, EXDATE, RDATE
    and UNTIL compare as instants for aware starts, as wall values for floating starts and as
    days for date starts. ``start`` is inclusive, ``end`` exclusive unless ``end_inclusive``.

    DTSTART is an instance only when it matches the rule, unless ``dtstart_always`` (then it is
    one more instance that does not use up COUNT). COUNT counts from the first instance.

    Cost: without COUNT, O(instances in the window) after an O(1) jump to the window's period.

    Raises:
        RecurrenceError: a bad rule, or values of a type that cannot be compared.
    """
    parsed = rule if isinstance(rule, RecurrenceRule) else RecurrenceRule.parse(rule)
    first = _Start.of(dtstart)
    plan = _plan(parsed, first)
    lo = None if start is None else first.key_of(start, "start")
    hi = None if end is None else first.key_of(end, "end")
    ex_keys: set[datetime] = set()
    ex_days: set[date] = set()
    for value in exdates:
        if first.kind != "date" and not isinstance(value, datetime) and isinstance(value, date):
            ex_days.add(value)  # a DATE EXDATE on a DATE-TIME start removes that local day
        else:
            ex_keys.add(first.key_of(value, "exdate").replace(microsecond=0))
    extra: set[datetime] = set()
    for value in rdates:
        if first.kind != "date" and not isinstance(value, datetime) and isinstance(value, date):
            value = datetime.combine(value, first.wall.time())  # at DTSTART's time of day
            if first.zone is not None:
                value = localize(value, first.zone)
        extra.add(first.key_of(value, "rdate").replace(microsecond=0))
    if dtstart_always:
        extra.add(first.key(first.wall))
    if (
        lo is not None
        and hi is not None
        and parsed.count is None
        and parsed.until is None
        and not (extra or ex_keys or ex_days)
        and plan.rank in (_DAILY, _WEEKLY)
        and first.kind != "date"
    ):
        fast = _day_steps(plan, first, lo, hi, end_inclusive)
        if fast is not None:
            return fast
    keys = _rule_keys(
        plan,
        first,
        count=parsed.count,
        until=parsed.until,
        # with COUNT every earlier instance counts, so walk from DTSTART
        lower=None if lo is None or parsed.count is not None else _jump_wall(first, lo),
        stop=hi,
    )
    return _merged(first, keys, sorted(extra), lo, hi, end_inclusive, ex_keys, ex_days)


def _day_steps(
    plan: _Plan, first: _Start, lo: datetime, hi: datetime, end_inclusive: bool
) -> Iterator[datetime | date] | None:
    """The window of a plain DAILY or WEEKLY rule: the hot path of on-call queries.

    Instances a day or more apart at one time of day keep their order once localised (a DST
    change moves an instant by hours, not days), so no reordering heap is needed. None when
    the rule is not one the arithmetic generator covers.
    """
    if plan.simple is None:
        return None
    return _stepped(plan, first, lo, hi, end_inclusive)


def _stepped(
    plan: _Plan, first: _Start, lo: datetime, hi: datetime, end_inclusive: bool
) -> Iterator[datetime | date]:
    # walls() starts a whole period (a day or more) before ``lo``'s: more than any UTC offset,
    # so the instant ``lo`` can stand for its own wall clock here
    for wall in plan.walls(lo):
        key = first.key(wall)
        if key > hi or (key == hi and not end_inclusive):
            return
        if key >= lo:
            yield first.output(key)


def _merged(
    first: _Start,
    keys: Iterator[datetime],
    extra: list[datetime],
    lo: datetime | None,
    hi: datetime | None,
    end_inclusive: bool,
    ex_keys: set[datetime],
    ex_days: set[date],
) -> Iterator[datetime | date]:
    last: datetime | None = None
    for key in heapq.merge(keys, extra) if extra else keys:
        if hi is not None and (key > hi or (key == hi and not end_inclusive)):
            return
        if key == last or (lo is not None and key < lo) or key in ex_keys:
            continue
        last = key
        if ex_days and first.local_date(key) in ex_days:
            continue
        yield first.output(key)
