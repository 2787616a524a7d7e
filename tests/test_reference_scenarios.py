"""Acceptance scenarios S1–S19 of the Grafana OnCall reference (§4), through the public API.

Every test builds a scenario dict in the format of ``spec/scenario-format.md`` and drives it
through :func:`shiftcalc.load_scenario`, :func:`shiftcalc.on_call_at`, :func:`shiftcalc.resolve`
or :func:`shiftcalc.expand`. Probes "u at X" of the reference are ``on_call_at(schedule, X)``.
The ``oncall`` expectations are the reference's; the ``strict`` ones follow the "fixed" column
of §7 (DESIGN.md, "The strict profile") and were worked out by hand, with the reasoning in a
comment. Where both profiles agree, one test runs both.

Times: where the reference gives a "Concrete" instantiation it is used; otherwise
T = 2024-08-12T10:00:00 (a Monday) and D/M = 2024-08-12T00:00:00, all UTC.
Scenario resolution (S20 onwards) is in ``test_reference_scenarios_resolution.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from scenario_builders import BOTH, DAY, HOUR, MIN, shift
from scenario_builders import z as instant
from shiftcalc import Scenario, expand, load_scenario, on_call_at

T = datetime(2024, 8, 12, 10, 0)  # a Monday, 10:00
M = datetime(2024, 8, 12)  # that Monday at 00:00

Probes = Mapping[timedelta, tuple[str, ...]]


# --------------------------------------------------------------------------- helpers


def scenario(
    *shifts: dict[str, Any],
    schedule_type: str = "calendar",
    time_zone: str | None = None,
    window: tuple[datetime, datetime] = (M, M + DAY),
) -> dict[str, Any]:
    """A scenario dict with the given shifts (users are implicit: names are ids)."""
    head: dict[str, Any] = {"type": schedule_type}
    if time_zone is not None:
        head["time_zone"] = time_zone
    return {
        "schedule": head,
        "shifts": list(shifts),
        "window": {"start": instant(window[0]), "end": instant(window[1])},
    }


def load(data: dict[str, Any], profile: str) -> Scenario:
    return load_scenario(data, profile=profile)  # type: ignore[arg-type]


def probe(data: dict[str, Any], profile: str, base: datetime, offsets: Probes) -> None:
    """Assert who is on call at ``base + offset`` for every offset (point queries)."""
    schedule = load(data, profile).schedule
    actual = {
        offset: on_call_at(schedule, (base + offset).replace(tzinfo=UTC), profile=profile)  # type: ignore[arg-type]
        for offset in offsets
    }
    assert dict(offsets) == actual


def at(offsets: Mapping[str, list[timedelta]]) -> dict[timedelta, tuple[str, ...]]:
    """``{"u1": [o1, o2], "": [o3]}`` → ``{o1: ("u1",), o2: ("u1",), o3: ()}``."""
    result: dict[timedelta, tuple[str, ...]] = {}
    for user, items in offsets.items():
        for offset in items:
            result[offset] = (user,) if user else ()
    return result


def days_and_5m(*days: int) -> list[timedelta]:
    return [n * DAY + 5 * MIN for n in days]


def expansion(data: dict[str, Any], profile: str) -> list[str]:
    """The raw expansion over the scenario window as sorted ``"MM-DD users"`` strings."""
    loaded = load(data, profile)
    by_start: dict[datetime, set[str]] = defaultdict(set)
    for record in expand(loaded.schedule, loaded.window, profile=profile):  # type: ignore[arg-type]
        by_start[record.start].update(record.users)
    return [f"{start:%m-%d} {''.join(sorted(users))}" for start, users in sorted(by_start.items())]


def occurrence_starts(data: dict[str, Any], profile: str) -> list[str]:
    """Start instants of the raw expansion over the scenario window."""
    loaded = load(data, profile)
    records = expand(loaded.schedule, loaded.window, profile=profile)  # type: ignore[arg-type]
    return sorted({instant(record.start.replace(tzinfo=None)) for record in records})


# --------------------------------------------------------------------------- S1–S5


@BOTH
def test_s1_single_event(profile: str) -> None:
    """S1 — single event: u on call at T+5m (and not after the 3 h)."""
    data = scenario(shift("single_event", T, 3 * HOUR, level=1, users=["u"]))
    probe(data, profile, T, at({"u": [5 * MIN, 2 * HOUR + 55 * MIN], "": [3 * HOUR + 5 * MIN]}))


def _s2_schedule(profile: str) -> Scenario:
    data = scenario(
        shift("override", T, 3 * HOUR, rotation_start=T, users=["u"]), schedule_type="web"
    )
    return load(data, profile)


@BOTH
def test_s2_override_capped_by_until(profile: str) -> None:
    """S2 — override capped by until: u at T+5m, nobody at T+2h5m.

    The public API resets an override's ``until`` (§1.1), so a scenario cannot carry it; the
    override is loaded from a scenario and given its ``until`` on the model value. Both
    profiles cap the single occurrence at until (oncall: DTEND = min(start+duration, until);
    strict: until clips).
    """
    loaded = _s2_schedule(profile)
    (override,) = loaded.schedule.shifts
    schedule = replace(loaded.schedule, shifts=(replace(override, until=T + HOUR),))
    actual = {
        offset: on_call_at(schedule, (T + offset).replace(tzinfo=UTC), profile=profile)  # type: ignore[arg-type]
        for offset in (5 * MIN, 55 * MIN, 2 * HOUR + 5 * MIN)
    }
    assert actual == {5 * MIN: ("u",), 55 * MIN: ("u",), 2 * HOUR + 5 * MIN: ()}


@BOTH
def test_s2_scenario_override_until_is_reset(profile: str) -> None:
    """S2 — through a scenario an override's until is dropped, as the public API does (§1.1)."""
    data = scenario(
        shift("override", T, 3 * HOUR, until=T + HOUR, users=["u"]), schedule_type="web"
    )
    probe(data, profile, T, at({"u": [5 * MIN, 2 * HOUR + 5 * MIN]}))


