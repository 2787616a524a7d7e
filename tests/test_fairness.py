"""Fairness figures of the quality report: golden figures worked out by hand, the
classification against minute sampling, spreads and Gini against their brute-force formulas,
and the one home of the weights (diff and the report classify alike)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import shiftcalc
from shiftcalc import FinalEvent, Weights, Window, quality_report
from shiftcalc.__main__ import main
from shiftcalc._fairness import Classifier, classify, fairness, gini

LONDON = "Europe/London"
H = 3600


def _events(*spans: tuple[str, datetime, datetime]) -> tuple[FinalEvent, ...]:
    return tuple(FinalEvent(start=s, end=e, users=(u,)) for u, s, e in spans)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _readme_schedule() -> shiftcalc.Scenario:
    return shiftcalc.load_scenario(
        {
            "schedule": {"type": "calendar", "time_zone": LONDON},
            "shifts": [
                {
                    "type": "rolling_users",
                    "start": "2024-03-25T09:00:00",
                    "duration": 604800,
                    "frequency": "weekly",
                    "week_start": "MO",
                    "rolling_users": [["alice"], ["bob"]],
                    "start_rotation_from_user_index": 0,
                },
                {
                    "type": "recurrent_event",
                    "level": 1,
                    "start": "2024-03-25T12:00:00",
                    "duration": 3600,
                    "frequency": "daily",
                    "users": ["carol"],
                    "by_day": ["MO", "TU", "WE", "TH", "FR"],
                },
            ],
            "window": {"start": "2024-03-30", "end": "2024-04-02"},
        }
    )


def test_golden_weighted_figures_across_spring_forward_and_a_holiday() -> None:
    """Alice is on call Sat 00:00 GMT to Mon 09:00 BST (Easter Monday a holiday), across the
    spring-forward night; worked out by hand in London's wall clock:
    nights 6 (Sat 00-06) + 7 (Sat 22 - Sun 06, an hour skipped) + 8 (Sun 22 - Mon 06) = 21;
    weekend 24 + 23 = 47; holiday Mon 00-09 = 9; 56 hours in all.
    weighted: Sat 6x2.25 + 16x1.5 + 2x2.25 = 42; Sun 5x2.25 + 16x1.5 + 2x2.25 = 39.75;
    Mon 6x3 + 3x2 = 24; total 105.75."""
    scenario = _readme_schedule()
    resolution = shiftcalc.resolve(scenario.schedule, scenario.window)
    weights = Weights(holidays=[date(2024, 4, 1)])
    report = quality_report(resolution.events, resolution.window, zone=LONDON, weights=weights)
    alice, bob, carol = report.fairness.users
    assert (alice.user, alice.hours, alice.night_hours) == ("alice", 56.0, 21.0)
    assert (alice.weekend_hours, alice.holiday_hours, alice.weighted) == (47.0, 9.0, 105.75)
    assert alice.longest_stretch == timedelta(hours=56)
    assert alice.shortest_rest is None
    # bob: Mon 09:00-12:00 and 13:00-01:00 BST (window end), carol's hour between
    assert (bob.hours, bob.night_hours, bob.holiday_hours, bob.weekend_hours) == (15, 3, 14, 0)
    # Mon 09-12 x2 + 13-22 x2 + 22-24 x3 + Tue 00-01 x1.5 = 6 + 18 + 6 + 1.5
    assert bob.weighted == 31.5
    assert bob.shortest_rest == timedelta(hours=1)
    assert bob.longest_stretch == timedelta(hours=12)
    assert (carol.hours, carol.weighted) == (1.0, 2.0)
    assert report.fairness.hours.max_over_min == 56.0
    assert report.fairness.weighted.max_over_min == 105.75 / 2.0
    # the OnCall score is untouched
    assert (report.total, report.coverage, report.balance) == (56, 100, 12)


def test_fall_back_night_holds_nine_hours_and_spring_forward_seven() -> None:
    """Nights are elapsed time on the wall clock: 22:00-06:00 London is 9 h on the last
    Sunday of October and 7 h on the last Sunday of March."""
    zone = ZoneInfo(LONDON)
    weights = Weights()
    autumn = classify(_utc(2024, 10, 26, 12), _utc(2024, 10, 27, 12), weights, zone)
    spring = classify(_utc(2024, 3, 30, 12), _utc(2024, 3, 31, 12), weights, zone)
    assert (autumn.hours, autumn.night) == (24.0, 9.0)
    assert (spring.hours, spring.night) == (24.0, 7.0)


def test_repeated_hour_is_classified_by_the_clock_it_shows_the_second_time() -> None:
    """A night ending at 01:30 on a fall-back night: the repeated 01:00-01:30 is night again
    (cut at the second reading of the bound), 01:30-02:00 twice day."""
    zone = ZoneInfo(LONDON)
    weights = Weights(night_start=time(0), night_end=time(1, 30))
    split = classify(_utc(2024, 10, 26, 23), _utc(2024, 10, 27, 2), weights, zone)
    # 00:00-01:30 BST (1.5 h), 01:30-02:00 BST (0.5), 01:00-01:30 GMT (0.5), 01:30-02:00 GMT
    assert (split.hours, split.night) == (3.0, 2.0)


def test_night_handoffs_and_rests_counted_per_user() -> None:
    """Two stretches of one user: a hand-off at 23:00 and one at 07:00 (day), a rest of 16 h
    between 07:00 and 23:00; back-to-back rows are one stretch; window edges are no
    hand-off."""
    window = Window(start=_utc(2024, 1, 1), end=_utc(2024, 1, 4))
    events = _events(
        ("a", _utc(2024, 1, 1), _utc(2024, 1, 1, 7)),
        ("a", _utc(2024, 1, 1, 23), _utc(2024, 1, 2, 3)),
        ("a", _utc(2024, 1, 2, 3), _utc(2024, 1, 2, 9)),
        ("b", _utc(2024, 1, 2, 9), _utc(2024, 1, 4)),
    )
    a, b = fairness(events, window).users
    assert a.longest_stretch == timedelta(hours=10)
    assert a.shortest_rest == timedelta(hours=16)
    assert a.night_handoffs == 1  # 07:00 and 09:00 are day; 23:00 night; 00:00 the edge
    assert b.night_handoffs == 0
    assert b.shortest_rest is None


def test_diff_and_the_report_share_one_weights_and_classification() -> None:
    """One home: the diff's Weights is the fairness module's, and a diff's weighted hours are
    the classification's."""
    from shiftcalc import _diff, _fairness

    assert _diff.Weights is _fairness.Weights is shiftcalc.Weights
    team = _readme_schedule()
    empty = shiftcalc.Scenario(schedule=shiftcalc.Schedule(), window=team.window)
    weights = Weights(holidays=[date(2024, 4, 1)], zone=LONDON)
    result = shiftcalc.diff(empty, team, weights=weights)
    gained = {d.user: d.weighted_gained for d in result.users}
    report = quality_report(
        shiftcalc.resolve(team.schedule, team.window).events, team.window, weights=weights
    )
    assert gained == {u.user: u.weighted for u in report.fairness.users}


