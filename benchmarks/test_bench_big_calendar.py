"""A big calendar: 10,000 weekly all-day VEVENTs (a team's exported rota of day duties),
resolved over a year: about 520,000 occurrences, honest work that should take a second or
two. Its variant has 10,000 weekly one-hour VEVENTs at 10,000 different times (a minute
apart), so that no two share their occurrences. With ``--benchmark-disable`` (the test
suite's run) each calendar has 70 events, so that the run stays fast and still checks the
answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shiftcalc import Schedule, Window, resolve

YEAR = Window(start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC))
EVENTS = 10_000
SMALL = 70  # ten events a day of the week, as in the big one


def big_calendar(events: int) -> str:
    """``events`` weekly all-day VEVENTs from 2024 (one a day of the week in turn), fifty
    people (tests/test_big_calendar.py checks the same calendar, small)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shiftcalc//big calendar//EN"]
    for i in range(events):
        day = date(2024, 1, 1) + timedelta(days=i % 7)
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


def timed_calendar(events: int) -> str:
    """``events`` weekly one-hour VEVENTs from 2024-01-01 00:00Z, each a minute after the
    last, fifty people: no two VEVENTs have the same times."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shiftcalc//big calendar//EN"]
    for i in range(events):
        start = datetime(2024, 1, 1) + timedelta(minutes=i)
        lines += [
            "BEGIN:VEVENT",
            f"UID:slot-{i}@example.com",
            "DTSTAMP:20240101T000000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%S}Z",
            "RRULE:FREQ=WEEKLY",
            f"SUMMARY:user{i % 50}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_bench_big_timed_calendar_year(benchmark: Any, profile: Any) -> None:
    events = SMALL if benchmark.disabled else EVENTS
    schedule = Schedule(type="ical", time_zone="UTC", ical_primary=timed_calendar(events))
    benchmark.group = "big calendar of distinct times, a year"
    result = benchmark.pedantic(
        resolve, args=(schedule, YEAR), kwargs={"profile": profile}, rounds=1, iterations=1
    )
    # event i: weekly from minute i of 2024-01-01 (a Monday) for an hour, user i % 50
    week = timedelta(days=7)
    first = datetime(2024, 1, 1, tzinfo=UTC)
    hours: dict[str, timedelta] = {}
    occurrences = 0
    for i in range(events):
        start = first + timedelta(minutes=i) + week * ((YEAR.start - first) // week - 1)
        while start < YEAR.end:
            clipped = min(start + timedelta(hours=1), YEAR.end) - max(start, YEAR.start)
            if clipped > timedelta(0):
                occurrences += 1
                user = f"user{i % 50}"
                hours[user] = hours.get(user, timedelta()) + clipped
            start += week
    if profile == "strict":  # a user's overlapping hours count once: at most the sum
        spent: dict[str, timedelta] = {}
        for row in result.shifts:
            spent[row.user] = spent.get(row.user, timedelta()) + row.end - row.start
        assert set(spent) == set(hours)
        assert all(spent[user] <= hours[user] for user in hours)
    else:  # a row per occurrence, clipped to the year
        assert len(result.shifts) == occurrences


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_bench_big_calendar_year(benchmark: Any, profile: Any) -> None:
    events = SMALL if benchmark.disabled else EVENTS
    schedule = Schedule(type="ical", time_zone="UTC", ical_primary=big_calendar(events))
    benchmark.group = "big calendar, a year"
    result = benchmark.pedantic(
        resolve, args=(schedule, YEAR), kwargs={"profile": profile}, rounds=1, iterations=1
    )
    # the people on duty each weekday (event i takes the weekday i % 7 from 2024-01-01)
    people = [{i % 50 for i in range(weekday, events, 7)} for weekday in range(7)]
    days = [(date(2025, 1, 1) - date(2024, 1, 1)).days + n for n in range(365)]
    if profile == "strict":  # rows per person, merged: their hours are their days on duty
        hours = sum((row.end - row.start for row in result.shifts), timedelta())
        assert hours == timedelta(days=sum(len(people[day % 7]) for day in days))
    else:  # a row per occurrence: an event's day (its users are one person each)
        assert len(result.shifts) == sum(len(range(day % 7, events, 7)) for day in days)
