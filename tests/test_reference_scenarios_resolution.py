"""Acceptance scenarios S20–S38 of the Grafana OnCall reference (§4): resolution and export.

Same approach as ``test_reference_scenarios.py``: scenario dicts through the public API, the
reference's answer for the ``oncall`` profile, a hand-derived answer for ``strict`` (§7 "fixed"
column, DESIGN.md) where it differs, one parametrised test where both agree.

D = 2024-08-12T00:00:00Z (a Monday) unless the reference gives concrete dates. Scenario
overrides are web overrides (scenario-format.md): level 99, web source, so the reference's
override levels 0/1 (S20, S38) become 99 here; see each test.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from scenario_builders import BOTH, DAY, HOUR, shift, z
from shiftcalc import (
    Scenario,
    ValidationError,
    expand,
    final_shifts_document,
    hours_on_call,
    load_scenario,
    on_call_at,
    resolve,
)

D = datetime(2024, 8, 12)
BOTH_EVENTS = BOTH

Row = tuple[str, str, str]
Event = tuple[str, str, tuple[str, ...], int, bool]


# --------------------------------------------------------------------------- helpers


def t(hours: float = 0, *, day: int = 0, seconds: int = 0) -> str:
    """D + day days + hours + seconds, as a ``Z`` instant."""
    return z(D + day * DAY + timedelta(hours=hours, seconds=seconds))


def daily(user: str, level: int, start: float, end: float, **fields: Any) -> dict[str, Any]:
    """A daily one-user rotation from D+start h to D+end h, rotation_start = start."""
    begin = D + timedelta(hours=start)
    return shift(
        "rolling_users",
        begin,
        timedelta(hours=end - start),
        level=level,
        rotation_start=begin,
        frequency="daily",
        rolling_users=[[user]],
        **fields,
    )


def override(user: str, start: float, end: float) -> dict[str, Any]:
    begin = D + timedelta(hours=start)
    return shift("override", begin, timedelta(hours=end - start), users=[user])


def scenario(
    *shifts: dict[str, Any],
    schedule_type: str = "web",
    time_zone: str | None = None,
    window: tuple[str, str] = (t(0), t(24)),
    swaps: list[dict[str, Any]] | None = None,
    users: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    head: dict[str, Any] = {"type": schedule_type}
    if time_zone is not None:
        head["time_zone"] = time_zone
    data: dict[str, Any] = {
        "schedule": head,
        "shifts": list(shifts),
        "window": {"start": window[0], "end": window[1]},
    }
    if swaps is not None:
        data["swaps"] = swaps
    if users is not None:
        data["users"] = users
    return data


def load(data: dict[str, Any], profile: str) -> Scenario:
    return load_scenario(data, profile=profile)  # type: ignore[arg-type]


def rows(data: dict[str, Any], profile: str) -> list[Row]:
    """Final-shift rows (user, start, end), in the order the API returns them."""
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    return [(row.user, z(row.start), z(row.end)) for row in resolution.shifts]


def events(data: dict[str, Any], profile: str) -> list[Event]:
    """Non-gap final events (start, end, users, level, is_override), sorted."""
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    return sorted(
        (z(e.start), z(e.end), tuple(sorted(e.users)), e.level, e.is_override)
        for e in resolution.events
        if not e.is_gap
    )


def gaps(data: dict[str, Any], profile: str) -> list[tuple[str, str]]:
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    return [(z(gap.start), z(gap.end)) for gap in resolution.gaps]


def who(data: dict[str, Any], profile: str, instant: str) -> tuple[str, ...]:
    schedule = load(data, profile).schedule
    at = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return on_call_at(schedule, at, profile=profile)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- S20–S26


def _s20() -> dict[str, Any]:
    return scenario(
        daily("A", 1, 10, 15),
        daily("B", 1, 11, 13),
        daily("A", 1, 16, 19),
        daily("A", 1, 21, 22),
        daily("B", 1, 22, 24),
        daily("C", 2, 12, 14),
        daily("D", 2, 14, 15),
        daily("D", 2, 17, 18),
        daily("D", 2, 20, 23),
        override("E", 22, 23),
        override("A", 22, 22.5),
    )


def test_s20_final_events_oncall() -> None:
    """S20 — final schedule with layers and overrides: every final event, gaps included.

    Both overrides are level 99 here (scenario overrides are web overrides), so instead of the
    reference's "A override L1 22–22:30, E override L0 22:30–23" they stack: A 22–22:30 and E
    22–23, both level 99. Everything else is the reference's list.
    """
    loaded = load(_s20(), "oncall")
    resolution = resolve(loaded.schedule, loaded.window, profile="oncall")
    actual = sorted(
        (z(e.start), z(e.end), tuple(e.users), e.level, e.is_override, e.is_gap, e.shift_id)
        for e in resolution.events
    )
    gap = ((), 0, False, True, None)
    expected = sorted(
        [
            (t(0), t(10), *gap),
            (t(10), t(12), ("A",), 1, False, False, "shift-0"),
            (t(11), t(12), ("B",), 1, False, False, "shift-1"),
            (t(12), t(14), ("C",), 2, False, False, "shift-5"),
            (t(14), t(15), ("D",), 2, False, False, "shift-6"),
            (t(15), t(16), *gap),
            (t(16), t(17), ("A",), 1, False, False, "shift-2"),
            (t(17), t(18), ("D",), 2, False, False, "shift-7"),
            (t(18), t(19), ("A",), 1, False, False, "shift-2"),
            (t(19), t(20), *gap),
            (t(20), t(22), ("D",), 2, False, False, "shift-8"),
            (t(22), t(22.5), ("A",), 99, True, False, "shift-10"),
            (t(22), t(23), ("E",), 99, True, False, "shift-9"),
            (t(23), t(24), ("B",), 1, False, False, "shift-4"),
        ]
    )
    assert expected == actual


@BOTH
def test_s20_final_shift_rows(profile: str) -> None:
    """S20 — the final-shift rows and gaps.

    strict: the per-user maximal runs are the same rows (A and B overlap 11–12 at the same
    level: both on call; A's two L1 pieces around D's 17–18 stay separate), the same gaps.
    """
    expected = [
        ("A", t(10), t(12)),
        ("B", t(11), t(12)),
        ("C", t(12), t(14)),
        ("D", t(14), t(15)),
        ("A", t(16), t(17)),
        ("D", t(17), t(18)),
        ("A", t(18), t(19)),
        ("D", t(20), t(22)),
        ("A", t(22), t(22.5)),
        ("E", t(22), t(23)),
        ("B", t(23), t(24)),
    ]
    assert sorted(expected) == sorted(rows(_s20(), profile))
    assert [(t(0), t(10)), (t(15), t(16)), (t(19), t(20))] == gaps(_s20(), profile)


@BOTH_EVENTS
def test_s21_override_fully_replaces(profile: str) -> None:
    """S21 — an override 10–15 over a level-0 rotation 10–15: only B (override) is on call."""
    data = scenario(daily("A", 0, 10, 15), override("B", 10, 15))
    assert [(t(10), t(15), ("B",), 99, True)] == events(data, profile)


def test_s22_point_window_returns_unclipped_event_oncall() -> None:
    """S22 — point window [D+10h+1s, D+10h+1s]: the only event is B's whole override 10–14."""
    data = scenario(
        daily("A", 0, 10, 15),
        override("B", 10, 14),
        window=(t(10, seconds=1), t(10, seconds=1)),
    )
    assert [(t(10), t(14), ("B",), 99, True)] == events(data, "oncall")
    assert who(data, "oncall", t(10, seconds=1)) == ("B",)