# DST of 30 minutes (Lord Howe), at midnight (Santiago), of two hours (Troll), odd offsets
SAMPLED_ZONES = [
    "UTC",
    LONDON,
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Antarctica/Troll",
]


@st.composite
def _weights(draw: st.DrawFn) -> Weights:
    minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
    days = st.dates(min_value=date(2023, 12, 25), max_value=date(2024, 4, 10))
    factor = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
    return Weights(
        night_start=draw(minutes),
        night_end=draw(minutes),
        night_factor=draw(factor),
        weekend_factor=draw(factor),
        holiday_factor=draw(factor),
        holidays=draw(st.lists(days, max_size=5)),
    )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 100 * 24 * 60),
    st.integers(0, 4 * 24 * 60),
    st.sampled_from(SAMPLED_ZONES),
    _weights(),
)
def test_classification_matches_minute_sampling(
    offset: int, length: int, zone_name: str, weights: Weights
) -> None:
    """Every minute of [start, end) classified by its own wall clock, summed: the same figures
    (zone offsets and bounds are whole minutes, so no minute straddles a cut)."""
    zone = ZoneInfo(zone_name)
    start = _utc(2024, 1, 1) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    split = classify(start, end, weights, zone)
    hours = night = weekend = holiday = weighted = 0.0
    for k in range(length):
        local = (start + timedelta(minutes=k)).astimezone(zone)
        hours += 1 / 60
        night += weights.night(local.time()) / 60
        if local.date() in weights.holidays:
            holiday += 1 / 60
            base = weights.holiday_factor
        elif local.weekday() >= 5:
            weekend += 1 / 60
            base = weights.weekend_factor
        else:
            base = 1.0
        weighted += base * (weights.night_factor if weights.night(local.time()) else 1) / 60
    assert split.hours == pytest.approx(hours, abs=1e-6)
    assert split.night == pytest.approx(night, abs=1e-6)
    assert split.weekend == pytest.approx(weekend, abs=1e-6)
    assert split.holiday == pytest.approx(holiday, abs=1e-6)
    assert split.weighted == pytest.approx(weighted, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 3 * 365 * 24 * 60),
    st.integers(0, 400 * 24 * 60),
    st.sampled_from([*SAMPLED_ZONES, "Pacific/Apia", "Africa/Casablanca"]),
    _weights(),
)
# Santiago's 2023-04-01 (a Saturday) lasts 25 h (24:00 -> 23:00): first the stretch of the
# fuzzing run that found a 24-hour test, then one starting at that day's midnight, so that it
# would be the first weekend day classified (and Sunday would add its 25 hours)
@example(0, 73622, "America/Santiago", Weights())
@example(129_780, 3 * 24 * 60, "America/Santiago", Weights())
def test_whole_steady_days_add_up_like_their_pieces(
    offset: int, length: int, zone_name: str, weights: Weights
) -> None:
    """The whole-day shortcut (a steady day adds the figures of the first day of its kind)
    gives what classifying every piece of every day gives, over stretches of up to 400 days
    from 2023 to 2026 in zones with DST at midnight, of 30 minutes and of two hours, a
    skipped day (Apia) and Ramadan changes (Casablanca); the first stretch of each test is
    a fresh classifier, the second shares its days with the first, as a report's users do."""
    zone = ZoneInfo(zone_name)
    weights = replace(weights, holidays=frozenset(_shifted(weights.holidays)))
    start = _utc(2023, 1, 1) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    classifier = Classifier(weights, zone)
    for lo, hi in ((start, end), (start + timedelta(days=3), end + timedelta(days=40))):
        split = classifier.split(lo, hi)
        expected = [0.0] * 5
        for a, b in Classifier(weights, zone).pieces(lo, hi):
            local = a.astimezone(zone)
            length_h = (b - a).total_seconds() / 3600
            expected[0] += length_h
            expected[1] += length_h * weights.night(local.time())
            if local.date() in weights.holidays:
                expected[3] += length_h
            elif local.weekday() >= 5:
                expected[2] += length_h
            expected[4] += length_h * weights.factor(local)
        got = [split.hours, split.night, split.weekend, split.holiday, split.weighted]
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)


