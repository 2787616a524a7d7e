"""Holidays from a calendar of all-day events weigh time as the same dates given as a list:
a date counts when any part of its day in the schedule's zone is in the window (not only its
noon), and the date is the event's own DATE value, whatever zone the calendar is in. The
figures of the edge cases are worked out by hand; a property holds the calendar form to the
list form for random windows, dates and zones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from shiftcalc import FinalEvent, Weights, Window, quality_report
from shiftcalc.__main__ import main
from shiftcalc._fairness import UserFairness

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14 all year
NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"


def _utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _calendar(*events: str, zone: str | None = None) -> str:
    """A calendar of all-day VEVENTs, each given as its property lines."""
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    if zone is not None:
        head += f"X-WR-TIMEZONE:{zone}\r\n"
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:h{k}\r\n{lines}\r\nEND:VEVENT\r\n" for k, lines in enumerate(events)
    )
    return head + body + "END:VCALENDAR\r\n"


def _one_user(zone: str, start: str, window: tuple[str, str]) -> dict[str, object]:
    """A scenario: user ``a`` on call around the clock (a daily 24-hour rotation)."""
    return {
        "schedule": {"time_zone": zone},
        "shifts": [
            {
                "type": "rolling_users",
                "start": start,
                "duration": 86400,
                "frequency": "daily",
                "rolling_users": [["a"]],
                "start_rotation_from_user_index": 0,
            }
        ],
        "window": {"start": window[0], "end": window[1]},
    }


def _figures(document: dict[str, object], holidays: frozenset[date]) -> tuple[UserFairness, ...]:
    scenario = shiftcalc.load_scenario(document)
    resolution = shiftcalc.resolve(scenario.schedule, scenario.window)
    zone = scenario.schedule.time_zone
    weights = Weights(holidays=holidays)
    report = quality_report(resolution.events, resolution.window, zone=zone, weights=weights)
    return report.fairness.users


KIRITIMATI_NEW_YEAR = _one_user(
    KIRITIMATI, "2023-12-25T00:00:00", ("2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z")
)


def test_a_holiday_whose_noon_is_before_the_window_still_counts_its_hours_in_it() -> None:
    """Kiritimati (UTC+14), window 1 Jan 00:00Z to 3 Jan 00:00Z, New Year's Day a holiday:
    the window starts at 14:00 local on 1 January (its noon is before), so 14:00-24:00 of it,
    10 hours, are holiday hours, as the list ["2024-01-01"] says. By hand: 48 hours, nights
    22-06 twice = 16; weighted 1 Jan 8x2 + 2x3 = 22, Tue 2 Jan 6x1.5 + 16 + 2x1.5 = 28,
    3 Jan 6x1.5 + 8 = 17; 67 in all."""
    calendar = _calendar("DTSTART;VALUE=DATE:20240101\r\nSUMMARY:New Year")
    scenario = shiftcalc.load_scenario(KIRITIMATI_NEW_YEAR)
    days = shiftcalc.holidays_from_ical(calendar, scenario.window, time_zone=KIRITIMATI)
    assert days == {date(2024, 1, 1)}
    (from_calendar,) = _figures(KIRITIMATI_NEW_YEAR, days)
    (from_list,) = _figures(KIRITIMATI_NEW_YEAR, frozenset({date(2024, 1, 1)}))
    assert from_calendar == from_list
    assert (from_calendar.hours, from_calendar.night_hours) == (48.0, 16.0)
    assert (from_calendar.holiday_hours, from_calendar.weighted) == (10.0, 67.0)


def test_a_holiday_whose_noon_is_after_the_window_still_counts_its_hours_in_it() -> None:
    """New York, window 3 Nov 2024 04:00Z-09:00Z, the Sunday of the fall back (02:00 EDT to
    01:00 EST at 06:00Z), 3 November a holiday: the window reads 00:00 EDT to 04:00 EST,
    five hours of 3 November (01:00-02:00 twice), all of them night, all holiday instead of
    weekend; its noon (17:00Z) is after the window. Weighted 5 x 2 x 1.5 = 15."""
    document = _one_user(
        NEW_YORK, "2024-11-01T00:00:00", ("2024-11-03T04:00:00Z", "2024-11-03T09:00:00Z")
    )
    calendar = _calendar("DTSTART;VALUE=DATE:20241103\r\nSUMMARY:Holiday")
    window = shiftcalc.load_scenario(document).window
    days = shiftcalc.holidays_from_ical(calendar, window, time_zone=NEW_YORK)
    assert days == {date(2024, 11, 3)}
    (from_calendar,) = _figures(document, days)
    assert from_calendar == _figures(document, frozenset({date(2024, 11, 3)}))[0]
    assert (from_calendar.hours, from_calendar.night_hours) == (5.0, 5.0)
    assert (from_calendar.holiday_hours, from_calendar.weekend_hours) == (5.0, 0.0)
    assert from_calendar.weighted == 15.0
    (plain,) = _figures(document, frozenset())
    assert (plain.holiday_hours, plain.weekend_hours, plain.weighted) == (0.0, 5.0, 11.25)


def test_a_calendar_in_another_zone_keeps_its_dates() -> None:
    """A calendar in Tokyo (X-WR-TIMEZONE) with New Year's Day, read in New York: its event
    runs 31 Dec 15:00Z to 1 Jan 15:00Z, which is 10:00 on 31 December to 10:00 on 1 January
    in New York, but the holiday is 1 January, never 31 December: a window of New York's
    31 December (16:00Z-04:00Z, inside the event) has no holiday, and one of New York's
    1 January after the event's end (16:00Z-24:00Z) has it. Read the other way round (a New
    York calendar in Kiritimati), the event starts after Kiritimati's 1 January ends."""
    tokyo = _calendar("DTSTART;VALUE=DATE:20240101", zone=TOKYO)

    def days(text: str, start: datetime, end: datetime, zone: str) -> frozenset[date]:
        return shiftcalc.holidays_from_ical(text, Window(start=start, end=end), time_zone=zone)

    assert days(tokyo, _utc(2023, 12, 30), _utc(2024, 1, 5), NEW_YORK) == {date(2024, 1, 1)}
    assert days(tokyo, _utc(2023, 12, 31, 16), _utc(2024, 1, 1, 4), NEW_YORK) == set()
    assert days(tokyo, _utc(2024, 1, 1, 16), _utc(2024, 1, 2), NEW_YORK) == {date(2024, 1, 1)}
    new_york = _calendar("DTSTART;VALUE=DATE:20240101", zone=NEW_YORK)
    # Kiritimati's 1 January is 31 Dec 10:00Z to 1 Jan 10:00Z; New York's starts at 05:00Z
    assert days(new_york, _utc(2023, 12, 31, 10), _utc(2024, 1, 1, 5), KIRITIMATI) == {
        date(2024, 1, 1)
    }
    assert days(new_york, _utc(2024, 1, 1, 10), _utc(2024, 1, 2, 5), KIRITIMATI) == set()


