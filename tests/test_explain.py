"""shiftcalc.explain: golden cases for each outcome, swap, OnCall rule and user answer; the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import shiftcalc
from shiftcalc import Explanation, Schedule
from shiftcalc.__main__ import main

PROFILES = ("strict", "oncall")


def utc(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2024, 4, day, hour, minute, tzinfo=UTC)


ROTATION: dict[str, Any] = {
    "type": "rolling_users",
    "start": "2024-03-25T09:00:00",
    "duration": 604800,
    "frequency": "weekly",
    "week_start": "MO",
    "rolling_users": [["alice"], ["bob"]],
    "start_rotation_from_user_index": 0,
    "name": "primary",
}
LUNCH: dict[str, Any] = {
    "type": "recurrent_event",
    "level": 1,
    "start": "2024-03-25T12:00:00",
    "duration": 3600,
    "frequency": "daily",
    "users": ["carol"],
    "by_day": ["MO", "TU", "WE", "TH", "FR"],
}


def schedule(*shifts: dict[str, Any], profile: str = "strict", **fields: Any) -> Schedule:
    data: dict[str, Any] = {
        "schedule": {"type": "calendar", "time_zone": "Europe/London"},
        "shifts": list(shifts),
        "window": {"start": "2024-03-30", "end": "2024-04-02"},
        **fields,
    }
    return shiftcalc.load_scenario(data, profile=profile).schedule  # type: ignore[arg-type]


def agrees(result: Explanation, sched: Schedule) -> None:
    """What every explanation owes: on_call_at's users, one chain each, JSON-ready."""
    assert result.on_call == shiftcalc.on_call_at(sched, result.at, profile=result.profile)
    assert [chain.user for chain in result.chains] == list(result.on_call)
    assert all(chain.layers for chain in result.chains)
    json.dumps(shiftcalc.explanation_document(result, sched))
    assert shiftcalc.explanation_text(result, sched).startswith("at ")


@pytest.mark.parametrize("profile", PROFILES)
def test_lower_rank_names_the_winner_and_the_rotation_turn(profile: str) -> None:
    """At 11:30Z on Monday carol's level 1 beats bob's rotation turn (turn 1, group 1)."""
    sched = schedule(ROTATION, LUNCH)
    result = shiftcalc.explain(sched, utc(1, 11, 30), profile=profile)  # type: ignore[arg-type]
    agrees(result, sched)
    assert result.on_call == ("carol",)
    won, lost = result.layers
    assert (won.outcome, won.shift_index, won.type, won.level) == ("won", 1, "recurrent_event", 1)
    assert (won.occurrence_start, won.occurrence_end) == (utc(1, 11), utc(1, 12))
    assert (lost.outcome, lost.users, lost.shift_index) == ("lower_rank", ("bob",), 0)
    assert (lost.turn, lost.group, lost.start_rotation_from_user_index) == (1, 1, 0)
    assert (lost.name, lost.source, lost.shift_id) == ("primary", "api", "shift-0")
    assert (lost.occurrence_start, lost.occurrence_end) == (utc(1, 8), utc(8, 8))
    assert "level 1" in lost.reason
    assert result.chains == (
        shiftcalc.ExplainedUser(user="carol", username="carol", layers=(won,)),
    )


def test_empty_group_is_an_occurrence_naming_nobody() -> None:
    """A calendar event without a name is an empty slot: it loses, and never masks alice."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:blank@x\r\n"
        "DTSTART:20240401T100000Z\r\nDTEND:20240401T120000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for profile in PROFILES:
        sched = schedule(ROTATION, schedule={"type": "calendar", "ical_overrides": calendar})
        result = shiftcalc.explain(sched, utc(1, 11), profile=profile)  # type: ignore[arg-type]
        agrees(result, sched)
        empty = [layer for layer in result.layers if layer.kind == "ical"]
        assert [(e.outcome, e.uid, e.calendar, e.users) for e in empty] == [
            ("empty_group", "blank@x", "overrides", ())
        ]
        assert result.on_call == ("bob",)


def test_unresolved_ical_names_say_which_names() -> None:
    """An iCal occurrence whose name matches no user of the directory loses, naming it."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ghost@x\r\n"
        "DTSTART:20240401T100000Z\r\nDTEND:20240401T120000Z\r\nSUMMARY:zed\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for profile in PROFILES:
        sched = schedule(
            ROTATION,
            schedule={"type": "calendar", "ical_overrides": calendar},
            users=["alice", "bob"],
        )
        result = shiftcalc.explain(sched, utc(1, 11), profile=profile)  # type: ignore[arg-type]
        agrees(result, sched)
        ghost = next(layer for layer in result.layers if layer.kind == "ical")
        assert (ghost.outcome, ghost.missing_users) == ("unresolved_names", ("zed",))
        assert "zed" in ghost.reason