@pytest.mark.parametrize(
    ("profile", "later"),
    [
        # oncall: only the first occurrence's DTEND is capped (§2.8); day 1 runs its full 3 h.
        pytest.param("oncall", ("u",), id="oncall"),
        # strict: until clips every occurrence, so day 1 ends at T+1d1h.
        pytest.param("strict", (), id="strict"),
    ],
)
def test_s2_until_clips_later_occurrences(profile: str, later: tuple[str, ...]) -> None:
    """S2 (until) — a recurring event whose until falls inside a later occurrence."""
    data = scenario(
        shift("recurrent_event", T, 3 * HOUR, frequency="daily", until=T + DAY + HOUR, users=["u"])
    )
    probe(
        data,
        profile,
        T,
        {5 * MIN: ("u",), DAY + 30 * MIN: ("u",), DAY + 2 * HOUR: later, 2 * DAY + 5 * MIN: ()},
    )


@pytest.mark.parametrize("schedule_type", ["calendar", "web"])
@BOTH
def test_s3_recurring_every_other_day(profile: str, schedule_type: str) -> None:
    """S3 — recurring every other day: u at T+5m and T+2d5m, nobody at T+1d5m."""
    data = scenario(
        shift("recurrent_event", T, 3 * HOUR, level=1, frequency="daily", interval=2, users=["u"]),
        schedule_type=schedule_type,
    )
    probe(data, profile, T, at({"u": days_and_5m(0, 2), "": days_and_5m(1)}))


@pytest.mark.parametrize("schedule_type", ["calendar", "web"])
@BOTH
def test_s4_rolling_daily_interval_2(profile: str, schedule_type: str) -> None:
    """S4 — rolling daily, interval 2: u1 days 0, 4; u2 days 2, 6; nobody on odd days.

    strict: RFC interval 2 gives days 0, 2, 4, 6; turn = day // 2 → u1, u2, u1, u2.
    """
    data = scenario(
        shift(
            "rolling_users",
            T,
            3 * HOUR,
            rotation_start=T,
            frequency="daily",
            interval=2,
            rolling_users=[["u1"], ["u2"]],
        ),
        schedule_type=schedule_type,
    )
    expected = at({"u1": days_and_5m(0, 4), "u2": days_and_5m(2, 6), "": days_and_5m(1, 3, 5)})
    probe(data, profile, T, expected)


@BOTH
def test_s5_hourly_late_rotation_start(profile: str) -> None:
    """S5 — hourly, interval 2, rotation_start T+1h: u2 12:00, u1 14:00, u2 16:00.

    strict: occurrences every 2 h from T; T is before rotation_start; turn = hour index // 2,
    so T+2h → turn 1 (u2), T+4h → 2 (u1), T+6h → 3 (u2).
    """
    data = scenario(
        shift(
            "rolling_users",
            T,
            10 * MIN,
            rotation_start=T + HOUR,
            frequency="hourly",
            interval=2,
            rolling_users=[["u1"], ["u2"]],
        ),
        schedule_type="web",
    )
    hours = [0, 1, 2, 3, 4, 5, 6]
    expected = at(
        {
            "u2": [2 * HOUR + 5 * MIN, 6 * HOUR + 5 * MIN],
            "u1": [4 * HOUR + 5 * MIN],
            "": [n * HOUR + 5 * MIN for n in hours if n in (0, 1, 3, 5)],
        }
    )
    probe(data, profile, T, expected)


# --------------------------------------------------------------------------- S6–S8 daily by_day


def _daily_by_day(
    start: datetime, by_day: list[str], groups: list[list[str]], **fields: Any
) -> dict[str, Any]:
    return shift(
        "rolling_users",
        start,
        3 * HOUR,
        rotation_start=start,
        frequency="daily",
        by_day=by_day,
        rolling_users=groups,
        **fields,
    )


@BOTH
def test_s6_daily_by_day(profile: str) -> None:
    """S6 — daily by_day MO,WE,FR: one turn per selected day (u1 Aug 12, 16, 21; u2 14, 19, 23).

    strict: the selected days from M are counted; turn = count // 1.
    """
    data = scenario(
        _daily_by_day(M, ["MO", "WE", "FR"], [["u1"], ["u2"]], interval=1), schedule_type="web"
    )
    expected = at(
        {
            "u1": days_and_5m(0, 4, 9),
            "u2": days_and_5m(2, 7, 11),
            "": days_and_5m(1, 3, 5, 6, 8, 10, 12),
        }
    )
    probe(data, profile, M, expected)


