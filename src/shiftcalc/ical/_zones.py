"""TZIDs to zones: the tz database, then Windows names, then the calendar's own VTIMEZONE.

icalendar resolves a TZID itself while it parses a value, through a process-wide provider
that caches every VTIMEZONE it has seen by name (a ``Custom`` zone of one calendar would
then be used by the next calendar) and reads an unknown TZID as a floating time. So values
are parsed without their TZID (see ``_read``) and the TZID is looked up here, per calendar:
icalendar only supplies its Windows-name table and turns a VTIMEZONE into a tzinfo.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from itertools import islice
from typing import Any

import pytz
from dateutil.tz import datetime_exists
from icalendar import Timezone
from icalendar.timezone.tzp import TZP
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from .._errors import RecurrenceError
from .._model import Profile
from .._recurrence import RecurrenceRule, occurrences
from .._tz import as_utc, get_zone, localize
from ..oncall.occurrences import pytz_localize, zone_offset_at
from ._parse import Node, PropertyError

_NO_OFFSET = timedelta(0)

WINDOWS_ZONES: Mapping[str, str] = WINDOWS_TO_OLSON
"""Windows zone names (Outlook/Exchange TZIDs) → IANA names: icalendar's copy of CLDR's
windowsZones.xml."""

# icalendar expands a VTIMEZONE rule without COUNT or UNTIL to 2038, one with them in full
_ICALENDAR_HORIZON = datetime(2039, 1, 1)
_MAX_TRANSITIONS = 2000  # changes of offset of one STANDARD/DAYLIGHT part: more is not a zone
_RATE_YEARS = timedelta(days=4 * 365 + 1)
_MAX_RATE = 4 * 12  # changes of one part in _RATE_YEARS: monthly at most
_OFFSET_RE = re.compile(r"([+-])(\d{2})(\d{2})(\d{2})?")


class _RfcZone(tzinfo):
    """icalendar's tzinfo for a VTIMEZONE (dateutil's ``tzical``) with PEP 495's reading of
    skipped times: dateutil gives a wall time in a spring-forward gap the offset *after* the
    gap whatever its fold, where RFC 5545 §3.3.5 (and zoneinfo, which the rest of the
    library follows) takes the offset before it for ``fold=0``.

    And one mend: before a zone's first onset dateutil means to use its first STANDARD part,
    or its first part when it has none, but for the latter it reads ``comp[0]`` where it
    means ``self._comps[0]`` and raises ``TypeError``; ``first_offset`` is that part's
    TZOFFSETTO, what the line meant. Everything else is dateutil's."""

    def __init__(self, zone: tzinfo, name: str, first_offset: timedelta) -> None:
        super().__init__()
        self.inner = zone
        self.name = name
        self.first_offset = first_offset

    def __repr__(self) -> str:
        return f"VTIMEZONE({self.name!r})"

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        if dt is None:
            return None
        wall = dt.replace(tzinfo=self.inner)
        try:
            after = self.inner.utcoffset(wall)
            if dt.fold == 1 or after is None or datetime_exists(wall):
                return after
            # skipped: the instant read with the later offset is before the change
            before = (wall.replace(tzinfo=None) - after).replace(tzinfo=UTC)
            return before.astimezone(self.inner).utcoffset()
        except TypeError:  # dateutil's ``comp[0]``: before the onset of a DAYLIGHT-only zone
            return self.first_offset

    def dst(self, dt: datetime | None) -> timedelta | None:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str | None:
        return self.name

    def fromutc(self, dt: datetime) -> datetime:
        try:
            local = dt.replace(tzinfo=UTC).astimezone(self.inner)  # dt holds the UTC reading
        except TypeError:  # dateutil's ``comp[0]``, as in utcoffset
            local = dt + self.first_offset
        return local.replace(tzinfo=self)


@dataclass(frozen=True, slots=True)
class Zone:
    """A resolved zone: an IANA name (pytz + zoneinfo), or a VTIMEZONE read by icalendar as a
    pytz zone (``oncall``: what OnCall's icalendar 5 + pytz builds) and as a fold-aware zone
    (``strict``)."""

    name: str | None = None
    pytz_zone: Any = None  # icalendar's pytz DstTzInfo for a VTIMEZONE (oncall)
    rfc_zone: tzinfo | None = None  # the same VTIMEZONE, PEP 495 style (strict)

    @property
    def tzinfo(self) -> tzinfo:
        if self.rfc_zone is not None:
            return self.rfc_zone
        if self.pytz_zone is not None:
            zone: tzinfo = self.pytz_zone
            return zone
        assert self.name is not None
        return get_zone(self.name)

    def local(self, wall: datetime) -> datetime:
        """``wall`` in this zone by RFC 5545 §3.3.5 (the strict reading)."""
        if self.rfc_zone is not None:
            return wall.replace(tzinfo=self.rfc_zone)
        return localize(wall, self.tzinfo)

    def pytz_localize(self, wall: datetime) -> datetime:
        """``wall`` localised like pytz's ``localize(is_dst=False)``, as a fixed offset."""
        if self.pytz_zone is not None:
            offset = self.pytz_zone.localize(wall, is_dst=False).utcoffset()
            return wall.replace(tzinfo=timezone(offset))
        if self.name == "UTC":  # what pytz_localize gives for it, without its look-ups
            return as_utc(wall)
        assert self.name is not None
        return pytz_localize(wall, self.name, strict=False, field="")

    def offset_at(self, instant: datetime) -> timedelta:
        if self.pytz_zone is not None:
            offset = instant.astimezone(self.pytz_zone).utcoffset()
            assert offset is not None
            return offset
        if self.name == "UTC":  # every UTC and floating timed event of the oncall profile
            return _NO_OFFSET
        assert self.name is not None
        return zone_offset_at(instant, self.name)


