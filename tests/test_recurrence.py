"""Tests of ``shiftcalc._recurrence``: the wrappers around dateutil, parsing, properties."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytz
from dateutil import rrule as du_rrule
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shiftcalc._errors import RecurrenceError, ShiftcalcError
from shiftcalc._recurrence import (
    RecurrenceRule,
    format_instance,
    occurrences,
    parse_instance,
)

NY = ZoneInfo("America/New_York")


def _fmt(values: object) -> list[str]:
    return [format_instance(v) for v in values]  # type: ignore[attr-defined]


# ------------------------------------------------------------------ the wrappers of dateutil


def test_trailing_semicolon_is_accepted() -> None:
    """A trailing ``;`` (Google Calendar) parses like the rule without it."""
    actual = _fmt(occurrences("RRULE:FREQ=DAILY;COUNT=2;", datetime(2025, 1, 1, 9)))
    assert actual == ["2025-01-01T09:00:00", "2025-01-02T09:00:00"]


def test_byday_mixing_ordinal_and_plain_days() -> None:
    """``BYDAY=3MO,FR`` is the third Monday and every Friday (dateutil returns nothing)."""
    actual = _fmt(occurrences("FREQ=MONTHLY;COUNT=6;BYDAY=3MO,FR", datetime(2025, 1, 1, 9)))
    assert actual == [
        "2025-01-03T09:00:00",
        "2025-01-10T09:00:00",
        "2025-01-17T09:00:00",
        "2025-01-20T09:00:00",
        "2025-01-24T09:00:00",
        "2025-01-31T09:00:00",
    ]


def test_weekly_bysetpos_applies_to_the_whole_first_week() -> None:
    """BYSETPOS=1 picks Mon 6 Jan in DTSTART's week, which is dropped as before DTSTART.

    dateutil (issue 1398) builds the first week from DTSTART only and yields Wed 8 Jan.
    """
    rule = "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1;COUNT=3"
    actual = _fmt(occurrences(rule, datetime(2025, 1, 8, 9)))
    assert actual == ["2025-01-13T09:00:00", "2025-01-20T09:00:00", "2025-01-27T09:00:00"]


def test_floating_start_with_utc_until() -> None:
    """A UTC UNTIL on a floating start is read on the wall clock, inclusive (libical)."""
    rule = "FREQ=DAILY;UNTIL=20250103T090000Z"
    actual = _fmt(occurrences(rule, datetime(2025, 1, 1, 9)))
    assert actual == ["2025-01-01T09:00:00", "2025-01-02T09:00:00", "2025-01-03T09:00:00"]


def test_date_until_on_datetime_start_covers_its_day() -> None:
    """``UNTIL=20250103`` on a 09:00 start keeps 3 January 09:00."""
    actual = _fmt(occurrences("FREQ=DAILY;UNTIL=20250103", datetime(2025, 1, 1, 9, tzinfo=NY)))
    assert actual == [
        "2025-01-01T09:00:00-05:00",
        "2025-01-02T09:00:00-05:00",
        "2025-01-03T09:00:00-05:00",
    ]


def test_time_byparts_are_ignored_on_a_date_start() -> None:
    """RFC 5545: BYHOUR etc. MUST be ignored for a DATE DTSTART (one instance a day)."""
    actual = _fmt(occurrences("FREQ=DAILY;BYHOUR=9,17;COUNT=3", date(2025, 1, 1)))
    assert actual == ["2025-01-01", "2025-01-02", "2025-01-03"]


def test_nonexistent_local_time_takes_the_offset_before_the_gap() -> None:
    """02:30 on 9 March 2025 does not exist in New York: it is 03:30 EDT."""
    actual = _fmt(occurrences("FREQ=DAILY;COUNT=3", datetime(2025, 3, 8, 2, 30, tzinfo=NY)))
    assert actual == [
        "2025-03-08T02:30:00-05:00",
        "2025-03-09T03:30:00-04:00",
        "2025-03-10T02:30:00-04:00",
    ]


def test_hourly_steps_on_the_wall_clock_across_spring_forward() -> None:
    """02:00 is 03:00 EDT, the same instant as the 03:00 step: it appears once."""
    actual = _fmt(occurrences("FREQ=HOURLY;COUNT=4", datetime(2025, 3, 9, 0, tzinfo=NY)))
    assert actual == [
        "2025-03-09T00:00:00-05:00",
        "2025-03-09T01:00:00-05:00",
        "2025-03-09T03:00:00-04:00",
        "2025-03-09T04:00:00-04:00",
    ]


def test_hourly_steps_on_the_wall_clock_across_fall_back() -> None:
    """The repeated 01:00 takes its first (EDT) instance; 01:00 EST is not a step."""
    actual = _fmt(occurrences("FREQ=HOURLY;COUNT=4", datetime(2025, 11, 2, 0, tzinfo=NY)))
    assert actual == [
        "2025-11-02T00:00:00-04:00",
        "2025-11-02T01:00:00-04:00",
        "2025-11-02T02:00:00-05:00",
        "2025-11-02T03:00:00-05:00",
    ]


def test_dtstart_that_does_not_match_is_not_an_instance() -> None:
    """Wed 1 Jan does not match BYDAY=MO; COUNT counts from the first Monday."""
    actual = _fmt(occurrences("FREQ=WEEKLY;BYDAY=MO;COUNT=2", date(2025, 1, 1)))
    assert actual == ["2025-01-06", "2025-01-13"]


def test_dtstart_always_adds_dtstart_without_using_count() -> None:
    """recurring-ical-events' convention: DTSTART plus COUNT instances."""
    found = occurrences("FREQ=WEEKLY;BYDAY=MO;COUNT=2", date(2025, 1, 1), dtstart_always=True)
    assert _fmt(found) == ["2025-01-01", "2025-01-06", "2025-01-13"]


