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
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final, final

from dateutil import rrule as _du

from ._errors import RecurrenceError, ValidationError
from ._tz import as_utc, as_zone, detach, is_utc, localize, naive_utc

__all__ = [
    "RecurrenceRule",
    "fixed_step",
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


# COUNT and INTERVAL are at most 2**63 - 1 (a signed 64-bit integer, as libical stores them);
# any value up to that is handled arithmetically (a step past year 9999 ends the rule).
MAX_NUMBER: Final = 2**63 - 1


def _shown(value: object) -> object:
    """``value`` for an error message: a huge integer is never turned into digits.

    Python refuses ``str()`` of an int of more than 4300 digits; a message needs no more than
    its size anyway.
    """
    if isinstance(value, int) and value.bit_length() > 64:
        digits = int(value.bit_length() * 0.30103) + 1
        return f"{'-' if value < 0 else ''}<an integer of about {digits} digits>"
    if isinstance(value, str) and len(value) > 200:
        return f"{value[:60]}...<{len(value)} characters>"
    return value


def _fail(part: str, value: object, reason: str) -> RecurrenceError:
    return RecurrenceError(f"rrule.{part}", _shown(value), reason)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class RecurrenceRule:
    """A validated RFC 5545 RRULE value.

    Weekdays are ``0`` (MO) to ``6`` (SU); ``byday`` holds ``(weekday, ordinal or None)``.
    ``until`` is kept as written: naive (floating), aware (UTC) or a ``date``.

    >>> RecurrenceRule.parse("rrule:freq=monthly;byday=-1fr;count=3;").to_ical()
    'FREQ=MONTHLY;COUNT=3;BYDAY=-1FR'

    ``lenient=True`` accepts the parts RFC 5545 says MUST NOT be written but dateutil reads as
    filters (BYWEEKNO with a FREQ other than YEARLY, BYYEARDAY with DAILY, WEEKLY or MONTHLY,
    an ordinal BYDAY with a FREQ finer than MONTHLY or with BYWEEKNO): they expand as
    ``dateutil.rrule.rrulestr`` expands them (the ordinal of such a BYDAY is ignored).

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
    lenient: bool = False

    def __post_init__(self) -> None:
        if self.freq not in FREQUENCIES:
            raise _fail("FREQ", self.freq, f"must be one of {', '.join(FREQUENCIES)}")
        rank = FREQUENCIES.index(self.freq)
        for name, number in (("INTERVAL", self.interval), ("COUNT", self.count)):
            if number is not None and not 1 <= number <= MAX_NUMBER:
                raise _fail(name, number, f"must be a positive integer at most {MAX_NUMBER}")
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
                if rank not in (_YEARLY, _MONTHLY) and not self.lenient:
                    raise _fail("BYDAY", n, "an ordinal day needs FREQ=MONTHLY or YEARLY")
                if self.byweekno and not self.lenient:
                    raise _fail("BYDAY", n, "an ordinal day must not be used with BYWEEKNO")
        if self.byweekno and rank != _YEARLY and not self.lenient:
            raise _fail("BYWEEKNO", self.byweekno[0], "is only allowed with FREQ=YEARLY")
        if self.byyearday and rank in (_MONTHLY, _WEEKLY, _DAILY) and not self.lenient:
            raise _fail("BYYEARDAY", self.byyearday[0], f"is not allowed with FREQ={self.freq}")
        # BYMONTHDAY with WEEKLY, which RFC 5545 forbids, is read as dateutil reads it (a filter
        # on the week's days): Grafana OnCall's API accepts weekly shifts with by_monthday.
        others = [getattr(self, attr) for attr, *_ in _INT_PARTS.values() if attr != "bysetpos"]
        if self.bysetpos and not (self.byday or any(others)):
            raise _fail("BYSETPOS", self.bysetpos[0], "needs another BYxxx rule part")
        if self.until is not None and not isinstance(self.until, date):
            raise _fail("UNTIL", self.until, "must be a date or a datetime")

    @classmethod
    def parse(cls, text: str, *, lenient: bool = False) -> RecurrenceRule:
        """Parse an RRULE value (``RRULE:`` prefix, trailing ``;``, any case and order allowed).

        ``lenient``: accept the parts dateutil reads as filters (see the class docstring).

        Raises:
            RecurrenceError: unknown, repeated, malformed or out-of-range parts.
        """
        if not isinstance(text, str):
            raise RecurrenceError("rrule", _shown(text), "must be a string")
        return _parse_cached(text, lenient)

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


_NUMBER_RE: Final = re.compile(r"[0-9]{1,19}")


@lru_cache(maxsize=256)
def _parse_cached(text: str, lenient: bool) -> RecurrenceRule:
    body = text.strip().upper()
    body = body.removeprefix("RRULE:")
    body = body.removesuffix(";")  # Google Calendar writes one
    if not body:
        raise RecurrenceError("rrule", _shown(text), "is empty")
    seen: dict[str, str] = {}
    for part in body.split(";"):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name or not value:
            raise RecurrenceError("rrule", _shown(text), f"malformed rule part {_shown(part)!r}")
        if name in seen:
            raise _fail(name, value, "occurs more than once")
        seen[name] = value.strip()
    if "FREQ" not in seen:
        raise _fail("FREQ", None, "is required")
    kwargs: dict[str, object] = {"freq": seen.pop("FREQ"), "lenient": lenient}
    for name, value in seen.items():
        if name in ("COUNT", "INTERVAL"):
            # at most 19 digits: never a conversion of thousands of digits
            if not _NUMBER_RE.fullmatch(value.lstrip("0") or "0"):
                raise _fail(name, value, f"must be a positive integer at most {MAX_NUMBER}")
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
            first = cls(kind="aware", wall=wall, zone=as_zone(dtstart.tzinfo))
            try:
                moved = first.key(wall) != naive_utc(dtstart).replace(microsecond=0)
            except OverflowError:  # no UTC instant (past the years 1-9999): no offset change
                moved = False
            if moved:
                raise RecurrenceError(
                    "dtstart",
                    dtstart,
                    "the second pass of a repeated wall time (fold=1, or a pytz offset), or a "
                    "skipped one: the rule runs on the wall clock, which reads it as its first "
                    "pass (RFC 5545), so DTSTART would not be an instance; give the first pass, "
                    "or DTSTART in UTC",
                )
            return first
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

    def placed(self, value: datetime | date, field: str) -> tuple[int, datetime | None]:
        """``(0, key)`` of a bound, EXDATE, RDATE or UNTIL; ``(-1, None)`` or ``(1, None)`` for
        a value whose instant lies before 0001-01-01T00:00Z or after 9999-12-31T23:59:59Z
        (2024-01-01T00:00+14:00 is representable, its UTC instant is not near year 1)."""
        try:
            return 0, self.key_of(value, field)
        except OverflowError:
            return (1 if value.year > 5000 else -1), None

    def key_of(self, value: datetime | date, field: str) -> datetime:
        """Key of a bound, EXDATE or RDATE given in any kind (OverflowError: see ``placed``)."""
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


# The arithmetic form of a plain rule: (rank, minute, second, hour or None, weekdays or None).
_Simple = tuple[int, int, int, int | None, frozenset[int] | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    """A rule made explicit for dateutil: every BY-part set, periods aligned to ``origin``."""

    rank: int
    interval: int  # the rule's INTERVAL, in periods
    step: int  # the interval given to dateutil (INTERVAL, capped past the end of time)
    origin: datetime  # start of DTSTART's period (of the next one when that starts before year 1)
    first: datetime  # DTSTART's wall clock: earlier candidates are dropped
    wkst: int
    parts: dict[str, object]  # dateutil keyword arguments, all explicit
    empty: bool
    simple: _Simple | None = None  # the arithmetic form, when the rule has one
    sub_daily: _SubDaily | None = None  # the arithmetic form of HOURLY and finer rules
    head: tuple[datetime, ...] = ()  # instances of a first period that starts before year 1

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
        head = self.head
        if lower is not None and lower > self.origin:
            n = self.periods_to(lower) - 1  # one period of margin for DST and week edges
            if n > 0:
                head = ()
                try:
                    anchor = self.advanced(n)
                except (OverflowError, ValueError):  # past year 9999: nothing left
                    return iter(())
        walls = self._from(anchor)
        return itertools.chain(head, walls) if head else walls

    def _from(self, anchor: datetime) -> Iterator[datetime]:
        simple = _simple_walls(self, anchor)
        if simple is not None:
            # increasing, so dropping those before DTSTART is a dropwhile (no Python frame)
            return itertools.dropwhile(self.first.__gt__, simple)
        if self.sub_daily is not None:
            return itertools.dropwhile(self.first.__gt__, self.sub_daily.walls(anchor))
        source = _dateutil_walls(self, anchor)
        if source is None:
            return iter(())
        return self._checked(source)

    def _checked(self, source: Iterator[datetime]) -> Iterator[datetime]:
        """dateutil's instances from DTSTART on, its errors ending them."""
        first = self.first
        while True:
            try:
                wall = next(source)
            # ValueError: unreachable BY-part; OverflowError: past year 9999 (dateutil)
            except (StopIteration, ValueError, OverflowError):
                return
            if wall >= first:
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


# The generators end where the next value would pass 9999-12-31 (OverflowError): the end of
# representable time ends the sequence. A try around the whole loop costs nothing per step.
def _hourly(first: datetime, step: int, weekdays: frozenset[int] | None) -> Iterator[datetime]:
    delta = _HOUR * step
    wall = first
    try:
        while True:
            if weekdays is None or wall.weekday() in weekdays:
                yield wall
            wall += delta
    except OverflowError:
        return


def _daily(day: date, at: time, step: int, weekdays: frozenset[int] | None) -> Iterator[datetime]:
    delta = _DAY * step
    try:
        while True:
            if weekdays is None or day.weekday() in weekdays:
                yield datetime.combine(day, at)
            day += delta
    except OverflowError:
        return


def _weekly(week: date, at: time, step: int, offsets: list[int]) -> Iterator[datetime]:
    delta = _DAY * (7 * step)
    days = [_DAY * offset for offset in offsets]
    try:
        while True:
            for offset in days:
                yield datetime.combine(week + offset, at)
            week += delta
    except OverflowError:
        return


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
# Days from 0001-01-01 to 9999-12-31: a step longer than this leaves representable time.
_SPAN_DAYS: Final = date.max.toordinal()
# The largest step, per FREQ, that still matters: a longer INTERVAL gives the same instances
# (only DTSTART's period is representable), and capping it keeps timedelta arithmetic in range.
_STEP_CAP: Final = (
    10_000,
    120_000,
    _SPAN_DAYS // 7 + 1,
    _SPAN_DAYS + 1,
    (_SPAN_DAYS + 1) * 24,
    (_SPAN_DAYS + 1) * 1440,
    (_SPAN_DAYS + 1) * 86400,
)
# The Gregorian calendar repeats every 400 years, weekdays included (146097 days = 20871 weeks).
_CYCLE_DAYS: Final = 146_097


@dataclass(frozen=True, slots=True, kw_only=True)
class _DayFilter:
    """The day-level BY-parts of a sub-daily rule as a predicate on dates (dateutil's reading:
    negative month and year days count from the end, a BYDAY ordinal is ignored)."""

    months: frozenset[int]
    monthdays: frozenset[int]
    yeardays: frozenset[int]
    weekdays: frozenset[int]
    weeks: tuple[int, ...] = ()  # BYWEEKNO
    wkst: int = 0

    def period(self) -> int:
        """Days after which the predicate repeats."""
        if self.months or self.monthdays or self.yeardays or self.weeks:
            return _CYCLE_DAYS
        return 7 if self.weekdays else 1

    def __call__(self, day: date) -> bool:
        if self.months and day.month not in self.months:
            return False
        if self.weekdays and day.weekday() not in self.weekdays:
            return False
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        if self.monthdays:
            length = 28 + leap if day.month == 2 else _MONTH_DAYS[day.month - 1]
            if day.day not in self.monthdays and day.day - length - 1 not in self.monthdays:
                return False
        if self.yeardays:
            yday = day.toordinal() - date(day.year, 1, 1).toordinal() + 1
            if yday not in self.yeardays and yday - 366 - leap not in self.yeardays:
                return False
        return not self.weeks or day.toordinal() in _week_days(day.year, self.weeks, self.wkst)


@lru_cache(maxsize=64)  # a pure function: one year's table, a memo
def _week_days(year: int, weeks: tuple[int, ...], wkst: int) -> frozenset[int]:
    """Ordinals of the days of ``year`` in the listed week numbers, as dateutil numbers them
    (including its treatment of the weeks shared with the adjacent years)."""
    days = _du.rrule(
        _du.YEARLY,
        dtstart=datetime(year, 1, 1),
        until=datetime(year, 12, 31),
        byweekno=weeks,
        wkst=wkst,
        cache=False,
    )
    return frozenset(day.toordinal() for day in days)


@dataclass(frozen=True, slots=True, kw_only=True)
class _SubDaily:
    """HOURLY, MINUTELY and SECONDLY rules with BY-parts, generated by arithmetic.

    Time is cut into *slots* of the FREQ's unit (hours, minutes or seconds), numbered from
    0001-01-01; the periods are the slots ≡ the origin's modulo the INTERVAL. A period is kept
    when its hour (minute, second) is allowed by the time BY-parts and its day by the day
    BY-parts; it then holds the ``offsets`` (BYMINUTE/BYSECOND finer than the unit, BYSETPOS
    applied: every period has the same candidates). Days are visited one by one and only their
    allowed periods enumerated, so a rarely matching day or hour costs a check per day, not a
    step per second as in dateutil.

    Termination: the pattern of (day, slot) repeats after ``lcm(INTERVAL, slots per day ×
    period of the day filter)`` slots (the Gregorian 400-year cycle, 7 days for weekdays only);
    a search that passes one whole repetition without a match proves there are no more.
    """

    unit: int  # seconds in a slot
    per_day: int  # slots in a day
    k: int  # INTERVAL (capped), in slots
    q0: int  # the origin's slot number
    hours: frozenset[int]  # allowed; empty = all
    minutes: frozenset[int]  # allowed, for MINUTELY and SECONDLY; empty = all
    seconds: frozenset[int]  # allowed, for SECONDLY; empty = all
    offsets: tuple[timedelta, ...]
    day_ok: _DayFilter
    repeat: int  # slots after which (day, slot) repeats

    def _allowed(self, a: int) -> bool:
        u = self.unit
        h, rest = divmod(a * u, 3600)
        if self.hours and h not in self.hours:
            return False
        if u < 3600 and self.minutes and rest // 60 not in self.minutes:
            return False
        return not (u < 60 and self.seconds and rest % 60 not in self.seconds)

    def _day_slots(self, residue: int) -> Iterator[int]:
        """The allowed slots of a day that are ≡ ``residue`` modulo k, ascending."""
        k = self.k
        lattice = range(residue, self.per_day, k)
        hours = sorted(self.hours) or range(24)
        if self.unit == 3600:
            combos = len(hours)
        else:
            minutes = sorted(self.minutes) or range(60)
            combos = len(hours) * len(minutes)
            if self.unit == 1:
                combos *= len(self.seconds) or 60
        if len(lattice) <= combos:  # the cheaper of the two enumerations
            return (a for a in lattice if self._allowed(a))
        return (a for a in self._all_allowed() if (a - residue) % k == 0)

    def _all_allowed(self) -> Iterator[int]:
        hours = sorted(self.hours) or range(24)
        if self.unit == 3600:
            yield from hours
            return
        minutes = sorted(self.minutes) or range(60)
        for h in hours:
            for m in minutes:
                if self.unit == 60:
                    yield h * 60 + m
                else:
                    for s in sorted(self.seconds) or range(60):
                        yield h * 3600 + m * 60 + s

    def walls(self, anchor: datetime) -> Iterator[datetime]:
        n, k = self.per_day, self.k
        day = anchor.toordinal()
        clock = anchor.hour * 3600 + anchor.minute * 60 + anchor.second
        start = day * n + clock // self.unit
        if k >= n:
            yield from self._sparse(start)
            return
        idle, idle_limit = 0, self.repeat // n + 2
        while day <= _SPAN_DAYS and idle <= idle_limit:
            today = date.fromordinal(day)
            hit = False
            if self.day_ok(today):
                base = datetime.combine(today, time())
                for a in self._day_slots((self.q0 - day * n) % k):
                    if day * n + a >= start:
                        slot = base + _SECOND * (a * self.unit)
                        for offset in self.offsets:
                            yield slot + offset
                        hit = True
            idle = 0 if hit else idle + 1
            day += 1

    def _sparse(self, start: int) -> Iterator[datetime]:
        """A step of a day or more: at most one period a day, visited one by one."""
        n, k = self.per_day, self.k
        q = start + (self.q0 - start) % k
        idle, idle_limit = 0, self.repeat // k + 1
        while idle <= idle_limit:
            day, a = divmod(q, n)
            if day > _SPAN_DAYS:
                return
            today = date.fromordinal(day)
            if self._allowed(a) and self.day_ok(today):
                slot = datetime.combine(today, time()) + _SECOND * (a * self.unit)
                for offset in self.offsets:
                    yield slot + offset
                idle = 0
            else:
                idle += 1
            q += k


def _sub_daily(
    rank: int,
    step: int,
    origin: datetime,
    parts: dict[str, object],
    byday: tuple[tuple[int, int | None], ...],
    wkst: int,
) -> _SubDaily:
    """The arithmetic form of an HOURLY, MINUTELY or SECONDLY rule (no ``offsets``: no
    candidate in any period)."""

    def ints(name: str) -> tuple[int, ...]:
        value = parts[name]
        return tuple(value) if isinstance(value, tuple) else ()

    unit = _UNIT_SECONDS[rank]
    if rank == _HOURLY:
        offsets = sorted({m * 60 + s for m in ints("byminute") for s in ints("bysecond")})
    elif rank == _MINUTELY:
        offsets = sorted(set(ints("bysecond")))
    else:
        offsets = [0]
    setpos = ints("bysetpos")
    if setpos:  # every period holds the same candidates: the positions pick among them
        size = len(offsets)
        offsets = sorted({offsets[p - 1 if p > 0 else p] for p in setpos if abs(p) <= size})
    day_ok = _DayFilter(
        months=frozenset(ints("bymonth")),
        monthdays=frozenset(ints("bymonthday")),
        yeardays=frozenset(ints("byyearday")),
        weekdays=frozenset(wd for wd, _ in byday),
        weeks=ints("byweekno"),
        wkst=wkst,
    )
    per_day = 86400 // unit
    clock = origin.hour * 3600 + origin.minute * 60 + origin.second
    return _SubDaily(
        unit=unit,
        per_day=per_day,
        k=step,
        q0=origin.toordinal() * per_day + clock // unit,
        hours=frozenset(ints("byhour")),
        minutes=frozenset(ints("byminute")) if rank > _HOURLY else frozenset(),
        seconds=frozenset(ints("bysecond")) if rank == _SECONDLY else frozenset(),
        offsets=tuple(_SECOND * o for o in offsets),
        day_ok=day_ok,
        repeat=math.lcm(step, per_day * day_ok.period()),
    )


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
    if rank <= _MONTHLY and byday:
        top = 5 if rank == _MONTHLY or bymonth else 53  # weeks a period can hold
        if any(n is not None for _, n in byday) and any(n is None for _, n in byday):
            # dateutil intersects plain and ordinal days; RFC: a plain day is every such
            # weekday of the period, i.e. all its ordinals
            byday = tuple(
                sorted({(wd, k) for wd, n in byday for k in ((n,) if n else range(1, top + 1))})
            )
        # an ordinal no period reaches (53TU in a month) names no day; dateutil would index
        # past its tables (IndexError) on it
        byday = tuple((wd, n) for wd, n in byday if n is None or abs(n) <= top)
        if not byday:
            return _empty_plan(rule, rank, w)
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
    step = min(rule.interval, _STEP_CAP[rank])
    origin, head = _origin(rank, rule.wkst, w, step, parts)
    if origin is None:  # only a first period before year 1 is representable
        return replace(_empty_plan(rule, rank, w), empty=not head, head=head)
    sub_daily = None
    if rank >= _HOURLY and _simple_form(rank, parts) is None:
        sub_daily = _sub_daily(rank, step, origin, parts, byday, rule.wkst)
    return _Plan(
        rank=rank,
        interval=rule.interval,
        step=step,
        origin=origin,
        first=w,
        wkst=rule.wkst,
        parts=parts,
        empty=(sub_daily is not None and not sub_daily.offsets)
        or _never(rank, step, w, parts, byday),
        simple=_simple_form(rank, parts),
        sub_daily=sub_daily,
        head=head,
    )


def _origin(
    rank: int, wkst: int, w: datetime, step: int, parts: dict[str, object]
) -> tuple[datetime | None, tuple[datetime, ...]]:
    """The start of DTSTART's period, and ``()``.

    A week can start before 0001-01-01 (DTSTART on its first days, WKST not Monday): then the
    representable days of that first week are computed here (the "whole first week" is those
    days) and the periods start at the next one (None past year 9999).
    """
    if rank == _YEARLY:
        return datetime(w.year, 1, 1), ()
    if rank == _MONTHLY:
        return datetime(w.year, w.month, 1), ()
    if rank == _DAILY:
        return datetime.combine(w.date(), time()), ()
    if rank == _HOURLY:
        return w.replace(minute=0, second=0), ()
    if rank == _MINUTELY:
        return w.replace(second=0), ()
    if rank > _MINUTELY:
        return w, ()
    back = (w.weekday() - wkst) % 7
    week = w.toordinal() - back
    if week >= 1:
        return datetime.combine(date.fromordinal(week), time()), ()
    following = week + 7 * step
    days = _du.rrule(
        _du.WEEKLY,
        dtstart=datetime(1, 1, 1),
        until=datetime.combine(date.fromordinal(week + 6), time.max),
        wkst=wkst,
        cache=False,
        **parts,  # type: ignore[arg-type]
    )
    head = tuple(wall for wall in days if wall >= w)
    if following > _SPAN_DAYS:
        return None, head
    return datetime.combine(date.fromordinal(following), time()), head


def _empty_plan(rule: RecurrenceRule, rank: int, w: datetime) -> _Plan:
    return _Plan(
        rank=rank,
        interval=rule.interval,
        step=min(rule.interval, _STEP_CAP[rank]),
        origin=w,
        first=w,
        wkst=rule.wkst,
        parts={},
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
    if rank >= _DAILY and _off_lattice(rank, interval, w, parts, byday):
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
    weekdays = parts["byweekday"]
    if rank > _MONTHLY and byday:  # finer rules ignore an ordinal (lenient): plain days here
        weekdays = sorted({wd for wd, _ in byday})
    scan = _du.rrule(
        _DU_FREQ[check_rank],
        dtstart=datetime(9972, 1, 1),
        byweekday=weekdays,  # type: ignore[arg-type]
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


def _off_lattice(
    rank: int,
    interval: int,
    w: datetime,
    parts: dict[str, object],
    byday: tuple[tuple[int, int | None], ...],
) -> bool:
    """True when a fixed step of whole days never lands on a day the day BY-parts allow.

    The instances of a DAILY rule, or of an HOURLY/MINUTELY/SECONDLY rule whose step is a
    whole number of days, lie on the days DTSTART + k×D (HOURLY;INTERVAL=168 from a Monday
    meets only Mondays). The day filter repeats every 7 days (weekdays only) or 146097 days
    (the Gregorian 400-year cycle), so the days k < period / gcd(D, period) are all the days
    the rule can ever meet: checking them is a proof.
    """
    seconds = interval * (_UNIT_SECONDS[rank])
    if seconds % 86400 or parts["byweekno"]:
        return False
    day_ok = _DayFilter(
        months=frozenset(parts["bymonth"] or ()),  # type: ignore[call-overload]
        monthdays=frozenset(parts["bymonthday"] or ()),  # type: ignore[call-overload]
        yeardays=frozenset(parts["byyearday"] or ()),  # type: ignore[call-overload]
        weekdays=frozenset(wd for wd, _ in byday),
    )
    period = day_ok.period()
    if period == 1:
        return False
    step = seconds // 86400
    day = w.toordinal()
    for k in range(min(period // math.gcd(step, period), (_SPAN_DAYS - day) // step + 1)):
        if day_ok(date.fromordinal(day + k * step)):
            return False
    return True


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
            side, until_key = start.placed(until, "rrule.UNTIL")
            if side < 0:  # an UNTIL before year 1: no instance
                return
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
        try:
            key, floor = start.key_and_floor(wall)
        except OverflowError:  # an instant outside 0001..9999 UTC: none before year 1
            if wall.year > 5000:
                break
            continue
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
        instant = _moved(lower, timedelta(days=days)).replace(tzinfo=UTC)
        try:
            offset = instant.astimezone(zone).utcoffset()
        except OverflowError:  # its wall clock is past 9999 or before year 1
            offset = timedelta(hours=-24 if instant.year < 5000 else 24)
        assert offset is not None
        offsets.append(offset)
    return _moved(lower, min(offsets))


def _moved(value: datetime, delta: timedelta) -> datetime:
    """``value + delta``, held at the ends of representable time."""
    try:
        return value + delta
    except OverflowError:
        return datetime.max if delta > timedelta() else datetime.min


def fixed_step(rule: RecurrenceRule, dtstart: date) -> timedelta | None:
    """The wall-clock distance between consecutive instances of ``rule`` from ``dtstart`` (a
    date or a wall-clock datetime), when it is constant and DTSTART is one of them: HOURLY or
    DAILY without BY-parts, WEEKLY whose only BY-part is DTSTART's weekday, none with COUNT or
    UNTIL. OnCall's generated VEVENTs and most calendars' rotas are of these kinds, and
    stepping is much cheaper than expanding the rule (held equal by property tests)."""
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

    Instances exist between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, on a wall clock
    inside 0001..9999 too: the sequence ends there, and an RDATE, EXDATE or bound outside that
    range names no instance (a bound there leaves that side open, or the window empty).

    Cost: without COUNT, O(instances in the window) after an O(1) jump to the window's period;
    with COUNT, O(instances from DTSTART to the window's end), unless COUNT exceeds the seconds
    in that span (then it cannot end the rule there and the jump is made).

    Raises:
        RecurrenceError: a bad rule, values of a type that cannot be compared, or an aware
            ``dtstart`` that is not the first pass of its wall time (``fold=1`` or a pytz
            offset on a repeated or skipped time: the rule runs on the wall clock, which
            reads that time as its first pass).
        ValidationError: ``end`` before ``start``.
    """
    parsed = rule if isinstance(rule, RecurrenceRule) else RecurrenceRule.parse(rule)
    first = _Start.of(dtstart)
    plan = _plan(parsed, first)
    lo_side, lo = (-1, None) if start is None else first.placed(start, "start")
    hi_side, hi = (1, None) if end is None else first.placed(end, "end")
    if (lo_side, lo or datetime.min) > (hi_side, hi or datetime.min):
        raise ValidationError("end", end, f"must not be before start ({start!r})")
    if lo_side > 0 or hi_side < 0:  # a window outside representable time
        return iter(())
    ex_keys: set[datetime] = set()
    ex_days: set[date] = set()
    for value in exdates:
        if first.kind != "date" and not isinstance(value, datetime) and isinstance(value, date):
            ex_days.add(value)  # a DATE EXDATE on a DATE-TIME start removes that local day
        elif (key := first.placed(value, "exdate")[1]) is not None:
            ex_keys.add(key.replace(microsecond=0))
    extra = _rdate_keys(first, rdates)
    if dtstart_always and (key := first.placed(first.wall, "dtstart")[1]) is not None:
        extra.add(key)
    count = parsed.count
    if count is not None and count > _seconds_between(first.wall, hi):
        count = None  # more than one instance a second: COUNT cannot end the rule in time
    if (
        lo is not None
        and hi is not None
        and count is None
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
        count=count,
        until=parsed.until,
        # with COUNT every earlier instance counts, so walk from DTSTART
        lower=None if lo is None or count is not None else _jump_wall(first, lo),
        stop=hi,
    )
    return _merged(first, keys, sorted(extra), lo, hi, end_inclusive, ex_keys, ex_days)


def _rdate_keys(first: _Start, rdates: Iterable[datetime | date]) -> set[datetime]:
    """Keys of the RDATEs that are representable instances (in UTC and on the wall clock)."""
    extra: set[datetime] = set()
    for value in rdates:
        if first.kind != "date" and not isinstance(value, datetime) and isinstance(value, date):
            value = datetime.combine(value, first.wall.time())  # at DTSTART's time of day
            if first.zone is not None:
                value = localize(value, first.zone)
        key = first.placed(value, "rdate")[1]
        if key is None:
            continue
        try:
            first.output(key)
        except OverflowError:  # 9999-12-31T23:00Z has no wall clock in UTC+14
            continue
        extra.add(key.replace(microsecond=0))
    return extra


def _seconds_between(wall: datetime, hi: datetime | None) -> int:
    """More than the seconds from the wall-clock ``wall`` to the key ``hi`` (or year 9999):
    an upper bound of the instances in between, with two days for any UTC offset."""
    end = datetime.max if hi is None else hi
    return (end - wall) // _SECOND + 2 * 86400


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
        try:
            key = first.key(wall)
        except OverflowError:  # an instant outside 0001..9999 UTC: none before year 1
            if wall.year > 5000:
                return
            continue
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