def test_s22_point_query_strict() -> None:
    """S22 (strict) — a point query covers ``start <= t < end``; rows are always clipped.

    B is on call at D+10h+1s; a zero-length window clips every row to nothing, so no rows;
    at 14:00 A's remainder (14–15) is on call.
    """
    data = scenario(
        daily("A", 0, 10, 15),
        override("B", 10, 14),
        window=(t(10, seconds=1), t(10, seconds=1)),
    )
    assert who(data, "strict", t(10, seconds=1)) == ("B",)
    assert rows(data, "strict") == []
    assert who(data, "strict", t(14)) == ("A",)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: at the exact hand-off, A's event ends (end <= now) and B's starts (start >=
        # now): nobody (§3.6).
        pytest.param("oncall", (), id="oncall"),
        # strict: B covers 14:00 <= t < 18:00.
        pytest.param("strict", ("B",), id="strict"),
    ],
)
def test_s22_point_query_at_hand_off(profile: str, expected: tuple[str, ...]) -> None:
    """S22 (§3.6) — point query at the exact hand-off A 10–14 → B 14–18."""
    data = scenario(daily("A", 0, 10, 14), daily("B", 0, 14, 18))
    assert expected == who(data, profile, t(14))


@BOTH
def test_s23_splitting_by_a_higher_layer(profile: str) -> None:
    """S23 — A L1 10–20, B L1 12–16, C L2 15–18 → A 10–15, B 12–15, C 15–18, A 18–20."""
    data = scenario(daily("A", 1, 10, 20), daily("B", 1, 12, 16), daily("C", 2, 15, 18))
    expected = [("A", t(10), t(15)), ("B", t(12), t(15)), ("C", t(15), t(18)), ("A", t(18), t(20))]
    assert sorted(expected) == sorted(rows(data, profile))


