"""Regression tests of expansion, resolution and the queries (instants, take_oncall, edges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import hang_guard
from shiftcalc import (
    EngineError,
    NotOnCallError,
    Schedule,
    Shift,
    User,
    ValidationError,
    Window,
    explain,
    final_shifts,
    load_scenario,
    next_handoffs,
    on_call_at,
    resolve,
    take_oncall,
)

NEW_YORK = ZoneInfo("America/New_York")
PROFILES = ["strict", "oncall"]


def _weekly(profile: str = "strict") -> Schedule:
    return load_scenario(
        {
            "schedule": {"time_zone": "America/New_York"},
            "shifts": [
                {
                    "type": "rolling_users",
                    "start": "2024-10-28T09:00:00",
                    "duration": 604800,
                    "frequency": "weekly",
                    "week_start": "MO",
                    "rolling_users": [["alice"], ["bob"]],
                    "start_rotation_from_user_index": 0,
                }
            ],
            "window": {"start": "2024-11-01", "end": "2024-11-10"},
        },
        profile=profile,  # type: ignore[arg-type]
    ).schedule


@pytest.mark.parametrize("profile", PROFILES)
def test_on_call_at_reads_the_repeated_hour_as_its_instant(profile: str) -> None:
    """01:30 fold=1 on New York's fall-back night is 06:30Z: alice is on call then."""
    at = datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert on_call_at(_weekly(profile), at, profile=profile) == ("alice",)  # type: ignore[arg-type]


def test_a_window_of_the_repeated_hour_is_its_utc_window() -> None:
    """A window from 01:30 fold=1 to 01:45 fold=0 ends before it starts (06:30Z > 05:45Z):
    refused where it is made, as resolve refused it."""
    with pytest.raises(ValidationError) as caught:
        Window(
            start=datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK),
            end=datetime(2024, 11, 3, 1, 45, tzinfo=NEW_YORK),
        )
    assert caught.value.field == "window.end"
    same = Window(
        start=datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK),
        end=datetime(2024, 11, 3, 1, 45, fold=1, tzinfo=NEW_YORK),
    )
    assert resolve(_weekly(), same).window.start == datetime(2024, 11, 3, 6, 30, tzinfo=UTC)


def test_swap_bounds_in_the_repeated_hour_mean_their_instants() -> None:
    """A swap from 01:00 fold=1 (06:00Z) hands alice's time over from 06:00Z, not 05:00Z."""
    schedule = _weekly()
    swap = load_scenario(
        {
            "shifts": [],
            "swaps": [
                {
                    "beneficiary": "alice",
                    "benefactor": "bob",
                    "swap_start": "2024-11-03T06:00:00Z",
                    "swap_end": "2024-11-03T08:00:00Z",
                }
            ],
            "window": {"start": "2024-11-01", "end": "2024-11-02"},
        }
    ).schedule.swaps[0]
    zoned = replace(swap, swap_start=datetime(2024, 11, 3, 1, 0, fold=1, tzinfo=NEW_YORK))
    window = Window(
        start=datetime(2024, 11, 3, 4, tzinfo=UTC), end=datetime(2024, 11, 3, 9, tzinfo=UTC)
    )
    utc_rows = final_shifts(replace(schedule, swaps=(swap,)), window)
    assert final_shifts(replace(schedule, swaps=(zoned,)), window) == utc_rows
    assert [(row.user, row.start.hour) for row in utc_rows] == [
        ("alice", 4),
        ("bob", 6),
        ("alice", 8),
    ]


STACKED = {
    "users": [
        {"id": "UALICE", "username": "alice", "email": "alice@example.com"},
        {"id": "UBOB", "username": "bob", "email": "bob@example.com"},
        {"id": "UCAROL", "username": "carol", "email": "carol@example.com"},
        {"id": "UERIN", "username": "erin", "email": "erin@example.com"},
    ],
    "shifts": [
        # alice and bob stacked at level 1, 09:00-17:00; carol at level 1 from 13:00 to 15:00
        {"type": "single_event", "level": 1, "start": "2024-04-01T09:00:00", "duration": 28800,
         "users": ["alice", "bob"]},
        {"type": "single_event", "level": 1, "start": "2024-04-01T13:00:00", "duration": 7200,
         "users": ["carol"]},
    ],
    "window": {"start": "2024-04-01", "end": "2024-04-02"},
}  # fmt: skip