def _shifted(days: frozenset[date]) -> list[date]:
    """The drawn holidays (around 2024's first months) spread over 2023-2026 as well."""
    return [*days, *(day + timedelta(days=400) for day in days)]


@given(st.lists(st.floats(0, 1e6), max_size=12))
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(values: list[float]) -> None:
    """Brute force: sum over all ordered pairs of |x_i - x_j| / (2 n^2 mean)."""
    n = len(values)
    total = sum(values)
    expected = (
        0.0
        if n == 0 or total <= 0
        else sum(abs(a - b) for a, b in itertools.product(values, repeat=2)) / (2 * n * total)
    )
    assert gini(values) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 96), st.integers(1, 30))))
def test_spreads_match_brute_force(spans: list[tuple[str, int, int]]) -> None:
    """Hours and weighted spreads: max over min and Gini recomputed from the per-user
    figures by the brute-force formula; hours are each user's union of events."""
    origin = _utc(2024, 1, 1)
    window = Window(start=origin, end=origin + timedelta(days=5))
    events = _events(
        *((u, origin + timedelta(hours=s), origin + timedelta(hours=s + n)) for u, s, n in spans)
    )
    figures = fairness(events, window)
    for spread, values in (
        (figures.hours, [u.hours for u in figures.users]),
        (figures.weighted, [u.weighted for u in figures.users]),
    ):
        low = min(values, default=0)
        assert spread.max_over_min == (max(values) / low if values and low > 0 else None)
        n, total = len(values), sum(values)
        pairs = sum(abs(a - b) for a, b in itertools.product(values, repeat=2))
        assert spread.gini == pytest.approx(pairs / (2 * n * total) if total else 0.0)
    for user in figures.users:
        hours = set()
        for u, s, n in spans:
            if u == user.user:
                hours.update(h for h in range(s, s + n) if h < 5 * 24)
        assert user.hours == len(hours)