def test_exdate_in_utc_removes_the_zoned_instance() -> None:
    """EXDATE 14:00Z is 09:00 EST: compared as instants."""
    found = occurrences(
        "FREQ=DAILY;COUNT=3",
        datetime(2025, 1, 1, 9, tzinfo=NY),
        exdates=[datetime(2025, 1, 2, 14, tzinfo=UTC)],
    )
    assert _fmt(found) == ["2025-01-01T09:00:00-05:00", "2025-01-03T09:00:00-05:00"]


def test_datetime_exdate_on_a_date_start_matches_by_date() -> None:
    """exdate-type-mismatch: a DATE-TIME EXDATE removes the DATE instance of its day."""
    found = occurrences(
        "FREQ=DAILY;COUNT=3", date(2025, 1, 1), exdates=[datetime(2025, 1, 2, 9, 0)]
    )
    assert _fmt(found) == ["2025-01-01", "2025-01-03"]


def test_rdates_are_merged_sorted_and_unique() -> None:
    """RDATEs join the set in order; one equal to an instance appears once."""
    found = occurrences(
        "FREQ=WEEKLY;COUNT=2",
        datetime(2025, 1, 6, 9),
        rdates=[datetime(2025, 1, 13, 9), datetime(2025, 1, 8, 12), datetime(2024, 12, 31, 9)],
    )
    assert _fmt(found) == [
        "2024-12-31T09:00:00",
        "2025-01-06T09:00:00",
        "2025-01-08T12:00:00",
        "2025-01-13T09:00:00",
    ]


def test_yearly_byweekno_without_byday_takes_dtstart_weekday() -> None:
    """BYWEEKNO names a week as BYMONTH names a month: the day comes from DTSTART (Wed)."""
    found = occurrences("FREQ=YEARLY;BYWEEKNO=20;COUNT=2", date(1997, 5, 14))
    assert _fmt(found) == ["1997-05-14", "1998-05-13"]


def test_yearly_bymonthday_without_bymonth_is_every_month() -> None:
    """BYMONTHDAY expands the year: the 15th of every month."""
    found = occurrences("FREQ=YEARLY;BYMONTHDAY=15;COUNT=3", date(2025, 1, 15))
    assert _fmt(found) == ["2025-01-15", "2025-02-15", "2025-03-15"]


