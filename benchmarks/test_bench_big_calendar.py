"""A big calendar: 10,000 weekly all-day VEVENTs (a team's exported rota of day duties),
resolved over a year: about 520,000 occurrences, honest work that should take a second or
two. With ``--benchmark-disable`` (the test suite's run) the calendar has 70 events, so that
the run stays fast and still checks the answer.
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
