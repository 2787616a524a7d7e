"""coverage: always covered, or the first gap; hand-worked schedules that break after a while."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import shiftcalc
from conftest import hang_guard
from scenario_builders import EVERY_SECOND
from shiftcalc import CalendarLimitError, Schedule, ValidationError, coverage, load_scenario
from shiftcalc.__main__ import main
from shiftcalc._coverage import coverage_text


def _schedule(shifts: list[dict[str, Any]], zone: str = "UTC") -> Schedule:
    return load_scenario(
        {
            "schedule": {"type": "calendar", "time_zone": zone},
            "shifts": shifts,
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        }
    ).schedule


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


WEEKLY = {
    "type": "rolling_users",
    "start": "2024-01-01T09:00:00",
    "duration": 604800,
    "frequency": "weekly",
    "week_start": "MO",
    "rolling_users": [["alice"], ["bob"]],
    "start_rotation_from_user_index": 0,
}


def test_a_weekly_rotation_is_covered_for_all_time() -> None:
    result = coverage(_schedule([WEEKLY], "Europe/London"), _at(2024, 1, 2))
    assert result.verdict == "covered" and result.always_covered
    assert result.first_gap is None
    assert result.checked.end == datetime.max.replace(tzinfo=UTC)
    assert "2 weeks" in result.argument and "Europe/London" in result.argument


def test_a_rotation_until_breaks_at_until_for_ever() -> None:
    """Covered for six years, then nobody, for ever (London winter: UTC)."""
    schedule = _schedule([{**WEEKLY, "until": "2030-01-07T09:00:00"}], "Europe/London")
    result = coverage(schedule, _at(2024, 1, 2))
    gap = result.first_gap
    assert result.verdict == "uncovered" and gap is not None
    assert (gap.start, gap.kind, gap.users, gap.after) == (
        _at(2030, 1, 7, 9),
        "uncovered",
        (),
        None,
    )
    assert gap.end == datetime.max.replace(tzinfo=UTC)
    assert gap.before == ("bob",)


def test_a_monthly_rule_on_the_31st_breaks_on_a_sunday_new_year_eve() -> None:
    """Days 1-30 by a daily rule, the 31st by monthly rules, December's only on weekdays and
    Saturdays: the first Sunday 31 December after 2024 is in 2028."""
    daily = {
        "type": "recurrent_event",
        "start": "2024-01-01T00:00:00",
        "duration": 86400,
        "frequency": "daily",
        "by_monthday": list(range(1, 31)),
        "users": ["alice"],
    }
    monthly = {
        "type": "recurrent_event",
        "start": "2024-01-31T00:00:00",
        "duration": 86400,
        "frequency": "monthly",
        "by_monthday": [31],
        "by_month": [1, 3, 5, 7, 8, 10],
        "users": ["bob"],
    }
    december = {**monthly, "by_month": [12], "by_day": ["MO", "TU", "WE", "TH", "FR", "SA"]}
    result = coverage(_schedule([daily, monthly, december]), _at(2024, 1, 1))
    gap = result.first_gap
    assert gap is not None
    assert (gap.start, gap.end) == (_at(2028, 12, 31), _at(2029, 1, 1))
    assert (gap.before, gap.after) == (("alice",), ("alice",))


def test_a_by_day_rule_misses_the_friday_hour_after_dst() -> None:
    """Weekdays in London, weekends in UTC: equal in winter; from the spring change, London's
    Friday ends at 23:00 UTC, an hour before the weekend shift starts."""
    weekdays = {
        "type": "recurrent_event",
        "start": "2024-01-01T00:00:00",
        "duration": 86400,
        "frequency": "weekly",
        "week_start": "MO",
        "by_day": ["MO", "TU", "WE", "TH", "FR"],
        "users": ["alice"],
        "time_zone": "Europe/London",
    }
    weekend = {
        "type": "recurrent_event",
        "start": "2024-01-06T00:00:00",
        "duration": 172800,
        "frequency": "weekly",
        "week_start": "MO",
        "users": ["bob"],
        "time_zone": "UTC",
    }
    result = coverage(_schedule([weekdays, weekend]), _at(2024, 1, 1))
    gap = result.first_gap
    assert gap is not None
    assert (gap.start, gap.end) == (_at(2024, 4, 5, 23), _at(2024, 4, 6))
    assert (gap.before, gap.after) == (("alice",), ("bob",))


def test_min_users_finds_the_understaffed_stretch() -> None:
    result = coverage(_schedule([WEEKLY]), _at(2024, 1, 1, 9), min_users=2)
    gap = result.first_gap
    assert gap is not None and gap.kind == "understaffed"
    assert (gap.start, gap.users, gap.before) == (_at(2024, 1, 1, 9), ("alice",), None)


def test_until_limits_the_question() -> None:
    schedule = _schedule([{**WEEKLY, "until": "2030-01-07T09:00:00"}])
    result = coverage(schedule, _at(2024, 1, 2), until=_at(2029, 1, 1))
    assert result.verdict == "covered" and result.checked.end == _at(2029, 1, 1)


def test_a_short_horizon_is_said() -> None:
    """Two zones with DST: the period is 400 years, more than a year of horizon."""
    other = {**WEEKLY, "time_zone": "America/New_York", "level": 1, "duration": 3600}
    result = coverage(
        _schedule([WEEKLY, other], "Europe/London"), _at(2024, 1, 2), horizon=timedelta(days=366)
    )
    assert result.verdict == "bounded" and not result.always_covered
    assert result.checked.end == _at(2024, 1, 2) + timedelta(days=366)
    assert "horizon" in result.argument


def test_oncall_is_checked_window_by_window() -> None:
    result = coverage(
        _schedule([WEEKLY]), _at(2024, 1, 2), profile="oncall", horizon=timedelta(days=800)
    )
    assert result.verdict == "bounded" and "oncall" in result.argument


def test_no_shift_is_a_gap_for_ever() -> None:
    result = coverage(Schedule(), _at(2024, 1, 1))
    assert result.first_gap is not None and result.first_gap.after is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"min_users": 0}, "min_users"),
        ({"until": _at(2023, 1, 1)}, "until"),
        ({"horizon": timedelta(0)}, "horizon"),
    ],
)
def test_bad_arguments_are_named(arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        coverage(_schedule([WEEKLY]), _at(2024, 1, 1), **arguments)
    assert error.value.field == field


def test_a_naive_since_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        coverage(_schedule([WEEKLY]), datetime(2024, 1, 1))
    assert error.value.field == "since"


def _scenario_file(tmp_path: Path, shifts: list[dict[str, Any]]) -> str:
    path = tmp_path / "s.json"
    document = {
        "schedule": {"type": "calendar", "time_zone": "Europe/London"},
        "shifts": shifts,
        "window": {"start": "2024-01-02", "end": "2024-01-03"},
    }
    path.write_text(json.dumps(document))
    return str(path)


def test_cli_exits_0_when_covered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", _scenario_file(tmp_path, [WEEKLY])]) == 0
    assert capsys.readouterr().out.startswith("covered: at least 1 on call")


def test_cli_exits_1_with_the_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _scenario_file(tmp_path, [{**WEEKLY, "until": "2030-01-07T09:00:00"}])
    assert main(["coverage", path, "--since", "2025-01-01"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("uncovered: nobody on call from 2030-01-07 09:00:00Z")
    assert "before: bob" in out


def test_cli_exits_3_when_only_the_horizon_was_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No gap, no proof: neither "covered" (0) nor a counterexample (1)."""
    path = _scenario_file(tmp_path, [WEEKLY])
    assert main(["coverage", path, "--profile", "oncall", "--horizon", "400"]) == 3
    assert capsys.readouterr().out.startswith("not proved: covered from 2024-01-02 00:00Z until")


