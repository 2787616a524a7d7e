"""Fuzz: fairness figures, holiday calendars and conflicts on hostile input end with an answer
or a ShiftcalcError, in bounded time (far dates, odd zones, huge time-off lists, bad
calendars)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import FinalEvent, Schedule, Shift, Weights, Window
from shiftcalc._fairness import fairness

FAR = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
    lambda d: d.replace(tzinfo=UTC)
)
EDGE = st.sampled_from(
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1, 1, 2, 5, tzinfo=UTC),
        datetime(9999, 12, 30, 22, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
)
INSTANTS = FAR | EDGE
ZONES = st.sampled_from(
    [
        "UTC",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
        "Asia/Kathmandu",
        "Europe/London",
        "America/Santiago",
        "Antarctica/Troll",
        "Australia/Lord_Howe",
    ]
)
WEIGHTS = st.builds(
    Weights,
    night_start=st.times(),
    night_end=st.times(),
    night_factor=st.floats(0, 1e300),
    weekend_factor=st.floats(0, 1e6),
    holiday_factor=st.floats(0, 1e6),
    holidays=st.lists(st.dates(), max_size=20),
    zone=ZONES | st.none(),
)


@st.composite
def events(draw: st.DrawFn) -> list[FinalEvent]:
    found = []
    for _ in range(draw(st.integers(0, 5))):
        start, end = draw(INSTANTS), draw(INSTANTS)  # may end before it starts (oncall)
        near = draw(st.booleans())
        if near:  # mostly short events, so that most examples are answered, not refused
            hours = timedelta(hours=draw(st.integers(0, 200)))
            end = start + hours if start < FAR_END - hours else FAR_END
        users = tuple(draw(st.lists(st.sampled_from("abc"), max_size=2, unique=True)))
        found.append(FinalEvent(start=start, end=end, users=users, is_gap=not users))
    return found


FAR_END = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


@settings(deadline=None)
@given(events(), INSTANTS, INSTANTS, ZONES, st.none() | WEIGHTS)
def test_fairness_on_far_events_answers_or_refuses(
    found: list[FinalEvent], s: datetime, e: datetime, zone: str, weights: Weights | None
) -> None:
    """Events near years 1 and 9999, any zone and weights: figures or a ValidationError."""
    window = Window(start=min(s, e), end=max(s, e))
    with hang_guard(60):
        try:
            report = shiftcalc.quality_report(tuple(found), window, zone=zone, weights=weights)
        except shiftcalc.ShiftcalcError:
            return
    for user in report.fairness.users:
        assert user.hours >= 0 and user.weighted >= 0
        assert user.night_hours <= user.hours + 1e-6
        assert user.weekend_hours + user.holiday_hours <= user.hours + 1e-6
    assert 0 <= report.fairness.hours.gini <= 1


def test_a_millennium_on_call_is_refused_up_front() -> None:
    """Classification is day by day: past 100,000 days of time on call it is refused, naming
    the window, instead of running for minutes."""
    window = Window(start=datetime(1000, 1, 1, tzinfo=UTC), end=datetime(2000, 1, 1, tzinfo=UTC))
    event = FinalEvent(start=window.start, end=window.end, users=("a",))
    with hang_guard(30):
        try:
            fairness([event], window)
        except shiftcalc.ValidationError as error:
            assert error.field == "window"
            assert "100000" in error.reason
        else:
            raise AssertionError("a millennium of weighted time was classified")


CALENDAR_LINES = st.sampled_from(
    [
        "DTSTART;VALUE=DATE:20240101",
        "DTSTART;VALUE=DATE:99991231",
        "DTSTART;VALUE=DATE:00010101",
        "DTSTART;VALUE=DATE:2024013",
        "DTSTART:20240101T090000Z",
        "DTEND;VALUE=DATE:20240103",
        "DTEND;VALUE=DATE:99991231",
        "DURATION:P1D",
        "DURATION:P99999999D",
        "RRULE:FREQ=DAILY",
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "RRULE:FREQ=SECONDLY",
        "RRULE:FREQ=DAILY;INTERVAL=0",
        "EXDATE;VALUE=DATE:20240102",
        "SUMMARY:Holiday",
        "X-WR-TIMEZONE:Pacific/Kiritimati",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "UID:x",
    ]
)


@st.composite
def calendars(draw: st.DrawFn) -> str:
    body = []
    for _ in range(draw(st.integers(0, 3))):
        lines = draw(st.lists(CALENDAR_LINES, max_size=6))
        body.append("BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT")
    if draw(st.booleans()):
        body.append(draw(st.text(max_size=40)))
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "\r\n".join(body) + "\r\nEND:VCALENDAR\r\n"


@settings(deadline=None)
@given(calendars(), INSTANTS, INSTANTS, ZONES)
def test_bad_holiday_calendars_answer_or_refuse(
    text: str, s: datetime, e: datetime, zone: str
) -> None:
    """Holiday calendars with bad, far, endless or timed events: dates or a ShiftcalcError."""
    window = Window(start=min(s, e), end=max(s, e))
    with hang_guard(60):
        try:
            days = shiftcalc.holidays_from_ical(text, window, time_zone=zone)
        except shiftcalc.ShiftcalcError:
            return
    assert all(isinstance(day, date) for day in days)
    assert len(days) <= shiftcalc._fairness.MAX_HOLIDAYS


def _team(user: str, start: datetime) -> Schedule:
    rotation = Shift(
        type="rolling_users",
        start=start,
        duration=timedelta(hours=8),
        frequency="daily",
        interval=1,
        rolling_users=((user,), ("other",)),
        start_rotation_from_user_index=0,
    )
    return Schedule(shifts=(rotation,))


@settings(deadline=None, max_examples=20)
@given(st.integers(1, 30_000), st.integers(0, 2**31))
def test_huge_time_off_lists_are_merged_not_multiplied(count: int, seed: int) -> None:
    """Tens of thousands of time-off intervals for one user: sorted and merged once, then a
    linear intersection with the rows (no row x interval product)."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    window = Window(start=start, end=start + timedelta(days=30))
    step = timedelta(minutes=1 + seed % 7)
    away = [(start + k * step, start + k * step + timedelta(seconds=30)) for k in range(count)]
    with hang_guard(60):
        found = shiftcalc.conflicts(
            [_team("ann", datetime(2024, 1, 1, 9))], window, time_off={"ann": away}
        )
    assert all(c.kind == "time_off" and c.user == "ann" for c in found)


