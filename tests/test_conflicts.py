"""Conflicts across schedules and time off: a golden case, brute-force intersections on random
pairs of schedules (shiftcalc.strategies), time off as intervals and as a calendar, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shiftcalc
from shiftcalc import Conflict, Schedule, Window, conflicts
from shiftcalc.__main__ import main
from shiftcalc.strategies import schedules, shifts

Spans = list[tuple[datetime, datetime]]

TEAM_A: dict[str, Any] = {
    "schedule": {"time_zone": "Europe/London"},
    "users": [{"id": "UALICE", "username": "alice", "email": "alice@example.com"}, "bob"],
    "shifts": [
        {
            "type": "rolling_users",
            "start": "2024-01-01T09:00:00",
            "duration": 604800,
            "frequency": "weekly",
            "week_start": "MO",
            "rolling_users": [["alice"], ["bob"]],
            "start_rotation_from_user_index": 0,
        }
    ],
    "window": {"start": "2024-01-01", "end": "2024-01-15"},
}
TEAM_B: dict[str, Any] = {
    "schedule": {"time_zone": "UTC"},
    "shifts": [
        {
            "type": "single_event",
            "start": "2024-01-03T00:00:00",
            "duration": 86400,
            "users": ["ALICE@example.com"],
        },
        {
            "type": "single_event",
            "start": "2024-01-09T00:00:00",
            "duration": 86400,
            "users": ["bob"],
        },
    ],
    "window": {"start": "2024-01-01", "end": "2024-01-15"},
}
ABSENCES = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:off1\r\nDTSTART;VALUE=DATE:20240110\r\nDTEND;VALUE=DATE:20240112\r\n"
    "SUMMARY:Away\r\nATTENDEE:mailto:bob\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:off2\r\nDTSTART:20240102T120000Z\r\nDTEND:20240102T180000Z\r\n"
    "SUMMARY:alice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_golden_double_booking_matched_by_email_and_time_off_calendar() -> None:
    """alice is UALICE in A and 'ALICE@example.com' (an implicit user) in B: on call in both on
    Jan 3 (A's week is Mon 1 09:00 to Mon 8 09:00). bob: B's Jan 9, inside A's week; away Jan
    10-12 (whole London days = UTC days in winter) in the absence calendar; alice away Jan 2
    12:00-18:00."""
    a, b = shiftcalc.load_scenario(TEAM_A), shiftcalc.load_scenario(TEAM_B)
    found = conflicts([a, b], time_off=ABSENCES)
    assert [(c.kind, c.user, c.schedules, c.user_ids, c.start, c.end) for c in found] == [
        ("time_off", "alice", (0,), ("UALICE",), _utc(2024, 1, 2, 12), _utc(2024, 1, 2, 18)),
        (
            "overlap",
            "alice",
            (0, 1),
            ("UALICE", "ALICE@example.com"),
            _utc(2024, 1, 3),
            _utc(2024, 1, 4),
        ),
        ("overlap", "bob", (0, 1), ("bob", "bob"), _utc(2024, 1, 9), _utc(2024, 1, 10)),
        ("time_off", "bob", (0,), ("bob",), _utc(2024, 1, 10), _utc(2024, 1, 12)),
    ]  # B's bob (Jan 9) is on call before his time off: no conflict in B


def test_time_off_intervals_name_users_as_a_scenario_does() -> None:
    """'alice@EXAMPLE.com' names UALICE; an unknown name is refused, naming it."""
    a = shiftcalc.load_scenario(TEAM_A)
    away = {"alice@EXAMPLE.com": [(_utc(2024, 1, 7), _utc(2024, 1, 9))]}
    found = conflicts([a], time_off=away)
    assert [(c.user, c.start, c.end) for c in found] == [
        ("alice", _utc(2024, 1, 7), _utc(2024, 1, 8, 9))
    ]
    with pytest.raises(shiftcalc.ValidationError) as caught:
        conflicts([a], time_off={"zed": []})
    assert caught.value.field == "time_off[zed]"
    with pytest.raises(shiftcalc.ValidationError, match="ends before"):
        conflicts([a], time_off={"bob": [(_utc(2024, 1, 9), _utc(2024, 1, 7))]})
    with pytest.raises(shiftcalc.ValidationError) as caught:
        conflicts([a], time_off={"bob": [(datetime(2024, 1, 7), _utc(2024, 1, 9))]})
    assert caught.value.field == "time_off[bob][0].start"


def test_window_is_required_with_plain_schedules() -> None:
    """A Schedule carries no window: conflicts() needs one then."""
    with pytest.raises(shiftcalc.ValidationError, match="window"):
        conflicts([Schedule()])
    assert conflicts([], Window(start=_utc(2024, 1, 1), end=_utc(2024, 1, 2))) == ()


def _shifted(schedule: Schedule, delta: timedelta) -> Schedule:
    """The schedule with every shift moved by ``delta`` (start, rotation_start, until)."""
    moved = tuple(
        replace(
            s,
            start=s.start + delta,
            rotation_start=None if s.rotation_start is None else s.rotation_start + delta,
            until=None if s.until is None else s.until + delta,
        )
        for s in schedule.shifts
    )
    return replace(schedule, shifts=moved)


def _union(spans: Spans) -> Spans:
    joined: Spans = []
    for lo, hi in sorted(spans):
        if lo >= hi:
            continue
        if joined and lo <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(hi, joined[-1][1]))
        else:
            joined.append((lo, hi))
    return joined


def _by_user(found: tuple[Conflict, ...], kind: str) -> dict[str, Spans]:
    spans: dict[str, Spans] = {}
    for c in found:
        if c.kind == kind:
            spans.setdefault(c.user_ids[0], []).append((c.start, c.end))
    return {user: _union(s) for user, s in spans.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schedules(min_shifts=1, max_shifts=3, max_swaps=0),
    st.data(),
    st.sampled_from([0, 5, -30, 90]) | st.integers(-24 * 60, 24 * 60),
    st.integers(2 * 24 * 60, 10 * 24 * 60),
    st.lists(
        st.tuples(
            st.sampled_from(shiftcalc.strategies.DEFAULT_USER_IDS),
            st.integers(0, 8 * 24 * 60),
            st.integers(0, 3 * 24 * 60),
        ),
        max_size=6,
    ),
)
def test_conflicts_match_naive_intersection_of_rows(
    a: Schedule,
    data: st.DataObject,
    shift_minutes: int,
    window_minutes: int,
    away: list[tuple[str, int, int]],
) -> None:
    """B names A's people under other ids ('B-' + A's id, same username and e-mail): A's
    shifts and others near them, moved by up to a day, so that they overlap. Every pair of
    rows of one person intersected naively, and every row with every time-off interval,
    unioned per user: what conflicts() reports."""
    ids = [u.id for u in a.users]
    drawn = data.draw(st.lists(shifts(users=ids, time_zones=(a.time_zone,)), max_size=2))
    if drawn:  # near A's shifts
        delta = a.shifts[0].start - drawn[0].start
        drawn = list(_shifted(Schedule(shifts=tuple(drawn)), delta).shifts)
    people = tuple(replace(u, id=f"B-{u.id}") for u in a.users)
    renamed = tuple(
        replace(
            shift,
            users=tuple(f"B-{u}" for u in shift.users),
            rolling_users=tuple(tuple(f"B-{u}" for u in g) for g in shift.rolling_users),
        )
        for shift in (*a.shifts, *drawn)
    )
    b = Schedule(time_zone=a.time_zone, users=people, shifts=renamed)
    b = _shifted(b, timedelta(minutes=shift_minutes))
    start = a.shifts[0].start.replace(tzinfo=UTC) - timedelta(hours=14)
    window = Window(start=start, end=start + timedelta(minutes=window_minutes))
    time_off = {
        name: [(start + timedelta(minutes=s), start + timedelta(minutes=s + n))]
        for name, s, n in away
        if name in ids
    }
    found = conflicts([a, b], window, time_off=time_off)
    rows_a = shiftcalc.resolve(a, window).shifts
    rows_b = shiftcalc.resolve(b, window).shifts
    naive: dict[str, Spans] = {}
    for x in rows_a:
        for y in rows_b:
            if f"B-{x.user}" == y.user and max(x.start, y.start) < min(x.end, y.end):
                naive.setdefault(x.user, []).append((max(x.start, y.start), min(x.end, y.end)))
    assert _by_user(found, "overlap") == {u: _union(s) for u, s in naive.items()}
    # a time-off name is one of A's ids: in B it names the user whose username it is
    names_b = {f"B-{u.id}": u.id for u in a.users if u.username == u.id}
    for rows, index, names in ((rows_a, 0, {u: u for u in ids}), (rows_b, 1, names_b)):
        absent: dict[str, Spans] = {}
        for row in rows:
            for lo, hi in time_off.get(names.get(row.user, ""), []):
                if max(lo, row.start) < min(hi, row.end):
                    absent.setdefault(row.user, []).append((max(lo, row.start), min(hi, row.end)))
        reported = [c for c in found if c.kind == "time_off" and c.schedules == (index,)]
        assert _by_user(tuple(reported), "time_off") == {u: _union(s) for u, s in absent.items()}
    assert all(c.start < c.end and window.start <= c.start and c.end <= window.end for c in found)


def test_cli_conflicts_exit_status_and_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 without conflicts, 1 with, 2 on bad input (naming the file); table and JSON."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(TEAM_A))
    b.write_text(json.dumps(TEAM_B))
    off = tmp_path / "off.ics"
    off.write_text(ABSENCES)
    assert main(["conflicts", str(a), str(b)]) == 1
    table = capsys.readouterr().out
    assert "overlap   alice  2024-01-03T00:00:00Z -> 2024-01-04T00:00:00Z" in table
    assert main(["conflicts", str(a), "--window", "2024-01-04", "2024-01-05"]) == 0
    assert capsys.readouterr().out == "no conflicts\n"
    assert main(["conflicts", str(a), str(b), "--time-off", str(off), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    kinds = [(c["kind"], c["user"], c["hours"]) for c in document["conflicts"]]
    assert ("time_off", "bob", 48.0) in kinds
    intervals = tmp_path / "off.json"
    intervals.write_text(json.dumps({"bob": [{"start": "2024-01-09", "end": "2024-01-10"}]}))
    assert main(["conflicts", str(b), "--time-off", str(intervals)]) == 1
    capsys.readouterr()
    intervals.write_text(json.dumps({"bob": [{"start": "2024-01-09", "end": "nope"}]}))
    assert main(["conflicts", str(b), "--time-off", str(intervals)]) == 2
    assert "time_off[bob][0].end" in capsys.readouterr().err
    b.write_text(json.dumps({**TEAM_B, "shifts": [{"type": "nope"}]}))
    assert main(["conflicts", str(a), str(b)]) == 2
    assert f"{b} shifts[0]" in capsys.readouterr().err


def test_document_writes_four_digit_years() -> None:
    """The year 500 is written "0500" in the JSON and the table, as in every other document
    (conflicts once wrote its instants with strftime, which gives "500" on glibc)."""
    from shiftcalc._conflicts import conflicts_document, conflicts_table

    start = datetime(500, 3, 1, 9, tzinfo=UTC)
    window = Window(start=start, end=start + timedelta(days=1))
    found = [
        Conflict(
            kind="overlap",
            user="alice",
            user_ids=("alice", "alice"),
            schedules=(0, 1),
            start=start,
            end=start + timedelta(hours=2),
        )
    ]
    document = conflicts_document(found, window, ["a.json", "b.json"])
    assert document["window"]["start"] == "0500-03-01T09:00:00Z"
    assert document["conflicts"][0]["end"] == "0500-03-01T11:00:00Z"
    assert "0500-03-01T09:00:00Z -> 0500-03-01T11:00:00Z" in conflicts_table(found, ["a", "b"])
