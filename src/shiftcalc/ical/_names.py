"""Ours on top of icalendar: calendar names to users, ``[Ln]`` levels, OnCall's shift ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .._model import Profile, Schedule, Source
from ._parse import PropertyError

if TYPE_CHECKING:
    from ._read import Event, When

_LEVEL_RE = re.compile(r"^\[L(\d+)\]")
_MAX_LEVEL_DIGITS = 18  # "[Ln]": a level is a small number; more digits is not a level
_UID_V2 = re.compile(r"oncall-(.*)-PK(.*)-U(\d+)-E(\d+)-S(\d+)")
_UID_V1 = re.compile(r"amixr-(.*)-U(\d+)-E(\d+)-S(\d+)")
_UID_EXPORT = re.compile(r"([\w\d]+)-(\d+)-([\w\d]+)")
_SOURCES: dict[str, Source] = {"0": "web", "1": "api", "2": "slack", "3": "terraform"}


def level_of(summary: str | None) -> int:
    match = _LEVEL_RE.match((summary or "").strip())
    if match is None:
        return 0
    digits = match.group(1)
    if len(digits.lstrip("0")) > _MAX_LEVEL_DIGITS:
        raise PropertyError(
            "SUMMARY", summary, f"a [Ln] level has at most {_MAX_LEVEL_DIGITS} digits"
        )
    return int(digits)


def _name(text: str) -> str:
    return _LEVEL_RE.sub("", text.strip(), count=1).strip()


def candidates(event: Event, profile: Profile, *, directory: bool) -> list[tuple[str, str]]:
    """The (property, name) pairs an event names users by, each name once.

    Without a user directory the names *are* the users, so only the properties that name
    people count: SUMMARY and ATTENDEE (``mailto:`` stripped), not DESCRIPTION's free text.
    """
    names: list[tuple[str, str]] = []
    for prop, text in (("SUMMARY", event.summary), ("DESCRIPTION", event.description)):
        if text is not None and (directory or prop == "SUMMARY"):
            names.append((prop, _name(text)))
    attendees = event.attendees
    if profile == "oncall" and len(attendees) != 1:
        attendees = ()  # OnCall reads the ATTENDEE only when there is exactly one
    for attendee in attendees:
        value = attendee.strip()
        if (profile == "strict" or not directory) and value[:7].lower() == "mailto:":
            value = value[7:]  # OnCall compares the value verbatim (§8.2)
        names.append(("ATTENDEE", value.strip()))
    seen: set[str] = set()
    result = []
    for prop, name in names:
        if name and name not in seen:
            seen.add(name)
            result.append((prop, name))
    return result


class Users:
    """Calendar names to user ids: by username or e-mail in any case (one user at most, as
    the directory guarantees), or every name when the schedule has no directory."""

    def __init__(self, schedule: Schedule) -> None:
        self.directory = schedule.has_directory
        self.schedule = schedule

    def find(self, name: str) -> tuple[str, ...]:
        if not self.directory:
            return (name,)
        found = self.schedule.find_user_by_name(name)
        return () if found is None else (found,)


def _rid_text(rid: When, profile: Profile) -> str:
    value = rid.value
    if rid.kind == "date" or not isinstance(value, datetime):
        return value.isoformat()
    if rid.kind == "utc":
        return value.replace(tzinfo=UTC).isoformat()
    if rid.kind == "floating" or rid.zone is None:
        return value.isoformat()
    if profile == "strict":
        # the strict reading of the zone: it may be one pytz lacks (posix/..., right/...)
        return rid.zone.local(value).isoformat()
    return rid.zone.pytz_localize(value).isoformat()


def shift_id(event: Event, profile: Profile) -> tuple[str | None, Source | None]:
    """Grafana OnCall's ``parse_event_uid`` (§3.1.3): the shift id and the source."""
    match = _UID_V2.match(event.uid)
    if match:
        return match.group(2), _SOURCES.get(match.group(5))
    match = _UID_V1.match(event.uid)
    if match:
        return None, _SOURCES.get(match.group(4))
    match = _UID_EXPORT.match(event.uid)
    if match:
        return match.group(1), None
    pk = event.uid
    if event.sequence:
        pk = f"{pk}_{event.sequence}"
    if event.recurrence_id is not None:
        pk = f"{pk}_{_rid_text(event.recurrence_id, profile)}"
    return pk, None
