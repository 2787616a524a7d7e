"""The iCal cases of Grafana OnCall's engine (``ical_handmade.jsonl``, 68 written to pin one
behaviour each, and ``ical_random.jsonl``, 150 seeded random calendars), oncall profile.

Each case's calendar goes through :func:`shiftcalc._resolve.resolve`; final shifts and final
events must equal the engine's as multisets. Cases whose note says ``ENGINE QUIRK`` also get a
strict-profile test with the RFC 5545 answer, worked out by hand.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc._model import Schedule, Shift, User, Window
from shiftcalc._resolve import resolve
from shiftcalc._scenario import load_scenario

CASES: list[dict[str, Any]] = read_jsonl(VECTORS / "oncall" / "ical_handmade.jsonl")
RANDOM: list[dict[str, Any]] = read_jsonl(VECTORS / "oncall" / "ical_random.jsonl")
BY_NAME = {case["name"]: case for case in CASES}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _schedule(case: dict[str, Any]) -> Schedule:
    users = tuple(User(id=n, username=n, email=f"{n}@oracle.invalid") for n in case["users"])
    spec = case["schedule"]
    shifts: tuple[Shift, ...] = ()
    if case.get("shifts"):
        shifts = load_scenario(case, profile="oncall").schedule.shifts
    return Schedule(
        type=spec["type"],
        time_zone=spec.get("time_zone") or "UTC",
        ical_primary=spec.get("ical_primary"),
        ical_overrides=spec.get("ical_overrides"),
        users=users,
        shifts=shifts,
    )


def _window(case: dict[str, Any]) -> Window:
    return Window(start=_instant(case["window"]["start"]), end=_instant(case["window"]["end"]))


def test_all_cases_present() -> None:
    assert (len(CASES), len(RANDOM)) == (68, 150)


@pytest.mark.parametrize("case", CASES + RANDOM, ids=[case["name"] for case in CASES + RANDOM])
def test_oncall_vector(case: dict[str, Any]) -> None:
    result = resolve(_schedule(case), _window(case), profile="oncall")
    shifts = Counter((row.user, row.start, row.end) for row in result.shifts)
    expected_shifts = Counter(
        (row["user"], _instant(row["start"]), _instant(row["end"]))
        for row in case["expected_final_shifts"]
    )
    assert shifts == expected_shifts
    events = Counter(
        (
            e.start,
            e.end,
            tuple(sorted(e.users)),
            0 if e.is_gap else e.level,
            e.is_override,
            e.is_gap,
        )
        for e in result.events
    )
    expected_events = Counter(
        (
            _instant(e["start"]),
            _instant(e["end"]),
            tuple(sorted(e["users"])),
            e["priority_level"],
            e["is_override"],
            e["is_gap"],
        )
        for e in case["expected_final_events"]
    )
    assert events == expected_events


def test_quirk_cases_are_covered() -> None:
    quirks = {case["name"] for case in CASES if "ENGINE QUIRK" in case.get("note", "")}
    assert quirks == {
        "ical_all_day_without_dtend_negative_row",
        "ical_tzid_master_spans_dst_all_occurrences_shortened",
        "ical_uid_export_pattern_pk_collision",
    }


def _strict_rows(name: str) -> list[tuple[str, datetime, datetime]]:
    case = BY_NAME[name]
    result = resolve(_schedule(case), _window(case), profile="strict")
    return sorted((row.user, row.start, row.end) for row in result.shifts)


def _utc(text: str) -> datetime:
    return _instant(text)


# ------------------------------------------------------------- ENGINE QUIRK cases, strict


def test_strict_all_day_without_dtend_lasts_one_day() -> None:
    # DTSTART;VALUE=DATE:20240305 with neither DTEND nor DURATION. RFC 5545 §3.6.1: "For
    # cases where a VEVENT calendar component specifies a DTSTART property with a DATE value
    # type but no DTEND nor DURATION property, the event's duration is taken to be one day."
    # The calendar has no X-WR-TIMEZONE and the schedule zone is UTC, so the day is
    # [5 March 00:00Z, 6 March 00:00Z) — not the engine's negative row ending 4 March 23:59:59.
    assert _strict_rows("ical_all_day_without_dtend_negative_row") == [
        ("carol", _utc("2024-03-05T00:00:00Z"), _utc("2024-03-06T00:00:00Z")),
    ]


def test_strict_master_spanning_dst_keeps_its_exact_duration() -> None:
    # DTSTART 30 March 20:00 CET (19:00Z), DTEND 31 March 08:00 CEST (06:00Z): the master lasts
    # exactly 11 h. RFC 5545 §3.8.5.3: "If the duration of the recurring component is specified
    # with the DTEND property, then the same exact duration will apply to all the members of the
    # generated recurrence set." Every instance starts at 20:00 Berlin wall time and lasts 11 h:
    #   30 Mar 19:00Z -> 31 Mar 06:00Z (08:00 CEST, the master itself, unshortened)
    #   31 Mar 18:00Z (20:00 CEST) -> 1 Apr 05:00Z, 1 Apr 18:00Z -> 2 Apr 05:00Z,
    #   2 Apr 18:00Z -> 3 Apr 05:00Z, clipped at the window end 3 Apr 00:00Z (COUNT=4).
    assert _strict_rows("ical_tzid_master_spans_dst_all_occurrences_shortened") == [
        ("dave", _utc("2024-03-30T19:00:00Z"), _utc("2024-03-31T06:00:00Z")),
        ("dave", _utc("2024-03-31T18:00:00Z"), _utc("2024-04-01T05:00:00Z")),
        ("dave", _utc("2024-04-01T18:00:00Z"), _utc("2024-04-02T05:00:00Z")),
        ("dave", _utc("2024-04-02T18:00:00Z"), _utc("2024-04-03T00:00:00Z")),
    ]


def test_strict_distinct_uids_never_collide() -> None:
    # UIDs team-2-b@… and team-1-a@… are different UIDs (RFC 5545 §3.8.4.7: UID identifies a
    # component); nothing merges them. bob is on call 09:00-13:00 and alice 09:00-17:00, at the
    # same level, so both are on call 09:00-13:00 and alice alone until 17:00; no hole.
    assert _strict_rows("ical_uid_export_pattern_pk_collision") == [
        ("alice", _utc("2024-03-04T09:00:00Z"), _utc("2024-03-04T17:00:00Z")),
        ("bob", _utc("2024-03-04T09:00:00Z"), _utc("2024-03-04T13:00:00Z")),
    ]
    case = BY_NAME["ical_uid_export_pattern_pk_collision"]
    gaps = resolve(_schedule(case), _window(case), profile="strict").gaps
    assert [(g.start, g.end) for g in gaps] == [
        (_utc("2024-03-04T00:00:00Z"), _utc("2024-03-04T09:00:00Z")),
        (_utc("2024-03-04T17:00:00Z"), _utc("2024-03-05T00:00:00Z")),
    ]


@pytest.mark.parametrize("case", CASES + RANDOM, ids=[case["name"] for case in CASES + RANDOM])
def test_strict_profile_runs_on_every_case(case: dict[str, Any]) -> None:
    # Smoke check: strict reads every calendar and its rows are disjoint per user.
    rows = resolve(_schedule(case), _window(case), profile="strict").shifts
    for row in rows:
        assert row.start < row.end
    by_user: dict[str, list[tuple[datetime, datetime]]] = {}
    for row in rows:
        by_user.setdefault(row.user, []).append((row.start, row.end))
    for spans in by_user.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_replace_schedule_is_a_dataclass() -> None:
    # _schedule builds plain values the public API accepts.
    schedule = _schedule(CASES[0])
    assert replace(schedule, name="x").name == "x"