def test_holidays_from_an_ical_of_all_day_events() -> None:
    """All-day events, a yearly one included, give their dates inside the window; a timed
    event is refused, naming its component."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:xmas\r\nDTSTART;VALUE=DATE:20201225\r\n"
        "DTEND;VALUE=DATE:20201227\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:easter\r\nDTSTART;VALUE=DATE:20240401\r\nSUMMARY:Easter\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    window = Window(start=_utc(2024, 1, 1), end=_utc(2025, 1, 1))
    days = shiftcalc.holidays_from_ical(calendar, window, time_zone=LONDON)
    assert days == {date(2024, 4, 1), date(2024, 12, 25), date(2024, 12, 26)}
    timed = calendar.replace(
        "DTSTART;VALUE=DATE:20240401", "DTSTART:20240401T090000Z\r\nDURATION:PT1H"
    )
    with pytest.raises(shiftcalc.CalendarError, match="all-day") as caught:
        shiftcalc.holidays_from_ical(timed, window)
    assert caught.value.field.startswith("VEVENT[UID=easter")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"holidays": "2024-12-25"}, "weights.holidays"),
        ({"holidays": [datetime(2024, 12, 25)]}, "weights.holidays[0]"),
        ({"holiday_factor": -1}, "weights.holiday_factor"),
        ({"holiday_factor": float("inf")}, "weights.holiday_factor"),
    ],
)
def test_bad_weights_are_refused_by_field(kwargs: dict[str, Any], field: str) -> None:
    """Weights check their fields on construction."""
    with pytest.raises(shiftcalc.ValidationError) as caught:
        Weights(**kwargs)
    assert caught.value.field == field


def test_eleven_users_for_a_decade_are_classified() -> None:
    """Honest work is answered, not refused: eleven users on call together for ten years
    (40,181 days summed, past the old limit of 36,525), each with every hour counted and
    the weekend hours of ten years' weekends."""
    window = Window(start=_utc(2020, 1, 1), end=_utc(2030, 1, 1))
    users = tuple(f"u{k:02d}" for k in range(11))
    event = FinalEvent(start=window.start, end=window.end, users=users)
    figures = fairness([event], window, weights=Weights(zone="UTC"))
    days = (window.end - window.start).days
    weekend_days = sum((date(2020, 1, 1) + timedelta(days=k)).weekday() >= 5 for k in range(days))
    assert len(figures.users) == 11
    for user in figures.users:
        assert user.hours == pytest.approx(24 * days)
        assert user.weekend_hours == pytest.approx(24 * weekend_days)


def test_too_many_holidays_refused() -> None:
    """More than a century of holiday dates is not a calendar of public holidays."""
    many = [date(1900, 1, 1) + timedelta(days=k) for k in range(36_526)]
    with pytest.raises(shiftcalc.ValidationError, match="at most 36525"):
        Weights(holidays=many)