def test_ical_chain_gives_uid_and_recurrence_id() -> None:
    """A moved instance of a recurring event says its UID and RECURRENCE-ID."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:daily@x\r\nDTSTART:20240401T090000Z\r\nDTEND:20240401T170000Z\r\n"
        "RRULE:FREQ=DAILY\r\nSUMMARY:alice\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:daily@x\r\nRECURRENCE-ID:20240402T090000Z\r\n"
        "DTSTART:20240402T100000Z\r\nDTEND:20240402T180000Z\r\nSUMMARY:alice\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    sched = shiftcalc.load_scenario(
        {
            "schedule": {"type": "ical", "ical_primary": calendar},
            "shifts": [],
            "window": {"start": "2024-04-01", "end": "2024-04-03"},
        }
    ).schedule
    for profile in PROFILES:
        result = shiftcalc.explain(sched, utc(2, 17, 30), profile=profile)  # type: ignore[arg-type]
        agrees(result, sched)
        (won,) = result.layers
        assert (won.uid, won.recurrence_id, won.line) == ("daily@x", utc(2, 9), 10)
        assert (won.occurrence_start, won.occurrence_end) == (utc(2, 10), utc(2, 18))


SWAP = {
    "beneficiary": "bob",
    "benefactor": "erin",
    "swap_start": "2024-04-01T10:00:00Z",
    "swap_end": "2024-04-01T10:30:00Z",
}


@pytest.mark.parametrize("profile", PROFILES)
def test_swap_names_beneficiary_benefactor_and_request_bounds(profile: str) -> None:
    """erin is on call through bob's turn; bob's turn is hidden by the swap."""
    sched = schedule(ROTATION, swaps=[SWAP], profile=profile)
    result = shiftcalc.explain(sched, utc(1, 10, 10), user="bob", profile=profile)  # type: ignore[arg-type]
    agrees(result, sched)
    assert result.on_call == ("erin",)
    (won,) = result.layers
    (swap,) = won.swaps
    assert (swap.index, swap.beneficiary, swap.benefactor) == (0, "bob", "erin")
    assert (swap.swap_start, swap.swap_end) == (utc(1, 10), utc(1, 10, 30))
    assert (won.start, won.end) == (utc(1, 10), utc(1, 10, 30))  # the swapped piece
    assert (won.occurrence_start, won.occurrence_end) == (utc(1, 8), utc(8, 8))
    answer = result.user
    assert answer is not None and not answer.on_call
    assert [(h.by, h.swap) for h in answer.hidden] == [("swap", swap)]
    assert answer.previous is not None and answer.next is not None
    assert (answer.previous.start, answer.previous.end) == (utc(1, 8), utc(1, 10))
    assert answer.next.start == utc(1, 10, 30)


OVERRIDE = {
    "type": "override",
    "start": "2024-04-01T11:45:00",
    "duration": 600,
    "users": ["dave", "erin"],
    "time_zone": "UTC",
}


def test_oncall_rule_override_keeps_only_its_first_user() -> None:
    """strict puts dave and erin on call; OnCall only dave, and says why."""
    sched = schedule(ROTATION, OVERRIDE)
    at = utc(1, 11, 50)
    strict = shiftcalc.explain(sched, at, user="erin")
    assert strict.on_call == ("dave", "erin") and strict.rules == ()
    result = shiftcalc.explain(sched, at, user="erin", profile="oncall")
    agrees(result, sched)
    assert result.on_call == ("dave",)
    assert [rule.code for rule in result.rules] == ["override_first_user"]
    assert "Expansion, rule 9" in result.rules[0].section
    assert result.user is not None
    assert [h.by for h in result.user.hidden] == ["override_first_user"]


def test_oncall_rule_end_normalised_by_the_first_occurrences_dst_change() -> None:
    """README's example: OnCall's first week lasts 7 days minus the skipped hour, and so does
    every week: at Monday 07:30Z nobody is on call, while strict has alice."""
    sched = schedule(ROTATION)
    at = utc(1, 7, 30)
    assert shiftcalc.explain(sched, at).on_call == ("alice",)
    result = shiftcalc.explain(sched, at, user="alice", profile="oncall")
    agrees(result, sched)
    assert result.on_call == () and result.layers == ()
    (rule,) = result.rules
    assert rule.code == "end_normalised"
    assert "2024-04-01T07:00:00Z in OnCall, 2024-04-01T08:00:00Z in strict" in rule.text
    assert rule.section == "DESIGN.md, The oncall profile (what it reproduces)"
    assert result.user is not None and result.user.previous is not None
    assert result.user.previous.end == utc(1, 7)


def test_oncall_rule_point_window_at_a_hand_off() -> None:
    """At 11:00Z carol's hour starts: strict has carol, OnCall's [at, at] window keeps bob."""
    sched = schedule(ROTATION, LUNCH)
    at = utc(1, 11)
    assert shiftcalc.explain(sched, at).on_call == ("carol",)
    result = shiftcalc.explain(sched, at, user="carol", profile="oncall")
    agrees(result, sched)
    assert result.on_call == ("bob",)
    carol = next(layer for layer in result.layers if layer.users == ("carol",))
    assert carol.outcome == "hand_off_instant"
    assert [rule.code for rule in result.rules] == ["point_window"]
    assert result.user is not None
    assert [h.by for h in result.user.hidden] == ["hand_off_instant"]
    assert result.user.next is not None and result.user.next.start == at


def test_oncall_rule_empty_groups_dropped_where_strict_refuses() -> None:
    """OnCall's API takes an empty rotation group; strict refuses the schedule: both said."""
    rotation = {**ROTATION, "rolling_users": [["alice"], [], ["bob"]]}
    sched = schedule(rotation, profile="oncall")
    result = shiftcalc.explain(sched, utc(1, 12), profile="oncall")
    agrees(result, sched)
    assert result.on_call == ("bob",)
    assert [rule.code for rule in result.rules] == ["strict_refuses", "empty_groups_dropped"]
    with pytest.raises(shiftcalc.ValidationError):
        shiftcalc.explain(sched, utc(1, 12))