def test_cli_exits_2_on_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _scenario_file(tmp_path, [WEEKLY])
    assert main(["coverage", path, "--min-users", "0"]) == 2
    assert "--min-users" in capsys.readouterr().err
    assert main(["coverage", path, "--since", "soon"]) == 2
    assert "--since" in capsys.readouterr().err
    assert main(["coverage", path, "--horizon", "0"]) == 2
    assert "--horizon" in capsys.readouterr().err


def test_coverage_is_public() -> None:
    assert shiftcalc.coverage is coverage


def _spring_handoff(start: str) -> Schedule:
    """Alice 10:00 to 03:00, Bob 02:30 to 10:00 (New York): covered on the wall clock, but on
    the spring-forward night Bob's 02:30 does not exist and starts at 03:30 EDT, while Alice
    stops at 03:00 EDT: half an hour with nobody, once a year."""
    day = start[:10]
    alice = {
        "type": "recurrent_event",
        "start": f"{day}T10:00:00",
        "duration": 17 * 3600,
        "frequency": "daily",
        "users": ["alice"],
    }
    bob = {**alice, "start": f"{day}T02:30:00", "duration": 27000, "users": ["bob"]}
    return _schedule([alice, bob], "America/New_York")


def test_a_handoff_in_the_skipped_hour_is_a_gap_each_spring() -> None:
    """Found in the first months (resolved from since) and, from a later since, through the
    DST-change windows of the one-zone argument."""
    early = coverage(_spring_handoff("2024-01-01"), _at(2024, 1, 2))
    assert early.first_gap is not None
    assert (early.first_gap.start, early.first_gap.end) == (
        _at(2024, 3, 10, 7),
        _at(2024, 3, 10, 7, 30),
    )
    late = coverage(_spring_handoff("2024-04-01"), _at(2024, 4, 2))
    gap = late.first_gap
    assert gap is not None
    assert (gap.start, gap.end) == (_at(2025, 3, 9, 7), _at(2025, 3, 9, 7, 30))
    assert (gap.before, gap.after) == (("alice",), ("bob",))