@BOTH
def test_s24_same_time_equal_layer(profile: str) -> None:
    """S24 — A L1 10–20, B L1 10–20, C L2 10–13 → C 10–13, A 13–20, B 13–20."""
    data = scenario(daily("A", 1, 10, 20), daily("B", 1, 10, 20), daily("C", 2, 10, 13))
    expected = [("C", t(10), t(13)), ("A", t(13), t(20)), ("B", t(13), t(20))]
    assert sorted(expected) == sorted(rows(data, profile))


@pytest.mark.parametrize("kind", ["level-2", "override"])
@BOTH
def test_s25_preview(profile: str, kind: str) -> None:
    """S25 — user L1 09–18 plus other_user 12–13 (L2 or override) → user, other_user, user."""
    other = daily("other_user", 2, 12, 13) if kind == "level-2" else override("other_user", 12, 13)
    data = scenario(daily("user", 1, 9, 18), other)
    expected = [("user", t(9), t(12)), ("other_user", t(12), t(13)), ("user", t(13), t(18))]
    assert sorted(expected) == sorted(rows(data, profile))


def test_s25_preview_no_user_oncall() -> None:
    """S25 (no user) — a level-2 rotation with only an empty group yields no final event.

    (OnCall's preview gives such a rotation an anonymous group; a saved one with no users
    produces no VEVENT at all. The strict profile rejects an empty group when loading.)
    """
    data = scenario(daily("user", 1, 9, 18), daily("x", 2, 12, 13))
    data["shifts"][1]["rolling_users"] = [[]]
    assert [(t(9), t(18), ("user",), 1, False)] == events(data, "oncall")
    with pytest.raises(ValidationError):
        load(data, "strict")


@BOTH
def test_s26_gaps(profile: str) -> None:
    """S26 — one daily rotation 10–18 in [D, D+1d]: gap, event, gap."""
    data = scenario(daily("A", 1, 10, 18))
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    timeline = [(z(e.start), z(e.end), e.is_gap) for e in resolution.events]
    assert [(t(0), t(10), True), (t(10), t(18), False), (t(18), t(24), True)] == timeline
    assert [(t(0), t(10)), (t(18), t(24))] == gaps(data, profile)


# --------------------------------------------------------------------------- S27, S29–S31

S27_USERS = [
    {"id": "alice", "username": "alice", "email": "alice@example.com"},
    {"id": "bob", "username": "bob", "email": "bob@example.com"},
]


def _s27(*extra: dict[str, Any], window: tuple[str, str] | None = None) -> dict[str, Any]:
    start = datetime(2023, 1, 1, 9)
    return scenario(
        shift(
            "rolling_users",
            start,
            8 * HOUR,
            level=1,
            rotation_start=start,
            until=datetime(2023, 1, 29, 9),
            frequency="daily",
            interval=1,
            by_day=["MO", "WE", "FR"],
            rolling_users=[["alice"], ["bob"]],
        ),
        *extra,
        users=S27_USERS,
        window=window or ("2023-01-01T18:00:00Z", "2023-02-01"),
    )