@pytest.mark.parametrize("profile", PROFILES)
def test_take_oncall_replaces_only_the_relieved_user(profile: str) -> None:
    """erin relieves alice at 10:00: bob stays on call; the override ends at 13:00, where
    carol joins (hand-checked)."""
    schedule = load_scenario(STACKED, profile=profile).schedule  # type: ignore[arg-type]
    at = datetime(2024, 4, 1, 10, tzinfo=UTC)
    take = take_oncall(schedule, taker="Erin@Example.com", relieved="alice", at=at)
    assert (take.start, take.duration, take.users) == (
        datetime(2024, 4, 1, 10),
        timedelta(hours=3),
        ("UERIN", "UBOB"),
    )
    covered = replace(schedule, shifts=(*schedule.shifts, take))
    for hour, expected in [(9, ("UALICE", "UBOB")), (11, ("UBOB", "UERIN"))]:
        moment = datetime(2024, 4, 1, hour, 30, tzinfo=UTC)
        assert on_call_at(covered, moment, profile=profile) == expected  # type: ignore[arg-type]
    later = datetime(2024, 4, 1, 13, 30, tzinfo=UTC)
    assert on_call_at(covered, later, profile=profile) == ("UALICE", "UBOB", "UCAROL")  # type: ignore[arg-type]


def test_take_oncall_finds_the_relieved_user_by_username() -> None:
    """``relieved`` is a name like any other: bob by username is UBOB, who is on call."""
    schedule = load_scenario(STACKED).schedule
    take = take_oncall(
        schedule, taker="erin", relieved="bob", at=datetime(2024, 4, 1, 9, tzinfo=UTC)
    )
    assert take.users == ("UERIN", "UALICE")


@pytest.mark.parametrize("field", ["taker", "relieved"])
def test_take_oncall_refuses_an_unknown_user(field: str) -> None:
    """A name of nobody in the directory is a ValidationError naming the argument."""
    schedule = load_scenario(STACKED).schedule
    names = {"taker": "erin", "relieved": "alice", field: "mallory"}
    with pytest.raises(ValidationError) as caught:
        take_oncall(schedule, at=datetime(2024, 4, 1, 10, tzinfo=UTC), **names)
    assert (caught.value.field, caught.value.value) == (field, "mallory")


def test_take_oncall_still_refuses_a_user_not_on_call() -> None:
    """carol is known but not on call at 10:00."""
    schedule = load_scenario(STACKED).schedule
    with pytest.raises(NotOnCallError):
        take_oncall(
            schedule, taker="erin", relieved="carol", at=datetime(2024, 4, 1, 10, tzinfo=UTC)
        )


def test_take_oncall_beats_an_override_of_the_relieved_user() -> None:
    """relieving a user on call by an override: the take-over ranks above it."""
    data = {**STACKED, "shifts": [*STACKED["shifts"], {"type": "override", "level": 0,  # type: ignore[misc]
            "start": "2024-04-01T18:00:00", "duration": 3600, "users": ["carol"]}]}  # fmt: skip
    schedule = load_scenario(data).schedule
    at = datetime(2024, 4, 1, 18, 15, tzinfo=UTC)
    take = take_oncall(schedule, taker="erin", relieved="carol", at=at)
    covered = replace(schedule, shifts=(*schedule.shifts, take))
    assert on_call_at(covered, at) == ("UERIN",)


