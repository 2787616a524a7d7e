"""Every analysis resolves with the ``durations`` it is given, as ``resolve`` does.

The case, checked by hand: a daily 09:00 London rotation of alice and bob over the March
change. With wall-clock durations (the default) bob's Saturday shift (09:00 GMT = 09:00Z)
ends Sunday 09:00 BST = 08:00Z, where alice's begins; with elapsed durations it lasts 24 hours,
to 09:00Z, so from 08:00Z to 09:00Z both are on call.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import shiftcalc
from shiftcalc.__main__ import main

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
# alice alone over the whole window
ALICE_ALONE: dict[str, Any] = {
    **LONDON_DAILY,
    "schedule": {"type": "calendar", "time_zone": "UTC"},
    "shifts": [
        {"type": "single_event", "start": "2024-03-30T09:00:00", "duration": 27 * 3600,
         "users": ["alice"]},
    ],
}  # fmt: skip
# bob from 08:00Z to 09:00Z on Sunday, in another team's schedule
BOB_AT_EIGHT: dict[str, Any] = {
    **ALICE_ALONE,
    "shifts": [
        {"type": "single_event", "start": "2024-03-31T08:00:00", "duration": 3600,
         "users": ["bob"]},
    ],
}  # fmt: skip


def at(hour: int, day: int = 31) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def test_diff_resolves_both_sides_with_the_durations() -> None:
    before = shiftcalc.load_scenario(LONDON_DAILY)
    after = shiftcalc.load_scenario(ALICE_ALONE)
    changes = {
        durations: [
            (change.start, change.end, change.before, change.after)
            for change in shiftcalc.diff(before, after, durations=durations).changes  # type: ignore[arg-type]
        ]
        for durations in ("wall", "elapsed")
    }
    assert changes["wall"] == [(at(9, 30), at(8), ("bob",), ("alice",))]
    assert changes["elapsed"] == [
        (at(9, 30), at(8), ("bob",), ("alice",)),
        (at(8), at(9), ("alice", "bob"), ("alice",)),
    ]


def test_conflicts_resolve_every_schedule_with_the_durations() -> None:
    teams = [shiftcalc.load_scenario(LONDON_DAILY), shiftcalc.load_scenario(BOB_AT_EIGHT)]
    assert shiftcalc.conflicts(teams) == ()
    (found,) = shiftcalc.conflicts(teams, durations="elapsed")
    assert (found.kind, found.user, found.start, found.end) == ("overlap", "bob", at(8), at(9))


def test_explain_resolves_with_the_durations() -> None:
    scenario = shiftcalc.load_scenario(LONDON_DAILY)
    wall = shiftcalc.explain(scenario.schedule, at(8).replace(minute=30), user="bob")
    assert wall.on_call == ("alice",)
    assert wall.user is not None and wall.user.previous is not None
    assert wall.user.previous.end == at(8)  # the search for bob's turns resolves so too
    elapsed = shiftcalc.explain(
        scenario.schedule, at(8).replace(minute=30), user="bob", durations="elapsed"
    )
    assert elapsed.on_call == ("alice", "bob")
    assert elapsed.user is not None and elapsed.user.on_call
    # later, bob's last turn is searched for with the same durations: it ended at 09:00Z
    later = shiftcalc.explain(scenario.schedule, at(10), user="bob", durations="elapsed")
    assert later.user is not None and later.user.previous is not None
    assert (later.user.on_call, later.user.previous.end) == (False, at(9))


def test_a_bad_durations_value_is_named() -> None:
    scenario = shiftcalc.load_scenario(LONDON_DAILY)
    for call in (
        lambda: shiftcalc.diff(scenario, scenario, durations="real"),  # type: ignore[arg-type]
        lambda: shiftcalc.conflicts([scenario], durations="real"),  # type: ignore[arg-type]
        lambda: shiftcalc.explain(scenario.schedule, at(8), durations="real"),  # type: ignore[arg-type]
    ):
        with pytest.raises(shiftcalc.ValidationError) as caught:
            call()
        assert (caught.value.field, caught.value.value) == ("durations", "real")


def test_cli_diff_conflicts_and_explain_take_durations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = {}
    for name, document in (
        ("london", LONDON_DAILY),
        ("alice", ALICE_ALONE),
        ("bob", BOB_AT_EIGHT),
    ):
        paths[name] = str(tmp_path / f"{name}.json")
        Path(paths[name]).write_text(json.dumps(document), encoding="utf-8")

    def run(*argv: str) -> tuple[int, str]:
        status = main(list(argv))
        return status, capsys.readouterr().out

    for extra, changes in (((), 1), (("--durations", "elapsed"), 2)):
        status, out = run("diff", paths["london"], paths["alice"], "--format", "json", *extra)
        assert (status, len(json.loads(out)["changes"])) == (1, changes)
    assert run("conflicts", paths["london"], paths["bob"])[0] == 0
    assert run("conflicts", paths["london"], paths["bob"], "--durations", "elapsed")[0] == 1
    for extra, on_call in (((), ["alice"]), (("--durations", "elapsed"), ["alice", "bob"])):
        argv = ("explain", paths["london"], "--at", "2024-03-31T08:30:00Z", "--format", "json")
        status, out = run(*argv, *extra)
        assert (status, json.loads(out)["on_call"]) == (0, on_call)
