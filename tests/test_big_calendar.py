"""A big calendar (thousands of weekly all-day VEVENTs over a year) is honest work: its fast
paths give the careful paths' answers, and it resolves in both profiles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import Schedule, Window, resolve
from shiftcalc._recurrence import RecurrenceRule
from shiftcalc.ical._expansion import rule_instances
from shiftcalc.ical._parse import PropertyError

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAR = st.sampled_from([date(1, 1, 1), date(1, 1, 9), date(2024, 2, 28), date(9999, 12, 20)])


@st.composite
def day_rules(draw: st.DrawFn) -> tuple[RecurrenceRule, date]:
    first = draw(FAR) + timedelta(days=draw(st.integers(0, 10)))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY"]))
    byday: Any = ()
    if freq == "WEEKLY" and draw(st.booleans()):
        byday = ((first.weekday(), None),)
    return RecurrenceRule(freq=freq, interval=draw(st.integers(1, 9)), byday=byday), first


def _days(rule: RecurrenceRule, first: date, bounds: tuple[date, date], **options: Any) -> Any:
    event: Any = SimpleNamespace(rule=rule)
    limit = options.pop("limit")
    try:
        return list(rule_instances(event, rule, first, *bounds, limit, **options))
    except PropertyError as error:
        return error.prop, error.value, error.reason


@FAST
@given(
    day_rules(),
    st.integers(-40, 40),
    st.integers(0, 120),
    st.booleans(),
    st.booleans(),
    st.sampled_from([3, 100_000]),
)
def test_stepped_days_are_the_rules_days(
    case: tuple[RecurrenceRule, date],
    low_offset: int,
    days: int,
    end_inclusive: bool,
    dtstart_always: bool,
    limit: int,
) -> None:
    """The fast path of an all-day rota (arithmetic on the days) equals expanding the rule,
    at the ends of the calendar too, and refuses past the limit with the same error."""
    rule, first = case
    try:
        low = first + timedelta(days=low_offset)
    except OverflowError:
        low = date.min if low_offset < 0 else date.max
    try:
        high = low + timedelta(days=days)
    except OverflowError:
        high = date.max
    options = {"end_inclusive": end_inclusive, "dtstart_always": dtstart_always, "limit": limit}
    fast = _days(rule, first, (low, high), **options)
    with patch("shiftcalc.ical._expansion.fixed_step", return_value=None):
        assert _days(rule, first, (low, high), **options) == fast


@st.composite
def instant_rules(draw: st.DrawFn) -> tuple[RecurrenceRule, datetime]:
    day = draw(FAR) + timedelta(days=draw(st.integers(0, 10)))
    first = datetime.combine(day, datetime.min.time()) + timedelta(
        hours=draw(st.integers(0, 23)), minutes=draw(st.sampled_from([0, 30]))
    )
    if draw(st.booleans()):
        first = first.replace(tzinfo=UTC)
    freq = draw(st.sampled_from(["HOURLY", "DAILY", "WEEKLY"]))
    byday: Any = ()
    if freq == "WEEKLY" and draw(st.booleans()):
        byday = ((first.weekday(), None),)
    return RecurrenceRule(freq=freq, interval=draw(st.integers(1, 9)), byday=byday), first


@FAST
@given(
    instant_rules(),
    st.integers(-24 * 40, 24 * 40),
    st.integers(0, 24 * 60),
    st.booleans(),
    st.booleans(),
    st.sampled_from([3, 100_000]),
)
def test_stepped_instants_are_the_rules_instances(
    case: tuple[RecurrenceRule, datetime],
    low_offset: int,
    hours: int,
    end_inclusive: bool,
    dtstart_always: bool,
    limit: int,
) -> None:
    """The fast path of a timed rota in UTC or floating time (arithmetic on the instants)
    equals expanding the rule, at the ends of the calendar too, and refuses past the limit
    with the same error."""
    rule, first = case
    far = datetime.min if low_offset < 0 else datetime.max
    try:
        low = first + timedelta(hours=low_offset)
    except OverflowError:
        low = far.replace(tzinfo=first.tzinfo)
    try:
        high = low + timedelta(hours=hours)
    except OverflowError:
        high = datetime.max.replace(tzinfo=first.tzinfo)
    options = {"end_inclusive": end_inclusive, "dtstart_always": dtstart_always, "limit": limit}
    fast = _days(rule, first, (low, high), **options)
    with patch("shiftcalc.ical._expansion.fixed_step", return_value=None):
        assert _days(rule, first, (low, high), **options) == fast


def big_calendar(events: int) -> str:
    """``events`` weekly all-day VEVENTs from 2024 (one a day of the week in turn), fifty
    people: the shape of a team's exported rota of day duties (the calendar of
    benchmarks/test_bench_big_calendar.py)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shiftcalc//big calendar//EN"]
    first = date(2024, 1, 1)
    for i in range(events):
        day = first + timedelta(days=i % 7)
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{i}@example.com",
            "DTSTAMP:20240101T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            "RRULE:FREQ=WEEKLY",
            f"SUMMARY:user{i % 50}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


YEAR = Window(start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC))


def test_a_big_calendar_resolves_in_both_profiles() -> None:
    schedule = Schedule(type="ical", time_zone="Europe/Berlin", ical_primary=big_calendar(70))
    with hang_guard(120):
        strict = resolve(schedule, YEAR, profile="strict")
        oncall = resolve(schedule, YEAR, profile="oncall")
    # ten events a day, fifty people: everyone's days merge into one row each in strict
    assert {row.user for row in strict.shifts} == {f"user{i}" for i in range(50)}
    assert not strict.gaps
    # oncall: a row per occurrence (a day, 00:00:00Z to 23:59:59Z) and user
    assert len(oncall.shifts) == 365 * 10
    assert all(row.end - row.start == timedelta(days=1, seconds=-1) for row in oncall.shifts)


LINE_CHARS = st.sampled_from([*'AZaz09-;=:,"\\^ /._+\u00e9', "TZID", "VALUE=DATE", "DTSTART"])


@FAST
@given(
    st.one_of(
        st.lists(LINE_CHARS, max_size=14).map("".join),
        st.tuples(
            st.sampled_from(["DTSTART", "dtend", "X-A-B", "SUMMARY", "RRULE", "A1"]),
            st.lists(
                st.tuples(
                    st.sampled_from(["TZID", "value", "X-P", "CN"]),
                    st.sampled_from(
                        ["", "DATE", "Europe/Berlin", "a.b+c_d", "x-y", "a b", " a", "a ", "q,r"]
                    ),
                ),
                max_size=3,
            ),
            st.sampled_from(["", "20240101", "FREQ=WEEKLY;BYDAY=MO", "x:y", "a\\,b", "é ü ", " "]),
        ).map(lambda t: t[0] + "".join(f";{k}={v}" for k, v in t[1]) + ":" + t[2]),
    )
)
def test_plain_content_lines_part_as_icalendar_parts_them(line: str) -> None:
    """The fast path of the content-line reader gives what icalendar's parser gives."""
    from shiftcalc._errors import CalendarError
    from shiftcalc.ical import _parse

    def read() -> Any:
        try:
            prop = _parse._prop(7, line)
        except CalendarError as error:
            return str(error)
        return prop.name, prop.params, prop.value, prop.line

    fast = read()
    with patch.object(_parse, "_PLAIN", _parse.re.compile(r"(?!)")):
        assert read() == fast