def test_byweekno_with_interval_counts_calendar_years() -> None:
    """INTERVAL=2 from a 2019 start keeps the calendar years 2019, 2021, 2023 (libical and
    dateutil): Mon 30 Dec 2019 (week 1 of 2020) lies in calendar year 2019, so it is an
    instance; Mon 30 Dec 2024 (week 1 of 2025) lies in 2024, not a kept year."""
    found = occurrences("FREQ=YEARLY;INTERVAL=2;BYWEEKNO=1;BYDAY=MO;COUNT=3", date(2019, 6, 3))
    assert _fmt(found) == ["2019-12-30", "2021-01-04", "2023-01-02"]


def test_pytz_start_gives_zoneinfo_output() -> None:
    """A pytz DTSTART is read by its zone name; outputs are zoneinfo."""
    start = pytz.timezone("America/New_York").localize(datetime(2025, 3, 8, 9))
    found = list(occurrences("FREQ=DAILY;COUNT=2", start))
    assert _fmt(found) == ["2025-03-08T09:00:00-05:00", "2025-03-09T09:00:00-04:00"]
    assert found[0].tzinfo == NY  # type: ignore[union-attr]


def test_window_far_from_dtstart() -> None:
    """A window ten years after DTSTART, over the spring-forward day; end exclusive."""
    found = occurrences(
        "FREQ=DAILY",
        datetime(2015, 1, 1, 9, tzinfo=NY),
        start=datetime(2025, 3, 8, 9, tzinfo=NY),
        end=datetime(2025, 3, 10, 9, tzinfo=NY),
    )
    assert _fmt(found) == ["2025-03-08T09:00:00-05:00", "2025-03-09T09:00:00-04:00"]


def test_window_end_inclusive() -> None:
    """``end_inclusive`` keeps an instance equal to ``end``."""
    found = occurrences(
        "FREQ=DAILY",
        date(2015, 1, 1),
        start=date(2025, 3, 8),
        end=date(2025, 3, 9),
        end_inclusive=True,
    )
    assert _fmt(found) == ["2025-03-08", "2025-03-09"]


def test_impossible_rule_is_empty() -> None:
    """30 February never happens: nothing, and no walk to year 9999."""
    assert list(occurrences("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(2025, 1, 1))) == []


def test_date_start_with_subdaily_freq_is_rejected() -> None:
    """An all-day start cannot step by hours."""
    with pytest.raises(RecurrenceError) as info:
        occurrences("FREQ=HOURLY", date(2025, 1, 1))
    assert info.value.field == "rrule.FREQ"


# ------------------------------------------------------------------ parsing and formatting


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("FREQ=DAILY;BYMONTH=13", "rrule.BYMONTH", 13),
        ("FREQ=DAILY;BYMONTH=0", "rrule.BYMONTH", 0),
        ("FREQ=MONTHLY;BYMONTHDAY=-32", "rrule.BYMONTHDAY", -32),
        ("FREQ=YEARLY;BYYEARDAY=367", "rrule.BYYEARDAY", 367),
        ("FREQ=YEARLY;BYWEEKNO=54", "rrule.BYWEEKNO", 54),
        ("FREQ=DAILY;BYHOUR=24", "rrule.BYHOUR", 24),
        ("FREQ=DAILY;BYMINUTE=60", "rrule.BYMINUTE", 60),
        ("FREQ=DAILY;BYSECOND=61", "rrule.BYSECOND", 61),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "rrule.BYSETPOS", 0),
        ("FREQ=DAILY;BYSETPOS=1", "rrule.BYSETPOS", 1),
        ("FREQ=DAILY;COUNT=2;UNTIL=20250101", "rrule.COUNT", 2),
        ("FREQ=DAILY;INTERVAL=0", "rrule.INTERVAL", 0),
        ("FREQ=DAILY;COUNT=x", "rrule.COUNT", "X"),
        ("FREQ=FORTNIGHTLY", "rrule.FREQ", "FORTNIGHTLY"),
        ("COUNT=3", "rrule.FREQ", None),
        ("FREQ=DAILY;WKST=XX", "rrule.WKST", "XX"),
        ("FREQ=WEEKLY;BYDAY=1MO", "rrule.BYDAY", 1),
        ("FREQ=MONTHLY;BYDAY=0MO", "rrule.BYDAY", "0MO"),
        ("FREQ=MONTHLY;BYDAY=MON", "rrule.BYDAY", "MON"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "rrule.BYDAY", 1),
        ("FREQ=MONTHLY;BYWEEKNO=1", "rrule.BYWEEKNO", 1),
        ("FREQ=MONTHLY;BYYEARDAY=1", "rrule.BYYEARDAY", 1),
        ("FREQ=DAILY;UNTIL=20250230", "rrule.UNTIL", "20250230"),
        ("FREQ=DAILY;UNTIL=2025-01-01", "rrule.UNTIL", "2025-01-01"),
        ("FREQ=DAILY;FREQ=WEEKLY", "rrule.FREQ", "WEEKLY"),
        ("FREQ=DAILY;X-FOO=1", "rrule.X-FOO", "1"),
        ("FREQ=DAILY;;COUNT=1", "rrule", "FREQ=DAILY;;COUNT=1"),
    ],
)
def test_parse_errors_name_field_and_value(text: str, field: str, value: object) -> None:
    """Each invalid part raises a RecurrenceError (a ValueError) naming field and value."""
    with pytest.raises(RecurrenceError) as info:
        RecurrenceRule.parse(text)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ShiftcalcError)
    assert (info.value.field, info.value.value) == (field, value)


