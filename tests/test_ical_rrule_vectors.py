"""The RFC 5545 recurrence vectors again, through the iCalendar path (strict profile).

Each vector becomes one VEVENT of an ``ical`` schedule (DTSTART with its TZID, floating or
DATE; RRULE, EXDATE, RDATE as written); the starts of the expanded intervals must be the
vector's instances. Floating times are read in the schedule's zone (UTC here), DATE starts are
whole days in it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc import Schedule, User, Window, expand

# rules with no instance at all are covered by the recurrence tests: here the window needs one
CASES = [
    case
    for case in read_jsonl(VECTORS / "rfc5545-rrule.jsonl")
    if case.get("strict_expected") or case["expected"]
]


def _instant(text: str, tzid: str | None) -> datetime:
    """A vector value as a UTC instant (floating and DATE values read in UTC)."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tzid) if tzid else UTC)
    return value.astimezone(UTC)


def _ical_value(name: str, text: str, tzid: str | None) -> str:
    if len(text) == 10:
        return f"{name};VALUE=DATE:{text.replace('-', '')}"
    basic = text.replace("-", "").replace(":", "")
    if basic.endswith("Z") or tzid is None:
        return f"{name}:{basic}"
    return f"{name};TZID={tzid}:{basic}"


def _calendar(case: dict[str, Any]) -> str:
    tzid = case["tzid"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shiftcalc//vectors//EN",
        "BEGIN:VEVENT",
        f"UID:{case['id']}@vectors",
        _ical_value("DTSTART", case["dtstart"], tzid),
        "DURATION:P1D" if len(case["dtstart"]) == 10 else "DURATION:PT1M",
        f"RRULE:{case['rrule']}",
        *(_ical_value("EXDATE", value, tzid) for value in case.get("exdate") or ()),
        *(_ical_value("RDATE", value, tzid) for value in case.get("rdate") or ()),
        "SUMMARY:alice",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_rrule_vector_through_ical(case: dict[str, Any]) -> None:
    """The VEVENT's occurrences in strict are the vector's instances."""
    tzid = case["tzid"]
    expected = [_instant(text, tzid) for text in case.get("strict_expected") or case["expected"]]
    if case.get("window"):
        start = _instant(case["window"]["start"], tzid)
        end = _instant(case["window"]["end"], tzid) + timedelta(seconds=1)
    else:
        start, end = _instant(case["dtstart"], tzid), expected[-1] + timedelta(seconds=1)
    schedule = Schedule(
        type="ical",
        time_zone="UTC",
        ical_primary=_calendar(case),
        users=(User(id="alice", username="alice"),),
    )
    intervals = expand(schedule, Window(start=start, end=end))
    starts = sorted({interval.start for interval in intervals if interval.start >= start})
    if case.get("count_limit"):
        starts = starts[: case["count_limit"]]
    assert starts == expected