def test_user_not_on_call_gets_nearest_turns_and_what_hides_the_current_one() -> None:
    """bob, hidden under carol at 11:30Z, was on call until 11:00 and is again from 12:00."""
    sched = schedule(ROTATION, LUNCH)
    result = shiftcalc.explain(sched, utc(1, 11, 30), user="BOB")
    answer = result.user
    assert answer is not None
    assert (answer.user, answer.on_call) == ("bob", False)
    assert [(h.by, h.layer.shift_index) for h in answer.hidden] == [("lower_rank", 0)]
    assert answer.previous == shiftcalc.Turn(start=utc(1, 8), end=utc(1, 11))
    assert answer.next == shiftcalc.Turn(start=utc(1, 12), end=utc(2, 11))
    assert answer.horizon == timedelta(days=366)


def test_nearest_turns_far_away_and_beyond_the_horizon() -> None:
    """alice's next turn is a week on (found by growing windows); within a 2-day horizon
    there is none, and the previous one goes on past the horizon's edge."""
    sched = schedule(ROTATION)
    answer = shiftcalc.explain(sched, utc(3), user="alice").user
    assert answer is not None and not answer.on_call and answer.hidden == ()
    assert answer.previous == shiftcalc.Turn(
        start=datetime(2024, 3, 25, 9, tzinfo=UTC), end=utc(1, 8)
    )
    assert answer.next == shiftcalc.Turn(start=utc(8, 8), end=utc(15, 8))
    short = shiftcalc.explain(sched, utc(3), user="alice", horizon=timedelta(days=2)).user
    assert short is not None and short.next is None and short.previous is not None
    assert short.previous == shiftcalc.Turn(start=utc(1), end=utc(1, 8), complete=False)