def test_the_one_zone_argument_resolves_little() -> None:
    """A New York weekly rotation from 2024 is proved covered for all time resolving weeks,
    not the 400 years of its zone's rule nor the years to 2037 of its explicit changes."""
    result = coverage(_schedule([WEEKLY], "America/New_York"), _at(2024, 1, 2))
    assert result.verdict == "covered"
    assert result.resolved < timedelta(days=400)
    assert "wall-clock pattern repeats every 2 weeks" in result.argument


def test_one_off_shifts_are_over_before_the_regular_part() -> None:
    """A year-long override does not widen the DST neighbourhoods (only repeating shifts do)."""
    override = {
        "type": "override",
        "start": "2024-02-01T00:00:00",
        "duration": 366 * 86400,
        "users": ["carol"],
    }
    result = coverage(_schedule([WEEKLY, override], "America/New_York"), _at(2024, 1, 2))
    assert result.verdict == "covered"
    assert result.resolved < timedelta(days=800)


def test_until_before_the_spring_gap_is_covered() -> None:
    """The one-zone argument sees the spring gap; asked only up to New Year, resolving shows
    that the stretch asked about is covered."""
    result = coverage(_spring_handoff("2024-04-01"), _at(2024, 4, 2), until=_at(2025, 1, 1))
    assert result.verdict == "covered" and result.checked.end == _at(2025, 1, 1)


def test_a_rotation_from_the_year_1_ends_in_time() -> None:
    """An hourly rotation of 17-hour turns started in the year 1 (London): its cycle with the
    zone's 400 years runs past 9999, so no short argument; an answer, not an OverflowError."""
    shift = {
        **WEEKLY,
        "start": "0001-01-01T00:00:00",
        "duration": 1,
        "frequency": "hourly",
        "interval": 17,
    }
    with hang_guard(60):
        result = coverage(
            _schedule([shift], "Europe/London"), _at(2, 1, 1), horizon=timedelta(days=120)
        )
    assert result.first_gap is not None and result.first_gap.start.year == 2


def test_a_shift_of_four_thousand_years_ends_in_time() -> None:
    """A daily rotation whose turns last about 3,981 years (Lord Howe): DST neighbourhoods
    that long are past the end of time; an answer, not an OverflowError (both users are on
    call, in overlapping turns, over the horizon: no proof beyond it)."""
    shift = {
        **WEEKLY,
        "start": "0001-01-01T00:00:00",
        "duration": 125_630_868_342,
        "frequency": "daily",
        "interval": 3,
    }
    with hang_guard(60):
        result = coverage(
            _schedule([shift], "Australia/Lord_Howe"),
            _at(252, 1, 1),
            min_users=2,
            horizon=timedelta(days=120),
        )
    assert result.verdict == "bounded"