def test_weekly_bymonthday_is_a_filter() -> None:
    """FREQ=WEEKLY with BYMONTHDAY (RFC 5545: MUST NOT) filters the week's days, as dateutil
    does; without BYDAY every day of the week is a candidate, so this is every 1st."""
    start = datetime(2024, 1, 1, 9)  # a Monday
    found = list(occurrences("FREQ=WEEKLY;BYMONTHDAY=1;COUNT=3", start))
    assert found == [datetime(2024, 1, 1, 9), datetime(2024, 2, 1, 9), datetime(2024, 3, 1, 9)]
    mondays = list(occurrences("FREQ=WEEKLY;BYDAY=MO;BYMONTHDAY=1;COUNT=3", start))
    assert mondays == [datetime(2024, 1, 1, 9), datetime(2024, 4, 1, 9), datetime(2024, 7, 1, 9)]


def test_parse_any_order_and_case() -> None:
    """Names and values are case-insensitive, parts in any order, prefix optional."""
    rule = RecurrenceRule.parse("rrule:byday=-1su,2mo;wkst=su;interval=2;freq=monthly")
    assert rule == RecurrenceRule(freq="MONTHLY", interval=2, wkst=6, byday=((6, -1), (0, 2)))


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;COUNT=10",
        "FREQ=DAILY;UNTIL=19971224T000000Z",
        "FREQ=WEEKLY;UNTIL=19971007;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        "FREQ=YEARLY;UNTIL=20000131T090000;BYMONTH=1;BYDAY=SU,MO",
        "FREQ=YEARLY;COUNT=10;INTERVAL=3;BYYEARDAY=1,100,-200",
        "FREQ=MINUTELY;BYHOUR=9,16;BYMINUTE=0,20;BYSECOND=0,60",
    ],
)
def test_to_ical_is_canonical(text: str) -> None:
    """``to_ical`` writes the canonical order, which parses back to the same rule."""
    rule = RecurrenceRule.parse(text)
    assert rule.to_ical() == text
    assert RecurrenceRule.parse(rule.to_ical()) == rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-09", date(2025, 3, 9)),
        ("20250309", date(2025, 3, 9)),
        ("2025-03-09T02:30:00", datetime(2025, 3, 9, 2, 30, tzinfo=NY)),
        ("20250309T023000", datetime(2025, 3, 9, 2, 30, tzinfo=NY)),
        ("2025-03-09T07:30:00Z", datetime(2025, 3, 9, 7, 30, tzinfo=UTC)),
        ("20250309T073000Z", datetime(2025, 3, 9, 7, 30, tzinfo=UTC)),
    ],
)
def test_parse_instance_forms(text: str, expected: object) -> None:
    """The CLI/vector forms and the iCal basic forms."""
    assert parse_instance(text, NY) == expected


