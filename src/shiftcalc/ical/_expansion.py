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


def as_date(when: When) -> date:
    return when.value.date() if isinstance(when.value, datetime) else when.value


@lru_cache(maxsize=4096)  # all-day events of a calendar share their days
def shifted(value: _D, by: timedelta) -> _D:
    """``value + by``, held at the first or last representable value (years 1 and 9999): a
    search bound past the calendar's range searches the whole range on that side."""
    try:
        return value + by
    except OverflowError:
        far = datetime.min if by < timedelta(0) else datetime.max
        if isinstance(value, datetime):
            return far.replace(tzinfo=value.tzinfo)
        return far.date()


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


def _stepped_days(
    event: Event,
    rule: RecurrenceRule,
    first: date,
    bounds: tuple[date, date],
    limit: int,
    end_inclusive: bool,
) -> list[date] | None:
    """The days of an all-day rule of fixed step (:func:`fixed_step`: a weekly or daily rota)
    in ``bounds``, by arithmetic, refused past ``limit`` of them; None for any other rule.

    The steady fast path of :func:`rule_instances`: a year of a weekly rule was five
    generator layers per day (the rule's keys, the merge with RDATEs, the cap). Equal to the
    expansion by a property test (tests/test_big_calendar.py).
    """
    step = fixed_step(rule, first)
    if step is None or step < _ONE_DAY:
        return None
    start, end = bounds
    step_days = step.days
    skip = max(0, -((first - start).days // step_days))  # the first step at or after start
    stop = (end - first).days  # the days up to end (exclusive unless end_inclusive)
    count = 0 if stop < 0 else (stop // step_days) + 1 - skip
    if count > 0 and not end_inclusive and (stop % step_days == 0):
        count -= 1  # the last step falls on end itself
    count = max(count, 0)
    if count > limit:
        raise _too_many(event, limit)
    if count == 0:
        return []
    day = first + step * skip
    days = [day]
    for _ in range(count - 1):
        day += step
        days.append(day)
    return days


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
        type(dtstart) is date
        and not options.get("exdates")
        and not options.get("rdates")
        and (
            days := _stepped_days(
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
        return iter(days)
    if rule.count is None:
        found = occurrences(rule, dtstart, start=start, end=end, **options)
        return _capped(found, event, limit)
    walked = _capped(occurrences(rule, dtstart, end=end, **options), event, limit)
    return (value for value in walked if not value < start)