def test_user_on_call_has_no_search() -> None:
    sched = schedule(ROTATION)
    answer = shiftcalc.explain(sched, utc(3), user="bob").user
    assert answer is not None and answer.on_call
    assert (answer.previous, answer.next, answer.hidden) == (None, None, ())


def test_bad_arguments_are_validation_errors() -> None:
    sched = schedule(ROTATION)
    with pytest.raises(shiftcalc.ValidationError, match="at"):
        shiftcalc.explain(sched, datetime(2024, 4, 1))
    with pytest.raises(shiftcalc.ValidationError, match="unknown user"):
        shiftcalc.explain(schedule(ROTATION, users=["alice", "bob"]), utc(1), user="zed")
    with pytest.raises(shiftcalc.ValidationError, match="horizon"):
        shiftcalc.explain(sched, utc(1), user="bob", horizon=timedelta(0))
    with pytest.raises(shiftcalc.ValidationError, match="profile"):
        shiftcalc.explain(sched, utc(1), profile="nope")  # type: ignore[arg-type]


def test_end_of_time_explains_nobody() -> None:
    """The last representable instant: nothing covers it (as on_call_at says)."""
    sched = schedule(ROTATION)
    last = datetime.max.replace(tzinfo=UTC)
    for profile in PROFILES:
        result = shiftcalc.explain(sched, last, user="alice", profile=profile)  # type: ignore[arg-type]
        agrees(result, sched)


def test_document_shape() -> None:
    sched = schedule(ROTATION, LUNCH, users=[{"id": "UB", "username": "bob"}, "alice", "carol"])
    result = shiftcalc.explain(sched, utc(1, 11, 30), user="bob")
    document = shiftcalc.explanation_document(result, sched)
    assert document["on_call"] == ["carol"]
    layer = document["layers"][1]  # type: ignore[index]
    assert layer["users"] == ["bob"] and layer["user_pks"] == ["UB"]
    assert layer["shift"]["turn"] == 1 and layer["occurrence"]["start"] == "2024-04-01T08:00:00Z"
    assert document["user"]["previous"] == {  # type: ignore[index]
        "start": "2024-04-01T08:00:00Z",
        "end": "2024-04-01T11:00:00Z",
        "complete": True,
    }


# --------------------------------------------------------------------------- command line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, **fields: Any) -> str:
    data = {
        "schedule": {"type": "calendar", "time_zone": "Europe/London"},
        "shifts": [ROTATION, LUNCH],
        "window": {"start": "2024-03-30", "end": "2024-04-02"},
        **fields,
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_text_gives_both_zones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", write(tmp_path), "--at", "2024-04-01T11:30:00Z", "--user", "bob"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert out.splitlines()[:3] == [
        "at 2024-04-01 12:30 BST (2024-04-01 11:30Z), strict: on call: carol",
        "  won: carol, level 1, shifts[1] recurrent_event shift-1 (api)",
        "    occurrence 2024-04-01 12:00 BST -> 13:00 BST (2024-04-01 11:00Z -> 12:00Z)",
    ]
    assert "user bob: not on call" in out
    assert "  next turn: 2024-04-01 13:00 BST -> 2024-04-02 12:00 BST" in out


def test_cli_json_oncall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", write(tmp_path), "--at", "2024-04-01T07:30:00Z", "--profile", "oncall"]
    code, out, _ = run([*argv, "--format", "json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["on_call"] == [] and document["rules"][0]["code"] == "end_normalised"


def test_cli_reads_standard_input_and_calendars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(Path(write(tmp_path)).read_text()))
    code, out, _ = run(["explain", "-", "--at", "2024-04-01"], capsys)
    assert (code, out.splitlines()[0].endswith("on call: alice")) == (0, True)
    ics = tmp_path / "c.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        "DTSTART:20240401T090000Z\r\nDTEND:20240401T170000Z\r\nSUMMARY:alice\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    code, out, err = run(["explain", str(ics), "--at", "2024-04-01T10:00:00Z"], capsys)
    assert code == 0 and "on call: alice" in out and "VEVENT a@x" in out and err == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--at", "2024-04-01T10:00"], "--at"),
        (["--at", "2024-04-01T10:00:00Z", "--user", "zed"], "--user: unknown user"),
    ],
)
def test_cli_bad_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(
        ["explain", write(tmp_path, users=["alice", "bob", "carol"]), *argv], capsys
    )
    assert code == 2 and message in err