@BOTH
def test_s27_final_shifts_export(profile: str) -> None:
    """S27 — final_shifts export of the docs example, row for row, with the envelope.

    strict: the start (a Sunday) is not an occurrence; selected days counted from Jan 1 give
    alice Jan 2, bob Jan 4, ...; no rows touch, so the per-user rows are the same.
    """
    data = _s27()
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    document = final_shifts_document(resolution.shifts, loaded.schedule)
    days = {"alice": [2, 6, 11, 16, 20, 25], "bob": [4, 9, 13, 18, 23, 27]}
    expected_rows = sorted(
        ((day, user) for user, dates in days.items() for day in dates), key=lambda item: item[0]
    )
    results = [
        {
            "user_pk": user,
            "user_email": f"{user}@example.com",
            "user_username": user,
            "shift_start": f"2023-01-{day:02d}T09:00:00Z",
            "shift_end": f"2023-01-{day:02d}T17:00:00Z",
        }
        for day, user in expected_rows
    ]
    assert {
        "count": 12,
        "next": None,
        "previous": None,
        "results": results,
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    } == document
    assert hours_on_call(resolution.shifts) == {"alice": 48.0, "bob": 48.0}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: the override cuts alice's L1 event into two pieces; rows are never merged.
        pytest.param(
            "oncall",
            [
                ("alice", "2023-01-02T09:00:00Z", "2023-01-02T11:00:00Z"),
                ("alice", "2023-01-02T11:00:00Z", "2023-01-02T12:00:00Z"),
                ("alice", "2023-01-02T12:00:00Z", "2023-01-02T17:00:00Z"),
            ],
            id="oncall",
        ),
        # strict: one row per maximal run of a user: alice 09–17.
        pytest.param(
            "strict", [("alice", "2023-01-02T09:00:00Z", "2023-01-02T17:00:00Z")], id="strict"
        ),
    ],
)
def test_s27_rows_merged_per_user(profile: str, expected: list[Row]) -> None:
    """S27 (§3.7) — alice overrides herself 11–12 on Jan 2: rows for Jan 2."""
    extra = shift("override", datetime(2023, 1, 2, 11), HOUR, users=["alice"])
    data = _s27(extra, window=("2023-01-02T00:00:00Z", "2023-01-03T00:00:00Z"))
    assert expected == rows(data, profile)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: start_date == end_date inside alice's shift gives one zero-length row.
        pytest.param(
            "oncall", [("alice", "2023-01-02T12:00:00Z", "2023-01-02T12:00:00Z")], id="oncall"
        ),
        # strict: rows are clipped to the window and never zero-length.
        pytest.param("strict", [], id="strict"),
    ],
)
def test_s27_zero_length_rows(profile: str, expected: list[Row]) -> None:
    """S27 (§3.7) — export with start_date == end_date = 2023-01-02T12:00."""
    data = _s27(window=("2023-01-02T12:00:00Z", "2023-01-02T12:00:00Z"))
    assert expected == rows(data, profile)


