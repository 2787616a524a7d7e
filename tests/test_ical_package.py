"""shiftcalc.ical on icalendar: what the package's own layer guards around the dependency.

icalendar parses content lines, values and VTIMEZONEs and writes the export; these tests pin
what is ours on top of it: TZIDs looked up per calendar (icalendar caches VTIMEZONEs for the
whole process), its leniencies wrapped (``+0160``, rules of a VTIMEZONE it would expand for
ever), RFC 5545's reading of skipped times in a VTIMEZONE zone, line numbers, the export.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Literal

import pytest

from conftest import hang_guard
from shiftcalc import CalendarError, FinalShift, Schedule, User, Window, resolve
from shiftcalc.ical import WINDOWS_ZONES, calendar_records, final_shifts_to_ics

PROFILES: tuple[Literal["strict", "oncall"], ...] = ("strict", "oncall")
WINDOW = Window(start=datetime(2024, 3, 1, tzinfo=UTC), end=datetime(2024, 4, 30, tzinfo=UTC))


def _calendar(*events: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


def _event(*props: str, uid: str = "e1") -> str:
    return "".join(line + "\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"))


def _zone(offset: str, rule: str | None = None) -> str:
    lines = [
        "BEGIN:VTIMEZONE",
        "TZID:Custom",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0000",
        f"TZOFFSETTO:{offset}",
        *([] if rule is None else [f"RRULE:{rule}"]),
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    return "".join(line + "\r\n" for line in lines)


def _starts(text: str, profile: Literal["strict", "oncall"]) -> list[datetime]:
    schedule = Schedule(type="ical", ical_primary=text)
    records = calendar_records(text, schedule, WINDOW, profile=profile, overrides=False)
    return [record.start for record in records]


def test_ical_is_a_package_on_icalendar() -> None:
    package = importlib.import_module("shiftcalc.ical")
    assert package.__file__ is not None and package.__file__.endswith("__init__.py")
    assert WINDOWS_ZONES["W. Europe Standard Time"] == "Europe/Berlin"
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    assert WINDOWS_ZONES is WINDOWS_TO_OLSON


@pytest.mark.parametrize("profile", PROFILES)
def test_vtimezones_of_one_calendar_do_not_leak_into_the_next(
    profile: Literal["strict", "oncall"],
) -> None:
    """icalendar caches a VTIMEZONE by TZID for the whole process: two calendars defining
    ``Custom`` differently each get their own, and a third naming it without defining it is
    refused."""
    event = _event("DTSTART;TZID=Custom:20240305T090000", "DURATION:PT1H", "SUMMARY:a")
    plus_two = _starts(_calendar(event, head=_zone("+0200")), profile)
    plus_five = _starts(_calendar(event, head=_zone("+0500")), profile)
    assert plus_two == [datetime(2024, 3, 5, 7, tzinfo=UTC)]
    assert plus_five == [datetime(2024, 3, 5, 4, tzinfo=UTC)]
    with pytest.raises(CalendarError, match="unknown time zone") as raised:
        _starts(_calendar(event), profile)
    assert raised.value.field == "VEVENT[UID=e1, line 3].DTSTART.TZID"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=7", "FREQ=DAILY"])
def test_vtimezone_rules_of_too_many_changes_are_refused(
    profile: Literal["strict", "oncall"], rule: str
) -> None:
    """icalendar expands a VTIMEZONE's rule to 2038 in full: a rule of more than 2000 changes
    of offset is refused by name (it would hang), a yearly one is a zone."""
    event = _event("DTSTART;TZID=Custom:20240305T090000", "DURATION:PT1H", "SUMMARY:a")
    with hang_guard(30), pytest.raises(CalendarError, match="changes of offset") as raised:
        _starts(_calendar(event, head=_zone("+0100", rule)), profile)
    assert raised.value.field == "VEVENT[UID=e1, line 12].DTSTART.TZID"
    yearly = _calendar(event, head=_zone("+0100", "FREQ=YEARLY;BYMONTH=3"))
    assert _starts(yearly, profile) == [datetime(2024, 3, 5, 8, tzinfo=UTC)]


def _late_zone(rule: str) -> str:
    """A zone of UTC until 2039, then a DAYLIGHT part of ``rule`` at +01:00."""
    return (
        "BEGIN:VTIMEZONE\r\nTZID:Custom\r\n"
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:20390301T020000\r\n"
        f"TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nRRULE:{rule}\r\nEND:DAYLIGHT\r\n"
        "END:VTIMEZONE\r\n"
    )


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=DAILY", "FREQ=WEEKLY"])
def test_vtimezone_rules_without_end_from_2039_of_many_changes_a_year_are_refused(
    profile: Literal["strict", "oncall"], rule: str
) -> None:
    """A rule without end that starts after 2038 has no changes where icalendar counts them,
    but dateutil's zone (strict) walks it from its start to any instant asked: an hourly
    one from 2039 hung a lookup in 9999. More than 12 changes a year there are refused by
    name in both profiles; a monthly rule is a zone (odd, and accepted), looked up in 9999
    at once."""
    event = _event("DTSTART;TZID=Custom:99990305T090000", "DURATION:PT1H", "SUMMARY:a")
    with hang_guard(30), pytest.raises(CalendarError, match="changes of offset a year"):
        _starts(_calendar(event, head=_late_zone(rule)), profile)
    monthly = _calendar(event, head=_late_zone("FREQ=MONTHLY"))
    window = Window(start=datetime(9999, 3, 1, tzinfo=UTC), end=datetime(9999, 4, 1, tzinfo=UTC))
    with hang_guard(30):
        records = calendar_records(
            monthly,
            Schedule(type="ical", ical_primary=monthly),
            window,
            profile=profile,
            overrides=False,
        )
    # strict: +01:00 from 9999-03-01; oncall: icalendar's pytz zone stops its rules at 2038
    hour = 8 if profile == "strict" else 9
    assert [record.start for record in records] == [datetime(9999, 3, 5, hour, tzinfo=UTC)]


@pytest.mark.parametrize("profile", PROFILES)
def test_vtimezone_without_parts_is_refused(profile: Literal["strict", "oncall"]) -> None:
    zone = "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nEND:VTIMEZONE\r\n"
    event = _event("DTSTART;TZID=Custom:20240305T090000", "DURATION:PT1H", "SUMMARY:a")
    with pytest.raises(CalendarError, match="STANDARD or DAYLIGHT"):
        _starts(_calendar(event, head=zone), profile)


BERLIN_RULES = (
    "BEGIN:VTIMEZONE\r\nTZID:Custom\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def test_strict_reads_a_skipped_time_of_a_vtimezone_with_the_offset_before_the_gap() -> None:
    """02:30 on 31 March does not exist in Berlin: RFC 5545 §3.3.5 reads it with the offset
    before the gap (01:30Z), as for the IANA zone; dateutil's VTIMEZONE zone alone gives the
    offset after it (00:30Z)."""
    for tzid in ("Custom", "Europe/Berlin"):
        event = _event(f"DTSTART;TZID={tzid}:20240331T023000", "DURATION:PT1H", "SUMMARY:a")
        starts = _starts(_calendar(event, head=BERLIN_RULES), "strict")
        assert starts == [datetime(2024, 3, 31, 1, 30, tzinfo=UTC)]
        # and a daily series through the change keeps its wall clock on both sides
        series = _event(
            f"DTSTART;TZID={tzid}:20240330T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=2"
        )
        assert _starts(_calendar(series, head=BERLIN_RULES), "strict") == [
            datetime(2024, 3, 30, 8, tzinfo=UTC),
            datetime(2024, 3, 31, 7, tzinfo=UTC),
        ]


DAYLIGHT_ONLY = (
    "BEGIN:VTIMEZONE\r\nTZID:Custom\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0300\r\n"
    "DTSTART:20240310T020000\r\nEND:DAYLIGHT\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\n"
    "DTSTART:20240320T020000\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_time_before_a_daylight_only_vtimezone_is_read_with_its_first_part(
    profile: Literal["strict", "oncall"],
) -> None:
    """Before the first onset dateutil (strict) means to use the zone's first part when it
    has no STANDARD part (``self._comps[0]``) but raised TypeError (``comp[0]``): 5 March
    09:00 is read with the first part's +03:00 (06:00Z), as icalendar's pytz zone (oncall)
    reads it; then each part from its onset."""
    events = [
        _event(f"DTSTART;TZID=Custom:202403{day:02d}T090000", "DURATION:PT1H", uid=f"e{day}")
        for day in (5, 15, 25)
    ]
    assert _starts(_calendar(*events, head=DAYLIGHT_ONLY), profile) == [
        datetime(2024, 3, 5, 6, tzinfo=UTC),
        datetime(2024, 3, 15, 6, tzinfo=UTC),
        datetime(2024, 3, 25, 7, tzinfo=UTC),
    ]


def test_errors_name_the_physical_line_after_folded_lines() -> None:
    """Lines are counted as written: a folded DESCRIPTION of three physical lines moves the
    next VEVENT's BEGIN line by two."""
    first = _event(
        "DTSTART:20240305T090000Z", "DESCRIPTION:a long\r\n  folded\r\n  text", "SUMMARY:a"
    )
    second = _event("DTSTART:20240305", "RRULE:FREQ=NEVER", uid="e2")
    with pytest.raises(CalendarError) as raised:
        _starts(_calendar(first, second), "strict")
    assert raised.value.field == "VEVENT[UID=e2, line 11].RRULE"


