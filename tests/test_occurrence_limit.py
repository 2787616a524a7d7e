"""The occurrence caps raise one typed error, OccurrenceLimitError, that callers (and the
stream's chunk retry) catch by type rather than by message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import shiftcalc
from shiftcalc import (
    CalendarError,
    CalendarLimitError,
    OccurrenceLimitError,
    Schedule,
    Shift,
    ValidationError,
    Window,
)

WINDOW = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 5, tzinfo=UTC))
HOURLY = Shift(
    type="recurrent_event",
    start=datetime(2024, 1, 1),
    duration=timedelta(minutes=30),
    frequency="hourly",
    users=("alice",),
)


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_shift_occurrences_past_max_occurrences_raise_occurrence_limit_error(
    profile: str,
) -> None:
    with pytest.raises(OccurrenceLimitError) as caught:
        shiftcalc.resolve(Schedule(shifts=(HOURLY,)), WINDOW, profile=profile, max_occurrences=10)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValidationError)
    assert caught.value.field == "shifts[0]" and caught.value.value == 10


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_a_calendar_component_past_its_cap_is_a_calendar_and_an_occurrence_limit_error(
    profile: str,
) -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:s\r\n"
        "DTSTART:20240101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY;COUNT=200000\r\n"
        "SUMMARY:alice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(CalendarLimitError) as caught:
        shiftcalc.resolve(Schedule(type="ical", ical_primary=text), WINDOW, profile=profile)  # type: ignore[arg-type]
    assert isinstance(caught.value, CalendarError)
    assert isinstance(caught.value, OccurrenceLimitError)
    assert caught.value.field == "VEVENT[UID=s, line 4].RRULE"


def test_a_bad_calendar_is_not_an_occurrence_limit() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:nonsense\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(CalendarError) as caught:
        shiftcalc.resolve(Schedule(type="ical", ical_primary=text), WINDOW)
    assert not isinstance(caught.value, OccurrenceLimitError)


def test_streaming_retries_smaller_chunks_on_the_limit_error() -> None:
    """max_occurrences counts per chunk: a stream of the hourly shift with a cap a day's
    chunk exceeds still gives every row (chunks shrink to an hour)."""
    start = WINDOW.start
    rows = list(
        shiftcalc.iter_final_shifts(
            Schedule(shifts=(HOURLY,)), start, end=WINDOW.end, max_occurrences=3
        )
    )
    assert rows == list(shiftcalc.resolve(Schedule(shifts=(HOURLY,)), WINDOW).shifts)
    assert len(rows) == 96