@BOTH
def test_s29_export_with_start_index(profile: str) -> None:
    """S29 — start_rotation_from_user_index 1: user2 Jan 1, user1 Jan 2; July hours 32 / 30.

    strict: turn = day index; group = (turn + 1) mod 2; Jul 1 is day 181 → user1.
    """
    start = datetime(2023, 1, 1, 9)
    data = scenario(
        shift(
            "rolling_users",
            start,
            2 * HOUR,
            frequency="daily",
            start_rotation_from_user_index=1,
            rolling_users=[["user1"], ["user2"]],
        ),
        schedule_type="calendar",
        window=("2023-07-01T09:00:00Z", "2023-07-31T11:00:00Z"),
    )
    loaded = load(data, profile)
    resolution = resolve(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    assert hours_on_call(resolution.shifts) == {"user1": 32.0, "user2": 30.0}
    assert who(data, profile, "2023-01-01T09:05:00Z") == ("user2",)
    assert who(data, profile, "2023-01-02T09:05:00Z") == ("user1",)


@BOTH
def test_s30_export_truncation(profile: str) -> None:
    """S30 — Monday 09:00 → Tuesday 09:00 occurrence clipped to [Jan 3 00:00, 09:00)."""
    data = scenario(
        shift(
            "rolling_users",
            datetime(2023, 1, 1, 9),
            DAY,
            frequency="daily",
            by_day=["MO", "WE", "FR"],
            rolling_users=[["user1"]],
        ),
        window=("2023-01-03", "2023-01-03T09:00:00Z"),
    )
    assert rows(data, profile) == [("user1", "2023-01-03T00:00:00Z", "2023-01-03T09:00:00Z")]


def _s31(window: tuple[str, str]) -> dict[str, Any]:
    return scenario(
        shift(
            "rolling_users",
            datetime(2024, 10, 1),
            7 * DAY,
            frequency="weekly",
            week_start="MO",
            rolling_users=[["u1"]],
        ),
        schedule_type="calendar",
        time_zone="America/Chicago",
        window=window,
    )


S31_WINDOWS = [
    pytest.param(
        ("2024-11-04T00:00:00Z", "2024-11-05T00:00:00Z"),
        ("2024-10-29T05:00:00Z", "2024-11-05T06:00:00Z"),
        id="fall-back",
    ),
    pytest.param(
        ("2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z"),
        ("2025-03-04T06:00:00Z", "2025-03-11T05:00:00Z"),
        id="spring-forward",
    ),
]


@pytest.mark.parametrize(("window", "occurrence"), S31_WINDOWS)
def test_s31_dst_weekly_oncall(window: tuple[str, str], occurrence: tuple[str, str]) -> None:
    """S31 — DST, weekly 7-day rotation in America/Chicago: one unclipped event."""
    data = _s31(window)
    assert [(*occurrence, ("u1",), 0, False)] == events(data, "oncall")


@pytest.mark.parametrize(("window", "occurrence"), S31_WINDOWS)
def test_s31_dst_weekly_strict(window: tuple[str, str], occurrence: tuple[str, str]) -> None:
    """S31 (strict) — wall-clock durations keep the Tuesday 00:00 local hand-off.

    The occurrence is the same interval (Tue 00:00 local → next Tue 00:00 local); the final
    row is clipped to the window (§7: always clip).
    """
    loaded = load(_s31(window), "strict")
    intervals = expand(loaded.schedule, loaded.window, profile="strict")
    assert [occurrence] == [(z(i.start), z(i.end)) for i in intervals]
    assert [("u1", *window)] == rows(_s31(window), "strict")


@pytest.mark.parametrize(
    ("durations", "end"),
    [
        pytest.param("wall", "2024-11-05T06:00:00Z", id="wall"),
        # elapsed: exactly 7 × 24 h from 2024-10-29T05:00Z, i.e. 23:00 local on Nov 4.
        pytest.param("elapsed", "2024-11-05T05:00:00Z", id="elapsed"),
    ],
)
def test_s31_dst_duration_modes_strict(durations: str, end: str) -> None:
    """S31 (strict) — the occurrence across fall-back under both duration modes."""
    loaded = load(_s31(("2024-11-04T00:00:00Z", "2024-11-05T00:00:00Z")), "strict")
    intervals = expand(loaded.schedule, loaded.window, durations=durations)  # type: ignore[arg-type]
    assert [("2024-10-29T05:00:00Z", end)] == [(z(i.start), z(i.end)) for i in intervals]


def test_s31_no_gap_across_dst_strict() -> None:
    """S31 (strict) — three weeks across fall-back: one continuous row, no gap."""
    window = ("2024-10-22T05:00:00Z", "2024-11-12T06:00:00Z")
    assert [("u1", *window)] == rows(_s31(window), "strict")
    assert gaps(_s31(window), "strict") == []


# --------------------------------------------------------------------------- S33–S38


ALMOST_HALF_DAY = 12 * HOUR - timedelta(seconds=1)  # 00:00–11:59:59 and 12:00–23:59:59


def _s33() -> dict[str, Any]:
    return scenario(
        shift(
            "rolling_users",
            D,
            ALMOST_HALF_DAY,
            level=1,
            rotation_start=D,
            frequency="daily",
            rolling_users=[["u1"]],
        ),
        shift(
            "rolling_users",
            D + 12 * HOUR,
            ALMOST_HALF_DAY,
            level=1,
            rotation_start=D + 12 * HOUR,
            frequency="daily",
            rolling_users=[["u2"]],
        ),
        override("u1", 22, 23),
    )


@BOTH_EVENTS
def test_s33_cached_final_export_events(profile: str) -> None:
    """S33 — final events of the cached export: levels, override flags and times.

    (The exported override keeps the override's level, 99 for a web override.)
    """
    expected = [
        (t(0), t(11, seconds=3599), ("u1",), 1, False),
        (t(12), t(22), ("u2",), 1, False),
        (t(22), t(23), ("u1",), 99, True),
        (t(23), t(23, seconds=3599), ("u2",), 1, False),
    ]
    assert expected == events(_s33(), profile)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: holes under a minute between records are not gaps; the tail is (§3.3).
        pytest.param("oncall", [(t(23, seconds=3599), t(24))], id="oncall"),
        # strict: every part of the window nobody covers is a gap.
        pytest.param(
            "strict",
            [(t(11, seconds=3599), t(12)), (t(23, seconds=3599), t(24))],
            id="strict",
        ),
    ],
)
def test_s33_one_second_holes(profile: str, expected: list[tuple[str, str]]) -> None:
    """S33 (§3.3) — the one-second holes at 11:59:59 and 23:59:59."""
    assert expected == gaps(_s33(), profile)


