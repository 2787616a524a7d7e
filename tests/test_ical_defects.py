"""Regressions of iCalendar schedules and export: one test per defect, at the public level.

Each test goes through ``shiftcalc.resolve``, ``shiftcalc.load_scenario`` or ``shiftcalc.ical``
only, so that it holds whatever reads the calendar text underneath.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import pytest

from shiftcalc import Schedule, User, Window, load_scenario, resolve
from shiftcalc.ical import UnresolvedName

PROFILES: tuple[Literal["strict", "oncall"], ...] = ("strict", "oncall")


def _calendar(*events: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


def _event(*props: str, uid: str = "e1") -> str:
    return "".join(line + "\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"))


def _window(start: str = "2024-03-01", end: str = "2024-03-08") -> Window:
    return Window(
        start=datetime.fromisoformat(start).replace(tzinfo=UTC),
        end=datetime.fromisoformat(end).replace(tzinfo=UTC),
    )


def _users(schedule: Schedule, profile: Literal["strict", "oncall"]) -> list[str]:
    return sorted({row.user for row in resolve(schedule, _window(), profile=profile).shifts})


MONDAY = _event(
    "DTSTART:20240304T090000Z",
    "DTEND:20240304T170000Z",
    "SUMMARY:[L1] Alice",
    "DESCRIPTION:the primary rotation",
    "ATTENDEE;CN=Bob:mailto:bob@example.com",
)


# --------------------------------------------------------------------------- 1. users


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_without_a_directory_takes_names_as_users(
    profile: Literal["strict", "oncall"],
) -> None:
    """Without users, SUMMARY (no [Ln]) and ATTENDEE (no mailto:) are the users; DESCRIPTION's
    free text is not a user."""
    schedule = Schedule(type="ical", ical_primary=_calendar(MONDAY))
    assert _users(schedule, profile) == ["Alice", "bob@example.com"]
    rows = resolve(schedule, _window(), profile=profile).shifts
    assert {row.level for row in rows} == {1}
    assert resolve(schedule, _window(), profile=profile).unresolved == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_scenario_without_users_keeps_calendar_names(
    profile: Literal["strict", "oncall"],
) -> None:
    """A scenario without a users list, whose override shifts name users too, still takes the
    calendar's names as users (no implicit directory to match them against)."""
    scenario = load_scenario(
        {
            "schedule": {"type": "ical", "ical_primary": _calendar(MONDAY)},
            "shifts": [
                {
                    "type": "override",
                    "start": "2024-03-05T09:00:00",
                    "duration": 3600,
                    "users": ["carol"],
                },
            ],
            "window": {"start": "2024-03-01", "end": "2024-03-08"},
        },
        profile=profile,
    )
    assert scenario.schedule.users == ()
    assert _users(scenario.schedule, profile) == ["Alice", "bob@example.com", "carol"]


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_usernames_match_in_any_letter_case(profile: Literal["strict", "oncall"]) -> None:
    """With a directory, a username matches in any letter case; an exact match wins."""
    users = (User(id="U1", username="alice"), User(id="U2", username="ALICE"))
    schedule = Schedule(type="ical", ical_primary=_calendar(MONDAY), users=users[:1])
    assert _users(schedule, profile) == ["U1"]
    exact = Schedule(type="ical", ical_primary=_calendar(MONDAY), users=users)
    assert _users(exact, profile) == ["U1", "U2"]  # "Alice" is neither: both by case
    both = Schedule(
        type="ical",
        ical_primary=_calendar(MONDAY.replace("[L1] Alice", "ALICE")),
        users=users,
    )
    assert _users(both, profile) == ["U2"]


# --------------------------------------------------------------------------- 2. unresolved


def test_ical_unresolved_names_are_listed_with_their_origin() -> None:
    """Resolution.unresolved lists each unmatched name once per VEVENT: calendar, UID, line,
    property; strict also reports a gap of kind 'unresolved', oncall an empty record."""
    users = (User(id="U1", username="zed"),)
    overrides = _calendar(
        _event("DTSTART:20240305T000000Z", "DURATION:PT1H", "SUMMARY:nobody", uid="o1")
    )
    text = _calendar(
        _event(
            "DTSTART:20240304T090000Z",
            "DURATION:PT1H",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:ghost",
            "DESCRIPTION:zed",
            uid="r1",
        ),
        MONDAY,
    )
    schedule = Schedule(type="ical", ical_primary=text, ical_overrides=overrides, users=users)
    for profile in PROFILES:
        result = resolve(schedule, _window(), profile=profile)
        # oncall compares a lone ATTENDEE verbatim, mailto: included
        attendee = "bob@example.com" if profile == "strict" else "mailto:bob@example.com"
        assert result.unresolved == (
            UnresolvedName(name="ghost", calendar="primary", uid="r1", line=3, property="SUMMARY"),
            UnresolvedName(
                name="Alice", calendar="primary", uid="e1", line=11, property="SUMMARY"
            ),
            UnresolvedName(
                name="the primary rotation",
                calendar="primary",
                uid="e1",
                line=11,
                property="DESCRIPTION",
            ),
            UnresolvedName(
                name=attendee, calendar="primary", uid="e1", line=11, property="ATTENDEE"
            ),
            UnresolvedName(
                name="nobody", calendar="overrides", uid="o1", line=3, property="SUMMARY"
            ),
        ), profile
    strict = resolve(schedule, _window())
    assert any(gap.kind == "unresolved" for gap in strict.gaps)


def test_ical_unresolved_names_only_for_events_in_the_window() -> None:
    """A VEVENT with no occurrence in the window reports nothing."""
    text = _calendar(_event("DTSTART:20250101T000000Z", "DURATION:PT1H", "SUMMARY:later"))
    schedule = Schedule(type="ical", ical_primary=text, users=(User(id="a", username="a"),))
    for profile in PROFILES:
        assert resolve(schedule, _window(), profile=profile).unresolved == ()