EDGE = datetime.max.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "query",
    [
        lambda s: next_handoffs(s, datetime(9999, 12, 30, tzinfo=UTC)),
        lambda s: next_handoffs(s, datetime(1, 1, 1, tzinfo=UTC), horizon=timedelta(days=9)),
        lambda s: on_call_at(s, EDGE),
        lambda s: on_call_at(s, datetime(1, 1, 1, tzinfo=UTC), profile="oncall"),
        lambda s: tuple(  # the rotation runs forever: someone to the last instant
            (row.start, row.end)
            for row in final_shifts(s, Window(start=EDGE - timedelta(days=3), end=EDGE))
            if row.end != EDGE or row.start != EDGE - timedelta(days=3)
        ),
        lambda s: final_shifts(
            s,
            Window(start=datetime(1, 1, 1, tzinfo=UTC), end=datetime(1, 1, 9, tzinfo=UTC)),
            profile="oncall",
        ),
    ],
)
def test_queries_at_the_ends_of_time_end_cleanly(query: object) -> None:
    # (next_handoffs from the year 1 with an unbounded horizon: test_first_handoff_from_year_1)
    """Queries touching datetime.min/max answer (nobody is on call there) instead of
    overflowing."""
    assert query(_weekly()) == ()  # type: ignore[operator]


def test_first_handoff_from_year_1() -> None:
    """An unbounded horizon from the year 1 finds the rotation's first hand-off."""
    found = next_handoffs(_weekly(), datetime(1, 1, 1, tzinfo=UTC), horizon=timedelta.max)
    assert [(h.at, h.before, h.after) for h in found] == [
        (datetime(2024, 10, 28, 13, tzinfo=UTC), (), ("alice",))
    ]


def test_take_oncall_at_the_end_of_time_lasts_to_the_last_instant() -> None:
    """A shift running past 9999 (strict) is cut at the last instant; so is the take-over."""
    schedule = load_scenario(
        {"shifts": [{"type": "single_event", "start": "9999-12-30T00:00:00",
                     "duration": 3 * 86400, "users": ["a"]}],
         "window": {"start": "2024-01-01", "end": "2024-01-02"}}
    ).schedule  # fmt: skip
    take = take_oncall(schedule, taker="b", relieved="a", at=datetime(9999, 12, 31, tzinfo=UTC))
    assert take.start + take.duration == datetime.max


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["single_event", "recurrent_event", "override"])
@pytest.mark.parametrize("start", ["0001-01-01T00:00:00", "0002-01-01T00:00:00"])
def test_a_shift_from_the_first_years_resolves(profile: str, kind: str, start: str) -> None:
    """What loads resolves: a shift starting in the year 1 or 2 in New York (LMT) with
    ``until`` in 2036 (the fuzz cases used to be refused as leaving the years 1 to 9999)."""
    shift: dict[str, object] = {"type": kind, "start": start, "duration": 86400, "users": ["a"],
                                "until": "2036-01-01T00:00:00"}  # fmt: skip
    if kind == "recurrent_event":
        shift["frequency"] = "daily"
    if kind == "override":
        shift = {key: value for key, value in shift.items() if key != "until"}
    scenario = load_scenario(
        {"schedule": {"time_zone": "America/New_York"}, "shifts": [shift],
         "window": {"start": "2024-01-01", "end": "2024-01-03"}},
        profile=profile,  # type: ignore[arg-type]
    )  # fmt: skip
    rows = resolve(scenario.schedule, scenario.window, profile=profile).shifts  # type: ignore[arg-type]
    assert {row.user for row in rows} == ({"a"} if kind == "recurrent_event" else set())


def test_a_dtend_after_9999_is_oncalls_crash() -> None:
    """OnCall computes start + duration in Python: past 9999 its engine crashes."""
    scenario = load_scenario(
        {"shifts": [{"type": "single_event", "start": "9999-12-31T00:00:00",
                     "duration": 2 * 86400, "users": ["a"]}],
         "window": {"start": "9999-12-30", "end": "9999-12-31"}}, profile="oncall",
    )  # fmt: skip
    with pytest.raises(EngineError) as caught:
        resolve(scenario.schedule, scenario.window, profile="oncall")
    assert caught.value.field == "shifts[0].duration"