def _swap(start: str, end: str, *, taken: bool = True, who: str = "user") -> dict[str, Any]:
    return {
        "beneficiary": who,
        "benefactor": "other_user" if taken else None,
        "swap_start": start,
        "swap_end": end,
    }


def _s34(*swaps: dict[str, Any], window: tuple[str, str] = (t(0), t(0, day=2))) -> dict[str, Any]:
    return scenario(daily("user", 1, 12, 15), swaps=list(swaps), window=window)


TODAY = ("user", t(12), t(15))

S34_CASES = [
    # id, swap (tomorrow = day 1), oncall rows, strict rows (None: same as oncall)
    (
        "split_start-taken",
        _swap(t(13, day=1), t(18, day=1)),
        [TODAY, ("user", t(12, day=1), t(13, day=1)), ("other_user", t(13, day=1), t(15, day=1))],
        None,
    ),
    (
        "split_end-taken",
        _swap(t(10, day=1), t(13, day=1)),
        [TODAY, ("other_user", t(12, day=1), t(13, day=1)), ("user", t(13, day=1), t(15, day=1))],
        None,
    ),
    (
        "split_both-taken",
        _swap(t(13, day=1), t(14, day=1)),
        [
            TODAY,
            ("user", t(12, day=1), t(13, day=1)),
            ("other_user", t(13, day=1), t(14, day=1)),
            ("user", t(14, day=1), t(15, day=1)),
        ],
        None,
    ),
    # Untaken swaps: oncall still splits the beneficiary's event (rows never merge);
    # strict: an open request changes nothing, one row per occurrence.
    (
        "split_start-untaken",
        _swap(t(13, day=1), t(18, day=1), taken=False),
        [TODAY, ("user", t(12, day=1), t(13, day=1)), ("user", t(13, day=1), t(15, day=1))],
        [TODAY, ("user", t(12, day=1), t(15, day=1))],
    ),
    (
        "split_both-untaken",
        _swap(t(13, day=1), t(14, day=1), taken=False),
        [
            TODAY,
            ("user", t(12, day=1), t(13, day=1)),
            ("user", t(13, day=1), t(14, day=1)),
            ("user", t(14, day=1), t(15, day=1)),
        ],
        [TODAY, ("user", t(12, day=1), t(15, day=1))],
    ),
    (
        "no_changes-stranger",
        _swap(t(13, day=1), t(14, day=1), who="stranger"),
        [TODAY, ("user", t(12, day=1), t(15, day=1))],
        None,
    ),
]


@pytest.mark.parametrize(
    ("profile", "swap", "expected"),
    [
        pytest.param(
            profile,
            swap,
            strict if profile == "strict" and strict else oncall,
            id=f"{name}-{profile}",
        )
        for name, swap, oncall, strict in S34_CASES
        for profile in ("oncall", "strict")
    ],
)
def test_s34_swap_splits(profile: str, swap: dict[str, Any], expected: list[Row]) -> None:
    """S34 — shift swaps over user L1 daily 12–15, swap on tomorrow; rows of [D, D+2d]."""
    assert sorted(expected) == sorted(rows(_s34(swap), profile))


@BOTH
def test_s34_whole_shift(profile: str) -> None:
    """S34 (whole_shift) — swap from tomorrow 15:00 to tomorrow+2d 12:00; window [D+1, D+3].

    Tomorrow's occurrence ends as the swap starts (unchanged); the next day's is swapped whole.
    """
    data = _s34(_swap(t(15, day=1), t(12, day=3)), window=(t(0, day=1), t(0, day=3)))
    expected = [("user", t(12, day=1), t(15, day=1)), ("other_user", t(12, day=2), t(15, day=2))]
    assert expected == rows(data, profile)