def test_parse_instance_floating_and_errors() -> None:
    """No zone gives a floating value; bad text raises a RecurrenceError."""
    assert parse_instance("2025-03-09T02:30:00", None) == datetime(2025, 3, 9, 2, 30)
    for bad in ("2025-02-30", "2025-3-9", "tomorrow", "2025-03-09T25:00:00"):
        with pytest.raises(RecurrenceError):
            parse_instance(bad, None)


def test_format_instance_forms() -> None:
    """Zoned: local with offset (normalised out of a DST gap); UTC: Z; floating; date."""
    gap = datetime(2025, 3, 9, 2, 30, tzinfo=NY)
    assert format_instance(gap.astimezone(UTC).astimezone(NY)) == "2025-03-09T03:30:00-04:00"
    assert format_instance(datetime(2025, 1, 1, 9, tzinfo=UTC)) == "2025-01-01T09:00:00Z"
    assert format_instance(datetime(2025, 1, 1, 9, 0, 0, 500)) == "2025-01-01T09:00:00"
    assert format_instance(date(2025, 1, 1)) == "2025-01-01"


# ------------------------------------------------------------------ properties

ZONES = [ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), ZoneInfo("Australia/Lord_Howe")]
ZONES.append(ZoneInfo("UTC"))
# Wall times near DST changes of those zones, and plain ones.
BASES = [
    datetime(2021, 3, 14, 1, 30),
    datetime(2021, 11, 7, 0, 45),
    datetime(2021, 3, 28, 0, 30),
    datetime(2021, 10, 31, 0, 59),
    datetime(2021, 4, 4, 1, 15),
    datetime(2021, 10, 3, 1, 50),
    datetime(2019, 12, 29, 9, 0),
    datetime(2020, 2, 28, 17, 0),
]
PERIOD = {  # rough length of one period, in seconds
    "YEARLY": 365 * 86400,
    "MONTHLY": 30 * 86400,
    "WEEKLY": 7 * 86400,
    "DAILY": 86400,
    "HOURLY": 3600,
    "MINUTELY": 60,
    "SECONDLY": 1,
}
RANK = list(PERIOD)


def _ints(low: int, high: int, signed: bool) -> st.SearchStrategy[tuple[int, ...]]:
    value = st.integers(low, high)
    if signed:
        value = st.one_of(value, value.map(lambda v: -v))
    return st.lists(value, max_size=3, unique=True).map(tuple)


