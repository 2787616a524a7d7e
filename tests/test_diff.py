"""shiftcalc.diff: what a change to a schedule does (golden stories and properties)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import shiftcalc
from shiftcalc import Diff, FinalShift, Scenario, Schedule, Shift, Weights, Window
from shiftcalc.strategies import scenarios

PROFILES = ("strict", "oncall")
H = timedelta(hours=1)


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=UTC)


BASE: dict[str, Any] = {
    "schedule": {"type": "calendar", "time_zone": "Europe/London"},
    "users": [
        {"id": "UA", "username": "alice"},
        {"id": "UB", "username": "bob"},
        {"id": "UC", "username": "carol"},
        {"id": "UD", "username": "dave"},
    ],
    "shifts": [
        {
            "type": "rolling_users",
            "start": "2024-01-01T09:00:00",
            "duration": 604800,
            "frequency": "weekly",
            "week_start": "MO",
            "rolling_users": [["alice"], ["bob"], ["carol"]],
            "start_rotation_from_user_index": 0,
        }
    ],
    "window": {"start": "2024-01-08T00:00:00Z", "end": "2024-02-05T00:00:00Z"},
}


def scenario(**changes: Any) -> Scenario:
    data = json.loads(json.dumps(BASE))
    data.update(changes)
    return shiftcalc.load_scenario(data)


def rotation(**changes: Any) -> list[dict[str, Any]]:
    shift = {**BASE["shifts"][0], **changes}
    return [shift]


# --------------------------------------------------------------------------- golden stories


@pytest.mark.parametrize("profile", PROFILES)
def test_an_override_that_changes_nothing_is_identical(profile: str) -> None:
    # alice is on call all week from Mon 8 Jan 09:00? no: bob is (index 1); bob overrides himself
    override = {
        "type": "override",
        "start": "2024-01-10T12:00:00",
        "duration": 7200,
        "users": ["bob"],
    }
    result = shiftcalc.diff(scenario(), scenario(shifts=[*rotation(), override]), profile=profile)  # type: ignore[arg-type]
    assert result.identical
    assert result.first_difference is None
    assert result.changes == result.users == result.added == result.removed == result.moved == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_adding_dave_to_the_rotation_takes_weeks_from_the_others(profile: str) -> None:
    groups = [["alice"], ["bob"], ["carol"], ["dave"]]
    result = shiftcalc.diff(
        scenario(), scenario(shifts=rotation(rolling_users=groups)), profile=profile
    )  # type: ignore[arg-type]
    # before: Jan 1 alice, 8 bob, 15 carol, 22 alice, 29 bob; after: ... 22 dave, 29 alice
    assert [(c.start, c.end, c.before, c.after) for c in result.changes] == [
        (at(22, 9), at(29, 9), ("UA",), ("UD",)),
        (datetime(2024, 1, 29, 9, tzinfo=UTC), datetime(2024, 2, 5, tzinfo=UTC), ("UB",), ("UA",)),
    ]
    assert result.first_difference == at(22, 9)
    hours = {d.user: (d.gained / H, d.lost / H) for d in result.users}
    # Jan 29 09:00 to Feb 5 00:00 is 7 days less 9 hours: 159 h
    assert hours == {"UA": (159.0, 168.0), "UB": (0.0, 159.0), "UD": (168.0, 0.0)}
    assert [(h.at, h.before, h.after) for h in result.removed] == [
        (at(22, 9), ("UC",), ("UA",)),
        (at(29, 9), ("UA",), ("UB",)),
    ]
    assert [(h.at, h.before, h.after) for h in result.added] == [
        (at(22, 9), ("UC",), ("UD",)),
        (at(29, 9), ("UD",), ("UA",)),
    ]
    assert result.moved == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_moving_the_handoff_from_monday_9_to_tuesday_10(profile: str) -> None:
    moved = rotation(start="2024-01-02T10:00:00")
    window = {"start": "2024-01-08T00:00:00Z", "end": "2024-01-29T00:00:00Z"}
    result = shiftcalc.diff(
        scenario(window=window), scenario(shifts=moved, window=window), profile=profile
    )  # type: ignore[arg-type]
    assert [(c.start, c.end, c.before, c.after) for c in result.changes] == [
        (at(8, 9), at(9, 10), ("UB",), ("UA",)),
        (at(15, 9), at(16, 10), ("UC",), ("UB",)),
        (at(22, 9), at(23, 10), ("UA",), ("UC",)),
    ]
    assert [(m.was, m.now, m.by, m.before, m.after) for m in result.moved] == [
        (at(8, 9), at(9, 10), 25 * H, ("UA",), ("UB",)),
        (at(15, 9), at(16, 10), 25 * H, ("UB",), ("UC",)),
        (at(22, 9), at(23, 10), 25 * H, ("UC",), ("UA",)),
    ]
    assert result.added == result.removed == ()
    assert {d.user: d.net_hours for d in result.users} == {"UA": 0.0, "UB": 0.0, "UC": 0.0}


def test_weights_count_nights_and_weekends_in_the_zone() -> None:
    weights = Weights(
        night_start=time(22), night_end=time(6), night_factor=2.0, weekend_factor=3.0, zone="UTC"
    )
    before = [FinalShift(user="a", start=at(5, 20), end=at(6, 8))]  # Fri 20:00 -> Sat 08:00
    window = Window(start=at(5), end=at(7))
    result = shiftcalc.diff(Schedule(), Schedule(), window)  # identical: nothing weighted
    assert result.users == ()
    from shiftcalc._diff import compare

    lost = compare(before, [], window, weights=weights).users[0]
    # Fri 20-22 plain (2), Fri 22-24 night (2 x 2), Sat 00-06 night and weekend (6 x 6),
    # Sat 06-08 weekend (2 x 3)
    assert lost.lost == 12 * H
    assert lost.weighted_lost == pytest.approx(2 + 4 + 36 + 6)
    assert lost.weighted_gained == 0.0


def test_users_compared_by_id_across_directories() -> None:
    other = json.loads(json.dumps(BASE))
    other["users"][0]["username"] = "alice.renamed"
    other["shifts"][0]["rolling_users"][0] = ["UA"]
    other["schedule"]["time_zone"] = "Asia/Tokyo"
    other["shifts"][0]["time_zone"] = "Europe/London"  # the same shift, shown elsewhere
    result = shiftcalc.diff(scenario(), shiftcalc.load_scenario(other))
    assert result.identical


def test_bad_input_is_a_shiftcalc_error() -> None:
    with pytest.raises(shiftcalc.ValidationError, match="window"):
        shiftcalc.diff(Schedule(), Schedule())
    with pytest.raises(shiftcalc.ValidationError, match="before"):
        shiftcalc.diff("x", Schedule(), Window(start=at(1), end=at(2)))  # type: ignore[arg-type]
    with pytest.raises(shiftcalc.ValidationError, match=r"weights\.night_factor"):
        Weights(night_factor=float("nan"))
    with pytest.raises(shiftcalc.ValidationError, match=r"weights\.zone"):
        Weights(zone="Mars/Olympus")
    with pytest.raises(shiftcalc.ValidationError, match="profile"):
        shiftcalc.diff(Schedule(), Schedule(), Window(start=at(1), end=at(2)), profile="nope")  # type: ignore[arg-type]


def test_moved_pairs_nearest_first_within_a_region() -> None:
    from shiftcalc._diff import compare

    # before: a [0,10) b [10,20); after: a [0,12) b [12,20): one hand-off moved by 2 h
    def rows(cut: int) -> list[FinalShift]:
        return [
            FinalShift(user="a", start=at(1), end=at(1, cut)),
            FinalShift(user="b", start=at(1, cut), end=at(1, 20)),
        ]

    result = compare(rows(10), rows(12), Window(start=at(1), end=at(2)))
    assert [(m.was, m.now) for m in result.moved] == [(at(1, 10), at(1, 12))]
    assert result.added == result.removed == ()


# --------------------------------------------------------------------------- properties


def union(
    rows: tuple[FinalShift, ...], window: Window
) -> dict[str, list[tuple[datetime, datetime]]]:
    """Per user, the union of their rows clipped to the window (sorted, disjoint)."""
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for row in sorted(rows, key=lambda r: (r.start, r.end)):
        start, end = max(row.start, window.start), min(row.end, window.end)
        if start >= end:
            continue
        mine = spans.setdefault(row.user, [])
        if mine and start <= mine[-1][1]:
            mine[-1] = (mine[-1][0], max(mine[-1][1], end))
        else:
            mine.append((start, end))
    return spans


def on_call(spans: dict[str, list[tuple[datetime, datetime]]], t: datetime) -> tuple[str, ...]:
    return tuple(sorted(u for u, mine in spans.items() if any(s <= t < e for s, e in mine)))


@st.composite
def pairs(draw: st.DrawFn, profile: str) -> tuple[Schedule, Schedule, Window]:
    """A schedule, a changed copy of it (shifts dropped, an override added) and a window."""
    drawn = draw(scenarios(max_shifts=3, max_days=10, profile=profile))  # type: ignore[arg-type]
    schedule, window = drawn.schedule, drawn.window
    kept = tuple(s for s in schedule.shifts if draw(st.booleans()))
    ids = [u.id for u in schedule.users]
    if draw(st.booleans()):
        user = draw(st.sampled_from(ids))
        begin = draw(st.integers(0, 10 * 24)) * H + window.start.replace(tzinfo=None)
        begin = begin.replace(minute=0, second=0, microsecond=0)
        override = Shift(
            type="override",
            start=begin,
            duration=draw(st.integers(1, 48)) * H,
            time_zone="UTC",
            users=(user,),
            rolling_users=((user,),),
            rotation_start=begin,
            level=99,
        )
        kept += (override,)
    return schedule, replace(schedule, shifts=kept), window


def check_diff_properties(a: Schedule, b: Schedule, window: Window, profile: Any) -> None:
    try:
        same = shiftcalc.diff(a, a, window, profile=profile)
        result = shiftcalc.diff(a, b, window, profile=profile)
    except shiftcalc.ShiftcalcError:
        assume(False)
        return
    # diff(a, a) is identical
    assert same.identical and same.changes == () and same.users == ()
    assert same.added == same.removed == same.moved == ()
    rows_a = shiftcalc.resolve(a, window, profile=profile).shifts
    rows_b = shiftcalc.resolve(b, window, profile=profile).shifts
    union_a, union_b = union(rows_a, window), union(rows_b, window)
    # applying the changed stretches to a's final shifts gives b's, at every instant where
    # anything may change (the sets are constant between these)
    instants = {window.start} | {
        t for spans in (*union_a.values(), *union_b.values()) for s, e in spans for t in (s, e)
    }
    for t in sorted(i for i in instants if window.start <= i < window.end):
        users = on_call(union_a, t)
        for change in result.changes:
            if change.start <= t < change.end:
                assert users == change.before
                users = change.after
        assert users == on_call(union_b, t)
    assert result.identical == (union_a == union_b)

    # per user, gained - lost is the difference of the hours on call (of the union per user;
    # in strict the rows are already disjoint, so it is hours_on_call's)
    def hours(spans: dict[str, list[tuple[datetime, datetime]]]) -> dict[str, timedelta]:
        return {u: sum((e - s for s, e in mine), timedelta()) for u, mine in spans.items()}

    ha, hb = hours(union_a), hours(union_b)
    for delta in result.users:
        assert delta.gained - delta.lost == hb.get(delta.user, timedelta()) - ha.get(
            delta.user, timedelta()
        )
    for user in ha.keys() | hb.keys():
        if ha.get(user) != hb.get(user):
            assert user in {d.user for d in result.users}
    if profile == "strict":
        on_a, on_b = shiftcalc.hours_on_call(rows_a), shiftcalc.hours_on_call(rows_b)
        for delta in result.users:
            expected = on_b.get(delta.user, 0.0) - on_a.get(delta.user, 0.0)
            assert delta.net_hours == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("profile", PROFILES)
def test_diff_properties(profile: str) -> None:
    @settings(deadline=None)
    @given(pairs(profile))
    def run(pair: tuple[Schedule, Schedule, Window]) -> None:
        check_diff_properties(*pair, profile)

    run()


def split_diff(a: Schedule, b: Schedule, window: Window, seam: datetime, profile: Any) -> None:
    whole = shiftcalc.diff(a, b, window, profile=profile)
    first = shiftcalc.diff(a, b, Window(start=window.start, end=seam), profile=profile)
    second = shiftcalc.diff(a, b, Window(start=seam, end=window.end), profile=profile)
    assert first.join(second) == whole


def join_holds_for_resolutions(a: Schedule, window: Window, seam: datetime, profile: Any) -> bool:
    """Whether resolving over the two halves gives the rows of the whole, clipped (the join
    property of the diff rests on it)."""
    whole = union(shiftcalc.resolve(a, window, profile=profile).shifts, window)
    halves: dict[str, list[tuple[datetime, datetime]]] = {}
    for part in (Window(start=window.start, end=seam), Window(start=seam, end=window.end)):
        for user, spans in union(shiftcalc.resolve(a, part, profile=profile).shifts, part).items():
            mine = halves.setdefault(user, [])
            for s, e in spans:
                if mine and mine[-1][1] == s:
                    mine[-1] = (mine[-1][0], e)
                else:
                    mine.append((s, e))
    return whole == halves


@pytest.mark.parametrize("profile", PROFILES)
def test_diff_over_a_window_is_the_join_of_its_halves(profile: str) -> None:
    @settings(deadline=None)
    @given(pairs(profile), st.floats(0, 1))
    def run(pair: tuple[Schedule, Schedule, Window], fraction: float) -> None:
        a, b, window = pair
        seam = window.start + (window.end - window.start) * fraction
        seam = min(seam.replace(microsecond=0), window.end)
        try:
            for schedule in (a, b):
                assume(join_holds_for_resolutions(schedule, window, seam, profile))
            split_diff(a, b, window, seam, profile)
        except shiftcalc.ShiftcalcError:
            assume(False)

    run()


def test_join_refuses_windows_that_do_not_meet() -> None:
    one = shiftcalc.diff(Schedule(), Schedule(), Window(start=at(1), end=at(2)))
    three = shiftcalc.diff(Schedule(), Schedule(), Window(start=at(3), end=at(4)))
    with pytest.raises(shiftcalc.ValidationError) as raised:
        one.join(three)
    assert raised.value.field == "later.window.start"
    assert isinstance(one, Diff)


def test_join_of_two_profiles_names_the_profile() -> None:
    """Halves that meet but were diffed in two profiles: the profile is what differs (the
    error named the window's start, which was right)."""
    one = shiftcalc.diff(Schedule(), Schedule(), Window(start=at(1), end=at(2)))
    two = shiftcalc.diff(Schedule(), Schedule(), Window(start=at(2), end=at(3)), profile="oncall")
    with pytest.raises(shiftcalc.ValidationError, match="must be this diff's profile") as raised:
        one.join(two)
    assert (raised.value.field, raised.value.value) == ("later.profile", "oncall")


# --------------------------------------------------------------------------- command line


def write(path: Any, data: dict[str, Any]) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Any) -> tuple[str, str]:
    moved = json.loads(json.dumps(BASE))
    moved["shifts"][0]["start"] = "2024-01-02T10:00:00"
    return write(tmp_path / "before.json", BASE), write(tmp_path / "after.json", moved)


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    from shiftcalc.__main__ import main

    status = main(["diff", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_identical_exits_0(files: tuple[str, str], capsys: Any) -> None:
    status, out, _ = run_cli(capsys, files[0], files[0])
    assert status == 0
    assert out.startswith("identical over 2024-01-08T00:00:00Z to 2024-02-05T00:00:00Z")


def test_cli_different_exits_1_in_every_format(files: tuple[str, str], capsys: Any) -> None:
    status, out, _ = run_cli(capsys, *files, "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert document["identical"] is False
    assert document["first_difference"] == "2024-01-08T09:00:00Z"
    assert document["handoffs"]["moved"][0]["by_hours"] == 25.0
    status, out, _ = run_cli(capsys, *files, "--format", "csv", "--profile", "oncall")
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == ",".join(shiftcalc._diff.CSV_COLUMNS)
    assert lines[1] == "change,2024-01-08T09:00:00Z,2024-01-09T10:00:00Z,bob,alice,,,,,,"
    status, out, _ = run_cli(capsys, *files)
    assert status == 1
    assert "moved    2024-01-08 09:00 GMT -> 2024-01-09 10:00 GMT (+1d 1h)  alice -> bob" in out


def test_cli_window_option_narrows_the_comparison(files: tuple[str, str], capsys: Any) -> None:
    status, _, _ = run_cli(capsys, *files, "--window", "2024-01-10", "2024-01-15")
    assert status == 0


def test_cli_bad_input_exits_2(files: tuple[str, str], capsys: Any, tmp_path: Any) -> None:
    status, _, err = run_cli(capsys, files[0], str(tmp_path / "missing.json"))
    assert status == 2
    assert err.startswith("shiftcalc: error: AFTER scenario: no such file")
    bad = write(tmp_path / "bad.json", {**BASE, "window": {"start": "x", "end": "y"}})
    status, _, err = run_cli(capsys, bad, files[1])
    assert status == 2 and err.startswith("shiftcalc: error: BEFORE window.start: ")
    status, _, err = run_cli(capsys, *files, "--window", "2024-01-10", "nope")
    assert status == 2 and "--window" in err