def test_a_yearly_holiday_gives_every_date_whose_day_touches_the_window() -> None:
    """A yearly New Year's Day in Kiritimati over 31 Dec 2023 10:00Z (its 1 January's
    midnight) to 31 Dec 2024 12:00Z (two hours into its 1 January 2025): both New Year's
    Days, neither noon inside; an hour less on each side, neither."""
    calendar = _calendar("DTSTART;VALUE=DATE:20200101\r\nRRULE:FREQ=YEARLY")
    window = Window(start=_utc(2023, 12, 31, 10), end=_utc(2024, 12, 31, 12))
    days = shiftcalc.holidays_from_ical(calendar, window, time_zone=KIRITIMATI)
    assert days == {date(2024, 1, 1), date(2025, 1, 1)}
    inner = Window(start=_utc(2024, 1, 1, 10), end=_utc(2024, 12, 31, 10))
    assert shiftcalc.holidays_from_ical(calendar, inner, time_zone=KIRITIMATI) == set()


def test_cli_calendar_and_date_list_give_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tester's case: ``final-shifts --format quality --holidays`` in Kiritimati with an
    .ics of New Year's Day and with ["2024-01-01"]: the same fairness figures, 10 holiday
    hours (14:00-24:00 local on 1 January)."""
    scenario = tmp_path / "kir.json"
    scenario.write_text(json.dumps(KIRITIMATI_NEW_YEAR))
    calendar, dates = tmp_path / "h.ics", tmp_path / "h.json"
    calendar.write_text(_calendar("DTSTART;VALUE=DATE:20240101\r\nSUMMARY:New Year"))
    dates.write_text('["2024-01-01"]')
    found = []
    for path in (calendar, dates):
        args = ["final-shifts", str(scenario), "--format", "quality", "--holidays", str(path)]
        assert main(args) == 0
        found.append(json.loads(capsys.readouterr().out)["fairness"])
    assert found[0] == found[1]
    assert found[0]["weights"]["holidays"] == ["2024-01-01"]
    assert found[0]["users"][0]["holiday_hours"] == 10.0


ZONES = [
    "UTC",
    KIRITIMATI,
    "Etc/GMT+12",
    TOKYO,
    NEW_YORK,
    "Europe/London",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/Santiago",
]

# an all-day event: first date, days long, occurrences, days between them
EVENTS = st.tuples(
    st.dates(min_value=date(2023, 12, 20), max_value=date(2024, 1, 31)),
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 9),
)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 40 * 24 * 60),
    st.integers(0, 6 * 24 * 60),
    st.sampled_from(ZONES),
    st.sampled_from([None, *ZONES]),
    st.lists(EVENTS, max_size=4),
)
def test_a_calendar_weighs_time_as_its_dates_listed(
    offset: int,
    length: int,
    zone: str,
    calendar_zone: str | None,
    events: list[tuple[date, int, int, int]],
) -> None:
    """For random windows (to the minute), zones and all-day events (some of several days,
    some recurring daily every few days), in a calendar of its own zone or another: the
    calendar's dates are exactly the events' dates with some holiday time in the window (so
    the window's quality report is the one of all the events' dates listed)."""
    start = _utc(2023, 12, 25) + timedelta(minutes=offset)
    window = Window(start=start, end=start + timedelta(minutes=length))
    listed: set[date] = set()
    lines = []
    for first, days, count, every in events:
        rule = f"\r\nRRULE:FREQ=DAILY;INTERVAL={every};COUNT={count}" if count > 1 else ""
        end = first + timedelta(days=days)
        lines.append(f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\nDTEND;VALUE=DATE:{end:%Y%m%d}{rule}")
        for k in range(count):
            listed.update(first + timedelta(days=k * every + d) for d in range(days))
    calendar = _calendar(*lines, zone=calendar_zone)
    found = shiftcalc.holidays_from_ical(calendar, window, time_zone=zone)

    def report(holidays: frozenset[date]) -> tuple[UserFairness, ...]:
        on_call = (FinalEvent(start=window.start, end=window.end, users=("a",)),)
        weights = Weights(holidays=holidays)
        return quality_report(on_call, window, zone=zone, weights=weights).fairness.users

    touched = {day for day in listed if any(u.holiday_hours > 0 for u in report(frozenset({day})))}
    assert found == touched
    assert report(found) == report(frozenset(listed))