@st.composite
def cases(draw: st.DrawFn) -> tuple[RecurrenceRule, datetime | date, object, object]:
    """A rule, a DTSTART of any kind and a window [start, end) of the same kind."""
    kind = draw(st.sampled_from(["aware", "floating", "date"]))
    freqs = RANK[:4] if kind == "date" else RANK
    freq = draw(st.sampled_from(freqs))
    rank = RANK.index(freq)
    maybe = st.integers(0, 3).map(lambda x: x == 0)  # a BY-part in one case of four
    byday: tuple[tuple[int, int | None], ...] = ()
    if draw(maybe):
        ordinal = st.none()
        if freq in ("MONTHLY", "YEARLY"):
            ordinal = st.one_of(st.none(), st.integers(-5, 5).filter(bool))
        byday = tuple(
            draw(st.lists(st.tuples(st.integers(0, 6), ordinal), max_size=3, unique=True))
        )
    parts = {
        "bymonth": draw(_ints(1, 12, False)) if draw(maybe) else (),
        "bymonthday": draw(_ints(1, 31, True)) if rank != 2 and draw(maybe) else (),
        "byyearday": draw(_ints(1, 366, True)) if rank in (0, 4, 5, 6) and draw(maybe) else (),
        "byweekno": draw(_ints(1, 53, True)) if rank == 0 and draw(maybe) else (),
        "byhour": draw(_ints(0, 23, False)) if draw(maybe) else (),
        "byminute": draw(_ints(0, 59, False)) if draw(maybe) else (),
        "bysecond": draw(_ints(0, 59, False)) if rank >= 5 and draw(maybe) else (),
    }
    if parts["byweekno"]:
        byday = tuple((wd, None) for wd, _ in byday)
    bysetpos = draw(_ints(1, 4, True)) if draw(st.integers(0, 4)) == 0 else ()
    count = draw(st.one_of(st.none(), st.integers(1, 15)))
    base = draw(st.sampled_from(BASES))
    wall = base + timedelta(seconds=draw(st.integers(-3, 3)) * PERIOD[freq] // 2)
    wall = wall.replace(microsecond=0)
    zone = draw(st.sampled_from(ZONES))
    dtstart: datetime | date
    if kind == "aware":
        dtstart = wall.replace(tzinfo=zone)
    elif kind == "floating":
        dtstart = wall
    else:
        dtstart = wall.date()
    interval = draw(st.integers(1, 5))
    span = PERIOD[freq] * interval
    lo = wall + timedelta(seconds=draw(st.integers(-2, 40)) * span + draw(st.integers(0, span)))
    hi = lo + timedelta(seconds=draw(st.integers(0, 12)) * span)
    until = None
    if count is None and draw(st.integers(0, 3)) == 0:
        until = lo + timedelta(seconds=draw(st.integers(0, 12)) * span)
        until = until.date() if kind == "date" else until
    try:
        rule = RecurrenceRule(
            freq=freq,
            interval=interval,
            count=count,
            until=until,
            wkst=draw(st.integers(0, 6)),
            byday=byday,
            bysetpos=bysetpos,
            **parts,
        )
    except RecurrenceError:
        assume(False)
        raise
    if kind == "aware":
        return rule, dtstart, lo.replace(tzinfo=zone), hi.replace(tzinfo=zone)
    if kind == "date":
        return rule, dtstart, lo.date(), hi.date()
    return rule, dtstart, lo, hi


def _k(value: object) -> object:
    """Sort key: instants for aware values (same-zone comparison would use the wall clock)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _window(
    rule: RecurrenceRule, dtstart: datetime | date, lo: object, hi: object
) -> list[object]:
    return list(occurrences(rule, dtstart, start=lo, end=hi))  # type: ignore[arg-type]


PROPERTY = settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(cases())
def test_window_equals_walk_from_dtstart(
    case: tuple[RecurrenceRule, object, object, object],
) -> None:
    """The jump-ahead to the window's period gives what walking from DTSTART gives."""
    rule, dtstart, lo, hi = case
    walked = itertools.takewhile(lambda v: _k(v) < _k(hi), occurrences(rule, dtstart))  # type: ignore[arg-type, operator]
    expected = [v for v in walked if _k(v) >= _k(lo)]  # type: ignore[operator]
    assert _window(rule, dtstart, lo, hi) == expected  # type: ignore[arg-type]


@PROPERTY
@given(cases(), st.floats(0, 1))
def test_splitting_the_window_changes_nothing(
    case: tuple[RecurrenceRule, object, object, object], cut: float
) -> None:
    """[lo, hi) is [lo, mid) followed by [mid, hi)."""
    rule, dtstart, lo, hi = case
    mid = lo + (hi - lo) * cut  # type: ignore[operator]
    if isinstance(lo, date) and not isinstance(lo, datetime):
        mid = lo + timedelta(days=(hi - lo).days * cut // 1)  # type: ignore[operator]
    whole = _window(rule, dtstart, lo, hi)  # type: ignore[arg-type]
    parts = _window(rule, dtstart, lo, mid) + _window(rule, dtstart, mid, hi)  # type: ignore[arg-type]
    assert parts == whole


@PROPERTY
@given(cases())
def test_output_is_sorted_unique_and_inside_the_window(
    case: tuple[RecurrenceRule, object, object, object],
) -> None:
    """Strictly increasing instants, all in [lo, hi), of the DTSTART's kind."""
    rule, dtstart, lo, hi = case
    found = _window(rule, dtstart, lo, hi)  # type: ignore[arg-type]
    assert all(_k(a) < _k(b) for a, b in itertools.pairwise(found))  # type: ignore[operator]
    assert all(_k(lo) <= _k(v) < _k(hi) for v in found)  # type: ignore[operator]
    assert all(type(v) is type(dtstart) for v in found)


@settings(deadline=None)
@given(cases())
def test_to_ical_round_trips(case: tuple[RecurrenceRule, object, object, object]) -> None:
    """Any valid rule survives ``parse(to_ical())``."""
    rule = case[0]
    assert RecurrenceRule.parse(rule.to_ical()) == rule


_DU_FREQ = {
    "DAILY": du_rrule.DAILY,
    "WEEKLY": du_rrule.WEEKLY,
    "HOURLY": du_rrule.HOURLY,
    "MONTHLY": du_rrule.MONTHLY,
    "YEARLY": du_rrule.YEARLY,
}


@settings(deadline=None)
@given(
    freq=st.sampled_from(sorted(_DU_FREQ)),
    start=st.datetimes(datetime(2019, 1, 1), datetime(2026, 1, 1)).map(
        lambda value: value.replace(second=0, microsecond=0)
    ),
    interval=st.integers(1, 5),
    days=st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), unique=True),
    wkst=st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    offset_days=st.integers(0, 800),
    span_days=st.integers(1, 40),
)
def test_floating_rules_match_dateutil(
    freq: str,
    start: datetime,
    interval: int,
    days: list[str],
    wkst: str,
    offset_days: int,
    span_days: int,
) -> None:
    """On a floating start (no DST), plain rules give dateutil's instances, whole and windowed.

    This guards the arithmetic fast path and the window jump against dateutil itself.
    """
    text = f"FREQ={freq};INTERVAL={interval};WKST={wkst}"
    if days:
        text += ";BYDAY=" + ",".join(days)
    expected = list(du_rrule.rrulestr(text + ";COUNT=30", dtstart=start))
    assert list(occurrences(text + ";COUNT=30", start)) == expected
    low = start + timedelta(days=offset_days)
    high = low + timedelta(days=span_days)
    windowed = [t for t in du_rrule.rrulestr(text, dtstart=start).between(low, high, inc=True)]
    assert list(occurrences(text, start, start=low, end=high, end_inclusive=True)) == windowed