def test_cli_quality_shows_fairness(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format quality`` adds the fairness figures, classified in the schedule's zone."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps(shiftcalc.dump_scenario(_readme_schedule())))
    assert main(["final-shifts", str(path), "--format", "quality"]) == 0
    document = json.loads(capsys.readouterr().out)
    figures = document["fairness"]
    assert figures["zone"] == LONDON
    alice = figures["users"][0]
    assert (alice["username"], alice["night_hours"], alice["weekend_hours"]) == ("alice", 21, 47)
    assert set(figures["spread"]) == {"hours", "weighted"}
    assert document["total_score"] == 56


def test_a_year_of_hourly_hand_offs_is_answered_not_refused() -> None:
    """The classification limit counts days on call, not stretches: a year of an hourly
    rotation of three users (8,760 stretches) is honest work with an answer."""
    start = _utc(2024, 1, 1)
    window = Window(start=start, end=start + timedelta(days=366))
    events = tuple(
        FinalEvent(
            start=start + timedelta(hours=k),
            end=start + timedelta(hours=k + 1),
            users=("abc"[k % 3],),
        )
        for k in range(366 * 24)
    )
    figures = fairness(events, window)
    assert [u.hours for u in figures.users] == [2928.0, 2928.0, 2928.0]
    assert figures.hours.gini == 0.0
    assert all(u.shortest_rest == timedelta(hours=2) for u in figures.users)


def test_holiday_calendar_in_an_unknown_zone_is_refused_by_name() -> None:
    """The zone is checked as a schedule's: a ValidationError naming ``time_zone``."""
    window = Window(start=_utc(2024, 1, 1), end=_utc(2024, 1, 2))
    with pytest.raises(shiftcalc.ValidationError) as caught:
        shiftcalc.holidays_from_ical("BEGIN:VCALENDAR", window, time_zone="Mars/Olympus")
    assert caught.value.field == "time_zone"


def test_cli_holidays_option_as_dates_or_calendar(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--holidays FILE``: a JSON list of dates or an .ics of all-day events gives the
    quality report its holidays; a bad date is exit 2 naming its position."""
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(shiftcalc.dump_scenario(_readme_schedule())))
    dates = tmp_path / "h.json"
    dates.write_text('["2024-04-01"]')
    calendar = tmp_path / "h.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e\r\n"
        "DTSTART;VALUE=DATE:20240401\r\nSUMMARY:Easter Monday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for path in (dates, calendar):
        args = ["final-shifts", str(scenario), "--format", "quality", "--holidays", str(path)]
        assert main(args) == 0
        figures = json.loads(capsys.readouterr().out)["fairness"]
        assert figures["weights"]["holidays"] == ["2024-04-01"]
        assert figures["users"][0]["weighted"] == 105.75
    dates.write_text('["2024-04-31"]')
    assert main(["final-shifts", str(scenario), "--format", "quality", "--holidays", str(dates)])
    assert "--holidays[0]" in capsys.readouterr().err


def test_quality_report_fairness_is_computed_on_first_use_with_errors_up_front() -> None:
    """The report's fairness equals fairness() of its events; its input is checked when the
    report is made (a bad zone or centuries on call raise then), the day-by-day work waits
    for the first use."""
    start = _utc(2024, 1, 1)
    window = Window(start=start, end=start + timedelta(days=14))
    events = tuple(
        FinalEvent(start=start + timedelta(days=k), end=start + timedelta(days=k + 1), users=(u,))
        for k, u in enumerate("abcab" * 2)
    )
    report = quality_report(events, window, zone="Europe/London")
    assert report.fairness == fairness(events, window, zone="Europe/London")
    assert report.fairness is report.fairness  # computed once
    with pytest.raises(shiftcalc.ValidationError) as caught:
        quality_report(events, window, zone="Mars/Olympus")
    assert caught.value.field == "zone"
    centuries = Window(start=start, end=start + timedelta(days=100_001))
    forever = (FinalEvent(start=start, end=centuries.end, users=("a",)),)
    with pytest.raises(shiftcalc.ValidationError) as caught:
        quality_report(forever, centuries)
    assert caught.value.field == "window"
