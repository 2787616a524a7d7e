"""Regression tests of the recurrence engine's defects found by users and by fuzzing.

Each test is named after what it guards: far dates (years 1 and 9999), unreachable BYDAY
ordinals, hostile rules (rarely or never matching, huge numbers), BYWEEKNO with INTERVAL, the
oncall profile's dateutil-only rule parts, and a window given backwards.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from conftest import hang_guard
from shiftcalc._errors import CalendarError, RecurrenceError, ValidationError
from shiftcalc._model import Schedule, User, Window
from shiftcalc._recurrence import MAX_NUMBER, RecurrenceRule, occurrences
from shiftcalc._resolve import resolve

KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14
WEST = ZoneInfo("Etc/GMT+12")  # UTC-12
EAST = ZoneInfo("Etc/GMT-14")  # UTC+14, also in year 1 (Kiritimati has LMT then)
FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")


# --------------------------------------------------------------------------- 1. far dates


@pytest.mark.parametrize("freq", FREQS)
@pytest.mark.parametrize(
    "dtstart",
    [
        datetime(9999, 12, 31, 23, 59, 50, tzinfo=UTC),
        datetime(9999, 12, 31, 9, tzinfo=WEST),
        datetime(9999, 12, 31, 13, tzinfo=KIRITIMATI),
        datetime(9999, 12, 31, 23, 59, 50),
    ],
)
def test_sequence_ends_at_the_end_of_representable_time(freq: str, dtstart: datetime) -> None:
    with hang_guard(30):
        found = list(occurrences(f"FREQ={freq}", dtstart))
    assert found[0] == dtstart
    assert all(a < b for a, b in itertools.pairwise(found))
    if dtstart.tzinfo is not None:
        assert all(v.astimezone(UTC).year == 9999 for v in found if isinstance(v, datetime))


def test_wall_times_past_9999_utc_are_not_instances() -> None:
    # 9999-12-31T12:00-12:00 is 10000-01-01T00:00Z: not representable, so the hours end at 11
    found = list(occurrences("FREQ=HOURLY", datetime(9999, 12, 31, 9, tzinfo=WEST)))
    assert [v.hour for v in found if isinstance(v, datetime)] == [9, 10, 11]


@pytest.mark.parametrize("freq", ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
def test_date_start_in_9999_ends_cleanly(freq: str) -> None:
    found = list(occurrences(f"FREQ={freq}", date(9999, 12, 25)))
    assert found[0] == date(9999, 12, 25) and found[-1] <= date(9999, 12, 31)


@pytest.mark.parametrize("freq", FREQS)
def test_instants_before_year_1_utc_are_skipped(freq: str) -> None:
    # 0001-01-01T00:00+14:00 is 0000-12-31T10:00Z: the first instance is the first one in range
    found = list(itertools_islice(occurrences(f"FREQ={freq}", datetime(1, 1, 1, tzinfo=EAST)), 3))
    assert found and all(v.astimezone(UTC).year >= 1 for v in found if isinstance(v, datetime))


def itertools_islice(values: object, n: int) -> list[object]:
    return list(itertools.islice(values, n))  # type: ignore[call-overload]


def test_weekly_first_week_starting_before_year_1() -> None:
    # WKST=SU: the week of Mon 0001-01-01 starts on a day that does not exist
    rule = "FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU,MO,SA"
    found = itertools_islice(occurrences(rule, datetime(1, 1, 1, 9)), 6)
    expected = itertools_islice(rrulestr(rule, dtstart=datetime(1, 1, 1, 9)), 6)
    assert found == expected


def test_windows_exdates_and_rdates_at_the_ends_of_time() -> None:
    top = datetime.max.replace(tzinfo=UTC)
    found = list(
        occurrences(
            "FREQ=DAILY", datetime(2024, 1, 1, tzinfo=KIRITIMATI), start=top - timedelta(days=2)
        )
    )
    # 00:00+14:00 on the 30th is 10:00Z on the 29th, before the start: only the 31st is left
    assert found == [datetime(9999, 12, 31, tzinfo=KIRITIMATI)]
    bottom = datetime.min.replace(tzinfo=UTC)
    found = list(
        occurrences(
            "FREQ=DAILY",
            datetime(1, 1, 1, 12, tzinfo=WEST),
            start=datetime(1, 1, 1, tzinfo=EAST),  # before year 1 in UTC: no lower bound
            end=bottom + timedelta(days=3),
            exdates=[datetime(1, 1, 1, 1, tzinfo=EAST)],
            rdates=[datetime(9999, 12, 31, 23, tzinfo=UTC)],  # 10000-01-01 at UTC+14
        )
    )
    assert [v.day for v in found if isinstance(v, datetime)] == [1, 2]
    assert list(occurrences("FREQ=DAILY", datetime(2024, 1, 1), end=datetime.min)) == []


def test_until_near_the_end_of_time() -> None:
    found = list(
        occurrences("FREQ=DAILY;UNTIL=99991231T235959", datetime(9999, 12, 29, 9, tzinfo=WEST))
    )
    # the floating UNTIL read at UTC-12 is past 9999 in UTC: it bounds nothing, and the 31st
    # at 09:00-12:00 (21:00Z) is the last instance of representable time
    assert [v.day for v in found if isinstance(v, datetime)] == [29, 30, 31]


# ------------------------------------------------------------------- 2. unreachable ordinals


def test_byday_ordinal_no_period_reaches_gives_nothing() -> None:
    with hang_guard(10):
        assert list(occurrences("FREQ=YEARLY;BYDAY=53TU;BYMONTH=4,1", datetime(2024, 1, 1))) == []


def test_byday_unreachable_ordinal_next_to_a_reachable_one() -> None:
    rule = "FREQ=MONTHLY;BYDAY=53SA,2SA;COUNT=5"
    expected = list(rrulestr("FREQ=MONTHLY;BYDAY=2SA;COUNT=5", dtstart=datetime(2024, 1, 1)))
    assert list(occurrences(rule, datetime(2024, 1, 1))) == expected


# ----------------------------------------------------------------------- 3. hostile rules


def test_fixed_step_of_whole_weeks_missing_by_day_is_proven_empty() -> None:
    with hang_guard(5):
        assert list(occurrences("FREQ=HOURLY;INTERVAL=168;BYDAY=TU", datetime(2024, 1, 1))) == []
        assert list(occurrences("FREQ=DAILY;INTERVAL=14;BYDAY=TU", datetime(2024, 1, 1))) == []
        rule = "FREQ=MINUTELY;INTERVAL=2880;BYMONTHDAY=2"  # every other day from the 1st...
        found = itertools_islice(occurrences(rule, datetime(2024, 1, 1)), 3)
        assert found == itertools_islice(rrulestr(rule, dtstart=datetime(2024, 1, 1)), 3)


def test_rarely_matching_secondly_rule_is_fast() -> None:
    rule = "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3;BYMINUTE=7;BYSECOND=5,9"
    with hang_guard(10):
        found = itertools_islice(occurrences(rule, datetime(2024, 3, 1)), 4)
    assert found == [
        datetime(2028, 2, 29, 3, 7, 5),
        datetime(2028, 2, 29, 3, 7, 9),
        datetime(2032, 2, 29, 3, 7, 5),
        datetime(2032, 2, 29, 3, 7, 9),
    ]


def test_never_matching_sub_daily_rule_is_proven_empty() -> None:
    with hang_guard(10):
        assert list(occurrences("FREQ=SECONDLY;INTERVAL=2;BYSECOND=1", datetime(2024, 1, 1))) == []
        assert list(occurrences("FREQ=MINUTELY;INTERVAL=120;BYHOUR=1", datetime(2024, 1, 1))) == []


def test_secondly_days_stream_every_instance() -> None:
    # honest work, streamed: 30 days (2.6 M instances) cost the same per instance
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rule = "FREQ=SECONDLY;BYHOUR=0,12"
    with hang_guard(120):
        n = sum(1 for _ in occurrences(rule, start, end=start + timedelta(days=3)))
    assert n == 3 * 2 * 3600


def test_count_beyond_the_seconds_of_the_window_jumps_ahead() -> None:
    rule = f"FREQ=SECONDLY;COUNT={MAX_NUMBER}"
    start = datetime(9000, 1, 1, tzinfo=UTC)
    with hang_guard(10):
        found = list(
            occurrences(
                rule, datetime(2000, 1, 1, tzinfo=UTC), start=start, end=start.replace(second=3)
            )
        )
    assert len(found) == 3


def test_interval_past_the_end_of_time_keeps_the_first_period() -> None:
    found = list(occurrences(f"FREQ=WEEKLY;INTERVAL={MAX_NUMBER};BYDAY=MO,FR", date(2024, 1, 1)))
    assert found == [date(2024, 1, 1), date(2024, 1, 5)]


# -------------------------------------------------------------------------- 4. huge numbers


@pytest.mark.parametrize("part", ["COUNT", "INTERVAL", "BYMONTH", "BYSETPOS", "BYDAY"])
def test_numbers_of_thousands_of_digits_are_refused_by_part(part: str) -> None:
    digits = "9" * 5000
    value = f"{digits}MO" if part == "BYDAY" else digits
    with pytest.raises(RecurrenceError) as info:
        RecurrenceRule.parse(f"FREQ=MONTHLY;{part}={value}")
    assert info.value.field == f"rrule.{part}"
    assert len(str(info.value)) < 400


def test_huge_int_given_directly_is_refused_without_printing_it() -> None:
    with pytest.raises(RecurrenceError, match="about 5001 digits") as info:
        RecurrenceRule(freq="DAILY", interval=10**5000)
    assert info.value.field == "rrule.INTERVAL"
    with pytest.raises(RecurrenceError, match=r"rrule\.BYHOUR"):
        RecurrenceRule(freq="DAILY", byhour=(10**5000,))


def test_count_and_interval_limit_is_2_to_the_63() -> None:
    assert RecurrenceRule.parse(f"FREQ=DAILY;COUNT={MAX_NUMBER}").count == MAX_NUMBER
    with pytest.raises(RecurrenceError, match=r"at most 9223372036854775807"):
        RecurrenceRule.parse(f"FREQ=DAILY;COUNT={MAX_NUMBER + 1}")


# ----------------------------------------------------------------- 5. BYWEEKNO with INTERVAL


def test_byweekno_interval_counts_the_calendar_year_of_dtstart() -> None:
    # 2027-01-03 lies in ISO week 53 of 2026; the periods are the calendar years 2027, 2032...
    rule = "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH;INTERVAL=5;COUNT=4"
    found = list(occurrences(rule, date(2027, 1, 3)))
    assert found == [
        date(2032, 12, 30),
        date(2037, 12, 31),
        date(2082, 12, 31),
        date(2122, 12, 31),
    ]
    assert found == [v.date() for v in rrulestr(rule, dtstart=datetime(2027, 1, 3))]


# ------------------------------------------------------------------- 6. oncall lenient parts

LENIENT = [
    "FREQ=MONTHLY;BYWEEKNO=1,2",
    "FREQ=DAILY;BYYEARDAY=1,-1",
    "FREQ=WEEKLY;BYYEARDAY=100,200;BYDAY=MO,TU",
    "FREQ=MONTHLY;BYYEARDAY=32,60",
    "FREQ=DAILY;BYDAY=1MO,-1FR",
    "FREQ=WEEKLY;BYDAY=2TU",
    "FREQ=YEARLY;BYWEEKNO=10;BYDAY=1MO",
]


@pytest.mark.parametrize("text", LENIENT)
def test_lenient_parse_expands_dateutil_only_parts_as_dateutil(text: str) -> None:
    with pytest.raises(RecurrenceError):
        RecurrenceRule.parse(text)
    rule = RecurrenceRule.parse(text, lenient=True)
    dtstart = datetime(2024, 1, 1, 9)
    found = itertools_islice(occurrences(rule, dtstart), 12)
    assert found == itertools_islice(rrulestr(text, dtstart=dtstart), 12)


def _calendar(rrule: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:lenient@example.com\r\nDTSTART:20240101T090000Z\r\nDTEND:20240101T170000Z\r\n"
        f"RRULE:{rrule}\r\nSUMMARY:alice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_oncall_ical_rrule_with_byyearday_daily_is_expanded() -> None:
    users = (User(id="alice", username="alice", email="alice@example.com"),)
    schedule = Schedule(
        type="ical", ical_primary=_calendar("FREQ=DAILY;BYYEARDAY=1,3,-365"), users=users
    )
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 8, tzinfo=UTC))
    rows = resolve(schedule, window, profile="oncall").shifts
    # -365 of leap 2024 is 2 January; dateutil (OnCall's engine) gives days 1, 2 and 3
    assert [(row.user, row.start.day) for row in rows] == [
        ("alice", 1),
        ("alice", 2),
        ("alice", 3),
    ]
    with pytest.raises(CalendarError, match="BYYEARDAY"):
        resolve(schedule, window, profile="strict")


# --------------------------------------------------------------------- 7. backwards window


def test_window_end_before_start_is_refused_naming_end() -> None:
    with pytest.raises(ValidationError) as info:
        occurrences(
            "FREQ=DAILY", datetime(2024, 1, 1), start=date(2024, 2, 1), end=date(2024, 1, 1)
        )
    assert info.value.field == "end"
    assert (
        list(
            occurrences(
                "FREQ=DAILY", date(2024, 1, 1), start=date(2024, 1, 3), end=date(2024, 1, 3)
            )
        )
        == []
    )