def test_a_bad_parameter_is_an_error_naming_its_line() -> None:
    text = _calendar(_event('DTSTART;TZID="Europe/Berlin:20240305T090000', "SUMMARY:a"))
    with pytest.raises(CalendarError) as raised:
        _starts(text, "strict")
    assert raised.value.field == "line 5"


def test_values_icalendar_refuses_are_errors_naming_the_property() -> None:
    """A PERIOD RDATE of a bad end, an EXDATE of a duration, a SEQUENCE of letters."""
    cases = {
        "RDATE": "RDATE;VALUE=PERIOD:20240306T090000Z/tomorrow",
        "EXDATE": "EXDATE:PT1H",
        "SEQUENCE": "SEQUENCE:two",
        "DTEND": "DTEND:20240230T000000Z",
    }
    for prop, line in cases.items():
        text = _calendar(_event("DTSTART:20240305T090000Z", "DURATION:PT1H", line))
        with pytest.raises(CalendarError) as raised:
            _starts(text, "strict")
        assert raised.value.field == f"VEVENT[UID=e1, line 3].{prop}"


def test_export_escapes_and_reads_back_names_with_separators() -> None:
    """Commas, semicolons, backslashes and line breaks in a username are escaped by icalendar
    and read back as the same name; CN stays quoted."""
    name = 'Doe, Jane; "JD" \\ ops\nteam'
    user = User(id="u", username=name, email="jane@example.com")
    start = datetime(2024, 3, 5, 9, tzinfo=UTC)
    row = FinalShift(user="u", start=start, end=start.replace(hour=17))
    text = final_shifts_to_ics([row], Schedule(users=(user,)))
    assert 'SUMMARY:Doe\\, Jane\\; "JD" \\\\ ops\\nteam\r\n' in text.replace("\r\n ", "")
    assert "ATTENDEE;CN=\"Doe, Jane; 'JD' \\ ops team\":mailto:jane@example.com" in text.replace(
        "\r\n ", ""
    )
    back = Schedule(type="ical", ical_primary=text)
    window = Window(start=start, end=start.replace(hour=18))
    # no directory: the SUMMARY's name and the ATTENDEE's address are the users
    assert sorted(shift.user for shift in resolve(back, window).shifts) == sorted(
        [name, "jane@example.com"]
    )