HOURLY = {"type": "rolling_users", "start": "1900-01-01T00:00:00", "duration": 3600,
          "frequency": "hourly", "rolling_users": [["a"], ["b"]],
          "start_rotation_from_user_index": 0}  # fmt: skip


@pytest.mark.parametrize("profile", PROFILES)
def test_max_occurrences_refuses_as_expansion_goes(profile: str) -> None:
    """An hourly rotation over 200 years goes past the cap: the shift and limit are named."""
    schedule = load_scenario(
        {"shifts": [HOURLY], "window": {"start": "1900-01-01", "end": "1900-01-02"}},
        profile=profile,  # type: ignore[arg-type]
    ).schedule
    window = Window(start=datetime(1900, 1, 1, tzinfo=UTC), end=datetime(2100, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as caught, hang_guard(60):
        resolve(schedule, window, profile=profile, max_occurrences=1000)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("shifts[0]", 1000)
    small = Window(start=window.start, end=window.start + timedelta(hours=1000))
    rows = resolve(schedule, small, profile=profile, max_occurrences=1000).shifts  # type: ignore[arg-type]
    assert len(rows) == 1000


def test_max_occurrences_must_be_positive() -> None:
    """``max_occurrences`` is checked like every argument."""
    with pytest.raises(ValidationError) as caught:
        final_shifts(_weekly(), Window(start=EDGE, end=EDGE), max_occurrences=0)
    assert caught.value.field == "max_occurrences"


def test_a_schedule_built_without_users_takes_any_name_in_every_query() -> None:
    """Without a directory every name is a user, in every query alike (``Schedule.user_named``):
    take_oncall refused every name of a Schedule built in Python without users, while explain
    and conflicts took them (a tester found)."""
    week = Shift(
        type="single_event", start=datetime(2024, 4, 1), duration=timedelta(days=7),
        users=("alice",),
    )  # fmt: skip
    schedule = Schedule(shifts=(week,))
    at = datetime(2024, 4, 2, tzinfo=UTC)
    take = take_oncall(schedule, taker="bob", relieved="alice", at=at)
    assert (take.users, take.start, take.duration) == (
        ("bob",),
        datetime(2024, 4, 2),
        timedelta(days=6),
    )
    with pytest.raises(NotOnCallError):
        take_oncall(schedule, taker="bob", relieved="carol", at=at)
    assert explain(schedule, at, user="alice").on_call
    with_directory = replace(schedule, users=(User(id="alice", username="alice"),))
    with pytest.raises(ValidationError, match="unknown user"):
        take_oncall(with_directory, taker="bob", relieved="alice", at=at)


def test_a_daily_hand_off_in_a_dst_gap_overlaps_the_next_turn_by_the_gap() -> None:
    """DESIGN, rule 4, hand-checked: 02:15 does not exist in Lord Howe on 6 October 2024 (the
    clock goes from 02:00 to 02:30): carol's turn starts at 02:45 (RFC 5545's offset before
    the gap) and keeps its 24 wall-clock hours, to 02:45 the next day, where alice started at
    02:15: two on call for the gap's 30 minutes. bob's turn ends at that 02:45 too, no gap."""
    scenario = load_scenario({
        "schedule": {"time_zone": "Australia/Lord_Howe"},
        "shifts": [{"type": "rolling_users", "start": "2024-10-01T02:15:00", "duration": 86400,
                    "frequency": "daily", "rolling_users": [["alice"], ["bob"], ["carol"]],
                    "start_rotation_from_user_index": 0}],
        "window": {"start": "2024-10-05", "end": "2024-10-08"},
    })  # fmt: skip
    rows = resolve(scenario.schedule, scenario.window).shifts
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    assert [(r.user, f"{r.start.astimezone(lord_howe):%d %H:%M}") for r in rows] == [
        ("bob", "05 10:30"),
        ("carol", "06 02:45"),
        ("alice", "07 02:15"),
        ("bob", "08 02:15"),
    ]
    assert f"{rows[1].end.astimezone(lord_howe):%d %H:%M}" == "07 02:45"
    assert rows[1].end - rows[2].start == timedelta(minutes=30)
