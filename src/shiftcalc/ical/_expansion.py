"""What both profiles' expansions share: occurrences, the occurrence cap, bounded dates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from .._recurrence import RecurrenceRule, fixed_step, occurrences
from ._parse import PropertyError
from ._read import Event, When

MAX_OCCURRENCES = 100_000
"""The default cap on the instances one VEVENT's RRULE may generate for one query.

A year of a rule every 6 minutes is 87,600: any real rota fits, while ``FREQ=SECONDLY`` over
a month (2.6 million) is refused before it costs minutes and gigabytes.
"""
_T = TypeVar("_T")
_ONE_DAY = timedelta(days=1)
_D = TypeVar("_D", date, datetime)


class Occurrence(NamedTuple):
    # a tuple, not a dataclass: a calendar makes hundreds of thousands of them per query
    event: Event
    start: datetime  # aware (oncall: fixed offset) or, for all-day, midnight UTC
    end: datetime
    all_day: bool
    day: date  # the calendar date recurring-ical-events compares modified instances by


Span = tuple[datetime, datetime]
"""An occurrence's (start, end), UTC instants."""
Run = tuple[Event, list[Span], bool]
"""An event's occurrences in order, as UTC spans, and whether it is all-day: what the records
are made from. Events of one timing share one list (:func:`timing`), never changed once made."""
Timing = tuple[object, ...]


def timing(event: Event) -> Timing:
    """What an expansion reads of a VEVENT (its error messages aside, which name it): events
    of equal timing have equal occurrences, so a calendar of many people on the same days is
    expanded once per timing, not once per VEVENT."""
    return (
        event.start,
        event.end,
        event.duration,
        event.duration_days,
        event.rule,
        event.exdates,
        event.rdates,
        event.rdate_days,
    )


def as_date(when: When) -> date:
    return when.value.date() if isinstance(when.value, datetime) else when.value


@lru_cache(maxsize=4096)  # all-day events of a calendar share their days
def local_date(instant: datetime, zone: tzinfo) -> date:
    """The date of ``instant`` in ``zone`` (the UTC date at the ends of the range)."""
    try:
        return instant.astimezone(zone).date()
    except OverflowError:
        return instant.date()


@lru_cache(maxsize=4096)  # all-day events of a calendar share their days
def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _capped(values: Iterable[_T], event: Event, limit: int) -> Iterator[_T]:
    """``values`` (the instances of ``event``'s rule), refused past ``limit`` of them.

    Counted as they come, so that memory stays bounded by the limit however many there are.
    """
    for count, value in enumerate(values, 1):
        if count > limit:
            raise _too_many(event, limit)
        yield value


def _too_many(event: Event, limit: int) -> PropertyError:
    rule = "" if event.rule is None else event.rule.to_ical()
    reason = f"more than {limit} occurrences in one query (max_occurrences={limit})"
    return PropertyError("RRULE", rule, reason, limit=True)


def _stepped(
    event: Event,
    rule: RecurrenceRule,
    first: _D,
    bounds: tuple[_D, _D],
    limit: int,
    end_inclusive: bool,
) -> list[_D] | None:
    """The instances of a rule of fixed step (:func:`fixed_step`: a weekly, daily or hourly
    rota) in ``bounds``, by arithmetic, refused past ``limit`` of them; None for any other
    rule. ``first`` is a date (a step of whole days), a floating wall time or a UTC instant:
    values whose steps are plain sums, with no zone to place them in.

    The steady fast path of :func:`rule_instances`: a year of a weekly rule was five
    generator layers per instance (the rule's keys, the merge with RDATEs, the cap). Equal to
    the expansion by a property test (tests/test_big_calendar.py).
    """
    step = fixed_step(rule, first)
    if step is None or (type(first) is date and step < _ONE_DAY):
        return None
    start, end = bounds
    skip = max(0, -((first - start) // step))  # the first step at or after start
    stop, rest = divmod(end - first, step)  # the steps up to end (exclusive unless end_inclusive)
    count = 0 if end < first else stop + 1 - skip
    if count > 0 and not end_inclusive and not rest:
        count -= 1  # the last step falls on end itself
    count = max(count, 0)
    if count > limit:
        raise _too_many(event, limit)
    if count == 0:
        return []
    value = first + step * skip
    values = [value]
    for _ in range(count - 1):
        value += step
        values.append(value)
    return values


def _tz(value: date) -> tzinfo | None:
    return value.tzinfo if isinstance(value, datetime) else None


def rule_instances(
    event: Event,
    rule: RecurrenceRule,
    dtstart: _D,
    start: _D,
    end: _D,
    limit: int,
    **options: Any,
) -> Iterator[datetime | date]:
    """The instances of ``rule`` in ``[start, end)``, refused past ``limit`` of them.

    With COUNT the rule is walked from DTSTART (every earlier instance uses up the count), so
    the instances before ``start`` count against the limit too: the cost is the walk's.
    """
    if end < start:  # an UNTIL before the window: occurrences() refuses a window backwards
        return iter(())
    if (
        (type(dtstart) is date or (type(dtstart) is datetime and dtstart.tzinfo in (None, UTC)))
        and type(start) is type(dtstart)
        and type(end) is type(dtstart)
        and getattr(start, "tzinfo", None) is getattr(end, "tzinfo", None) is _tz(dtstart)
        and not options.get("exdates")
        and not options.get("rdates")
        and (
            values := _stepped(
                event,
                rule,
                dtstart,
                (start, end),
                limit,
                bool(options.get("end_inclusive")),
            )
        )
        is not None
    ):
        return iter(values)
    if rule.count is None:
        found = occurrences(rule, dtstart, start=start, end=end, **options)
        return _capped(found, event, limit)
    walked = _capped(occurrences(rule, dtstart, end=end, **options), event, limit)
    return (value for value in walked if not value < start)