@BOTH
def test_s7_daily_by_day_off_start(profile: str) -> None:
    """S7 — daily by_day WE,FR from a Monday: the Monday is not an occurrence.

    oncall moves the start to the first selected day in week order (Wednesday); strict never
    counts a non-matching DTSTART, so the first occurrence is the next selected day (Wednesday).
    """
    data = scenario(_daily_by_day(M, ["WE", "FR"], [["u1"]]), schedule_type="web")
    probe(data, profile, M, at({"u1": days_and_5m(2, 4), "": days_and_5m(0, 1, 3, 5, 6, 7)}))


@pytest.mark.parametrize(
    ("week_start", "profile", "expected"),
    [
        # oncall: first selected day in week order from week_start (MO, FR → Monday): the
        # Friday of the start week is lost (§2.5, §2.9).
        pytest.param("MO", "oncall", ["08-19 u1", "08-23 u1"], id="MO-oncall"),
        pytest.param("SU", "oncall", ["08-19 u1", "08-23 u1"], id="SU-oncall"),
        # week order from FR starts with FR: the same week's Friday.
        pytest.param("FR", "oncall", ["08-16 u1", "08-19 u1", "08-23 u1"], id="FR-oncall"),
        # strict: the next selected day on/after start, whatever week_start is.
        pytest.param("MO", "strict", ["08-16 u1", "08-19 u1", "08-23 u1"], id="MO-strict"),
        pytest.param("SU", "strict", ["08-16 u1", "08-19 u1", "08-23 u1"], id="SU-strict"),
        pytest.param("FR", "strict", ["08-16 u1", "08-19 u1", "08-23 u1"], id="FR-strict"),
    ],
)
def test_s7_first_by_day_start_depends_on_week_start(
    week_start: str, profile: str, expected: list[str]
) -> None:
    """S7 (§2.9) — daily by_day MO,FR starting Wednesday 2024-08-14."""
    start = datetime(2024, 8, 14)
    data = scenario(
        _daily_by_day(start, ["MO", "FR"], [["u1"]], week_start=week_start),
        schedule_type="web",
        window=(start, start + 10 * DAY),
    )
    assert expected == expansion(data, profile)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: daily+by_day ignores rotation_start for API sources (§2.6): Monday stays.
        pytest.param("oncall", ["08-12 u1", "08-14 u1", "08-16 u1"], id="oncall"),
        # strict: occurrences before rotation_start (Wednesday) are dropped.
        pytest.param("strict", ["08-14 u1", "08-16 u1"], id="strict"),
    ],
)
def test_s7_daily_by_day_rotation_start(profile: str, expected: list[str]) -> None:
    """S7 (§2.6) — daily by_day MO,WE,FR, API source, rotation_start on the Wednesday."""
    data = scenario(
        shift(
            "rolling_users",
            M,
            3 * HOUR,
            rotation_start=M + 2 * DAY,
            frequency="daily",
            by_day=["MO", "WE", "FR"],
            rolling_users=[["u1"]],
        ),
        window=(M, M + 5 * DAY),
    )
    assert expected == expansion(data, profile)


@BOTH
def test_s8_daily_by_day_interval_2(profile: str) -> None:
    """S8 — daily by_day MO,WE,FR, interval 2: two consecutive selected days per turn.

    strict: turn = (selected days since M) // 2: Aug 12, 14 u1; 16, 19 u2; 21, 23 u1; ...
    """
    data = scenario(
        _daily_by_day(M, ["MO", "WE", "FR"], [["u1"], ["u2"]], interval=2), schedule_type="web"
    )
    expected = at(
        {
            "u1": days_and_5m(0, 2, 9, 11, 18, 21, 28, 30),
            "u2": days_and_5m(4, 7, 14, 16, 23, 25, 32, 35),
            "": days_and_5m(1, 3, 5, 6, 8, 10, 12),
        }
    )
    probe(data, profile, M, expected)


# --------------------------------------------------------------------------- S9–S11


@BOTH
def test_s9_weekly_interval_2(profile: str) -> None:
    """S9 — weekly, interval 2: the first period (before rotation_start) still belongs to u1.

    strict: RFC interval 2 gives weeks 0, 2, 4, 6; week 0 is before rotation_start; turn =
    week // 2 → week 2 u2, week 4 u1, week 6 u2.
    """
    data = scenario(
        shift(
            "rolling_users",
            T,
            3 * HOUR,
            rotation_start=T + HOUR,
            frequency="weekly",
            interval=2,
            week_start="MO",
            rolling_users=[["u1"], ["u2"]],
        )
    )
    expected = at(
        {"u2": days_and_5m(14, 42), "u1": days_and_5m(28), "": days_and_5m(0, 7, 21, 35)}
    )
    probe(data, profile, T, expected)


