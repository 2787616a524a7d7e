"""End-to-end speed: scenario JSON in, final-shift rows out, against the alternatives.

The realistic schedule: three levels of weekly rotations of eight users each in
America/New_York, a weekday 09:00-17:00 rotation on top, and twenty overrides, over a year.
Grafana OnCall computes it by writing the shifts as iCalendar text and expanding that with
recurring-ical-events; the same calendar text (the VEVENTs OnCall would write, which the oncall
profile builds as values) expanded by recurring-ical-events is the baseline. Every benchmark
asserts its result, and the suite also runs once, untimed, with ``--benchmark-disable``.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
import recurring_ical_events

from shiftcalc import Interval, Window, expand, load_scenario, resolve
from shiftcalc._merge import merge, rows_and_gaps, span_of
from shiftcalc.oncall.generation import shift_vevents
from shiftcalc.oncall.occurrences import VEvent

USERS = [f"user{i:02d}" for i in range(32)]


def realistic(window_start: str, window_end: str, *, all_visible: bool = False) -> dict[str, Any]:
    """The realistic schedule as a scenario document.

    Its level-2 rotation covers every hour, so levels 0 and 1 never show (the oncall sweep does
    not expand them). ``all_visible`` shortens the weekly turns to 7, 6.5 and 6 days for levels
    0, 1 and 2, so that every level owns some hours each week.
    """
    turn_days = (7, 6.5, 6) if all_visible else (7, 7, 7)
    shifts: list[dict[str, Any]] = [
        {
            "type": "rolling_users",
            "name": f"level {level}",
            "level": level,
            "start": "2023-01-02T09:00:00",
            "duration": int(turn_days[level] * 86400),
            "frequency": "weekly",
            "interval": 1,
            "week_start": "MO",
            "rolling_users": [[user] for user in USERS[level * 8 : level * 8 + 8]],
            "start_rotation_from_user_index": 0,
        }
        for level in range(3)
    ]
    shifts.append(
        {
            "type": "rolling_users",
            "name": "business hours",
            "level": 3,
            "start": "2023-01-02T09:00:00",
            "duration": 8 * 3600,
            "frequency": "daily",
            "interval": 1,
            "by_day": ["MO", "TU", "WE", "TH", "FR"],
            "rolling_users": [[user] for user in USERS[24:]],
            "start_rotation_from_user_index": 0,
        }
    )
    shifts.extend(
        {
            "type": "override",
            "start": f"2025-{1 + i % 12:02d}-{3 + i:02d}T10:00:00",
            "duration": 7200 * (1 + i % 3),
            "users": [USERS[(i * 7) % 32]],
        }
        for i in range(20)
    )
    return {
        "schedule": {"type": "calendar", "time_zone": "America/New_York"},
        "shifts": shifts,
        "window": {"start": window_start, "end": window_end},
    }


YEAR = json.dumps(realistic("2025-01-01T00:00:00Z", "2025-12-31T00:00:00Z"))
YEAR_ALL_VISIBLE = json.dumps(
    realistic("2025-01-01T00:00:00Z", "2025-12-31T00:00:00Z", all_visible=True)
)


def _vevent_text(events: list[VEvent]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shiftcalc//benchmark//EN"]
    for number, event in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{number}",
            "DTSTAMP:20240101T000000Z",
            f"DTSTART;TZID={event.zone}:{event.dtstart:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={event.zone}:{event.dtend:%Y%m%dT%H%M%S}",
            f"SUMMARY:{event.users[0]}",
        ]
        if event.rule is not None:
            lines.append(f"RRULE:{event.rule.to_ical()}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _calendar_texts(document: str = YEAR) -> list[str]:
    scenario = load_scenario(document, profile="oncall")
    primary, overrides = shift_vevents(scenario.schedule)
    return [_vevent_text(primary), _vevent_text(overrides)]


def _recurring_ical_events(texts: list[str]) -> int:
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)
    found = 0
    for text in texts:
        calendar = icalendar.Calendar.from_ical(text)
        found += len(recurring_ical_events.of(calendar).between(start, end))
    return found


def _shiftcalc(profile: str, document: str = YEAR) -> int:
    scenario = load_scenario(document, profile=profile)  # type: ignore[arg-type]
    return len(resolve(scenario.schedule, scenario.window, profile=profile).shifts)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["strict", "oncall", "recurring-ical-events"])
def test_realistic_year(benchmark: Any, engine: str) -> None:
    """A year of the realistic schedule: JSON to rows (shiftcalc), or expansion alone (RIE)."""
    benchmark.group = "realistic schedule, one year"
    if engine == "recurring-ical-events":
        texts = _calendar_texts()
        occurrences = benchmark(_recurring_ical_events, texts)
        # the same occurrences as the oncall profile expands, before resolution
        scenario = load_scenario(YEAR, profile="oncall")
        assert occurrences == len(expand(scenario.schedule, scenario.window, profile="oncall"))
        return
    rows = benchmark(_shiftcalc, engine)
    assert 500 <= rows <= 1000


@pytest.mark.parametrize("engine", ["strict", "oncall", "recurring-ical-events"])
def test_realistic_year_all_visible(benchmark: Any, engine: str) -> None:
    """The same, with every level owning some hours (nothing for the sweep to leave out)."""
    benchmark.group = "realistic schedule, one year, every level visible"
    if engine == "recurring-ical-events":
        texts = _calendar_texts(YEAR_ALL_VISIBLE)
        occurrences = benchmark(_recurring_ical_events, texts)
        scenario = load_scenario(YEAR_ALL_VISIBLE, profile="oncall")
        assert occurrences == len(expand(scenario.schedule, scenario.window, profile="oncall"))
        return
    rows = benchmark(_shiftcalc, engine, YEAR_ALL_VISIBLE)
    scenario = load_scenario(YEAR_ALL_VISIBLE, profile=engine)  # type: ignore[arg-type]
    levels = {
        row.level for row in resolve(scenario.schedule, scenario.window, profile=engine).shifts
    }  # type: ignore[arg-type]
    assert levels == {0, 1, 2, 3, 99}
    assert 600 <= rows <= 1500


@pytest.mark.parametrize("days", [1, 30, 365, 3650])
def test_growth_with_the_window(benchmark: Any, days: int) -> None:
    """Time grows with the window (the output), not with the age of the rotations."""
    benchmark.group = "window growth (strict)"
    start = datetime(2025, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=days)
    scenario = load_scenario(realistic(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"))
    resolution = benchmark(resolve, scenario.schedule, scenario.window)
    # the three 24x7 levels stack below the weekday layer: the top level always owns the time
    assert sum((row.end - row.start for row in resolution.shifts), timedelta()) >= end - start
    assert not resolution.gaps


def _random_intervals(count: int) -> tuple[list[Interval], Window]:
    rng = random.Random(count)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    span = count * 900  # about four intervals starting per hour
    intervals = []
    for _ in range(count):
        start = base + timedelta(minutes=rng.randrange(span // 60))
        intervals.append(
            Interval(
                start=start,
                end=start + timedelta(minutes=rng.choice((30, 60, 240, 480))),
                users=(f"u{rng.randrange(50)}",),
                level=rng.randrange(3),
                is_override=rng.random() < 0.05,
            )
        )
    return intervals, Window(start=base, end=base + timedelta(seconds=span, days=1))


@pytest.mark.parametrize("count", [10**3, 10**4, 10**5, 10**6])
def test_merger_growth(benchmark: Any, count: int) -> None:
    """The sweep-line merger alone: O(n log n) in the number of intervals."""
    benchmark.group = "merger alone"
    intervals, window = _random_intervals(count)
    merged = benchmark.pedantic(merge, args=(intervals, window), rounds=1 if count >= 10**5 else 5)
    covered = sum((row.end - row.start for row in merged.shifts), timedelta())
    gaps = sum((gap.end - gap.start for gap in merged.gaps), timedelta())
    assert covered >= window.end - window.start - gaps  # equal ranks stack, so >=


@pytest.mark.parametrize("count", [10**3, 10**4, 10**5, 10**6])
def test_merger_growth_as_resolve_runs_it(benchmark: Any, count: int) -> None:
    """The merger as resolve runs it (``rows_and_gaps``: every interval names users, so the
    ranks are painted from the highest down), on the same intervals: the merger's answer."""
    benchmark.group = "merger as resolve runs it"
    intervals, window = _random_intervals(count)
    spans = [span_of(interval) for interval in intervals]
    rounds = 1 if count >= 10**5 else 5
    rows, gaps = benchmark.pedantic(rows_and_gaps, args=(spans, window), rounds=rounds)
    if count <= 10**4:
        merged = merge(intervals, window)
        assert (rows, gaps) == (merged.shifts, merged.gaps)
    covered = sum((row.end - row.start for row in rows), timedelta())
    assert covered >= window.end - window.start - sum((g.end - g.start for g in gaps), timedelta())