def test_coverage_refuses_a_component_skipped_for_a_chunks_size() -> None:
    """calendar_errors="skip": a component that a chunk skips for its size alone would be
    left out of some chunks and not others, its hours taken for gaps (the CLI said
    "uncovered" for a calendar on call all the time): coverage refuses it, naming the VEVENT
    and the chunk, where a span it fits in is answered. Hand-checked: 100,800 occurrences in
    the 28 hours, 72,000 in 20."""
    schedule = Schedule(type="ical", ical_primary=EVERY_SECOND)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(CalendarLimitError) as raised:
        coverage(schedule, since, until=since + timedelta(hours=28), calendar_errors="skip")
    assert raised.value.field == "VEVENT[UID=s, line 4].RRULE"
    assert raised.value.value == "2024-01-01T00:00:00+00:00/2024-01-02T04:00:00+00:00"
    short = coverage(schedule, since, until=since + timedelta(hours=20), calendar_errors="skip")
    assert (short.verdict, short.first_gap, short.skipped) == ("covered", None, ())


_ZED = (
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:p\n"
    "DTSTART:20240101T000000Z\nDTEND:20240102T000000Z\nRRULE:FREQ=DAILY\nSUMMARY:zed\n"
    "END:VEVENT\nEND:VCALENDAR\n"
)


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_a_gap_open_at_the_horizon_is_not_said_to_end_where_asked(profile: str) -> None:
    """A calendar whose only name matches no user: nobody on call, ever. The check stops a
    horizon past the gap's start (30 + 30 days here) with the gap still open: the text says
    "at least" and that it goes on (it said "after: (the end asked for)", nothing being
    asked); with ``until`` the gap ends there, as asked. The name is reported, once."""
    schedule = Schedule(
        type="ical", ical_primary=_ZED, users=(shiftcalc.User(id="alice", username="alice"),)
    )
    since = datetime(2024, 1, 1, tzinfo=UTC)
    month = timedelta(days=30)
    result = coverage(schedule, since, horizon=month, profile=profile)  # type: ignore[arg-type]
    gap = result.first_gap
    assert gap is not None and (gap.start, gap.end, gap.after) == (since, since + 2 * month, None)
    assert result.until is None
    assert [name.name for name in result.unresolved] == ["zed"]
    text = coverage_text(result, schedule)
    assert "to at least 2024-03-01 00:00:00Z" in text
    assert "after: (not found: the gap goes on past the horizon, maybe for ever)" in text
    until = since + timedelta(days=10)
    asked = coverage(schedule, since, until=until, horizon=month, profile=profile)  # type: ignore[arg-type]
    assert asked.until == until and asked.first_gap is not None
    assert asked.first_gap.end == until
    text = coverage_text(asked, schedule)
    assert "to 2024-01-11 00:00:00Z" in text and "after: (the end asked for)" in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--since", "2024-01-05T00:00:00Z", "--until", "2024-01-01"],
         "error: --until: must be after --since (or the window's start) (got '2024-01-01')"),
        (["--until", "2023-12-01"], "error: --until: must be after --since"),
        (["--min-users", "0"], "error: --min-users: must be at least 1 (got 0)"),
    ],
)  # fmt: skip
def test_cli_coverage_names_its_options_in_errors(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The options as typed (it said ``until`` and ``min_users``, with a datetime's repr)."""
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"shifts": [], "window": {"start": "2024-01-01", "end": "2024-01-02"}})
    )
    assert main(["coverage", str(path), *options]) == 2
    assert message in capsys.readouterr().err


def test_cli_coverage_warns_of_unresolved_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "z.json"
    document = {"schedule": {"type": "ical", "ical_primary": _ZED}, "users": ["alice"],
                "shifts": [], "window": {"start": "2024-01-01", "end": "2024-01-03"}}  # fmt: skip
    path.write_text(json.dumps(document))
    assert main(["coverage", str(path), "--until", "2024-01-05", "--horizon", "10"]) == 1
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "'zed'" in err and "matches no user" in err


def test_a_since_with_microseconds_is_answered() -> None:
    """The zone's explicit changes were bisected in halves rounded down to whole seconds: from
    a ``since`` with microseconds, a stretch between one and two seconds long made no progress
    and coverage never answered (found by the gap stream, which asks from chunk ends)."""
    daily = {**WEEKLY, "start": "2024-01-10T09:00:00", "duration": 86400, "frequency": "daily"}
    schedule = _schedule([daily], "America/New_York")
    since = datetime(2034, 9, 22, 1, 1, 40, 28177, tzinfo=UTC)
    with hang_guard(60):
        result = coverage(schedule, since)
    assert result.verdict == "covered" and result.first_gap is None
    assert result.checked.start == since