@BOTH
def test_s10_monthly_interval_2(profile: str) -> None:
    """S10 — monthly, interval 2 from 2022-10-01 10:30: u2 Dec 1, u1 Feb 1, u2 Apr 1.

    strict: months 0, 2, 4, 6 of the rule; October is before rotation_start (11:30); turn =
    month // 2.
    """
    start = datetime(2022, 10, 1, 10, 30)
    data = scenario(
        shift(
            "rolling_users",
            start,
            3 * HOUR,
            rotation_start=start + HOUR,
            frequency="monthly",
            interval=2,
            rolling_users=[["u1"], ["u2"]],
        )
    )
    schedule = load(data, profile).schedule
    probes = {
        "2022-10-01": (),
        "2022-11-01": (),
        "2022-12-01": ("u2",),
        "2023-01-01": (),
        "2023-02-01": ("u1",),
        "2023-03-01": (),
        "2023-04-01": ("u2",),
    }
    actual = {
        day: on_call_at(schedule, datetime.fromisoformat(f"{day}T10:35:00+00:00"), profile=profile)  # type: ignore[arg-type]
        for day in probes
    }
    assert probes == actual


S11_CASES = {
    # frequency: (period, rotation_start offset, until offset)
    "hourly": (HOUR, 2 * HOUR, 6 * HOUR + 59 * MIN),
    "daily": (DAY, DAY + HOUR, 6 * DAY + 10 * MIN),
    "weekly": (7 * DAY, 7 * DAY + HOUR, 42 * DAY + 10 * MIN),
}


def _s11(frequency: str) -> dict[str, Any]:
    _, rotation_start, until = S11_CASES[frequency]
    fields: dict[str, Any] = {"week_start": "MO"} if frequency == "weekly" else {}
    return scenario(
        shift(
            "rolling_users",
            T,
            30 * MIN,
            rotation_start=T + rotation_start,
            until=T + until,
            frequency=frequency,
            rolling_users=[["u1"], ["u2"], ["u3"]],
            **fields,
        ),
        schedule_type="web",
    )


@pytest.mark.parametrize("frequency", list(S11_CASES))
@BOTH
def test_s11_rotation_start_skips_two_periods(profile: str, frequency: str) -> None:
    """S11 — rotation_start skips periods 0 and 1; period k belongs to group k mod 3.

    strict: the same (turn = period index; rotation_start drops periods 0 and 1).
    """
    period = S11_CASES[frequency][0]
    expected = at(
        {
            "u3": [2 * period + 5 * MIN, 5 * period + 5 * MIN],
            "u1": [3 * period + 5 * MIN, 6 * period + 5 * MIN],
            "u2": [4 * period + 5 * MIN],
            "": [5 * MIN, period + 5 * MIN, 7 * period + 5 * MIN],
        }
    )
    probe(_s11(frequency), profile, T, expected)


@pytest.mark.parametrize(
    ("frequency", "profile", "expected"),
    [
        # hourly: until (T+6h59m) is after the last occurrence's end: no difference.
        pytest.param("hourly", "oncall", ("u1",), id="hourly-oncall"),
        pytest.param("hourly", "strict", ("u1",), id="hourly-strict"),
        # daily/weekly: until = T+6U+10m. oncall caps only each VEVENT's first occurrence, so
        # u1's second occurrence (T+6U) runs its full 30 min; strict clips it at T+6U+10m.
        pytest.param("daily", "oncall", ("u1",), id="daily-oncall"),
        pytest.param("daily", "strict", (), id="daily-strict"),
        pytest.param("weekly", "oncall", ("u1",), id="weekly-oncall"),
        pytest.param("weekly", "strict", (), id="weekly-strict"),
    ],
)
def test_s11_until_clips_last_occurrence(
    frequency: str, profile: str, expected: tuple[str, ...]
) -> None:
    """S11 (until) — who is on call at T+6U+20m, after until but inside the last occurrence."""
    period = S11_CASES[frequency][0]
    probe(_s11(frequency), profile, T, {6 * period + 20 * MIN: expected})


# --------------------------------------------------------------------------- S12–S14


@BOTH
def test_s12_weekly_weekend_rotation_start_next_monday(profile: str) -> None:
    """S12 — weekly SA,SU from Wed 2024-08-14, rotation_start Mon 08-19: u2, u3, u1, u2 weekends.

    strict: Saturdays/Sundays from 08-17; 08-17/18 are before rotation_start; turn = week index
    from the week of 08-12 → 08-24/25 week 1 (u2), 08-31/09-01 u3, 09-07/08 u1, 09-14/15 u2.
    """
    start = datetime(2024, 8, 14)
    monday = datetime(2024, 8, 19)
    data = scenario(
        shift(
            "rolling_users",
            start,
            30 * MIN,
            rotation_start=monday,
            until=monday + 30 * DAY + MIN,
            frequency="weekly",
            week_start="MO",
            by_day=["SA", "SU"],
            rolling_users=[["u1"], ["u2"], ["u3"]],
        ),
        schedule_type="web",
    )
    saturday = monday + 5 * DAY
    expected = at(
        {
            "u2": days_and_5m(0, 1, 21, 22),
            "u3": days_and_5m(7, 8),
            "u1": days_and_5m(14, 15),
            "": days_and_5m(-7, 9, 30),
        }
    )
    expected[start - saturday] = ()  # nobody at N itself
    probe(data, profile, saturday, expected)


