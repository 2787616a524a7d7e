"""Small builders for scenario documents, shared by the reference-scenario tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
BOTH = pytest.mark.parametrize("profile", ["oncall", "strict"])


# a 1-second event every second for alice: 100,800 occurrences in 28 hours, past a query's
# 100,000 (shiftcalc.ical.MAX_OCCURRENCES) for the whole window, within it for a day
EVERY_SECOND = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:s\r\n"
    "DTSTART:20240101T000000Z\r\nDTEND:20240101T000001Z\r\nRRULE:FREQ=SECONDLY\r\n"
    "SUMMARY:alice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def wall(value: datetime) -> str:
    """A naive wall-clock value as the on-call API writes it."""
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def z(value: datetime) -> str:
    """An instant as a scenario writes it (a naive value is read as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def shift(kind: str, start: datetime, duration: timedelta, **fields: Any) -> dict[str, Any]:
    """A shift object; datetime fields become API wall-clock strings."""
    data: dict[str, Any] = {
        "type": kind,
        "start": wall(start),
        "duration": int(duration.total_seconds()),
    }
    for key, value in fields.items():
        data[key] = wall(value) if isinstance(value, datetime) else value
    if kind == "rolling_users":
        data.setdefault("start_rotation_from_user_index", 0)
    return data


# A daily 09:00 London rotation of alice and bob over the March change, checked by hand: with
# wall-clock durations (the default) bob's Saturday shift (09:00 GMT = 09:00Z) ends Sunday
# 09:00 BST = 08:00Z, where alice's begins; with elapsed durations it lasts 24 hours, to
# 09:00Z, so from 08:00Z to 09:00Z both are on call.
LONDON_DAILY: dict[str, Any] = {
    "schedule": {"type": "calendar", "time_zone": "Europe/London"},
    "shifts": [
        {
            "type": "rolling_users",
            "start": "2024-03-29T09:00:00",
            "duration": 86400,
            "frequency": "daily",
            "rolling_users": [["alice"], ["bob"]],
            "start_rotation_from_user_index": 0,
        }
    ],
    "window": {"start": "2024-03-30T09:00:00Z", "end": "2024-03-31T12:00:00Z"},
}