UTC_ZONE = Zone(name="UTC")


def _iana(name: str, profile: Profile) -> str | None:
    """The IANA name for a TZID (pytz's database in oncall, zoneinfo in strict), or None."""
    candidates = [name, name.strip("/")]
    if name in WINDOWS_ZONES:
        candidates.append(WINDOWS_ZONES[name])
    for candidate in candidates:
        if not candidate:
            continue
        try:
            if profile == "oncall":
                pytz.timezone(candidate)
            get_zone(candidate)
        except (KeyError, pytz.UnknownTimeZoneError, ValueError):
            continue
        return candidate
    return None


class Zones:
    """TZID lookup for one calendar (each calendar's VTIMEZONEs are its own)."""

    def __init__(self, root: Node, profile: Profile) -> None:
        self.profile = profile
        self.definitions = {
            (c.text("TZID") or "").strip(): c for c in root.subs if c.name == "VTIMEZONE"
        }
        self.cache: dict[str, Zone] = {}
        # DATE and DATE-TIME values read in this calendar, by (text, TZID): ``_read.read_when``
        self.whens: dict[tuple[str, str | None], Any] = {}

    def get(self, tzid: str) -> Zone:
        tzid = tzid.strip()
        if tzid not in self.cache:
            name = _iana(tzid, self.profile)
            if name is not None:
                self.cache[tzid] = Zone(name=name)
            elif tzid in self.definitions:
                self.cache[tzid] = _vtimezone(self.definitions[tzid], self.profile)
            else:
                raise PropertyError("TZID", tzid, "unknown time zone and no VTIMEZONE defines it")
        return self.cache[tzid]


def _offset(text: str) -> timedelta:
    """A UTC offset (RFC 5545 §3.3.14): ``±hhmm[ss]``, minutes/seconds 00-59 (icalendar
    reads ``+0160`` as two hours), less than 24 hours."""
    match = _OFFSET_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a UTC offset such as +0100")
    hours, minutes, seconds = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"{text!r}: a UTC offset is less than 24 hours")
    size = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return -size if match.group(1) == "-" else size


def _check_part(part: Node) -> None:
    """What icalendar does not refuse itself: bad offsets, and a rule of more changes of offset
    than a zone has (icalendar expands a rule in full, to 2038 or to its COUNT or UNTIL, so
    ``FREQ=SECONDLY`` would hang it). The walk stops at the first change too many."""
    for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
        if part.first(key) is None:
            raise ValueError("DTSTART, TZOFFSETFROM and TZOFFSETTO are required")
    for key in ("TZOFFSETFROM", "TZOFFSETTO"):
        prop = part.first(key)
        assert prop is not None
        _offset(prop.value)
    rrule = part.first("RRULE")
    start = part.first("DTSTART")
    if rrule is None or start is None:
        return
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?", start.value.strip())
    if match is None:
        raise ValueError(f"DTSTART {start.value!r} is not a local DATE-TIME")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    first = datetime(year, month, day, hour, minute, second)
    rule = RecurrenceRule.parse(rrule.value)
    end = None if rule.count is not None or rule.until is not None else _ICALENDAR_HORIZON
    for count, _ in enumerate(occurrences(rule, first, end=end), 1):
        if count > _MAX_TRANSITIONS:
            raise ValueError(f"more than {_MAX_TRANSITIONS} changes of offset in one rule")
    if end is not None:
        _check_rate(rule, first)


def _check_rate(rule: RecurrenceRule, first: datetime) -> None:
    """A rule without end past 2038: dateutil's zone (strict) walks it from DTSTART to any
    instant asked, up to the year 9999, so a rule of more than 12 changes a year there (a
    daily one from 2039) would hang it; counted over the four years from 2039 or DTSTART."""
    since = max(first, _ICALENDAR_HORIZON)
    try:
        until = since + _RATE_YEARS
    except OverflowError:  # within four years of 9999: a short walk whatever the rule
        return
    found = islice(occurrences(rule, first, start=since, end=until), _MAX_RATE + 1)
    if sum(1 for _ in found) > _MAX_RATE:
        raise ValueError(f"more than {_MAX_RATE // 4} changes of offset a year in one rule")


def _vtimezone(node: Node, profile: Profile) -> Zone:
    """The zone a VTIMEZONE defines, built by icalendar (``Timezone.to_tz``)."""
    name = (node.text("TZID") or "").strip()
    parts = [sub for sub in node.subs if sub.name in ("STANDARD", "DAYLIGHT")]
    try:
        if not parts:
            raise ValueError("no STANDARD or DAYLIGHT part")
        for part in parts:
            _check_part(part)
        component = Timezone.from_ical(node.source)
        assert isinstance(component, Timezone)
        if profile == "oncall":
            return Zone(pytz_zone=component.to_tz(TZP("pytz"), lookup_tzid=False))
        zone = component.to_tz(TZP("zoneinfo"), lookup_tzid=False)
        first = next((p for p in parts if p.name == "STANDARD"), parts[0]).first("TZOFFSETTO")
        assert first is not None  # _check_part
        return Zone(rfc_zone=_RfcZone(zone, name, _offset(first.value)))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecurrenceError) as exc:
        reason = exc.reason if isinstance(exc, RecurrenceError) else str(exc)
        raise PropertyError("STANDARD", name, f"unreadable VTIMEZONE: {reason}") from None