@settings(deadline=None)
@given(
    st.lists(st.tuples(INSTANTS, INSTANTS), max_size=8),
    INSTANTS,
    INSTANTS,
    st.sampled_from(["ann", "ANN", "zed", ""]),
)
def test_far_time_off_and_windows_answer_or_refuse(
    spans: list[tuple[datetime, datetime]], s: datetime, e: datetime, name: str
) -> None:
    """Time off and windows near years 1 and 9999, backwards intervals, unknown names:
    conflicts or a ValidationError naming the field."""
    lo, hi = min(s, e), max(s, e)
    window = Window(start=lo, end=hi if hi - lo <= timedelta(days=20) else lo + timedelta(days=20))
    schedules = [_team("ann", datetime(2024, 1, 1, 9)), _team("ann", datetime(2024, 1, 1, 12))]
    with hang_guard(60):
        try:
            found = shiftcalc.conflicts(schedules, window, time_off={name: spans})
        except shiftcalc.ValidationError as error:
            assert error.field.startswith("time_off")
            return
    assert all(window.start <= c.start < c.end <= window.end for c in found)


@settings(deadline=None)
@given(calendars(), st.sampled_from(["ann", "ATTENDEE:mailto:ann", "SUMMARY:ann"]))
def test_bad_time_off_calendars_answer_or_refuse(text: str, line: str) -> None:
    """A time-off calendar that cannot be used is a CalendarError naming ``time_off``."""
    text = text.replace("UID:x", f"UID:x\r\n{line}")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    window = Window(start=start, end=start + timedelta(days=14))
    with hang_guard(60):
        try:
            shiftcalc.conflicts([_team("ann", datetime(2024, 1, 1, 9))], window, time_off=text)
        except shiftcalc.CalendarError as error:
            assert error.field.startswith("time_off")


def test_weights_of_a_night_at_the_end_of_time() -> None:
    """A night bound on the last day of 9999 in a zone ahead of UTC: clamped, not overflowed."""
    zone_weights = Weights(night_start=time(23, 59), night_end=time(0, 1), zone="Etc/GMT-14")
    window = Window(start=datetime(9999, 12, 31, tzinfo=UTC), end=FAR_END)
    event = FinalEvent(start=window.start, end=window.end, users=("a",))
    (user,) = fairness([event], window, weights=zone_weights).users
    assert user.hours > 23.99


@settings(deadline=None, max_examples=30)
@given(
    data=st.lists(
        st.sampled_from(["2024-12-25", "9999-12-31", "0001-01-01", "2024-02-30", "x", 7, None]),
        max_size=6,
    )
    | st.sampled_from([{}, "2024-12-25", 3])
)
def test_cli_holiday_lists_answer_or_exit_2(data: object, tmp_path_factory: Any) -> None:
    """Hostile --holidays JSON (bad dates, wrong types, not a list): exit 0 or 2, never more."""
    import json

    from shiftcalc.__main__ import main

    folder = tmp_path_factory.mktemp("holidays")
    scenario, holidays = folder / "s.json", folder / "h.json"
    scenario.write_text(
        '{"shifts": [{"type": "single_event", "start": "2024-12-24T00:00:00", '
        '"duration": 172800, "users": ["ann"]}], '
        '"window": {"start": "2024-12-24", "end": "2024-12-27"}}'
    )
    holidays.write_text(json.dumps(data))
    with hang_guard(60):
        status = main(
            ["final-shifts", str(scenario), "--format", "quality", "--holidays", str(holidays)]
        )
    assert status in (0, 2)


def test_a_century_of_holiday_dates_from_the_cli_is_refused(tmp_path: Any) -> None:
    """More holiday dates than the limit: exit 2 naming --holidays, not a slow report."""
    import json

    from shiftcalc.__main__ import main

    scenario, holidays = tmp_path / "s.json", tmp_path / "h.json"
    scenario.write_text('{"shifts": [], "window": {"start": "2024-12-24", "end": "2024-12-27"}}')
    days = [(date(1900, 1, 1) + timedelta(days=k)).isoformat() for k in range(40_000)]
    holidays.write_text(json.dumps(days))
    with hang_guard(60):
        status = main(
            ["final-shifts", str(scenario), "--format", "quality", "--holidays", str(holidays)]
        )
    assert status == 2