@BOTH
def test_s13_weekly_by_day_mid_week_rotation_start(profile: str) -> None:
    """S13 — weekly TH,SA (week_start WE) from Wed 2024-08-14 10:00, rotation_start T+8d1h.

    strict: occurrences Aug 15, 17, 22, 24, 29, 31, Sep 5, 7; Aug 22 10:00 is before
    rotation_start (11:00); turn = week index from Wed 08-14 → Aug 24 u2, Aug 29/31 u3, Sep 5
    u1; Sep 7 is at/after until (Sep 6 10:01).
    """
    start = datetime(2024, 8, 14, 10)
    data = scenario(
        shift(
            "rolling_users",
            start,
            30 * MIN,
            rotation_start=start + 8 * DAY + HOUR,
            until=start + 23 * DAY + MIN,
            frequency="weekly",
            week_start="WE",
            by_day=["TH", "SA"],
            rolling_users=[["u1"], ["u2"], ["u3"]],
        ),
        schedule_type="web",
    )
    expected = at(
        {
            "u2": days_and_5m(10),
            "u3": days_and_5m(15, 17),
            "u1": days_and_5m(22),
            "": days_and_5m(0, 1, 3, 8, 9, 24),
        }
    )
    probe(data, profile, start, expected)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # oncall: start (Wed) is moved to the first selected day in week order from MO, i.e.
        # next Monday; that week is group A's first period, the start week's Friday is lost.
        pytest.param("oncall", ["08-19 A", "08-23 A", "08-26 B", "08-30 B"], id="oncall"),
        # strict: Friday 08-16 is in week 0 (A); the next week is B's, the one after A's.
        pytest.param(
            "strict", ["08-16 A", "08-19 B", "08-23 B", "08-26 A", "08-30 A"], id="strict"
        ),
    ],
)
def test_s12_s13_weekly_first_by_day_start(profile: str, expected: list[str]) -> None:
    """S12/S13 (§2.5) — weekly MO,FR rotation starting on a Wednesday (2024-08-14)."""
    start = datetime(2024, 8, 14)
    data = scenario(
        shift(
            "rolling_users",
            start,
            3 * HOUR,
            frequency="weekly",
            week_start="MO",
            by_day=["MO", "FR"],
            rolling_users=[["A"], ["B"]],
        ),
        window=(start, start + 17 * DAY),
    )
    assert expected == expansion(data, profile)


@pytest.mark.parametrize("by_monthday", [False, True], ids=["plain", "by_monthday"])
@BOTH
def test_s14_monthly_rotation_start_at_month_end(profile: str, by_monthday: bool) -> None:
    """S14 — monthly from 2022-12-01 10:30, rotation_start 12-31 11:30: u2 January, u3 February.

    strict: December's occurrences are before rotation_start; turn = month index → January
    u2, February u3; until (Feb 11 10:31) ends it.
    """
    start = datetime(2022, 12, 1, 10, 30)
    fields: dict[str, Any] = {"by_monthday": [1, 2, 3, 4]} if by_monthday else {}
    data = scenario(
        shift(
            "rolling_users",
            start,
            30 * MIN,
            rotation_start=datetime(2022, 12, 31, 11, 30),
            until=datetime(2023, 2, 11, 10, 31),
            frequency="monthly",
            rolling_users=[["u1"], ["u2"], ["u3"]],
            **fields,
        ),
        schedule_type="web",
    )
    if by_monthday:
        probes = {
            "2022-12-01": (),
            "2022-12-04": (),
            **{f"2023-01-0{d}": ("u2",) for d in (1, 2, 3, 4)},
            "2023-01-05": (),
            "2023-01-07": (),
            "2023-01-11": (),
            **{f"2023-02-0{d}": ("u3",) for d in (1, 2, 3, 4)},
            "2023-02-12": (),
        }
    else:
        probes = {
            "2022-12-01": (),
            "2022-12-31": (),
            "2023-01-01": ("u2",),
            "2023-01-02": (),
            "2023-02-01": ("u3",),
            "2023-02-03": (),
            "2023-02-12": (),
        }
    schedule = load(data, profile).schedule
    actual = {
        day: on_call_at(schedule, datetime.fromisoformat(f"{day}T10:35:00+00:00"), profile=profile)  # type: ignore[arg-type]
        for day in probes
    }
    assert probes == actual


# --------------------------------------------------------------------------- S15–S18

S15_CASES: dict[str, tuple[dict[str, Any], list[timedelta], list[timedelta]]] = {
    # name: (fields, probes on call in oncall, probes never on call)
    "hourly": (
        {
            "frequency": "hourly",
            "rotation_start": T + 10 * MIN,
            "until": T + 40 * MIN,
            "duration": HOUR,
        },
        [12 * MIN, 37 * MIN],
        [2 * MIN, 7 * MIN, 42 * MIN],
    ),
    "daily": (
        {
            "frequency": "daily",
            "rotation_start": T + 5 * HOUR,
            "until": T + 15 * HOUR,
            "duration": DAY,
        },
        [5 * HOUR + 2 * MIN, 14 * HOUR + 55 * MIN],
        [2 * MIN, 4 * HOUR + 55 * MIN, 15 * HOUR + 2 * MIN],
    ),
    "weekly": (
        {
            "frequency": "weekly",
            "week_start": "MO",
            "rotation_start": T + DAY,
            "until": T + 6 * DAY,
            "duration": 7 * DAY,
        },
        [DAY + 2 * MIN, 6 * DAY - 5 * MIN],
        [2 * MIN, DAY - 5 * MIN, 6 * DAY + 2 * MIN],
    ),
    "monthly": (
        {
            "frequency": "monthly",
            "rotation_start": T + 5 * DAY,
            "until": T + 15 * DAY,
            "duration": 30 * DAY,
        },
        [5 * DAY + 2 * MIN, 14 * DAY],
        [4 * DAY, 15 * DAY + 2 * MIN],
    ),
}