def test_hidden_swap_text_names_the_benefactor_by_username() -> None:
    """The swap's benefactor is named as every other line names users, by username (it gave
    the id): the scenario format's own example, alice's turn swapped to bob on 5 January."""
    sched = shiftcalc.load_scenario(
        {
            "schedule": {"type": "calendar", "time_zone": "Europe/London"},
            "users": [{"id": "UALICE", "username": "alice"}, {"id": "UBOB", "username": "bob"}],
            "shifts": [
                {"type": "rolling_users", "start": "2024-01-01T09:00:00", "duration": 604800,
                 "frequency": "weekly", "week_start": "MO", "rolling_users": [["alice"], ["bob"]],
                 "start_rotation_from_user_index": 0},
            ],
            "swaps": [{"beneficiary": "alice", "benefactor": "bob",
                       "swap_start": "2024-01-05T00:00:00Z", "swap_end": "2024-01-06T00:00:00Z"}],
            "window": {"start": "2024-01-01", "end": "2024-02-01"},
        }
    ).schedule  # fmt: skip
    result = shiftcalc.explain(sched, datetime(2024, 1, 5, 12, tzinfo=UTC), user="alice")
    assert result.user is not None
    (hidden,) = result.user.hidden
    assert hidden.text == "swap 0: bob took it over (2024-01-05T00:00:00Z to 2024-01-06T00:00:00Z)"


def test_the_turn_search_refuses_a_component_skipped_for_a_windows_size() -> None:
    """alice is on call every second of 1 and 2 January (172,800 occurrences, past a query's
    100,000). Asked at 5 January with calendar_errors="skip", the search back for her last
    turn grows to a 4-day window, which skipped the component: it answered "no previous
    turn" (hers ended on 3 January), listing the skip. It refuses that window's skip, as
    coverage does, naming the component and the window."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:s\r\n"
        "DTSTART:20240101T000000Z\r\nDTEND:20240101T000001Z\r\n"
        "RRULE:FREQ=SECONDLY;UNTIL=20240102T235959Z\r\nSUMMARY:alice\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    sched = shiftcalc.Schedule(type="ical", ical_primary=text)
    at = datetime(2024, 1, 5, 12, tzinfo=UTC)
    with pytest.raises(shiftcalc.CalendarLimitError) as raised:
        shiftcalc.explain(sched, at, user="alice", calendar_errors="skip")
    assert raised.value.field == "VEVENT[UID=s, line 4].RRULE"
    assert raised.value.value == "2024-01-01T12:00:00+00:00/2024-01-05T12:00:00+00:00"
    plain = shiftcalc.explain(sched, at, calendar_errors="skip")  # the point alone: a 1 µs window
    assert (plain.on_call, plain.skipped) == ((), ())


def test_an_all_day_event_read_on_other_days_is_one_difference_that_says_why() -> None:
    """OnCall reads the all-day weekend as UTC days ending at 23:59:59, strict as New York's
    days: both cover Saturday noon, but from other starts. That was two "exists in ... only"
    rules, each with a shift's reason ("period search, DTSTART and turn rules"; a tester
    found): it is one rule with both spans and the all-day reading."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n"
        "BEGIN:VEVENT\r\nUID:weekend\r\nDTSTART;VALUE=DATE:20240309\r\n"
        "DTEND;VALUE=DATE:20240311\r\nSUMMARY:kim\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    sched = shiftcalc.Schedule(type="ical", ical_primary=text)
    result = shiftcalc.explain(sched, datetime(2024, 3, 9, 12, tzinfo=UTC), profile="oncall")
    assert result.on_call == ("kim",)
    (rule,) = result.rules
    assert rule.code == "occurrence_differs"
    assert rule.text == (
        "VEVENT[UID=weekend, line 4]'s occurrence here runs 2024-03-09T00:00:00Z -> "
        "2024-03-10T23:59:59Z in OnCall, 2024-03-09T05:00:00Z -> 2024-03-11T04:00:00Z in "
        "strict (OnCall reads an all-day event as UTC days ending a second early, strict as "
        "whole days of the calendar's zone)"
    )