def test_an_aware_dtstart_whose_fold_1_moves_it_is_refused() -> None:
    """01:30 fold=1 in New York is 06:30Z, but the rule runs on the wall clock, whose 01:30 is
    the first pass: the first instance came out at 05:30Z, an hour before DTSTART (a tester
    found). Refused naming dtstart; fold=1 where it moves nothing passes."""
    new_york = ZoneInfo("America/New_York")
    second_pass = datetime(2024, 11, 3, 1, 30, tzinfo=new_york, fold=1)
    with pytest.raises(RecurrenceError, match="second pass") as raised:
        occurrences("FREQ=DAILY;COUNT=2", second_pass)
    assert raised.value.field == "dtstart"
    summer = datetime(2024, 7, 1, 9, tzinfo=new_york, fold=1)
    assert list(occurrences("FREQ=DAILY;COUNT=2", summer)) == [summer, summer + timedelta(1)]
    eastern = pytz.timezone("America/New_York")
    for is_dst in (True, False):  # pytz: the offset, not fold, says which pass
        wall = eastern.localize(datetime(2024, 11, 3, 1, 30), is_dst=is_dst)
        if is_dst:
            # PEP 495: an ambiguous time never equals one of another zone; compare in UTC
            found = [value.astimezone(UTC) for value in occurrences("FREQ=DAILY;COUNT=1", wall)]
            assert found == [wall.astimezone(UTC)]
        else:
            with pytest.raises(RecurrenceError, match="second pass"):
                occurrences("FREQ=DAILY;COUNT=1", wall)