@BOTH_EVENTS
def test_s34_partial_replace(profile: str) -> None:
    """S34 (partial_replace) — group [user, another_user]; swap tomorrow 10–13 taken.

    The 12–13 piece has other_user and another_user, 13–15 keeps user and another_user.
    strict: the same timeline (another_user's row is merged across the split).
    """
    data = _s34(_swap(t(10, day=1), t(13, day=1)))
    data["shifts"][0]["rolling_users"] = [["user", "another_user"]]
    expected = [
        (t(12), t(15), ("another_user", "user"), 1, False),
        (t(12, day=1), t(13, day=1), ("another_user", "other_user"), 1, False),
        (t(13, day=1), t(15, day=1), ("another_user", "user"), 1, False),
    ]
    assert expected == events(data, profile)


def test_s34_split_final_events_range_oncall() -> None:
    """S34 (split_final_events_range) — shift 10–18, taken swap tomorrow 16–18, point 16:10."""
    point = t(16, day=1, seconds=600)
    data = scenario(
        daily("user", 1, 10, 18),
        swaps=[_swap(t(16, day=1), t(18, day=1))],
        window=(point, point),
    )
    assert [(t(16, day=1), t(18, day=1), ("other_user",), 1, False)] == events(data, "oncall")


@BOTH
def test_s34_split_final_events_range_on_call(profile: str) -> None:
    """S34 (split_final_events_range) — other_user is on call at tomorrow 16:10."""
    data = scenario(daily("user", 1, 10, 18), swaps=[_swap(t(16, day=1), t(18, day=1))])
    assert who(data, profile, t(16, day=1, seconds=600)) == ("other_user",)
    assert who(data, profile, t(15, day=1)) == ("user",)


@BOTH
def test_s35_higher_level_wins_now(profile: str) -> None:
    """S35 — user L1 from now−1h (3 h), another_user L2 from now−30m (2 h): another_user."""
    now = 10.0
    data = scenario(
        daily("user", 1, now - 1, now + 2), daily("another_user", 2, now - 0.5, now + 1.5)
    )
    assert who(data, profile, t(now)) == ("another_user",)


@BOTH
def test_s37_gaps_with_interval_2(profile: str) -> None:
    """S37 — 24 h daily with interval 2: a gap every other day over the next 30 days.

    (The viewer and deleted-user parts of S37 cannot be written as a scenario: every user
    named in a scenario is a known user who can be notified.)
    """
    data = scenario(
        shift(
            "rolling_users",
            D,
            DAY,
            frequency="daily",
            interval=2,
            rolling_users=[["u"]],
        ),
        window=(t(0), t(0, day=30)),
    )
    expected = [(t(0, day=n), t(0, day=n + 1)) for n in range(1, 30, 2)]
    assert expected == gaps(data, profile)


@BOTH_EVENTS
def test_s38_events_by_calendar_type(profile: str) -> None:
    """S38 — rotation user L1 daily from D+1d10h (4 h) and an override D+22h (1 h).

    The scenario override is a web override (level 99, web source) rather than the reference's
    API-source level-0 one; the viewer-only rotation cannot be expressed (no viewers in a
    scenario) and is left out. Expected: the override first, then the two primary events.
    """
    data = scenario(
        shift(
            "rolling_users",
            D + DAY + 10 * HOUR,
            4 * HOUR,
            level=1,
            frequency="daily",
            rolling_users=[["user"]],
        ),
        override("user", 22, 23),
        window=(t(0), t(0, day=3)),
    )
    expected = [
        (t(22), t(23), ("user",), 99, True),
        (t(10, day=1), t(14, day=1), ("user",), 1, False),
        (t(10, day=2), t(14, day=2), ("user",), 1, False),
    ]
    assert expected == events(data, profile)
    loaded = load(data, profile)
    records = expand(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    assert [(t(22), True, "web"), (t(10, day=1), False, "api"), (t(10, day=2), False, "api")] == (
        sorted(
            ((z(r.start), r.is_override, r.source) for r in records),
            key=lambda item: item[0],
        )
    )