def _s15(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    duration = fields.pop("duration")
    return scenario(
        shift("rolling_users", T, duration, source="web", rolling_users=[["u"]], **fields),
        schedule_type="web",
    )


@pytest.mark.parametrize("case", list(S15_CASES))
@pytest.mark.parametrize("profile", ["oncall", "strict"])
def test_s15_web_source_clipping(profile: str, case: str) -> None:
    """S15 — web source: oncall clips the first occurrence to [rotation_start, until).

    strict (§7: rotation_start is a wall clock that drops occurrences starting before it,
    whatever the source): the only occurrence in range starts at T < rotation_start, and the
    next one would start at or after until, so nobody is ever on call.
    """
    fields, inside, outside = S15_CASES[case]
    covered = ("u",) if profile == "oncall" else ()
    expected = {offset: covered for offset in inside} | {offset: () for offset in outside}
    probe(_s15(fields), profile, T, expected)


@BOTH
def test_s15_web_source_weekly_by_day(profile: str) -> None:
    """S15 — weekly by_day MO,TU,WE,SA, web source, 12 h: [T+1d, T+1d12h) and [T+2d, T+2d12h).

    strict: Monday (T) is before rotation_start (T+1d), Tuesday and Wednesday count, Saturday
    starts after until (T+4d23h): the same answer.
    """
    data = scenario(
        shift(
            "rolling_users",
            T,
            12 * HOUR,
            source="web",
            rotation_start=T + DAY,
            until=T + 4 * DAY + 23 * HOUR,
            frequency="weekly",
            week_start="MO",
            by_day=["MO", "TU", "WE", "SA"],
            rolling_users=[["u"]],
        ),
        schedule_type="web",
    )
    expected = at(
        {
            "u": [DAY + 5 * MIN, DAY + 11 * HOUR, 2 * DAY + 5 * MIN],
            "": [
                5 * MIN,
                DAY + 12 * HOUR + 5 * MIN,
                2 * DAY + 12 * HOUR + 5 * MIN,
                *days_and_5m(5),
            ],
        }
    )
    probe(data, profile, T, expected)


@BOTH
def test_s16_several_schedules(profile: str) -> None:
    """S16 — union of the on-call users of two schedules."""
    first = scenario(shift("single_event", T, 30 * MIN, level=1, users=["u1", "u2"]))
    second = scenario(
        shift("single_event", T, 10 * MIN, level=1, users=["u2"]),
        shift("single_event", T + 10 * MIN, 30 * MIN, level=1, users=["u3"]),
    )
    schedules = [load(first, profile).schedule, load(second, profile).schedule]
    second_ = timedelta(seconds=1)
    probes = {
        second_: ("u1", "u2"),
        10 * MIN + second_: ("u1", "u2", "u3"),
        30 * MIN + second_: ("u3",),
        40 * MIN + second_: (),
    }
    actual = {
        offset: tuple(
            sorted(
                {
                    user
                    for schedule in schedules
                    for user in on_call_at(
                        schedule,
                        (T + offset).replace(tzinfo=UTC),
                        profile=profile,  # type: ignore[arg-type]
                    )
                }
            )
        )
        for offset in probes
    }
    assert probes == actual


# S17 checks the RRULE *text* OnCall generates, which the public API does not expose; the
# tests below check what that text encodes instead (UNTIL inclusive, INTERVAL = N × interval).


@pytest.mark.parametrize(
    ("profile", "at_until"),
    [
        # oncall: RRULE UNTIL is inclusive, so an occurrence starting exactly at until exists
        # and, not being the first, runs its full length (§2.8).
        pytest.param("oncall", ("u",), id="oncall"),
        # strict: no occurrence starts at or after until.
        pytest.param("strict", (), id="strict"),
    ],
)
def test_s17_recurrent_hourly_until(profile: str, at_until: tuple[str, ...]) -> None:
    """S17 — recurrent hourly, interval 1, until U = T+3h (``UNTIL=<U>Z``)."""
    data = scenario(
        shift(
            "recurrent_event",
            T,
            30 * MIN,
            frequency="hourly",
            interval=1,
            until=T + 3 * HOUR,
            users=["u"],
        )
    )
    expected = {
        5 * MIN: ("u",),
        2 * HOUR + 5 * MIN: ("u",),
        3 * HOUR + 5 * MIN: at_until,
        4 * HOUR + 5 * MIN: (),
    }
    probe(data, profile, T, expected)


@pytest.mark.parametrize("time_zone", [None, "Etc/UTC"])
@BOTH
def test_s17_rolling_hourly_interval(profile: str, time_zone: str | None) -> None:
    """S17 — rolling 2 groups, hourly, interval 2 (``INTERVAL=4``; also with ``Etc/UTC``)."""
    fields: dict[str, Any] = {} if time_zone is None else {"time_zone": time_zone}
    data = scenario(
        shift(
            "rolling_users",
            T,
            30 * MIN,
            frequency="hourly",
            interval=2,
            rolling_users=[["u1"], ["u2"]],
            **fields,
        )
    )
    hours = {0: ("u1",), 1: (), 2: ("u2",), 3: (), 4: ("u1",), 6: ("u2",), 8: ("u1",)}
    probe(data, profile, T, {n * HOUR + 5 * MIN: users for n, users in hours.items()})


@pytest.mark.parametrize(
    ("week_start", "profile", "expected"),
    [
        # week_start SA: week order SA, SU → the first DTSTART is Sunday 00:00 (the reference).
        pytest.param("SA", "oncall", ["08-18 u", "08-19 u"], id="SA-oncall"),
        pytest.param("SA", "strict", ["08-18 u", "08-19 u"], id="SA-strict"),
        # week_start MO: oncall's week order MO.. moves Saturday to Monday; Sunday is lost.
        pytest.param("MO", "oncall", ["08-19 u"], id="MO-oncall"),
        # strict: next selected day on/after start, independent of week_start.
        pytest.param("MO", "strict", ["08-18 u", "08-19 u"], id="MO-strict"),
    ],
)
def test_s18_week_start_and_first_start(
    week_start: str, profile: str, expected: list[str]
) -> None:
    """S18 — daily by_day MO,SU from Saturday 2024-08-17, rotation_start Sunday, until Thursday.

    No Wednesday/Thursday occurrence exists (no BYDAY=WE/TH VEVENT in OnCall's text).
    """
    start = datetime(2024, 8, 17)
    until = datetime(2024, 8, 22)
    data = scenario(
        shift(
            "rolling_users",
            start,
            HOUR,
            rotation_start=start + DAY,
            until=until,
            frequency="daily",
            by_day=["MO", "SU"],
            week_start=week_start,
            rolling_users=[["u"]],
        ),
        schedule_type="web",
        window=(start, until),
    )
    assert expected == expansion(data, profile)


# --------------------------------------------------------------------------- S19


def _dates(spec: str) -> list[str]:
    """``"08-02 A; 08-05..08-07 B"`` → ``["08-02 A", "08-05 B", "08-06 B", "08-07 B"]``."""
    result = []
    for item in spec.split(";"):
        days, users = item.split()
        first, _, last = days.partition("..")
        day = datetime.strptime(f"2024-{first}", "%Y-%m-%d")
        end = datetime.strptime(f"2024-{last or first}", "%Y-%m-%d")
        while day <= end:
            result.append(f"{day:%m-%d} {users}")
            day += DAY
    return result


def _one_per_day(first: str, groups: str, count: int) -> str:
    day = datetime.strptime(f"2024-{first}", "%Y-%m-%d")
    return "; ".join(f"{day + n * DAY:%m-%d} {groups[n % len(groups)]}" for n in range(count))


ALL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS = ALL_DAYS[:5]
WEEKEND = ["SA", "SU"]
TEN = "A/B/C/D/E/F/G/H/I/J"

# (id, groups, start, by_day, days, frequency, interval, expected oncall, expected strict)
# strict equals oncall except #21: strict finds the next occurrence by the rule (daily every
# 7 days: 10-21 for D, after until), OnCall falls back to the day after the previous turn.
S19_CASES: list[tuple[str, str, str, list[str], int, str, int, str, str | None]] = [
    ("0", "A/B/C", "08-01", ["FR"], 21, "daily", 1, "08-02 A; 08-09 B; 08-16 C", None),
    ("1", "A/B/C/D/E", "08-05", WEEKDAYS, 14, "daily", 1,
     "08-05 A; 08-06 B; 08-07 C; 08-08 D; 08-09 E; 08-12 A; 08-13 B; 08-14 C; 08-15 D; 08-16 E",
     None),
    ("2", "A/B/C/D", "08-05", WEEKDAYS, 14, "daily", 2,
     "08-05 A; 08-06 A; 08-07 B; 08-08 B; 08-09 C; 08-12 C; 08-13 D; 08-14 D; 08-15 A; 08-16 A",
     None),
    ("3", "A/B/C/D/E", "08-05", WEEKDAYS, 14, "weekly", 1, "08-05..08-09 A; 08-12..08-16 B",
     None),
    ("4", "A/B/C/D/E", "08-26", WEEKDAYS, 14, "monthly", 1, "08-26..08-30 A; 09-02..09-06 B",
     None),
    ("5", "A/B/C/D/E", "08-08", WEEKDAYS, 14, "daily", 1,
     "08-08 A; 08-09 B; 08-12 C; 08-13 D; 08-14 E; 08-15 A; 08-16 B; 08-19 C; 08-20 D; 08-21 E",
     None),
    ("6", "A/B/C/D/E", "08-08", WEEKDAYS, 14, "weekly", 1,
     "08-08 A; 08-09 A; 08-12..08-16 B; 08-19..08-21 C", None),
    ("7", "A/B/C/D/E", "08-29", WEEKDAYS, 14, "monthly", 1,
     "08-29 A; 08-30 A; 09-02..09-06 B; 09-09..09-11 B", None),
    ("8", "AB/C", "08-14", [], 9, "daily", 1,
     "08-14 AB; 08-15 C; 08-16 AB; 08-17 C; 08-18 AB; 08-19 C; 08-20 AB; 08-21 C; 08-22 AB",
     None),
    ("9", "A/B/C", "08-03", WEEKEND, 15, "daily", 1, "08-03 A; 08-04 B; 08-10 C; 08-11 A; 08-17 B",
     None),
    ("10", "A/B/C/D/E", "08-03", WEEKEND, 14, "daily", 1, "08-03 A; 08-04 B; 08-10 C; 08-11 D",
     None),
    ("11", "A/B/C/D/E", "08-03", WEEKEND, 14, "daily", 1, "08-03 A; 08-04 B; 08-10 C; 08-11 D",
     None),
    ("12", "A", "08-01", WEEKEND, 5, "daily", 1, "08-03 A; 08-04 A", None),
    ("13", "A/B/C", "08-01", WEEKEND, 17, "daily", 1,
     "08-03 A; 08-04 B; 08-10 C; 08-11 A; 08-17 B", None),
    ("14", "A/B/C/D/E/F", "08-01", WEEKEND, 17, "daily", 1,
     "08-03 A; 08-04 B; 08-10 C; 08-11 D; 08-17 E", None),
    ("15", "A/B/C", "08-01", WEEKEND, 17, "daily", 2,
     "08-03 A; 08-04 A; 08-10 B; 08-11 B; 08-17 C", None),
    ("16", "A/B/C", "08-01", WEEKEND, 18, "weekly", 1,
     "08-03 A; 08-04 A; 08-10 B; 08-11 B; 08-17 C; 08-18 C", None),
    ("17", "A/B/C", "08-01", WEEKEND, 18, "weekly", 2, "08-03 A; 08-04 A; 08-17 B; 08-18 B",
     None),
    ("18", "A/B/C", "08-29", WEEKEND, 18, "monthly", 1,
     "08-31 A; 09-01 B; 09-07 B; 09-08 B; 09-14 B; 09-15 B", None),
    ("19", TEN, "09-30", [], 18, "daily", 1, _one_per_day("09-30", "ABCDEFGHIJ", 18), None),
    ("20", TEN, "09-30", ALL_DAYS, 18, "daily", 1, _one_per_day("09-30", "ABCDEFGHIJ", 18),
     None),
    ("21", TEN, "09-30", [], 18, "daily", 7,
     "09-30 A; 10-07 B; 10-14 C; 10-15 D; 10-16 E; 10-17 F", "09-30 A; 10-07 B; 10-14 C"),
    ("22", TEN, "09-30", ALL_DAYS, 18, "daily", 7,
     "09-30..10-06 A; 10-07..10-13 B; 10-14..10-17 C", None),
    ("23", "A", "08-01", ["MO"], 14, "daily", 1, "08-05 A; 08-12 A", None),
]  # fmt: skip


def _s19(
    groups: str, first: str, by_day: list[str], days: int, frequency: str, interval: int
) -> dict[str, Any]:
    start = datetime.strptime(f"2024-{first}", "%Y-%m-%d")
    until = start + days * DAY
    fields: dict[str, Any] = {"by_day": by_day} if by_day else {}
    return scenario(
        shift(
            "rolling_users",
            start,
            12 * HOUR,
            level=1,
            rotation_start=start,
            until=until,
            frequency=frequency,
            interval=interval,
            week_start="MO",
            rolling_users=[list(group) for group in groups.split("/")],
            **fields,
        ),
        schedule_type="web",
        window=(start, until),
    )


@pytest.mark.parametrize(
    ("profile", "case"),
    [
        pytest.param(profile, case, id=f"{case[0]}-{profile}")
        for case in S19_CASES
        for profile in ("oncall", "strict")
    ],
)
def test_s19_raw_rotation_expansion(
    profile: str, case: tuple[str, str, str, list[str], int, str, int, str, str | None]
) -> None:
    """S19 — raw rotation expansion table (CUSTOM_SHIFT_TEST_CASES), window [start, until)."""
    _, groups, first, by_day, days, frequency, interval, oncall, strict = case
    spec = oncall if profile == "oncall" or strict is None else strict
    data = _s19(groups, first, by_day, days, frequency, interval)
    assert _dates(spec) == expansion(data, profile)


def test_s19_case_21_without_until_strict() -> None:
    """S19 #21 (strict) — without until the rule goes on: D on 10-21, E on 10-28.

    Daily every 7 days from 09-30; turn = day index // 7, so 10-21 (day 21) is turn 3 = D.
    """
    data = _s19(TEN, "09-30", [], 18, "daily", 7)
    del data["shifts"][0]["until"]
    data["window"]["end"] = "2024-10-29T00:00:00Z"
    expected = ["09-30 A", "10-07 B", "10-14 C", "10-21 D", "10-28 E"]
    assert expected == expansion(data, "strict")
